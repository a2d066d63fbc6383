// A small, lint-clean trial that exercises every question type, a derived
// score, a window criterion, appliesIf, askIf and a warning; tests change
// copies of it to provoke one problem at a time.
#pragma once

#include <algorithm>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "trialscreen/trial.hpp"

namespace trialscreen::testing {

inline nlohmann::json small_trial() {
  return nlohmann::json::parse(R"json({
  "format": "trialscreen/trial@1",
  "id": "TEST-0001",
  "version": "2026-11-25.1",
  "title": {"en": "Test trial", "zh-Hans": "测试试验"},
  "languages": ["en", "zh-Hans"],
  "sections": [
    {"id": "about_you", "title": {"en": "About you", "zh-Hans": "关于您"}},
    {"id": "labs", "title": {"patient": {"en": "Tests", "zh-Hans": "检查"},
                             "physician": {"en": "Laboratory", "zh-Hans": "实验室检查"}}}
  ],
  "questions": [
    {"id": "age", "type": "integer", "section": "about_you", "who": "patient",
     "text": {"en": "Age", "zh-Hans": "年龄"}, "unit": "a", "range": {"min": 0, "max": 120}},
    {"id": "sex", "type": "choice", "section": "about_you", "who": "patient",
     "text": {"en": "Sex", "zh-Hans": "性别"},
     "options": [{"value": "female", "text": {"en": "Female", "zh-Hans": "女"}},
                 {"value": "male", "text": {"en": "Male", "zh-Hans": "男"}}]},
    {"id": "pregnant", "type": "boolean", "section": "about_you", "who": "patient",
     "text": {"en": "Pregnant?", "zh-Hans": "怀孕？"}, "askIf": {"==": [{"var": "sex"}, "female"]}},
    {"id": "live_vaccine_date", "type": "date-or-none", "section": "about_you", "who": "patient", "past": true,
     "text": {"en": "Last live vaccine", "zh-Hans": "最近一次活疫苗"}, "noneText": {"en": "None", "zh-Hans": "无"}},
    {"id": "hemoglobin", "type": "quantity", "section": "labs", "who": "site",
     "text": {"en": "Hemoglobin", "zh-Hans": "血红蛋白"}, "unit": "g/L",
     "units": {"g/L": {"factor": 1}, "g/dL": {"factor": 10}}, "range": {"min": 10, "max": 250}},
    {"id": "wbc", "type": "quantity", "section": "labs", "who": "site",
     "text": {"en": "WBC", "zh-Hans": "白细胞"}, "unit": "10*9/L",
     "units": {"10*3/uL": {"factor": 1}, "/uL": {"factor": 0.001}}, "range": {"min": 0, "max": 500}},
    {"id": "creatinine", "type": "quantity", "section": "labs", "who": "site",
     "text": {"en": "Creatinine", "zh-Hans": "肌酐"}, "unit": "mg/dL",
     "units": {"umol/L": {"divisor": 88.4}}, "range": {"min": 0.05, "max": 30}},
    {"id": "activity_score", "type": "integer", "section": "labs", "who": "site",
     "text": {"en": "Activity score", "zh-Hans": "活动评分"}, "unit": "{score}", "range": {"min": 0, "max": 10}},
    {"id": "item_rash", "type": "boolean", "section": "labs", "who": "site", "text": {"en": "Rash", "zh-Hans": "皮疹"}},
    {"id": "item_arthritis", "type": "boolean", "section": "labs", "who": "site",
     "text": {"en": "Arthritis", "zh-Hans": "关节炎"}}
  ],
  "derived": [
    {"id": "activity_score", "unit": "{score}", "label": {"en": "Activity score", "zh-Hans": "活动评分"},
     "rule": {"+": [{"if": [{"var": "item_rash"}, 4, 0]}, {"if": [{"var": "item_arthritis"}, 6, 0]}]}}
  ],
  "criteria": [
    {"id": "I01", "kind": "inclusion", "source": "Aged 18 to 90",
     "label": {"en": "Age 18 to 90", "zh-Hans": "年龄18至90岁"},
     "rule": {"<=": [18, {"var": "age"}, 90]}},
    {"id": "I02", "kind": "inclusion", "source": "Hb >= 85 g/L",
     "label": {"patient": {"en": "Enough hemoglobin", "zh-Hans": "血红蛋白足够"},
               "physician": {"en": "Hb >= 85 g/L", "zh-Hans": "Hb ≥ 85 g/L"}},
     "rule": {">=": [{"var": "hemoglobin"}, 85]}},
    {"id": "I03", "kind": "inclusion", "source": "WBC >= 2.5x10^9/L",
     "label": {"en": "WBC >= 2.5", "zh-Hans": "白细胞 ≥ 2.5"}, "rule": {">=": [{"var": "wbc"}, 2.5]}},
    {"id": "I04", "kind": "inclusion", "source": "Activity score >= 6",
     "label": {"en": "Active disease", "zh-Hans": "疾病活动"}, "rule": {">=": [{"var": "activity_score"}, 6]}},
    {"id": "E01", "kind": "exclusion", "source": "Creatinine > 2.5 mg/dL",
     "label": {"en": "Creatinine > 2.5 mg/dL", "zh-Hans": "肌酐 > 2.5 mg/dL"},
     "failText": {"en": "Kidney function too low", "zh-Hans": "肾功能过低"},
     "rule": {">": [{"var": "creatinine"}, 2.5]}},
    {"id": "E02", "kind": "exclusion", "source": "Pregnant women",
     "label": {"en": "Pregnancy", "zh-Hans": "怀孕"},
     "appliesIf": {"==": [{"var": "sex"}, "female"]}, "rule": {"var": "pregnant"}},
    {"id": "E03", "kind": "exclusion", "source": "Live vaccine within 4 weeks",
     "label": {"en": "Live vaccine within 4 weeks", "zh-Hans": "4周内接种活疫苗"},
     "rule": {"and": [{"!=": [{"var": "live_vaccine_date"}, "none"]},
                      {">": [{"date_add": [{"var": "live_vaccine_date"}, 28, "day"]}, {"var": "as_of"}]}]},
     "clearsOn": {"if": [{"!=": [{"var": "live_vaccine_date"}, "none"]},
                         {"date_add": [{"var": "live_vaccine_date"}, 28, "day"]}, null]}}
  ],
  "warnings": [
    {"code": "minor-pregnant", "criteria": ["I01", "E02"],
     "when": {"and": [{"<": [{"var": "age"}, 18]}, {"var": "pregnant"}]},
     "message": {"en": "A pregnant minor: check the age", "zh-Hans": "怀孕的未成年人：请核对年龄"}}
  ]
})json");
}

inline std::string text_of(const nlohmann::json& definition) { return definition.dump(); }

inline std::optional<Trial> load_json(const nlohmann::json& definition, Diagnostics& errors) {
  return Trial::load(text_of(definition), errors);
}

// The criterion entry of a result by id (null when absent).
inline nlohmann::json criterion_of(const nlohmann::json& result, const std::string& id) {
  for (const nlohmann::json& c : result.at("criteria")) {
    if (c.at("id") == id) return c;
  }
  return nullptr;
}

inline bool has_diagnostic(const Diagnostics& found, const std::string& id, const std::string& pointer) {
  return std::any_of(found.begin(), found.end(),
                     [&](const Diagnostic& d) { return d.id == id && d.pointer == pointer; });
}

inline std::string describe(const Diagnostics& found) {
  std::string out;
  for (const Diagnostic& d : found) out += d.format() + "\n";
  return out.empty() ? "(no diagnostics)" : out;
}

}  // namespace trialscreen::testing
