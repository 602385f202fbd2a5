// The layers of vision transformers: tokens, class tokens, positional
// embeddings, attention, Swin's windows and patch merging. The expected
// numbers were measured on Debian's torch 1.13 / torchvision 0.14 (params,
// buffers; FLOPs with tools/torch_flops.py; regions by the gradient of one
// output unit in float64, tools/swin_regions.py's method) for the small nets in
// tests/data/transformers/, built from torchvision's own classes:
//   VisionTransformer(image_size=32, patch_size=8, num_layers=1, num_heads=3,
//                     hidden_dim=48, mlp_dim=96, num_classes=10)
//   SwinTransformer(patch_size=[4, 4], embed_dim=24, depths=[2, 2],
//                   num_heads=[3, 6], window_size=[4, 4], num_classes=10)
#include <catch2/catch.hpp>

#include "engine/regions.h"
#include "helpers.h"

using namespace netlens;
using namespace netlens::test;

namespace {

Report analyze_file(const std::string& name) {
  std::istringstream no_stdin;
  return analyze(load_net(source_path("tests/data/transformers/" + name), no_stdin));
}

const LayerReport& layer_named(const Report& r, const std::string& name) {
  for (const LayerReport& lr : r.layers) {
    if (r.layer(lr.index - 1).name == name) {
      return lr;
    }
  }
  FAIL("no layer " << name);
  return r.layers.front();
}

std::vector<std::int64_t> shape_of(const Report& r, const std::string& name) {
  return tensor_shape(layer_named(r, name).output, 1);
}

std::string model_error(const std::string& text) {
  return error_of([&] { analyze_yaml(text); });
}

using Dims = std::vector<std::int64_t>;

}  // namespace

TEST_CASE("a ViT: tokens keep their grid, attention makes every token global",
          "[engine][transformers]") {
  const Report r = analyze_file("vit_tiny.yaml");
  CHECK(shape_of(r, "conv_proj") == Dims{1, 48, 4, 4});
  CHECK(shape_of(r, "flat") == Dims{1, 48, 16});
  CHECK(shape_of(r, "tokens") == Dims{1, 16, 48});
  CHECK(shape_of(r, "cls") == Dims{1, 17, 48});
  CHECK(shape_of(r, "fc1") == Dims{1, 17, 96});
  CHECK(shape_of(r, "select") == Dims{1, 48});
  CHECK(shape_of(r, "head") == Dims{1, 10});
  CHECK(layer_named(r, "cls").params == 48);
  CHECK(layer_named(r, "pos").params == 17 * 48);
  CHECK(layer_named(r, "attn").params == 9408);  // in_proj 144x48 + 144, out_proj 48x48 + 48
  CHECK(r.totals.params == 29674);               // torch
  CHECK(r.totals.flops == 978048);               // torch_flops.py
  // Before attention a token sees its 8x8 patch; after it, everything.
  CHECK(layer_named(r, "ln_1").rf[0].rf == 8);
  CHECK(layer_named(r, "ln_1").rf[0].jump == Ratio::of(8));
  CHECK(layer_named(r, "attn").global_rf);
  CHECK(layer_named(r, "add1").global_rf);  // the residual: not "global context"
  CHECK_FALSE(layer_named(r, "add1").global_context);
  CHECK(layer_named(r, "select").global_rf);
  // The score matrices (3 heads x 17 x 17 floats) are alive while attention runs.
  CHECK(layer_named(r, "attn").cost.scratch_memory == 3 * 17 * 17 * 4);
}

