// The bodies of the libFuzzer targets, shared with the GoogleTest that replays
// tests/regressions/ (tests/core/hostile_regressions_test.cpp), so an input that
// once failed is replayed through exactly the code the fuzzer ran.
//
// Each function feeds one input to the core and checks the promises callers
// rely on beyond "no crash": every failure is a value with a stable id and a
// JSON pointer, and every reply is JSON text that parses back. It returns ""
// when they hold, otherwise what broke (the fuzzer then aborts on it).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "../../core/src/batch/records.hpp"
#include "../../core/src/batch/stream.hpp"
#include "trialscreen/diagnostic.hpp"
#include "trialscreen/logic.hpp"
#include "trialscreen/session.hpp"
#include "trialscreen/trial.hpp"

namespace trialscreen::fuzz {

// Rule text and data text: the input up to its first newline is the rule, the
// rest the data (the seeds are compact JSON, so they hold no other newline).
inline std::pair<std::string, std::string> split_at_newline(const std::uint8_t* bytes, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(bytes), size);
  const std::size_t newline = input.find('\n');
  if (newline == std::string::npos) return {input, ""};
  return {input.substr(0, newline), input.substr(newline + 1)};
}

inline bool is_pointer(const std::string& pointer) { return pointer.empty() || pointer[0] == '/'; }

// "" when every diagnostic has an id starting with one of `prefixes` and a
// JSON pointer; else a description of the first one that does not.
inline std::string check_diagnostics(const Diagnostics& found, std::initializer_list<const char*> prefixes) {
  for (const Diagnostic& d : found) {
    const bool known = std::any_of(prefixes.begin(), prefixes.end(),
                                   [&](const char* p) { return d.id.rfind(p, 0) == 0; });
    if (!known || d.id.size() < 5) return "diagnostic with an unexpected id: " + d.format();
    if (!is_pointer(d.pointer)) return "diagnostic without a JSON pointer: " + d.format();
    if (d.message.empty()) return "diagnostic without a message: " + d.id;
  }
  return "";
}

// A reply of the JSON-text façade: it must parse back, and be an object with
// an "error" {code, path, message} or with the keys `success_key` names.
inline std::string check_reply(const std::string& reply, const char* success_key) {
  Diagnostics errors;
  const std::optional<nlohmann::json> parsed = logic::parse_json(reply, errors, 100000);
  if (!parsed) return "reply is not JSON: " + reply.substr(0, 200);
  if (!parsed->is_object()) return "reply is not an object: " + reply.substr(0, 200);
  const auto error = parsed->find("error");
  if (error != parsed->end()) {
    const auto code = error->find("code");
    const auto path = error->find("path");
    if (code == error->end() || !code->is_string() || code->get_ref<const std::string&>().empty()) {
      return "error without a code: " + reply.substr(0, 200);
    }
    if (path == error->end() || !path->is_string() || !is_pointer(path->get_ref<const std::string&>())) {
      return "error without a JSON pointer: " + reply.substr(0, 200);
    }
    return "";
  }
  if (!parsed->contains(success_key)) return std::string("reply without \"") + success_key + "\": " + reply.substr(0, 200);
  return "";
}

// An Outcome must be one of its three kinds with the fields that kind promises.
inline std::string check_outcome(const logic::Outcome& outcome) {
  if (outcome.is_unknown()) {
    if (!std::is_sorted(outcome.waiting_on.begin(), outcome.waiting_on.end()) ||
        std::adjacent_find(outcome.waiting_on.begin(), outcome.waiting_on.end()) != outcome.waiting_on.end()) {
      return "waiting_on is not sorted and unique";
    }
    if (outcome.lower && outcome.upper && *outcome.lower > *outcome.upper) return "unknown with lower > upper";
  }
  // A thrown value's type is what was thrown ({"throw": ""} has type "", as a
  // `try` handler reads it): only the engine's own errors must name a type.
  if (outcome.is_error() && outcome.error_type.empty() && outcome.error_id != "rule.203") return "error without a type";
  if (outcome.is_error() && outcome.error_id.rfind("rule.", 0) != 0) return "error without a rule.* id";
  if (outcome.is_error() && !is_pointer(outcome.error_pointer)) return "error without a JSON pointer";
  // The value is serialised for the caller: it must survive the round trip.
  if (outcome.is_value()) {
    Diagnostics errors;
    if (!logic::parse_json(logic::to_json_text(outcome.value), errors, 100000)) return "value does not serialise";
  }
  return "";
}

