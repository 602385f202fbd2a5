// The seed's receptive-field table (seed notes §8.1, "程序输出结果"), read from
// shared/seed at test time: every row of alexnet, vgg16 and zf-5 at 224.
#include <catch2/catch.hpp>
#include <regex>

#include "helpers.h"

using namespace netlens;
using namespace netlens::test;

namespace {

struct SeedRow {
  std::string net;
  std::string layer;
  std::int64_t size;
  std::int64_t stride;
  std::int64_t rf;
};

std::vector<SeedRow> seed_table() {
  const std::string text = slurp(shared_path("seed/000_4bee23248c11eeec.txt"));
  // The table follows the script; its rows are the only lines of this form.
  const std::regex header(R"(net structrue name is ([\w-]+))");
  const std::regex row(
      R"(Layer Name = (\w+), Output size = +(\d+), Stride = +(\d+), RF size = +(\d+))");
  std::vector<SeedRow> rows;
  std::string net;
  std::istringstream lines(text);
  std::string line;
  std::smatch m;
  while (std::getline(lines, line)) {
    if (std::regex_search(line, m, header)) {
      net = m[1];
    } else if (std::regex_search(line, m, row)) {
      rows.push_back({net, m[1], std::stoll(m[2]), std::stoll(m[3]), std::stoll(m[4])});
    }
  }
  return rows;
}

}  // namespace

TEST_CASE("every row of the seed's table matches at 224", "[oracle][seed]") {
  const auto rows = seed_table();
  REQUIRE(rows.size() == 18 + 7 + 8);
  std::map<std::string, Report> reports;
  for (const std::string net : {"vgg16", "zf-5", "alexnet"}) {
    reports.emplace(net, analyze_bundled(net, 224));
  }
  for (const SeedRow& row : rows) {
    INFO(row.net << " " << row.layer);
    const Report& report = reports.at(row.net);
    const LayerReport* found = nullptr;
    for (const LayerReport& lr : report.layers) {
      if (report.layer(lr.index - 1).name == row.layer) {
        found = &lr;
      }
    }
    REQUIRE(found != nullptr);
    for (std::size_t axis = 0; axis < 2; ++axis) {
      CHECK(found->output.size[axis] == row.size);
      REQUIRE(found->rf[axis].jump);
      CHECK(*found->rf[axis].jump == Ratio::of(row.stride));
      REQUIRE(found->rf[axis].rf);
      CHECK(*found->rf[axis].rf == row.rf);
    }
  }
}

TEST_CASE("the seed compatibility form reproduces the seed's vgg16 rows", "[oracle][seed]") {
  // Exactly the seed script's net_struct entry for vgg16.
  const std::string spec = R"({"net": [[3,1,1],[3,1,1],[2,2,0],[3,1,1],[3,1,1],[2,2,0],[3,1,1],
    [3,1,1],[3,1,1],[2,2,0],[3,1,1],[3,1,1],[3,1,1],[2,2,0],[3,1,1],[3,1,1],[3,1,1],[2,2,0]],
    "name": ["conv1_1","conv1_2","pool1","conv2_1","conv2_2","pool2","conv3_1","conv3_2",
    "conv3_3","pool3","conv4_1","conv4_2","conv4_3","pool4","conv5_1","conv5_2","conv5_3",
    "pool5"], "input": {"size": [224, 224]}})";
  const Report report = analyze(parse_spec(spec, "seed.json", "seed", SpecFormat::Json));
  std::vector<SeedRow> expected;
  for (const SeedRow& row : seed_table()) {
    if (row.net == "vgg16") {
      expected.push_back(row);
    }
  }
  REQUIRE(report.layers.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO(expected[i].layer);
    CHECK(report.layer(i).name == expected[i].layer);
    CHECK(report.layers[i].output.size[0] == expected[i].size);
    CHECK(*report.layers[i].rf[0].jump == Ratio::of(expected[i].stride));
    CHECK(*report.layers[i].rf[0].rf == expected[i].rf);
  }
}
