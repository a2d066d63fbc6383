// The JSON pointers of runtime and compile errors, deep in a rule. Pointers
// are kept as steps and spelt out only when an error needs one
// (core/src/logic/pointers.hpp); the text must be what it always was. The
// expected runtime pointers were read from `trialscreen logic` before that
// change.
#include <string>

#include <gtest/gtest.h>

#include "logic_test_support.hpp"

namespace {

using nlohmann::json;
using trialscreen::Diagnostics;
using trialscreen::logic::CompileOptions;
using trialscreen::logic::Rule;

std::string runtime_pointer(const char* rule, const char* data, const CompileOptions& options = {}) {
  const auto outcome = logic_test::run(json::parse(rule), json::parse(data), {}, options);
  EXPECT_TRUE(outcome.is_error()) << rule << ": " << logic_test::describe(outcome);
  return outcome.error_pointer;
}

std::string compile_pointer(const char* rule) {
  Diagnostics errors;
  EXPECT_FALSE(Rule::compile(json::parse(rule), errors)) << rule;
  return errors.empty() ? "(none)" : errors.front().pointer;
}

TEST(RulePointers, RuntimeErrorsDeepInARule) {
  EXPECT_EQ(runtime_pointer(R"({"if": [{"var": "a"}, {"and": [true, {"+": [1, {"/": [1, 0]}]}]}, 0]})", R"({"a": 1})"),
            "/if/1/and/1/+/1");
  EXPECT_EQ(runtime_pointer(R"({"var": ["x", {"/": [1, 0]}]})", "{}"), "/var/1");
  EXPECT_EQ(runtime_pointer(R"({"merge": [[1, {"/": [1, 0]}]]})", "{}"), "/merge/0/1");
  // An operator's key is a pointer token: "/" is spelt "~1".
  EXPECT_EQ(runtime_pointer(R"({"/": [1, {"-": [{"val": ["s"]}, {"%": [1, 0]}]}]})", R"({"s": "x"})"), "/~1/1/-/1");
  EXPECT_EQ(runtime_pointer(R"({"map": [[1, 2], {"if": [{"==": [{"var": ""}, 2]}, {"/": [{"var": ""}, 0]}, 1]}]})", "{}"),
            "/map/1/if/1");
  EXPECT_EQ(runtime_pointer(R"({"try": [{"throw": "x"}, {"/": [1, 0]}]})", "{}"), "/try/1");
  EXPECT_EQ(runtime_pointer(R"({"/": 0})", "{}"), "");
}

TEST(RulePointers, RuntimeErrorInADerivedVariableIsRelativeToItsExpression) {
  CompileOptions options;
  options.derived.emplace("d", json::parse(R"({"and": [true, {"/": [1, 0]}]})"));
  EXPECT_EQ(runtime_pointer(R"({"or": [false, {"var": "d"}]})", "{}", options), "/and/1");
}

TEST(RulePointers, CompileErrorsDeepInARule) {
  EXPECT_EQ(compile_pointer(R"({"and": [true, {"or": [false, {"nope": 1}]}]})"), "/and/1/or/1");
  EXPECT_EQ(compile_pointer(R"({"if": [true, {"map": [null, 1]}]})"), "/if/1/map/0");
  EXPECT_EQ(compile_pointer(R"({"!": [{"date_add": ["2026-13-01", 1, "day"]}]})"), "/!/0/date_add/0");
  EXPECT_EQ(compile_pointer(R"({"and": [{"var": [{"a": 1}]}]})"), "/and/0/var/0");
  EXPECT_EQ(compile_pointer(R"({"and": [{"var": {}}]})"), "/and/0/var");
  EXPECT_EQ(compile_pointer(R"({"and": [true, {"val": ["a", ["b"]]}]})"), "/and/1/val/1");
  EXPECT_EQ(compile_pointer(R"({"or": [{"in": [1]}]})"), "/or/0/in");
  EXPECT_EQ(compile_pointer(R"({"/": [{"and": 1}]})"), "/~1/0/and");
}

}  // namespace
