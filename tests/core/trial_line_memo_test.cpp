// LineMemo: criterion lines kept under the values of the answers they were
// worked out from must give, in every screening, the text screening alone
// gives: across audiences (a patient's line may be deferred where a
// physician's is unknown), languages, windows, applicability, rule errors and
// a memo that fills up and starts afresh.
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "trial_test_support.hpp"
#include "trialscreen/logic.hpp"

namespace {

using nlohmann::json;
using trialscreen::LineMemo;
using trialscreen::ScreenOptions;
using trialscreen::Trial;
using trialscreen::testing::criterion_of;
using trialscreen::testing::describe;
using trialscreen::testing::load_json;
using trialscreen::testing::small_trial;

// The small trial with `criterion` added (and `question`, when given).
std::optional<Trial> small_trial_with(const char* criterion, const char* question = nullptr) {
  json definition = small_trial();
  if (question != nullptr) definition["questions"].push_back(json::parse(question));
  definition["criteria"].push_back(json::parse(criterion));
  trialscreen::Diagnostics errors;
  std::optional<Trial> trial = load_json(definition, errors);
  EXPECT_TRUE(trial.has_value()) << describe(errors);
  return trial;
}

// The small trial and a criterion whose rule fails for one age (a rule error,
// which goes to the warnings and must come again each time).
std::optional<Trial> trial_with_a_failing_rule() {
  return small_trial_with(R"({"id": "I05", "kind": "inclusion", "source": "Age not 77",
      "label": {"en": "Age not 77", "zh-Hans": "年龄不是77"},
      "rule": {"if": [{"==": [{"var": "age"}, 77]}, {"throw": "seventy-seven"}, {"!=": [{"var": "age"}, 76]}]}})");
}

// Answer sets that reach every status of the small trial's criteria, the
// same values again and again in other company.
std::vector<json> answer_sets() {
  std::vector<json> sets;
  const json ages[] = {nullptr, 45, 17, 77, 76, json("old"), 18, 90, 95};
  const json sexes[] = {nullptr, "female", "male"};
  const json pregnancies[] = {nullptr, true, false};
  const json vaccines[] = {nullptr, "none", "2026-11-20", "2026-09-01"};
  const json hemoglobins[] = {nullptr, 84, 85, json{{"value", 8.5}, {"unit", "g/dL"}}};
  int n = 0;
  for (const json& age : ages) {
    for (const json& sex : sexes) {
      for (const json& pregnant : pregnancies) {
        for (const json& vaccine : vaccines) {
          json answers = json::object();
          if (!age.is_null()) answers["age"] = age;
          if (!sex.is_null()) answers["sex"] = sex;
          if (!pregnant.is_null()) answers["pregnant"] = pregnant;
          if (!vaccine.is_null()) answers["live_vaccine_date"] = vaccine;
          const json& hemoglobin = hemoglobins[n++ % 4];
          if (!hemoglobin.is_null()) answers["hemoglobin"] = hemoglobin;
          if (n % 3 == 0) answers["item_rash"] = n % 2 == 0;
          sets.push_back(std::move(answers));
        }
      }
    }
  }
  return sets;
}

std::vector<ScreenOptions> every_view() {
  std::vector<ScreenOptions> views;
  for (const char* audience : {"physician", "patient"}) {
    for (const char* lang : {"en", "zh-Hans"}) {
      ScreenOptions options;
      options.as_of = "2026-11-25";
      options.audience = audience;
      options.lang = lang;
      views.push_back(options);
    }
  }
  return views;
}

// Screens `answers` alone, then with what `reuse` keeps: the text and the
// statuses must be the same.
void expect_kept_as_alone(const Trial& trial, const json& answers, const ScreenOptions& options,
                          const trialscreen::ScreenReuse& reuse) {
  std::string alone;
  trial.screen_text(answers, options, alone);
  std::string kept;
  trial.screen_text(json(answers), options, kept, nullptr, reuse);
  ASSERT_EQ(kept, alone) << answers.dump() << " as of " << options.as_of << " " << options.audience << " "
                         << options.lang;
  const trialscreen::ScreenSummary summary = trial.screen_summary(json(answers), options, reuse);
  ASSERT_EQ(summary.statuses, trial.screen_summary(answers, options).statuses) << answers.dump();
}

