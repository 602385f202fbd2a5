// Receptive field, jump, effective padding and centre offset (spec §2), and
// the warnings the engine gives: dropped positions, rf larger than the input,
// windows in the padding, misaligned merges.
#include <catch2/catch.hpp>

#include "helpers.h"

using namespace netlens;
using namespace netlens::test;

namespace {

// rf, jump, padding_eff, center_offset of one axis as text ("-" for none),
// so a whole chain compares in one CHECK.
std::string rf_text(const AxisRf& a) {
  const auto r = [](const std::optional<Ratio>& v) { return v ? ratio_text(*v) : "-"; };
  if (a.global) {
    return "global";
  }
  return (a.rf ? std::to_string(*a.rf) : "-") + " " + r(a.jump) + " " + r(a.padding_eff) + " " +
         r(a.center_offset);
}

std::vector<std::string> chain(const Report& r, std::size_t axis = 0) {
  std::vector<std::string> out;
  for (const LayerReport& lr : r.layers) {
    out.push_back(rf_text(lr.rf[axis]));
  }
  return out;
}

using Rows = std::vector<std::string>;

std::string net1d(std::int64_t n, const std::string& layers) {
  return "input: {size: [" + std::to_string(n) + "], channels: 1}\nlayers:\n" + layers;
}

}  // namespace

TEST_CASE("a VGG-like chain: rf += (ke - 1) * jump, P += lo * jump", "[engine]") {
  const Report r =
      analyze_yaml(net1d(32,
                         "  - {type: conv, out_channels: 1, kernel_size: 3, padding: 1}\n"
                         "  - {type: conv, out_channels: 1, kernel_size: 3, padding: 1}\n"
                         "  - {type: maxpool, kernel_size: 2}\n"
                         "  - {type: conv, out_channels: 1, kernel_size: 3, padding: 1}\n"
                         "  - {type: conv, out_channels: 1, kernel_size: 3, padding: 1}\n"
                         "  - {type: maxpool, kernel_size: 2}\n"));
  CHECK(chain(r) ==
        Rows{"3 1 1 0", "5 1 2 0", "6 2 2 0.5", "10 2 4 0.5", "14 2 6 0.5", "16 4 6 1.5"});
  CHECK(r.warnings.empty());
}

TEST_CASE("the seed's zf-5 table", "[engine]") {
  const Report r = analyze_bundled("zf-5");
  std::vector<std::string> convs_and_pools;
  for (const LayerReport& lr : r.layers) {
    const std::string_view type = r.layer(lr.index - 1).type;
    if (type == "conv" || type == "maxpool") {
      convs_and_pools.push_back(r.layer(lr.index - 1).name + " " +
                                std::to_string(lr.output.size[0]) + " " + rf_text(lr.rf[1]));
    }
  }
  CHECK(convs_and_pools == Rows{"conv1 112 7 2 3 0", "pool1 56 11 4 5 0", "conv2 28 27 8 13 0",
                                "pool2 14 43 16 21 0", "conv3 14 75 16 37 0",
                                "conv4 14 107 16 53 0", "conv5 14 139 16 69 0"});
  CHECK(r.total_params == 3726464);
}

TEST_CASE("vgg16 ends with rf 212 and jump 32", "[engine]") {
  const Report r = analyze_bundled("vgg16");
  for (const LayerReport& lr : r.layers) {
    const std::string& name = r.layer(lr.index - 1).name;
    if (name == "conv5_3") {
      CHECK(rf_text(lr.rf[0]) == "196 16 90 7.5");
    } else if (name == "pool5") {
      CHECK(rf_text(lr.rf[0]) == "212 32 90 15.5");
    } else if (name == "fc8") {
      CHECK(lr.global_rf);
    }
  }
  CHECK(r.total_params == 138357544);
}

