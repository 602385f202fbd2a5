// The accepted spec forms: PyTorch/Keras aliases, Keras field names, per-axis
// ints or lists, padding forms, default names, inputs, the seed form, JSON.
#include <catch2/catch.hpp>

#include "format/format.h"
#include "helpers.h"

using namespace netlens;
using namespace netlens::test;

namespace {

// The one layer of a spec whose layer line is `layer`.
Layer only_layer(const std::string& layer) {
  const Net net = parse_yaml("layers:\n  - " + layer + "\n");
  REQUIRE(net.layers.size() == 1);
  return net.layers[0];
}

std::vector<std::int64_t> values(const AxisParam<std::int64_t>& p) {
  return {p.values.begin(), p.values.end()};
}

using Pairs = std::vector<std::array<std::int64_t, 2>>;
Pairs pairs(const PaddingParam& p) { return {p.values.begin(), p.values.end()}; }

}  // namespace

TEST_CASE("PyTorch and Keras type names are aliases, case-insensitive", "[parse]") {
  struct Case {
    const char* type;
    const char* fields;
    const char* canonical;
    LayerKind kind;
    int rank;
  };
  const Case cases[] = {
      {"Conv2d", ", out_channels: 1, kernel_size: 1", "conv", LayerKind::Conv, 2},
      {"Conv2D", ", out_channels: 1, kernel_size: 1", "conv", LayerKind::Conv, 2},
      {"CONV2D", ", out_channels: 1, kernel_size: 1", "conv", LayerKind::Conv, 2},
      {"Conv1d", ", out_channels: 1, kernel_size: 1", "conv", LayerKind::Conv, 1},
      {"Conv3d", ", out_channels: 1, kernel_size: 1", "conv", LayerKind::Conv, 3},
      {"Conv2DTranspose", ", out_channels: 1, kernel_size: 1", "conv_transpose",
       LayerKind::ConvTranspose, 2},
      {"ConvTranspose2d", ", out_channels: 1, kernel_size: 1", "conv_transpose",
       LayerKind::ConvTranspose, 2},
      {"MaxPool2d", ", kernel_size: 2", "maxpool", LayerKind::MaxPool, 2},
      {"MaxPooling2D", ", kernel_size: 2", "maxpool", LayerKind::MaxPool, 2},
      {"max_pool_2d", ", kernel_size: 2", "maxpool", LayerKind::MaxPool, 2},
      {"AveragePooling1D", ", kernel_size: 2", "avgpool", LayerKind::AvgPool, 1},
      {"AdaptiveAvgPool2d", ", output_size: 1", "adaptive_avgpool", LayerKind::AdaptiveAvgPool, 2},
      {"GlobalAveragePooling2D", "", "global_avgpool", LayerKind::GlobalAvgPool, 2},
      {"GlobalMaxPooling1D", "", "global_maxpool", LayerKind::GlobalMaxPool, 1},
      {"Dense", ", out_features: 1", "linear", LayerKind::Linear, 0},
      {"Linear", ", out_features: 1", "linear", LayerKind::Linear, 0},
      {"BatchNorm2d", "", "batchnorm", LayerKind::BatchNorm, 2},
      {"BatchNormalization", "", "batchnorm", LayerKind::BatchNorm, 0},
      {"ZeroPad2d", ", padding: 1", "pad", LayerKind::Pad, 2},
      {"ZeroPadding2D", ", padding: 1", "pad", LayerKind::Pad, 2},
      {"UpSampling2D", ", scale_factor: 2", "upsample", LayerKind::Upsample, 2},
      {"LeakyReLU", "", "leaky_relu", LayerKind::Activation, 0},
      {"ReLU", "", "relu", LayerKind::Activation, 0},
      {"Flatten", "", "flatten", LayerKind::Flatten, 0},
      {"Dropout", "", "dropout", LayerKind::Dropout, 0},
  };
  for (const Case& c : cases) {
    INFO(c.type);
    const Layer l = only_layer(std::string("{type: ") + c.type + c.fields + "}");
    CHECK(l.type == c.canonical);
    CHECK(l.kind == c.kind);
    CHECK(l.alias_rank == c.rank);
  }
}

