#include "records.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <utility>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "../logic/decimal.hpp"

namespace trialscreen::batch {
namespace {

constexpr std::size_t kChunk = 1 << 16;

bool is_space(char c) { return c == ' ' || c == '\t'; }

// Without a branch: a letter's case follows no pattern in a list.
char lower(char c) {
  return static_cast<char>(c + (static_cast<unsigned char>(c - 'A') < 26u) * ('a' - 'A'));
}

// Without spaces and tabs at both ends; a view, so reading a cell copies nothing.
inline std::string_view trimmed(std::string_view text) {
  std::size_t begin = 0, end = text.size();
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
  return std::string_view(text.data() + begin, end - begin);  // not substr(): no range check per cell
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

// "true"/"yes"/"1" -> 1, "false"/"no"/"0" -> 0, in any case; -1 for
// anything else. One comparison against the only word of the cell's length,
// over a fixed five bytes, each read from within the cell and masked when
// past its end: the spellings of a list's cells follow no pattern, and a
// branch on each letter, or on the cell's length, mispredicted.
int boolean_word(std::string_view text) {
  struct Word {
    char letters[5];
    int yes;
  };
  static constexpr Word kWords[7] = {{"", -1},    {"1", 1},     {"no", 0}, {"yes", 1},
                                     {"true", 1}, {"fals", 0},  {"0", 0}};
  const std::size_t size = text.size();
  if (size == 0 || size > 5) return -1;
  // "0" has a word of its own; "false" keeps its fifth letter apart.
  const Word& word = kWords[size == 1 && text[0] == '0' ? 6 : size];
  unsigned differ = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    const unsigned in_cell = k < size;
    const char c = lower(text[in_cell != 0 ? k : 0]);
    differ |= static_cast<unsigned char>(c ^ word.letters[k]) & (0u - in_cell);  // the word is as long as the cell
  }
  const unsigned fifth = size == 5;
  differ |= static_cast<unsigned char>(lower(text[fifth != 0 ? 4 : 0]) ^ 'e') & (0u - fifth);
  return differ == 0 ? word.yes : -1;
}

// A cell's number read in one pass, when it is the common kind: [-+]digits
// [.digits], with at most 18 digits, then the cell's end or a space. Its
// value is decimal_value()'s (the same exact shortcut). False for anything
// else (an exponent, more digits, another character), which the general
// way reads.
bool plain_decimal(std::string_view text, double& value, std::size_t& end) {
  std::size_t i = 0;
  const std::size_t size = text.size();
  const bool negative = size != 0 && text[0] == '-';
  if (size != 0 && (text[0] == '-' || text[0] == '+')) ++i;
  std::uint64_t mantissa = 0;
  int digits = 0;
  for (; i < size && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) mantissa = mantissa * 10 + static_cast<unsigned>(text[i] - '0');
  int fraction = 0;
  if (i < size && text[i] == '.') {
    for (++i; i < size && text[i] >= '0' && text[i] <= '9'; ++i, ++fraction) {
      mantissa = mantissa * 10 + static_cast<unsigned>(text[i] - '0');
    }
  }
  if (digits + fraction == 0 || digits + fraction > 18 || (i < size && !is_space(text[i]))) return false;
  // Static: a local array was filled on the stack at every call.
  static constexpr double kPowers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8, 1e9,
                                       1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};
  if (mantissa > (std::uint64_t{1} << 53)) return false;
  const double magnitude = static_cast<double>(mantissa) / kPowers[fraction];
  value = negative ? -magnitude : magnitude;
  end = i;
  return true;
}

// Whole numbers stay integers in JSON (an `integer` question wants one).
nlohmann::json number_json(double value) {
  if (value == std::floor(value) && std::fabs(value) < 9e15) return static_cast<std::int64_t>(value);
  return value;
}

}  // namespace

