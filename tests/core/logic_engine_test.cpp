// The engine's own promises beyond the suites: JSON text in and out, compile
// errors with ids and pointers, limits against hostile rules, compile once /
// evaluate many, number printing, date_add and ISO date comparison.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <optional>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../../core/src/logic/decimal.hpp"
#include "logic_test_support.hpp"

namespace {

using nlohmann::json;
using trialscreen::Diagnostics;
using trialscreen::logic::Rule;

Diagnostics compile_errors(const json& rule, const trialscreen::logic::CompileOptions& options = {}) {
  Diagnostics errors;
  EXPECT_FALSE(Rule::compile(rule, errors, options)) << rule.dump();
  return errors;
}

// ---- JSON text ----

TEST(LogicJsonText, ParseReportsSyntaxErrorsWithTheirByteOffset) {
  Diagnostics errors;
  EXPECT_FALSE(trialscreen::logic::parse_json(R"({"a": [1, 2,]})", errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].id, "json.001");
  EXPECT_NE(errors[0].message.find("byte 12"), std::string::npos) << errors[0].message;
}

TEST(LogicJsonText, ParseRefusesNestingBeyondTheLimit) {
  Diagnostics errors;
  EXPECT_TRUE(trialscreen::logic::parse_json(std::string(3, '[') + std::string(3, ']'), errors, 3));
  EXPECT_FALSE(trialscreen::logic::parse_json(std::string(4, '[') + std::string(4, ']'), errors, 3));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].id, "json.002");
  EXPECT_NE(errors[0].message.find("byte 3"), std::string::npos) << errors[0].message;
}

TEST(LogicJsonText, ThirtyThousandDeepRuleTextIsAnErrorNotACrash) {
  std::string text;
  for (int i = 0; i < 30000; ++i) text += R"({"!":[)";
  text += "true";
  for (int i = 0; i < 30000; ++i) text += "]}";
  Diagnostics errors;
  EXPECT_FALSE(trialscreen::logic::parse_json(text, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].id, "json.002");
}

TEST(LogicJsonText, DumpIsCompactAndReplacesInvalidUtf8) {
  EXPECT_EQ(trialscreen::logic::to_json_text({{"a", {1, "x"}}}), R"({"a":[1,"x"]})");
  EXPECT_EQ(trialscreen::logic::to_json_text(std::string("a\xff")), "\"a\xEF\xBF\xBD\"");
}

// The hand-written writer must write byte for byte what nlohmann's dump()
// writes, for every kind of value and every kind of string: results, CLI
// output and the WebAssembly API all go through it.
TEST(LogicJsonText, WritesExactlyWhatNlohmannDumpWrites) {
  using json = nlohmann::json;
  const auto dump = [](const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); };
  const std::vector<json> fixed = {
      nullptr, true, false, 0, -1, std::numeric_limits<std::int64_t>::min(),
      std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::uint64_t>::max(), 0.0, -0.0, 1.0, 0.1,
      1e21, 1.5e-7, -2.5, 3e300, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
      "", "plain", "quote \" and backslash \\", std::string("nul \0 and \x01\x1f\x7f", 12), "\b\t\n\f\r",
      "ü ≥ 𝔘 中文", std::string("\xc0\x80"), std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80"),
      std::string("ab\xe2\x82"), std::string("\xe2\x28\xa1"), std::string("\xf0\x9f\x98"),
      json::array(), json::object(), {{"k\n", {1, "x", nullptr}}, {"", json::object()}}};
  for (const json& v : fixed) EXPECT_EQ(trialscreen::logic::to_json_text(v), dump(v)) << dump(v);

  // Random strings of bytes drawn mostly from the awkward ones.
  std::mt19937 random(20261125);
  const unsigned char awkward[] = {0x00, 0x08, 0x09, 0x0a, 0x1f, 0x20, '"', '\\', 'a', 0x7f, 0x80, 0xbf,
                                   0xc0, 0xc2, 0xdf, 0xe0, 0xa0, 0xed, 0x9f, 0xef, 0xf0, 0x90, 0xf4, 0x8f, 0xff};
  for (int n = 0; n < 20000; ++n) {
    std::string text;
    const int length = static_cast<int>(random() % 9);
    for (int i = 0; i < length; ++i) {
      text += static_cast<char>(random() % 4 == 0 ? random() % 256 : awkward[random() % sizeof awkward]);
    }
    const json v = {{text, text}};
    ASSERT_EQ(trialscreen::logic::to_json_text(v), dump(v)) << n;
  }
}

