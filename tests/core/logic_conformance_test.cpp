// The community JsonLogic suites (tests/conformance/jsonlogic), one GoogleTest
// case per suite case, plus per-file and total counts that must be 100%.
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "logic_conformance_cases.hpp"
#include "logic_test_support.hpp"

namespace {

using nlohmann::json;
using logic_test::SuiteCase;
using logic_test::legacy_cases;
using logic_test::suite_cases;

bool passes(const SuiteCase& c, std::string* got = nullptr) {
  const auto outcome = logic_test::run(c.rule, c.data);
  if (got != nullptr) *got = logic_test::describe(outcome);
  if (c.expects_error) return outcome.is_error() && outcome.error_type == c.expected.get<std::string>();
  return outcome.is_value() && outcome.value == c.expected;
}

std::string test_name(const SuiteCase& c) {
  std::string name;
  for (char ch : c.file.substr(0, c.file.size() - 5)) name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return name + "_" + std::to_string(c.number);
}

class SuiteCaseTest : public testing::TestWithParam<SuiteCase> {};

TEST_P(SuiteCaseTest, MatchesExpectedResult) {
  const SuiteCase& c = GetParam();
  std::string got;
  EXPECT_TRUE(passes(c, &got)) << c.file << " #" << c.number << " " << c.description
                               << "\n  rule: " << c.rule.dump() << "\n  data: " << c.data.dump()
                               << "\n  expected: " << (c.expects_error ? "error " : "") << c.expected.dump()
                               << "\n  got: " << got;
}

INSTANTIATE_TEST_SUITE_P(Suites, SuiteCaseTest, testing::ValuesIn(suite_cases()),
                         [](const testing::TestParamInfo<SuiteCase>& info) { return test_name(info.param); });
INSTANTIATE_TEST_SUITE_P(Legacy, SuiteCaseTest, testing::ValuesIn(legacy_cases()),
                         [](const testing::TestParamInfo<SuiteCase>& info) { return test_name(info.param); });

// The totals the issue asks for, and a per-file line for docs/conformance.md
// (tests/conformance/conformance_table.py reads these lines).
TEST(LogicConformance, EverySuiteFileAndTheLegacySuitePassCompletely) {
  std::map<std::string, std::pair<std::size_t, std::size_t>> per_file;
  std::vector<std::string> order;
  std::size_t passed = 0;
  const auto cases = suite_cases();
  for (const SuiteCase& c : cases) {
    if (per_file.find(c.file) == per_file.end()) order.push_back(c.file);
    auto& [ok, total] = per_file[c.file];
    ++total;
    if (passes(c)) ++ok, ++passed;
  }
  for (const std::string& file : order) {
    std::cout << "conformance " << file << " " << per_file[file].first << "/" << per_file[file].second << "\n";
  }
  std::size_t legacy_passed = 0;
  const auto legacy = legacy_cases();
  for (const SuiteCase& c : legacy) legacy_passed += passes(c) ? 1 : 0;
  std::cout << "conformance total " << passed << "/" << cases.size() << "\n";
  std::cout << "conformance legacy-tests.json " << legacy_passed << "/" << legacy.size() << "\n";
  EXPECT_EQ(order.size(), 48u);
  EXPECT_EQ(cases.size(), 1138u);
  EXPECT_EQ(passed, cases.size());
  EXPECT_EQ(legacy.size(), 277u);
  EXPECT_EQ(legacy_passed, legacy.size());
}

}  // namespace
