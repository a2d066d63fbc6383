// JSON text in and out without exceptions (the WebAssembly build has them off).
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "decimal.hpp"
#include "trialscreen/logic.hpp"

namespace trialscreen::logic {
namespace {

using json = nlohmann::json;

// The length of the well-formed UTF-8 sequence starting at text[i] (Unicode
// table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or 0.
std::size_t utf8_sequence(const unsigned char* text, std::size_t size, std::size_t i) {
  const unsigned char lead = text[i];
  auto continuation = [&](std::size_t at, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return at < size && text[at] >= lo && text[at] <= hi;
  };
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(i + 1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    const unsigned char lo = lead == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = lead == 0xED ? 0x9F : 0xBF;
    return continuation(i + 1, lo, hi) && continuation(i + 2) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    const unsigned char lo = lead == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = lead == 0xF4 ? 0x8F : 0xBF;
    return continuation(i + 1, lo, hi) && continuation(i + 2) && continuation(i + 3) ? 4 : 0;
  }
  return 0;
}

// Bytes that stand for themselves inside a JSON string, read or written:
// printable ASCII other than the quote and the backslash (0x7f included, as
// nlohmann leaves it). A plain array, not std::array: the size-optimised
// WebAssembly build called std::array's operator[] for every byte of every
// string (docs/performance.md, "Creating the trial session").
struct PlainBytes {
  bool plain[256];
};
constexpr PlainBytes kPlainBytes() {
  PlainBytes bytes{};
  for (int c = 0x20; c < 0x80; ++c) bytes.plain[c] = c != '"' && c != '\\';
  return bytes;
}
constexpr PlainBytes kPlainTable = kPlainBytes();
constexpr const bool* kPlain = kPlainTable.plain;

// The first byte from `from` on (before `limit`) that is not plain, or
// `limit`. A batch reads sixty-odd keys a record, each scanned before it is
// looked up: sixteen bytes at a time they cost a third of what they did byte
// by byte. (The WebAssembly build has no SSE2 and keeps the byte loop.)
inline const unsigned char* plain_run_end(const unsigned char* from, const unsigned char* limit) {
#ifdef __SSE2__
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  while (limit - from >= 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(from));
    // Compared as signed bytes, those below the space are the control
    // characters and every byte from 0x80 up: with the quote and the
    // backslash, exactly the bytes kPlain calls not plain.
    const __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)),
                                      _mm_cmplt_epi8(bytes, space));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(stop));
    if (mask != 0) return from + __builtin_ctz(mask);
    from += 16;
  }
#endif
  while (from != limit && kPlain[*from]) ++from;
  return from;
}

// Builds the DOM from SAX events, refusing nesting deeper than the limit, so a
// hostile document is rejected before it can make anything recurse deeply.
class BoundedDomBuilder {
 public:
  BoundedDomBuilder(json& root, std::size_t max_depth) : root_(root), max_depth_(max_depth) {}

  bool null() { return add(json(nullptr)) != nullptr; }
  bool boolean(bool value) { return add(json(value)) != nullptr; }
  bool number_integer(json::number_integer_t value) { return add(json(value)) != nullptr; }
  bool number_unsigned(json::number_unsigned_t value) { return add(json(value)) != nullptr; }
  bool number_float(json::number_float_t value, const json::string_t&) { return add(json(value)) != nullptr; }
  bool string(json::string_t& value) { return add(json(std::move(value))) != nullptr; }
  bool binary(json::binary_t&) { return fail_syntax(0, "binary values are not JSON"); }

