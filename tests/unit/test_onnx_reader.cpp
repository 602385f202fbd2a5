// The ONNX reader on the small weightless files of tests/data/onnx/ (made by
// tools/make_onnx_tests.py): shapes, windows, receptive fields, parameters,
// and the one-line errors of bad files.
#include <onnx/onnx.pb.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "engine/regions.h"
#include "format/format.h"
#include "helpers.h"
#include "onnx/reader.h"

using namespace netlens;
using namespace netlens::test;
using nlohmann::json;

namespace {

std::string onnx_file(const std::string& name) { return source_path("tests/data/onnx/" + name); }

Report analyze_onnx(const std::string& name, const OnnxOptions& o = {}) {
  Net net = read_onnx_file(onnx_file(name), o);
  CostOptions costs;
  costs.batch = net.batch.value_or(1);
  return analyze(std::move(net), costs);
}

const LayerReport& layer_named(const Report& r, const std::string& name) {
  for (std::size_t i = 0; i < r.layers.size(); ++i) {
    if (r.layer(i).name == name) {
      return r.layers[i];
    }
  }
  FAIL("no layer " << name);
  return r.layers.front();
}

std::vector<std::int64_t> shape_of(const Report& r, const std::string& name) {
  return tensor_shape(layer_named(r, name).output, r.cost_options.batch);
}

using Dims = std::vector<std::int64_t>;

}  // namespace

TEST_CASE("a small CNN: conv, batch norm, ceil-mode pool, asymmetric pads, Gemm", "[onnx]") {
  const Report r = analyze_onnx("small_cnn.onnx");
  REQUIRE(r.layers.size() == 9);
  CHECK(r.net.name == "small_cnn");
  CHECK(r.layer(0).type == "conv");
  CHECK(shape_of(r, "conv1") == Dims{1, 8, 16, 16});
  CHECK(layer_named(r, "conv1").params == 224);  // 8 * 3 * 3 * 3 + 8
  CHECK(shape_of(r, "pool1") == Dims{1, 8, 9, 9});
  CHECK(*layer_named(r, "pool1").rf[0].rf == 7);
  CHECK(layer_named(r, "pool1").rf[0].jump == Ratio::of(4));
  const LayerReport& conv2 = layer_named(r, "conv2");
  CHECK(shape_of(r, "conv2") == Dims{1, 8, 9, 9});
  CHECK((*conv2.window)[0].pad_lo == 0);
  CHECK((*conv2.window)[0].pad_hi == 1);
  CHECK(*conv2.rf[1].rf == 11);
  CHECK(conv2.params == 256);  // no bias input
  CHECK(shape_of(r, "gap") == Dims{1, 8, 1, 1});
  CHECK(shape_of(r, "fc") == Dims{1, 10});
  CHECK(layer_named(r, "fc").params == 90);
  CHECK(layer_named(r, "fc").global_rf);
  CHECK(r.layer(7).type == "flatten");
}

// tf2onnx's NHWC input: the Transpose that follows it makes it NCHW, so it
// is read as (batch, h, w, channels): --input HxW and every region are the
// image's, the same as the NCHW spec's and the spec with a channels-last
// input's (conv 3x3 stride 2 pad 1, pool 2: rf 5, jump 4, unit 4,5 reads
// rows 15 to 19, columns 19 to 23).
TEST_CASE("an NHWC input transposed to NCHW is read as channels last", "[onnx]") {
  const Report r = analyze_onnx("nhwc_cnn.onnx");
  CHECK(r.input.layout == Layout::ChannelsLast);
  CHECK(tensor_shape(r.input, 1) == Dims{1, 20, 24, 3});
  CHECK(r.input.size == PerAxis<std::int64_t>{20, 24});
  CHECK(shape_of(r, "conv1") == Dims{1, 8, 10, 12});
  CHECK(shape_of(r, "mean") == Dims{1, 16});
  CHECK(r.warnings.empty());
  const std::string layers =
      "  - {name: conv1, type: conv, out_channels: 8, kernel_size: 3, stride: 2, padding: 1}\n"
      "  - {name: relu1, type: relu}\n"
      "  - {name: pool1, type: maxpool, kernel_size: 2, stride: 2}\n"
      "  - {name: conv2, type: conv, out_channels: 16, kernel_size: 1, bias: false}\n";
  const Report nchw = analyze_yaml("input: {size: [20, 24], channels: 3}\nlayers:\n" + layers);
  const Report last = analyze_yaml(
      "input: {size: [20, 24], channels: 3, channels_last: true}\nlayers:\n"
      "  - {name: to_nchw, type: permute, dims: [0, 3, 1, 2]}\n" +
      layers);
  CHECK(tensor_shape(last.input, 1) == Dims{1, 20, 24, 3});
  for (const Report* spec : {&nchw, &last}) {
    for (const char* name : {"conv1", "pool1", "conv2"}) {
      INFO(name);
      CHECK(layer_named(*spec, name).rf == layer_named(r, name).rf);
      CHECK(layer_named(*spec, name).params == layer_named(r, name).params);
    }
  }
  Report onnx = analyze_onnx("nhwc_cnn.onnx");
  const NetRegions regions = compute_regions(onnx, true);
  const UnitLocation at = locate_unit(onnx, regions, 4, {4, 5});  // conv2
  CHECK(at.actual[0].lo == 15);
  CHECK(at.actual[0].hi == 19);
  CHECK(at.actual[1].lo == 19);
  CHECK(at.actual[1].hi == 23);
  OnnxOptions o;
  o.overrides.size = PerAxis<std::int64_t>{40, 48};
  CHECK(shape_of(analyze_onnx("nhwc_cnn.onnx", o), "conv1") == Dims{1, 8, 20, 24});
  const RunResult run = run_netlens("analyze " + onnx_file("nhwc_cnn.onnx") + " -q");
  CHECK(lines_of(run.out).at(0) ==
        "nhwc_cnn (file:" + onnx_file("nhwc_cnn.onnx") +
            "): input 20x24, 3 channels (last: NHWC), keras convention, 7 layers");
  const json j = json::parse(run_netlens("analyze " + onnx_file("nhwc_cnn.onnx") + " -f json").out);
  CHECK(j["input"] == json::parse(R"({"size": [20, 24], "channels": 3, "channels_last": true})"));
}

