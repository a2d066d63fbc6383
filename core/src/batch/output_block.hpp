// How much of the batch's output is gathered before it is written: nearly a
// pipe's worth (64 KiB; a larger write waits for the reader, and 128 KiB
// blocks cost more system time: docs/performance.md, "Seventeenth session").
// Shared with bench/io_floor, so that the floor writes as the CLI writes.
#pragma once

#include <cstddef>

namespace trialscreen::batch {

inline constexpr std::size_t kOutputBlockBytes = 56 * 1024;

}  // namespace trialscreen::batch
