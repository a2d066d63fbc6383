// Trial::screen: one person's answers against the compiled definition, giving
// the result of ../shared/contract.md. Parses and compiles nothing.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string_view>
#include <utility>

#include "answers.hpp"
#include "model.hpp"

namespace trialscreen {
namespace {

using nlohmann::json;
using trial::Criterion;
using trial::Question;

enum class Status { Pass, Fail, Unknown, NotApplicable, Deferred };
constexpr std::size_t kStatuses = 5;

// A view, so that a batch writing 34 a row need not measure them; from a
// table, not a switch, whose branch a row's mix of statuses keeps mispredicting.
// Each name starts a block of ScreenSummary::kStatusBlock bytes (see there).
std::string_view status_name(Status s) {
  static constexpr char kBlocks[kStatuses][ScreenSummary::kStatusBlock] = {"pass", "fail", "unknown", "not_applicable",
                                                                          "deferred"};
  static constexpr std::size_t kSizes[kStatuses] = {4, 4, 7, 14, 8};
  const std::size_t at = static_cast<std::size_t>(s);
  return {kBlocks[at], kSizes[at]};
}

// Question numbers (indices into Loaded::questions), sorted: asking order.
using QuestionSet = std::vector<std::size_t>;

// A rule's three-valued answer, plus the unanswered questions it waits on.
// Screening keeps one per use and refills it, so the list is allocated once.
struct Truth {
  enum class Kind { True, False, Unknown, Error } kind = Kind::Unknown;
  QuestionSet waiting_on;
  std::string error;
};

// Question numbers of one criterion line, a run of Screened::waiting.
struct QuestionRun {
  std::size_t first = 0;
  std::size_t count = 0;
};

// A sorted run of question numbers, read in place.
struct QuestionList {
  const std::size_t* first;
  const std::size_t* last;
  const std::size_t* begin() const { return first; }
  const std::size_t* end() const { return last; }
  bool empty() const { return first == last; }
};

// One criterion's line of the result, before it is written out.
struct CriterionLine {
  const Criterion* criterion = nullptr;
  Status status = Status::Unknown;
  QuestionRun waiting;        // written for unknown and deferred
  std::string clears_on;      // "" when none
  const std::string* reason = nullptr;
  const std::string* reason_json = nullptr;  // the same as JSON text, when picked at load
  const std::string* line_json = nullptr;    // the line through its status as JSON text, when made at load

  // The line of `c` afresh, its waiting questions to start at `first_waiting`:
  // every member set again, as a new line has it (a screening reuses the
  // last one's lines rather than construct 34 anew; a member added above
  // belongs here too).
  void start(const Criterion& c, std::size_t first_waiting) {
    criterion = &c;
    status = Status::Unknown;
    waiting = {first_waiting, 0};
    clears_on.clear();
    reason = nullptr;
    reason_json = nullptr;
    line_json = nullptr;
  }
};

// `list` as an empty array, keeping its room when it is one already.
void empty_array(json& list) {
  if (list.is_array()) {
    list.get_ref<json::array_t&>().clear();
  } else {
    list = json::array();
  }
}

// `object` as an empty object, the same way.
void empty_object(json& object) {
  if (object.is_object()) {
    object.get_ref<json::object_t&>().clear();
  } else {
    object = json::object();
  }
}

// The contract's result, kept as plain values until it is written out, as a
// JSON value (Trial::screen) or straight as text (Trial::screen_text), so the
// batch and the WebAssembly API need not build a DOM only to print it.
struct Screened {
  const char* verdict = "incomplete";
  std::vector<CriterionLine> criteria;
  QuestionSet waiting;  // every line's waiting questions, one run after another
  QuestionSet next;
  std::vector<json> derived;  // per Loaded::derived: its value rounded for people, or null
  json answer_errors;
  json warnings;

  QuestionList waiting_of(const CriterionLine& line) const {
    const std::size_t* first = waiting.data() + line.waiting.first;
    return {first, first + line.waiting.count};
  }

  // Empty again, its lists keeping their room for the next screening (the
  // criterion lines are each made afresh by the next one, in place).
  void clear() {
    verdict = "incomplete";
    waiting.clear();
    next.clear();
    derived.clear();
    empty_array(answer_errors);
    empty_array(warnings);
  }

};

}  // namespace

// What one screening works in, kept by ScreenBuffers between screenings.
struct ScreenBuffers::Parts {
  logic::Scratch scratch;  // buffers every evaluation reuses
  logic::Outcome outcome;  // refilled by every evaluation, so its lists are allocated once
  Truth rule_truth, applies_truth, other_truth;
  std::vector<const json*> slot_values;  // per slot of the trial, its member of the data or nullptr
  std::vector<bool> could_change;        // per question: an unknown criterion waits on it
  logic::DerivedValues derived;
  json rule_errors = json::array();
  Screened screened;
  json as_of;                   // the screening date, as rules read it
  json data = json::object();   // the answers object, for rules that read more than their slots
};

// What LineMemo keeps of a line: what screen_criterion works out from the
// answers before it picks the line's words.
struct KeptLine {
  Status status = Status::Unknown;
  QuestionSet waiting;  // for unknown and deferred
  std::string clears_on;
};

struct LineMemo::Parts : logic::KeptByValues<KeptLine> {
  using KeptByValues::KeptByValues;

