// The compiled form of a trial definition that Trial::load builds once and
// Trial::screen / Trial::lint read. Internal to the core.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "trialscreen/logic.hpp"
#include "trialscreen/trial.hpp"

namespace trialscreen {
namespace trial {

enum class AnswerType { Boolean, Integer, Number, Quantity, Choice, Date, DateOrNone };

// An integer, a number or a quantity: answered with a number.
inline bool is_numeric(AnswerType t) {
  return t == AnswerType::Integer || t == AnswerType::Number || t == AnswerType::Quantity;
}

// A date, or a date or "none": answered with "YYYY-MM-DD" (or "none").
inline bool is_date(AnswerType t) { return t == AnswerType::Date || t == AnswerType::DateOrNone; }

// How an accepted unit converts into the canonical one.
struct UnitConversion {
  double amount = 1;     // factor, or divisor when `divide`
  bool divide = false;
};

struct Question {
  std::string id;
  std::string pointer;                       // "/questions/3"
  AnswerType type = AnswerType::Boolean;
  bool site_only = false;                    // who = "site"
  std::string unit;                          // canonical unit ("" when none)
  std::map<std::string, UnitConversion> units;  // accepted units (canonical included)
  std::optional<double> min, max;            // plausible range, canonical unit
  std::vector<std::string> options;          // choice values
  bool past = false;
  std::optional<logic::Rule> ask_if;
  std::string comma_id_json;                 // ",\"id\"": the id as JSON text after a comma, for writing lists of ids
  std::size_t slot = 0;                      // in Loaded::slots
};

struct Derived {
  std::string id;
  std::size_t slot = 0;                  // in Loaded::slots
  std::vector<std::size_t> input_slots;  // the answers `computed` reads (not as_of), by slot
#ifndef TRIALSCREEN_FOR_SIZE
  // Lines that read it may be kept by which of its inputs are unanswered
  // while it is an unknown with no bounds (Criterion::line_derived): its
  // inputs are a few questions, no derived value. Bits of input_slots whose
  // domains list no values (logic::lists_values). Native only.
  bool open_states = false;
  std::uint32_t unlisted_inputs = 0;
#endif
  std::optional<logic::Rule> value;      // {"var": id}: the answer if given, else the rule
  std::optional<logic::Rule> computed;   // the rule alone, to compare with an answer
  bool warn_if_answer_differs = true;
  bool is_question = false;              // a question with the same id exists
  std::vector<std::string> read_by;      // criteria whose rules read it
  // Neither it nor any of its inputs answered, it is the same for everyone:
  // worked out once at load (Loaded::derived_unanswered) when its rule reads
  // nothing else (no as_of, no data outside its variables).
  bool same_when_unanswered = false;
  std::string key_json;                  // "id": as JSON text, for writing results
};

// The words pick_text gives for one audience text, picked once at load per
// audience and trial language: a screening reads them by number.
struct PickedText {
  std::vector<const std::string*> picks;  // [audience: patient 0, physician 1][index in Loaded::languages]
  std::vector<std::string> picks_json;    // the same as JSON text, for writing results
};

struct Criterion {
  std::string id;
  bool inclusion = true;
  std::optional<logic::Rule> rule;
  std::optional<logic::Rule> applies_if;
  std::optional<logic::Rule> clears_on;
  const nlohmann::json* label = nullptr;      // audience texts inside the definition
  const nlohmann::json* fail_text = nullptr;
  PickedText label_picks, fail_picks;         // their words (see PickedText)
  // What each of its result lines starts with, as JSON text: {"id":…,"kind":…,"reason":
  std::string line_head_json;
  // Each of its lines through the status (and the opening of its waiting
  // list), after a comma, by [pick (PickedText::picks)][status]: made by
  // prepare_result_texts.
  std::vector<std::string> lines_json;
  // Its rules all read only their slots (logic::Rule::reads_only_slots), so
  // its line is a function of these slots' values (LineMemo keeps it so).
  bool line_keepable = false;
  std::vector<std::uint32_t> line_slots;
  // When every one of those slots is a yes/no or choice question, or a
  // number question its rules only compare with numbers (its cuts, sorted:
  // logic::Rule::compares_slot_with_numbers), and their answers make at most
  // kMaxLineStates combinations: each slot's number of states (unanswered,
  // then its values; for a number, below, at and above each cut), and their
  // product. LineMemo then keeps the line by the answers' state number, with
  // no key to write, hash or compare. 0: not so.
  static constexpr std::uint32_t kMaxLineStates = 256;
  // Natively, one of the slots may also be a date question: its states are
  // unanswered, "none" and each day of a window around the screening date
  // (kDateStates in all, month-major: 31 a month, see Screening::date_place),
  // and the screening date itself may be read (a slot of one state): such a
  // line's states hold for one screening date (LineMemo starts them afresh
  // when it changes). A date outside the window is kept by its value. The
  // screening date's slot then comes last in line_slots.
  static constexpr std::uint32_t kDateWindow = 31 * 36;  // three years back, some weeks ahead
  static constexpr std::uint32_t kDateStates = 2 + kDateWindow;
  // Per slot of line_slots with states (the screening date's, last, has
  // none): its number of states, its question's AnswerType and number, in
  // one word (StateSlot), so that a screening works the state out without
  // reading a question's record.
  struct StateSlot {
    // states <= kDateStates < 2^11; types < 2^3; questions <= 2000 < 2^18.
    static std::uint32_t pack(std::size_t states, AnswerType type, std::size_t question) {
      return static_cast<std::uint32_t>(question << 14 | static_cast<std::size_t>(type) << 11 | states);
    }
    static std::uint32_t states(std::uint32_t packed) { return packed & 0x7ff; }
    static AnswerType type(std::uint32_t packed) { return static_cast<AnswerType>(packed >> 11 & 0x7); }
    static std::size_t question(std::uint32_t packed) { return packed >> 14; }
  };
  std::vector<std::uint32_t> line_slot_states;
  std::vector<double> line_cuts;  // the number slots' cuts, one slot's after another's
  std::uint32_t line_states = 0;
  // Where its entries start in LineMemo's table (2 * line_states of them:
  // the physician's, then the patient's).
  std::uint32_t line_entries_first = 0;
  // Otherwise, when its only rule reads the answers through one derived
  // value alone, each read compared with numbers (its cuts in line_cuts:
  // logic::Rule::compares_derived_with_numbers), that value's number in
  // Loaded::derived: while the value is a plain number, LineMemo keeps the
  // line by the number's place among the cuts (line_states counts the
  // places); while it is unknown, by the answers' values.
  static constexpr std::size_t kNoDerived = static_cast<std::size_t>(-1);
  std::size_t line_derived = kNoDerived;
  // Past the places (2 + 2 * cuts), when the value has Derived::open_states,
  // 2^inputs more: while it is an unknown with no bounds that waits on
  // exactly its unanswered inputs, the line's state is the first of them
  // plus those inputs' bits. The line is then a function of its waiting set
  // alone.
};

struct Warning {
  std::string code;
  std::vector<std::string> criteria;
  std::optional<logic::Rule> when;
  const nlohmann::json* message = nullptr;
};

// A place in the definition that holds a text, for lint's language check.
struct TextSite {
  std::string pointer;
  const nlohmann::json* text = nullptr;   // a text (language -> string), never an audience text
};

// Limits for hostile definitions (documented in docs/trial-format.md).
struct DefinitionLimits {
  static constexpr std::size_t max_bytes = 4 * 1024 * 1024;
  static constexpr std::size_t max_depth = 128;
  static constexpr std::size_t max_languages = 16;
  static constexpr std::size_t max_sections = 200;
  static constexpr std::size_t max_questions = 2000;
  static constexpr std::size_t max_derived = 200;
  static constexpr std::size_t max_criteria = 1000;
  static constexpr std::size_t max_warnings = 200;
  static constexpr std::size_t max_options = 200;
  static constexpr std::size_t max_units = 20;
  static constexpr std::size_t max_id_length = 64;
  static constexpr std::size_t max_rule_nodes = 20000;   // per rule
};

}  // namespace trial

// Everything Trial holds; lives on the heap so that the raw pointers into
// `definition` stay valid when a Trial moves.
struct Trial::Loaded {
  nlohmann::json definition;
  std::string sha256;
  std::string id, version;
  std::vector<std::string> languages;
  std::vector<std::string> section_ids;
  std::vector<trial::Question> questions;                  // asking order
  std::map<std::string, std::size_t, std::less<>> question_index;  // a map, not a hash: less code in the WebAssembly build
  std::map<std::string, logic::Domain> domains;
  std::vector<trial::Derived> derived;
  std::vector<trial::Criterion> criteria;
  std::vector<trial::Warning> warnings;
  std::vector<trial::TextSite> texts;
  std::vector<std::string> names_read;     // every variable any rule reads, sorted, unique
  std::string identity_json;  // the result's "trial" member as JSON text
  // Indices into `derived` sorted by id: the order a result's "derived" object lists them.
  std::vector<std::size_t> derived_in_key_order;
  // The names rules are compiled to read by number (logic::CompileOptions::
  // slots): the questions, the derived values and "as_of", sorted, unique.
  // Per slot: its domain (or nullptr) and its question (or kNoQuestion).
  std::vector<std::string> slots;
  std::vector<const logic::Domain*> slot_domains;
  std::vector<std::size_t> question_of_slot;
  std::size_t as_of_slot = 0;
  static constexpr std::size_t kNoQuestion = static_cast<std::size_t>(-1);
  // The questions' slots (+ 1; 0 is free) by a hash of their ids (open
  // addressing, at most a quarter full; trial::question_slot reads it): a batch record's
  // thirty-odd fields are each found with one hash and one comparison.
  std::vector<std::uint32_t> question_slot_by_hash;
  // The derived values marked same_when_unanswered, worked out over no answers.
  logic::DerivedValues derived_unanswered;
  // Every rule reads the answers only through slots (logic::Rule::
  // reads_only_slots): a screening hands them no answers object.
  bool rules_read_only_slots = false;
  // Some criterion's line is kept by a state that holds for one screening
  // date only (Criterion::kDateStates).
  bool line_states_follow_as_of = false;
  // The entries of every criterion with line states (Criterion::line_entries_first).
  std::size_t line_entries = 0;
};

namespace trial {

// Rounds to 12 significant digits so that decimal unit conversions land on
// the decimal the person meant (221 / 88.4 -> 2.5 exactly).
double round_significant(double value);

// `value`, given in an accepted unit, in the canonical unit: how every
// {"value", "unit"} answer is converted (AnswerSet::place_in_unit too).
double in_canonical_unit(const UnitConversion& conversion, double value);

// A person's text quoted in a message, cut after 40 bytes (on a UTF-8
// character boundary) so that a hostile 10 MB string is not echoed back.
std::string quoted(const std::string& text);

// Picks the words of an audience text for an audience and language, falling
// back to the first language present. "" when there is none.
const std::string& pick_text(const nlohmann::json* audience_text, const std::string& audience,
                             const std::string& lang, const std::vector<std::string>& languages);
// pick_text's answer for every audience and language of `languages`.
PickedText pick_texts(const nlohmann::json* audience_text, const std::vector<std::string>& languages);

// Writes, once at load, the JSON text of what every result repeats (ids,
// picked words, the trial's identity), so results copy it (screen.cpp).
void prepare_result_texts(Trial::Loaded& trial);

// Fills Loaded::question_slot_by_hash, once at load (the questions' slots
// numbered).
void index_question_slots(Trial::Loaded& trial);
// The slot of the question `field` names, or kNoSlot.
inline constexpr std::size_t kNoSlot = static_cast<std::size_t>(-1);
std::size_t question_slot(const Trial::Loaded& trial, std::string_view field);

// Works out, once at load, the derived values every screening with none of
// their inputs answered would work out the same (Derived::same_when_unanswered).
void prepare_unanswered_derived(Trial::Loaded& trial);

// Finds, once at load, the criteria whose lines LineMemo may keep, the slots
// their lines are worked out from (Criterion::line_slots), and, for lines of
// yes/no and choice answers only, those answers' states
// (Criterion::line_slot_states, line_states, line_entries_first).
void prepare_line_keys(Trial::Loaded& trial);

}  // namespace trial
}  // namespace trialscreen
