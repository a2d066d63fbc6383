// The JsonLogic engine: compile a rule once, evaluate it many times.
//
// Two error channels, as in CEL: a broken rule is a compile Diagnostic; a rule
// that cannot be decided yet evaluates to an Outcome of kind Unknown that names
// the variables it waits on. Nothing here throws: every failure is a value,
// because the WebAssembly build has C++ exceptions switched off.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "trialscreen/diagnostic.hpp"

namespace trialscreen::logic {

// Limits that keep hostile rules from exhausting the stack or memory.
struct Limits {
  std::size_t max_depth = 256;       // nesting of operators/arrays/objects in a rule
  std::size_t max_nodes = 200000;    // compiled nodes in one rule
  // Assignments tried when shrinking an unknown's waiting set (see
  // docs/logic.md); 0 switches that off.
  std::size_t max_enumeration = 256;
};

struct CompileOptions {
  Limits limits;
  // Derived variables: `{"var": name}` evaluates to data[name] when that is
  // answered (present and not null), otherwise to this expression. Lets a
  // directly entered total win over a score computed from its items, with the
  // items' bounds still deciding thresholds when the total is unanswered.
  // Cycles are a compile error.
  std::map<std::string, nlohmann::json> derived;
  // Top-level names the host numbers once (sorted, unique), e.g. a trial's
  // questions: a rule compiled with them reads those variables through
  // Bindings::slot_values, by number, instead of looking each name up in the
  // data at every read. Only the pointer is kept while compiling.
  const std::vector<std::string>* slots = nullptr;
};

// What an unanswered variable may still turn out to be.
struct Domain {
  enum class Kind { Any, Boolean, Range, Choice };
  Kind kind = Kind::Any;
  double min = 0;                         // Range: inclusive bounds
  double max = 0;
  bool integer = false;                   // Range: integers only
  std::vector<nlohmann::json> choices;    // Choice: the possible values
};

// Whether an unknown with this domain is one of a list of values (yes/no,
// choices, a narrow range of whole numbers), which the engine tries in turn.
bool lists_values(const Domain& domain);

class DerivedValues;
class OutcomeMemo;

// Working buffers of an evaluation, kept between evaluations so that a host
// evaluating many rules over one document (a screening evaluates about
// forty) does not allocate them afresh for each. Optional (Bindings::scratch);
// serves one evaluation at a time.
class Scratch {
 public:
  Scratch();
  Scratch(Scratch&&) noexcept;
  Scratch& operator=(Scratch&&) noexcept;
  ~Scratch();

  // The buffers; defined inside the engine only.
  struct Buffers;
  Buffers& buffers() { return *buffers_; }

 private:
  std::unique_ptr<Buffers> buffers_;
};

// How to read variables during evaluation.
struct Bindings {
  // Plain JsonLogic (false): a missing variable is null, as in every engine.
  // Screening (true): a missing or null top-level variable is unknown.
  bool missing_is_unknown = false;
  // Domains of top-level variables that may be unknown; none means Kind::Any.
  const std::map<std::string, Domain>* domains = nullptr;
  // Derived variables already worked out for this data. An unanswered
  // derived variable found here is read from it instead of evaluating its
  // expression again; `missing` still looks only at the data.
  const DerivedValues* derived = nullptr;
  // For rules compiled with CompileOptions::slots: per slot, the data's
  // top-level member of that name, or nullptr when it has none. Must describe
  // `data` exactly (the host fills it once per data document, then every rule
  // reads by number), except that a rule that reads_only_slots() reads no
  // member of `data` at all.
  const std::vector<const nlohmann::json*>* slot_values = nullptr;
  // Per slot, its domain (nullptr: Kind::Any); used instead of `domains` for
  // variables that have a slot.
  const std::vector<const Domain*>* slot_domains = nullptr;
  // For rules compiled with slots: an unknown's waiting variables that have a
  // slot go to Outcome::waiting_slots instead of Outcome::waiting_on (no name
  // is copied out for them).
  bool waiting_by_slot = false;
  // Buffers to reuse (see Scratch); none: each evaluation makes its own.
  Scratch* scratch = nullptr;
  // Outcomes kept by their inputs' values (see OutcomeMemo); none: every
  // rule is evaluated. Give it only with the same configuration of these
  // bindings each time (the same domains and slots, the derived values
  // worked out from the data being evaluated), as one host screening many
  // documents against one trial does.
  OutcomeMemo* memo = nullptr;
};

struct Outcome {
  enum class Kind { Value, Unknown, Error };
  Kind kind = Kind::Value;