  // Lines of criteria with Criterion::line_states, from each one's
  // Criterion::line_entries_first on by state number (the patient's after
  // the physician's): 1 + the line's number in by_state_kept, or 0. One
  // table for all, made at the first screening. Bounded by the definition,
  // not the answers, so never dropped when the keyed lines are.
  std::vector<std::uint32_t> by_state;
  std::vector<KeptLine> by_state_kept;
  std::size_t by_state_hits = 0;
  // The screening date the states hold for (Screening::follow_as_of), in
  // month-major days (-1: none valid), and the first date of its window.
  bool states_follow_as_of = false;
  std::int64_t states_as_of = 0;
  std::int64_t date_window_start = 0;
};

LineMemo::LineMemo(std::size_t capacity) : parts_(std::make_unique<Parts>(capacity)) {}
LineMemo::LineMemo(LineMemo&&) noexcept = default;
LineMemo& LineMemo::operator=(LineMemo&&) noexcept = default;
LineMemo::~LineMemo() = default;

std::size_t LineMemo::hits() const { return parts_->hits() + parts_->by_state_hits; }
std::size_t LineMemo::misses() const { return parts_->misses() + parts_->by_state_kept.size(); }
std::size_t LineMemo::size() const { return parts_->size() + parts_->by_state_kept.size(); }
void LineMemo::clear() {
  parts_->clear();
  parts_->by_state.clear();
  parts_->by_state_kept.clear();
  parts_->states_follow_as_of = false;
}

ScreenBuffers::ScreenBuffers() : parts_(std::make_unique<Parts>()) {}
ScreenBuffers::ScreenBuffers(ScreenBuffers&&) noexcept = default;
ScreenBuffers& ScreenBuffers::operator=(ScreenBuffers&&) noexcept = default;
ScreenBuffers::~ScreenBuffers() = default;

namespace {

// A yes/no's state for LineMemo read without a branch on whether it is
// answered: 2 % less time for a list with CSV rows out ("Twenty-fifth
// session"); in the module built for size no gain showed in Chromium
// ("Twenty-seventh session"), so it keeps the branch there.
#ifdef TRIALSCREEN_FOR_SIZE
constexpr bool kYesNoWithoutBranch = false;
#else
constexpr bool kYesNoWithoutBranch = true;
#endif

// How a screening's rules read the answers: by slot, unanswered is unknown.
logic::Bindings screening_bindings(const Trial::Loaded& trial, const std::vector<const json*>& slot_values,
                                   logic::Scratch& scratch) {
  logic::Bindings bindings;
  bindings.missing_is_unknown = true;
  bindings.domains = &trial.domains;
  bindings.slot_values = &slot_values;
  bindings.slot_domains = &trial.slot_domains;
  bindings.waiting_by_slot = true;
  bindings.scratch = &scratch;
  return bindings;
}

class Screening {
 public:
  // Works in `buffers` (what it leaves there is the next screening's to reuse).
  Screening(const Trial::Loaded& trial, const ScreenOptions& options, ScreenBuffers::Parts& buffers,
            logic::OutcomeMemo* memo = nullptr, LineMemo* lines = nullptr)
      : trial_(trial),
        memo_(memo),
        lines_(lines != nullptr ? &lines->parts() : nullptr),
        options_(options),
        patient_(options.audience == "patient"),
        as_of_(is_calendar_date(options.as_of) ? options.as_of : std::string()),
        slot_values_(buffers.slot_values),
        could_change_(buffers.could_change),
        scratch_(buffers.scratch),
        derived_(buffers.derived),
        rule_errors_(buffers.rule_errors),
        outcome_(buffers.outcome),
        rule_truth_(buffers.rule_truth),
        applies_truth_(buffers.applies_truth),
        other_truth_(buffers.other_truth),
        out_(buffers.screened),
        as_of_value_(buffers.as_of),
        data_(buffers.data),
        bindings_(screening_bindings(trial, slot_values_, scratch_)) {}

  // What run() works out: everything, or only what ScreenSummary holds
  // (verdict, statuses, answer errors), for list views that print no more.
  enum class Parts { All, Brief };

  // Screens the answers, normalising them in place (AnswerSet). The result is
  // valid until the buffers' next screening.
  Screened& run(AnswerSet::Parts& answers, Parts parts = Parts::All) {
    Screened& out = out_;
    out.clear();
    empty_array(rule_errors_);
    if (as_of_.empty()) {
      out.answer_errors.push_back({{"field", "as_of"},
                                   {"code", "date"},
                                   {"message", "the screening date " + trial::quoted(options_.as_of) + " is not YYYY-MM-DD"}});
    }
    slot_values_.assign(trial_.slots.size(), nullptr);
    trial::normalise_answers(trial_, answers, as_of_, out.answer_errors, slot_values_);
    if (!as_of_.empty()) {
      as_of_value_ = as_of_;
      slot_values_[trial_.as_of_slot] = &as_of_value_;
    }
    if (lines_ != nullptr && trial_.line_states_follow_as_of) follow_as_of();
    fill_data();
    compute_derived();
    // From here on every rule reads the answers and the derived values just
    // worked out from them: the memo's condition (logic::OutcomeMemo). The
    // derived values' own rules ran without it.
    bindings_.memo = memo_;

    bool any_fail = false;
    bool any_unknown = false;
    // A brief screening needs only the statuses: no line's words, and no
    // questions that could change the verdict (`next` is not worked out).
    brief_ = parts == Parts::Brief;
    std::vector<bool>& could_change = could_change_;
    if (!brief_) could_change.assign(trial_.questions.size(), false);
    out.criteria.resize(trial_.criteria.size());
    for (std::size_t i = 0; i < trial_.criteria.size(); ++i) {
      const CriterionLine& line = screen_criterion(trial_.criteria[i], out.criteria[i], out.waiting);
      // Without branches: the statuses of a list's records follow no pattern.
      any_fail = any_fail | (line.status == Status::Fail);
      const bool unknown = line.status == Status::Unknown;
      any_unknown = any_unknown | unknown;
      if (brief_ || !unknown) continue;
      for (std::size_t question : out.waiting_of(line)) could_change[question] = true;
    }
    out.verdict = any_fail ? "not_eligible" : any_unknown ? "incomplete" : "eligible";
    if (brief_) return out;
    if (!any_fail && any_unknown) out.next = next_questions(could_change);
    derived_values(out.derived);
    add_warnings(out.warnings);
    for (json& w : rule_errors_) out.warnings.push_back(std::move(w));
    return out;
  }

 private:
  // Evaluates `rule` into `truth`. `owner` and `part` name the rule in a
  // rule-error message (built only then).
  Truth& evaluate(const logic::Rule& rule, const std::string& owner, const char* part, Truth& truth) {
    // Read in place: a kept outcome is not copied (only its waiting questions are).
    const logic::Outcome& outcome = rule.evaluate_kept(data_, bindings_, outcome_);
    truth.waiting_on.clear();
    truth.error.clear();
    if (outcome.is_value()) {
      truth.kind = logic::truthy(outcome.value) ? Truth::Kind::True : Truth::Kind::False;
    } else if (outcome.is_unknown()) {
      truth.kind = Truth::Kind::Unknown;
      questions_only(outcome.waiting_slots, outcome.waiting_on, truth.waiting_on);
    } else {
      truth.kind = Truth::Kind::Error;
      truth.error = owner + " " + part + ": " + outcome.error_type + (outcome.error_message.empty() ? "" : ": " + outcome.error_message);
    }
    return truth;
  }