// parse_json reads well-formed text on a fast path of its own and leaves
// everything else to nlohmann. Both must agree exactly, types of numbers
// included, on valid and invalid text alike.
bool same_json(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!same_json(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(), jt = b.begin(); it != a.end(); ++it, ++jt) {
      if (it.key() != jt.key() || !same_json(it.value(), jt.value())) return false;
    }
    return true;
  }
  if (a.is_number_float()) {
    const double x = a.get<double>();
    const double y = b.get<double>();
    return x == y && std::signbit(x) == std::signbit(y);
  }
  return a == b;
}

void expect_parsed_as_nlohmann_does(const std::string& text) {
  using json = nlohmann::json;
  trialscreen::Diagnostics errors;
  const std::optional<json> ours = trialscreen::logic::parse_json(text, errors);
  const json theirs = json::parse(text, nullptr, false);
  if (theirs.is_discarded()) {
    EXPECT_FALSE(ours) << "accepted what nlohmann rejects: " << text;
    return;
  }
  ASSERT_TRUE(ours) << "rejected valid JSON: " << text;
  EXPECT_TRUE(same_json(*ours, theirs)) << text << "\nours:   " << ours->dump() << "\ntheirs: " << theirs.dump();
}

TEST(LogicJsonText, ParsesExactlyAsNlohmannDoes) {
  const std::vector<std::string> fixed = {
      "", " ", "null", "true", "false", "nul", "truex", "0", "-0", "-0.0", "01", "1.", ".5", "1e", "1e+", "1E+2",
      "-1e-7", "0.1", "1.5e300", "1e400", "-1e400", "18446744073709551615", "18446744073709551616",
      "9223372036854775807", "-9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
      "\"\"", "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "\"\\u0000\"", "\"\\u00e9\\u4e2d\"",
      "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "\"\\ude00\"", "\"\\ud83d\\u0041\"", "\"\\u12\"", "\"\\x\"",
      "\"tab\there\"", "\"ü中𝔘\"", std::string("\"\xff\""), std::string("\"\xed\xa0\x80\""),
      std::string("\xef\xbb\xbf{}"), "[]", "{}", "[1,]", "[,1]", "{\"a\":1,}", "{\"a\" 1}", "{1:2}", "[1 2]",
      "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1},\"a\":2}", "{\"a\":[1],\"a\":{\"c\":[2]},\"b\":0}", "{\"a\":1,\"a\":[}", " {\"k\" : [ 1 , {\"x\":null} ] } ", "[1]x", "[1] ", "\t\n\r[]\r\n",
      "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", "[\"unclosed",
      "{\"a\":", "-", "--1", "+1", "1e5.5", "0x10", "Infinity", "NaN",
      // Around the reader's shortcuts: 18 digits, 2^53, exact powers of ten.
      "999999999999999999", "-999999999999999999", "1000000000000000000", "-1000000000000000000",
      "9007199254740992.0", "9007199254740993.0", "9007199254740993e-3", "70.50000000000000001", "0.1e-5",
      "1e22", "1e23", "1e-22", "1e-23", "4.35", "-0.000", "0e500", "123456789012345678e-5", "1.7976931348623157e308",
      "4.9e-324", "2.2250738585072014e-308", "00", "-01"};
  for (const std::string& text : fixed) expect_parsed_as_nlohmann_does(text);

  // Random documents, written out and then damaged at random.
  std::mt19937 random(20261126);
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  const std::vector<std::string> atoms = {"0", "-0", "7", "-12", "3.25", "1e3", "-2.5E-3", "18446744073709551616",
                                          "true", "false", "null", "\"\"", "\"x\"", "\"\\n\\u00e9\"",
                                          "\"≥ 8\"", "\"\\ud83d\\ude00\""};
  std::function<std::string(int)> document = [&](int depth) -> std::string {
    const std::size_t kind = depth > 3 ? 2 : pick(3);
    if (kind == 2) return atoms[pick(atoms.size())];
    std::string text = kind == 0 ? "[" : "{";
    const std::size_t count = pick(4);
    for (std::size_t i = 0; i < count; ++i) {
      if (i > 0) text += pick(2) ? "," : " , ";
      if (kind == 1) text += "\"k" + std::to_string(pick(3)) + "\":";
      text += document(depth + 1);
    }
    return text + (kind == 0 ? "]" : "}");
  };
  const std::string damage = "{}[],:\"\\ 0-e.tu\x01\x80\xff";
  for (int n = 0; n < 20000; ++n) {
    std::string text = document(0);
    if (n % 2 == 1 && !text.empty()) {
      const std::size_t at = pick(text.size());
      switch (pick(3)) {
        case 0: text[at] = damage[pick(damage.size())]; break;
        case 1: text.erase(at, 1); break;
        default: text.insert(at, 1, damage[pick(damage.size())]); break;
      }
    }
    expect_parsed_as_nlohmann_does(text);
    if (HasFailure()) return;
  }
}

