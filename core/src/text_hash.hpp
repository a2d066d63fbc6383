// A quick hash of short texts (ids, memo keys) for the core's small
// open-addressing tables: FNV-1a over eight bytes at a time, then the rest one
// by one, its high bits folded into the low ones the tables index by.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace trialscreen {

inline std::uint64_t text_hash(std::string_view text) {
  constexpr std::uint64_t kPrime = 1099511628211ull;
  std::uint64_t hash = 14695981039346656037ull;
  std::size_t at = 0;
  for (; at + 8 <= text.size(); at += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + at, 8);
    hash = (hash ^ word) * kPrime;
  }
  for (; at < text.size(); ++at) hash = (hash ^ static_cast<unsigned char>(text[at])) * kPrime;
  return hash ^ (hash >> 29);
}

}  // namespace trialscreen