  nlohmann::json value;                 // Kind::Value: the result

  std::vector<std::string> waiting_on;  // Kind::Unknown: sorted, unique, as small
                                        // as the bounds allow
  std::vector<std::size_t> waiting_slots;  // Kind::Unknown with Bindings::waiting_by_slot:
                                        // the waiting variables that have a slot, sorted
  std::optional<double> lower;          // Kind::Unknown: numeric bounds, when known
  std::optional<double> upper;

  std::string error_type;               // Kind::Error: the suites' type, e.g.
                                        // "NaN", "Invalid Arguments", or a thrown string
  std::string error_message;            // Kind::Error: English, one line
  nlohmann::json thrown;                // Kind::Error from {"throw": ...}: the thrown value
  std::string error_id;                 // Kind::Error: "rule.2NN" (docs/logic.md)
  std::string error_pointer;            // Kind::Error: JSON pointer of the failing operation

  bool is_value() const { return kind == Kind::Value; }
  bool is_unknown() const { return kind == Kind::Unknown; }
  bool is_error() const { return kind == Kind::Error; }
};

// The error type a compile diagnostic stands for, as the suites and the CLI
// name it: "Unknown Operator", "Invalid Arguments", "Limit Exceeded",
// "Invalid JSON".
std::string error_type(const Diagnostic& diagnostic);

// JsonLogic truthiness of a plain value ([] "" 0 null false are falsy).
bool truthy(const nlohmann::json& value);

class Rule {
 public:
  // Compiles `rule`. On failure returns nullopt and appends one or more
  // diagnostics with ids "rule.NNN" and pointers relative to the rule's root.
  static std::optional<Rule> compile(const nlohmann::json& rule, Diagnostics& errors,
                                     const CompileOptions& options = {});

  Outcome evaluate(const nlohmann::json& data, const Bindings& bindings = {}) const;
  // The same, into `out` (everything it held is replaced): a host evaluating
  // many rules keeps one Outcome, so its lists allocate once, not per rule.
  void evaluate(const nlohmann::json& data, const Bindings& bindings, Outcome& out) const;
  // The same without copying a kept outcome: returns the one Bindings::memo
  // keeps for these inputs (valid until the memo is next used or cleared),
  // or `scratch`, filled as evaluate() fills `out`.
  const Outcome& evaluate_kept(const nlohmann::json& data, const Bindings& bindings, Outcome& scratch) const;

  // Top-level variable names the rule may read (including through derived
  // variables), sorted and unique.
  const std::vector<std::string>& variables() const;

  // Whether the rule, compiled with CompileOptions::slots, reads the answers
  // only through its slots (its variables and the literal names `missing`
  // looks up in the data): evaluated with Bindings::slot_values, it looks at
  // the data document for nothing but its type, so a host whose rules all do
  // may pass an empty object for it. The rules OutcomeMemo keeps.
  bool reads_only_slots() const;
  // When it does: those slots, sorted (its outcome is a function of their values).
  const std::vector<std::uint32_t>& slots_read() const;
  // When it does: whether it reads `slot` only as a plain variable (not a
  // derived one) compared with number literals (<, <=, >, >=, ==, !=, ===,
  // !==), or through `missing`; then adds those literals to `cuts` (kept
  // sorted and unique). For a number in the slot, only its place among the
  // cuts (below, at or above each) matters to the rule. False as soon as
  // `cuts` would hold more than `max_cuts`.
  bool compares_slot_with_numbers(std::uint32_t slot, std::vector<double>& cuts, std::size_t max_cuts) const;
  // Whether the rule reads the data only through the derived variable in
  // `slot` (a screening's criterion on a score or a clearance), each read a
  // plain one compared with number literals; then adds those literals to
  // `cuts`, as above. While that variable has a plain number, only its place
  // among the cuts matters to the rule; while it is unknown, its inputs do.
  bool compares_derived_with_numbers(std::uint32_t slot, std::vector<double>& cuts, std::size_t max_cuts) const;

