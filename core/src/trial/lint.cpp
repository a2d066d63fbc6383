// Trial::lint: coverage problems of a definition that loads. Ids "trial.lint.NNN"
// are listed in docs/trial-format.md.
#include <algorithm>
#include <set>

#include "model.hpp"

namespace trialscreen {
namespace {

using nlohmann::json;

bool reads(const std::vector<std::string>& sorted_names, const std::string& name) {
  return std::binary_search(sorted_names.begin(), sorted_names.end(), name);
}

void lint_texts(const Trial::Loaded& t, Diagnostics& out) {
  const std::set<std::string> declared(t.languages.begin(), t.languages.end());
  for (const trial::TextSite& site : t.texts) {
    for (const std::string& lang : t.languages) {
      auto it = site.text->find(lang);
      if (it == site.text->end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
        out.push_back({"trial.lint.003", site.pointer, "no \"" + lang + "\" text"});
      }
    }
    for (auto it = site.text->begin(); it != site.text->end(); ++it) {
      if (it.key() != "$comment" && declared.count(it.key()) == 0) {
        out.push_back({"trial.lint.004", site.pointer + "/" + pointer_token(it.key()),
                       "\"" + it.key() + "\" is not one of the trial's languages"});
      }
    }
  }
}

void lint_questions(const Trial::Loaded& t, Diagnostics& out) {
  const json& questions = t.definition["questions"];
  std::map<std::string, std::size_t> section_order;
  for (std::size_t i = 0; i < t.section_ids.size(); ++i) section_order.emplace(t.section_ids[i], i);
  std::set<std::string> sections_used;
  std::size_t current_section = 0;
  for (std::size_t i = 0; i < t.questions.size(); ++i) {
    const trial::Question& q = t.questions[i];
    if (!reads(t.names_read, q.id)) {
      out.push_back({"trial.lint.002", q.pointer, "question \"" + q.id + "\" is not read by any rule"});
    }
    if (trial::is_numeric(q.type) && !(q.min && q.max)) {
      out.push_back({"trial.lint.010", q.pointer,
                     "question \"" + q.id + "\" has no plausible range: no value is implausible and unknown values are unbounded"});
    }
    const std::string section = questions[i]["section"].get<std::string>();
    sections_used.insert(section);
    const std::size_t order = section_order[section];
    if (order < current_section) {
      out.push_back({"trial.lint.007", q.pointer + "/section",
                     "asked in section \"" + section + "\" after questions of a later section"});
    }
    current_section = std::max(current_section, order);
    if (q.ask_if) {
      for (const std::string& name : q.ask_if->variables()) {
        auto it = t.question_index.find(name);
        if (it != t.question_index.end() && it->second >= i) {
          out.push_back({"trial.lint.008", q.pointer + "/askIf",
                         "reads \"" + name + "\", which is not asked before \"" + q.id + "\""});
        }
      }
    }
  }
  for (std::size_t i = 0; i < t.section_ids.size(); ++i) {
    if (sections_used.count(t.section_ids[i]) == 0) {
      out.push_back({"trial.lint.005", "/sections/" + std::to_string(i), "section \"" + t.section_ids[i] + "\" has no questions"});
    }
  }
}

void lint_criteria(const Trial::Loaded& t, Diagnostics& out) {
  const json& criteria = t.definition["criteria"];
  bool exclusion_seen = false;
  for (std::size_t i = 0; i < t.criteria.size(); ++i) {
    const std::string at = "/criteria/" + std::to_string(i);
    auto source = criteria[i].find("source");
    if (source == criteria[i].end() || !source->is_string() || source->get_ref<const std::string&>().empty()) {
      out.push_back({"trial.lint.001", at, "criterion " + t.criteria[i].id + " has no source line from the protocol"});
    }
    if (t.criteria[i].inclusion && exclusion_seen) {
      out.push_back({"trial.lint.009", at, "inclusion criterion " + t.criteria[i].id + " comes after an exclusion"});
    }
    exclusion_seen = exclusion_seen || !t.criteria[i].inclusion;
  }
  for (std::size_t i = 0; i < t.derived.size(); ++i) {
    if (!reads(t.names_read, t.derived[i].id)) {
      out.push_back({"trial.lint.006", "/derived/" + std::to_string(i),
                     "derived value \"" + t.derived[i].id + "\" is not read by any rule"});
    }
  }
}

}  // namespace

Diagnostics Trial::lint() const {
  Diagnostics out;
  lint_criteria(*loaded_, out);
  lint_questions(*loaded_, out);
  lint_texts(*loaded_, out);
  return out;
}

}  // namespace trialscreen
