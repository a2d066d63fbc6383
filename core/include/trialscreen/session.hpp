// JSON-text façade over the core for callers in other languages (the
// WebAssembly bindings, any FFI): JSON strings in, JSON strings out, failures
// as values. Keeping this in the core leaves the bindings with nothing to do
// but bind, and lets native tests cover exactly what JavaScript sees.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trialscreen/logic.hpp"
#include "trialscreen/trial.hpp"

namespace trialscreen {

// The error object every failing call returns:
// {"error": {"code": "trial.rule.104", "path": "/criteria/5/rule",
//            "message": "...", "errors": [{"code", "path", "message"}, ...]}}
std::string error_json(const Diagnostics& errors);

class TrialSession {
 public:
  explicit TrialSession(const std::string& trial_text);

  bool ok() const { return trial_.has_value(); }
  // error_json() of the load failure; "" when ok().
  const std::string& load_error() const { return load_error_; }
  // The definition as loaded (for the UI's texts); "null" when !ok().
  std::string definition() const;
  // The same text, kept in the session until its next call to this or to
  // screen_numbered() (a binding hands out a view of its bytes).
  const std::string& definition_kept();
  // Screens one person. options: {"asOf": "YYYY-MM-DD", "audience", "lang"}.
  // Returns the contract's result, or an error object for unparsable input.
  // Keeps rule outcomes between calls (logic::OutcomeMemo), so screening a
  // form again after one answer changed re-evaluates only the rules that
  // read it; the result is the same. One call at a time.
  std::string screen(const std::string& answers_json, const std::string& options_json) const;
  // screen()'s result for a caller that keeps the criterion objects it was
  // handed, as text kept in the session until its next call to this or to
  // definition_kept() (a binding hands out a view of its bytes):
  //   RESULT                       an error object alone, or else
  //   RESULT\nFIRST\nOBJECT\n...   with criterion objects it has not handed out before
  // RESULT is screen()'s text with a number in place of each criterion
  // object. The session numbers the distinct objects it hands out 0, 1, 2...;
  // each OBJECT line is one, numbered FIRST, FIRST + 1, ... (JSON text holds
  // no line break). FIRST = 0 starts the numbering over: after forget(), or
  // when the session has kept kMaxNumberedCriteria of them. A caller that
  // keeps what each number stood for reads a screening without parsing
  // again the criteria it has already seen (the WebAssembly wrapper).
  const std::string& screen_numbered(const std::string& answers_json, const std::string& options_json);
  static constexpr std::size_t kMaxNumberedCriteria = 1024;
  // Lint problems: [{"code", "path", "message"}, ...].
  std::string lint() const;
  // Forgets what earlier screenings left behind: the kept rule outcomes
  // (keyed by the answers they were worked out from), the working memory
  // the last screening left its lines and values in, the numbered criterion
  // objects and the last result text. The widget calls it when a person
  // starts over.
  void forget();
  // How many rule outcomes the session keeps (none after forget()).
  std::size_t kept_outcomes() const { return outcomes_.size(); }

 private:
  // screen()'s text into `result` (which starts empty); where its criteria
  // lie into `layout` when given (left empty for an error object).
  void screen_into(const std::string& answers_json, const std::string& options_json, std::string& result,
                   ResultLayout* layout = nullptr) const;
  // The criterion objects screen_numbered() has handed out, by number, and
  // an open-addressing table of their numbers (+ 1; 0 is free) by text hash.
  struct NumberedCriteria {
    std::vector<std::string> texts;
    std::vector<std::uint32_t> by_hash;
    std::vector<std::size_t> last_at;  // the number at each place of the last result
    std::string numbers;               // where a result's numbers are written
    static constexpr std::size_t kNoNumber = ~std::size_t{0};
    void clear();
    // The number of `text`, given it now when it has none.
    std::size_t number(std::string_view text);
  };

  std::optional<Trial> trial_;
  std::string load_error_;
  // The outcomes of trial_'s rules: a cache, which screen() fills without
  // changing any result.
  mutable logic::OutcomeMemo outcomes_;
  mutable LineMemo lines_;  // criterion lines, the same way
  // The working memory of screen(), and the places its answers are read
  // into (emptied after each call), reused from call to call.
  mutable ScreenBuffers buffers_;
  mutable std::optional<AnswerSet> answers_;  // when ok()
  // The last options that were a JSON object, and their text ("" before any).
  mutable ScreenOptions options_;
  mutable std::string options_text_;
  NumberedCriteria numbered_;
  std::string screened_;     // screen_numbered()'s result before numbering
  ResultLayout layout_;      // where its criteria lie
  std::string kept_result_;  // screen_numbered()'s or definition_kept()'s text
};

class LogicSession {
 public:
  explicit LogicSession(const std::string& rule_text);

  bool ok() const { return rule_.has_value(); }
  const std::string& compile_error() const { return compile_error_; }
  // Plain JsonLogic: {"result": VALUE} or
  // {"error": {"type": "...", "message": "...", "code": "rule.NNN"?, "path": "..."?}}.
  std::string apply(const std::string& data_json) const;
  // The top-level names of the data the rule reads, as JSON text: ["a","b"]
  // when it reads the data only through them, so that a host may write just
  // those into apply()'s data; null when it may read more (`missing`, a
  // computed path, the whole document, a rule that did not compile).
  const std::string& data_names() const { return data_names_; }

 private:
  std::optional<logic::Rule> rule_;
  std::string compile_error_;
  std::string data_names_ = "null";
};

// Several plain JsonLogic rules over one data document at a time
// (logic::RuleSet), JSON text in and out, for the JavaScript wrapper's
// compileRuleSet(): one crossing per document, not one per rule.
class RuleSetSession {
 public:
  // `rules_text`: a JSON array of rules.
  explicit RuleSetSession(const std::string& rules_text);

  bool ok() const { return rules_.has_value(); }
  // As LogicSession's; pointers start with the rule's index ("/3/if").
  const std::string& compile_error() const { return compile_error_; }
  // {"results": [each rule's value, null for a rule that failed], "errors":
  // {"index": the error as LogicSession::apply replies it}} ("errors" only
  // when a rule failed), or {"error": ...} when the data is no JSON. Valid
  // until the next call.
  const std::string& apply(const std::string& data_json);
  // As LogicSession's, for all of the rules.
  const std::string& data_names() const { return data_names_; }

 private:
  std::optional<logic::RuleSet> rules_;
  std::vector<logic::Outcome> outcomes_;  // kept between documents
  std::string reply_;
  std::string compile_error_;
  std::string data_names_ = "null";
};

}  // namespace trialscreen
