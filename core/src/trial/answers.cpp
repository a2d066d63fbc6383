#include "answers.hpp"

#include <cmath>
#include <cstdint>
#include <iterator>

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
  if (unit->first != "unit" || !unit->second.is_string() || value->first != "value" || !value->second.is_number()) {
    return {};
  }
  return {&value->second, &unit->second.get_ref<const std::string&>()};
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
    value = quantity.value->get<double>();
    const UnitConversion& c = conversion->second;
    if (c.amount != 1) value = round_significant(c.divide ? value / c.amount : value * c.amount);
  } else {
    problem = {"type", q.units.empty() ? "expected a number"
                                       : "expected a number in " + quoted(q.unit) + " or {\"value\": n, \"unit\": \"...\"}"};
    return std::nullopt;
  }
  if (q.type == AnswerType::Integer && value != std::floor(value)) {
    problem = {"type", "expected a whole number"};
    return std::nullopt;
  }
  if ((q.min && value < *q.min) || (q.max && value > *q.max)) {
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
  if (q.type == AnswerType::DateOrNone && text == "none") return true;
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
      if (q.type == AnswerType::Integer && std::fabs(*value) < 9e15) {
        answer = static_cast<std::int64_t>(*value);
      } else {
        answer = *value;
      }
      return true;
    }
  }
  return false;
}

}  // namespace

void normalise_answers(const Trial::Loaded& trial, json& answers, const std::string& as_of, json& errors,
                       std::vector<const json*>& slot_values) {
  if (!answers.is_object()) {
    if (!answers.is_null()) {
      errors.push_back({{"field", ""}, {"code", "type"}, {"message", "answers must be an object keyed by question id"}});
    }
    answers = json::object();
    return;
  }
  json::object_t& members = answers.get_ref<json::object_t&>();
  // Answers and questions are both in key order: one walk through the
  // questions finds each answer's question.
  auto found = trial.question_index.begin();
  const auto questions_end = trial.question_index.end();
  for (auto it = members.begin(); it != members.end();) {
    int order = 1;  // of the question at `found` against the answer's key; one comparison per step
    while (found != questions_end && (order = found->first.compare(it->first)) < 0) ++found;
    if (found == questions_end || order != 0) {
      errors.push_back({{"field", it->first}, {"code", "unknown-field"}, {"message", "no question has this id"}});
      it = members.erase(it);
      continue;
    }
    if (it->second.is_null()) {  // unanswered
      it = members.erase(it);
      continue;
    }
    const Question& q = trial.questions[found->second];
    Problem problem;
    if (!canonicalise(q, it->second, as_of, problem)) {
      errors.push_back({{"field", q.id}, {"code", problem.code}, {"message", problem.message}});
      it = members.erase(it);
      continue;
    }
    slot_values[q.slot] = &it->second;
    ++it;
  }
}

}  // namespace trial
}  // namespace trialscreen
