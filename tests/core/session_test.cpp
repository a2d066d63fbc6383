// The JSON-text façade that JavaScript sees, natively: the I01 slice (age 18
// to 90 inclusive, unanswered = unknown) and the failure values it returns.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

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

// Reads screen_numbered()'s text as the WebAssembly wrapper does: keeps the
// criterion objects by number and puts them back in place of their numbers.
class NumberedReader {
 public:
  // The result as a JSON value (an error object as it is).
  nlohmann::json read(const std::string& text) {
    const std::size_t line_end = text.find('\n');
    nlohmann::json result = nlohmann::json::parse(text.substr(0, line_end));
    last_first_ = std::string::npos;
    if (line_end != std::string::npos) {
      std::size_t at = line_end + 1;
      std::size_t end = text.find('\n', at);
      last_first_ = std::stoul(text.substr(at, end - at));
      objects_.resize(last_first_);
      while (end != std::string::npos) {
        at = end + 1;
        end = text.find('\n', at);
        objects_.push_back(nlohmann::json::parse(text.substr(at, end == std::string::npos ? end : end - at)));
      }
    }
    if (result.contains("criteria")) {
      for (nlohmann::json& c : result["criteria"]) c = objects_.at(c.get<std::size_t>());
    }
    return result;
  }
  // FIRST of the last text read, npos when it sent no object.
  std::size_t last_first() const { return last_first_; }
  std::size_t known() const { return objects_.size(); }

 private:
  std::vector<nlohmann::json> objects_;
  std::size_t last_first_ = std::string::npos;
};

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
  NumberedReader reader;
  const nlohmann::json first = reader.read(session.screen_numbered(answers, kOptions));
  EXPECT_GT(session.kept_outcomes(), 0u);
  EXPECT_EQ(first, nlohmann::json::parse(fresh.screen(answers, kOptions)));
  EXPECT_EQ(reader.read(session.screen_numbered(R"({"age": 45})", kOptions)),
            nlohmann::json::parse(fresh.screen(R"({"age": 45})", kOptions)));
  EXPECT_EQ(reader.read(session.screen_numbered(answers, kOptions)), first);
  session.forget();
  EXPECT_EQ(session.kept_outcomes(), 0u);
  EXPECT_EQ(nlohmann::json::parse(session.screen(answers, kOptions)), first);
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
  NumberedReader reader;
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& [answers, options] : screenings) {
      const trialscreen::TrialSession fresh(bh002_text());
      const std::string expected = fresh.screen(answers, options);
      EXPECT_EQ(reader.read(session.screen_numbered(answers, options)), nlohmann::json::parse(expected)) << answers;
      // The numbers stand for exactly screen()'s text, member order included.
      EXPECT_EQ(reader.read(session.screen_numbered(answers, options)).dump(), expected) << answers;
    }
  }
}

TEST(SessionNumbered, EachCriterionObjectIsSentOnceUntilTheSessionForgets) {
  trialscreen::TrialSession session(bh002_text());
  ASSERT_TRUE(session.ok());
  NumberedReader reader;
  const std::string answers = R"({"age": 45, "sex": "female", "hemoglobin": 110})";
  const nlohmann::json first = reader.read(session.screen_numbered(answers, kOptions));
  EXPECT_EQ(reader.last_first(), 0u);
  EXPECT_EQ(reader.known(), first["criteria"].size());  // 34 objects, all different
  // The same answers again: every object is known, none is sent.
  const std::string again = session.screen_numbered(answers, kOptions);
  EXPECT_EQ(again.find('\n'), std::string::npos) << again;
  EXPECT_EQ(reader.read(again), first);
  // One answer more changes a few criteria: only those are sent, numbered on.
  reader.read(session.screen_numbered(R"({"age": 45, "sex": "female", "hemoglobin": 80})", kOptions));
  EXPECT_EQ(reader.last_first(), first["criteria"].size());
  EXPECT_LT(reader.known(), 2 * first["criteria"].size());
  // A person starting over: the numbering starts over too.
  session.forget();
  EXPECT_EQ(reader.read(session.screen_numbered(answers, kOptions)), first);
  EXPECT_EQ(reader.last_first(), 0u);
  // An error object comes alone.
  const std::string error = session.screen_numbered("{\"age\": ", kOptions);
  EXPECT_EQ(error.find('\n'), std::string::npos);
  EXPECT_TRUE(reader.read(error).contains("error"));
}

