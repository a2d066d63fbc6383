// libFuzzer target: the JsonLogic compiler and evaluator, plain and with
// unknowns and bounds. Input: RULE_JSON "\n" DATA_JSON (see harness.hpp).
#include <cstdio>
#include <cstdlib>

#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string problem = trialscreen::fuzz::run_logic(data, size);
  if (!problem.empty()) {
    std::fprintf(stderr, "fuzz_logic: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
