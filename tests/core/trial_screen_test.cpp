// Trial::screen against the small test trial: statuses, unit conversions at
// the thresholds, answer errors, deferred vs unknown, `next`, windows, derived
// values and warnings, as ../shared/contract.md promises them.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "trial_test_support.hpp"

namespace {

using nlohmann::json;
using trialscreen::ScreenOptions;
using trialscreen::Trial;
using namespace trialscreen::testing;

class TrialScreen : public ::testing::Test {
 protected:
  void SetUp() override {
    trialscreen::Diagnostics errors;
    trial_ = load_json(small_trial(), errors);
    ASSERT_TRUE(trial_.has_value()) << describe(errors);
  }

  json screen(const json& answers, const std::string& audience = "physician", const std::string& lang = "en",
              const std::string& as_of = "2026-11-25") const {
    ScreenOptions options;
    options.as_of = as_of;
    options.audience = audience;
    options.lang = lang;
    return trial_->screen(answers, options);
  }

  std::string status(const json& answers, const std::string& id) const {
    return criterion_of(screen(answers), id).at("status").get<std::string>();
  }

  // Answers that pass every criterion of the small trial.
  static json eligible_answers() {
    return {{"age", 45},         {"sex", "male"},           {"live_vaccine_date", "none"},
            {"hemoglobin", 120}, {"wbc", 5},                {"creatinine", 1},
            {"item_rash", true}, {"item_arthritis", true}};
  }

