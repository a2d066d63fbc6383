// An `and` or `or` of comparisons whose sides wait on unanswered variables
// with ranges (BH002's I09, "AST and ALT < 2 x ULN") is worked out without the
// evaluator's machinery when the answers come by slot (evaluate.cpp,
// ComparisonsEvaluator). It must give exactly what the evaluator gives:
// the same kind, value, waiting set and bounds, for every mix of answered,
// null and missing variables, at and around the values where a range
// decides a comparison. The evaluator is what the same rule gets when the
// answers come as a document read by name.
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../../core/src/logic/bounds.hpp"  // DerivedValues::Entry, to compare what is kept
#include "logic_test_support.hpp"
#include "trialscreen/logic.hpp"

namespace {

using nlohmann::json;
using logic_test::range_domain;
using trialscreen::logic::Outcome;
using trialscreen::logic::Rule;

// a and b as lab values and their limits; c a small whole number (its values
// listed: the evaluator tries each); d a derived value; n no domain; s a text.
struct ComparisonsHost : logic_test::SlotHost {
  ComparisonsHost() : SlotHost({"a", "b", "c", "d", "n", "s"}) {
    domains = {{"a", range_domain(1, 10000)}, {"b", range_domain(0, 5000)}, {"c", range_domain(0, 3, true)}};
    options.derived["d"] = json::parse(R"({"*": [{"var": "a"}, 2]})");
  }
};

std::vector<json> comparison_rules() {
  std::vector<json> rules;
  for (const char* op : {"<", "<=", ">", ">="}) {
    const std::string o = op;
    for (const char* combine : {"and", "or"}) {
      const std::string c = combine;
      // I09's shape, the variable on either side.
      rules.push_back(json::parse(R"({")" + c + R"(": [{")" + o + R"(": [{"var": "a"}, {"*": [2, {"var": "b"}]}]},
                                                  {")" + o + R"(": [{"*": [2, {"var": "b"}]}, {"var": "a"}]}]})"));
      // Sums, maxima and minima of ranges and values; three operands.
      rules.push_back(json::parse(R"({")" + c + R"(": [{")" + o + R"(": [{"+": [{"var": "a"}, 5, {"var": "b"}]}, 100]},
                                                  {")" + o + R"(": [{"max": [{"var": "b"}, 3]}, {"-": [{"var": "a"}, 1]}]},
                                                  {")" + o + R"(": [{"min": [{"var": "a"}, {"var": "b"}]}, 20]}]})"));
      // A variable without a domain, one whose values are listed, a derived
      // one, a text, and literals that are no numbers.
      rules.push_back(json::parse(R"({")" + c + R"(": [{")" + o + R"(": [{"var": "n"}, 7]},
                                                  {")" + o + R"(": [{"var": "c"}, 2]},
                                                  {")" + o + R"(": [{"var": "d"}, {"var": "b"}]}]})"));
      // A listed variable beyond all its values; a sum with a text, whose
      // range is none, or that is no number at all.
      rules.push_back(json::parse(R"({")" + c + R"(": [{")" + o + R"(": [{"var": "c"}, 7]},
                                                  {")" + o + R"(": [-1, {"var": "c"}]}]})"));
      rules.push_back(json::parse(R"({")" + c + R"(": [{")" + o + R"(": [{"+": [{"var": "s"}, {"var": "b"}]}, -1]},
                                                  {")" + o + R"(": [{"var": "a"}, 5]}]})"));
      rules.push_back(json::parse(R"({")" + c + R"(": [{")" + o + R"(": [{"var": "a"}, "50"]},
                                                  {")" + o + R"(": [{"var": "b"}, {"var": "s"}]},
                                                  {")" + o + R"(": [true, {"var": "a"}]}]})"));
    }
  }
  // Not of the shape: a comparison chain, an operand that is no comparison.
  rules.push_back(json::parse(R"({"and": [{"<": [0, {"var": "a"}, {"var": "b"}]}, {"<": [{"var": "a"}, 9]}]})"));
  rules.push_back(json::parse(R"({"or": [{"<": [{"var": "a"}, 9]}, {"var": "b"}]})"));
  return rules;
}

