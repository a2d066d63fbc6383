// OutcomeMemo and Rule::evaluate's use of it: the outcome of a rule that reads
// only its slots is kept under those slots' exact values.
#include <cstring>
#include <string>
#include <unordered_map>
#include <utility>

#include "compiled.hpp"

namespace trialscreen::logic {

struct OutcomeMemo::Entries {
  explicit Entries(std::size_t capacity) : capacity(capacity) {}
  std::size_t capacity;
  std::unordered_map<std::string, Outcome> kept;
  std::string key;  // the key being looked up, reused
  std::size_t hits = 0;
  std::size_t misses = 0;
};

OutcomeMemo::OutcomeMemo(std::size_t capacity) : entries_(std::make_unique<Entries>(capacity)) {}
OutcomeMemo::OutcomeMemo(OutcomeMemo&&) noexcept = default;
OutcomeMemo& OutcomeMemo::operator=(OutcomeMemo&&) noexcept = default;
OutcomeMemo::~OutcomeMemo() = default;

std::size_t OutcomeMemo::hits() const { return entries_->hits; }
std::size_t OutcomeMemo::misses() const { return entries_->misses; }
std::size_t OutcomeMemo::size() const { return entries_->kept.size(); }
void OutcomeMemo::clear() { entries_->kept.clear(); }

namespace {

template <typename T>
void append_bytes(std::string& key, const T& value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  key.append(bytes, sizeof(T));
}

// Appends one slot's value to the key: a type tag, then its exact bits (a
// string with its length, so that no two sequences of values share a key).
// False for an object or array: such a value is not kept.
bool append_value(std::string& key, const nlohmann::json* value) {
  using Type = nlohmann::json::value_t;
  if (value == nullptr) {
    key += 'a';  // absent
    return true;
  }
  switch (value->type()) {
    case Type::null:
      key += 'n';
      return true;
    case Type::boolean:
      key += value->get<bool>() ? 't' : 'f';
      return true;
    case Type::number_integer:
      key += 'i';
      append_bytes(key, value->get<std::int64_t>());
      return true;
    case Type::number_unsigned:
      key += 'u';
      append_bytes(key, value->get<std::uint64_t>());
      return true;
    case Type::number_float:
      key += 'd';
      append_bytes(key, value->get<double>());
      return true;
    case Type::string: {
      const std::string& text = value->get_ref<const std::string&>();
      key += 's';
      append_bytes(key, static_cast<std::uint64_t>(text.size()));
      key += text;
      return true;
    }
    default:
      return false;
  }
}

// `kept` into `out`, as Rule::evaluate fills it: only the members of its kind
// are copied (the others are empty in both), so a hit copies little.
void copy_outcome(const Outcome& kept, Outcome& out) {
  if (kept.kind == Outcome::Kind::Error || out.kind == Outcome::Kind::Error) {
    out = kept;  // an error's members are involved: all of them
    return;
  }
  out.kind = kept.kind;
  out.value = kept.value;
  out.waiting_on = kept.waiting_on;
  out.waiting_slots = kept.waiting_slots;
  out.lower = kept.lower;
  out.upper = kept.upper;
}

}  // namespace

void Rule::evaluate(const nlohmann::json& data, const Bindings& bindings, Outcome& outcome) const {
  const Compiled& rule = *compiled_;
  if (bindings.memo == nullptr || !rule.memoizable || bindings.slot_values == nullptr) {
    evaluate_now(data, bindings, outcome);
    return;
  }
  OutcomeMemo::Entries& memo = bindings.memo->entries();
  std::string& key = memo.key;
  key.clear();
  append_bytes(key, &rule);
  const std::vector<const nlohmann::json*>& slot_values = *bindings.slot_values;
  for (std::uint32_t slot : rule.memo_slots) {
    if (!append_value(key, slot_values[slot])) {
      evaluate_now(data, bindings, outcome);
      return;
    }
  }
  const auto found = memo.kept.find(key);
  if (found != memo.kept.end()) {
    ++memo.hits;
    copy_outcome(found->second, outcome);
    return;
  }
  ++memo.misses;
  evaluate_now(data, bindings, outcome);
  if (memo.kept.size() >= memo.capacity) memo.kept.clear();
  memo.kept.emplace(key, outcome);
}

}  // namespace trialscreen::logic
