#include "stream.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "output_block.hpp"
#include "trialscreen/logic.hpp"

namespace trialscreen::batch {
namespace {

using nlohmann::json;

// JSON Lines records nest little; a deeper one is refused like bad JSON.
constexpr std::size_t kMaxRecordDepth = 32;

// The input's first bytes, kept to find its format, then handed on first.
class Peeked {
 public:
  explicit Peeked(const ReadBytes& read) : read_(read) {}

  // The first byte that is not white space (after a UTF-8 byte order mark,
  // which is dropped); 0 for an input with none.
  char first_meaningful() {
    bool ended = false;
    while (prefix_.size() < 3 && !ended) ended = !read_more();
    if (prefix_.compare(0, 3, "\xEF\xBB\xBF") == 0) offset_ = 3;
    std::size_t at = offset_;
    while (true) {
      for (; at < prefix_.size(); ++at) {
        const char c = prefix_[at];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c;
      }
      if (ended) return 0;
      // Only white space so far: drop it, so even a huge blank prefix costs no memory.
      prefix_.clear();
      offset_ = at = 0;
      if (!read_more()) return 0;
    }
  }

  ReadBytes reader() {
    return [this](char* buffer, std::size_t capacity) -> std::size_t {
      if (offset_ < prefix_.size()) {
        const std::size_t n = std::min(capacity, prefix_.size() - offset_);
        std::memcpy(buffer, prefix_.data() + offset_, n);
        offset_ += n;
        return n;
      }
      return read_(buffer, capacity);
    };
  }

 private:
  bool read_more() {
    char chunk[4096];
    const std::size_t got = read_(chunk, sizeof chunk);
    prefix_.append(chunk, got);
    return got != 0;
  }

  const ReadBytes& read_;
  std::string prefix_;
  std::size_t offset_ = 0;
};

// What the CSV reader needs to know about one question.
struct QuestionInfo {
  CellKind kind = CellKind::Text;
  std::string type;
  std::string unit;                 // canonical unit, "" when none
  std::vector<std::string> units;   // accepted units (quantity)
};

std::map<std::string, QuestionInfo> question_infos(const Trial& trial) {
  std::map<std::string, QuestionInfo> infos;
  const json& questions = trial.definition()["questions"];
  for (const json& q : questions) {
    QuestionInfo info;
    info.type = q["type"].get<std::string>();
    info.kind = cell_kind(info.type);
    if (q.contains("unit")) info.unit = q["unit"].get<std::string>();
    if (q.contains("units")) {
      for (auto it = q["units"].begin(); it != q["units"].end(); ++it) info.units.push_back(it.key());
    }
    infos.emplace(q["id"].get<std::string>(), std::move(info));
  }
  return infos;
}

// One CSV input column: the question it answers, or the pass-through id.
struct InputColumn {
  std::string field;
  std::string unit;  // the header's unit for cells without their own; "" for none or the canonical unit
  CellKind kind = CellKind::Text;
  bool is_id = false;
  AnswerSet::Place place;  // field's, looked up once (set when the header is read)
};

std::string id_text(const json& id) { return id.is_string() ? id.get<std::string>() : logic::to_json_text(id); }

class Run {
 public:
  Run(const Trial& trial, const StreamOptions& options, const WriteBytes& write, const Progress& progress,
      Summary& summary)
      : trial_(trial),
        options_(options),
        write_(write),
        progress_(progress),
        summary_(summary),
        questions_(question_infos(trial)),
        id_is_question_(questions_.count("id") > 0) {
    for (const json& c : trial.definition()["criteria"]) criterion_ids_.push_back(c["id"].get<std::string>());
  }

  void json_lines(LineReader& lines) {
    write_output_header();
    std::string line;
    bool too_long = false;
    while (lines.next(line, too_long)) {
      if (!too_long && is_blank_line(line)) continue;  // blank lines are no records
      const std::size_t record = ++summary_.records;
      if (too_long) {
        error_row(record, nullptr, "record.too-long", line_prefix(lines) + "longer than 1 MiB");
        continue;
      }
      // Each member goes straight to its answer's place (no object is built);
      // "id", when no question has it, to the row's id.
      start_over();
      Diagnostics problems;
      const logic::MembersRead read =
          logic::parse_json_members(line, problems, kMaxRecordDepth, place_, start_over_, takers_);
      if (read == logic::MembersRead::Invalid) {
        error_row(record, nullptr, "record.json",
                  line_prefix(lines) + (problems.empty() ? "not valid JSON" : problems.front().message));
        continue;
      }
      if (read != logic::MembersRead::Object) {
        error_row(record, nullptr, "record.type", line_prefix(lines) + "expected a JSON object keyed by field id");
        continue;
      }
      result_row(record, current_id(), answers_);
    }
  }

