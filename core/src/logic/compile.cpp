// Rule::compile: checks a JsonLogic rule once and turns it into a node table.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <utility>

#include "compiled.hpp"
#include "dates.hpp"
#include "values.hpp"

namespace trialscreen::logic {
namespace {

using json = nlohmann::json;

enum class Shape : std::uint8_t {
  Spread,   // an array of expressions, or one expression spread at run time
  Array,    // a literal array of expressions (lazy operators and iterators)
  Path,     // var/val: a path, possibly computed
};

struct OpSpec {
  const char* name;
  Op op;
  Shape shape;
  std::size_t min_args;  // checked when the arguments are a literal array
  std::size_t max_args;
};

constexpr std::size_t kMany = static_cast<std::size_t>(-1);

constexpr OpSpec kOperators[] = {
    {"var", Op::Var, Shape::Path, 0, kMany},
    {"val", Op::Val, Shape::Path, 0, kMany},
    {"exists", Op::Exists, Shape::Spread, 0, kMany},
    {"missing", Op::Missing, Shape::Spread, 0, kMany},
    {"missing_some", Op::MissingSome, Shape::Spread, 2, 2},
    {"if", Op::If, Shape::Array, 0, kMany},
    {"?:", Op::If, Shape::Array, 0, kMany},
    {"and", Op::And, Shape::Array, 0, kMany},
    {"or", Op::Or, Shape::Array, 0, kMany},
    {"!", Op::Not, Shape::Spread, 0, kMany},
    {"!!", Op::NotNot, Shape::Spread, 0, kMany},
    {"??", Op::Coalesce, Shape::Spread, 0, kMany},
    {"==", Op::Eq, Shape::Array, 2, kMany},
    {"!=", Op::Ne, Shape::Array, 2, kMany},
    {"===", Op::StrictEq, Shape::Array, 2, kMany},
    {"!==", Op::StrictNe, Shape::Array, 2, kMany},
    {"<", Op::Lt, Shape::Array, 2, kMany},
    {"<=", Op::Le, Shape::Array, 2, kMany},
    {">", Op::Gt, Shape::Array, 2, kMany},
    {">=", Op::Ge, Shape::Array, 2, kMany},
    {"+", Op::Add, Shape::Spread, 0, kMany},
    {"-", Op::Sub, Shape::Spread, 1, kMany},
    {"*", Op::Mul, Shape::Spread, 0, kMany},
    {"/", Op::Div, Shape::Spread, 1, kMany},
    {"%", Op::Mod, Shape::Spread, 2, kMany},
    {"max", Op::Max, Shape::Spread, 0, kMany},
    {"min", Op::Min, Shape::Spread, 0, kMany},
    {"cat", Op::Cat, Shape::Spread, 0, kMany},
    {"substr", Op::Substr, Shape::Spread, 1, 3},
    {"in", Op::In, Shape::Spread, 2, 2},
    {"merge", Op::Merge, Shape::Spread, 0, kMany},
    {"map", Op::Map, Shape::Array, 2, 2},
    {"filter", Op::Filter, Shape::Array, 2, 2},
    {"reduce", Op::Reduce, Shape::Array, 2, 3},
    {"all", Op::All, Shape::Array, 2, 2},
    {"some", Op::Some, Shape::Array, 2, 2},
    {"none", Op::None, Shape::Array, 2, 2},
    {"throw", Op::Throw, Shape::Spread, 0, 1},
    {"try", Op::Try, Shape::Spread, 0, kMany},
    {"date_add", Op::DateAdd, Shape::Spread, 3, 3},
};

const OpSpec* find_operator(const std::string& name) {
  for (const OpSpec& spec : kOperators) {
    if (name[0] == spec.name[0] && name == spec.name) return &spec;  // most differ in the first character
  }
  return nullptr;
}

bool is_operation(const json& value) { return value.is_object() && !value.empty(); }

// Nesting depth of a plain value, without recursion (a preserved literal is
// never compiled, but it is still measured against the limit).
std::size_t depth_of(const json& value, std::size_t stop_after) {
  std::vector<std::pair<const json*, std::size_t>> pending{{&value, 0}};
  std::size_t deepest = 0;
  while (!pending.empty()) {
    auto [current, depth] = pending.back();
    pending.pop_back();
    if (!current->is_structured()) continue;
    deepest = std::max(deepest, depth + 1);
    if (deepest > stop_after) return deepest;
    for (const json& element : *current) pending.push_back({&element, depth + 1});
  }
  return deepest;
}

std::string key_text(const json& key) {
  if (key.is_string()) return key.get<std::string>();
  if (key.is_number_integer()) return std::to_string(key.get<std::int64_t>());
  if (key.is_number_unsigned()) return std::to_string(key.get<std::uint64_t>());
  if (key.is_number_float()) {
    const double number = key.get<double>();
    if (number == std::floor(number) && std::fabs(number) < 1e15) {
      return std::to_string(static_cast<std::int64_t>(number));
    }
    return json(number).dump();
  }
  if (key.is_boolean()) return key.get<bool>() ? "true" : "false";
  return "null";
}


class Compiler {
 public:
  Compiler(Rule::Compiled& out, Diagnostics& errors, const CompileOptions& options)
      : out_(out), errors_(errors), options_(options) {}

