// What the evaluator passes between nodes (Val), and the reasoning about
// unknowns: the variables an unknown waits on and what it may still turn out
// to be (Bounds). Internal to the logic engine.
#pragma once

#include <cstdint>
#include <algorithm>
#include <functional>
#include <initializer_list>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiled.hpp"
#include "trialscreen/logic.hpp"

namespace trialscreen::logic {

using json = nlohmann::json;

inline const json kNullValue;  // what a Val that holds nothing reads as
inline constexpr double kInfinity = std::numeric_limits<double>::infinity();
// Finite sets of possibilities larger than this become intervals.
inline constexpr std::size_t kMaxChoices = 64;

// The possible values of a finite unknown: a constant list it borrows
// (false/true, a domain's choices) or a list of its own, held inline while it
// has at most two values (the two branches of an `if`), so that most unknowns
// allocate nothing for them. A borrowed list must outlive the evaluation
// (Bindings' domains and the rule's literals do).
class Choices {
 public:
  Choices() = default;
  Choices(std::vector<json> list) : owned_(std::move(list)) {}  // NOLINT: a list is its choices
  Choices(const Choices& other) : borrowed_(other.borrowed_), borrowed_count_(other.borrowed_count_), owned_(other.owned_) {
    for (std::uint8_t i = 0; i < other.small_count_; ++i) new (small() + i) json(other.small()[i]);
    small_count_ = other.small_count_;
  }
  Choices(Choices&& other) noexcept
      : borrowed_(other.borrowed_), borrowed_count_(other.borrowed_count_), owned_(std::move(other.owned_)) {
    for (std::uint8_t i = 0; i < other.small_count_; ++i) new (small() + i) json(std::move(other.small()[i]));
    small_count_ = other.small_count_;
    other.clear_small();
  }
  Choices& operator=(const Choices& other) {
    if (this != &other) {
      Choices copy(other);
      *this = std::move(copy);
    }
    return *this;
  }
  Choices& operator=(Choices&& other) noexcept {
    if (this != &other) {
      clear_small();
      borrowed_ = other.borrowed_;
      borrowed_count_ = other.borrowed_count_;
      owned_ = std::move(other.owned_);
      for (std::uint8_t i = 0; i < other.small_count_; ++i) new (small() + i) json(std::move(other.small()[i]));
      small_count_ = other.small_count_;
      other.clear_small();
    }
    return *this;
  }
  ~Choices() { clear_small(); }
  static Choices borrow(const json* first, std::size_t count) {
    Choices c;
    c.borrowed_ = first;
    c.borrowed_count_ = count;
    return c;
  }
  static Choices borrow(const std::vector<json>& list) { return borrow(list.data(), list.size()); }

  const json* data() const { return borrowed_ != nullptr ? borrowed_ : small_count_ > 0 ? small() : owned_.data(); }
  std::size_t size() const {
    return borrowed_ != nullptr ? borrowed_count_ : small_count_ > 0 ? small_count_ : owned_.size();
  }
  bool empty() const { return size() == 0; }
  const json* begin() const { return data(); }
  const json* end() const { return data() + size(); }
  const json& operator[](std::size_t i) const { return data()[i]; }

  // Adds `value` unless a strictly equal one is there (a list of its own only).
  void add(const json& value);
  // The same choices, owned: for keeping beyond the evaluation.
  Choices owned() const;

 private:
  // Up to two values live in raw storage, constructed only when added: a
  // json member would cost every Bounds a construction and a destruction.
  json* small() { return reinterpret_cast<json*>(small_storage_); }
  const json* small() const { return reinterpret_cast<const json*>(small_storage_); }
  void clear_small() {
    for (std::uint8_t i = 0; i < small_count_; ++i) small()[i].~json();
    small_count_ = 0;
  }

