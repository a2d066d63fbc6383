// Rule::evaluate: walks the compiled node table over one data document.
//
// Every node yields a Val: a plain value (usually borrowed from the data or the
// rule, so evaluation copies little), an error, or an unknown that carries the
// variables it waits on and what it may still turn out to be (Bounds).
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "bounds.hpp"
#include "compiled.hpp"
#include "dates.hpp"
#include "values.hpp"

namespace trialscreen::logic {
namespace {

using json = nlohmann::json;
using values::to_number;

// A view of an operator's plain argument values.
struct JsonList {
  const json* const* items;
  std::size_t count;
  std::size_t size() const { return count; }
  bool empty() const { return count == 0; }
  const json* operator[](std::size_t i) const { return items[i]; }
  const json* front() const { return items[0]; }
  const json* const* begin() const { return items; }
  const json* const* end() const { return items + count; }
};

const json kNull = nullptr;
const json kTrue = true;
const json kFalse = false;
const json kEmptyArray = json::array();

// The slot (CompileOptions::slots) of variable `id`, or kNone.
std::uint32_t slot_of(const Rule::Compiled& rule, std::uint32_t id) {
  return id < rule.slot_of_variable.size() ? rule.slot_of_variable[id] : kNone;
}

// Variable `id`'s answer read by slot (Bindings::slot_values), unless it is
// unanswered (absent or null); nullptr too when it has no slot.
const json* slot_answer(const Rule::Compiled& rule, const Bindings& bindings, std::uint32_t id) {
  const std::uint32_t slot = bindings.slot_values != nullptr ? slot_of(rule, id) : kNone;
  if (slot == kNone) return nullptr;
  const json* found = (*bindings.slot_values)[slot];
  return found != nullptr && !found->is_null() ? found : nullptr;
}

// Whether node `n` reads a whole top-level variable through its slot, as
// written: no computed path, no default, not a derived value.
bool reads_whole_slot(const Rule::Compiled& rule, const Node& n) {
  return n.op == Op::Var && !n.path_child && !n.has_default && n.derived == kNone && n.variable != kNone &&
         rule.paths[n.path].size() == 1 && slot_of(rule, n.variable) != kNone;
}

// The domain of variable `id` (named `name`): its slot's, else the one the
// bindings give its name; nullptr for none (Kind::Any).
const Domain* domain_by(const Rule::Compiled& rule, const Bindings& bindings, std::uint32_t id, const std::string& name) {
  const std::uint32_t slot = slot_of(rule, id);
  if (slot != kNone && bindings.slot_domains != nullptr) return (*bindings.slot_domains)[slot];
  if (bindings.domains == nullptr) return nullptr;
  const auto found = bindings.domains->find(name);
  return found != bindings.domains->end() ? &found->second : nullptr;
}

// One argument's step of an arithmetic operator (Add, Sub, Mul, Div, Mod,
// Max, Min): the result so far with x, the i-th of `count` arguments. The
// fold starts from 1 for Mul, 0 otherwise. (Mod's check for a zero divisor is
// the caller's.)
double arithmetic_step(Op op, double result, double x, std::size_t i, std::size_t count) {
  switch (op) {
    case Op::Add: return result + x;
    case Op::Mul: return result * x;
    case Op::Sub: return i == 0 ? (count == 1 ? -x : x) : result - x;  // unary minus negates
    case Op::Div: return i == 0 ? (count == 1 ? 1 / x : x) : result / x;  // unary divide is 1 / x
    case Op::Mod: return i == 0 ? x : std::fmod(result, x);
    case Op::Max: return i == 0 ? x : std::max(result, x);
    default: return i == 0 ? x : std::min(result, x);  // Min
  }
}

}  // namespace

// Values the plain path makes (date_add's dates, missing's lists), which
// the values above them borrow, so never moved: at most kMax an evaluation.
// Kept from one evaluation to the next where a host lends them
// (Scratch::Buffers), so that a date's text takes the room of the one made
// in its place before, not an allocation of its own.
struct MadeValues {
  static constexpr std::size_t kMax = 4;
  std::vector<json> values;  // reserved kMax at the first
  std::size_t used = 0;

  // The next place, or nullptr when all are taken.
  json* next() {
    if (used == kMax) return nullptr;
    if (values.empty()) values.reserve(kMax);
    if (used == values.size()) values.emplace_back();
    return &values[used++];
  }
};

struct Scratch::Buffers {
  MadeValues made;                          // the plain path's, for a RuleSet's programs
  std::vector<const json*> scopes;          // above the data: iterators push metadata and item
  std::vector<Val> arg_stack;               // arguments of the strict operators being evaluated
  std::vector<const json*> plain;           // scratch: one operator's plain argument values
  std::vector<const json*> overrides;       // per variable, while enumerating assignments
  std::vector<std::string> dynamic_names;   // unknown variables named by computed paths

  // Empty again for the next evaluation; the capacity stays.
  void clear() {
    scopes.clear();
    arg_stack.clear();
    plain.clear();
    overrides.clear();
    dynamic_names.clear();
  }
};

Scratch::Scratch() : buffers_(std::make_unique<Buffers>()) {}
Scratch::Scratch(Scratch&&) noexcept = default;
Scratch& Scratch::operator=(Scratch&&) noexcept = default;
Scratch::~Scratch() = default;

namespace {

struct Context {
  Context(const Rule::Compiled& compiled, const Bindings& bound, const json& top, Scratch::Buffers& buffers)
      : rule(compiled), bindings(bound), data(&top), scopes(buffers.scopes), arg_stack(buffers.arg_stack),
        plain(buffers.plain), overrides(buffers.overrides), dynamic_names(buffers.dynamic_names) {
    buffers.clear();
  }

  const Rule::Compiled& rule;
  const Bindings& bindings;
  const json* data;                          // the top-level data
  std::vector<const json*>& scopes;          // see Scratch::Buffers
  std::vector<Val>& arg_stack;
  std::vector<const json*>& plain;
  std::vector<const json*>& overrides;
  std::vector<std::string>& dynamic_names;
  std::size_t depth = 0;
  bool enumerating = false;
};

class Evaluator {
 public:
  explicit Evaluator(Context& context) : ctx_(context) {}

  Val eval(std::uint32_t index) {
    if (ctx_.depth >= ctx_.rule.limits.max_depth + 8) {
      return error(index, "Limit Exceeded", "evaluation nests deeper than the depth limit");
    }
    ++ctx_.depth;
    Val result = dispatch(index);
    --ctx_.depth;
    return result;
  }

  // Shrinks an unknown's waiting set to the variables that can still change
  // `index`'s result, by evaluating it under every assignment of the waiting
  // variables that have finite domains (within Limits::max_enumeration).
  void minimize(std::uint32_t index, Val& result);

  std::string variable_name(std::uint32_t id) const {
    const auto& numbered = ctx_.rule.numbered_variables;
    return id < numbered.size() ? numbered[id] : ctx_.dynamic_names[id - numbered.size()];
  }

 private:
  const Node& node(std::uint32_t index) const { return ctx_.rule.nodes[index]; }
  std::uint32_t child(const Node& n, std::size_t i) const { return ctx_.rule.child_begin(n)[i]; }

  Val dispatch(std::uint32_t index) {
    const Node& n = node(index);
    switch (n.op) {
      case Op::Literal:
        return Val::borrow(ctx_.rule.literals[n.literal]);
      case Op::Array:
        return eval_array(index);
      case Op::Var:
        // The most common read, a whole answered variable, as eval_var would
        // give it, without its general machinery.
        if (!n.path_child && at_top_level()) {
          const json* answer = answer_by_slot(n.variable);
          if (answer != nullptr && ctx_.rule.paths[n.path].size() == 1) return Val::borrow(*answer);
        }
        return eval_var(index);
      case Op::Val:
        return eval_val(index);
      case Op::If:
        return eval_if(index);
      case Op::And:
      case Op::Or:
        return eval_and_or(index);
      case Op::Coalesce:
        return eval_coalesce(index);
      case Op::Eq:
      case Op::Ne:
      case Op::StrictEq:
      case Op::StrictNe:
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge:
        return eval_comparison(index);
      case Op::Map:
      case Op::Filter:
      case Op::Reduce:
      case Op::All:
      case Op::Some:
      case Op::None:
        return eval_iterator(index);
      case Op::Try:
        return eval_try(index);
      default:
        return eval_strict(index);
    }
  }

  // ---- errors and unknowns ----

  Val error(std::uint32_t index, const std::string& type, const std::string& message) {
    Val v;
    v.kind = Val::Kind::Error;
    v.detail = std::make_unique<Detail>();
    v.detail->failure = std::make_unique<Failure>();
    Failure& failure = *v.detail->failure;
    failure.type = type;
    failure.message = message;
    failure.pointer = ctx_.rule.pointers[node(index).pointer];
    if (type == "NaN") {
      failure.id = "rule.201";
    } else if (type == "Invalid Arguments") {
      failure.id = "rule.202";
    } else if (type == "Invalid Date") {
      failure.id = "rule.204";
    } else if (type == "Limit Exceeded") {
      failure.id = "rule.205";
    } else {
      failure.id = "rule.203";
    }
    return v;
  }

  Val nan_error(std::uint32_t index, const std::string& message) { return error(index, "NaN", message); }

  // An unanswered top-level variable, bounded by its domain when the whole
  // variable (not a path inside it) is read.
  Val unknown_variable(std::uint32_t id, bool whole) {
    Val v = Val::unknown({id});
    if (!whole) return v;
    if (const Domain* domain = domain_of(id)) v.detail->bounds = bounds_of_domain(*domain);
    return v;
  }

  // When node `index` only reads an unanswered top-level variable whose
  // domain says nothing of its truth (any value or a yes/no), that
  // variable's number: `and`, `or` and `if` then need only the number, not
  // the unknown eval() would allocate. kNone for anything else.
  std::uint32_t undecided_variable(std::uint32_t index) const {
    const Node& n = node(index);
    if (!reads_whole_slot(ctx_.rule, n) || !at_top_level() || ctx_.depth >= ctx_.rule.limits.max_depth + 8) {
      return kNone;
    }
    if (!ctx_.bindings.missing_is_unknown || ctx_.bindings.slot_values == nullptr) return kNone;
    if (answer_by_slot(n.variable) != nullptr) return kNone;
    if (!(ctx_.data->is_object() || ctx_.data->is_null())) return kNone;
    const Domain* domain = domain_of(n.variable);
    if (domain != nullptr && domain->kind != Domain::Kind::Any && domain->kind != Domain::Kind::Boolean) return kNone;
    return n.variable;
  }

  // The answer to top-level variable `id` when it is read by slot: the value
  // being enumerated, else its member of the data unless that is null.
  // nullptr when it is unanswered or has no slot (then read it by name).
  const json* answer_by_slot(std::uint32_t id) const {
    if (id == kNone) return nullptr;
    if (id < ctx_.overrides.size() && ctx_.overrides[id] != nullptr) return ctx_.overrides[id];
    return slot_answer(ctx_.rule, ctx_.bindings, id);
  }

  // What `missing` finds for `key` when the rule reads it by slot (the rule
  // reads only its slots and the scope is the data): the data's member of
  // that name, or nullptr, into `value`. False when it must walk the scope.
  // Enumerated values are not seen, as walking the data does not see them.
  bool answer_for_missing(const json& key, const json*& value) const {
    const Rule::Compiled& rule = ctx_.rule;
    if (!rule.memoizable || ctx_.bindings.slot_values == nullptr || !at_top_level() || !key.is_string()) return false;
    const std::string& name = key.get_ref<const std::string&>();
    for (const auto& [missing_name, slot] : rule.missing_slots) {
      if (missing_name == name) {
        value = (*ctx_.bindings.slot_values)[slot];
        return true;
      }
    }
    return false;
  }

  // The domain of variable `id` in the bindings, or nullptr (Kind::Any).
  const Domain* domain_of(std::uint32_t id) const { return domain_by(ctx_.rule, ctx_.bindings, id, variable_name(id)); }

  std::uint32_t variable_id(const std::string& name) {
    const auto& index = ctx_.rule.variable_index;
    const auto found = std::lower_bound(index.begin(), index.end(), name,
                                        [](const auto& entry, const std::string& key) { return entry.first < key; });
    if (found != index.end() && found->first == name) return found->second;
    const auto& numbered = ctx_.rule.numbered_variables;
    for (std::size_t i = 0; i < ctx_.dynamic_names.size(); ++i) {
      if (ctx_.dynamic_names[i] == name) return static_cast<std::uint32_t>(numbered.size() + i);
    }
    ctx_.dynamic_names.push_back(name);
    return static_cast<std::uint32_t>(numbered.size() + ctx_.dynamic_names.size() - 1);
  }

  // ---- arguments ----

  // The arguments of a strict operator, evaluated onto ctx_.arg_stack: one
  // buffer reused by every node, so evaluating allocates little. A dynamic
  // argument list that yields an array is spread (`source` keeps the array
  // alive). The frame pops its arguments when it goes away; pointers into it
  // stay valid until the next evaluation pushes.
  class ArgFrame {
   public:
    explicit ArgFrame(std::vector<Val>& stack) : stack_(stack), base_(stack.size()) {}
    ArgFrame(const ArgFrame&) = delete;
    ArgFrame& operator=(const ArgFrame&) = delete;
    ~ArgFrame() { stack_.erase(stack_.begin() + static_cast<std::ptrdiff_t>(base_), stack_.end()); }
    std::size_t size() const { return stack_.size() - base_; }
    bool empty() const { return size() == 0; }
    Val* begin() { return stack_.data() + base_; }
    Val* end() { return stack_.data() + stack_.size(); }
    void push(Val v) { stack_.push_back(std::move(v)); }

    Val source;           // the dynamic argument list, or why it could not be had
    bool failed = false;  // `source` is an unknown or an error: the operator's result

   private:
    std::vector<Val>& stack_;
    std::size_t base_;
  };

