// The layers of CNNs beyond conv and pool (EfficientNet, MobileNetV3,
// ConvNeXt, ShuffleNet): broadcasting element-wise layers and the
// global-context rule, norms, activations, reductions, channel and layout
// operations, resizing to a size, net outputs. Shapes and parameter counts
// were checked against Debian's torch 1.13 (the numbers in comments).
#include <catch2/catch.hpp>

#include "engine/regions.h"
#include "helpers.h"

using namespace netlens;
using namespace netlens::test;

namespace {

std::string model_error(const std::string& text) {
  return error_of([&] { analyze_yaml(text); });
}

// A 2-D net with `channels` input channels of size n x n (layers from line 3).
std::string net2d(std::int64_t n, std::int64_t channels, const std::string& layers) {
  return "input: {size: " + std::to_string(n) + ", channels: " + std::to_string(channels) +
         "}\nlayers:\n" + layers;
}

const LayerReport& layer_named(const Report& r, const std::string& name) {
  for (const LayerReport& lr : r.layers) {
    if (r.layer(lr.index - 1).name == name) {
      return lr;
    }
  }
  FAIL("no layer " << name);
  return r.layers[0];
}

const char* const kSqueezeExcitation =
    "  - {name: expand, type: conv, out_channels: 144, kernel_size: 1, bias: false}\n"
    "  - {name: bn1, type: batchnorm}\n"
    "  - {name: act1, type: silu}\n"
    "  - {name: dw, type: conv, out_channels: 144, kernel_size: 3, padding: 1, groups: 144, "
    "bias: false}\n"
    "  - {name: dw_act, type: silu}\n"
    "  - {name: se_pool, type: adaptive_avgpool, output_size: 1}\n"
    "  - {name: se_fc1, type: conv, out_channels: 6, kernel_size: 1}\n"
    "  - {name: se_act, type: silu}\n"
    "  - {name: se_fc2, type: conv, out_channels: 144, kernel_size: 1}\n"
    "  - {name: se_gate, type: sigmoid}\n"
    "  - {name: scaled, type: mul, inputs: [dw_act, se_gate]}\n"
    "  - {name: project, type: conv, out_channels: 24, kernel_size: 3, padding: 1, bias: false}\n"
    "  - {name: drop, type: stochastic_depth, p: 0.1, mode: row}\n"
    "  - {name: out, type: add, inputs: [drop, input]}\n";

}  // namespace

TEST_CASE("squeeze-and-excitation: the gate broadcasts and the rf is the local path's",
          "[engine][layers]") {
  const Report r = analyze_yaml(net2d(56, 24, kSqueezeExcitation));
  const LayerReport& scaled = layer_named(r, "scaled");
  CHECK(scaled.output.size == PerAxis<std::int64_t>{56, 56});
  CHECK(scaled.output.channels == 144);
  CHECK(scaled.global_context);
  CHECK_FALSE(scaled.global_rf);
  CHECK(*scaled.rf[0].rf == 3);
  CHECK(*scaled.rf[0].jump == Ratio::of(1));
  CHECK(*scaled.rf[0].padding_eff == Ratio::of(1));
  CHECK_FALSE(layer_named(r, "dw_act").global_context);
  CHECK(layer_named(r, "se_gate").global_rf);
  // Every later layer is modulated too; its rf grows along the local path.
  CHECK(layer_named(r, "out").global_context);
  CHECK(*layer_named(r, "out").rf[1].rf == 5);
  CHECK(r.warnings.empty());
  // torch: 3456 + 288 + 1296 + 870 + 1008 + 31104 = 38022 (bn1 has no twin after dw here)
  CHECK(r.total_params == 3456 + 288 + 1296 + 870 + 1008 + 31104);
  CHECK(r.totals.other_ops > 0);
}

TEST_CASE("global context: exact regions follow the local path", "[engine][layers]") {
  Report r = analyze_yaml(net2d(12, 24, kSqueezeExcitation));
  const NetRegions regions = compute_regions(r, true);
  const std::size_t out = layer_named(r, "out").index;
  REQUIRE(regions.layers[out].has_value());
  // Unit 5 of `out`: the 3x3 project over the 3x3 depthwise conv: 5 +- 2.
  CHECK((*regions.layers[out])[0].actual_at(5).lo == 3);
  CHECK((*regions.layers[out])[0].actual_at(5).hi == 7);
  CHECK((*regions.layers[out])[0].actual_at(0).lo == 0);
  CHECK((*regions.layers[out])[0].actual_at(0).hi == 2);
}