  bool run(const json& rule) {
    out_.limits = options_.limits;
    const auto root = compile(rule, PointerTable::kRoot, 0, 0);
    if (!root || failed_) return false;
    out_.root = *root;
    finish_variables();
    return true;
  }

 private:
  // Pointer entries (into out_.pointers) stand for JSON pointers; text()
  // spells one out, for a compile error.
  std::string text(std::uint32_t pointer) const { return out_.pointers[pointer]; }
  std::uint32_t at_index(std::uint32_t pointer, std::size_t i) {
    return out_.pointers.add(pointer, PointerTable::kNone, static_cast<std::uint32_t>(i));
  }

  // Compiles `rule` at JSON nesting `depth` (containers above it) and scope
  // `scope` (0: reads the top-level data; >0: inside an iterator or handler).
  std::optional<std::uint32_t> compile(const json& rule, std::uint32_t pointer, std::size_t depth,
                                       std::size_t scope) {
    if (failed_) return std::nullopt;
    if (out_.nodes.size() >= out_.limits.max_nodes) {
      return fail("rule.103", pointer, "the rule has more than " + std::to_string(out_.limits.max_nodes) + " nodes");
    }
    if (rule.is_structured() && depth + 1 > out_.limits.max_depth) {
      return fail("rule.102", pointer, "the rule nests deeper than " + std::to_string(out_.limits.max_depth) + " levels");
    }
    if (rule.is_array()) return compile_array(rule, pointer, depth + 1, scope);
    if (!is_operation(rule)) return literal(rule, pointer);
    if (rule.size() != 1) {
      return fail("rule.101", pointer, "an operation must have exactly one key, found " + std::to_string(rule.size()));
    }
    // Not `*rule.items().begin()`: that binds to a temporary iteration proxy
    // that is gone by the next line (stack-use-after-scope under clang ASan).
    const auto only = rule.begin();
    const std::string& name = only.key();
    const json& args = only.value();
    if (name == "preserve") {
      if (depth_of(args, out_.limits.max_depth) + depth + 1 > out_.limits.max_depth) {
        return fail("rule.102", text(pointer) + "/preserve",
                    "the rule nests deeper than " + std::to_string(out_.limits.max_depth) + " levels");
      }
      return literal(args, pointer);
    }
    const OpSpec* spec = find_operator(name);
    if (spec == nullptr) return fail("rule.104", pointer, "unknown operator \"" + name + "\"");
    const std::uint32_t args_pointer =
        out_.pointers.add(pointer, static_cast<std::uint32_t>(spec - kOperators), PointerTable::kNone);
    if (spec->shape == Shape::Path) return compile_path(*spec, args, pointer, args_pointer, depth + 1, scope);
    return compile_operation(*spec, args, pointer, args_pointer, depth + 1, scope);
  }

