// Helpers shared by the logic engine's tests.
#pragma once

#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "trialscreen/logic.hpp"

namespace logic_test {

// Two outcomes alike in every member, values by their JSON text (1 and 1.0
// differ there, not in ==).
inline void expect_identical(const trialscreen::logic::Outcome& got, const trialscreen::logic::Outcome& expected,
                             const std::string& where) {
  EXPECT_EQ(got.kind, expected.kind) << where;
  EXPECT_EQ(got.value.type(), expected.value.type()) << where;
  EXPECT_EQ(trialscreen::logic::to_json_text(got.value), trialscreen::logic::to_json_text(expected.value)) << where;
  EXPECT_EQ(got.waiting_on, expected.waiting_on) << where;
  EXPECT_EQ(got.waiting_slots, expected.waiting_slots) << where;
  EXPECT_EQ(got.lower, expected.lower) << where;
  EXPECT_EQ(got.upper, expected.upper) << where;
  EXPECT_EQ(got.error_type, expected.error_type) << where;
  EXPECT_EQ(got.error_message, expected.error_message) << where;
  EXPECT_EQ(got.error_id, expected.error_id) << where;
  EXPECT_EQ(got.error_pointer, expected.error_pointer) << where;
  EXPECT_EQ(trialscreen::logic::to_json_text(got.thrown), trialscreen::logic::to_json_text(expected.thrown)) << where;
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Compiles and evaluates; a compile failure becomes an Error outcome carrying
// the diagnostic's error type and id, as the CLI reports it.
inline trialscreen::logic::Outcome run(const nlohmann::json& rule, const nlohmann::json& data,
                                       const trialscreen::logic::Bindings& bindings = {},
                                       const trialscreen::logic::CompileOptions& options = {}) {
  trialscreen::Diagnostics errors;
  const auto compiled = trialscreen::logic::Rule::compile(rule, errors, options);
  if (!compiled) {
    trialscreen::logic::Outcome outcome;
    outcome.kind = trialscreen::logic::Outcome::Kind::Error;
    outcome.error_type = trialscreen::logic::error_type(errors.front());
    outcome.error_id = errors.front().id;
    outcome.error_pointer = errors.front().pointer;
    outcome.error_message = errors.front().message;
    return outcome;
  }
  return compiled->evaluate(data, bindings);
}

inline trialscreen::logic::Domain range_domain(double min, double max, bool integer = false) {
  trialscreen::logic::Domain d;
  d.kind = trialscreen::logic::Domain::Kind::Range;
  d.min = min;
  d.max = max;
  d.integer = integer;
  return d;
}

// Rules compiled with slots, as a trial's are, and screened (missing is
// unknown) either with the answers handed by slot, which lets a rule take a
// path of its own (the plain path, the comparisons' path), or only as the
// document read by name, where the evaluator works every rule out: a test
// wants the two alike.
struct SlotHost {
  std::vector<std::string> slots;
  std::map<std::string, trialscreen::logic::Domain> domains;  // handed to the rules unless empty
  trialscreen::logic::CompileOptions options;

  explicit SlotHost(std::vector<std::string> names) : slots(std::move(names)) { options.slots = &slots; }
  SlotHost(const SlotHost&) = delete;
  SlotHost& operator=(const SlotHost&) = delete;

  trialscreen::logic::Rule compile(const nlohmann::json& rule) const {
    trialscreen::Diagnostics errors;
    std::optional<trialscreen::logic::Rule> compiled = trialscreen::logic::Rule::compile(rule, errors, options);
    EXPECT_TRUE(compiled.has_value()) << rule;
    return std::move(*compiled);
  }

  trialscreen::logic::Outcome evaluate(const trialscreen::logic::Rule& rule, const nlohmann::json& answers,
                                       bool by_slot) const {
    std::vector<const nlohmann::json*> slot_values;
    for (const std::string& name : slots) slot_values.push_back(answers.contains(name) ? &answers.at(name) : nullptr);
    trialscreen::logic::Bindings bindings;
    bindings.missing_is_unknown = true;
    if (!domains.empty()) bindings.domains = &domains;
    if (by_slot) bindings.slot_values = &slot_values;
    trialscreen::logic::Outcome out;
    rule.evaluate(answers, bindings, out);
    return out;
  }
};

inline std::string describe(const trialscreen::logic::Outcome& outcome) {
  using Kind = trialscreen::logic::Outcome::Kind;
  switch (outcome.kind) {
    case Kind::Value:
      return trialscreen::logic::to_json_text(outcome.value);
    case Kind::Unknown:
      return "unknown waiting on " + trialscreen::logic::to_json_text(outcome.waiting_on);
    default:
      return "error " + outcome.error_type + " [" + outcome.error_id + "] " + outcome.error_message;
  }
}

}  // namespace logic_test