TEST(LogicJsonText, FindsEveryByteThatEndsAPlainRunWhereverItFallsInAKeyOrText) {
  // Keys and texts are scanned many bytes at a time for the first byte that
  // is not plain: a quote, a backslash, a control character or a byte of
  // UTF-8 (valid or not) at any place in a run of any length, with the text
  // ending at any distance after it, must read as nlohmann reads it.
  const std::vector<std::string> stops = {"\\\"", "\\\\", "\\n", "\\u00e9", "\x01", "\x1f", "\t",
                                          "\xc3\xa9", "\xe4\xb8\xad", "\x80", "\xff", "\x7f", " "};
  for (std::size_t length = 0; length <= 40; ++length) {
    for (std::size_t at = 0; at <= length; ++at) {
      for (const std::string& stop : stops) {
        const std::string text = std::string(at, 'a') + stop + std::string(length - at, 'b');
        expect_parsed_as_nlohmann_does("{\"" + text + "\":\"" + text + "\"}");
        expect_parsed_as_nlohmann_does("[\"" + text + "\"]");
        expect_parsed_as_nlohmann_does("\"" + text);  // never closed
        if (HasFailure()) return;
      }
    }
  }
}

TEST(LogicJsonText, ReadingMembersIntoPlacesGivesWhatParsingTheObjectGives) {
  // parse_json_members hands each member's value to a place instead of
  // building the object (a batch record's answers go straight to theirs):
  // keys, values, repeated keys and nesting must come out as parse_json
  // gives them, JSON that is no object must place nothing, and broken JSON
  // must say what parse_json says and leave nothing placed.
  const std::vector<std::string> texts = {
      R"({"age":45,"sex":"female","wbc":{"value":4500,"unit":"/uL"},"a_rather_long_key_name_here":true})",
      R"(  {"b" : 1}  )",
      R"({"x":{"y":{"z":[1,{"k":"v"}]}},"a_rather_long_key_name_here":null,"b":2,"b":{"c":3}})",
      R"({})",
      R"({"dup":1,"dup":2,"dup":{"value":3,"unit":"u"}})",
      R"({"esc\u0061ped":"\ud83d\ude00","n":-1.5e3,"big":12345678901234567890123})",
      // Keys read as views of the text, and keys that need reading into a
      // buffer (escapes, non-ASCII), one after another and repeated.
      R"({"年龄":1,"plain":2,"tab\tkey":3,"x":4,"a\"b":5,"plain":6,"pl\u0061in":7})",
      R"({"o":{"k\u0065y":1,"key":2,"é":3,"key":{"z":"\u00e9"}}})",
      R"({"ab)",
      "{\"a\x01b\":1}",
      R"([{"in":"array"},{"in":"array"}])",
      "null",
      R"("text")",
      R"({"broken":)",
      R"({"a":1,"b":[1,2})",
      R"({"a":1} trailing)",
      R"({"deep":{"a":{"b":{"c":1}}}})"};
  for (const std::string& text : texts) {
    Diagnostics errors, member_errors;
    const std::optional<json> whole = trialscreen::logic::parse_json(text, errors, 4);
    std::map<std::string, json> placed;
    const trialscreen::logic::MembersRead read = trialscreen::logic::parse_json_members(
        text, member_errors, 4, [&](std::string_view key) -> json& { return placed[std::string(key)]; }, [&] { placed.clear(); });
    EXPECT_EQ(errors.size(), member_errors.size()) << text;
    if (!errors.empty() && !member_errors.empty()) {
      EXPECT_EQ(errors[0].message, member_errors[0].message) << text;
    }
    if (!whole) {
      EXPECT_EQ(read, trialscreen::logic::MembersRead::Invalid) << text;
      EXPECT_TRUE(placed.empty()) << text;
    } else if (whole->is_object()) {
      EXPECT_EQ(read, trialscreen::logic::MembersRead::Object) << text;
      EXPECT_TRUE(same_json(json(placed), *whole)) << text << "\nplaced: " << json(placed).dump();
    } else {
      EXPECT_EQ(read, whole->is_null() ? trialscreen::logic::MembersRead::Null : trialscreen::logic::MembersRead::Other)
          << text;
      EXPECT_TRUE(placed.empty()) << text;
    }
  }
}