  bool start_object(std::size_t) { return open(json::object()); }
  bool key(json::string_t& key) {
    pending_key_ = std::move(key);
    return true;
  }
  bool end_object() { return close(); }
  bool start_array(std::size_t) { return open(json::array()); }
  bool end_array() { return close(); }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& error) {
    // nlohmann counts the characters read; the offending one is the last.
    return fail_syntax(position > 0 ? position - 1 : 0, error.what());
  }

  // Set when the input nests too deeply; the byte offset is approximate.
  bool too_deep = false;
  std::size_t error_offset = 0;
  std::string error_message;

 private:
  // Adds a value where the parser is; returns where it now lives. A repeated
  // key keeps the last value, as nlohmann's own parser does.
  json* add(json&& value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    json& parent = *stack_.back();
    if (parent.is_array()) {
      auto& items = parent.get_ref<json::array_t&>();
      items.push_back(std::move(value));
      return &items.back();
    }
    json& slot = parent.get_ref<json::object_t&>()[std::move(pending_key_)];
    slot = std::move(value);
    return &slot;
  }

  bool open(json&& container) {
    if (stack_.size() >= max_depth_) {
      too_deep = true;
      error_message = "JSON nests deeper than " + std::to_string(max_depth_) + " levels";
      return false;
    }
    stack_.push_back(add(std::move(container)));
    return true;
  }

  bool close() {
    stack_.pop_back();
    return true;
  }

  bool fail_syntax(std::size_t position, const std::string& message) {
    error_offset = position;
    error_message = message;
    return false;
  }

  json& root_;
  std::size_t max_depth_;
  std::vector<json*> stack_;
  std::string pending_key_;
};

// The common case first: well-formed JSON read straight into the DOM in one
// pass over the bytes. nlohmann's SAX parser costs several times as much per
// byte (most of all in the size-optimised WebAssembly build, where its
// per-character calls are not inlined), and answers and records are parsed on
// every screening. Anything this does not accept as plainly valid (a syntax
// error, bad UTF-8, a lone surrogate, a number out of range, a byte order
// mark, nesting past the limit) makes it give up, and nlohmann parses the
// text instead, so what is accepted and every error message stay nlohmann's.
// Numbers are converted exactly as nlohmann converts them (strtoull for
// non-negative integers, strtoll for negative ones, strtod otherwise), the
// common short ones without calling them (decimal.hpp).
class FastParser {
 public:
  FastParser(const std::string& text, std::size_t max_depth, const MemberTakers* takers = nullptr)
      : at_(text.data()), end_(text.data() + text.size()), max_depth_(max_depth), takers_(takers) {}

  bool parse(json& root) {
    if (!value(root, 0)) return false;
    skip_space();
    return at_ == end_;
  }

  // An object's members into the places `place` names (see
  // parse_json_members); any other value into `other`.
  bool parse_members(const std::function<json&(std::string_view)>& place, json& other, bool& is_object) {
    skip_space();
    is_object = at_ != end_ && *at_ == '{';
    if (!is_object) return parse(other);
    std::string unescaped;
    if (!elements(0, '}', [&] { return member(unescaped, 1, place); })) return false;
    skip_space();
    return at_ == end_;
  }

 private:
  void skip_space() {
    while (at_ != end_ && (*at_ == ' ' || *at_ == '\n' || *at_ == '\r' || *at_ == '\t')) ++at_;
  }

  bool literal(const char* word, std::size_t length) {
    if (static_cast<std::size_t>(end_ - at_) < length || std::memcmp(at_, word, length) != 0) return false;
    at_ += length;
    return true;
  }

  bool value(json& out, std::size_t depth) {
    skip_space();
    if (at_ == end_) return false;
    switch (*at_) {
      case '{':
        return object(out, depth);
      case '[':
        return array(out, depth);
      case '"': {
        // A place that holds a text already (a batch's answers, kept for
        // reuse) takes the new one in its room: no allocation.
        if (out.is_string()) {
          std::string& text = out.get_ref<std::string&>();
          text.clear();
          return string(text);
        }
        std::string text;
        if (!string(text)) return false;
        out = std::move(text);
        return true;
      }
      case 't':
        set<json::value_t::boolean>(out, true);
        return literal("true", 4);
      case 'f':
        set<json::value_t::boolean>(out, false);
        return literal("false", 5);
      case 'n':
        out = nullptr;
        return literal("null", 4);
      default:
        return number(out);
    }
  }