  const json* borrowed_ = nullptr;
  std::size_t borrowed_count_ = 0;
  std::vector<json> owned_;
  alignas(json) unsigned char small_storage_[2 * sizeof(json)];
  std::uint8_t small_count_ = 0;
};

// What an unknown may still be. Both parts may hold at once; neither means
// "anything".
struct Bounds {
  bool finite = false;          // the value is one of `choices`
  Choices choices;
  bool numeric = false;         // the value is a number in [lo, hi]
  double lo = -kInfinity;
  double hi = kInfinity;
};

// Variable numbers an unknown waits on (see Evaluator::variable_name), kept
// sorted and unique by unite/add. Held inline while small, as most are, so
// making an unknown does not allocate for them.
class Waiting {
 public:
  using value_type = std::uint32_t;
  using const_iterator = const std::uint32_t*;

  Waiting() = default;
  Waiting(std::initializer_list<std::uint32_t> ids) {
    for (std::uint32_t id : ids) push_back(id);
  }
  Waiting(const Waiting& other) { append(other.begin(), other.end()); }
  Waiting(Waiting&& other) noexcept { take(other); }
  Waiting& operator=(const Waiting& other) {
    if (this != &other) {
      size_ = 0;
      append(other.begin(), other.end());
    }
    return *this;
  }
  Waiting& operator=(Waiting&& other) noexcept {
    if (this != &other) {
      delete[] heap_;
      take(other);
    }
    return *this;
  }
  ~Waiting() { delete[] heap_; }

  std::uint32_t* begin() { return data(); }
  std::uint32_t* end() { return data() + size_; }
  const std::uint32_t* begin() const { return data(); }
  const std::uint32_t* end() const { return data() + size_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::uint32_t operator[](std::size_t i) const { return data()[i]; }
  std::uint32_t front() const { return data()[0]; }
  std::uint32_t back() const { return data()[size_ - 1]; }
  void clear() { size_ = 0; }
  void reserve(std::size_t capacity) {
    if (capacity <= capacity_) return;
    auto* grown = new std::uint32_t[capacity];
    std::copy(begin(), end(), grown);
    delete[] heap_;
    heap_ = grown;
    capacity_ = static_cast<std::uint32_t>(capacity);
  }
  void push_back(std::uint32_t id) {
    if (size_ == capacity_) reserve(capacity_ * 2);
    data()[size_++] = id;
  }
  void append(const std::uint32_t* first, const std::uint32_t* last) {
    reserve(size_ + static_cast<std::size_t>(last - first));
    std::copy(first, last, end());
    size_ += static_cast<std::uint32_t>(last - first);
  }
  // Inserts `id` before position `at` (0..size()).
  void insert_at(std::size_t at, std::uint32_t id) {
    push_back(id);
    std::rotate(begin() + at, end() - 1, end());
  }

 private:
  static constexpr std::uint32_t kInline = 6;
  std::uint32_t* data() { return heap_ != nullptr ? heap_ : inline_; }
  const std::uint32_t* data() const { return heap_ != nullptr ? heap_ : inline_; }
  void take(Waiting& other) {
    size_ = other.size_;
    capacity_ = other.capacity_;
    heap_ = other.heap_;
    if (heap_ == nullptr) std::copy(other.inline_, other.inline_ + size_, inline_);
    other.heap_ = nullptr;
    other.size_ = 0;
    other.capacity_ = kInline;
  }

  std::uint32_t size_ = 0;
  std::uint32_t capacity_ = kInline;
  std::uint32_t* heap_ = nullptr;
  std::uint32_t inline_[kInline] = {};
};

// Why an evaluation failed: only errors have one.
struct Failure {
  std::string type;
  std::string message;
  std::string id;
  std::string pointer;
  json thrown;
};

struct Detail {
  Waiting waiting;           // Unknown: the variables it waits on
  Bounds bounds;             // Unknown: what it may still be
  bool minimized = false;    // waiting already shrunk by enumeration
  std::unique_ptr<Failure> failure;  // Error (apart, so that an unknown stays small)
};

// A node's result: a plain value (borrowed when it lives in the data or the
// rule), an unknown or an error (details allocated only for those two).
struct Val {
  enum class Kind : std::uint8_t { Value, Unknown, Error };
  Kind kind = Kind::Value;
  const json* ref = nullptr;
  // Engaged only for an owned value: most Vals borrow, and an empty json
  // member would still cost each of them an (out-of-line) destruction.
  std::optional<json> own;
  std::unique_ptr<Detail> detail;

