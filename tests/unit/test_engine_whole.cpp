// Whole tensors (docs/semantics.md): reshape, matmul, expand, tile,
// gather, constant, and the role layers that fall back to the whole tensor.
// Shapes were checked against Debian's torch 1.13 on the meta device
// (x = torch.empty(1, 3, 4, 5): x.reshape(-1, 2, 30), torch.matmul(x,
// x.permute(0, 1, 3, 2)), x.repeat(1, 2, 1, 3), x[:, :, :, idx] with a 2x2
// idx, nn.Linear(20, 7) on x.reshape(1, 3, 20): 147 parameters).
#include <catch2/catch.hpp>

#include "helpers.h"

using namespace netlens;
using namespace netlens::test;

namespace {

// An input of 3 channels, 4x5, then `layers` (from line 3).
std::string net(const std::string& layers) {
  return "input: {size: [4, 5], channels: 3}\nlayers:\n" + layers;
}

std::string model_error(const std::string& text) {
  return error_of([&] { analyze_yaml(text); });
}

}  // namespace

TEST_CASE("the layers of whole tensors give PyTorch's shapes", "[engine][whole]") {
  // The spatial axes merged in order: tokens.
  CHECK(last_layer_whole(net("  - {type: reshape, shape: [1, 3, 20]}\n")) == "3x(4x5 tokens)");
  CHECK(last_layer_whole(net("  - {type: reshape, shape: [-1, 2, 30]}\n")) ==
        "[1, 2, 30] rf ? roles-lost");
  // Rows (h) by columns (h) summed over w: units mix the w positions only.
  CHECK(last_layer_whole(net("  - {name: t, type: permute, dims: [0, 1, 3, 2]}\n"
                             "  - {type: matmul, inputs: [input, t]}\n")) ==
        "[1, 3, 4, 4] rf ? roles-lost");
  CHECK(last_layer_whole(net("  - {type: amax, dims: [2], keepdim: true}\n"
                             "  - {type: expand, shape: [2, -1, 4, -1]}\n")) ==
        "[2, 3, 4, 5] rf ? roles-lost");  // h, kept at 1 by the amax, is expanded
  CHECK(last_layer_whole(net("  - {type: tile, repeats: [1, 2, 1, 3]}\n")) ==
        "[1, 6, 4, 15] rf ? roles-lost");
  CHECK(last_layer_whole(net("  - {type: tile, repeats: [1, 2, 1, 1]}\n")) == "6x4x5");
  CHECK(last_layer_whole(net("  - {type: gather, dim: 3, index_shape: [2, 2]}\n")) ==
        "[1, 3, 4, 2, 2] rf ? roles-lost");
  CHECK(last_layer_whole(net("  - {type: gather, dim: -1, index_shape: []}\n")) ==
        "[1, 3, 4] rf ? roles-lost");
  CHECK(last_layer_whole(net("  - {type: concat, inputs: [input, input], dim: 2}\n")) ==
        "[1, 3, 8, 5] rf ? roles-lost");
  CHECK(last_layer_whole(net("  - {type: concat, inputs: [input, input], dim: 1}\n")) == "6x4x5");
  CHECK(last_layer_whole(net("  - {type: constant, shape: [3, 1, 5]}\n")) == "[3, 1, 5] rf ?");
  CHECK(last_layer_whole(net("  - {type: flatten, start_dim: 1, end_dim: 2}\n")) ==
        "[1, 12, 5] rf ? roles-lost");
}

TEST_CASE("whole tensors count their batch once in costs", "[engine][whole]") {
  const std::string yaml =
      net("  - {name: r, type: reshape, shape: [-1, 3, 20]}\n"
          "  - {name: fc, type: linear, out_features: 7}\n"
          "  - {name: c, type: constant, shape: [1, 3, 7], learned: true}\n"
          "  - {name: sum, type: add, inputs: [fc, c]}\n"
          "  - {name: t, type: permute, dims: [0, 2, 1]}\n"
          "  - {name: mm, type: matmul, inputs: [sum, t]}\n");
  for (const std::int64_t batch : {1, 2}) {
    INFO(batch);
    CostOptions costs;
    costs.batch = batch;
    const Report r = analyze(parse_yaml(yaml), costs);
    CHECK(tensor_shape(r.layers[0].output, batch) == std::vector<std::int64_t>{batch, 3, 20});
    CHECK(r.layers[1].params == 147);
    CHECK(r.layers[1].cost.macs == batch * 420);
    CHECK(r.layers[2].params == 21);
    CHECK(r.layers[3].cost.other_ops == batch * 21);
    CHECK(tensor_shape(r.layers[5].output, batch) == std::vector<std::int64_t>{batch, 3, 3});
    CHECK(r.layers[5].cost.macs == batch * 9 * 7);
    CHECK(r.layers[5].cost.activations == batch * 9);
    CHECK(r.total_params == 168);
    // The linear acts on the last dim, the 4x5 tokens: every unit reads
    // every position, and so does every unit after it.
    CHECK(r.layers[0].rf[1].rf == 1);
    CHECK(r.layers[1].global_rf);
    CHECK(r.layers[5].global_rf);
    CHECK_FALSE(r.layers[5].rf_unknown);
  }
}