  // The elements of an object or an array, from its opening bracket on:
  // `read_element` reads one; a comma goes on, `close` ends the container.
  template <typename ReadElement>
  bool elements(std::size_t depth, char close, ReadElement read_element) {
    if (depth >= max_depth_) return false;
    ++at_;
    skip_space();
    if (at_ != end_ && *at_ == close) {
      ++at_;
      return true;
    }
    while (true) {
      if (!read_element()) return false;
      skip_space();
      if (at_ == end_) return false;
      const char c = *at_++;
      if (c == close) return true;
      if (c != ',') return false;
    }
  }

  // One `"key": value` member of an object, its value read at `depth` into
  // the json `place(key)` returns. The key is a view of the text when it has
  // only plain ASCII bytes, else of `unescaped`, which it is read into.
  template <typename Place>
  bool member(std::string& unescaped, std::size_t depth, const Place& place) {
    std::string_view name;
    if (!key(unescaped, name)) return false;
    skip_space();
    if (at_ == end_ || *at_ != ':') return false;
    ++at_;
#ifndef TRIALSCREEN_FOR_SIZE
    if (takers_ != nullptr && depth == 1 && taken(name)) return true;
#endif
    return value(place(name), depth);
  }

#ifndef TRIALSCREEN_FOR_SIZE
  // A top-level member's value offered to its taker (takers_): true when it
  // took it. Otherwise nothing is read (the value is read as any other).
  bool taken(std::string_view name) {
    skip_space();
    if (at_ == end_) return false;
    const char c = *at_;
    const char* const start = at_;
    if (c == '{') {
      if (takers_->quantity && quantity_member(name)) return true;
    } else if (c == 't' || c == 'f') {
      const bool yes = c == 't';
      if (takers_->boolean && (yes ? literal("true", 4) : literal("false", 5)) && takers_->boolean(name, yes)) {
        return true;
      }
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      json read;
      if (takers_->number && number(read) && takers_->number(name, read.get<double>())) return true;
    }
    at_ = start;
    return false;
  }

  // From its opening brace, a value that is exactly {"value": number,
  // "unit": "plain text"} (either order), handed to takers_->quantity: true
  // when it took it.
  bool quantity_member(std::string_view name) {
    if (1 >= max_depth_) return false;  // an object's depth, as elements() checks it
    ++at_;
    json value_read;
    std::string_view unit;
    bool has_value = false;
    bool has_unit = false;
    for (int i = 0; i < 2; ++i) {
      std::string_view key_read;
      skip_space();
      if (i == 1) {
        if (at_ == end_ || *at_ != ',') break;
        ++at_;
        skip_space();
      }
      if (!plain_string(key_read)) break;
      skip_space();
      if (at_ == end_ || *at_ != ':') break;
      ++at_;
      skip_space();
      if (key_read == "value" && !has_value) {
        has_value = number(value_read);
        if (!has_value) break;
      } else if (key_read == "unit" && !has_unit) {
        has_unit = plain_string(unit);
        if (!has_unit) break;
      } else {
        break;
      }
    }
    skip_space();
    if (!has_value || !has_unit || at_ == end_ || *at_ != '}') return false;
    ++at_;
    return takers_->quantity(name, value_read.get<double>(), unit);
  }
#endif

  // A string of plain ASCII bytes (no escape), from its opening quote on, as
  // a view of the text; false, with nothing read, for any other.
  bool plain_string(std::string_view& text) {
    if (at_ == end_ || *at_ != '"') return false;
    const char* const first = at_ + 1;
    const char* last = reinterpret_cast<const char*>(plain_run_end(reinterpret_cast<const unsigned char*>(first),
                                                                   reinterpret_cast<const unsigned char*>(end_)));
    if (last == end_ || *last != '"') return false;
    text = std::string_view(first, static_cast<std::size_t>(last - first));
    at_ = last + 1;
    return true;
  }

  // A member's key, from before its opening quote: a view of the text when
  // it has only plain ASCII bytes, else read into `unescaped`.
  bool key(std::string& unescaped, std::string_view& name) {
    skip_space();
    if (at_ == end_ || *at_ != '"') return false;
    if (plain_string(name)) return true;
    unescaped.clear();
    if (!string(unescaped)) return false;
    name = unescaped;
    return true;
  }

