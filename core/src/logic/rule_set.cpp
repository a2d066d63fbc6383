// RuleSet: plain JsonLogic rules compiled with one numbering of the names
// they read, so that a document's members are found once for all of them.
// The browsers' module, built for size, has the rules read their names in
// the document, as each would alone: the same outcomes in less code (the
// patient page carries that module).
#include <algorithm>
#include <string>
#include <utility>

#include "../text_hash.hpp"
#include "trialscreen/logic.hpp"

namespace trialscreen::logic {

#ifndef TRIALSCREEN_FOR_SIZE
namespace {
constexpr std::uint32_t kNoSlot = 0xffffffffu;
const nlohmann::json kEmptyObject = nlohmann::json::object();
}  // namespace
#endif

struct RuleSet::Parts {
  std::vector<std::string> names;  // the slots: every name a rule reads, sorted
  std::vector<Rule> rules;         // compiled with `names` as their slots (not when built for size)
  bool reads_only_variables = true;
  Scratch scratch;
  Bindings bindings;

  void evaluate_all(const nlohmann::json& data, std::vector<Outcome>& outcomes) {
    outcomes.resize(rules.size());
    for (std::size_t i = 0; i < rules.size(); ++i) rules[i].evaluate_in_set(data, bindings, outcomes[i]);
  }

#ifndef TRIALSCREEN_FOR_SIZE
  bool reads_only_slots = true;    // every rule: evaluate_text places members
  // Open addressing over the names (text_hash.hpp): 1 + slot, 0 free.
  std::vector<std::uint32_t> table;
  // Per evaluation: each slot's member of the data, or nullptr.
  std::vector<const nlohmann::json*> values;
  // evaluate_text's places for the members it parses, by slot, and one for
  // the members no rule reads.
  std::vector<nlohmann::json> placed;
  nlohmann::json ignored;

  std::uint32_t slot_of(std::string_view name) const {
    const std::size_t at = probe(table, text_hash(name), [&](std::uint32_t slot) { return same_text(names[slot], name); });
    return table[at] != 0 ? table[at] - 1 : kNoSlot;
  }
#endif
};

std::optional<RuleSet> RuleSet::compile(const nlohmann::json& rules, Diagnostics& errors, const Limits& limits) {
  if (!rules.is_array()) {
    errors.push_back({"rule.112", "", "a list of rules is a JSON array"});
    return std::nullopt;
  }
  auto parts = std::make_unique<Parts>();
  CompileOptions options;
  options.limits = limits;
  // First the names each rule reads, then (but in the module built for
  // size) the rules again with them as slots.
  bool compiled = true;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    Diagnostics found;
    std::optional<Rule> rule = Rule::compile(rules[i], found, options);
    for (Diagnostic& diagnostic : found) {
      diagnostic.pointer = "/" + std::to_string(i) + diagnostic.pointer;
      errors.push_back(std::move(diagnostic));
    }
    if (!rule) {
      compiled = false;
      continue;
    }
    parts->names.insert(parts->names.end(), rule->variables().begin(), rule->variables().end());
    parts->reads_only_variables = parts->reads_only_variables && rule->reads_only_variables();
    parts->rules.push_back(std::move(*rule));
  }
  if (!compiled) return std::nullopt;
  std::vector<std::string>& names = parts->names;
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  parts->bindings.scratch = &parts->scratch;
#ifndef TRIALSCREEN_FOR_SIZE
  options.slots = &names;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    Diagnostics unused;  // compiled once already
    parts->rules[i] = std::move(*Rule::compile(rules[i], unused, options));
    parts->reads_only_slots = parts->reads_only_slots && parts->rules[i].reads_only_slots();
  }
  std::size_t size = 16;
  while (size < 2 * names.size()) size *= 2;
  parts->table.assign(size, 0);
  for (std::uint32_t slot = 0; slot < names.size(); ++slot) {
    parts->table[probe(parts->table, text_hash(names[slot]), [](std::uint32_t) { return false; })] = slot + 1;
  }
  parts->values.assign(names.size(), nullptr);
  parts->placed.resize(names.size());
  parts->bindings.slot_values = &parts->values;
#endif
  return RuleSet(std::move(parts));
}

RuleSet::RuleSet(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {
  // The bindings point into the parts, which stay where they are when the set moves.
}
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;
RuleSet::~RuleSet() = default;

std::size_t RuleSet::size() const { return parts_->rules.size(); }
const std::vector<std::string>& RuleSet::variables() const { return parts_->names; }
bool RuleSet::reads_only_variables() const { return parts_->reads_only_variables; }

void RuleSet::evaluate(const nlohmann::json& data, std::vector<Outcome>& outcomes) {
  Parts& parts = *parts_;
#ifndef TRIALSCREEN_FOR_SIZE
  std::fill(parts.values.begin(), parts.values.end(), nullptr);
  if (!data.is_object()) {
    // Plain JsonLogic reads names in other documents too ("0" of an array):
    // the rules read them by name, as without slots.
    parts.bindings.slot_values = nullptr;
    parts.evaluate_all(data, outcomes);
    parts.bindings.slot_values = &parts.values;
    return;
  }
  for (const auto& [name, value] : data.get_ref<const nlohmann::json::object_t&>()) {
    const std::uint32_t slot = parts.slot_of(name);
    if (slot != kNoSlot) parts.values[slot] = &value;
  }
#endif
  parts.evaluate_all(data, outcomes);
}

bool RuleSet::evaluate_text(const std::string& data_text, std::vector<Outcome>& outcomes, Diagnostics& errors) {
#ifndef TRIALSCREEN_FOR_SIZE
  Parts& parts = *parts_;
  if (parts.reads_only_slots) {
    std::fill(parts.values.begin(), parts.values.end(), nullptr);
    const MembersRead read = parse_json_members(
        data_text, errors, kJsonMaxDepth,
        [&](std::string_view name) -> nlohmann::json& {
          const std::uint32_t slot = parts.slot_of(name);
          if (slot == kNoSlot) return parts.ignored;
          parts.values[slot] = &parts.placed[slot];
          return parts.placed[slot];
        },
        [&] { std::fill(parts.values.begin(), parts.values.end(), nullptr); });
    if (read == MembersRead::Invalid) return false;
    if (read == MembersRead::Object) {
      // The rules read nothing of the document but its type (Rule::reads_only_slots).
      parts.evaluate_all(kEmptyObject, outcomes);
      return true;
    }
  }
#endif
  std::optional<nlohmann::json> data = parse_json(data_text, errors);
  if (!data) return false;
  evaluate(*data, outcomes);
  return true;
}

}  // namespace trialscreen::logic