  // Keeps the variables that are questions, in asking order.
  void questions_only(const std::vector<std::size_t>& slots, const std::vector<std::string>& names,
                      QuestionSet& indices) const {
    for (std::size_t slot : slots) {
      const std::size_t question = trial_.question_of_slot[slot];
      if (question != Trial::Loaded::kNoQuestion) indices.push_back(question);
    }
    for (const std::string& name : names) {
      auto it = trial_.question_index.find(name);
      if (it != trial_.question_index.end()) indices.push_back(it->second);
    }
    if (indices.size() < 2) return;  // most rules wait on one question or none
    std::sort(indices.begin(), indices.end());
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
  }

  // Screens one criterion into `line` (the last screening's, started afresh);
  // the questions it waits on go to the end of `waiting` (Screened::waiting).
  const CriterionLine& screen_criterion(const Criterion& c, CriterionLine& line, QuestionSet& waiting) {
    line.start(c, waiting.size());
    bool may_keep = false;
    std::uint32_t* by_state = nullptr;
    if (lines_ != nullptr && c.line_keepable) {
      // The audience is in the key: a deferred line is a patient's only.
      const KeptLine* kept = nullptr;
      if (c.line_states != 0 &&
          (by_state = c.line_derived != Criterion::kNoDerived ? derived_state_entry(c) : state_entry(c)) != nullptr) {
        if (*by_state != 0) {
          kept = &lines_->by_state_kept[*by_state - 1];
          ++lines_->by_state_hits;
        }
      } else {
        kept = lines_->find(&c, patient_ ? 1 : 0, c.line_slots, slot_values_);
        may_keep = kept == nullptr && lines_->may_keep();
      }
      if (kept != nullptr) {
        line.status = kept->status;
        if (brief_) return line;  // the status is all it reads
        waiting.insert(waiting.end(), kept->waiting.begin(), kept->waiting.end());
        line.waiting.count = kept->waiting.size();
        // The line's date is empty, as most kept ones are: no assignment then.
        if (!kept->clears_on.empty()) line.clears_on = kept->clears_on;
        pick_words(c, line);
        return line;
      }
    }
    const bool erred = work_out(c, line, waiting);
    if ((may_keep || by_state != nullptr) && !erred) {
      const auto first = waiting.begin() + static_cast<std::ptrdiff_t>(line.waiting.first);
      KeptLine kept{line.status, QuestionSet(first, waiting.end()), line.clears_on};
      if (by_state != nullptr) {
        lines_->by_state_kept.push_back(std::move(kept));
        *by_state = static_cast<std::uint32_t>(lines_->by_state_kept.size());
      } else {
        lines_->keep(std::move(kept));
      }
    }
    if (!brief_) pick_words(c, line);
    return line;
  }

  // Where LineMemo keeps c's line for the answers' state (c.line_states
  // != 0), or nullptr when an answer is none of its question's values.
  std::uint32_t* state_entry(const Criterion& c) {
    std::size_t state = patient_ ? 1 : 0;
    const double* cut = c.line_cuts.data();  // a number slot's own cuts, in turn
    for (std::size_t k = 0; k < c.line_slot_states.size(); ++k) {
      const std::uint32_t packed = c.line_slot_states[k];
      const std::uint32_t states = Criterion::StateSlot::states(packed);
      const trial::AnswerType type = Criterion::StateSlot::type(packed);
      const bool is_number = trial::is_numeric(type);
      const std::size_t cuts_of_slot = is_number ? (states - 2) / 2 : 0;
      const json* value = slot_values_[c.line_slots[k]];
      std::size_t at = 0;  // unanswered
      if (kYesNoWithoutBranch && type == trial::AnswerType::Boolean) {
        // Whether a yes/no is answered follows no pattern in a list: read
        // without a branch on it, an unanswered one as a stand-in false.
        static const json kUnanswered = false;
        const bool answered = value != nullptr;
        const json& answer = answered ? *value : kUnanswered;
        if (!answer.is_boolean()) return nullptr;
        at = static_cast<std::size_t>(answered) * (1 + static_cast<std::size_t>(answer.get<bool>()));
      } else if (value != nullptr) {
        if (type == trial::AnswerType::Boolean) {  // the module built for size's form of the above
          if (!value->is_boolean()) return nullptr;
          at = value->get<bool>() ? 2 : 1;
        } else if (is_number) {
          if (!value->is_number() || !place_among_cuts(value->get<double>(), cut, cuts_of_slot, at)) return nullptr;
        } else if (trial::is_date(type)) {
          if (!value->is_string() || !date_place(value->get_ref<const std::string&>(), at)) return nullptr;
        } else {
          if (!value->is_string()) return nullptr;
          const std::vector<std::string>& options = trial_.questions[Criterion::StateSlot::question(packed)].options;
          const auto found = std::find(options.begin(), options.end(), value->get_ref<const std::string&>());
          if (found == options.end()) return nullptr;
          at = 1 + static_cast<std::size_t>(found - options.begin());
        }
      }
      state = state * states + at;
      cut += cuts_of_slot;
    }
    return line_entry(c, state);
  }

  // The same for a line kept by its derived value (c.line_derived), or
  // nullptr when that value is no plain number.
  std::uint32_t* derived_state_entry(const Criterion& c) {
    const trial::Derived& d = trial_.derived[c.line_derived];
    const json* value = derived_.value(d.id);
    std::size_t at = 0;
    if (value == nullptr) {
      if (!open_state(c, d, at)) return nullptr;
    } else if (!value->is_number() ||
               !place_among_cuts(value->get<double>(), c.line_cuts.data(), c.line_cuts.size(), at)) {
      return nullptr;
    }
    return line_entry(c, (patient_ ? c.line_states : 0) + at);
  }

  // The state of c's line while d is unknown: past the places among its
  // cuts, by d's unanswered inputs, when d has such states and is an
  // unknown with no bounds (the clearance with its weight missing) that
  // waits on those inputs and on itself alone, and one of them lists no
  // values (so that no rule shrinks its waiting set by trying them). False
  // otherwise (the line is then kept by its answers' values).
  bool open_state(const Criterion& c, const trial::Derived& d, std::size_t& at) const {
#ifndef TRIALSCREEN_FOR_SIZE
    const std::uint32_t places = static_cast<std::uint32_t>(2 + 2 * c.line_cuts.size());
    if (c.line_states == places) return false;
    std::uint32_t unanswered = 0;
    for (std::size_t j = 0; j < d.input_slots.size(); ++j) {
      const json* input = slot_values_[d.input_slots[j]];
      unanswered |= static_cast<std::uint32_t>(input == nullptr || input->is_null()) << j;
    }
    std::size_t waiting = 0;
    if ((unanswered & d.unlisted_inputs) == 0 || !derived_.open_unknown(d.id, waiting) ||
        waiting != static_cast<std::size_t>(__builtin_popcount(unanswered)) + 1) {
      return false;
    }
    at = places + unanswered;
    return true;
#else
    (void)c;
    (void)d;
    (void)at;
    return false;
#endif
  }

