// `trialscreen batch`: screens a referral list (JSON Lines or CSV on stdin),
// one result per record on stdout, progress on stderr. Streams in constant
// memory; a record that cannot be read becomes an error row and the run goes
// on. Exit 0 when it ran, 2 for bad usage, an invalid trial or an unreadable
// CSV header. See ../shared/contract.md and docs/performance.md.
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

#include "../src/batch/stream.hpp"
#include "commands.hpp"
#include "trialscreen/logic.hpp"
#include "trialscreen/trial.hpp"

namespace trialscreen::cli {
namespace {

const char* const kBatchUsage =
    "batch: usage: trialscreen batch --trial TRIAL.json [--as-of YYYY-MM-DD] [--audience patient|physician] "
    "[--lang en|zh-Hans] [--format jsonl|csv] [--output jsonl|csv] [--progress N] [--quiet] < IN > OUT";

std::optional<batch::Format> format_named(const std::string& name) {
  if (name == "jsonl") return batch::Format::JsonLines;
  if (name == "csv") return batch::Format::Csv;
  return std::nullopt;
}

bool trial_has_language(const Trial& trial, const std::string& lang) {
  for (const nlohmann::json& language : trial.definition()["languages"]) {
    if (language.is_string() && language.get_ref<const std::string&>() == lang) return true;
  }
  return false;
}

}  // namespace

int run_batch(const Args& args) {
  std::string trial_path;
  batch::StreamOptions options;
  options.screen.as_of = local_today();
  bool quiet = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--quiet") {
      quiet = true;
      continue;
    }
    if (i + 1 >= args.size()) return usage_error("batch: " + flag + " needs a value (or is not an option)");
    const std::string& value = args[++i];
    if (flag == "--trial") {
      trial_path = value;
    } else if (flag == "--as-of") {
      if (!is_calendar_date(value)) return usage_error("batch: --as-of takes YYYY-MM-DD, not \"" + value + "\"");
      options.screen.as_of = value;
    } else if (flag == "--audience") {
      if (value != "patient" && value != "physician") {
        return usage_error("batch: --audience is patient or physician, not \"" + value + "\"");
      }
      options.screen.audience = value;
    } else if (flag == "--lang") {
      options.screen.lang = value;
    } else if (flag == "--format" || flag == "--output") {
      const std::optional<batch::Format> format = format_named(value);
      if (!format) return usage_error("batch: " + flag + " is jsonl or csv, not \"" + value + "\"");
      (flag == "--format" ? options.input : options.output) = *format;
    } else if (flag == "--progress") {
      if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos || value.size() > 12) {
        return usage_error("batch: --progress takes a number of records, not \"" + value + "\"");
      }
      options.progress_every = std::stoull(value);
    } else {
      return usage_error("batch: unknown option " + flag);
    }
  }
  if (trial_path.empty()) return usage_error(kBatchUsage);

  std::string text, error;
  if (!read_file(trial_path, text, error)) return usage_error(error);
  Diagnostics problems;
  std::optional<Trial> trial = Trial::load(text, problems);
  if (!trial) {
    return usage_error("invalid trial " + trial_path + ": " + first_problem(problems));
  }
  if (!trial_has_language(*trial, options.screen.lang)) {
    return usage_error("batch: --lang \"" + options.screen.lang + "\" is not one of the trial's languages " +
                       logic::to_json_text(trial->definition()["languages"]));
  }

  // The stream hands its rows over some 56 KiB at a time: written as they
  // come, not copied into a stdio buffer first. Nothing else is held beyond
  // one record.
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  const batch::ReadBytes read = [](char* buffer, std::size_t capacity) {
    return std::fread(buffer, 1, capacity, stdin);
  };
  const batch::WriteBytes write = [](const char* bytes, std::size_t size) { std::fwrite(bytes, 1, size, stdout); };
  const auto started = std::chrono::steady_clock::now();
  const batch::Progress progress = [&](const batch::Summary& so_far, bool done) {
    if (quiet) return;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::fprintf(stderr, "trialscreen batch: %s%zu records (%zu error rows) in %.1f s, %.0f records/s\n",
                 done ? "done, " : "", so_far.records, so_far.errors, seconds,
                 seconds > 0 ? static_cast<double>(so_far.records) / seconds : 0.0);
  };

  batch::Summary summary;
  std::string fatal;
  if (!batch::screen_stream(*trial, options, read, write, progress, summary, fatal)) {
    return usage_error("batch: " + fatal);
  }
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) return usage_error("batch: cannot write the results");
  return 0;
}

}  // namespace trialscreen::cli