  bool csv(LineReader& lines, std::string& fatal) {
    CsvReader records(lines);
    std::vector<std::string_view> cells;
    CsvRead read = records.next(cells);
    while (read == CsvRead::Record && cells.size() == 1 && is_blank_line(cells[0])) read = records.next(cells);
    if (read == CsvRead::End) {
      write_output_header();
      return true;
    }
    if (read != CsvRead::Record) {
      fatal = "the CSV header row cannot be read (an unclosed quote or a line over 1 MiB)";
      return false;
    }
    std::vector<InputColumn> columns;
    if (!header(cells, columns, fatal)) return false;
    // Each column's place, once the columns stay where they are.
    for (InputColumn& column : columns) column.place = answers_.place_of(column.field, column.unit);
    // The columns read yes/no cells first, then numbers, then text: which
    // cells of a row are empty follows no pattern, and read in the header's
    // order the kind of the next cell did not either (the order answers are
    // placed in changes nothing: they are normalised by slot).
    std::vector<std::size_t> by_kind(columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i) by_kind[i] = i;
    std::stable_sort(by_kind.begin(), by_kind.end(),
                     [&](std::size_t a, std::size_t b) { return columns[a].kind < columns[b].kind; });
    write_output_header();

    while ((read = records.next(cells)) != CsvRead::End) {
      if (read == CsvRead::Record && cells.size() == 1 && is_blank_line(cells[0])) continue;  // blank line
      const std::size_t record = ++summary_.records;
      if (read == CsvRead::TooLong) {
        error_row(record, nullptr, "record.too-long", line_prefix(lines) + "longer than 1 MiB");
        continue;
      }
      if (read == CsvRead::UnterminatedQuote) {
        error_row(record, nullptr, "record.quote", line_prefix(lines) + "a quoted cell is never closed");
        continue;
      }
      start_over();
      // A short row's missing cells are empty (it is an error row once its
      // answers are read), its extra cells not read.
      const std::size_t cells_in_row = cells.size();
      if (cells_in_row < columns.size()) cells.resize(columns.size());
      // The cells not empty, listed without a branch: which cells of a list
      // are empty follows no pattern, and a branch on each mispredicted.
      given_.resize(columns.size());
      std::size_t given = 0;
      for (std::size_t i : by_kind) {
        given_[given] = i;
        given += !cells[i].empty();
      }
      for (std::size_t g = 0; g < given; ++g) {
        const std::size_t i = given_[g];
        if (is_blank(cells[i])) continue;  // spaces alone: unanswered
        const InputColumn& column = columns[i];
        // The id column is read as text, like a text answer (so it never has
        // a number in a unit).
        const CellRead read = read_cell(cells[i], column.kind, column.unit);
        // A valid number or yes/no goes in checked; the rest as JSON, for the
        // screening to check and report.
        bool placed = false;
        switch (read.type) {
          case CellRead::Type::Boolean:
            placed = answers_.place_boolean(column.place, read.yes);
            break;
          case CellRead::Type::Number:
            placed = answers_.place_number(column.place, read.number);
            break;
          case CellRead::Type::NumberInUnit:
            placed = answers_.place_in_unit(column.place, read.number, read.unit);
            break;
          case CellRead::Type::Text:
            break;
        }
        if (!placed) write_cell(read, column.is_id ? id_place() : answers_.place(column.place));
      }
      if (cells_in_row != columns.size()) {
        error_row(record, current_id(), "record.columns",
                  line_prefix(lines) + std::to_string(cells_in_row) + " cells, but the header has " +
                      std::to_string(columns.size()));
        continue;
      }
      result_row(record, current_id(), answers_);
    }
    return true;
  }

  void report(bool done) {
    if (progress_) progress_(summary_, done);
  }

  // Writes the rows made and not written yet (row_done).
  void flush() {
    if (!out_.empty()) write_(out_.data(), out_.size());
    out_.clear();
  }

