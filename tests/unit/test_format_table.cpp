// The terminal table's layout: both rules as wide as the widest line, and
// cells padded by the columns they take on a terminal, not by their bytes,
// so names in any script line up; and the width function it pads by.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "format/format.h"
#include "format/text_width.h"
#include "helpers.h"

using namespace netlens;
using namespace netlens::test;

namespace {

// A conv named with a precomposed é (2 bytes, 1 column), one named in Chinese
// (3 bytes and 2 columns a character) and one with a combining accent (e and
// U+0301: 3 bytes, 1 column).
const char* const kIntl =
    "name: intl\ninput: {size: [32, 32], channels: 3}\nlayers:\n"
    "  - {name: conv_é, type: conv, kernel_size: 3, padding: 1, out_channels: 8}\n"
    "  - {name: 卷积1, type: conv, kernel_size: 3, out_channels: 16}\n"
    "  - {name: pool_e\u0301, type: maxpool, kernel_size: 2}\n";

const char* const kIntlTotals =
    "params: 1,392 (5.57 kB at float32)\n"
    "compute: 1.26 MMACs = 2.52 MFLOPs, other ops: 37.0 k\n"
    "activations: 104.8 kB in all, peak 90.4 kB at once (input 12.3 kB, batch 1, float32)\n";

}  // namespace

TEST_CASE("table: both rules are as wide as the widest line (vgg16, index and type)", "[format]") {
  const std::string text = render_table(analyze_bundled("vgg16"), FormatOptions{{"index", "type"}});
  // The header is 8 columns wide, "32  adaptive_avgpool" 20: both rules take 20.
  const std::string rule(20, '-');
  const std::string head =
      "vgg16 (bundled:vgg16): input 224x224, 3 channels, pytorch convention, 40 layers\n"
      "\n"
      " #  type\n" +
      rule +
      "\n"
      " 1  conv\n"
      " 2  relu\n"
      " 3  conv\n"
      " 4  relu\n"
      " 5  maxpool\n";
  const std::string tail =
      "31  maxpool\n"
      "32  adaptive_avgpool\n"
      "33  flatten\n";
  const std::string end =
      "38  relu\n"
      "39  dropout\n"
      "40  linear\n" +
      rule +
      "\n"
      "params: 138,357,544 (553.4 MB at float32)\n"
      "compute: 15.5 GMACs = 30.9 GFLOPs, other ops: 33.3 M\n"
      "activations: 114.8 MB in all, peak 25.7 MB at once (input 602.1 kB, batch 1, float32)\n";
  CHECK(text.substr(0, head.size()) == head);
  CHECK(text.find(tail) != std::string::npos);
  REQUIRE(text.size() >= end.size());
  CHECK(text.substr(text.size() - end.size()) == end);

  // The header and the 40 rows between the rules: the widest is exactly as wide as the rules.
  const auto lines = lines_of(text);
  REQUIRE(lines.size() == 2 + 1 + 1 + 40 + 1 + 3);
  CHECK(lines[3] == rule);
  CHECK(lines[44] == rule);
  std::size_t widest = lines[2].size();
  for (std::size_t i = 4; i < 44; ++i) {
    widest = std::max(widest, lines[i].size());
  }
  CHECK(widest == rule.size());
}

TEST_CASE("table: non-ASCII names are padded by display width", "[format]") {
  const Report r = analyze_yaml(kIntl);
  // "conv_é" is 6 columns (7 bytes), "卷积1" 5 (7 bytes), "pool_é" 6 (8 bytes).
  CHECK(render_table(r, FormatOptions{{"index", "name", "type", "size", "params"}}) ==
        "intl (spec): input 32x32, 3 channels, pytorch convention, 3 layers\n"
        "\n"
        "#  name    type     size  params\n"
        "--------------------------------\n"
        "1  conv_é  conv       32     224\n"
        "2  卷积1   conv       30   1,168\n"
        "3  pool_e\u0301  maxpool    15       0\n"
        "--------------------------------\n" +
            std::string(kIntlTotals));
  // Names last: unpadded, and the widest line is a name's, 6 columns past its start.
  CHECK(render_table(r, FormatOptions{{"index", "type", "name"}}) ==
        "intl (spec): input 32x32, 3 channels, pytorch convention, 3 layers\n"
        "\n"
        "#  type     name\n"
        "------------------\n"
        "1  conv     conv_é\n"
        "2  conv     卷积1\n"
        "3  maxpool  pool_e\u0301\n"
        "------------------\n" +
            std::string(kIntlTotals));
}

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

TEST_CASE("the params line says params and buffers apart, each with its memory", "[format]") {
  const Report r = analyze_yaml(
      "input: {size: [8, 8], channels: 3}\nlayers:\n"
      "  - {type: conv, kernel_size: 3, out_channels: 64}\n"
      "  - {type: batchnorm}\n");
  // 1,792 + 128 params; 2 x 64 + 1 = 129 buffers, 516 B at 4 bytes each.
  CHECK(lines_of(render_table(r, {}))[7] ==
        "params: 1,920 (7.68 kB at float32) + buffers: 129 (516 B)");
  CHECK(lines_of(render_markdown(r, {}))[7] ==
        "params: 1,920 (7.68 kB at float32) + buffers: 129 (516 B)  ");
  CHECK(r.totals.param_memory == (1920 + 129) * 4);
}