  // A number's place among `cuts` (sorted), as the rules' comparisons see it:
  // 1 below the first, 2 at it, 3 between it and the next, and so on; false
  // past 2^53, where two whole numbers may be one double (=== still tells
  // them apart).
  static bool place_among_cuts(double number, const double* cuts, std::size_t count, std::size_t& at) {
    if (!(std::fabs(number) < 9007199254740992.0)) return false;
    at = 1;
    for (std::size_t n = 0; n < count; ++n) {
      if (number <= cuts[n]) {
        at += number == cuts[n];
        break;
      }
      at += 2;
    }
    return true;
  }

  // A date answer's state among Criterion::kDateStates: 1 for "none", else
  // 2 + its place in the window of LineMemo's screening date, counted as
  // 31 days a month (one number per date, no calendar arithmetic); false
  // outside the window or without a screening date. Answers are checked
  // (normalise_answers): any other text of ten bytes is a calendar date.
  bool date_place(const std::string& text, std::size_t& at) const {
    if (text.size() != 10) {
      at = 1;
      return text == "none";
    }
    const std::uint32_t place = static_cast<std::uint32_t>(month_major_day(text) - lines_->date_window_start);
    at = 2 + place;
    return lines_->states_as_of >= 0 && place < Criterion::kDateWindow;
  }

  // YYYY-MM-DD as (year * 12 + month) * 31 + day: one number per date, in
  // the dates' order.
  static std::int64_t month_major_day(const std::string& text) {
    const auto digit = [&](std::size_t at) { return static_cast<std::int64_t>(text[at] - '0'); };
    const std::int64_t year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
    return (year * 12 + digit(5) * 10 + digit(6)) * 31 + digit(8) * 10 + digit(9);
  }

  // LineMemo's states of lines that read the screening date or a date answer
  // (Loaded::line_states_follow_as_of) hold for one screening date: they
  // start afresh when it changes.
  void follow_as_of() {
    // as_of_ is a calendar date or empty: this number tells them apart.
    const std::int64_t as_of = as_of_.empty() ? -1 : month_major_day(as_of_);
    if (lines_->states_follow_as_of && lines_->states_as_of == as_of) return;
    lines_->by_state.clear();
    lines_->by_state_kept.clear();
    lines_->states_follow_as_of = true;
    lines_->states_as_of = as_of;
    // The window: about three years before the screening date, two months after.
    lines_->date_window_start = as_of - (Criterion::kDateWindow - 2 * 31);
  }

  // c's entry in LineMemo for state number `state` (the audience's first).
  std::uint32_t* line_entry(const Criterion& c, std::size_t state) {
    std::vector<std::uint32_t>& entries = lines_->by_state;
    if (entries.size() < trial_.line_entries) entries.assign(trial_.line_entries, 0);  // empty, or another trial's
    return &entries[c.line_entries_first + state];
  }

  // The status, waiting questions and clearing date of `c`'s line from its
  // rules; true when a rule failed (its error goes to the warnings).
  bool work_out(const Criterion& c, CriterionLine& line, QuestionSet& waiting) {
    Status& status = line.status;
    const Truth& rule = evaluate(*c.rule, c.id, "rule", rule_truth_);
    const Status by_rule = rule.kind == Truth::Kind::True    ? (c.inclusion ? Status::Pass : Status::Fail)
                           : rule.kind == Truth::Kind::False ? (c.inclusion ? Status::Fail : Status::Pass)
                                                             : Status::Unknown;
    const Truth* applies = &kApplies;
    if (c.applies_if) applies = &evaluate(*c.applies_if, c.id, "appliesIf", applies_truth_);

    if (applies->kind == Truth::Kind::False) {
      status = Status::NotApplicable;
    } else if (applies->kind == Truth::Kind::True || by_rule == Status::Pass) {
      // Unknown applicability does not matter when the rule passes anyway.
      status = by_rule;
      waiting.insert(waiting.end(), rule.waiting_on.begin(), rule.waiting_on.end());
    } else if (by_rule == Status::Unknown) {
      std::set_union(applies->waiting_on.begin(), applies->waiting_on.end(), rule.waiting_on.begin(),
                     rule.waiting_on.end(), std::back_inserter(waiting));
    } else {
      waiting.insert(waiting.end(), applies->waiting_on.begin(), applies->waiting_on.end());
    }
    line.waiting.count = waiting.size() - line.waiting.first;
    bool erred = false;
    for (const Truth* t : {applies, &rule}) {
      if (t->kind == Truth::Kind::Error) {
        erred = true;
        if (status != Status::NotApplicable) {
          rule_errors_.push_back({{"code", "rule-error"}, {"criteria", {c.id}}, {"message", t->error}});
        }
      }
    }
    const auto first = waiting.begin() + static_cast<std::ptrdiff_t>(line.waiting.first);
    if (status == Status::Unknown && patient_ && line.waiting.count > 0 &&
        std::all_of(first, waiting.end(), [&](std::size_t q) { return trial_.questions[q].site_only; })) {
      status = Status::Deferred;
    }
    if (c.clears_on && (status == Status::Fail || status == Status::Unknown || status == Status::Deferred)) {
      c.clears_on->evaluate(data_, bindings_, outcome_);
      if (outcome_.is_value() && outcome_.value.is_string() &&
          is_calendar_date(outcome_.value.get_ref<const std::string&>())) {
        line.clears_on = std::move(outcome_.value.get_ref<std::string&>());
      }
    }
    if (status != Status::Unknown && status != Status::Deferred) {
      waiting.resize(line.waiting.first);
      line.waiting.count = 0;
    }
    return erred;
  }

  // The line's words for its status, in the screening's audience and language.
  void pick_words(const Criterion& c, CriterionLine& line) const {
    const Status status = line.status;
    const bool fail_text = status == Status::Fail && c.fail_text != nullptr;
    const trial::PickedText& picks = fail_text ? c.fail_picks : c.label_picks;
    if (language_ != kNoLanguage) {
      const std::size_t at = (patient_ ? 0 : 1) * trial_.languages.size() + language_;
      line.reason = picks.picks[at];
      line.reason_json = &picks.picks_json[at];
      if (line.clears_on.empty()) line.line_json = &c.lines_json[at * kStatuses + static_cast<std::size_t>(status)];
    } else {
      line.reason = &text(fail_text ? c.fail_text : c.label);
    }
  }

