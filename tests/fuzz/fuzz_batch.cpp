// libFuzzer target: a referral list through the batch's stream (what
// `trialscreen batch` runs) against BH002. Input: the list's bytes, JSON Lines
// or CSV (see harness.hpp).
#include <cstdio>
#include <cstdlib>

#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& bh002 = trialscreen::fuzz::bh002_trial(TRIALSCREEN_SOURCE_DIR);
  const std::string problem = trialscreen::fuzz::run_batch(bh002, data, size);
  if (!problem.empty()) {
    std::fprintf(stderr, "fuzz_batch: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