TEST_CASE("attention's params and FLOPs are PyTorch's, for cross-attention too",
          "[engine][transformers]") {
  // q: 10 tokens of 48; k: 5 of 20; v: 5 of 30.
  const std::string net =
      "input: {size: [2, 5], channels: 48}\nlayers:\n"
      "  - {name: q, type: flatten, start_dim: 2}\n"
      "  - {name: qt, type: permute, dims: [0, 2, 1]}\n"
      "  - {name: k, type: conv, out_channels: 20, kernel_size: [2, 1], inputs: [input]}\n"
      "  - {name: kf, type: flatten, start_dim: 2}\n"
      "  - {name: kt, type: permute, dims: [0, 2, 1]}\n"
      "  - {name: v, type: conv, out_channels: 30, kernel_size: [2, 1], inputs: [input]}\n"
      "  - {name: vf, type: flatten, start_dim: 2}\n"
      "  - {name: vt, type: permute, dims: [0, 2, 1]}\n"
      "  - {name: mha, type: attention, num_heads: 3, kdim: 20, vdim: 30, inputs: [qt, kt, vt]}\n";
  const Report r = analyze_yaml(net);
  const LayerReport& mha = layer_named(r, "mha");
  CHECK(mha.params == 7200);  // nn.MultiheadAttention(48, 3, kdim=20, vdim=30)
  CHECK(2 * mha.cost.macs == 125760);
  CHECK(tensor_shape(mha.output, 1) == Dims{1, 10, 48});
  // nn.MultiheadAttention(48, 4, bias=False): 9216 params.
  CHECK(analyze_yaml("input: {size: [2, 5], channels: 48}\nlayers:\n"
                     "  - {type: flatten, start_dim: 2}\n"
                     "  - {type: permute, dims: [0, 2, 1]}\n"
                     "  - {name: a, type: attention, num_heads: 4, bias: false}\n")
            .totals.params == 9216);
}

TEST_CASE("a Swin: windows, shifted windows and patch merging, exactly", "[engine][transformers]") {
  Report r = analyze_file("swin_tiny.yaml");
  CHECK(r.totals.params == 78484);  // torch
  CHECK(r.totals.buffers == 1024);  // 4 relative_position_index buffers of 16x16
  CHECK(r.totals.flops == 4129728);
  CHECK(shape_of(r, "features.1.1.attn") == Dims{1, 8, 8, 24});
  CHECK(shape_of(r, "features.2.merge") == Dims{1, 4, 4, 96});
  CHECK(shape_of(r, "features.2.reduction") == Dims{1, 4, 4, 48});
  // table (2*4-1)^2 x 3 heads + qkv 24x72 + 72 + proj 24x24 + 24
  CHECK(layer_named(r, "features.1.0.attn").params == 147 + 1800 + 600);
  CHECK(r.warnings.empty());
  // The gradient of one unit of each attention output, per axis [first, last]
  // input pixel (float64, random weights; the shift's mask adds -100 to the
  // masked scores, so their e^-100 is left out: see docs/transformers.md).
  const NetRegions regions = compute_regions(r, true);
  struct Case {
    const char* layer;
    std::int64_t i, j;
    Interval h, w;
  };
  const Case cases[] = {
      {"features.1.0.attn", 0, 0, {0, 15}, {0, 15}},
      {"features.1.0.attn", 5, 7, {16, 31}, {16, 31}},
      {"features.1.0.attn", 2, 6, {0, 15}, {16, 31}},
      {"features.1.1.attn", 0, 0, {0, 15}, {0, 15}},
      {"features.1.1.attn", 5, 7, {0, 31}, {16, 31}},
      {"features.1.1.attn", 3, 3, {0, 31}, {0, 31}},
      {"features.1.1.attn", 7, 7, {16, 31}, {16, 31}},
      {"features.1.1.attn", 2, 6, {0, 31}, {16, 31}},
  };
  // Stage 3's 4x4 grid is one window: every unit attends to every token
  // (its gradient reaches every pixel), as a ViT's attention does.
  CHECK(layer_named(r, "features.3.1.attn").global_rf);
  CHECK(!regions.layers[layer_named(r, "features.3.1.attn").index]);
  for (const Case& c : cases) {
    INFO(c.layer << " unit " << c.i << "," << c.j);
    const auto& axes = *regions.layers[layer_named(r, c.layer).index];
    CHECK(axes[0].actual_at(c.i) == c.h);
    CHECK(axes[1].actual_at(c.j) == c.w);
  }
  // Units differ: the shifted block's rf is the widest unit's, rf_min the narrowest.
  CHECK(layer_named(r, "features.1.1.attn").rf[0].rf == 32);
  CHECK(layer_named(r, "features.1.1.attn").rf[0].rf_min == 16);
}

