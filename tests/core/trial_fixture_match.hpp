// Partial matching of a screening result against a scenario's "expect"
// object. The rules are written down in tests/fixtures/bh002/README.md so
// that the node:test runner (WebAssembly build) can implement the same ones.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace trialscreen::testing {

// One line per mismatch ("/criteria/I05/status: expected \"pass\", got \"fail\""); empty when
// every expected key matches.
std::vector<std::string> match_expected(const nlohmann::json& expected, const nlohmann::json& actual);

}  // namespace trialscreen::testing
