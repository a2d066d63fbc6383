// Unknown as a value (Bindings::missing_is_unknown): Kleene truth tables,
// short-circuiting, waiting sets, bounds from domains, derived variables.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "logic_test_support.hpp"

namespace {

using nlohmann::json;
using trialscreen::logic::Bindings;
using trialscreen::logic::CompileOptions;
using trialscreen::logic::Domain;
using trialscreen::logic::Outcome;
using Strings = std::vector<std::string>;

Domain boolean_domain() {
  Domain d;
  d.kind = Domain::Kind::Boolean;
  return d;
}

using logic_test::range_domain;

Domain choice_domain(std::vector<json> choices) {
  Domain d;
  d.kind = Domain::Kind::Choice;
  d.choices = std::move(choices);
  return d;
}

// Screening evaluation over `data` with the given domains.
Outcome screen(const json& rule, const json& data, const std::map<std::string, Domain>& domains = {},
               const CompileOptions& options = {}) {
  Bindings bindings;
  bindings.missing_is_unknown = true;
  bindings.domains = &domains;
  return logic_test::run(rule, data, bindings, options);
}

// ---- Kleene truth tables over true / false / unknown ----

enum class K { T, F, U };
const K kAll[] = {K::T, K::F, K::U};

// An operand: a literal, or an unanswered variable named after its position.
json operand(K k, int position) {
  if (k == K::T) return true;
  if (k == K::F) return false;
  return {{"var", "u" + std::to_string(position)}};
}

K truth(const Outcome& outcome) {
  if (outcome.is_unknown()) return K::U;
  EXPECT_TRUE(outcome.is_value()) << logic_test::describe(outcome);
  return trialscreen::logic::truthy(outcome.value) ? K::T : K::F;
}

K kleene_and(K a, K b) {
  if (a == K::F || b == K::F) return K::F;
  if (a == K::U || b == K::U) return K::U;
  return K::T;
}
K kleene_or(K a, K b) {
  if (a == K::T || b == K::T) return K::T;
  if (a == K::U || b == K::U) return K::U;
  return K::F;
}
K kleene_not(K a) { return a == K::U ? K::U : (a == K::T ? K::F : K::T); }

const char* name(K k) { return k == K::T ? "true" : (k == K::F ? "false" : "unknown"); }

TEST(LogicKleene, AndOrTruthTablesOverThreeOperands) {
  for (K a : kAll) {
    for (K b : kAll) {
      for (K c : kAll) {
        const json operands = {operand(a, 1), operand(b, 2), operand(c, 3)};
        const K want_and = kleene_and(kleene_and(a, b), c);
        const K want_or = kleene_or(kleene_or(a, b), c);
        const Outcome got_and = screen({{"and", operands}}, json::object());
        const Outcome got_or = screen({{"or", operands}}, json::object());
        EXPECT_EQ(truth(got_and), want_and) << "and " << name(a) << " " << name(b) << " " << name(c);
        EXPECT_EQ(truth(got_or), want_or) << "or " << name(a) << " " << name(b) << " " << name(c);
        // An undecided result waits on exactly the unknown operands.
        Strings unknowns;
        if (a == K::U) unknowns.push_back("u1");
        if (b == K::U) unknowns.push_back("u2");
        if (c == K::U) unknowns.push_back("u3");
        if (want_and == K::U) {
          EXPECT_EQ(got_and.waiting_on, unknowns);
        }
        if (want_or == K::U) {
          EXPECT_EQ(got_or.waiting_on, unknowns);
        }
      }
    }
  }
}

TEST(LogicKleene, NotAndDoubleNegationTruthTables) {
  for (K a : kAll) {
    EXPECT_EQ(truth(screen({{"!", {operand(a, 1)}}}, json::object())), kleene_not(a)) << name(a);
    EXPECT_EQ(truth(screen({{"!!", {operand(a, 1)}}}, json::object())), a) << name(a);
  }
  const Outcome negated = screen({{"!", {{{"var", "x"}}}}}, json::object());
  EXPECT_EQ(negated.waiting_on, Strings{"x"});
}

TEST(LogicKleene, IfTruthTable) {
  for (K c : kAll) {
    for (K then_value : kAll) {
      for (K else_value : kAll) {
        const json rule = {{"if", {operand(c, 1), operand(then_value, 2), operand(else_value, 3)}}};
        K want;
        if (c == K::T) {
          want = then_value;
        } else if (c == K::F) {
          want = else_value;
        } else {
          want = (then_value == else_value && then_value != K::U) ? then_value : K::U;
        }
        EXPECT_EQ(truth(screen(rule, json::object())), want)
            << "if " << name(c) << " then " << name(then_value) << " else " << name(else_value);
      }
    }
  }
}

TEST(LogicKleene, IfOnUnknownIsDecidedWhenEveryReachableBranchAgrees) {
  const Outcome same = screen({{"if", {{{"var", "c"}}, "yes", {{"var", "d"}}, "yes", "yes"}}}, json::object());
  ASSERT_TRUE(same.is_value()) << logic_test::describe(same);
  EXPECT_EQ(same.value, "yes");
  const Outcome differs = screen({{"if", {{{"var", "c"}}, "yes", {{"var", "d"}}, "yes", "no"}}}, json::object());
  ASSERT_TRUE(differs.is_unknown());
  EXPECT_EQ(differs.waiting_on, (Strings{"c", "d"}));
  // A branch after a condition decided true is not reachable.
  const Outcome cut = screen({{"if", {{{"var", "c"}}, "yes", true, "yes", "no"}}}, json::object());
  ASSERT_TRUE(cut.is_value());
  EXPECT_EQ(cut.value, "yes");
}

TEST(LogicKleene, ComparisonsOverKnownAndUnknownOperands) {
  const char* operators[] = {"==", "!=", "===", "!==", "<", "<=", ">", ">="};
  for (const char* op : operators) {
    for (bool left_known : {true, false}) {
      for (bool right_known : {true, false}) {
        const json left = left_known ? json(3) : json{{"var", "l"}};
        const json right = right_known ? json(5) : json{{"var", "r"}};
        const Outcome got = screen({{op, {left, right}}}, json::object());
        if (left_known && right_known) {
          const Outcome plain = logic_test::run({{op, {3, 5}}}, nullptr);
          EXPECT_EQ(got.value, plain.value) << op;
        } else {
          ASSERT_TRUE(got.is_unknown()) << op << " " << logic_test::describe(got);
          Strings waiting;
          if (!left_known) waiting.push_back("l");
          if (!right_known) waiting.push_back("r");
          EXPECT_EQ(got.waiting_on, waiting) << op;
        }
      }
    }
  }
}

TEST(LogicKleene, ArithmeticOnUnknownIsUnknown) {
  for (const char* op : {"+", "-", "*", "/", "%", "max", "min"}) {
    const Outcome got = screen({{op, {{{"var", "x"}}, 2}}}, json::object());
    EXPECT_TRUE(got.is_unknown()) << op;
    EXPECT_EQ(got.waiting_on, Strings{"x"}) << op;
  }
}

TEST(LogicKleene, ShortCircuitAfterADecidingOperandEvaluatesNothingMore) {
  const json thrown = {{"throw", "must not run"}};
  const json unknown = {{"var", "u"}};
  // false decides `and` even after an unknown; the throw after it never runs.
  EXPECT_EQ(screen({{"and", {false, thrown}}}, json::object()).value, false);
  EXPECT_EQ(screen({{"and", {unknown, false, thrown}}}, json::object()).value, false);
  EXPECT_EQ(screen({{"or", {true, thrown}}}, json::object()).value, true);
  EXPECT_EQ(screen({{"or", {unknown, true, thrown}}}, json::object()).value, true);
  EXPECT_EQ(screen({{"if", {false, thrown, "no"}}}, json::object()).value, "no");
  EXPECT_EQ(screen({{"<", {5, 1, thrown}}}, json::object()).value, false);
  // An error that only some answers would reach leaves the result unknown.
  const Outcome maybe = screen({{"and", {unknown, thrown}}}, json::object());
  ASSERT_TRUE(maybe.is_unknown()) << logic_test::describe(maybe);
  EXPECT_EQ(maybe.waiting_on, Strings{"u"});
}

TEST(LogicKleene, KnownOperandsKeepJsonLogicValues) {
  EXPECT_EQ(screen({{"and", {1, "x", {{"var", "a"}}}}}, {{"a", 7}}).value, 7);
  EXPECT_EQ(screen({{"or", {0, "", {{"var", "a"}}}}}, {{"a", "hit"}}).value, "hit");
  EXPECT_EQ(screen({{"and", {1, 0, {{"var", "a"}}}}}, json::object()).value, 0);
}

TEST(LogicUnknown, MissingOrNullTopLevelVariablesAreUnknownOnlyWhenAsked) {
  const json rule = {{"==", {{{"var", "hemoglobin"}}, nullptr}}};
  EXPECT_TRUE(screen(rule, json::object()).is_unknown());
  EXPECT_TRUE(screen(rule, {{"hemoglobin", nullptr}}).is_unknown());
  EXPECT_TRUE(screen(rule, nullptr).is_unknown());
  // Plain JsonLogic: a missing variable is null.
  EXPECT_EQ(logic_test::run(rule, json::object()).value, true);
  // A default is the rule author's answer for "missing".
  EXPECT_EQ(screen({{"var", {"x", 5}}}, json::object()).value, 5);
  // A path inside an unanswered variable waits on the variable.
  EXPECT_EQ(screen({{"var", "labs.alt"}}, json::object()).waiting_on, Strings{"labs"});
  // Inside an iterator, var reads the element, not the answers.
  EXPECT_EQ(screen({{"map", {{1, 2}, {{"var", "q"}}}}}, json::object()).value, json::array({nullptr, nullptr}));
}

TEST(LogicUnknown, WaitingOnIsSortedAndUnique) {
  const json rule = {{"and", {{{"var", "zeta"}}, {{"var", "alpha"}}, {{"var", "zeta"}}, {{"var", "mid"}}}}};
  EXPECT_EQ(screen(rule, json::object()).waiting_on, (Strings{"alpha", "mid", "zeta"}));
}

TEST(LogicUnknown, AnOutcomeReusedForTheNextEvaluationHoldsWhatAFreshOneWould) {
  std::map<std::string, Domain> domains;
  domains["n"] = range_domain(0, 10);
  Bindings bindings;
  bindings.missing_is_unknown = true;
  bindings.domains = &domains;
  const json data = {{"s", "x"}};
  // A value, an unknown with bounds, a thrown error, a borrowed string, an
  // unknown waiting on two: every one evaluated after every other.
  const std::vector<json> rules = {
      {{"+", {1, 2}}},
      {{"+", {{{"var", "n"}}, 1}}},
      {{"throw", "boom"}},
      {{"var", "s"}},
      {{"and", {{{"var", "a"}}, {{"var", "b"}}}}},
  };
  std::vector<trialscreen::logic::Rule> compiled;
  for (const json& rule : rules) {
    trialscreen::Diagnostics errors;
    compiled.push_back(std::move(*trialscreen::logic::Rule::compile(rule, errors)));
  }
  for (const auto& before : compiled) {
    for (const auto& after : compiled) {
      Outcome reused;
      before.evaluate(data, bindings, reused);
      after.evaluate(data, bindings, reused);
      const Outcome fresh = after.evaluate(data, bindings);
      EXPECT_EQ(reused.kind, fresh.kind) << logic_test::describe(fresh);
      EXPECT_EQ(reused.value, fresh.value);
      EXPECT_EQ(reused.waiting_on, fresh.waiting_on);
      EXPECT_EQ(reused.waiting_slots, fresh.waiting_slots);
      EXPECT_EQ(reused.lower, fresh.lower);
      EXPECT_EQ(reused.upper, fresh.upper);
      EXPECT_EQ(reused.error_type, fresh.error_type);
      EXPECT_EQ(reused.error_message, fresh.error_message);
      EXPECT_EQ(reused.error_id, fresh.error_id);
      EXPECT_EQ(reused.error_pointer, fresh.error_pointer);
      EXPECT_EQ(reused.thrown, fresh.thrown);
    }
  }
}

// ---- bounds ----

// The issue's example: three booleans worth 8, 4 and 2 points against 8.
const json kWeightedSum = {{">=",
                            {{{"+",
                               {{{"if", {{{"var", "a"}}, 8, 0}}},
                                {{"if", {{{"var", "b"}}, 4, 0}}},
                                {{"if", {{{"var", "c"}}, 2, 0}}}}}},
                             8}}};

std::map<std::string, Domain> booleans(const Strings& names) {
  std::map<std::string, Domain> domains;
  for (const auto& n : names) domains[n] = boolean_domain();
  return domains;
}

TEST(LogicBounds, WeightedBooleanSumIsDecidedByBounds) {
  const auto domains = booleans({"a", "b", "c"});
  EXPECT_EQ(screen(kWeightedSum, {{"a", true}}, domains).value, true);
  EXPECT_EQ(screen(kWeightedSum, {{"a", false}}, domains).value, false) << "4 + 2 cannot reach 8";
  const Outcome open = screen(kWeightedSum, {{"b", true}, {"c", true}}, domains);
  ASSERT_TRUE(open.is_unknown());
  EXPECT_EQ(open.waiting_on, Strings{"a"});
}

TEST(LogicBounds, WaitingOnLeavesOutVariablesThatCannotChangeTheDecision) {
  const auto domains = booleans({"a", "b", "c"});
  // With c true: a decides (8+0+2 >= 8, 0+4+2 < 8); b can never tip it.
  const Outcome got = screen(kWeightedSum, {{"c", true}}, domains);
  ASSERT_TRUE(got.is_unknown());
  EXPECT_EQ(got.waiting_on, Strings{"a"});
  // Nothing answered: only a matters as well.
  EXPECT_EQ(screen(kWeightedSum, json::object(), domains).waiting_on, Strings{"a"});
  // Threshold 10: all three can tip it (8+4, 8+2); threshold 12: c cannot (8+4 needs no 2).
  json rule = kWeightedSum;
  rule[">="][1] = 10;
  EXPECT_EQ(screen(rule, json::object(), domains).waiting_on, (Strings{"a", "b", "c"}));
  rule[">="][1] = 12;
  EXPECT_EQ(screen(rule, json::object(), domains).waiting_on, (Strings{"a", "b"}));
}

TEST(LogicBounds, NumericRangesPropagateThroughArithmeticAndDecideComparisons) {
  const std::map<std::string, Domain> domains = {{"age", range_domain(18, 90)}, {"weight", range_domain(30, 200)}};
  EXPECT_EQ(screen({{">=", {{{"var", "age"}}, 18}}}, json::object(), domains).value, true);
  EXPECT_EQ(screen({{"<", {{{"var", "age"}}, 10}}}, json::object(), domains).value, false);
  EXPECT_EQ(screen({{"<=", {10, {{"var", "age"}}, 100}}}, json::object(), domains).value, true);
  const Outcome open = screen({{">", {{{"var", "age"}}, 50}}}, json::object(), domains);
  ASSERT_TRUE(open.is_unknown());
  EXPECT_EQ(open.waiting_on, Strings{"age"});

  const Outcome sum = screen({{"+", {{{"var", "age"}}, 1}}}, json::object(), domains);
  ASSERT_TRUE(sum.is_unknown());
  EXPECT_EQ(sum.lower, 19);
  EXPECT_EQ(sum.upper, 91);
  const Outcome product = screen({{"*", {{{"var", "age"}}, {{"var", "weight"}}}}}, json::object(), domains);
  EXPECT_EQ(product.lower, 18 * 30);
  EXPECT_EQ(product.upper, 90 * 200);
  const Outcome difference = screen({{"-", {{{"var", "age"}}, {{"var", "weight"}}}}}, json::object(), domains);
  EXPECT_EQ(difference.lower, 18 - 200);
  EXPECT_EQ(difference.upper, 90 - 30);
  const Outcome highest = screen({{"max", {{{"var", "age"}}, 50}}}, json::object(), domains);
  EXPECT_EQ(highest.lower, 50);
  EXPECT_EQ(highest.upper, 90);
  const Outcome lowest = screen({{"min", {{{"var", "age"}}, 50}}}, json::object(), domains);
  EXPECT_EQ(lowest.lower, 18);
  EXPECT_EQ(lowest.upper, 50);
  // 140 - age lies in [50, 122]: ">= 50" is decided through "-" and "+".
  EXPECT_EQ(screen({{">=", {{{"+", {{{"-", {140, {{"var", "age"}}}}}, 0}}}, 50}}}, json::object(), domains).value,
            true);
}

TEST(LogicBounds, RangeAwayFromZeroIsTruthyAndBooleanIsUndecided) {
  const std::map<std::string, Domain> domains = {{"age", range_domain(18, 90)},
                                                 {"delta", range_domain(-5, 5)},
                                                 {"flag", boolean_domain()}};
  EXPECT_EQ(screen({{"if", {{{"var", "age"}}, "yes", "no"}}}, json::object(), domains).value, "yes");
  EXPECT_EQ(screen({{"!", {{{"var", "age"}}}}}, json::object(), domains).value, false);
  EXPECT_TRUE(screen({{"!!", {{{"var", "delta"}}}}}, json::object(), domains).is_unknown());
  EXPECT_TRUE(screen({{"!!", {{{"var", "flag"}}}}}, json::object(), domains).is_unknown());
  EXPECT_EQ(screen({{"and", {{{"<", {{{"var", "age"}}, 10}}}, {{"var", "flag"}}}}}, json::object(), domains).value,
            false);
}

TEST(LogicBounds, ChoiceDomainsDecideEqualityAndMembership) {
  const std::map<std::string, Domain> domains = {{"sex", choice_domain({"male", "female"})}};
  EXPECT_EQ(screen({{"==", {{{"var", "sex"}}, "other"}}}, json::object(), domains).value, false);
  EXPECT_EQ(screen({{"!=", {{{"var", "sex"}}, "other"}}}, json::object(), domains).value, true);
  EXPECT_EQ(screen({{"in", {{{"var", "sex"}}, {"male", "female", "other"}}}}, json::object(), domains).value, true);
  EXPECT_EQ(screen({{"in", {{{"var", "sex"}}, {"other"}}}}, json::object(), domains).value, false);
  const Outcome open = screen({{"==", {{{"var", "sex"}}, "male"}}}, json::object(), domains);
  ASSERT_TRUE(open.is_unknown());
  EXPECT_EQ(open.waiting_on, Strings{"sex"});
}

TEST(LogicBounds, HugeAndEmptyDomainsStayWellDefined) {
  const std::map<std::string, Domain> domains = {{"huge", range_domain(1e300, 1e300, true)},
                                                 {"none", choice_domain({})}};
  EXPECT_EQ(screen({{"==", {{{"var", "huge"}}, 1}}}, json::object(), domains).value, false);
  EXPECT_TRUE(screen({{"==", {{{"var", "none"}}, 1}}}, json::object(), domains).is_unknown());
}

TEST(LogicBounds, DateAddOfUnknownIsUnknown) {
  const Outcome got = screen({{"date_add", {{{"var", "dose_date"}}, 7, "day"}}}, json::object());
  ASSERT_TRUE(got.is_unknown());
  EXPECT_EQ(got.waiting_on, Strings{"dose_date"});
}

// ---- derived variables ----

// The same kind, value and bounds (waiting sets are compared by each test).
void expect_same_outcome(const Outcome& got, const Outcome& expected, const std::string& where) {
  EXPECT_EQ(got.kind, expected.kind) << where;
  EXPECT_EQ(got.value, expected.value) << where;
  EXPECT_EQ(got.lower, expected.lower) << where;
  EXPECT_EQ(got.upper, expected.upper) << where;
}

// `base` with each of `values` that is not null (null: left unanswered).
json answered(json base, const std::vector<std::pair<std::string, json>>& values) {
  for (const auto& [name, value] : values) {
    if (!value.is_null()) base[name] = value;
  }
  return base;
}

CompileOptions derived_total() {
  CompileOptions options;
  options.derived["total"] = {{"+", {{{"if", {{{"var", "item_a"}}, 8, 0}}}, {{"if", {{{"var", "item_b"}}, 4, 0}}}}}};
  return options;
}

TEST(LogicDerived, AnEnteredTotalWinsOverItsItems) {
  const auto options = derived_total();
  const auto domains = booleans({"item_a", "item_b"});
  const json rule = {{">=", {{{"var", "total"}}, 8}}};
  EXPECT_EQ(screen(rule, {{"total", 9}, {"item_a", false}, {"item_b", false}}, domains, options).value, true);
  EXPECT_EQ(screen(rule, {{"total", 2}, {"item_a", true}}, domains, options).value, false);
  // No total: the items decide, with bounds.
  EXPECT_EQ(screen(rule, {{"item_a", true}}, domains, options).value, true);
  EXPECT_EQ(screen(rule, {{"item_a", false}}, domains, options).value, false);
  const Outcome open = screen(rule, {{"item_b", true}}, domains, options);
  ASSERT_TRUE(open.is_unknown());
  EXPECT_EQ(open.waiting_on, (Strings{"item_a", "total"})) << "answering the total would decide too";
  // Plain JsonLogic reads the derived value as well.
  EXPECT_EQ(logic_test::run({{"var", "total"}}, {{"item_a", true}, {"item_b", true}}, {}, options).value, 12);
}

TEST(LogicDerived, AKnownDerivedValueIsReadWithoutItsItemsButIsNotAnAnswer) {
  // Screening works each derived value out once and hands the plain ones to
  // every rule; the rule then reads that value, while `missing` still sees
  // that nobody entered it.
  trialscreen::Diagnostics errors;
  const auto options = derived_total();
  const auto total_at_least_8 = trialscreen::logic::Rule::compile({{">=", {{{"var", "total"}}, 8}}}, errors, options);
  const auto total_missing = trialscreen::logic::Rule::compile({{"missing", {"total"}}}, errors, options);
  ASSERT_TRUE(total_at_least_8 && total_missing);
  // A known value unlike what the items give shows where the rule read it.
  const json data = {{"item_a", true}, {"item_b", true}};
  trialscreen::logic::DerivedValues known;
  known.set("total", 5);
  trialscreen::logic::Bindings bindings;
  bindings.missing_is_unknown = true;
  bindings.derived = &known;
  EXPECT_EQ(total_at_least_8->evaluate(data, bindings).value, false);
  EXPECT_EQ(total_missing->evaluate(data, bindings).value, json::array({"total"}));
  // An entered total still wins over the known one.
  EXPECT_EQ(total_at_least_8->evaluate({{"total", 9}}, bindings).value, true);
}

TEST(LogicDerived, AKeptUnknownReadsExactlyAsEvaluatingItsExpressionInPlace) {
  // Screening keeps each derived unknown (waiting set and bounds) and hands
  // it to every rule. Whatever the rule and whichever items are answered, the
  // outcome must be the one the rule gets by evaluating the items itself.
  const auto options = derived_total();
  const auto domains = booleans({"item_a", "item_b", "flag"});
  trialscreen::Diagnostics errors;
  const auto total = trialscreen::logic::Rule::compile({{"var", "total"}}, errors, options);
  ASSERT_TRUE(total);
  const std::vector<json> rules = {
      {{">=", {{{"var", "total"}}, 8}}},
      {{"==", {{{"var", "total"}}, 12}}},
      {{"<", {{{"var", "total"}}, 5}}},
      {{"and", {{{"var", "flag"}}, {{">", {{{"var", "total"}}, 3}}}}}},
      {{"or", {{{"var", "item_b"}}, {{"<=", {{{"var", "total"}}, 4}}}}}},
      {{"+", {{{"var", "total"}}, 1}}},
  };
  const json item_values[] = {nullptr, true, false};
  int unknowns = 0;
  for (const json& rule_json : rules) {
    const auto rule = trialscreen::logic::Rule::compile(rule_json, errors, options);
    ASSERT_TRUE(rule) << rule_json;
    for (const json& a : item_values) {
      for (const json& b : item_values) {
        for (const json& flag : item_values) {
          const json data = answered(json::object(), {{"item_a", a}, {"item_b", b}, {"flag", flag}});
          Bindings bindings;
          bindings.missing_is_unknown = true;
          bindings.domains = &domains;
          const Outcome in_place = rule->evaluate(data, bindings);
          trialscreen::logic::DerivedValues kept;
          kept.record("total", *total, data, bindings);
          bindings.derived = &kept;
          const Outcome handed = rule->evaluate(data, bindings);
          const std::string where = rule_json.dump() + " over " + data.dump();
          expect_same_outcome(handed, in_place, where);
          EXPECT_EQ(handed.waiting_on, in_place.waiting_on) << where;
          if (in_place.is_unknown()) ++unknowns;
        }
      }
    }
  }
  EXPECT_GT(unknowns, 20) << "the table must exercise kept unknowns";
}

TEST(LogicSlots, ReadingAnswersByNumberGivesWhatReadingThemByNameGives) {
  // A host that numbers its names (CompileOptions::slots) hands each answer's
  // place once (Bindings::slot_values) and gets waiting variables back as
  // numbers; one set of buffers serves every evaluation (Scratch). Over a
  // truth table, each outcome must be the one the plain bindings give.
  // "limit" has no slot: it is still read by name.
  const Strings slots = {"as_of", "flag", "item_a", "item_b", "kind", "total"};
  CompileOptions by_number = derived_total();
  by_number.slots = &slots;
  auto domains = booleans({"item_a", "item_b", "flag"});
  domains["kind"] = choice_domain({"x", "y"});
  domains["limit"] = range_domain(0, 20);
  std::vector<const Domain*> slot_domains;
  for (const std::string& name : slots) {
    const auto found = domains.find(name);
    slot_domains.push_back(found == domains.end() ? nullptr : &found->second);
  }
  const std::vector<json> rules = {
      {{">=", {{{"var", "total"}}, {{"var", "limit"}}}}},
      {{"and", {{{"var", "flag"}}, {{"==", {{{"var", "kind"}}, "x"}}}}}},
      {{"or", {{{"var", "item_b"}}, {{"<=", {{{"var", "total"}}, 4}}}, {{"var", "flag"}}}}},
      {{"if", {{{"var", "item_a"}}, {{"var", "kind"}}, "z"}}},
      {{"missing", {"item_a", "limit"}}},
      {{"+", {{{"var", "total"}}, {{"if", {{{"var", "flag"}}, 2, 0}}}}}},
      // and/or/if skip making an unknown for an open yes/no answer they
      // read directly, but not for one whose choices are all truthy.
      json::parse(R"({"and": [{"var": "flag"}, {"var": "item_a"}, {"var": "item_b"}]})"),
      json::parse(R"({"or": [{"var": "kind"}, {"var": "flag"}]})"),
      json::parse(R"({"or": [{"var": "item_b"}]})"),
      json::parse(R"({"if": [{"var": "flag"}, 1, {"var": "item_a"}, {"var": "kind"}, {"var": "limit"}]})"),
      // A path inside a numbered answer, a default, and a waiting set that
      // enumeration shrinks (flag cannot change the outcome) while reading
      // the assigned values by number.
      json::parse(R"({"var": "kind.0"})"),
      json::parse(R"({"var": ["flag", 7]})"),
      json::parse(R"({"==": [{"if": [{"var": "flag"}, 1, 1]}, {"if": [{"var": "item_a"}, 1, 2]}]})"),
  };
  const json values[] = {nullptr, true, false};
  const json kinds[] = {nullptr, "x", "y"};
  const json limits[] = {nullptr, 3};
  trialscreen::logic::Scratch scratch;
  int unknowns = 0;
  for (const json& rule_json : rules) {
    trialscreen::Diagnostics errors;
    const auto by_name_rule = trialscreen::logic::Rule::compile(rule_json, errors, derived_total());
    const auto by_number_rule = trialscreen::logic::Rule::compile(rule_json, errors, by_number);
    ASSERT_TRUE(by_name_rule && by_number_rule) << rule_json;
    for (const json& a : values) {
      for (const json& flag : values) {
        for (const json& kind : kinds) {
          for (const json& limit : limits) {
            json data = answered({{"as_of", "2026-11-25"}}, {{"item_a", a}, {"flag", flag}, {"kind", kind}, {"limit", limit}});
            Bindings by_name;
            by_name.missing_is_unknown = true;
            by_name.domains = &domains;
            std::vector<const json*> slot_values;
            for (const std::string& name : slots) slot_values.push_back(data.contains(name) ? &data[name] : nullptr);
            Bindings numbered = by_name;
            numbered.slot_values = &slot_values;
            numbered.slot_domains = &slot_domains;
            numbered.waiting_by_slot = true;
            numbered.scratch = &scratch;
            const Outcome expected = by_name_rule->evaluate(data, by_name);
            const Outcome got = by_number_rule->evaluate(data, numbered);
            const std::string where = rule_json.dump() + " over " + data.dump();
            expect_same_outcome(got, expected, where);
            EXPECT_TRUE(std::is_sorted(got.waiting_slots.begin(), got.waiting_slots.end())) << where;
            Strings waiting = got.waiting_on;
            for (std::size_t slot : got.waiting_slots) waiting.push_back(slots[slot]);
            std::sort(waiting.begin(), waiting.end());
            EXPECT_EQ(waiting, expected.waiting_on) << where;
            for (const std::string& name : got.waiting_on) {
              EXPECT_FALSE(std::binary_search(slots.begin(), slots.end(), name)) << name << " has a slot: " << where;
            }
            if (expected.is_unknown()) ++unknowns;
          }
        }
      }
    }
  }
  EXPECT_GT(unknowns, 40) << "the table must exercise unknowns";
}

TEST(LogicDerived, VariablesIncludeDerivedOnesAndTheirInputs) {
  trialscreen::Diagnostics errors;
  const auto rule = trialscreen::logic::Rule::compile({{">=", {{{"var", "total"}}, {{"var", "limit"}}}}}, errors,
                                                      derived_total());
  ASSERT_TRUE(rule);
  EXPECT_EQ(rule->variables(), (Strings{"item_a", "item_b", "limit", "total"}));
}

TEST(LogicDerived, CyclesAreCompileErrors) {
  CompileOptions options;
  options.derived["x"] = {{"+", {{{"var", "y"}}, 1}}};
  options.derived["y"] = {{"*", {{{"var", "x"}}, 2}}};
  trialscreen::Diagnostics errors;
  EXPECT_FALSE(trialscreen::logic::Rule::compile({{"var", "x"}}, errors, options));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].id, "rule.109");
}

}  // namespace
