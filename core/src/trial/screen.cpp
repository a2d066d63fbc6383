// Trial::screen: one person's answers against the compiled definition, giving
// the result of ../shared/contract.md. Parses and compiles nothing.
#include <algorithm>

#include "answers.hpp"
#include "model.hpp"

namespace trialscreen {
namespace {

using nlohmann::json;
using trial::Criterion;
using trial::Question;

enum class Status { Pass, Fail, Unknown, NotApplicable, Deferred };

const char* status_name(Status s) {
  switch (s) {
    case Status::Pass: return "pass";
    case Status::Fail: return "fail";
    case Status::Unknown: return "unknown";
    case Status::NotApplicable: return "not_applicable";
    case Status::Deferred: return "deferred";
  }
  return "unknown";
}

// A rule's three-valued answer, plus the unanswered questions it waits on.
struct Truth {
  enum class Kind { True, False, Unknown, Error } kind = Kind::Unknown;
  std::vector<std::string> waiting_on;
  std::string error;
};

class Screening {
 public:
  Screening(const Trial::Loaded& trial, const ScreenOptions& options)
      : trial_(trial),
        options_(options),
        patient_(options.audience == "patient"),
        as_of_(is_calendar_date(options.as_of) ? options.as_of : std::string()) {
    bindings_.missing_is_unknown = true;
    bindings_.domains = &trial.domains;
  }

  json run(const json& answers) {
    json answer_errors = json::array();
    if (as_of_.empty()) {
      answer_errors.push_back({{"field", "as_of"},
                               {"code", "date"},
                               {"message", "the screening date " + trial::quoted(options_.as_of) + " is not YYYY-MM-DD"}});
    }
    data_ = json::object();
    trial::normalise_answers(trial_, answers, as_of_, data_, answer_errors);
    if (!as_of_.empty()) data_["as_of"] = as_of_;
    compute_derived();

    json criteria = json::array();
    bool any_fail = false;
    bool any_unknown = false;
    std::vector<bool> could_change(trial_.questions.size(), false);
    for (const Criterion& c : trial_.criteria) {
      Status status = Status::Unknown;
      json entry = screen_criterion(c, status);
      any_fail = any_fail || status == Status::Fail;
      if (status == Status::Unknown) {
        any_unknown = true;
        for (const json& field : entry["waitingOn"]) {
          could_change[trial_.question_index.at(field.get<std::string>())] = true;
        }
      }
      criteria.push_back(std::move(entry));
    }
    const char* verdict = any_fail ? "not_eligible" : any_unknown ? "incomplete" : "eligible";

    json result = {{"verdict", verdict},
                   {"criteria", std::move(criteria)},
                   {"next", any_fail || !any_unknown ? json::array() : next_questions(could_change)},
                   {"derived", derived_values()},
                   {"answerErrors", std::move(answer_errors)},
                   {"warnings", json::array()},
                   {"trial", {{"id", trial_.id}, {"version", trial_.version}, {"sha256", trial_.sha256}}},
                   {"engine", {{"version", engine_version()}}}};
    add_warnings(result["warnings"]);
    for (json& w : rule_errors_) result["warnings"].push_back(std::move(w));
    return result;
  }

 private:
  // `owner` and `part` name the rule in a rule-error message (built only then).
  Truth evaluate(const logic::Rule& rule, const std::string& owner, const char* part) {
    logic::Outcome outcome = rule.evaluate(data_, bindings_);
    Truth truth;
    if (outcome.is_value()) {
      truth.kind = logic::truthy(outcome.value) ? Truth::Kind::True : Truth::Kind::False;
    } else if (outcome.is_unknown()) {
      truth.waiting_on = questions_only(outcome.waiting_on);
    } else {
      truth.kind = Truth::Kind::Error;
      truth.error = owner + " " + part + ": " + outcome.error_type + (outcome.error_message.empty() ? "" : ": " + outcome.error_message);
    }
    return truth;
  }

  // Keeps the names that are questions, in asking order.
  std::vector<std::string> questions_only(const std::vector<std::string>& names) const {
    std::vector<std::size_t> indices;
    for (const std::string& name : names) {
      auto it = trial_.question_index.find(name);
      if (it != trial_.question_index.end()) indices.push_back(it->second);
    }
    std::sort(indices.begin(), indices.end());
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
    std::vector<std::string> out;
    out.reserve(indices.size());
    for (std::size_t i : indices) out.push_back(trial_.questions[i].id);
    return out;
  }