  std::optional<Trial> trial_;
};

TEST_F(TrialScreen, ResultCarriesVerdictTrialAndEngine) {
  const json result = screen(eligible_answers());
  EXPECT_EQ(result["verdict"], "eligible") << result.dump(1);
  EXPECT_EQ(result["next"], json::array());
  EXPECT_EQ(result["answerErrors"], json::array());
  EXPECT_EQ(result["trial"]["id"], "TEST-0001");
  EXPECT_EQ(result["trial"]["version"], "2026-11-25.1");
  EXPECT_EQ(result["trial"]["sha256"], trial_->sha256());
  EXPECT_EQ(result["engine"]["version"], trialscreen::engine_version());
  ASSERT_EQ(result["criteria"].size(), 7u);
  EXPECT_EQ(result["criteria"][0]["id"], "I01");
  EXPECT_EQ(result["criteria"][0]["kind"], "inclusion");
  EXPECT_EQ(result["criteria"][4]["kind"], "exclusion");
  for (const json& c : result["criteria"]) EXPECT_FALSE(c.contains("waitingOn")) << c.dump();
}

TEST_F(TrialScreen, AgeBoundariesAreInclusiveAndUnansweredIsUnknown) {
  for (int age : {18, 90}) EXPECT_EQ(status({{"age", age}}, "I01"), "pass") << age;
  for (int age : {17, 91}) EXPECT_EQ(status({{"age", age}}, "I01"), "fail") << age;
  for (const json& answers : {json::object(), json{{"age", nullptr}}}) {
    const json i01 = criterion_of(screen(answers), "I01");
    EXPECT_EQ(i01["status"], "unknown");
    EXPECT_EQ(i01["waitingOn"], json::array({"age"}));
  }
}

TEST_F(TrialScreen, ConvertedQuantitiesAreExactAtTheirThresholds) {
  // 221 umol/L / 88.4 is 2.5 mg/dL: not above 2.5.
  EXPECT_EQ(status({{"creatinine", {{"value", 221}, {"unit", "umol/L"}}}}, "E01"), "pass");
  EXPECT_EQ(status({{"creatinine", {{"value", 222}, {"unit", "umol/L"}}}}, "E01"), "fail");
  EXPECT_EQ(status({{"creatinine", 2.5}}, "E01"), "pass");
  EXPECT_EQ(status({{"creatinine", {{"value", 2.5}, {"unit", "mg/dL"}}}}, "E01"), "pass");
  // 8.5 g/dL x 10 is 85 g/L.
  EXPECT_EQ(status({{"hemoglobin", {{"value", 8.5}, {"unit", "g/dL"}}}}, "I02"), "pass");
  EXPECT_EQ(status({{"hemoglobin", {{"value", 8.4}, {"unit", "g/dL"}}}}, "I02"), "fail");
  // 2500 /uL x 0.001 is 2.5 10*9/L.
  EXPECT_EQ(status({{"wbc", {{"value", 2500}, {"unit", "/uL"}}}}, "I03"), "pass");
  EXPECT_EQ(status({{"wbc", {{"value", 2499}, {"unit", "/uL"}}}}, "I03"), "fail");
  EXPECT_EQ(status({{"wbc", {{"value", 2.5}, {"unit", "10*3/uL"}}}}, "I03"), "pass");
}

TEST_F(TrialScreen, BadAnswersAreReportedAndTreatedAsUnanswered) {
  const json answers = {{"age", "forty"},
                        {"hemoglobin", {{"value", 8}, {"unit", "mmol/L"}}},
                        {"wbc", 900},
                        {"creatinine", 1},
                        {"live_vaccine_date", "2026-02-30"},
                        {"shoe_size", 42},
                        {"sex", "other"}};
  const json result = screen(answers);
  const json expected_codes = {{"age", "type"},       {"hemoglobin", "unit"},  {"wbc", "implausible"},
                               {"live_vaccine_date", "date"}, {"shoe_size", "unknown-field"}, {"sex", "type"}};
  ASSERT_EQ(result["answerErrors"].size(), expected_codes.size()) << result["answerErrors"].dump(1);
  for (const json& e : result["answerErrors"]) {
    const std::string field = e["field"];
    EXPECT_EQ(e["code"], expected_codes.value(field, "")) << e.dump();
    EXPECT_FALSE(e["message"].get<std::string>().empty());
  }
  EXPECT_EQ(criterion_of(result, "I01")["status"], "unknown");
  EXPECT_EQ(criterion_of(result, "I02")["status"], "unknown");
  EXPECT_EQ(criterion_of(result, "I03")["status"], "unknown");
  EXPECT_EQ(criterion_of(result, "E03")["status"], "unknown");
  // Every other answer still counts.
  EXPECT_EQ(criterion_of(result, "E01")["status"], "pass");
}

TEST_F(TrialScreen, AnswerErrorsComeInTheFieldsKeyOrder) {
  // Unknown fields and bad answers are reported in one list, in the order
  // of their fields' ids (as walking the answers object gave it), whatever
  // order they were given in and whatever their questions' types (the
  // answers are checked a type at a time); a repeated unknown field once.
  trialscreen::AnswerSet set(*trial_);
  set.place("zeta") = 1;
  set.place("wbc") = "lots";
  set.place("sex") = "other";
  set.place("as_of") = "x";
  set.place("pregnant") = "maybe";
  set.place("alpha") = 2;
  set.place("age") = "forty";
  set.place("zeta") = 3;
  ScreenOptions options;
  options.as_of = "2026-11-25";
  std::string text;
  trial_->screen_text(set, options, text);
  const json result = json::parse(text);
  std::vector<std::string> fields;
  for (const json& e : result.at("answerErrors")) fields.push_back(e.at("field"));
  EXPECT_EQ(fields, (std::vector<std::string>{"age", "alpha", "as_of", "pregnant", "sex", "wbc", "zeta"}));
}

TEST_F(TrialScreen, AHugeBadAnswerIsNotEchoedBack) {
  const json result = screen({{"live_vaccine_date", std::string(1000000, '7')}});
  ASSERT_EQ(result["answerErrors"].size(), 1u);
  EXPECT_EQ(result["answerErrors"][0]["code"], "date");
  EXPECT_LT(result["answerErrors"][0]["message"].get<std::string>().size(), 200u);
}

TEST_F(TrialScreen, WholeNumbersAndFutureDatesAreChecked) {
  json result = screen({{"age", 45.5}});
  ASSERT_EQ(result["answerErrors"].size(), 1u);
  EXPECT_EQ(result["answerErrors"][0]["code"], "type");
  EXPECT_EQ(status({{"age", 45.0}}, "I01"), "pass");

  result = screen({{"live_vaccine_date", "2026-11-26"}});
  ASSERT_EQ(result["answerErrors"].size(), 1u);
  EXPECT_EQ(result["answerErrors"][0]["code"], "future");
  EXPECT_EQ(criterion_of(result, "E03")["status"], "unknown");
  EXPECT_EQ(screen({{"live_vaccine_date", "2026-11-25"}})["answerErrors"], json::array());
}

TEST_F(TrialScreen, PatientAudienceDefersSiteOnlyCriteria) {
  json answers = eligible_answers();
  for (const char* lab : {"hemoglobin", "wbc", "creatinine", "item_rash", "item_arthritis"}) answers.erase(lab);

  const json patient = screen(answers, "patient");
  for (const char* id : {"I02", "I03", "I04", "E01"}) {
    EXPECT_EQ(criterion_of(patient, id)["status"], "deferred") << id;
  }
  EXPECT_EQ(criterion_of(patient, "I02")["waitingOn"], json::array({"hemoglobin"}));
  EXPECT_EQ(patient["verdict"], "eligible") << "deferred criteria never make the result incomplete";
  EXPECT_EQ(patient["next"], json::array());

  const json physician = screen(answers, "physician");
  for (const char* id : {"I02", "I03", "I04", "E01"}) {
    EXPECT_EQ(criterion_of(physician, id)["status"], "unknown") << id;
  }
  EXPECT_EQ(physician["verdict"], "incomplete");
  // Not item_rash: its 4 points can never decide "score >= 6" (arthritis alone does).
  EXPECT_EQ(physician["next"], json::array({"hemoglobin", "wbc", "creatinine", "activity_score", "item_arthritis"}));
}

TEST_F(TrialScreen, UnknownWaitingOnPatientQuestionsIsNotDeferred) {
  const json patient = screen(json::object(), "patient");
  EXPECT_EQ(criterion_of(patient, "I01")["status"], "unknown");
  EXPECT_EQ(patient["verdict"], "incomplete");
  // Only patient questions, in asking order; pregnant waits for sex = female.
  EXPECT_EQ(patient["next"], json::array({"age", "sex", "live_vaccine_date"}));
}

TEST_F(TrialScreen, NextFollowsAskIfAndEmptiesOnceDecided) {
  json answers = eligible_answers();
  answers["sex"] = "female";
  json result = screen(answers);
  EXPECT_EQ(criterion_of(result, "E02")["status"], "unknown");
  EXPECT_EQ(result["next"], json::array({"pregnant"}));

  answers["pregnant"] = true;
  result = screen(answers);
  EXPECT_EQ(result["verdict"], "not_eligible");
  EXPECT_EQ(result["next"], json::array());

  answers["pregnant"] = false;
  answers.erase("age");
  result = screen(answers);
  EXPECT_EQ(result["verdict"], "incomplete");
  EXPECT_EQ(result["next"], json::array({"age"}));

  // A failing criterion decides the verdict: nothing more to ask.
  result = screen({{"age", 12}});
  EXPECT_EQ(result["verdict"], "not_eligible");
  EXPECT_EQ(result["next"], json::array());
}

TEST_F(TrialScreen, AppliesIfFalseIsNotApplicableAndUnknownPassesOnlyWhenTheRulePasses) {
  EXPECT_EQ(status({{"sex", "male"}, {"pregnant", true}}, "E02"), "not_applicable");
  EXPECT_EQ(status({{"pregnant", false}}, "E02"), "pass");
  const json unknown = criterion_of(screen({{"pregnant", true}}), "E02");
  EXPECT_EQ(unknown["status"], "unknown");
  EXPECT_EQ(unknown["waitingOn"], json::array({"sex"}));
  EXPECT_EQ(criterion_of(screen(json::object()), "E02")["waitingOn"], json::array({"sex", "pregnant"}));
}

TEST_F(TrialScreen, WindowCriterionReportsWhenItClears) {
  // 28 days after 2026-11-01 is 2026-11-29: still inside the window on 2026-11-25.
  json e03 = criterion_of(screen({{"live_vaccine_date", "2026-11-01"}}), "E03");
  EXPECT_EQ(e03["status"], "fail");
  EXPECT_EQ(e03["clearsOn"], "2026-11-29");
  // The boundary passes: 2026-10-28 + 28 days = the screening date.
  e03 = criterion_of(screen({{"live_vaccine_date", "2026-10-28"}}), "E03");
  EXPECT_EQ(e03["status"], "pass");
  EXPECT_FALSE(e03.contains("clearsOn"));
  EXPECT_FALSE(criterion_of(screen(json::object()), "E03").contains("clearsOn"));
  EXPECT_EQ(status({{"live_vaccine_date", "none"}}, "E03"), "pass");
}

TEST_F(TrialScreen, DerivedScoreUsesBoundsAndTheAnswerWins) {
  // Arthritis alone gives 6 whatever rash turns out to be: decided >= 6.
  json result = screen({{"item_arthritis", true}});
  EXPECT_EQ(criterion_of(result, "I04")["status"], "pass");
  EXPECT_TRUE(result["derived"]["activity_score"].is_null());

  result = screen({{"item_arthritis", true}, {"item_rash", true}});
  EXPECT_EQ(result["derived"]["activity_score"], 10);

  result = screen({{"item_arthritis", false}, {"item_rash", true}, {"activity_score", 7}});
  EXPECT_EQ(criterion_of(result, "I04")["status"], "pass") << "the entered total wins";
  EXPECT_EQ(result["derived"]["activity_score"], 7);
  ASSERT_EQ(result["warnings"].size(), 1u) << result["warnings"].dump(1);
  EXPECT_EQ(result["warnings"][0]["code"], "derived-disagrees");
  EXPECT_EQ(result["warnings"][0]["criteria"], json::array({"I04"}));

  result = screen({{"item_arthritis", true}, {"item_rash", true}, {"activity_score", 10}});
  EXPECT_EQ(result["warnings"], json::array());

  // A total entered with none of its items answered: nothing to compare.
  result = screen({{"activity_score", 7}});
  EXPECT_EQ(result["warnings"], json::array());
  EXPECT_EQ(result["derived"]["activity_score"], 7);
}

TEST_F(TrialScreen, DerivedScoreWithNoItemAnsweredIsTheSameInEveryScreening) {
  // With nothing answered the score is worked out once at load and handed to
  // every screening: each must still get what working it out would give.
  for (int round = 0; round < 2; ++round) {
    const json result = screen({{"age", 40}});
    const json i04 = criterion_of(result, "I04");
    EXPECT_EQ(i04["status"], "unknown");
    // Rash alone (4) cannot reach 6: only arthritis and the total itself matter.
    EXPECT_EQ(i04["waitingOn"], json::array({"activity_score", "item_arthritis"}));
    EXPECT_TRUE(result["derived"]["activity_score"].is_null());
  }
  // An answered item still counts afterwards.
  EXPECT_EQ(status({{"item_arthritis", true}}, "I04"), "pass");
  EXPECT_EQ(status({{"item_arthritis", false}, {"item_rash", false}}, "I04"), "fail");
}

TEST(TrialScreenDerived, ADerivedValueReadingTheDateOrOtherDataIsWorkedOutPerScreening) {
  // Neither derived value has an answered input here, yet each depends on
  // what a screening holds beyond its inputs: the screening date, and data
  // that `missing` reads by name. Neither may be worked out once for all.
  json definition = small_trial();
  definition["derived"].push_back(json::parse(R"({"id": "before_2027", "label": {"en": "Before 2027", "zh-Hans": "2027年前"},
      "rule": {"if": [{"<": [{"var": "as_of"}, "2027-01-01"]}, 1, 0]}})"));
  definition["derived"].push_back(json::parse(R"({"id": "rash_missing", "label": {"en": "Rash missing", "zh-Hans": "皮疹缺失"},
      "rule": {"if": [{"missing": ["item_rash"]}, 1, 0]}})"));
  definition["criteria"].push_back(json::parse(R"({"id": "I05", "kind": "inclusion", "source": "Before 2027",
      "label": {"en": "Before 2027", "zh-Hans": "2027年前"}, "rule": {"==": [{"var": "before_2027"}, 1]}})"));
  definition["criteria"].push_back(json::parse(R"({"id": "I06", "kind": "inclusion", "source": "Rash missing",
      "label": {"en": "Rash missing", "zh-Hans": "皮疹缺失"}, "rule": {"==": [{"var": "rash_missing"}, 1]}})"));
  trialscreen::Diagnostics errors;
  const std::optional<Trial> trial = load_json(definition, errors);
  ASSERT_TRUE(trial.has_value()) << describe(errors);
  const auto screen = [&](const json& answers, const std::string& as_of) {
    ScreenOptions options;
    options.as_of = as_of;
    return trial->screen(answers, options);
  };
  EXPECT_EQ(criterion_of(screen(json::object(), "2026-11-25"), "I05")["status"], "pass");
  EXPECT_EQ(criterion_of(screen(json::object(), "2027-02-01"), "I05")["status"], "fail");
  EXPECT_EQ(screen(json::object(), "2027-02-01")["derived"]["before_2027"], 0);
  EXPECT_EQ(criterion_of(screen(json::object(), "2026-11-25"), "I06")["status"], "pass");
  EXPECT_EQ(criterion_of(screen({{"item_rash", true}}, "2026-11-25"), "I06")["status"], "fail");
}

TEST(TrialScreenData, ARuleThatReadsPastItsSlotsSeesTheCanonicalAnswersAndDate) {
  // Most rules read answers by slot, and a trial whose rules all do hands
  // them no answers object. A rule reading through a computed name or the
  // whole data needs that object: it must hold the valid answers in their
  // canonical units and the screening date, and nothing else.
  json definition = small_trial();
  definition["criteria"].push_back(json::parse(R"({"id": "I05", "kind": "inclusion", "source": "Hb by a computed name",
      "label": {"en": "Hb", "zh-Hans": "Hb"}, "rule": {">=": [{"var": {"cat": ["hemo", "globin"]}}, 85]}})"));
  definition["criteria"].push_back(json::parse(R"({"id": "I06", "kind": "inclusion", "source": "Screened before 2027",
      "label": {"en": "Date", "zh-Hans": "日期"}, "rule": {"<": [{"var": {"cat": ["as_", "of"]}}, "2027-01-01"]}})"));
  definition["criteria"].push_back(json::parse(R"({"id": "I07", "kind": "inclusion", "source": "WBC given",
      "label": {"en": "WBC given", "zh-Hans": "白细胞"}, "rule": {"!": {"missing": [{"cat": ["w", "bc"]}]}}})"));
  trialscreen::Diagnostics errors;
  const std::optional<Trial> trial = load_json(definition, errors);
  ASSERT_TRUE(trial.has_value()) << describe(errors);
  const auto status = [&](const json& answers, const std::string& id, const std::string& as_of = "2026-11-25") {
    ScreenOptions options;
    options.as_of = as_of;
    return criterion_of(trial->screen(answers, options), id).at("status").get<std::string>();
  };
  EXPECT_EQ(status({{"hemoglobin", 85}}, "I05"), "pass");
  EXPECT_EQ(status({{"hemoglobin", {{"value", 8.5}, {"unit", "g/dL"}}}}, "I05"), "pass");  // 85 g/L
  EXPECT_EQ(status({{"hemoglobin", {{"value", 8.4}, {"unit", "g/dL"}}}}, "I05"), "fail");
  EXPECT_EQ(status({{"hemoglobin", 9999}}, "I05"), "unknown");  // implausible: dropped, so unanswered
  EXPECT_EQ(status(json::object(), "I06"), "pass");
  EXPECT_EQ(status(json::object(), "I06", "2027-02-01"), "fail");
  // A bad answer is not in the data: `missing` by a computed name finds no wbc.
  EXPECT_EQ(status({{"wbc", 5}}, "I07"), "pass");
  EXPECT_EQ(status({{"wbc", "lots"}}, "I07"), "fail");
  EXPECT_EQ(status({{"wbc", nullptr}}, "I07"), "fail");
}

TEST_F(TrialScreen, AnswersPutInPlaceGiveWhatTheirObjectGives) {
  // A batch puts each record's answers in place (AnswerSet) instead of
  // building an object of them; the result must be the object's, unknown
  // fields and bad answers reported in key order, the last of a repeated
  // field counting, and nothing of one person left for the next.
  ScreenOptions options;
  options.as_of = "2026-11-25";
  trialscreen::AnswerSet set(*trial_);
  // The third and fourth person's places are looked up once (place_of), as
  // the batch does for its CSV columns, unknown fields' too.
  const std::string fields[] = {"zeta", "age", "hemoglobin", "alpha", "wbc", "sex"};
  std::map<std::string, trialscreen::AnswerSet::Place> places;
  for (const std::string& field : fields) places[field] = set.place_of(field);
  for (int person = 0; person < 4; ++person) {
    set.clear();
    const auto put = [&](const std::string& field) -> json& {
      return person < 2 ? set.place(field) : set.place(places.at(field));
    };
    put("zeta") = 1;
    put("age") = 17;
    put("hemoglobin") = {{"value", 8.5}, {"unit", "g/dL"}};
    put("alpha") = "x";
    put("age") = 45;
    put("wbc") = "lots";
    put("zeta") = 2;
    put("sex") = nullptr;
    std::string placed;
    trial_->screen_text(set, options, placed);
    std::string whole;
    trial_->screen_text(json::parse(R"({"age": 45, "alpha": "x", "hemoglobin": {"value": 8.5, "unit": "g/dL"},
                                        "sex": null, "wbc": "lots", "zeta": 2})"),
                        options, whole);
    EXPECT_EQ(placed, whole);
  }
  set.clear();
  std::string none;
  trial_->screen_text(set, options, none);
  std::string empty;
  trial_->screen_text(json::object(), options, empty);
  EXPECT_EQ(none, empty);
}

