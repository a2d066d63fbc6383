// The `trialscreen` subcommands. Each returns the process exit code:
// 0 success, 1 a rule/lint failure the command reports, 2 bad usage or an
// unreadable/invalid input (one line on stderr). See ../shared/contract.md.
#pragma once

#include <string>
#include <vector>

#include "trialscreen/diagnostic.hpp"

namespace trialscreen::cli {

using Args = std::vector<std::string>;  // the arguments after the subcommand

int run_logic(const Args& args);
int run_check(const Args& args);
int run_lint(const Args& args);
int run_batch(const Args& args);

// Reads a whole file (or stdin for "-"); false with a message on failure.
bool read_file(const std::string& path, std::string& contents, std::string& error);

// Prints "trialscreen: MESSAGE" on stderr and returns 2 (bad usage / input).
int usage_error(const std::string& message);

// Today's date on this machine's clock, local time, "YYYY-MM-DD" (the default --as-of).
std::string local_today();

// The first load problem of a trial, noting how many more there are.
std::string first_problem(const Diagnostics& errors);

}  // namespace trialscreen::cli