  void gather(std::uint32_t index, ArgFrame& frame) {
    const Node& n = node(index);
    if (n.dynamic_args) {
      frame.source = eval(child(n, 0));
      if (!frame.source.is_value()) {
        frame.failed = true;
        return;
      }
      const json& list = frame.source.get();
      if (list.is_array()) {
        for (const json& element : list) frame.push(Val::borrow(element));
      } else if (frame.source.ref != nullptr) {
        frame.push(Val::borrow(list));
      } else {
        frame.push(std::move(frame.source));  // an owned scalar moves in whole
      }
      return;
    }
    for (std::size_t i = 0; i < n.child_count; ++i) {
      Val item = eval(child(n, i));
      frame.push(std::move(item));
    }
  }

  // ---- plain values of composite literals ----

  Val eval_array(std::uint32_t index) {
    const Node& n = node(index);
    json out = json::array();
    std::vector<Val> unknowns;
    for (std::size_t i = 0; i < n.child_count; ++i) {
      Val element = eval(child(n, i));
      if (element.is_error()) return element;
      if (element.is_unknown()) {
        unknowns.push_back(std::move(element));
        continue;
      }
      out.push_back(std::move(element).take());
    }
    if (!unknowns.empty()) return merge_unknowns(unknowns);
    return Val::owned(std::move(out));
  }

  // An unknown waiting on everything the given unknowns wait on, no bounds.
  static Val merge_unknowns(const std::vector<Val>& unknowns) {
    Val v = Val::unknown({});
    for (const Val& u : unknowns) {
      if (u.is_unknown()) unite(v.detail->waiting, u.detail->waiting);
    }
    return v;
  }

  // ---- variables ----

  static const json* step(const json* value, const std::string& key) {
    if (value == nullptr) return nullptr;
    if (value->is_object()) {
      const auto found = value->find(key);
      return found == value->end() ? nullptr : &*found;
    }
    if (value->is_array()) {
      if (key.empty() || key.size() > 18) return nullptr;
      std::size_t position = 0;
      for (char c : key) {
        if (c < '0' || c > '9') return nullptr;
        position = position * 10 + static_cast<std::size_t>(c - '0');
      }
      return position < value->size() ? &(*value)[position] : nullptr;
    }
    return nullptr;
  }

  // The scope `climb` levels up: 0 is the current one, the data is the last.
  const json* scope_at(std::uint32_t climb) const {
    const std::size_t top = ctx_.scopes.size();
    return climb >= top ? ctx_.data : ctx_.scopes[top - 1 - climb];
  }

  const json* current_scope() const { return ctx_.scopes.empty() ? ctx_.data : ctx_.scopes.back(); }
  bool at_top_level() const { return ctx_.scopes.empty(); }

  // Reads a top-level variable: an enumeration override, the data, the
  // derived expression, or (screening) an unknown. Null result pointer means
  // "missing" for the caller's own handling.
  struct TopLevel {
    const json* value = nullptr;
    std::optional<Val> computed;  // derived value, unknown or error
  };

  TopLevel read_top_level(std::uint32_t variable, std::uint32_t derived, const std::string& name, bool whole,
                          bool has_default) {
    TopLevel out;
    if (const json* answer = answer_by_slot(variable)) {
      out.value = answer;
      return out;
    }
    const std::uint32_t slot = variable != kNone && ctx_.bindings.slot_values != nullptr ? slot_of(ctx_.rule, variable) : kNone;
    const json* found = slot != kNone ? (*ctx_.bindings.slot_values)[slot] : step(ctx_.data, name);
    if (found != nullptr && !found->is_null()) {
      out.value = found;
      return out;
    }
    if (derived != kNone && whole) {
      const DerivedValues::Entry* kept = ctx_.bindings.derived != nullptr ? ctx_.bindings.derived->find(name) : nullptr;
      if (kept != nullptr && kept->known) {
        // A value does not depend on the answers still missing, so it holds
        // under any assignment being enumerated too.
        out.value = &kept->value;
        return out;
      }
      if (kept != nullptr && !ctx_.enumerating) {
        Val v = Val::unknown({});
        for (const std::string& input : kept->waiting) add(v.detail->waiting, variable_id(input));
        add(v.detail->waiting, variable);
        v.detail->bounds = borrowing(kept->bounds);  // kept for the whole screening
        out.computed = std::move(v);
        return out;
      }
      Val v = eval(derived);
      if (v.is_unknown()) add(v.detail->waiting, variable);
      out.computed = std::move(v);
      return out;
    }
    const json& data = *ctx_.data;
    if (ctx_.bindings.missing_is_unknown && !has_default && (data.is_object() || data.is_null())) {
      out.computed = unknown_variable(variable != kNone ? variable : variable_id(name), whole);
      return out;
    }
    out.value = found;
    return out;
  }

  Val eval_var(std::uint32_t index) {
    const Node& n = node(index);
    std::size_t next_child = 0;
    Val computed_path;
    std::vector<std::string> dynamic_segments;
    const std::vector<std::string>* segments = nullptr;
    if (n.path_child) {
      computed_path = eval(child(n, next_child++));
      if (!computed_path.is_value()) return computed_path;
      const json* path = &computed_path.get();
      if (path->is_array()) path = path->empty() ? &kNull : &(*path)[0];
      if (!path->is_null()) dynamic_segments = values::split_path(values::to_text(*path));
      segments = &dynamic_segments;
    } else {
      segments = &ctx_.rule.paths[n.path];
    }
    const std::uint32_t fallback = n.has_default ? child(n, next_child) : kNone;
    const json* value = current_scope();
    std::size_t first = 0;
    if (!segments->empty() && at_top_level()) {
      TopLevel top = read_top_level(n.path_child ? kNone : n.variable, n.path_child ? kNone : n.derived,
                                    (*segments)[0], segments->size() == 1, n.has_default);
      if (top.computed) return std::move(*top.computed);
      value = top.value;
      first = 1;
      if (value == nullptr) return fallback == kNone ? Val::borrow(kNull) : eval(fallback);
    }
    for (std::size_t i = first; i < segments->size() && value != nullptr; ++i) {
      value = value->is_null() ? nullptr : step(value, (*segments)[i]);  // null has no members: the default
    }
    if (value == nullptr) return fallback == kNone ? Val::borrow(kNull) : eval(fallback);
    return borrow_or_copy(value, computed_path);
  }

  // A value found inside a Val that owns its json must be copied: the Val
  // dies here. Anything else (the data, the rule, a kept derived value, a
  // path that was not computed) outlives the evaluation and is borrowed.
  static Val borrow_or_copy(const json* value, const Val& holder) {
    if (holder.own) return Val::owned(*value);
    return Val::borrow(*value);
  }

  Val eval_val(std::uint32_t index) {
    const Node& n = node(index);
    std::uint32_t climb = n.climb;
    std::vector<std::string> dynamic_segments;
    const std::vector<std::string>* segments = &dynamic_segments;
    Val computed;
    if (n.path_child) {
      computed = eval(child(n, 0));
      if (!computed.is_value()) return computed;
      const json& args = computed.get();
      if (!args.is_array()) {
        if (!args.is_null()) dynamic_segments.push_back(values::to_text(args));
      } else {
        std::size_t i = 0;
        if (!args.empty() && args[0].is_array() && args[0].size() == 1 && args[0][0].is_number()) {
          // Clamped: a double beyond uint32 does not convert (UB); any climb past
          // the outermost scope means the data anyway.
          climb = static_cast<std::uint32_t>(std::min(std::fabs(args[0][0].get<double>()), 4294967295.0));
          i = 1;
        }
        for (; i < args.size(); ++i) dynamic_segments.push_back(key_of(args[i]));
      }
    } else {
      segments = &ctx_.rule.paths[n.path];
    }
    const json* value = scope_at(climb);
    std::size_t first = 0;
    if (!segments->empty() && climb == 0 && at_top_level()) {
      TopLevel top = read_top_level(n.path_child ? kNone : n.variable, n.path_child ? kNone : n.derived,
                                    (*segments)[0], segments->size() == 1, false);
      if (top.computed) return std::move(*top.computed);
      value = top.value;
      first = 1;
    }
    for (std::size_t i = first; i < segments->size() && value != nullptr; ++i) value = step(value, (*segments)[i]);
    if (value == nullptr) return Val::borrow(kNull);
    return borrow_or_copy(value, computed);
  }

  static std::string key_of(const json& key) {
    if (key.is_number_float()) {
      const double number = key.get<double>();
      if (number == std::floor(number) && std::fabs(number) < 1e15) {
        return std::to_string(static_cast<std::int64_t>(number));
      }
    }
    return values::to_text(key);
  }

  // ---- lazy operators ----

  Val eval_if(std::uint32_t index);
  Val eval_and_or(std::uint32_t index);
  Val eval_coalesce(std::uint32_t index);
  Val eval_comparison(std::uint32_t index);
  Val eval_iterator(std::uint32_t index);
  Val eval_try(std::uint32_t index);

  // ---- strict operators ----

  Val eval_strict(std::uint32_t index);
  Val apply(std::uint32_t index, JsonList args);
  Val arithmetic(std::uint32_t index, Op op, JsonList args);
  Val missing(std::uint32_t index, Op op, JsonList args);
  Val lift(std::uint32_t index, const Val* args, std::size_t arg_count);
  Val substr(std::uint32_t index, JsonList args);
  Val compare(std::uint32_t index, Op op, Val& left, const Val& right);
  Val compare_plain(std::uint32_t index, Op op, const json& left, const json& right);