  std::optional<std::uint32_t> compile_array(const json& rule, std::uint32_t pointer, std::size_t depth,
                                             std::size_t scope) {
    const std::size_t node_mark = out_.nodes.size();
    const std::size_t literal_mark = out_.literals.size();
    std::vector<std::uint32_t> elements;
    bool all_literal = true;
    for (std::size_t i = 0; i < rule.size(); ++i) {
      const auto element = compile(rule[i], at_index(pointer, i), depth, scope);
      if (!element) return std::nullopt;
      elements.push_back(*element);
      all_literal = all_literal && out_.nodes[*element].op == Op::Literal;
    }
    if (all_literal) {
      // Plain data: one literal, so evaluation copies nothing.
      json value = json::array();
      for (std::uint32_t element : elements) value.push_back(std::move(out_.literals[out_.nodes[element].literal]));
      out_.nodes.resize(node_mark);
      out_.literals.resize(literal_mark);
      return literal(value, pointer);
    }
    return add_node(Op::Array, pointer, elements);
  }

  std::optional<std::uint32_t> compile_operation(const OpSpec& spec, const json& args, std::uint32_t pointer,
                                                 std::uint32_t args_pointer, std::size_t depth, std::size_t scope) {
    const bool iterator = spec.op == Op::Map || spec.op == Op::Filter || spec.op == Op::Reduce ||
                          spec.op == Op::All || spec.op == Op::Some || spec.op == Op::None;
    if (!args.is_array()) {
      if (spec.shape == Shape::Array) {
        return fail("rule.105", text(args_pointer), std::string("\"") + spec.name + "\" takes an array of arguments");
      }
      // One argument; an operation here computes the argument list at run time.
      const bool dynamic = is_operation(args);
      if (!dynamic && spec.min_args > 1) return wrong_count(spec, 1, args_pointer);
      const auto child = compile(args, args_pointer, depth, scope);
      if (!child) return std::nullopt;
      const auto node = add_node(spec.op, pointer, {*child});
      out_.nodes[*node].dynamic_args = dynamic;
      return node;
    }
    if (args.size() < spec.min_args || args.size() > spec.max_args) return wrong_count(spec, args.size(), args_pointer);
    if ((spec.op == Op::Map || spec.op == Op::Filter)) {
      for (std::size_t i = 0; i < 2; ++i) {
        if (args[i].is_null()) {
          return fail("rule.107", text(args_pointer) + "/" + std::to_string(i),
                      std::string("\"") + spec.name + "\" needs an array and an expression, not null");
        }
      }
    }
    if (spec.op == Op::DateAdd) {
      if (const auto problem = check_date_add(args)) {
        return fail("rule.111", text(args_pointer) + problem->first, problem->second);
      }
    }
    std::vector<std::uint32_t> children;
    for (std::size_t i = 0; i < args.size(); ++i) {
      // An iterator's body reads the current element; a try's handlers read the error.
      const bool inner = (iterator && i == 1) || (spec.op == Op::Try && i > 0);
      const auto child = compile(args[i], at_index(args_pointer, i), depth + 1, inner ? scope + 1 : scope);
      if (!child) return std::nullopt;
      children.push_back(*child);
    }
    return add_node(spec.op, pointer, children);
  }

  // Literal arguments of date_add that can be checked now.
  static std::optional<std::pair<std::string, std::string>> check_date_add(const json& args) {
    if (args[0].is_string() && !dates::parse(args[0].get<std::string>())) {
      return std::make_pair(std::string("/0"), "\"" + args[0].get<std::string>() + "\" is not a date (YYYY-MM-DD)");
    }
    if (!is_operation(args[1]) && !args[1].is_number()) {
      return std::make_pair(std::string("/1"), std::string("date_add needs a number of units"));
    }
    if (!is_operation(args[2]) && !(args[2].is_string() && dates::parse_unit(args[2].get<std::string>()))) {
      return std::make_pair(std::string("/2"), std::string("date_add's unit is \"day\", \"month\" or \"year\""));
    }
    return std::nullopt;
  }