TEST(TrialScreenPlaces, AnswersPlacedCheckedOverAnyLeftoverGiveWhatTheirObjectGives) {
  // A batch places numbers and yes/no answers checked over whatever the last
  // record left in their places (clear_for_reuse), written in place when it
  // is of the same kind. Whatever was left (a whole number read as unsigned
  // or signed JSON, a fraction, a text, a yes/no, an object, null), the
  // result must be the object's, a negative whole number's too (the activity
  // score here may be below zero).
  json definition = small_trial();
  for (json& question : definition["questions"]) {
    if (question["id"] == "activity_score") question["range"]["min"] = -10;
  }
  trialscreen::Diagnostics errors;
  const std::optional<Trial> trial = load_json(definition, errors);
  ASSERT_TRUE(trial.has_value()) << describe(errors);
  ScreenOptions options;
  options.as_of = "2026-11-25";
  trialscreen::AnswerSet set(*trial);
  const std::string score = "activity_score", hemoglobin = "hemoglobin", pregnant = "pregnant";
  const auto score_place = set.place_of(score);
  const auto hemoglobin_place = set.place_of(hemoglobin);
  const auto pregnant_place = set.place_of(pregnant);
  const json leftovers[] = {json(7u), json(-3), json(7.5), json("x"), json(true), json::object({{"a", 1}}), json()};
  std::string whole;
  trial->screen_text(json::parse(R"({"activity_score": -4, "hemoglobin": 12.5, "pregnant": false})"), options, whole);
  for (const json& leftover : leftovers) {
    set.clear_for_reuse();
    set.place(score_place) = leftover;
    set.place(hemoglobin_place) = leftover;
    set.place(pregnant_place) = leftover;
    set.clear_for_reuse();
    ASSERT_TRUE(set.place_number(score_place, -4)) << leftover;
    ASSERT_TRUE(set.place_number(hemoglobin_place, 12.5)) << leftover;
    ASSERT_TRUE(set.place_boolean(pregnant_place, false)) << leftover;
    std::string placed;
    trial->screen_text(set, options, placed);
    EXPECT_EQ(placed, whole) << "over " << leftover;
  }
}

