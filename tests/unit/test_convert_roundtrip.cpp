// `netlens convert` round-trips every net netlens ships or tests: the spec it
// writes analyzes to the same JSON report (regions included) as the net it
// was written from, for every bundled net, every spec and ONNX file under
// tests/data and every spec tools/torch2netlens.py wrote there.
#include <catch2/catch.hpp>
#include <sstream>

#include "engine/regions.h"
#include "format/format.h"
#include "helpers.h"
#include "onnx/reader.h"
#include "parse/bundled.h"
#include "parse/spec_writer.h"

using namespace netlens;
using namespace netlens::test;

namespace {

// The JSON report of `net`, and of the spec written from it (whose source
// is the original's: only the text differs).
std::pair<std::string, std::string> reports(const Net& net) {
  const auto json = [](Net n) {
    const CostOptions costs{n.batch.value_or(1), DType::Float32};
    Report report = analyze(std::move(n), costs);
    const NetRegions regions = compute_regions(report, true);
    return render_json(report, &regions);
  };
  Net written = parse_spec(write_spec(net), net.file + ".converted.yaml", net.name);
  written.source = net.source;
  return {json(net), json(std::move(written))};
}

std::vector<std::string> spec_files() {
  std::vector<std::string> files;
  for (const std::string dir :
       {"tests/data/models", "tests/data/transformers", "tests/data/oracle"}) {
    for (const std::string& f : files_under(source_path(dir), {".yaml", ".json"})) {
      files.push_back(f);
    }
  }
  for (const std::string name :
       {"good_seed.yaml", "good_small.json", "good_small.yaml", "good_warn.yaml"}) {
    files.push_back(source_path("tests/data/" + name));
  }
  return files;
}

}  // namespace

TEST_CASE("convert round-trips every bundled net", "[parse][convert]") {
  REQUIRE(bundled_nets().size() == 27);
  for (const BundledNet& b : bundled_nets()) {
    INFO(b.name);
    std::istringstream no_stdin;
    const auto [original, converted] = reports(load_net(std::string(b.name), no_stdin));
    CHECK(converted == original);
  }
}

TEST_CASE("convert round-trips every spec under tests/data", "[parse][convert]") {
  const std::vector<std::string> files = spec_files();
  REQUIRE(files.size() == 34);
  for (const std::string& file : files) {
    INFO(file);
    std::istringstream no_stdin;
    const auto [original, converted] = reports(load_net(file, no_stdin));
    CHECK(converted == original);
  }
}

TEST_CASE("convert round-trips every ONNX file under tests/data", "[onnx][convert]") {
  std::size_t read = 0;
  for (const std::string& file : files_under(source_path("tests/data/onnx"), {".onnx"})) {
    if (file.find("/bad_") != std::string::npos) {
      continue;  // files made to fail (test_onnx_reader.cpp)
    }
    INFO(file);
    OnnxOptions options;
    if (file.ends_with("symbolic_height.onnx")) {
      options.overrides.size = {64};  // its height is a symbol
    }
    if (file.ends_with("view_flatten.onnx")) {
      options.overrides.batch = 3;  // its batch is a symbol
    }
    if (file.ends_with("if_unfolded.onnx")) {
      options.branches = {{"if", "else"}};  // its condition is the input's mean
    }
    const auto [original, converted] = reports(read_onnx_file(file, options));
    CHECK(converted == original);
    ++read;
  }
  CHECK(read == 35);
}

TEST_CASE("convert writes every field a spec gave, inert ones too, and nothing else",
          "[parse][convert]") {
  const Net net = parse_yaml(
      "input: {size: 8, channels: 4}\n"
      "layers:\n"
      "  - {name: bn, type: BatchNorm2d, track_running_stats: false, eps: 0.001, momentum: 0.2}\n"
      "  - {name: gn, type: groupnorm, num_groups: 2, affine: false}\n"
      "  - {name: ln, type: layernorm, elementwise_affine: false, normalized_shape: [4, 8, 8]}\n"
      "  - {name: up, type: upsample, scale_factor: 1.5, recompute_scale_factor: true, "
      "mode: bilinear, align_corners: true}\n"
      "  - {name: crop, type: crop, size: 6, offset: [1, 2]}\n"
      "  - {name: pool, type: adaptive_avgpool, output_size: 3}\n"
      "  - {name: shuffle, type: channel_shuffle, groups: 2}\n"
      "  - {name: g, type: gelu, approximate: tanh}\n"
      "  - {name: drop, type: stochastic_depth, p: 0.1, mode: row}\n"
      "  - {name: sm, type: softmax, axis: 1}\n"
      "  - {name: lrn, type: LocalResponseNorm, local_size: 3}\n"
      "  - {name: p2, type: MaxPool2d, kernel_size: 1, stride: null, inputs: [lrn]}\n");
  CHECK(
      lines_of(write_spec(net)) ==
      std::vector<std::string>{
          "# t as a netlens spec (netlens convert)", "name: t", "input: {size: 8, channels: 4}",
          "convention: pytorch", "layers:",
          "  - {name: bn, type: batchnorm2d, eps: 0.001, momentum: 0.2, track_running_stats: "
          "false}",
          "  - {name: gn, type: groupnorm, num_groups: 2, affine: false}",
          "  - {name: ln, type: layernorm, elementwise_affine: false, normalized_shape: [4, 8, 8]}",
          "  - {name: up, type: upsample, scale_factor: 1.5, mode: bilinear, align_corners: true, "
          "recompute_scale_factor: true}",
          "  - {name: crop, type: crop, size: 6, offset: [1, 2]}",
          "  - {name: pool, type: adaptive_avgpool, output_size: 3}",
          "  - {name: shuffle, type: channel_shuffle, groups: 2}",
          "  - {name: g, type: gelu, approximate: tanh}",
          "  - {name: drop, type: stochastic_depth, p: 0.1, mode: row}",
          "  - {name: sm, type: softmax, dim: 1}", "  - {name: lrn, type: lrn, size: 3}",
          "  - {name: p2, type: maxpool2d, inputs: [lrn], kernel_size: 1}"});
  const auto [original, converted] = reports(net);
  CHECK(converted == original);
}

TEST_CASE("convert writes the seed's form back as it was", "[parse][convert]") {
  const Net net = parse_yaml(
      "net: [[11, 4, 0], [3, 2, 0], [5, 1, 2]]\n"
      "name: [conv1, pool1, conv2]\n"
      "input: {size: 227}\n");
  CHECK(lines_of(write_spec(net)) ==
        std::vector<std::string>{"# t as a netlens spec (netlens convert)", "input: {size: 227}",
                                 "convention: pytorch", "net: [[11, 4, 0], [3, 2, 0], [5, 1, 2]]",
                                 "name: [conv1, pool1, conv2]"});
}