TEST_CASE("element-wise layers broadcast as PyTorch does, and say why when they cannot",
          "[engine][layers]") {
  const std::string head =
      "input: {size: 8, channels: 4}\nlayers:\n"
      "  - {name: g, type: global_avgpool}\n"
      "  - {name: c, type: conv, out_channels: 2, kernel_size: 1, inputs: [g]}\n";
  for (const char* type : {"add", "sub", "mul", "div", "max", "min"}) {
    const Report r = analyze_yaml(head + "  - {name: m, type: " + type + ", inputs: [g, input]}\n");
    CHECK(r.layers[2].output.channels == 4);
    CHECK(r.layers[2].output.size == PerAxis<std::int64_t>{8, 8});
    CHECK(r.layers[2].global_context);
    CHECK(*r.layers[2].rf[0].rf == 1);
  }
  CHECK(model_error(head + "  - {name: m, type: mul, inputs: [input, c]}\n") ==
        "t.yaml:5:34: layer 'm': mul cannot broadcast 'input' (4x8x8) with 'c' (2x1x1): each "
        "axis must agree or be 1");
  CHECK(model_error(head + "  - {name: f, type: flatten, inputs: [g]}\n"
                           "  - {name: m, type: add, inputs: [f, input]}\n") ==
        "t.yaml:6:34: layer 'm': add cannot broadcast 'f' (4) with 'input' (4x8x8): each axis "
        "must agree or be 1");
  CHECK(model_error(head + "  - {name: m, type: add, inputs: [g]}\n") ==
        "t.yaml:5:34: layer 'm': add needs at least two inputs");
}

TEST_CASE("concat of one input is the identity (DenseNet's torch.cat([x], 1))",
          "[engine][layers]") {
  const Report r = analyze_yaml(net2d(8, 5, "  - {name: c, type: concat, inputs: [input]}\n"));
  CHECK(r.layers[0].output.channels == 5);
  CHECK(*r.layers[0].rf[0].rf == 1);
}

TEST_CASE("norms count params and buffers as PyTorch does", "[engine][layers]") {
  const auto params_buffers = [](const std::string& layer) {
    const Report r = analyze_yaml(net2d(8, 16, "  - " + layer + "\n"));
    return std::pair{r.totals.params, r.totals.buffers};
  };
  // torch: LayerNorm(16) 32/0; GroupNorm(4, 16) 32/0; InstanceNorm2d(16) 0/0,
  // affine + track_running_stats 32/33; BatchNorm2d(track_running_stats=False) 32/0.
  CHECK(params_buffers("{type: layernorm}") == std::pair<std::int64_t, std::int64_t>{32, 0});
  CHECK(params_buffers("{type: layernorm, bias: false}") ==
        std::pair<std::int64_t, std::int64_t>{16, 0});
  CHECK(params_buffers("{type: LayerNorm2d, elementwise_affine: false}") ==
        std::pair<std::int64_t, std::int64_t>{0, 0});
  CHECK(params_buffers("{type: GroupNorm, num_groups: 4, num_channels: 16}") ==
        std::pair<std::int64_t, std::int64_t>{32, 0});
  CHECK(params_buffers("{type: InstanceNorm2d}") == std::pair<std::int64_t, std::int64_t>{0, 0});
  CHECK(params_buffers("{type: InstanceNorm2d, affine: true, track_running_stats: true}") ==
        std::pair<std::int64_t, std::int64_t>{32, 33});
  CHECK(params_buffers("{type: BatchNorm2d, track_running_stats: false}") ==
        std::pair<std::int64_t, std::int64_t>{32, 0});
  CHECK(model_error(net2d(8, 16, "  - {name: g, type: groupnorm, num_groups: 5}\n")) ==
        "t.yaml:3:44: layer 'g': num_groups 5 does not divide the 16 channels of 'input'");
  // Over the last axis (w) of (N, C, H, W): torch's shape; as every norm's,
  // its statistics leave the receptive field as it was (docs/semantics.md).
  CHECK(last_layer_whole(net2d(8, 16, "  - {name: n, type: layernorm, normalized_shape: [8]}\n")) ==
        "16x8x8");
  CHECK(params_buffers("{type: layernorm, normalized_shape: [8, 8]}") ==
        std::pair<std::int64_t, std::int64_t>{128, 0});
  CHECK(model_error(net2d(8, 16, "  - {name: n, type: layernorm, normalized_shape: [9]}\n")) ==
        "t.yaml:3:50: layer 'n': normalized_shape [9] is not the last dims of 'input' ([1, 16, 8, "
        "8])");
  CHECK(params_buffers("{type: layernorm, normalized_shape: [16, 8, 8]}") ==
        std::pair<std::int64_t, std::int64_t>{2048, 0});
}

