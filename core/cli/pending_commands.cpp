// Temporary: commands whose implementation has not landed yet, so the
// executable links. Delete each stub when its command lands.
#include "commands.hpp"

namespace trialscreen::cli {

int run_batch(const Args&) { return usage_error("batch: not implemented yet"); }

}  // namespace trialscreen::cli
