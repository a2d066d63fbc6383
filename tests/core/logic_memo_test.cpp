// OutcomeMemo: a kept outcome must be exactly what evaluating gives, for
// every rule the memo takes, and rules it cannot key must not be kept.
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "logic_test_support.hpp"
#include "trialscreen/logic.hpp"

namespace {

using nlohmann::json;
using trialscreen::logic::Bindings;
using trialscreen::logic::CompileOptions;
using trialscreen::logic::Domain;
using trialscreen::logic::Outcome;
using trialscreen::logic::OutcomeMemo;
using trialscreen::logic::Rule;
using Strings = std::vector<std::string>;

// A host as a screening is one: names numbered, answers handed by number,
// unanswered names unknown within their domains. "limit" has no slot.
struct Host {
  Strings slots = {"as_of", "flag", "kind", "n", "s", "total"};
  std::map<std::string, Domain> domains;
  std::vector<const Domain*> slot_domains;
  CompileOptions options;

  Host() {
    Domain boolean;
    boolean.kind = Domain::Kind::Boolean;
    domains["flag"] = boolean;
    Domain kinds;
    kinds.kind = Domain::Kind::Choice;
    kinds.choices = {"x", "y"};
    domains["kind"] = kinds;
    Domain range;
    range.kind = Domain::Kind::Range;
    range.min = 0;
    range.max = 20;
    domains["n"] = range;
    for (const std::string& name : slots) {
      const auto found = domains.find(name);
      slot_domains.push_back(found == domains.end() ? nullptr : &found->second);
    }
    options.slots = &slots;
    options.derived["total"] = json::parse(R"({"+": [{"var": "n"}, {"if": [{"var": "flag"}, 10, 0]}]})");
  }

  Rule compile(const json& rule) {
    trialscreen::Diagnostics errors;
    std::optional<Rule> compiled = Rule::compile(rule, errors, options);
    EXPECT_TRUE(compiled.has_value()) << rule;
    return std::move(*compiled);
  }

  // Evaluates with the memo (or without: nullptr).
  Outcome evaluate(const Rule& rule, const json& data, OutcomeMemo* memo) { return evaluate(rule, data, data, memo); }

  // The same with the slots filled from `answers` while the rule is handed
  // `data` as the document.
  Outcome evaluate(const Rule& rule, const json& answers, const json& data, OutcomeMemo* memo) {
    std::vector<const json*> slot_values;
    for (const std::string& name : slots) slot_values.push_back(answers.contains(name) ? &answers.at(name) : nullptr);
    Bindings bindings;
    bindings.missing_is_unknown = true;
    bindings.domains = &domains;
    bindings.slot_values = &slot_values;
    bindings.slot_domains = &slot_domains;
    bindings.waiting_by_slot = true;
    bindings.memo = memo;
    Outcome out;
    rule.evaluate(data, bindings, out);
    return out;
  }
};

// Documents whose values look alike: 1 and 1.0, "" and absent, "1" and 1.
std::vector<json> documents() {
  const json ns[] = {nullptr, 1, 1.0, 7.5, 25, "1"};
  const json ss[] = {nullptr, "", "x", "1"};
  const json flags[] = {nullptr, true, false};
  const json kinds[] = {nullptr, "x", "y"};
  std::vector<json> out;
  for (const json& n : ns) {
    for (const json& s : ss) {
      for (const json& flag : flags) {
        for (const json& kind : kinds) {
          json data = {{"as_of", "2026-11-25"}};
          if (!n.is_null()) data["n"] = n;
          if (!s.is_null()) data["s"] = s;
          if (!flag.is_null()) data["flag"] = flag;
          if (!kind.is_null()) data["kind"] = kind;
          out.push_back(std::move(data));
        }
      }
    }
  }
  return out;
}

TEST(LogicMemo, AKeptOutcomeIsWhatEvaluatingGives) {
  Host host;
  const std::vector<json> rules = {
      json::parse(R"({"var": "n"})"),
      json::parse(R"({">=": [{"var": "total"}, 10]})"),
      json::parse(R"({"and": [{"var": "flag"}, {"==": [{"var": "kind"}, "x"]}]})"),
      json::parse(R"({"if": [{"var": "flag"}, {"var": "s"}, {"var": "n"}]})"),
      json::parse(R"({"missing": ["s", "n"]})"),
      json::parse(R"({"missing_some": [1, ["s", "kind"]]})"),
      json::parse(R"({"!": {"missing": ["s"]}})"),
      json::parse(R"({"cat": [{"var": "s"}, {"var": "n"}]})"),
      json::parse(R"({"*": [{"var": "n"}, 2]})"),
      json::parse(R"({"<": [{"var": "n"}, {"var": "s"}]})"),
      json::parse(R"({"date_add": [{"var": "as_of"}, {"var": "n"}, "day"]})"),
      json::parse(R"({"throw": {"var": "kind"}})"),
      json::parse(R"({"in": [{"var": "kind"}, ["x", "z"]]})"),
      json::parse(R"({"var": "kind.0"})"),
  };
  const std::vector<json> data = documents();
  // The memo keys outcomes by their rule: the rules live as long as it does.
  std::vector<Rule> compiled;
  for (const json& rule_json : rules) compiled.push_back(host.compile(rule_json));
  OutcomeMemo memo;
  // Twice through: the first pass fills the memo, the second reads it, each
  // in its own order, so that outcomes are met after other documents' too.
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t r = 0; r < rules.size(); ++r) {
      for (std::size_t i = 0; i < data.size(); ++i) {
        const json& document = data[pass == 0 ? i : data.size() - 1 - i];
        const std::string where = rules[r].dump() + " over " + document.dump();
        logic_test::expect_identical(host.evaluate(compiled[r], document, &memo), host.evaluate(compiled[r], document, nullptr), where);
      }
    }
  }
  EXPECT_GT(memo.hits(), memo.misses()) << "the second pass should be read from the memo";
}