// An audio net's [batch, samples] input, given its channel axis by an
// Unsqueeze: read as (batch, samples) with no channel axis, the samples
// holding positions (conv 25/10 then 3/2: rf 45, jump 20, unit 3 reads
// samples 60 to 104), as a spec with `channels: null` reads it.
TEST_CASE("a waveform that an Unsqueeze gives channels is read as (batch, samples)", "[onnx]") {
  const Report r = analyze_onnx("waveform.onnx");
  CHECK(r.input.keeps_grid());
  CHECK(r.input.dims == Dims{1, 400});
  CHECK(shape_of(r, "add_channel") == Dims{1, 1, 400});
  CHECK(layer_named(r, "add_channel").output.layout == Layout::Spatial);
  CHECK(shape_of(r, "conv2") == Dims{1, 16, 18});
  CHECK(layer_named(r, "conv2").rf[0].rf == 45);
  CHECK(layer_named(r, "conv2").rf[0].jump == Ratio::of(20));
  Report onnx = analyze_onnx("waveform.onnx");
  const NetRegions regions = compute_regions(onnx, true);
  const UnitLocation at = locate_unit(onnx, regions, 3, {3});
  CHECK(at.actual[0].lo == 60);
  CHECK(at.actual[0].hi == 104);
  const Report spec = analyze_yaml(
      "input: {size: [400], channels: null}\nlayers:\n"
      "  - {name: add_channel, type: reshape, shape: [-1, 1, 400]}\n"
      "  - {name: conv1, type: conv1d, out_channels: 8, kernel_size: 25, stride: 10}\n"
      "  - {name: relu1, type: relu}\n"
      "  - {name: conv2, type: conv1d, out_channels: 16, kernel_size: 3, stride: 2, bias: "
      "false}\n");
  for (const char* name : {"add_channel", "conv1", "conv2"}) {
    INFO(name);
    CHECK(layer_named(spec, name).rf == layer_named(r, name).rf);
    CHECK(layer_named(spec, name).params == layer_named(r, name).params);
  }
  const std::string file = onnx_file("waveform.onnx");
  CHECK(lines_of(run_netlens("analyze " + file + " -q").out).at(0) ==
        "waveform (file:" + file + "): input 400, no channel axis, keras convention, 5 layers");
  const json j = json::parse(run_netlens("analyze " + file + " -f json").out);
  CHECK(j["input"] == json::parse(R"({"size": [400], "channels": null, "shape": [1, 400]})"));
  CHECK(run_netlens("analyze " + file + " --channels 2").err ==
        "netlens: error: --channels: the input of waveform has no channel axis (channels: "
        "null)\n");
  CHECK(shape_of(analyze_onnx("waveform.onnx",
                              [] {
                                OnnxOptions o;
                                o.overrides.size = PerAxis<std::int64_t>{800};
                                return o;
                              }()),
                 "conv2") == Dims{1, 16, 38});
}

// torch's GroupNorm before opset 18: Reshape to [N, G, C/G x H x W], an
// InstanceNormalization, Reshape back, the affine as Mul and Add: the roles
// follow the groups through, so the receptive field is the spec's groupnorm's.
TEST_CASE("a GroupNorm exported as Reshape and InstanceNormalization keeps its regions", "[onnx]") {
  const Report r = analyze_onnx("group_norm.onnx");
  CHECK(shape_of(r, "to_groups") == Dims{1, 4, 576});
  CHECK(layer_named(r, "to_channels").output.layout == Layout::Spatial);
  REQUIRE(r.warnings.size() == 1);  // conv2's stride leaves a row and a column unread
  CHECK(r.warnings[0].kind == WarningKind::UnreadInput);
  const Report spec = analyze_yaml(
      "input: {size: [12, 12], channels: 3}\nlayers:\n"
      "  - {name: conv1, type: conv, out_channels: 16, kernel_size: 3, padding: 1}\n"
      "  - {name: gn, type: groupnorm, num_groups: 4}\n"
      "  - {name: conv2, type: conv, out_channels: 8, kernel_size: 3, stride: 2, bias: false}\n");
  for (const char* name : {"norm", "to_channels", "beta_add"}) {
    INFO(name);
    CHECK(layer_named(r, name).rf == layer_named(spec, "gn").rf);
  }
  CHECK(layer_named(r, "conv2").rf == layer_named(spec, "conv2").rf);
  CHECK(layer_named(r, "conv2").rf[0].rf == 5);
  // The norm's scale of ones and bias of zeros (4 each, Constant nodes) are
  // fixed, not learned: torch's 1,632 params, the affine in Mul and Add.
  CHECK(r.totals.params == 1632);
  CHECK(r.totals.params == spec.totals.params);
  CHECK(layer_named(r, "norm").params == 0);
}

