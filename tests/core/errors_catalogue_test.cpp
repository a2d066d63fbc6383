// docs/errors.md is the one catalogue of error ids. This test keeps it and the
// code from drifting apart: every id the core and the CLI can produce (string
// literals in core/src and core/cli, read recursively, comments stripped) must
// be listed there, and every id listed there must still exist in the code.
// Ids that the code builds by prefixing another id ("trial." + "json.001")
// are derived here the same way. Answer-error and core warning codes, and the
// JavaScript Error classes of wasm/trialscreen.js, are checked the same way.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The text without // comments (which quote ids as examples) and #include lines.
std::string code_without_comments(const std::string& text) {
  std::string out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("#include", 0) == 0) continue;
    bool in_string = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (in_string && c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = !in_string;
      } else if (!in_string && c == '\'' && i + 2 < line.size()) {
        i += line[i + 1] == '\\' ? 3 : 2;  // a character literal such as '"'
      } else if (!in_string && c == '/' && i + 1 < line.size() && line[i + 1] == '/') {
        line.resize(i);
        break;
      }
    }
    out += line + "\n";
  }
  return out;
}

std::string core_code() {
  std::string all;
  for (const char* dir : {"core/src", "core/cli"}) {
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(TRIALSCREEN_SOURCE_DIR) / dir)) {
      const std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".cpp" || ext == ".hpp")) all += code_without_comments(read_text(entry.path()));
    }
  }
  // The JS wrapper raises ids of its own, written `code: "id"`; JavaScript's
  // single-quoted strings would confuse the C++ scan, so only those are taken.
  const std::string wrapper = read_text(fs::path(TRIALSCREEN_SOURCE_DIR) / "wasm/trialscreen.js");
  const std::string marker = "code: \"";
  for (std::size_t at = wrapper.find(marker); at != std::string::npos; at = wrapper.find(marker, at + 1)) {
    const std::size_t start = at + marker.size() - 1;
    all += ' ' + wrapper.substr(start, wrapper.find('"', start + 1) + 1 - start);
  }
  return all;
}

// No <regex>: GCC 12 warns (-Wmaybe-uninitialized) inside libstdc++'s regex
// under -O2 with the sanitizers, and the shapes here are simple.
bool all_of_chars(const std::string& text, const char* allowed) {
  return !text.empty() && text.find_first_not_of(allowed) == std::string::npos;
}

const char* const kLowerDigitsDash = "abcdefghijklmnopqrstuvwxyz0123456789-";

// "rule.104", "trial.schema.101", "record.too-long", "trial.rule.1NN".
bool is_id(const std::string& token) {
  const std::size_t dot = token.find('.');
  if (dot == std::string::npos || dot == 0 || token.back() == '.') return false;
  return all_of_chars(token.substr(0, dot), "abcdefghijklmnopqrstuvwxyz") &&
         all_of_chars(token.substr(dot + 1), "abcdefghijklmnopqrstuvwxyz0123456789-.N") &&
         token.find("..") == std::string::npos;
}

// "unknown-field", "rule-error".
bool is_plain_code(const std::string& token) {
  return all_of_chars(token, kLowerDigitsDash) && token.front() != '-' && token.back() != '-';
}

bool is_error_class(const std::string& token) {
  return token.size() > 5 && std::isupper(static_cast<unsigned char>(token[0])) &&
         token.compare(token.size() - 5, 5, "Error") == 0 &&
         all_of_chars(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
}

// The text of every string literal in (comment-free) code.
std::vector<std::string> string_literals(const std::string& code) {
  std::vector<std::string> literals;
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (code[i] == '\'') {
      i += code[i + 1] == '\\' ? 3 : 2;  // a character literal such as '"'
    } else if (code[i] == '"') {
      std::string text;
      for (++i; i < code.size() && code[i] != '"'; ++i) {
        if (code[i] == '\\') ++i;
        text += code[i];
      }
      literals.push_back(text);
    }
  }
  return literals;
}

// Every X in `before + "X" + after` (X a plain code).
std::set<std::string> codes_between(const std::string& code, const std::string& before, const std::string& after) {
  std::set<std::string> found;
  for (std::size_t at = code.find(before); at != std::string::npos; at = code.find(before, at + 1)) {
    const std::size_t start = at + before.size();
    const std::size_t end = code.find('"', start);
    if (end == std::string::npos) break;
    const std::string candidate = code.substr(start, end - start);
    if (is_plain_code(candidate) && code.compare(end + 1, after.size(), after) == 0) found.insert(candidate);
  }
  return found;
}

