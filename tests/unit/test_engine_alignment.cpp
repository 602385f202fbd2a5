// Which merges are misaligned (docs/semantics.md#misalignment) and which
// unread positions are worth a warning: textbook designs stay quiet, a
// genuinely shifted shortcut does not.
#include <catch2/catch.hpp>

#include "engine/net_checks.h"
#include "helpers.h"

using namespace netlens;
using namespace netlens::test;

namespace {

using Rows = std::vector<std::string>;

std::string net_text(const std::string& layers, const std::string& size = "[8, 8]") {
  return "input: {size: " + size + ", channels: 3}\nlayers:\n" + layers;
}

// A WaveNet-style causal stack: kernel 2, dilations 1..512, padded on the
// left only (or, `ahead`, on the right), each block's output added to its input.
std::string wavenet(bool ahead = false) {
  const auto pad = [&](int d) {
    return ahead ? "[[0, " + std::to_string(d) + "]]" : "[[" + std::to_string(d) + ", 0]]";
  };
  std::string spec =
      "input: {size: [16000], channels: 1}\nlayers:\n"
      "  - {name: causal, type: Conv1d, kernel_size: 2, padding: " +
      pad(1) + ", out_channels: 8}\n";
  std::string prev = "causal";
  for (int i = 0, d = 1; d <= 512; ++i, d *= 2) {
    const std::string n = std::to_string(i);
    spec += "  - {name: dil" + n +
            ", type: Conv1d, kernel_size: 2, dilation: " + std::to_string(d) +
            ", padding: " + pad(d) + ", out_channels: 8, inputs: [" + prev + "]}\n" +
            "  - {name: res" + n + ", type: Conv1d, kernel_size: 1, out_channels: 8}\n" +
            "  - {name: add" + n + ", type: add, inputs: [" + prev + ", res" + n + "]}\n";
    prev = "add" + n;
  }
  return spec;
}

}  // namespace

TEST_CASE("U-Net's skip connections line up: centres averaged over the up-conv's pairs",
          "[engine]") {
  const Report unet = analyze_bundled("unet");
  CHECK(texts(unet.warnings).empty());
  // Unit 0 of up9 is centred at 93.5 (its pair's average, 93, is still
  // 3 off crop9's 90): the average line of every up-conv on the way counts.
  const Alignment alignment(unet);
  const auto index_of = [&](const std::string& name) {
    std::size_t i = 0;
    while (unet.layer(i).name != name) {
      ++i;
    }
    return i;
  };
  const auto centre_of = [&](const std::string& name) {
    return ratio_text(*alignment.anchor(index_of(name) + 1, 0).centre);
  };
  CHECK(Rows{centre_of("up6"), centre_of("crop6"), centre_of("up9"), centre_of("crop9")} ==
        Rows{"65.5", "65.5", "90", "90"});
  CHECK(ratio_text(*unet.layers[index_of("up9")].rf[0].center_offset) == "93.5");
}

TEST_CASE("a causal stack's residual adds line up: both inputs end at the same step", "[engine]") {
  const Report r = analyze_yaml(wavenet());
  CHECK(r.layers.size() == 31);
  CHECK(texts(r.warnings).empty());
  // Padded on the right, the stack looks ahead: not causal, its centres
  // differ, every add warns.
  const Report ahead = analyze_yaml(wavenet(true));
  REQUIRE(ahead.warnings.size() == 10);
  CHECK(ahead.warnings[0].text ==
        "inputs are misaligned on axis l: 'causal' jump 1, centre 0.5; 'res0' jump 1, centre 1 "
        "(0.5 pixels apart)");
}

