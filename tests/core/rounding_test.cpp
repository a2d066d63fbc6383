// trial::round_significant, the rounding of converted quantities and derived
// values to 12 significant digits: exactly what printing "%.12g" and reading
// the text back gives, which is its definition, over the values it meets and
// the hard ones (halfway cases, powers of ten, the ends of its quick range).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "../../core/src/trial/model.hpp"

namespace {

double printed_and_read(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.12g", value);
  return std::strtod(buffer, nullptr);
}

void expect_as_printed(double value) {
  const double rounded = trialscreen::trial::round_significant(value);
  const double expected = printed_and_read(value);
  ASSERT_TRUE(rounded == expected && std::signbit(rounded) == std::signbit(expected))
      << std::hexfloat << value << " gave " << rounded << ", printed and read " << expected;
}

TEST(RoundSignificant, ConversionsLandOnTheDecimalMeant) {
  EXPECT_EQ(trialscreen::trial::round_significant(221 / 88.4), 2.5);
  EXPECT_EQ(trialscreen::trial::round_significant(0.1 + 0.2), 0.3);
  EXPECT_EQ(trialscreen::trial::round_significant(-(0.1 + 0.2)), -0.3);
}

TEST(RoundSignificant, HalfwayCasesGoToTheEvenDigitAsPrintfRoundsThem) {
  // Exactly halfway at the 12th digit (representable: a whole number and a half).
  EXPECT_EQ(trialscreen::trial::round_significant(123456789012.5), 123456789012.0);
  EXPECT_EQ(trialscreen::trial::round_significant(123456789013.5), 123456789014.0);
  EXPECT_EQ(trialscreen::trial::round_significant(-123456789013.5), -123456789014.0);
  for (double whole = 1e11; whole < 1e11 + 2000; whole += 1) {
    for (double half : {0.5, 0.25, 0.75, 0.125, 0.5 + 0x1p-16, 0.5 - 0x1p-16}) {
      expect_as_printed(whole + half);
      // The same digits at every scale the quick path covers.
      for (int k = 1; k <= 22; k += 3) expect_as_printed((whole + half) / std::pow(10.0, k));
    }
  }
}

TEST(RoundSignificant, PowersOfTenAndTheEndsOfTheRangeAreAsPrinted) {
  for (int e = -15; e <= 15; ++e) {
    const double power = std::pow(10.0, e);
    for (double v : {power, std::nextafter(power, 0.0), std::nextafter(power, 1e300), power * 0.9999999999995,
                     power * 0.99999999999949, power * 1.0000000000005, power * 9.9999999999995}) {
      expect_as_printed(v);
      expect_as_printed(-v);
    }
  }
}

TEST(RoundSignificant, RandomValuesOfEveryMagnitudeAreAsPrinted) {
  std::mt19937_64 random(20261126);
  std::uniform_real_distribution<double> mantissa(1.0, 10.0);
  std::uniform_int_distribution<int> exponent(-14, 14);
  std::uniform_int_distribution<int> decimals(0, 6);
  for (int i = 0; i < 300000; ++i) {
    const double value = mantissa(random) * std::pow(10.0, exponent(random));
    expect_as_printed(value);
    // A lab value with a few decimals, converted by a factor as units are.
    const double lab = std::round(value * std::pow(10.0, decimals(random))) / std::pow(10.0, decimals(random));
    for (double factor : {88.4, 88.42, 0.0113, 10.0, 0.1, 1000.0, 18.0, 0.0555, 1.0 / 3.0}) {
      expect_as_printed(lab * factor);
      expect_as_printed(lab / factor);
    }
  }
}

}  // namespace
