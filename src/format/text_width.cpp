// display_width: UTF-8 decoding and the Unicode ranges that are wide or zero-width.
#include "format/text_width.h"

#include <algorithm>
#include <array>

#include "model/error.h"

namespace netlens {

namespace {

struct Range {
  char32_t first;
  char32_t last;
};

// Combining marks and zero-width characters: drawn over the previous
// character or not at all.
constexpr std::array<Range, 9> kZeroWidth{{
    {0x0300, 0x036F},    // combining diacritical marks
    {0x1AB0, 0x1AFF},    // combining diacritical marks extended
    {0x1DC0, 0x1DFF},    // combining diacritical marks supplement
    {0x200B, 0x200F},    // zero-width space and joiners, direction marks
    {0x20D0, 0x20FF},    // combining marks for symbols
    {0x3099, 0x309A},    // combining kana voiced sound marks
    {0xFE00, 0xFE0F},    // variation selectors
    {0xFE20, 0xFE2F},    // combining half marks
    {0xE0100, 0xE01EF},  // variation selectors supplement
}};

// East Asian wide (W) and fullwidth (F) blocks, and the emoji blocks that
// terminals draw two columns wide.
constexpr std::array<Range, 17> kWide{{
    {0x1100, 0x115F},    // Hangul Jamo initial consonants
    {0x2E80, 0x303E},    // CJK radicals, Kangxi radicals, CJK symbols and punctuation
    {0x3041, 0x33FF},    // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, ...
    {0x3400, 0x4DBF},    // CJK unified ideographs extension A
    {0x4E00, 0x9FFF},    // CJK unified ideographs
    {0xA000, 0xA4CF},    // Yi
    {0xA960, 0xA97F},    // Hangul Jamo extended A
    {0xAC00, 0xD7A3},    // Hangul syllables
    {0xF900, 0xFAFF},    // CJK compatibility ideographs
    {0xFE10, 0xFE19},    // vertical forms
    {0xFE30, 0xFE6F},    // CJK compatibility forms, small form variants
    {0xFF00, 0xFF60},    // fullwidth forms
    {0xFFE0, 0xFFE6},    // fullwidth signs
    {0x1F300, 0x1F64F},  // miscellaneous symbols and pictographs, emoticons
    {0x1F900, 0x1F9FF},  // supplemental symbols and pictographs
    {0x20000, 0x2FFFD},  // CJK extensions B to F, compatibility supplement
    {0x30000, 0x3FFFD},  // CJK extensions G and H
}};

template <std::size_t N>
bool in(const std::array<Range, N>& ranges, char32_t code_point) {
  return std::any_of(ranges.begin(), ranges.end(), [code_point](const Range& r) {
    return r.first <= code_point && code_point <= r.last;
  });
}

}  // namespace

std::size_t code_point_width(char32_t code_point) {
  if (code_point < 0x300) {
    return 1;
  }
  if (in(kZeroWidth, code_point)) {
    return 0;
  }
  return in(kWide, code_point) ? 2 : 1;
}

std::size_t display_width(std::string_view text) {
  if (std::all_of(text.begin(), text.end(), [](char c) { return (c & 0x80) == 0; })) {
    return text.size();  // ASCII, nearly every cell of a table: one column a byte
  }
  std::size_t width = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length = utf8_sequence(text, i);
    if (length <= 1) {  // ASCII, or a byte that starts no sequence: one replacement character
      ++width;
      ++i;
      continue;
    }
    // The lead byte's bits of the code point (0x1F, 0x0F, 0x07), then 6 of each continuation byte.
    char32_t code_point = static_cast<unsigned char>(text[i]) & (0xFFU >> (length + 1));
    for (std::size_t k = 1; k < length; ++k) {
      code_point = (code_point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3FU);
    }
    width += code_point_width(code_point);
    i += length;
  }
  return width;
}

}  // namespace netlens
