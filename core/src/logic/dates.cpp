#include "dates.hpp"

#include <cstdio>

namespace trialscreen::logic::dates {
namespace {

bool leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : kDays[month - 1];
}

// Days since 1970-01-01 (proleptic Gregorian), and back (H. Hinnant's algorithms).
long long to_days(const Date& date) {
  const long long y = date.year - (date.month <= 2 ? 1 : 0);
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const long long year_of_era = y - era * 400;
  const long long month_index = date.month > 2 ? date.month - 3 : date.month + 9;
  const long long day_of_year = (153 * month_index + 2) / 5 + date.day - 1;
  const long long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

Date from_days(long long days) {
  days += 719468;
  const long long era = (days >= 0 ? days : days - 146096) / 146097;
  const long long day_of_era = days - era * 146097;
  const long long year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const long long day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const long long month_index = (5 * day_of_year + 2) / 153;
  Date date;
  date.day = static_cast<int>(day_of_year - (153 * month_index + 2) / 5 + 1);
  date.month = static_cast<int>(month_index < 10 ? month_index + 3 : month_index - 9);
  date.year = static_cast<int>(year_of_era + era * 400 + (date.month <= 2 ? 1 : 0));
  return date;
}

constexpr long long kMaxSteps = 10000LL * 366;  // beyond any date in range

}  // namespace

std::optional<Date> parse(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const auto number = [&](std::size_t from, std::size_t length) {
    int value = 0;
    for (std::size_t i = from; i < from + length; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  Date date{number(0, 4), number(5, 2), number(8, 2)};
  if (date.year < 1 || date.month < 1 || date.month > 12) return std::nullopt;
  if (date.day < 1 || date.day > days_in_month(date.year, date.month)) return std::nullopt;
  return date;
}

std::optional<Unit> parse_unit(const std::string& text) {
  if (text == "day" || text == "days") return Unit::Day;
  if (text == "month" || text == "months") return Unit::Month;
  if (text == "year" || text == "years") return Unit::Year;
  return std::nullopt;
}

std::string format(const Date& date) {
  if (date.year >= 0 && date.year <= 9999 && date.month >= 0 && date.month <= 99 && date.day >= 0 && date.day <= 99) {
    // What the snprintf below writes for these, without parsing a format (a
    // date_add result is formatted per evaluation).
    std::string text = "0000-00-00";
    const auto digits = [&](std::size_t last, int value) {
      for (std::size_t i = last + 1; value > 0; value /= 10) text[--i] = static_cast<char>('0' + value % 10);
    };
    digits(3, date.year);
    digits(6, date.month);
    digits(9, date.day);
    return text;
  }
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year % 10000, date.month % 100, date.day % 100);
  return buffer;
}

std::optional<Date> add(const Date& date, long long amount, Unit unit) {
  if (amount > kMaxSteps || amount < -kMaxSteps) return std::nullopt;
  Date result = date;
  if (unit == Unit::Day) {
    result = from_days(to_days(date) + amount);
  } else {
    const long long months = unit == Unit::Year ? amount * 12 : amount;
    const long long index = static_cast<long long>(date.year) * 12 + (date.month - 1) + months;
    const long long year = index >= 0 ? index / 12 : (index - 11) / 12;
    result.year = static_cast<int>(year);
    result.month = static_cast<int>(index - year * 12 + 1);
    if (result.year < 1 || result.year > 9999) return std::nullopt;
    const int last = days_in_month(result.year, result.month);
    if (result.day > last) result.day = last;
  }
  if (result.year < 1 || result.year > 9999) return std::nullopt;
  return result;
}

}  // namespace trialscreen::logic::dates
