#include "records.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <utility>

#include "../logic/decimal.hpp"

namespace trialscreen::batch {
namespace {

constexpr std::size_t kChunk = 1 << 16;

bool is_space(char c) { return c == ' ' || c == '\t'; }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_ignoring_case(std::string_view text, std::string_view word) {
  if (text.size() != word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (lower(text[i]) != word[i]) return false;
  }
  return true;
}

// Without spaces and tabs at both ends; a view, so reading a cell copies nothing.
std::string_view trimmed(std::string_view text) {
  std::size_t begin = 0, end = text.size();
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

// A plain decimal number ("-1", "8.5", ".5", "1e3"); no hex, inf or nan,
// which strtod would also take.
std::optional<double> decimal(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  bool digits = false;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, digits = true;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, digits = true;
  }
  if (!digits) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    bool exponent = false;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, exponent = true;
    if (!exponent) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  const double value = logic::decimal_value(text.data(), text.data() + text.size());
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

// Whole numbers stay integers in JSON (an `integer` question wants one).
nlohmann::json number_json(double value) {
  if (value == std::floor(value) && std::fabs(value) < 9e15) return static_cast<std::int64_t>(value);
  return value;
}

}  // namespace

LineReader::LineReader(ReadBytes read, std::size_t max_line)
    : read_(std::move(read)), max_line_(max_line), buffer_(kChunk) {}

bool LineReader::refill() {
  if (at_end_) return false;
  if (begin_ > 0) {  // keep the unread tail at the front
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  const std::size_t got = read_(buffer_.data() + end_, buffer_.size() - end_);
  if (got == 0) {
    at_end_ = true;
    return false;
  }
  end_ += got;
  return true;
}

bool LineReader::next(std::string& line, bool& too_long) {
  line.clear();
  too_long = false;
  while (true) {
    const char* start = buffer_.data() + begin_;
    const void* newline = std::memchr(start, '\n', end_ - begin_);
    const std::size_t available = newline != nullptr ? static_cast<const char*>(newline) - start : end_ - begin_;
    // Keep at most max_line_ bytes; skip the rest of an overlong line.
    const std::size_t room = line.size() < max_line_ ? max_line_ - line.size() : 0;
    if (available > room) too_long = true;
    line.append(start, available < room ? available : room);
    if (newline != nullptr) {
      begin_ += available + 1;
      break;
    }
    begin_ = end_;
    if (!refill()) {
      if (line.empty() && !too_long) return false;
      break;
    }
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  ++line_number_;
  return true;
}

CsvRead CsvReader::next(std::vector<std::string>& cells) {
  bool too_long = false;
  if (!lines_.next(line_, too_long)) {
    cells.clear();
    return CsvRead::End;
  }
  std::size_t count = 0;  // cells begun in this record
  const auto begin_cell = [&]() -> std::string* {
    if (count == cells.size()) cells.emplace_back();
    std::string& cell = cells[count++];
    cell.clear();
    return &cell;
  };
  std::string* cell = begin_cell();
  std::size_t total = line_.size();
  bool quoted = false;      // inside a quoted cell
  bool was_quoted = false;  // this cell started with a quote
  std::size_t i = 0;
  while (true) {
    if (too_long || total > kMaxRecordBytes) {
      cells.resize(count - 1);  // the cells completed so far
      return CsvRead::TooLong;
    }
    const std::size_t size = line_.size();
    if (i == size) {
      if (!quoted) break;
      // A line break inside quotes belongs to the cell: read on.
      if (!lines_.next(line_, too_long)) {
        cells.resize(count - 1);
        return CsvRead::UnterminatedQuote;
      }
      total += line_.size() + 1;
      *cell += '\n';
      i = 0;
      continue;
    }
    const char c = line_[i];
    if (quoted) {
      if (c != '"') {  // a run of the cell's text, up to the next quote
        std::size_t run_end = line_.find('"', i);
        if (run_end == std::string::npos) run_end = size;
        cell->append(line_, i, run_end - i);
        i = run_end;
      } else if (i + 1 < size && line_[i + 1] == '"') {
        *cell += '"';
        i += 2;
      } else {
        quoted = false;
        ++i;
      }
    } else if (c == ',') {
      cell = begin_cell();
      was_quoted = false;
      ++i;
    } else if (c == '"' && cell->empty() && !was_quoted) {
      quoted = true;
      was_quoted = true;
      ++i;
    } else {  // a run of unquoted text, up to the next comma or quote
      std::size_t run_end = i + 1;
      while (run_end < size && line_[run_end] != ',' && line_[run_end] != '"') ++run_end;
      cell->append(line_, i, run_end - i);
      i = run_end;
    }
  }
  cells.resize(count);
  return CsvRead::Record;
}

void append_csv_cell(std::string& out, const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string trim(const std::string& text) { return std::string(trimmed(text)); }

bool is_blank(const std::string& text) {
  for (char c : text) {
    if (!is_space(c)) return false;
  }
  return true;
}

std::optional<Column> parse_column(const std::string& cell) {
  const std::string text = trim(cell);
  Column column;
  const std::size_t open = text.find('[');
  if (open == std::string::npos) {
    column.field = text;
  } else {
    if (text.back() != ']') return std::nullopt;
    column.field = trim(text.substr(0, open));
    column.unit = trim(text.substr(open + 1, text.size() - open - 2));
    if (column.unit.empty()) return std::nullopt;
  }
  if (column.field.empty()) return std::nullopt;
  return column;
}

CellKind cell_kind(const std::string& question_type) {
  if (question_type == "boolean") return CellKind::Boolean;
  if (question_type == "integer" || question_type == "number" || question_type == "quantity") return CellKind::Number;
  return CellKind::Text;
}

nlohmann::json cell_answer(const std::string& cell, CellKind kind, const std::string& header_unit) {
  const std::string_view text = trimmed(cell);
  switch (kind) {
    case CellKind::Boolean:
      if (equals_ignoring_case(text, "true") || equals_ignoring_case(text, "yes") || text == "1") return true;
      if (equals_ignoring_case(text, "false") || equals_ignoring_case(text, "no") || text == "0") return false;
      break;
    case CellKind::Number: {
      const std::size_t space = text.find_first_of(" \t");
      const std::optional<double> value = decimal(text.substr(0, space));
      if (!value) break;
      if (space == std::string_view::npos) {
        if (header_unit.empty()) return number_json(*value);
        return {{"value", number_json(*value)}, {"unit", header_unit}};
      }
      // The cell's own unit wins (text is trimmed: something follows the space).
      return {{"value", number_json(*value)}, {"unit", std::string(trimmed(text.substr(space)))}};
    }
    case CellKind::Text:
      break;
  }
  return std::string(text);
}

}  // namespace trialscreen::batch
