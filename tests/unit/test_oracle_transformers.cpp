// The exported torchvision transformers (vit_b_16, vit_b_32, swin_t and small
// ViT and Swin nets, tests/data/models/) against PyTorch: every layer's shape,
// params and FLOPs and each net's totals (tests/data/transformers.json, by
// tools/transformer_truth.py), and the input region of tokens of every Swin
// stage against the gradient (tests/data/swin_regions.json, by
// tools/swin_regions.py; the shift's mask taken as the exclusion it means).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "engine/regions.h"
#include "helpers.h"

using namespace netlens;
using namespace netlens::test;
using nlohmann::json;

namespace {

Report analyze_spec(const std::string& path) {
  std::istringstream no_stdin;
  return analyze(load_net(source_path(path), no_stdin));
}

}  // namespace

TEST_CASE("transformers: shapes, params and FLOPs of every layer equal PyTorch's",
          "[oracle][transformers]") {
  const json data = json::parse(slurp(source_path("tests/data/transformers.json")));
  REQUIRE(data["models"].size() == 6);
  for (const json& m : data["models"]) {
    const std::string name = m["name"].get<std::string>();
    INFO(name);
    const Report r = analyze_spec(m["spec"].get<std::string>());
    CHECK(r.totals.params == m["params"].get<std::int64_t>());
    CHECK(r.totals.buffers == m["buffers"].get<std::int64_t>());
    CHECK(r.totals.flops == m["flops"].get<std::int64_t>());
    REQUIRE(r.layers.size() == m["layers"].size());
    for (std::size_t k = 0; k < r.layers.size(); ++k) {
      const json& t = m["layers"][k];
      INFO(t["name"].get<std::string>());
      CHECK(r.layer(k).name == t["name"].get<std::string>());
      CHECK(tensor_shape(r.layers[k].output, 1) == t["shape"].get<std::vector<std::int64_t>>());
      CHECK(r.layers[k].params == t["params"].get<std::int64_t>());
      CHECK(2 * r.layers[k].cost.macs == t["flops"].get<std::int64_t>());
    }
  }
}

TEST_CASE("transformers: a token's region equals the gradient's support, stage by stage",
          "[oracle][transformers]") {
  const json data = json::parse(slurp(source_path("tests/data/swin_regions.json")));
  REQUIRE(data["cases"].size() == 4);
  std::size_t units = 0;
  for (const json& c : data["cases"]) {
    Report r = analyze_spec(c["spec"].get<std::string>());
    const NetRegions regions = compute_regions(r, true);
    for (const auto& [layer, measured] : c["regions"].items()) {
      std::size_t index = 0;
      while (index < r.layers.size() && r.layer(index).name != layer) {
        ++index;
      }
      REQUIRE(index < r.layers.size());
      for (const auto& [unit, region] : measured.items()) {
        INFO(c["model"].get<std::string>() << ": " << layer << " unit " << unit);
        const std::int64_t coords[] = {std::stoll(unit.substr(0, unit.find(','))),
                                       std::stoll(unit.substr(unit.find(',') + 1))};
        for (std::size_t a = 0; a < 2; ++a) {
          Interval got{0, r.input.size[a] - 1};  // a global layer: the whole input
          if (!r.layers[index].global_rf) {
            REQUIRE(regions.layers[index + 1].has_value());
            got = (*regions.layers[index + 1])[a].actual_at(coords[a]);
          }
          CHECK(got.lo == region[2 * a].get<std::int64_t>());
          CHECK(got.hi == region[2 * a + 1].get<std::int64_t>());
        }
        ++units;
      }
    }
  }
  CHECK(units > 60);
}
