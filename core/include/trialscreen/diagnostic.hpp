// A problem found in a rule, a trial definition or an answer.
// Every diagnostic has a stable id (listed in docs/errors.md) and a JSON pointer
// into the document it came from, so a person can find the spot.
#pragma once

#include <string>
#include <vector>

namespace trialscreen {

struct Diagnostic {
  std::string id;       // stable, e.g. "rule.104" or "trial.schema.201"
  std::string pointer;  // RFC 6901 JSON pointer, "" for the whole document
  std::string message;  // English, one line, no trailing period

  // "[trial.rule.104] (/criteria/5/rule) unknown operator \"=>\""
  std::string format() const;
};

using Diagnostics = std::vector<Diagnostic>;

// Escapes one reference token for a JSON pointer ("~" -> "~0", "/" -> "~1").
std::string pointer_token(const std::string& token);

}  // namespace trialscreen