  bool object(json& out, std::size_t depth) {
    out = json::object();
    json::object_t& members = out.get_ref<json::object_t&>();
    std::string unescaped;
    // The member is read in place; a repeated key keeps the last value.
    return elements(depth, '}', [&] {
      return member(unescaped, depth + 1, [&](std::string_view name) -> json& { return members[std::string(name)]; });
    });
  }

  bool array(json& out, std::size_t depth) {
    out = json::array();
    json::array_t& items = out.get_ref<json::array_t&>();
    return elements(depth, ']', [&] {
      items.emplace_back();
      return value(items.back(), depth + 1);
    });
  }

  static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // Four hex digits after "\u"; -1 if they are not.
  long hex4() {
    if (end_ - at_ < 4) return -1;
    long code = 0;
    for (int i = 0; i < 4; ++i) {
      const int digit = hex_digit(at_[i]);
      if (digit < 0) return -1;
      code = code * 16 + digit;
    }
    at_ += 4;
    return code;
  }

  static void append_utf8(std::string& out, long code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  bool string(std::string& out) {
    ++at_;  // the opening quote
    const auto* bytes = reinterpret_cast<const unsigned char*>(at_);
    const auto* const limit = reinterpret_cast<const unsigned char*>(end_);
    while (true) {
      // A run of plain bytes and well-formed UTF-8 sequences, copied at once
      // (not one append per non-ASCII character, the most of a Chinese text).
      const unsigned char* run = bytes;
      while (true) {
        bytes = plain_run_end(bytes, limit);
        if (bytes == limit || *bytes < 0x80) break;
        const std::size_t length = utf8_sequence(bytes, static_cast<std::size_t>(limit - bytes), 0);
        if (length == 0) return false;
        bytes += length;
      }
      out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(bytes - run));
      if (bytes == limit || *bytes < 0x20) return false;  // unclosed, or a raw control character
      if (*bytes == '"') {
        at_ = reinterpret_cast<const char*>(bytes + 1);
        return true;
      }
      // A backslash escape.
      if (limit - bytes < 2) return false;
      const unsigned char escape = bytes[1];
      bytes += 2;
      switch (escape) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          at_ = reinterpret_cast<const char*>(bytes);
          long code = hex4();
          if (code < 0 || (code >= 0xDC00 && code <= 0xDFFF)) return false;
          if (code >= 0xD800 && code <= 0xDBFF) {
            // A high surrogate must be followed by an escaped low one.
            if (end_ - at_ < 2 || at_[0] != '\\' || at_[1] != 'u') return false;
            at_ += 2;
            const long low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) return false;
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(out, code);
          bytes = reinterpret_cast<const unsigned char*>(at_);
          break;
        }
        default:
          return false;
      }
    }
  }

  static bool digit(char c) { return c >= '0' && c <= '9'; }

  // A place that holds a value of the same type (a batch's answers, kept for
  // reuse) takes the new one in place: nlohmann's assignment builds a value,
  // swaps it in and destroys the old one. The type is compared exactly
  // (get_ptr would hand a signed number the room of an unsigned one). Not in
  // the browsers' module, built for size: 46 bytes for 1 % of a batch
  // record's instructions.
  template <json::value_t kType, typename T>
  static void set(json& out, T value) {
#ifndef TRIALSCREEN_FOR_SIZE
    if (out.type() == kType) {
      *out.get_ptr<T*>() = value;
      return;
    }
#endif
    out = value;
  }

  bool number(json& out) {
    const char* start = at_;
    const bool negative = at_ != end_ && *at_ == '-';
    if (negative) ++at_;
    if (at_ == end_ || !digit(*at_)) return false;
    if (*at_ == '0') {
      ++at_;
    } else {
      while (at_ != end_ && digit(*at_)) ++at_;
    }
    bool integer = true;
    if (at_ != end_ && *at_ == '.') {
      integer = false;
      ++at_;
      if (at_ == end_ || !digit(*at_)) return false;
      while (at_ != end_ && digit(*at_)) ++at_;
    }
    if (at_ != end_ && (*at_ == 'e' || *at_ == 'E')) {
      integer = false;
      ++at_;
      if (at_ != end_ && (*at_ == '+' || *at_ == '-')) ++at_;
      if (at_ == end_ || !digit(*at_)) return false;
      while (at_ != end_ && digit(*at_)) ++at_;
    }
    // Up to 18 digits cannot overflow: the common case needs no strtoull.
    const std::size_t digits = static_cast<std::size_t>(at_ - start) - (negative ? 1 : 0);
    if (integer && digits <= 18) {
      std::uint64_t magnitude = 0;
      for (const char* d = at_ - digits; d != at_; ++d) magnitude = magnitude * 10 + static_cast<unsigned>(*d - '0');
      if (negative) {
        set<json::value_t::number_integer>(out, -static_cast<json::number_integer_t>(magnitude));
      } else {
        set<json::value_t::number_unsigned>(out, static_cast<json::number_unsigned_t>(magnitude));
      }
      return true;
    }
    if (integer) {
      // The conversions need a terminated copy of the token.
      const std::string token(start, at_);
      errno = 0;
      if (!negative) {
        const auto x = std::strtoull(token.c_str(), nullptr, 10);
        if (errno == 0) {
          out = static_cast<json::number_unsigned_t>(x);
          return true;
        }
      } else {
        const auto x = std::strtoll(token.c_str(), nullptr, 10);
        if (errno == 0) {
          out = static_cast<json::number_integer_t>(x);
          return true;
        }
      }
    }
    const double x = decimal_value(start, at_);
    if (!std::isfinite(x)) return false;  // nlohmann reports the overflow
    set<json::value_t::number_float>(out, x);
    return true;
  }

  const char* at_;
  const char* const end_;
  const std::size_t max_depth_;
  const MemberTakers* const takers_;  // parse_json_members' takers of top-level members, or nullptr
};