TEST(LogicMemo, ARuleThatReadsOnlyItsSlotsNeedsNoDocument) {
  // A screening whose rules all read only their slots hands them an empty
  // document (Rule::reads_only_slots): each must give what it gives over the
  // answers themselves, `missing` included.
  Host host;
  const std::vector<json> rules = {
      json::parse(R"({"missing": ["s", "n"]})"),
      json::parse(R"({"missing_some": [1, ["s", "kind"]]})"),
      json::parse(R"({"!": {"missing": ["s"]}})"),
      json::parse(R"({"or": [{"!": {"missing": ["total"]}}, {"var": "flag"}]})"),
      json::parse(R"({">=": [{"var": "total"}, 10]})"),
      json::parse(R"({"if": [{"var": "flag"}, {"var": "s"}, {"var": "n"}]})"),
      json::parse(R"({"date_add": [{"var": "as_of"}, {"var": "n"}, "day"]})"),
  };
  const json empty = json::object();
  for (const json& rule_json : rules) {
    const Rule rule = host.compile(rule_json);
    EXPECT_TRUE(rule.reads_only_slots()) << rule_json;
    for (const json& document : documents()) {
      logic_test::expect_identical(host.evaluate(rule, document, empty, nullptr), host.evaluate(rule, document, nullptr),
                       rule_json.dump() + " over " + document.dump());
    }
  }
  for (const char* reads_more : {R"({"var": "limit"})", R"({"var": ""})", R"({"exists": ["s"]})",
                                 R"({"map": [["s", "t"], {"missing": ["s"]}]})"}) {
    EXPECT_FALSE(host.compile(json::parse(reads_more)).reads_only_slots()) << reads_more;
  }
}

// A rule, whether it compares a slot with numbers only, and the cuts it then gives.
struct CutCase {
  const char* rule;
  bool compared;
  std::vector<double> cuts;
};

// A number's place among sorted cuts: 0 below the first, 1 at it, 2 past it...
std::size_t place_among(const std::vector<double>& cuts, double value) {
  std::size_t at = 0;
  for (double cut : cuts) at += value > cut ? 2 : value == cut ? 1 : 0;
  return at;
}

// The outcome first met at each place, which every later one at that place
// must equal (`what` names the rule and `input` what gave the outcome).
struct SameAtEachPlace {
  std::map<std::size_t, std::pair<json, Outcome>> first_at;

