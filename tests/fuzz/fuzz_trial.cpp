// libFuzzer target: the trial loader and linter, and a first screening of
// whatever loads. Input: a trial definition file's bytes.
#include <cstdio>
#include <cstdlib>

#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string problem = trialscreen::fuzz::run_trial(data, size);
  if (!problem.empty()) {
    std::fprintf(stderr, "fuzz_trial: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