TEST_CASE("Keras field names are aliases of the canonical ones", "[parse]") {
  const Layer conv = only_layer(
      "{type: Conv2D, filters: 8, kernel_size: 3, strides: 2, dilation_rate: [1, 2], "
      "use_bias: false}");
  CHECK(conv.out_channels == 8);
  CHECK(values(conv.window->kernel_size) == std::vector<std::int64_t>{3});
  CHECK(values(conv.window->stride) == std::vector<std::int64_t>{2});
  CHECK(values(conv.window->dilation) == std::vector<std::int64_t>{1, 2});
  CHECK_FALSE(conv.window->dilation.scalar);
  CHECK_FALSE(conv.bias);

  const Layer pool = only_layer("{type: MaxPooling2D, pool_size: 3, strides: 2}");
  CHECK(values(pool.window->kernel_size) == std::vector<std::int64_t>{3});
  CHECK(values(pool.window->stride) == std::vector<std::int64_t>{2});

  // Keras' UpSampling2D(size=2): `size` is the factor.
  const Layer up = only_layer("{type: UpSampling2D, size: [2, 3]}");
  CHECK(std::vector<double>(up.extra->scale_factor.values.begin(),
                            up.extra->scale_factor.values.end()) == std::vector<double>{2, 3});

  const Layer dense = only_layer("{type: Dense, units: 10, use_bias: false}");
  CHECK(dense.out_channels == 10);
  CHECK_FALSE(dense.bias);
}

TEST_CASE("per-axis fields take an int or a list", "[parse]") {
  const Layer a = only_layer("{type: conv, out_channels: 1, kernel_size: 3}");
  CHECK(a.window->kernel_size.scalar);
  CHECK(values(a.window->kernel_size) == std::vector<std::int64_t>{3});
  CHECK_FALSE(a.window->stride.given);
  CHECK_FALSE(a.window->padding.given);

  const Layer b = only_layer("{type: conv, out_channels: 1, kernel_size: [3, 5], stride: [1, 2]}");
  CHECK_FALSE(b.window->kernel_size.scalar);
  CHECK(values(b.window->kernel_size) == std::vector<std::int64_t>{3, 5});
  CHECK(values(b.window->stride) == std::vector<std::int64_t>{1, 2});

  // PyTorch's and Keras' stride=None on a pool: the kernel size, as if not given.
  const Layer c = only_layer("{type: maxpool, kernel_size: 2, stride: null}");
  CHECK_FALSE(c.window->stride.given);
}

TEST_CASE("padding forms", "[parse]") {
  const Layer one = only_layer("{type: pad, padding: 2}");
  CHECK(one.window->padding.mode == PadMode::Explicit);
  CHECK(one.window->padding.scalar);
  CHECK(pairs(one.window->padding) == Pairs{{2, 2}});

  const Layer per_axis = only_layer("{type: pad, padding: [1, 2]}");
  CHECK_FALSE(per_axis.window->padding.scalar);
  CHECK(pairs(per_axis.window->padding) == Pairs{{1, 1}, {2, 2}});

  const Layer asym = only_layer("{type: pad, padding: [[1, 2], [0, 3]]}");
  CHECK(pairs(asym.window->padding) == Pairs{{1, 2}, {0, 3}});

  const Layer mixed = only_layer("{type: pad, padding: [[1, 2], 3]}");
  CHECK(pairs(mixed.window->padding) == Pairs{{1, 2}, {3, 3}});

  CHECK(only_layer("{type: conv, out_channels: 1, kernel_size: 3, padding: same}")
            .window->padding.mode == PadMode::Same);
  CHECK(only_layer("{type: conv, out_channels: 1, kernel_size: 3, padding: SAME}")
            .window->padding.mode == PadMode::Same);
  CHECK(only_layer("{type: conv, out_channels: 1, kernel_size: 3, padding: same_lower}")
            .window->padding.mode == PadMode::SameLower);
  CHECK(only_layer("{type: conv, out_channels: 1, kernel_size: 3, padding: valid}")
            .window->padding.mode == PadMode::Valid);
}