TEST_CASE("a 2x2 stride-2 shortcut beside a padded 3x3 stride-2 path is half a pixel off",
          "[engine]") {
  const Report r = analyze_yaml(
      "input: {size: [32, 32], channels: 8}\nlayers:\n"
      "  - {name: main, type: conv, kernel_size: 3, stride: 2, padding: 1, out_channels: 16}\n"
      "  - {name: short, type: conv, kernel_size: 2, stride: 2, out_channels: 16, "
      "inputs: [input]}\n"
      "  - {name: sum, type: add, inputs: [main, short]}\n");
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].kind == WarningKind::Misaligned);
  CHECK(r.warnings[0].layer == "sum");
  CHECK(r.warnings[0].text ==
        "inputs are misaligned on every axis: 'main' jump 2, centre 0; 'short' jump 2, centre "
        "0.5 (0.5 pixels apart)");
}

TEST_CASE("upsampled paths are compared by their average centre", "[engine]") {
  // Nearest x2 of a stride-2 path: units 2i and 2i+1 copy unit i, centred
  // on average half an output unit behind: aligned with a stride-1 path.
  const Report r = analyze_yaml(
      net_text("  - {name: down, type: maxpool, kernel_size: 2, stride: 2}\n"
               "  - {name: up, type: upsample, scale_factor: 2}\n"
               "  - {name: cat, type: concat, inputs: [input, up]}\n"
               "  - {name: bi, type: upsample, scale_factor: 2, mode: bilinear, inputs: [down]}\n"
               "  - {name: cat2, type: concat, inputs: [input, bi]}\n"
               "  - {name: k1, type: conv_transpose, kernel_size: 1, stride: 2, output_padding: 1, "
               "out_channels: 3, inputs: [down]}\n"
               "  - {name: cat3, type: concat, inputs: [input, k1]}\n"));
  // cat and cat2 line up; a 1x1 stride-2 transposed conv leaves every other
  // unit empty: no average centre, no warning.
  CHECK(texts(r.warnings) ==
        Rows{"dead branch: no layer uses this output (and it is not the last layer)",
             "dead branch: no layer uses this output (and it is not the last layer)"});
}

TEST_CASE("unread input positions warn only when no consumer reads them", "[engine]") {
  // ResNet's 1x1 stride-2 downsample skips the last row that conv1 reads.
  const Report resnet = analyze_bundled("resnet18");
  for (const Warning& w : resnet.warnings) {
    CHECK(w.kind == WarningKind::RfExceedsInput);
  }
  CHECK(resnet.warnings.size() == 1);
  // Two consumers that both skip: the one that skips fewer keeps its warning.
  const Report two = analyze_yaml(net_text(
      "  - {name: a, type: conv, kernel_size: 1, stride: 2, out_channels: 4}\n"
      "  - {name: b, type: conv, kernel_size: 1, stride: 5, out_channels: 4, inputs: [input]}\n",
      "[10, 10]"));
  CHECK(texts(two.warnings) ==
        Rows{"the last 1 input position on every axis is never read: (10 + 0 + 0 - 1) is not a "
             "multiple of stride 2",
             "dead branch: no layer uses this output (and it is not the last layer)"});
  CHECK(two.warnings[0].layer == "a");
  // A consumer that reads the last row but not the last column: the
  // warning keeps the axis nobody reads.
  const Report axis = analyze_yaml(
      net_text("  - {name: a, type: conv, kernel_size: 1, stride: 2, out_channels: 4}\n"
               "  - {name: b, type: conv, kernel_size: [2, 1], stride: 2, out_channels: 4, "
               "inputs: [input]}\n"
               "  - {name: c, type: concat, inputs: [a, b]}\n",
               "[10, 10]"));
  CHECK(texts(axis.layers[0].warnings) ==
        Rows{"the last 1 input position on axis w is never read: (10 + 0 + 0 - 1) is not a "
             "multiple of stride 2"});
  CHECK(axis.layers[0].warnings[0].axes == std::vector<std::size_t>{1});
  CHECK(texts(axis.layers[1].warnings) ==
        Rows{"the last 1 input position on axis w is never read: (10 + 0 + 0 - 1) is not a "
             "multiple of stride 2"});
}