TEST_CASE("activations and identities keep the shape, and prelu has its params",
          "[engine][layers]") {
  for (const char* type : {"gelu",        "silu",          "hardswish",
                           "hardsigmoid", "sigmoid",       "tanh",
                           "softmax",     "log_softmax",   "leaky_relu",
                           "elu",         "selu",          "celu",
                           "mish",        "relu6",         "clamp",
                           "softplus",    "hardtanh",      "dropout",
                           "Dropout2d",   "alpha_dropout", "stochastic_depth",
                           "drop_path",   "identity"}) {
    const Report r = analyze_yaml(net2d(8, 3, std::string("  - {type: ") + type + "}\n"));
    CHECK(r.layers[0].output.channels == 3);
    CHECK(r.layers[0].params == 0);
  }
  CHECK(analyze_yaml(net2d(8, 3, "  - {type: gelu, approximate: tanh}\n")).layers[0].params == 0);
  CHECK(analyze_yaml(net2d(8, 3, "  - {type: prelu}\n")).total_params == 1);
  CHECK(analyze_yaml(net2d(8, 3, "  - {type: PReLU, num_parameters: 3}\n")).total_params == 3);
  CHECK(model_error(net2d(8, 3, "  - {name: p, type: prelu, num_parameters: 2}\n")) ==
        "t.yaml:3:5: layer 'p': prelu has 2 parameters; it needs 1 or one per channel (3)");
  CHECK(analyze_yaml(net2d(8, 3, "  - {type: scale}\n")).total_params == 3);
  CHECK(analyze_yaml(net2d(8, 3, "  - {type: scale, value: 0.5}\n")).total_params == 0);
}

TEST_CASE("reductions: mean/sum/amax over dims, with or without keepdim", "[engine][layers]") {
  const Report flat = analyze_yaml(net2d(5, 8, "  - {type: mean, dims: [2, 3]}\n"));
  CHECK(flat.layers[0].output.layout == Layout::Flat);  // torch: [1, 8]
  CHECK(flat.layers[0].output.channels == 8);
  CHECK(flat.layers[0].global_rf);
  const Report kept = analyze_yaml(net2d(5, 8, "  - {type: sum, dim: [-2, -1], keepdim: true}\n"));
  CHECK(kept.layers[0].output.size == PerAxis<std::int64_t>{1, 1});  // torch: [1, 8, 1, 1]
  CHECK(kept.layers[0].global_rf);
  const Report channels = analyze_yaml(net2d(5, 8, "  - {type: amax, dims: 1, keepdim: true}\n"));
  CHECK(channels.layers[0].output.channels == 1);  // torch: [1, 1, 5, 5]
  CHECK(channels.layers[0].output.size == PerAxis<std::int64_t>{5, 5});
  CHECK(*channels.layers[0].rf[0].rf == 1);
  const Report one_axis = analyze_yaml(net2d(5, 8, "  - {type: mean, dims: 3, keepdim: true}\n"));
  CHECK(one_axis.layers[0].output.size == PerAxis<std::int64_t>{5, 1});
  CHECK(*one_axis.layers[0].rf[0].rf == 1);
  CHECK(one_axis.layers[0].rf[1].global);
  // Without keepdim over some spatial axes: the whole tensor, as torch.mean
  // gives it, and the other axes' regions are not followed. Over the batch,
  // every position keeps its region.
  CHECK(last_layer_whole(net2d(5, 8, "  - {name: m, type: mean, dims: [3]}\n")) ==
        "[1, 8, 5] rf ? roles-lost");
  CHECK(last_layer_whole(net2d(5, 8, "  - {name: m, type: mean, dims: [3, -1]}\n")) ==
        "[1, 8, 5] rf ? roles-lost");
  CHECK(last_layer_whole(net2d(5, 8, "  - {name: m, type: mean, dims: [0]}\n")) == "[8, 5, 5]");
  CHECK(*analyze_yaml(net2d(5, 8, "  - {type: mean, dims: [0]}\n")).layers[0].rf[1].rf == 1);
  CHECK(last_layer_whole(net2d(5, 8, "  - {name: m, type: sum, dims: [0, 2], keepdim: true}\n")) ==
        "[1, 8, 1, 5] rf ? roles-lost");
  CHECK(model_error(net2d(4, 10, "  - {name: p, type: split, chunks: 2000000}\n")) ==
        "t.yaml:3:5: layers[0]: more than 100000 layers (raise the limit with --max-layers)");
  CHECK(model_error(net2d(5, 8, "  - {name: m, type: mean, dims: [4]}\n")) ==
        "t.yaml:3:33: layer 'm': dims 4 is out of range for a 4-D tensor (batch first)");
}

