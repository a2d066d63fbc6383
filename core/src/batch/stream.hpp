// Screening a referral list: records in (JSON Lines or CSV), one result per
// record out (JSON Lines or CSV), in constant memory. The batch command wires
// this to stdin/stdout; tests drive it with strings.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "records.hpp"
#include "trialscreen/trial.hpp"

namespace trialscreen::batch {

enum class Format { Auto, JsonLines, Csv };

struct StreamOptions {
  ScreenOptions screen;
  Format input = Format::Auto;          // Auto: '{' as the first non-space byte means JSON Lines
  Format output = Format::JsonLines;
  std::size_t progress_every = 100000;  // records between progress calls (0: only at the end)
};

struct Summary {
  std::size_t records = 0;  // records read (error rows included)
  std::size_t errors = 0;   // error rows
};

using WriteBytes = std::function<void(const char* bytes, std::size_t size)>;
using Progress = std::function<void(const Summary& so_far, bool done)>;

// Screens every record of `read` and writes one row per record to `write`:
//   JSON Lines: the contract's result object plus "record" (1-based) and the
//     input's "id" when it has one; a record that cannot be read becomes
//     {"record": n, "id"?: ..., "error": {"code": "...", "message": "..."}}.
//   CSV: a header "record,id,verdict,<criterion ids...>,answer_errors,error",
//     then per record its verdict and each criterion's status ("error" and
//     the error column for a record that cannot be read).
// Returns false with `fatal` set when the input as a whole cannot be read (a
// CSV header naming no question, a unit its question does not accept);
// nothing but the CSV output header has been written then.
bool screen_stream(const Trial& trial, const StreamOptions& options, const ReadBytes& read,
                   const WriteBytes& write, const Progress& progress, Summary& summary, std::string& fatal);

}  // namespace trialscreen::batch