// A half-precision file stores 2 bytes a param, a QDQ file's int8 weights 1:
// param memory counts them so unless --dtype asks for one type.
TEST_CASE("param memory is the bytes the file stores the weights in, unless --dtype says",
          "[onnx]") {
  const auto totals = [](const std::string& file, const std::string& options) {
    return nlohmann::json::parse(
        run_netlens("analyze " + source_path("tests/data/onnx/" + file) + " -f json " + options)
            .out)["totals"];
  };
  // 8x3x3x3 + 8 + 10x8 + 10 float16 params: 314 x 2 bytes.
  const auto half = totals("fp16_model.onnx", "");
  CHECK(half["params"] == 314);
  CHECK(half["param_memory"] == 628);
  CHECK(half["params_as_stored"] == true);
  CHECK(totals("fp16_model.onnx", "--dtype float32")["param_memory"] == 1256);
  CHECK_FALSE(totals("fp16_model.onnx", "--dtype float32").contains("params_as_stored"));
  // int8: 108 + 16 weights at 1 byte, the float bias 4 x 4.
  const auto qdq = totals("qdq_weights.onnx", "");
  CHECK(qdq["params"] == 128);
  CHECK(qdq["param_memory"] == 108 + 16 + 16);
  CHECK(totals("qdq_weights.onnx", "--dtype int8")["param_memory"] == 128);
  // A float32 file is as before: no key, the dtype's bytes.
  CHECK_FALSE(totals("group_norm.onnx", "").contains("params_as_stored"));
  const RunResult table = run_netlens("analyze " + source_path("tests/data/onnx/fp16_model.onnx"));
  CHECK(table.out.find("\nparams: 314 (628 B as the file stores them)\n") != std::string::npos);
}

// torch.nn counts: Conv2d(3, 8, 3, bias=False) 216, BatchNorm2d(8,
// affine=False) 0 (+ 17 buffers), InstanceNorm2d(8) 0, an untrained
// InstanceNorm2d(8, affine=True) 16, though its ones and zeros are the same
// values as the fixed ones: learned ones are initializers.
TEST_CASE("a norm reading fixed ones and zeros from Constant nodes has no params", "[onnx]") {
  const Report r = analyze_onnx("fixed_norms.onnx");
  CHECK(layer_named(r, "bn").params == 0);
  CHECK(layer_named(r, "in").params == 0);
  CHECK(layer_named(r, "in_aff").params == 16);
  CHECK(r.totals.params == 232);
  CHECK(r.totals.buffers == 17);
}

TEST_CASE("x.view(x.size(0), -1): the shape subgraph is folded into a flatten", "[onnx]") {
  OnnxOptions o;
  o.overrides.batch = 3;
  const Report r = analyze_onnx("view_flatten.onnx", o);
  REQUIRE(r.layers.size() == 3);  // Shape, Gather, Unsqueeze, Concat are no layers
  CHECK(r.layer(1).name == "view");
  CHECK(r.layer(1).type == "flatten");
  CHECK(shape_of(r, "view") == Dims{3, 144});
  CHECK(r.layer(2).type == "linear");
  CHECK(shape_of(r, "fc") == Dims{3, 5});
  CHECK(layer_named(r, "fc").params == 720);  // MatMul: no bias
}

TEST_CASE("ConvTranspose, Resize, Concat, Pad from an input, SAME_UPPER pooling", "[onnx]") {
  const Report r = analyze_onnx("upsample_net.onnx");
  CHECK(shape_of(r, "deconv") == Dims{2, 6, 10, 10});
  CHECK(layer_named(r, "deconv").rf[0].jump == *Ratio::make(1, 2));
  CHECK(shape_of(r, "resize") == Dims{2, 4, 10, 10});
  CHECK(r.layer(1).extra->mode == UpsampleMode::Nearest);
  CHECK(shape_of(r, "cat") == Dims{2, 10, 10, 10});
  CHECK(shape_of(r, "pad") == Dims{2, 10, 11, 12});
  const LayerReport& pool = layer_named(r, "pool");
  CHECK(shape_of(r, "pool") == Dims{2, 10, 6, 6});
  // SAME_UPPER: 11 -> 6 pads 2 in all, 1 and 1; 12 -> 6 pads 1, after.
  CHECK((*pool.window)[0].pad_lo == 1);
  CHECK((*pool.window)[0].pad_hi == 1);
  CHECK((*pool.window)[1].pad_lo == 0);
  CHECK((*pool.window)[1].pad_hi == 1);
}

