// Turning a person's raw answers into the canonical values rules read.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model.hpp"

namespace trialscreen {
namespace trial {

}  // namespace trial

struct AnswerSet::Parts {
  explicit Parts(const Trial::Loaded& trial) : trial(&trial), by_slot(trial.slots.size()) {
#ifndef TRIALSCREEN_FOR_SIZE
    checked.assign((trial.slots.size() + 63) / 64, 0);
#endif
  }

  // Marks a slot's answer as valid, as placed (normalising leaves it as it
  // is), or no longer so. The module built for size never reads the marks
  // and does not make them.
  void check(std::size_t slot) {
#ifndef TRIALSCREEN_FOR_SIZE
    checked[slot / 64] |= std::uint64_t{1} << (slot % 64);
#else
    (void)slot;
#endif
  }
  void uncheck(std::size_t slot) {
#ifndef TRIALSCREEN_FOR_SIZE
    checked[slot / 64] &= ~(std::uint64_t{1} << (slot % 64));
#else
    (void)slot;
#endif
  }

  const Trial::Loaded* trial = nullptr;
  std::vector<nlohmann::json> by_slot;  // per slot of the trial: its question's answer, or null
  std::vector<std::size_t> placed;      // the slots place() handed out since clear() (repeats included)
  std::vector<std::uint64_t> answered;  // normalise_answers': the placed slots as bits, kept for its room
  std::vector<std::uint64_t> checked;   // as bits, the slots whose answers were valid as last placed (check());
                                        // read for placed slots only, as each placing sets or clears its bit
  std::set<std::string> unknown;        // fields no question has (a set: the WebAssembly build has one already)
  nlohmann::json dropped;               // where an unknown field's value goes
  bool not_object = false;              // take() was given neither an object nor null
};

namespace trial {

// Turns a person's raw answers into the values rules read, in place: every
// valid answer stays, converted to its canonical unit, and its place goes to
// `slot_values` at its question's slot (Loaded::slots); a bad answer is
// removed with one {"field", "code", "message"} appended to `errors`, as is
// each unknown field, in the fields' key order. `as_of` is a valid date or ""
// (then `future` cannot be checked).
void normalise_answers(const Trial::Loaded& trial, AnswerSet::Parts& answers, const std::string& as_of,
                       nlohmann::json& errors, std::vector<const nlohmann::json*>& slot_values);

}  // namespace trial
}  // namespace trialscreen