TEST_CASE("split and slice: torch.chunk, torch.split and x[:, :, a:b:s]", "[engine][layers]") {
  const Report r = analyze_yaml(net2d(28, 116,
                                      "  - {name: parts, type: split, chunks: 2}\n"
                                      "  - {name: b, type: relu, inputs: [parts.1]}\n"
                                      "  - {name: cat, type: concat, inputs: [parts.0, b]}\n"
                                      "  - {name: shuffle, type: channel_shuffle, groups: 2}\n"));
  REQUIRE(r.layers.size() == 5);
  CHECK(r.layer(0).name == "parts.0");
  CHECK(r.layers[0].output.channels == 58);  // torch: [58, 58]
  CHECK(r.layers[1].output.channels == 58);
  CHECK(r.layers[4].output.channels == 116);
  CHECK(r.warnings.empty());
  const Report uneven = analyze_yaml(net2d(4, 10,
                                           "  - {name: p, type: chunk, chunks: 4}\n"
                                           "  - {type: concat, inputs: [p.0, p.1, p.2, p.3]}\n"));
  // torch: chunk(4) of 10 channels is [3, 3, 3, 1]
  CHECK(uneven.layers[2].output.channels == 3);
  CHECK(uneven.layers[3].output.channels == 1);
  const Report sizes = analyze_yaml(net2d(4, 10,
                                          "  - {name: p, type: split, sizes: [3, 7]}\n"
                                          "  - {type: concat, inputs: [p.1, p.0]}\n"));
  CHECK(sizes.layers[1].output.channels == 7);
  CHECK(model_error(net2d(4, 10, "  - {name: p, type: split, sizes: [3, 6]}\n")) ==
        "t.yaml:3:35: layer 'p.0': split sizes add up to 9, but 'input' has 10 on that dim");
  CHECK(model_error(net2d(4, 10, "  - {name: p, type: split}\n")) ==
        "t.yaml:3:5: layers[0]: split needs 'chunks' (a count) or 'sizes' (a list)");
  CHECK(model_error(net2d(4, 10, "  - {name: s, type: channel_shuffle, groups: 3}\n")) ==
        "t.yaml:3:46: layer 's': groups 3 does not divide the 10 channels of 'input'");

  // x[:, :, 1:-1:2] on 16: rows 1, 3, ..., 13 (torch: 7); unit 0 reads row 1.
  const Report rows =
      analyze_yaml(net2d(16, 4, "  - {type: slice, dim: 2, start: 1, stop: -1, step: 2}\n"));
  CHECK(rows.layers[0].output.size == PerAxis<std::int64_t>{7, 16});
  CHECK(*rows.layers[0].rf[0].jump == Ratio::of(2));
  CHECK(*rows.layers[0].rf[0].padding_eff == Ratio::of(-1));
  CHECK(*rows.layers[0].rf[1].jump == Ratio::of(1));
  CHECK(model_error(net2d(16, 4, "  - {name: s, type: slice, dim: 1, start: 4}\n")) ==
        "t.yaml:3:5: layer 's': the slice [4:4] of 'input' is empty");
}

TEST_CASE("pixel_shuffle and pixel_unshuffle move pixels to channels and back",
          "[engine][layers]") {
  // torch: pixel_shuffle(2) of [1, 16, 8, 8] is [1, 4, 16, 16]; unshuffle [1, 64, 4, 4].
  const Report up = analyze_yaml(net2d(8, 16, "  - {type: pixel_shuffle, upscale_factor: 2}\n"));
  CHECK(up.layers[0].output.channels == 4);
  CHECK(up.layers[0].output.size == PerAxis<std::int64_t>{16, 16});
  CHECK(*up.layers[0].rf[0].jump == *Ratio::make(1, 2));
  const Report down =
      analyze_yaml(net2d(8, 16, "  - {type: PixelUnshuffle, downscale_factor: 2}\n"));
  CHECK(down.layers[0].output.channels == 64);
  CHECK(down.layers[0].output.size == PerAxis<std::int64_t>{4, 4});
  CHECK(*down.layers[0].rf[0].rf == 2);
  CHECK(*down.layers[0].rf[0].jump == Ratio::of(2));
  CHECK(model_error(net2d(8, 6, "  - {name: p, type: pixel_shuffle, upscale_factor: 2}\n")) ==
        "t.yaml:3:5: layer 'p': pixel_shuffle by 2 needs channels divisible by 4, 'input' has 6");
}