TEST_CASE("ShuffleNet's chunk sizes are folded, its channel shuffle is one layer", "[onnx]") {
  const Report r = analyze_onnx("shuffle_block.onnx");
  std::vector<std::string> types;
  for (const Layer& l : r.net.layers) {
    types.emplace_back(l.type);
  }
  // (8 + 1) / 2 * 1 = 4 and * 2 = 8: the chunks [0:4] and [4:8] of the channels.
  CHECK(types ==
        std::vector<std::string>{"conv", "slice", "slice", "relu", "concat", "channel_shuffle"});
  CHECK(r.layer(1).extra->start == 0);
  CHECK(*r.layer(1).extra->stop == 4);
  CHECK(r.layer(2).extra->start == 4);
  CHECK(*r.layer(2).extra->stop == 8);
  CHECK(shape_of(r, "chunk1") == Dims{1, 4, 6, 6});
  CHECK(r.layer(5).name == "shuffle");
  CHECK(r.layer(5).groups == 2);
  CHECK(shape_of(r, "shuffle") == Dims{1, 8, 6, 6});
}

TEST_CASE("an input of [batch, features]: Gemm, a per-feature constant, MatMul", "[onnx]") {
  const Report r = analyze_onnx("mlp.onnx");
  REQUIRE(r.layers.size() == 5);
  CHECK(r.input.layout == Layout::Flat);
  CHECK(shape_of(r, "fc1") == Dims{4, 32});
  CHECK(layer_named(r, "fc1").params == 672);  // 20 * 32 + 32
  CHECK(r.layer(2).type == "scale");
  CHECK(layer_named(r, "gain").params == 32);  // one per feature
  CHECK(shape_of(r, "fc2") == Dims{4, 10});
  CHECK(layer_named(r, "fc2").params == 320);
  CHECK(shape_of(r, "softmax") == Dims{4, 10});
  const std::string file = onnx_file("mlp.onnx");
  const RunResult table = run_netlens("analyze " + file);
  CHECK(lines_of(table.out).at(0) ==
        "mlp (file:" + file + "): input 20 features, keras convention, 5 layers");
  const RunResult locate = run_netlens("locate " + file + " --layer fc1 --unit 0");
  CHECK(locate.status == 1);
  CHECK(locate.err == "netlens: error: " + file +
                          ": the input of mlp has no spatial axis ([batch, features]): locate "
                          "needs one\n");
}

TEST_CASE("the options --input, --channels and --batch override the graph input", "[onnx]") {
  OnnxOptions o;
  o.overrides.size = PerAxis<std::int64_t>(1, 64);
  o.overrides.batch = 4;
  const Report r = analyze_onnx("small_cnn.onnx", o);
  CHECK(shape_of(r, "pool1") == Dims{4, 8, 17, 17});
  CHECK(shape_of(r, "fc") == Dims{4, 10});
  OnnxOptions h;
  h.overrides.size.push_back(12);
  h.overrides.size.push_back(8);
  CHECK(shape_of(analyze_onnx("symbolic_height.onnx", h), "conv") == Dims{1, 4, 10, 6});
}

TEST_CASE("bad ONNX files: one error line each, naming what is wrong", "[onnx][cli]") {
  const std::string dir = source_path("tests/data/onnx/");
  const std::pair<const char*, std::string> cases[] = {
      {"bad_op.onnx",
       "node 'odd' (Celu2, opset 13): operator Celu2 is not supported "
       "(docs/onnx.md lists the operators netlens reads)"},
      {"bad_domain.onnx",
       "node 'fused' (com.example.FusedThing, opset 13): operator FusedThing "
       "of domain 'com.example' is not supported (docs/onnx.md lists the "
       "operators netlens reads)"},
      {"bad_cycle.onnx", "the graph has a cycle through node 'a' (Relu)"},
      {"bad_dangling.onnx",
       "node 'add' (Add) reads tensor 'nowhere', which no node, input or initializer makes"},
      {"symbolic_height.onnx",
       "graph input 'x' has the symbolic dim 'height' (axis 2): give its size with --input HxW"},
      {"bad_dims.onnx",
       "initializer 'huge': dims [1099511627776, 1099511627776, 3, 3] are "
       "negative or too large"},
      {"bad_truncated.onnx", "not a valid ONNX file (the protobuf is truncated or corrupt)"},
      {"bad_zeros.onnx", "not a valid ONNX file (the protobuf is truncated or corrupt)"},
  };
  for (const auto& [file, message] : cases) {
    const RunResult run = run_netlens("analyze " + dir + file);
    INFO(file);
    CHECK(run.status == 1);
    CHECK(run.out.empty());
    CHECK(run.err == "netlens: error: " + dir + file + ": " + message + "\n");
  }
}

TEST_CASE("an ONNX file is known by its content when its name says nothing", "[onnx][cli]") {
  CHECK(is_onnx_source("model.onnx", "not even protobuf"));
  CHECK(is_onnx_source("model.bin", std::string("\x08\x07\x12", 3)));
  CHECK_FALSE(is_onnx_source("net.txt", "name: x\nlayers: []\n"));
  CHECK_FALSE(is_onnx_source("net.yaml", std::string("\x08\x07", 2)));
  const RunResult run = run_netlens("analyze " + source_path("tests/data/onnx/small_cnn.onnx") +
                                    " --format csv --columns name,size,channels");
  CHECK(run.status == 0);
  CHECK(lines_of(run.out).at(9) == "fc,,,10\r");  // RFC 4180 line ends
}

