// Where the time of one screening goes, natively: parsing the answers, the
// core's screen(), serialising the result, the JSON-text façade the browser
// calls, and the 34 plain JsonLogic criterion rules on their own, a rule at a
// time and as one set (the same rules and canonical data the JavaScript
// engines run, see engines.mjs).
//
// Data: the first kSample records of the files bench/generate.mjs writes, in
// $TRIALSCREEN_BENCH_DATA (default build/bench-data under the source tree).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "trialscreen/logic.hpp"
#include "trialscreen/session.hpp"
#include "trialscreen/trial.hpp"

namespace {

using nlohmann::json;
using trialscreen::Diagnostics;

constexpr std::size_t kSample = 1000;
constexpr const char* kAsOf = "2026-11-25";

std::string data_dir() {
  const char* configured = std::getenv("TRIALSCREEN_BENCH_DATA");
  return configured != nullptr ? configured : TRIALSCREEN_SOURCE_DIR "/build/bench-data";
}

std::string read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::string> first_lines(const std::string& path, std::size_t count) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  std::string line;
  while (lines.size() < count && std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

json parse_or_die(const std::string& text, const std::string& what) {
  Diagnostics errors;
  std::optional<json> value = trialscreen::logic::parse_json(text, errors);
  if (!value) {
    std::fprintf(stderr, "core_bench: cannot parse %s (run bench/generate.mjs first)\n", what.c_str());
    std::exit(2);
  }
  return *value;
}

// Everything the benchmarks share, loaded once.
struct Fixture {
  std::string trial_text;
  std::optional<trialscreen::Trial> trial;
  std::vector<std::string> answer_lines;   // referrals.jsonl without the "id" key
  std::vector<json> answers;
  std::vector<json> canonical;             // referrals-canonical.jsonl plus as_of
  std::vector<trialscreen::logic::Rule> rules;
  json plain_rules = json::array();        // the same rules as one list (RuleSet)
  trialscreen::ScreenOptions options;

  Fixture() {
    trial_text = read_whole(TRIALSCREEN_SOURCE_DIR "/examples/bh002/trial.json");
    Diagnostics errors;
    trial = trialscreen::Trial::load(trial_text, errors);
    if (!trial) {
      std::fprintf(stderr, "core_bench: examples/bh002/trial.json does not load\n");
      std::exit(2);
    }
    options.as_of = kAsOf;
    for (const std::string& line : first_lines(data_dir() + "/referrals.jsonl", kSample)) {
      json record = parse_or_die(line, "referrals.jsonl");
      record.erase("id");
      answer_lines.push_back(trialscreen::logic::to_json_text(record));
      answers.push_back(std::move(record));
    }
    for (const std::string& line : first_lines(data_dir() + "/referrals-canonical.jsonl", kSample)) {
      json record = parse_or_die(line, "referrals-canonical.jsonl");
      record["as_of"] = kAsOf;
      canonical.push_back(std::move(record));
    }
    const json rule_list = parse_or_die(read_whole(data_dir() + "/bh002-rules.json"), "bh002-rules.json");
    for (const json& entry : rule_list) {
      std::optional<trialscreen::logic::Rule> rule = trialscreen::logic::Rule::compile(entry["rule"], errors);
      if (!rule) {
        std::fprintf(stderr, "core_bench: rule %s does not compile\n", entry["id"].dump().c_str());
        std::exit(2);
      }
      rules.push_back(std::move(*rule));
      plain_rules.push_back(entry["rule"]);
    }
    if (answers.empty() || canonical.empty() || rules.size() != 34) {
      std::fprintf(stderr, "core_bench: no data in %s (run bench/generate.mjs first)\n", data_dir().c_str());
      std::exit(2);
    }
  }
};

const Fixture& fixture() {
  static const Fixture shared;  // loaded once for all benchmarks of this process
  return shared;
}

// One full BH002 screening of parsed answers: the core's screen() alone.
void BM_Screen(benchmark::State& state) {
  const Fixture& f = fixture();
  std::size_t i = 0;
  for (auto _ : state) {
    json result = f.trial->screen(f.answers[i], f.options);
    benchmark::DoNotOptimize(result);
    i = (i + 1) % f.answers.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Screen);

// Parsing one record's answers from JSON text.
void BM_ParseAnswers(benchmark::State& state) {
  const Fixture& f = fixture();
  std::size_t i = 0;
  for (auto _ : state) {
    Diagnostics errors;
    std::optional<json> answers = trialscreen::logic::parse_json(f.answer_lines[i], errors);
    benchmark::DoNotOptimize(answers);
    i = (i + 1) % f.answer_lines.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ParseAnswers);

// Serialising one result to JSON text.
void BM_DumpResult(benchmark::State& state) {
  const Fixture& f = fixture();
  std::vector<json> results;
  for (std::size_t i = 0; i < 100 && i < f.answers.size(); ++i) results.push_back(f.trial->screen(f.answers[i], f.options));
  std::size_t i = 0;
  for (auto _ : state) {
    std::string text = trialscreen::logic::to_json_text(results[i]);
    benchmark::DoNotOptimize(text);
    i = (i + 1) % results.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_DumpResult);

// What the browser calls per answer: JSON text in, JSON text out, the
// criterion objects sent before named by number (TrialSession::screen_numbered).
void BM_SessionScreenText(benchmark::State& state) {
  const Fixture& f = fixture();
  trialscreen::TrialSession session(f.trial_text);
  const std::string options = R"({"asOf":"2026-11-25","audience":"patient","lang":"en"})";
  std::size_t i = 0;
  for (auto _ : state) {
    const std::string& result = session.screen_numbered(f.answer_lines[i], options);
    benchmark::DoNotOptimize(result.data());
    i = (i + 1) % f.answer_lines.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_SessionScreenText);

// Issue 3's comparison: the 34 criterion rules, plain JsonLogic, over one
// record's canonical answers (one item = one record = 34 evaluations).
void BM_LogicRules(benchmark::State& state) {
  const Fixture& f = fixture();
  std::size_t i = 0;
  for (auto _ : state) {
    for (const trialscreen::logic::Rule& rule : f.rules) {
      trialscreen::logic::Outcome outcome = rule.evaluate(f.canonical[i]);
      benchmark::DoNotOptimize(outcome);
    }
    i = (i + 1) % f.canonical.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_LogicRules);

// The same 34 rules compiled as one set (logic::RuleSet): a record's members
// are found once for all of them, each rule's outcome what it gives alone.
void BM_LogicRuleSet(benchmark::State& state) {
  const Fixture& f = fixture();
  Diagnostics errors;
  std::optional<trialscreen::logic::RuleSet> set = trialscreen::logic::RuleSet::compile(f.plain_rules, errors);
  if (!set) {
    state.SkipWithError("the rules do not compile as a set");
    return;
  }
  std::vector<trialscreen::logic::Outcome> outcomes;
  std::size_t i = 0;
  for (auto _ : state) {
    set->evaluate(f.canonical[i], outcomes);
    benchmark::DoNotOptimize(outcomes.data());
    i = (i + 1) % f.canonical.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_LogicRuleSet);

}  // namespace

BENCHMARK_MAIN();
