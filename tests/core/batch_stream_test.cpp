// The batch reader and stream: lines and RFC 4180 records in constant memory,
// `field[unit]` headers, CSV cells as answers, and one result or error row
// per record, over the small test trial.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../../core/src/batch/records.hpp"
#include "../../core/src/batch/stream.hpp"
#include "trial_test_support.hpp"

namespace trialscreen::batch {
namespace {

using nlohmann::json;

// Serves `text` in pieces of at most `piece` bytes, as a pipe would.
ReadBytes reading(const std::string& text, std::size_t piece = 7) {
  auto offset = std::make_shared<std::size_t>(0);
  return [text, piece, offset](char* buffer, std::size_t capacity) {
    const std::size_t n = std::min({capacity, piece, text.size() - *offset});
    std::memcpy(buffer, text.data() + *offset, n);
    *offset += n;
    return n;
  };
}

std::vector<std::string> all_lines(const std::string& text, std::size_t max_line = kMaxRecordBytes) {
  LineReader lines(reading(text), max_line);
  std::vector<std::string> out;
  std::string line;
  bool too_long = false;
  while (lines.next(line, too_long)) out.push_back(too_long ? "TOO LONG:" + line : line);
  return out;
}

TEST(BatchLines, SplitsOnNewlinesAndDropsCarriageReturns) {
  EXPECT_EQ(all_lines("a\r\nbb\n\nccc"), (std::vector<std::string>{"a", "bb", "", "ccc"}));
  EXPECT_EQ(all_lines("a\n"), (std::vector<std::string>{"a"}));
  EXPECT_TRUE(all_lines("").empty());
}

TEST(BatchLines, CutsAnOverlongLineAndCarriesOnWithTheNext) {
  EXPECT_EQ(all_lines("0123456789\nok\n", 4), (std::vector<std::string>{"TOO LONG:0123", "ok"}));
}

std::vector<std::vector<std::string>> all_records(const std::string& text, std::vector<CsvRead>* statuses = nullptr) {
  LineReader lines(reading(text));
  std::vector<std::vector<std::string>> out;
  std::vector<std::string_view> cells;
  CsvRead read;
  CsvReader records(lines);
  while ((read = records.next(cells)) != CsvRead::End) {
    if (statuses != nullptr) statuses->push_back(read);
    out.emplace_back(cells.begin(), cells.end());  // the views last until the next call only
  }
  return out;
}

TEST(BatchCsv, ReadsQuotedCellsWithCommasQuotesAndLineBreaks) {
  const auto records = all_records("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,x\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0], (std::vector<std::string>{"a", "b,c", "say \"hi\""}));
  EXPECT_EQ(records[1], (std::vector<std::string>{"two\nlines", "", "x"}));
}

