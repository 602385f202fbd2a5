// How many terminal columns text takes: the table pads its cells by this, not
// by bytes, so layer names in any script line up under their header.
#pragma once

#include <cstddef>
#include <string_view>

namespace netlens {

// The columns one code point takes in a monospace terminal: 2 for East Asian
// wide and fullwidth characters (CJK, Hangul, fullwidth forms) and common
// emoji, 0 for combining marks and zero-width characters, 1 for the rest.
std::size_t code_point_width(char32_t code_point);

// The columns UTF-8 `text` takes: the sum of its code points' widths. A byte
// that does not start a valid sequence counts 1, as a terminal shows one
// replacement character for it.
std::size_t display_width(std::string_view text);

}  // namespace netlens