// MobileViT's way back: tokens unflattened into their grid for a conv, and a
// mean over the tokens (PyTorch's x.mean(1)), both by the rules on roles.
TEST_CASE("unflatten puts tokens back into their grid, and a mean over tokens is global",
          "[engine][transformers]") {
  const std::string grid =
      "input: {size: [8, 8], channels: 3}\nlayers:\n"
      "  - {name: conv1, type: conv, out_channels: 16, kernel_size: 3}\n"
      "  - {name: tokens, type: flatten, start_dim: 2}\n";
  const Report r =
      analyze_yaml(grid +
                   "  - {name: grid, type: unflatten, dim: 2, unflattened_size: [6, 6]}\n"
                   "  - {name: conv2, type: conv, out_channels: 4, kernel_size: 3}\n"
                   "  - {name: m, type: mean, dims: [2], inputs: [tokens]}\n"
                   "outputs: [conv2, m]\n");
  CHECK(layer_named(r, "grid").output.layout == Layout::Spatial);
  CHECK(tensor_shape(layer_named(r, "grid").output, 1) == std::vector<std::int64_t>{1, 16, 6, 6});
  CHECK(layer_named(r, "conv2").rf[0].rf == 5);
  CHECK(layer_named(r, "conv2").rf[1].jump == Ratio::of(1));
  CHECK(layer_named(r, "m").global_rf);
  CHECK(tensor_shape(layer_named(r, "m").output, 1) == std::vector<std::int64_t>{1, 16});
  CHECK(r.warnings.empty());
  // Channels into (heads, head dims): features stay features, cells keep regions.
  CHECK(last_layer_whole(grid + "  - {type: unflatten, dim: 1, unflattened_size: [2, 8]}\n") ==
        "[1, 2, 8, 36]");
  CHECK(model_error(grid + "  - {name: u, type: unflatten, dim: 2, unflattened_size: [5, 7]}\n") ==
        "t.yaml:5:58: layer 'u': unflattened_size [5, 7] has 35 elements, but dim 2 of 'tokens' "
        "([1, 16, 36]) has 36");
}

TEST_CASE("transformer layers say what they need", "[engine][transformers]") {
  const std::string grid = "input: {size: 4, channels: 6}\nlayers:\n";
  CHECK(model_error(grid + "  - {name: a, type: attention, num_heads: 2}\n") ==
        "t.yaml:3:5: layer 'a': attention needs tokens (N, L, C), but 'input' is 6x4x4");
  CHECK(model_error(grid + "  - {type: flatten, start_dim: 2}\n"
                           "  - {name: a, type: attention, num_heads: 2}\n") ==
        "t.yaml:4:5: layer 'a': attention needs tokens (N, L, C), but 'flatten1' is 6x(4x4 "
        "tokens)");
  CHECK(model_error(grid + "  - {type: flatten, start_dim: 2}\n"
                           "  - {type: permute, dims: [0, 2, 1]}\n"
                           "  - {name: a, type: attention, num_heads: 4}\n") ==
        "t.yaml:5:5: layer 'a': embed_dim 6 is not divisible by num_heads 4");
  CHECK(last_layer_whole(grid + "  - {type: flatten, start_dim: 2}\n"
                                "  - {name: p, type: permute, dims: [2, 1, 0]}\n") ==
        "[16, 6, 1]");  // tokens, channels, batch: every token keeps its cell
  CHECK(model_error(grid + "  - {type: flatten, start_dim: 2}\n"
                           "  - {name: c, type: conv, out_channels: 2, kernel_size: 1}\n") ==
        "t.yaml:4:5: layer 'c': conv needs a spatial input, but 'flatten1' is tokens (6x(4x4 "
        "tokens))");
  CHECK(
      model_error(grid + "  - {name: w, type: window_attention, num_heads: 2, window_size: 2}\n") ==
      "t.yaml:3:5: layer 'w': window_attention needs a channels-last tensor (N, H, W, C) "
      "(permute [0, 2, 3, 1]), but 'input' is 6x4x4");
  CHECK(model_error(grid + "  - {type: flatten, start_dim: 2}\n"
                           "  - {type: permute, dims: [0, 2, 1]}\n"
                           "  - {name: s, type: select, dim: 2, index: 0}\n") ==
        "t.yaml:5:5: layer 's': select takes a token (dim 1 of (N, L, C)), got dim 2");
  CHECK(model_error(grid + "  - {type: flatten, start_dim: 2}\n"
                           "  - {type: permute, dims: [0, 2, 1]}\n"
                           "  - {name: s, type: select, index: 16}\n") ==
        "t.yaml:5:5: layer 's': select index 16 is out of range for 16 tokens");
}