TEST(LogicJsonText, QuantityMembersAreOfferedToTheirTakerFirst) {
  // With a taker, a top-level member that is exactly {"value": number,
  // "unit": plain text} (either order, spaces anywhere) is offered to it
  // (the batch places it as its canonical number); one it refuses, and
  // every other value, is placed as the object parsing gives.
  // What is placed, as JSON text: a taken member as {"taken": value, "unit": unit}.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"a":{"value":8.5,"unit":"g/dL"},"b":{"unit":"/uL","value":4500}})",
       R"({"a":{"taken":8.5,"unit":"g/dL"},"b":{"taken":4500.0,"unit":"/uL"}})"},
      {R"( { "a" : { "value" : -2e1 , "unit" : "g/dL" } } )", R"({"a":{"taken":-20.0,"unit":"g/dL"}})"},
      {R"({"a":{"value":8.5,"unit":"mmol/L"}})", R"({"a":{"unit":"mmol/L","value":8.5}})"},
      {R"({"a":{"value":8.5,"unit":"g/dL","x":1}})", R"({"a":{"unit":"g/dL","value":8.5,"x":1}})"},
      {R"({"a":{"value":"8.5","unit":"g/dL"}})", R"({"a":{"unit":"g/dL","value":"8.5"}})"},
      {R"({"a":{"unit":"g\u002fdL","value":1}})", R"({"a":{"unit":"g/dL","value":1}})"},
      {R"({"a":{"value":1,"value":2,"unit":"g/dL"}})", R"({"a":{"unit":"g/dL","value":2}})"},
      {R"({"a":{"value":1}})", R"({"a":{"value":1}})"},
      {R"({"a":{"b":{"value":1,"unit":"g/dL"}}})", R"({"a":{"b":{"unit":"g/dL","value":1}}})"},
      {R"({"a":{"value":1,"unit":"g/dL"},"a":3})", R"({"a":3})"},
      {R"({"a":3,"a":{"value":1,"unit":"g/dL"}})", R"({"a":{"taken":1.0,"unit":"g/dL"}})"},
  };
  for (const auto& [text, expected] : cases) {
    std::map<std::string, json> placed;
    Diagnostics errors;
    const trialscreen::logic::MembersRead read = trialscreen::logic::parse_json_members(
        text, errors, 4, [&](std::string_view key) -> json& { return placed[std::string(key)]; }, [&] { placed.clear(); },
        trialscreen::logic::MemberTakers{[&](std::string_view key, double value, std::string_view unit) {
          if (unit != "g/dL" && unit != "/uL") return false;
          placed[std::string(key)] = {{"taken", value}, {"unit", std::string(unit)}};
          return true;
        }, nullptr, nullptr});
    EXPECT_EQ(read, trialscreen::logic::MembersRead::Object) << text;
    EXPECT_TRUE(same_json(json(placed), json::parse(expected))) << text << "\nplaced: " << json(placed).dump();
  }
  // Broken JSON after a quantity, or a quantity past the depth limit: nothing
  // placed, the error parse_json gives.
  for (const auto& [text, depth] : std::vector<std::pair<std::string, std::size_t>>{
           {R"({"a":{"value":1,"unit":"g/dL"},"b":[})", 4}, {R"({"a":{"value":1,"unit":"g/dL"}})", 1}}) {
    std::map<std::string, json> placed;
    Diagnostics errors, expected_errors;
    EXPECT_FALSE(trialscreen::logic::parse_json(text, expected_errors, depth)) << text;
    const trialscreen::logic::MembersRead read = trialscreen::logic::parse_json_members(
        text, errors, depth, [&](std::string_view key) -> json& { return placed[std::string(key)]; },
        [&] { placed.clear(); },
        trialscreen::logic::MemberTakers{[&](std::string_view key, double value, std::string_view) {
          placed[std::string(key)] = value;
          return true;
        }, nullptr, nullptr});
    EXPECT_EQ(read, trialscreen::logic::MembersRead::Invalid) << text;
    EXPECT_TRUE(placed.empty()) << text;
    ASSERT_EQ(errors.size(), 1u) << text;
    EXPECT_EQ(errors[0].message, expected_errors.at(0).message) << text;
  }
}

