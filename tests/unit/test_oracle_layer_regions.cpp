// The actual regions of gates, resizes, pixel shuffles and strided slices
// against PyTorch's autograd (tests/data/layer_regions.json, written by
// tools/layer_regions.py): a
// squeeze-and-excitation block with its gate detached (the local path that
// `global_context` reports), bicubic, nearest-exact and size-given resizing,
// pixel_shuffle, pixel_unshuffle and a strided slice. Every diagonal unit of
// every listed layer, both axes.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "engine/regions.h"
#include "helpers.h"

using namespace netlens;
using namespace netlens::test;
using nlohmann::json;

TEST_CASE("gates, resizes, shuffles and slices: actual regions equal PyTorch's gradient support",
          "[oracle][regions]") {
  const json data = json::parse(slurp(source_path("tests/data/layer_regions.json")));
  REQUIRE(data["cases"].size() == 8);
  std::size_t units = 0;
  for (const json& c : data["cases"]) {
    Report report = analyze_yaml(c["spec"].get<std::string>());
    const NetRegions regions = compute_regions(report, true);
    for (const auto& [layer, measured] : c["regions"].items()) {
      std::size_t index = 0;
      while (index < report.layers.size() && report.layer(index).name != layer) {
        ++index;
      }
      REQUIRE(index < report.layers.size());
      REQUIRE(regions.layers[index + 1].has_value());
      const auto& axes = *regions.layers[index + 1];
      for (const auto& [unit, region] : measured.items()) {
        INFO(c["name"].get<std::string>() << ": " << layer << " unit " << unit);
        const std::int64_t u = std::stoll(unit.substr(0, unit.find(',')));
        for (std::size_t a = 0; a < 2; ++a) {
          const Interval got = axes[a].actual_at(u);
          REQUIRE_FALSE(region.is_null());
          CHECK(got.lo == region[2 * a].get<std::int64_t>());
          CHECK(got.hi == region[2 * a + 1].get<std::int64_t>());
        }
        ++units;
      }
    }
  }
  CHECK(units > 150);
}