TEST_CASE("default names are <type><index>, and inputs name earlier layers", "[parse]") {
  const Net net = parse_yaml(
      "layers:\n"
      "  - {type: Conv2d, out_channels: 4, kernel_size: 3}\n"
      "  - {name: act, type: relu}\n"
      "  - {type: BatchNormalization}\n"
      "  - {type: concat, inputs: [conv1, act, input]}\n"
      "  - {type: relu, inputs: conv1}\n");
  REQUIRE(net.layers.size() == 5);
  CHECK(net.layers[0].name == "conv1");
  CHECK(net.layers[1].name == "act");
  CHECK(net.layers[2].name == "batchnorm3");
  CHECK(net.layers[3].name == "concat4");
  CHECK(net.layers[3].inputs == std::vector<std::string>{"conv1", "act", "input"});
  CHECK(net.layers[1].inputs.empty());
  CHECK(net.layers[4].inputs == std::vector<std::string>{"conv1"});
  CHECK(net.name == "t");  // the default name passed to parse_spec
}

TEST_CASE("top-level fields", "[parse]") {
  const Net net = parse_yaml(
      "name: mynet\ninput: {size: [224, 320], channels: 1}\nconvention: caffe\n"
      "layers:\n  - {type: relu}\n");
  CHECK(net.name == "mynet");
  CHECK(net.input_size == PerAxis<std::int64_t>{224, 320});
  CHECK_FALSE(net.input_size_scalar);
  CHECK(net.channels == std::optional<std::int64_t>(1));
  CHECK(net.convention == Convention::Caffe);
  CHECK(parse_yaml("convention: keras\nlayers:\n  - {type: relu}\n").convention ==
        Convention::Keras);
  CHECK(parse_yaml("layers:\n  - {type: relu}\n").convention == Convention::PyTorch);
}

TEST_CASE("the seed compatibility form", "[parse]") {
  const Net net = parse_yaml(
      "net: [[11, 4, 0], [3, 2, 0], [5, 1, 2], [3, 2, 0]]\n"
      "name: [conv1, pool1, conv2, pool5]\n"
      "input: {size: 227}\n");
  REQUIRE(net.layers.size() == 4);
  CHECK(net.name == "t");  // `name` lists the layers here, not the net
  const char* const types[] = {"conv", "maxpool", "conv", "maxpool"};
  const char* const names[] = {"conv1", "pool1", "conv2", "pool5"};
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(net.layers[i].type == types[i]);
    CHECK(net.layers[i].name == names[i]);
  }
  CHECK(net.layers[1].kind == LayerKind::MaxPool);
  CHECK(values(net.layers[0].window->kernel_size) == std::vector<std::int64_t>{11});
  CHECK(values(net.layers[0].window->stride) == std::vector<std::int64_t>{4});
  CHECK(pairs(net.layers[2].window->padding) == Pairs{{2, 2}});

  const Report r = analyze(net);
  const std::int64_t sizes[] = {55, 27, 27, 13};
  const std::int64_t rfs[] = {11, 19, 51, 67};
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(r.layers[i].output.size == PerAxis<std::int64_t>{sizes[i], sizes[i]});
    CHECK(r.layers[i].rf[0].rf == rfs[i]);
  }

  // Without names every entry is a conv, named layer<i>.
  const Net unnamed = parse_yaml("net: [[3, 1, 1], [2, 2, 0]]\n");
  CHECK(unnamed.layers[0].name == "layer1");
  CHECK(unnamed.layers[1].name == "layer2");
  CHECK(unnamed.layers[1].type == "conv");
  // Only a name that starts with "pool" makes a pool.
  CHECK(parse_yaml("net: [[2, 2, 0]]\nname: [mypool]\n").layers[0].type == "conv");
}