  // Unanswered, currently asked questions that can still change the verdict.
  QuestionSet next_questions(const std::vector<bool>& could_change) {
    QuestionSet next;
    for (std::size_t i = 0; i < trial_.questions.size(); ++i) {
      const Question& q = trial_.questions[i];
      if (!could_change[i] || answered(q) || (patient_ && q.site_only)) continue;
      if (q.ask_if && evaluate(*q.ask_if, q.id, "askIf", other_truth_).kind != Truth::Kind::True) continue;
      next.push_back(i);
    }
    return next;
  }

  static json rounded(const json& value) {
    if (value.is_number_float()) return trial::round_significant(value.get<double>());
    return value;
  }

  // The document rules are handed. When every rule reads only its slots
  // (the answers in place, as_of), an empty object: nothing reads its
  // members. Otherwise the answers and as_of as an object, a copy of what the
  // slots hold.
  void fill_data() {
    empty_object(data_);
    if (trial_.rules_read_only_slots) return;
    json::object_t& members = data_.get_ref<json::object_t&>();
    for (std::size_t slot = 0; slot < slot_values_.size(); ++slot) {
      if (slot_values_[slot] != nullptr) members.emplace_hint(members.end(), trial_.slots[slot], *slot_values_[slot]);
    }
  }

  // Each derived value once, before any rule reads it: a score read by
  // several criteria and warnings is summed from its items here, not in each
  // rule. Its plain value or its unknown (waiting set and bounds) goes to the
  // rules through the bindings; it stays out of the data (`missing` must
  // still see only what was answered). Each is worked out from the answers
  // alone, as a rule would, not from the others already kept.
  void compute_derived() {
    derived_.clear();
    for (const trial::Derived& d : trial_.derived) {
      const json* answer = slot_values_[d.slot];
      if (d.is_question && answer != nullptr && !answer->is_null()) {
        // Its rule, {"var": id}, reads the answer first: the answer it is.
        derived_.set(d.id, *answer);
      } else if (d.same_when_unanswered && answer == nullptr && !reads_an_answer(d)) {
        derived_.share(d.id, trial_.derived_unanswered);
      } else {
        derived_.record(d.id, *d.value, data_, bindings_);
      }
    }
    bindings_.derived = &derived_;
  }

  bool answered(const Question& q) const { return slot_values_[q.slot] != nullptr; }

  // Some answer a derived value's own rule reads is given.
  bool reads_an_answer(const trial::Derived& d) const {
    return std::any_of(d.input_slots.begin(), d.input_slots.end(),
                       [&](std::size_t slot) { return slot_values_[slot] != nullptr; });
  }

  // Rounded for people; null when not a plain value yet.
  void derived_values(std::vector<json>& out) const {
    out.reserve(trial_.derived.size());
    for (const trial::Derived& d : trial_.derived) {
      const json* known = derived_.value(d.id);
      out.push_back(known == nullptr ? json(nullptr) : rounded(*known));
    }
  }

  void add_warnings(json& warnings) {
    for (const trial::Warning& w : trial_.warnings) {
      const Truth& when = evaluate(*w.when, w.code, "when", other_truth_);
      if (when.kind == Truth::Kind::True) {
        warnings.push_back({{"code", w.code}, {"criteria", w.criteria}, {"message", text(w.message)}});
      } else if (when.kind == Truth::Kind::Error) {
        rule_errors_.push_back({{"code", "rule-error"}, {"criteria", w.criteria}, {"message", when.error}});
      }
    }
    // A directly entered value against the one computed from its items.
    for (const trial::Derived& d : trial_.derived) {
      if (!d.is_question || !d.warn_if_answer_differs || !d.computed || slot_values_[d.slot] == nullptr) continue;
      // "Its answered items": with none of them answered there is nothing to compare.
      if (!reads_an_answer(d)) continue;
      const json& entered = *slot_values_[d.slot];
      d.computed->evaluate(data_, bindings_, outcome_);
      const logic::Outcome& computed = outcome_;
      if (!computed.is_value() || !computed.value.is_number() || !entered.is_number()) continue;
      const double from_items = trial::round_significant(computed.value.get<double>());
      if (from_items == entered.get<double>()) continue;
      warnings.push_back({{"code", "derived-disagrees"},
                          {"criteria", d.read_by},
                          {"message", d.id + " was entered as " + logic::to_json_text(entered) +
                                          " but its answered items give " + logic::to_json_text(rounded(computed.value))}});
    }
  }

  const std::string& text(const json* audience_text) const {
    return trial::pick_text(audience_text, patient_ ? "patient" : "physician", options_.lang, trial_.languages);
  }

  static constexpr std::size_t kNoLanguage = static_cast<std::size_t>(-1);
  static std::size_t language_index(const std::vector<std::string>& languages, const std::string& lang) {
    const auto found = std::find(languages.begin(), languages.end(), lang);
    return found == languages.end() ? kNoLanguage : static_cast<std::size_t>(found - languages.begin());
  }

