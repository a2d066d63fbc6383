// The community JsonLogic suites' cases (tests/conformance/jsonlogic), read
// for the conformance tests and for the tests that hold other ways of
// evaluating a rule to the plain one over every case.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "logic_test_support.hpp"

namespace logic_test {

using json = nlohmann::json;

inline const std::string kConformanceDir = std::string(TRIALSCREEN_TESTS_DIR) + "/conformance/jsonlogic";

struct SuiteCase {
  std::string file;
  std::size_t number = 0;  // 1-based among the file's cases
  std::string description;
  json rule;
  json data;
  bool expects_error = false;
  json expected;  // result, or the error's type
};

inline json load_suite(const std::string& path) {
  trialscreen::Diagnostics errors;
  auto parsed = trialscreen::logic::parse_json(logic_test::read_text(path), errors);
  return parsed ? *parsed : json();
}

inline std::vector<SuiteCase> suite_cases() {
  std::vector<SuiteCase> cases;
  const json index = load_suite(kConformanceDir + "/suites/index.json");
  for (const json& file : index) {
    const std::string name = file.get<std::string>();
    std::size_t number = 0;
    for (const json& entry : load_suite(kConformanceDir + "/suites/" + name)) {
      if (entry.is_string()) continue;  // a heading
      SuiteCase c;
      c.file = name;
      c.number = ++number;
      c.description = entry.value("description", "");
      c.rule = entry.at("rule");
      c.data = entry.contains("data") ? entry.at("data") : json(nullptr);
      c.expects_error = entry.contains("error");
      c.expected = c.expects_error ? entry.at("error").at("type") : entry.at("result");
      cases.push_back(std::move(c));
    }
  }
  return cases;
}

inline std::vector<SuiteCase> legacy_cases() {
  std::vector<SuiteCase> cases;
  std::size_t number = 0;
  for (const json& entry : load_suite(kConformanceDir + "/legacy-tests.json")) {
    if (entry.is_string()) continue;
    SuiteCase c;
    c.file = "legacy-tests.json";
    c.number = ++number;
    c.rule = entry.at(0);
    c.data = entry.at(1);
    c.expected = entry.at(2);
    cases.push_back(std::move(c));
  }
  return cases;
}

}  // namespace logic_test
