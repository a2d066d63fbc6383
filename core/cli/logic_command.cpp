// `trialscreen logic RULE_JSON [DATA_JSON]`: plain JsonLogic from the shell.
#include <iostream>

#include "commands.hpp"
#include "trialscreen/logic.hpp"

namespace trialscreen::cli {
namespace {

// {"error": {...}} on stdout and exit 1: the contract's shape for rule errors.
int print_error(const std::string& type, const std::string& message, const std::string& id,
                const std::string& path) {
  nlohmann::json error = {{"type", type}, {"message", message}};
  if (!id.empty()) error["id"] = id;
  error["path"] = path;
  std::cout << logic::to_json_text({{"error", error}}) << "\n";
  return 1;
}

int print_diagnostic(const Diagnostic& diagnostic) {
  return print_error(logic::error_type(diagnostic), diagnostic.message, diagnostic.id, diagnostic.pointer);
}

}  // namespace

int run_logic(const Args& args) {
  if (args.empty() || args.size() > 2) return usage_error("usage: trialscreen logic RULE_JSON [DATA_JSON]");
  Diagnostics errors;
  const auto rule_json = logic::parse_json(args[0], errors);
  if (!rule_json) return print_diagnostic(errors.front());
  nlohmann::json data = nullptr;
  if (args.size() == 2) {
    auto parsed = logic::parse_json(args[1], errors);
    if (!parsed) return print_diagnostic(errors.front());
    data = std::move(*parsed);
  }
  const auto rule = logic::Rule::compile(*rule_json, errors);
  if (!rule) return print_diagnostic(errors.front());
  const logic::Outcome outcome = rule->evaluate(data);
  if (outcome.is_error()) {
    return print_error(outcome.error_type, outcome.error_message, outcome.error_id, outcome.error_pointer);
  }
  std::cout << logic::to_json_text(outcome.value) << "\n";
  return 0;
}

}  // namespace trialscreen::cli