bool split_at_commas(std::string_view row, std::vector<std::string_view>& cells, std::vector<std::uint32_t>& commas) {
  const char* const text = row.data();
  const std::size_t size = row.size();
  // Room for a comma at every byte, and for the sixteen a block may write past the last.
  if (commas.size() < size + 16) commas.resize(size + 16);
  std::uint32_t* const found = commas.data();
  std::size_t count = 0;
  std::size_t at = 0;
#ifdef __SSE2__
  // Sixteen bytes at a time, each comma a bit of a mask, a quote looked for
  // in the same pass. The commas' places are written eight at a time whether
  // or not there are eight (those past the block's last are written over by
  // the next block's), so that no branch depends on how many cells a block
  // holds: a loop per comma mispredicted at its end in nearly every block.
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i one = _mm_set1_epi8(1);
  for (; at + 16 <= size; at += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + at));
    if (_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, quote)) != 0) return false;
    const __m128i is_comma = _mm_cmpeq_epi8(bytes, comma);
    // How many: the bytes' sum, not __builtin_popcount (a library call
    // without -mpopcnt).
    const __m128i sums = _mm_sad_epu8(_mm_and_si128(is_comma, one), _mm_setzero_si128());
    const std::size_t in_block =
        static_cast<std::size_t>(_mm_cvtsi128_si32(sums)) + static_cast<std::size_t>(_mm_extract_epi16(sums, 4));
    // Sixteen bits past the block's sixteen, so that ctz never sees 0 however
    // many of the sixteen places written are past the block's last comma.
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(is_comma)) | 0xFFFF0000u;
    const auto write_eight = [&](std::uint32_t* out) {
      for (int k = 0; k < 8; ++k) {
        out[k] = static_cast<std::uint32_t>(at + static_cast<std::size_t>(__builtin_ctz(mask)));
        mask &= mask - 1;
      }
    };
    write_eight(found + count);
    if (in_block > 8) write_eight(found + count + 8);  // a run of empty cells
    count += in_block;
  }
#endif
  for (; at < size; ++at) {
    if (text[at] == ',') {
      found[count++] = static_cast<std::uint32_t>(at);
    } else if (text[at] == '"') {
      return false;
    }
  }
  // As many cells as the header has columns, row after row: a loop the
  // branch predictor learns.
  std::size_t cell_start = 0;
  for (std::size_t i = 0; i < count; ++i) {
    cells.emplace_back(text + cell_start, found[i] - cell_start);
    cell_start = found[i] + 1;
  }
  cells.emplace_back(text + cell_start, size - cell_start);
  return true;
}

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

bool LineReader::next_view(std::string_view& line, bool& too_long) {
  const char* const start = buffer_.data() + begin_;
  const void* const newline = std::memchr(start, '\n', end_ - begin_);
  std::size_t length = newline != nullptr ? static_cast<std::size_t>(static_cast<const char*>(newline) - start) : 0;
  if (newline == nullptr || length > max_line_) {
    if (!next(spilled_, too_long)) return false;
    line = spilled_;
    return true;
  }
  begin_ += length + 1;
  too_long = false;
  if (length != 0 && start[length - 1] == '\r') --length;
  ++line_number_;
  line = std::string_view(start, length);
  return true;
}

CsvRead CsvReader::next(std::vector<std::string_view>& cells) {
  cells.clear();
  bool too_long = false;
  std::string_view row;
  if (!lines_.next_view(row, too_long)) return CsvRead::End;
  // The common row: no quotes, so a cell is the text between two commas,
  // seen where the reader holds it.
  if (!too_long && row.size() <= kMaxRecordBytes && split_at_commas(row, cells, commas_)) return CsvRead::Record;
  cells.clear();
  line_.assign(row);  // next_quoted reads on, and the reader's memory moves
  return next_quoted(cells, too_long);
}