  std::optional<std::uint32_t> compile_path(const OpSpec& spec, const json& args, std::uint32_t pointer,
                                            std::uint32_t args_pointer, std::size_t depth, std::size_t scope) {
    if (spec.op == Op::Var) return compile_var(args, pointer, args_pointer, depth, scope);
    return compile_val(args, pointer, args_pointer, depth, scope);
  }

  std::optional<std::uint32_t> compile_var(const json& args, std::uint32_t pointer, std::uint32_t args_pointer,
                                           std::size_t depth, std::size_t scope) {
    // {"var": X} means {"var": [X]}: [path, default]. Read through pointers:
    // copying a hostile argument could itself recurse deeply.
    const bool listed = args.is_array();
    if (listed && args.size() > 2) return wrong_count(*find_operator("var"), args.size(), args_pointer);
    const json* path = listed ? (args.empty() ? nullptr : &args[0]) : &args;
    const json* fallback = listed && args.size() == 2 ? &args[1] : nullptr;
    const std::uint32_t path_pointer = listed ? at_index(args_pointer, 0) : args_pointer;
    const std::size_t element_depth = listed ? depth + 1 : depth;
    Node node;
    node.op = Op::Var;
    std::vector<std::uint32_t> children;
    if (path != nullptr && (is_operation(*path) || path->is_array())) {
      const auto computed = compile(*path, path_pointer, element_depth, scope);
      if (!computed) return std::nullopt;
      node.path_child = true;
      children.push_back(*computed);
    } else if (path != nullptr && path->is_object()) {
      return fail("rule.108", text(path_pointer), "a variable path is a string or a number");
    } else {
      std::vector<std::string> segments;
      if (path != nullptr && !path->is_null()) segments = values::split_path(key_text(*path));
      bind_static_path(node, std::move(segments), scope, element_depth);
    }
    if (fallback != nullptr) {
      const auto value = compile(*fallback, at_index(args_pointer, 1), element_depth, scope);
      if (!value) return std::nullopt;
      node.has_default = true;
      children.push_back(*value);
    }
    return add_node(node, pointer, children);
  }

  std::optional<std::uint32_t> compile_val(const json& args, std::uint32_t pointer, std::uint32_t args_pointer,
                                           std::size_t depth, std::size_t scope) {
    Node node;
    node.op = Op::Val;
    bool computed = is_operation(args);
    if (args.is_array()) {
      for (const json& element : args) computed = computed || is_operation(element);
    }
    if (computed) {
      const auto path = compile(args, args_pointer, depth, scope);
      if (!path) return std::nullopt;
      node.path_child = true;
      return add_node(node, pointer, {*path});
    }
    if (args.is_object()) return fail("rule.108", text(args_pointer), "a val path is a key or an array of keys");
    std::vector<std::string> segments;
    if (!args.is_array()) {
      if (!args.is_null()) segments.push_back(key_text(args));
    } else {
      std::size_t first = 0;
      if (!args.empty() && args[0].is_array() && args[0].size() == 1 && args[0][0].is_number()) {
        // Clamped: a double beyond uint32 does not convert (UB); any climb past
        // the outermost scope means the data anyway.
        node.climb = static_cast<std::uint32_t>(std::min(std::fabs(args[0][0].get<double>()), 4294967295.0));
        out_.uses_scope_metadata = true;
        first = 1;
      }
      for (std::size_t i = first; i < args.size(); ++i) {
        if (args[i].is_structured()) {
          return fail("rule.108", text(args_pointer) + "/" + std::to_string(i), "a val path is a key or an array of keys");
        }
        segments.push_back(key_text(args[i]));
      }
    }
    bind_static_path(node, std::move(segments), node.climb == 0 ? scope : scope + 1, depth);
    return add_node(node, pointer, {});
  }

