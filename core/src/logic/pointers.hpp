// The JSON pointers of a compiled rule's nodes (relative to the rule's root),
// for error messages. Kept as steps (a parent entry, then an operator's key
// and/or an array index) and spelt out only when an error needs one: building
// a string for every node was a tenth of compiling a trial's rules, and
// almost none is ever read (docs/performance.md, "Creating the trial session").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace trialscreen::logic {

class PointerTable {
 public:
  static constexpr std::uint32_t kRoot = 0;  // the rule itself: ""
  static constexpr std::uint32_t kNone = 0xffffffffu;

  // A new entry: the parent's pointer, then "/" + the name of operator
  // `op` (an index into compile.cpp's operator table) unless kNone, then
  // "/" + index unless kNone.
  std::uint32_t add(std::uint32_t parent, std::uint32_t op, std::uint32_t index) {
    steps_.push_back(parent);
    steps_.push_back(op);
    steps_.push_back(index);
    return static_cast<std::uint32_t>(steps_.size() / 3 - 1);
  }

  // The entry's pointer text, e.g. "/and/1/</0".
  std::string operator[](std::uint32_t entry) const {
    std::string out;
    spell(entry, out);
    return out;
  }
  // The same into `out`, whose room is reused (an outcome's error pointer).
  void spell_into(std::uint32_t entry, std::string& out) const {
    out.clear();
    spell(entry, out);
  }

 private:
  void spell(std::uint32_t entry, std::string& out) const;  // compile.cpp

  std::vector<std::uint32_t> steps_{kRoot, kNone, kNone};  // parent, op, index per entry
};

}  // namespace trialscreen::logic
