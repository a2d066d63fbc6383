// RuleSet: rules compiled together and evaluated over one document at a time
// must give, rule by rule, exactly what each rule gives alone
// (Rule::evaluate(data), plain JsonLogic): the same kind, value, error.
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "logic_conformance_cases.hpp"
#include "logic_test_support.hpp"
#include "trialscreen/logic.hpp"

namespace {

using nlohmann::json;
using trialscreen::Diagnostics;
using trialscreen::logic::Outcome;
using trialscreen::logic::Rule;
using trialscreen::logic::RuleSet;

// What each of `rules` gives alone over `data`.
std::vector<Outcome> alone(const json& rules, const json& data) {
  std::vector<Outcome> outcomes;
  for (const json& rule : rules) {
    Diagnostics errors;
    const std::optional<Rule> compiled = Rule::compile(rule, errors);
    outcomes.push_back(compiled ? compiled->evaluate(data) : Outcome{});
  }
  return outcomes;
}

void expect_each_identical(const std::vector<Outcome>& got, const std::vector<Outcome>& expected, const std::string& where) {
  ASSERT_EQ(got.size(), expected.size()) << where;
  for (std::size_t i = 0; i < got.size(); ++i) {
    logic_test::expect_identical(got[i], expected[i], where + " (rule " + std::to_string(i) + ")");
  }
}

TEST(LogicRuleSet, EverySuiteCaseGivesWhatItsRuleGivesAlone) {
  // Each case's rule in a set with two others that read names of their own
  // and the case's names, so the set numbers more names than the case reads.
  const json others = json::parse(R"([{"var": "a"}, {"<": [{"var": "x"}, {"var": "zz"}, 10]}])");
  std::size_t cases = 0;
  for (const auto& suite : {logic_test::suite_cases(), logic_test::legacy_cases()}) {
    for (const logic_test::SuiteCase& c : suite) {
      Diagnostics errors;
      if (!Rule::compile(c.rule, errors)) continue;  // compile errors: see CompileErrorsNameTheRule
      json rules = json::array({c.rule});
      for (const json& other : others) rules.push_back(other);
      std::optional<RuleSet> set = RuleSet::compile(rules, errors);
      ASSERT_TRUE(set.has_value()) << c.rule.dump();
      const std::vector<Outcome> expected = alone(rules, c.data);
      const std::string where = c.file + " #" + std::to_string(c.number) + " " + c.rule.dump() + " over " + c.data.dump();
      std::vector<Outcome> got;
      set->evaluate(c.data, got);
      expect_each_identical(got, expected, where);
      // The same document as text, and again, with the outcomes kept from the last one.
      for (int round = 0; round < 2; ++round) {
        ASSERT_TRUE(set->evaluate_text(trialscreen::logic::to_json_text(c.data), got, errors)) << where;
        expect_each_identical(got, expected, where + " as text");
      }
      ++cases;
    }
  }
  EXPECT_GT(cases, 1300u);  // of 1,415: the rest do not compile
}

TEST(LogicRuleSet, MembersReadAtOnceStayTheDocumentsOwn) {
  // One set over several documents in turn: a member of the last document
  // is never read for the next one, as text or as a document.
  const json rules = json::parse(R"([
    {"var": "a"}, {"var": "b.c"}, {"missing": ["a", "b"]}, {"+": [{"var": "a"}, {"var": "n"}]},
    {"!=": [{"var": "s"}, "none"]}, {"and": [{"var": "flag"}, {"<": [{"var": "s"}, 2]}]},
    {"if": [{"==": [{"var": "s"}, {"var": "a"}]}, "same", "other"]}, {"var": ""}, {"var": 1}
  ])");
  Diagnostics errors;
  std::optional<RuleSet> set = RuleSet::compile(rules, errors);
  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(set->size(), rules.size());
  EXPECT_FALSE(set->reads_only_variables());  // missing, the whole document
  const json documents[] = {
      json::parse(R"({"a": 1, "b": {"c": "deep"}, "n": 2, "s": "none", "flag": true})"),
      json::parse(R"({"s": null})"),
      json::parse(R"({"a": "1", "s": 1, "flag": true, "a": 5})"),
      json::parse(R"({"b": [1, 2], "n": "x", "s": "2", "other": {"a": 1}})"),
      json::parse(R"({})"),
      json::parse(R"([10, 20, 30])"),
      json(nullptr),
      json("text"),
  };
  std::vector<Outcome> got;
  for (const json& document : documents) {
    set->evaluate(document, got);
    expect_each_identical(got, alone(rules, document), document.dump());
    ASSERT_TRUE(set->evaluate_text(document.dump(), got, errors));
    expect_each_identical(got, alone(rules, document), document.dump() + " as text");
  }
  // A name repeated in the text: its last value counts, as in the document parsed.
  ASSERT_TRUE(set->evaluate_text(R"({"a": 1, "a": 7})", got, errors));
  expect_each_identical(got, alone(rules, json::parse(R"({"a": 7})")), "a repeated name");
}