  Context& ctx_;
};

// ---------------------------------------------------------------- lazy

Val Evaluator::eval_if(std::uint32_t index) {
  const Node& n = node(index);
  const std::size_t count = n.child_count;
  ArgFrame branches(ctx_.arg_stack);  // every result still possible (on the shared stack: no allocation)
  Waiting waiting;
  std::size_t i = 0;
  while (true) {
    if (i + 1 < count) {
      const std::uint32_t undecided = undecided_variable(child(n, i));
      if (undecided != kNone) {
        add(waiting, undecided);
        branches.push(eval(child(n, i + 1)));
        i += 2;
        continue;
      }
      Val condition = eval(child(n, i));
      if (condition.is_error()) {
        if (branches.empty() && waiting.empty()) return condition;
        branches.push(Val::unknown({}));  // reached only on some answers
        break;
      }
      const Truth truth = truth_of(condition);
      if (truth == Truth::Truthy) {
        if (branches.empty() && waiting.empty()) return eval(child(n, i + 1));  // the plain path
        branches.push(eval(child(n, i + 1)));
        break;
      }
      if (truth == Truth::Undecided) {
        unite(waiting, condition.detail->waiting);
        branches.push(eval(child(n, i + 1)));
      } else if (condition.is_unknown()) {
        // Decided falsy by its bounds: no branch taken, but nothing to wait on.
      }
      i += 2;
    } else {
      Val last = i < count ? eval(child(n, i)) : Val::borrow(kNull);
      if (branches.empty() && waiting.empty()) return last;
      branches.push(std::move(last));
      break;
    }
  }
  if (waiting.empty() && branches.size() == 1) return std::move(*branches.begin());
  return join(branches.begin(), branches.size(), std::move(waiting));
}

Val Evaluator::eval_and_or(std::uint32_t index) {
  const Node& n = node(index);
  const bool is_and = n.op == Op::And;
  if (n.child_count == 0) return Val::borrow(kFalse);
  Waiting pending;
  bool any_pending = false;
  for (std::size_t i = 0; i < n.child_count; ++i) {
    const bool last = i + 1 == n.child_count;
    // Alone, the operand would be the result, bounds and all: evaluate it.
    const std::uint32_t undecided = n.child_count > 1 ? undecided_variable(child(n, i)) : kNone;
    if (undecided != kNone) {
      any_pending = true;
      add(pending, undecided);
      if (last) return Val::unknown(std::move(pending));
      continue;
    }
    Val operand = eval(child(n, i));
    if (operand.is_error()) {
      if (!any_pending) return operand;
      return Val::unknown(std::move(pending));  // the error is reached only on some answers
    }
    const Truth truth = truth_of(operand);
    const Truth decisive = is_and ? Truth::Falsy : Truth::Truthy;
    if (truth == decisive) return operand;  // Kleene: false AND unknown = false
    if (truth == Truth::Undecided) {
      any_pending = true;
      unite(pending, operand.detail->waiting);
      if (last) {
        Val v = Val::unknown(std::move(pending));
        // Alone, the operand is the result; after other undecided operands
        // the result may also be one of theirs, so no bounds.
        if (n.child_count == 1) v.detail->bounds = operand.detail->bounds;
        return v;
      }
      continue;
    }
    if (last) {
      if (!any_pending) return operand;
      if (operand.is_unknown()) unite(pending, operand.detail->waiting);
      return Val::unknown(std::move(pending));
    }
  }
  return Val::borrow(kNull);  // not reached
}

Val Evaluator::eval_coalesce(std::uint32_t index) {
  const Node& n = node(index);
  if (n.dynamic_args) {
    ArgFrame args(ctx_.arg_stack);
    gather(index, args);
    if (args.failed) return std::move(args.source);
    for (Val& item : args) {
      if (!item.get().is_null()) return Val::owned(item.get());
    }
    return Val::borrow(kNull);
  }
  for (std::size_t i = 0; i < n.child_count; ++i) {
    Val operand = eval(child(n, i));
    // An unknown will be a non-null answer: it is the result.
    if (!operand.is_value() || !operand.get().is_null()) return operand;
  }
  return Val::borrow(kNull);
}

Val Evaluator::eval_comparison(std::uint32_t index) {
  const Node& n = node(index);
  const Op op = n.op;
  Val previous = eval(child(n, 0));
  if (previous.is_error()) return previous;
  Waiting pending;
  bool any_pending = false;
  for (std::size_t i = 1; i < n.child_count; ++i) {
    Val current = eval(child(n, i));
    if (current.is_error()) {
      if (!any_pending) return current;
      return Val::unknown(std::move(pending));
    }
    Val pair = compare(index, op, previous, current);
    if (pair.is_error()) {
      if (!any_pending) return pair;
      return Val::unknown(std::move(pending));
    }
    if (pair.is_value()) {
      if (!pair.get().get<bool>()) return Val::borrow(kFalse);  // chains stop at the first false
    } else if (n.child_count == 2) {
      // The one pair is the result: the same waiting set and yes/no bounds
      // the union below would build again.
      minimize(index, pair);
      return pair;
    } else {
      any_pending = true;
      unite(pending, pair.detail->waiting);
    }
    if (i + 1 < n.child_count) previous = std::move(current);
  }
  if (!any_pending) return Val::borrow(kTrue);
  Val result = Val::unknown(std::move(pending));
  result.detail->bounds = boolean_bounds();
  minimize(index, result);
  return result;
}

Val Evaluator::eval_iterator(std::uint32_t index) {
  const Node& n = node(index);
  Val source = eval(child(n, 0));
  if (!source.is_value()) return source;
  const json& list = source.get();
  const std::uint32_t body = child(n, 1);
  if (!list.is_array()) {
    switch (n.op) {
      case Op::Map:
      case Op::Filter:
        return Val::owned(json::array());
      case Op::Reduce:
        return n.child_count > 2 ? eval(child(n, 2)) : Val::borrow(kNull);
      default:
        return error(index, "Invalid Arguments", "expected an array to iterate over");
    }
  }
  json metadata = json::object();
  const bool record_index = ctx_.rule.uses_scope_metadata;
  const auto enter = [&](std::size_t position, const json* item) {
    if (record_index) metadata["index"] = position;
    ctx_.scopes.push_back(record_index ? &metadata : &kNull);
    ctx_.scopes.push_back(item);
  };
  const auto leave = [&] { ctx_.scopes.resize(ctx_.scopes.size() - 2); };

  if (n.op == Op::Reduce) {
    std::size_t start = 0;
    Val accumulator;
    if (n.child_count > 2) {
      accumulator = eval(child(n, 2));
      if (!accumulator.is_value()) return accumulator;
    } else if (!list.empty()) {
      accumulator = Val::borrow(list[0]);
      start = 1;
    } else {
      return Val::borrow(kNull);
    }
    json frame = json::object();
    frame["accumulator"] = std::move(accumulator).take();
    for (std::size_t i = start; i < list.size(); ++i) {
      frame["current"] = list[i];
      enter(i, &frame);
      Val step_result = eval(body);
      leave();
      if (!step_result.is_value()) return step_result;
      json next = std::move(step_result).take();
      frame["accumulator"] = std::move(next);
    }
    return Val::owned(std::move(frame["accumulator"]));
  }

  json mapped = json::array();
  std::vector<Val> unknowns;
  for (std::size_t i = 0; i < list.size(); ++i) {
    enter(i, &list[i]);
    Val result = eval(body);
    leave();
    if (result.is_error()) return result;
    if (result.is_unknown()) {
      unknowns.push_back(std::move(result));
      continue;
    }
    const bool keep = truthy(result.get());
    switch (n.op) {
      case Op::Map:
        mapped.push_back(std::move(result).take());
        break;
      case Op::Filter:
        if (keep) mapped.push_back(list[i]);
        break;
      case Op::All:
        if (!keep) return Val::borrow(kFalse);
        break;
      case Op::Some:
        if (keep) return Val::borrow(kTrue);
        break;
      default:  // None
        if (keep) return Val::borrow(kFalse);
        break;
    }
  }
  if (!unknowns.empty()) return merge_unknowns(unknowns);
  switch (n.op) {
    case Op::Map:
    case Op::Filter:
      return Val::owned(std::move(mapped));
    case Op::All:
      return Val::borrow(list.empty() ? kFalse : kTrue);
    case Op::Some:
      return Val::borrow(kFalse);
    default:
      return Val::borrow(kTrue);
  }
}

Val Evaluator::eval_try(std::uint32_t index) {
  const Node& n = node(index);
  if (n.dynamic_args) {
    ArgFrame args(ctx_.arg_stack);
    gather(index, args);
    if (args.failed) return std::move(args.source);
    if (args.size() == 0) return Val::borrow(kNull);
    return Val::owned(args.begin()->get());
  }
  if (n.child_count == 0) return Val::borrow(kNull);
  Val attempt = eval(child(n, 0));
  json caught;
  for (std::size_t i = 1; i < n.child_count && attempt.is_error(); ++i) {
    // A handler reads the error as its data: {"type": ...}.
    caught = json::object({{"type", attempt.detail->failure->type}});
    ctx_.scopes.push_back(&kNull);
    ctx_.scopes.push_back(&caught);
    attempt = eval(child(n, i));
    ctx_.scopes.resize(ctx_.scopes.size() - 2);
    // A value borrowed from the caught object must outlive it.
    const auto type = caught.find("type");
    if (attempt.is_value() && (attempt.ref == &caught || (type != caught.end() && attempt.ref == &*type))) {
      attempt = Val::owned(*attempt.ref);
    }
  }
  return attempt;
}

Val Evaluator::compare_plain(std::uint32_t index, Op op, const json& left, const json& right) {
  if (op == Op::StrictEq || op == Op::StrictNe) {
    return Val::borrow(values::strict_equal(left, right) == (op == Op::StrictEq) ? kTrue : kFalse);
  }
  const auto order = values::loose_compare(left, right);
  if (!order) return nan_error(index, "cannot compare " + values::brief(left) + " with " + values::brief(right));
  bool result = false;
  switch (op) {
    case Op::Eq: result = *order == 0; break;
    case Op::Ne: result = *order != 0; break;
    case Op::Lt: result = *order < 0; break;
    case Op::Le: result = *order <= 0; break;
    case Op::Gt: result = *order > 0; break;
    default: result = *order >= 0; break;
  }
  return Val::borrow(result ? kTrue : kFalse);
}

// One comparison where a side may be unknown: decided when every possible
// pair of values agrees, or when the numeric ranges decide it. `left` is
// not read afterwards (a chain goes on from the right side), so an unknown
// result may take over its detail instead of allocating another.
Val Evaluator::compare(std::uint32_t index, Op op, Val& left, const Val& right) {
  if (left.is_value() && right.is_value()) return compare_plain(index, op, left.get(), right.get());
  Waiting waiting;
  if (left.is_unknown()) unite(waiting, left.detail->waiting);
  if (right.is_unknown()) unite(waiting, right.detail->waiting);
  const json* left_first = nullptr;
  const json* right_first = nullptr;
  std::size_t left_count = 0;
  std::size_t right_count = 0;
  if (possible_values(left, left_first, left_count) && possible_values(right, right_first, right_count) &&
      left_count * right_count <= kMaxChoices) {
    // Every pair of possible values (as finite_choices and for_each_combination
    // would give them, without building the lists).
    bool any_true = false;
    bool any_false = false;
    bool any_error = false;
    for (std::size_t j = 0; j < right_count; ++j) {
      for (std::size_t i = 0; i < left_count; ++i) {
        const Val r = compare_plain(index, op, left_first[i], right_first[j]);
        if (!r.is_value()) {
          any_error = true;
        } else {
          (r.get().get<bool>() ? any_true : any_false) = true;
        }
      }
    }
    if (!any_error && !(any_true && any_false)) return Val::borrow(any_true ? kTrue : kFalse);
  } else if (surely_number(left) || surely_number(right)) {
    const auto a = interval_of(left);
    const auto b = interval_of(right);
    const bool strict = op == Op::StrictEq || op == Op::StrictNe;
    if (a && b && (!strict || (surely_number(left) && surely_number(right)))) {
      if (const std::optional<bool> decided = compare_ranges(op, *a, *b)) return Val::borrow(*decided ? kTrue : kFalse);
    }
  }
  if (!left.is_unknown()) {
    Val v = Val::unknown(std::move(waiting));
    v.detail->bounds = boolean_bounds();
    return v;
  }
  Val v;
  v.kind = Val::Kind::Unknown;
  v.detail = std::move(left.detail);
  left = Val();
  v.detail->waiting = std::move(waiting);
  v.detail->bounds = boolean_bounds();
  v.detail->minimized = false;
  return v;
}

// ---------------------------------------------------------------- strict

Val Evaluator::substr(std::uint32_t, JsonList args) {
  const std::string text = args.empty() ? std::string() : values::to_text(*args[0]);
  // Positions count characters (UTF-8 code points), not bytes.
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  const auto count = static_cast<long long>(starts.size());
  const auto integer_argument = [&](std::size_t i, long long fallback) {
    if (args.size() <= i) return fallback;
    const auto number = to_number(*args[i]);
    if (!number || std::isnan(*number)) return 0LL;
    return static_cast<long long>(std::max(-1e15, std::min(1e15, std::trunc(*number))));
  };
  long long begin = integer_argument(1, 0);
  begin = begin < 0 ? std::max(count + begin, 0LL) : std::min(begin, count);
  long long end = count;
  if (args.size() > 2) {
    const long long length = integer_argument(2, count);
    end = length < 0 ? std::max(count + length, begin) : std::min(begin + length, count);
  }
  const auto byte = [&](long long position) { return position >= count ? text.size() : starts[position]; };
  return Val::owned(json(text.substr(byte(begin), byte(end) - byte(begin))));
}


Val Evaluator::eval_strict(std::uint32_t index) {
  ArgFrame args(ctx_.arg_stack);
  gather(index, args);
  if (args.failed) return std::move(args.source);
  bool any_unknown = false;
  for (Val& item : args) {
    if (item.is_error()) return std::move(item);
    any_unknown = any_unknown || item.is_unknown();
  }
  if (any_unknown) return lift(index, args.begin(), args.size());
  // apply() never borrows its arguments (results are new values or constants),
  // so the frame may go away after it.
  ctx_.plain.clear();
  for (const Val& item : args) ctx_.plain.push_back(&item.get());
  return apply(index, JsonList{ctx_.plain.data(), ctx_.plain.size()});
}

// Strict operators over unknown arguments: exact over finite possibilities,
// interval arithmetic for numbers, else an unknown waiting on the union.
Val Evaluator::lift(std::uint32_t index, const Val* args, std::size_t arg_count) {
  const Op op = node(index).op;
  // The arguments as they lie on the argument stack: no list of their own.
  const Val* const args_end = args + arg_count;
  Waiting waiting;
  // Whether the possibilities are few enough to try each, counted before any
  // list of them is made (a SLEDAI sum of 24 open items is not).
  std::size_t combinations = 1;
  for (const Val* a = args; a != args_end; ++a) {
    if (a->is_unknown()) unite(waiting, a->detail->waiting);
    const json* first = nullptr;
    std::size_t count = 0;
    combinations = combinations <= kMaxChoices && possible_values(*a, first, count) ? combinations * count : kMaxChoices + 1;
  }
  // date_add and throw of an unknown: unknown, nothing more to say.
  std::vector<std::vector<const json*>> choices;
  if (combinations <= kMaxChoices && finite_choices(args, arg_count, choices)) {
    Choices results;
    bool may_fail = false;
    for_each_combination(choices, [&](const std::vector<const json*>& combination) {
      if (may_fail) return;
      Val r = apply(index, JsonList{combination.data(), combination.size()});
      if (!r.is_value()) {
        may_fail = true;
        return;
      }
      results.add(r.get());
    });
    if (!may_fail) {
      if (results.size() == 1) return Val::owned(results[0]);
      Val v = Val::unknown(std::move(waiting));
      v.detail->bounds = finite_bounds(std::move(results));
      return v;
    }
    return Val::unknown(std::move(waiting));
  }
  Val v = Val::unknown(std::move(waiting));
  if (op == Op::Not || op == Op::NotNot) {
    const Truth truth = arg_count == 0 ? Truth::Falsy : truth_of(*args);
    if (truth != Truth::Undecided) return Val::borrow((truth == Truth::Truthy) == (op == Op::NotNot) ? kTrue : kFalse);
    v.detail->bounds = boolean_bounds();
    return v;
  }
  std::vector<Interval> ranges;
  ranges.reserve(arg_count);
  for (const Val* a = args; a != args_end; ++a) {
    const auto range = interval_of(*a);
    if (!range) return v;
    ranges.push_back(*range);
  }
  if (const auto range = interval_arithmetic(op, ranges)) {
    v.detail->bounds.numeric = true;
    v.detail->bounds.lo = range->lo;
    v.detail->bounds.hi = range->hi;
  }
  return v;
}

Val Evaluator::apply(std::uint32_t index, JsonList args) {
  const Op op = node(index).op;
  switch (op) {
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div:
    case Op::Mod:
    case Op::Max:
    case Op::Min:
      return arithmetic(index, op, args);
    case Op::Not:
    case Op::NotNot: {
      const bool value = !args.empty() && truthy(*args.front());
      return Val::borrow(value == (op == Op::NotNot) ? kTrue : kFalse);
    }
    case Op::Cat: {
      std::string text;
      for (const json* a : args) text += values::to_text(*a);
      return Val::owned(json(std::move(text)));
    }
    case Op::Substr:
      return substr(index, args);
    case Op::In: {
      if (args.size() < 2) return Val::borrow(kFalse);
      const json& needle = *args[0];
      const json& haystack = *args[1];
      if (haystack.is_string()) {
        if (!needle.is_string() && !needle.is_number()) return Val::borrow(kFalse);
        const bool found = haystack.get_ref<const std::string&>().find(values::to_text(needle)) != std::string::npos;
        return Val::borrow(found ? kTrue : kFalse);
      }
      if (haystack.is_array()) {
        for (const json& element : haystack) {
          if (values::strict_equal(element, needle)) return Val::borrow(kTrue);
        }
      }
      return Val::borrow(kFalse);
    }
    case Op::Merge: {
      json out = json::array();
      for (const json* a : args) {
        if (a->is_array()) {
          for (const json& element : *a) out.push_back(element);
        } else {
          out.push_back(*a);
        }
      }
      return Val::owned(std::move(out));
    }
    case Op::Missing:
    case Op::MissingSome:
      return missing(index, op, args);
    case Op::Exists: {
      const json* value = current_scope();
      std::vector<const json*> keys(args.begin(), args.end());
      if (keys.size() == 1 && keys[0]->is_array()) {
        keys.clear();
        for (const json& k : *args[0]) keys.push_back(&k);
      }
      for (const json* key : keys) {
        if (value == nullptr) break;
        value = step(value, key_of(*key));
      }
      return Val::borrow(value != nullptr && !keys.empty() ? kTrue : kFalse);
    }
    case Op::Throw: {
      Val v = error(index, "", "");
      const json thrown = args.empty() ? json(nullptr) : *args.front();
      std::string type;
      if (thrown.is_string()) {
        type = thrown.get<std::string>();
      } else if (thrown.is_object() && thrown.contains("type") && thrown["type"].is_string()) {
        type = thrown["type"].get<std::string>();
      } else {
        type = to_json_text(thrown);
      }
      Failure& failure = *v.detail->failure;  // error() made it, with the pointer
      failure.type = type;
      failure.message = "thrown: " + values::brief(thrown);
      failure.thrown = thrown;
      failure.id = "rule.203";
      return v;
    }
    case Op::DateAdd: {
      if (args.size() != 3) return error(index, "Invalid Arguments", "date_add takes a date, a number and a unit");
      const auto date = args[0]->is_string() ? dates::parse(args[0]->get<std::string>()) : std::nullopt;
      if (!date) return error(index, "Invalid Date", "\"" + values::to_text(*args[0]) + "\" is not a date (YYYY-MM-DD)");
      const auto amount = args[1]->is_number() ? to_number(*args[1]) : std::nullopt;
      if (!amount || *amount != std::floor(*amount)) {
        return error(index, "Invalid Arguments", "date_add needs a whole number of units");
      }
      // Beyond this every result leaves years 0001-9999 (and the cast below stays defined).
      if (std::fabs(*amount) > 1e7) return error(index, "Invalid Date", "the date leaves years 0001-9999");
      const auto unit = args[2]->is_string() ? dates::parse_unit(args[2]->get<std::string>()) : std::nullopt;
      if (!unit) return error(index, "Invalid Arguments", "date_add's unit is \"day\", \"month\" or \"year\"");
      const auto result = dates::add(*date, static_cast<long long>(*amount), *unit);
      if (!result) return error(index, "Invalid Date", "the date leaves years 0001-9999");
      return Val::owned(json(dates::format(*result)));
    }
    default:
      return error(index, "Invalid Arguments", "unsupported operator");
  }
}

Val Evaluator::arithmetic(std::uint32_t index, Op op, JsonList args) {
  const std::size_t count = args.size();
  if ((op == Op::Sub || op == Op::Div) && count == 0) {
    return error(index, "Invalid Arguments", std::string("\"") + (op == Op::Sub ? "-" : "/") + "\" needs at least one argument");
  }
  if (op == Op::Mod && count < 2) return error(index, "Invalid Arguments", "\"%\" needs at least two arguments");
  if ((op == Op::Max || op == Op::Min) && count == 0) return Val::borrow(kNull);
  double result = op == Op::Mul ? 1 : 0;
  for (std::size_t i = 0; i < count; ++i) {
    const auto number = to_number(*args[i]);
    if (!number) return nan_error(index, values::brief(*args[i]) + " is not a number");
    if (op == Op::Mod && i > 0 && *number == 0) return nan_error(index, "remainder of a division by zero");
    result = arithmetic_step(op, result, *number, i, count);
  }
  auto number = values::number_json(result);
  if (!number) return nan_error(index, "the result is not a finite number");
  return Val::owned(std::move(*number));
}

Val Evaluator::missing(std::uint32_t index, Op op, JsonList args) {
  std::vector<const json*> keys;
  std::size_t needed = 0;
  if (op == Op::MissingSome) {
    if (args.size() != 2 || !args[1]->is_array()) {
      return error(index, "Invalid Arguments", "missing_some takes a count and an array of keys");
    }
    const auto count = to_number(*args[0]);
    needed = count && *count > 0 ? static_cast<std::size_t>(std::min(*count, 1e15)) : 0;
    for (const json& key : *args[1]) keys.push_back(&key);
  } else if (!args.empty() && args[0]->is_array()) {
    for (const json& key : *args[0]) keys.push_back(&key);
  } else {
    keys.assign(args.begin(), args.end());
  }
  json absent = json::array();
  for (const json* key : keys) {
    const json* value = nullptr;
    if (!answer_for_missing(*key, value)) {
      value = current_scope();
      for (const std::string& segment : values::split_path(values::to_text(*key))) {
        value = step(value, segment);
        if (value == nullptr) break;
      }
    }
    if (value == nullptr || value->is_null() || (value->is_string() && value->get_ref<const std::string&>().empty())) {
      absent.push_back(*key);
    }
  }
  if (op == Op::MissingSome && keys.size() - absent.size() >= needed) return Val::owned(json::array());
  return Val::owned(std::move(absent));
}

// ---------------------------------------------------------------- minimize

void Evaluator::minimize(std::uint32_t index, Val& result) {
  if (!result.is_unknown() || result.detail->minimized || ctx_.enumerating || ctx_.bindings.domains == nullptr) {
    return;
  }
  result.detail->minimized = true;
  auto& waiting = result.detail->waiting;
  if (waiting.size() == 1) return;  // one unknown alone always matters
  const auto& rule = ctx_.rule;
  // Enumerate the waiting variables that are answers with a finite domain.
  // Not reserved: most calls stop at their first variable (a number, with no
  // finite domain), and reserving cost them two allocations for nothing.
  std::vector<std::uint32_t> enumerated;
  std::vector<Choices> domains;
  std::size_t combinations = 1;
  for (std::uint32_t id : waiting) {
    const bool derived = id < rule.derived_of_variable.size() && rule.derived_of_variable[id] != kNone;
    if (derived) continue;  // kept or dropped with its inputs, below
    const Domain* domain = id < rule.numbered_variables.size() ? domain_of(id) : nullptr;
    Choices possible = domain != nullptr ? domain_choices(*domain) : Choices();
    if (possible.empty() || combinations * possible.size() > rule.limits.max_enumeration) {
      // With a variable left unknown most outcomes stay unknown and nothing
      // could be dropped: not worth the evaluations.
      return;
    }
    combinations *= possible.size();
    enumerated.push_back(id);
    domains.push_back(std::move(possible));
  }
  if (enumerated.empty() || waiting.size() == 1) return;  // one unknown alone always matters

  // Outcome of every assignment, in mixed radix (first variable fastest),
  // evaluated only when a comparison below asks for it: a variable matters as
  // soon as one pair of assignments that differ only in it gives different
  // outcomes, so when every variable matters (the common case) 1 + k
  // evaluations decide instead of all 2^k. Same result as evaluating all.
  struct Seen {
    bool evaluated = false;
    bool known = false;
    json value;
  };
  std::vector<Seen> outcomes(combinations);
  ctx_.enumerating = true;
  ctx_.overrides.assign(rule.numbered_variables.size(), nullptr);
  const auto outcome = [&](std::size_t combination) -> const Seen& {
    Seen& seen = outcomes[combination];
    if (!seen.evaluated) {
      std::size_t rest = combination;
      for (std::size_t k = 0; k < enumerated.size(); ++k) {
        ctx_.overrides[enumerated[k]] = &domains[k][rest % domains[k].size()];
        rest /= domains[k].size();
      }
      Val v = eval(index);
      seen.evaluated = true;
      if (v.is_value()) {
        seen.known = true;
        seen.value = std::move(v).take();
      }
    }
    return seen;
  };
  const auto differ = [&](std::size_t a, std::size_t b) {
    const Seen& x = outcome(a);
    const Seen& y = outcome(b);
    return !x.known || !y.known || x.value != y.value;
  };
  std::vector<std::uint32_t> relevant;
  std::size_t stride = 1;
  for (std::size_t k = 0; k < enumerated.size(); ++k) {
    const std::size_t size = domains[k].size();
    bool matters = false;
    for (std::size_t combination = 0; combination < combinations && !matters; ++combination) {
      if ((combination / stride) % size != 0) continue;
      for (std::size_t value = 1; value < size && !matters; ++value) matters = differ(combination, combination + value * stride);
    }
    if (matters) relevant.push_back(enumerated[k]);
    stride *= size;
  }
  Waiting kept;
  for (std::uint32_t id : waiting) {
    const bool derived = id < rule.derived_of_variable.size() && rule.derived_of_variable[id] != kNone;
    const bool was_enumerated = std::find(enumerated.begin(), enumerated.end(), id) != enumerated.end();
    if (was_enumerated) {
      if (std::find(relevant.begin(), relevant.end(), id) != relevant.end()) kept.push_back(id);
    } else if (derived) {
      // A derived value is worth answering when one of its inputs matters.
      for (std::uint32_t input : rule.inputs_of_variable[id]) {
        const bool input_enumerated = std::find(enumerated.begin(), enumerated.end(), input) != enumerated.end();
        const bool input_waiting = std::find(waiting.begin(), waiting.end(), input) != waiting.end();
        const bool input_relevant = std::find(relevant.begin(), relevant.end(), input) != relevant.end();
        if (input_relevant || (input_waiting && !input_enumerated)) {
          kept.push_back(id);
          break;
        }
      }
    } else {
      kept.push_back(id);
    }
  }
  bool same = false;
  if (kept.empty() && outcome(0).known) {
    // Every assignment gives the same value: the bounds were too coarse to see it.
    same = true;
    for (std::size_t c = 1; c < combinations && same; ++c) same = !differ(0, c);
  }
  ctx_.overrides.clear();
  ctx_.enumerating = false;
  if (same) {
    result = Val::owned(std::move(outcomes.front().value));
    return;
  }
  if (!kept.empty()) waiting = std::move(kept);
}

}  // namespace

// ---------------------------------------------------------------- plain path
//
// What most evaluations the memo cannot answer look like: a formula or a
// comparison over values that are all answered (for BH002: I09's four liver
// values, I10 and the creatinine clearance it reads). Those are worked out
// here over plain values, without the three-valued machinery (no unknowns,
// bounds or allocation), by the same value functions the evaluator uses
// (truthy, loose_compare, to_number, number_json, arithmetic_step). Anything
// else (an unanswered or unknown variable, another operator, an error on the
// way) gives up, and the evaluator works the rule out from the start. Plain
// JsonLogic (bindings with no slots, domains, derived values or unknowns:
// `trialscreen logic`, compileLogic().apply()) reads its variables by name,
// from the data object's members.
namespace {

void clear_outcome(Outcome& outcome);  // below, with the other outcomes' helpers

// `source` into `target`. Natively in place when both are of one scalar
// type, as an outcome's value mostly is from one record to the next: a JSON
// value's assignment is a copy, a swap and a destruction.
void assign_value(json& target, const json& source) {
#ifndef TRIALSCREEN_FOR_SIZE
  if (target.type() == source.type()) {
    switch (source.type()) {
      case json::value_t::null:
        return;
      case json::value_t::boolean:
        *target.get_ptr<json::boolean_t*>() = *source.get_ptr<const json::boolean_t*>();
        return;
      case json::value_t::number_integer:
        *target.get_ptr<json::number_integer_t*>() = *source.get_ptr<const json::number_integer_t*>();
        return;
      case json::value_t::number_unsigned:
        *target.get_ptr<json::number_unsigned_t*>() = *source.get_ptr<const json::number_unsigned_t*>();
        return;
      case json::value_t::number_float:
        *target.get_ptr<json::number_float_t*>() = *source.get_ptr<const json::number_float_t*>();
        return;
      default:
        break;
    }
  }
#endif
  target = source;
}

// A finite number worked out into `target`, as values::number_json makes it.
void assign_number(json& target, double number) {
#ifndef TRIALSCREEN_FOR_SIZE
  constexpr double kExactIntegers = 9007199254740992.0;  // 2^53, as number_json
  if (number == std::floor(number) && std::fabs(number) <= kExactIntegers) {
    if (target.is_number_integer() && !target.is_number_unsigned()) {
      *target.get_ptr<json::number_integer_t*>() = static_cast<std::int64_t>(number);
      return;
    }
  } else if (target.is_number_float()) {
    *target.get_ptr<json::number_float_t*>() = number;
    return;
  }
#endif
  target = *values::number_json(number);
}

class PlainEvaluator {
 public:
  PlainEvaluator(const Rule::Compiled& rule, const Bindings& bindings, const json& data)
      : rule_(rule),
        bindings_(bindings),
        by_name_(bindings.slot_values == nullptr && !bindings.missing_is_unknown && bindings.domains == nullptr &&
                         bindings.derived == nullptr && data.is_object()
                     ? &data.get_ref<const json::object_t&>()
                     : nullptr),
        plain_slots_(bindings.slot_values != nullptr && !bindings.missing_is_unknown && bindings.derived == nullptr) {}

