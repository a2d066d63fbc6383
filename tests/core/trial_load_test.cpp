// Trial::load: every problem comes back with its stable id and a JSON pointer
// to the spot in the file; a sound file loads and fingerprints its bytes.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../../core/src/sha256.hpp"
#include "trial_test_support.hpp"

namespace {

using nlohmann::json;
using trialscreen::Diagnostics;
using trialscreen::Trial;
using namespace trialscreen::testing;

// Loads `definition` and expects it to fail with (id, pointer) among the problems.
void expect_problem(const json& definition, const std::string& id, const std::string& pointer) {
  Diagnostics errors;
  EXPECT_FALSE(load_json(definition, errors).has_value());
  EXPECT_TRUE(has_diagnostic(errors, id, pointer)) << "wanted [" << id << "] (" << pointer << "), got:\n"
                                                   << describe(errors);
}

TEST(TrialLoad, SmallTrialLoadsAndCarriesTheSha256OfItsBytes) {
  Diagnostics errors;
  const std::string text = text_of(small_trial());
  std::optional<Trial> trial = Trial::load(text, errors);
  ASSERT_TRUE(trial.has_value()) << describe(errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(trial->sha256(), trialscreen::sha256_hex(text));
  EXPECT_EQ(trial->definition()["id"], "TEST-0001");
}

TEST(TrialLoad, Sha256MatchesTheStandardVectors) {
  EXPECT_EQ(trialscreen::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(trialscreen::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 56 bytes: the padding spills into a second block.
  EXPECT_EQ(trialscreen::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // Many whole blocks (FIPS 180-2's million "a"s).
  EXPECT_EQ(trialscreen::sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(TrialLoad, BrokenJsonAndWrongDocumentsAreRefused) {
  Diagnostics errors;
  EXPECT_FALSE(Trial::load("{\"format\": ", errors).has_value());
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors.front().id, "trial.json.001");

  expect_problem(json::array(), "trial.schema.002", "");
  json other_format = small_trial();
  other_format["format"] = "trialscreen/trial@2";
  expect_problem(other_format, "trial.schema.003", "/format");
}

TEST(TrialLoad, OversizedFileIsRefusedBeforeParsing) {
  Diagnostics errors;
  EXPECT_FALSE(Trial::load(std::string(4 * 1024 * 1024 + 1, ' '), errors).has_value());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors.front().id, "trial.schema.001");
}

TEST(TrialLoad, ShapeProblemsHaveSchemaIdsAndPointers) {
  json missing = small_trial();
  missing.erase("criteria");
  expect_problem(missing, "trial.schema.101", "");

  json misspelt = small_trial();
  misspelt["criteria"][5]["appliesif"] = true;
  expect_problem(misspelt, "trial.schema.102", "/criteria/5/appliesif");

  json wrong_type = small_trial();
  wrong_type["questions"] = json::object();
  expect_problem(wrong_type, "trial.schema.103", "/questions");
  wrong_type = small_trial();
  wrong_type["version"] = 3;
  expect_problem(wrong_type, "trial.schema.103", "/version");

  json bad_id = small_trial();
  bad_id["questions"][0]["id"] = "Age";
  expect_problem(bad_id, "trial.schema.104", "/questions/0/id");
  json bad_source_language = small_trial();
  bad_source_language["sourceLanguage"] = "not a tag!";
  expect_problem(bad_source_language, "trial.schema.104", "/sourceLanguage");
  bad_source_language["sourceLanguage"] = 7;
  expect_problem(bad_source_language, "trial.schema.103", "/sourceLanguage");

  json bad_type = small_trial();
  bad_type["questions"][1]["type"] = "text";
  expect_problem(bad_type, "trial.schema.105", "/questions/1/type");

  json no_options = small_trial();
  no_options["questions"][1]["options"] = json::array();
  expect_problem(no_options, "trial.schema.106", "/questions/1/options");

  json too_many = small_trial();
  too_many["languages"] = json::array();
  for (int i = 0; i < 17; ++i) too_many["languages"].push_back("l" + std::string(1, char('a' + i)));
  expect_problem(too_many, "trial.schema.107", "/languages");

  json bad_range = small_trial();
  bad_range["questions"][0]["range"] = {{"min", 120}, {"max", 0}};
  expect_problem(bad_range, "trial.schema.108", "/questions/0/range");

  json bad_conversion = small_trial();
  bad_conversion["questions"][4]["units"]["g/dL"] = {{"factor", 10}, {"divisor", 2}};
  expect_problem(bad_conversion, "trial.schema.109", "/questions/4/units/g~1dL");

  json misplaced = small_trial();
  misplaced["questions"][2]["units"] = {{"g/L", {{"factor", 1}}}};
  expect_problem(misplaced, "trial.schema.111", "/questions/2/units");
}

TEST(TrialLoad, ReferenceProblemsHaveRefIds) {
  json duplicate = small_trial();
  duplicate["questions"][1]["id"] = "age";
  expect_problem(duplicate, "trial.ref.001", "/questions/1/id");

  json unknown_section = small_trial();
  unknown_section["questions"][0]["section"] = "nowhere";
  expect_problem(unknown_section, "trial.ref.002", "/questions/0/section");

  json unknown_name = small_trial();
  unknown_name["criteria"][0]["rule"] = {{"<=", {18, {{"var", "agee"}}, 90}}};
  expect_problem(unknown_name, "trial.ref.003", "/criteria/0/rule");

  json cycle = small_trial();
  cycle["derived"].push_back({{"id", "other_score"}, {"rule", {{"var", "activity_score"}}}});
  cycle["derived"][0]["rule"] = {{"+", {{{"var", "other_score"}}, 1}}};
  expect_problem(cycle, "trial.ref.004", "/derived/0/rule");

  json unknown_criterion = small_trial();
  unknown_criterion["warnings"][0]["criteria"][1] = "E99";
  expect_problem(unknown_criterion, "trial.ref.005", "/warnings/0/criteria/1");

  json reserved = small_trial();
  reserved["questions"][0]["id"] = "as_of";
  expect_problem(reserved, "trial.ref.006", "/questions/0/id");
}

TEST(TrialLoad, RuleErrorsAreTheEnginesPrefixedByTheRulesPlace) {
  json broken = small_trial();
  broken["criteria"][5]["rule"] = {{"=>", {1, 2}}};
  Diagnostics errors;
  ASSERT_FALSE(load_json(broken, errors).has_value());
  ASSERT_FALSE(errors.empty()) << describe(errors);
  const trialscreen::Diagnostic& d = errors.front();
  EXPECT_EQ(d.id.rfind("trial.rule.", 0), 0u) << d.format();
  EXPECT_EQ(d.pointer.rfind("/criteria/5/rule", 0), 0u) << d.format();
  EXPECT_NE(d.message.find("=>"), std::string::npos) << d.format();
}

TEST(TrialLoad, EveryProblemIsReportedNotOnlyTheFirst) {
  json broken = small_trial();
  broken["questions"][0]["who"] = "nurse";
  broken["criteria"][0]["kind"] = "inclusive";
  Diagnostics errors;
  ASSERT_FALSE(load_json(broken, errors).has_value());
  EXPECT_TRUE(has_diagnostic(errors, "trial.schema.105", "/questions/0/who")) << describe(errors);
  EXPECT_TRUE(has_diagnostic(errors, "trial.schema.105", "/criteria/0/kind")) << describe(errors);
}

// ---- lint ---------------------------------------------------------------

Diagnostics lint_of(const json& definition) {
  Diagnostics errors;
  std::optional<Trial> trial = load_json(definition, errors);
  EXPECT_TRUE(trial.has_value()) << describe(errors);
  return trial ? trial->lint() : Diagnostics{};
}

void expect_lint(const json& definition, const std::string& id, const std::string& pointer) {
  const Diagnostics found = lint_of(definition);
  EXPECT_TRUE(has_diagnostic(found, id, pointer)) << "wanted [" << id << "] (" << pointer << "), got:\n"
                                                  << describe(found);
}

TEST(TrialLint, SmallTrialIsClean) {
  const Diagnostics found = lint_of(small_trial());
  EXPECT_TRUE(found.empty()) << describe(found);
}

TEST(TrialLint, ReportsCoverageProblems) {
  json no_source = small_trial();
  no_source["criteria"][2].erase("source");
  expect_lint(no_source, "trial.lint.001", "/criteria/2");

  json unused = small_trial();
  unused["questions"].push_back({{"id", "favourite_colour"}, {"type", "boolean"}, {"section", "labs"},
                                 {"who", "patient"}, {"text", {{"en", "Blue?"}, {"zh-Hans", "蓝色？"}}}});
  expect_lint(unused, "trial.lint.002", "/questions/10");

  json untranslated = small_trial();
  untranslated["criteria"][1]["label"]["patient"].erase("zh-Hans");
  expect_lint(untranslated, "trial.lint.003", "/criteria/1/label/patient");

  json undeclared = small_trial();
  undeclared["title"]["fr"] = "Essai";
  expect_lint(undeclared, "trial.lint.004", "/title/fr");

  json empty_section = small_trial();
  empty_section["sections"].push_back({{"id", "empty"}, {"title", {{"en", "E"}, {"zh-Hans", "空"}}}});
  expect_lint(empty_section, "trial.lint.005", "/sections/2");

  json unread_derived = small_trial();
  unread_derived["derived"].push_back({{"id", "doubled"}, {"rule", {{"*", {{{"var", "age"}}, 2}}}}});
  expect_lint(unread_derived, "trial.lint.006", "/derived/1");

  json out_of_order = small_trial();
  out_of_order["questions"][5]["section"] = "about_you";  // back to about_you after a labs question
  expect_lint(out_of_order, "trial.lint.007", "/questions/5/section");

  json asks_later = small_trial();
  asks_later["questions"][0]["askIf"] = {{"==", {{{"var", "sex"}}, "female"}}};
  expect_lint(asks_later, "trial.lint.008", "/questions/0/askIf");

  json inclusion_last = small_trial();
  inclusion_last["criteria"].push_back(inclusion_last["criteria"][0]);
  inclusion_last["criteria"][7]["id"] = "I05";
  expect_lint(inclusion_last, "trial.lint.009", "/criteria/7");

  json unbounded = small_trial();
  unbounded["questions"][0].erase("range");
  expect_lint(unbounded, "trial.lint.010", "/questions/0");
}

}  // namespace