TEST_F(TrialScreen, NumbersPlacedInAUnitGiveWhatTheirObjectGives) {
  // The batch hands a CSV cell's number and unit to place_in_unit instead of
  // building {"value", "unit"}: the result must be the object's, at a
  // threshold too (221 umol/L is 2.5 mg/dL exactly), and a unit the question
  // does not take is left to the caller, nothing placed.
  ScreenOptions options;
  options.as_of = "2026-11-25";
  trialscreen::AnswerSet set(*trial_);
  const std::string hemoglobin = "hemoglobin", creatinine = "creatinine", wbc = "wbc", unknown = "zeta";
  struct Case {
    const std::string* field;
    double value;
    const char* unit;
  };
  for (const Case& c : {Case{&creatinine, 221, "umol/L"}, Case{&creatinine, 221.1, "umol/L"}, Case{&hemoglobin, 8.5, "g/dL"},
                        Case{&hemoglobin, 85, "g/L"}, Case{&hemoglobin, 30, "g/dL"}, Case{&wbc, 4500, "/uL"}}) {
    set.clear();
    ASSERT_TRUE(set.place_in_unit(set.place_of(*c.field), c.value, c.unit)) << *c.field << " " << c.unit;
    std::string placed;
    trial_->screen_text(set, options, placed);
    std::string whole;
    trial_->screen_text(json{{*c.field, {{"value", c.value}, {"unit", c.unit}}}}, options, whole);
    EXPECT_EQ(placed, whole) << c.value << " " << c.unit;
  }
  set.clear();
  EXPECT_FALSE(set.place_in_unit(set.place_of(hemoglobin), 8.5, "mmol/L"));
  EXPECT_FALSE(set.place_in_unit(set.place_of(creatinine), 2.5, "mg/L"));
  EXPECT_FALSE(set.place_in_unit(set.place_of(unknown), 1, "g/L"));
  EXPECT_FALSE(set.place_in_unit(trialscreen::AnswerSet::Place(), 1, "g/L"));
  std::string none;
  trial_->screen_text(set, options, none);
  std::string empty;
  trial_->screen_text(json::object(), options, empty);
  EXPECT_EQ(none, empty) << "nothing placed, no field reported";
}