  // A value that outlives the evaluation (an answer, a literal, true or
  // false), or a number worked out. The evaluator makes each arithmetic
  // result a JSON number (number_json) that the next operator reads as a
  // double again: the same double, so only the rule's own value is made one.
  struct Plain {
    const json* ref = nullptr;
    double number = 0;
  };

  // Where the plain path met the evaluator's error: a comparison of two
  // values it cannot compare (those two), or arithmetic whose result is no
  // finite number. `node` is kNone while there is none.
  struct Failure {
    std::uint32_t node = kNone;
    bool comparison = true;
    Plain sides[2];
  };

  // Node `index`'s value into `out`, or false when it is not that simple.
  bool evaluate_at(std::uint32_t index, Plain& out) {
    return (bindings_.slot_values != nullptr || by_name_ != nullptr) && eval(index, out, 0);
  }

  // Whether the rule has a program (Compiled::plain_program) and one of its
  // slots is unanswered: then the plain path gives a value only where an
  // operand decides without that answer.
  bool program_waits() const {
#ifndef TRIALSCREEN_FOR_SIZE
    // Plain JsonLogic reads an unanswered slot as null: nothing waits.
    if (rule_.plain_program.empty() || bindings_.slot_values == nullptr || plain_slots_) return false;
    for (std::uint32_t slot : rule_.plain_program_slots) {
      const json* value = (*bindings_.slot_values)[slot];
      if (value == nullptr || value->is_null()) return true;
    }
#endif
    return false;
  }