// Domains for the rule's variables, varied by name so that every kind of
// bound meets every operator: Any, Boolean, an integer range, a choice.
inline std::map<std::string, logic::Domain> domains_for(const std::vector<std::string>& variables) {
  std::map<std::string, logic::Domain> domains;
  for (const std::string& name : variables) {
    logic::Domain domain;
    switch (name.size() % 4) {
      case 0: break;
      case 1: domain.kind = logic::Domain::Kind::Boolean; break;
      case 2:
        domain.kind = logic::Domain::Kind::Range;
        domain.min = -5;
        domain.max = 120;
        domain.integer = name.size() % 8 == 2;
        break;
      default:
        domain.kind = logic::Domain::Kind::Choice;
        domain.choices = {"a", "b", 1, nullptr};
        break;
    }
    domains[name] = std::move(domain);
  }
  return domains;
}

// JsonLogic: compile the rule, evaluate it plainly, then as screening does
// (missing is unknown, with bounds) on the data and on no data at all.
// parse_json reads well-formed text on a fast path of its own and leaves the
// rest to nlohmann: both must agree on every text, number types included, and
// the writer must print what nlohmann's dump prints.
inline std::string check_parse_agrees(const std::string& text) {
  Diagnostics errors;
  const std::optional<nlohmann::json> ours = logic::parse_json(text, errors);
  if (!ours && !errors.empty() && errors.front().id == "json.002") return "";  // nlohmann has no depth limit
  const nlohmann::json theirs = nlohmann::json::parse(text, nullptr, false);
  if (theirs.is_discarded()) return ours ? "parse_json accepted what nlohmann rejects" : "";
  if (!ours) return "parse_json rejected what nlohmann accepts";
  if (*ours != theirs || ours->dump() != theirs.dump()) return "parse_json and nlohmann read different values";
  if (logic::to_json_text(*ours) != theirs.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) {
    return "to_json_text and nlohmann's dump differ";
  }
  return "";
}

// The same screening with the answers handed by slot, as a trial's rules get
// them: the plain path and the comparisons' own path (evaluate.cpp) may take
// the rule then, and must give exactly what the evaluator gave reading the
// answers by name. The rule's variables are the slots. Only for an object
// (or no data): by slot, a rule reads top-level members only.
inline std::string check_by_slot_agrees(const nlohmann::json& rule_json, const std::vector<std::string>& slots,
                                        const nlohmann::json& data, const logic::Bindings& screening,
                                        const logic::Outcome& by_name) {
  if (!data.is_object() && !data.is_null()) return "";
  Diagnostics errors;
  logic::CompileOptions options;
  options.slots = &slots;
  std::optional<logic::Rule> rule = logic::Rule::compile(rule_json, errors, options);
  if (!rule) return "a rule that compiles did not compile with slots";
  std::vector<const nlohmann::json*> slot_values;
  for (const std::string& name : slots) {
    const auto found = data.is_object() ? data.find(name) : data.end();
    slot_values.push_back(data.is_object() && found != data.end() ? &*found : nullptr);
  }
  logic::Bindings numbered = screening;
  numbered.slot_values = &slot_values;
  const logic::Outcome by_slot = rule->evaluate(data, numbered);
  if (by_slot.kind != by_name.kind || logic::to_json_text(by_slot.value) != logic::to_json_text(by_name.value) ||
      by_slot.waiting_on != by_name.waiting_on || by_slot.lower != by_name.lower || by_slot.upper != by_name.upper ||
      by_slot.error_id != by_name.error_id || by_slot.error_pointer != by_name.error_pointer) {
    return "screening by slot and by name differ: " + logic::to_json_text(by_slot.value) + " / " +
           logic::to_json_text(by_name.value);
  }
  return "";
}

