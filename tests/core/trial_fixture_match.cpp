#include "trial_fixture_match.hpp"

#include <algorithm>
#include <cmath>

namespace trialscreen::testing {
namespace {

using nlohmann::json;

void match_value(const json& expected, const json& actual, const std::string& path, std::vector<std::string>& out);

bool numbers_equal(double a, double b) {
  return std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)});
}

void mismatch(const std::string& path, const json& expected, const json& actual, std::vector<std::string>& out) {
  out.push_back(path + ": expected " + expected.dump() + ", got " + (actual.is_discarded() ? "nothing" : actual.dump()));
}

// Absent in the result is the same as null or an empty array (a decided
// criterion omits waitingOn; a criterion without a window omits clearsOn).
bool means_absent(const json& expected) { return expected.is_null() || (expected.is_array() && expected.empty()); }

void match_object(const json& expected, const json& actual, const std::string& path, std::vector<std::string>& out) {
  if (!actual.is_object()) return mismatch(path, expected, actual, out);
  for (auto it = expected.begin(); it != expected.end(); ++it) {
    const std::string at = path + "/" + it.key();
    auto found = actual.find(it.key());
    if (found == actual.end()) {
      if (!means_absent(*it)) mismatch(at, *it, json(json::value_t::discarded), out);
      continue;
    }
    match_value(*it, *found, at, out);
  }
}

// Arrays of objects (answerErrors, warnings): same length, each expected
// entry partially matching a different actual entry, in any order.
void match_entries(const json& expected, const json& actual, const std::string& path, std::vector<std::string>& out) {
  if (!actual.is_array() || actual.size() != expected.size()) return mismatch(path, expected, actual, out);
  std::vector<bool> used(actual.size(), false);
  for (const json& entry : expected) {
    bool matched = false;
    for (std::size_t i = 0; i < actual.size() && !matched; ++i) {
      if (used[i]) continue;
      std::vector<std::string> problems;
      match_value(entry, actual[i], path, problems);
      if (problems.empty()) used[i] = matched = true;
    }
    if (!matched) out.push_back(path + ": no entry matches " + entry.dump() + " in " + actual.dump());
  }
}

void match_value(const json& expected, const json& actual, const std::string& path, std::vector<std::string>& out) {
  if (expected.is_object()) return match_object(expected, actual, path, out);
  if (expected.is_array()) {
    const bool of_objects = !expected.empty() && std::all_of(expected.begin(), expected.end(),
                                                             [](const json& e) { return e.is_object(); });
    if (of_objects) return match_entries(expected, actual, path, out);
    // Anything else (next, waitingOn, criteria lists) in exact order.
    if (!actual.is_array() || actual.size() != expected.size()) return mismatch(path, expected, actual, out);
    std::vector<std::string> problems;
    for (std::size_t i = 0; i < expected.size(); ++i) match_value(expected[i], actual[i], path, problems);
    if (!problems.empty()) mismatch(path, expected, actual, out);
    return;
  }
  if (expected.is_number() && actual.is_number()) {
    if (!numbers_equal(expected.get<double>(), actual.get<double>())) mismatch(path, expected, actual, out);
    return;
  }
  if (expected != actual) mismatch(path, expected, actual, out);
}

}  // namespace

std::vector<std::string> match_expected(const json& expected, const json& actual) {
  std::vector<std::string> out;
  if (!expected.is_object()) {
    out.push_back("expect must be an object");
    return out;
  }
  json rest = expected;
  rest.erase("criteria");
  match_object(rest, actual, "", out);
  auto criteria = expected.find("criteria");
  if (criteria == expected.end()) return out;
  // "criteria" is keyed by criterion id in a scenario, a list in the result.
  if (!criteria->is_object()) {
    out.push_back("/criteria: expect.criteria must be an object keyed by criterion id");
    return out;
  }
  // A named copy: `found` must not point into a temporary that dies after the loop.
  const json result_criteria = actual.value("criteria", json::array());
  for (auto c = criteria->begin(); c != criteria->end(); ++c) {
    const json* found = nullptr;
    for (const json& entry : result_criteria) {
      if (entry.value("id", "") == c.key()) found = &entry;
    }
    if (found == nullptr) {
      out.push_back("/criteria/" + c.key() + ": no such criterion in the result");
    } else {
      match_value(*c, *found, "/criteria/" + c.key(), out);
    }
  }
  return out;
}

}  // namespace trialscreen::testing
