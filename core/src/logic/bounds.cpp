#include "bounds.hpp"

#include <algorithm>
#include <cmath>

#include "values.hpp"

namespace trialscreen::logic {

void unite(Waiting& into, const Waiting& from) {
  if (from.empty()) return;
  if (into.empty() || into.back() < from.front()) {
    into.append(from.begin(), from.end());
    return;
  }
  Waiting merged;
  merged.reserve(into.size() + from.size());
  std::set_union(into.begin(), into.end(), from.begin(), from.end(), std::back_inserter(merged));
  into = std::move(merged);
}

void add(Waiting& into, std::uint32_t id) {
  const auto position = std::lower_bound(into.begin(), into.end(), id);
  if (position == into.end() || *position != id) into.insert_at(static_cast<std::size_t>(position - into.begin()), id);
}

void Choices::add(const json& value) {
  for (const json& existing : *this) {
    if (values::strict_equal(existing, value)) return;
  }
  if (owned_.empty() && small_count_ < 2) {
    new (small() + small_count_) json(value);
    ++small_count_;
    return;
  }
  if (small_count_ > 0) {
    owned_.reserve(4);
    for (std::uint8_t i = 0; i < small_count_; ++i) owned_.push_back(std::move(small()[i]));
    clear_small();
  }
  owned_.push_back(value);
}

Choices Choices::owned() const {
  if (borrowed_ == nullptr) return *this;
  return Choices(std::vector<json>(begin(), end()));
}

namespace {
const std::vector<json> kBooleans = {json(false), json(true)};
}  // namespace

Bounds borrowing(const Bounds& bounds) {
  Bounds copy;
  copy.finite = bounds.finite;
  copy.choices = Choices::borrow(bounds.choices.data(), bounds.choices.size());
  copy.numeric = bounds.numeric;
  copy.lo = bounds.lo;
  copy.hi = bounds.hi;
  return copy;
}

Bounds boolean_bounds() {
  Bounds bounds;
  bounds.finite = true;
  bounds.choices = Choices::borrow(kBooleans);
  return bounds;
}

Bounds finite_bounds(Choices choices) {
  Bounds bounds;
  if (choices.size() > kMaxChoices) {
    // Too many to list: keep the numeric range when they are all numbers.
    double lo = kInfinity;
    double hi = -kInfinity;
    for (const json& choice : choices) {
      if (!choice.is_number()) return bounds;
      lo = std::min(lo, choice.get<double>());
      hi = std::max(hi, choice.get<double>());
    }
    bounds.numeric = true;
    bounds.lo = lo;
    bounds.hi = hi;
    return bounds;
  }
  bounds.finite = true;
  bounds.choices = std::move(choices);
  return bounds;
}

namespace {

constexpr double kMaxListedRange = 16;  // integer ranges this narrow are listed

bool listed_range(const Domain& domain) {
  return domain.integer && domain.max >= domain.min && domain.max - domain.min <= kMaxListedRange &&
         std::floor(domain.min) == domain.min;
}

}  // namespace

std::vector<json> enumerate_domain(const Domain& domain) {
  std::vector<json> values;
  switch (domain.kind) {
    case Domain::Kind::Boolean:
      values = {json(false), json(true)};
      break;
    case Domain::Kind::Choice:
      values = domain.choices;
      break;
    case Domain::Kind::Range:
      if (listed_range(domain)) {
        // Counted, not stepped: x += 1 does nothing to a huge double.
        const auto count = static_cast<int>(domain.max - domain.min);
        for (int k = 0; k <= count; ++k) {
          if (auto number = values::number_json(domain.min + k)) values.push_back(std::move(*number));
        }
      }
      break;
    case Domain::Kind::Any:
      break;
  }
  return values;
}

Choices domain_choices(const Domain& domain) {
  if (domain.kind == Domain::Kind::Boolean) return Choices::borrow(kBooleans);
  if (domain.kind == Domain::Kind::Choice) return Choices::borrow(domain.choices);
  return Choices(enumerate_domain(domain));
}

Bounds bounds_of_domain(const Domain& domain) {
  if (domain.kind == Domain::Kind::Range && !listed_range(domain)) {
    Bounds bounds;
    bounds.numeric = true;
    bounds.lo = domain.min;
    bounds.hi = domain.max;
    return bounds;
  }
  if (domain.kind == Domain::Kind::Any || (domain.kind == Domain::Kind::Choice && domain.choices.empty())) return {};
  // The common cases borrow their lists (the domain outlives the evaluation).
  if (domain.kind == Domain::Kind::Boolean) return boolean_bounds();
  if (domain.kind == Domain::Kind::Choice && domain.choices.size() <= kMaxChoices) {
    Bounds bounds;
    bounds.finite = true;
    bounds.choices = Choices::borrow(domain.choices);
    return bounds;
  }
  return finite_bounds(enumerate_domain(domain));
}

bool lists_values(const Domain& domain) { return bounds_of_domain(domain).finite; }

Truth truth_of(const Val& v) {
  if (v.is_value()) return truthy(v.get()) ? Truth::Truthy : Truth::Falsy;
  if (!v.is_unknown()) return Truth::Undecided;
  const Bounds& bounds = v.detail->bounds;
  if (bounds.finite && !bounds.choices.empty()) {
    bool any_truthy = false;
    bool any_falsy = false;
    for (const json& choice : bounds.choices) (truthy(choice) ? any_truthy : any_falsy) = true;
    if (!any_falsy) return Truth::Truthy;
    if (!any_truthy) return Truth::Falsy;
    return Truth::Undecided;
  }
  if (bounds.numeric) {
    if (bounds.lo > 0 || bounds.hi < 0) return Truth::Truthy;
    if (bounds.lo == 0 && bounds.hi == 0) return Truth::Falsy;
  }
  return Truth::Undecided;
}

std::optional<Interval> numeric_hull(const Bounds& bounds) {
  if (bounds.numeric) return Interval{bounds.lo, bounds.hi};
  if (!bounds.finite || bounds.choices.empty()) return std::nullopt;
  Interval range{kInfinity, -kInfinity};
  for (const json& choice : bounds.choices) {
    const auto number = values::to_number(choice);
    if (!number) return std::nullopt;
    range.lo = std::min(range.lo, *number);
    range.hi = std::max(range.hi, *number);
  }
  return range;
}

std::optional<Interval> interval_of(const Val& v) {
  if (v.is_value()) {
    const auto number = values::to_number(v.get());
    if (!number) return std::nullopt;
    return Interval{*number, *number};
  }
  if (!v.is_unknown()) return std::nullopt;
  return numeric_hull(v.detail->bounds);
}

bool surely_number(const Val& v) {
  if (v.is_value()) return v.get().is_number();
  if (!v.is_unknown()) return false;
  const Bounds& bounds = v.detail->bounds;
  if (bounds.numeric) return true;
  if (!bounds.finite || bounds.choices.empty()) return false;
  return std::all_of(bounds.choices.begin(), bounds.choices.end(), [](const json& c) { return c.is_number(); });
}

namespace {

double product(double a, double b) {
  // 0 * infinity counts as 0: an unbounded factor times exactly zero.
  if (a == 0 || b == 0) return 0;
  return a * b;
}

}  // namespace

std::optional<Interval> interval_arithmetic(Op op, const std::vector<Interval>& ranges) {
  switch (op) {
    case Op::Add: {
      Interval sum{0, 0};
      for (const Interval& r : ranges) sum = {sum.lo + r.lo, sum.hi + r.hi};
      return sum;
    }
    case Op::Sub: {
      if (ranges.empty()) return std::nullopt;
      if (ranges.size() == 1) return Interval{-ranges[0].hi, -ranges[0].lo};
      Interval difference = ranges[0];
      for (std::size_t i = 1; i < ranges.size(); ++i) {
        difference = {difference.lo - ranges[i].hi, difference.hi - ranges[i].lo};
      }
      return difference;
    }
    case Op::Mul: {
      Interval result{1, 1};
      for (const Interval& r : ranges) {
        const double candidates[] = {product(result.lo, r.lo), product(result.lo, r.hi), product(result.hi, r.lo),
                                     product(result.hi, r.hi)};
        result = {*std::min_element(std::begin(candidates), std::end(candidates)),
                  *std::max_element(std::begin(candidates), std::end(candidates))};
      }
      return result;
    }
    case Op::Max:
    case Op::Min: {
      if (ranges.empty()) return std::nullopt;
      Interval result = ranges[0];
      for (const Interval& r : ranges) {
        result = op == Op::Max ? Interval{std::max(result.lo, r.lo), std::max(result.hi, r.hi)}
                               : Interval{std::min(result.lo, r.lo), std::min(result.hi, r.hi)};
      }
      return result;
    }
    default:
      return std::nullopt;
  }
}

std::optional<bool> compare_ranges(Op op, const Interval& a, const Interval& b) {
  const bool disjoint = a.hi < b.lo || b.hi < a.lo;
  switch (op) {
    case Op::Lt:
      if (a.lo >= b.hi) return false;
      if (a.hi < b.lo) return true;
      break;
    case Op::Le:
      if (a.lo > b.hi) return false;
      if (a.hi <= b.lo) return true;
      break;
    case Op::Gt:
      if (a.hi <= b.lo) return false;
      if (a.lo > b.hi) return true;
      break;
    case Op::Ge:
      if (a.hi < b.lo) return false;
      if (a.lo >= b.hi) return true;
      break;
    case Op::Eq:
    case Op::StrictEq:
      if (disjoint) return false;
      break;
    default:  // Ne, StrictNe
      if (disjoint) return true;
      break;
  }
  return std::nullopt;
}

bool possible_values(const Val& v, const json*& first, std::size_t& count) {
  if (v.is_value()) {
    first = &v.get();
    count = 1;
    return true;
  }
  if (v.is_unknown() && v.detail->bounds.finite && !v.detail->bounds.choices.empty()) {
    first = v.detail->bounds.choices.data();
    count = v.detail->bounds.choices.size();
    return true;
  }
  return false;
}

bool finite_choices(const Val* args, std::size_t arg_count, std::vector<std::vector<const json*>>& choices) {
  choices.clear();
  std::size_t combinations = 1;
  for (const Val* arg = args; arg != args + arg_count; ++arg) {
    const json* first = nullptr;
    std::size_t count = 0;
    if (!possible_values(*arg, first, count)) return false;
    std::vector<const json*> possible;
    possible.reserve(count);
    for (std::size_t i = 0; i < count; ++i) possible.push_back(first + i);
    combinations *= possible.size();
    if (combinations > kMaxChoices) return false;
    choices.push_back(std::move(possible));
  }
  return true;
}

void for_each_combination(const std::vector<std::vector<const json*>>& choices,
                          const std::function<void(const std::vector<const json*>&)>& visit) {
  std::vector<std::size_t> digit(choices.size(), 0);
  std::vector<const json*> combination(choices.size());
  while (true) {
    for (std::size_t k = 0; k < choices.size(); ++k) combination[k] = choices[k][digit[k]];
    visit(combination);
    std::size_t k = 0;
    while (k < choices.size() && ++digit[k] == choices[k].size()) digit[k++] = 0;
    if (k == choices.size()) return;
  }
}

Val join(Val* branches, std::size_t count, Waiting waiting) {
  const Val* const first = branches;
  const Val* const last = branches + count;
  bool all_known = true;
  bool any_error = false;
  for (const Val* b = first; b != last; ++b) {
    all_known = all_known && b->is_value();
    any_error = any_error || b->is_error();
    if (b->is_unknown()) unite(waiting, b->detail->waiting);
  }
  if (all_known) {
    bool agree = true;
    for (const Val* b = first; b != last; ++b) agree = agree && values::strict_equal(b->get(), first->get());
    if (agree) return std::move(branches[0]);
  }
  Val v = Val::unknown(std::move(waiting));
  if (any_error) return v;
  // Finite union when every branch is finite, else the numeric hull.
  Choices choices;
  bool finite = true;
  for (const Val* b = first; b != last && finite; ++b) {
    if (b->is_value()) {
      choices.add(b->get());
    } else if (b->detail->bounds.finite) {
      for (const json& c : b->detail->bounds.choices) choices.add(c);
    } else {
      finite = false;
    }
  }
  if (finite) {
    v.detail->bounds = finite_bounds(std::move(choices));
    return v;
  }
  Interval hull{kInfinity, -kInfinity};
  for (const Val* b = first; b != last; ++b) {
    const auto range = interval_of(*b);
    if (!range || !surely_number(*b)) return v;
    hull = {std::min(hull.lo, range->lo), std::max(hull.hi, range->hi)};
  }
  v.detail->bounds.numeric = true;
  v.detail->bounds.lo = hull.lo;
  v.detail->bounds.hi = hull.hi;
  return v;
}

}  // namespace trialscreen::logic