TEST(SessionNumbered, TheNumberingStartsOverWhenTheSessionHasKeptItsMost) {
  // Which SLEDAI items are still unanswered is listed in I03's waitingOn, so
  // each subset of them answered gives I03 an object of its own: a long run
  // of people fills the session's numbers. It then starts over, and every
  // result still reads as screen()'s.
  trialscreen::TrialSession session(bh002_text());
  const trialscreen::TrialSession fresh(bh002_text());
  ASSERT_TRUE(session.ok());
  const char* const items[] = {"sledai_arthritis", "sledai_myositis",   "sledai_urinary_casts", "sledai_hematuria",
                               "sledai_proteinuria", "sledai_pyuria",   "sledai_rash",          "sledai_alopecia",
                               "sledai_mucosal_ulcers", "sledai_pleurisy", "sledai_fever"};
  NumberedReader reader;
  int restarts = 0;
  for (unsigned answered = 0; answered < (1u << std::size(items)) && restarts < 1; ++answered) {
    std::string answers = R"({"age": 45)";
    for (std::size_t i = 0; i < std::size(items); ++i) {
      if (answered & (1u << i)) answers += std::string(", \"") + items[i] + "\": false";
    }
    answers += '}';
    const nlohmann::json result = reader.read(session.screen_numbered(answers, kOptions));
    ASSERT_EQ(result, nlohmann::json::parse(fresh.screen(answers, kOptions))) << answers;
    if (answered > 0 && reader.last_first() == 0) ++restarts;
    ASSERT_LE(reader.known(), trialscreen::TrialSession::kMaxNumberedCriteria);
  }
  EXPECT_EQ(restarts, 1);
}

TEST(SessionErrors, UnparsableAnswersComeBackAsAnErrorValue) {
  const trialscreen::TrialSession session(bh002_text());
  ASSERT_TRUE(session.ok());
  const nlohmann::json reply = nlohmann::json::parse(session.screen("{\"age\": ", kOptions));
  ASSERT_TRUE(reply.contains("error"));
  EXPECT_EQ(reply["error"]["code"].get<std::string>().rfind("answers.", 0), 0u) << reply.dump();
}

TEST(SessionErrors, OptionsAreReadAgainWhenTheirTextChanges) {
  // The session reads the options' text once while calls repeat it.
  trialscreen::TrialSession session(bh002_text());
  ASSERT_TRUE(session.ok());
  const std::string answers = R"({"age": 45})";
  const char* const chinese = R"({"asOf": "2026-11-25", "audience": "physician", "lang": "zh-Hans"})";
  // No options read yet: empty text is still an error, not the defaults.
  const nlohmann::json empty = nlohmann::json::parse(session.screen(answers, ""));
  ASSERT_TRUE(empty.contains("error"));
  EXPECT_EQ(empty["error"]["code"].get<std::string>().rfind("options.", 0), 0u) << empty.dump();
  const std::string english = session.screen(answers, kOptions);
  EXPECT_EQ(session.screen(answers, kOptions), english);
  EXPECT_NE(session.screen(answers, chinese), english);
  const nlohmann::json broken = nlohmann::json::parse(session.screen(answers, "{\"asOf\": "));
  ASSERT_TRUE(broken.contains("error"));
  EXPECT_EQ(broken["error"]["code"].get<std::string>().rfind("options.", 0), 0u) << broken.dump();
  EXPECT_EQ(nlohmann::json::parse(session.screen(answers, "[]"))["error"]["code"], "options.type");
  EXPECT_EQ(session.screen(answers, kOptions), english);
  EXPECT_EQ(session.screen(answers, chinese), trialscreen::TrialSession(bh002_text()).screen(answers, chinese));
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

// The names a host may write alone into apply()'s data: only where the rule
// cannot look past them. A wrong list would give a different result than the
// whole record, so every case that may look further must say null.
TEST(SessionLogic, NamesTheTopLevelDataItReadsOnlyWhenItReadsNothingElse) {
  const auto names = [](const char* rule) { return trialscreen::LogicSession(rule).data_names(); };
  EXPECT_EQ(names(R"({">=": [{"var": "wbc"}, 2.5]})"), R"(["wbc"])");
  EXPECT_EQ(names(R"({"and": [{"var": "b.c"}, {"var": ["a", 1]}, {"var": "b.d"}]})"), R"(["a","b"])");
  EXPECT_EQ(names(R"({"var": 0})"), R"(["0"])");
  EXPECT_EQ(names(R"({"+": [1, 2]})"), "[]");
  EXPECT_EQ(names(R"({"var": ""})"), "null") << "the whole document";
  EXPECT_EQ(names(R"({"var": {"cat": ["a", "b"]}})"), "null") << "a computed path";
  EXPECT_EQ(names(R"({"missing": ["a"]})"), "null");
  EXPECT_EQ(names(R"({"missing_some": [1, ["a", "b"]]})"), "null");
  EXPECT_EQ(names(R"({"map": [{"var": "xs"}, {"var": "x"}]})"), "null") << "inside map, var reads each element";
  EXPECT_EQ(names(R"({"=>": [1, 2]})"), "null") << "a rule that did not compile";
}

}  // namespace