TEST_CASE("the option --onnx-max-bytes limits ONNX files, over --max-bytes", "[onnx][cli]") {
  const std::string file = source_path("tests/data/onnx/small_cnn.onnx");
  const RunResult run = run_netlens("analyze " + file + " --onnx-max-bytes 100");
  CHECK(run.status == 1);
  CHECK(run.err == "netlens: error: " + file +
                       ": ONNX file is larger than 100 bytes (raise the limit with "
                       "--onnx-max-bytes)\n");
  CHECK(run_netlens("analyze " + file + " --max-bytes 100 --onnx-max-bytes 100000").status == 0);
}

TEST_CASE("an ONNX model piped in: `-` reads the bytes, which decide ONNX or spec", "[onnx][cli]") {
  const std::string file = onnx_file("small_cnn.onnx");
  const RunResult from_file = run_netlens("analyze " + file + " --format json -q");
  const RunResult piped = run_netlens("analyze - --format json -q", slurp(file));
  REQUIRE(piped.status == 0);
  CHECK(piped.err.empty());
  json a = json::parse(from_file.out);
  json b = json::parse(piped.out);
  CHECK(b["net"] == json{{"name", "stdin"}, {"source", "stdin"}});
  CHECK(a["layers"] == b["layers"]);
  CHECK(a["totals"] == b["totals"]);
  const RunResult truncated = run_netlens("analyze -", slurp(file).substr(0, 300));
  CHECK(truncated.status == 1);
  CHECK(truncated.err ==
        "netlens: error: <stdin>: not a valid ONNX file (the protobuf is truncated or corrupt)\n");
  const RunResult limit = run_netlens("analyze - --onnx-max-bytes 100", slurp(file));
  CHECK(limit.status == 1);
  CHECK(limit.err ==
        "netlens: error: <stdin>: ONNX file is larger than 100 bytes (raise the limit with "
        "--onnx-max-bytes)\n");
  const RunResult spec = run_netlens("analyze - --max-bytes 10", "name: x\nlayers: []\n");
  CHECK(spec.status == 1);
  CHECK(spec.err ==
        "netlens: error: <stdin>: spec is larger than 10 bytes (raise the limit with "
        "--max-bytes)\n");
}

TEST_CASE("params are the elements of the initializers a node reads, and shared ones are said",
          "[onnx]") {
  const Report r = analyze_onnx("shared_weights.onnx");
  REQUIRE(r.layers.size() == 5);
  CHECK(layer_named(r, "conv_a").params == 108);  // w: 4 x 3 x 3 x 3
  CHECK(layer_named(r, "conv_b").params == 112);  // the same w, and its bias
  CHECK(layer_named(r, "add").params == 0);
  CHECK(layer_named(r, "layer_scale").params == 4);  // gamma [1, 4, 1, 1]
  CHECK(layer_named(r, "bn").params == 8);           // scale and shift; mean and var are buffers
  CHECK(r.totals.params == 232);
  CHECK(r.totals.buffers == 9);
  CHECK(r.net.shared_params == 108);
  const std::string file = onnx_file("shared_weights.onnx");
  const RunResult table = run_netlens("analyze " + file);
  CHECK(lines_of(table.out).at(10) ==
        "params: 232 (928 B at float32) + buffers: 9 (36 B); 108 of the params are weights "
        "several layers read (counted in each)");
  const RunResult js = run_netlens("analyze " + file + " --format json");
  CHECK(json::parse(js.out)["totals"]["shared_params"] == 108);
  // A spec never shares: no key.
  const RunResult spec = run_netlens("analyze vgg16 --format json");
  CHECK_FALSE(json::parse(spec.out)["totals"].contains("shared_params"));
}

// A Conv on x [1, 3, 8, 8] whose weight [4, 3, 3, 3] and bias [4] are Constant
// nodes (as Paddle2ONNX writes every weight), the weight through an Identity;
// then an Add of a Constant scalar (an epsilon).
std::string constant_weights_model() {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(13);
  onnx::GraphProto& g = *m.mutable_graph();
  onnx::ValueInfoProto& x = *g.add_input();
  x.set_name("x");
  x.mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  for (const std::int64_t d : {1, 3, 8, 8}) {
    x.mutable_type()->mutable_tensor_type()->mutable_shape()->add_dim()->set_dim_value(d);
  }
  const auto constant = [&](const std::string& name, const std::vector<std::int64_t>& dims) {
    onnx::NodeProto& n = *g.add_node();
    n.set_op_type("Constant");
    n.add_output(name);
    onnx::AttributeProto& a = *n.add_attribute();
    a.set_name("value");
    a.set_type(onnx::AttributeProto::TENSOR);
    onnx::TensorProto& t = *a.mutable_t();
    t.set_data_type(onnx::TensorProto::FLOAT);
    std::int64_t count = 1;
    for (const std::int64_t d : dims) {
      t.add_dims(d);
      count *= d;
    }
    t.set_raw_data(std::string(static_cast<std::size_t>(count) * 4, '\0'));
  };
  constant("w", {4, 3, 3, 3});
  constant("b", {4});
  onnx::NodeProto& id = *g.add_node();
  id.set_op_type("Identity");
  id.add_input("w");
  id.add_output("w_read");
  onnx::NodeProto& conv = *g.add_node();
  conv.set_name("conv");
  conv.set_op_type("Conv");
  for (const char* in : {"x", "w_read", "b"}) {
    conv.add_input(in);
  }
  conv.add_output("y");
  constant("eps", {});
  onnx::NodeProto& add = *g.add_node();
  add.set_name("add");
  add.set_op_type("Add");
  add.add_input("y");
  add.add_input("eps");
  add.add_output("z");
  g.add_output()->set_name("z");
  return m.SerializeAsString();
}

