// The compiled form of a rule: a flat node table (no recursive ownership, so
// destroying even a large rule never recurses), operators resolved to an enum,
// variable paths split and top-level variables numbered at compile time.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "pointers.hpp"
#include "trialscreen/logic.hpp"

namespace trialscreen::logic {

enum class Op : std::uint8_t {
  Literal,   // a plain value: literals[node.literal]
  Array,     // an array whose elements are expressions
  Var, Val, Exists, Missing, MissingSome,
  If, And, Or, Not, NotNot, Coalesce,
  Eq, Ne, StrictEq, StrictNe, Lt, Le, Gt, Ge,
  Add, Sub, Mul, Div, Mod, Max, Min,
  Cat, Substr, In, Merge,
  Map, Filter, Reduce, All, Some, None,
  Throw, Try, DateAdd,
};

inline constexpr std::uint32_t kNone = 0xffffffffu;

// The operators that compare two or more values (a chain: {"<": [a, b, c]}).
inline bool is_comparison(Op op) {
  switch (op) {
    case Op::Eq: case Op::Ne: case Op::StrictEq: case Op::StrictNe:
    case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge:
      return true;
    default:
      return false;
  }
}

struct Node {
  Op op = Op::Literal;
  // The arguments were one expression, evaluated at run time and spread when
  // it yields an array ({"+": {"var": "xs"}}). Its node is the only child.
  bool dynamic_args = false;
  std::uint32_t first_child = 0;  // into Compiled::children
  std::uint32_t child_count = 0;
  std::uint32_t literal = kNone;  // Literal: into Compiled::literals
  std::uint32_t pointer = 0;      // into Compiled::pointers, for error messages

  // Var/Val with a literal path.
  std::uint32_t path = kNone;     // into Compiled::paths
  std::uint32_t climb = 0;        // Val: scopes to climb ({"val": [[2], "x"]})
  bool has_default = false;       // Var: the last child is the default
  bool path_child = false;        // Var/Val: the first child computes the path
  // Var read from the top-level data with a literal path: the variable's
  // number (into Compiled::variables) and, for a derived variable, the node of
  // its expression.
  std::uint32_t variable = kNone;
  std::uint32_t derived = kNone;
};

struct Rule::Compiled {
  std::vector<Node> nodes;
  std::vector<std::uint32_t> children;
  std::vector<nlohmann::json> literals;
  std::vector<std::vector<std::string>> paths;
  PointerTable pointers;  // spelt out on demand: pointers[node.pointer] is a std::string
  // Every top-level variable the rule may read (sorted; Rule::variables()).
  std::vector<std::string> variable_names;
  // Variable numbers used by nodes, in first-seen order: numbered_variables[i]
  // is the name of variable i. Derived variables are numbered too.
  std::vector<std::string> numbered_variables;
  // The numbered variables sorted by name, for finding a name's number.
  std::vector<std::pair<std::string, std::uint32_t>> variable_index;
  // Per variable: its slot (CompileOptions::slots), or kNone.
  std::vector<std::uint32_t> slot_of_variable;
  bool has_slots = false;  // compiled with CompileOptions::slots
  // OutcomeMemo may keep this rule's outcomes (find_memo_slots): it reads
  // the data only through names that have slots. memo_slots: those slots,
  // sorted and unique (what the memo's key holds).
  bool memoizable = false;
  std::vector<std::uint32_t> memo_slots;
  // A memoizable rule's `missing` names with their slots (a few; looked up
  // in turn): read through Bindings::slot_values, like its variables.
  std::vector<std::pair<std::string, std::uint32_t>> missing_slots;
  std::vector<std::uint32_t> derived_of_variable;  // per variable: its expression node or kNone
  // Per variable: the non-derived variables its value may depend on (itself if
  // not derived), sorted.
  std::vector<std::vector<std::uint32_t>> inputs_of_variable;
  std::uint32_t root = 0;
#ifndef TRIALSCREEN_FOR_SIZE
  // When the plain path (evaluate.cpp, PlainEvaluator) could take the whole
  // rule over answered slots: its nodes in post-order, each taking the
  // values its children left on a stack, run in one loop rather than by
  // recursion (prepare_plain_program). `if`, `and` and `or` are branches
  // between their operands' steps, so that the program works out what the
  // recursion works out and no more. Empty otherwise. The slots it reads
  // are checked first. The browsers' module, built for size, has none.
  struct PlainStep {
    // A branch skips the `count` steps after it: Always; Unless the value
    // it takes is truthy; IfFalsy/IfTruthy keep the value they look at when
    // they skip (and/or's result), else take it. Select is an `if` of two
    // literals: it takes the condition and leaves literals[arg] when it is
    // truthy, else literals[other] (a score's item: {"if": [x, 8, 0]}).
    enum class Branch : std::uint8_t { None, Always, Unless, IfFalsy, IfTruthy, Select };
    Op op = Op::Literal;
    Branch branch = Branch::None;
    bool spread = false;      // ! or !! of one expression, whose array value is spread (Evaluator::gather)
    std::uint32_t count = 0;  // its children: the values it takes; a branch: the steps it skips
    std::uint32_t arg = 0;    // Literal: into literals; Var: the slot; Missing, comparisons, arithmetic: its node
    std::uint32_t variable = 0;  // Var: its number (an unknown waits on it)
    std::uint32_t other = 0;  // Select: the literal when the condition is falsy
  };
  std::vector<PlainStep> plain_program;
  std::vector<std::uint32_t> plain_program_slots;
  // The program has a `missing`, which only plain JsonLogic's bindings take
  // (a screening's unanswered name is unknown).
  bool plain_program_reads_missing = false;
  // An error the program meets (a comparison of two values it cannot
  // compare, arithmetic that is no finite number) is where the recursion
  // meets it, so the rule's: the program has no comparison chain of three
  // or more operands. Steps of comparisons and arithmetic keep their node
  // in `arg`, for the error's pointer.
  bool plain_program_fails_as_recursion = false;
#endif
  bool uses_scope_metadata = false;  // some val climbs scopes, so iterators record {"index": i}
  Limits limits;

  const std::uint32_t* child_begin(const Node& node) const { return children.data() + node.first_child; }
};

// Sets Compiled::memoizable and memo_slots for a rule compiled with `slots`.
void find_memo_slots(Rule::Compiled& rule, const std::vector<std::string>& slots);

#ifndef TRIALSCREEN_FOR_SIZE
// Sets Compiled::plain_program for a rule compiled with slots, when it has one.
void prepare_plain_program(Rule::Compiled& rule);
#endif

}  // namespace trialscreen::logic