  // Whether the rule reads the data only through the variables() it names
  // (no missing, exists, computed or whole-data paths): two documents that
  // agree on those give it the same result.
  bool reads_only_variables() const;

  Rule(Rule&&) noexcept;
  Rule& operator=(Rule&&) noexcept;
  ~Rule();

  // The compiled node table; defined inside the engine only.
  struct Compiled;

 private:
  friend class DerivedValues;
  friend class RuleSet;
  explicit Rule(std::unique_ptr<Compiled> compiled);
  // evaluate() without the memo; `program_tried`: the rule's plain program
  // gave no value already.
  void evaluate_now(const nlohmann::json& data, const Bindings& bindings, Outcome& out,
                    bool program_tried = false) const;
  // evaluate() for a RuleSet's plain JsonLogic by slot (no memo).
  void evaluate_in_set(const nlohmann::json& data, const Bindings& bindings, Outcome& out) const;
  std::unique_ptr<Compiled> compiled_;
};

// Several plain JsonLogic rules compiled together and evaluated over one
// data document at a time, each outcome what Rule::evaluate(data) gives for
// that rule alone: a host checking one record against many rules (a trial's
// criteria written as plain rules, a rule per column of a list). The data's
// members are found once for all of the rules, by number, not once per read
// by name; rules then take the plain path by slot (natively: the browsers'
// module, built for size, reads them by name). Evaluation reuses the set's
// working buffers, so it serves one evaluation at a time.
class RuleSet {
 public:
  // Compiles every rule of `rules`, a JSON array. On failure returns nullopt
  // and appends the rules' diagnostics, their pointers starting with the
  // rule's index ("/3/if"), or "rule.112" when `rules` is no array.
  static std::optional<RuleSet> compile(const nlohmann::json& rules, Diagnostics& errors, const Limits& limits = {});

  std::size_t size() const;
  // Top-level names any rule may read (sorted, unique).
  const std::vector<std::string>& variables() const;
  // Whether every rule reads the data only through variables() (see
  // Rule::reads_only_variables).
  bool reads_only_variables() const;

  // Each rule's outcome over `data` into `outcomes` (resized to size()).
  void evaluate(const nlohmann::json& data, std::vector<Outcome>& outcomes);
  // The same over JSON text; false with a "json.*" diagnostic appended (and
  // `outcomes` untouched) when it is no JSON. When every rule reads the data
  // only through its slots (Rule::reads_only_slots), an object's members are
  // parsed straight into their places, no object built.
  bool evaluate_text(const std::string& data_text, std::vector<Outcome>& outcomes, Diagnostics& errors);

  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;
  ~RuleSet();

  struct Parts;

