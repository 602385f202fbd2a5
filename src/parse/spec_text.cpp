// Checks and counts on a spec's raw text, before and beside any parser.
#include "parse/spec_text.h"

#include <cstdint>
#include <cstring>

#include "model/error.h"
#include "parse/line_index.h"

namespace netlens {

void check_spec_text(std::string_view text, const std::string& file) {
  // Positions are only needed for the message: the line index is built then.
  const auto fail = [&](std::size_t offset, const char* message) {
    throw ParseError(file, LineIndex(text).at(offset), "", message);
  };
  std::size_t i = 0;
  bool blank = true;
  while (i < text.size()) {
    const std::size_t printable_end = skip_printable_ascii(text, i);  // the common case
    if (blank && text.substr(i, printable_end - i).find_first_not_of(' ') != text.npos) {
      blank = false;
    }
    i = printable_end;
    if (i == text.size()) {
      break;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) {
      fail(i, "NUL byte in the spec");
    }
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      blank = false;
    }
    const std::size_t len = utf8_sequence(text, i);
    if (len == 0) {
      fail(i, "invalid UTF-8");
    }
    i += len;
  }
  if (blank) {
    fail(text.size(), "empty spec");
  }
}

std::size_t skip_printable_ascii(std::string_view text, std::size_t from) {
  // Eight bytes at a time: a byte's high bit is set in `word` (>= 0x80), in
  // word - 0x20.. (< 0x20; a borrow only flags bytes above one already
  // flagged) or in word + 0x01.. (0x7F). A quarter of reading a bundled net.
  constexpr std::uint64_t kOnes = 0x0101010101010101;
  constexpr std::uint64_t kHigh = 0x8080808080808080;
  std::size_t i = from;
  for (std::uint64_t word = 0; i + 8 <= text.size(); i += 8) {
    std::memcpy(&word, text.data() + i, 8);
    if (((word | (word - 0x20 * kOnes) | (word + kOnes)) & kHigh) != 0) {
      break;
    }
  }
  while (i < text.size() && text[i] >= 0x20 && text[i] < 0x7F) {
    ++i;
  }
  return i;
}

bool starts_like_json(std::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      continue;
    }
    return c == '{' || c == '[';
  }
  return false;
}

}  // namespace netlens