  // Records a literal path; at scope 0 its first key is a top-level variable.
  void bind_static_path(Node& node, std::vector<std::string> segments, std::size_t scope, std::size_t depth) {
    if (scope == 0 && !segments.empty()) {
      node.variable = number_variable(segments[0]);
      if (segments.size() == 1) node.derived = derived_expression(segments[0], depth);
    }
    node.path = static_cast<std::uint32_t>(out_.paths.size());
    out_.paths.push_back(std::move(segments));
  }

  std::uint32_t number_variable(const std::string& name) {
    const auto found = variable_numbers_.find(name);
    if (found != variable_numbers_.end()) return found->second;
    const auto number = static_cast<std::uint32_t>(out_.numbered_variables.size());
    variable_numbers_.emplace(name, number);
    out_.numbered_variables.push_back(name);
    out_.derived_of_variable.push_back(kNone);
    return number;
  }

  // Compiles a derived variable's expression once, nested at the depth of its
  // first use (so chains of derived variables count against the depth
  // limit); cycles are errors.
  std::uint32_t derived_expression(const std::string& name, std::size_t depth) {
    const auto definition = options_.derived.find(name);
    if (definition == options_.derived.end()) return kNone;
    const auto done = derived_nodes_.find(name);
    if (done != derived_nodes_.end()) return done->second;
    if (!in_progress_.insert(name).second) {
      fail("rule.109", "", "derived variable \"" + name + "\" depends on itself");
      return kNone;
    }
    const auto root = compile(definition->second, PointerTable::kRoot, depth, 0);
    in_progress_.erase(name);
    if (!root) {
      if (!errors_.empty() && errors_.back().message.find("(in derived") == std::string::npos) {
        errors_.back().message += " (in derived variable \"" + name + "\")";
      }
      return kNone;
    }
    derived_nodes_.emplace(name, *root);
    out_.derived_of_variable[variable_numbers_.at(name)] = *root;
    return *root;
  }

  // Fills Rule::variables() and each variable's inputs (through derived ones).
  void finish_variables() {
    const std::size_t count = out_.numbered_variables.size();
    out_.inputs_of_variable.assign(count, {});
    std::vector<int> state(count, 0);  // 0 new, 1 done (cycles were rejected)
    for (std::size_t v = 0; v < count; ++v) collect_inputs(static_cast<std::uint32_t>(v), state);
    std::set<std::string> names(out_.numbered_variables.begin(), out_.numbered_variables.end());
    out_.variable_names.assign(names.begin(), names.end());
    out_.variable_index.assign(variable_numbers_.begin(), variable_numbers_.end());
  }

  void collect_inputs(std::uint32_t variable, std::vector<int>& state) {
    if (state[variable] != 0) return;
    state[variable] = 1;
    std::set<std::uint32_t> inputs;
    const std::uint32_t expression = out_.derived_of_variable[variable];
    if (expression == kNone) {
      inputs.insert(variable);
    } else {
      // Walk the expression's nodes without recursion.
      std::vector<std::uint32_t> pending{expression};
      while (!pending.empty()) {
        const Node& node = out_.nodes[pending.back()];
        pending.pop_back();
        if (node.variable != kNone) {
          if (node.derived != kNone && node.variable != variable) {
            collect_inputs(node.variable, state);
            const auto& nested = out_.inputs_of_variable[node.variable];
            inputs.insert(nested.begin(), nested.end());
          } else if (node.derived == kNone) {
            inputs.insert(node.variable);
          }
        }
        const std::uint32_t* child = out_.child_begin(node);
        pending.insert(pending.end(), child, child + node.child_count);
      }
    }
    out_.inputs_of_variable[variable].assign(inputs.begin(), inputs.end());
  }

  std::optional<std::uint32_t> literal(const json& value, std::uint32_t pointer) {
    Node node;
    node.op = Op::Literal;
    node.literal = static_cast<std::uint32_t>(out_.literals.size());
    out_.literals.push_back(value);
    return add_node(node, pointer, {});
  }

