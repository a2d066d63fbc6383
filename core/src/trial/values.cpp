// Small value helpers shared by loading and screening: calendar dates, the
// 12-significant-digit rounding of converted quantities, texts.
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "model.hpp"

namespace trialscreen {

bool is_calendar_date(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  const auto number = [&](std::size_t at, std::size_t digits) {
    int value = 0;
    for (std::size_t i = at; i < at + digits; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  const int year = number(0, 4);
  const int month = number(5, 2);
  const int day = number(8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days_in_month = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= days_in_month;
}

namespace trial {

std::string quoted(const std::string& text) {
  const std::size_t kMax = 40;
  if (text.size() <= kMax) return "\"" + text + "\"";
  std::size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "\"" + text.substr(0, cut) + "...\"";
}

double round_significant(double value) {
  if (value == 0 || !std::isfinite(value)) return value;
  // A whole number of at most 12 digits is already what "%.12g" would give.
  if (std::fabs(value) < 1e12 && value == std::trunc(value)) return value;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.12g", value);
  return std::strtod(buffer, nullptr);
}

const std::string& pick_text(const nlohmann::json* audience_text, const std::string& audience,
                             const std::string& lang, const std::vector<std::string>& languages) {
  static const std::string kNone;
  if (audience_text == nullptr || !audience_text->is_object()) return kNone;
  const nlohmann::json* text = audience_text;
  // An audience text is {"patient": TEXT, "physician": TEXT}; a plain text
  // maps languages to strings.
  auto by_audience = audience_text->find(audience == "patient" ? "patient" : "physician");
  if (by_audience != audience_text->end() && by_audience->is_object()) text = &*by_audience;
  auto wanted = text->find(lang);
  if (wanted != text->end() && wanted->is_string()) return wanted->get_ref<const std::string&>();
  for (const std::string& fallback : languages) {
    auto it = text->find(fallback);
    if (it != text->end() && it->is_string()) return it->get_ref<const std::string&>();
  }
  return kNone;
}

PickedText pick_texts(const nlohmann::json* audience_text, const std::vector<std::string>& languages) {
  PickedText picked;
  for (const char* audience : {"patient", "physician"}) {
    for (const std::string& lang : languages) picked.picks.push_back(&pick_text(audience_text, audience, lang, languages));
  }
  return picked;
}

}  // namespace trial
}  // namespace trialscreen