// Byte offset of the container that broke the depth limit: the first opening
// bracket outside strings at depth max_depth + 1.
std::size_t offset_of_depth(const std::string& text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if (c == ']' || c == '}') {
      if (depth > 0) --depth;
    }
  }
  return text.size();
}

}  // namespace

namespace {

// Inlined: the browsers' module, which calls only the first overload, is
// 40 bytes bigger gzipped with a call between them.
[[gnu::always_inline]] inline MembersRead read_members(const std::string& text, Diagnostics& errors, std::size_t max_depth,
                         const std::function<json&(std::string_view)>& place, const std::function<void()>& start_over,
                         const MemberTakers* takers) {
  json other;
  bool is_object = false;
  if (FastParser(text, max_depth, takers).parse_members(place, other, is_object)) {
    return is_object ? MembersRead::Object : other.is_null() ? MembersRead::Null : MembersRead::Other;
  }
  // The quick reader refuses: parse_json says why, or reads what it refused.
  if (is_object) start_over();
  std::optional<json> parsed = parse_json(text, errors, max_depth);
  if (!parsed) return MembersRead::Invalid;
  if (parsed->is_null()) return MembersRead::Null;
  if (!parsed->is_object()) return MembersRead::Other;
  for (auto& [key, value] : parsed->get_ref<json::object_t&>()) place(key) = std::move(value);
  return MembersRead::Object;
}

}  // namespace

MembersRead parse_json_members(const std::string& text, Diagnostics& errors, std::size_t max_depth,
                               const std::function<json&(std::string_view)>& place,
                               const std::function<void()>& start_over) {
  return read_members(text, errors, max_depth, place, start_over, nullptr);
}

MembersRead parse_json_members(const std::string& text, Diagnostics& errors, std::size_t max_depth,
                               const std::function<json&(std::string_view)>& place,
                               const std::function<void()>& start_over, const MemberTakers& takers) {
  return read_members(text, errors, max_depth, place, start_over, &takers);
}

