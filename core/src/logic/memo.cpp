// OutcomeMemo and Rule::evaluate's use of it: the outcome of a rule that reads
// only its slots is kept under those slots' exact values.
#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <cstdint>
#include <utility>
#include <vector>

#include "../text_hash.hpp"
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

namespace {

// Where a kept outcome's key is in Entries::key_bytes, and its hash.
struct KeptKey {
  std::uint64_t hash = 0;
  std::size_t offset = 0;
  std::size_t length = 0;
};

struct UseSlot {
  const void* owner = nullptr;  // nullptr: empty
  RuleUse use;
};

}  // namespace

// Two small open-addressing tables, not std::unordered_maps: a screening
// looks up about forty outcomes, and each lookup was a string hash, a bucket
// walk and a rule's use found in a second map (docs/performance.md, "Ninth
// session").
struct KeyedByValues::Table {
  explicit Table(std::size_t capacity) : capacity(std::max<std::size_t>(capacity, 1)) {}

  void start_afresh() {
    keys.clear();
    key_bytes.clear();
    std::fill(by_key.begin(), by_key.end(), 0u);
    std::fill(uses.begin(), uses.end(), UseSlot{});
    uses_count = 0;
  }

  // The number of the entry under `key`, or kNotKept.
  std::uint32_t find(std::string_view key, std::uint64_t hash) const {
    if (by_key.empty()) return kNotKept;
    const std::size_t at = probe(by_key, hash, [&](std::size_t index) {
      const KeptKey& kept = keys[index];
      return kept.hash == hash && kept.length == key.size() &&
             std::memcmp(key_bytes.data() + kept.offset, key.data(), key.size()) == 0;
    });
    return by_key[at] == 0 ? kNotKept : by_key[at] - 1;
  }

  // Keeps `key`, which is not kept yet; the table is not full.
  std::uint32_t keep(std::string_view key, std::uint64_t hash) {
    if (by_key.empty()) {
      std::size_t size = 16;
      while (size < 2 * capacity) size *= 2;  // at most half full
      by_key.assign(size, 0u);
    }
    const std::size_t at = probe(by_key, hash, [](std::size_t) { return false; });
    keys.push_back({hash, key_bytes.size(), key.size()});
    key_bytes.append(key.data(), key.size());
    by_key[at] = static_cast<std::uint32_t>(keys.size());
    return static_cast<std::uint32_t>(keys.size() - 1);
  }

  // The use of `owner`, made when it has none.
  RuleUse& use_of(const void* owner) {
    if (2 * (uses_count + 1) > uses.size()) grow_uses();
    const std::size_t mask = uses.size() - 1;
    std::size_t at = (reinterpret_cast<std::uintptr_t>(owner) >> 4) * 0x9E3779B97F4A7C15ull >> 40 & mask;
    while (uses[at].owner != nullptr && uses[at].owner != owner) at = (at + 1) & mask;
    if (uses[at].owner == nullptr) {
      uses[at].owner = owner;
      ++uses_count;
    }
    return uses[at].use;
  }

  void grow_uses() {
    std::vector<UseSlot> old = std::move(uses);
    uses.assign(old.empty() ? 64 : 2 * old.size(), UseSlot{});
    uses_count = 0;
    for (const UseSlot& slot : old) {
      if (slot.owner != nullptr) use_of(slot.owner) = slot.use;
    }
  }

  std::size_t capacity;
  std::vector<KeptKey> keys;          // each entry's key, by number
  std::string key_bytes;              // the kept keys' bytes, one after another
  std::vector<std::uint32_t> by_key;  // by key hash: 1 + the entry's number, or 0
  std::vector<UseSlot> uses;          // by the owner's address
  std::size_t uses_count = 0;
  std::string key;  // the buffer a key is written into: its size is its room, never shrunk
  std::string_view last_key;  // what find() last looked up, and its hash
  std::uint64_t last_hash = 0;
};

// The rules' outcomes, by their rule and inputs' values.
struct OutcomeMemo::Entries : KeptByValues<Outcome> {
  using KeptByValues::KeptByValues;
};

OutcomeMemo::OutcomeMemo(std::size_t capacity) : entries_(std::make_unique<Entries>(capacity)) {}
OutcomeMemo::OutcomeMemo(OutcomeMemo&&) noexcept = default;
OutcomeMemo& OutcomeMemo::operator=(OutcomeMemo&&) noexcept = default;
OutcomeMemo::~OutcomeMemo() = default;

std::size_t OutcomeMemo::hits() const { return entries_->hits(); }
std::size_t OutcomeMemo::misses() const { return entries_->misses(); }
std::size_t OutcomeMemo::size() const { return entries_->size(); }
void OutcomeMemo::clear() { entries_->clear(); }

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
  if (const Outcome* found = memo.find(&rule, 0, rule.memo_slots, *bindings.slot_values)) return *found;
  const bool may_keep = memo.may_keep();
  evaluate_now(data, bindings, scratch);
  if (may_keep) memo.keep(scratch);
  return scratch;
}

KeyedByValues::KeyedByValues(std::size_t capacity) : table_(std::make_unique<Table>(capacity)) {}
KeyedByValues::KeyedByValues(KeyedByValues&&) noexcept = default;
KeyedByValues& KeyedByValues::operator=(KeyedByValues&&) noexcept = default;
KeyedByValues::~KeyedByValues() = default;

std::size_t KeyedByValues::size() const { return table_->keys.size(); }
void KeyedByValues::clear() { table_->start_afresh(); }

std::uint32_t KeyedByValues::find(const void* owner, std::uint32_t variant, const std::vector<std::uint32_t>& slots,
                                  const std::vector<const nlohmann::json*>& values) {
  Table& table = *table_;
  RuleUse& use = table.use_of(owner);
  if (use.bypassed) return kNotKeyed;
  KeyWriter writer(table.key);
  writer.bits(owner);
  writer.bits(variant);
  for (std::uint32_t slot : slots) {
    if (!write_value(writer, values[slot])) return kNotKeyed;
  }
  table.last_key = writer.written();
  table.last_hash = text_hash(table.last_key);
  const std::uint32_t found = table.find(table.last_key, table.last_hash);
  if (++use.lookups == kProbe) use.bypassed = 4 * use.hits < kProbe;
  if (found != kNotKept) ++use.hits;
  return found;
}

std::uint32_t KeyedByValues::keep() {
  Table& table = *table_;
  if (table.keys.size() >= table.capacity) table.start_afresh();
  return table.keep(table.last_key, table.last_hash);
}

}  // namespace trialscreen::logic