TEST_CASE("ConvNeXt's block: permute, layernorm and linear act per position", "[engine][layers]") {
  const Report r =
      analyze_yaml(net2d(56, 96,
                         "  - {name: dw, type: conv, out_channels: 96, kernel_size: 7, "
                         "padding: 3, groups: 96}\n"
                         "  - {name: nhwc, type: permute, dims: [0, 2, 3, 1]}\n"
                         "  - {name: norm, type: layernorm, normalized_shape: [96]}\n"
                         "  - {name: pw1, type: linear, out_features: 384}\n"
                         "  - {name: act, type: gelu}\n"
                         "  - {name: pw2, type: linear, out_features: 96}\n"
                         "  - {name: ls, type: scale}\n"
                         "  - {name: nchw, type: permute, dims: [0, 3, 1, 2]}\n"
                         "  - {name: sd, type: stochastic_depth, p: 0.1}\n"
                         "  - {name: out, type: add, inputs: [sd, input]}\n"));
  const LayerReport& pw1 = layer_named(r, "pw1");
  CHECK(pw1.output.size == PerAxis<std::int64_t>{56, 56});
  CHECK(pw1.output.channels == 384);
  CHECK(pw1.output.channels_last());
  CHECK(tensor_shape(pw1.output, 1) == std::vector<std::int64_t>{1, 56, 56, 384});
  // torch: Linear(96, 384) + Linear(384, 96) = 74,208 params, 56 * 56 * 2 * 96 * 384 MACs
  CHECK(pw1.params + layer_named(r, "pw2").params == 74208);
  CHECK(pw1.cost.macs + layer_named(r, "pw2").cost.macs == 231211008);
  CHECK(layer_named(r, "ls").params == 96);
  CHECK(layer_named(r, "norm").params == 192);
  CHECK_FALSE(layer_named(r, "nchw").output.channels_last());
  CHECK(*layer_named(r, "out").rf[0].rf == 7);
  CHECK(r.warnings.empty());
  // Spatial axes swapped: torch.permute's shape, a whole tensor whose
  // positions keep their regions (a 3x3 conv, then w and h swapped).
  CHECK(last_layer_whole("input: {size: [8, 6], channels: 4}\nlayers:\n"
                         "  - {name: p, type: permute, dims: [0, 1, 3, 2]}\n") == "[1, 4, 6, 8]");
  const Report swapped = analyze_yaml(
      "input: {size: [8, 6], channels: 4}\nlayers:\n"
      "  - {type: conv, out_channels: 4, kernel_size: [3, 1]}\n"
      "  - {type: permute, dims: [0, 1, 3, 2]}\n");
  CHECK(*swapped.layers[1].rf[0].rf == 3);
  CHECK(*swapped.layers[1].rf[1].rf == 1);
  CHECK(model_error(net2d(8, 4, "  - {name: p, type: permute, dims: [0, 1, 3, 3]}\n")) ==
        "t.yaml:3:36: layer 'p': dims [0, 1, 3, 3] name dim 3 twice");
}

TEST_CASE("flatten with start_dim and end_dim", "[engine][layers]") {
  CHECK(
      analyze_yaml(net2d(4, 3, "  - {type: flatten, start_dim: 1}\n")).layers[0].output.channels ==
      48);
  CHECK(analyze_yaml(net2d(4, 3, "  - {type: flatten, start_dim: 2, end_dim: 2}\n"))
            .layers[0]
            .output.size == PerAxis<std::int64_t>{4, 4});
  CHECK(last_layer_whole(net2d(4, 3, "  - {name: f, type: flatten, start_dim: 1, end_dim: 2}\n")) ==
        "[1, 12, 4] rf ? roles-lost");
  CHECK(last_layer_whole(net2d(4, 3, "  - {name: f, type: flatten, start_dim: 0}\n")) ==
        "[48] rf ? roles-lost");
}

