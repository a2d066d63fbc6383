// Trial::load: checks a definition's shape (trial.schema.*), its references
// (trial.ref.*) and compiles every rule once (trial.rule.*), so that screening
// never parses or compiles anything. Error ids are listed in docs/trial-format.md.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <initializer_list>
#include <set>

#include "../sha256.hpp"
#include "model.hpp"

namespace trialscreen {
namespace {

using nlohmann::json;
using trial::AnswerType;
using trial::DefinitionLimits;

const char* const kFormat = "trialscreen/trial@1";
const char* const kAsOf = "as_of";

bool is_lower_id(const std::string& s) {
  if (s.empty() || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// s == literal, rejecting on the first character without a call: most keys
// compared against a list differ there.
inline bool same(const std::string& s, const char* literal) { return s[0] == literal[0] && s == literal; }

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

bool is_criterion_id(const std::string& s) {
  if (s.empty() || !is_alnum(s[0])) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return is_alnum(c) || c == '_' || c == '.' || c == '-'; });
}

bool is_warning_code(const std::string& s) {
  if (s.empty() || !(std::islower(static_cast<unsigned char>(s[0])) || std::isdigit(static_cast<unsigned char>(s[0])))) {
    return false;
  }
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

// BCP 47 in the simple form trials use: "en", "zh-Hans", "pt-BR".
bool is_language_tag(const std::string& s) {
  std::size_t start = 0;
  bool first = true;
  while (start <= s.size()) {
    std::size_t end = s.find('-', start);
    if (end == std::string::npos) end = s.size();
    const std::size_t length = end - start;
    if (length < (first ? 2u : 1u) || length > 8) return false;
    for (std::size_t i = start; i < end; ++i) {
      if (!is_alnum(s[i]) || (first && !std::isalpha(static_cast<unsigned char>(s[i])))) return false;
    }
    first = false;
    start = end + 1;
  }
  return true;
}

const char* type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return "a number";
  }
}

std::optional<AnswerType> parse_answer_type(const std::string& s) {
  if (s == "boolean") return AnswerType::Boolean;
  if (s == "integer") return AnswerType::Integer;
  if (s == "number") return AnswerType::Number;
  if (s == "quantity") return AnswerType::Quantity;
  if (s == "choice") return AnswerType::Choice;
  if (s == "date") return AnswerType::Date;
  if (s == "date-or-none") return AnswerType::DateOrNone;
  return std::nullopt;
}

class Loader {
 public:
  Loader(Trial::Loaded& out, Diagnostics& errors) : out_(out), errors_(errors) {}

  bool run() {
    const json& root = out_.definition;
    if (!root.is_object()) {
      error("trial.schema.002", "", std::string("a trial definition is a JSON object, not ") + type_name(root));
      return false;
    }
    check_keys(root, "",
               {"format", "id", "version", "title", "languages", "sourceLanguage", "sections", "questions", "derived",
                "criteria", "warnings"},
               {"format", "id", "version", "title", "languages", "sections", "questions", "criteria"});
    if (const json* format = member(root, "format")) {
      if (!format->is_string() || format->get_ref<const std::string&>() != kFormat) {
        error("trial.schema.003", "/format", std::string("unsupported format; expected \"") + kFormat + "\"");
        return false;  // another format's file: the rest would only be noise
      }
    }
    out_.id = check_string(root, "id", "");
    out_.version = check_string(root, "version", "");
    check_languages(root);
    if (const json* title = member(root, "title")) check_audience_text(*title, "/title");
    check_sections(root);
    check_questions(root);
    check_derived_shape(root);
    check_criteria_shape(root);
    check_warnings_shape(root);
    if (!errors_.empty()) return false;

    compile_rules(root);
    return errors_.empty();
  }

 private:
  void error(const char* id, const std::string& pointer, const std::string& message) {
    errors_.push_back({id, pointer, message});
  }

  static const json* member(const json& object, const char* key) {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  }

