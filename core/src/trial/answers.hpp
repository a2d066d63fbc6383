// Turning a person's raw answers into the canonical values rules read.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model.hpp"

namespace trialscreen {
namespace trial {

// Turns a person's raw answers (`answers`: a JSON object keyed by question id,
// or null for none) into the data rules read, in place: every valid answer
// stays, converted to its canonical unit; a bad answer (one {"field", "code",
// "message"} appended to `errors`), an unknown key or a null leaves it
// (unanswered). Anything but an object or null becomes an empty object and
// one error. Working in place lets a caller that owns the parsed record hand
// it over instead of having every answer copied into a new map. `as_of` is a
// valid date or "" (then `future` cannot be checked). Each kept answer's
// place goes to `slot_values` at its question's slot (Loaded::slots).
void normalise_answers(const Trial::Loaded& trial, nlohmann::json& answers, const std::string& as_of,
                       nlohmann::json& errors, std::vector<const nlohmann::json*>& slot_values);

}  // namespace trial
}  // namespace trialscreen