 private:
  bool header(const std::vector<std::string_view>& cells, std::vector<InputColumn>& columns, std::string& fatal) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const std::string cell(cells[i]);
      const std::string where = "CSV header column " + std::to_string(i + 1) + " \"" + cell + "\"";
      std::optional<Column> column = parse_column(cell);
      if (!column) {
        fatal = where + " is not a field id or field[unit]";
        return false;
      }
      for (const InputColumn& earlier : columns) {
        if (earlier.field == column->field) {
          fatal = where + " repeats field " + column->field;
          return false;
        }
      }
      InputColumn input;
      input.field = column->field;
      auto found = questions_.find(column->field);
      if (found == questions_.end()) {
        if (column->field != "id" || !column->unit.empty()) {
          fatal = where + " is no question of the trial";
          return false;
        }
        input.is_id = true;
      } else {
        const QuestionInfo& q = found->second;
        input.kind = q.kind;
        const bool accepted = column->unit.empty() || column->unit == q.unit ||
                              std::find(q.units.begin(), q.units.end(), column->unit) != q.units.end();
        if (!accepted || (!column->unit.empty() && q.kind != CellKind::Number)) {
          fatal = where + ": " + column->field + " does not take the unit " + column->unit;
          return false;
        }
        // The core always accepts the canonical unit, with factor 1 (the
        // trial's load sees to it): cells in it are plain numbers, read as
        // they are, with no {"value", "unit"} object per cell.
        if (column->unit != q.unit) input.unit = column->unit;
      }
      columns.push_back(std::move(input));
    }
    return true;
  }

  static std::string line_prefix(const LineReader& lines) {
    return "line " + std::to_string(lines.line_number()) + ": ";
  }

  void write_output_header() {
    if (options_.output != Format::Csv) return;
    std::string out = "record,id,verdict";
    for (const std::string& id : criterion_ids_) {
      out += ',';
      append_csv_cell(out, id);
    }
    out += ",answer_errors,error\r\n";
    write_(out.data(), out.size());
  }

  // Nothing from the last record: no answers, no id. (The id's value stays,
  // unread, so that the next one is written into its room.)
  void start_over() {
    answers_.clear_for_reuse();
    has_id_ = false;
  }

  // The record's id, or nullptr when it has none (or null).
  const json* current_id() const { return has_id_ && !id_.is_null() ? &id_ : nullptr; }

  // Where this record's id goes (into the room of the last one's).
  json& id_place() {
    has_id_ = true;
    return id_;
  }

  void result_row(std::size_t record, const json* id, AnswerSet& answers) {
    if (options_.output == Format::Csv) {
      csv_row(record, id, answers);
    } else if (id == nullptr) {
      // Written straight as text, with the row's own members in key order.
      row_record_ = record;
      trial_.screen_text(answers, options_.screen, out_, &row_members_, reuse_);
      out_ += '\n';
    } else {
      // The id (id_) is lent to the row's members and taken back: no copy a record.
      row_with_id_record_ = record;
      row_id_.swap(id_);
      trial_.screen_text(answers, options_.screen, out_, &row_with_id_, reuse_);
      row_id_.swap(id_);
      out_ += '\n';
    }
    row_done();
  }

  void csv_row(std::size_t record, const json* id, AnswerSet& answers) {
    ScreenSummary& result = summary_row_;
    trial_.screen_summary(answers, options_.screen, reuse_, result);
    csv_row_start(record, id);
    out_ += result.verdict;
    // The status cells written through a pointer, each name's block copied
    // whole (ScreenSummary::kStatusBlock): an append each was about 4 % of
    // such a batch's instructions.
    const std::size_t start = out_.size();
    out_.resize(start + criterion_ids_.size() * (1 + ScreenSummary::kStatusBlock));
    char* cell = out_.data() + start;
    for (std::size_t i = 0; i < criterion_ids_.size(); ++i) {
      *cell++ = ',';
      if (i < result.statuses.size()) {
        std::memcpy(cell, result.statuses[i].data(), ScreenSummary::kStatusBlock);
        cell += result.statuses[i].size();
      }
    }
    out_.resize(static_cast<std::size_t>(cell - out_.data()));
    out_ += ',';
    if (!result.answer_errors.empty()) {
      std::string& answer_errors = answer_errors_cell_;
      answer_errors.clear();
      for (const json& e : result.answer_errors) {
        if (!answer_errors.empty()) answer_errors += "; ";
        answer_errors += e["field"].get_ref<const std::string&>();
        answer_errors += ':';
        answer_errors += e["code"].get_ref<const std::string&>();
      }
      append_csv_cell(out_, answer_errors);
    }
    out_ += ",\r\n";
  }