  void expect(std::size_t place, const json& input, const Outcome& outcome, const std::string& what) {
    const auto [kept, fresh] = first_at.try_emplace(place, input, outcome);
    if (fresh) return;
    logic_test::expect_identical(outcome, kept->second.second,
                                 what + ": " + input.dump() + " against " + kept->second.first.dump());
  }
};

TEST(LogicMemo, ANumberComparedOnlyWithNumbersMattersOnlyByItsPlaceAmongThem) {
  // Rule::compares_slot_with_numbers: the numbers a slot is compared with
  // (its cuts), or false when the rule reads it any other way. Where it gives
  // cuts, every number at the same place among them (below, at or above each)
  // must give the rule the same outcome: a screening keeps lines by that
  // place alone (LineMemo).
  Host host;
  const std::uint32_t n = 3;  // host.slots[3]
  const CutCase cases[] = {
      {R"({">=": [{"var": "n"}, 8]})", true, {8}},
      {R"({"<=": [18, {"var": "n"}, 90]})", true, {18, 90}},
      {R"({"if": [{"==": [{"var": "n"}, 3]}, {"var": "s"}, {">": [{"var": "n"}, 1.5]}]})", true, {1.5, 3}},
      {R"({"and": [{"!": {"missing": ["n"]}}, {"<": [{"var": "n"}, 5]}, {"!==": [5, {"var": "n"}]}]})", true, {5}},
      {R"({"var": "flag"})", true, {}},  // n is not read at all
      {R"({"var": "n"})", false, {}},    // its truth: 0 is false
      {R"({"<": [{"var": "n"}, {"var": "s"}]})", false, {}},
      {R"({"==": [{"var": "n"}, "5"]})", false, {}},
      {R"({"<": [{"var": "n"}, {"var": "n"}]})", false, {}},
      {R"({">": [{"var": ["n", 5]}, 1]})", false, {}},
      {R"({"and": [{">": [{"var": "n"}, 1]}, {"+": [{"var": "n"}, 1]}]})", false, {}},
      {R"({">=": [{"var": "total"}, 10]})", false, {}},  // through the derived total's sum
      {R"({">": [{"var": "limit"}, {"var": "n"}]})", false, {}},  // reads a name with no slot
  };
  std::vector<json> documents;
  for (const json& s : {json(nullptr), json("x")}) {
    for (const json& flag : {json(nullptr), json(true)}) {
      json document = {{"as_of", "2026-11-25"}};
      if (!s.is_null()) document["s"] = s;
      if (!flag.is_null()) document["flag"] = flag;
      documents.push_back(std::move(document));
    }
  }
  for (const CutCase& c : cases) {
    const Rule rule = host.compile(json::parse(c.rule));
    std::vector<double> cuts;
    ASSERT_EQ(rule.compares_slot_with_numbers(n, cuts, 100), c.compared) << c.rule;
    if (!c.compared) continue;
    EXPECT_EQ(cuts, c.cuts) << c.rule;
    // Numbers around and at each cut, as integers where they are whole.
    std::vector<json> numbers = {-1000, 1000.5};
    for (double cut : c.cuts) {
      for (double step : {-1.0, -0.25, 0.0, 0.25, 1.0}) numbers.push_back(cut + step);
      if (cut == static_cast<double>(static_cast<long>(cut))) numbers.push_back(static_cast<long>(cut));
    }
    for (const json& document : documents) {
      SameAtEachPlace same;
      for (const json& number : numbers) {
        json answers = document;
        answers["n"] = number;
        same.expect(place_among(c.cuts, number.get<double>()), number, host.evaluate(rule, answers, nullptr),
                    std::string(c.rule) + " over " + document.dump());
      }
    }
  }
  std::vector<double> cuts;
  EXPECT_FALSE(host.compile(json::parse(R"({">=": [{"var": "total"}, 10]})")).compares_slot_with_numbers(5, cuts, 100))
      << "a derived variable's value is not its slot's answer";
  // More cuts than asked for: false, before the rest are walked.
  json many = json::array();
  for (int i = 0; i < 5000; ++i) many.push_back({{"==", {{{"var", "n"}}, i}}});
  const Rule compared_with_many = host.compile({{"or", many}});
  cuts.clear();
  EXPECT_TRUE(compared_with_many.compares_slot_with_numbers(n, cuts, 5000));
  EXPECT_EQ(cuts.size(), 5000u);
  cuts.clear();
  EXPECT_FALSE(compared_with_many.compares_slot_with_numbers(n, cuts, 127));
  EXPECT_EQ(cuts.size(), 128u);
}