TEST_F(TrialScreen, NumbersAndYesNoPlacedCheckedGiveWhatTheirJsonGives) {
  // The batch puts a CSV cell's valid number or yes/no in place checked
  // (place_number, place_boolean), and the screening does not check it
  // again: the result must be the JSON answer's, at a range's ends too. What
  // is not a valid answer is refused, nothing placed, for the caller to
  // place as JSON; and an answer placed over a checked one is checked.
  ScreenOptions options;
  options.as_of = "2026-11-25";
  trialscreen::AnswerSet set(*trial_);
  const std::string age = "age", hemoglobin = "hemoglobin", wbc = "wbc", pregnant = "pregnant", unknown = "zeta";
  const auto same_as = [&](const json& answers, const std::string& what) {
    std::string placed;
    trial_->screen_text(set, options, placed);
    std::string whole;
    trial_->screen_text(answers, options, whole);
    EXPECT_EQ(placed, whole) << what;
  };
  for (const double years : {0.0, 17.0, 18.0, 45.0, 120.0}) {
    set.clear();
    ASSERT_TRUE(set.place_number(set.place_of(age), years)) << years;
    same_as(json{{"age", years}}, "age " + std::to_string(years));
  }
  for (const double grams : {10.0, 84.9, 85.0, 85.5, 250.0}) {
    set.clear();
    ASSERT_TRUE(set.place_number(set.place_of(hemoglobin), grams)) << grams;
    ASSERT_TRUE(set.place_number(set.place_of(wbc), 2.5)) << grams;
    same_as(json{{"hemoglobin", grams}, {"wbc", 2.5}}, "hemoglobin " + std::to_string(grams));
  }
  for (const bool yes : {true, false}) {
    set.clear();
    ASSERT_TRUE(set.place_boolean(set.place_of(pregnant), yes));
    same_as(json{{"pregnant", yes}}, yes ? "pregnant" : "not pregnant");
  }
  // Refused: not a whole number, outside the range, the wrong kind of
  // question, no question.
  set.clear();
  EXPECT_FALSE(set.place_number(set.place_of(age), 45.5));
  EXPECT_FALSE(set.place_number(set.place_of(age), 121));
  EXPECT_FALSE(set.place_number(set.place_of(hemoglobin), 9.9));
  EXPECT_FALSE(set.place_number(set.place_of(hemoglobin), 250.5));
  EXPECT_FALSE(set.place_number(set.place_of(pregnant), 1));
  EXPECT_FALSE(set.place_boolean(set.place_of(age), true));
  EXPECT_FALSE(set.place_number(set.place_of(unknown), 1));
  EXPECT_FALSE(set.place_boolean(trialscreen::AnswerSet::Place(), true));
  same_as(json::object(), "nothing placed, no field reported");
  // Placed over a checked answer, by place or by field: checked again.
  set.clear();
  ASSERT_TRUE(set.place_number(set.place_of(age), 45));
  set.place(set.place_of(age)) = "forty";
  ASSERT_TRUE(set.place_boolean(set.place_of(pregnant), true));
  set.place(pregnant) = 7;
  same_as(json{{"age", "forty"}, {"pregnant", 7}}, "answers placed over checked ones");
  // A number placed in a unit is checked as converted: 0.5 g/dL is 5 g/L,
  // outside hemoglobin's range, and reported as the object would be.
  set.clear();
  ASSERT_TRUE(set.place_in_unit(set.place_of(hemoglobin), 0.5, "g/dL"));
  same_as(json{{"hemoglobin", {{"value", 0.5}, {"unit", "g/dL"}}}}, "0.5 g/dL");
}