  const Trial::Loaded& trial_;
  logic::OutcomeMemo* const memo_;
  LineMemo::Parts* const lines_;
  const ScreenOptions& options_;
  const bool patient_;
  const std::size_t language_ = language_index(trial_.languages, options_.lang);
  const std::string as_of_;
  bool brief_ = false;  // run()'s Parts::Brief
  // In the buffers (ScreenBuffers::Parts says what each is).
  std::vector<const json*>& slot_values_;  // rules read answers by number
  std::vector<bool>& could_change_;
  logic::Scratch& scratch_;
  logic::DerivedValues& derived_;
  json& rule_errors_;
  logic::Outcome& outcome_;
  Truth &rule_truth_, &applies_truth_, &other_truth_;
  Screened& out_;
  json& as_of_value_;
  json& data_;
  logic::Bindings bindings_;
  // What a criterion without appliesIf reads: it applies.
  static inline const Truth kApplies{Truth::Kind::True, {}, {}};
};

template <typename Questions>
json question_ids(const Trial::Loaded& trial, const Questions& questions) {
  json ids = json::array();
  for (std::size_t q : questions) ids.push_back(trial.questions[q].id);
  return ids;
}

json trial_identity(const Trial::Loaded& trial) {
  return {{"id", trial.id}, {"version", trial.version}, {"sha256", trial.sha256}};
}

bool lists_waiting(Status status) { return status == Status::Unknown || status == Status::Deferred; }

// A result line's members after its reason, as JSON text: the status and the
// line's closing brace, or the status and the opening of the waiting list
// when the status has one (its ids and "]}" follow).
const std::string& status_members_json(Status status) {
  static const auto texts = [] {
    std::vector<std::string> out(kStatuses);
    for (Status s : {Status::Pass, Status::Fail, Status::Unknown, Status::NotApplicable, Status::Deferred}) {
      out[static_cast<std::size_t>(s)] =
          std::string(",\"status\":\"").append(status_name(s)) + (lists_waiting(s) ? "\",\"waitingOn\":[" : "\"}");
    }
    return out;
  }();
  return texts[static_cast<std::size_t>(status)];
}

// Moves the texts out of `screened`.
json to_json(const Trial::Loaded& trial, Screened& screened) {
  json derived = json::object();
  for (std::size_t i = 0; i < trial.derived.size(); ++i) derived[trial.derived[i].id] = std::move(screened.derived[i]);
  json criteria = json::array();
  for (CriterionLine& line : screened.criteria) {
    // Built key by key in the map's (alphabetical) order: initializer lists copy.
    json entry(json::value_t::object);
    json::object_t& fields = entry.get_ref<json::object_t&>();
    if (!line.clears_on.empty()) fields.emplace_hint(fields.end(), "clearsOn", std::move(line.clears_on));
    fields.emplace_hint(fields.end(), "id", line.criterion->id);
    fields.emplace_hint(fields.end(), "kind", line.criterion->inclusion ? "inclusion" : "exclusion");
    fields.emplace_hint(fields.end(), "reason", *line.reason);
    fields.emplace_hint(fields.end(), "status", status_name(line.status));
    if (lists_waiting(line.status)) {
      fields.emplace_hint(fields.end(), "waitingOn", question_ids(trial, screened.waiting_of(line)));
    }
    criteria.push_back(std::move(entry));
  }
  return {{"verdict", screened.verdict},
          {"criteria", std::move(criteria)},
          {"next", question_ids(trial, screened.next)},
          {"derived", std::move(derived)},
          {"answerErrors", std::move(screened.answer_errors)},
          {"warnings", std::move(screened.warnings)},
          {"trial", trial_identity(trial)},
          {"engine", {{"version", engine_version()}}}};
}

}  // namespace

void trial::prepare_unanswered_derived(Trial::Loaded& trial) {
  const std::vector<const json*> no_answers(trial.slots.size(), nullptr);
  logic::Scratch scratch;
  const logic::Bindings bindings = screening_bindings(trial, no_answers, scratch);
  const json data = json::object();
  for (trial::Derived& d : trial.derived) {
    if (!d.value) continue;
    const std::vector<std::string>& reads = d.value->variables();
    d.same_when_unanswered = d.value->reads_only_variables() && !std::binary_search(reads.begin(), reads.end(), "as_of");
    if (d.same_when_unanswered) trial.derived_unanswered.record(d.id, *d.value, data, bindings);
  }
}

namespace {

// Whether every rule of `c` reads `slot` only to compare it with numbers:
// then those numbers, sorted and unique, in `cuts`.
bool compared_with_numbers(const Criterion& c, std::uint32_t slot, std::vector<double>& cuts) {
  for (const std::optional<logic::Rule>* rule : {&c.rule, &c.applies_if, &c.clears_on}) {
    // More cuts than states allow: no table (a number has 2 + 2 × cuts).
    if (*rule && !(*rule)->compares_slot_with_numbers(slot, cuts, (Criterion::kMaxLineStates - 2) / 2)) return false;
  }
  return true;
}

// Criterion::line_derived and its cuts, when c's rule reads a derived value so.
void key_line_by_derived(const Trial::Loaded& trial, Criterion& c) {
  if (!c.line_keepable || !c.rule || c.applies_if || c.clears_on) return;
  for (std::size_t d = 0; d < trial.derived.size(); ++d) {
    std::vector<double> cuts;
    if (c.rule->compares_derived_with_numbers(static_cast<std::uint32_t>(trial.derived[d].slot), cuts,
                                              (Criterion::kMaxLineStates - 2) / 2)) {
      c.line_derived = d;
      c.line_cuts = std::move(cuts);
      c.line_states = static_cast<std::uint32_t>(2 + 2 * c.line_cuts.size());
#ifndef TRIALSCREEN_FOR_SIZE
      if (trial.derived[d].open_states) c.line_states += std::uint32_t{1} << trial.derived[d].input_slots.size();
#endif
      return;
    }
  }
}

#ifndef TRIALSCREEN_FOR_SIZE
// Derived::open_states and unlisted_inputs.
void find_open_states(Trial::Loaded& trial) {
  constexpr std::size_t kMostOpenInputs = 6;  // 64 states a line
  for (trial::Derived& d : trial.derived) {
    d.unlisted_inputs = 0;
    // Every variable of its rule is such an input (not the screening date).
    d.open_states = d.computed && !d.input_slots.empty() && d.input_slots.size() <= kMostOpenInputs &&
                    d.computed->variables().size() == d.input_slots.size();
    for (std::size_t j = 0; j < d.input_slots.size() && d.open_states; ++j) {
      const std::size_t slot = d.input_slots[j];
      const bool derived_input = std::any_of(trial.derived.begin(), trial.derived.end(),
                                             [&](const trial::Derived& other) { return other.slot == slot; });
      if (derived_input || trial.question_of_slot[slot] == Trial::Loaded::kNoQuestion) d.open_states = false;
      const logic::Domain* domain = trial.slot_domains[slot];
      if (domain == nullptr || !logic::lists_values(*domain)) d.unlisted_inputs |= std::uint32_t{1} << j;
    }
  }
}
#endif

}  // namespace

void trial::prepare_line_keys(Trial::Loaded& trial) {
#ifndef TRIALSCREEN_FOR_SIZE
  find_open_states(trial);
#endif
  trial.line_states_follow_as_of = false;
  for (Criterion& c : trial.criteria) {
    c.line_keepable = true;
    c.line_derived = Criterion::kNoDerived;
    c.line_slots.clear();
    for (const std::optional<logic::Rule>* rule : {&c.rule, &c.applies_if, &c.clears_on}) {
      if (!*rule) continue;
      if (!(*rule)->reads_only_slots()) c.line_keepable = false;
      const std::vector<std::uint32_t>& slots = (*rule)->slots_read();
      c.line_slots.insert(c.line_slots.end(), slots.begin(), slots.end());
    }
    std::sort(c.line_slots.begin(), c.line_slots.end());
    c.line_slots.erase(std::unique(c.line_slots.begin(), c.line_slots.end()), c.line_slots.end());
    c.line_slot_states.clear();
    c.line_cuts.clear();
    c.line_states = 0;
    std::uint32_t states = 1;
    std::uint32_t most_states = Criterion::kMaxLineStates;
    bool follows_as_of = false;
    bool reads_as_of = false;  // the screening date's slot, which has no states
    for (std::uint32_t slot : c.line_slots) {
      const std::size_t q = trial.question_of_slot[slot];
      const Question* question = q == Trial::Loaded::kNoQuestion ? nullptr : &trial.questions[q];
      if (question == nullptr && slot == trial.as_of_slot) {
        reads_as_of = follows_as_of = true;  // one state: the table's screening date
        continue;
      }
      std::size_t count = question == nullptr                        ? 0
                          : question->type == trial::AnswerType::Boolean ? 3
                          : question->type == trial::AnswerType::Choice  ? 1 + question->options.size()
                                                                         : 0;
      std::vector<double> cuts;
      if (count == 0 && question != nullptr && trial::is_numeric(question->type) &&
          compared_with_numbers(c, slot, cuts)) {
        count = 2 + 2 * cuts.size();
        c.line_cuts.insert(c.line_cuts.end(), cuts.begin(), cuts.end());
      }
      if (count == 0 && question != nullptr && trial::is_date(question->type) &&
          most_states == Criterion::kMaxLineStates) {
        count = Criterion::kDateStates;  // one date slot a line: its window times the rest's states
        most_states *= Criterion::kDateStates;
        follows_as_of = true;
      }
      if (count == 0 || count > most_states / states) {
        states = 0;
        break;
      }
      states *= static_cast<std::uint32_t>(count);
      c.line_slot_states.push_back(Criterion::StateSlot::pack(count, question->type, q));
    }
    if (c.line_keepable && !c.line_slot_states.empty() && states != 0) {
      c.line_states = states;
      trial.line_states_follow_as_of = trial.line_states_follow_as_of || follows_as_of;
      if (reads_as_of) {  // its slot goes last, after those with states
        const auto as_of = std::find(c.line_slots.begin(), c.line_slots.end(), trial.as_of_slot);
        std::rotate(as_of, as_of + 1, c.line_slots.end());
      }
    } else {
      c.line_slot_states.clear();
      c.line_cuts.clear();
      key_line_by_derived(trial, c);
    }
  }
  trial.line_entries = 0;
  for (Criterion& c : trial.criteria) {
    c.line_entries_first = static_cast<std::uint32_t>(trial.line_entries);
    trial.line_entries += 2 * std::size_t{c.line_states};
  }
}

void trial::prepare_result_texts(Trial::Loaded& trial) {
  for (Question& q : trial.questions) q.comma_id_json = "," + logic::to_json_text(q.id);
  for (Criterion& c : trial.criteria) {
    c.line_head_json = "{\"id\":" + logic::to_json_text(c.id) + ",\"kind\":" +
                       (c.inclusion ? "\"inclusion\"" : "\"exclusion\"") + ",\"reason\":";
    for (PickedText* picked : {&c.label_picks, &c.fail_picks}) {
      picked->picks_json.clear();
      for (const std::string* words : picked->picks) picked->picks_json.push_back(logic::to_json_text(*words));
    }
    // Each whole line but its waiting ids, by pick and status, after the
    // comma that separates it from the line before: a screening writes a line
    // with one append, not five (a batch writes 34 a record).
    c.lines_json.clear();
    for (std::size_t at = 0; at < c.label_picks.picks_json.size(); ++at) {
      for (std::size_t s = 0; s < kStatuses; ++s) {
        const Status status = static_cast<Status>(s);
        const PickedText& picks = status == Status::Fail && c.fail_text != nullptr ? c.fail_picks : c.label_picks;
        const std::string& status_members = status_members_json(status);
        std::string& line = c.lines_json.emplace_back();
        line.reserve(1 + c.line_head_json.size() + picks.picks_json[at].size() + status_members.size());
        line.append(1, ',').append(c.line_head_json).append(picks.picks_json[at]).append(status_members);
      }
    }
  }
  trial.identity_json = logic::to_json_text(trial_identity(trial));
  // Ordered by a map of the type question_index already is (a sort of its
  // own would add a template's worth of code to the WebAssembly module).
  std::map<std::string, std::size_t, std::less<>> by_id;
  for (std::size_t i = 0; i < trial.derived.size(); ++i) {
    trial.derived[i].key_json = logic::to_json_text(trial.derived[i].id) + ":";
    by_id.emplace(trial.derived[i].id, i);
  }
  trial.derived_in_key_order.clear();
  for (const auto& entry : by_id) trial.derived_in_key_order.push_back(entry.second);
}

namespace {

// Writes what logic::to_json_text(to_json(...)) would, member by member in the
// same (alphabetical) key order, with `extra`'s members merged in.
class ResultWriter {
 public:
  ResultWriter(const Trial::Loaded& trial, const Screened& screened, std::string& out, ResultLayout* layout)
      : trial_(trial), screened_(screened), out_(out), layout_(layout) {}

