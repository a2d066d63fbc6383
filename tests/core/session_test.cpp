// The JSON-text façade that JavaScript sees, natively: the I01 slice (age 18
// to 90 inclusive, unanswered = unknown) and the failure values it returns.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "trialscreen/session.hpp"

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const std::string& bh002_text() {
  static const std::string text = read_text(std::string(TRIALSCREEN_SOURCE_DIR) + "/examples/bh002/trial.json");
  return text;
}

nlohmann::json criterion(const std::string& result_text, const std::string& id) {
  const nlohmann::json result = nlohmann::json::parse(result_text);
  for (const auto& c : result.at("criteria")) {
    if (c.at("id") == id) return c;
  }
  return nullptr;
}

const char* const kOptions = R"({"asOf": "2026-11-25", "audience": "physician", "lang": "en"})";

TEST(SessionSlice, AgeWithinEighteenToNinetyInclusivePasses) {
  const trialscreen::TrialSession session(bh002_text());
  ASSERT_TRUE(session.ok()) << session.load_error();
  for (const char* age : {"18", "45", "90"}) {
    EXPECT_EQ(criterion(session.screen(std::string("{\"age\": ") + age + "}", kOptions), "I01")["status"], "pass")
        << "age " << age;
  }
  for (const char* age : {"17", "91"}) {
    EXPECT_EQ(criterion(session.screen(std::string("{\"age\": ") + age + "}", kOptions), "I01")["status"], "fail")
        << "age " << age;
  }
}

TEST(SessionSlice, UnansweredAgeIsUnknownNeverFail) {
  const trialscreen::TrialSession session(bh002_text());
  ASSERT_TRUE(session.ok()) << session.load_error();
  for (const char* answers : {"{}", R"({"age": null})"}) {
    const nlohmann::json i01 = criterion(session.screen(answers, kOptions), "I01");
    EXPECT_EQ(i01["status"], "unknown") << answers;
    EXPECT_EQ(i01["waitingOn"], nlohmann::json::array({"age"})) << answers;
  }
}

TEST(SessionSlice, KeptOutcomesGiveTheSameResultsAndAreForgottenOnRequest) {
  // The session keeps rule outcomes between screenings (the widget screens
  // after every answer); the text it hands out in place is screen()'s; a
  // person starting over leaves nothing worked out from their answers.
  trialscreen::TrialSession session(bh002_text());
  ASSERT_TRUE(session.ok());
  const trialscreen::TrialSession fresh(bh002_text());
  const std::string answers = R"({"age": 45, "sex": "female", "weight": 60, "creatinine": 0.9, "hemoglobin": 110})";
  const std::string first = session.screen_kept(answers, kOptions);
  EXPECT_GT(session.kept_outcomes(), 0u);
  EXPECT_EQ(first, fresh.screen(answers, kOptions));
  EXPECT_EQ(session.screen_kept(R"({"age": 45})", kOptions), fresh.screen(R"({"age": 45})", kOptions));
  EXPECT_EQ(session.screen_kept(answers, kOptions), first);
  session.forget();
  EXPECT_EQ(session.kept_outcomes(), 0u);
  EXPECT_EQ(session.screen(answers, kOptions), first);
  // The definition handed out in place is definition()'s text too.
  EXPECT_EQ(session.definition_kept(), fresh.definition());
}

TEST(SessionSlice, EachScreeningGivesTheTextAFreshSessionGives) {
  // Between screenings the session keeps its working memory, the last
  // answers' object members and the rule outcomes. Answer sets that differ
  // in every way that memory holds (quantities in other units, bad answers,
  // unknown fields, fewer answers, another audience) must each give exactly
  // what a session that never screened anything gives.
  trialscreen::TrialSession session(bh002_text());
  ASSERT_TRUE(session.ok());
  const char* const patient = R"({"asOf": "2026-11-25", "audience": "patient", "lang": "zh-Hans"})";
  const std::pair<const char*, const char*> screenings[] = {
      {R"({"age": 40, "sex": "female", "weight": {"value": 108.2, "unit": "kg"}, "sledai_score": 22,
           "wbc": {"value": 11.3, "unit": "10*3/uL"}, "platelets": {"value": 55, "unit": "10*3/uL"},
           "creatinine": 2.02, "immunosuppressant_last_dose": "2026-10-22", "malignancy": "none"})", kOptions},
      {R"({"age": 40, "wbc": {"value": 11.3, "unit": "mmol/L"}, "nickname": "x", "sex": null})", kOptions},
      {R"({"age": 17, "hemoglobin": 80, "creatinine": {"value": 221, "unit": "umol/L"}})", patient},
      {"{}", patient},
      {R"({"age": "forty", "sledai_score": 7, "immunosuppressant_last_dose": "2027-01-01"})", kOptions},
      {R"({"age": 40, "sex": "female", "weight": {"value": 108.2, "unit": "kg"}, "sledai_score": 22})", kOptions},
  };
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& [answers, options] : screenings) {
      const trialscreen::TrialSession fresh(bh002_text());
      EXPECT_EQ(session.screen_kept(answers, options), fresh.screen(answers, options)) << answers;
    }
  }
}

TEST(SessionErrors, UnparsableAnswersComeBackAsAnErrorValue) {
  const trialscreen::TrialSession session(bh002_text());
  ASSERT_TRUE(session.ok());
  const nlohmann::json reply = nlohmann::json::parse(session.screen("{\"age\": ", kOptions));
  ASSERT_TRUE(reply.contains("error"));
  EXPECT_EQ(reply["error"]["code"].get<std::string>().rfind("answers.", 0), 0u) << reply.dump();
}

TEST(SessionErrors, BrokenTrialReportsCodeAndPointer) {
  const trialscreen::TrialSession session("{\"format\": 1}");
  ASSERT_FALSE(session.ok());
  const nlohmann::json reply = nlohmann::json::parse(session.load_error());
  ASSERT_TRUE(reply.contains("error"));
  EXPECT_FALSE(reply["error"]["code"].get<std::string>().empty());
  EXPECT_TRUE(reply["error"]["path"].is_string());
  EXPECT_GE(reply["error"]["errors"].size(), 1u);
}

TEST(SessionLogic, AppliesPlainJsonLogicAndReportsErrorsAsValues) {
  const trialscreen::LogicSession rule(R"({"+": [{"var": "a"}, 2]})");
  ASSERT_TRUE(rule.ok()) << rule.compile_error();
  EXPECT_EQ(nlohmann::json::parse(rule.apply(R"({"a": 40})")), nlohmann::json({{"result", 42}}));

  const trialscreen::LogicSession broken(R"({"=>": [1, 2]})");
  ASSERT_FALSE(broken.ok());
  EXPECT_TRUE(nlohmann::json::parse(broken.compile_error()).contains("error"));

  const trialscreen::LogicSession thrower(R"({"throw": "Not an admin"})");
  ASSERT_TRUE(thrower.ok());
  EXPECT_EQ(nlohmann::json::parse(thrower.apply("null"))["error"]["type"], "Not an admin");
}

}  // namespace
