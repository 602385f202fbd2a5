// Output shapes, parameter counts and shape errors, hand-checked against the
// formulas of spec §2. Most nets are 1-D (`size: [n]`) so one number says it.
#include <catch2/catch.hpp>

#include "helpers.h"

using namespace netlens;
using namespace netlens::test;

namespace {

// A 1-D net of length n (layer lines start on line 4).
std::string net1d(std::int64_t n, const std::string& layers, const char* convention = "pytorch",
                  std::int64_t channels = 4) {
  return "input: {size: [" + std::to_string(n) + "], channels: " + std::to_string(channels) +
         "}\nconvention: " + convention + "\nlayers:\n" + layers;
}

// The length of layer i's output in a 1-D net.
std::int64_t out_len(const std::string& text, std::size_t i = 0) {
  const Report r = analyze_yaml(text);
  REQUIRE(r.layers.size() > i);
  REQUIRE(r.layers[i].output.size.size() == 1);
  return r.layers[i].output.size[0];
}

std::string model_error(const std::string& text) {
  return error_of([&] { analyze_yaml(text); });
}

std::array<std::int64_t, 2> pad_of(const Report& r, std::size_t i) {
  const AxisWindow& w = (*r.layers[i].window)[0];
  return {w.pad_lo, w.pad_hi};
}

}  // namespace

TEST_CASE("conv: floor((n + lo + hi - ke) / s) + 1", "[engine]") {
  CHECK(out_len(net1d(10, "  - {type: conv, out_channels: 2, kernel_size: 3, stride: 2}\n")) == 4);
  CHECK(out_len(net1d(
            224, "  - {type: conv, out_channels: 2, kernel_size: 7, stride: 2, padding: 3}\n")) ==
        112);
  // Dilation 2 makes a 3-tap kernel 5 wide.
  CHECK(out_len(net1d(10, "  - {type: conv, out_channels: 2, kernel_size: 3, dilation: 2}\n")) ==
        6);
  CHECK(out_len(net1d(
            10, "  - {type: conv, out_channels: 2, kernel_size: 3, padding: [[2, 0]]}\n")) == 10);
  CHECK(model_error(net1d(4, "  - {name: big, type: conv, kernel_size: 5, out_channels: 2}\n")) ==
        "t.yaml:4:5: layer 'big': kernel 5 (dilated) is larger than the padded input 4 (4 + 0 + 0) "
        "on axis l; the net's input must be at least 5 on axis l");
  CHECK(model_error(net1d(3,
                          "  - {type: conv, kernel_size: 3, dilation: 2, padding: [[0, 1]], "
                          "out_channels: 2}\n")) ==
        "t.yaml:4:5: layer 'conv1': kernel 5 (dilated) is larger than the padded input 4 (3 + 0 + "
        "1) on axis l; the net's input must be at least 4 on axis l");
}

TEST_CASE("same, same_lower and valid padding", "[engine]") {
  // n = 7, k = 4, s = 2: out = ceil(7 / 2) = 4, total = 3 * 2 + 4 - 7 = 3.
  const Report same = analyze_yaml(
      net1d(7,
            "  - {type: conv, out_channels: 2, kernel_size: 4, stride: 2, padding: same}\n"
            "  - {type: conv, out_channels: 2, kernel_size: 4, stride: 2, padding: same_lower, "
            "inputs: [input]}\n"
            "  - {type: conv, out_channels: 2, kernel_size: 4, stride: 2, padding: valid, "
            "inputs: [input]}\n"
            "  - {type: conv, out_channels: 2, kernel_size: 1, stride: 3, padding: same, "
            "inputs: [input]}\n"));
  CHECK(same.layers[0].output.size[0] == 4);
  CHECK(pad_of(same, 0) == std::array<std::int64_t, 2>{1, 2});
  CHECK(same.layers[1].output.size[0] == 4);
  CHECK(pad_of(same, 1) == std::array<std::int64_t, 2>{2, 1});
  CHECK(same.layers[2].output.size[0] == 2);
  CHECK(pad_of(same, 2) == std::array<std::int64_t, 2>{0, 0});
  // total = max((3 - 1) * 3 + 1 - 7, 0) = 0
  CHECK(same.layers[3].output.size[0] == 3);
  CHECK(pad_of(same, 3) == std::array<std::int64_t, 2>{0, 0});
}