  // Only listed keys (plus "$comment"); required ones present.
  void check_keys(const json& object, const std::string& pointer, std::initializer_list<const char*> allowed,
                  std::initializer_list<const char*> required) {
    for (auto it = object.begin(); it != object.end(); ++it) {
      const std::string& key = it.key();
      if (same(key, "$comment")) continue;
      const bool known = std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return same(key, a); });
      if (!known) error("trial.schema.102", pointer + "/" + pointer_token(key), "unknown key \"" + key + "\"");
    }
    for (const char* key : required) {
      if (!object.contains(key)) error("trial.schema.101", pointer, std::string("missing required key \"") + key + "\"");
    }
  }

  bool expect(bool ok, const json& v, const std::string& pointer, const char* expected) {
    if (!ok) error("trial.schema.103", pointer, std::string("expected ") + expected + ", found " + type_name(v));
    return ok;
  }

  // The same for member `key` of the object at `pointer`: the member's
  // pointer is spelt out only for a diagnostic.
  bool expect(bool ok, const json& v, const std::string& pointer, const char* key, const char* expected) {
    return ok || expect(false, v, pointer + "/" + key, expected);
  }

  // An array member with at most `limit` items; nullptr when absent or wrong.
  const json* array_member(const json& object, const char* key, const std::string& pointer, std::size_t limit) {
    const json* v = member(object, key);
    if (v == nullptr) return nullptr;
    if (!expect(v->is_array(), *v, pointer, key, "an array")) return nullptr;
    if (v->size() > limit) {
      error("trial.schema.107", pointer + "/" + key, "too many items: " + std::to_string(v->size()) + " (at most " +
                                        std::to_string(limit) + ")");
      return nullptr;
    }
    return v;
  }

  // A required-when-present non-empty string; returns "" when wrong.
  std::string check_string(const json& object, const char* key, const std::string& pointer) {
    const json* v = member(object, key);
    if (v == nullptr) return "";
    if (!expect(v->is_string(), *v, pointer, key, "a string")) return "";
    if (v->get_ref<const std::string&>().empty()) error("trial.schema.106", pointer + "/" + key, "must not be empty");
    return v->get<std::string>();
  }

  // An id member: string matching `valid`, at most max_id_length; "" when wrong.
  std::string check_id(const json& object, const char* key, const std::string& pointer,
                       bool (*valid)(const std::string&), const char* pattern) {
    const json* v = member(object, key);
    if (v == nullptr) return "";
    if (!expect(v->is_string(), *v, pointer, key, "a string")) return "";
    const std::string& id = v->get_ref<const std::string&>();
    if (id.size() > DefinitionLimits::max_id_length || !valid(id)) {
      error("trial.schema.104", pointer + "/" + key, "\"" + id + "\" is not a valid id (" + pattern + ", at most 64 characters)");
      return "";
    }
    return id;
  }

  // Ids are unique among `seen`; a duplicate is reported at pointer + "/id".
  void check_unique(std::set<std::string>& seen, const std::string& id, const std::string& pointer, const char* what) {
    if (id.empty()) return;
    if (!seen.insert(id).second) {
      error("trial.ref.001", pointer + "/id", std::string("duplicate ") + what + " id \"" + id + "\"");
    }
  }

  std::optional<bool> check_bool(const json& object, const char* key, const std::string& pointer) {
    const json* v = member(object, key);
    if (v == nullptr) return std::nullopt;
    if (!expect(v->is_boolean(), *v, pointer, key, "true or false")) return std::nullopt;
    return v->get<bool>();
  }

  // A text: {"en": "...", "zh-Hans": "..."}, at least one language.
  void check_text(const json& text, std::string pointer) {
    if (!expect(text.is_object(), text, pointer, "a text object (language -> string)")) return;
    if (text.empty()) error("trial.schema.106", pointer, "a text needs at least one language");
    for (auto it = text.begin(); it != text.end(); ++it) {
      if (!it->is_string() && !same(it.key(), "$comment")) {
        expect(false, *it, pointer + "/" + pointer_token(it.key()), "a string");
      }
    }
    out_.texts.push_back({std::move(pointer), &text});
  }

  // An audience text: a text, or {"patient": TEXT, "physician": TEXT}.
  void check_audience_text(const json& text, const std::string& pointer) {
    if (text.is_object() && (text.contains("patient") || text.contains("physician"))) {
      check_keys(text, pointer, {"patient", "physician"}, {"patient", "physician"});
      for (const char* audience : {"patient", "physician"}) {
        if (const json* t = member(text, audience)) check_text(*t, pointer + "/" + audience);
      }
      return;
    }
    check_text(text, pointer);
  }

  void check_optional_audience_text(const json& object, const char* key, const std::string& pointer) {
    if (const json* t = member(object, key)) check_audience_text(*t, pointer + "/" + key);
  }

  void check_languages(const json& root) {
    const json* languages = array_member(root, "languages", "", DefinitionLimits::max_languages);
    if (languages == nullptr) return;
    if (languages->empty()) error("trial.schema.106", "/languages", "at least one language is needed");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < languages->size(); ++i) {
      const json& tag = (*languages)[i];
      const std::string at = "/languages/" + std::to_string(i);
      if (!expect(tag.is_string(), tag, at, "a BCP 47 language tag")) continue;
      const std::string& s = tag.get_ref<const std::string&>();
      if (!is_language_tag(s)) {
        error("trial.schema.104", at, "\"" + s + "\" is not a BCP 47 language tag");
        continue;
      }
      if (!seen.insert(s).second) {
        error("trial.ref.001", at, "duplicate language \"" + s + "\"");
        continue;
      }
      out_.languages.push_back(s);
    }
    // The language the protocol's source lines are quoted in, so that a page
    // can mark them up for screen readers.
    if (const json* source_language = member(root, "sourceLanguage")) {
      if (expect(source_language->is_string(), *source_language, "/sourceLanguage", "a BCP 47 language tag") &&
          !is_language_tag(source_language->get_ref<const std::string&>())) {
        error("trial.schema.104", "/sourceLanguage",
              "\"" + source_language->get<std::string>() + "\" is not a BCP 47 language tag");
      }
    }
  }

  void check_sections(const json& root) {
    const json* sections = array_member(root, "sections", "", DefinitionLimits::max_sections);
    if (sections == nullptr) return;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < sections->size(); ++i) {
      const json& section = (*sections)[i];
      const std::string at = "/sections/" + std::to_string(i);
      if (!expect(section.is_object(), section, at, "a section object")) continue;
      check_keys(section, at, {"id", "title"}, {"id", "title"});
      const std::string id = check_id(section, "id", at, is_lower_id, "[a-z][a-z0-9_]*");
      check_unique(seen, id, at, "section");
      out_.section_ids.push_back(id);
      check_optional_audience_text(section, "title", at);
    }
  }

  void check_range(const json& question, const std::string& at, trial::Question& q) {
    const json* range = member(question, "range");
    if (range == nullptr) return;
    const std::string range_at = at + "/range";
    if (!expect(range->is_object(), *range, range_at, "{\"min\": n, \"max\": n}")) return;
    check_keys(*range, range_at, {"min", "max"}, {});
    for (const char* key : {"min", "max"}) {
      const json* bound = member(*range, key);
      if (bound == nullptr) continue;
      if (!expect(bound->is_number(), *bound, range_at + "/" + key, "a number")) continue;
      (std::string(key) == "min" ? q.min : q.max) = bound->get<double>();
    }
    if (q.min && q.max && *q.min > *q.max) error("trial.schema.108", range_at, "min is greater than max");
  }

  void check_units(const json& question, const std::string& at, trial::Question& q) {
    if (q.type != AnswerType::Quantity) {
      if (!q.unit.empty()) q.units[q.unit] = {};
      return;
    }
    const json* units = member(question, "units");
    if (units != nullptr && expect(units->is_object(), *units, at + "/units", "an object (unit -> conversion)")) {
      if (units->size() > DefinitionLimits::max_units) {
        error("trial.schema.107", at + "/units", "too many units (at most " + std::to_string(DefinitionLimits::max_units) + ")");
        return;
      }
      for (auto it = units->begin(); it != units->end(); ++it) {
        const std::string unit_at = at + "/units/" + pointer_token(it.key());
        if (it.key().empty()) error("trial.schema.106", unit_at, "a unit code must not be empty");
        if (!expect(it->is_object(), *it, unit_at, "{\"factor\": n} or {\"divisor\": n}")) continue;
        check_keys(*it, unit_at, {"factor", "divisor"}, {});
        const json* factor = member(*it, "factor");
        const json* divisor = member(*it, "divisor");
        const json* amount = factor != nullptr ? factor : divisor;
        if ((factor == nullptr) == (divisor == nullptr) || !amount->is_number() || !(amount->get<double>() > 0) ||
            !std::isfinite(amount->get<double>())) {
          error("trial.schema.109", unit_at, "a conversion is exactly one of factor or divisor, a positive number");
          continue;
        }
        q.units[it.key()] = {amount->get<double>(), divisor != nullptr};
      }
    }
    // The canonical unit is always accepted, unconverted.
    auto canonical = q.units.find(q.unit);
    if (canonical == q.units.end()) {
      q.units[q.unit] = {};
    } else if (canonical->second.amount != 1) {
      error("trial.schema.109", at + "/units/" + pointer_token(q.unit), "the canonical unit converts with factor 1");
    }
  }

  void check_options(const json& question, const std::string& at, trial::Question& q) {
    const json* options = array_member(question, "options", at, DefinitionLimits::max_options);
    if (options == nullptr) return;
    if (options->empty()) error("trial.schema.106", at + "/options", "a choice needs at least one option");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < options->size(); ++i) {
      const json& option = (*options)[i];
      const std::string option_at = at + "/options/" + std::to_string(i);
      if (!expect(option.is_object(), option, option_at, "{\"value\": string, \"text\": text}")) continue;
      check_keys(option, option_at, {"value", "text"}, {"value", "text"});
      const std::string value = check_string(option, "value", option_at);
      if (!value.empty() && !seen.insert(value).second) {
        error("trial.ref.001", option_at + "/value", "duplicate option id \"" + value + "\"");
      }
      if (!value.empty()) q.options.push_back(value);
      check_optional_audience_text(option, "text", option_at);
    }
  }

  logic::Domain domain_of(const trial::Question& q) {
    logic::Domain d;
    switch (q.type) {
      case AnswerType::Boolean: d.kind = logic::Domain::Kind::Boolean; break;
      case AnswerType::Choice:
        d.kind = logic::Domain::Kind::Choice;
        for (const std::string& o : q.options) d.choices.emplace_back(o);
        break;
      case AnswerType::Integer:
      case AnswerType::Number:
      case AnswerType::Quantity:
        if (q.min && q.max) {
          d.kind = logic::Domain::Kind::Range;
          d.min = *q.min;
          d.max = *q.max;
          d.integer = q.type == AnswerType::Integer;
        }
        break;
      default: break;
    }
    return d;
  }

  void check_questions(const json& root) {
    const json* questions = array_member(root, "questions", "", DefinitionLimits::max_questions);
    if (questions == nullptr) return;
    const std::set<std::string> sections(out_.section_ids.begin(), out_.section_ids.end());
    std::set<std::string> seen;
    for (std::size_t i = 0; i < questions->size(); ++i) {
      const json& question = (*questions)[i];
      const std::string at = "/questions/" + std::to_string(i);
      if (!expect(question.is_object(), question, at, "a question object")) continue;
      trial::Question q;
      q.pointer = at;
      q.id = check_id(question, "id", at, is_lower_id, "[a-z][a-z0-9_]*");
      if (q.id == kAsOf) error("trial.ref.006", at + "/id", "\"as_of\" is reserved for the screening date");
      check_unique(seen, q.id, at, "question");

      std::optional<AnswerType> type;
      if (const json* t = member(question, "type")) {
        if (expect(t->is_string(), *t, at, "type", "a string")) {
          type = parse_answer_type(t->get<std::string>());
          if (!type) {
            error("trial.schema.105", at + "/type",
                  "\"" + t->get<std::string>() +
                      "\" is not one of boolean, integer, number, quantity, choice, date, date-or-none");
          }
        }
      }
      q.type = type.value_or(AnswerType::Boolean);
      // Keys by type: what a question of this type may carry.
      std::vector<const char*> allowed = {"id", "type", "section", "who", "text", "help", "askIf"};
      std::vector<const char*> required = {"id", "type", "section", "who", "text"};
      if (is_numeric(q.type)) allowed.insert(allowed.end(), {"unit", "range"});
      if (q.type == AnswerType::Quantity) {
        allowed.push_back("units");
        required.push_back("unit");
      }
      if (q.type == AnswerType::Choice) {
        allowed.push_back("options");
        required.push_back("options");
      }
      if (q.type == AnswerType::Date || q.type == AnswerType::DateOrNone) allowed.push_back("past");
      if (q.type == AnswerType::DateOrNone) allowed.push_back("noneText");
      for (auto it = question.begin(); it != question.end(); ++it) {
        const std::string& key = it.key();
        if (same(key, "$comment") || std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return same(key, a); })) {
          continue;
        }
        static const std::set<std::string> kTypedKeys = {"unit", "range", "units", "options", "past", "noneText"};
        if (type && kTypedKeys.count(key) != 0) {
          error("trial.schema.111", at + "/" + pointer_token(key),
                "\"" + key + "\" does not apply to a question of this type");
        } else if (type) {
          error("trial.schema.102", at + "/" + pointer_token(key), "unknown key \"" + key + "\"");
        }
      }
      for (const char* key : required) {
        if (!question.contains(key)) error("trial.schema.101", at, std::string("missing required key \"") + key + "\"");
      }

      const std::string section = check_id(question, "section", at, is_lower_id, "[a-z][a-z0-9_]*");
      if (!section.empty() && sections.count(section) == 0) {
        error("trial.ref.002", at + "/section", "unknown section \"" + section + "\"");
      }
      if (const json* who = member(question, "who")) {
        if (expect(who->is_string(), *who, at, "who", "a string")) {
          const std::string& w = who->get_ref<const std::string&>();
          if (w != "patient" && w != "site") error("trial.schema.105", at + "/who", "\"" + w + "\" is not patient or site");
          q.site_only = w == "site";
        }
      }
      check_optional_audience_text(question, "text", at);
      check_optional_audience_text(question, "help", at);
      check_optional_audience_text(question, "noneText", at);
      if (is_numeric(q.type)) q.unit = check_string(question, "unit", at);
      check_range(question, at, q);
      check_units(question, at, q);
      if (q.type == AnswerType::Choice) check_options(question, at, q);
      q.past = check_bool(question, "past", at).value_or(false);

      if (!q.id.empty()) {
        out_.question_index.emplace(q.id, out_.questions.size());
        out_.domains[q.id] = domain_of(q);
      }
      out_.questions.push_back(std::move(q));
    }
  }

  void check_derived_shape(const json& root) {
    const json* derived = array_member(root, "derived", "", DefinitionLimits::max_derived);
    if (derived == nullptr) return;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < derived->size(); ++i) {
      const json& d = (*derived)[i];
      const std::string at = "/derived/" + std::to_string(i);
      if (!expect(d.is_object(), d, at, "a derived value object")) continue;
      check_keys(d, at, {"id", "rule", "unit", "label", "warnIfAnswerDiffers"}, {"id", "rule"});
      trial::Derived info;
      info.id = check_id(d, "id", at, is_lower_id, "[a-z][a-z0-9_]*");
      if (info.id == kAsOf) error("trial.ref.006", at + "/id", "\"as_of\" is reserved for the screening date");
      check_unique(seen, info.id, at, "derived value");
      info.is_question = out_.question_index.count(info.id) != 0;
      info.warn_if_answer_differs = check_bool(d, "warnIfAnswerDiffers", at).value_or(true);
      check_string(d, "unit", at);
      check_optional_audience_text(d, "label", at);
      out_.derived.push_back(std::move(info));
    }
  }

  void check_criteria_shape(const json& root) {
    const json* criteria = array_member(root, "criteria", "", DefinitionLimits::max_criteria);
    if (criteria == nullptr) return;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < criteria->size(); ++i) {
      const json& c = (*criteria)[i];
      const std::string at = "/criteria/" + std::to_string(i);
      if (!expect(c.is_object(), c, at, "a criterion object")) continue;
      check_keys(c, at, {"id", "kind", "source", "label", "rule", "appliesIf", "failText", "clearsOn"},
                 {"id", "kind", "label", "rule"});
      trial::Criterion info;
      info.id = check_id(c, "id", at, is_criterion_id, "[A-Za-z0-9][A-Za-z0-9_.-]*");
      check_unique(seen, info.id, at, "criterion");
      if (const json* kind = member(c, "kind")) {
        if (expect(kind->is_string(), *kind, at, "kind", "a string")) {
          const std::string& k = kind->get_ref<const std::string&>();
          if (k != "inclusion" && k != "exclusion") {
            error("trial.schema.105", at + "/kind", "\"" + k + "\" is not inclusion or exclusion");
          }
          info.inclusion = k == "inclusion";
        }
      }
      if (const json* source = member(c, "source")) expect(source->is_string(), *source, at, "source", "a string");
      check_optional_audience_text(c, "label", at);
      check_optional_audience_text(c, "failText", at);
      info.label = member(c, "label");
      info.fail_text = member(c, "failText");
      info.label_picks = trial::pick_texts(info.label, out_.languages);
      info.fail_picks = trial::pick_texts(info.fail_text, out_.languages);
      out_.criteria.push_back(std::move(info));
    }
  }

  void check_warnings_shape(const json& root) {
    const json* warnings = array_member(root, "warnings", "", DefinitionLimits::max_warnings);
    if (warnings == nullptr) return;
    std::set<std::string> criteria;
    for (const trial::Criterion& c : out_.criteria) criteria.insert(c.id);
    for (std::size_t i = 0; i < warnings->size(); ++i) {
      const json& w = (*warnings)[i];
      const std::string at = "/warnings/" + std::to_string(i);
      if (!expect(w.is_object(), w, at, "a warning object")) continue;
      check_keys(w, at, {"code", "criteria", "when", "message"}, {"code", "when", "message"});
      trial::Warning info;
      info.code = check_id(w, "code", at, is_warning_code, "[a-z0-9][a-z0-9-]*");
      if (const json* ids = array_member(w, "criteria", at, DefinitionLimits::max_criteria)) {
        for (std::size_t k = 0; k < ids->size(); ++k) {
          const json& id = (*ids)[k];
          const std::string id_at = at + "/criteria/" + std::to_string(k);
          if (!expect(id.is_string(), id, id_at, "a criterion id")) continue;
          if (criteria.count(id.get<std::string>()) == 0) {
            error("trial.ref.005", id_at, "unknown criterion \"" + id.get<std::string>() + "\"");
          }
          info.criteria.push_back(id.get<std::string>());
        }
      }
      check_optional_audience_text(w, "message", at);
      info.message = member(w, "message");
      out_.warnings.push_back(std::move(info));
    }
  }

  // ---- rules -------------------------------------------------------------

  std::optional<logic::Rule> compile(const json& rule, const std::string& pointer, const logic::CompileOptions& options) {
    Diagnostics found;
    std::optional<logic::Rule> compiled = logic::Rule::compile(rule, found, options);
    for (Diagnostic& d : found) errors_.push_back({"trial." + d.id, pointer + d.pointer, d.message});
    if (!compiled && found.empty()) error("trial.rule.000", pointer, "the rule does not compile");
    return compiled;
  }

  // Every name a rule reads must be a question, a derived value or as_of.
  void check_names(const logic::Rule& rule, const std::string& pointer) {
    for (const std::string& name : rule.variables()) {
      names_read_.insert(name);
      if (name.empty() || name == kAsOf || out_.question_index.count(name) != 0 || derived_ids_.count(name) != 0) {
        continue;
      }
      error("trial.ref.003", pointer, "reads \"" + name + "\", which is neither a question, a derived value nor as_of");
    }
  }

  std::optional<logic::Rule> compile_member(const json& object, const char* key, const std::string& pointer,
                                            const logic::CompileOptions& options) {
    const json* rule = member(object, key);
    if (rule == nullptr) return std::nullopt;
    const std::string at = pointer + "/" + key;
    std::optional<logic::Rule> compiled = compile(*rule, at, options);
    if (compiled) check_names(*compiled, at);
    return compiled;
  }

  // Derived values that read each other in a circle could never be computed.
  bool check_derived_cycles(const std::vector<std::vector<std::string>>& reads) {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < out_.derived.size(); ++i) index.emplace(out_.derived[i].id, i);
    enum class Mark { None, Active, Done };
    std::vector<Mark> marks(out_.derived.size(), Mark::None);
    std::vector<std::size_t> path;
    bool found = false;
    std::function<void(std::size_t)> visit = [&](std::size_t i) {
      marks[i] = Mark::Active;
      path.push_back(i);
      for (const std::string& name : reads[i]) {
        auto it = index.find(name);
        if (it == index.end()) continue;
        if (marks[it->second] == Mark::Active) {
          std::string cycle;
          auto start = std::find(path.begin(), path.end(), it->second);
          for (auto p = start; p != path.end(); ++p) cycle += out_.derived[*p].id + " -> ";
          cycle += name;
          error("trial.ref.004", "/derived/" + std::to_string(it->second) + "/rule",
                "derived values read each other in a cycle: " + cycle);
          found = true;
        } else if (marks[it->second] == Mark::None) {
          visit(it->second);
        }
      }
      path.pop_back();
      marks[i] = Mark::Done;
    };
    for (std::size_t i = 0; i < out_.derived.size(); ++i) {
      if (marks[i] == Mark::None) visit(i);
    }
    return !found;
  }

  // The names every rule reads by number: questions, derived values, "as_of".
  void number_slots() {
    std::set<std::string> names{"as_of"};
    for (const trial::Question& q : out_.questions) names.insert(q.id);
    for (const trial::Derived& d : out_.derived) names.insert(d.id);
    out_.slots.assign(names.begin(), names.end());
    out_.slot_domains.assign(out_.slots.size(), nullptr);
    out_.question_of_slot.assign(out_.slots.size(), Trial::Loaded::kNoQuestion);
    for (std::size_t slot = 0; slot < out_.slots.size(); ++slot) {
      const auto domain = out_.domains.find(out_.slots[slot]);
      if (domain != out_.domains.end()) out_.slot_domains[slot] = &domain->second;
      const auto question = out_.question_index.find(out_.slots[slot]);
      if (question != out_.question_index.end()) {
        out_.question_of_slot[slot] = question->second;
        out_.questions[question->second].slot = slot;
      }
    }
    out_.as_of_slot = slot_of(kAsOf).value_or(0);
    trial::index_question_slots(out_);
  }

  // The slot of a name (number_slots has numbered every name a valid rule reads).
  std::optional<std::size_t> slot_of(const std::string& name) const {
    const auto found = std::lower_bound(out_.slots.begin(), out_.slots.end(), name);
    if (found == out_.slots.end() || *found != name) return std::nullopt;
    return static_cast<std::size_t>(found - out_.slots.begin());
  }

  void compile_rules(const json& root) {
    number_slots();
    logic::CompileOptions plain;
    plain.limits.max_nodes = DefinitionLimits::max_rule_nodes;
    plain.slots = &out_.slots;
    for (const trial::Derived& d : out_.derived) derived_ids_.insert(d.id);

    // Derived rules first, alone, to find what each reads directly.
    const json* derived = member(root, "derived");
    std::vector<std::vector<std::string>> reads(out_.derived.size());
    for (std::size_t i = 0; i < out_.derived.size(); ++i) {
      const std::string at = "/derived/" + std::to_string(i);
      std::optional<logic::Rule> alone = compile_member((*derived)[i], "rule", at, plain);
      if (alone) reads[i] = alone->variables();
    }
    // From here on one set of options, the derived rules copied into it once
    // (not once per variant); they differ only in the enumeration limit.
    logic::CompileOptions& options = plain;
    if (errors_.empty() && check_derived_cycles(reads)) {
      for (std::size_t i = 0; i < out_.derived.size(); ++i) {
        options.derived.emplace(out_.derived[i].id, (*derived)[i]["rule"]);
      }
    }
    const bool derived_ok = errors_.empty();
    const auto enumeration = options.limits.max_enumeration;
    const auto with_derived = [&]() -> const logic::CompileOptions& {
      options.limits.max_enumeration = enumeration;
      return options;
    };
    // Rules whose value is all screening needs skip the engine's search for
    // the smallest waiting set, which costs many evaluations per unknown.
    const auto value_only = [&]() -> const logic::CompileOptions& {
      options.limits.max_enumeration = 0;
      return options;
    };

    for (std::size_t i = 0; i < out_.derived.size(); ++i) {
      if (!derived_ok) break;
      trial::Derived& d = out_.derived[i];
      const std::string at = "/derived/" + std::to_string(i);
      d.computed = compile_member((*derived)[i], "rule", at, value_only());
      d.value = compile(json{{"var", d.id}}, at, value_only());
      d.slot = slot_of(d.id).value_or(0);  // every derived id has one (number_slots)
      if (d.computed) {
        for (const std::string& name : d.computed->variables()) {
          const auto slot = slot_of(name);
          if (slot && name != kAsOf) d.input_slots.push_back(*slot);
        }
      }
    }
    const json& questions = root["questions"];
    for (std::size_t i = 0; i < out_.questions.size(); ++i) {
      out_.questions[i].ask_if = compile_member(questions[i], "askIf", out_.questions[i].pointer, value_only());
    }
    const json& criteria = root["criteria"];
    for (std::size_t i = 0; i < out_.criteria.size(); ++i) {
      trial::Criterion& c = out_.criteria[i];
      const std::string at = "/criteria/" + std::to_string(i);
      c.rule = compile_member(criteria[i], "rule", at, with_derived());
      c.applies_if = compile_member(criteria[i], "appliesIf", at, with_derived());
      c.clears_on = compile_member(criteria[i], "clearsOn", at, value_only());
      for (trial::Derived& d : out_.derived) {
        const auto reads_it = [&](const std::optional<logic::Rule>& r) {
          return r && std::binary_search(r->variables().begin(), r->variables().end(), d.id);
        };
        if (reads_it(c.rule) || reads_it(c.applies_if)) d.read_by.push_back(c.id);
      }
    }
    if (const json* warnings = member(root, "warnings")) {
      for (std::size_t i = 0; i < out_.warnings.size(); ++i) {
        out_.warnings[i].when = compile_member((*warnings)[i], "when", "/warnings/" + std::to_string(i), value_only());
      }
    }
    out_.names_read.assign(names_read_.begin(), names_read_.end());
    out_.rules_read_only_slots = every_rule_reads_only_slots();
  }

  bool every_rule_reads_only_slots() const {
    const auto by_slots = [](const std::optional<logic::Rule>& rule) { return !rule || rule->reads_only_slots(); };
    for (const trial::Derived& d : out_.derived) {
      if (!by_slots(d.value) || !by_slots(d.computed)) return false;
    }
    for (const trial::Question& q : out_.questions) {
      if (!by_slots(q.ask_if)) return false;
    }
    for (const trial::Criterion& c : out_.criteria) {
      if (!by_slots(c.rule) || !by_slots(c.applies_if) || !by_slots(c.clears_on)) return false;
    }
    for (const trial::Warning& w : out_.warnings) {
      if (!by_slots(w.when)) return false;
    }
    return true;
  }

  Trial::Loaded& out_;
  Diagnostics& errors_;
  std::set<std::string> derived_ids_;
  std::set<std::string> names_read_;
};

}  // namespace

