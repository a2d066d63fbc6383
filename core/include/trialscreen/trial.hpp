// A trial definition, loaded and checked once, and the screening of one
// person's answers against it (the result of ../shared/contract.md).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "trialscreen/diagnostic.hpp"

namespace trialscreen {

namespace logic {
class OutcomeMemo;
}
namespace trial {
struct Question;
struct UnitConversion;
}

// Engine version reported in every result.
const char* engine_version();

// True for "YYYY-MM-DD" naming a real calendar day (2026-02-30 is not).
bool is_calendar_date(const std::string& text);

struct ScreenOptions {
  std::string as_of;                  // "YYYY-MM-DD"; the CLI defaults it to today
  std::string audience = "physician"; // "patient" | "physician"
  std::string lang = "en";            // one of the trial's languages
};

// A screening in brief, for list views such as the batch's CSV rows: the
// same verdict and statuses as Trial::screen gives, without the texts.
struct ScreenSummary {
  std::string_view verdict = "incomplete";  // "eligible" | "not_eligible" | "incomplete"
  std::vector<std::string_view> statuses;    // per criterion, in the definition's order:
                                             // "pass", "fail", "unknown", "not_applicable", "deferred"
  nlohmann::json answer_errors;              // the result's answerErrors
  // Each status's characters start a block of kStatusBlock bytes that lives
  // as long as the program, so a writer of many rows may copy whole blocks
  // (one move, no call) and keep only the view's size of them.
  static constexpr std::size_t kStatusBlock = 16;
};

// The working memory of a screening (its lists of lines, waiting questions,
// outcomes and evaluation buffers), kept by a caller that screens many answer
// sets (a batch's records, a form after each answer) so that each screening
// reuses it instead of allocating it afresh. Holds nothing a result depends
// on. Serves one screening at a time, of any trial.
class ScreenBuffers {
 public:
  ScreenBuffers();
  ScreenBuffers(ScreenBuffers&&) noexcept;
  ScreenBuffers& operator=(ScreenBuffers&&) noexcept;
  ~ScreenBuffers();

  // The buffers; defined inside the core only.
  struct Parts;
  Parts& parts() { return *parts_; }

 private:
  std::unique_ptr<Parts> parts_;
};

class Trial;

// One person's answers to one trial, each put in its place by question id as
// a caller reads them (a batch's JSON Lines or CSV record, the session's
// argument): the screening reads them there, so no JSON object of them is
// ever built. Reused from one person to the next (clear()); it holds their
// answers until then.
class AnswerSet {
 public:
  explicit AnswerSet(const Trial& trial);
  AnswerSet(AnswerSet&&) noexcept;
  AnswerSet& operator=(AnswerSet&&) noexcept;
  ~AnswerSet();

  // No answers again.
  void clear();
  // No answers again, but each place keeps its value until given anew, so
  // that the next answer put there may reuse its room (a date's or a
  // choice's text): for a caller that places answers record after record and
  // holds them all anyway (the batch). A value so kept is never read.
  void clear_for_reuse();
  // The place of `field`'s answer, null until given (or, after
  // clear_for_reuse(), an earlier answer): assign or parse the answer there,
  // over what it holds (null stays unanswered). A field no question has gets a
  // place whose value is dropped, and the screening reports the field as
  // unknown. The same field again gets the same place: the last answer
  // counts, as in a JSON object.
  nlohmann::json& place(std::string_view field);
  // A field's place looked up once, for a caller that places the same fields
  // record after record (the batch's CSV columns): place(place_of(field)) is
  // place(field). It refers to `field`, which must outlive it. A Place not
  // from place_of() is no field's: what is put there is dropped.
  class Place {
   public:
    Place() = default;

   private:
    friend class AnswerSet;
    Place(std::size_t slot, const std::string* field, const trial::Question* question)
        : slot_(slot), field_(field), question_(question) {}
    std::size_t slot_ = static_cast<std::size_t>(-1);  // trial::kNoSlot
    const std::string* field_ = nullptr;
    // The slot's question (nullptr: none), looked up once: placing a CSV
    // cell then reads no table to find its type.
    const trial::Question* question_ = nullptr;
    // A unit most numbers placed here come in (a CSV column's), and its
    // conversion, looked up once; nullptr for none.
    const std::string* unit_ = nullptr;
    const trial::UnitConversion* conversion_ = nullptr;
  };
  Place place_of(const std::string& field) const;
  // The same for numbers mostly given in `unit` (a CSV header's), which
  // must outlive it too: place_in_unit() with a view of that very string
  // then converts without looking the unit up.
  Place place_of(const std::string& field, const std::string& unit) const;
  nlohmann::json& place(const Place& place);
  // Puts `value`, given in `unit`, at `place` in its question's canonical
  // unit, converted as the screening converts {"value": value, "unit": unit};
  // false, with nothing placed, when the place is no question's or its
  // question does not take the unit (then place that object, for the
  // screening to report). For a caller reading numbers and units itself
  // (the batch's CSV cells): no object is made and dropped per answer.
  bool place_in_unit(const Place& place, double value, std::string_view unit);
  // The same for `field` (the batch's JSON Lines members): false for a field
  // no question has, which place(field) reports.
  bool place_in_unit(std::string_view field, double value, std::string_view unit);
  // Puts a number in its question's canonical unit, or a yes/no, at `place`,
  // checked now as the screening checks answers, so that it is not checked
  // again; false, with nothing placed, when the place is no such question's
  // or the number is not a valid answer to it (then place it as JSON, for
  // the screening to report). For a caller that reads cells itself (the
  // batch's CSV).
  bool place_number(const Place& place, double value);
  bool place_boolean(const Place& place, bool value);
  // The same for `field` (the batch's JSON Lines members).
  bool place_number(std::string_view field, double value);
  bool place_boolean(std::string_view field, bool value);
  // Takes the members of a JSON object; null gives no answers, anything else
  // none and the error "answers must be an object".
  void take(nlohmann::json&& answers);