TEST(LogicRuleSet, RulesReadingOnlyTheirSlotsHaveTheirMembersPlacedFromText) {
  // Every rule reads only named members: evaluate_text places them without
  // building the document, and gives what the rules give alone.
  const json rules = json::parse(R"([{"var": "a"}, {"missing": ["a", "b"]}, {">": [{"var": "b"}, 2]}, {"cat": [{"var": "s"}, "!"]}])");
  Diagnostics errors;
  std::optional<RuleSet> set = RuleSet::compile(rules, errors);
  ASSERT_TRUE(set.has_value());
  std::vector<Outcome> got;
  for (const char* text : {R"({"a": [1, {"x": "y"}], "b": 3, "s": "hi", "z": {"deep": [1]}})", R"({"b": "x"})",
                           R"({"s": "caf\u00e9", "b": 2.5, "b": 1})", "null", "[]", "  {}  "}) {
    ASSERT_TRUE(set->evaluate_text(text, got, errors)) << text;
    const json document = json::parse(text);
    expect_each_identical(got, alone(rules, document), text);
  }
  EXPECT_TRUE(errors.empty());
}

TEST(LogicRuleSet, DataThatIsNoJsonIsAnErrorAndLeavesTheOutcomes) {
  const json rules = json::parse(R"([{"var": "a"}, {"var": ""}])");
  Diagnostics errors;
  std::optional<RuleSet> set = RuleSet::compile(rules, errors);
  ASSERT_TRUE(set.has_value());
  std::vector<Outcome> got;
  ASSERT_TRUE(set->evaluate_text(R"({"a": 1})", got, errors));
  for (const char* text : {R"({"a": 1)", "", R"({"a": tru})"}) {
    errors.clear();
    EXPECT_FALSE(set->evaluate_text(text, got, errors)) << text;
    ASSERT_EQ(errors.size(), 1u) << text;
    EXPECT_EQ(errors[0].id, "json.001") << text;
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].value, 1) << text;  // the last document's outcomes stay
  }
}

TEST(LogicRuleSet, CompileErrorsNameTheRule) {
  Diagnostics errors;
  EXPECT_FALSE(RuleSet::compile(json::parse(R"([{"var": "a"}, {"=>": [1, 2]}, {"if": 5}])"), errors).has_value());
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].id, "rule.104");
  EXPECT_EQ(errors[0].pointer, "/1");
  EXPECT_EQ(errors[1].id, "rule.105");
  EXPECT_EQ(errors[1].pointer, "/2/if");
  EXPECT_EQ(errors[1].format(), "[rule.105] (/2/if) " + errors[1].message);

  errors.clear();
  EXPECT_FALSE(RuleSet::compile(json::parse(R"({"var": "a"})"), errors).has_value());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].id, "rule.112");
  EXPECT_EQ(errors[0].pointer, "");

  // No rules at all is a set of none.
  errors.clear();
  std::optional<RuleSet> empty = RuleSet::compile(json::array(), errors);
  ASSERT_TRUE(empty.has_value());
  std::vector<Outcome> got(3);
  empty->evaluate(json::object(), got);
  EXPECT_TRUE(got.empty());
  EXPECT_TRUE(empty->variables().empty());
}

TEST(LogicRuleSet, NamesTheVariablesOfAllItsRules) {
  Diagnostics errors;
  std::optional<RuleSet> set =
      RuleSet::compile(json::parse(R"([{"var": "b"}, {"<": [{"var": "a.x"}, {"var": "c"}]}, {"var": "b"}])"), errors);
  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(set->variables(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(set->reads_only_variables());
}

}  // namespace
