#include "decimal.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>

namespace trialscreen::logic {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The powers of ten a double holds exactly.
constexpr double kExactPowers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
constexpr int kMaxExactPower = 22;
constexpr std::uint64_t kMaxExactInteger = std::uint64_t{1} << 53;

}  // namespace

double decimal_value(const char* first, const char* last) {
  // Clinger's fast path: when the digits make an integer below 2^53 and the
  // power of ten is exact too, one IEEE multiplication or division rounds
  // correctly, so the result is the nearest double, as strtod's.
  const char* at = first;
  const bool negative = at != last && *at == '-';
  if (at != last && (*at == '-' || *at == '+')) ++at;
  std::uint64_t mantissa = 0;
  int digits = 0;       // significant digits in `mantissa` (leading zeros skipped)
  int exponent = 0;     // of ten, applied to `mantissa`
  bool fits = true;
  for (; at != last && is_digit(*at); ++at) {
    if (mantissa == 0 && *at == '0') continue;
    if (++digits > 19) fits = false;
    else mantissa = mantissa * 10 + static_cast<unsigned>(*at - '0');
  }
  if (at != last && *at == '.') {
    for (++at; at != last && is_digit(*at); ++at) {
      --exponent;
      if (mantissa == 0 && *at == '0') continue;
      if (++digits > 19) fits = false;
      else mantissa = mantissa * 10 + static_cast<unsigned>(*at - '0');
    }
  }
  if (at != last && (*at == 'e' || *at == 'E')) {
    ++at;
    const bool negative_exponent = at != last && *at == '-';
    if (at != last && (*at == '-' || *at == '+')) ++at;
    int written = 0;
    for (; at != last && is_digit(*at); ++at) {
      if (written < 10000) written = written * 10 + (*at - '0');
    }
    exponent += negative_exponent ? -written : written;
  }
  if (fits && mantissa <= kMaxExactInteger && exponent >= -kMaxExactPower && exponent <= kMaxExactPower) {
    double value = static_cast<double>(mantissa);
    value = exponent < 0 ? value / kExactPowers[-exponent] : value * kExactPowers[exponent];
    return negative ? -value : value;
  }
  const std::string text(first, last);  // strtod needs it terminated
  return std::strtod(text.c_str(), nullptr);
}

}  // namespace trialscreen::logic
