#include "trialscreen/session.hpp"

#include <charconv>
#include <cstring>
#include <utility>

#include "text_hash.hpp"

namespace trialscreen {
namespace {

nlohmann::json diagnostic_object(const Diagnostic& d) {
  return {{"code", d.id}, {"path", d.pointer}, {"message", d.message}};
}

nlohmann::json error_object(const Diagnostics& errors) {
  nlohmann::json list = nlohmann::json::array();
  for (const Diagnostic& d : errors) list.push_back(diagnostic_object(d));
  nlohmann::json error = errors.empty()
                             ? nlohmann::json{{"code", "internal"}, {"path", ""}, {"message", "unknown error"}}
                             : diagnostic_object(errors.front());
  error["errors"] = std::move(list);
  return {{"error", std::move(error)}};
}

}  // namespace

std::string error_json(const Diagnostics& errors) { return logic::to_json_text(error_object(errors)); }

TrialSession::TrialSession(const std::string& trial_text) {
  Diagnostics errors;
  trial_ = Trial::load(trial_text, errors);
  if (trial_) {
    answers_.emplace(*trial_);
  } else {
    load_error_ = error_json(errors);
  }
}

std::string TrialSession::definition() const {
  return trial_ ? logic::to_json_text(trial_->definition()) : "null";
}

const std::string& TrialSession::definition_kept() {
  kept_result_ = definition();
  return kept_result_;
}

std::string TrialSession::screen(const std::string& answers_json, const std::string& options_json) const {
  std::string result;
  screen_into(answers_json, options_json, result);
  return result;
}

void TrialSession::NumberedCriteria::clear() {
  texts.clear();
  by_hash.clear();
  last_at.clear();
}

std::size_t TrialSession::NumberedCriteria::number(std::string_view text) {
  // At most half full: a table of twice kMaxNumberedCriteria, made at first use.
  if (by_hash.empty()) by_hash.assign(2 * kMaxNumberedCriteria, 0);
  const std::size_t at = probe(by_hash, text_hash(text), [&](std::size_t index) { return same_text(texts[index], text); });
  if (by_hash[at] == 0) {
    texts.emplace_back(text);
    by_hash[at] = static_cast<std::uint32_t>(texts.size());
  }
  return by_hash[at] - 1;
}

const std::string& TrialSession::screen_numbered(const std::string& answers_json, const std::string& options_json) {
  // Their capacities stay, so the next result is written without growing
  // them; unless a rare huge one (an error list, say) left them large.
  for (std::string* text : {&screened_, &kept_result_}) {
    if (text->capacity() > (std::size_t{1} << 20)) *text = std::string();
    text->clear();
  }
  layout_.criteria.clear();
  screen_into(answers_json, options_json, screened_, &layout_);
  if (layout_.criteria.empty()) {
    kept_result_.swap(screened_);
    return kept_result_;
  }
  // Room for this result's criteria, all of them perhaps new.
  if (numbered_.texts.size() + layout_.criteria.size() > kMaxNumberedCriteria) numbered_.clear();
  const std::size_t first_new = numbered_.texts.size();
  const std::vector<std::pair<std::size_t, std::size_t>>& spans = layout_.criteria;
  std::vector<std::size_t>& last_at = numbered_.last_at;
  last_at.resize(spans.size(), NumberedCriteria::kNoNumber);
  // The criteria's numbers and what lies between them (the commas), written
  // into one buffer and appended at once: a call per piece cost more than the
  // copying.
  std::size_t room = 0;
  for (std::size_t k = 0; k < spans.size(); ++k) room += (k > 0 ? spans[k].first - spans[k - 1].second : 0) + 20;
  std::string& numbers = numbered_.numbers;
  numbers.resize(room);
  char* at = numbers.data();
  char* const limit = numbers.data() + room;
  for (std::size_t k = 0; k < spans.size(); ++k) {
    const auto [begin, end] = spans[k];
    const std::string_view object = std::string_view(screened_).substr(begin, end - begin);
    // A criterion often reads as it did in the last result: one comparison then, no hashing.
    if (last_at[k] == NumberedCriteria::kNoNumber || !same_text(numbered_.texts[last_at[k]], object)) {
      last_at[k] = numbered_.number(object);
    }
    if (k > 0) {
      const std::size_t gap = begin - spans[k - 1].second;
      std::memcpy(at, screened_.data() + spans[k - 1].second, gap);
      at += gap;
    }
    at = std::to_chars(at, limit, last_at[k]).ptr;
  }
  kept_result_.append(screened_, 0, spans.front().first);
  kept_result_.append(numbers.data(), static_cast<std::size_t>(at - numbers.data()));
  kept_result_.append(screened_, spans.back().second, std::string::npos);
  if (numbered_.texts.size() > first_new) {
    kept_result_ += '\n';
    kept_result_ += std::to_string(first_new);
    for (std::size_t i = first_new; i < numbered_.texts.size(); ++i) {
      kept_result_ += '\n';
      kept_result_ += numbered_.texts[i];
    }
  }
  return kept_result_;
}

void TrialSession::screen_into(const std::string& answers_json, const std::string& options_json,
                               std::string& result, ResultLayout* layout) const {
  if (!trial_) {
    result = load_error_;
    return;
  }
  // Parse errors name the argument they came from: "answers.json.001".
  const auto name_errors = [](Diagnostics& found, const char* name, Diagnostics& errors) {
    for (Diagnostic& d : found) {
      d.id = std::string(name) + "." + d.id;
      errors.push_back(std::move(d));
    }
  };
  Diagnostics errors;
  // The answers go straight to their places (AnswerSet): no object of them is built.
  // Empty (the last call emptied it), and emptied again after this one:
  // the person's answers are not kept past the call, whatever it returns.
  AnswerSet& answers = *answers_;
  struct ClearAfter {
    AnswerSet& set;
    ~ClearAfter() { set.clear(); }
  } clear_after{answers};
  Diagnostics found;
  const logic::MembersRead read = logic::parse_json_members(
      answers_json, found, logic::kJsonMaxDepth,
      [&](std::string_view field) -> nlohmann::json& { return answers.place(field); }, [&] { answers.clear(); });
  name_errors(found, "answers", errors);
  // Most calls repeat the last options: their text is read once. (Empty
  // text is no JSON, so an empty options_text_ is options never read.)
  const bool same_options = !options_text_.empty() && options_json == options_text_;
  std::optional<nlohmann::json> options;
  if (!same_options) {
    found.clear();
    options = logic::parse_json(options_json, found);
    name_errors(found, "options", errors);
  }
  if (read == logic::MembersRead::Invalid || (!same_options && !options)) {
    result = error_json(errors);
    return;
  }
  if (read == logic::MembersRead::Other) {
    result = error_json({{"answers.type", "", "answers must be a JSON object keyed by field id"}});
    return;
  }
  if (!same_options) {
    if (!options->is_object()) {
      result = error_json({{"options.type", "", "options must be a JSON object"}});
      return;
    }
    ScreenOptions screen_options;
    const auto text_option = [&](const char* key, std::string& target) {
      auto it = options->find(key);
      if (it != options->end() && it->is_string()) target = it->get<std::string>();
    };
    text_option("asOf", screen_options.as_of);
    text_option("audience", screen_options.audience);
    text_option("lang", screen_options.lang);
    options_ = std::move(screen_options);
    options_text_ = options_json;
  }
  trial_->screen_text(answers, options_, result, nullptr, {&outcomes_, &buffers_, &lines_}, layout);
}

void TrialSession::forget() {
  outcomes_.clear();
  lines_.clear();
  buffers_ = ScreenBuffers();
  numbered_ = NumberedCriteria();
  screened_ = std::string();
  layout_ = ResultLayout();
  kept_result_ = std::string();
}

std::string TrialSession::lint() const {
  nlohmann::json list = nlohmann::json::array();
  if (trial_) {
    for (const Diagnostic& d : trial_->lint()) list.push_back(diagnostic_object(d));
  }
  return logic::to_json_text(list);
}

namespace {

// A compile failure as LogicSession and RuleSetSession report it.
std::string compile_error_json(const Diagnostics& errors) {
  nlohmann::json error = error_object(errors);
  // The suites' error type ("Unknown Operator", "Invalid Arguments", ...), as apply() reports it.
  if (!errors.empty()) error["error"]["type"] = logic::error_type(errors.front());
  return logic::to_json_text(error);
}

// A failed rule's error as apply() replies it: {"type", "message", "code", "path", "thrown"?}.
nlohmann::json error_value(const logic::Outcome& outcome) {
  nlohmann::json error = {{"type", outcome.error_type}, {"message", outcome.error_message}};
  // The stable id and place, as every other error value carries them.
  if (!outcome.error_id.empty()) error["code"] = outcome.error_id;
  error["path"] = outcome.error_pointer;
  if (!outcome.thrown.is_null()) error["thrown"] = outcome.thrown;
  return error;
}

}  // namespace

LogicSession::LogicSession(const std::string& rule_text) {
  Diagnostics errors;
  std::optional<nlohmann::json> rule = logic::parse_json(rule_text, errors);
  if (rule) rule_ = logic::Rule::compile(*rule, errors);
  if (rule_ && rule_->reads_only_variables()) data_names_ = logic::to_json_text(rule_->variables());
  if (!rule_) compile_error_ = compile_error_json(errors);
}

std::string LogicSession::apply(const std::string& data_json) const {
  if (!rule_) return compile_error_;
  Diagnostics errors;
  std::optional<nlohmann::json> data = logic::parse_json(data_json, errors);
  if (!data) return error_json(errors);
  const logic::Outcome outcome = rule_->evaluate(*data);
  if (outcome.is_error()) return logic::to_json_text({{"error", error_value(outcome)}});
  return logic::to_json_text({{"result", outcome.value}});
}

RuleSetSession::RuleSetSession(const std::string& rules_text) {
  Diagnostics errors;
  std::optional<nlohmann::json> rules = logic::parse_json(rules_text, errors);
  if (rules) rules_ = logic::RuleSet::compile(*rules, errors);
  if (rules_ && rules_->reads_only_variables()) data_names_ = logic::to_json_text(rules_->variables());
  if (!rules_) compile_error_ = compile_error_json(errors);
}

const std::string& RuleSetSession::apply(const std::string& data_json) {
  if (!rules_) return compile_error_;
  Diagnostics errors;
  if (!rules_->evaluate_text(data_json, outcomes_, errors)) return reply_ = error_json(errors);
  // Written as text, value by value: no JSON object is built for the reply.
  reply_.assign("{\"results\":[");
  bool failed = false;
  for (std::size_t i = 0; i < outcomes_.size(); ++i) {
    if (i != 0) reply_ += ',';
    const logic::Outcome& outcome = outcomes_[i];
    failed = failed || outcome.is_error();
    logic::append_json_text(reply_, outcome.is_error() ? nlohmann::json() : outcome.value);
  }
  reply_ += ']';
  if (failed) {
    reply_ += ",\"errors\":{";
    bool first = true;
    for (std::size_t i = 0; i < outcomes_.size(); ++i) {
      if (!outcomes_[i].is_error()) continue;
      if (!first) reply_ += ',';
      first = false;
      reply_ += '"' + std::to_string(i) + "\":";
      logic::append_json_text(reply_, error_value(outcomes_[i]));
    }
    reply_ += '}';
  }
  reply_ += '}';
  return reply_;
}

}  // namespace trialscreen
