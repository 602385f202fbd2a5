// The fast YAML reader against yaml-cpp: on every text it accepts, the tree,
// the streamed layers, every position and every error must be the same.
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "helpers.h"
#include "parse/bundled.h"
#include "parse/readers.h"
#include "parse/spec_text.h"
#include "readers_compare.h"

namespace netlens {
namespace {

// Compares the two readers on `text`; returns whether the fast one took it.
bool fast_yaml_agrees(const std::string& text) {
  const test::Readers r = test::compare_yaml_readers(text);
  if (r.accepted) {
    INFO(text);
    CHECK(r.fast == r.library);
  }
  return r.accepted;
}

TEST_CASE("skip_printable_ascii stops at the first byte outside 0x20-0x7E", "[parse]") {
  // Every stop byte at every offset of a 20-byte text: in the first word, the
  // second, and the byte-by-byte tail; and the bytes on either side of it.
  for (const char stop : {'\0', '\n', '\x1f', '\x7f', '\x80', '\xff'}) {
    for (std::size_t at = 0; at < 20; ++at) {
      std::string text(20, '~');  // 0x7E, the last printable byte
      text[0] = ' ';              // 0x20, the first
      text[at] = stop;
      INFO("byte " << static_cast<int>(static_cast<unsigned char>(stop)) << " at " << at);
      CHECK(skip_printable_ascii(text, 0) == at);
      CHECK(skip_printable_ascii(text, at) == at);
      CHECK(skip_printable_ascii(text, at + 1) == 20);
    }
  }
  CHECK(skip_printable_ascii("", 0) == 0);
  CHECK(skip_printable_ascii("layers:", 0) == 7);
  CHECK(skip_printable_ascii("layers:", 7) == 7);
}

TEST_CASE("the fast YAML reader takes every bundled net, as yaml-cpp reads it", "[parse]") {
  for (const BundledNet& net : bundled_nets()) {
    INFO(net.name);
    CHECK(fast_yaml_agrees(std::string(net.text)));
  }
}

TEST_CASE("the fast YAML reader agrees with yaml-cpp on the test and corpus files", "[parse]") {
  std::size_t accepted = 0;
  std::size_t total = 0;
  for (const std::string& dir :
       {test::source_path("tests/data"), test::shared_path("corpora/yaml-test-suite")}) {
    for (const std::string& file : test::files_under(dir, {".yaml", ".yml"})) {
      INFO(file);
      if (fast_yaml_agrees(test::slurp(file))) {
        ++accepted;
      }
      ++total;
    }
  }
  // The corpus is mostly YAML this reader leaves to yaml-cpp; the count
  // keeps the comparison from passing by accepting nothing (tests/data/models/:
  // exported torchvision nets and an FPN, all taken, and a WaveNet written with
  // blocks, left to yaml-cpp; tests/data/transformers/: two;
  // tests/data/models/blocks/: eleven exported blocks).
  CHECK(total == 457);
  CHECK(accepted == 49);
}

TEST_CASE("the fast YAML reader: what it takes and what it leaves", "[parse]") {
  const char* const taken[] = {
      "a: 1\n",
      "a: 1",
      "# c\n\na: [1, -2, 3.5e-1]  # c\nb: {x: y, z: [[1, 2], [3, 4]]}\n",
      "layers:\n- {type: conv}\n-  [1]\n",
      "layers:\n  # c\n\n  - {type: conv, kernel_size: 3}  # c\n  - {}\nname: x\n",
      "a: {}\nb: []\nc: .inf\nd: -.inf\ne: .nan\nf: true\ng: Null\nh: 010\ni: 0x1F\n",
      "a: 99999999999999999999\nb: +5\n",
      "a: {x: 1}\na: 2\n",  // duplicate: the same error from both
      "layers:\n  - {type: conv, type: relu}\n",
  };
  for (const char* text : taken) {
    INFO(text);
    CHECK(fast_yaml_agrees(text));
  }
  const char* const left[] = {
      "",
      "# only a comment\n",
      "a: 'quoted'\n",
      "a: two words\n",
      "a:\n",
      "a:\n  b: 1\n",
      "a: {x: 1,\n  y: 2}\n",
      "a: {x:1}\n",
      "a: {x: 1,}\n",
      "a: 1#c\n",
      "a: &x 1\n",
      "a: !t 1\n",
      "---\na: 1\n",
      "a: 1\r\n",
      "a:\t1\n",
      "# \x01\n\na: 1\n",
      "a: caf\xc3\xa9\n",
      " a: 1\n",
      "a: 1\n  b\n",
      "layers:\n  - {a: 1}\n   - {b: 2}\n",
      "layers:\n  - a\n",
      "layers:\n  -{a: 1}\n",
      "a: -\n",
      "a: --x\n",
      "a: ..\n",
      "-a: 1\n",
      "a: [1, {b: 2}] x\n",
  };
  for (const char* text : left) {
    INFO(text);
    CHECK_FALSE(fast_yaml_agrees(text));
  }
  // Found by fuzz_yaml_simple: yaml-cpp ends its stream at a NUL, even in a comment.
  static const char kNul[] = "#\0\0 x\ninput: {size: 5}\n";
  CHECK_FALSE(fast_yaml_agrees(std::string(kNul, sizeof kNul - 1)));
}

}  // namespace
}  // namespace netlens