TEST(LogicJsonText, NumberAndYesNoMembersAreOfferedToTheirTakersFirst) {
  // With takers, a top-level number or true/false is offered first (the
  // batch places it checked); one refused, a nested one, and every member
  // when no taker is given, is placed as parsing gives it. Broken JSON after
  // taken members leaves nothing placed.
  // What is placed, as JSON text: a taken number as {"number": value}, a
  // taken yes/no as {"yes": value}. Keys starting with "r" are refused.
  const auto read = [](const std::string& text, const trialscreen::logic::MemberTakers& takers,
                       std::map<std::string, json>& placed) {
    Diagnostics errors;
    return trialscreen::logic::parse_json_members(
        text, errors, 4, [&](std::string_view key) -> json& { return placed[std::string(key)]; }, [&] { placed.clear(); },
        takers);
  };
  std::map<std::string, json> placed;
  const trialscreen::logic::MemberTakers takers{
      nullptr,
      [&](std::string_view key, double value) {
        if (key.front() == 'r') return false;
        placed[std::string(key)] = {{"number", value}};
        return true;
      },
      [&](std::string_view key, bool value) {
        if (key.front() == 'r') return false;
        placed[std::string(key)] = {{"yes", value}};
        return true;
      }};
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"a":45,"b":-1.5e3,"c":true,"d":false,"e":0})",
       R"({"a":{"number":45.0},"b":{"number":-1500.0},"c":{"yes":true},"d":{"yes":false},"e":{"number":0.0}})"},
      {R"( { "a" : 12345678901234567890123 , "b" :true } )", R"({"a":{"number":1.2345678901234568e22},"b":{"yes":true}})"},
      {R"({"r1":45,"r2":true,"r3":"x","s":null,"t":"text"})", R"({"r1":45,"r2":true,"r3":"x","s":null,"t":"text"})"},
      {R"({"a":{"b":1,"c":true},"d":[1,false]})", R"({"a":{"b":1,"c":true},"d":[1,false]})"},
      {R"({"a":{"value":1,"unit":"g/dL"}})", R"({"a":{"unit":"g/dL","value":1}})"},
      {R"({"a":1,"a":"x"})", R"({"a":"x"})"},
      {R"({"a":"x","a":1})", R"({"a":{"number":1.0}})"},
  };
  for (const auto& [text, expected] : cases) {
    placed.clear();
    EXPECT_EQ(read(text, takers, placed), trialscreen::logic::MembersRead::Object) << text;
    EXPECT_TRUE(same_json(json(placed), json::parse(expected))) << text << "\nplaced: " << json(placed).dump();
    // No takers: everything as parsing gives it.
    placed.clear();
    Diagnostics errors;
    const std::optional<json> whole = trialscreen::logic::parse_json(text, errors, 4);
    ASSERT_TRUE(whole) << text;
    EXPECT_EQ(read(text, trialscreen::logic::MemberTakers{}, placed), trialscreen::logic::MembersRead::Object) << text;
    EXPECT_TRUE(same_json(json(placed), *whole)) << text;
  }
  for (const std::string text : {R"({"a":1,"b":true,"c":[})", R"({"a":truex})", R"({"a":1.})", R"({"a":01})", R"({"a":-})"}) {
    placed.clear();
    EXPECT_EQ(read(text, takers, placed), trialscreen::logic::MembersRead::Invalid) << text;
    EXPECT_TRUE(placed.empty()) << text;
  }
}

// ---- numbers ----

