// OutcomeMemo and Rule::evaluate's use of it: the outcome of a rule that reads
// only its slots is kept under those slots' exact values.
#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "compiled.hpp"

namespace trialscreen::logic {

// How often a rule's inputs repeat. A rule whose values hardly ever repeat
// (a score from four continuous lab values, say) would only fill the memo and
// pay for keys: after kProbe lookups with fewer than a quarter of them hits,
// it is evaluated without the memo until the memo starts afresh.
struct RuleUse {
  std::uint32_t lookups = 0;
  std::uint32_t hits = 0;
  bool bypassed = false;
};
constexpr std::uint32_t kProbe = 256;

struct OutcomeMemo::Entries {
  explicit Entries(std::size_t capacity) : capacity(capacity) {}
  void start_afresh() {
    kept.clear();
    key_texts.clear();
    uses.clear();
  }
  std::size_t capacity;
  // Keyed by views of key_texts' strings (each in its own allocation, so its
  // bytes never move), so a lookup takes a view of `key` as written, with no
  // string made for it.
  std::unordered_map<std::string_view, Outcome> kept;
  std::vector<std::unique_ptr<std::string>> key_texts;
  std::unordered_map<const void*, RuleUse> uses;
  std::string key;  // the buffer a key is written into: its size is its room, never shrunk
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
void OutcomeMemo::clear() { entries_->start_afresh(); }

namespace {

// Writes a key into a buffer sized once (it only grows), through a pointer: a
// call per value rather than per byte, and no filling of the buffer per key.
class KeyWriter {
 public:
  explicit KeyWriter(std::string& key) : key_(key) {
    if (key_.size() < 64) key_.resize(64);
  }

  template <typename T>
  void bits(const T& value) {
    room(sizeof(T));
    std::memcpy(&key_[used_], &value, sizeof(T));
    used_ += sizeof(T);
  }
  void tag(char c) {
    room(1);
    key_[used_++] = c;
  }
  void text(const std::string& text) {
    room(text.size());
    std::memcpy(&key_[used_], text.data(), text.size());
    used_ += text.size();
  }
  std::string_view written() const { return {key_.data(), used_}; }

 private:
  void room(std::size_t more) {
    if (used_ + more > key_.size()) key_.resize(std::max(2 * key_.size(), used_ + more));
  }
  std::string& key_;
  std::size_t used_ = 0;
};

// Writes one slot's value: a type tag, then its exact bits (a string with its
// length, so that no two sequences of values share a key). False for an
// object or array: such a value is not kept.
bool write_value(KeyWriter& key, const nlohmann::json* value) {
  using Type = nlohmann::json::value_t;
  if (value == nullptr) {
    key.tag('a');  // absent
    return true;
  }
  switch (value->type()) {
    case Type::null:
      key.tag('n');
      return true;
    case Type::boolean:
      key.tag(value->get<bool>() ? 't' : 'f');
      return true;
    case Type::number_integer:
      key.tag('i');
      key.bits(value->get<std::int64_t>());
      return true;
    case Type::number_unsigned:
      key.tag('u');
      key.bits(value->get<std::uint64_t>());
      return true;
    case Type::number_float:
      key.tag('d');
      key.bits(value->get<double>());
      return true;
    case Type::string: {
      const std::string& text = value->get_ref<const std::string&>();
      key.tag('s');
      key.bits(static_cast<std::uint64_t>(text.size()));
      key.text(text);
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
  const Outcome& result = evaluate_kept(data, bindings, outcome);
  if (&result != &outcome) copy_outcome(result, outcome);
}

const Outcome& Rule::evaluate_kept(const nlohmann::json& data, const Bindings& bindings, Outcome& scratch) const {
  const Compiled& rule = *compiled_;
  if (bindings.memo == nullptr || !rule.memoizable || bindings.slot_values == nullptr) {
    evaluate_now(data, bindings, scratch);
    return scratch;
  }
  OutcomeMemo::Entries& memo = bindings.memo->entries();
  RuleUse& use = memo.uses[&rule];
  if (use.bypassed) {
    evaluate_now(data, bindings, scratch);
    return scratch;
  }
  KeyWriter writer(memo.key);
  writer.bits(&rule);
  const std::vector<const nlohmann::json*>& slot_values = *bindings.slot_values;
  for (std::uint32_t slot : rule.memo_slots) {
    if (!write_value(writer, slot_values[slot])) {
      evaluate_now(data, bindings, scratch);
      return scratch;
    }
  }
  const std::string_view key = writer.written();
  const auto found = memo.kept.find(key);
  if (++use.lookups == kProbe) use.bypassed = 4 * use.hits < kProbe;
  if (found != memo.kept.end()) {
    ++use.hits;
    ++memo.hits;
    return found->second;
  }
  ++memo.misses;
  evaluate_now(data, bindings, scratch);
  if (memo.kept.size() >= memo.capacity) {
    memo.start_afresh();  // `use` is gone with it
  }
  const std::string& kept_key = *memo.key_texts.emplace_back(std::make_unique<std::string>(key));
  memo.kept.emplace(kept_key, scratch);
  return scratch;
}

}  // namespace trialscreen::logic