TEST_CASE("upsample to a size, to another layer's size, by non-integer factors",
          "[engine][layers]") {
  // An FPN at 800x1333: the top-down path must take the lateral's size.
  const std::string fpn =
      "input: {size: [800, 1333], channels: 3}\nlayers:\n"
      "  - {name: c2, type: conv, out_channels: 8, kernel_size: 3, stride: 2, padding: 1}\n"
      "  - {name: c3, type: conv, out_channels: 8, kernel_size: 3, stride: 2, padding: 1}\n"
      "  - {name: c4, type: conv, out_channels: 8, kernel_size: 3, stride: 2, padding: 1}\n"
      "  - {name: c5, type: conv, out_channels: 8, kernel_size: 3, stride: 2, padding: 1}\n"
      "  - {name: top, type: upsample, inputs: [c5, c4]}\n"
      "  - {name: p4, type: add, inputs: [top, c4]}\n"
      "  - {name: p4_out, type: conv, out_channels: 8, kernel_size: 3, padding: 1}\n"
      "outputs: [p4_out, c5]\n";
  const Report r = analyze_yaml(fpn);
  CHECK(r.layers[3].output.size == PerAxis<std::int64_t>{50, 84});
  CHECK(r.layers[4].output.size == PerAxis<std::int64_t>{100, 167});
  // top's units repeat c5's unevenly (84 -> 167): rf from the exact regions.
  CHECK(*r.layers[6].rf[0].rf == 47);
  CHECK(*r.layers[6].rf[1].rf == 63);
  CHECK(model_error("input: {size: [800, 1333], channels: 3}\nlayers:\n"
                    "  - {name: c4, type: conv, out_channels: 8, kernel_size: 3, stride: 8, "
                    "padding: 1}\n"
                    "  - {name: c5, type: conv, out_channels: 8, kernel_size: 3, stride: 2, "
                    "padding: 1}\n"
                    "  - {name: top, type: upsample, scale_factor: 2}\n"
                    "  - {name: p4, type: add, inputs: [top, c4]}\n") ==
        "t.yaml:6:35: layer 'p4': add cannot broadcast 'top' (8x100x168) with 'c4' (8x100x167): "
        "each axis must agree or be 1");
  const Report sized =
      analyze_yaml(net2d(10, 1, "  - {type: upsample, size: [15, 7], mode: bicubic}\n"));
  CHECK(sized.layers[0].output.size == PerAxis<std::int64_t>{15, 7});
  // torch: interpolate(10x10, scale_factor=1.5) is 15x15; 0.3 gives 3x3.
  CHECK(analyze_yaml(net2d(10, 1, "  - {type: upsample, scale_factor: 1.5}\n"))
            .layers[0]
            .output.size == PerAxis<std::int64_t>{15, 15});
  CHECK(analyze_yaml(net2d(10, 1, "  - {type: upsample, scale_factor: 0.3}\n"))
            .layers[0]
            .output.size == PerAxis<std::int64_t>{3, 3});
  CHECK(model_error(net2d(10, 1, "  - {name: u, type: upsample}\n")) ==
        "t.yaml:3:5: layer 'u': upsample needs exactly one of 'scale_factor', 'size' or a second "
        "input to take the size of");
}

TEST_CASE("outputs: named outputs are never dead, and must exist", "[engine][layers]") {
  const std::string layers =
      "input: {size: 8, channels: 3}\nlayers:\n"
      "  - {name: a, type: conv, out_channels: 4, kernel_size: 3}\n"
      "  - {name: head1, type: conv, out_channels: 2, kernel_size: 1}\n"
      "  - {name: head2, type: conv, out_channels: 2, kernel_size: 1, inputs: [a]}\n";
  CHECK(analyze_yaml(layers).warnings.size() == 1);  // head1 is dead without outputs
  CHECK(analyze_yaml(layers + "outputs: [head1, head2]\n").warnings.empty());
  const Report one = analyze_yaml(layers + "outputs: head1\n");
  REQUIRE(one.warnings.size() == 1);
  CHECK(one.warnings[0].layer == "head2");
  CHECK(one.warnings[0].text ==
        "dead branch: no layer uses this output, and it is not one of the net's outputs");
  CHECK(model_error(layers + "outputs: [head1, haed2]\n") ==
        "t.yaml:6:18: outputs: no layer 'haed2' (did you mean 'head2'?)");
}