TEST_CASE("dilation, asymmetric padding, same_lower", "[engine]") {
  const Report r = analyze_yaml(net1d(
      16,
      "  - {type: conv, out_channels: 1, kernel_size: 3, dilation: 2}\n"
      "  - {type: conv, out_channels: 1, kernel_size: 3, padding: [[2, 0]], inputs: [input]}\n"
      "  - {type: conv, out_channels: 1, kernel_size: 4, stride: 2, padding: same, "
      "inputs: [input]}\n"
      "  - {type: conv, out_channels: 1, kernel_size: 4, stride: 2, padding: same_lower, "
      "inputs: [input]}\n"));
  // same on 16, k4 s2: total 2 either way, (1, 1); k3 [[2, 0]]: P = 2.
  CHECK(chain(r) == Rows{"5 1 0 2", "3 1 2 -1", "4 2 1 0.5", "4 2 1 0.5"});
  const Report odd = analyze_yaml(
      net1d(7,
            "  - {type: conv, out_channels: 1, kernel_size: 4, stride: 2, padding: same}\n"
            "  - {type: conv, out_channels: 1, kernel_size: 4, stride: 2, padding: same_lower, "
            "inputs: [input]}\n"));
  // total 3: same puts 1 before, same_lower 2.
  CHECK(chain(odd) == Rows{"4 2 1 0.5", "4 2 2 -0.5"});
}

TEST_CASE("adaptive pools: uniform windows are a pool, others keep only rf", "[engine]") {
  // 31 -> 6: windows of width 6 every 5.
  const Report uniform = analyze_yaml(net1d(31,
                                            "  - {type: adaptive_avgpool, output_size: 6}\n"
                                            "  - {type: conv, out_channels: 1, kernel_size: 3}\n"));
  CHECK(chain(uniform) == Rows{"6 5 0 2.5", "16 5 0 7.5"});
  // 32 -> 7: widths 5 and 6, no single jump; a 3-tap conv after sees at most
  // windows 1..3 = [4, 19): 15.
  const Report uneven = analyze_yaml(net1d(32,
                                           "  - {type: adaptive_avgpool, output_size: 7}\n"
                                           "  - {type: conv, out_channels: 1, kernel_size: 3}\n"));
  CHECK(chain(uneven) == Rows{"6 - - -", "15 - - -"});
  CHECK_FALSE(uneven.layers[1].global_rf);
  // 28 -> 7 is a multiple: kernel 4, stride 4.
  const Report multiple = analyze_yaml(net1d(28, "  - {type: adaptive_maxpool, output_size: 7}\n"));
  CHECK(chain(multiple) == Rows{"4 4 0 1.5"});
}

TEST_CASE("global operations mark every axis global", "[engine]") {
  const Report r = analyze_yaml(
      "input: {size: [32, 16], channels: 2}\nlayers:\n"
      "  - {type: adaptive_maxpool, output_size: [1, 4]}\n"
      "  - {type: adaptive_avgpool, output_size: 1}\n"
      "  - {type: conv, out_channels: 2, kernel_size: 1}\n"
      "  - {type: global_avgpool, inputs: [input]}\n"
      "  - {type: flatten, inputs: [input]}\n"
      "  - {type: linear, out_features: 3, inputs: [input]}\n");
  CHECK(rf_text(r.layers[0].rf[0]) == "global");
  CHECK(rf_text(r.layers[0].rf[1]) == "4 4 0 1.5");
  CHECK_FALSE(r.layers[0].global_rf);
  for (std::size_t i = 1; i < 6; ++i) {
    INFO("layer " << i + 1);
    CHECK(r.layers[i].global_rf);
    CHECK(chain(r, 0)[i] == "global");
    CHECK(chain(r, 1)[i] == "global");
  }
}

TEST_CASE("upsampling divides the jump, and exact regions give rf", "[engine]") {
  const Report r = analyze_yaml(
      net1d(7,
            "  - {type: upsample, scale_factor: 2}\n"
            "  - {type: conv, out_channels: 1, kernel_size: 3, padding: 1}\n"
            "  - {type: conv_transpose, out_channels: 1, kernel_size: 3, stride: 2, padding: 1, "
            "output_padding: 1, inputs: [input]}\n"
            "  - {type: conv, out_channels: 1, kernel_size: 2, stride: 2}\n"));
  // Nearest x2 reads unit floor(o / 2): one pixel each. The conv after it
  // reads o-1..o+1, i.e. pixels floor((o-1)/2)..floor((o+1)/2): 2 wide, and
  // unit 0's region starts at pixel -1.
  CHECK(chain(r) == Rows{"1 0.5 0 0", "2 0.5 1 -0.5", "2 0.5 0 0", "2 1 0 0.5"});
}