TEST_CASE("conv parameters and groups", "[engine]") {
  const Report r = analyze_yaml(
      "input: {size: [8, 8], channels: 4}\nlayers:\n"
      "  - {type: conv, out_channels: 6, kernel_size: [3, 5], groups: 2}\n"
      "  - {type: conv, out_channels: 6, kernel_size: 1, groups: 6, bias: false}\n"
      "  - {type: conv, out_channels: 8, kernel_size: 3, padding: 1}\n");
  CHECK(r.layers[0].params == 6 * (4 / 2) * 15 + 6);
  CHECK(r.layers[1].params == 6 * 1 * 1);
  CHECK(r.layers[2].params == 8 * 6 * 9 + 8);
  CHECK(r.total_params == 186 + 6 + 440);
  CHECK(r.layers[0].output.size == PerAxis<std::int64_t>{6, 4});
  CHECK(r.layers[2].output.channels == 8);

  CHECK(model_error(net1d(8, "  - {type: conv, out_channels: 4, kernel_size: 1, groups: 3}\n")) ==
        "t.yaml:4:59: layer 'conv1': groups 3 does not divide the input channels 4");
  CHECK(model_error(net1d(8, "  - {type: conv, out_channels: 3, kernel_size: 1, groups: 2}\n")) ==
        "t.yaml:4:59: layer 'conv1': groups 2 does not divide out_channels 3");
  CHECK(model_error(
            net1d(8, "  - {type: conv, out_channels: 3, kernel_size: 1, in_channels: 3}\n")) ==
        "t.yaml:4:64: layer 'conv1': declares 3 input channels, but its input 'input' has 4");
}

TEST_CASE("pool: ceil_mode with PyTorch's clip rule", "[engine]") {
  const char* k2s2p1 =
      "  - {type: maxpool, kernel_size: 2, stride: 2, padding: 1, ceil_mode: true}\n";
  // 6: floor((6 + 2 - 2 + 1) / 2) + 1 = 4; the last window starts at 6 - 1 = 5 < 6 + 1: kept.
  CHECK(out_len(net1d(6, k2s2p1)) == 4);
  // 5: floor(6 / 2) + 1 = 4, but (4 - 1) * 2 = 6 >= 5 + 1: clipped to 3.
  CHECK(out_len(net1d(5, k2s2p1)) == 3);
  // Floor mode for comparison.
  CHECK(out_len(net1d(5, "  - {type: maxpool, kernel_size: 2, stride: 2, padding: 1}\n")) == 3);
  CHECK(out_len(net1d(10, "  - {type: avgpool, kernel_size: 3, stride: 2}\n")) == 4);
  CHECK(out_len(net1d(10, "  - {type: avgpool, kernel_size: 3, stride: 2, ceil_mode: true}\n")) ==
        5);
  // Stride defaults to the kernel size.
  CHECK(out_len(net1d(10, "  - {type: maxpool, kernel_size: 3}\n")) == 3);
}

TEST_CASE("caffe pools round up and clip only with padding", "[engine]") {
  const char* k1s3 = "  - {type: maxpool, kernel_size: 1, stride: 3}\n";
  const Report caffe = analyze_yaml(net1d(5, k1s3, "caffe"));
  CHECK(caffe.layers[0].output.size[0] == 3);
  CHECK(texts(caffe.layers[0].warnings) ==
        std::vector<std::string>{"the last window on axis l starts at 6, past the input's 5 "
                                 "positions: it reads only padding"});
  CHECK(out_len(net1d(5, "  - {type: maxpool, kernel_size: 1, stride: 3, ceil_mode: true}\n")) ==
        2);
  CHECK(out_len(net1d(5, k1s3, "keras")) == 2);
  // With padding Caffe clips as PyTorch does: 5 + 2 with k2 s2 gives 3, not 4.
  CHECK(out_len(net1d(5, "  - {type: maxpool, kernel_size: 2, stride: 2, padding: 1}\n",
                      "caffe")) == 3);
  // An explicit ceil_mode: false wins over the convention.
  CHECK(out_len(net1d(5, "  - {type: maxpool, kernel_size: 1, stride: 3, ceil_mode: false}\n",
                      "caffe")) == 2);
}

TEST_CASE("a 13-wide window on 9 + 2 padding gives 1 in ceil mode", "[engine]") {
  const Report r =
      analyze_yaml(net1d(9, "  - {type: maxpool, kernel_size: 13, padding: 1, ceil_mode: true}\n"));
  CHECK(r.layers[0].output.size[0] == 1);
  CHECK(out_len(net1d(9,
                      "  - {type: maxpool, kernel_size: 13, stride: 3, padding: 1, "
                      "ceil_mode: true}\n")) == 1);
  CHECK(model_error(net1d(9, "  - {type: maxpool, kernel_size: 13, padding: 1}\n")) ==
        "t.yaml:4:5: layer 'maxpool1': kernel 13 (dilated) is larger than the padded input 11 (9 + "
        "1 + 1) on axis l; the net's input must be at least 11 on axis l");
}