TEST_CASE("JSON and YAML give the same net", "[parse]") {
  const std::string yaml =
      "name: same\ninput: {size: [32, 24], channels: 3}\nconvention: keras\nlayers:\n"
      "  - {name: c, type: Conv2D, filters: 8, kernel_size: [3, 5], strides: 2, padding: same}\n"
      "  - {name: p, type: maxpool, kernel_size: 2, padding: [[0, 1], 0]}\n"
      "  - {name: s, type: concat, inputs: [p, p]}\n"
      "  - {name: f, type: Dense, units: 10, use_bias: false}\n";
  const std::string json =
      R"({"name": "same", "input": {"size": [32, 24], "channels": 3}, "convention": "keras",
  "layers": [
    {"name": "c", "type": "Conv2D", "filters": 8, "kernel_size": [3, 5], "strides": 2, "padding": "same"},
    {"name": "p", "type": "maxpool", "kernel_size": 2, "padding": [[0, 1], 0]},
    {"name": "s", "type": "concat", "inputs": ["p", "p"]},
    {"name": "f", "type": "Dense", "units": 10, "use_bias": false}]})";
  const Report from_yaml = analyze(parse_spec(yaml, "t.yaml", "t", SpecFormat::Yaml));
  const Report from_json = analyze(parse_spec(json, "t.json", "t", SpecFormat::Json));
  CHECK(render_json(from_yaml) == render_json(from_json));
  CHECK(from_json.total_params == 8 * 3 * 15 + 8 + 16 * 8 * 6 * 10);
  // Auto-detection reads JSON text as JSON and a flow-style YAML map as YAML.
  CHECK(render_json(analyze(parse_spec(json, "t", "t"))) == render_json(from_json));
  CHECK(parse_spec("{layers: [{type: relu}]}", "t", "t").layers[0].type == "relu");
}

TEST_CASE("the input's rank: from input.size, else from the layers", "[parse][engine]") {
  const Report one = analyze_yaml(
      "input: {size: 100}\nlayers:\n  - {type: Conv1d, out_channels: 2, kernel_size: 5}\n");
  CHECK(one.input.size == PerAxis<std::int64_t>{100});
  CHECK(one.input.channels == 1);  // 1-D defaults to one channel
  CHECK(one.layers[0].output.size == PerAxis<std::int64_t>{96});

  const Report two = analyze_yaml(
      "input: {size: 224}\nlayers:\n  - {type: conv, out_channels: 2, kernel_size: 5}\n");
  CHECK(two.input.size == PerAxis<std::int64_t>{224, 224});
  CHECK(two.input.channels == 3);

  const Report from_list = analyze_yaml(
      "input: {size: 16}\nlayers:\n  - {type: conv, out_channels: 2, kernel_size: [1, 3, 5]}\n");
  CHECK(from_list.input.size == PerAxis<std::int64_t>{16, 16, 16});
  CHECK(from_list.layers[0].output.size == PerAxis<std::int64_t>{16, 14, 12});

  const Report three = analyze_yaml(
      "input: {size: [4, 32, 32], channels: 3}\nlayers:\n"
      "  - {type: Conv3d, out_channels: 8, kernel_size: 3, stride: [1, 2, 2], padding: 1}\n");
  CHECK(three.layers[0].output.size == PerAxis<std::int64_t>{4, 16, 16});
  CHECK(three.layers[0].params == 8 * 3 * 27 + 8);

  const Net scalar = parse_yaml("input: {size: 224}\nlayers:\n  - {type: relu}\n");
  CHECK(scalar.input_size_scalar);
  CHECK(scalar.input_size == PerAxis<std::int64_t>{224});
}