TEST_CASE("merges: the union of the inputs' regions", "[engine]") {
  const Report r = analyze_yaml(
      net1d(16,
            "  - {name: a, type: conv, kernel_size: 3, padding: 1, out_channels: 1}\n"
            "  - {name: b, type: conv, kernel_size: 1, out_channels: 1, inputs: [input]}\n"
            "  - {name: s, type: add, inputs: [a, b]}\n"
            "  - {name: g, type: conv, kernel_size: 3, stride: 2, padding: 1, out_channels: 1}\n"
            "  - {name: e, type: conv, kernel_size: 1, stride: 2, out_channels: 1, "
            "inputs: [input]}\n"
            "  - {name: n, type: concat, inputs: [g, e]}\n"));
  CHECK(chain(r)[2] == "3 1 1 0");
  CHECK(chain(r)[5] == "5 2 2 0");
  CHECK(r.layers[2].warnings.empty());
  CHECK(r.layers[5].warnings.empty());
}

TEST_CASE("misaligned merges warn with the paths and offsets", "[engine]") {
  const Report one = analyze_yaml(
      net1d(16,
            "  - {name: a, type: Conv1d, kernel_size: 2, stride: 2, out_channels: 1}\n"
            "  - {name: b, type: Conv1d, kernel_size: 9, out_channels: 1, inputs: [input]}\n"
            "  - {name: s, type: add, inputs: [a, b]}\n"));
  CHECK(texts(one.layers[2].warnings) ==
        Rows{"inputs are misaligned on axis l: 'a' jump 2, centre 0.5; 'b' jump 1, centre 4 "
             "(3.5 pixels apart)"});
  // Different jumps: no single jump, but the widest union is still known.
  CHECK(chain(one)[2] == "9 - - -");

  const Report two = analyze_yaml(
      "input: {size: 16, channels: 3}\nlayers:\n"
      "  - {name: d, type: conv, kernel_size: 2, stride: 2, out_channels: 4}\n"
      "  - {name: e, type: conv, kernel_size: 1, stride: 2, out_channels: 4, inputs: [input]}\n"
      "  - {name: m, type: mul, inputs: [d, e]}\n"
      "  - {name: f, type: conv, kernel_size: [2, 1], stride: 2, out_channels: 4, "
      "inputs: [input]}\n"
      "  - {name: k, type: add, inputs: [f, e]}\n");
  // m's output is read by nothing: a dead branch, as well as misaligned.
  CHECK(texts(two.layers[2].warnings) ==
        Rows{"dead branch: no layer uses this output (and it is not the last layer)",
             "inputs are misaligned on every axis: 'd' jump 2, centre 0.5; 'e' jump 2, centre 0 "
             "(0.5 pixels apart)"});
  CHECK(texts(two.layers[4].warnings) ==
        Rows{"inputs are misaligned on axis h: 'f' jump 2, centre 0.5; 'e' jump 2, centre 0 "
             "(0.5 pixels apart)"});
  // e and f leave the input's last row unread, but d reads it: no unread-input.
  REQUIRE(two.warnings.size() == 3);  // m is dead; m and k misaligned
  CHECK(two.warnings[0].layer == "m");
  CHECK(two.warnings[1].layer == "m");
  CHECK(two.warnings[0].pos.line == 5);
  CHECK(two.warnings[2].layer == "k");
}

TEST_CASE("the rf-larger-than-input warning, once per axis", "[engine]") {
  const Report one =
      analyze_yaml(net1d(4,
                         "  - {type: conv, out_channels: 1, kernel_size: 3, padding: 1}\n"
                         "  - {type: conv, out_channels: 1, kernel_size: 3, padding: 1}\n"
                         "  - {type: conv, out_channels: 1, kernel_size: 3, padding: 1}\n"));
  CHECK(one.layers[0].warnings.empty());
  CHECK(texts(one.layers[1].warnings) ==
        Rows{"receptive field 5 is larger than the input (4) on axis l"});
  CHECK(one.layers[2].warnings.empty());

  const Report square = analyze_yaml(
      "input: {size: 4, channels: 1}\nlayers:\n"
      "  - {type: conv, kernel_size: 5, padding: 2, out_channels: 1}\n");
  CHECK(texts(square.layers[0].warnings) ==
        Rows{"receptive field 5 is larger than the input (4) on every axis"});

  const Report oblong = analyze_yaml(
      "input: {size: [4, 6], channels: 1}\nlayers:\n"
      "  - {type: conv, kernel_size: 7, padding: 3, out_channels: 1}\n");
  CHECK(texts(oblong.layers[0].warnings) ==
        Rows{"receptive field 7 is larger than the input (4) on axis h",
             "receptive field 7 is larger than the input (6) on axis w"});
}