CsvRead CsvReader::next_quoted(std::vector<std::string_view>& cells, bool too_long) {
  unquoted_.clear();
  spans_.clear();
  std::size_t cell_start = 0;  // where the current cell begins in unquoted_
  const auto end_cell = [&] {
    spans_.emplace_back(cell_start, unquoted_.size() - cell_start);
    cell_start = unquoted_.size();
  };
  // The cells completed so far, as views (unquoted_ has stopped growing).
  const auto finish = [&](CsvRead read) {
    for (const auto& [offset, length] : spans_) cells.emplace_back(unquoted_.data() + offset, length);
    return read;
  };
  std::size_t total = line_.size();
  bool quoted = false;      // inside a quoted cell
  bool was_quoted = false;  // this cell started with a quote
  std::size_t i = 0;
  while (true) {
    if (too_long || total > kMaxRecordBytes) return finish(CsvRead::TooLong);
    const std::size_t size = line_.size();
    if (i == size) {
      if (!quoted) break;
      // A line break inside quotes belongs to the cell: read on.
      if (!lines_.next(line_, too_long)) return finish(CsvRead::UnterminatedQuote);
      total += line_.size() + 1;
      unquoted_ += '\n';
      i = 0;
      continue;
    }
    const char c = line_[i];
    if (quoted) {
      if (c != '"') {  // a run of the cell's text, up to the next quote
        std::size_t run_end = line_.find('"', i);
        if (run_end == std::string::npos) run_end = size;
        unquoted_.append(line_, i, run_end - i);
        i = run_end;
      } else if (i + 1 < size && line_[i + 1] == '"') {
        unquoted_ += '"';
        i += 2;
      } else {
        quoted = false;
        ++i;
      }
    } else if (c == ',') {
      end_cell();
      was_quoted = false;
      ++i;
    } else if (c == '"' && unquoted_.size() == cell_start && !was_quoted) {
      quoted = true;
      was_quoted = true;
      ++i;
    } else {  // a run of unquoted text, up to the next comma or quote
      std::size_t run_end = i + 1;
      while (run_end < size && line_[run_end] != ',' && line_[run_end] != '"') ++run_end;
      unquoted_.append(line_, i, run_end - i);
      i = run_end;
    }
  }
  end_cell();
  return finish(CsvRead::Record);
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

std::string trim(std::string_view text) { return std::string(trimmed(text)); }

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

CellRead read_cell(std::string_view cell, CellKind kind, const std::string& header_unit) {
  CellRead read;
  read.text = trimmed(cell);
  const std::string_view text = read.text;
  switch (kind) {
    case CellKind::Boolean: {
      const int yes = boolean_word(text);
      if (yes >= 0) {
        read.type = CellRead::Type::Boolean;
        read.yes = yes == 1;
      }
      break;
    }
    case CellKind::Number: {
      std::size_t space = 0;
      if (!plain_decimal(text, read.number, space)) {
        // Not find_first_of(" \t"): libstdc++ calls memchr on the two
        // characters once for each character of the cell.
        space = static_cast<std::size_t>(std::find_if(text.begin(), text.end(), is_space) - text.begin());
        const std::optional<double> value = decimal(text.substr(0, space));
        if (!value) break;
        read.number = *value;
      }
      // The cell's own unit wins (text is trimmed: something follows a space).
      read.unit = space == text.size() ? std::string_view(header_unit) : trimmed(text.substr(space));
      read.type = read.unit.empty() ? CellRead::Type::Number : CellRead::Type::NumberInUnit;
      break;
    }
    case CellKind::Text:
      break;
  }
  return read;
}

void write_cell(const CellRead& read, nlohmann::json& answer) {
  switch (read.type) {
    case CellRead::Type::Boolean:
      answer = read.yes;
      return;
    case CellRead::Type::Number:
      answer = number_json(read.number);
      return;
    case CellRead::Type::NumberInUnit: {
      // {"unit": ..., "value": ...}, its members made in place in key order.
      answer = nlohmann::json::object();
      nlohmann::json::object_t& members = answer.get_ref<nlohmann::json::object_t&>();
      members.emplace_hint(members.end(), "unit", std::string(read.unit));
      members.emplace_hint(members.end(), "value", number_json(read.number));
      return;
    }
    case CellRead::Type::Text:
      break;
  }
  if (answer.is_string()) {  // the last record's text (AnswerSet::clear_for_reuse): its room
    answer.get_ref<std::string&>().assign(read.text);
  } else {
    answer = std::string(read.text);
  }
}

}  // namespace trialscreen::batch
