// Turning a person's raw answers into the canonical values rules read.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model.hpp"

namespace trialscreen {
namespace trial {

// Writes every valid answer, converted to its canonical unit, into `data`
// (an empty object on entry, keyed by question id) and appends one {"field", "code", "message"} to
// `errors` per bad answer, which stays out of `data` (unanswered). `as_of` is
// a valid date or "" (then `future` cannot be checked). Each answer's place
// in `data` goes to `slot_values` at its question's slot (Loaded::slots).
void normalise_answers(const Trial::Loaded& trial, const nlohmann::json& answers, const std::string& as_of,
                       nlohmann::json& data, nlohmann::json& errors, std::vector<const nlohmann::json*>& slot_values);

}  // namespace trial
}  // namespace trialscreen
