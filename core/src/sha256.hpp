// SHA-256 (FIPS 180-4) of a byte string, as 64 lowercase hex digits. Small and
// dependency-free so the WebAssembly build can fingerprint a trial file too.
#pragma once

#include <string>

namespace trialscreen {

std::string sha256_hex(const std::string& bytes);

}  // namespace trialscreen
