// shared/oracle/nets: the actual region of every diagonal unit of every node,
// at both probe sizes, equals the gradient-measured one.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "engine/regions.h"
#include "helpers.h"

using namespace netlens;
using namespace netlens::test;
using nlohmann::json;

namespace {

void check_net(const std::string& name) {
  const json oracle = json::parse(slurp(shared_path("oracle/nets/" + name + ".json")));
  const std::string spec = slurp(source_path("tests/data/oracle/" + name + ".yaml"));
  std::size_t units = 0;
  for (const json& size : oracle["sizes"]) {
    Net net = parse_yaml(spec, name + ".yaml");
    net.input_size = {size.get<std::int64_t>(), size.get<std::int64_t>()};
    Report report = analyze(std::move(net));
    const NetRegions regions = compute_regions(report, true);
    for (const auto& [key, node] : oracle["nodes"].items()) {
      const std::string layer = key.substr(0, key.find('@'));
      if (key.substr(key.find('@') + 1) != std::to_string(size.get<int>()) || layer == "x") {
        continue;
      }
      std::size_t index = 0;
      for (const LayerReport& lr : report.layers) {
        if (report.layer(lr.index - 1).name == layer) {
          index = lr.index;
        }
      }
      INFO(name << "@" << size << " node " << layer);
      REQUIRE(index != 0);
      const LayerReport& lr = report.layers[index - 1];
      CHECK(lr.output.size[0] == node["fmap"][0].get<std::int64_t>());
      CHECK(lr.output.size[1] == node["fmap"][1].get<std::int64_t>());
      const auto& axes = *regions.layers[index];
      for (const auto& [unit, box] : node["units"].items()) {
        const std::int64_t a = std::stoll(unit.substr(0, unit.find(',')));
        const std::int64_t b = std::stoll(unit.substr(unit.find(',') + 1));
        INFO("unit " << unit);
        const Interval rows = axes[0].actual_at(a);
        const Interval cols = axes[1].actual_at(b);
        if (box.is_null()) {
          // No input pixel reaches this unit (it sees only padding).
          CHECK((rows.empty() || cols.empty()));
          ++units;
          continue;
        }
        CHECK(rows.lo == box[0].get<std::int64_t>());
        CHECK(rows.hi == box[1].get<std::int64_t>());
        CHECK(cols.lo == box[2].get<std::int64_t>());
        CHECK(cols.hi == box[3].get<std::int64_t>());
        ++units;
      }
    }
  }
  CHECK(units > 100);
}

}  // namespace

TEST_CASE("actual regions equal the gradient's support", "[oracle][regions]") {
  SECTION("dilated_chain") { check_net("dilated_chain"); }
  SECTION("asym") { check_net("asym"); }
  SECTION("unet_mini") { check_net("unet_mini"); }
}