  std::optional<std::uint32_t> add_node(Op op, std::uint32_t pointer, const std::vector<std::uint32_t>& children) {
    Node node;
    node.op = op;
    return add_node(node, pointer, children);
  }

  std::optional<std::uint32_t> add_node(Node node, std::uint32_t pointer, const std::vector<std::uint32_t>& children) {
    node.first_child = static_cast<std::uint32_t>(out_.children.size());
    node.child_count = static_cast<std::uint32_t>(children.size());
    out_.children.insert(out_.children.end(), children.begin(), children.end());
    node.pointer = pointer;
    out_.nodes.push_back(node);
    return static_cast<std::uint32_t>(out_.nodes.size() - 1);
  }

  std::optional<std::uint32_t> wrong_count(const OpSpec& spec, std::size_t count, std::uint32_t pointer) {
    std::string expected;
    if (spec.max_args == spec.min_args) {
      expected = std::to_string(spec.min_args);
    } else if (spec.max_args == kMany) {
      expected = "at least " + std::to_string(spec.min_args);
    } else {
      expected = std::to_string(spec.min_args) + " to " + std::to_string(spec.max_args);
    }
    return fail("rule.106", pointer, std::string("\"") + spec.name + "\" takes " + expected + " arguments, got " +
                                         std::to_string(count));
  }

  std::optional<std::uint32_t> fail(const std::string& id, const std::string& pointer, const std::string& message) {
    if (!failed_) errors_.push_back({id, pointer, message});
    failed_ = true;
    return std::nullopt;
  }
  std::optional<std::uint32_t> fail(const std::string& id, std::uint32_t pointer, const std::string& message) {
    return fail(id, text(pointer), message);
  }