// Every answer set that takes one value for each field from its list (null:
// the field unanswered), on top of `base`: `check` is called with each.
void for_each_answer_set(const json& base, const std::vector<std::pair<std::string, std::vector<json>>>& choices,
                         const std::function<void(const json&)>& check, std::size_t field = 0) {
  if (field == choices.size()) return check(base);
  for (const json& value : choices[field].second) {
    json answers = base;
    if (!value.is_null()) answers[choices[field].first] = value;
    for_each_answer_set(answers, choices, check, field + 1);
  }
}

// The same screened for both audiences, kept lines against screening alone.
void expect_each_kept_as_alone(const Trial& trial, const json& base,
                               const std::vector<std::pair<std::string, std::vector<json>>>& choices,
                               const trialscreen::ScreenReuse& reuse) {
  for_each_answer_set(base, choices, [&](const json& answers) {
    for (const char* audience : {"patient", "physician"}) {
      ScreenOptions options;
      options.as_of = "2026-11-25";
      options.audience = audience;
      expect_kept_as_alone(trial, answers, options, reuse);
    }
  });
}

void expect_same_as_alone(const Trial& trial, LineMemo& lines) {
  trialscreen::logic::OutcomeMemo outcomes;
  trialscreen::ScreenBuffers buffers;
  const std::vector<ScreenOptions> views = every_view();
  for (int pass = 0; pass < 2; ++pass) {
    for (const json& answers : answer_sets()) {
      for (const ScreenOptions& options : views) {
        ASSERT_NO_FATAL_FAILURE(expect_kept_as_alone(trial, answers, options, {&outcomes, &buffers, &lines}));
      }
    }
  }
}

TEST(LineMemo, KeptLinesGiveWhatScreeningAloneGives) {
  const std::optional<Trial> trial = trial_with_a_failing_rule();
  ASSERT_TRUE(trial.has_value());
  LineMemo lines;
  expect_same_as_alone(*trial, lines);
  EXPECT_GT(lines.hits(), lines.misses());
}

TEST(LineMemo, AFullMemoStartsAfreshAndStillGivesTheSameText) {
  const std::optional<Trial> trial = trial_with_a_failing_rule();
  ASSERT_TRUE(trial.has_value());
  LineMemo lines(8);
  expect_same_as_alone(*trial, lines);
  // At most 8 lines under their answers' values, and those kept by state,
  // for 2 audiences: E02's (sex and pregnant, 3 states each), I01's and
  // I05's (age, cut at 18 and 90, at 76 and 77: 6 states each), and I02's,
  // I03's and E01's (one lab, one cut: 4 states each).
  EXPECT_LE(lines.size(), 8u + 2u * (3u * 3u + 6u + 6u + 4u + 4u + 4u));
  EXPECT_GT(lines.hits(), 0u);
}

TEST(LineMemo, LinesKeptByStateKeepAudiencesApart) {
  // A line that reads only a site yes/no question (kept by state number):
  // unanswered, it is deferred for a patient and unknown for a physician.
  const std::optional<Trial> trial = small_trial_with(R"({"id": "E09", "kind": "exclusion", "source": "Rash",
      "label": {"en": "Rash", "zh-Hans": "皮疹"}, "rule": {"var": "item_rash"}})");
  ASSERT_TRUE(trial.has_value());
  LineMemo lines;
  trialscreen::logic::OutcomeMemo outcomes;
  const json rashes[] = {nullptr, true, false};
  for (int round = 0; round < 3; ++round) {
    for (const json& rash : rashes) {
      for (const char* audience : {"patient", "physician"}) {
        ScreenOptions options;
        options.as_of = "2026-11-25";
        options.audience = audience;
        json answers = {{"age", 45}};
        if (!rash.is_null()) answers["item_rash"] = rash;
        std::string text;
        trial->screen_text(json(answers), options, text, nullptr, {&outcomes, nullptr, &lines});
        const json expected = rash.is_null() ? (std::string(audience) == "patient" ? "deferred" : "unknown")
                              : rash.get<bool>() ? "fail"
                                                 : "pass";
        EXPECT_EQ(criterion_of(json::parse(text), "E09")["status"], expected) << answers.dump() << " " << audience;
      }
    }
  }
  EXPECT_GT(lines.hits(), lines.misses());
}