TEST_CASE("weights stored in Constant nodes count as the layer's params", "[onnx]") {
  const Report r = analyze(read_onnx_bytes(constant_weights_model(), "c.onnx", {}));
  REQUIRE(r.layers.size() == 2);
  CHECK(r.layers[0].params == 112);  // 4 x 3 x 3 x 3 + 4: no longer 0
  CHECK(r.layers[1].params == 0);    // a single value is no weight
  CHECK(r.totals.params == 112);
}

TEST_CASE("a symbolic batch dim is taken as 1, with a warning that --batch sets it",
          "[onnx][cli]") {
  const std::string file = source_path("tests/data/onnx/view_flatten.onnx");
  const RunResult run = run_netlens("analyze " + file + " --format json");
  CHECK(run.status == 0);
  CHECK(run.err == "netlens: warning: " + file +
                       ": the input's batch dim 'batch_size' is symbolic: analyzed at batch 1 "
                       "(--batch N sets it) [-Wassumed-batch]\n");
  CHECK(nlohmann::json::parse(run.out)["batch"] == 1);
  const RunResult given = run_netlens("analyze " + file + " --batch 4 --format json");
  CHECK(given.err.empty());
  CHECK(nlohmann::json::parse(given.out)["batch"] == 4);
}

// Every dim the options must still give is named in one error, with the
// options that give them.
TEST_CASE("the symbolic dims of an ONNX input are named in one error", "[onnx]") {
  onnx::ModelProto m;
  REQUIRE(m.ParseFromString(constant_weights_model()));
  auto& dims =
      *m.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
  dims.mutable_dim(0)->set_dim_param("n");
  dims.mutable_dim(1)->set_dim_param("c");
  dims.mutable_dim(2)->set_dim_param("h");
  dims.mutable_dim(3)->set_dim_param("w");
  CHECK_THROWS_WITH(
      read_onnx_bytes(m.SerializeAsString(), "c.onnx", {}),
      "c.onnx: graph input 'x' has the symbolic dim 'c' (axis 1), the symbolic dim 'h' "
      "(axis 2), the symbolic dim 'w' (axis 3): give their sizes with --channels C --input HxW");
  m.mutable_opset_import(0)->set_version(19);
  CHECK_THROWS_WITH(read_onnx_bytes(m.SerializeAsString(), "c.onnx", {}),
                    "c.onnx: the model imports opset 19 of ai.onnx; netlens reads opsets 1 to 18");
}

TEST_CASE("a node name that is not UTF-8 becomes a valid one, so JSON can hold it", "[onnx]") {
  onnx::ModelProto m;
  REQUIRE(m.ParseFromString(constant_weights_model()));
  for (onnx::NodeProto& n : *m.mutable_graph()->mutable_node()) {
    if (n.name() == "conv") {
      n.set_name("conv\xff\xc3");  // a stray byte, a truncated sequence
    }
  }
  const Report r = analyze(read_onnx_bytes(m.SerializeAsString(), "c.onnx", {}));
  CHECK(r.layer(0).name == "conv\xEF\xBF\xBD\xEF\xBF\xBD");  // U+FFFD twice
  CHECK(render_json(r).find("\"name\":\"conv\xEF\xBF\xBD\xEF\xBF\xBD\"") != std::string::npos);
}