  Rule::Compiled& out_;
  Diagnostics& errors_;
  const CompileOptions& options_;
  bool failed_ = false;
  std::map<std::string, std::uint32_t> variable_numbers_;
  std::map<std::string, std::uint32_t> derived_nodes_;
  std::set<std::string> in_progress_;
};

}  // namespace

namespace {

// The number of `name` among the host's sorted `slots`, or kNone.
std::uint32_t slot_named(const std::vector<std::string>& slots, const std::string& name) {
  const auto found = std::lower_bound(slots.begin(), slots.end(), name);
  return found != slots.end() && *found == name ? static_cast<std::uint32_t>(found - slots.begin()) : kNone;
}

// A `var` or `val` whose path is not bound to a top-level variable may reach
// the data as a whole.
bool reads_past_its_variable(const Node& node) {
  return (node.op == Op::Var || node.op == Op::Val) && (node.path_child || node.variable == kNone);
}

// The top-level names a `missing` or `missing_some` node reads, when they are
// all literal strings naming no path ("a", not "a.b"); false otherwise.
bool literal_missing_names(const Rule::Compiled& rule, const Node& node, std::vector<const std::string*>& names) {
  if (node.dynamic_args) return false;
  const std::uint32_t* child = rule.child_begin(node);
  const auto add = [&](const json& key) {
    if (!key.is_string() || key.get_ref<const std::string&>().find('.') != std::string::npos) return false;
    names.push_back(&key.get_ref<const std::string&>());
    return true;
  };
  for (std::uint32_t i = node.op == Op::MissingSome ? 1 : 0; i < node.child_count; ++i) {
    const Node& argument = rule.nodes[child[i]];
    if (argument.op != Op::Literal) return false;
    const json& value = rule.literals[argument.literal];
    if (value.is_array()) {
      for (const json& key : value) {
        if (!add(key)) return false;
      }
    } else if (!add(value)) {
      return false;
    }
  }
  return true;
}

}  // namespace

// Whether OutcomeMemo may keep the rule's outcomes, and the slots its key
// holds: the rule must read the data only through names that have slots (its
// variables, and the literal names of `missing` outside any iterator, whose
// scope is then the data itself).
void find_memo_slots(Rule::Compiled& rule, const std::vector<std::string>& slots) {
  std::vector<std::uint32_t> read(rule.slot_of_variable.begin(), rule.slot_of_variable.end());
  bool iterates = false;
  bool reads_missing = false;
  std::vector<const std::string*> names;
  for (const Node& node : rule.nodes) {
    switch (node.op) {
      case Op::Map: case Op::Filter: case Op::Reduce: case Op::All: case Op::Some: case Op::None:
        iterates = true;
        break;
      case Op::Missing:
      case Op::MissingSome:
        reads_missing = true;
        if (!literal_missing_names(rule, node, names)) return;
        break;
      case Op::Exists:
        return;
      default:
        if (reads_past_its_variable(node)) return;
        break;
    }
  }
  if (reads_missing && iterates) return;
  std::vector<std::pair<std::string, std::uint32_t>> missing_slots;
  for (const std::string* name : names) {
    const std::uint32_t slot = slot_named(slots, *name);
    read.push_back(slot);
    missing_slots.emplace_back(*name, slot);
  }
  if (std::find(read.begin(), read.end(), kNone) != read.end()) return;
  std::sort(read.begin(), read.end());
  read.erase(std::unique(read.begin(), read.end()), read.end());
  rule.memo_slots = std::move(read);
  rule.missing_slots = std::move(missing_slots);
  rule.memoizable = true;
}

// Recursion as deep as the pointer, which the rule's nesting limit bounds.
void PointerTable::spell(std::uint32_t entry, std::string& out) const {
  if (entry == kRoot) return;
  const std::uint32_t* step = &steps_[3 * entry];
  spell(step[0], out);
  // Appended in place: a failed comparison spells its pointer per record.
  if (step[1] != kNone) {
    out += '/';
    for (const char* c = kOperators[step[1]].name; *c != '\0'; ++c) {
      if (*c == '~') {
        out += "~0";
      } else if (*c == '/') {
        out += "~1";
      } else {
        out += *c;
      }
    }
  }
  if (step[2] != kNone) {
    char digits[10];
    std::size_t at = sizeof digits;
    std::uint32_t index = step[2];
    do {
      digits[--at] = static_cast<char>('0' + index % 10);
      index /= 10;
    } while (index != 0);
    out += '/';
    out.append(digits + at, sizeof digits - at);
  }
}

std::optional<Rule> Rule::compile(const json& rule, Diagnostics& errors, const CompileOptions& options) {
  auto compiled = std::make_unique<Compiled>();
  Compiler compiler(*compiled, errors, options);
  if (!compiler.run(rule)) return std::nullopt;
  if (options.slots != nullptr) {
    compiled->has_slots = true;
    compiled->slot_of_variable.reserve(compiled->numbered_variables.size());
    for (const std::string& name : compiled->numbered_variables) {
      compiled->slot_of_variable.push_back(slot_named(*options.slots, name));
    }
    find_memo_slots(*compiled, *options.slots);
#ifndef TRIALSCREEN_FOR_SIZE
    prepare_plain_program(*compiled);
#endif
  }
  return Rule(std::move(compiled));
}

Rule::Rule(std::unique_ptr<Compiled> compiled) : compiled_(std::move(compiled)) {}
Rule::Rule(Rule&&) noexcept = default;
Rule& Rule::operator=(Rule&&) noexcept = default;
Rule::~Rule() = default;

const std::vector<std::string>& Rule::variables() const { return compiled_->variable_names; }

bool Rule::reads_only_slots() const { return compiled_->memoizable; }

const std::vector<std::uint32_t>& Rule::slots_read() const { return compiled_->memo_slots; }

namespace {

// Into `cuts`, kept sorted and unique (a few: a linear walk).
void add_cut(std::vector<double>& cuts, double cut) {
  auto at = cuts.begin();
  while (at != cuts.end() && *at < cut) ++at;
  if (at == cuts.end() || *at != cut) cuts.insert(at, cut);
}


// Whether every read of `slot` among `nodes` (numbers into rule.nodes) is one
// operand of a comparison whose other operands are all number literals, the
// read a plain one of a variable derived or not as `derived` says; adds the
// literals to `cuts`. `others` counts the nodes that read the data otherwise.
bool only_compared_with_numbers(const Rule::Compiled& rule, const std::vector<std::uint32_t>& nodes, std::uint32_t slot,
                                bool derived, std::vector<double>& cuts, std::size_t max_cuts, std::size_t& others) {
  const auto reads_slot = [&](const Node& node) {
    return (node.op == Op::Var || node.op == Op::Val) && node.variable != kNone &&
           rule.slot_of_variable[node.variable] == slot;
  };
  std::size_t reads = 0, compared = 0;
  for (std::uint32_t number : nodes) {
    const Node& node = rule.nodes[number];
    if (reads_slot(node)) {
      ++reads;
    } else if (node.op == Op::Var || node.op == Op::Val || node.op == Op::Missing || node.op == Op::MissingSome ||
               node.op == Op::Exists) {
      ++others;
    }
    if (!is_comparison(node.op) || node.dynamic_args) continue;
    const std::uint32_t* child = rule.child_begin(node);
    std::size_t plain_reads = 0, numbers = 0;
    for (std::uint32_t i = 0; i < node.child_count; ++i) {
      const Node& operand = rule.nodes[child[i]];
      if (operand.op == Op::Literal && rule.literals[operand.literal].is_number()) {
        ++numbers;
      } else if (operand.op == Op::Var && reads_slot(operand) && (operand.derived != kNone) == derived &&
                 !operand.has_default && operand.path != kNone && rule.paths[operand.path].size() == 1) {
        ++plain_reads;
      }
    }
    if (plain_reads != 1 || plain_reads + numbers != node.child_count) continue;
    ++compared;
    for (std::uint32_t i = 0; i < node.child_count; ++i) {
      const Node& operand = rule.nodes[child[i]];
      if (operand.op == Op::Literal) add_cut(cuts, rule.literals[operand.literal].get<double>());
    }
    if (cuts.size() > max_cuts) return false;  // also bounds add_cut's walks
  }
  return reads == compared;
}

}  // namespace

bool Rule::compares_slot_with_numbers(std::uint32_t slot, std::vector<double>& cuts, std::size_t max_cuts) const {
  const Compiled& rule = *compiled_;
  if (!rule.memoizable) return false;
  std::vector<std::uint32_t> all(rule.nodes.size());
  std::iota(all.begin(), all.end(), 0u);
  std::size_t others = 0;
  return only_compared_with_numbers(rule, all, slot, false, cuts, max_cuts, others);
}

bool Rule::compares_derived_with_numbers(std::uint32_t slot, std::vector<double>& cuts, std::size_t max_cuts) const {
  const Compiled& rule = *compiled_;
  if (!rule.memoizable) return false;
  // The rule's own nodes, those its root reaches: a derived variable's
  // expression, which reads its inputs, hangs off its variable's node.
  std::vector<std::uint32_t> own{rule.root};
  for (std::size_t at = 0; at < own.size(); ++at) {
    const Node& node = rule.nodes[own[at]];
    own.insert(own.end(), rule.child_begin(node), rule.child_begin(node) + node.child_count);
  }
  std::size_t others = 0;
  return only_compared_with_numbers(rule, own, slot, true, cuts, max_cuts, others) && others == 0 && !cuts.empty();
}

bool Rule::reads_only_variables() const {
  for (const Node& node : compiled_->nodes) {
    switch (node.op) {
      case Op::Missing:
      case Op::MissingSome:
      case Op::Exists:
        return false;
      default:
        if (reads_past_its_variable(node)) return false;
        break;
    }
  }
  return true;
}

std::string error_type(const Diagnostic& diagnostic) {
  const std::string& id = diagnostic.id;
  if (id == "rule.104") return "Unknown Operator";
  if (id == "rule.102" || id == "rule.103") return "Limit Exceeded";
  if (id.rfind("json.", 0) == 0) return "Invalid JSON";
  return "Invalid Arguments";
}

}  // namespace trialscreen::logic
