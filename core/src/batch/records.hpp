// Reading referral lists record by record in constant memory: lines, RFC 4180
// CSV records, `field[unit]` header cells and CSV cells as answers. Internal
// to the core; the batch command (core/cli/batch_command.cpp) drives them
// through screen_stream (stream.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace trialscreen::batch {

// The longest record kept; a longer one becomes an error row, so one broken
// line can never make the run hold the whole input.
inline constexpr std::size_t kMaxRecordBytes = 1 << 20;

// Fills `buffer` with up to `capacity` bytes; 0 at the end of the input.
using ReadBytes = std::function<std::size_t(char* buffer, std::size_t capacity)>;

class LineReader {
 public:
  explicit LineReader(ReadBytes read, std::size_t max_line = kMaxRecordBytes);

  // The next line without its "\n" or "\r\n"; false at the end of the input.
  // A line longer than the limit comes back cut at the limit with
  // `too_long` set, and the rest of it is skipped.
  bool next(std::string& line, bool& too_long);

  // The same as a view, valid until the next call: a line that lies whole
  // in the reader's buffer, as nearly all do, is not copied.
  bool next_view(std::string_view& line, bool& too_long);

  // Lines read so far (the current line's number, 1-based).
  std::size_t line_number() const { return line_number_; }

 private:
  bool refill();

  ReadBytes read_;
  std::size_t max_line_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0, end_ = 0;
  bool at_end_ = false;
  std::size_t line_number_ = 0;
  std::string spilled_;  // next_view's line when it spans the buffer's end
};

enum class CsvRead { Record, End, UnterminatedQuote, TooLong };

// Reads RFC 4180 records (quoted cells may hold commas, "" and line breaks,
// which makes a record span lines). Lenient where the RFC is silent: a quote
// inside an unquoted cell and text after a closing quote are kept as they are.
class CsvReader {
 public:
  explicit CsvReader(LineReader& lines) : lines_(lines) {}

  // The next record into `cells`: views of the reader's own memory, valid
  // until its next call. A row without quotes is seen in place, cut at its
  // commas; a row with quotes is unescaped into one buffer first. (A batch
  // reads millions of rows: no allocation per row or cell once the buffers
  // have grown, and no cell copied unless it is quoted.)
  CsvRead next(std::vector<std::string_view>& cells);

 private:
  CsvRead next_quoted(std::vector<std::string_view>& cells, bool too_long);

  LineReader& lines_;
  std::string line_;
  std::string unquoted_;                                // a quoted row's cells, one after another
  std::vector<std::pair<std::size_t, std::size_t>> spans_;  // each one's offset and length in unquoted_
  std::vector<std::uint32_t> commas_;                       // split_at_commas's room
};

// Appends the cells of a row without quotes, cut at its commas, to `cells`
// (views into `row`); false when the row has a quote after all (then it is
// read as a quoted row). `commas` is room for the commas' places, kept from
// row to row (it grows to the longest row's length).
bool split_at_commas(std::string_view row, std::vector<std::string_view>& cells, std::vector<std::uint32_t>& commas);

// Appends `text` to `out` as one CSV cell, quoted only when it must be.
void append_csv_cell(std::string& out, const std::string& text);

// A header cell: "hemoglobin[g/dL]" -> {"hemoglobin", "g/dL"}; "age" -> {"age", ""}.
// Surrounding spaces are ignored. nullopt for an empty field or an unclosed "[".
struct Column {
  std::string field;
  std::string unit;
};
std::optional<Column> parse_column(const std::string& cell);

// How a CSV cell is read, by the type of the question it answers.
enum class CellKind { Boolean, Number, Text };

// Reads a boolean/integer/number/quantity/choice/date/date-or-none question type.
CellKind cell_kind(const std::string& question_type);

// A non-empty CSV cell read by its question's kind, in two steps: read_cell
// finds what it says and write_cell makes it the JSON answer the core
// expects:
//   Boolean  true/false/yes/no/1/0 (any case) -> true/false
//   Number   "8.5" -> 8.5 (with a header unit: {"value": 8.5, "unit": UNIT});
//            "8.5 g/dL" -> {"value": 8.5, "unit": "g/dL"} (the cell's unit wins)
//   Text     the text
// Anything else stays a string, so the core reports it as a `type` answer
// error and the record's other answers still count. Surrounding spaces are
// ignored; an empty cell is unanswered and never reaches this. Between the
// two steps a number with a unit can go to AnswerSet::place_in_unit, which
// converts it without the {"value", "unit"} object being made and dropped.
struct CellRead {
  enum class Type { Boolean, Number, NumberInUnit, Text } type = Type::Text;
  bool yes = false;       // Boolean
  double number = 0;      // Number, NumberInUnit
  std::string_view unit;  // NumberInUnit: a view of the cell or of the header's unit
  std::string_view text;  // the cell without surrounding spaces
};
CellRead read_cell(std::string_view cell, CellKind kind, const std::string& header_unit);
// Written into `answer` (an answer's place), replacing what it held: a
// quantity's object is built there, member by member, and a text goes into
// the room of the text it held, if it held one.
void write_cell(const CellRead& read, nlohmann::json& answer);

// Strips spaces and tabs at both ends.
std::string trim(std::string_view text);
// Empty or only spaces and tabs (an unanswered cell). Inline: a CSV row asks
// it of every cell, and a call each was 2 % of a batch's time.
inline bool is_blank(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}
// A line of spaces, tabs and carriage returns only: no record, wherever it
// is. The white space before a list's first record, which is read to tell
// its format (carriage returns too), is skipped the same way.
inline bool is_blank_line(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

}  // namespace trialscreen::batch
