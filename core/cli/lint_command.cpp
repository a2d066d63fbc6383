// `trialscreen lint`: every problem of a trial definition, one per line as
// "CODE<TAB>POINTER<TAB>MESSAGE"; exit 0 when there are none, 1 otherwise,
// 2 when the file cannot be read or the usage is wrong.
#include <iostream>
#include <optional>
#include <string>

#include "commands.hpp"
#include "trialscreen/trial.hpp"

namespace trialscreen::cli {
namespace {

void print_problems(const Diagnostics& problems) {
  for (const Diagnostic& d : problems) std::cout << d.id << '\t' << d.pointer << '\t' << d.message << '\n';
}

}  // namespace

int run_lint(const Args& args) {
  if (args.size() != 1 || (!args[0].empty() && args[0][0] == '-' && args[0] != "-")) {
    return usage_error("lint: usage: trialscreen lint TRIAL.json");
  }
  std::string text, error;
  if (!read_file(args[0], text, error)) return usage_error(error);
  Diagnostics problems;
  std::optional<Trial> trial = Trial::load(text, problems);
  if (trial) problems = trial->lint();
  if (!problems.empty()) {
    print_problems(problems);
    return 1;
  }
  std::cerr << args[0] << ": ok (" << trial->definition()["questions"].size() << " questions, "
            << trial->definition()["criteria"].size() << " criteria)\n";
  return 0;
}

}  // namespace trialscreen::cli
