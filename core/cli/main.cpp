// `trialscreen`: the native command line of the same core the browser runs.
#include <cstdio>
#include <ctime>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "commands.hpp"

namespace trialscreen::cli {

bool read_file(const std::string& path, std::string& contents, std::string& error) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    contents = buffer.str();
    return true;
  }
  // A directory opens as a stream whose first read throws (EISDIR).
  std::error_code stat_error;  // unreadable paths are reported by the open below
  if (std::filesystem::is_directory(path, stat_error)) {
    error = "cannot read " + path + ": it is a directory";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read " + path;
    return false;
  }
  contents.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) {
    error = "cannot read " + path;
    return false;
  }
  return true;
}

int usage_error(const std::string& message) {
  std::cerr << "trialscreen: " << message << "\n";
  return 2;
}

// Today's date on this machine's clock, local time, "YYYY-MM-DD".
std::string local_today() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  localtime_r(&now, &parts);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &parts);
  return buffer;
}

std::string first_problem(const Diagnostics& errors) {
  if (errors.empty()) return "unknown problem";
  std::string line = errors.front().format();
  if (errors.size() > 1) line += " (and " + std::to_string(errors.size() - 1) + " more; run trialscreen lint)";
  return line;
}

}  // namespace trialscreen::cli

namespace {

const char* const kUsage =
    "usage: trialscreen logic RULE_JSON [DATA_JSON]\n"
    "       trialscreen check --trial TRIAL.json --answers ANSWERS.json [--as-of YYYY-MM-DD]\n"
    "                         [--audience patient|physician] [--lang en|zh-Hans]\n"
    "       trialscreen lint TRIAL.json\n"
    "       trialscreen batch --trial TRIAL.json [--as-of ...] [--audience ...] < IN > OUT\n";

int dispatch(int argc, char** argv) {
  namespace cli = trialscreen::cli;
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string command = argv[1];
  const cli::Args args(argv + 2, argv + argc);
  if (command == "logic") return cli::run_logic(args);
  if (command == "check") return cli::run_check(args);
  if (command == "lint") return cli::run_lint(args);
  if (command == "batch") return cli::run_batch(args);
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  std::cerr << "trialscreen: unknown command \"" << command << "\"\n" << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // The core reports problems as values; this is the last guard so that even
  // an allocation failure ends in a one-line error, never a stack trace.
  try {
    return dispatch(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "trialscreen: internal error: " << e.what() << "\n";
    return 2;
  }
}