TEST_F(TrialScreen, ScreenTextAppendsTheResultAfterWhatTheStringHolds) {
  // Results of every size in turn, through the same buffers, each appended
  // to a string that already holds text (as a batch gathers its rows): each
  // piece is the result screen() gives, the text before it is kept, and the
  // layout's spans are the criteria's objects where they landed. The second
  // result, with a member of 100,000 bytes, outgrows the room the first left.
  ScreenOptions options;
  options.as_of = "2026-11-25";
  trialscreen::ScreenBuffers buffers;
  trialscreen::ScreenReuse reuse;
  reuse.buffers = &buffers;
  const std::vector<json> extras = {json{{"record", 1}}, json{{"note", std::string(100000, 'x')}, {"record", 2}},
                                    json{{"record", 3}}};
  const std::vector<json> answers = {eligible_answers(), json{{"age", 17}, {"hemoglobin", 150}}, json::object()};
  std::string text = "rows so far\n";
  for (std::size_t i = 0; i < answers.size(); ++i) {
    const std::string before = text;
    trialscreen::AnswerSet set(*trial_);
    set.take(json(answers[i]));
    trialscreen::ResultLayout layout;
    trial_->screen_text(set, options, text, &extras[i], reuse, &layout);
    ASSERT_EQ(text.compare(0, before.size(), before), 0) << "result " << i;
    json expected = screen(answers[i]);
    expected.update(extras[i]);
    const json written = json::parse(text.substr(before.size()));
    EXPECT_EQ(written, expected) << "result " << i;
    ASSERT_EQ(layout.criteria.size(), expected["criteria"].size());
    for (std::size_t c = 0; c < layout.criteria.size(); ++c) {
      const auto [begin, end] = layout.criteria[c];
      EXPECT_EQ(json::parse(text.substr(begin, end - begin)), expected["criteria"][c]) << "result " << i;
    }
    text += '\n';
  }
}