TEST_CASE("pytorch rejects pool padding above half the raw kernel", "[engine]") {
  CHECK(model_error(net1d(8, "  - {type: maxpool, kernel_size: 3, stride: 2, padding: 2}\n")) ==
        "t.yaml:4:57: layer 'maxpool1': padding 2 is more than half the kernel size 3 on axis l "
        "(PyTorch rejects this)");
  // The raw kernel counts, not the dilated one (2 x 3 dilation is 4 wide).
  CHECK(model_error(net1d(8, "  - {type: maxpool, kernel_size: 2, dilation: 3, padding: 2}\n")) ==
        "t.yaml:4:59: layer 'maxpool1': padding 2 is more than half the kernel size 2 on axis l "
        "(PyTorch rejects this)");
  CHECK(out_len(net1d(8, "  - {type: maxpool, kernel_size: 2, dilation: 3, padding: 1}\n")) == 4);
  // Other conventions allow it.
  CHECK(out_len(net1d(8, "  - {type: maxpool, kernel_size: 3, stride: 2, padding: 2}\n",
                      "keras")) == 5);
}

TEST_CASE("conv_transpose sizes and parameters", "[engine]") {
  const Report r = analyze_yaml(
      net1d(7,
            "  - {type: conv_transpose, out_channels: 2, kernel_size: 3, stride: 2, padding: 1, "
            "output_padding: 1}\n"
            "  - {type: conv_transpose, out_channels: 2, kernel_size: 4, stride: 2, padding: 1, "
            "groups: 2, bias: false}\n"
            "  - {type: conv_transpose, out_channels: 2, kernel_size: 3, dilation: 2, "
            "output_padding: 1, inputs: [input]}\n"));
  CHECK(r.layers[0].output.size[0] == 14);  // (7 - 1) * 2 - 2 + 3 + 1
  CHECK(r.layers[0].params == 4 * 2 * 3 + 2);
  CHECK(r.layers[1].output.size[0] == 28);  // 13 * 2 - 2 + 4
  CHECK(r.layers[1].params == 2 * 1 * 4);
  CHECK(r.layers[2].output.size[0] == 12);  // 6 - 0 + 5 + 1; output_padding < dilation
  CHECK(model_error(net1d(7,
                          "  - {type: conv_transpose, out_channels: 2, kernel_size: 3, "
                          "stride: 2, output_padding: 2}\n")) ==
        "t.yaml:4:88: layer 'conv_transpose1': output_padding 2 must be smaller than either "
        "stride 2 or dilation 1 on axis l");
}

TEST_CASE("conv_transpose under keras: same gives n * s, valid n * s + max(ke - s, 0)",
          "[engine]") {
  const Report r = analyze_yaml(
      net1d(7,
            "  - {type: Conv1DTranspose, filters: 2, kernel_size: 3, strides: 2, padding: same}\n"
            "  - {type: Conv1DTranspose, filters: 2, kernel_size: 3, strides: 2, padding: valid, "
            "inputs: [input]}\n"
            "  - {type: Conv1DTranspose, filters: 2, kernel_size: 1, strides: 3, padding: valid, "
            "inputs: [input]}\n",
            "keras"));
  CHECK(r.layers[0].output.size[0] == 14);
  CHECK(r.layers[1].output.size[0] == 15);
  CHECK(r.layers[2].output.size[0] == 21);
  CHECK(model_error(net1d(7,
                          "  - {type: conv_transpose, out_channels: 2, kernel_size: 3, "
                          "padding: same, output_padding: 1}\n",
                          "keras")) ==
        "t.yaml:4:92: layer 'conv_transpose1': output_padding needs explicit padding, not 'same' "
        "or 'valid'");
}

TEST_CASE("keras conv_transpose without padding defaults to 'valid'", "[engine]") {
  // Spec §1: conv's padding defaults to `valid` under keras and conv_transpose
  // is "as conv"; §2: keras `valid` gives n * s + max(ke - s, 0) = 7 * 3 + 0
  // = 21, where PyTorch's padding-0 formula (n - 1) * s + ke would give 19.
  CHECK(out_len(net1d(7, "  - {type: Conv1DTranspose, filters: 2, kernel_size: 1, strides: 3}\n",
                      "keras")) == 21);
}

