#include "trialscreen/diagnostic.hpp"

namespace trialscreen {

std::string Diagnostic::format() const {
  return "[" + id + "] (" + pointer + ") " + message;
}

std::string pointer_token(const std::string& token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace trialscreen