 private:
  explicit RuleSet(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

// Derived variables worked out once for one data document, then read by every
// rule that reads them (Bindings::derived): a score read by several criteria
// is summed from its items once, not once per criterion. A plain value is
// read as it is; an unknown hands over its waiting set and bounds. A rule
// still evaluates the expression itself while it shrinks its own waiting set
// (its inputs are then assigned in turn, which the kept unknown cannot see).
class DerivedValues {
 public:
  DerivedValues();
  DerivedValues(DerivedValues&&) noexcept;
  DerivedValues& operator=(DerivedValues&&) noexcept;
  ~DerivedValues();

  // Evaluates `rule`, the expression of derived variable `name`, over `data`
  // and keeps its plain value or its unknown. An error is not kept: each rule
  // that reads the variable then meets it and reports it.
  void record(const std::string& name, const Rule& rule, const nlohmann::json& data, const Bindings& bindings);
  // Keeps a plain value for `name`.
  void set(const std::string& name, nlohmann::json value);
  // Keeps nothing again (for the next data document).
  void clear();
  // Keeps for `name` what `other` keeps for it (nothing when it keeps
  // nothing), without copying it: `other` must outlive this.
  void share(const std::string& name, const DerivedValues& other);
  // The plain value kept for `name`, or nullptr (unknown or not kept).
  const nlohmann::json* value(const std::string& name) const;
  // Whether what is kept for `name` is an unknown with no bounds at all;
  // then how many variables it waits on in `waiting`.
  bool open_unknown(const std::string& name, std::size_t& waiting) const;

  // What is kept per variable; defined inside the engine only.
  struct Entry;
  const Entry* find(const std::string& name) const;

 private:
  struct Entries;
  std::unique_ptr<Entries> entries_;
};

// The outcomes of rules kept by the exact values of the variables they read,
// for a host that evaluates the same rules over many documents that share
// most of their values: a batch's referrals, or a form screened again after
// each answer, where only the rules that read the changed answer meet new
// values. A rule whose inputs hold values met before gives the outcome kept
// for them instead of being evaluated again.
//
// Kept only for rules compiled with CompileOptions::slots that read the data
// through names with slots alone (their variables, no computed paths;
// `missing` only with literal names and outside iterators, where its scope is
// the data), evaluated with Bindings::slot_values: their outcome is then a
// function of those slots' values. The key holds each value's type and exact bits (1 and 1.0 differ, a
// string by its bytes); an object or array value is not kept. So a kept
// outcome is exactly what evaluating would give.
//
// Entries are keyed by the rule's address: keep one memo per set of rules
// (one trial), and drop it with them. At most `capacity` outcomes are kept;
// when full, all are dropped, so memory stays flat over any number of
// documents. A rule whose values seldom repeat (fewer than a quarter of its
// first 256 lookups hit) is evaluated without the memo until it starts
// afresh. The default capacity was the quickest in a batch of 50,000 BH002
// referrals (docs/performance.md, "Seventh session").
class OutcomeMemo {
 public:
  explicit OutcomeMemo(std::size_t capacity = 4096);
  OutcomeMemo(OutcomeMemo&&) noexcept;
  OutcomeMemo& operator=(OutcomeMemo&&) noexcept;
  ~OutcomeMemo();

  // Evaluations answered from the memo, and evaluations it kept afresh.
  std::size_t hits() const;
  std::size_t misses() const;
  std::size_t size() const;
  void clear();

  // The kept outcomes; defined inside the engine only.
  struct Entries;
  Entries& entries() { return *entries_; }

 private:
  std::unique_ptr<Entries> entries_;
};

// Numbers what a host works out from the values of some slots, under its
// owner and those values' exact type and bits, as OutcomeMemo keys a rule's
// outcome (1 and 1.0 differ, a string by its bytes; an object or array is
// not keyed): the host keeps entry n in its own list. The same limits as
// OutcomeMemo's: at most `capacity` entries, all dropped when full; an owner
// whose values seldom repeat is not looked up until then.
class KeyedByValues {
 public:
  // find(): no entry is kept for these values, and keep() may keep one.
  static constexpr std::uint32_t kNotKept = 0xffffffffu;
  // find(): these values are not kept (an object or an array among them, or
  // an owner whose values seldom repeat).
  static constexpr std::uint32_t kNotKeyed = 0xfffffffeu;

  explicit KeyedByValues(std::size_t capacity = 4096);
  KeyedByValues(KeyedByValues&&) noexcept;
  KeyedByValues& operator=(KeyedByValues&&) noexcept;
  ~KeyedByValues();

  // The number of the entry kept for `owner`, `variant` (a host's own
  // distinction, such as the audience) and the values of `slots` (nullptr:
  // unanswered), or kNotKept or kNotKeyed.
  std::uint32_t find(const void* owner, std::uint32_t variant, const std::vector<std::uint32_t>& slots,
                     const std::vector<const nlohmann::json*>& values);
  // After find() gave kNotKept, and before it is called again: keeps that
  // key, returning its entry's number (0, 1, 2... in the order kept). 0 also
  // when it started afresh, full: the host drops the entries it kept.
  std::uint32_t keep();
  std::size_t size() const;
  void clear();

  struct Table;

 private:
  std::unique_ptr<Table> table_;
};

// What a host works out from the values of some slots, kept by them in a
// KeyedByValues (which numbers them) and handed back when they come again:
// rule outcomes (OutcomeMemo), criterion lines (LineMemo).
template <typename Kept>
class KeptByValues {
 public:
  explicit KeptByValues(std::size_t capacity) : index_(capacity) {}

  // What is kept for `owner`, `variant` and the values of `slots` (see
  // KeyedByValues::find), or nullptr.
  const Kept* find(const void* owner, std::uint32_t variant, const std::vector<std::uint32_t>& slots,
                   const std::vector<const nlohmann::json*>& values) {
    last_ = index_.find(owner, variant, slots, values);
    if (last_ >= kept_.size()) return nullptr;
    ++hits_;
    return &kept_[last_];
  }
  // After find() gave nullptr: whether what is worked out for those values
  // may be kept (they can be keyed).
  bool may_keep() const { return last_ == KeyedByValues::kNotKept; }
  // Keeps `kept` (copied, or moved when it may be) for the values find()
  // last looked up, when may_keep().
  template <typename Value>
  void keep(Value&& kept) {
    ++misses_;
    if (index_.keep() == 0) kept_.clear();  // the index started afresh, full
    kept_.push_back(std::forward<Value>(kept));
    last_ = KeyedByValues::kNotKeyed;
  }

  // Lookups answered, and entries kept afresh.
  std::size_t hits() const { return hits_; }
  std::size_t misses() const { return misses_; }
  std::size_t size() const { return kept_.size(); }
  void clear() {
    index_.clear();
    kept_.clear();
    last_ = KeyedByValues::kNotKeyed;
  }

 private:
  KeyedByValues index_;
  std::vector<Kept> kept_;  // by the index's entry number
  std::uint32_t last_ = KeyedByValues::kNotKeyed;
  std::size_t hits_ = 0;
  std::size_t misses_ = 0;
};

// The nesting parse_json refuses beyond unless told otherwise.
inline constexpr std::size_t kJsonMaxDepth = 256;

// Parses JSON text without exceptions, refusing nesting deeper than max_depth.
// On failure returns nullopt and appends a diagnostic ("json.001" syntax,
// "json.002" too deep) whose message names the byte offset.
std::optional<nlohmann::json> parse_json(const std::string& text, Diagnostics& errors,
                                         std::size_t max_depth = kJsonMaxDepth);

// What parse_json_members found.
enum class MembersRead { Object, Null, Other, Invalid };

// Parses `text` as parse_json does, but a JSON object is not built: each
// member's value is parsed straight into the value `place(key)` returns (a
// repeated key is handed out again, its last value counting as in an
// object). Depth counts as in parse_json. Returns Object, or Null or Other
// for JSON that is no object (nothing placed), or Invalid with a diagnostic
// appended. When reading fails part way, `start_over()` is called first, so
// the caller can drop what was placed: an Invalid text leaves nothing. The
// key is valid during the call only (often a view of `text`: most keys need
// no unescaping, and so no copy).
MembersRead parse_json_members(const std::string& text, Diagnostics& errors, std::size_t max_depth,
                               const std::function<nlohmann::json&(std::string_view)>& place,
                               const std::function<void()>& start_over);
// Top-level members a host places itself, each offered before it is read
// as JSON: true when the host took it, false to have it read as any other
// (an empty taker is offered nothing). So a batch's record makes no JSON
// value for most of its answers, and its answers are checked as they are
// placed (AnswerSet::place_number).
struct MemberTakers {
  // A value that is exactly a number with a unit, {"value": n, "unit": "u"}
  // in either order (the unit plain ASCII).
  std::function<bool(std::string_view key, double value, std::string_view unit)> quantity;
  // A number, converted as parse_json converts it, then to a double.
  std::function<bool(std::string_view key, double value)> number;
  // true or false.
  std::function<bool(std::string_view key, bool value)> boolean;
};
// The same, with top-level members offered to `takers` first (not in the
// browsers' module, built for size, which reads them all as JSON).
MembersRead parse_json_members(const std::string& text, Diagnostics& errors, std::size_t max_depth,
                               const std::function<nlohmann::json&(std::string_view)>& place,
                               const std::function<void()>& start_over, const MemberTakers& takers);

// Serialises without exceptions (invalid UTF-8 is replaced), compactly:
// the same text as nlohmann's dump(-1, ' ', false, replace).
std::string to_json_text(const nlohmann::json& value);
// The same, appended to `out` (lets a caller reuse one buffer).
void append_json_text(std::string& out, const nlohmann::json& value);
// A string as JSON text, appended to `out`: what append_json_text writes for
// a JSON string holding `text`.
void append_json_string(std::string& out, const std::string& text);

}  // namespace trialscreen::logic
