// Small value helpers shared by loading and screening: calendar dates, the
// 12-significant-digit rounding of converted quantities, texts.
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>

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

namespace {

// The powers of ten a double holds exactly.
constexpr double kExactPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// a * b exactly, as product + error (Dekker's product: each factor split
// into halves whose products a double holds exactly). One step a statement,
// so that no compiler fuses them into a multiply-add.
struct ExactProduct {
  double product;
  double error;
};
ExactProduct exact_product(double a, double b) {
  constexpr double kSplitter = 134217729.0;  // 2^27 + 1
  const double a_big = kSplitter * a;
  const double a_high = a_big - (a_big - a);
  const double a_low = a - a_high;
  const double b_big = kSplitter * b;
  const double b_high = b_big - (b_big - b);
  const double b_low = b - b_high;
  const double product = a * b;
  double error = a_high * b_high - product;
  error += a_high * b_low;
  error += a_low * b_high;
  error += a_low * b_low;
  return {product, error};
}

// What "%.12g" then strtod give, worked out without printing, for a
// magnitude that 10^k, 0 <= k <= 22, brings to 12 digits before the point
// (1e-11 to 1e12): the exact product rounded to a whole number, ties to
// even, as printf rounds the exact value; then one division by 10^k, which
// IEEE rounds correctly, as strtod rounds that decimal. printf on
// WebAssembly works in software long doubles: this is many times quicker
// there, and needs no library function. nullopt outside that range.
std::optional<double> rounded_without_printing(double magnitude) {
  if (!(magnitude >= 1e-11 && magnitude < 1e12)) return std::nullopt;
  // From the binary exponent, a k at most one too small; then up while the
  // product is under 1e11.
  // magnitude < 2^binary_exponent, read off its bits (it is a normal double).
  std::uint64_t bits = 0;
  std::memcpy(&bits, &magnitude, sizeof bits);
  const int binary_exponent = static_cast<int>((bits >> 52) & 0x7ff) - 1022;
  int k = 11 - static_cast<int>(std::floor(binary_exponent * 0.30103));
  if (k < 0) k = 0;
  ExactProduct x{};
  const auto at_least = [&](double bound) { return x.product > bound || (x.product == bound && x.error >= 0); };
  for (;; ++k) {
    if (k > 22) return std::nullopt;
    x = exact_product(magnitude, kExactPowersOfTen[k]);
    if (at_least(1e11)) break;
  }
  if (at_least(1e12)) return std::nullopt;
  // The product is at least 2^36, so its fraction is a multiple of 2^-16 and
  // |error| is at most 2^-17: only a fraction of exactly one half needs it.
  const double whole = std::floor(x.product);
  const double fraction = x.product - whole;
  const bool odd = whole - 2 * std::floor(whole / 2) != 0;
  const bool up = fraction > 0.5 || (fraction == 0.5 && (x.error > 0 || (x.error == 0 && odd)));
  return (up ? whole + 1 : whole) / kExactPowersOfTen[k];
}

}  // namespace

double round_significant(double value) {
  if (value == 0 || !std::isfinite(value)) return value;
  // A whole number of at most 12 digits is already what "%.12g" would give.
  if (std::fabs(value) < 1e12 && value == std::trunc(value)) return value;
  if (const std::optional<double> rounded = rounded_without_printing(std::fabs(value))) {
    return std::copysign(*rounded, value);
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.12g", value);
  return std::strtod(buffer, nullptr);
}

double in_canonical_unit(const UnitConversion& conversion, double value) {
  if (conversion.amount == 1) return value;
  return round_significant(conversion.divide ? value / conversion.amount : value * conversion.amount);
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