// Dims are ONNX's (onnx.checker's shape inference agrees with the declared
// output, [2, 6]);
// MACs are those of numpy's matmul: q 2x5x6 by 6x6, scores 2x5x5 by 6, the
// scores by the tokens 2x5x6 by 5.
TEST_CASE("a ViT-like block: whole tensors, matmuls, constants, a second input", "[onnx]") {
  const Report r = analyze_onnx("token_attention.onnx");
  CHECK(shape_of(r, "patch") == Dims{2, 6, 2, 2});
  CHECK(shape_of(r, "tokens") == Dims{2, 6, 4});
  CHECK(shape_of(r, "nlc") == Dims{2, 4, 6});
  CHECK(shape_of(r, "cls") == Dims{2, 1, 6});
  CHECK(shape_of(r, "with_cls") == Dims{2, 5, 6});
  CHECK(shape_of(r, "q") == Dims{2, 5, 6});
  CHECK(shape_of(r, "k_t") == Dims{2, 6, 5});
  CHECK(shape_of(r, "scores") == Dims{2, 5, 5});
  CHECK(shape_of(r, "attend") == Dims{2, 5, 6});
  CHECK(shape_of(r, "extra") == Dims{2, 5, 6});
  CHECK(shape_of(r, "cls_out") == Dims{2, 6});
  CHECK(r.layer(0).type == "extra_input");
  CHECK(layer_named(r, "cls").params == 12);  // the class token, a learned constant
  CHECK(layer_named(r, "q").params == 36);
  CHECK(layer_named(r, "q").cost.macs == 360);
  CHECK(layer_named(r, "scores").cost.macs == 300);
  CHECK(layer_named(r, "attend").cost.macs == 300);
  CHECK(layer_named(r, "softmax").cost.other_ops == 50);
  CHECK(layer_named(r, "add_extra").cost.other_ops == 60);
  CHECK(layer_named(r, "patch").cost.macs == 2304);  // 2 x 24 outputs x 48: still with roles
  CHECK(r.total_params == 342);
  // The roles carry the patches' regions through the Reshape, the
  // Transpose, the class token and q; the scores read a query's and a key's
  // patch (unknown); the softmax over the keys and the sum over them mix
  // every token (global).
  for (const char* name : {"tokens", "nlc", "with_cls", "q", "k_t"}) {
    INFO(name);
    CHECK(layer_named(r, name).rf[0].rf == 4);
    CHECK(layer_named(r, name).rf[1].jump == Ratio::of(4));
  }
  CHECK(layer_named(r, "with_cls").output.extra_tokens == 1);
  CHECK(layer_named(r, "scores").rf_unknown);
  CHECK(layer_named(r, "softmax").global_rf);
  CHECK(layer_named(r, "attend").global_rf);
  CHECK_FALSE(layer_named(r, "attend").rf_unknown);
  CHECK(layer_named(r, "attend").output.layout == Layout::TokensLast);
  CHECK(r.warnings.empty());
  const RunResult run = run_netlens("analyze " + onnx_file("token_attention.onnx") +
                                    " -q --columns name,size,ch,rf,params,macs");
  CHECK(run.status == 0);
  CHECK(lines_of(run.out).at(4) == "extra      [2, 5, 6]   -       ?       0       0");
  CHECK(lines_of(run.out).at(5) == "patch              2   6       4     294  2.30 k");
  CHECK(lines_of(run.out).at(6) == "tokens           2x2   6       4       0       0");
  CHECK(lines_of(run.out).at(12) == "scores     [2, 5, 5]   -       ?       0     300");
  CHECK(lines_of(run.out).at(13) == "softmax    [2, 5, 5]   -  global       0       0");
  // CSV: a whole tensor has no per-axis size and no channels.
  const RunResult csv = run_netlens("analyze " + onnx_file("token_attention.onnx") + " -q -f csv");
  CHECK(lines_of(csv.out).at(9) == "9,scores,matmul,,,,,,,,,,0,300,2x5x5,,unknown\r");  // CRLF
  // JSON: unknown is null, not global; locate and --erf say why there is no region.
  const RunResult as_json =
      run_netlens("analyze " + onnx_file("token_attention.onnx") + " -q -f json");
  CHECK(as_json.out.find("\"name\":\"scores\",\"type\":\"matmul\"") != std::string::npos);
  CHECK(as_json.out.find("\"rf\":null,\"rf_min\":null,\"jump\":null,\"padding_eff\":null,"
                         "\"center_offset\":null,\"global_rf\":null") != std::string::npos);
  const RunResult locate =
      run_netlens("locate " + onnx_file("token_attention.onnx") + " --layer scores --unit 0,0");
  CHECK(locate.status == 2);
  CHECK(locate.err ==
        "netlens: error: layer 'scores' ([2, 5, 5]): which input positions its units read is "
        "unknown (docs/semantics.md, \"Whole tensors\")\n");
}

TEST_CASE("a 1-D input (no batch, no roles) and a graph output computed from shapes alone",
          "[onnx]") {
  const Report r = analyze_onnx("vector.onnx");
  CHECK(r.input.is_whole());
  CHECK(r.input.dims == Dims{5});
  CHECK(r.cost_options.batch == 1);
  CHECK(shape_of(r, "relu") == Dims{5});
  CHECK(shape_of(r, "tail") == Dims{3});
  CHECK(shape_of(r, "cat") == Dims{8});
  CHECK(shape_of(r, "total") == Dims{});
  CHECK(shape_of(r, "n") == Dims{1});  // Shape's output: a constant layer
  CHECK(r.layer(4).type == "constant");
  CHECK(r.outputs == std::vector<std::size_t>{4, 5});
  CHECK(layer_named(r, "total").cost.other_ops == 8);
  CHECK(r.totals.input_memory == 20);
  CHECK(r.warnings.empty());  // the input had no roles to lose
  const std::string file = onnx_file("vector.onnx");
  const json j = json::parse(run_netlens("analyze " + file + " -f json").out);
  CHECK(j["input"].dump() == R"({"channels":null,"shape":[5],"size":[]})");
  CHECK(j["layers"][3]["output"].dump() == R"({"channels":null,"size":[]})");
  CHECK(j["layers"][3]["shape"].dump() == "[]");
  for (const auto& [command, message] :
       {std::pair<std::string, std::string>{
            "plot",
            "the input of vector is [5], a whole tensor (no spatial axis): plot "
            "needs one"},
        {"sizes", "the input of vector has no spatial axis (a whole tensor): sizes needs one"}}) {
    const RunResult run = run_netlens(command + " " + file);
    INFO(command);
    CHECK(run.status == 1);
    CHECK(run.err == "netlens: error: " + file + ": " + message + "\n");
  }
}