  // After evaluate() gave false: whether it stopped at a comparison of two
  // values that cannot be compared, or at arithmetic whose result is no
  // finite number (a division by zero), the error the evaluator gives for
  // the rule then. Every operator eval() takes passes an operand's error on as
  // the evaluator does, in the same order (and/or, if, comparison chains
  // one operand at a time, the others over all of theirs), and eval() stops
  // at the first operand that is not plain, so no unknown can stand before
  // the error. Into `outcome` (emptied as put_outcome empties it).
  bool failed(Outcome& outcome) const {
    if (failure_.node == kNone) return false;
    put_failure(rule_, failure_, outcome);
    return true;
  }

  // The evaluator's error for `failure` into `outcome` (emptied as
  // put_outcome empties it).
  static void put_failure(const Rule::Compiled& rule, const Failure& failure, Outcome& outcome) {
    const auto brief = [&](const Plain& side) {
      if (side.ref != nullptr) return values::append_brief(*side.ref, outcome.error_message);
      values::append_brief(*values::number_json(side.number), outcome.error_message);
    };
    clear_outcome(outcome);
    if (!outcome.value.is_null()) outcome.value = nullptr;
    outcome.kind = Outcome::Kind::Error;
    outcome.error_type = "NaN";
    // Appended into the cleared strings, whose room is reused.
    if (failure.comparison) {
      outcome.error_message += "cannot compare ";
      brief(failure.sides[0]);
      outcome.error_message += " with ";
      brief(failure.sides[1]);
    } else {
      outcome.error_message += "the result is not a finite number";
    }
    outcome.error_id = "rule.201";
    rule.pointers.spell_into(rule.nodes[failure.node].pointer, outcome.error_pointer);
  }

  // The rule's value into `out`, or false when it is not that simple.
  bool evaluate(json& out) {
    if (bindings_.slot_values == nullptr && by_name_ == nullptr) return false;
    Plain result;
    if (!run_program(result)) {
      // The program met the evaluator's error where the recursion would.
      if (failure_.node != kNone) return false;
      if (!eval(rule_.root, result, 0)) return false;
    }
    write(result, out);
    return true;
  }

  // A plain value (finite, when a number worked out) into `out`.
  static void write(const Plain& value, json& out) {
    if (value.ref != nullptr) {
      assign_value(out, *value.ref);
    } else {
      assign_number(out, value.number);
    }
  }

 private:
  static constexpr std::size_t kMaxDepth = 32;

  static bool is_true(const Plain& v) {
    if (v.ref == nullptr) return v.number != 0;
#ifndef TRIALSCREEN_FOR_SIZE
    // Most are yes/no answers, or their comparisons' true and false.
    if (v.ref->is_boolean()) return *v.ref->get_ptr<const json::boolean_t*>();
#endif
    return truthy(*v.ref);
  }
  static std::optional<double> number_of(const Plain& v) {
    if (v.ref == nullptr) return v.number;
#ifndef TRIALSCREEN_FOR_SIZE
    // Most operands are answers that are numbers: to_number() without a call.
    if (v.ref->type() == json::value_t::number_float) {
      const double number = *v.ref->get_ptr<const json::number_float_t*>();
      if (!std::isnan(number)) return number;
      return std::nullopt;
    }
    if (v.ref->type() == json::value_t::number_integer) {
      return static_cast<double>(*v.ref->get_ptr<const json::number_integer_t*>());
    }
    // Whole numbers read from JSON text that are not negative.
    if (v.ref->type() == json::value_t::number_unsigned) {
      return static_cast<double>(*v.ref->get_ptr<const json::number_unsigned_t*>());
    }
#endif
    return to_number(*v.ref);
  }
  // loose_compare's order; a number worked out is never a string.
  static std::optional<int> order_of(const Plain& a, const Plain& b) {
#ifndef TRIALSCREEN_FOR_SIZE
    // loose_compare compares two texts as texts, anything else as numbers:
    // those without its call.
    if (a.ref != nullptr && b.ref != nullptr && a.ref->is_string() && b.ref->is_string()) {
      return values::loose_compare(*a.ref, *b.ref);
    }
#else
    if (a.ref != nullptr && b.ref != nullptr) return values::loose_compare(*a.ref, *b.ref);
#endif
    const std::optional<double> x = number_of(a);
    const std::optional<double> y = number_of(b);
    if (!x || !y) return std::nullopt;
    return *x < *y ? -1 : (*x > *y ? 1 : 0);
  }

  bool eval(std::uint32_t index, Plain& out, std::size_t depth) {
    const Node& n = rule_.nodes[index];
    if (depth > kMaxDepth) return false;
#ifndef TRIALSCREEN_FOR_SIZE
    if (n.dynamic_args) return negate_spread(n, out, depth);
#else
    if (n.dynamic_args) return false;
#endif
    const std::uint32_t* children = rule_.child_begin(n);
    const std::size_t count = n.child_count;
    switch (n.op) {
      case Op::Literal:
        out.ref = &rule_.literals[n.literal];
        return true;
      case Op::Var:
        return read(n, out, depth);
      case Op::If: {
        std::size_t i = 0;
        for (; i + 1 < count; i += 2) {
          Plain condition;
          if (!eval(children[i], condition, depth + 1)) return false;
          if (is_true(condition)) return eval(children[i + 1], out, depth + 1);
        }
        if (i < count) return eval(children[i], out, depth + 1);
        out.ref = &kNull;
        return true;
      }
      case Op::And:
      case Op::Or:
        // The first operand that decides, else the last.
        for (std::size_t i = 0; i < count; ++i) {
          if (!eval(children[i], out, depth + 1)) return false;
          if (is_true(out) == (n.op == Op::Or)) return true;
        }
        return count > 0;
      case Op::Not:
      case Op::NotNot: {
        Plain operand;
        if (count != 1 || !eval(children[0], operand, depth + 1)) return false;
        out.ref = is_true(operand) == (n.op == Op::NotNot) ? &kTrue : &kFalse;
        return true;
      }
      case Op::Eq:
      case Op::Ne:
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge: {
        // A chain stops at its first pair that does not hold.
        Plain previous;
        if (count < 2 || !eval(children[0], previous, depth + 1)) return false;
        for (std::size_t i = 1; i < count; ++i) {
          Plain current;
          if (!eval(children[i], current, depth + 1)) return false;
          const std::optional<int> order = order_of(previous, current);
          if (!order) {
            // The evaluator's error here, as it would reach it (see failed()).
            failure_.node = index;
            failure_.comparison = true;
            failure_.sides[0] = previous;
            failure_.sides[1] = current;
            return false;
          }
          if (!holds(n.op, *order)) {
            out.ref = &kFalse;
            return true;
          }
          previous = current;
        }
        out.ref = &kTrue;
        return true;
      }
      case Op::Add:
      case Op::Sub:
      case Op::Mul:
      case Op::Div:
      case Op::Max:
      case Op::Min: {
        double result = n.op == Op::Mul ? 1 : 0;
        for (std::size_t i = 0; i < count; ++i) {
          Plain argument;
          if (!eval(children[i], argument, depth + 1)) return false;
          const std::optional<double> x = number_of(argument);
          if (!x) return false;
          result = arithmetic_step(n.op, result, *x, i, count);
        }
        if (count == 0) return false;
        if (!std::isfinite(result)) {
          // The evaluator's error here: its operands are the same numbers.
          failure_.node = index;
          failure_.comparison = false;
          return false;
        }
        out.ref = nullptr;
        out.number = result;
        return true;
      }
#ifndef TRIALSCREEN_FOR_SIZE
      case Op::Missing:
        return missing(n, out);
      case Op::DateAdd: {
        // The evaluator gathers the three operands first, as here.
        if (count != 3) return false;
        Plain operands[3];
        for (std::size_t i = 0; i < 3; ++i) {
          if (!eval(children[i], operands[i], depth + 1)) return false;
        }
        return add_date(operands, made(), out);
      }
#endif
      default:
        return false;
    }
  }

#ifndef TRIALSCREEN_FOR_SIZE
  // `!` or `!!` of one expression (`{"!": {"missing": ["x"]}}`), whose value
  // the evaluator spreads as the arguments when it is an array, as it
  // spreads any operator's (Evaluator::gather), and then takes the first.
  // Other operators' spread arguments are left to the evaluator.
  bool negate_spread(const Node& n, Plain& out, std::size_t depth) {
    if ((n.op != Op::Not && n.op != Op::NotNot) || n.child_count != 1) return false;
    Plain operand;
    if (!eval(rule_.child_begin(n)[0], operand, depth + 1)) return false;
    out.ref = spread_truth(operand) == (n.op == Op::NotNot) ? &kTrue : &kFalse;
    return true;
  }

  // Whether `!`'s (or `!!`'s) one expression, of value `operand`, is true as
  // the evaluator takes it: an array spread as the arguments, the first read.
  static bool spread_truth(const Plain& operand) {
    const json* list = operand.ref;
    return list != nullptr && list->is_array() ? !list->empty() && truthy(list->front()) : is_true(operand);
  }

  // `missing` of literal top-level names in plain JsonLogic, as the
  // evaluator's missing() gives it: the names whose value is absent, null or
  // "" (by name, or by slot when the rule's names have slots:
  // Compiled::missing_slots). Anything else (a path, a computed name, a
  // screening's unanswered name, which is unknown) is left to the evaluator.
  bool missing(const Node& n, Plain& out) {
    if (by_name_ != nullptr) {
      return missing_of(rule_, n, made(), out, [&](const std::string& name, const json*& value) {
        const auto member = by_name_->find(name);
        value = member != by_name_->end() ? &member->second : nullptr;
        return true;
      });
    }
    return plain_slots_ && missing_by_slot(rule_, n, *bindings_.slot_values, made(), out);
  }

  // missing() by slot: the names' slots (Compiled::missing_slots, set when
  // the rule reads the data only through its slots).
  static bool missing_by_slot(const Rule::Compiled& rule, const Node& n, const std::vector<const json*>& values,
                              MadeValues& made, Plain& out) {
    if (!rule.memoizable) return false;
    return missing_of(rule, n, made, out, [&](const std::string& name, const json*& value) {
      const auto named = std::find_if(rule.missing_slots.begin(), rule.missing_slots.end(),
                                      [&](const auto& entry) { return entry.first == name; });
      if (named == rule.missing_slots.end()) return false;
      value = values[named->second];
      return true;
    });
  }

  // missing() with `find_value(name, value)` finding a name's value
  // (nullptr when there is none), false when it cannot.
  template <typename FindValue>
  static bool missing_of(const Rule::Compiled& rule, const Node& n, MadeValues& made, Plain& out,
                         const FindValue& find_value) {
    json* absent = nullptr;
    const auto check = [&](const json& key) {
      if (!key.is_string()) return false;
      const std::string& name = key.get_ref<const std::string&>();
      if (name.empty() || name.find('.') != std::string::npos) return false;  // a path
      const json* value = nullptr;
      if (!find_value(name, value)) return false;
      if (value == nullptr || value->is_null() || (value->is_string() && value->get_ref<const std::string&>().empty())) {
        if (absent == nullptr) {
          absent = made.next();
          if (absent == nullptr) return false;
          if (absent->is_array()) {
            absent->clear();  // its room reused
          } else {
            *absent = json::array();
          }
        }
        absent->push_back(key);
      }
      return true;
    };
    const std::uint32_t* children = rule.child_begin(n);
    for (std::size_t i = 0; i < n.child_count; ++i) {
      const Node& argument = rule.nodes[children[i]];
      if (argument.op != Op::Literal) return false;
      const json& literal = rule.literals[argument.literal];
      if (i == 0 && literal.is_array()) {
        // As the evaluator: a first argument that is a list is the names.
        for (const json& key : literal) {
          if (!check(key)) return false;
        }
        break;
      }
      if (!check(literal)) return false;
    }
    out.ref = absent != nullptr ? absent : &kEmptyArray;
    return true;
  }

  // date_add over three plain operands, the date the evaluator gives, into
  // `made`; anything it refuses (its own error) is left to it.
  static bool add_date(const Plain* operands, MadeValues& made, Plain& out) {
    if (made.used == MadeValues::kMax) return false;
    const json* date_text = operands[0].ref;
    const json* unit_text = operands[2].ref;
    if (date_text == nullptr || !date_text->is_string() || unit_text == nullptr || !unit_text->is_string()) return false;
    if (operands[1].ref != nullptr && !operands[1].ref->is_number()) return false;
    const std::optional<double> amount = number_of(operands[1]);
    if (!amount || *amount != std::floor(*amount) || std::fabs(*amount) > 1e7) return false;
    const auto date = dates::parse(date_text->get_ref<const std::string&>());
    const auto unit = dates::parse_unit(unit_text->get_ref<const std::string&>());
    if (!date || !unit) return false;
    const auto result = dates::add(*date, static_cast<long long>(*amount), *unit);
    if (!result) return false;
    json* place = made.next();
    if (place->is_string()) {
      *place->get_ptr<std::string*>() = dates::format(*result);  // its room reused
    } else {
      *place = dates::format(*result);
    }
    out.ref = place;
    return true;
  }
#endif

  // The rule's program (Compiled::plain_program) into `out`: what eval()
  // gives from the root, or false. Its branches skip what eval() skips, so
  // both work out the same operands in the same order (their answers are
  // the same whenever both give one: no step has an effect); it may still
  // give up where eval() would not (a chain of three or more works out
  // every operand first), and eval() is asked then.
  bool run_program(Plain& out) {
#ifndef TRIALSCREEN_FOR_SIZE
    // An unanswered slot: eval() may still decide without it.
    if (program_tried_ || rule_.plain_program.empty() || bindings_.slot_values == nullptr || program_waits() ||
        (rule_.plain_program_reads_missing && !plain_slots_)) {
      return false;
    }
    return run_program_over(rule_, *bindings_.slot_values, plain_slots_, bindings_.derived != nullptr, made(), out,
                            &failure_);
#else
    (void)out;
    return false;
#endif
  }