inline std::string run_logic(const std::uint8_t* bytes, std::size_t size) {
  const auto [rule_text, data_text] = split_at_newline(bytes, size);
  for (const std::string* text : {&rule_text, &data_text}) {
    const std::string problem = check_parse_agrees(*text);
    if (!problem.empty()) return problem;
  }
  Diagnostics errors;
  const std::optional<nlohmann::json> rule_json = logic::parse_json(rule_text, errors);
  if (!rule_json) return check_diagnostics(errors, {"json."});
  std::optional<logic::Rule> rule = logic::Rule::compile(*rule_json, errors);
  if (!rule) {
    if (errors.empty()) return "compile failed without a diagnostic";
    return check_diagnostics(errors, {"rule."});
  }
  nlohmann::json data = nullptr;
  if (std::optional<nlohmann::json> parsed = logic::parse_json(data_text, errors)) data = std::move(*parsed);

  const logic::Outcome plain = rule->evaluate(data);
  std::string problem = check_outcome(plain);
  if (!problem.empty()) return "plain: " + problem;
  // Plain JsonLogic may be worked out on the plain path; bindings that name
  // domains (none) are not plain JsonLogic's, so the evaluator works the rule
  // out: the two must agree, JSON type and error included.
  const std::map<std::string, logic::Domain> no_domains;
  logic::Bindings full;
  full.domains = &no_domains;
  const logic::Outcome evaluated = rule->evaluate(data, full);
  if (plain.kind != evaluated.kind || plain.value != evaluated.value ||
      logic::to_json_text(plain.value) != logic::to_json_text(evaluated.value) ||
      plain.error_id != evaluated.error_id || plain.error_pointer != evaluated.error_pointer ||
      plain.error_message != evaluated.error_message) {
    return "the plain path and the evaluator differ";
  }
  // In a set with another rule (logic::RuleSet), as a document and as text:
  // what the rule gives alone.
  {
    std::optional<logic::RuleSet> set =
        logic::RuleSet::compile(nlohmann::json::array({*rule_json, {{"var", "a"}}}), errors);
    if (!set) return "a rule that compiles did not compile in a set";
    std::vector<logic::Outcome> outcomes;
    set->evaluate(data, outcomes);
    for (int as_text = 0; as_text < 2; ++as_text) {
      if (outcomes.size() != 2 || outcomes[0].kind != plain.kind ||
          logic::to_json_text(outcomes[0].value) != logic::to_json_text(plain.value) ||
          outcomes[0].error_id != plain.error_id || outcomes[0].error_pointer != plain.error_pointer ||
          outcomes[0].error_message != plain.error_message) {
        return as_text == 0 ? "the rule in a set gives another outcome" : "the rule in a set, from text, gives another outcome";
      }
      if (!set->evaluate_text(logic::to_json_text(data), outcomes, errors)) return "a set refused its document's text";
    }
  }

  const std::map<std::string, logic::Domain> domains = domains_for(rule->variables());
  logic::Bindings screening;
  screening.missing_is_unknown = true;
  screening.domains = &domains;
  const logic::Outcome by_name = rule->evaluate(data, screening);
  problem = check_outcome(by_name);
  if (!problem.empty()) return "unknowns: " + problem;
  problem = check_outcome(rule->evaluate(nlohmann::json::object(), screening));
  if (!problem.empty()) return "no data: " + problem;
  problem = check_by_slot_agrees(*rule_json, rule->variables(), data, screening, by_name);
  if (!problem.empty()) return problem;

  // The façade JavaScript uses must say the same in JSON text.
  const LogicSession session(rule_text);
  if (!session.ok()) return "LogicSession refused a rule that compiles";
  const std::string reply = session.apply(data_text.empty() ? "null" : data_text);
  problem = check_reply(reply, "result");
  if (!problem.empty() || !data.is_object() || session.data_names() == "null") return problem;
  // The wrapper writes only the members data_names() names: they must give
  // the same reply as the whole document.
  const std::optional<nlohmann::json> names = logic::parse_json(session.data_names(), errors);
  if (!names || !names->is_array()) return "data_names() is neither null nor an array";
  nlohmann::json named = nlohmann::json::object();
  for (const nlohmann::json& name : *names) {
    if (!name.is_string()) return "data_names() holds a name that is not a string";
    const auto member = data.find(name.get_ref<const std::string&>());
    if (member != data.end()) named[name.get_ref<const std::string&>()] = *member;
  }
  if (session.apply(logic::to_json_text(named)) != reply) return "the members data_names() names give another reply";
  return "";
}

