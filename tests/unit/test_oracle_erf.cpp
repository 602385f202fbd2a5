// The effective receptive field against PyTorch (tests/data/erf_truth.json,
// written by tools/erf_truth.py): the gradient of one unit of vgg16, resnet18
// and the U-Net, of a small net of bilinear and bicubic resizes, of one with
// reflect, replicate and circular padding and of a causal WaveNet (1-D), with
// every weight 1, biases 0, activations and norms removed and max pools made
// sum pools. Every position of every map (30 maps, 90,315 positions),
// normalized to its total; erf50 / erf95 as the script computes them from the
// torch map, around the paths' weighted centre.
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "engine/erf.h"
#include "engine/regions.h"
#include "helpers.h"

using namespace netlens;
using namespace netlens::test;
using nlohmann::json;

TEST_CASE("erf: path maps equal PyTorch's uniform-weight gradients", "[oracle][erf]") {
  const json data = json::parse(slurp(source_path("tests/data/erf_truth.json")));
  REQUIRE(data["maps"].size() == 30);
  std::size_t positions = 0;
  double worst = 0;
  for (const json& t : data["maps"]) {
    const std::string layer = t["layer"].get<std::string>();
    INFO(t["net"].get<std::string>() << " " << layer << " unit " << t["unit"].dump());
    Report r = t.contains("spec")
                   ? analyze_yaml(t["spec"].get<std::string>())
                   : analyze_bundled(t["net"].get<std::string>(), t["input"].get<std::int64_t>());
    std::size_t index = 0;
    while (index < r.layers.size() && r.layer(index).name != layer) {
      ++index;
    }
    REQUIRE(index < r.layers.size());
    const NetRegions regions = compute_regions(r, true);
    PerAxis<std::int64_t> unit;
    for (const json& u : t["unit"]) {
      unit.push_back(u.get<std::int64_t>());
    }
    const std::size_t rank = unit.size();
    const UnitErf e = unit_erf(r, locate_unit(r, regions, index, unit));
    // The box of non-zero positions.
    for (std::size_t a = 0; a < rank; ++a) {
      CHECK(e.map.origin[a] == t["origin"][a].get<std::int64_t>());
      CHECK(e.map.size[a] == t["size"][a].get<std::int64_t>());
    }
    const std::vector<double> truth = t["values"].get<std::vector<double>>();
    REQUIRE(e.map.values.size() == truth.size());
    // Relative 1e-9: float64's rounding, both sides summing ~2^138 paths in
    // different orders (and the truth stored to 12 digits), not a loosened
    // tolerance; a wrong tap or channel factor is off by far more.
    const double total = e.map.sum();
    for (std::size_t i = 0; i < truth.size(); ++i) {
      const double got = e.map.values[i] / total;
      const double diff = std::abs(got - truth[i]) / std::abs(truth[i]);
      worst = std::max(worst, diff);
      if (diff > 1e-9) {
        FAIL_CHECK("position " << i << ": " << got << " vs " << truth[i]);
      }
    }
    positions += truth.size();
    CHECK(std::abs(e.map.paths_log10() - t["paths_log10"].get<double>()) < 1e-9);
    for (std::size_t a = 0; a < rank; ++a) {
      CHECK(e.centre[a].to_double() == t["centre"][a].get<double>());
      CHECK(e.erf50[a].to_double() == t["erf50"][a].get<double>());
      CHECK(e.erf95[a].to_double() == t["erf95"][a].get<double>());
    }
  }
  CHECK(positions == 90315);
  CHECK(worst < 1e-9);  // 5e-12 when written: the truth's 12 digits
}