TEST(LogicNumbers, DecimalTextConvertsExactlyAsStrtodDoes) {
  const auto expect_as_strtod = [](const std::string& text) {
    const double ours = trialscreen::logic::decimal_value(text.data(), text.data() + text.size());
    const double theirs = std::strtod(text.c_str(), nullptr);
    EXPECT_TRUE(ours == theirs && std::signbit(ours) == std::signbit(theirs))
        << text << ": " << ours << " against " << theirs;
  };
  for (const char* text : {"0", "-0", "+0", "-0.0", "0.5", ".5", "5.", "+3", "108.2", "0.4", "2.02", "1e0", "1E-3",
                           "9007199254740993", "9007199254740992", "18014398509481985", "1e22", "1e23", "3e-22",
                           "3e-23", "1234567890123456789", "12345678901234567890", "0.30000000000000004",
                           "70.50000000000000001", "1e400", "1e-400", "0e999", "0.000000000000000000001"}) {
    expect_as_strtod(text);
  }
  // Random decimals of up to 20 digits with a point somewhere and exponents around the exact range.
  std::mt19937 random(20261126);
  for (int n = 0; n < 200000; ++n) {
    std::string text = random() % 4 == 0 ? "-" : "";
    const int digits = 1 + static_cast<int>(random() % 20);
    const int point = static_cast<int>(random() % (digits + 2));
    for (int i = 0; i < digits; ++i) {
      if (i == point) text += '.';
      text += static_cast<char>('0' + random() % 10);
    }
    if (random() % 3 == 0) text += "e" + std::to_string(static_cast<int>(random() % 60) - 30);
    expect_as_strtod(text);
    if (HasFailure()) return;
  }
}

TEST(LogicNumbers, IntegralResultsPrintWithoutAFraction) {
  EXPECT_EQ(trialscreen::logic::to_json_text(logic_test::run({{"+", {1.0, 2.0}}}, nullptr).value), "3");
  EXPECT_EQ(trialscreen::logic::to_json_text(logic_test::run({{"*", {-1, 0}}}, nullptr).value), "0");
  EXPECT_EQ(trialscreen::logic::to_json_text(logic_test::run({{"/", {1, 4}}}, nullptr).value), "0.25");
  EXPECT_EQ(trialscreen::logic::to_json_text(logic_test::run({{"+", {0.1, 0.2}}}, nullptr).value),
            "0.30000000000000004");
  EXPECT_EQ(logic_test::run({{"cat", {1.5, 2.0, "|", 1e21}}}, nullptr).value, "1.52|1e+21");
}

TEST(LogicNumbers, NonFiniteResultsAreNaNErrors) {
  EXPECT_EQ(logic_test::run({{"/", {1, 0}}}, nullptr).error_type, "NaN");
  EXPECT_EQ(logic_test::run({{"*", {1e308, 10}}}, nullptr).error_type, "NaN");
  EXPECT_EQ(logic_test::run({{"+", {"Infinity"}}}, nullptr).error_type, "NaN");
}

// ---- compile errors ----

TEST(LogicCompile, UnknownOperatorHasIdAndPointer) {
  const auto errors = compile_errors({{"and", {true, {{"=>", {1, 2}}}}}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].id, "rule.104");
  EXPECT_EQ(errors[0].pointer, "/and/1");
  EXPECT_EQ(trialscreen::logic::error_type(errors[0]), "Unknown Operator");
}

TEST(LogicCompile, ArgumentShapeErrorsHaveIdsAndPointers) {
  struct Case {
    json rule;
    std::string id;
    std::string pointer;
  };
  const std::vector<Case> cases = {
      {{{"if", {true, {{"<", {1}}}}}}, "rule.106", "/if/1/<"},
      {{{"%", 1}}, "rule.106", "/%"},
      {{{"or", {{{"and", 5}}}}}, "rule.105", "/or/0/and"},
      {{{"map", {nullptr, {{"var", ""}}}}}, "rule.107", "/map/0"},
      {{{"a", 1}, {"b", 2}}, "rule.101", ""},
      {{{"var", json::object()}}, "rule.108", "/var"},
      {{{"val", {"a", {1, 2}}}}, "rule.108", "/val/1"},
      {{{"date_add", {"2026-02-30", 1, "day"}}}, "rule.111", "/date_add/0"},
      {{{"date_add", {"2026-02-03", 1, "week"}}}, "rule.111", "/date_add/2"},
  };
  for (const Case& c : cases) {
    const auto errors = compile_errors(c.rule);
    ASSERT_EQ(errors.size(), 1u) << c.rule.dump();
    EXPECT_EQ(errors[0].id, c.id) << c.rule.dump();
    EXPECT_EQ(errors[0].pointer, c.pointer) << c.rule.dump();
    EXPECT_EQ(trialscreen::logic::error_type(errors[0]), "Invalid Arguments") << c.rule.dump();
  }
}