  // A CSV row's first two cells, the record number (in decimal, with no
  // string of its own) and the id, and the comma after them.
  void csv_row_start(std::size_t record, const json* id) {
    char digits[20];
    const auto end = std::to_chars(digits, digits + sizeof digits, record).ptr;
    out_.append(digits, static_cast<std::size_t>(end - digits));
    out_ += ',';
    if (id != nullptr) append_csv_cell(out_, id_text(*id));
    out_ += ',';
  }

  void error_row(std::size_t record, const json* id, const char* code, const std::string& message) {
    ++summary_.errors;
    if (options_.output == Format::Csv) {
      csv_row_start(record, id);
      out_ += "error";
      for (std::size_t i = 0; i < criterion_ids_.size(); ++i) out_ += ',';
      out_ += ",,";  // no answer errors; the error in its own column
      append_csv_cell(out_, std::string(code) + ": " + message);
      out_ += "\r\n";
    } else {
      json row = {{"record", record}, {"error", {{"code", code}, {"message", message}}}};
      if (id != nullptr) row["id"] = *id;
      logic::append_json_text(out_, row);
      out_ += '\n';
    }
    row_done();
  }

  // Rows are made one after another in out_ and written a block at a time
  // (kOutputBlockBytes), not each through stdio's buffer, which copied 4.8 KB
  // of text a record.
  void row_done() {
    if (out_.size() >= kOutputBlockBytes) flush();
    progress_tick();
  }

  void progress_tick() {
    if (options_.progress_every != 0 && summary_.records % options_.progress_every == 0) report(false);
  }

  const Trial& trial_;
  const StreamOptions& options_;
  const WriteBytes& write_;
  const Progress& progress_;
  Summary& summary_;
  const std::map<std::string, QuestionInfo> questions_;
  const bool id_is_question_;
  std::vector<std::string> criterion_ids_;
  std::string out_;  // the rows not written yet (row_done)
  logic::OutcomeMemo outcomes_;  // rule outcomes by their inputs' values: referrals repeat most values
  ScreenBuffers buffers_;        // each record is screened in the last one's working memory
  LineMemo lines_;               // criterion lines by their answers' values, the same way
  const ScreenReuse reuse_{&outcomes_, &buffers_, &lines_};
  AnswerSet answers_{trial_};    // the record's answers, in place; reused
  ScreenSummary summary_row_;    // a CSV row's screening, refilled in place
  std::string answer_errors_cell_;  // a CSV row's answer_errors, its room kept
  std::vector<std::size_t> given_;  // a CSV row's cells that are not empty, by column; its room kept
  json id_;                      // the record's id, when has_id_
  bool has_id_ = false;
  const std::string id_field_ = "id";
  const std::function<json&(std::string_view)> place_ = [this](std::string_view field) -> json& {
    return id_is_question_ || field != id_field_ ? answers_.place(field) : id_place();
  };
  const std::function<void()> start_over_ = [this] { start_over(); };
  // Members placed without a JSON value each, as the CSV's cells are: a
  // {"value": n, "unit": "u"} its question takes as its canonical number, a
  // valid number or yes/no checked (not the id, passed through as given).
  bool is_answer(std::string_view field) const { return id_is_question_ || field != id_field_; }
  const logic::MemberTakers takers_{
      [this](std::string_view field, double value, std::string_view unit) {
        return is_answer(field) && answers_.place_in_unit(field, value, unit);
      },
      [this](std::string_view field, double value) { return is_answer(field) && answers_.place_number(field, value); },
      [this](std::string_view field, bool value) { return is_answer(field) && answers_.place_boolean(field, value); }};
  // A JSON Lines row's own members: "record", and "id" when given; their
  // values set in place for each row.
  json row_members_ = {{"record", 0}};
  json& row_record_ = row_members_["record"];
  json row_with_id_ = {{"id", nullptr}, {"record", 0}};
  json& row_id_ = row_with_id_["id"];
  json& row_with_id_record_ = row_with_id_["record"];
};

}  // namespace

bool screen_stream(const Trial& trial, const StreamOptions& options, const ReadBytes& read, const WriteBytes& write,
                   const Progress& progress, Summary& summary, std::string& fatal) {
  Peeked peeked(read);
  Format input = options.input;
  const char first = peeked.first_meaningful();
  if (input == Format::Auto) input = first == '{' ? Format::JsonLines : Format::Csv;
  LineReader lines(peeked.reader());
  Run run(trial, options, write, progress, summary);
  if (input == Format::JsonLines) {
    run.json_lines(lines);
  } else if (!run.csv(lines, fatal)) {
    return false;
  }
  run.flush();
  run.report(true);
  return true;
}

}  // namespace trialscreen::batch