inline const char* const kScreenOptions = R"({"asOf": "2026-11-25", "audience": "physician", "lang": "en"})";

// A trial definition: load it, lint it, screen nobody for both audiences, as
// the widget does right after loading. Through TrialSession (what JavaScript
// calls), so the file is parsed and compiled once per input.
inline std::string run_trial(const std::uint8_t* bytes, std::size_t size) {
  const TrialSession session(std::string(reinterpret_cast<const char*>(bytes), size));
  if (!session.ok()) {
    std::string problem = check_reply(session.load_error(), "error");
    if (problem.empty() && session.load_error().find(R"({"error":{"code":"trial.)") != 0) {
      problem = "load error without a trial.* code: " + session.load_error().substr(0, 200);
    }
    return problem;
  }
  Diagnostics errors;
  const std::optional<nlohmann::json> lint = logic::parse_json(session.lint(), errors, 100000);
  if (!lint || !lint->is_array()) return "lint() is not a JSON array";
  for (const nlohmann::json& problem : *lint) {
    const auto code = problem.is_object() ? problem.find("code") : problem.end();
    if (code == problem.end() || !code->is_string() || code->get_ref<const std::string&>().rfind("trial.lint.", 0) != 0) {
      return "lint problem without a trial.lint.* code: " + logic::to_json_text(problem);
    }
  }
  if (!logic::parse_json(session.definition(), errors, 100000)) return "definition() is not JSON";
  for (const char* options : {kScreenOptions, R"({"asOf": "2026-11-25", "audience": "patient"})"}) {
    const std::string problem = check_reply(session.screen("{}", options), "verdict");
    if (!problem.empty()) return problem;
  }
  return "";
}

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// BH002, loaded once per process (loading is the expensive part). One
// session screens every input, as the widget's does a person's every answer,
// so the rule outcomes it keeps (logic::OutcomeMemo) carry across inputs.
inline const TrialSession& bh002_session(const std::string& source_dir) {
  static const TrialSession session(read_text_file(source_dir + "/examples/bh002/trial.json"));
  return session;
}

// A second BH002 session that forgets before every screening: what the
// input gives with nothing kept from earlier ones.
inline TrialSession& bh002_forgetful_session(const std::string& source_dir) {
  static TrialSession session(read_text_file(source_dir + "/examples/bh002/trial.json"));
  return session;
}

// Answers and options text against BH002: the input up to its first newline
// is the answers, the rest the options (the date given when options are empty).
// With `forgetful`, the result must also be the one a session that kept
// nothing gives: a kept outcome may never change a screening.
inline std::string run_screen(const TrialSession& bh002, const std::uint8_t* bytes, std::size_t size,
                              TrialSession* forgetful = nullptr) {
  if (!bh002.ok()) return "BH002 does not load: " + bh002.load_error();
  const auto [answers, options] = split_at_newline(bytes, size);
  const std::string& options_text = options.empty() ? kScreenOptions : options;
  const std::string reply = bh002.screen(answers, options_text);
  if (forgetful != nullptr) {
    forgetful->forget();
    if (forgetful->screen(answers, options_text) != reply) {
      return "a kept outcome changed the result: " + reply.substr(0, 300);
    }
  }
  return check_reply(reply, "verdict");
}

// BH002 as a Trial, loaded once per process, for the batch.
inline const Trial& bh002_trial(const std::string& source_dir) {
  static const Trial trial = [&] {
    Diagnostics errors;
    std::optional<Trial> loaded = Trial::load(read_text_file(source_dir + "/examples/bh002/trial.json"), errors);
    if (!loaded) std::abort();  // the repository's own trial: the harness cannot run without it
    return std::move(*loaded);
  }();
  return trial;
}

// What one screen_stream run over a string gave.
struct BatchRun {
  bool ok = false;
  std::string fatal;
  std::string out;
  batch::Summary summary;
};