TEST_F(TrialScreen, ClearingLeavesNoAnswerInAnyPlace) {
  // clear_for_reuse() leaves the values where they are for the next answers'
  // room (the batch); clear(), which the session calls after each screening
  // so that nobody's answers outlive it, must empty every place, also those
  // filled before a clear_for_reuse().
  trialscreen::AnswerSet set(*trial_);
  set.place("sex") = "female";
  set.place("age") = 45;
  set.clear_for_reuse();
  EXPECT_EQ(set.place("sex"), "female") << "kept for its room, though no longer an answer";
  set.clear_for_reuse();
  set.place("wbc") = 5;
  set.clear();
  for (const char* field : {"sex", "age", "wbc"}) EXPECT_TRUE(set.place(field).is_null()) << field;
}

TEST_F(TrialScreen, DefinitionWarningsFireWhenDecidedTrue) {
  json result = screen({{"age", 16}, {"sex", "female"}, {"pregnant", true}});
  ASSERT_EQ(result["warnings"].size(), 1u);
  EXPECT_EQ(result["warnings"][0]["code"], "minor-pregnant");
  EXPECT_EQ(result["warnings"][0]["criteria"], json::array({"I01", "E02"}));
  EXPECT_EQ(result["warnings"][0]["message"], "A pregnant minor: check the age");
  EXPECT_EQ(screen({{"sex", "female"}, {"pregnant", true}})["warnings"], json::array()) << "age unknown: undecided";
}

