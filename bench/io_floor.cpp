// The batch's input and output alone, without screening: what any CLI that
// reads a referral list and writes a result of the same size per record pays
// the machine, whatever its screening costs. bench/run runs it in the batch
// runs' own pipelines, so that each batch figure can be set against its floor.
//
//   io_floor BYTES < LIST | wc -lc
//
// Reads stdin in 64 KiB chunks (as the CLI's LineReader does) and, for every
// line, makes a row of BYTES bytes (BYTES - 1 spaces and a newline), the rows
// one after another in a block written unbuffered once it holds
// kOutputBlockBytes (as the CLI's stream and output do). A CSV list's header
// line gets no row.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "../core/src/batch/output_block.hpp"

int main(int argc, char** argv) {
  const long bytes = argc == 2 ? std::strtol(argv[1], nullptr, 10) : 0;
  if (bytes < 1 || bytes > (1 << 20)) {
    std::fputs("usage: io_floor BYTES < LIST   (BYTES per line written, 1 to 1048576)\n", stderr);
    return 2;
  }
  std::setvbuf(stdout, nullptr, _IONBF, 0);
  std::string row(static_cast<std::size_t>(bytes), ' ');
  row.back() = '\n';
  std::string block;
  std::vector<char> in(1 << 16);
  bool first_chunk = true;
  bool first_line = true;
  bool skip_header = false;
  std::size_t got = 0;
  while ((got = std::fread(in.data(), 1, in.size(), stdin)) > 0) {
    const char* at = in.data();
    const char* const end = at + got;
    // Told by the list's first byte (a first line may span chunks): not
    // JSON Lines, a CSV header.
    if (first_chunk) skip_header = *at != '{';
    first_chunk = false;
    while (const void* newline = std::memchr(at, '\n', static_cast<std::size_t>(end - at))) {
      at = static_cast<const char*>(newline) + 1;
      if (first_line) {
        first_line = false;
        if (skip_header) continue;
      }
      block += row;
      if (block.size() >= trialscreen::batch::kOutputBlockBytes) {
        std::fwrite(block.data(), 1, block.size(), stdout);
        block.clear();
      }
    }
  }
  std::fwrite(block.data(), 1, block.size(), stdout);
  return std::fflush(stdout) == 0 && !std::ferror(stdout) ? 0 : 1;
}