 public:
#ifndef TRIALSCREEN_FOR_SIZE
  // run_program() over `values`, the slots' answers: plain JsonLogic's (an
  // unanswered slot is null) when `plain_slots`, else a screening's whose
  // answers are all given (program_waits() is false), with derived values
  // kept in DerivedValues when `derived_kept`.
  static bool run_program_over(const Rule::Compiled& rule, const std::vector<const json*>& values, bool plain_slots,
                               bool derived_kept, MadeValues& made, Plain& out, Failure* failure) {
    ProgramStack storage;
    Plain* const stack = storage.at;
    std::size_t top = 0;  // the next free place
    const Rule::Compiled::PlainStep* const steps = rule.plain_program.data();
    const std::size_t count = rule.plain_program.size();
    for (std::size_t i = 0; i < count; ++i) {
      const Rule::Compiled::PlainStep& step = steps[i];
      if (step.op == Op::Literal) {
        stack[top++] = Plain{&rule.literals[step.arg], 0};
      } else if (step.op == Op::Var) {
        const json* value = values[step.arg];
        if (plain_slots) {
          // As read() takes a slot in plain JsonLogic.
          if (step.count != 0 || (value != nullptr && value->is_structured())) return false;
          stack[top++] = Plain{value != nullptr ? value : &kNull, 0};
        } else if (value != nullptr && !value->is_null()) {
          stack[top++] = Plain{value, 0};
          i += step.count;  // a derived value's answer: not its expression's steps
        } else if (step.count == 0 || derived_kept) {
          return false;  // an unanswered derived value is read from DerivedValues (eval() does)
        }  // else its expression's steps follow and leave its value, as eval() works it out
      } else if (step.branch != Rule::Compiled::PlainStep::Branch::None) {
        if (takes_branch(rule, step, stack, top)) i += step.count;
      } else if (step.op == Op::Missing) {
        if (!plain_slots || !missing_by_slot(rule, rule.nodes[step.arg], values, made, stack[top])) return false;
        ++top;
      } else if (step.op == Op::DateAdd) {
        top -= 3;
        if (!add_date(stack + top, made, stack[top])) return false;
        ++top;
      } else if (step.spread) {
        stack[top - 1] = Plain{spread_truth(stack[top - 1]) == (step.op == Op::NotNot) ? &kTrue : &kFalse, 0};
      } else {
        top -= step.count;
        const Applied applied = apply(step.op, stack + top, step.count);
        if (applied != Applied::Value) {
          // Where the recursion would meet the same error (Compiled::
          // plain_program_fails_as_recursion), it is the rule's.
          if (applied != Applied::GaveUp && failure != nullptr && rule.plain_program_fails_as_recursion) {
            failure->node = step.arg;
            failure->comparison = applied == Applied::Incomparable;
            failure->sides[0] = stack[top];
            failure->sides[1] = stack[top + 1];
          }
          return false;
        }
        ++top;
      }
    }
    out = stack[0];
    return true;
  }
#endif

  // The program was run already (Rule::evaluate_in_set): evaluate() goes
  // straight to the recursion.
  void skip_program() { program_tried_ = true; }

  // Whether the evaluator's value of the rule, with some of its program's
  // slots unanswered, is an unknown that has no bounds at all, as a quotient
  // with an unknown operand is (the creatinine clearance with its weight or
  // creatinine missing: lift() has no interval for a division): then the
  // variables it waits on, as bits of their numbers, in `waiting`. Worked
  // out over the program as eval_strict() and lift() work it out: an
  // unanswered variable is unknown with its domain's range (one with a list
  // of values, which lift() would try in turn, gives up), + - * max min of
  // an unknown are unknown with a range unless an operand has none, a
  // quotient has none, a derived value's expression waits on the value too.
  // Any other operator over an unknown, an operand that is no number, a
  // bounded result or one the plain path would give: false, and the
  // evaluator is asked. For derived values, which are not shrunk.
  bool open_unknown(const json& data, std::uint64_t& waiting) const {
#ifndef TRIALSCREEN_FOR_SIZE
    if (rule_.plain_program.empty() || bindings_.slot_values == nullptr || !bindings_.missing_is_unknown ||
        bindings_.derived != nullptr || !(data.is_object() || data.is_null())) {
      return false;
    }
    enum : std::uint8_t { kKnown, kRanged, kOpen };
    const std::vector<const json*>& values = *bindings_.slot_values;
    ProgramStack storage;
    Plain* const stack = storage.at;
    std::uint64_t waits[kMaxProgramStack];
    std::uint8_t kinds[kMaxProgramStack];
    // Derived values' expressions under way: where each ends, and its variable.
    constexpr std::size_t kMaxPending = 4;
    std::size_t pending_end[kMaxPending];
    std::uint32_t pending_variable[kMaxPending];
    std::size_t pending = 0;
    std::size_t top = 0;
    const Rule::Compiled::PlainStep* const steps = rule_.plain_program.data();
    const std::size_t count = rule_.plain_program.size();
    for (std::size_t i = 0; i < count; ++i) {
      const Rule::Compiled::PlainStep& step = steps[i];
      if (step.op == Op::Literal) {
        stack[top] = Plain{&rule_.literals[step.arg], 0};
        kinds[top] = kKnown;
        waits[top++] = 0;
      } else if (step.op == Op::Var) {
        const json* value = values[step.arg];
        if (step.variable >= 64) return false;
        if (value != nullptr && !value->is_null()) {
          stack[top] = Plain{value, 0};
          kinds[top] = kKnown;
          waits[top++] = 0;
          i += step.count;
          continue;
        }
        if (step.count != 0) {
          if (pending == kMaxPending) return false;
          pending_end[pending] = i + step.count;
          pending_variable[pending++] = step.variable;
          continue;
        }
        // unknown_variable(): its domain's bounds.
        const Domain* domain = domain_by(rule_, bindings_, step.variable, rule_.numbered_variables[step.variable]);
        std::uint8_t kind = kOpen;
        if (domain != nullptr) {
          const Bounds bounds = bounds_of_domain(*domain);
          if (bounds.finite) return false;
          if (bounds.numeric) kind = kRanged;
        }
        kinds[top] = kind;
        waits[top++] = std::uint64_t{1} << step.variable;
      } else if (step.op == Op::Missing || step.op == Op::DateAdd || step.spread) {
        return false;  // not followed here: the evaluator is asked
      } else if (step.branch != Rule::Compiled::PlainStep::Branch::None) {
        // Only over a known value: what eval_strict() does with an unknown
        // condition or operand is not followed here.
        if (step.branch != Rule::Compiled::PlainStep::Branch::Always && kinds[top - 1] != kKnown) return false;
        if (takes_branch(rule_, step, stack, top)) i += step.count;
      } else {
        top -= step.count;
        std::uint64_t union_of = 0;
        bool open = step.op == Op::Div;
        bool any_unknown = false;
        bool not_number = false;  // interval_of() has no range for it: not worked out here
        for (std::size_t k = top; k < top + step.count; ++k) {
          if (kinds[k] == kKnown) {
            not_number = not_number || (stack[k].ref != nullptr && !stack[k].ref->is_number());
          } else {
            any_unknown = true;
            open = open || kinds[k] == kOpen;
            union_of |= waits[k];
          }
        }
        if (!any_unknown) {
          if (apply(step.op, stack + top, step.count) != Applied::Value) return false;
          kinds[top] = kKnown;
          waits[top] = 0;
        } else {
          const bool arithmetic = step.op == Op::Add || step.op == Op::Sub || step.op == Op::Mul ||
                                  step.op == Op::Div || step.op == Op::Max || step.op == Op::Min;
          if (!arithmetic || not_number) return false;
          kinds[top] = open ? kOpen : kRanged;
          waits[top] = union_of;
        }
        ++top;
      }
      // A derived value's expression done (its last step run or skipped):
      // unknown, it waits on the value too (read_top_level()).
      while (pending != 0 && pending_end[pending - 1] <= i) {
        --pending;
        if (kinds[top - 1] != kKnown) waits[top - 1] |= std::uint64_t{1} << pending_variable[pending];
      }
    }
    if (kinds[0] != kOpen) return false;
    waiting = waits[0];
    return true;
#else
    (void)data;
    (void)waiting;
    return false;
#endif
  }

  // The most values a program's stack holds, and the depth eval() takes
  // (prepare_plain_program).
  static constexpr std::size_t kMaxProgramStack = 32;
#ifndef TRIALSCREEN_FOR_SIZE
  static constexpr std::size_t kMaxDepthTaken = kMaxDepth;
#endif

 private:
  // A program's stack, left unset: a place is written before it is read,
  // and setting every place was a fifth of evaluating a one-step rule.
  union ProgramStack {
    ProgramStack() {}
    Plain at[kMaxProgramStack];
  };

  // What apply() made of its operands: a value, or why not (the evaluator's
  // error for a comparison of two values it cannot compare or arithmetic
  // that is no finite number; GaveUp for anything else).
  enum class Applied { Value, GaveUp, Incomparable, NotFinite };

  // Operator `op` over the `count` values at `args`, as eval() works it out
  // once its children are values; the result replaces args[0].
  static Applied apply(Op op, Plain* args, std::size_t count) {
    switch (op) {
      case Op::Not:
      case Op::NotNot:
        args[0] = Plain{is_true(args[0]) == (op == Op::NotNot) ? &kTrue : &kFalse, 0};
        return Applied::Value;
      case Op::Eq:
      case Op::Ne:
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge:
        // A chain stops at its first pair that does not hold.
        for (std::size_t i = 1; i < count; ++i) {
          const std::optional<int> order = order_of(args[i - 1], args[i]);
          if (!order) return count == 2 ? Applied::Incomparable : Applied::GaveUp;
          if (!holds(op, *order)) {
            args[0] = Plain{&kFalse, 0};
            return Applied::Value;
          }
        }
        args[0] = Plain{&kTrue, 0};
        return Applied::Value;
      default: {  // Add, Sub, Mul, Div, Max, Min
        double result = op == Op::Mul ? 1 : 0;
#ifndef TRIALSCREEN_FOR_SIZE
        if (op == Op::Add) {
          // A score's sum of many items: arithmetic_step's switch once, not per item.
          for (std::size_t i = 0; i < count; ++i) {
            const std::optional<double> x = number_of(args[i]);
            if (!x) return Applied::GaveUp;
            result += *x;
          }
          if (!std::isfinite(result)) return Applied::NotFinite;
          args[0] = Plain{nullptr, result};
          return Applied::Value;
        }
#endif
        for (std::size_t i = 0; i < count; ++i) {
          const std::optional<double> x = number_of(args[i]);
          if (!x) return Applied::GaveUp;
          result = arithmetic_step(op, result, *x, i, count);
        }
        if (!std::isfinite(result)) return Applied::NotFinite;
        args[0] = Plain{nullptr, result};
        return Applied::Value;
      }
    }
  }

#ifndef TRIALSCREEN_FOR_SIZE
  // Whether branch step `step` skips, over the values below `top`, which it
  // takes from (Unless; IfFalsy/IfTruthy when they do not skip) or replaces
  // (Select, which never skips).
  static bool takes_branch(const Rule::Compiled& rule, const Rule::Compiled::PlainStep& step, Plain* stack,
                           std::size_t& top) {
    using Branch = Rule::Compiled::PlainStep::Branch;
    switch (step.branch) {
      case Branch::Always:
        return true;
      case Branch::Unless:
        return !is_true(stack[--top]);
      case Branch::Select:
        stack[top - 1] = Plain{&rule.literals[is_true(stack[top - 1]) ? step.arg : step.other], 0};
        return false;
      default: {  // IfFalsy, IfTruthy
        const bool skips = is_true(stack[top - 1]) == (step.branch == Branch::IfTruthy);
        if (!skips) --top;
        return skips;
      }
    }
  }
#endif

  static bool holds(Op op, int order) {
    switch (op) {
      case Op::Eq: return order == 0;
      case Op::Ne: return order != 0;
      case Op::Lt: return order < 0;
      case Op::Le: return order <= 0;
      case Op::Gt: return order > 0;
      default: return order >= 0;  // Ge
    }
  }

  // A whole top-level variable read by slot: its answer; else, for a derived
  // variable, its value when it is kept (DerivedValues) and known, or its
  // expression's when none is kept.
  bool read(const Node& n, Plain& out, std::size_t depth) {
    if (n.path_child || n.has_default || n.variable == kNone || rule_.paths[n.path].size() != 1) return false;
    if (by_name_ != nullptr) {
      // A member's plain value, or null when there is none (JsonLogic's
      // `var`); an array or an object is left to the evaluator.
      if (n.derived != kNone) return false;
      const auto member = by_name_->find(rule_.paths[n.path][0]);
      if (member == by_name_->end()) {
        out.ref = &kNull;
        return true;
      }
      if (member->second.is_structured()) return false;
      out.ref = &member->second;
      return true;
    }
    // Without a slot the evaluator reads the name in the data: not plain.
    const std::uint32_t slot = slot_of(rule_, n.variable);
    if (slot == kNone) return false;
    if (plain_slots_) {
      // Plain JsonLogic by slot, as by name above: an absent member is null.
      if (n.derived != kNone) return false;
      const json* member = (*bindings_.slot_values)[slot];
      if (member != nullptr && member->is_structured()) return false;
      out.ref = member != nullptr ? member : &kNull;
      return true;
    }
    if (const json* answer = slot_answer(rule_, bindings_, n.variable)) {
      out.ref = answer;
      return true;
    }
    if (n.derived == kNone) return false;
    const DerivedValues::Entry* kept = bindings_.derived != nullptr ? bindings_.derived->find(rule_.paths[n.path][0]) : nullptr;
    if (kept == nullptr) return eval(n.derived, out, depth + 1);
    if (!kept->known) return false;
    out.ref = &kept->value;
    return true;
  }

