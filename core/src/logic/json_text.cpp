// JSON text in and out without exceptions (the WebAssembly build has them off).
#include <cstdint>
#include <string>
#include <vector>

#include "trialscreen/logic.hpp"

namespace trialscreen::logic {
namespace {

using json = nlohmann::json;

// Builds the DOM from SAX events, refusing nesting deeper than the limit, so a
// hostile document is rejected before it can make anything recurse deeply.
class BoundedDomBuilder {
 public:
  BoundedDomBuilder(json& root, std::size_t max_depth) : root_(root), max_depth_(max_depth) {}

  bool null() { return add(json(nullptr)); }
  bool boolean(bool value) { return add(json(value)); }
  bool number_integer(json::number_integer_t value) { return add(json(value)); }
  bool number_unsigned(json::number_unsigned_t value) { return add(json(value)); }
  bool number_float(json::number_float_t value, const json::string_t&) { return add(json(value)); }
  bool string(json::string_t& value) { return add(json(std::move(value))); }
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
  bool add(json&& value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return true;
    }
    json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.get_ref<json::array_t&>().push_back(std::move(value));
    } else {
      parent.get_ref<json::object_t&>()[pending_key_] = std::move(value);
    }
    return true;
  }

  json* last_added() {
    if (stack_.empty()) return &root_;
    json& parent = *stack_.back();
    if (parent.is_array()) return &parent.get_ref<json::array_t&>().back();
    return &parent.get_ref<json::object_t&>()[pending_key_];
  }

  bool open(json&& container) {
    if (stack_.size() >= max_depth_) {
      too_deep = true;
      error_message = "JSON nests deeper than " + std::to_string(max_depth_) + " levels";
      return false;
    }
    add(std::move(container));
    stack_.push_back(last_added());
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

std::optional<json> parse_json(const std::string& text, Diagnostics& errors, std::size_t max_depth) {
  json root;
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

std::string to_json_text(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace trialscreen::logic