TEST(LineMemo, NumberLinesAreKeptByTheirPlaceAmongTheCuts) {
  // A criterion that compares two labs with numbers: its line is kept by
  // where each value lies (below, at or above each cut), in the unit the
  // rule compares, so values that never repeat still find their line, and
  // the memo holds a line per place, not per value.
  const std::optional<Trial> trial = small_trial_with(R"({"id": "I09", "kind": "inclusion",
      "source": "Marrow and kidney", "label": {"en": "WBC >= 3 and creatinine < 1.5", "zh-Hans": "白细胞 ≥ 3 且肌酐 < 1.5"},
      "rule": {"and": [{">=": [{"var": "wbc"}, 3]}, {"<": [{"var": "creatinine"}, 1.5]}]}})");
  ASSERT_TRUE(trial.has_value());
  LineMemo lines;
  trialscreen::logic::OutcomeMemo outcomes;
  ScreenOptions options;
  options.as_of = "2026-11-25";
  int screened = 0;
  for (int i = 0; i < 400; ++i) {
    json answers = {{"age", 45}};
    // Near the cuts and at them, each value once (but the cuts themselves).
    if (i % 5 != 0) answers["wbc"] = i % 7 == 0 ? 3.0 : 2.0 + i / 200.0;
    if (i % 3 != 0) answers["creatinine"] = i % 11 == 0 ? json{{"value", 132.6}, {"unit", "umol/L"}} : json(1.0 + i / 400.0);
    options.audience = i % 2 == 0 ? "patient" : "physician";
    std::string alone;
    trial->screen_text(answers, options, alone);
    std::string kept;
    trial->screen_text(json(answers), options, kept, nullptr, {&outcomes, nullptr, &lines});
    ASSERT_EQ(kept, alone) << answers.dump() << " " << options.audience;
    ++screened;
  }
  EXPECT_GT(lines.hits(), 10u * lines.misses());
  // I09's places: wbc unanswered, below, at or above 3, times creatinine's
  // the same about 1.5, for 2 audiences; the small trial's other lines are few.
  EXPECT_LT(lines.size(), 2u * 4u * 4u + 40u) << screened << " screenings";
}

TEST(LineMemo, LinesOnADerivedValueAreKeptByItsPlaceWhileItIsKnown) {
  // I04 compares the activity score, a derived value (its answer, else the
  // sum of its two items), with 6: while the score is a plain number, its
  // line is kept by the number's place (below, at or above 6), however the
  // number came; while it is unknown, by the answers' values. Either way a
  // kept line is what screening alone gives, for both audiences.
  trialscreen::Diagnostics errors;
  const std::optional<Trial> trial = load_json(small_trial(), errors);
  ASSERT_TRUE(trial.has_value()) << describe(errors);
  LineMemo lines;
  trialscreen::logic::OutcomeMemo outcomes;
  for (int round = 0; round < 2; ++round) {
    expect_each_kept_as_alone(*trial, {{"age", 45}},
                              {{"activity_score", {nullptr, 0, 4, 5, 6, 7, 10, json("high"), 11}},
                               {"item_rash", {nullptr, true, false}},
                               {"item_arthritis", {nullptr, true, false}}},
                              {&outcomes, nullptr, &lines});
    ASSERT_FALSE(HasFailure());
  }
  // Kept by place: a score of 0, 4, 5 (below 6), 6, 7, 10 (above) or from
  // both items given (0, 4, 6, 10) takes one of 3 lines an audience; only
  // the unknown scores (no valid answer, an item missing: 5 item pairs for
  // each of 3 such answers) are kept by their values. By values alone, I04
  // would keep a line for each of the 81 answer sets an audience.
  EXPECT_LE(lines.size(), 2u * (3u + 3u * 5u) + 40u);
  EXPECT_GT(lines.hits(), lines.misses());
}

