// libFuzzer target: answer parsing and screening against BH002 through
// TrialSession::screen. Input: ANSWERS_JSON "\n" OPTIONS_JSON (see harness.hpp).
#include <cstdio>
#include <cstdlib>

#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& bh002 = trialscreen::fuzz::bh002_session(TRIALSCREEN_SOURCE_DIR);
  auto& forgetful = trialscreen::fuzz::bh002_forgetful_session(TRIALSCREEN_SOURCE_DIR);
  const std::string problem = trialscreen::fuzz::run_screen(bh002, data, size, &forgetful);
  if (!problem.empty()) {
    std::fprintf(stderr, "fuzz_screen: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