  static Val borrow(const json& value) {
    Val v;
    v.ref = &value;
    return v;
  }
  static Val owned(json value) {
    Val v;
    v.own.emplace(std::move(value));
    return v;
  }
  static Val unknown(Waiting waiting) {
    Val v;
    v.kind = Kind::Unknown;
    v.detail = std::make_unique<Detail>();
    v.detail->waiting = std::move(waiting);
    return v;
  }

  bool is_value() const { return kind == Kind::Value; }
  bool is_unknown() const { return kind == Kind::Unknown; }
  bool is_error() const { return kind == Kind::Error; }
  const json& get() const { return ref != nullptr ? *ref : own ? *own : kNullValue; }
  json take() && { return ref != nullptr ? *ref : own ? std::move(*own) : json(); }
};

// A derived variable worked out once (see DerivedValues): its plain value, or
// the variables its unknown waits on (by name: each rule numbers its own) and
// what it may still be.
struct DerivedValues::Entry {
  const Entry* shared = nullptr;  // DerivedValues::share: the entry this one stands for
  bool known = false;
  json value;
  std::vector<std::string> waiting;
  Bounds bounds;
};

enum class Truth { Truthy, Falsy, Undecided };

struct Interval {
  double lo;
  double hi;
};

// Sorted-set union of variable numbers.
void unite(Waiting& into, const Waiting& from);
void add(Waiting& into, std::uint32_t id);

// A copy of `bounds` that borrows its choices (`bounds` must outlive it).
Bounds borrowing(const Bounds& bounds);
Bounds boolean_bounds();
Bounds finite_bounds(Choices choices);
Bounds bounds_of_domain(const Domain& domain);
// The values to try for an unanswered variable when enumerating; empty when
// the domain is not small and finite.
std::vector<json> enumerate_domain(const Domain& domain);
// The same, borrowing the list when the domain holds one (the domain must
// outlive the result).
Choices domain_choices(const Domain& domain);

Truth truth_of(const Val& v);

// The numeric range of a value (after Number() coercion), if it has one.
std::optional<Interval> interval_of(const Val& v);
// Whether the value is surely a JSON number (so comparisons with it are numeric).
bool surely_number(const Val& v);
std::optional<Interval> numeric_hull(const Bounds& bounds);
// + - * max min over intervals; nullopt for other operators.
std::optional<Interval> interval_arithmetic(Op op, const std::vector<Interval>& ranges);

// A comparison (< <= > >= == === != !==) of a value in `a` with one in
// `b`, when every pair of them gives the same answer; nullopt when not.
std::optional<bool> compare_ranges(Op op, const Interval& a, const Interval& b);

// A value's possibilities as one contiguous run: itself, or a finite
// unknown's choices. False when it has no such list.
bool possible_values(const Val& v, const json*& first, std::size_t& count);

// Fills `choices` with each argument's possible values when all are finite and
// their combinations number at most kMaxChoices.
bool finite_choices(const Val* args, std::size_t arg_count, std::vector<std::vector<const json*>>& choices);
void for_each_combination(const std::vector<std::vector<const json*>>& choices,
                          const std::function<void(const std::vector<const json*>&)>& visit);

// The result of `if` or `and`/`or` that may be any of `branches`.
Val join(Val* branches, std::size_t count, Waiting waiting);

}  // namespace trialscreen::logic