TEST_CASE("the dropped-positions warning", "[engine]") {
  // k2 s2 on 9: windows at 0, 2, 4, 6 never read position 8.
  const Report one =
      analyze_yaml(net1d(9, "  - {type: conv, out_channels: 1, kernel_size: 2, stride: 2}\n"));
  CHECK(texts(one.layers[0].warnings) ==
        Rows{"the last 1 input position on axis l is never read: (9 + 0 + 0 - 2) is not a "
             "multiple of stride 2"});
  const Report three = analyze_yaml(net1d(13, "  - {type: maxpool, kernel_size: 3, stride: 4}\n"));
  CHECK(texts(three.layers[0].warnings) ==
        Rows{"the last 2 input positions on axis l are never read: (13 + 0 + 0 - 3) is not a "
             "multiple of stride 4"});
  const Report only_h = analyze_yaml(
      "input: {size: [9, 8], channels: 1}\nlayers:\n"
      "  - {type: conv, out_channels: 1, kernel_size: 2, stride: 2}\n");
  CHECK(texts(only_h.layers[0].warnings) ==
        Rows{"the last 1 input position on axis h is never read: (9 + 0 + 0 - 2) is not a "
             "multiple of stride 2"});
  // Dropping only padding is harmless: 8 + 1 + 1 with k3 s2 reads every pixel.
  CHECK(analyze_yaml(net1d(8,
                           "  - {type: conv, out_channels: 1, kernel_size: 3, stride: 2, "
                           "padding: 1}\n"))
            .layers[0]
            .warnings.empty());
  // Ceil mode reads the tail.
  CHECK(analyze_yaml(net1d(9, "  - {type: maxpool, kernel_size: 2, ceil_mode: true}\n"))
            .layers[0]
            .warnings.empty());
}

TEST_CASE("the window-in-padding warnings", "[engine]") {
  const Report first = analyze_yaml(
      "input: {size: [6], channels: 1}\nconvention: caffe\nlayers:\n"
      "  - {type: maxpool, kernel_size: 2, stride: 2, padding: 2}\n");
  CHECK(first.layers[0].output.size[0] == 4);
  CHECK(texts(first.layers[0].warnings) ==
        Rows{"the first window on axis l lies entirely in the padding"});
  const Report last = analyze_yaml(
      "input: {size: [5, 5], channels: 1}\nconvention: caffe\nlayers:\n"
      "  - {type: maxpool, kernel_size: 1, stride: 3}\n");
  CHECK(texts(last.layers[0].warnings) ==
        Rows{"the last window on every axis starts at 6, past the input's 5 positions: it reads "
             "only padding"});
}

TEST_CASE("a conv window in the padding is warned about, as a pool's", "[engine]") {
  // k2 s1 padding 3 on 6: units 0, 1, 9 and 10 read only zeros. Convs get the
  // same window-in-padding check as pools. Only the last window's warning is
  // given: per axis the check stops at the first of the two that holds.
  const Report r =
      analyze_yaml(net1d(6, "  - {type: conv, out_channels: 1, kernel_size: 2, padding: 3}\n"));
  CHECK(r.layers[0].output.size[0] == 11);
  CHECK(texts(r.layers[0].warnings) ==
        Rows{"the last window on axis l starts at 7, past the input's 6 positions: it reads only "
             "padding"});
}

TEST_CASE("an output nothing reads is a dead branch", "[engine]") {
  const Report r = analyze_yaml(R"(input: {size: 8}
layers:
  - {name: a, type: conv, kernel_size: 1, out_channels: 2}
  - {name: b, type: conv, kernel_size: 1, out_channels: 2, inputs: [input]}
)");
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].layer == "a");
  CHECK(r.warnings[0].text ==
        "dead branch: no layer uses this output (and it is not the last layer)");
  CHECK(r.layers[1].warnings.empty());
}
