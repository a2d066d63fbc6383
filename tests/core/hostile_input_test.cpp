// Hostile input through the JSON-text façade (what the WebAssembly module and
// the widget call): empty, truncated, binary, BOM-prefixed, 100,000-deep, huge
// and type-confused trial files, answers, options and rules. Each must end in
// an error value with a stable id and a JSON pointer (docs/errors.md), or in a
// normal result, and never in a crash, an exception or a hang.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "../fuzz/harness.hpp"
#include "trialscreen/session.hpp"

namespace {

using nlohmann::json;
using trialscreen::LogicSession;
using trialscreen::TrialSession;

const std::string kBom = "\xEF\xBB\xBF";
const char* const kOptions = R"({"asOf": "2026-11-25", "audience": "physician", "lang": "en"})";

const TrialSession& bh002() { return trialscreen::fuzz::bh002_session(TRIALSCREEN_SOURCE_DIR); }
const std::string& bh002_text() {
  static const std::string text = trialscreen::fuzz::read_text_file(std::string(TRIALSCREEN_SOURCE_DIR) + "/examples/bh002/trial.json");
  return text;
}

std::string deep_array(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// "[0,0,...]" with `count` elements.
std::string long_array(std::size_t count) {
  std::string text = "[0";
  text.reserve(2 * count + 1);
  for (std::size_t i = 1; i < count; ++i) text += ",0";
  return text + "]";
}

json parsed(const std::string& reply) {
  json value = json::parse(reply, nullptr, false);
  EXPECT_FALSE(value.is_discarded()) << "reply is not JSON: " << reply.substr(0, 200);
  return value;
}

// The error value of a reply: {"code", "path", "message"}, checked.
json error_of(const std::string& reply) {
  const json value = parsed(reply);
  if (!value.is_object() || !value.contains("error")) {
    ADD_FAILURE() << "expected an error, got " << reply.substr(0, 200);
    return json::object();
  }
  const json& error = value["error"];
  EXPECT_TRUE(error.contains("message")) << reply.substr(0, 200);
  EXPECT_TRUE(error.value("path", std::string("?")).empty() || error.value("path", std::string("?"))[0] == '/')
      << reply.substr(0, 200);
  return error;
}

std::string load_error_code(const std::string& trial_text) {
  const TrialSession session(trial_text);
  EXPECT_FALSE(session.ok());
  return error_of(session.load_error()).value("code", "");
}

std::string screen_error_code(const std::string& answers, const std::string& options = kOptions) {
  return error_of(bh002().screen(answers, options)).value("code", "");
}

// A screening result (not an error) for these answers.
json screened(const std::string& answers, const std::string& options = kOptions) {
  const json result = parsed(bh002().screen(answers, options));
  EXPECT_TRUE(result.contains("verdict")) << result.dump().substr(0, 300);
  return result;
}

// The status of criterion `id` in a result ("" when it is missing).
std::string status_of(const json& result, const std::string& id) {
  for (const json& c : result.value("criteria", json::array())) {
    if (c.value("id", "") == id) return c.value("status", "");
  }
  return "";
}

std::set<std::string> answer_error_fields(const json& result) {
  std::set<std::string> fields;
  for (const json& e : result.value("answerErrors", json::array())) fields.insert(e.value("field", ""));
  return fields;
}

// --- trial definitions -------------------------------------------------------

TEST(HostileTrial, EmptyTruncatedAndBinaryFilesAreJsonErrors) {
  EXPECT_EQ(load_error_code(""), "trial.json.001");
  EXPECT_EQ(load_error_code(bh002_text().substr(0, bh002_text().size() / 2)), "trial.json.001");
  EXPECT_EQ(load_error_code(std::string("\x00\xFF\xFE\x7F{\x80", 6)), "trial.json.001");
  EXPECT_EQ(load_error_code("{\"format\": \"trialscreen/trial@1\", \"id\": \"\xC3\x28\"}"), "trial.json.001");
}

TEST(HostileTrial, AUtf8ByteOrderMarkIsAccepted) {
  const TrialSession session(kBom + bh002_text());
  ASSERT_TRUE(session.ok()) << session.load_error();
  EXPECT_EQ(status_of(parsed(session.screen(R"({"age": 45})", kOptions)), "I01"), "pass");
}

TEST(HostileTrial, HundredThousandDeepIsADepthError) {
  EXPECT_EQ(load_error_code(deep_array(100000)), "trial.json.002");
  EXPECT_EQ(load_error_code(R"({"format": "trialscreen/trial@1", "criteria": )" + deep_array(100000) + "}"),
            "trial.json.002");
}

TEST(HostileTrial, FilesOverFourMebibytesAreRefusedBeforeParsing) {
  EXPECT_EQ(load_error_code("{\"title\": \"" + std::string(10 * 1024 * 1024, 'x') + "\"}"), "trial.schema.001");
}

TEST(HostileTrial, AMillionQuestionsIsALimitError) {
  const TrialSession session(R"({"format": "trialscreen/trial@1", "questions": )" + long_array(1000000) + "}");
  ASSERT_FALSE(session.ok());
  bool limit = false;
  const json error = error_of(session.load_error());
  for (const json& e : error["errors"]) {
    limit = limit || (e["code"] == "trial.schema.107" && e["path"] == "/questions");
  }
  EXPECT_TRUE(limit) << session.load_error().substr(0, 400);
}

TEST(HostileTrial, TypeConfusedMembersAreSchemaErrorsWithPointers) {
  json bh002_value = json::parse(bh002_text());
  const std::vector<json> wrong_values = {nullptr, true, 3.5, "text", json::array(), json::object(), json::array({1, "a"})};
  for (const char* key : {"id", "title", "languages", "sections", "questions", "criteria", "derived", "warnings"}) {
    for (const json& wrong : wrong_values) {
      json broken = bh002_value;
      broken[key] = wrong;
      const TrialSession session(broken.dump());
      if (session.ok()) continue;  // e.g. an empty warnings list is valid
      const json error = error_of(session.load_error());
      EXPECT_EQ(error.value("code", "").rfind("trial.", 0), 0u) << key << " = " << wrong.dump();
    }
  }
  for (const json& wrong : wrong_values) {
    json broken = bh002_value;
    broken["questions"][0] = wrong;
    broken["criteria"][3]["rule"] = wrong.is_object() ? json{{"var", json::object()}} : wrong;
    const TrialSession session(broken.dump());
    ASSERT_FALSE(session.ok()) << wrong.dump();
    bool points_at_question = false;
    const json error = error_of(session.load_error());
    for (const json& e : error["errors"]) {
      points_at_question = points_at_question || e["path"].get<std::string>().rfind("/questions/0", 0) == 0;
    }
    EXPECT_TRUE(points_at_question) << session.load_error().substr(0, 300);
  }
  EXPECT_EQ(load_error_code("[]"), "trial.schema.002");
  EXPECT_EQ(load_error_code("null"), "trial.schema.002");
}

// --- answers and options ------------------------------------------------------

TEST(HostileAnswers, EmptyTruncatedAndBinaryAnswersAreJsonErrors) {
  EXPECT_EQ(screen_error_code(""), "answers.json.001");
  EXPECT_EQ(screen_error_code(R"({"age": 4)"), "answers.json.001");
  EXPECT_EQ(screen_error_code(std::string("\x00\xFF\x01", 3)), "answers.json.001");
  EXPECT_EQ(screen_error_code("{\"age\": \"\xFF\"}"), "answers.json.001");
  EXPECT_EQ(screen_error_code(deep_array(100000)), "answers.json.002");
  EXPECT_EQ(screen_error_code("{}", "{\"asOf\": "), "options.json.001");
}

TEST(HostileAnswers, AnswersAndOptionsOfTheWrongTypeAreTypeErrors) {
  for (const char* answers : {"[]", "5", "\"age\"", "true", "[{\"age\": 45}]"}) {
    EXPECT_EQ(screen_error_code(answers), "answers.type") << answers;
  }
  for (const char* options : {"null", "[]", "\"2026-11-25\"", "7"}) {
    EXPECT_EQ(screen_error_code("{}", options), "options.type") << options;
  }
}

TEST(HostileAnswers, AByteOrderMarkOnAnswersIsAccepted) {
  EXPECT_EQ(status_of(screened(kBom + R"({"age": 17})"), "I01"), "fail");
}

TEST(HostileAnswers, WrongOptionValuesStillScreen) {
  // An impossible date is an answer error on as_of; an unknown audience or
  // language falls back to the defaults; a wrong type is ignored.
  EXPECT_EQ(answer_error_fields(screened("{}", R"({"asOf": "2026-02-30"})")), std::set<std::string>{"as_of"});
  EXPECT_EQ(answer_error_fields(screened("{}", R"({"asOf": 20261125})")), std::set<std::string>{"as_of"});
  const json odd = screened(R"({"age": 45})", R"({"asOf": "2026-11-25", "audience": "robot", "lang": "tlh"})");
  EXPECT_EQ(status_of(odd, "I01"), "pass");
}

TEST(HostileAnswers, EveryWrongTypeForEveryQuestionIsAnAnswerErrorAndTheRestStillCounts) {
  const json definition = json::parse(bh002().definition());
  const std::vector<json> wrong_values = {true, 1.5, -1e308, "x", "2026-13-45", json::array({1}), json::object(),
                                          json{{"value", "8"}, {"unit", 5}}, json{{"value", 8}, {"unit", "furlong"}}};
  for (const json& wrong : wrong_values) {
    json answers = json::object();
    for (const json& q : definition["questions"]) answers[q["id"].get<std::string>()] = wrong;
    answers["age"] = 45;  // stays valid, so it must still count
    answers["not_a_question"] = wrong;
    const json result = screened(answers.dump());
    const std::set<std::string> fields = answer_error_fields(result);
    EXPECT_EQ(fields.count("age"), 0u) << wrong.dump();
    EXPECT_EQ(fields.count("not_a_question"), 1u) << wrong.dump();
    EXPECT_EQ(status_of(result, "I01"), "pass") << wrong.dump();
    for (const json& e : result["answerErrors"]) {
      static const std::set<std::string> codes = {"type", "unit", "implausible", "unknown-field", "date", "future"};
      EXPECT_EQ(codes.count(e["code"].get<std::string>()), 1u) << e.dump();
    }
  }
}

TEST(HostileAnswers, HugeValuesAreAnswerErrorsNotHugeResults) {
  // One 10 MB string and one million-element array: both are answer errors
  // of type `type`, and the result does not echo them back.
  const std::string answers =
      R"({"age": ")" + std::string(10 * 1000 * 1000, '7') + R"(", "hemoglobin": )" + long_array(1000000) + "}";
  const std::string reply = bh002().screen(answers, kOptions);
  EXPECT_LT(reply.size(), 200000u);
  const json result = parsed(reply);
  EXPECT_EQ(answer_error_fields(result), (std::set<std::string>{"age", "hemoglobin"}));
}

TEST(HostileAnswers, InvalidUtf8InsideAKeyNeverBreaksTheResultJson) {
  // Not valid JSON text, so refused at parsing ...
  EXPECT_EQ(screen_error_code("{\"\xC3\x28\": 1}"), "answers.json.001");
  // ... and a key the parser accepts but no question has is reported by name.
  const json result = screened(R"({"\u00e9\ud83d\ude00": 1})");
  EXPECT_EQ(answer_error_fields(result).count("\xC3\xA9\xF0\x9F\x98\x80"), 1u);
}

// --- rules --------------------------------------------------------------------

std::string compile_error_code(const std::string& rule_text) {
  const LogicSession session(rule_text);
  EXPECT_FALSE(session.ok());
  return error_of(session.compile_error()).value("code", "");
}

TEST(HostileRules, EmptyTruncatedBinaryAndDeepRulesAreErrors) {
  EXPECT_EQ(compile_error_code(""), "json.001");
  EXPECT_EQ(compile_error_code(R"({"==": [1, )"), "json.001");
  EXPECT_EQ(compile_error_code(std::string("\x00\x9F", 2)), "json.001");
  EXPECT_EQ(compile_error_code(deep_array(100000)), "json.002");
  EXPECT_EQ(compile_error_code(std::string(100000, '!') + "1"), "json.001");
}

TEST(HostileRules, AMillionElementRuleIsANodeLimitError) {
  EXPECT_EQ(compile_error_code(R"({"in": [1, )" + long_array(1000000) + "]}"), "rule.103");
}

TEST(HostileRules, TypeConfusedOperatorsAreCompileOrEvaluationErrors) {
  for (const char* rule : {R"({"var": {}})", R"({"if": 5})", R"({"map": [null, null]})", R"({"==": 1})",
                           R"({"a": 1, "b": 2})", R"({"=>": [1, 2]})"}) {
    EXPECT_EQ(compile_error_code(rule).rfind("rule.1", 0), 0u) << rule;
  }
  const LogicSession nan(R"({"/": [1, {"var": "x"}]})");
  ASSERT_TRUE(nan.ok());
  const json error = error_of(nan.apply(R"({"x": 0})"));
  EXPECT_EQ(error["code"], "rule.201");
  EXPECT_EQ(error["type"], "NaN");
}

TEST(HostileRules, HugeDataIsEvaluatedWithoutRecursionTrouble) {
  const LogicSession count(R"({"reduce": [{"var": "xs"}, {"+": [{"var": "accumulator"}, 1]}, 0]})");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(parsed(count.apply(R"({"xs": )" + long_array(200000) + "}"))["result"], 200000);
  const LogicSession length(R"({"cat": [{"var": "s"}, "!"]})");
  const json result = parsed(length.apply(R"({"s": ")" + std::string(10 * 1000 * 1000, 'y') + R"("})"));
  EXPECT_EQ(result["result"].get_ref<const std::string&>().size(), 10u * 1000 * 1000 + 1);
}

}  // namespace