  // What it holds; defined inside the core only.
  struct Parts;
  Parts& parts() { return *parts_; }

 private:
  // `field`'s place, its question looked up (`kept`: the field to keep, or nullptr).
  Place place_at(std::string_view field, const std::string* kept) const;
  // place_number for that question, looked up once.
  bool place_number(const Place& place, const trial::Question& q, double value);

  std::unique_ptr<Parts> parts_;
};

// Criterion lines (status, waiting questions, clearing date) kept under the
// values of the answers they were worked out from, as logic::OutcomeMemo
// keeps rule outcomes: a line whose rules all read only their slots. At most
// `capacity` lines are kept so, all dropped when full. A line whose answers
// have few states (yes/no and choice answers; natively also numbers by their
// place among the numbers its rules compare them with, and one date by its
// day near the screening date) is kept by their state number instead, in
// one table per trial: bounded by the definition, so never dropped (the
// states of lines that read dates start afresh when the screening date
// changes). A memo serves one trial only.
class LineMemo {
 public:
  explicit LineMemo(std::size_t capacity = 4096);
  LineMemo(LineMemo&&) noexcept;
  LineMemo& operator=(LineMemo&&) noexcept;
  ~LineMemo();

  // Lines answered from the memo, and lines it kept afresh.
  std::size_t hits() const;
  std::size_t misses() const;
  std::size_t size() const;
  void clear();

  // What it holds; defined inside the core only.
  struct Parts;
  Parts& parts() { return *parts_; }

 private:
  std::unique_ptr<Parts> parts_;
};

// What a caller screening many answer sets may keep between screenings; each
// is optional and none changes a result, only what a screening costs.
struct ScreenReuse {
  // Rule outcomes are kept here and reused for the next answers
  // (logic::OutcomeMemo). A memo serves one trial only.
  logic::OutcomeMemo* memo = nullptr;
  // The screening works in these.
  ScreenBuffers* buffers = nullptr;
  // Criterion lines are kept here (LineMemo); one trial only, too.
  LineMemo* lines = nullptr;
};

// Where screen_text() wrote each criterion's object: [begin, end) offsets
// into its `out`, in the result's order. For a caller that hands criteria on
// one by one (TrialSession::screen_numbered).
struct ResultLayout {
  std::vector<std::pair<std::size_t, std::size_t>> criteria;
};

class Trial {
 public:
  // Loads and checks a definition. `text` is the file's bytes (so the result
  // can carry their sha256). On failure returns nullopt and appends
  // diagnostics with ids "trial.*" and JSON pointers into the file.
  static std::optional<Trial> load(const std::string& text, Diagnostics& errors);

  // Coverage and style problems of a definition that loads (lint warnings):
  // a criterion without a source line, a question nothing uses, a text
  // missing a language.
  Diagnostics lint() const;

  // Screens one person. `answers` is a JSON object keyed by question id.
  // Never fails: bad answers are reported inside the result.
  nlohmann::json screen(const nlohmann::json& answers, const ScreenOptions& options) const;
  // The same result as JSON text, appended to `out`: exactly
  // logic::to_json_text(screen(answers, options)), with the members of `extra`
  // (an object, or nullptr) added as a batch row adds "record" and "id", but
  // written without building the result as a JSON value first.
  void screen_text(const nlohmann::json& answers, const ScreenOptions& options, std::string& out,
                   const nlohmann::json* extra = nullptr) const;
  // The verdict, statuses and answer errors of screen(answers, options) only.
  ScreenSummary screen_summary(const nlohmann::json& answers, const ScreenOptions& options) const;
  // The same two, taking the answers over (a caller done with its parsed
  // answers saves copying them: the screening works on them in place), with
  // what the caller keeps between screenings (ScreenReuse): the result is the
  // same, only quicker.
  void screen_text(nlohmann::json&& answers, const ScreenOptions& options, std::string& out,
                   const nlohmann::json* extra = nullptr, const ScreenReuse& reuse = {}) const;
  ScreenSummary screen_summary(nlohmann::json&& answers, const ScreenOptions& options,
                               const ScreenReuse& reuse = {}) const;
  // The same two from answers put in place (AnswerSet, made for this trial).
  // The screening works on them in place (each is left in its canonical
  // unit, a bad one removed): clear() the set before the next person's.
  void screen_text(AnswerSet& answers, const ScreenOptions& options, std::string& out,
                   const nlohmann::json* extra = nullptr, const ScreenReuse& reuse = {},
                   ResultLayout* layout = nullptr) const;
  ScreenSummary screen_summary(AnswerSet& answers, const ScreenOptions& options, const ScreenReuse& reuse = {}) const;
  // The same into `summary`, over what it held: its lists keep their room,
  // for a caller that writes a summary a record (the batch's CSV rows).
  void screen_summary(AnswerSet& answers, const ScreenOptions& options, const ScreenReuse& reuse,
                      ScreenSummary& summary) const;

  const nlohmann::json& definition() const;
  const std::string& sha256() const;

  Trial(Trial&&) noexcept;
  Trial& operator=(Trial&&) noexcept;
  ~Trial();

  // The compiled definition; opaque outside the core (core/src/trial/model.hpp).
  struct Loaded;

 private:
  friend class AnswerSet;  // numbers its places by the definition's slots
  explicit Trial(std::unique_ptr<Loaded> loaded);
  std::unique_ptr<Loaded> loaded_;
};

}  // namespace trialscreen