TEST(LineMemo, LinesOnAnOpenClearanceAreKeptByWhichOfItsInputsAreUnanswered) {
  // BH002's I10 compares the creatinine clearance with 30. With the weight,
  // the creatinine or the age unanswered (or implausible, and so dropped)
  // the clearance is an unknown with no bounds at all, which waits on those
  // inputs: natively I10's line is then kept by which of the four inputs are
  // unanswered, not by the values of the others. Whatever the inputs, a
  // kept line must be what screening alone gives, for both audiences.
  std::ifstream file(std::string(TRIALSCREEN_SOURCE_DIR) + "/examples/bh002/trial.json", std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  trialscreen::Diagnostics errors;
  const std::optional<Trial> trial = Trial::load(text.str(), errors);
  ASSERT_TRUE(trial.has_value()) << describe(errors);
  LineMemo lines;
  trialscreen::logic::OutcomeMemo outcomes;
  for (int round = 0; round < 2; ++round) {
    expect_each_kept_as_alone(*trial, json::object(),
                              {{"age", {nullptr, 45, 70, 200}},
                               {"weight", {nullptr, 60, 120.5, json::object({{"value", 5}, {"unit", "kg"}})}},
                               {"creatinine", {nullptr, 0.8, 3.1}},
                               {"sex", {nullptr, "female", "male"}},
                               {"crcl", {nullptr, 25}}},
                              {&outcomes, nullptr, &lines});
    ASSERT_FALSE(HasFailure());
  }
  // Another age with the weight still missing: no line is new (I01 places
  // 45 and 46 alike; I10 goes by the unanswered weight, not by the age).
  ScreenOptions options;
  options.as_of = "2026-11-25";
  options.audience = "physician";
  const json answers = {{"age", 46}, {"sex", "female"}, {"creatinine", 0.8}};
  ASSERT_NO_FATAL_FAILURE(expect_kept_as_alone(*trial, answers, options, {&outcomes, nullptr, &lines}));
  const std::size_t misses = lines.misses();
  ASSERT_NO_FATAL_FAILURE(
      expect_kept_as_alone(*trial, {{"age", 47}, {"sex", "female"}, {"creatinine", 0.9}}, options, {&outcomes, nullptr, &lines}));
  EXPECT_EQ(lines.misses(), misses);
}

TEST(LineMemo, LinesOnADateAreKeptByItsDayForOneScreeningDateAtATime) {
  // E03 reads a date answer and the screening date; E04 a date answer and a
  // yes/no. Natively their lines are kept by the date's day in a window
  // around the screening date (about three years back, two months ahead),
  // which holds for that screening date only; outside the window by the
  // date's value. Whatever the date (the window's edges, month ends, a leap
  // day, the 28 days' edge) and however the screening date changes (back
  // and forth, and to no valid date), a kept line must be what screening
  // alone gives.
  const std::optional<Trial> trial = small_trial_with(
      R"({"id": "E04", "kind": "exclusion", "source": "Surgery within 2 weeks, or planned",
          "label": {"en": "Surgery", "zh-Hans": "手术"},
          "rule": {"or": [{"and": [{"!=": [{"var": "live_vaccine_date"}, "none"]},
                                   {">": [{"date_add": [{"var": "live_vaccine_date"}, 14, "day"]}, "2026-11-20"]}]},
                          {"var": "surgery_planned"}]},
          "clearsOn": {"if": [{"==": [{"var": "live_vaccine_date"}, "none"]}, null,
                              {"date_add": [{"var": "live_vaccine_date"}, 1, "month"]}]}})",
      R"({"id": "surgery_planned", "type": "boolean", "section": "about_you", "who": "patient",
          "text": {"en": "Surgery planned?", "zh-Hans": "计划手术？"}})");
  ASSERT_TRUE(trial.has_value());
  LineMemo lines;
  trialscreen::logic::OutcomeMemo outcomes;
  const json dates[] = {nullptr,      "none",       "2026-10-28", "2026-10-29", "2026-10-30", "2026-10-31",
                        "2026-11-01", "2026-11-25", "2026-11-06", "2026-11-07", "2024-02-29", "2024-03-01",
                        "2023-12-31", "2023-12-01", "2023-11-30", "2023-11-01", "2023-10-31", "1999-01-01",
                        "2026-12-01", "2027-01-31", "2026-02-30", json(7)};
  const json planned[] = {nullptr, true, false};
  const char* as_ofs[] = {"2026-11-25", "2026-11-26", "2026-11-25", "2027-01-20", "soon", "2026-11-25"};
  int screened = 0;
  for (const char* as_of : as_ofs) {
    for (int round = 0; round < 2; ++round) {
      for (const json& date : dates) {
        for (const json& plan : planned) {
          for (const char* audience : {"patient", "physician"}) {
            ScreenOptions options;
            options.as_of = as_of;
            options.audience = audience;
            json answers = {{"age", 45}};
            if (!date.is_null()) answers["live_vaccine_date"] = date;
            if (!plan.is_null()) answers["surgery_planned"] = plan;
            ASSERT_NO_FATAL_FAILURE(expect_kept_as_alone(*trial, answers, options, {&outcomes, nullptr, &lines}));
            ++screened;
          }
        }
      }
    }
  }
  EXPECT_GT(lines.hits(), lines.misses()) << screened << " screenings";
}