  const Rule::Compiled& rule_;
  const Bindings& bindings_;
  const json::object_t* by_name_;  // plain JsonLogic: the data's members; else nullptr
  // Where eval() or the program met the evaluator's error, if they did.
  Failure failure_;
#ifndef TRIALSCREEN_FOR_SIZE
  // The values this evaluation makes (made at the first: most rules make
  // none, and even an empty vector costs every evaluation its construction
  // and destruction).
  std::optional<MadeValues> made_;
  MadeValues& made() { return made_ ? *made_ : made_.emplace(); }
#endif
  // Plain JsonLogic read by slot (Bindings::slot_values without unknowns or
  // derived values kept): an unanswered slot is null, as by name.
  bool plain_slots_;
  bool program_tried_ = false;
};

#ifndef TRIALSCREEN_FOR_SIZE
bool add_plain_steps(Rule::Compiled& rule, std::uint32_t index, std::size_t depth, std::size_t& stack);

// `if`, `and` or `or` node `n` as its operands' steps with branches between
// them, as PlainEvaluator::eval takes them: an `if`'s conditions in turn,
// each followed by its value's steps, then the last operand (an `if`
// without one is left to eval()); and/or's operands in turn, until one
// decides. `stack` counts the values a run holds at most: one branch runs.
bool add_plain_branches(Rule::Compiled& rule, const Node& n, std::size_t depth, std::size_t& stack) {
  using Branch = Rule::Compiled::PlainStep::Branch;
  const std::size_t count = n.child_count;
  if (count == 0 || (n.op == Op::If && count % 2 == 0)) return false;
  const std::uint32_t* children = rule.child_begin(n);
  const std::size_t base = stack;
  if (n.op == Op::If && count == 3 && rule.nodes[children[1]].op == Op::Literal &&
      rule.nodes[children[2]].op == Op::Literal) {
    if (!add_plain_steps(rule, children[0], depth + 1, stack)) return false;
    Rule::Compiled::PlainStep select;
    select.op = Op::If;
    select.branch = Branch::Select;
    select.arg = rule.nodes[children[1]].literal;
    select.other = rule.nodes[children[2]].literal;
    rule.plain_program.push_back(select);
    stack = base + 1;
    return true;
  }
  std::vector<std::size_t> to_end;  // branches that skip to the end
  const auto branch = [&](Branch kind) {
    Rule::Compiled::PlainStep step;
    step.op = n.op;
    step.branch = kind;
    rule.plain_program.push_back(step);
    return rule.plain_program.size() - 1;
  };
  const auto skip_to_here = [&](std::size_t at) {
    rule.plain_program[at].count = static_cast<std::uint32_t>(rule.plain_program.size() - at - 1);
  };
  for (std::size_t i = 0; i < count; ++i) {
    stack = base;
    if (!add_plain_steps(rule, children[i], depth + 1, stack)) return false;
    if (i + 1 == count) break;
    if (n.op != Op::If) {
      to_end.push_back(branch(n.op == Op::And ? Branch::IfFalsy : Branch::IfTruthy));
      continue;
    }
    const std::size_t unless = branch(Branch::Unless);
    stack = base;
    if (!add_plain_steps(rule, children[++i], depth + 1, stack)) return false;
    to_end.push_back(branch(Branch::Always));
    skip_to_here(unless);
  }
  for (std::size_t at : to_end) skip_to_here(at);
  stack = base + 1;
  return true;
}

// Appends node `index` and its children to `rule`'s program, as
// PlainEvaluator::eval takes them at `depth`; false where eval() would give
// up whatever the answers (an operator it does not take, too deep) or the
// stack would overflow. A derived value's expression follows its read.
bool add_plain_steps(Rule::Compiled& rule, std::uint32_t index, std::size_t depth, std::size_t& stack) {
  const Node& n = rule.nodes[index];
  if (depth > PlainEvaluator::kMaxDepthTaken) return false;
  Rule::Compiled::PlainStep step;
  step.op = n.op;
  if (n.dynamic_args) {
    // Only `!` and `!!` of one expression (PlainEvaluator::negate_spread).
    if ((n.op != Op::Not && n.op != Op::NotNot) || n.child_count != 1) return false;
    if (!add_plain_steps(rule, rule.child_begin(n)[0], depth + 1, stack)) return false;
    step.spread = true;
    step.count = 1;
    rule.plain_program.push_back(step);
    return true;  // one value taken, one left
  }
  switch (n.op) {
    case Op::Literal:
      step.arg = n.literal;
      rule.plain_program.push_back(step);
      return ++stack <= PlainEvaluator::kMaxProgramStack;
    case Op::Var: {
      if (n.path_child || n.has_default || n.variable == kNone || rule.paths[n.path].size() != 1 ||
          slot_of(rule, n.variable) == kNone) {
        return false;
      }
      step.arg = slot_of(rule, n.variable);
      step.variable = n.variable;
      if (n.derived == kNone) {
        rule.plain_program_slots.push_back(step.arg);
        rule.plain_program.push_back(step);
        return ++stack <= PlainEvaluator::kMaxProgramStack;
      }
      const std::size_t at = rule.plain_program.size();
      rule.plain_program.push_back(step);
      if (!add_plain_steps(rule, n.derived, depth + 1, stack)) return false;  // leaves one value
      rule.plain_program[at].count = static_cast<std::uint32_t>(rule.plain_program.size() - at - 1);
      return true;
    }
    case Op::If:
    case Op::And:
    case Op::Or:
      return add_plain_branches(rule, n, depth, stack);
    case Op::Missing:
      // Its names are checked as it runs (PlainEvaluator::missing_of).
      step.arg = index;
      rule.plain_program_reads_missing = true;
      rule.plain_program.push_back(step);
      return ++stack <= PlainEvaluator::kMaxProgramStack;
    case Op::DateAdd:
      if (n.child_count != 3) return false;
      break;
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div:
    case Op::Max:
    case Op::Min:
      if (n.child_count == 0) return false;
      break;
    case Op::Not:
    case Op::NotNot:
      if (n.child_count != 1) return false;
      break;
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
      if (n.child_count < 2) return false;
      break;
    default:
      return false;
  }
  const std::uint32_t* children = rule.child_begin(n);
  for (std::size_t i = 0; i < n.child_count; ++i) {
    if (!add_plain_steps(rule, children[i], depth + 1, stack)) return false;
  }
  step.count = n.child_count;
  step.arg = index;  // where an error it meets is
  stack -= n.child_count;  // they make its one value
  rule.plain_program.push_back(step);
  return ++stack <= PlainEvaluator::kMaxProgramStack;
}

}  // namespace

void prepare_plain_program(Rule::Compiled& rule) {
  std::size_t stack = 0;
  const bool taken = add_plain_steps(rule, rule.root, 0, stack);
  std::vector<std::uint32_t>& slots = rule.plain_program_slots;
  if (!taken) {
    rule.plain_program.clear();
    rule.plain_program_reads_missing = false;
    slots.clear();
    return;
  }
  std::sort(slots.begin(), slots.end());
  slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
  // A chain of three or more works out every operand before comparing, the
  // recursion compares as it goes and may stop before an operand that fails.
  rule.plain_program_fails_as_recursion =
      std::none_of(rule.plain_program.begin(), rule.plain_program.end(), [](const Rule::Compiled::PlainStep& step) {
        return is_comparison(step.op) && step.branch == Rule::Compiled::PlainStep::Branch::None && step.count > 2;
      });
}

namespace {
#endif

#ifndef TRIALSCREEN_FOR_SIZE
// A rule that is an `and` or an `or` of comparisons (< <= > >=) whose sides
// are worked out from given answers, or are unanswered variables whose
// domain is no list of values, or + - * max min of such: worked out as the
// evaluator works it out, without its machinery (a Context, an unknown's
// details allocated at each node, argument frames). BH002's I09 ("AST and ALT
// < 2 x ULN") is such a rule and waits on one of its four labs in most
// referrals: the evaluator's way cost it about a tenth of a batch record's
// time (docs/performance.md, "Nineteenth session"). False for any other rule,
// or when a side is not that simple: the evaluator then works it out.
//
// What it gives is what the evaluator gives, step for step: a side's range
// as lift() and interval_of() make it, each comparison decided as compare()
// decides it by ranges (compare_ranges; a side with a list of values makes it
// give up, as compare() would try every pair), Kleene's and/or as
// eval_and_or() applies it, and an unknown waiting on its undecided
// comparisons' variables, which minimize() cannot shrink (none has a list of
// values to try). The browsers' module, built for size, leaves it out.
class ComparisonsEvaluator {
 public:
  ComparisonsEvaluator(const Rule::Compiled& rule, const Bindings& bindings, const json& data)
      : rule_(rule), bindings_(bindings), plain_(rule, bindings, data), data_(data) {}

  // The rule's truth, or nullopt and the variables it waits on in `waiting`.
  bool evaluate(std::optional<bool>& truth, Waiting& waiting) {
    const Node& root = rule_.nodes[rule_.root];
    if (!root_is_comparison() && ((root.op != Op::And && root.op != Op::Or) || root.child_count < 2 || root.dynamic_args)) {
      return false;
    }
    if (!bindings_.missing_is_unknown || bindings_.slot_values == nullptr || !(data_.is_object() || data_.is_null())) {
      return false;
    }
    if (root_is_comparison()) {  // one comparison alone (BH002's I10 reading an unknown clearance)
      waiting.clear();
      return compare(rule_.root, truth, waiting);
    }
    const bool decisive = root.op == Op::Or;  // the truth that ends the operands
    const std::uint32_t* operands = rule_.child_begin(root);
    waiting.clear();
    for (std::size_t i = 0; i < root.child_count; ++i) {
      std::optional<bool> operand;
      if (!compare(operands[i], operand, waiting)) return false;
      if (operand && *operand == decisive) {
        truth = operand;
        return true;
      }
    }
    // No operand decided: the last one's truth, unless one before waits.
    if (waiting.empty()) truth = !decisive;
    return true;
  }

  // The rule is one comparison: its unknown has the yes/no bounds compare() gives it.
  bool root_is_comparison() const {
    const Op op = rule_.nodes[rule_.root].op;
    return op == Op::Lt || op == Op::Le || op == Op::Gt || op == Op::Ge;
  }

 private:
  // A comparison's side: a value, or an unknown waiting on `waiting`.
  struct Side {
    bool known = false;
    Waiting waiting;
    bool number = false;            // surely_number()
    std::optional<Interval> range;  // interval_of()
  };

  // Comparison node `index`: its truth, or nullopt and its variables added
  // to `waiting`. False when it is not that simple.
  bool compare(std::uint32_t index, std::optional<bool>& truth, Waiting& waiting) {
    const Node& n = rule_.nodes[index];
    if ((n.op != Op::Lt && n.op != Op::Le && n.op != Op::Gt && n.op != Op::Ge) || n.child_count != 2 || n.dynamic_args) {
      return false;
    }
    const std::uint32_t* sides = rule_.child_begin(n);
    // A side that is an unanswered variable stops the plain path at once: it
    // is not tried then.
    if (unanswered_variable(rule_.nodes[sides[0]]) == kNone && unanswered_variable(rule_.nodes[sides[1]]) == kNone) {
      PlainEvaluator::Plain whole;
      if (plain_.evaluate_at(index, whole)) {
        truth = whole.ref != nullptr ? truthy(*whole.ref) : whole.number != 0;
        return true;
      }
    }
    Side left;
    Side right;
    if (!side(sides[0], left, true) || !side(sides[1], right, true) || (left.known && right.known)) return false;
    if ((left.number || right.number) && left.range && right.range) truth = compare_ranges(n.op, *left.range, *right.range);
    if (!truth) {
      unite(waiting, left.waiting);
      unite(waiting, right.waiting);
    }
    return true;
  }

  // Node `index` as a side; + - * max min of sides only when `may_compute`.
  bool side(std::uint32_t index, Side& out, bool may_compute) {
    const Node& n = rule_.nodes[index];
    if (const std::uint32_t variable = unanswered_variable(n); variable != kNone) {
      add(out.waiting, variable);
      const Domain* domain = domain_by(rule_, bindings_, variable, rule_.numbered_variables[variable]);
      const Bounds bounds = domain != nullptr ? bounds_of_domain(*domain) : Bounds();
      if (bounds.finite) return false;  // compare() and lift() would try each value
      out.number = bounds.numeric;
      if (bounds.numeric) out.range = Interval{bounds.lo, bounds.hi};
      return true;
    }
    PlainEvaluator::Plain value;
    if (plain_.evaluate_at(index, value)) {
      out.known = true;
      out.number = value.ref == nullptr || value.ref->is_number();
      const std::optional<double> number = value.ref != nullptr ? to_number(*value.ref) : value.number;
      if (number) out.range = Interval{*number, *number};
      return true;
    }
    if (const DerivedValues::Entry* kept = unknown_derived(n)) return derived_side(n, *kept, out);
    const bool interval_op = n.op == Op::Add || n.op == Op::Sub || n.op == Op::Mul || n.op == Op::Max || n.op == Op::Min;
    if (!may_compute || !interval_op || n.dynamic_args) return false;
    // lift(): the union of the arguments' waiting sets, and the ranges'
    // arithmetic when every argument has a range.
    std::vector<Interval>& ranges = ranges_;
    ranges.clear();
    bool every_range = true;
    const std::uint32_t* arguments = rule_.child_begin(n);
    for (std::size_t i = 0; i < n.child_count; ++i) {
      Side argument;
      if (!side(arguments[i], argument, false)) return false;
      unite(out.waiting, argument.waiting);
      every_range = every_range && argument.range.has_value();
      if (argument.range) ranges.push_back(*argument.range);
    }
    if (out.waiting.empty()) return false;  // no unknown argument, yet not plain: not that simple
    if (every_range) {
      if (const std::optional<Interval> range = interval_arithmetic(n.op, ranges)) {
        out.number = true;
        out.range = range;
      }
    }
    return true;
  }