TEST_CASE("the table's size column shows a token grid and its class tokens",
          "[cli][transformers]") {
  const RunResult r =
      run_netlens("analyze " + source_path("tests/data/transformers/vit_tiny.yaml") +
                  " --columns name,size,ch");
  REQUIRE(r.status == 0);
  const std::string expected =
      "name        size  ch\n"
      "--------------------\n"
      "conv_proj      4  48\n"
      "flat         4x4  48\n"
      "tokens       4x4  48\n"
      "cls        4x4+1  48\n";
  CHECK(r.out.find(expected) != std::string::npos);
}

// torch.roll: each unit holds one position, so regions stay exact and a
// roll back puts the units in order again; a conv across the seam would
// read two pieces of the input: unknown, with the warning.
TEST_CASE("roll: exact regions and in order after the roll back but unknown across the seam",
          "[engine][transformers]") {
  const std::string head =
      "input: {size: 8, channels: 1}\n"
      "layers:\n"
      "  - {name: c, type: conv, out_channels: 1, kernel_size: 3, padding: 1}\n"
      "  - {name: r, type: roll, shifts: [-2], dims: [2]}\n";
  Report r = analyze_yaml(head + "  - {name: back, type: roll, shifts: [2], dims: [2]}\n");
  const NetRegions regions = compute_regions(r, true);
  const auto& rolled = *regions.layers[layer_named(r, "r").index];
  CHECK(rolled[0].actual_at(0) == Interval{1, 3});  // holds position 2
  CHECK(rolled[0].actual_at(7) == Interval{0, 2});  // holds position 1
  CHECK(rolled[1].actual_at(0) == Interval{0, 1});  // the width is not rolled
  CHECK(layer_named(r, "r").rf[0].rf == 3);
  CHECK(!layer_named(r, "r").rf[0].jump);
  CHECK(layer_named(r, "back").rf[0].jump == Ratio::of(1));
  CHECK(layer_named(r, "back").rf[0].center_offset == Ratio::of(0));
  CHECK(r.warnings.empty());
  const Report seam = analyze_yaml(
      head + "  - {name: across, type: conv, out_channels: 1, kernel_size: 3, padding: 1}\n");
  CHECK(layer_named(seam, "across").rf_unknown);
  REQUIRE(seam.warnings.size() == 1);
  CHECK(seam.warnings[0].text ==
        "its units read positions on both sides of a roll's seam (torch.roll): the receptive "
        "field of the layers from here is unknown (?)");
  CHECK(model_error(head + "  - {type: roll, shifts: [1, 2], dims: [2]}\n") ==
        "t.yaml:5:26: layer 'roll3': shifts [1, 2] and dims [2] must have one entry each");
  CHECK(model_error(head + "  - {type: window_mask, shift_size: 1}\n") ==
        "t.yaml:5:5: layer 'window_mask3': window_mask masks attention scores over the cells of "
        "windows (q @ k^T after a window partition); 'r' ([1, 1, 8, 8]) is not one");
}

// A learned position table has the length it was made with: another grid
// fails as torch's broadcasting does, unless the table is resized to it
// (timm's and DINO's interpolation), its params those of the table.
TEST_CASE("pos_embedding: the table's length fits the tokens or is interpolated",
          "[engine][transformers]") {
  const std::string net =
      "input: {size: 32, channels: 3}\n"
      "layers:\n"
      "  - {name: conv_proj, type: conv, out_channels: 16, kernel_size: 4, stride: 4}\n"
      "  - {type: flatten, start_dim: 2}\n"
      "  - {type: permute, dims: [0, 2, 1]}\n"
      "  - {name: cls, type: class_token}\n";
  const Report fits = analyze_yaml(net + "  - {name: pos, type: pos_embedding, length: 65}\n");
  CHECK(layer_named(fits, "pos").params == 65 * 16);
  CHECK(model_error("input: {size: 40, channels: 3}\n" + net.substr(net.find('\n') + 1) +
                    "  - {name: pos, type: pos_embedding, length: 65}\n") ==
        "t.yaml:7:46: layer 'pos': the table has 65 tokens, but 'cls' has 101 (10x10 cells and 1 "
        "more): PyTorch fails here; `interpolate: bicubic` resizes the table to the grid");
  const Report resized =
      analyze_yaml("input: {size: 40, channels: 3}\n" + net.substr(net.find('\n') + 1) +
                   "  - {name: pos, type: pos_embedding, length: 65, "
                   "interpolate: bicubic}\n");
  CHECK(layer_named(resized, "pos").params == 65 * 16);
  CHECK(layer_named(resized, "pos").rf[0].rf == 4);
}