std::optional<json> parse_json(const std::string& text, Diagnostics& errors, std::size_t max_depth) {
  json root;
  if (FastParser(text, max_depth).parse(root)) return root;
  root = json();
  BoundedDomBuilder builder(root, max_depth);
  const bool ok = json::sax_parse(text, &builder, json::input_format_t::json, true);
  if (ok) return root;
  if (builder.too_deep) {
    const std::size_t offset = offset_of_depth(text, max_depth);
    errors.push_back({"json.002", "", builder.error_message + " (at byte " + std::to_string(offset) + ")"});
  } else {
    // nlohmann's message already names the line and column; add the byte offset.
    std::string message = builder.error_message;
    const std::string prefix = "[json.exception.parse_error.101] ";
    if (message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
    errors.push_back({"json.001", "", "invalid JSON at byte " + std::to_string(builder.error_offset) + ": " + message});
  }
  return std::nullopt;
}

namespace {

// A JSON string, escaped exactly as nlohmann's dump() escapes it (ensure_ascii
// off). Runs of bytes that need nothing are copied whole; a string that is not
// well-formed UTF-8 is left to nlohmann, whose replacement rules are subtle.
void append_string(std::string& out, const std::string& text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  const std::size_t start = out.size();
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  std::size_t i = 0;
  while (i < size) {
    while (i < size && kPlain[bytes[i]]) ++i;
    if (i == size) break;
    const unsigned char c = bytes[i];
    if (c >= 0x80) {
      const std::size_t length = utf8_sequence(bytes, size, i);
      if (length == 0) {
        out.resize(start);
        out += json(text).dump(-1, ' ', false, json::error_handler_t::replace);
        return;
      }
      i += length;
      continue;
    }
    out.append(text, run, i - run);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default: {
        static const char kHex[] = "0123456789abcdef";
        const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(escaped, sizeof escaped);
      }
    }
    run = ++i;
  }
  out.append(text, run, size - run);
  out += '"';
}

template <typename Integer>
void append_integer(std::string& out, Integer value) {
  char buffer[24];
  char* end = buffer + sizeof buffer;
  char* first = end;
  // Digits from the magnitude, as unsigned, so the most negative value works.
  const bool negative = value < 0;
  auto magnitude = static_cast<std::uint64_t>(value);
  if (negative) magnitude = 0 - magnitude;
  do {
    *--first = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  if (negative) *--first = '-';
  out.append(first, static_cast<std::size_t>(end - first));
}

}  // namespace

// Writes what value.dump(-1, ' ', false, replace) writes, without building
// nlohmann's serializer (which checks every byte of every string through its
// UTF-8 automaton and was a fifth of a batch run's instructions).
void append_json_text(std::string& out, const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      out += "null";
      return;
    case json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case json::value_t::number_integer:
      append_integer(out, value.get<json::number_integer_t>());
      return;
    case json::value_t::number_unsigned:
      append_integer(out, value.get<json::number_unsigned_t>());
      return;
    case json::value_t::number_float: {
      const double number = value.get<double>();
      if (!std::isfinite(number)) {
        out += "null";
        return;
      }
      char buffer[64];
      const char* end = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, number);
      out.append(buffer, static_cast<std::size_t>(end - buffer));
      return;
    }
    case json::value_t::string:
      append_string(out, value.get_ref<const std::string&>());
      return;
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const json& item : value.get_ref<const json::array_t&>()) {
        if (!first) out += ',';
        first = false;
        append_json_text(out, item);
      }
      out += ']';
      return;
    }
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& member : value.get_ref<const json::object_t&>()) {
        if (!first) out += ',';
        first = false;
        append_string(out, member.first);
        out += ':';
        append_json_text(out, member.second);
      }
      out += '}';
      return;
    }
    default:  // binary and discarded never come from parsed JSON
      out += value.dump(-1, ' ', false, json::error_handler_t::replace);
      return;
  }
}

void append_json_string(std::string& out, const std::string& text) { append_string(out, text); }

std::string to_json_text(const json& value) {
  std::string out;
  append_json_text(out, value);
  return out;
}

}  // namespace trialscreen::logic
