// A ViT exported to ONNX by torch.onnx at opsets 13 and 17 against its spec
// (tests/data/models/tiny_vit.yaml) and the gradient (tests/data/onnx_roles.json,
// by tools/onnx_roles.py): every spec layer's counterpart node has the same
// receptive field, jump and unit regions, the measured ones equal to the
// gradient's on both routes (docs/semantics.md, "Whole tensors").
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "engine/regions.h"
#include "helpers.h"
#include "onnx/reader.h"

using namespace netlens;
using namespace netlens::test;
using nlohmann::json;

namespace {

struct Route {
  Report report;
  NetRegions regions;
};

Route analyze_route(const std::string& path) {
  std::istringstream no_stdin;
  Net net = path.ends_with(".onnx") ? read_onnx_file(source_path(path), {})
                                    : load_net(source_path(path), no_stdin);
  Route r{analyze(std::move(net)), {}};
  r.regions = compute_regions(r.report, true);
  return r;
}

std::size_t index_of(const Report& r, const std::string& name) {
  std::size_t k = 0;
  while (k < r.layers.size() && r.layer(k).name != name) {
    ++k;
  }
  REQUIRE(k < r.layers.size());
  return k;
}

// The unit's region on both axes, as the gradient's [row_lo, row_hi, col_lo,
// col_hi]; the whole input for a global layer.
std::vector<std::int64_t> region_of(const Route& route, std::size_t k,
                                    const PerAxis<std::int64_t>& cell) {
  const LayerReport& lr = route.report.layers[k];
  if (lr.global_rf) {
    return {0, route.report.input.size[0] - 1, 0, route.report.input.size[1] - 1};
  }
  const UnitLocation loc = locate_unit(route.report, route.regions, k, cell);
  return {loc.actual[0].lo, loc.actual[0].hi, loc.actual[1].lo, loc.actual[1].hi};
}

}  // namespace

TEST_CASE("a ViT's ONNX exports give its spec's receptive fields and the gradient's regions",
          "[oracle][onnx]") {
  const json data = json::parse(slurp(source_path("tests/data/onnx_roles.json")));
  const Route spec = analyze_route(data["spec"].get<std::string>());
  REQUIRE(data["exports"].size() == 2);
  std::size_t pairs = 0;
  std::size_t units = 0;
  for (const auto& [opset, e] : data["exports"].items()) {
    const Route onnx = analyze_route(e["file"].get<std::string>());
    CHECK(onnx.report.totals.params == spec.report.totals.params);
    CHECK(onnx.report.warnings.empty());
    for (const auto& [spec_name, node] : e["layers"].items()) {
      INFO("opset " << opset << ": " << spec_name << " / " << node.get<std::string>());
      const std::size_t s = index_of(spec.report, spec_name);
      const std::size_t o = index_of(onnx.report, node.get<std::string>());
      const LayerReport& a = spec.report.layers[s];
      const LayerReport& b = onnx.report.layers[o];
      CHECK(a.global_rf == b.global_rf);
      CHECK_FALSE(b.rf_unknown);
      CHECK(a.output.size == b.output.size);
      CHECK(a.output.extra_tokens == b.output.extra_tokens);
      REQUIRE(a.rf.size() == b.rf.size());
      for (std::size_t axis = 0; axis < a.rf.size(); ++axis) {
        CHECK(a.rf[axis].rf == b.rf[axis].rf);
        CHECK(a.rf[axis].rf_min == b.rf[axis].rf_min);
        CHECK(a.rf[axis].jump == b.rf[axis].jump);
        CHECK(a.rf[axis].padding_eff == b.rf[axis].padding_eff);
      }
      ++pairs;
      if (!data["regions"].contains(spec_name)) {
        continue;
      }
      const std::int64_t width = a.output.size.empty() ? 0 : a.output.size[1];
      for (const auto& [unit, region] : data["regions"][spec_name].items()) {
        INFO("unit " << unit);
        const std::size_t comma = unit.find(',');
        const std::int64_t first = std::stoll(unit.substr(0, comma));
        if (comma == std::string::npos && first < a.output.extra_tokens) {
          // The class token has no cell: before the first attention it reads
          // no pixel, after it every pixel.
          if (a.global_rf) {
            CHECK(region == json::array({0, 31, 0, 31}));
          } else {
            CHECK(region.is_null());
          }
          continue;
        }
        const std::int64_t cell = first - a.output.extra_tokens;
        const PerAxis<std::int64_t> at =
            comma == std::string::npos
                ? PerAxis<std::int64_t>{cell / width, cell % width}
                : PerAxis<std::int64_t>{first, std::stoll(unit.substr(comma + 1))};
        const std::vector<std::int64_t> truth = region.get<std::vector<std::int64_t>>();
        CHECK(region_of(spec, s, at) == truth);
        CHECK(region_of(onnx, o, at) == truth);
        ++units;
      }
    }
  }
  CHECK(pairs == 48);  // 24 spec layers, in each of the two files
  CHECK(units > 100);
}