  // The kept unknown (Bindings::derived) that node `n` reads when it is a
  // plain read of an unanswered derived value kept so; nullptr otherwise
  // (the evaluator then works its expression out in place).
  const DerivedValues::Entry* unknown_derived(const Node& n) const {
    if (n.op != Op::Var || n.path_child || n.has_default || n.derived == kNone || n.variable == kNone ||
        rule_.paths[n.path].size() != 1 || slot_of(rule_, n.variable) == kNone || bindings_.derived == nullptr ||
        slot_answer(rule_, bindings_, n.variable) != nullptr) {
      return nullptr;
    }
    const DerivedValues::Entry* kept = bindings_.derived->find(rule_.paths[n.path][0]);
    return kept != nullptr && !kept->known ? kept : nullptr;
  }

  // Such a read as a side, as read_top_level() hands it on: waiting on the
  // kept inputs and the value itself, with the kept bounds. False when they
  // list values (compare() would try each), when an input is no numbered
  // variable of the rule, or when every input has a list of values (then
  // minimize() could shrink the rule's waiting set: with one that has none
  // it stops at once).
  bool derived_side(const Node& n, const DerivedValues::Entry& kept, Side& out) const {
    if (kept.bounds.finite) return false;
    bool one_unlisted = false;
    const auto& index = rule_.variable_index;
    for (const std::string& input : kept.waiting) {
      const auto found = std::lower_bound(index.begin(), index.end(), input,
                                          [](const auto& entry, const std::string& key) { return entry.first < key; });
      if (found == index.end() || found->first != input) return false;
      const std::uint32_t id = found->second;
      add(out.waiting, id);
      if (one_unlisted || (id < rule_.derived_of_variable.size() && rule_.derived_of_variable[id] != kNone)) continue;
      const Domain* domain = domain_by(rule_, bindings_, id, input);
      one_unlisted = domain == nullptr || !lists_values(*domain);
    }
    if (!one_unlisted) return false;
    add(out.waiting, n.variable);
    out.number = kept.bounds.numeric;
    if (kept.bounds.numeric) out.range = Interval{kept.bounds.lo, kept.bounds.hi};
    return true;
  }

  // The variable node `n` reads when it is a plain read of an unanswered
  // top-level variable that has a slot; kNone otherwise.
  std::uint32_t unanswered_variable(const Node& n) const {
    if (!reads_whole_slot(rule_, n) || n.variable >= rule_.numbered_variables.size()) return kNone;
    return slot_answer(rule_, bindings_, n.variable) == nullptr ? n.variable : kNone;
  }

  const Rule::Compiled& rule_;
  const Bindings& bindings_;
  PlainEvaluator plain_;
  const json& data_;
  std::vector<Interval> ranges_;
};
#endif

}  // namespace

struct DerivedValues::Entries {
  // Every name recorded since this was made, in the order first met, and
  // whether it holds something for the current document. A screening records
  // the same few names for every document: their entries (the name, the
  // waiting list) are reused, not made and freed for each one. Few names
  // (BH002 has three), so a linear search.
  struct Named {
    std::string name;
    bool present = false;
    Entry entry;
  };
  std::vector<std::unique_ptr<Named>> named;

  // The entry for `name`, present and emptied.
  Entry& fresh(const std::string& name) {
    for (const std::unique_ptr<Named>& n : named) {
      if (n->name == name) return empty(*n);
    }
    named.push_back(std::make_unique<Named>());
    named.back()->name = name;
    return empty(*named.back());
  }

  static Entry& empty(Named& found) {
    found.present = true;
    Entry& entry = found.entry;
    entry.shared = nullptr;
    entry.known = false;
    entry.value = nullptr;
    entry.waiting.clear();
    entry.bounds = Bounds();
    return entry;
  }
};

DerivedValues::DerivedValues() : entries_(std::make_unique<Entries>()) {}
DerivedValues::DerivedValues(DerivedValues&&) noexcept = default;
DerivedValues& DerivedValues::operator=(DerivedValues&&) noexcept = default;
DerivedValues::~DerivedValues() = default;

void DerivedValues::record(const std::string& name, const Rule& rule, const json& data, const Bindings& bindings) {
  const Rule::Compiled& compiled = *rule.compiled_;
  json plain;
  PlainEvaluator plain_path(compiled, bindings, data);
#ifndef TRIALSCREEN_FOR_SIZE
  // An unknown with no bounds (the evaluator's result, worked out without
  // it), tried first when an input is unanswered: the plain path would
  // mostly stop at that input, after working out the rest.
  std::uint64_t open = 0;
  const bool is_open = plain_path.program_waits() && plain_path.open_unknown(data, open);
  if (!is_open && plain_path.evaluate(plain)) {
#else
  if (plain_path.evaluate(plain)) {
#endif
    Entry& entry = entries_->fresh(name);
    entry.known = true;
    entry.value = std::move(plain);
    return;
  }
#ifndef TRIALSCREEN_FOR_SIZE
  if (is_open) {
    Entry& entry = entries_->fresh(name);
    for (; open != 0; open &= open - 1) {
      entry.waiting.push_back(compiled.numbered_variables[static_cast<std::size_t>(__builtin_ctzll(open))]);
    }
    return;
  }
#endif
  std::optional<Scratch> own;
  if (bindings.scratch == nullptr) own.emplace();
  Context context(compiled, bindings, data, own ? own->buffers() : bindings.scratch->buffers());
  Evaluator evaluator(context);
  // Not shrunk by enumeration: a reading rule gets exactly what evaluating the
  // expression in its own place would give, and shrinks its own result.
  Val result = evaluator.eval(compiled.root);
  if (result.is_error()) return;
  Entry& entry = entries_->fresh(name);
  if (result.is_value()) {
    entry.known = true;
    entry.value = std::move(result).take();
  } else {
    for (std::uint32_t id : result.detail->waiting) entry.waiting.push_back(evaluator.variable_name(id));
    entry.bounds = std::move(result.detail->bounds);
    entry.bounds.choices = entry.bounds.choices.owned();  // a borrowed list may not live as long
  }
}

void DerivedValues::clear() {
  for (const std::unique_ptr<Entries::Named>& n : entries_->named) n->present = false;
}

void DerivedValues::set(const std::string& name, json value) {
  Entry& entry = entries_->fresh(name);
  entry.known = true;
  entry.value = std::move(value);
}

void DerivedValues::share(const std::string& name, const DerivedValues& other) {
  const Entry* kept = other.find(name);
  if (kept == nullptr) return;
  entries_->fresh(name).shared = kept;
}

const DerivedValues::Entry* DerivedValues::find(const std::string& name) const {
  for (const std::unique_ptr<Entries::Named>& n : entries_->named) {
    if (n->present && n->name == name) return n->entry.shared != nullptr ? n->entry.shared : &n->entry;
  }
  return nullptr;
}

const json* DerivedValues::value(const std::string& name) const {
  const Entry* entry = find(name);
  return entry != nullptr && entry->known ? &entry->value : nullptr;
}

bool DerivedValues::open_unknown(const std::string& name, std::size_t& waiting) const {
  const Entry* entry = find(name);
  if (entry == nullptr || entry->known || entry->bounds.finite || entry->bounds.numeric) return false;
  waiting = entry->waiting.size();
  return true;
}

Outcome Rule::evaluate(const json& data, const Bindings& bindings) const {
  Outcome outcome;
  evaluate(data, bindings, outcome);
  return outcome;
}

namespace {

// Empties what an earlier evaluation left in `outcome` but its kind and
// value; the lists keep their capacity.
void clear_outcome(Outcome& outcome) {
  outcome.waiting_on.clear();
  outcome.waiting_slots.clear();
  outcome.lower.reset();
  outcome.upper.reset();
  outcome.error_type.clear();
  outcome.error_message.clear();
  outcome.error_id.clear();
  outcome.error_pointer.clear();
  if (!outcome.thrown.is_null()) outcome.thrown = nullptr;
}

// An unknown waiting on `waiting` with `bounds` into `outcome` (emptied by
// clear_outcome); `name_of` names a waiting variable without a slot.
template <typename NameOf>
void put_unknown(const Waiting& waiting, const Bounds& bounds, const Rule::Compiled& rule, const Bindings& bindings,
                 const NameOf& name_of, Outcome& outcome) {
  outcome.kind = Outcome::Kind::Unknown;
  if (bindings.waiting_by_slot) outcome.waiting_slots.reserve(waiting.size());
  for (std::uint32_t id : waiting) {
    const std::uint32_t slot = bindings.waiting_by_slot ? slot_of(rule, id) : kNone;
    if (slot != kNone) {
      outcome.waiting_slots.push_back(slot);
    } else {
      outcome.waiting_on.push_back(name_of(id));
    }
  }
  std::sort(outcome.waiting_slots.begin(), outcome.waiting_slots.end());
  outcome.waiting_slots.erase(std::unique(outcome.waiting_slots.begin(), outcome.waiting_slots.end()),
                              outcome.waiting_slots.end());
  std::sort(outcome.waiting_on.begin(), outcome.waiting_on.end());
  outcome.waiting_on.erase(std::unique(outcome.waiting_on.begin(), outcome.waiting_on.end()), outcome.waiting_on.end());
  if (const auto range = numeric_hull(bounds)) {
    if (std::isfinite(range->lo)) outcome.lower = range->lo;
    if (std::isfinite(range->hi)) outcome.upper = range->hi;
  }
}

// An evaluation's result as an Outcome; `name_of` names a waiting variable
// without a slot.
template <typename NameOf>
void put_outcome(Val& result, const Rule::Compiled& rule, const Bindings& bindings, const NameOf& name_of,
                 Outcome& outcome) {
  clear_outcome(outcome);
  if (result.kind != Val::Kind::Value && !outcome.value.is_null()) outcome.value = nullptr;
  switch (result.kind) {
    case Val::Kind::Value:
      outcome.kind = Outcome::Kind::Value;
      outcome.value = std::move(result).take();
      break;
    case Val::Kind::Unknown:
      put_unknown(result.detail->waiting, result.detail->bounds, rule, bindings, name_of, outcome);
      break;
    case Val::Kind::Error:
      outcome.kind = Outcome::Kind::Error;
      outcome.error_type = result.detail->failure->type;
      outcome.error_message = result.detail->failure->message;
      outcome.error_id = result.detail->failure->id;
      outcome.error_pointer = result.detail->failure->pointer;
      outcome.thrown = result.detail->failure->thrown;
      break;
  }
}

}  // namespace

namespace {

// The plain path wrote the outcome's value: the rest of it emptied.
void put_plain_kind(Outcome& outcome) {
  clear_outcome(outcome);
  outcome.kind = Outcome::Kind::Value;
}

}  // namespace

void Rule::evaluate_in_set(const json& data, const Bindings& bindings, Outcome& outcome) const {
#ifndef TRIALSCREEN_FOR_SIZE
  // The program straight over the set's slots, with nothing set up around
  // it: most rules of a set end here. Then the rest of the way, without it.
  const Compiled& rule = *compiled_;
  if (rule.plain_program.empty() || bindings.slot_values == nullptr) return evaluate_now(data, bindings, outcome);
  PlainEvaluator::Plain result;
  // Dates and missing's lists the value may borrow, in the lent buffers.
  std::optional<MadeValues> own;
  MadeValues& made = bindings.scratch != nullptr ? bindings.scratch->buffers().made : own.emplace();
  made.used = 0;
  PlainEvaluator::Failure failure;
  if (PlainEvaluator::run_program_over(rule, *bindings.slot_values, true, false, made, result, &failure)) {
    PlainEvaluator::write(result, outcome.value);
    return put_plain_kind(outcome);
  }
  if (failure.node != kNone) return PlainEvaluator::put_failure(rule, failure, outcome);
  evaluate_now(data, bindings, outcome, true);
#else
  evaluate_now(data, bindings, outcome);
#endif
}

void Rule::evaluate_now(const json& data, const Bindings& bindings, Outcome& outcome, bool program_tried) const {
  // The plain path writes the value only when it gives one.
#ifndef TRIALSCREEN_FOR_SIZE
  // A rule waiting on an answer is asked of the comparisons' path first
  // (each gives what the evaluator gives, when it gives anything): the plain
  // path would mostly stop at that answer, after working out the rest.
  PlainEvaluator plain_path(*compiled_, bindings, data);
  if (program_tried) plain_path.skip_program();
  const bool waits = plain_path.program_waits();
  if (!waits && plain_path.evaluate(outcome.value)) return put_plain_kind(outcome);
  if (plain_path.failed(outcome)) return;
  {
    std::optional<bool> truth;
    Waiting waiting;
    ComparisonsEvaluator comparisons(*compiled_, bindings, data);
    if (comparisons.evaluate(truth, waiting)) {
      clear_outcome(outcome);
      if (truth) {
        outcome.kind = Outcome::Kind::Value;
        outcome.value = *truth;
      } else {
        if (!outcome.value.is_null()) outcome.value = nullptr;
        put_unknown(waiting, comparisons.root_is_comparison() ? boolean_bounds() : Bounds(), *compiled_, bindings,
                    [&](std::uint32_t id) { return compiled_->numbered_variables[id]; }, outcome);
      }
      return;
    }
  }
  if (waits && plain_path.evaluate(outcome.value)) return put_plain_kind(outcome);
  if (plain_path.failed(outcome)) return;
#else
  (void)program_tried;
  PlainEvaluator plain_path(*compiled_, bindings, data);
  if (plain_path.evaluate(outcome.value)) return put_plain_kind(outcome);
  if (plain_path.failed(outcome)) return;
#endif
  std::optional<Scratch> own;
  if (bindings.scratch == nullptr) own.emplace();
  Context context(*compiled_, bindings, data, own ? own->buffers() : bindings.scratch->buffers());
  Evaluator evaluator(context);
  Val result = evaluator.eval(compiled_->root);
  evaluator.minimize(compiled_->root, result);
  put_outcome(result, *compiled_, bindings, [&](std::uint32_t id) { return evaluator.variable_name(id); }, outcome);
}

}  // namespace trialscreen::logic
