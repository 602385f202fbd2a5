// `netlens convert FILE.onnx`: the spec it writes analyzes to the same report;
// and torchvision's ResNet-18 exported by torch.onnx.export (weights
// stripped; tools/make_onnx_tests.py --torch) against the bundled spec.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "helpers.h"

using namespace netlens::test;
using nlohmann::json;

namespace {

std::string onnx_file(const std::string& name) { return source_path("tests/data/onnx/" + name); }

json analyze_json(const std::string& args) {
  const RunResult run = run_netlens("analyze " + args + " --format json -q");
  REQUIRE(run.status == 0);
  json j = json::parse(run.out);
  j.erase("net");  // the source differs: file:x.onnx and file:x.yaml
  return j;
}

}  // namespace

TEST_CASE("convert writes a spec that analyzes as the ONNX file does", "[onnx][cli]") {
  char tmpl[] = "/tmp/netlens-convert-XXXXXX";
  const std::string dir = ::mkdtemp(tmpl);
  const std::pair<const char*, const char*> cases[] = {{"small_cnn", ""},
                                                       {"upsample_net", " --batch 2"},
                                                       {"view_flatten", " --batch 3"},
                                                       {"resnet18", ""},
                                                       {"token_attention", " --batch 2"},
                                                       {"mlp", " --batch 4"},
                                                       {"vector", ""},
                                                       {"folded_shapes", ""}};
  for (const auto& [name, options] : cases) {
    INFO(name);
    const std::string spec = dir + "/" + name + ".yaml";
    const RunResult run =
        run_netlens("convert " + onnx_file(std::string(name) + ".onnx") + options + " -o " + spec);
    REQUIRE(run.status == 0);
    CHECK(run.err.empty());
    const json from_file = analyze_json(onnx_file(std::string(name) + ".onnx") + options);
    // resnet18's exporter made its four distinct conv biases (512 + 256 + 128
    // + 64, zeros from untrained batch norms) one initializer each, read
    // through Identity nodes by 5 convs: the spec says so in shared_params.
    CHECK(from_file["totals"].value("shared_params", 0) ==
          (std::string(name) == "resnet18" ? 960 : 0));
    CHECK(analyze_json(spec) == from_file);  // the spec keeps the batch the file was read at
  }
  const std::string text = slurp(dir + "/upsample_net.yaml");
  CHECK(lines_of(text).at(2) == "input: {size: [5, 5], channels: 4, batch: 2}");
  CHECK(lines_of(text).at(6) ==
        "  - {name: deconv, type: conv_transpose, inputs: [input], out_channels: 6, kernel_size: "
        "[3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1], bias: false, "
        "output_padding: [1, 1]}");
  std::system(("rm -rf " + dir).c_str());
}

TEST_CASE("ResNet-18 from torch.onnx.export agrees with the bundled spec", "[onnx][oracle]") {
  const json onnx = analyze_json(onnx_file("resnet18.onnx"));
  const json spec = analyze_json("resnet18");
  // The layers both have (the exporter folds batch norm into the convs): the
  // convs, pools and the classifier, in order, with their shapes and fields.
  const auto windows = [](const json& r) {
    json out = json::array();
    for (const json& l : r["layers"]) {
      const std::string type = l["type"];
      if (type == "conv" || type == "maxpool" || type == "linear" || type == "global_avgpool" ||
          type == "adaptive_avgpool") {
        out.push_back({l["shape"], l["rf"], l["jump"], l["padding_eff"], l["kernel_size"],
                       l["stride"], l["padding"], l["macs"], l["flops"]});
      }
    }
    return out;
  };
  CHECK(windows(onnx).size() == 23);
  CHECK(windows(onnx) == windows(spec));
  CHECK(onnx["totals"]["macs"] == spec["totals"]["macs"]);
  CHECK(onnx["totals"]["flops"] == spec["totals"]["flops"]);
  CHECK(onnx["layers"].back()["shape"] == json::array({1, 1000}));
  // Params: the spec's, less each batch norm's scale and shift, plus the bias
  // each conv gained when its batch norm was folded into it.
  std::int64_t bn = 0;
  std::int64_t conv_out = 0;
  for (const json& l : spec["layers"]) {
    if (l["type"] == "batchnorm") bn += l["params"].get<std::int64_t>();
    if (l["type"] == "conv") conv_out += l["shape"][1].get<std::int64_t>();
  }
  CHECK(bn == 9600);
  CHECK(conv_out == 4800);
  CHECK(onnx["totals"]["params"] == spec["totals"]["params"].get<std::int64_t>() - bn + conv_out);
  CHECK(onnx["totals"]["buffers"] == 0);
}
