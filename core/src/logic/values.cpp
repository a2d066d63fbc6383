#include "values.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "trialscreen/logic.hpp"

namespace trialscreen::logic {

bool truthy(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return false;
    case nlohmann::json::value_t::boolean:
      return *value.get_ptr<const nlohmann::json::boolean_t*>();
    case nlohmann::json::value_t::number_integer:
      return *value.get_ptr<const nlohmann::json::number_integer_t*>() != 0;
    case nlohmann::json::value_t::number_unsigned:
      return *value.get_ptr<const nlohmann::json::number_unsigned_t*>() != 0;
    case nlohmann::json::value_t::number_float: {
      const double number = *value.get_ptr<const nlohmann::json::number_float_t*>();
      return number != 0 && !std::isnan(number);
    }
    case nlohmann::json::value_t::string:
      return !value.get_ref<const std::string&>().empty();
    case nlohmann::json::value_t::array:
      return !value.empty();
    default:
      return true;  // objects, even {}
  }
}

namespace values {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// A decimal number as JavaScript's Number() accepts it: optional sign, digits
// with an optional fraction, optional exponent; surrounding spaces allowed.
std::optional<double> parse_decimal(const std::string& text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
  if (begin == end) return 0.0;
  std::size_t i = begin;
  if (text[i] == '+' || text[i] == '-') ++i;
  std::size_t digits = 0;
  while (i < end && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
  if (i < end && text[i] == '.') {
    ++i;
    while (i < end && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < end && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < end && (text[i] == '+' || text[i] == '-')) ++i;
    std::size_t exponent_digits = 0;
    while (i < end && text[i] >= '0' && text[i] <= '9') ++i, ++exponent_digits;
    if (exponent_digits == 0) return std::nullopt;
  }
  if (i != end) return std::nullopt;
  const std::string number(text, begin, end - begin);
  const double value = std::strtod(number.c_str(), nullptr);
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace

std::optional<double> to_number(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return 0.0;
    case json::value_t::boolean:
      return *value.get_ptr<const json::boolean_t*>() ? 1.0 : 0.0;
    case json::value_t::number_integer:
      return static_cast<double>(*value.get_ptr<const json::number_integer_t*>());
    case json::value_t::number_unsigned:
      return static_cast<double>(*value.get_ptr<const json::number_unsigned_t*>());
    case json::value_t::number_float: {
      const double number = *value.get_ptr<const json::number_float_t*>();
      if (std::isnan(number)) return std::nullopt;
      return number;
    }
    case json::value_t::string:
      return parse_decimal(value.get_ref<const std::string&>());
    default:
      return std::nullopt;
  }
}

std::optional<json> number_json(double number) {
  if (!std::isfinite(number)) return std::nullopt;
  constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
  if (number == std::floor(number) && std::fabs(number) <= kExactIntegers) {
    return json(static_cast<std::int64_t>(number));
  }
  return json(number);
}

std::string number_text(double number) {
  if (std::isnan(number)) return "NaN";
  if (std::isinf(number)) return number > 0 ? "Infinity" : "-Infinity";
  if (number == std::floor(number) && std::fabs(number) < 1e21) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f", number == 0 ? 0.0 : number);
    return buffer;
  }
  // Shortest precision that reads back as the same double.
  char buffer[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, number);
    if (std::strtod(buffer, nullptr) == number) break;
  }
  return buffer;
}

std::string to_text(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "";
    case json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case json::value_t::string:
      return value.get<std::string>();
    case json::value_t::number_integer:
      return std::to_string(value.get<std::int64_t>());
    case json::value_t::number_unsigned:
      return std::to_string(value.get<std::uint64_t>());
    case json::value_t::number_float:
      return number_text(value.get<double>());
    case json::value_t::array: {
      // Array.prototype.toString: elements joined by commas, null as "".
      std::string text;
      bool first = true;
      for (const json& element : value) {
        if (!first) text += ',';
        first = false;
        text += to_text(element);
      }
      return text;
    }
    default:
      return "[object Object]";
  }
}

std::optional<int> loose_compare(const json& left, const json& right) {
  if (left.is_string() && right.is_string()) {
    const int order = left.get_ref<const std::string&>().compare(right.get_ref<const std::string&>());
    return order < 0 ? -1 : (order > 0 ? 1 : 0);
  }
  const std::optional<double> a = to_number(left);
  const std::optional<double> b = to_number(right);
  if (!a || !b) return std::nullopt;
  return *a < *b ? -1 : (*a > *b ? 1 : 0);
}

std::string brief(const json& value) {
  std::string text;
  append_brief(value, text);
  return text;
}

void append_brief(const json& value, std::string& out) {
#ifndef TRIALSCREEN_FOR_SIZE
  // The values a failed comparison meets record after record (null, a
  // short plain text) without the serializer, which reads the locale.
  if (value.is_null()) {
    out += "null";
    return;
  }
  if (value.is_boolean()) {
    out += *value.get_ptr<const json::boolean_t*>() ? "true" : "false";
    return;
  }
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    const bool plain = text.size() <= 58 && std::all_of(text.begin(), text.end(), [](char c) {
                         return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\';
                       });
    if (plain) {
      out += '"';
      out += text;
      out += '"';
      return;
    }
  }
#endif
  const std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > 60) {
    out.append(text, 0, 57);
    out += "...";
  } else {
    out += text;
  }
}

bool strict_equal(const json& left, const json& right) {
  if (left.is_number() && right.is_number()) return left == right;
  if (left.type() != right.type()) return false;
  return left == right;
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  if (path.empty()) return segments;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    segments.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return segments;
    start = dot + 1;
  }
}

}  // namespace values
}  // namespace trialscreen::logic
