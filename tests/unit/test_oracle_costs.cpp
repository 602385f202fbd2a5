// What a net costs: totals of the bundled torchvision twins against
// shared/oracle/models (torch.utils.flop_counter, buffers), and hand-checked
// MACs of transposed, grouped and depthwise convs and of the peak memory.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "helpers.h"

using namespace netlens;
using namespace netlens::test;

TEST_CASE("twins: params, buffers and FLOPs equal the oracle's totals", "[oracle][costs]") {
  const std::vector<std::pair<std::string, std::string>> twins{{"alexnet-torchvision", "alexnet"},
                                                               {"vgg11", "vgg11"},
                                                               {"vgg16", "vgg16"},
                                                               {"vgg19", "vgg19"},
                                                               {"resnet18", "resnet18"},
                                                               {"resnet50", "resnet50"},
                                                               {"resnet101", "resnet101"},
                                                               {"resnet152", "resnet152"},
                                                               {"googlenet", "googlenet"},
                                                               {"inception_v3", "inception_v3"},
                                                               {"mobilenet_v2", "mobilenet_v2"},
                                                               {"densenet121", "densenet121"},
                                                               {"squeezenet1_0", "squeezenet1_0"}};
  for (const auto& [bundled, oracle] : twins) {
    INFO(bundled);
    const auto model =
        nlohmann::json::parse(slurp(shared_path("oracle/models/" + oracle + ".json")));
    const Report report = analyze_bundled(bundled);
    CHECK(report.totals.params == model["total_params"].get<std::int64_t>());
    CHECK(report.totals.buffers == model["buffer_elems"].get<std::int64_t>());
    CHECK(report.totals.flops == model["flop_counter_total_flops"].get<std::int64_t>());
    CHECK(report.totals.flops == 2 * report.totals.macs);
  }
}

TEST_CASE(
    "torchvision's published totals: resnet50's params and MACs, AlexNet's and VGG-16's FLOPs",
    "[oracle][costs]") {
  const Report resnet50 = analyze_bundled("resnet50");
  CHECK(resnet50.totals.params == 25557032);
  CHECK(resnet50.totals.macs == 4089184256);
  CHECK(resnet50.totals.flops == 8178368512);
  CHECK(analyze_bundled("alexnet-torchvision").totals.flops == 1428376960);
  CHECK(analyze_bundled("vgg16").totals.flops == 30940528640);
}

TEST_CASE("MACs of transposed, grouped and depthwise convs, by hand", "[costs]") {
  const Report r = analyze_yaml(R"(input: {size: [8, 8], channels: 4}
layers:
  - {name: up, type: conv_transpose, kernel_size: 3, stride: 2, padding: 1, out_channels: 6}
  - {name: grouped, type: conv, kernel_size: 3, padding: 1, groups: 2, out_channels: 4}
  - {name: depthwise, type: conv, kernel_size: 3, padding: 1, groups: 4, out_channels: 4, bias: false}
  - {name: fc, type: linear, out_features: 10}
)");
  // up: 15x15x6 out; counted on the input: 4*8*8 inputs x 6 outputs x 9 taps.
  CHECK(r.layers[0].output.size == PerAxis<std::int64_t>{15, 15});
  CHECK(r.layers[0].cost.macs == 4 * 8 * 8 * 6 * 9);
  CHECK(r.layers[0].params == 4 * 6 * 9 + 6);
  // grouped: out 4x15x15, each output sees 6/2 = 3 input channels x 9 taps.
  CHECK(r.layers[1].cost.macs == 4 * 15 * 15 * 3 * 9);
  CHECK(r.layers[1].params == 4 * 3 * 9 + 4);
  // depthwise: one input channel per output.
  CHECK(r.layers[2].cost.macs == 4 * 15 * 15 * 1 * 9);
  CHECK(r.layers[2].params == 4 * 9);
  CHECK(r.layers[3].cost.macs == 4 * 15 * 15 * 10);
  CHECK(r.totals.macs == 13824 + 24300 + 8100 + 9000);
  CHECK(r.totals.flops == 2 * (13824 + 24300 + 8100 + 9000));
  // Bias adds are element-wise work, not MACs.
  CHECK(r.layers[0].cost.other_ops == 6 * 15 * 15);
  CHECK(r.layers[2].cost.other_ops == 0);
}

TEST_CASE("peak activation memory: tensors die after their last consumer", "[costs]") {
  // input 1x10 (10 floats = 40 B); a: 20 ch (80 B); b: 20 ch (80 B); sum: 80 B.
  const std::string spec = R"(input: {size: [1], channels: 10}
layers:
  - {name: a, type: conv, kernel_size: 1, out_channels: 20}
  - {name: b, type: conv, kernel_size: 1, out_channels: 20}
  - {name: sum, type: add, inputs: [a, b]}
)";
  const Report r = analyze_yaml(spec);
  CHECK(r.totals.input_memory == 40);
  CHECK(r.layers[0].cost.memory == 80);
  // While b runs: input dies after a, so a (80) + b (80); while sum runs: a + b + sum = 240.
  CHECK(r.totals.peak_memory == 240);
  CHECK(r.totals.activation_memory == 240);
  // --batch 4 --dtype float16: elements x 4, bytes x 2 / 4.
  const Report big = analyze(parse_yaml(spec), CostOptions{4, DType::Float16});
  CHECK(big.totals.peak_memory == 240 * 4 / 2);
  CHECK(big.layers[0].cost.activations == 80);
  CHECK(big.layers[0].cost.macs == 4 * 20 * 10);
  CHECK(big.totals.param_memory == (10 * 20 + 20 + 20 * 20 + 20) * 2);
}

TEST_CASE("batch-norm buffers are PyTorch's: mean, var and the batch counter", "[costs]") {
  const Report r = analyze_yaml(R"(input: {size: [4, 4], channels: 8}
layers:
  - {type: BatchNorm2d}
  - {type: batchnorm, affine: false}
)");
  CHECK(r.layers[0].params == 16);
  CHECK(r.layers[0].cost.buffers == 17);
  CHECK(r.layers[1].params == 0);
  CHECK(r.layers[1].cost.buffers == 17);
}
