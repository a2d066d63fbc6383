// The plain path: a rule over answered values read by slot is worked out
// without the three-valued machinery (evaluate.cpp, PlainEvaluator; natively
// a rule it takes whole is first run as a flat program of steps). It must
// give exactly what the full evaluator gives: the same kind, the same value
// with its JSON type (6 and 6.0 differ), the same error. The full evaluator
// is what a rule gets when the answers come as a document without slots.
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "logic_test_support.hpp"
#include "trialscreen/logic.hpp"

namespace {

using nlohmann::json;
using trialscreen::logic::Bindings;
using trialscreen::logic::Outcome;
using trialscreen::logic::Rule;

// The plain path's host: a derived value among the slots, as a trial's score
// or clearance is one; no domains.
struct PlainHost : logic_test::SlotHost {
  PlainHost() : SlotHost({"a", "b", "d", "flag", "s"}) {
    options.derived["d"] = json::parse(R"({"*": [{"/": [{"-": [140, {"var": "a"}]}, {"var": "b"}]}, {"if": [{"==": [{"var": "s"}, "f"]}, 0.85, 1]}]})");
  }
};

// a + 1 + 1 ..., `depth` sums deep.
json nested_sums(int depth) {
  json rule = {{"var", "a"}};
  for (int i = 0; i < depth; ++i) rule = {{"+", {rule, 1}}};
  return rule;
}

// a + b + 1 + 2 ..., `count` arguments.
json wide_sum(int count) {
  json arguments = {{{"var", "a"}}, {{"var", "b"}}};
  for (int i = 2; i < count; ++i) arguments.push_back(i);
  return {{"+", arguments}};
}

// Rules of every operator the plain path takes, and of some it does not.
std::vector<json> plain_rules() {
  return {
      json::parse(R"({"var": "a"})"),
      json::parse(R"({"var": "d"})"),
      json::parse(R"({">=": [{"var": "d"}, 30]})"),
      json::parse(R"({"*": [{"var": "a"}, 2]})"),
      json::parse(R"({"+": [{"var": "a"}, {"var": "b"}, 0.5]})"),
      json::parse(R"({"-": [{"var": "a"}]})"),
      json::parse(R"({"-": [{"var": "a"}, {"var": "b"}]})"),
      json::parse(R"({"/": [{"var": "a"}, {"var": "b"}]})"),
      json::parse(R"({"/": [{"var": "b"}]})"),
      json::parse(R"({"*": [{"var": "a"}, 1e308, 10]})"),
      json::parse(R"({"max": [{"var": "a"}, {"var": "b"}, 3]})"),
      json::parse(R"({"min": [{"var": "a"}, {"var": "b"}]})"),
      json::parse(R"({"<": [{"var": "a"}, {"*": [2, {"var": "b"}]}]})"),
      json::parse(R"({"<": [0, {"var": "a"}, {"var": "b"}]})"),
      json::parse(R"({"<=": [{"var": "a"}, {"var": "b"}, 10]})"),
      json::parse(R"({"==": [{"var": "a"}, {"var": "b"}]})"),
      json::parse(R"({"!=": [{"var": "s"}, "f"]})"),
      json::parse(R"({"==": [{"var": "flag"}, 1]})"),
      json::parse(R"({">": [{"var": "s"}, {"var": "a"}]})"),
      json::parse(R"({"and": [{"<": [{"var": "a"}, 70]}, {"var": "b"}]})"),
      json::parse(R"({"or": [{"var": "flag"}, {"var": "a"}, {"var": "s"}]})"),
      json::parse(R"({"and": [{"var": "s"}, {"+": [{"var": "a"}, 1]}]})"),
      json::parse(R"({"if": [{"var": "flag"}, {"var": "a"}, {"var": "s"}, 1.5, {"*": [{"var": "b"}, 1]}]})"),
      json::parse(R"({"if": [{"var": "flag"}, "yes"]})"),
      json::parse(R"({"!": {"var": "a"}})"),
      json::parse(R"({"!!": [{"var": "s"}]})"),
      json::parse(R"({"cat": [{"var": "s"}, {"var": "a"}]})"),
      json::parse(R"({"if": []})"),
      json::parse(R"({"if": [{"var": "flag"}, {"var": "d"}, {"-": [{"var": "d"}, 1]}]})"),
      json::parse(R"({"<": [{"var": "b"}, 0, {"var": "s"}]})"),
      json::parse(R"({"and": [{"var": "flag"}, {"==": [{"var": "s"}, "f"]}, {"/": [{"var": "a"}, {"var": "b"}]}]})"),
      json::parse(R"({"or": [{"!": [{"var": "flag"}]}, {"max": [{"var": "d"}, {"var": "b"}]}]})"),
      // Two values that cannot be compared: the evaluator's error, passed
      // on by every operator above the comparison as the evaluator passes it.
      json::parse(R"({"and": [true, {"!=": [{"var": "a"}, "x"]}]})"),
      json::parse(R"({"or": [{"==": [{"var": "s"}, {"var": "a"}]}, {"var": "flag"}]})"),
      json::parse(R"({"if": [{"<": [{"var": "s"}, 1]}, 1, {">": [{"var": "s"}, {"var": "b"}]}]})"),
      json::parse(R"({"<": [{"var": "b"}, {"var": "s"}, {"!=": [{"var": "a"}, "z"]}]})"),
      json::parse(R"({"+": [1, {"!": {"<": [{"var": "s"}, {"*": [{"var": "a"}, 2]}]}}]})"),
      json::parse(R"({">=": [{"/": [{"var": "a"}, 4]}, {"var": "s"}]})"),
      json::parse(R"({"==": [{"<": [{"var": "a"}, "x"]}, {"<": [{"var": "s"}, 1]}]})"),
      // Dates: date_add worked out on the plain path natively, a text that
      // is no date, a count that is no whole number or no number, a unit
      // that is none left to the evaluator.
      json::parse(R"({"date_add": [{"var": "s"}, {"var": "a"}, "day"]})"),
      json::parse(R"({">": [{"date_add": [{"var": "s"}, 1, "month"]}, "2026-03-15"]})"),
      json::parse(R"({"date_add": [{"var": "s"}, {"*": [{"var": "b"}, 2]}, "year"]})"),
      json::parse(R"({"and": [{"!=": [{"var": "s"}, "none"]}, {"<": [{"date_add": [{"var": "s"}, 7, "day"]}, "2026-03-01"]}]})"),
      json::parse(R"({"date_add": [{"var": "s"}, 1, {"var": "s"}]})"),
      json::parse(R"({"==": [{"date_add": [{"date_add": [{"var": "s"}, 1, "day"]}, -1, "day"]}, {"var": "s"}]})"),
      // `missing` of literal names (plain JsonLogic only: a screening's
      // unanswered name is unknown), `!` and `!!` of one expression, whose
      // array value the evaluator spreads; a path, a computed name or an
      // empty name is left to the evaluator.
      json::parse(R"({"missing": ["a", "s", "flag"]})"),
      json::parse(R"({"missing": [["s", "b"], "a"]})"),
      json::parse(R"({"!": {"missing": ["s"]}})"),
      json::parse(R"({"!!": {"missing": ["a", "flag"]}})"),
      json::parse(R"({"or": [{"!": {"missing": ["a"]}}, {"var": "flag"}]})"),
      json::parse(R"({"missing": ["a.x"]})"),
      json::parse(R"({"missing": [{"var": "s"}]})"),
      json::parse(R"({"missing": [""]})"),
      json::parse(R"({"!": {"var": "a"}})"),
      json::parse(R"({"!!": {"var": "s"}})"),
      // Branches: an operand the recursion would not reach is not worked out
      // (a `cat`, which the plain path does not take, a comparison that
      // fails).
      json::parse(R"({"if": [{"var": "flag"}, {"cat": [{"var": "s"}]}, {"+": [{"var": "a"}, 1]}]})"),
      json::parse(R"({"if": [{"<": [{"var": "a"}, 10]}, {"var": "s"}, {">": [{"var": "s"}, 1]}, 2, {"var": "b"}]})"),
      json::parse(R"({"and": [{"var": "flag"}, {"<": [{"var": "s"}, 1]}]})"),
      json::parse(R"({"or": [{"var": "a"}, {"cat": [{"var": "s"}]}, {"var": "b"}]})"),
      json::parse(R"({"+": [{"if": [{"var": "flag"}, 8, 0]}, {"if": [{"var": "a"}, 4, 0]}, {"if": [{"var": "s"}, 2, 0]}]})"),
      // Errors the program meets where the recursion meets them: an
      // operand after one that is no number (the evaluator works out every
      // operand first), an `if` of two literals over a failing condition;
      // not in a chain of three, which the recursion may stop before.
      json::parse(R"({"+": [{"var": "s"}, {"<": [{"var": "a"}, "x"]}]})"),
      json::parse(R"({"if": [{"<": [{"var": "s"}, {"var": "a"}]}, 1, 2]})"),
      json::parse(R"({"<": [{"var": "a"}, 10, {"<": [{"var": "s"}, 1]}]})"),
      nested_sums(40),  // deeper than the plain path goes
      wide_sum(24),     // more values at once than a program held before (16)
      wide_sum(40),     // more values at once than a program holds
  };
}

TEST(LogicPlainPath, ARuleOverAnsweredValuesGivesWhatTheFullEvaluatorGives) {
  PlainHost host;
  const std::vector<json> rules = plain_rules();
  const json as[] = {0, 25, 70.0, 7.5, -3, "12"};
  const json bs[] = {0, 2, 0.5, 1e-3, 100};
  const json flags[] = {true, false};
  const json ss[] = {"f", "m", "", "8", "2026-02-28"};
  std::vector<Rule> compiled;
  for (const json& rule : rules) compiled.push_back(host.compile(rule));
  std::size_t cases = 0;
  for (std::size_t r = 0; r < rules.size(); ++r) {
    for (const json& a : as) {
      for (const json& b : bs) {
        for (const json& flag : flags) {
          for (const json& s : ss) {
            const json answers = {{"a", a}, {"b", b}, {"flag", flag}, {"s", s}};
            const std::string where = rules[r].dump() + " over " + answers.dump();
            logic_test::expect_identical(host.evaluate(compiled[r], answers, true), host.evaluate(compiled[r], answers, false), where);
            ++cases;
          }
        }
      }
    }
    // The derived value answered: its answer, not its expression.
    for (const json& d : {json(40), json(20.5), json("7")}) {
      const json answers = {{"a", 25}, {"b", 2}, {"flag", false}, {"s", "f"}, {"d", d}};
      logic_test::expect_identical(host.evaluate(compiled[r], answers, true), host.evaluate(compiled[r], answers, false),
                                   rules[r].dump() + " over " + answers.dump());
    }
    // One answer missing: unknown (or decided without it) either way.
    const json partial = {{"a", 25}, {"flag", true}, {"s", "f"}};
    logic_test::expect_identical(host.evaluate(compiled[r], partial, true), host.evaluate(compiled[r], partial, false),
                     rules[r].dump() + " over " + partial.dump());
  }
  EXPECT_EQ(cases, rules.size() * 6 * 5 * 2 * 5);
}

TEST(LogicPlainPath, PlainJsonLogicReadByNameGivesWhatTheFullEvaluatorGives) {
  // Plain JsonLogic (no slots, no unknowns: `trialscreen logic`, the JS
  // compileLogic().apply()) reads a document's members by name on the plain
  // path. It must give what the full evaluator gives for the same document,
  // with members that are null, arrays, objects or missing among them (which
  // the plain path leaves to the evaluator).
  const std::vector<json> rules = plain_rules();
  const json as[] = {0, 25, 70.0, "12", nullptr, json::array({3}), json::object({{"x", 1}})};
  const json bs[] = {2, 1e-3, true};
  const json ss[] = {"f", "", json::array(), "2024-01-31"};
  std::size_t cases = 0;
  for (const json& rule : rules) {
    trialscreen::Diagnostics errors;
    const std::optional<Rule> compiled = Rule::compile(rule, errors);
    ASSERT_TRUE(compiled.has_value()) << rule;
    for (const json& a : as) {
      for (const json& b : bs) {
        for (const json& s : ss) {
          for (bool with_flag : {true, false}) {
            json data = {{"a", a}, {"b", b}, {"s", s}};
            if (with_flag) data["flag"] = false;
            // Bindings that name domains (none) are not plain JsonLogic's:
            // the full evaluator works the rule out, reading the same way.
            const std::map<std::string, trialscreen::logic::Domain> no_domains;
            Bindings full;
            full.domains = &no_domains;
            Outcome expected;
            compiled->evaluate(data, full, expected);
            logic_test::expect_identical(compiled->evaluate(data), expected, rule.dump() + " over " + data.dump());
            ++cases;
          }
        }
      }
    }
  }
  EXPECT_EQ(cases, rules.size() * 7 * 3 * 4 * 2);
}

TEST(LogicPlainPath, WholeNumbersWorkedOutAreIntegersAndOthersStayFractions) {
  // What the result JSON prints: an integer where the arithmetic is whole.
  PlainHost host;
  const Rule twice = host.compile(json::parse(R"({"*": [{"var": "a"}, 2]})"));
  const Rule answer = host.compile(json::parse(R"({"var": "a"})"));
  EXPECT_EQ(trialscreen::logic::to_json_text(host.evaluate(twice, {{"a", 7.5}}, true).value), "15");
  EXPECT_EQ(trialscreen::logic::to_json_text(host.evaluate(twice, {{"a", 0.3}}, true).value), "0.6");
  // An answer read as it is keeps its own type.
  EXPECT_EQ(trialscreen::logic::to_json_text(host.evaluate(answer, {{"a", 70.0}}, true).value), "70.0");
}

}  // namespace
