// Every record of shared/oracle/layers: one PyTorch (or JAX, under the keras
// convention) layer run as a one-layer net gives the framework's output shape,
// or an error where the framework raised one.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "helpers.h"

using namespace netlens;
using namespace netlens::test;
using nlohmann::json;

namespace {

std::vector<json> read_jsonl(const std::string& rel) {
  std::vector<json> records;
  std::istringstream lines(slurp(shared_path(rel)));
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty()) {
      records.push_back(json::parse(line));
    }
  }
  return records;
}

// A PyTorch record as a netlens layer (JSON spec text).
json torch_layer(const json& r) {
  const std::string op = r["op"];
  const json& p = r["params"];
  json layer;
  auto copy = [&](const char* from, const char* to) {
    if (p.contains(from) && !p[from].is_null()) {
      layer[to] = p[from];
    }
  };
  if (op.rfind("conv_transpose", 0) == 0) {
    layer["type"] = "ConvTranspose2d";
  } else if (op.rfind("conv", 0) == 0) {
    layer["type"] = op == "conv2d_same" ? "Conv2d"
                    : op == "conv1d"    ? "Conv1d"
                    : op == "conv3d"    ? "Conv3d"
                                        : "Conv2d";
  } else if (op == "maxpool1d") {
    layer["type"] = "MaxPool1d";
  } else if (op == "maxpool2d") {
    layer["type"] = "MaxPool2d";
  } else if (op == "avgpool2d") {
    layer["type"] = "AvgPool2d";
  } else if (op == "adaptive_avgpool2d") {
    layer["type"] = "AdaptiveAvgPool2d";
  } else if (op == "upsample") {
    layer["type"] = "Upsample";
  }
  copy("in_channels", "in_channels");
  copy("out_channels", "out_channels");
  copy("kernel_size", "kernel_size");
  copy("stride", "stride");
  copy("padding", "padding");
  copy("dilation", "dilation");
  copy("groups", "groups");
  copy("bias", "bias");
  copy("output_padding", "output_padding");
  copy("ceil_mode", "ceil_mode");
  copy("count_include_pad", "count_include_pad");
  copy("output_size", "output_size");
  copy("scale_factor", "scale_factor");
  copy("mode", "mode");
  return layer;
}

json one_layer_net(const json& layer, const json& input_shape, const char* convention) {
  json size = json::array();
  for (std::size_t i = 2; i < input_shape.size(); ++i) {
    size.push_back(input_shape[i]);
  }
  return {{"name", "oracle"},
          {"input", {{"size", size}, {"channels", input_shape[1]}}},
          {"convention", convention},
          {"layers", json::array({layer})}};
}

}  // namespace

TEST_CASE("every PyTorch layer record gives PyTorch's shape or an error", "[oracle][layers]") {
  const auto records = read_jsonl("oracle/layers/layers_torch.jsonl");
  REQUIRE(records.size() == 2000);
  std::size_t shapes = 0;
  std::size_t errors = 0;
  for (const json& r : records) {
    const json spec = one_layer_net(torch_layer(r), r["input"], "pytorch");
    INFO(r.dump());
    std::optional<Report> report;
    std::string error;
    try {
      report = analyze(parse_spec(spec.dump(), "oracle.json", "oracle", SpecFormat::Json));
    } catch (const Error& e) {
      error = e.what();
    }
    if (r.contains("error")) {
      CHECK(!error.empty());
      ++errors;
      continue;
    }
    REQUIRE(error == "");
    const LayerReport& lr = report->layers.at(0);
    const json& out = r["output"];
    CHECK(lr.output.channels == out[1].get<std::int64_t>());
    REQUIRE(lr.output.size.size() + 2 == out.size());
    for (std::size_t a = 0; a < lr.output.size.size(); ++a) {
      CHECK(lr.output.size[a] == out[a + 2].get<std::int64_t>());
    }
    if (r.contains("param_count")) {
      CHECK(lr.params == r["param_count"].get<std::int64_t>());
    }
    ++shapes;
  }
  CHECK(shapes + errors == 2000);
  CHECK(errors == 243);  // the records where PyTorch raised
}

TEST_CASE("every JAX record gives its size (and SAME padding) under keras", "[oracle][layers]") {
  const auto records = read_jsonl("oracle/layers/layers_jax.jsonl");
  REQUIRE(records.size() == 750);
  std::size_t zero_size = 0;
  for (const json& r : records) {
    INFO(r.dump());
    const std::string op = r["op"];
    json layer = {{"kernel_size", r["kernel"]},
                  {"strides", r["stride"]},
                  {"padding", r["padding"] == "SAME" ? "same" : "valid"}};
    if (op == "conv") {
      layer["type"] = "Conv2D";
      layer["filters"] = 4;
      layer["dilation_rate"] = r["dilation"];
    } else if (op == "maxpool") {
      layer["type"] = "MaxPooling2D";
      layer["pool_size"] = layer["kernel_size"];
      layer.erase("kernel_size");
    } else {
      layer["type"] = "Conv2DTranspose";
      layer["filters"] = 4;
      layer["dilation_rate"] = r["dilation"];
    }
    const json input = {1, 3, r["input_hw"][0], r["input_hw"][1]};
    const json spec = one_layer_net(layer, input, "keras");
    std::optional<Report> report;
    std::string error;
    try {
      report = analyze(parse_spec(spec.dump(), "oracle.json", "oracle", SpecFormat::Json));
    } catch (const Error& e) {
      error = e.what();
    }
    const json& expected = r["output_hw"];
    if (expected[0] == 0 || expected[1] == 0) {
      // JAX returns an empty array where Keras raises: netlens reports an error.
      CHECK(!error.empty());
      ++zero_size;
      continue;
    }
    REQUIRE(error == "");
    const LayerReport& lr = report->layers.at(0);
    CHECK(lr.output.size[0] == expected[0].get<std::int64_t>());
    CHECK(lr.output.size[1] == expected[1].get<std::int64_t>());
    if (r.contains("pads") && op != "conv_transpose") {
      for (std::size_t a = 0; a < 2; ++a) {
        CHECK((*lr.window)[a].pad_lo == r["pads"][a][0].get<std::int64_t>());
        CHECK((*lr.window)[a].pad_hi == r["pads"][a][1].get<std::int64_t>());
      }
    }
  }
  CHECK(zero_size == 37);
}