TEST_CASE("adaptive pools, upsample, pad", "[engine]") {
  const Report r = analyze_yaml(
      "input: {size: [5, 3], channels: 2}\nlayers:\n"
      "  - {type: upsample, scale_factor: 1.5}\n"
      "  - {type: upsample, scale_factor: [2, 0.5], mode: bilinear}\n"
      "  - {type: pad, padding: [[1, 2], 3]}\n"
      "  - {type: adaptive_avgpool, output_size: [1, 4]}\n"
      "  - {type: adaptive_maxpool, output_size: 6}\n");
  CHECK(r.layers[0].output.size == PerAxis<std::int64_t>{7, 4});  // floor(7.5), floor(4.5)
  CHECK(r.layers[1].output.size == PerAxis<std::int64_t>{14, 2});
  CHECK(r.layers[2].output.size == PerAxis<std::int64_t>{17, 8});
  CHECK(r.layers[3].output.size == PerAxis<std::int64_t>{1, 4});
  CHECK(r.layers[4].output.size == PerAxis<std::int64_t>{6, 6});
  for (const LayerReport& lr : r.layers) {
    CHECK(lr.output.channels == 2);
    CHECK(lr.params == 0);
  }
  CHECK(model_error(net1d(5, "  - {type: upsample, scale_factor: 0.1}\n")) ==
        "t.yaml:4:5: layer 'upsample1': output size would be 0 on axis l (5 x 0.1)");
  CHECK(model_error(net1d(5, "  - {type: pad, padding: same}\n")) ==
        "t.yaml:4:26: layer 'pad1': pad needs explicit padding (an int, a list or [before, "
        "after] pairs), not 'same' or 'valid'");
}

TEST_CASE("linear, flatten, batchnorm: channels and parameters", "[engine]") {
  const Report r = analyze_yaml(
      "input: {size: [4, 4], channels: 3}\nlayers:\n"
      "  - {type: batchnorm}\n"
      "  - {type: batchnorm, affine: false}\n"
      "  - {type: flatten}\n"
      "  - {type: linear, out_features: 10}\n"
      "  - {type: linear, out_features: 5, bias: false}\n"
      "  - {type: BatchNorm1d}\n"
      "  - {type: linear, out_features: 7, inputs: [input]}\n");
  CHECK(r.layers[0].params == 6);
  CHECK(r.layers[1].params == 0);
  CHECK(r.layers[2].output.layout == Layout::Flat);
  CHECK(r.layers[2].output.channels == 48);
  CHECK(r.layers[3].output.channels == 10);
  CHECK(r.layers[3].params == 48 * 10 + 10);
  CHECK(r.layers[4].params == 50);
  CHECK(r.layers[5].params == 10);
  // linear flattens a spatial input itself
  CHECK(r.layers[6].params == 48 * 7 + 7);
  CHECK(r.total_params == 6 + 490 + 50 + 10 + 343);
  CHECK(model_error("input: {size: [4, 4]}\nlayers:\n  - {type: linear, out_features: 3}\n"
                    "  - {type: conv, kernel_size: 1, out_channels: 2}\n") ==
        "t.yaml:4:5: layer 'conv2': conv needs a spatial input, but 'linear1' is flat (3 "
        "features)");
}

TEST_CASE("merges: element-wise layers broadcast, concat adds channels", "[engine]") {
  const Report r = analyze_yaml(
      "input: {size: 16, channels: 3}\nlayers:\n"
      "  - {name: a, type: conv, kernel_size: 3, padding: 1, out_channels: 4}\n"
      "  - {name: b, type: conv, kernel_size: 1, out_channels: 4, inputs: [input]}\n"
      "  - {name: s, type: add, inputs: [a, b]}\n"
      "  - {name: c, type: concat, inputs: [a, b, input]}\n"
      "  - {name: m, type: mul, inputs: [s, a]}\n");
  CHECK(r.layers[2].output.size == PerAxis<std::int64_t>{16, 16});
  CHECK(r.layers[2].output.channels == 4);
  CHECK(r.layers[3].output.channels == 11);
  CHECK(r.layers[2].inputs == std::vector<std::size_t>{1, 2});
  CHECK(r.layers[3].inputs == std::vector<std::size_t>{1, 2, 0});

  const std::string head =
      "input: {size: 16, channels: 3}\nlayers:\n"
      "  - {name: a, type: conv, kernel_size: 3, padding: 1, out_channels: 4}\n"
      "  - {name: d, type: conv, kernel_size: 2, stride: 2, out_channels: 4, "
      "inputs: [input]}\n";
  CHECK(model_error(head + "  - {name: f, type: add, inputs: [d, a]}\n") ==
        "t.yaml:5:34: layer 'f': add cannot broadcast 'd' (4x8x8) with 'a' (4x16x16): each axis "
        "must agree or be 1");
  CHECK(model_error(head + "  - {name: f, type: add, inputs: [a, input]}\n") ==
        "t.yaml:5:34: layer 'f': add cannot broadcast 'a' (4x16x16) with 'input' (3x16x16): each "
        "axis must agree or be 1");
  CHECK(model_error(head + "  - {name: f, type: concat, inputs: [a, d]}\n") ==
        "t.yaml:5:37: layer 'f': concat needs inputs of the same spatial shape: 'a' is 4x16x16, "
        "'d' is 4x8x8");
  CHECK(model_error(head + "  - {name: f, type: add, inputs: [a]}\n") ==
        "t.yaml:5:34: layer 'f': add needs at least two inputs");
  CHECK(model_error(head + "  - {name: f, type: relu, inputs: [a, d]}\n") ==
        "t.yaml:5:35: layer 'f': relu takes one input, got 2");
  CHECK(model_error(head + "  - {name: f, type: relu, inputs: [aa]}\n") ==
        "t.yaml:5:36: layer 'f': unknown input 'aa' (did you mean 'a'?)");
  CHECK(
      model_error(head + "  - {name: f, type: add, inputs: [a, g]}\n  - {name: g, type: relu}\n") ==
      "t.yaml:5:38: layer 'f': input 'g' is defined later (layer 4); inputs must name earlier "
      "layers");
}