// Error ids the code can produce: literals, and the prefixed forms that
// Trial::load ("trial." + a json.* or compile-time rule.1NN id) and
// TrialSession::screen ("answers." / "options." + a json.* id) build.
std::set<std::string> code_ids(const std::string& code) {
  std::set<std::string> ids;
  for (const std::string& literal : string_literals(code)) {
    for (const char* family : {"rule.", "json.", "trial.", "answers.", "options.", "record.", "input."}) {
      if (literal.rfind(family, 0) == 0 && is_id(literal) && literal.find('N') == std::string::npos) ids.insert(literal);
    }
  }
  const std::set<std::string> literals = ids;
  for (const std::string& id : literals) {
    if (id.rfind("json.", 0) == 0) {
      for (const char* prefix : {"trial.", "answers.", "options."}) ids.insert(prefix + id);
    }
    if (id.size() == 8 && id.rfind("rule.1", 0) == 0) ids.insert("trial." + id);
  }
  return ids;
}

// Codes without a dot: answerErrors codes and the warning codes the core
// itself emits (`problem = {"type", ...}`, `{"code", "unknown-field"}`).
std::set<std::string> code_plain_codes(const std::string& code) {
  std::set<std::string> codes = codes_between(code, "problem = {\"", ",");
  for (const std::string& c : codes_between(code, "{\"code\", \"", "}")) codes.insert(c);
  return codes;
}

struct Catalogue {
  std::set<std::string> ids;          // with a dot; "NN"/"NNN" stand for digits
  std::set<std::string> plain_codes;  // lowercase, no dot
  std::set<std::string> js_classes;   // ...Error
};

// The first cells of the tables before "## Limits", when they are `code`
// shaped like an id, an answer/warning code or an Error class.
Catalogue documented() {
  Catalogue catalogue;
  std::istringstream lines(read_text(fs::path(TRIALSCREEN_SOURCE_DIR) / "docs/errors.md"));
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("## Limits", 0) == 0) break;
    if (line.rfind("| `", 0) != 0) continue;
    const std::size_t close = line.find('`', 3);
    if (close == std::string::npos || line.find_first_not_of(' ', close + 1) != line.find('|', close + 1)) continue;
    const std::string token = line.substr(3, close - 3);
    if (is_error_class(token)) {
      catalogue.js_classes.insert(token);
    } else if (is_id(token)) {
      catalogue.ids.insert(token);
    } else if (is_plain_code(token)) {
      catalogue.plain_codes.insert(token);
    }  // anything else (`trialscreen lint`, a channel) is no code
  }
  return catalogue;
}

// "trial.rule.1NN" documents every trial.rule.1xx id.
bool covers(const std::string& documented, const std::string& id) {
  if (documented.size() != id.size()) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (documented[i] == 'N' ? !std::isdigit(static_cast<unsigned char>(id[i])) : documented[i] != id[i]) return false;
  }
  return true;
}

bool covered_by_any(const std::set<std::string>& documented, const std::string& id) {
  for (const std::string& d : documented) {
    if (covers(d, id)) return true;
  }
  return false;
}

TEST(ErrorsCatalogue, EveryIdTheCoreProducesIsDocumented) {
  const Catalogue catalogue = documented();
  const std::set<std::string> ids = code_ids(core_code());
  ASSERT_GT(ids.size(), 40u) << "the scan of core/src found too few ids; did the sources move?";
  for (const std::string& id : ids) {
    EXPECT_TRUE(covered_by_any(catalogue.ids, id)) << id << " is produced by the code but missing from docs/errors.md";
  }
}

TEST(ErrorsCatalogue, EveryDocumentedIdStillExists) {
  const std::set<std::string> ids = code_ids(core_code());
  for (const std::string& d : documented().ids) {
    bool exists = false;
    for (const std::string& id : ids) exists = exists || covers(d, id);
    EXPECT_TRUE(exists) << d << " is in docs/errors.md but the code never produces it";
  }
}

TEST(ErrorsCatalogue, AnswerAndWarningCodesMatch) {
  const std::set<std::string> in_code = code_plain_codes(core_code());
  const std::set<std::string> in_docs = documented().plain_codes;
  EXPECT_TRUE(in_code.count("unknown-field") == 1 && in_code.count("implausible") == 1)
      << "the scan for answer codes found too little; did answers.cpp change shape?";
  EXPECT_EQ(in_code, in_docs);
}

TEST(ErrorsCatalogue, JavaScriptErrorClassesMatch) {
  const std::string wrapper = read_text(fs::path(TRIALSCREEN_SOURCE_DIR) / "wasm/trialscreen.js");
  std::set<std::string> in_code;
  const std::string marker = "export class ";
  for (std::size_t at = wrapper.find(marker); at != std::string::npos; at = wrapper.find(marker, at + 1)) {
    const std::size_t start = at + marker.size();
    const std::string name = wrapper.substr(start, wrapper.find(' ', start) - start);
    if (is_error_class(name) && wrapper.compare(start + name.size(), 15, " extends Error ") == 0) in_code.insert(name);
  }
  EXPECT_FALSE(in_code.empty());
  EXPECT_EQ(in_code, documented().js_classes);
}

}  // namespace
