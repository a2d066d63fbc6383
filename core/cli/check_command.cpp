// `trialscreen check`: screens one person's answers against a trial and
// prints the result (../shared/contract.md), exit 0 whatever the verdict.
#include <algorithm>
#include <iostream>
#include <optional>
#include <string>

#include "commands.hpp"
#include "trialscreen/logic.hpp"
#include "trialscreen/trial.hpp"

namespace trialscreen::cli {

int run_check(const Args& args) {
  std::string trial_path, answers_path;
  ScreenOptions options;
  options.as_of = local_today();
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (i + 1 >= args.size()) return usage_error("check: " + flag + " needs a value (or is not an option)");
    const std::string& value = args[++i];
    if (flag == "--trial") {
      trial_path = value;
    } else if (flag == "--answers") {
      answers_path = value;
    } else if (flag == "--as-of") {
      if (!is_calendar_date(value)) return usage_error("check: --as-of takes YYYY-MM-DD, not \"" + value + "\"");
      options.as_of = value;
    } else if (flag == "--audience") {
      if (value != "patient" && value != "physician") {
        return usage_error("check: --audience is patient or physician, not \"" + value + "\"");
      }
      options.audience = value;
    } else if (flag == "--lang") {
      options.lang = value;
    } else {
      return usage_error("check: unknown option " + flag);
    }
  }
  if (trial_path.empty() || answers_path.empty()) {
    return usage_error("check: usage: trialscreen check --trial TRIAL.json --answers ANSWERS.json [--as-of YYYY-MM-DD] "
                       "[--audience patient|physician] [--lang en|zh-Hans]");
  }

  std::string text, error;
  if (!read_file(trial_path, text, error)) return usage_error(error);
  Diagnostics problems;
  std::optional<Trial> trial = Trial::load(text, problems);
  if (!trial) return usage_error("invalid trial " + trial_path + ": " + first_problem(problems));

  const nlohmann::json& languages = trial->definition()["languages"];
  if (std::find(languages.begin(), languages.end(), nlohmann::json(options.lang)) == languages.end()) {
    return usage_error("check: --lang \"" + options.lang + "\" is not one of the trial's languages " +
                       logic::to_json_text(languages));
  }

  if (!read_file(answers_path, text, error)) return usage_error(error);
  std::optional<nlohmann::json> answers = logic::parse_json(text, problems);
  if (!answers) return usage_error("invalid answers " + answers_path + ": " + first_problem(problems));
  if (!answers->is_object()) return usage_error("invalid answers " + answers_path + ": expected a JSON object keyed by field id");

  std::cout << logic::to_json_text(trial->screen(*answers, options)) << "\n";
  return 0;
}

}  // namespace trialscreen::cli