// Reads `text` (which must outlive the reader) as the batch reads its input.
inline batch::ReadBytes reading(const std::string& text) {
  return [&text, at = std::size_t{0}](char* buffer, std::size_t capacity) mutable {
    const std::size_t n = std::min(capacity, text.size() - at);
    std::memcpy(buffer, text.data() + at, n);
    at += n;
    return n;
  };
}

inline BatchRun run_stream(const Trial& trial, const std::string& input, batch::Format in, batch::Format out) {
  batch::StreamOptions options;
  options.screen.as_of = "2026-11-25";
  options.input = in;
  options.output = out;
  options.progress_every = 0;
  BatchRun run;
  const batch::WriteBytes write = [&](const char* bytes, std::size_t size) { run.out.append(bytes, size); };
  run.ok = batch::screen_stream(trial, options, reading(input), write, batch::Progress(), run.summary, run.fatal);
  return run;
}

// The rows of JSON Lines output (JSON text escapes line breaks, so a row is a line).
inline std::vector<std::string> output_lines(const std::string& out) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < out.size()) {
    std::size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    lines.push_back(out.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// Each CSV output row says what the same record's JSON row says: its number,
// its id, and its verdict, criterion statuses and answer errors (field:code
// in turn), or for an error row the error's code. (The two runs screen each
// record apart: CSV rows come from Trial::screen_summary, JSON rows from
// Trial::screen_text.) CSV cells keep a text's bytes as given, where JSON
// text replaces what is not UTF-8 with U+FFFD: texts compare after that
// replacement.
inline std::string csv_rows_agree(const std::vector<nlohmann::json>& json_rows, const std::string& csv_out) {
  const auto same_text = [](std::string_view csv_cell, const std::string& from_json) {
    const auto replaced = [](std::string_view text) {
      return nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    };
    return replaced(csv_cell) == replaced(from_json);
  };
  batch::LineReader lines(reading(csv_out), std::size_t{1} << 26);
  batch::CsvReader reader(lines);
  std::vector<std::string_view> cells;
  if (reader.next(cells) != batch::CsvRead::Record || cells.size() < 5) return "CSV output without its header";
  const std::size_t columns = cells.size();
  const std::size_t criteria = columns - 5;  // record, id, verdict, ..., answer_errors, error
  for (const nlohmann::json& row : json_rows) {
    if (reader.next(cells) != batch::CsvRead::Record || cells.size() != columns) return "a CSV row missing or cut";
    const std::string where = "CSV row " + std::string(cells[0]) + ": ";
    if (cells[0] != logic::to_json_text(row["record"])) return where + "not the JSON row's record";
    const auto id = row.find("id");
    const std::string id_text = id == row.end() ? "" : id->is_string() ? id->get<std::string>() : logic::to_json_text(*id);
    if (!same_text(cells[1], id_text)) return where + "not the JSON row's id";
    if (row.contains("error")) {
      const std::string code = row["error"]["code"].get<std::string>() + ": ";
      if (cells[2] != "error" || cells[columns - 1].substr(0, code.size()) != code) return where + "not the JSON row's error";
      continue;
    }
    if (cells[2] != row["verdict"].get<std::string>()) return where + "not the JSON row's verdict";
    const nlohmann::json& lines_of = row["criteria"];
    if (lines_of.size() != criteria) return where + "another number of criteria than the JSON row";
    for (std::size_t k = 0; k < criteria; ++k) {
      if (cells[3 + k] != lines_of[k]["status"].get<std::string>()) return where + "not the JSON row's statuses";
    }
    std::string answer_errors;
    for (const nlohmann::json& e : row["answerErrors"]) {
      if (!answer_errors.empty()) answer_errors += "; ";
      answer_errors += e["field"].get<std::string>() + ":" + e["code"].get<std::string>();
    }
    if (!same_text(cells[columns - 2], answer_errors)) return where + "not the JSON row's answer errors";
  }
  if (reader.next(cells) != batch::CsvRead::End) return "more CSV rows than JSON rows";
  return "";
}

// A referral list as `trialscreen batch` reads it (JSON Lines or CSV, told
// apart as the command does) against BH002, with result objects out and with
// CSV rows out. Beyond no crash: the two runs read the same records; each
// JSON row is an object numbered 1, 2, ... in turn, with a verdict or an
// error {code, message}, as many error rows as the summary counts, and each
// CSV row agrees with its JSON row (csv_rows_agree). For JSON Lines, each
// line screened alone must give the row it gave in the list (error rows: the
// same code), so that nothing of one record (its answers, its id, what the
// memos kept) reaches the next.
inline std::string run_batch(const Trial& bh002, const std::uint8_t* bytes, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(bytes), size);
  const BatchRun lines = run_stream(bh002, input, batch::Format::Auto, batch::Format::JsonLines);
  const BatchRun csv = run_stream(bh002, input, batch::Format::Auto, batch::Format::Csv);
  if (lines.ok != csv.ok || lines.summary.records != csv.summary.records || lines.summary.errors != csv.summary.errors) {
    return "JSON Lines and CSV output read the records differently";
  }
  if (!lines.ok) {
    if (lines.fatal.empty()) return "a run that failed without saying why";
    return lines.out.empty() ? "" : "output before a fatal error";
  }
  const std::vector<std::string> rows = output_lines(lines.out);
  if (rows.size() != lines.summary.records) return "not one row per record";
  std::vector<nlohmann::json> parsed;
  std::size_t errors = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    Diagnostics problems;
    std::optional<nlohmann::json> row = logic::parse_json(rows[i], problems, 100000);
    if (!row || !row->is_object()) return "a row that is no JSON object: " + rows[i].substr(0, 200);
    const auto record = row->find("record");
    if (record == row->end() || *record != i + 1) return "rows out of order: " + rows[i].substr(0, 200);
    const auto error = row->find("error");
    if (error != row->end()) {
      ++errors;
      if (!error->is_object() || !(*error)["code"].is_string() || !(*error)["message"].is_string()) {
        return "an error row without a code and a message: " + rows[i].substr(0, 200);
      }
    } else if (!row->contains("verdict") || !(*row)["verdict"].is_string()) {
      return "a row without a verdict: " + rows[i].substr(0, 200);
    }
    parsed.push_back(std::move(*row));
  }
  if (errors != lines.summary.errors) return "error rows and the summary disagree";
  if (const std::string disagreement = csv_rows_agree(parsed, csv.out); !disagreement.empty()) return disagreement;

  // JSON Lines: each line alone. (A line's number is in its error messages,
  // so error rows compare by code.)
  const std::size_t first = input.find_first_not_of(" \t\r\n", input.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0);
  if (first == std::string::npos || input[first] != '{') return "";  // read as CSV
  std::size_t next_row = 0;
  std::size_t start = 0;
  while (start <= input.size() && next_row <= parsed.size()) {
    std::size_t end = input.find('\n', start);
    if (end == std::string::npos) end = input.size();
    std::string line = input.substr(start, end - start);
    // A byte order mark counts only at the start of the input: one that
    // begins a later line stays in it, as in the list.
    if (start != 0 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.insert(0, " ");
    const BatchRun alone = run_stream(bh002, line, batch::Format::JsonLines, batch::Format::JsonLines);
    start = end + 1;
    const std::vector<std::string> solo_rows = output_lines(alone.out);
    if (solo_rows.empty()) continue;  // a blank line
    if (solo_rows.size() != 1 || next_row >= parsed.size()) return "a line alone gave other rows than in the list";
    Diagnostics problems;
    std::optional<nlohmann::json> solo = logic::parse_json(solo_rows[0], problems, 100000);
    if (!solo) return "a line alone gave no JSON";
    nlohmann::json& in_list = parsed[next_row++];
    (*solo)["record"] = in_list["record"];
    if (in_list.contains("error")) {
      if (!solo->contains("error") || (*solo)["error"]["code"] != in_list["error"]["code"]) {
        return "a line alone is no error row like in the list: " + solo_rows[0].substr(0, 200);
      }
    } else if (*solo != in_list) {
      return "a record screened alone differs from the same record in the list: " + solo_rows[0].substr(0, 300);
    }
    if (end == input.size()) break;
  }
  if (next_row != parsed.size()) return "the lines alone gave fewer rows than the list";
  return "";
}

}  // namespace trialscreen::fuzz
