// Replays every input that once crashed a fuzz target or broke one of its
// checks (tests/regressions/<target>/<name>) through the same harness the
// fuzzer runs (tests/fuzz/harness.hpp), so a fixed bug stays fixed even in
// builds without libFuzzer. docs/fuzzing.md says how inputs get here.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "../fuzz/harness.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs_of(const std::string& target) {
  std::vector<fs::path> inputs;
  const fs::path dir = fs::path(TRIALSCREEN_TESTS_DIR) / "regressions" / target;
  std::error_code missing;
  if (!fs::is_directory(dir, missing)) return inputs;  // no input has failed this target yet
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().filename().string()[0] != '.') inputs.push_back(entry.path());
  }
  std::sort(inputs.begin(), inputs.end());
  return inputs;
}

template <typename Run>
void replay(const std::string& target, Run run) {
  for (const fs::path& path : inputs_of(target)) {
    const std::string input = trialscreen::fuzz::read_text_file(path.string());
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(input.data());
    EXPECT_EQ(run(bytes, input.size()), "") << path.filename().string();
  }
}

TEST(HostileRegressions, LogicInputsThatOnceFailed) { replay("logic", trialscreen::fuzz::run_logic); }

TEST(HostileRegressions, TrialInputsThatOnceFailed) { replay("trial", trialscreen::fuzz::run_trial); }

TEST(HostileRegressions, ScreenInputsThatOnceFailed) {
  const auto& bh002 = trialscreen::fuzz::bh002_session(TRIALSCREEN_SOURCE_DIR);
  auto& forgetful = trialscreen::fuzz::bh002_forgetful_session(TRIALSCREEN_SOURCE_DIR);
  replay("screen", [&](const std::uint8_t* bytes, std::size_t size) {
    return trialscreen::fuzz::run_screen(bh002, bytes, size, &forgetful);
  });
}

TEST(HostileRegressions, BatchInputsThatOnceFailed) {
  const auto& bh002 = trialscreen::fuzz::bh002_trial(TRIALSCREEN_SOURCE_DIR);
  replay("batch", [&](const std::uint8_t* bytes, std::size_t size) {
    return trialscreen::fuzz::run_batch(bh002, bytes, size);
  });
}

}  // namespace
