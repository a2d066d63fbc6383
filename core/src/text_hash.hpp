// The core's small open-addressing tables of texts (ids, memo keys,
// criterion objects): the texts' hash (FNV-1a over the length and eight bytes
// at a time, the last bytes as one more word, finished with MurmurHash3's mix
// so the low bits the tables index by depend on every byte), their
// comparison, and the probing.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace trialscreen {

inline std::uint64_t text_hash(std::string_view text) {
  constexpr std::uint64_t kPrime = 1099511628211ull;
  const std::size_t size = text.size();
  std::uint64_t hash = (14695981039346656037ull ^ size) * kPrime;
  std::size_t at = 0;
  for (; at + 8 <= size; at += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + at, 8);
    hash = (hash ^ word) * kPrime;
  }
  if (at < size) {
    // The last bytes as one word: when the text is eight bytes or more,
    // the eight that end it (overlapping the word before), else one by one.
    std::uint64_t word = 0;
    if (size >= 8) {
      std::memcpy(&word, text.data() + size - 8, 8);
    } else {
      for (; at < size; ++at) word = word << 8 | static_cast<unsigned char>(text[at]);
    }
    hash = (hash ^ word) * kPrime;
  }
  // FNV's multiplications carry bits only upwards, and the tables index by
  // the low bits: mix the high bits down (MurmurHash3's finaliser), or keys
  // that differ in their last bytes only cluster.
  hash = (hash ^ (hash >> 33)) * 0xff51afd7ed558ccdull;
  return hash ^ (hash >> 33);
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
  if (at == a.size()) return true;
  if (a.size() >= 8) {
    // The last bytes as one word, as text_hash reads them: the eight that end
    // the texts (overlapping the word before), not a byte at a time.
    std::uint64_t x;
    std::uint64_t y;
    std::memcpy(&x, a.data() + a.size() - 8, 8);
    std::memcpy(&y, b.data() + b.size() - 8, 8);
    return x == y;
  }
  for (; at < a.size(); ++at) {
    if (a[at] != b[at]) return false;
  }
  return true;
}

// Linear probing in an open-addressing table whose entries are 1 + an index
// (0: free) and whose size is a power of two: from `hash`, the position of
// the entry whose index `is_sought` accepts, or else of the free entry where
// it belongs.
template <typename IsSought>
std::size_t probe(const std::vector<std::uint32_t>& table, std::uint64_t hash, const IsSought& is_sought) {
  const std::size_t mask = table.size() - 1;
  std::size_t at = hash & mask;
  while (table[at] != 0 && !is_sought(table[at] - 1)) at = (at + 1) & mask;
  return at;
}

}  // namespace trialscreen
