#include "answers.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>

#include "../text_hash.hpp"

namespace trialscreen {
namespace trial {
namespace {

using nlohmann::json;

// A problem with one answer: the result's answerErrors code and message.
struct Problem {
  const char* code = nullptr;
  std::string message;
};

std::string number_text(double value) {
  return logic::to_json_text(json(value));
}

std::string accepted_units(const Question& q) {
  std::string list;
  for (const auto& unit : q.units) list += (list.empty() ? "" : ", ") + unit.first;
  return list;
}

// Whether `text` is `literal`, sizes first: a std::string compared with a
// literal measures the literal and calls compare() every time, and most
// texts compared here differ in size. The browsers' module, built for size,
// keeps the call (the inlined form costs it 30 bytes).
template <std::size_t N>
bool is_literal(const std::string& text, const char (&literal)[N]) {
#ifdef TRIALSCREEN_FOR_SIZE
  return text == literal;
#else
  return text.size() == N - 1 && std::memcmp(text.data(), literal, N - 1) == 0;
#endif
}

// The parts of {"value": n, "unit": "UCUM"} (exactly these two members),
// found without a lookup: the object keeps its members in key order.
struct Quantity {
  const json* value = nullptr;      // nullptr: not such an object
  const std::string* unit = nullptr;
};

Quantity quantity_parts(const json& answer) {
  if (!answer.is_object() || answer.size() != 2) return {};
  const json::object_t& members = answer.get_ref<const json::object_t&>();
  const auto unit = members.begin();
  const auto value = std::next(unit);
  if (!is_literal(unit->first, "unit") || !unit->second.is_string() || !is_literal(value->first, "value") ||
      !value->second.is_number()) {
    return {};
  }
  return {&value->second, &unit->second.get_ref<const std::string&>()};
}

// Whether a number in the canonical unit is a valid answer to q, a number
// question. This and set_canonical_number are inlined: the browsers' module
// was 51 bytes bigger gzipped with calls to them.
enum class NumberCheck { Valid, NotWhole, Implausible };
[[gnu::always_inline]] inline NumberCheck check_number(const Question& q, double value) {
  if (q.type == AnswerType::Integer && value != std::floor(value)) return NumberCheck::NotWhole;
  if ((q.min && value < *q.min) || (q.max && value > *q.max)) return NumberCheck::Implausible;
  return NumberCheck::Valid;
}

// A valid number as the rules read it: an integer question's as an integer.
[[gnu::always_inline]] inline void set_canonical_number(const Question& q, double value, json& answer) {
  if (q.type == AnswerType::Integer && std::fabs(value) < 9e15) {
    answer = static_cast<std::int64_t>(value);
  } else {
    answer = value;
  }
}

// A number, or {"value": n, "unit": "UCUM"} with an accepted unit, in the
// canonical unit.
std::optional<double> canonical_number(const Question& q, const json& answer, Problem& problem) {
  double value = 0;
  Quantity quantity;
  if (answer.is_number()) {
    value = answer.get<double>();
  } else if ((quantity = quantity_parts(answer)).value != nullptr) {
    const std::string& unit = *quantity.unit;
    auto conversion = q.units.find(unit);
    if (conversion == q.units.end()) {
      problem = {"unit", quoted(unit) + " is not an accepted unit" +
                             (q.units.empty() ? std::string(" (give a plain number)")
                                              : " (accepted: " + accepted_units(q) + ")")};
      return std::nullopt;
    }
    value = in_canonical_unit(conversion->second, quantity.value->get<double>());
  } else {
    problem = {"type", q.units.empty() ? "expected a number"
                                       : "expected a number in " + quoted(q.unit) + " or {\"value\": n, \"unit\": \"...\"}"};
    return std::nullopt;
  }
  const NumberCheck check = check_number(q, value);
  if (check == NumberCheck::NotWhole) {
    problem = {"type", "expected a whole number"};
    return std::nullopt;
  }
  if (check == NumberCheck::Implausible) {
    problem = {"implausible", number_text(value) + (q.unit.empty() ? "" : " " + q.unit) + " is outside the plausible range " +
                                  (q.min ? number_text(*q.min) : "") + " to " + (q.max ? number_text(*q.max) : "")};
    return std::nullopt;
  }
  return value;
}

// The checks below leave a valid answer as it is, or replace it with its
// canonical value; they return false with `problem` set for a bad one.

bool check_date(const Question& q, const json& answer, const std::string& as_of, Problem& problem) {
  if (!answer.is_string()) {
    problem = {"type", q.type == AnswerType::DateOrNone ? "expected \"YYYY-MM-DD\" or \"none\"" : "expected \"YYYY-MM-DD\""};
    return false;
  }
  const std::string& text = answer.get_ref<const std::string&>();
  if (q.type == AnswerType::DateOrNone && is_literal(text, "none")) return true;
  if (!is_calendar_date(text)) {
    problem = {"date", quoted(text) + " is not a calendar date (YYYY-MM-DD)"};
    return false;
  }
  if (q.past && !as_of.empty() && text > as_of) {
    problem = {"future", text + " is after the screening date " + as_of};
    return false;
  }
  return true;
}

bool canonicalise(const Question& q, json& answer, const std::string& as_of, Problem& problem) {
  switch (q.type) {
    case AnswerType::Boolean:
      if (answer.is_boolean()) return true;
      problem = {"type", "expected true or false"};
      return false;
    case AnswerType::Choice:
      if (answer.is_string()) {
        for (const std::string& option : q.options) {
          if (option == answer.get_ref<const std::string&>()) return true;
        }
      }
      {
        std::string list;
        for (const std::string& option : q.options) list += (list.empty() ? "" : ", ") + option;
        problem = {"type", "expected one of " + list};
      }
      return false;
    case AnswerType::Date:
    case AnswerType::DateOrNone:
      return check_date(q, answer, as_of, problem);
    case AnswerType::Integer:
    case AnswerType::Number:
    case AnswerType::Quantity: {
      std::optional<double> value = canonical_number(q, answer, problem);
      if (!value) return false;
      set_canonical_number(q, *value, answer);
      return true;
    }
  }
  return false;
}

}  // namespace

void normalise_answers(const Trial::Loaded& trial, AnswerSet::Parts& answers, const std::string& as_of, json& errors,
                       std::vector<const json*>& slot_values) {
  if (answers.not_object) {
    errors.push_back({{"field", ""}, {"code", "type"}, {"message", "answers must be an object keyed by question id"}});
  }
  // Errors go in the fields' key order, as walking a JSON object of them
  // would give: the slots are sorted by name, and so are the unknown fields.
  const std::set<std::string>& unknown = answers.unknown;
  auto next_unknown = unknown.begin();
  const auto report_unknown_before = [&](const std::string* field) {
    for (; next_unknown != unknown.end() && (field == nullptr || *next_unknown < *field); ++next_unknown) {
      errors.push_back({{"field", *next_unknown}, {"code", "unknown-field"}, {"message", "no question has this id"}});
    }
  };
  const auto visit_answer = [&](std::size_t slot) {
    json& answer = answers.by_slot[slot];
    if (answer.is_null()) return;  // placed, but given null: unanswered
    const Question& q = trial.questions[trial.question_of_slot[slot]];
    if (next_unknown != unknown.end()) report_unknown_before(&q.id);
    Problem problem;
    if (!canonicalise(q, answer, as_of, problem)) {
      errors.push_back({{"field", q.id}, {"code", problem.code}, {"message", problem.message}});
      answer = nullptr;
      return;
    }
    slot_values[slot] = &answer;
  };
  // The placed slots in order, as bits: a walk over every slot would branch
  // unpredictably at each (a record answers about a third of them).
  std::vector<std::uint64_t>& answered = answers.answered;
  answered.assign((answers.by_slot.size() + 63) / 64, 0);
  for (std::size_t slot : answers.placed) answered[slot / 64] |= std::uint64_t{1} << (slot % 64);
#ifndef TRIALSCREEN_FOR_SIZE
  // Answers valid as placed (place_number and the like) are only passed on,
  // without a look at their questions, unless unknown fields' errors must
  // go between them.
  if (unknown.empty()) {
    for (std::size_t word = 0; word < answered.size(); ++word) {
      const std::uint64_t checked = answered[word] & answers.checked[word];
      answered[word] &= ~checked;
      for (std::uint64_t bits = checked; bits != 0; bits &= bits - 1) {
        const std::size_t slot = word * 64 + static_cast<std::size_t>(__builtin_ctzll(bits));
        slot_values[slot] = &answers.by_slot[slot];
      }
    }
  }
#endif
  for (std::size_t word = 0; word < answered.size(); ++word) {
    for (std::uint64_t bits = answered[word]; bits != 0; bits &= bits - 1) {
      visit_answer(word * 64 + static_cast<std::size_t>(__builtin_ctzll(bits)));
    }
  }
  report_unknown_before(nullptr);
}

}  // namespace trial

void trial::index_question_slots(Trial::Loaded& trial) {
  std::size_t size = 16;
  while (size < 4 * trial.questions.size()) size *= 2;
  std::vector<std::uint32_t>& table = trial.question_slot_by_hash;
  table.assign(size, 0);
  for (const Question& q : trial.questions) {
    table[probe(table, text_hash(q.id), [](std::size_t) { return false; })] = static_cast<std::uint32_t>(q.slot + 1);
  }
}

std::size_t trial::question_slot(const Trial::Loaded& trial, std::string_view field) {
  const std::vector<std::uint32_t>& table = trial.question_slot_by_hash;
  const std::size_t at = probe(table, text_hash(field), [&](std::size_t slot) { return same_text(trial.slots[slot], field); });
  return table[at] == 0 ? kNoSlot : table[at] - 1;
}

AnswerSet::AnswerSet(const Trial& trial) : parts_(std::make_unique<Parts>(*trial.loaded_)) {}
AnswerSet::AnswerSet(AnswerSet&&) noexcept = default;
AnswerSet& AnswerSet::operator=(AnswerSet&&) noexcept = default;
AnswerSet::~AnswerSet() = default;

void AnswerSet::clear() {
  // Every place, not only those handed out since the last clearing: after
  // clear_for_reuse() earlier answers may linger in the others.
  for (nlohmann::json& value : parts_->by_slot) {
    if (!value.is_null()) value = nullptr;
  }
  clear_for_reuse();
}

void AnswerSet::clear_for_reuse() {
  // Normalising reads only the slots placed since: the values left in the
  // others are never read, only written over.
  parts_->placed.clear();  // and so the marks of valid answers (Parts::checked) are never read
  parts_->unknown.clear();
  parts_->not_object = false;
}

nlohmann::json& AnswerSet::place(std::string_view field) {
  const std::size_t slot = trial::question_slot(*parts_->trial, field);
  if (slot != trial::kNoSlot) {
    parts_->placed.push_back(slot);
    parts_->uncheck(slot);
    return parts_->by_slot[slot];
  }
  parts_->unknown.insert(std::string(field));
  return parts_->dropped;
}

bool AnswerSet::place_in_unit(std::string_view field, double value, std::string_view unit) {
  return place_in_unit(place_at(field, nullptr), value, unit);
}

AnswerSet::Place AnswerSet::place_at(std::string_view field, const std::string* kept) const {
  const Trial::Loaded& trial = *parts_->trial;
  const std::size_t slot = trial::question_slot(trial, field);
  return Place(slot, kept, slot == trial::kNoSlot ? nullptr : &trial.questions[trial.question_of_slot[slot]]);
}

bool AnswerSet::place_in_unit(const Place& place, double value, std::string_view unit) {
  const trial::Question* q = place.question_;
  if (q == nullptr) return false;
  const trial::UnitConversion* conversion = nullptr;
  if (place.conversion_ != nullptr && unit.data() == place.unit_->data() && unit.size() == place.unit_->size()) {
    conversion = place.conversion_;  // the place's own unit: looked up once
  } else {
    const auto found = q->units.find(std::string(unit));
    if (found == q->units.end()) return false;
    conversion = &found->second;
  }
  const double canonical = trial::in_canonical_unit(*conversion, value);
  if (!place_number(place, *q, canonical)) this->place(place) = canonical;  // for the screening to report
  return true;
}

bool AnswerSet::place_number(std::string_view field, double value) {
  return place_number(place_at(field, nullptr), value);
}

bool AnswerSet::place_boolean(std::string_view field, bool value) {
  return place_boolean(place_at(field, nullptr), value);
}

bool AnswerSet::place_number(const Place& place, double value) {
  const trial::Question* q = place.question_;
  return q != nullptr && place_number(place, *q, value);
}

bool AnswerSet::place_number(const Place& place, const trial::Question& q, double value) {
  if (!trial::is_numeric(q.type) || trial::check_number(q, value) != trial::NumberCheck::Valid) return false;
  nlohmann::json& answer = this->place(place);
  // Over the last record's number of the same kind, as it mostly is, without
  // a new value (exactly that kind: is_number_integer() takes unsigned ones too).
  if (q.type == trial::AnswerType::Integer && answer.type() == nlohmann::json::value_t::number_integer &&
      std::fabs(value) < 9e15) {
    answer.get_ref<nlohmann::json::number_integer_t&>() = static_cast<std::int64_t>(value);
  } else if (q.type != trial::AnswerType::Integer && answer.type() == nlohmann::json::value_t::number_float) {
    answer.get_ref<nlohmann::json::number_float_t&>() = value;
  } else {
    trial::set_canonical_number(q, value, answer);
  }
  parts_->check(place.slot_);
  return true;
}

bool AnswerSet::place_boolean(const Place& place, bool value) {
  const trial::Question* q = place.question_;
  if (q == nullptr || q->type != trial::AnswerType::Boolean) return false;
  nlohmann::json& answer = this->place(place);
  // Over the last record's yes/no, as it mostly is, without a new value.
  if (answer.is_boolean()) {
    answer.get_ref<nlohmann::json::boolean_t&>() = value;
  } else {
    answer = value;
  }
  parts_->check(place.slot_);
  return true;
}

AnswerSet::Place AnswerSet::place_of(const std::string& field) const {
  return place_at(field, &field);
}

AnswerSet::Place AnswerSet::place_of(const std::string& field, const std::string& unit) const {
  Place place = place_at(field, &field);
  if (place.question_ != nullptr) {
    const auto found = place.question_->units.find(unit);
    if (found != place.question_->units.end()) {
      place.unit_ = &unit;
      place.conversion_ = &found->second;
    }
  }
  return place;
}

nlohmann::json& AnswerSet::place(const Place& place) {
  if (place.slot_ == trial::kNoSlot) return place.field_ != nullptr ? this->place(*place.field_) : parts_->dropped;
  parts_->placed.push_back(place.slot_);
  parts_->uncheck(place.slot_);
  return parts_->by_slot[place.slot_];
}

void AnswerSet::take(nlohmann::json&& answers) {
  if (!answers.is_object()) {
    parts_->not_object = !answers.is_null();
    return;
  }
  for (auto& [field, answer] : answers.get_ref<nlohmann::json::object_t&>()) place(field) = std::move(answer);
}

}  // namespace trialscreen