TEST_CASE("a layer naming itself as input is told so, not called unknown", "[engine]") {
  // The layer's own name is neither unknown nor defined later: the message
  // says it is the layer itself, rather than "unknown input" with a
  // suggestion pointing at another layer.
  CHECK(model_error("input: {size: 16, channels: 3}\nlayers:\n"
                    "  - {name: conv_a, type: conv, kernel_size: 3, out_channels: 4}\n"
                    "  - {name: conv_b, type: relu, inputs: [conv_b]}\n") ==
        "t.yaml:4:41: layer 'conv_b': input 'conv_b' is the layer itself; inputs must name "
        "earlier layers");
}

TEST_CASE("no input size says how to give one", "[engine]") {
  CHECK(model_error("layers:\n  - {type: relu}\n") ==
        "t.yaml: input: no input size: add `input: {size: [224, 224], channels: 3}` to the spec "
        "or pass --input 224");
}

TEST_CASE("64-bit overflow is an error naming the layer", "[engine]") {
  // 70 stride-2 convs on 2^62: the jump reaches 2^63 at the 63rd.
  std::string chain = "input: {size: [4611686018427387904], channels: 1}\nlayers:\n";
  for (int i = 1; i <= 70; ++i) {
    chain += "  - {name: c" + std::to_string(i) +
             ", type: conv, kernel_size: 1, stride: 2, out_channels: 1}\n";
  }
  CHECK(model_error(chain) ==
        "t.yaml:65:5: layer 'c63': receptive-field arithmetic overflows 64 bits");

  CHECK(model_error("input: {size: [9223372036854775807], channels: 1}\nlayers:\n"
                    "  - {type: conv, kernel_size: 3, padding: 1, out_channels: 1}\n") ==
        "t.yaml:3:5: layer 'conv1': arithmetic overflows 64 bits");
  CHECK(model_error("input: {size: [1], channels: 1099511627776}\nlayers:\n"
                    "  - {type: conv, kernel_size: 1, out_channels: 1099511627776}\n") ==
        "t.yaml:3:5: layer 'conv1': arithmetic overflows 64 bits");
  // Each linear has 2^62 + 2^31 parameters; their sum does not fit.
  CHECK(model_error("input: {size: [1], channels: 2147483648}\nlayers:\n"
                    "  - {type: linear, out_features: 2147483648}\n"
                    "  - {type: linear, out_features: 2147483648}\n") ==
        "t.yaml:4:5: layer 'linear2': the parameter total overflows 64 bits");
}

TEST_CASE("ceil-mode rounding near INT64_MAX is an overflow error, not a wrapped size",
          "[engine]") {
  // n = s = 9e18, k = 1, ceil: floor((n - 1 + s - 1) / s) + 1 = 2, clipped to 1.
  // The intermediate n - 1 + s - 1 = 1.8e19 does not fit in 64 bits, and the
  // checked sum reports the layer rather than wrapping to a bogus size (it
  // once gave "output size would be 0"). The answer itself, 1, fits: an
  // overflow-free ceil division would give it; until then this pins the error.
  CHECK(model_error("input: {size: [9000000000000000000], channels: 1}\nlayers:\n"
                    "  - {type: maxpool, kernel_size: 1, stride: 9000000000000000000, "
                    "ceil_mode: true}\n") ==
        "t.yaml:3:5: layer 'maxpool1': arithmetic overflows 64 bits");
}