// Each variable missing, null, or one of the values around where the
// ranges decide (2 x b beyond a's 10000 or below its 1), and of other types.
std::vector<json> answer_sets() {
  const std::vector<json> a_values = {nullptr, 1, 79.5, 80, 10000, "60"};
  const std::vector<json> b_values = {nullptr, 0, 0.4, 0.5, 40, 5000, 5000.5, true};
  const std::vector<json> other_values = {nullptr, 2, "x"};
  std::vector<json> sets;
  for (std::size_t i = 0; i <= a_values.size(); ++i) {
    for (std::size_t j = 0; j <= b_values.size(); ++j) {
      for (std::size_t k = 0; k <= other_values.size(); ++k) {
        json answers = json::object();
        if (i < a_values.size()) answers["a"] = a_values[i];
        if (j < b_values.size()) answers["b"] = b_values[j];
        if (k < other_values.size()) {
          answers["c"] = other_values[k];
          answers["n"] = other_values[k];
          answers["s"] = other_values[k];
        }
        sets.push_back(answers);
      }
    }
  }
  return sets;
}

TEST(LogicComparisons, AndOrOfComparisonsGiveWhatTheEvaluatorGives) {
  const ComparisonsHost host;
  std::size_t unknown = 0;
  std::size_t decided_with_a_variable_missing = 0;
  for (const json& rule_json : comparison_rules()) {
    const Rule rule = host.compile(rule_json);
    for (const json& answers : answer_sets()) {
      const Outcome by_slot = host.evaluate(rule, answers, true);
      const Outcome by_name = host.evaluate(rule, answers, false);
      logic_test::expect_identical(by_slot, by_name, rule_json.dump() + " over " + answers.dump());
      if (by_slot.is_unknown()) ++unknown;
      if (by_slot.is_value() && (!answers.contains("a") || answers["a"].is_null())) ++decided_with_a_variable_missing;
    }
  }
  // The answers reach every outcome the ranges can give.
  EXPECT_GT(unknown, 100u);
  EXPECT_GT(decided_with_a_variable_missing, 100u);
}