// Each target is computed from x's shape by folding; the dims are the ones
// onnx.checker's shape inference gives (tools/make_onnx_tests.py).
TEST_CASE("shape arithmetic folds: Transpose, Where, Expand, ScatterND, Pow, 2-D Slice", "[onnx]") {
  const Report r = analyze_onnx("folded_shapes.onnx");
  CHECK(shape_of(r, "by_transpose") == Dims{1, 6, 4, 6});
  CHECK(shape_of(r, "by_where") == Dims{4, 1, 3, 4, 3});
  CHECK(shape_of(r, "by_scatter") == Dims{2, 6, 2, 6});
  CHECK(shape_of(r, "by_slice") == Dims{4, 6, 6});
  // A Pad of a channels-last tensor pads its spatial axes, roles kept.
  CHECK(shape_of(r, "pad_nhwc") == Dims{1, 8, 8, 4});
  CHECK(layer_named(r, "pad_nhwc").output.channels_last());
  CHECK((*layer_named(r, "pad_nhwc").window)[0].pad_lo == 1);
  CHECK(*layer_named(r, "pad_nhwc").rf[0].rf == 1);
  // A global pool of a whole tensor: the mean over dims 2.., kept.
  CHECK(r.layer(6).type == "mean");
  CHECK(shape_of(r, "pool_whole") == Dims{2, 6, 1, 1});
  CHECK(r.layers.size() == 7);
}

// A weight read through a folded Cast (fp16 to float) or Transpose is still
// the file's weight: its elements count, once.
TEST_CASE("weights through folded Cast and Transpose count as params", "[onnx]") {
  const Report r = analyze_onnx("cast_weights.onnx");
  CHECK(layer_named(r, "conv").params == 108);
  CHECK(layer_named(r, "fc").params == 24);
  CHECK(r.total_params == 132);
  CHECK(r.net.shared_params == 0);
}

// A QDQ model (ONNX Runtime's quantizer): QuantizeLinear and DequantizeLinear
// between layers are layers of their own that keep each unit's position; an
// int8 weight dequantized, or Cast and scaled by a Mul, is still the file's
// weight.
TEST_CASE("QDQ: quantized activations and int8 weights dequantized count as the float model",
          "[onnx]") {
  const Report r = analyze_onnx("qdq_weights.onnx");
  REQUIRE(r.layers.size() == 5);
  CHECK(r.layer(0).type == "quantize");
  CHECK(r.layer(1).type == "dequantize");
  CHECK(layer_named(r, "conv").params == 108 + 4);
  CHECK(layer_named(r, "conv2").params == 16);
  CHECK(r.total_params == 128);
  CHECK(layer_named(r, "conv2").rf[0].rf == 3);
  CHECK(r.warnings.empty());
}

// If: a condition that folds (the input's height > 4) picks its branch,
// whose nodes are layers named IF/then/NODE; one that depends on the input
// reads the then branch with a warning, or the branch --onnx-branch names.
TEST_CASE("If reads the branch its folded condition or --onnx-branch picks", "[onnx]") {
  const Report folded = analyze_onnx("if_folded.onnx");
  REQUIRE(folded.layers.size() == 1);
  CHECK(folded.layer(0).name == "if/then/conv3");
  CHECK(folded.layers[0].params == 108);  // the branch's own initializer
  CHECK(shape_of(folded, "if/then/conv3") == Dims{1, 4, 6, 6});
  CHECK(folded.warnings.empty());

  const Report guessed = analyze_onnx("if_unfolded.onnx");
  CHECK(layer_named(guessed, "if/then/relu").rf[0].rf == 3);
  CHECK(layer_named(guessed, "conv2").rf[0].rf == 5);
  CHECK(layer_named(guessed, "conv2").params == 144);  // the outer graph's weight
  REQUIRE(guessed.warnings.size() == 2);
  CHECK(guessed.warnings[0].kind == WarningKind::GuessedBranch);
  CHECK(guessed.warnings[0].text ==
        "If node 'if': its condition depends on the input; its then branch was read "
        "(--onnx-branch 'if=else' reads the other)");
  CHECK(guessed.warnings[1].kind == WarningKind::DeadLayer);  // the condition, read by no layer
  CHECK(guessed.warnings[1].layer == "positive");

  OnnxOptions options;
  options.branches = {{"if", "else"}};
  const Report chosen = analyze_onnx("if_unfolded.onnx", options);
  CHECK(layer_named(chosen, "if/else/pool").rf[0].rf == 5);
  CHECK(layer_named(chosen, "conv2").rf[0].rf == 7);
  CHECK(chosen.warnings.size() == 1);  // the dead condition only
  const RunResult bad =
      run_netlens("analyze tests/data/onnx/if_unfolded.onnx --onnx-branch if=maybe");
  CHECK(bad.status == 2);  // a usage error
  CHECK(bad.err == "netlens: error: --onnx-branch takes NODE=then or NODE=else, got 'if=maybe'\n");
}

// ONNX Runtime's optimized files: its fused operators (com.microsoft) are the
// layers they fuse, with the file's params.
TEST_CASE("ONNX Runtime's fused operators read as the layers they fuse", "[onnx]") {
  const Report r = analyze_onnx("ort_fused.onnx");
  REQUIRE(r.layers.size() == 7);
  CHECK(layer_named(r, "conv").params == 112);
  CHECK(layer_named(r, "gelu").params == 4);
  CHECK(layer_named(r, "skip_norm/add").inputs.size() == 2);
  CHECK(layer_named(r, "skip_norm").params == 12);
  CHECK(r.layer(6).type == "linear");
  CHECK(layer_named(r, "proj").params == 24);
  CHECK(r.total_params == 152);
  CHECK(layer_named(r, "proj").rf[0].rf == 3);
  CHECK(r.warnings.empty());
}