TEST(LogicCompile, PointersEscapeOperatorNames) {
  const auto errors = compile_errors({{"and", {{{"a/b", 1}}}}});
  EXPECT_EQ(errors[0].pointer, "/and/0");
  const auto nested = compile_errors({{"!", {{{"<", {1}}}}}});
  EXPECT_EQ(nested[0].pointer, "/!/0/<");
}

// ---- limits ----

// {"!": [{"!": [... true ...]}]}, built by moving (an initializer list would
// copy the whole nest at every level).
json nested_not(std::size_t depth) {
  json rule = true;
  for (std::size_t i = 0; i < depth; ++i) {
    json args = json::array();
    args.push_back(std::move(rule));
    rule = json::object();
    rule["!"] = std::move(args);
  }
  return rule;
}

TEST(LogicLimits, ThirtyThousandDeepRuleValueIsAnErrorNotACrash) {
  const json rule = nested_not(30000);  // built programmatically, never parsed
  const auto errors = compile_errors(rule);
  EXPECT_EQ(errors[0].id, "rule.102");
  EXPECT_EQ(trialscreen::logic::error_type(errors[0]), "Limit Exceeded");
  // Deep plain data and deep preserved literals are measured too.
  json deep_array = json::array();
  for (int i = 0; i < 30000; ++i) {
    json outer = json::array();
    outer.push_back(std::move(deep_array));
    deep_array = std::move(outer);
  }
  EXPECT_EQ(compile_errors(deep_array)[0].id, "rule.102");
  json preserved = json::object();
  preserved["preserve"] = std::move(deep_array);
  EXPECT_EQ(compile_errors(preserved)[0].id, "rule.102");
}

TEST(LogicLimits, DepthAndNodeLimitsAreConfigurable) {
  trialscreen::logic::CompileOptions options;
  options.limits.max_depth = 10;
  Diagnostics errors;
  EXPECT_TRUE(Rule::compile(nested_not(5), errors, options));    // 10 levels: 5 objects, 5 arrays
  EXPECT_FALSE(Rule::compile(nested_not(6), errors, options));
  options = {};
  options.limits.max_nodes = 10;
  json wide = json::array();
  for (int i = 0; i < 20; ++i) wide.push_back({{"var", "x"}});
  EXPECT_EQ(compile_errors({{"and", wide}}, options)[0].id, "rule.103");
}

TEST(LogicLimits, DerivedChainsCountTowardsTheDepthLimit) {
  trialscreen::logic::CompileOptions options;
  options.limits.max_depth = 40;
  for (int i = 0; i < 30; ++i) {
    options.derived["d" + std::to_string(i)] = {{"+", {{{"var", "d" + std::to_string(i + 1)}}, 1}}};
  }
  EXPECT_EQ(compile_errors({{"var", "d0"}}, options)[0].id, "rule.102");
}

// ---- compile once, evaluate many ----

TEST(LogicRule, CompiledOnceEvaluatesManyDataDocuments) {
  Diagnostics errors;
  auto rule = Rule::compile({{"if", {{{">=", {{{"var", "age"}}, 18}}}, "adult", "minor"}}}, errors);
  ASSERT_TRUE(rule);
  EXPECT_EQ(rule->evaluate({{"age", 30}}).value, "adult");
  EXPECT_EQ(rule->evaluate({{"age", 3}}).value, "minor");
  EXPECT_EQ(rule->evaluate({{"age", "18"}}).value, "adult");
  Rule moved = std::move(*rule);
  EXPECT_EQ(moved.evaluate({{"age", 18}}).value, "adult");
}

TEST(LogicRule, VariablesAreTheTopLevelNamesSortedWithoutIteratorReads) {
  Diagnostics errors;
  const auto rule = Rule::compile(
      {{"and",
        {{{"var", "b.inner"}}, {{"val", "a"}}, {{"var", "b"}}, {{"map", {{{"var", "list"}}, {{"var", "field"}}}}}}}},
      errors);
  ASSERT_TRUE(rule);
  EXPECT_EQ(rule->variables(), (std::vector<std::string>{"a", "b", "list"}));
}