const char* engine_version() { return TRIALSCREEN_VERSION; }

std::optional<Trial> Trial::load(const std::string& text, Diagnostics& errors) {
  if (text.size() > trial::DefinitionLimits::max_bytes) {
    errors.push_back({"trial.schema.001", "",
                      "the file is " + std::to_string(text.size()) + " bytes; a trial definition is at most " +
                          std::to_string(trial::DefinitionLimits::max_bytes)});
    return std::nullopt;
  }
  Diagnostics parse_errors;
  std::optional<nlohmann::json> parsed = logic::parse_json(text, parse_errors, trial::DefinitionLimits::max_depth);
  if (!parsed) {
    for (Diagnostic& d : parse_errors) errors.push_back({"trial." + d.id, d.pointer, d.message});
    return std::nullopt;
  }
  auto loaded = std::make_unique<Loaded>();
  loaded->definition = std::move(*parsed);
  loaded->sha256 = sha256_hex(text);
  Diagnostics found;
  if (!Loader(*loaded, found).run()) {
    errors.insert(errors.end(), found.begin(), found.end());
    return std::nullopt;
  }
  trial::prepare_result_texts(*loaded);
  trial::prepare_unanswered_derived(*loaded);
  trial::prepare_line_keys(*loaded);
  return Trial(std::move(loaded));
}

Trial::Trial(std::unique_ptr<Loaded> loaded) : loaded_(std::move(loaded)) {}
Trial::Trial(Trial&&) noexcept = default;
Trial& Trial::operator=(Trial&&) noexcept = default;
Trial::~Trial() = default;

const nlohmann::json& Trial::definition() const { return loaded_->definition; }
const std::string& Trial::sha256() const { return loaded_->sha256; }

}  // namespace trialscreen