  void write(const json* extra) {
    // The result's members in key order, the order nlohmann's map prints
    // (as std::strings: a batch row's own members are compared with them).
    static const std::pair<std::string, Member> kMembers[] = {
        {"answerErrors", Member::AnswerErrors}, {"criteria", Member::Criteria}, {"derived", Member::Derived},
        {"engine", Member::Engine},             {"next", Member::Next},         {"trial", Member::Trial},
        {"verdict", Member::Verdict},           {"warnings", Member::Warnings}};
    // Their keys as JSON text ("answerErrors":), written once.
    static const auto kKeys = [] {
      std::vector<std::string> keys;
      for (const auto& member : kMembers) keys.push_back(logic::to_json_text(member.first) + ":");
      return keys;
    }();
    const bool has_extra = extra != nullptr && extra->is_object();
    json::const_iterator more = has_extra ? extra->cbegin() : json::const_iterator();
    const auto more_left = [&] { return has_extra && more != extra->cend(); };
    const auto write_extra = [&] {
      key(more.key());
      logic::append_json_text(out_, more.value());
      ++more;
    };
    out_ += '{';
    for (std::size_t i = 0; i < std::size(kMembers); ++i) {
      const std::string& name = kMembers[i].first;
      while (more_left() && more.key() < name) write_extra();
      if (more_left() && more.key() == name) {
        write_extra();  // the caller's member replaces ours, as assigning it into the object would
        continue;
      }
      if (!first_) out_ += ',';
      first_ = false;
      out_ += kKeys[i];
      write_member(kMembers[i].second);
    }
    while (more_left()) write_extra();
    out_ += '}';
  }

