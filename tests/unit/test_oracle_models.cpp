// The bundled torchvision twins against shared/oracle/models (every leaf
// module's output shape and parameters, the totals) and shared/oracle/rf
// (receptive fields measured by gradient).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "helpers.h"
#include "model/layer_types.h"

using namespace netlens;
using namespace netlens::test;
using nlohmann::json;

namespace {

json read_json(const std::string& rel) { return json::parse(slurp(shared_path(rel))); }

// torchvision's functional calls (torch.flatten, +, cat) are not modules: the
// bundled specs' layers of those types have no module to pair with.
bool is_functional(const Layer& layer) {
  return layer.kind == LayerKind::Flatten || layer_type(layer.kind).reads == Reads::Union;
}

// Leaf module name -> index of the bundled net's layer, pairing in call order.
std::map<std::string, std::size_t> pair_modules(const Report& report, const json& model) {
  std::map<std::string, std::size_t> pairs;
  std::size_t i = 0;
  for (const json& m : model["modules_in_call_order"]) {
    while (i < report.layers.size() && is_functional(report.layer(i))) {
      ++i;
    }
    REQUIRE(i < report.layers.size());
    pairs[m["name"]] = i++;
  }
  while (i < report.layers.size() && is_functional(report.layer(i))) {
    ++i;
  }
  CHECK(i == report.layers.size());
  return pairs;
}

void check_model(const std::string& bundled, const std::string& oracle) {
  const json model = read_json("oracle/models/" + oracle + ".json");
  const Report report = analyze_bundled(bundled);
  const auto pairs = pair_modules(report, model);
  REQUIRE(pairs.size() == model["modules_in_call_order"].size());
  for (const json& m : model["modules_in_call_order"]) {
    const LayerReport& lr = report.layers[pairs.at(m["name"])];
    INFO(bundled << ": " << m["name"] << " vs " << report.layer(lr.index - 1).name);
    const json& out = m["output"];
    CHECK(lr.output.channels == out[1].get<std::int64_t>());
    CHECK((lr.output.layout == Layout::Flat) == (out.size() == 2));
    if (lr.output.has_positions()) {
      REQUIRE(lr.output.size.size() + 2 == out.size());
      for (std::size_t a = 0; a < lr.output.size.size(); ++a) {
        CHECK(lr.output.size[a] == out[a + 2].get<std::int64_t>());
      }
    }
    CHECK(lr.params == m["params"].get<std::int64_t>());
  }
  CHECK(report.total_params == model["total_params"].get<std::int64_t>());
}

void check_rf(const std::string& bundled, const std::string& oracle) {
  const json rf = read_json("oracle/rf/" + oracle + ".json");
  const json model = read_json("oracle/models/" + oracle + ".json");
  const Report report = analyze_bundled(bundled, rf["input_size"].get<std::int64_t>());
  const auto pairs = pair_modules(report, model);
  std::size_t checked = 0;
  for (const auto& [node, m] : rf["nodes"].items()) {
    if (node == "x" || m["clipped"].get<bool>()) {
      continue;
    }
    const LayerReport& lr = report.layers[pairs.at(node)];
    INFO(bundled << ": node " << node << " vs " << report.layer(lr.index - 1).name);
    for (std::size_t a = 0; a < 2; ++a) {
      CHECK(lr.output.size[a] == m["fmap"][a].get<std::int64_t>());
      REQUIRE(lr.rf[a].rf);
      CHECK(*lr.rf[a].rf == m["rf"][a].get<std::int64_t>());
      if (m.value("nonuniform", false)) {
        // Windows of unequal width: no single jump or padding (spec §2).
        CHECK(!lr.rf[a].jump);
        CHECK(!lr.rf[a].padding_eff);
        continue;
      }
      REQUIRE(lr.rf[a].jump);
      CHECK(*lr.rf[a].jump == Ratio::of(m["eff_stride"][a].get<std::int64_t>()));
      REQUIRE(lr.rf[a].padding_eff);
      CHECK(*lr.rf[a].padding_eff == Ratio::of(m["eff_padding"][a].get<std::int64_t>()));
    }
    ++checked;
  }
  CHECK(checked > 10);
}

}  // namespace

TEST_CASE("bundled torchvision twins match the oracle layer by layer", "[oracle][models]") {
  SECTION("vgg11") { check_model("vgg11", "vgg11"); }
  SECTION("vgg16") { check_model("vgg16", "vgg16"); }
  SECTION("vgg19") { check_model("vgg19", "vgg19"); }
  SECTION("alexnet-torchvision") { check_model("alexnet-torchvision", "alexnet"); }
}

TEST_CASE("receptive fields match the gradient-measured oracle", "[oracle][rf]") {
  SECTION("alexnet-torchvision") { check_rf("alexnet-torchvision", "alexnet"); }
  SECTION("vgg16") { check_rf("vgg16", "vgg16"); }
}

TEST_CASE("the bundled nets' parameter totals", "[oracle][models]") {
  CHECK(analyze_bundled("vgg16").total_params == 138357544);
  // Caffe's bvlc_alexnet at its 227 crop: the published 60,965,224.
  CHECK(analyze_bundled("alexnet").total_params == 60965224);
}
