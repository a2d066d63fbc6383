// Quick hashing and comparing of short texts (ids, memo keys, criterion
// objects) for the core's small open-addressing tables: FNV-1a over eight
// bytes at a time, then the rest one by one, its high bits folded into the
// low ones the tables index by.
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

// Whether two texts are the same, compared eight bytes at a time: the
// WebAssembly build's memcmp compares byte by byte, and the session compares
// whole criterion objects (TrialSession::screen_numbered).
inline bool same_text(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  std::size_t at = 0;
  for (; at + 8 <= a.size(); at += 8) {
    std::uint64_t x;
    std::uint64_t y;
    std::memcpy(&x, a.data() + at, 8);
    std::memcpy(&y, b.data() + at, 8);
    if (x != y) return false;
  }
  for (; at < a.size(); ++at) {
    if (a[at] != b[at]) return false;
  }
  return true;
}

}  // namespace trialscreen
