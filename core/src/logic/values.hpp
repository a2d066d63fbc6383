// JsonLogic's coercions on plain values, shared by the evaluator and the
// bounds reasoning. Internal to the logic engine.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace trialscreen::logic::values {

using json = nlohmann::json;

// Number(value) as the suites require: numbers, booleans (0/1), null (0) and
// numeric strings ("" is 0); nullopt for anything else (the "NaN" error).
std::optional<double> to_number(const json& value);

// A computed number as JSON: integral values become integers so that they
// print as 3, not 3.0 (and -0 becomes 0). nullopt for NaN and infinities.
std::optional<json> number_json(double number);

// String(value) as JavaScript writes it (for cat, substr).
std::string to_text(const json& value);

// JavaScript's shortest round-trip form of a number (1, 0.5, 1e+21).
std::string number_text(double number);

// Loose comparison of two values, as <, <=, ==, ... need it: two strings
// compare as text, otherwise both are numbers. Returns -1/0/1, or nullopt when
// a side is not a number (the suites' "NaN" error).
std::optional<int> loose_compare(const json& left, const json& right);

// Compact JSON for a message, cut to about 60 characters.
std::string brief(const json& value);
// The same appended to `out` (an error message built in place).
void append_brief(const json& value, std::string& out);

// === : same type and same value (numbers compare numerically).
bool strict_equal(const json& left, const json& right);

// A dotted data path ("a.b.0") as its segments; "" is no segment (the data itself).
std::vector<std::string> split_path(const std::string& path);

}  // namespace trialscreen::logic::values