TEST(LineMemo, WholeNumbersPastTwoToThe53GiveWhatScreeningAloneGives) {
  // Past 2^53 whole numbers share doubles, which the cuts are: whatever the
  // rules make of such numbers, a kept line must be what screening alone
  // gives, value after value.
  const std::optional<Trial> trial = small_trial_with(
      R"({"id": "I09", "kind": "inclusion", "source": "Count", "label": {"en": "Count", "zh-Hans": "计数"},
          "rule": {"and": [{"===": [{"var": "count"}, 9007199254740993]}, {"<": [{"var": "count"}, 9007199254740995]}]}})",
      R"({"id": "count", "type": "integer", "section": "labs", "who": "site", "text": {"en": "Count", "zh-Hans": "计数"}})");
  ASSERT_TRUE(trial.has_value());
  LineMemo lines;
  ScreenOptions options;
  options.as_of = "2026-11-25";
  const json counts[] = {json(9007199254740993), json(9007199254740992), json(9007199254740994),
                         json(9007199254740995), json(9007199254740993.0), json(-9007199254740993)};
  for (int round = 0; round < 2; ++round) {
    for (const json& count : counts) {
      const json answers = {{"count", count}};
      std::string alone;
      trial->screen_text(answers, options, alone);
      std::string kept;
      trial->screen_text(json(answers), options, kept, nullptr, {nullptr, nullptr, &lines});
      EXPECT_EQ(kept, alone) << count;
    }
  }
}

TEST(LineMemo, APatientsDeferredLineIsNotAPhysiciansUnknownOne) {
  // E01 (creatinine) waits on a site question: deferred for a patient,
  // unknown for a physician, from the same answers, one after the other.
  const std::optional<Trial> trial = trial_with_a_failing_rule();
  ASSERT_TRUE(trial.has_value());
  LineMemo lines;
  trialscreen::logic::OutcomeMemo outcomes;
  const json answers = {{"age", 45}};
  for (int round = 0; round < 3; ++round) {
    for (const char* audience : {"patient", "physician"}) {
      ScreenOptions options;
      options.as_of = "2026-11-25";
      options.audience = audience;
      std::string text;
      trial->screen_text(json(answers), options, text, nullptr, {&outcomes, nullptr, &lines});
      const json result = json::parse(text);
      EXPECT_EQ(criterion_of(result, "E01")["status"], std::string(audience) == "patient" ? "deferred" : "unknown");
    }
  }
  EXPECT_GT(lines.hits(), 0u);
}

TEST(LineMemo, ARuleErrorIsReportedEveryTime) {
  const std::optional<Trial> trial = trial_with_a_failing_rule();
  ASSERT_TRUE(trial.has_value());
  LineMemo lines;
  ScreenOptions options;
  options.as_of = "2026-11-25";
  for (int round = 0; round < 3; ++round) {
    std::string text;
    trial->screen_text(json{{"age", 77}}, options, text, nullptr, {nullptr, nullptr, &lines});
    const json result = json::parse(text);
    ASSERT_EQ(result["warnings"].size(), 1u) << text;
    EXPECT_EQ(result["warnings"][0]["code"], "rule-error");
    EXPECT_EQ(result["warnings"][0]["criteria"], json::array({"I05"}));
    EXPECT_EQ(criterion_of(result, "I05")["status"], "unknown");
  }
}

}  // namespace
