// docs/errors.md is the one catalogue of error ids. This test keeps it and the
// code from drifting apart: every id the core and the CLI can produce (string
// literals in core/src and core/cli, read recursively, comments stripped) must
// be listed there, and every id listed there must still exist in the code.
// Ids that the code builds by prefixing another id ("trial." + "json.001")
// are derived here the same way. Answer-error and core warning codes, and the
// JavaScript Error classes of wasm/trialscreen.js, are checked the same way.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
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
  return all;
}

std::set<std::string> matches(const std::string& text, const std::regex& pattern) {
  std::set<std::string> found;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it) {
    found.insert((*it)[1].str());
  }
  return found;
}

// Error ids the code can produce: literals, and the prefixed forms that
// Trial::load ("trial." + a json.* or compile-time rule.1NN id) and
// TrialSession::screen ("answers." / "options." + a json.* id) build.
std::set<std::string> code_ids(const std::string& code) {
  std::set<std::string> ids =
      matches(code, std::regex(R"re("((?:rule|json|trial|answers|options|record)\.[a-z0-9-]+(?:\.[a-z0-9-]+)*)")re"));
  const std::set<std::string> literals = ids;
  for (const std::string& id : literals) {
    if (id.rfind("json.", 0) == 0) {
      for (const char* prefix : {"trial.", "answers.", "options."}) ids.insert(prefix + id);
    }
    if (std::regex_match(id, std::regex(R"(rule\.1\d\d)"))) ids.insert("trial." + id);
  }
  return ids;
}

// Codes without a dot: answerErrors codes and the warning code the core itself
// emits (`problem = {"type", ...}`, `{"code", "unknown-field"}`).
std::set<std::string> code_plain_codes(const std::string& code) {
  std::set<std::string> codes = matches(code, std::regex(R"re(problem = \{"([a-z-]+)")re"));
  for (const std::string& c : matches(code, std::regex(R"re(\{"code", "([a-z-]+)"\})re"))) codes.insert(c);
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
  const std::regex first_cell(R"(^\|\s*`([^`]+)`\s*\|)");
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("## Limits", 0) == 0) break;
    std::smatch m;
    if (!std::regex_search(line, m, first_cell)) continue;
    const std::string token = m[1].str();
    if (std::regex_match(token, std::regex(R"([A-Z][A-Za-z]*Error)"))) {
      catalogue.js_classes.insert(token);
    } else if (std::regex_match(token, std::regex(R"([a-z]+(\.[A-Za-z0-9-]+)+)"))) {
      catalogue.ids.insert(token);
    } else if (std::regex_match(token, std::regex(R"([a-z]+(-[a-z]+)*)"))) {
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
  const std::set<std::string> in_code = matches(wrapper, std::regex(R"(export class (\w+Error) extends Error)"));
  EXPECT_FALSE(in_code.empty());
  EXPECT_EQ(in_code, documented().js_classes);
}

}  // namespace
