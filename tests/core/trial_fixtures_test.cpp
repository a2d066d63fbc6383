// Runs every BH002 scenario in tests/fixtures/bh002/*.json through
// examples/bh002/trial.json and checks the keys it expects (see that folder's
// README for the format and the matching rules), plus the matcher itself.
#include <algorithm>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "trial_fixture_match.hpp"
#include "trialscreen/logic.hpp"
#include "trialscreen/trial.hpp"

namespace {

using nlohmann::json;
using trialscreen::testing::match_expected;

const std::string kFixtureDir = std::string(TRIALSCREEN_SOURCE_DIR) + "/tests/fixtures/bh002";
const std::string kTrialPath = std::string(TRIALSCREEN_SOURCE_DIR) + "/examples/bh002/trial.json";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> scenario_files() {
  std::vector<std::string> names;
  if (DIR* dir = opendir(kFixtureDir.c_str())) {
    while (const dirent* entry = readdir(dir)) {
      const std::string name = entry->d_name;
      if (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0) names.push_back(name);
    }
    closedir(dir);
  }
  std::sort(names.begin(), names.end());
  return names;
}

const std::optional<trialscreen::Trial>& bh002() {
  static const std::optional<trialscreen::Trial> trial = [] {
    trialscreen::Diagnostics errors;
    return trialscreen::Trial::load(read_text(kTrialPath), errors);
  }();
  return trial;
}

class Bh002Scenario : public ::testing::TestWithParam<std::string> {};

TEST_P(Bh002Scenario, MatchesItsExpectations) {
  ASSERT_TRUE(bh002().has_value()) << "examples/bh002/trial.json does not load; run trialscreen lint on it";
  trialscreen::Diagnostics errors;
  const std::optional<json> scenario = trialscreen::logic::parse_json(read_text(kFixtureDir + "/" + GetParam()), errors);
  ASSERT_TRUE(scenario && scenario->is_object()) << GetParam() << " is not a JSON object";
  ASSERT_TRUE(scenario->contains("expect")) << GetParam() << " has no \"expect\"";
  ASSERT_TRUE(scenario->value("asOf", json()).is_string()) << GetParam() << " has no \"asOf\"";

  trialscreen::ScreenOptions options;
  options.as_of = scenario->at("asOf").get<std::string>();
  options.audience = scenario->value("audience", "physician");
  options.lang = scenario->value("lang", "en");
  const json result = bh002()->screen(scenario->value("answers", json::object()), options);

  const std::vector<std::string> problems = match_expected(scenario->at("expect"), result);
  std::string report;
  for (const std::string& p : problems) report += "  " + p + "\n";
  EXPECT_TRUE(problems.empty()) << GetParam() << " (" << scenario->value("description", "") << ")\n"
                                << report << "result: " << result.dump();

  // The batch and the WebAssembly API write the result straight as text: it
  // must be the very text of the JSON value, with a row's members merged in
  // key order (before, between and after the result's own).
  std::string text;
  bh002()->screen_text(scenario->value("answers", json::object()), options, text);
  EXPECT_EQ(text, trialscreen::logic::to_json_text(result)) << GetParam();
  const json row_members = {{"aaa", 1}, {"id", "R1"}, {"record", 7}, {"zzz", nullptr}};
  json with_members = result;
  for (const auto& member : row_members.items()) with_members[member.key()] = member.value();
  text.clear();
  bh002()->screen_text(scenario->value("answers", json::object()), options, text, &row_members);
  EXPECT_EQ(text, trialscreen::logic::to_json_text(with_members)) << GetParam();

  // The brief form a CSV row is written from says the same.
  const trialscreen::ScreenSummary summary = bh002()->screen_summary(scenario->value("answers", json::object()), options);
  EXPECT_EQ(summary.verdict, result["verdict"].get<std::string>()) << GetParam();
  ASSERT_EQ(summary.statuses.size(), result["criteria"].size()) << GetParam();
  for (std::size_t i = 0; i < summary.statuses.size(); ++i) {
    EXPECT_EQ(summary.statuses[i], result["criteria"][i]["status"].get<std::string>()) << GetParam() << " #" << i;
  }
  EXPECT_EQ(summary.answer_errors, result["answerErrors"]) << GetParam();
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param.substr(0, info.param.size() - 5);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Bh002Scenario, ::testing::ValuesIn(scenario_files()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Bh002Scenario);

TEST(Bh002Fixtures, ThereAreScenariosToRun) { EXPECT_FALSE(scenario_files().empty()) << "no " << kFixtureDir << "/*.json"; }

TEST(Bh002Fixtures, OneMemoForEveryScreeningChangesNoResult) {
  // The batch and the WebAssembly session keep rule outcomes and criterion
  // lines between screenings (logic::OutcomeMemo, LineMemo), and screen each
  // in the last one's working memory (ScreenBuffers). Every scenario,
  // screened one after the other through them, forwards then backwards and
  // in both audiences, must give the text it gives alone.
  ASSERT_TRUE(bh002().has_value());
  std::vector<std::pair<json, trialscreen::ScreenOptions>> screenings;
  for (const std::string& file : scenario_files()) {
    trialscreen::Diagnostics errors;
    const std::optional<json> scenario = trialscreen::logic::parse_json(read_text(kFixtureDir + "/" + file), errors);
    ASSERT_TRUE(scenario && scenario->is_object()) << file;
    for (const char* audience : {"physician", "patient"}) {
      trialscreen::ScreenOptions options;
      options.as_of = scenario->value("asOf", "2026-11-25");
      options.audience = audience;
      options.lang = scenario->value("lang", "en");
      screenings.emplace_back(scenario->value("answers", json::object()), options);
    }
  }
  trialscreen::logic::OutcomeMemo memo;
  trialscreen::ScreenBuffers buffers;
  trialscreen::LineMemo lines;
  for (int pass = 0; pass < 4; ++pass) {
    // Passes 2 and 3 keep lines as well; their rules then seldom run.
    const trialscreen::ScreenReuse reuse{&memo, &buffers, pass < 2 ? nullptr : &lines};
    for (std::size_t i = 0; i < screenings.size(); ++i) {
      const auto& [answers, options] = screenings[pass % 2 == 0 ? i : screenings.size() - 1 - i];
      std::string alone;
      bh002()->screen_text(answers, options, alone);
      std::string through_memo;
      bh002()->screen_text(json(answers), options, through_memo, nullptr, reuse);
      EXPECT_EQ(through_memo, alone) << answers.dump();
      const trialscreen::ScreenSummary summary = bh002()->screen_summary(json(answers), options, reuse);
      EXPECT_EQ(summary.statuses, bh002()->screen_summary(answers, options).statuses) << answers.dump();
    }
  }
  EXPECT_GT(memo.hits(), memo.misses());
  EXPECT_GT(lines.hits(), lines.misses());
}

// ---- the matcher ---------------------------------------------------------

const json kResult = json::parse(R"({
  "verdict": "incomplete",
  "criteria": [
    {"id": "I01", "kind": "inclusion", "status": "pass", "reason": "Age"},
    {"id": "E09", "kind": "exclusion", "status": "unknown", "waitingOn": ["live_vaccine_date"], "reason": "Vaccine",
     "clearsOn": "2026-12-01"}
  ],
  "next": ["sex", "live_vaccine_date"],
  "derived": {"crcl": 74.80000000001, "sledai_score": null},
  "answerErrors": [{"field": "wbc", "code": "unit", "message": "m"}, {"field": "age", "code": "type", "message": "m"}],
  "warnings": []
})");

TEST(FixtureMatch, ListedKeysMatchAndUnlistedOnesAreIgnored) {
  EXPECT_TRUE(match_expected(json::parse(R"({"verdict": "incomplete", "criteria": {"I01": {"status": "pass"},
      "E09": {"status": "unknown", "waitingOn": ["live_vaccine_date"], "clearsOn": "2026-12-01"}},
      "derived": {"crcl": 74.8}, "answerErrors": [{"field": "age", "code": "type"}, {"field": "wbc", "code": "unit"}],
      "warnings": []})"),
                             kResult)
                  .empty());
  // A decided criterion has no waitingOn: [] and null both mean "none".
  EXPECT_TRUE(match_expected(json::parse(R"({"criteria": {"I01": {"waitingOn": [], "clearsOn": null}}})"), kResult).empty());
}

TEST(FixtureMatch, MismatchesAreReportedWithTheirPath) {
  const auto problems = match_expected(json::parse(R"({"verdict": "eligible", "criteria": {"I01": {"status": "fail"},
      "I99": {"status": "pass"}}, "next": ["live_vaccine_date", "sex"], "answerErrors": [{"field": "age"}],
      "derived": {"sledai_score": 8}})"),
                                       kResult);
  ASSERT_EQ(problems.size(), 6u);
  const auto mentions = [&](const std::string& path) {
    return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) { return p.rfind(path, 0) == 0; });
  };
  EXPECT_TRUE(mentions("/verdict"));
  EXPECT_TRUE(mentions("/criteria/I01/status"));
  EXPECT_TRUE(mentions("/criteria/I99"));
  EXPECT_TRUE(mentions("/next")) << "order matters in plain lists";
  EXPECT_TRUE(mentions("/answerErrors")) << "entry lists must have the same length";
  EXPECT_TRUE(mentions("/derived/sledai_score"));
}

}  // namespace