// A derived value that is a quotient, as the creatinine clearance is, is an
// unknown with no bounds when an input is missing: screening keeps it so
// without the evaluator (the plain path's program, open_unknown), and a
// comparison that reads it goes the comparisons' path. Kept and read so, each
// rule must give what the evaluator gives working the value out in place,
// whichever inputs are missing, null or given (a text, a zero divisor, values
// with a list of values or no domain).
TEST(LogicComparisons, AKeptQuotientAndComparisonsOfItGiveWhatTheEvaluatorGives) {
  logic_test::SlotHost host({"age", "c", "crcl", "creat", "n", "ratio", "sex", "weight"});  // sorted, as slots are
  host.domains = {{"age", range_domain(18, 120, true)},
                  {"weight", range_domain(20, 300)},
                  {"creat", range_domain(0.1, 20)},
                  {"c", range_domain(0, 3, true)}};
  trialscreen::logic::Domain sex;
  sex.kind = trialscreen::logic::Domain::Kind::Choice;
  sex.choices = {"female", "male"};
  host.domains["sex"] = sex;
  host.options.derived["crcl"] = json::parse(R"({"*": [{"/": [{"*": [{"-": [140, {"var": "age"}]}, {"var": "weight"}]},
                                                            {"*": [72, {"var": "creat"}]}]},
                                                     {"if": [{"==": [{"var": "sex"}, "female"]}, 0.85, 1]}]})");
  const json ratio_expression = json::parse(R"({"/": [{"+": [{"var": "n"}, {"var": "c"}]}, {"-": [{"var": "weight"}, 1]}]})");
  host.options.derived["ratio"] = ratio_expression;
  const Rule crcl = host.compile(json::parse(R"({"var": "crcl"})"));
  // Kept from its expression alone, ratio's unknown does not name ratio itself: its readers add it.
  const Rule ratio = host.compile(ratio_expression);
  const std::vector<json> rules = {
      json::parse(R"({"var": "crcl"})"),
      json::parse(R"({">=": [{"var": "crcl"}, 30]})"),
      json::parse(R"({"<": [30, {"var": "crcl"}]})"),
      json::parse(R"({">": [{"var": "crcl"}, {"var": "weight"}]})"),
      json::parse(R"({"<=": [{"+": [{"var": "crcl"}, 1]}, 30]})"),
      json::parse(R"({"and": [{">=": [{"var": "crcl"}, 30]}, {"<": [{"var": "weight"}, 200]}]})"),
      json::parse(R"({"or": [{"<": [{"var": "ratio"}, 1]}, {">=": [{"var": "crcl"}, 30]}]})"),
      json::parse(R"({">=": [{"var": "ratio"}, 0.5]})"),
  };
  // nullopt: no answer; a null answer is unanswered too.
  using Answer = std::optional<json>;
  const std::vector<Answer> ages = {std::nullopt, json(), 18, 60};
  const std::vector<Answer> weights = {std::nullopt, 70.5, 300, "70"};
  const std::vector<Answer> creats = {std::nullopt, json(), 0, 1.2};
  const std::vector<Answer> sexes = {std::nullopt, "female", "male"};
  const std::vector<Answer> others = {std::nullopt, 2};
  std::vector<json> answer_sets;
  for (const Answer& age : ages) {
    for (const Answer& weight : weights) {
      for (const Answer& creat : creats) {
        for (const Answer& s : sexes) {
          for (const Answer& other : others) {
            json answers = json::object();
            if (age) answers["age"] = *age;
            if (weight) answers["weight"] = *weight;
            if (creat) answers["creat"] = *creat;
            if (s) answers["sex"] = *s;
            if (other) answers["c"] = answers["n"] = *other;
            answer_sets.push_back(answers);
          }
        }
      }
    }
  }
  std::size_t unknown = 0;
  for (const json& rule_json : rules) {
    const Rule rule = host.compile(rule_json);
    for (const json& answers : answer_sets) {
      const std::string where = rule_json.dump() + " over " + answers.dump();
      std::vector<const json*> slot_values;
      for (const std::string& name : host.slots) slot_values.push_back(answers.contains(name) ? &answers.at(name) : nullptr);
      trialscreen::logic::Bindings by_name;
      by_name.missing_is_unknown = true;
      by_name.domains = &host.domains;
      trialscreen::logic::Bindings by_slot = by_name;
      by_slot.slot_values = &slot_values;
      trialscreen::logic::DerivedValues kept;
      kept.record("crcl", crcl, answers, by_slot);
      kept.record("ratio", ratio, answers, by_slot);
      // What is kept is what the evaluator keeps.
      trialscreen::logic::DerivedValues evaluated;
      evaluated.record("crcl", crcl, answers, by_name);
      evaluated.record("ratio", ratio, answers, by_name);
      for (const char* name : {"crcl", "ratio"}) {
        const auto* got = kept.find(name);
        const auto* expected = evaluated.find(name);
        ASSERT_EQ(got == nullptr, expected == nullptr) << name << " over " << answers.dump();
        if (got == nullptr) continue;
        EXPECT_EQ(got->known, expected->known) << name << " over " << answers.dump();
        EXPECT_EQ(trialscreen::logic::to_json_text(got->value), trialscreen::logic::to_json_text(expected->value));
        EXPECT_EQ(got->waiting, expected->waiting) << name << " over " << answers.dump();
        EXPECT_EQ(got->bounds.finite, expected->bounds.finite) << name << " over " << answers.dump();
        EXPECT_EQ(got->bounds.numeric, expected->bounds.numeric) << name << " over " << answers.dump();
        EXPECT_EQ(got->bounds.lo, expected->bounds.lo) << name << " over " << answers.dump();
        EXPECT_EQ(got->bounds.hi, expected->bounds.hi) << name << " over " << answers.dump();
      }
      by_slot.derived = &kept;
      Outcome handed;
      rule.evaluate(answers, by_slot, handed);
      Outcome in_place;
      rule.evaluate(answers, by_name, in_place);
      logic_test::expect_identical(handed, in_place, where);
      if (in_place.is_unknown()) ++unknown;
    }
  }
  EXPECT_GT(unknown, 500u) << "the answers must leave the quotients unknown often";
}

}  // namespace
