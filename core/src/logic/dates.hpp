// Calendar dates as trial rules use them: "YYYY-MM-DD" strings.
#pragma once

#include <optional>
#include <string>

namespace trialscreen::logic::dates {

struct Date {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..days_in_month
};

enum class Unit { Day, Month, Year };

// A real calendar date in exactly the form YYYY-MM-DD (years 0001-9999).
std::optional<Date> parse(const std::string& text);
std::optional<Unit> parse_unit(const std::string& text);
std::string format(const Date& date);

// date + amount units. Month and year steps keep the day of the month,
// clamped to the target month's end (2026-08-31 + 3 months = 2026-11-30).
// nullopt when the result leaves years 0001-9999.
std::optional<Date> add(const Date& date, long long amount, Unit unit);

}  // namespace trialscreen::logic::dates