TEST(LogicMemo, ADerivedValueComparedOnlyWithNumbersMattersOnlyByItsPlaceWhenKnown) {
  // Rule::compares_derived_with_numbers: the numbers a derived value (total
  // = n + 10 when flag) is compared with, when the rule reads nothing else,
  // or false. Where it gives cuts, every document whose total is a plain
  // number at the same place among them must give the rule the same
  // outcome, whatever n and flag make that total (a screening keeps lines
  // by that place alone while the value is known: LineMemo).
  Host host;
  const std::uint32_t total = 5;  // host.slots[5]
  const CutCase cases[] = {
      {R"({">=": [{"var": "total"}, 10]})", true, {10}},
      {R"({"<=": [1, {"var": "total"}, 20.5]})", true, {1, 20.5}},
      {R"({"or": [{"==": [{"var": "total"}, 3]}, {">": [{"var": "total"}, 12]}]})", true, {3, 12}},
      {R"({"and": [{">=": [{"var": "total"}, 10]}, {"var": "flag"}]})", false, {}},  // reads flag itself too
      {R"({"and": [{">=": [{"var": "total"}, 10]}, {"<": [{"var": "n"}, 5]}]})", false, {}},
      {R"({"!": {"missing": ["total"]}})", false, {}},
      {R"({"var": "total"})", false, {}},  // its truth: 0 is false
      {R"({"<": [{"+": [{"var": "total"}, 1]}, 5]})", false, {}},
      {R"({"<": [{"var": "total"}, {"var": "n"}]})", false, {}},
      {R"({">=": [{"var": "n"}, 10]})", false, {}},  // n is no derived value, and total is not read
      {R"({">": [{"var": ["total", 5]}, 1]})", false, {}},
      {R"({"==": [{"var": "total"}, "10"]})", false, {}},
  };
  for (const CutCase& c : cases) {
    const Rule rule = host.compile(json::parse(c.rule));
    std::vector<double> cuts;
    ASSERT_EQ(rule.compares_derived_with_numbers(total, cuts, 100), c.compared) << c.rule;
    if (!c.compared) continue;
    EXPECT_EQ(cuts, c.cuts) << c.rule;
    SameAtEachPlace same;
    for (const bool flag : {false, true}) {
      for (double n = 0; n <= 20; n += 0.25) {
        const json answers = {{"as_of", "2026-11-25"}, {"n", n}, {"flag", flag}};
        same.expect(place_among(c.cuts, n + (flag ? 10 : 0)), answers, host.evaluate(rule, answers, nullptr), c.rule);
      }
    }
    EXPECT_EQ(same.first_at.size(), 2 * c.cuts.size() + 1) << c.rule << ": every place met";
  }
  std::vector<double> cuts;
  EXPECT_FALSE(host.compile(json::parse(R"({">=": [{"var": "n"}, 10]})")).compares_derived_with_numbers(3, cuts, 100))
      << "n is no derived value";
}