TEST(BatchCsv, RecordsOfDifferentLengthsReuseNoStaleCells) {
  const std::string long_cell(100, 'x');
  const auto records = all_records("a,b," + long_cell + ",d\n\"q\"\"\"tail,a\"b\n,\n" + long_cell + "\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0], (std::vector<std::string>{"a", "b", long_cell, "d"}));
  EXPECT_EQ(records[1], (std::vector<std::string>{"q\"tail", "a\"b"})) << "text after a closing quote, a quote inside";
  EXPECT_EQ(records[2], (std::vector<std::string>{"", ""}));
  EXPECT_EQ(records[3], (std::vector<std::string>{long_cell}));
}

TEST(BatchCsv, RowsWithoutQuotesReadAsTheSameRowsQuoted) {
  // Rows without a quote are cut at their commas in place; with one, they
  // are unescaped. Each row here, then the same cells all quoted, must read
  // the same, whichever row came before.
  const std::vector<std::string> rows = {"a,b,c", ",,", "", " x , y ", "1,,2.5 g/dL,", "only"};
  std::string text;
  for (const std::string& row : rows) {
    std::string quoted = "\"";
    for (char c : row) quoted += c == ',' ? std::string("\",\"") : std::string(1, c);
    text += row + "\n" + quoted + "\"\r\n";
  }
  const auto records = all_records(text);
  ASSERT_EQ(records.size(), 2 * rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(records[2 * i], records[2 * i + 1]) << rows[i];
  }
  EXPECT_EQ(records[0], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(records[2], (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ(records[4], (std::vector<std::string>{""}));
  EXPECT_EQ(records[6], (std::vector<std::string>{" x ", " y "}));
}

// The cells of `row` cut at every comma, one character at a time.
std::vector<std::string> cut_at_commas(const std::string& row) {
  std::vector<std::string> cells(1);
  for (char c : row) {
    if (c == ',') {
      cells.emplace_back();
    } else {
      cells.back() += c;
    }
  }
  return cells;
}

TEST(BatchCsv, FindsEveryCommaWhereverItFallsInTheRow) {
  // Rows without quotes are searched sixteen bytes at a time, then byte by
  // byte: commas first, last, side by side and astride each block's edge,
  // in rows of every length up to three blocks and a bit.
  std::vector<std::string> rows;
  for (std::size_t size = 0; size <= 50; ++size) {
    std::string letters;
    for (std::size_t i = 0; i < size; ++i) letters += static_cast<char>('a' + i % 26);
    rows.push_back(letters);
    rows.push_back(std::string(size, ','));
    for (std::size_t at = 0; at < size; ++at) {
      std::string one = letters;
      one[at] = ',';
      rows.push_back(one);
      if (at + 1 < size) {
        std::string two = one;
        two[at + 1] = ',';
        rows.push_back(two);
      }
    }
  }
  // Every count of commas a block can hold, at its start, at its end, and
  // every other byte (the places are written eight at a time).
  for (std::size_t count = 0; count <= 16; ++count) {
    for (std::size_t block = 0; block < 2; ++block) {
      std::string first(40, 'x'), last(40, 'x'), spread(40, 'x');
      for (std::size_t k = 0; k < count; ++k) {
        first[16 * block + k] = ',';
        last[16 * block + 15 - k] = ',';
        spread[16 * block + (2 * k) % 16 + (2 * k) / 16] = ',';
      }
      rows.insert(rows.end(), {first, last, spread});
    }
  }
  std::string text;
  for (const std::string& row : rows) text += row + "\n";
  const auto records = all_records(text);
  ASSERT_EQ(records.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(records[i], cut_at_commas(rows[i])) << '"' << rows[i] << '"';
    std::vector<std::string_view> cells = {"left from before"};
    std::vector<std::uint32_t> commas;
    EXPECT_TRUE(split_at_commas(rows[i], cells, commas));
    EXPECT_EQ(std::vector<std::string>(cells.begin() + 1, cells.end()), cut_at_commas(rows[i])) << "appended";
    // A quote anywhere in the row, in a block of sixteen or after: not a row without quotes.
    for (std::size_t at = 0; at < rows[i].size(); ++at) {
      std::string quoted = rows[i];
      quoted[at] = '"';
      EXPECT_FALSE(split_at_commas(quoted, cells, commas)) << quoted;
    }
  }
}

TEST(BatchCsv, ReportsAQuoteThatIsNeverClosed) {
  std::vector<CsvRead> statuses;
  all_records("a,\"open\nstill open", &statuses);
  ASSERT_EQ(statuses.size(), 1u);
  EXPECT_EQ(statuses[0], CsvRead::UnterminatedQuote);
}

TEST(BatchCsv, QuotesOutputCellsOnlyWhenNeeded) {
  std::string out;
  append_csv_cell(out, "plain");
  out += ',';
  append_csv_cell(out, "a,b \"c\"");
  EXPECT_EQ(out, "plain,\"a,b \"\"c\"\"\"");
}

TEST(BatchHeader, SplitsFieldAndUnit) {
  const auto column = parse_column(" hemoglobin[g/dL] ");
  ASSERT_TRUE(column);
  EXPECT_EQ(column->field, "hemoglobin");
  EXPECT_EQ(column->unit, "g/dL");
  EXPECT_EQ(parse_column("age")->unit, "");
  EXPECT_FALSE(parse_column("hemoglobin[g/dL"));
  EXPECT_FALSE(parse_column("[g/dL]"));
  EXPECT_FALSE(parse_column(" "));
}

// A cell read into a place that still holds another record's answer (the
// reader replaces whatever is there).
json answer_of(std::string_view cell, CellKind kind, const std::string& header_unit) {
  json answer = {{"unit", "stale"}, {"value", 1}, {"extra", true}};
  write_cell(read_cell(cell, kind, header_unit), answer);
  return answer;
}

TEST(BatchCells, ReadsBooleanWords) {
  for (const char* yes : {"true", "TRUE", "yes", "Yes", "1", " yes "}) EXPECT_EQ(answer_of(yes, CellKind::Boolean, ""), json(true)) << yes;
  for (const char* no : {"false", "No", "0"}) EXPECT_EQ(answer_of(no, CellKind::Boolean, ""), json(false)) << no;
  EXPECT_EQ(answer_of("nO", CellKind::Boolean, ""), json(false));
  EXPECT_EQ(answer_of("FalsE", CellKind::Boolean, ""), json(false));
  // Words of the right length but other bytes, and other lengths, stay text:
  // the core reports a type error.
  for (const char* other : {"maybe", "2", "n", "ye", "tru", "yess", "truth", "fals", "falsey", "10", "01", "o", "ON", "Y"}) {
    EXPECT_EQ(answer_of(other, CellKind::Boolean, ""), json(other)) << other;
  }
}

TEST(BatchCells, ReadsNumbersWithTheHeaderUnitOrTheirOwn) {
  EXPECT_EQ(answer_of("45", CellKind::Number, ""), json(45));
  EXPECT_TRUE(answer_of("45", CellKind::Number, "").is_number_integer());
  EXPECT_EQ(answer_of("-0.5e1", CellKind::Number, ""), json(-5));
  EXPECT_EQ(answer_of("8.5", CellKind::Number, "g/dL"), (json{{"value", 8.5}, {"unit", "g/dL"}}));
  EXPECT_EQ(answer_of("85 g/L", CellKind::Number, "g/dL"), (json{{"value", 85}, {"unit", "g/L"}}));
  for (const char* bad : {"8,5", "0x10", "inf", "nan", "1e", "abc", "."}) {
    EXPECT_TRUE(answer_of(bad, CellKind::Number, "").is_string()) << bad;
  }
}

TEST(BatchCells, ReadsNumbersAsStrtodDoes) {
  // Most cells are read in one pass (at most 18 digits, no exponent), the
  // rest the general way: each must be the double strtod gives, a whole one
  // as an integer, its unit after a space or a tab.
  const auto expected = [](const std::string& number) {
    const double value = std::strtod(number.c_str(), nullptr);
    return value == std::floor(value) && std::fabs(value) < 9e15 ? json(static_cast<std::int64_t>(value)) : json(value);
  };
  for (const char* cell : {"0", "-0", "+7", "5.", ".5", "-.25", "108.2", "0.1", "0.3", "2.675", "123456789012345678",
                           "1234567890123456789", "9007199254740993", "9007199254740992.5", "0.000001",
                           "99.99999999999999999", "1e5", "-2.5E-3"}) {
    EXPECT_EQ(answer_of(cell, CellKind::Number, ""), expected(cell)) << cell;
    const std::string with_unit = std::string(cell) + " mg/dL";
    EXPECT_EQ(answer_of(with_unit, CellKind::Number, "umol/L"), (json{{"value", expected(cell)}, {"unit", "mg/dL"}})) << cell;
    EXPECT_EQ(answer_of(std::string(cell) + "\tkg", CellKind::Number, ""), (json{{"value", expected(cell)}, {"unit", "kg"}}));
  }
  for (const char* bad : {"-", "+", "1.2.3", "12a", "--1", "1-", ". 5"}) {
    EXPECT_TRUE(answer_of(bad, CellKind::Number, "").is_string()) << bad;
  }
}

TEST(BatchCells, KeepsTextAsText) {
  EXPECT_EQ(answer_of(" 2026-11-01 ", CellKind::Text, ""), json("2026-11-01"));
  EXPECT_EQ(cell_kind("date-or-none"), CellKind::Text);
  EXPECT_EQ(cell_kind("quantity"), CellKind::Number);
  EXPECT_EQ(cell_kind("boolean"), CellKind::Boolean);
}

const Trial& small_trial() {
  static const Trial trial = [] {
    Diagnostics errors;
    std::optional<Trial> loaded = testing::load_json(testing::small_trial(), errors);
    EXPECT_TRUE(loaded) << testing::describe(errors);
    return std::move(*loaded);
  }();
  return trial;
}

// Runs the stream over the small test trial; rows are the output's lines.
struct Ran {
  bool ok = false;
  std::string fatal;
  std::vector<std::string> rows;
  Summary summary;
  std::vector<std::size_t> progress_counts;
};

Ran run(const std::string& input, Format output = Format::JsonLines, Format in = Format::Auto) {
  const Trial& trial = small_trial();
  StreamOptions options;
  options.screen.as_of = "2026-11-25";
  options.input = in;
  options.output = output;
  options.progress_every = 2;
  Ran ran;
  std::string written;
  const WriteBytes write = [&](const char* bytes, std::size_t size) { written.append(bytes, size); };
  const Progress progress = [&](const Summary& s, bool) { ran.progress_counts.push_back(s.records); };
  ran.ok = screen_stream(trial, options, reading(input), write, progress, ran.summary, ran.fatal);
  std::size_t start = 0;
  while (start < written.size()) {
    std::size_t end = written.find('\n', start);
    if (end == std::string::npos) end = written.size();
    std::string row = written.substr(start, end - start);
    if (!row.empty() && row.back() == '\r') row.pop_back();
    ran.rows.push_back(row);
    start = end + 1;
  }
  return ran;
}

json row(const Ran& ran, std::size_t i) { return json::parse(ran.rows.at(i)); }

// JSON Lines records, one a line, run as run() runs them.
Ran run_lines(const std::vector<std::string>& records) {
  std::string input;
  for (const std::string& record : records) input += record + "\n";
  return run(input);
}

TEST(BatchStream, JsonLinesGiveOneResultPerRecordWithRecordAndId) {
  const Ran ran = run("\xEF\xBB\xBF  {\"id\": \"A-1\", \"age\": 45}\n\n{\"age\": 10, \"sex\": \"female\"}\n");
  ASSERT_TRUE(ran.ok);
  ASSERT_EQ(ran.rows.size(), 2u);
  const json first = row(ran, 0);
  EXPECT_EQ(first["record"], 1);
  EXPECT_EQ(first["id"], "A-1");
  EXPECT_TRUE(first["answerErrors"].empty()) << "the id is passed through, not an answer";
  EXPECT_EQ(first, [&] {
    json expected = small_trial().screen({{"age", 45}}, {"2026-11-25", "physician", "en"});
    expected["record"] = 1;
    expected["id"] = "A-1";
    return expected;
  }());
  const json second = row(ran, 1);
  EXPECT_EQ(second["record"], 2);
  EXPECT_FALSE(second.contains("id"));
  EXPECT_EQ(second["verdict"], "not_eligible");
  EXPECT_EQ(ran.summary.records, 2u);
  EXPECT_EQ(ran.summary.errors, 0u);
}

TEST(BatchStream, ARecordHasOnlyItsOwnIdWhateverCameBefore) {
  // The batch keeps the last id's room for the next one: a record without an
  // id, or with a null one, must still come out without one.
  const Ran lines = run("{\"id\": \"first id, longer than a short string\", \"age\": 45}\n{\"age\": 46}\n"
                        "{\"id\": null, \"age\": 47}\n{\"id\": 7}\n{\"age\": 48}\n{\"id\": \"B\"}\n");
  ASSERT_TRUE(lines.ok);
  ASSERT_EQ(lines.rows.size(), 6u);
  EXPECT_EQ(row(lines, 0)["id"], "first id, longer than a short string");
  EXPECT_FALSE(row(lines, 1).contains("id"));
  EXPECT_FALSE(row(lines, 2).contains("id"));
  EXPECT_EQ(row(lines, 3)["id"], 7);
  EXPECT_FALSE(row(lines, 4).contains("id"));
  EXPECT_EQ(row(lines, 5)["id"], "B");

  const Ran cells = run("id,age\n  p1  ,45\n,46\np3,47\n", Format::JsonLines);
  ASSERT_TRUE(cells.ok);
  ASSERT_EQ(cells.rows.size(), 3u);
  EXPECT_EQ(row(cells, 0)["id"], "p1");
  EXPECT_FALSE(row(cells, 1).contains("id"));
  EXPECT_EQ(row(cells, 2)["id"], "p3");

  const Ran csv_rows = run("id,age\np1,45\n,46\n", Format::Csv);
  ASSERT_TRUE(csv_rows.ok);
  ASSERT_EQ(csv_rows.rows.size(), 3u);  // the header and two rows
  EXPECT_EQ(csv_rows.rows[1].rfind("1,p1,", 0), 0u) << csv_rows.rows[1];
  EXPECT_EQ(csv_rows.rows[2].rfind("2,,", 0), 0u) << csv_rows.rows[2];
}

TEST(BatchStream, ARecordHasOnlyItsOwnAnswersWhateverCameBefore) {
  // The batch leaves the last record's values in their places, for their
  // room (AnswerSet::clear_for_reuse): a record that leaves a field out,
  // gives it null or another type, or cannot be read, must not see them.
  const std::vector<json> records = {
      {{"age", 45}, {"sex", "female"}, {"live_vaccine_date", "2026-11-20"}, {"pregnant", true}},
      {{"age", 45}},
      {{"sex", "male"}, {"live_vaccine_date", "none"}},
      {{"sex", 3}, {"live_vaccine_date", "2026-09-01"}},
      {{"sex", "female"}, {"live_vaccine_date", nullptr}},
      {{"live_vaccine_date", "2026-11-2"}},
      json::object(),
  };
  std::string jsonl;
  for (const json& record : records) jsonl += record.dump() + (record.size() == 1 ? "\n{\"age\": \n" : "\n");
  const Ran from_jsonl = run(jsonl);
  ASSERT_TRUE(from_jsonl.ok) << from_jsonl.fatal;
  const ScreenOptions options{"2026-11-25", "physician", "en"};
  std::size_t at = 0;
  for (std::size_t i = 0; i < records.size(); ++i, ++at) {
    json expected = small_trial().screen(records[i], options);
    expected["record"] = at + 1;
    ASSERT_LT(at, from_jsonl.rows.size());
    EXPECT_EQ(row(from_jsonl, at), expected) << records[i].dump();
    if (records[i].size() == 1) {
      EXPECT_EQ(row(from_jsonl, ++at)["error"]["code"], "record.json");
    }
  }
  // The same in CSV, where a cell is text whatever it reads as.
  const Ran from_csv = run(
      "sex,live_vaccine_date,age,pregnant\r\n"
      "female,2026-11-20,45,yes\r\n"
      ",,45,\r\n"
      "male,none,,\r\n"
      "3,2026-09-01,,\r\n"
      "female,,,\r\n"
      ",2026-11-2,,\r\n"
      ",,,\r\n");
  ASSERT_TRUE(from_csv.ok) << from_csv.fatal;
  ASSERT_EQ(from_csv.rows.size(), records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    json answers = records[i];
    if (answers.contains("sex") && answers["sex"].is_number()) answers["sex"] = "3";
    if (answers.contains("live_vaccine_date") && answers["live_vaccine_date"].is_null()) answers.erase("live_vaccine_date");
    json expected = small_trial().screen(answers, options);
    expected["record"] = i + 1;
    EXPECT_EQ(row(from_csv, i), expected) << answers.dump();
  }
}

TEST(BatchStream, ARecordsValuesReplaceTheLastOnesOfTheSameType) {
  // A place that holds the last record's value of the same type takes the
  // new one in place (the JSON reader's set()): each row is still its own
  // record's, for truth values, whole numbers of either sign and decimals.
  const std::vector<json> records = {
      {{"age", 45}, {"pregnant", true}, {"hemoglobin", 150.5}, {"wbc", 5}},
      {{"age", 17}, {"pregnant", false}, {"hemoglobin", 80.25}, {"wbc", -2}},
      {{"age", 90}, {"pregnant", true}, {"hemoglobin", 120.0}, {"wbc", -7}},
      {{"age", 45.5}, {"pregnant", false}, {"hemoglobin", 99}, {"wbc", 3.5}},
  };
  std::string jsonl;
  for (const json& record : records) jsonl += record.dump() + "\n";
  const Ran ran = run(jsonl);
  ASSERT_TRUE(ran.ok) << ran.fatal;
  ASSERT_EQ(ran.rows.size(), records.size());
  const ScreenOptions options{"2026-11-25", "physician", "en"};
  for (std::size_t i = 0; i < records.size(); ++i) {
    json expected = small_trial().screen(records[i], options);
    expected["record"] = i + 1;
    EXPECT_EQ(row(ran, i), expected) << records[i].dump();
  }
}

TEST(BatchStream, ARecordsFieldsCountInWhateverOrderTheyCome) {
  // Records that give their fields in another order than the record before,
  // fewer of them, an unknown one among them or one twice are each screened
  // as their own answers.
  const std::vector<std::string> lines = {
      R"({"age": 45, "pregnant": true, "hemoglobin": 150.5, "sex": "female"})",
      R"({"pregnant": false, "age": 17, "sex": "male", "hemoglobin": 80.25})",
      R"({"hemoglobin": 120, "bogus": 1, "age": 90})",
      R"({"age": 30, "age": 31, "pregnant": true})",
      R"({"bogus": 2, "age": 40, "hemoglobin": 99})",
      R"({"sex": "female"})",
      R"({"age": 45, "pregnant": true, "hemoglobin": 150.5, "sex": "female"})",
  };
  const Ran ran = run_lines(lines);
  ASSERT_TRUE(ran.ok) << ran.fatal;
  ASSERT_EQ(ran.rows.size(), lines.size());
  const ScreenOptions options{"2026-11-25", "physician", "en"};
  for (std::size_t i = 0; i < lines.size(); ++i) {
    json expected = small_trial().screen(json::parse(lines[i]), options);  // a repeated key: the last counts
    expected["record"] = i + 1;
    EXPECT_EQ(row(ran, i), expected) << lines[i];
  }
  EXPECT_EQ(row(ran, 3)["answerErrors"], json::array());
  EXPECT_EQ(row(ran, 2)["answerErrors"][0]["field"], "bogus");
}

TEST(BatchStream, CsvRowsListEachRecordsOwnAnswerErrors) {
  // The rows' summaries are refilled in place (Trial::screen_summary into
  // the last one's): a row lists its own answer errors, none when it has none.
  const std::vector<json> records = {
      {{"age", "forty"}, {"sex", "x"}},
      {{"age", 45}},
      {{"hemoglobin", "high"}},
      json::object(),
  };
  std::string jsonl;
  for (const json& record : records) jsonl += record.dump() + "\n";
  const Ran ran = run(jsonl, Format::Csv);
  ASSERT_EQ(ran.rows.size(), records.size() + 1);
  const ScreenOptions options{"2026-11-25", "physician", "en"};
  for (std::size_t i = 0; i < records.size(); ++i) {
    const json result = small_trial().screen(records[i], options);
    std::string cell;
    for (const json& e : result["answerErrors"]) {
      if (!cell.empty()) cell += "; ";
      cell += e["field"].get<std::string>() + ":" + e["code"].get<std::string>();
    }
    const std::string& csv_row = ran.rows[i + 1];
    const std::string ending = "," + cell + ",";
    ASSERT_GE(csv_row.size(), ending.size());
    EXPECT_EQ(csv_row.substr(csv_row.size() - ending.size()), ending) << csv_row;
  }
  EXPECT_NE(ran.rows[1].find(",age:type; sex:"), std::string::npos) << ran.rows[1];
  EXPECT_NE(ran.rows[3].find(",hemoglobin:type,"), std::string::npos) << ran.rows[3];
}

TEST(BatchStream, MalformedRecordsBecomeErrorRowsAndTheRunGoesOn) {
  const Ran ran = run("{\"age\": 45}\n{\"age\": \n[1, 2]\n{\"age\": 50}\n");
  ASSERT_TRUE(ran.ok);
  ASSERT_EQ(ran.rows.size(), 4u);
  EXPECT_EQ(row(ran, 1)["record"], 2);
  EXPECT_EQ(row(ran, 1)["error"]["code"], "record.json");
  EXPECT_NE(row(ran, 1)["error"]["message"].get<std::string>().find("line 2"), std::string::npos);
  EXPECT_EQ(row(ran, 2)["error"]["code"], "record.type");
  EXPECT_EQ(row(ran, 3)["record"], 4);
  EXPECT_TRUE(row(ran, 3).contains("verdict"));
  EXPECT_EQ(ran.summary.records, 4u);
  EXPECT_EQ(ran.summary.errors, 2u);
  EXPECT_EQ(ran.progress_counts, (std::vector<std::size_t>{2, 4, 4}));  // every 2 records, then at the end
}

TEST(BatchStream, LinesOfWhiteSpaceAloneAreNoRecordsWhereverTheyAre) {
  // Spaces, tabs and carriage returns alone make a blank line, no record:
  // before the first record (where they are read to tell the format), between
  // records and at the end alike, in JSON Lines and in CSV; later errors still
  // name their own line. (fuzz_batch found a line of carriage returns that
  // was a record in a list and nothing alone.)
  const std::string blanks[] = {"", " ", "\t", "\r", "\r\r\r", " \r\t\r"};
  for (const std::string& blank : blanks) {
    const std::string line = blank + "\n";
    const Ran json_lines = run(line + "{\"age\": 45}\n" + line + line + "{\"age\": \n" + line);
    ASSERT_TRUE(json_lines.ok);
    ASSERT_EQ(json_lines.rows.size(), 2u) << "JSON Lines, blank line \"" << blank << "\"";
    EXPECT_EQ(row(json_lines, 0)["record"], 1);
    EXPECT_EQ(row(json_lines, 1)["record"], 2);
    EXPECT_NE(row(json_lines, 1)["error"]["message"].get<std::string>().find("line 5:"), std::string::npos)
        << row(json_lines, 1).dump();
    const Ran csv = run(line + "id,age\n" + line + "R1,45\n" + line + "R2\n" + line, Format::JsonLines);
    ASSERT_TRUE(csv.ok) << csv.fatal;
    ASSERT_EQ(csv.rows.size(), 2u) << "CSV, blank line \"" << blank << "\"";
    EXPECT_EQ(row(csv, 0)["id"], "R1");
    EXPECT_EQ(row(csv, 1)["error"]["code"], "record.columns");
    EXPECT_NE(row(csv, 1)["error"]["message"].get<std::string>().find("line 6:"), std::string::npos)
        << row(csv, 1).dump();
  }
  // A line of white space alone gives nothing, as it gives nothing in a list.
  EXPECT_TRUE(run("\r\r\r\n", Format::JsonLines, Format::JsonLines).rows.empty());
  EXPECT_TRUE(run("\r\r\r", Format::JsonLines, Format::JsonLines).rows.empty());
}

TEST(BatchStream, JsonLinesQuantitiesScreenAsTheirObjectsDo) {
  // A member {"value", "unit"} goes in as its canonical number when its
  // question takes the unit (the batch's reader makes no object for it): the
  // results must be those of the same records screened whole, at the
  // creatinine threshold (221 umol/L is 2.5 mg/dL), for a unit not taken, an
  // unknown field, an id that is such an object, and a record broken after one.
  const std::vector<std::string> records = {
      R"({"age": 45, "hemoglobin": {"value": 8.5, "unit": "g/dL"}, "creatinine": {"unit": "umol/L", "value": 221}})",
      R"({"age": 45, "creatinine": {"value": 221.1, "unit": "umol/L"}, "wbc": {"value": 4500, "unit": "/uL"}})",
      R"({"hemoglobin": {"value": 8.5, "unit": "mmol/L"}, "zeta": {"value": 1, "unit": "g/dL"}})",
      R"({"id": {"value": 7, "unit": "g/dL"}, "hemoglobin": {"value": 300, "unit": "g/L"}})",
      R"({"hemoglobin": {"value": 8.5, "unit": "g/dL"}, "age": })",
  };
  const Ran ran = run_lines(records);
  ASSERT_TRUE(ran.ok) << ran.fatal;
  ASSERT_EQ(ran.rows.size(), records.size());
  const ScreenOptions options{"2026-11-25", "physician", "en"};
  for (std::size_t i = 0; i + 1 < records.size(); ++i) {
    json answers = json::parse(records[i]);
    const json id = answers.value("id", json());  // passed through, not screened
    answers.erase("id");
    json expected = small_trial().screen(answers, options);
    if (!id.is_null()) expected["id"] = id;
    expected["record"] = i + 1;
    EXPECT_EQ(row(ran, i), expected) << records[i];
  }
  EXPECT_EQ(row(ran, 0)["answerErrors"].size(), 0u);
  EXPECT_EQ(row(ran, 2)["answerErrors"].size(), 2u) << "a unit not taken, an unknown field";
  EXPECT_EQ(row(ran, 4)["error"]["code"], "record.json");
}

TEST(BatchStream, CsvCellsAreAnswersWithUnitsFromHeaderOrCell) {
  const Ran ran = run(
      "id,age,sex,hemoglobin[g/dL],pregnant\r\n"
      "p1,45,female,8.5,no\r\n"
      "p2,45,female,80 g/L,\r\n");
  ASSERT_TRUE(ran.ok) << ran.fatal;
  ASSERT_EQ(ran.rows.size(), 2u);
  const Trial& trial = small_trial();
  const ScreenOptions options{"2026-11-25", "physician", "en"};
  json expected = trial.screen(
      {{"age", 45}, {"sex", "female"}, {"hemoglobin", {{"value", 8.5}, {"unit", "g/dL"}}}, {"pregnant", false}}, options);
  expected["record"] = 1;
  expected["id"] = "p1";
  EXPECT_EQ(row(ran, 0), expected);
  expected = trial.screen({{"age", 45}, {"sex", "female"}, {"hemoglobin", {{"value", 80}, {"unit", "g/L"}}}}, options);
  expected["record"] = 2;
  expected["id"] = "p2";
  EXPECT_EQ(row(ran, 1), expected) << "an empty cell is unanswered";
}

TEST(BatchStream, CsvCellsInTheCanonicalHeaderUnitScreenAsPlainNumbers) {
  // The reader passes them on as plain numbers; the results must be those of
  // the same answers with their unit spelled out.
  const Ran ran = run(
      "age[a],hemoglobin[g/L],wbc[10*9/L]\n"
      "45,85,4.5\n"
      "45.5,8.5 g/dL,700\n"
      "-3,85 mmol/L,x\n");
  ASSERT_TRUE(ran.ok) << ran.fatal;
  ASSERT_EQ(ran.rows.size(), 3u);
  const Trial& trial = small_trial();
  const ScreenOptions options{"2026-11-25", "physician", "en"};
  const auto quantity = [](const json& value, const char* unit) { return json{{"value", value}, {"unit", unit}}; };
  const std::vector<json> spelled_out = {
      {{"age", quantity(45, "a")}, {"hemoglobin", quantity(85, "g/L")}, {"wbc", quantity(4.5, "10*9/L")}},
      {{"age", quantity(45.5, "a")}, {"hemoglobin", quantity(8.5, "g/dL")}, {"wbc", quantity(700, "10*9/L")}},
      {{"age", quantity(-3, "a")}, {"hemoglobin", quantity(85, "mmol/L")}, {"wbc", "x"}}};
  for (std::size_t i = 0; i < spelled_out.size(); ++i) {
    json expected = trial.screen(spelled_out[i], options);
    expected["record"] = i + 1;
    EXPECT_EQ(row(ran, i), expected) << i;
  }
  EXPECT_EQ(row(ran, 1)["answerErrors"].size(), 2u) << "a fraction for an integer, an implausible count";
  EXPECT_EQ(row(ran, 2)["answerErrors"].size(), 3u);
}

TEST(BatchStream, CsvCellsTheCoreCannotReadAreAnswerErrors) {
  const Ran ran = run("age,hemoglobin\nforty,85\n");
  ASSERT_TRUE(ran.ok);
  const json result = row(ran, 0);
  ASSERT_EQ(result["answerErrors"].size(), 1u);
  EXPECT_EQ(result["answerErrors"][0]["field"], "age");
  EXPECT_EQ(result["answerErrors"][0]["code"], "type");
  // The unit quoted: BH002's age is in UCUM "a" (years), which bare reads as a word.
  EXPECT_EQ(result["answerErrors"][0]["message"], R"(expected a number in "a" or {"value": n, "unit": "..."})");
}

TEST(BatchStream, CsvRowWithTheWrongNumberOfCellsIsAnErrorRow) {
  const Ran ran = run("id,age\nx,1,2\ny,50\n");
  ASSERT_EQ(ran.rows.size(), 2u);
  EXPECT_EQ(row(ran, 0)["error"]["code"], "record.columns");
  EXPECT_EQ(row(ran, 0)["id"], "x");
  EXPECT_EQ(row(ran, 1)["record"], 2);
}

TEST(BatchStream, BadCsvHeaderStopsTheRunBeforeAnyOutput) {
  for (const char* header : {"age,agee\n1,2\n", "age,age\n", "age[kg]\n", "pregnant[g/L]\n", "hemoglobin[mmol/L]\n"}) {
    const Ran ran = run(header);
    EXPECT_FALSE(ran.ok) << header;
    EXPECT_FALSE(ran.fatal.empty()) << header;
    EXPECT_TRUE(ran.rows.empty()) << header;
  }
}

TEST(BatchStream, CsvOutputHasVerdictAndAStatusPerCriterion) {
  const Ran ran = run("{\"id\": \"a,b\", \"age\": 10}\nnot json\n", Format::Csv);
  ASSERT_EQ(ran.rows.size(), 3u);
  const Trial& trial = small_trial();
  std::string header = "record,id,verdict";
  for (const json& c : trial.definition()["criteria"]) header += "," + c["id"].get<std::string>();
  EXPECT_EQ(ran.rows[0], header + ",answer_errors,error");
  const json result = trial.screen({{"age", 10}}, {"2026-11-25", "physician", "en"});
  std::string expected = "1,\"a,b\"," + result["verdict"].get<std::string>();
  for (const json& c : result["criteria"]) expected += "," + c["status"].get<std::string>();
  EXPECT_EQ(ran.rows[1], expected + ",,");
  EXPECT_EQ(ran.rows[2].rfind("2,,error,", 0), 0u) << ran.rows[2];
  // An error row has the header's columns too: no statuses, no answer
  // errors, and the error in the last column.
  std::string empty_cells;
  for (std::size_t i = 0; i < trial.definition()["criteria"].size() + 1; ++i) empty_cells += ",";
  EXPECT_EQ(ran.rows[2].rfind("2,,error" + empty_cells + ",\"record.json: line 2: ", 0), 0u) << ran.rows[2];
}

TEST(BatchStream, AnIdThatIsNotUtf8IsKeptInCsvRowsAndReplacedInJson) {
  // A site joins rows back to its list by the ids it gave: CSV rows keep the
  // bytes; JSON text must be UTF-8, so there each bad byte is U+FFFD.
  const std::string input = "id,age\r\n\xffR1,45\r\n";
  const Ran csv_rows = run(input, Format::Csv);
  ASSERT_EQ(csv_rows.rows.size(), 2u);
  EXPECT_EQ(csv_rows.rows[1].rfind("1,\xffR1,", 0), 0u) << csv_rows.rows[1];
  const Ran json_rows = run(input);
  ASSERT_EQ(json_rows.rows.size(), 1u);
  EXPECT_EQ(row(json_rows, 0)["id"], "\xef\xbf\xbdR1");
}

TEST(BatchStream, FormatCanBeForced) {
  const Ran ran = run("{\"age\": 45}\n", Format::JsonLines, Format::Csv);
  EXPECT_FALSE(ran.ok) << "read as CSV, the header names no question";
}

TEST(BatchStream, EmptyInputGivesNoRows) {
  EXPECT_TRUE(run("").rows.empty());
  EXPECT_TRUE(run(" \n\n").ok);
  EXPECT_EQ(run("", Format::Csv).rows.size(), 1u);  // just the header
}

}  // namespace
}  // namespace trialscreen::batch
