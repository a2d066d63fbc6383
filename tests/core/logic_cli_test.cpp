// `trialscreen logic RULE_JSON [DATA_JSON]` as ../shared/contract.md and
// docs/logic.md promise it: result on stdout and exit 0; rule errors as
// {"error": {...}} on stdout and exit 1; bad usage on stderr and exit 2.
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

struct CliRun {
  int exit_code = -1;
  std::string out;
};

// Runs a shell command line, capturing stdout.
CliRun run(const std::string& command) {
  CliRun result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string quoted(const std::string& argument) { return "'" + argument + "'"; }

CliRun logic(const std::string& rule, const std::string& data = "", const std::string& redirect = "2>/dev/null") {
  std::string command = std::string(TRIALSCREEN_CLI) + " logic " + quoted(rule);
  if (!data.empty()) command += " " + quoted(data);
  return run(command + " " + redirect);
}

TEST(LogicCli, PrintsTheResultAsCompactJson) {
  const CliRun sum = logic(R"({"+": [1.0, 2.0]})");
  EXPECT_EQ(sum.exit_code, 0);
  EXPECT_EQ(sum.out, "3\n");
  const CliRun read = logic(R"({"map": [{"var": "xs"}, {"*": [{"var": ""}, 2]}]})", R"({"xs": [1, 2.5]})");
  EXPECT_EQ(read.exit_code, 0);
  EXPECT_EQ(read.out, "[2,5]\n");
  EXPECT_EQ(logic(R"({"date_add": ["2026-08-31", 3, "month"]})").out, "\"2026-11-30\"\n");
}

TEST(LogicCli, MissingVariablesAreNullAsInPlainJsonLogic) {
  const CliRun missing = logic(R"({"==": [{"var": "x"}, null]})", "{}");
  EXPECT_EQ(missing.exit_code, 0);
  EXPECT_EQ(missing.out, "true\n");
}

TEST(LogicCli, RuleErrorsPrintTheErrorObjectAndExitOne) {
  const CliRun unknown = logic(R"({"and": [true, {"=>": [1, 2]}]})");
  EXPECT_EQ(unknown.exit_code, 1);
  const auto error = nlohmann::json::parse(unknown.out).at("error");
  EXPECT_EQ(error.at("type"), "Unknown Operator");
  EXPECT_EQ(error.at("id"), "rule.104");
  EXPECT_EQ(error.at("path"), "/and/1");
  EXPECT_FALSE(error.at("message").get<std::string>().empty());

  const CliRun nan = logic(R"({"/": [1, 0]})");
  EXPECT_EQ(nan.exit_code, 1);
  EXPECT_EQ(nlohmann::json::parse(nan.out)["error"]["type"], "NaN");
  EXPECT_EQ(nlohmann::json::parse(nan.out)["error"]["id"], "rule.201");

  const CliRun thrown = logic(R"({"throw": "Not an admin"})");
  EXPECT_EQ(thrown.exit_code, 1);
  EXPECT_EQ(nlohmann::json::parse(thrown.out)["error"]["type"], "Not an admin");
}

TEST(LogicCli, UnparsableJsonIsARuleErrorToo) {
  for (const CliRun& bad : {logic(R"({"+": [1, )"), logic(R"({"+": [1]})", "{nope")}) {
    EXPECT_EQ(bad.exit_code, 1);
    const auto error = nlohmann::json::parse(bad.out).at("error");
    EXPECT_EQ(error.at("type"), "Invalid JSON");
    EXPECT_EQ(error.at("id"), "json.001");
  }
}

TEST(LogicCli, BadUsageIsOneStderrLineAndExitTwo) {
  const CliRun usage = run(std::string(TRIALSCREEN_CLI) + " logic 2>&1 >/dev/null");
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_EQ(std::count(usage.out.begin(), usage.out.end(), '\n'), 1) << usage.out;
  const CliRun nothing_on_stdout = run(std::string(TRIALSCREEN_CLI) + " logic 2>/dev/null");
  EXPECT_EQ(nothing_on_stdout.out, "");
}

}  // namespace
