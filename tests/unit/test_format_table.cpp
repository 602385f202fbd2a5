// The width function the terminal table pads by: columns on a terminal, not bytes.
#include <catch2/catch.hpp>

#include "format/text_width.h"

using namespace netlens;

TEST_CASE("display width: columns a terminal gives UTF-8 text", "[format]") {
  CHECK(display_width("") == 0);
  CHECK(display_width("conv1") == 5);
  CHECK(display_width("adaptive_avgpool 7x7") == 20);
  // Precomposed é (U+00E9) and ñ: 2 bytes, 1 column.
  CHECK(display_width("é") == 1);
  CHECK(display_width("conv_é") == 6);
  CHECK(display_width("año") == 3);
  // CJK ideographs, Hangul, fullwidth forms, emoji: 3 or 4 bytes, 2 columns.
  CHECK(display_width("卷积") == 4);
  CHECK(display_width("卷积1") == 5);
  CHECK(display_width("한국") == 4);
  CHECK(display_width("ＡＢ") == 4);
  CHECK(display_width("\U0001F642") == 2);
  // A combining acute accent (U+0301) takes no column of its own.
  CHECK(display_width("e\u0301") == 1);
  CHECK(display_width("pool_e\u0301") == 6);
  // Bytes that are not UTF-8 count one column each: a stray continuation
  // byte, an invalid lead, a sequence cut short.
  CHECK(display_width("\x80") == 1);
  CHECK(display_width("a\xff") == 2);
  CHECK(display_width("\xe5\x8d") == 2);
}

TEST_CASE("code point width: wide, zero-width and the rest", "[format]") {
  CHECK(code_point_width(U'a') == 1);
  CHECK(code_point_width(U'\u00e9') == 1);  // é
  CHECK(code_point_width(U'\u0416') == 1);  // Cyrillic Zhe
  CHECK(code_point_width(U'\u0300') == 0);  // combining grave
  CHECK(code_point_width(U'\u036f') == 0);
  CHECK(code_point_width(U'\u0370') == 1);      // just past the combining marks
  CHECK(code_point_width(U'\u200d') == 0);      // zero-width joiner
  CHECK(code_point_width(U'\u4e00') == 2);      // CJK
  CHECK(code_point_width(U'\uac00') == 2);      // Hangul syllable
  CHECK(code_point_width(U'\uff21') == 2);      // fullwidth A
  CHECK(code_point_width(U'\uff61') == 1);      // halfwidth ideographic full stop
  CHECK(code_point_width(U'\U0001F642') == 2);  // emoji
  CHECK(code_point_width(U'\U00020000') == 2);  // CJK extension B
}
