// shared/oracle/nets: the actual region of every diagonal unit of every node,
// at both probe sizes, equals the gradient-measured one.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "engine/regions.h"
#include "helpers.h"

using namespace netlens;
using namespace netlens::test;
using nlohmann::json;

namespace {

constexpr Interval kNone{};  // no input pixel on this axis

// The units the oracle gives as null (no input pixel reaches them), with the
// region on each axis. The oracle says only that the 2-D box is empty; which
// axis has no pixel follows from the geometry, worked out by hand here.
// asym: pad is ZeroPad2d((1, 2, 0, 3)), rows [0, 3] and cols [1, 2], so
// unit u reads input row u and input col u - 1; c1 (k3 s2) unit 48 reads pad
// units 96..98: rows 96..98 are all bottom padding, cols 95..97 reach col 95.
struct AxisRegions {
  Interval rows;
  Interval cols;
};
// Keyed by net, node@size and unit.
const std::map<std::tuple<std::string, std::string, std::string>, AxisRegions> kPaddingOnly = {
    {{"asym", "pad@96", "0,0"}, {{0, 0}, kNone}},           // col -1: left padding
    {{"asym", "pad@96", "96,96"}, {kNone, {95, 95}}},       // row 96: bottom padding
    {{"asym", "pad@96", "97,97"}, {kNone, kNone}},          // row 97, col 96: both padding
    {{"asym", "pad@96", "98,98"}, {kNone, kNone}},          // row 98, col 97
    {{"asym", "c1@96", "48,48"}, {kNone, {95, 95}}},        // rows 96..98, cols 95..97
    {{"asym", "pad@101", "0,0"}, {{0, 0}, kNone}},          // col -1
    {{"asym", "pad@101", "101,101"}, {kNone, {100, 100}}},  // row 101
    {{"asym", "pad@101", "102,102"}, {kNone, kNone}},       // row 102, col 101
    {{"asym", "pad@101", "103,103"}, {kNone, kNone}},       // row 103, col 102
};

void check_axis(const Interval& actual, const Interval& expected) {
  if (expected.empty()) {
    CHECK(actual.empty());
  } else {
    CHECK(actual.lo == expected.lo);
    CHECK(actual.hi == expected.hi);
  }
}

void check_net(const std::string& name) {
  const json oracle = json::parse(slurp(shared_path("oracle/nets/" + name + ".json")));
  const std::string spec = slurp(source_path("tests/data/oracle/" + name + ".yaml"));
  std::size_t units = 0;
  std::size_t padding_only = 0;
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
          const auto expected = kPaddingOnly.find({name, key, unit});
          REQUIRE(expected != kPaddingOnly.end());
          check_axis(rows, expected->second.rows);
          check_axis(cols, expected->second.cols);
          ++padding_only;
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
  // Every padding-only unit listed for this net is one the oracle has.
  CHECK(padding_only == static_cast<std::size_t>(std::count_if(
                            kPaddingOnly.begin(), kPaddingOnly.end(),
                            [&](const auto& entry) { return std::get<0>(entry.first) == name; })));
}

}  // namespace

TEST_CASE("actual regions equal the gradient's support", "[oracle][regions]") {
  SECTION("dilated_chain") { check_net("dilated_chain"); }
  SECTION("asym") { check_net("asym"); }
  SECTION("unet_mini") { check_net("unet_mini"); }
}