  json screen_criterion(const Criterion& c, Status& status) {
    std::vector<std::string> waiting;
    const Truth rule = evaluate(*c.rule, c.id, "rule");
    const Status by_rule = rule.kind == Truth::Kind::True    ? (c.inclusion ? Status::Pass : Status::Fail)
                           : rule.kind == Truth::Kind::False ? (c.inclusion ? Status::Fail : Status::Pass)
                                                             : Status::Unknown;
    Truth applies;
    applies.kind = Truth::Kind::True;
    if (c.applies_if) applies = evaluate(*c.applies_if, c.id, "appliesIf");

    if (applies.kind == Truth::Kind::False) {
      status = Status::NotApplicable;
    } else if (applies.kind == Truth::Kind::True || by_rule == Status::Pass) {
      // Unknown applicability does not matter when the rule passes anyway.
      status = by_rule;
      waiting = rule.waiting_on;
    } else {
      waiting = applies.waiting_on;
      if (by_rule == Status::Unknown) waiting = questions_only_union(waiting, rule.waiting_on);
    }
    for (const Truth* t : {static_cast<const Truth*>(&applies), &rule}) {
      if (t->kind == Truth::Kind::Error && status != Status::NotApplicable) {
        rule_errors_.push_back({{"code", "rule-error"}, {"criteria", {c.id}}, {"message", t->error}});
      }
    }
    if (status == Status::Unknown && patient_ && !waiting.empty() &&
        std::all_of(waiting.begin(), waiting.end(),
                    [&](const std::string& id) { return trial_.questions[trial_.question_index.at(id)].site_only; })) {
      status = Status::Deferred;
    }

    // Built key by key in the map's (alphabetical) order: this runs for
    // every criterion of every screening, and initializer lists copy.
    json entry(json::value_t::object);
    json::object_t& fields = entry.get_ref<json::object_t&>();
    if (c.clears_on && (status == Status::Fail || status == Status::Unknown || status == Status::Deferred)) {
      logic::Outcome clears = c.clears_on->evaluate(data_, bindings_);
      if (clears.is_value() && clears.value.is_string() &&
          is_calendar_date(clears.value.get_ref<const std::string&>())) {
        fields.emplace_hint(fields.end(), "clearsOn", std::move(clears.value));
      }
    }
    fields.emplace_hint(fields.end(), "id", c.id);
    fields.emplace_hint(fields.end(), "kind", c.inclusion ? "inclusion" : "exclusion");
    fields.emplace_hint(fields.end(), "reason",
                        text(status == Status::Fail && c.fail_text != nullptr ? c.fail_text : c.label));
    fields.emplace_hint(fields.end(), "status", status_name(status));
    if (status == Status::Unknown || status == Status::Deferred) {
      fields.emplace_hint(fields.end(), "waitingOn", std::move(waiting));
    }
    return entry;
  }

  std::vector<std::string> questions_only_union(std::vector<std::string> a, const std::vector<std::string>& b) const {
    a.insert(a.end(), b.begin(), b.end());
    return questions_only(a);
  }

  // Unanswered, currently asked questions that can still change the verdict.
  json next_questions(const std::vector<bool>& could_change) {
    json next = json::array();
    for (std::size_t i = 0; i < trial_.questions.size(); ++i) {
      const Question& q = trial_.questions[i];
      if (!could_change[i] || answered(q.id) || (patient_ && q.site_only)) continue;
      if (q.ask_if && evaluate(*q.ask_if, q.id, "askIf").kind != Truth::Kind::True) continue;
      next.push_back(q.id);
    }
    return next;
  }

  static json rounded(const json& value) {
    if (value.is_number_float()) return trial::round_significant(value.get<double>());
    return value;
  }

  // Each derived value once, before any rule reads it: a score read by
  // several criteria and warnings is summed from its items here, not in each
  // rule. Its plain value or its unknown (waiting set and bounds) goes to the
  // rules through the bindings; it stays out of the data (`missing` must
  // still see only what was answered). Each is worked out from the answers
  // alone, as a rule would, not from the others already kept.
  void compute_derived() {
    derived_ = logic::DerivedValues();
    for (const trial::Derived& d : trial_.derived) derived_.record(d.id, *d.value, data_, bindings_);
    bindings_.derived = &derived_;
  }

  bool answered(const std::string& id) const { return data_.contains(id); }

  // Some top-level input of `rule` other than the screening date is answered.
  bool reads_an_answer(const logic::Rule& rule) const {
    return std::any_of(rule.variables().begin(), rule.variables().end(),
                       [&](const std::string& name) { return name != "as_of" && answered(name); });
  }

  // Rounded for people; null when not a plain value yet.
  json derived_values() const {
    json out = json::object();
    for (const trial::Derived& d : trial_.derived) {
      const json* known = derived_.value(d.id);
      out[d.id] = known == nullptr ? json(nullptr) : rounded(*known);
    }
    return out;
  }

  void add_warnings(json& warnings) {
    for (const trial::Warning& w : trial_.warnings) {
      const Truth when = evaluate(*w.when, w.code, "when");
      if (when.kind == Truth::Kind::True) {
        warnings.push_back({{"code", w.code}, {"criteria", w.criteria}, {"message", text(w.message)}});
      } else if (when.kind == Truth::Kind::Error) {
        rule_errors_.push_back({{"code", "rule-error"}, {"criteria", w.criteria}, {"message", when.error}});
      }
    }
    // A directly entered value against the one computed from its items.
    for (const trial::Derived& d : trial_.derived) {
      if (!d.is_question || !d.warn_if_answer_differs || !d.computed || !answered(d.id)) continue;
      // "Its answered items": with none of them answered there is nothing to compare.
      if (!reads_an_answer(*d.computed)) continue;
      const json& entered = *data_.find(d.id);
      logic::Outcome computed = d.computed->evaluate(data_, bindings_);
      if (!computed.is_value() || !computed.value.is_number() || !entered.is_number()) continue;
      const double from_items = trial::round_significant(computed.value.get<double>());
      if (from_items == entered.get<double>()) continue;
      warnings.push_back({{"code", "derived-disagrees"},
                          {"criteria", d.read_by},
                          {"message", d.id + " was entered as " + logic::to_json_text(entered) +
                                          " but its answered items give " + logic::to_json_text(rounded(computed.value))}});
    }
  }

  const std::string& text(const json* audience_text) const {
    return trial::pick_text(audience_text, patient_ ? "patient" : "physician", options_.lang, trial_.languages);
  }

  const Trial::Loaded& trial_;
  const ScreenOptions& options_;
  const bool patient_;
  const std::string as_of_;
  logic::Bindings bindings_;
  json data_;
  logic::DerivedValues derived_;
  json rule_errors_ = json::array();
};

}  // namespace

nlohmann::json Trial::screen(const nlohmann::json& answers, const ScreenOptions& options) const {
  return Screening(*loaded_, options).run(answers);
}

}  // namespace trialscreen