TEST(LogicRule, RuntimeErrorsCarryIdTypeAndPointer) {
  const auto nan = logic_test::run({{"and", {true, {{"/", {1, 0}}}}}}, nullptr);
  ASSERT_TRUE(nan.is_error());
  EXPECT_EQ(nan.error_type, "NaN");
  EXPECT_EQ(nan.error_id, "rule.201");
  EXPECT_EQ(nan.error_pointer, "/and/1");
  const auto thrown = logic_test::run({{"throw", {{"preserve", {{"type", "Custom"}, {"code", 7}}}}}}, nullptr);
  EXPECT_EQ(thrown.error_type, "Custom");
  EXPECT_EQ(thrown.error_id, "rule.203");
  EXPECT_EQ(thrown.thrown, (json{{"type", "Custom"}, {"code", 7}}));
  const auto iterate = logic_test::run({{"all", {{{"var", "x"}}, true}}}, json::object());
  EXPECT_EQ(iterate.error_id, "rule.202");
}

TEST(LogicRule, AThrownEmptyStringIsAnErrorWhoseTypeIsEmpty) {
  // Found by fuzz_logic: the type is what was thrown, even "", as a try handler reads it.
  const auto thrown = logic_test::run({{"throw", ""}}, nullptr);
  ASSERT_TRUE(thrown.is_error());
  EXPECT_EQ(thrown.error_type, "");
  EXPECT_EQ(thrown.error_id, "rule.203");
  EXPECT_EQ(thrown.error_pointer, "");
  EXPECT_EQ(logic_test::run({{"try", {{{"throw", ""}}, {{"var", "type"}}}}}, nullptr).value, "");
}

// ---- dates ----

TEST(LogicDates, DateAddDoesCalendarArithmeticWithMonthEndClamping) {
  const auto add = [](const std::string& date, int amount, const std::string& unit) {
    return logic_test::run({{"date_add", {date, amount, unit}}}, nullptr).value;
  };
  EXPECT_EQ(add("2026-08-31", 3, "month"), "2026-11-30");
  EXPECT_EQ(add("2026-03-31", -1, "month"), "2026-02-28");
  EXPECT_EQ(add("2024-02-29", 1, "year"), "2025-02-28");
  EXPECT_EQ(add("2024-02-29", 4, "year"), "2028-02-29");
  EXPECT_EQ(add("2026-12-25", 7, "day"), "2027-01-01");
  EXPECT_EQ(add("2026-03-01", -1, "day"), "2026-02-28");
  EXPECT_EQ(add("2026-01-15", -13, "month"), "2024-12-15");
  // Years, months and days are written zero-padded at both ends of the range.
  EXPECT_EQ(add("0001-01-02", -1, "day"), "0001-01-01");
  EXPECT_EQ(add("0009-12-31", 1, "day"), "0010-01-01");
  EXPECT_EQ(add("0999-09-09", 1, "year"), "1000-09-09");
  EXPECT_EQ(add("9999-12-30", 1, "day"), "9999-12-31");
  EXPECT_EQ(add("2026-10-10", 0, "day"), "2026-10-10");
}

TEST(LogicDates, InvalidDatesAreErrors) {
  const auto bad = logic_test::run({{"date_add", {{{"var", "d"}}, 1, "day"}}}, {{"d", "2026-02-30"}});
  ASSERT_TRUE(bad.is_error());
  EXPECT_EQ(bad.error_type, "Invalid Date");
  EXPECT_EQ(bad.error_id, "rule.204");
  EXPECT_EQ(logic_test::run({{"date_add", {{{"var", "d"}}, 1, "day"}}}, {{"d", "26-02-03"}}).error_type,
            "Invalid Date");
  EXPECT_EQ(logic_test::run({{"date_add", {"9999-12-31", 1, "day"}}}, nullptr).error_type, "Invalid Date");
  EXPECT_EQ(logic_test::run({{"date_add", {"2026-01-01", 1e300, "day"}}}, nullptr).error_type, "Invalid Date");
}

TEST(LogicDates, IsoDatesCompareInCalendarOrder) {
  const json window = {{"<=", {{{"date_add", {{{"var", "vaccine"}}, 28, "day"}}}, {{"var", "as_of"}}}}};
  EXPECT_EQ(logic_test::run(window, {{"vaccine", "2026-10-28"}, {"as_of", "2026-11-25"}}).value, true);
  EXPECT_EQ(logic_test::run(window, {{"vaccine", "2026-10-29"}, {"as_of", "2026-11-25"}}).value, false);
  EXPECT_EQ(logic_test::run({{"<", {"2026-09-30", "2026-10-01"}}}, nullptr).value, true);
}

}  // namespace