TEST_F(TrialScreen, ReasonsFollowLanguageAudienceAndStatus) {
  EXPECT_EQ(criterion_of(screen({{"hemoglobin", 120}}, "patient", "zh-Hans"), "I02")["reason"], "血红蛋白足够");
  EXPECT_EQ(criterion_of(screen({{"hemoglobin", 120}}, "physician", "en"), "I02")["reason"], "Hb >= 85 g/L");
  EXPECT_EQ(criterion_of(screen({{"creatinine", 3}}), "E01")["reason"], "Kidney function too low");
  EXPECT_EQ(criterion_of(screen({{"creatinine", 1}}), "E01")["reason"], "Creatinine > 2.5 mg/dL");
}

TEST_F(TrialScreen, AnswersThatAreNotAnObjectAreOneTypeError) {
  const json result = screen(json::array({45}));
  ASSERT_EQ(result["answerErrors"].size(), 1u);
  EXPECT_EQ(result["answerErrors"][0]["code"], "type");
  EXPECT_EQ(result["verdict"], "incomplete");
  EXPECT_EQ(screen(nullptr)["answerErrors"], json::array()) << "null is no answers at all";
}

TEST_F(TrialScreen, InvalidScreeningDateIsAnAnswerError) {
  const json result = screen({{"age", 45}}, "physician", "en", "2026-13-01");
  ASSERT_EQ(result["answerErrors"].size(), 1u);
  EXPECT_EQ(result["answerErrors"][0]["field"], "as_of");
  EXPECT_EQ(criterion_of(result, "I01")["status"], "pass");
}

}  // namespace