TEST(LogicMemo, ValuesThatCompareEqualAreKeptApart) {
  // 1 and 1.0 are == but print differently; "" is missing, absent too, "x" is not.
  Host host;
  OutcomeMemo memo;
  const Rule number = host.compile(json::parse(R"({"var": "n"})"));
  EXPECT_EQ(trialscreen::logic::to_json_text(host.evaluate(number, {{"n", 1}}, &memo).value), "1");
  EXPECT_EQ(trialscreen::logic::to_json_text(host.evaluate(number, {{"n", 1.0}}, &memo).value), "1.0");
  EXPECT_EQ(trialscreen::logic::to_json_text(host.evaluate(number, {{"n", 1}}, &memo).value), "1");
  EXPECT_EQ(memo.hits(), 1u);

  const Rule missing = host.compile(json::parse(R"({"missing": ["s"]})"));
  EXPECT_EQ(host.evaluate(missing, {{"s", ""}}, &memo).value, json::array({"s"}));
  EXPECT_EQ(host.evaluate(missing, {{"s", "x"}}, &memo).value, json::array());
  EXPECT_EQ(host.evaluate(missing, json::object(), &memo).value, json::array({"s"}));
  EXPECT_EQ(host.evaluate(missing, {{"s", "x"}}, &memo).value, json::array());
}

TEST(LogicMemo, RulesThatReadMoreThanTheirSlotsAreNotKept) {
  Host host;
  const std::vector<json> rules = {
      json::parse(R"({"var": "limit"})"),                                // a name without a slot
      json::parse(R"({"missing": ["limit"]})"),                          // the same, through missing
      json::parse(R"({"var": {"cat": ["k", "ind"]}})"),                  // a computed path
      json::parse(R"({"missing": {"if": [true, "s", "n"]}})"),          // computed names
      json::parse(R"({"map": [["s", "t"], {"missing": ["s"]}]})"),        // missing in an item's scope
      json::parse(R"({"var": ""})"),                                     // the whole data
  };
  for (const json& rule_json : rules) {
    const Rule rule = host.compile(rule_json);
    OutcomeMemo memo;
    const json document = {{"s", "x"}, {"limit", 3}, {"kind", "x"}};
    for (int i = 0; i < 3; ++i) {
      logic_test::expect_identical(host.evaluate(rule, document, &memo), host.evaluate(rule, document, nullptr), rule_json.dump());
    }
    EXPECT_EQ(memo.hits() + memo.misses(), 0u) << rule_json;
    EXPECT_EQ(memo.size(), 0u) << rule_json;
  }
  // An object or array answer has no key: evaluated every time.
  const Rule rule = host.compile(json::parse(R"({"var": "kind"})"));
  OutcomeMemo memo;
  host.evaluate(rule, {{"kind", {{"a", 1}}}}, &memo);
  host.evaluate(rule, {{"kind", json::array({1})}}, &memo);
  EXPECT_EQ(memo.hits() + memo.misses(), 0u);
}

TEST(LogicMemo, AFullMemoStartsAfreshSoMemoryStaysFlat) {
  Host host;
  OutcomeMemo memo(8);
  const Rule rule = host.compile(json::parse(R"({"*": [{"var": "n"}, 3]})"));
  for (int n = 0; n < 100; ++n) {
    const Outcome got = host.evaluate(rule, {{"n", n}}, &memo);
    EXPECT_EQ(got.value, 3 * n);
    EXPECT_LE(memo.size(), 8u);
  }
  EXPECT_EQ(memo.misses(), 100u);
  EXPECT_EQ(host.evaluate(rule, {{"n", 99}}, &memo).value, 297);
  EXPECT_EQ(memo.hits(), 1u);
}

}  // namespace

namespace {

TEST(LogicMemo, ARuleWhoseValuesNeverRepeatStopsFillingIt) {
  // A score from continuous values would only fill the memo: after a probe
  // it is evaluated without it, and a rule whose values repeat still hits.
  Host host;
  OutcomeMemo memo;
  const Rule unique = host.compile(json::parse(R"({"*": [{"var": "n"}, 3]})"));
  for (int n = 0; n < 1000; ++n) EXPECT_EQ(host.evaluate(unique, {{"n", n}}, &memo).value, 3 * n);
  EXPECT_EQ(memo.hits(), 0u);
  EXPECT_LT(memo.misses(), 500u) << "still keeping the outcomes of values that never repeat";
  EXPECT_EQ(memo.size(), memo.misses());
  const Rule repeating = host.compile(json::parse(R"({"!": {"var": "flag"}})"));
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(host.evaluate(repeating, {{"flag", i % 2 == 0}}, &memo).value, i % 2 != 0);
  EXPECT_EQ(memo.hits(), 998u);
}

}  // namespace