// Reflect, replicate and circular padding fill the border with input pixels
// (mirrored, repeated, wrapped): their regions are not followed yet, so they
// are unknown from the pad on, with a warning, never zero padding's.
TEST_CASE("reflect, replicate and circular padding read the pixels they copy",
          "[engine][transformers]") {
  const auto spec = [](const std::string& mode) {
    return "input: {size: [8], channels: 1}\nlayers:\n"
           "  - {name: p, type: pad, padding: [[2, 2]], padding_mode: " +
           mode +
           "}\n"
           "  - {name: c, type: conv, out_channels: 2, kernel_size: 3}\n";
  };
  // Unit u of c reads padded positions u-2 .. u: reflect mirrors -2, -1 onto
  // 2, 1 and 8, 9 onto 6, 5; replicate repeats 0 and 7 (the theoretical
  // regions stay those of zero padding).
  const Report reflect = analyze_yaml(spec("reflect"));
  CHECK(reflect.warnings.empty());
  CHECK(shape_of(reflect, "c") == Dims{1, 2, 10});
  const auto actual = [](Report r, std::int64_t unit) {
    const NetRegions regions = compute_regions(r, true);
    const Interval i = (*regions.layers[layer_named(r, "c").index])[0].actual_at(unit);
    return std::pair{i.lo, i.hi};
  };
  CHECK(actual(reflect, 0) == std::pair<std::int64_t, std::int64_t>{0, 2});
  CHECK(actual(reflect, 1) == std::pair<std::int64_t, std::int64_t>{0, 1});
  CHECK(actual(reflect, 9) == std::pair<std::int64_t, std::int64_t>{5, 7});
  CHECK(layer_named(reflect, "c").rf[0].padding_eff == Ratio::of(2));
  const Report replicate = analyze_yaml(spec("replicate"));
  CHECK(actual(replicate, 0) == std::pair<std::int64_t, std::int64_t>{0, 0});
  CHECK(actual(replicate, 1) == std::pair<std::int64_t, std::int64_t>{0, 1});
  CHECK(actual(replicate, 9) == std::pair<std::int64_t, std::int64_t>{7, 7});
  // Circular wraps round: unit 0 reads 6, 7, 0 (the arc [6, 8] of the ring
  // of 8), unit 1 reads 7, 0, 1; the others do not wrap.
  const Report circular = analyze_yaml(spec("circular"));
  CHECK(circular.warnings.empty());
  CHECK_FALSE(layer_named(circular, "c").rf_unknown);
  CHECK(actual(circular, 0) == std::pair<std::int64_t, std::int64_t>{6, 8});
  CHECK(actual(circular, 1) == std::pair<std::int64_t, std::int64_t>{7, 9});
  CHECK(actual(circular, 2) == std::pair<std::int64_t, std::int64_t>{0, 2});
  CHECK(actual(circular, 9) == std::pair<std::int64_t, std::int64_t>{7, 9});
  CHECK(runs_of(Interval{6, 8}, 8) == std::vector<Interval>{{0, 0}, {6, 7}});
  CHECK(model_error("input: {size: 8, channels: 1}\nlayers:\n"
                    "  - {name: p, type: pad, padding: 2, padding_mode: mirror}\n") ==
        "t.yaml:3:52: layers[0].padding_mode: expected zeros, reflect, replicate or circular, "
        "got 'mirror'");
  CHECK(model_error("input: {size: [8], channels: 1}\nlayers:\n"
                    "  - {name: p, type: conv, out_channels: 1, kernel_size: 3, padding: 8, "
                    "padding_mode: reflect}\n") ==
        "t.yaml:3:69: layer 'p': reflect padding (8, 8) on axis l is not shorter than the input "
        "(8), as PyTorch requires");
}
