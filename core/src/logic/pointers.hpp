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
  static constexpr std::uint32_t kRoot = 0;      // the rule itself: ""
  static constexpr std::uint32_t kNoIndex = 0xffffffffu;

  // A new entry: the parent's pointer, then "/" + key (an operator name with
  // static storage, or nullptr for none), then "/" + index (unless kNoIndex).
  std::uint32_t add(std::uint32_t parent, const char* key, std::uint32_t index) {
    steps_.push_back({parent, index, key});
    return static_cast<std::uint32_t>(steps_.size() - 1);
  }

  // The entry's pointer text, e.g. "/and/1/</0".
  std::string operator[](std::uint32_t entry) const;

 private:
  struct Step {
    std::uint32_t parent;
    std::uint32_t index;
    const char* key;
  };
  std::vector<Step> steps_{Step{kRoot, kNoIndex, nullptr}};
};

}  // namespace trialscreen::logic