 private:
  enum class Member { AnswerErrors, Criteria, Derived, Engine, Next, Trial, Verdict, Warnings };

  void key(const std::string& name) {
    if (!first_) out_ += ',';
    first_ = false;
    logic::append_json_string(out_, name);
    out_ += ':';
  }

  void write_member(Member member) {
    switch (member) {
      case Member::AnswerErrors: logic::append_json_text(out_, screened_.answer_errors); break;
      case Member::Criteria: write_criteria(); break;
      case Member::Derived: write_derived(); break;
      case Member::Engine: {
        static const std::string kEngine = logic::to_json_text({{"version", engine_version()}});
        out_ += kEngine;
        break;
      }
      case Member::Next: write_ids(screened_.next); break;
      case Member::Trial: out_ += trial_.identity_json; break;
      case Member::Verdict: logic::append_json_string(out_, screened_.verdict); break;
      case Member::Warnings: logic::append_json_text(out_, screened_.warnings); break;
    }
  }

  void write_criteria() {
    out_ += '[';
    bool first = true;
    if (layout_ != nullptr) layout_->criteria.clear();
    for (const CriterionLine& line : screened_.criteria) {
      const std::size_t begin = out_.size() + (first ? 0 : 1);  // after the comma
      if (line.line_json != nullptr) {
        // The text made at load starts with the comma the lines after the first need.
        const std::size_t skip = first ? 1 : 0;
        out_.append(line.line_json->data() + skip, line.line_json->size() - skip);
      } else {
        if (!first) out_ += ',';
        write_line_through_status(line);
      }
      first = false;
      if (lists_waiting(line.status)) {
        write_id_items(screened_.waiting_of(line));
        out_.append("]}", 2);
      }
      if (layout_ != nullptr) layout_->criteria.emplace_back(begin, out_.size());
    }
    out_ += ']';
  }

  // A line that has a date it clears on, or a reason not picked at load.
  void write_line_through_status(const CriterionLine& line) {
    const std::string& head = line.criterion->line_head_json;
    if (line.clears_on.empty()) {
      out_ += head;
    } else {
      out_ += "{\"clearsOn\":";
      logic::append_json_string(out_, line.clears_on);
      out_ += ',';
      out_.append(head, 1, std::string::npos);  // after its '{'
    }
    if (line.reason_json != nullptr) {
      out_ += *line.reason_json;
    } else {
      logic::append_json_string(out_, *line.reason);
    }
    out_ += status_members_json(line.status);
  }

  void write_ids(const QuestionSet& questions) {
    out_ += '[';
    write_id_items(questions);
    out_ += ']';
  }

  // The ids of `questions` separated by commas, without the brackets.
  template <typename Questions>
  void write_id_items(const Questions& questions) {
    std::size_t skip = 1;  // the first id's comma
    for (std::size_t question : questions) {
      // As pointer and size: append(text, skip, npos) checks its range on
      // every id of every waiting list.
      const std::string& id = trial_.questions[question].comma_id_json;
      out_.append(id.data() + skip, id.size() - skip);
      skip = 0;
    }
  }

  void write_derived() {
    out_ += '{';
    bool first = true;
    for (std::size_t i : trial_.derived_in_key_order) {
      if (!first) out_ += ',';
      first = false;
      out_ += trial_.derived[i].key_json;
      logic::append_json_text(out_, screened_.derived[i]);
    }
    out_ += '}';
  }

  const Trial::Loaded& trial_;
  const Screened& screened_;
  std::string& out_;
  ResultLayout* layout_;
  bool first_ = true;
};

}  // namespace

nlohmann::json Trial::screen(const nlohmann::json& answers, const ScreenOptions& options) const {
  AnswerSet set(*this);
  set.take(json(answers));
  ScreenBuffers buffers;
  return to_json(*loaded_, Screening(*loaded_, options, buffers.parts()).run(set.parts()));
}

ScreenSummary Trial::screen_summary(const nlohmann::json& answers, const ScreenOptions& options) const {
  return screen_summary(json(answers), options);
}

ScreenSummary Trial::screen_summary(nlohmann::json&& answers, const ScreenOptions& options,
                                    const ScreenReuse& reuse) const {
  AnswerSet set(*this);
  set.take(std::move(answers));
  return screen_summary(set, options, reuse);
}

ScreenSummary Trial::screen_summary(AnswerSet& answers, const ScreenOptions& options, const ScreenReuse& reuse) const {
  ScreenSummary summary;
  screen_summary(answers, options, reuse, summary);
  return summary;
}

void Trial::screen_summary(AnswerSet& answers, const ScreenOptions& options, const ScreenReuse& reuse,
                           ScreenSummary& summary) const {
  std::optional<ScreenBuffers> own;
  ScreenBuffers& buffers = reuse.buffers != nullptr ? *reuse.buffers : own.emplace();
  Screened& screened = Screening(*loaded_, options, buffers.parts(), reuse.memo, reuse.lines).run(answers.parts(), Screening::Parts::Brief);
  summary.verdict = screened.verdict;
  summary.statuses.resize(screened.criteria.size());
  for (std::size_t i = 0; i < screened.criteria.size(); ++i) summary.statuses[i] = status_name(screened.criteria[i].status);
  // Swapped, not moved: the screening's list gets the summary's last one, to
  // empty and refill next time, and neither is allocated afresh.
  summary.answer_errors.swap(screened.answer_errors);
}

void Trial::screen_text(const nlohmann::json& answers, const ScreenOptions& options, std::string& out,
                        const nlohmann::json* extra) const {
  screen_text(json(answers), options, out, extra);
}

void Trial::screen_text(nlohmann::json&& answers, const ScreenOptions& options, std::string& out,
                        const nlohmann::json* extra, const ScreenReuse& reuse) const {
  AnswerSet set(*this);
  set.take(std::move(answers));
  screen_text(set, options, out, extra, reuse);
}

void Trial::screen_text(AnswerSet& answers, const ScreenOptions& options, std::string& out, const nlohmann::json* extra,
                        const ScreenReuse& reuse, ResultLayout* layout) const {
  std::optional<ScreenBuffers> own;
  ScreenBuffers& buffers = reuse.buffers != nullptr ? *reuse.buffers : own.emplace();
  const Screened& screened = Screening(*loaded_, options, buffers.parts(), reuse.memo, reuse.lines).run(answers.parts());
  ResultWriter(*loaded_, screened, out, layout).write(extra);
}

}  // namespace trialscreen