TEST_CASE("a spec's input of features, or a whole tensor", "[engine][whole]") {
  const Report flat = analyze_yaml(
      "input: {features: 20}\nlayers:\n"
      "  - {type: linear, out_features: 10}\n");
  CHECK(format_shape(flat.layers[0].output) == "10");
  CHECK(flat.layers[0].params == 210);
  const Report whole = analyze_yaml(
      "input: {shape: [5, 4]}\nlayers:\n"
      "  - {type: sum, dims: []}\n");
  CHECK(format_shape(whole.input) == "[5, 4]");
  CHECK(format_shape(whole.layers[0].output) == "[]");
  CHECK(whole.layers[0].cost.other_ops == 20);
  CHECK(whole.warnings.empty());
  CHECK(error_of([] { parse_yaml("input: {size: 4, shape: [4]}\nlayers:\n  - {type: relu}\n"); }) ==
        "t.yaml:1:18: input: give size (with channels), features or shape, one of them");
  const RunResult run = run_netlens("analyze - --input 8",
                                    "input: {features: 20}\nlayers:\n"
                                    "  - {type: relu}\n");
  CHECK(run.status == 2);
  CHECK(run.err ==
        "netlens: error: --input: the input of stdin is [batch, features], without spatial "
        "axes\n");
}

TEST_CASE("whole-tensor layers say what does not fit", "[engine][whole]") {
  CHECK(model_error(net("  - {name: r, type: reshape, shape: [7, -1]}\n")) ==
        "t.yaml:3:37: layer 'r': cannot reshape 'input' ([1, 3, 4, 5], 60 elements) to [7, -1]");
  CHECK(model_error(net("  - {name: r, type: reshape, shape: [-1, -1]}\n")) ==
        "t.yaml:3:37: layer 'r': shape [-1, -1] has more than one -1");
  CHECK(model_error(net("  - {name: m, type: matmul, inputs: [input, input]}\n")) ==
        "t.yaml:3:37: layer 'm': matmul of 'input' ([1, 3, 4, 5]) by 'input' ([1, 3, 4, 5]): 5 "
        "columns against 4 rows");
  CHECK(model_error(net("  - {name: e, type: expand, shape: [2, 3]}\n")) ==
        "t.yaml:3:5: layer 'e': expand cannot broadcast 'input' ([1, 3, 4, 5]) to [2, 3]: each "
        "axis must agree or be 1");
  CHECK(model_error(net("  - {name: t, type: tile, repeats: [2, 2]}\n")) ==
        "t.yaml:3:36: layer 't': tile has 2 repeats for the 4 dims of 'input' ([1, 3, 4, 5])");
  CHECK(model_error(net("  - {name: g, type: gather, dim: 4, index_shape: [1]}\n")) ==
        "t.yaml:3:34: layer 'g': dim 4 is out of range for a 4-D tensor");
  CHECK(model_error(net("  - {name: g, type: gather, dim: 1}\n")) ==
        "t.yaml:3:5: layer 'g': gather takes its indices' shape as index_shape or as a second "
        "input, one of them");
  CHECK(model_error(net("  - {type: reshape, shape: [1, 3, 20]}\n"
                        "  - {name: c, type: conv, out_channels: 4, kernel_size: 1}\n")) ==
        "t.yaml:4:5: layer 'c': conv needs a spatial input, but 'reshape1' is tokens (3x(4x5 "
        "tokens))");
  CHECK(model_error(net("  - {type: reshape, shape: [1, 2, 30]}\n"
                        "  - {name: c, type: upsample, scale_factor: 2}\n")) ==
        "t.yaml:4:5: layer 'c': upsample reads tensors with roles (batch, channels, spatial "
        "axes); 'reshape1' is [1, 2, 30], a whole tensor (docs/semantics.md, \"Whole tensors\")");
  // A conv reads a whole tensor as ONNX does: (N, C, D1...Dn) as the dims stand.
  const Report conv = analyze_yaml(
      "input: {size: [4, 5], channels: 3}\nlayers:\n"
      "  - {type: reshape, shape: [1, 2, 30]}\n"
      "  - {name: c, type: conv, out_channels: 4, kernel_size: 3, padding: 1}\n");
  CHECK(conv.layers[1].output.dims == std::vector<std::int64_t>{1, 4, 30});
  CHECK(conv.layers[1].params == 4 * 2 * 3 + 4);
  CHECK(conv.layers[1].cost.macs == 4 * 30 * 2 * 3);
  CHECK(conv.layers[1].rf_unknown);
  CHECK(model_error(net("  - {type: reshape, shape: [60]}\n"
                        "  - {name: c, type: conv, out_channels: 4, kernel_size: 1}\n")) ==
        "t.yaml:4:5: layer 'c': conv reads (batch, channels, 1 to 3 spatial dims); 'reshape1' is "
        "[60]");
}
