// `netlens sizes`: the input sizes at which a net runs and is exact, against
// PyTorch (tests/data/sizes_truth.json, by tools/sizes_truth.py: a forward
// pass per size on the meta device, every conv and pool call watched), the
// summaries as residue classes, and the command's text, JSON and errors.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "engine/sizes.h"
#include "helpers.h"

using namespace netlens;
using namespace netlens::test;
using nlohmann::json;

namespace {

Net load(const std::string& name_or_path) {
  std::istringstream no_stdin;
  return load_net(name_or_path, no_stdin);
}

std::vector<std::int64_t> range(std::int64_t lo, std::int64_t hi, std::int64_t step = 1) {
  std::vector<std::int64_t> out;
  for (std::int64_t s = lo; s <= hi; s += step) {
    out.push_back(s);
  }
  return out;
}

}  // namespace

TEST_CASE("sizes: runs, exact and outputs equal PyTorch's at every size", "[oracle][sizes]") {
  const json truth = json::parse(slurp(source_path("tests/data/sizes_truth.json")));
  const std::map<std::string, std::string> specs = {
      {"vgg16", "vgg16"},
      {"resnet50", "resnet50"},
      {"unet", "unet"},
      {"fcn32s", "fcn32s"},
      {"fpn_resnet50", source_path("tests/data/models/fpn_resnet50.yaml")},
      {"free_vit", source_path("tests/data/models/free_vit.yaml")}};
  REQUIRE(truth["nets"].size() == specs.size());
  for (const auto& [name, spec] : specs) {
    const json& t = truth["nets"][name];
    for (const auto& [axis_name, a] : t["axes"].items()) {
      INFO(name << " axis " << axis_name);
      const std::size_t axis = axis_name == "h" ? 0 : 1;
      const auto lo = a["range"][0].get<std::int64_t>();
      const auto hi = a["range"][1].get<std::int64_t>();
      const SizesReport r = scan_sizes(load(spec), axis, lo, hi);
      REQUIRE(r.axes.size() == 1);
      const AxisSizes& got = r.axes[0];
      CHECK(got.runs == a["runs"].get<std::vector<std::int64_t>>());
      CHECK(got.exact == a["exact"].get<std::vector<std::int64_t>>());
      REQUIRE(got.runs.size() == a["outputs"].size());
      for (std::size_t i = 0; i < got.runs.size(); ++i) {
        const SizeOutcome& o = got.sizes[static_cast<std::size_t>(got.runs[i] - lo)];
        std::vector<std::optional<std::int64_t>> want;
        for (const json& v : a["outputs"][i]) {
          want.push_back(v.is_null() ? std::nullopt : std::optional(v.get<std::int64_t>()));
        }
        INFO("input " << got.runs[i]);
        CHECK(o.outputs == want);
      }
    }
  }
}

TEST_CASE("sizes: the sets as residue classes", "[engine][sizes]") {
  SECTION("the valid U-Net: one class, exact from 188 on") {
    const SizesReport r = scan_sizes(load("unet"), 0, 1, 640);
    const AxisSizes& a = r.axes[0];
    REQUIRE(a.exact_pattern);
    CHECK(a.exact_pattern->from == 188);
    CHECK(a.exact_pattern->step == 16);
    CHECK(a.exact_pattern->classes == std::vector<std::pair<std::int64_t, std::int64_t>>{{0, 0}});
    CHECK(describe_pattern(*a.exact_pattern) == "16k+12, from 188");
    REQUIRE(a.runs_pattern);
    CHECK(describe_pattern(*a.runs_pattern) == "every size from 173");
    CHECK(a.sizes[572 - 1].outputs == std::vector<std::optional<std::int64_t>>{388});
    CHECK(a.sizes[573 - 1].failure ==
          "layer 'crop6': the centred crop cuts 3 before and 4 after on axis h");
    CHECK(a.sizes[172 - 1].failure ==
          "layer 'conv7_2': kernel 3 (dilated) is larger than the padded input 2 (2 + 0 + 0) on "
          "axis h");
  }
  SECTION("an FPN with nearest x2 upsampling: eight sizes in every 32, and the tiny ones") {
    const SizesReport r =
        scan_sizes(load(source_path("tests/data/models/fpn_resnet50.yaml")), 1, 1, 1024);
    const AxisSizes& a = r.axes[0];
    REQUIRE(a.runs_pattern);
    CHECK(a.runs_pattern->from == 25);
    CHECK(a.runs_pattern->step == 32);
    CHECK(a.runs_pattern->also == range(1, 8));
    CHECK(describe_pattern(*a.runs_pattern) == "32k+25 … 32k+32, from 25, and 1 … 8");
    CHECK(a.sizes[224 - 1].outputs == std::vector<std::optional<std::int64_t>>{28, 14, 7});
    CHECK(a.sizes[33 - 1].failure ==
          "layer 'top4': add cannot broadcast 'inner4' (256x14x3) with 'up5' (256x14x4): each "
          "axis must agree or be 1");
  }
  SECTION("VGG-16: runs from 32 on (its adaptive pool), exact at multiples of 32") {
    const SizesReport r = scan_sizes(load("vgg16"), 0, 1, 1024);
    const AxisSizes& a = r.axes[0];
    CHECK(describe_pattern(*a.runs_pattern) == "every size from 32");
    CHECK(describe_pattern(*a.exact_pattern) == "32k, from 32");
    CHECK(a.exact == range(32, 1024, 32));
    CHECK(a.sizes[33 - 1].failure ==
          "layer 'pool1': the last 1 input position on axis h is never read: (33 + 0 + 0 - 2) is "
          "not a multiple of stride 2");
  }
  SECTION("a tensor a strided window skips the end of is exact when another layer reads it") {
    const std::string down =
        "input: {size: [10, 10], channels: 1}\n"
        "layers:\n"
        "  - {name: down, type: conv, out_channels: 1, kernel_size: 1, stride: 2, inputs: "
        "[input]}\n";
    const SizesReport alone = scan_sizes(parse_yaml(down), 0, 1, 12);
    CHECK(alone.axes[0].exact == std::vector<std::int64_t>{1, 3, 5, 7, 9, 11});
    CHECK(alone.axes[0].sizes[10 - 1].failure ==
          "layer 'down': the last 1 input position on axis h is never read: (10 + 0 + 0 - 1) is "
          "not a multiple of stride 2");
    // A merge reading the same tensor (found through the receptive fields).
    const SizesReport merged =
        scan_sizes(parse_yaml(down + "  - {name: twice, type: add, inputs: [input, input]}\n"
                                     "outputs: [down, twice]\n"),
                   0, 1, 12);
    CHECK(merged.axes[0].exact == range(1, 12));
    // A conv reading it whole.
    const SizesReport read = scan_sizes(
        parse_yaml(down +
                   "  - {name: whole, type: conv, out_channels: 1, kernel_size: 3, padding: 1, "
                   "inputs: [input]}\n"
                   "outputs: [down, whole]\n"),
        0, 1, 12);
    CHECK(read.axes[0].exact == range(1, 12));
  }
  SECTION("a finite set has no pattern") {
    CHECK_FALSE(find_pattern(range(224, 255), 1, 1024));
    CHECK_FALSE(find_pattern({}, 1, 1024));
    CHECK(describe_sizes(range(224, 255)) == "224 … 255");
    CHECK(describe_sizes({1, 2, 5, 6, 7, 9}) == "1, 2, 5 … 7, 9");
    CHECK(describe_sizes({}) == "none");
  }
  SECTION("classes that need three periods to be seen") {
    // 8k+1 and 8k+3 ... 8k+5: seen over 1..24, not over 1..20.
    std::vector<std::int64_t> members;
    for (std::int64_t s = 1; s <= 24; ++s) {
      if (s % 8 == 1 || (s % 8 >= 3 && s % 8 <= 5)) {
        members.push_back(s);
      }
    }
    const auto p = find_pattern(members, 1, 24);
    REQUIRE(p);
    CHECK(describe_pattern(*p) == "8k+1, 8k+3 … 8k+5, from 1");
    std::erase_if(members, [](std::int64_t s) { return s > 20; });
    CHECK_FALSE(find_pattern(members, 1, 20));
  }
}

TEST_CASE("sizes: the command", "[cli][sizes]") {
  SECTION("the text") {
    const RunResult r =
        run_netlens("sizes unet --axis h --range 1..640 --nearest 600 --output 388");
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(r.out ==
          "unet: input sizes 1 … 640 on axis h; w at 572\n"
          "  runs:    every size from 173 (468 sizes)\n"
          "  exact:   16k+12, from 188 (29 sizes)\n"
          "  output (conv10): 188 -> 4, 204 -> 20, 220 -> 36, …, 572 -> 388, …, 636 -> 452\n"
          "  at 572:  exact\n"
          "  nearest to 600: exact 588 (-12) or 604 (+4); runs 600\n"
          "  output 388: from input 557 … 572 (exact: 572)\n");
  }
  SECTION("JSON: the full lists, the patterns as objects") {
    const RunResult r = run_netlens("sizes unet --axis w --range 180..220 --nearest 200 -f json");
    REQUIRE(r.status == 0);
    const json j = json::parse(r.out);
    CHECK(j["schema"] == "netlens/1");
    CHECK(j["net"]["name"] == "unet");
    CHECK(j["outputs"] == json{"conv10"});
    REQUIRE(j["axes"].size() == 1);
    const json& a = j["axes"][0];
    CHECK(a["axis"] == "w");
    CHECK(a["range"] == json{180, 220});
    CHECK(a["runs"] == json(range(180, 220)));
    CHECK(a["exact"] == json{188, 204, 220});
    CHECK(a["runs_pattern"]["text"] == "every size from 180");
    CHECK(a["exact_pattern"] == nullptr);  // three periods do not fit in 41 sizes
    CHECK(a["outputs"][8] == json{{"input", 188}, {"output", {4}}});
    CHECK(a["nearest"] == json{{"target", 200},
                               {"runs", {{"below", 200}, {"above", 200}}},
                               {"exact", {{"below", 188}, {"above", 204}}}});
  }
  SECTION("--costs: the net analyzed at each size shown and asked about") {
    const RunResult r = run_netlens("sizes unet --axis h --range 1..640 --nearest 600 --costs");
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    const std::vector<std::string> lines = lines_of(r.out);
    REQUIRE(lines.size() == 14);
    CHECK(std::vector(lines.begin() + 6, lines.end()) ==
          std::vector<std::string>{"  costs:   188: 24.2 GMACs, peak memory 54.3 MB",
                                   "           204: 29.4 GMACs, peak memory 59.0 MB",
                                   "           220: 34.7 GMACs, peak memory 63.6 MB",
                                   "           572: 150.4 GMACs, peak memory 167.4 MB",
                                   "           588: 155.7 GMACs, peak memory 172.3 MB",
                                   "           600: 160.6 GMACs, peak memory 176.5 MB",
                                   "           604: 161.0 GMACs, peak memory 177.4 MB",
                                   "           636: 171.5 GMACs, peak memory 187.7 MB"});
    // Each size's numbers are analyze's at that input, to the unit, at the dtype asked.
    const json costs = json::parse(run_netlens("sizes unet --axis w --range 180..220 --costs "
                                               "--dtype float16 --batch 2 -f json")
                                       .out)["axes"][0]["costs"];
    REQUIRE(costs.size() == 3);
    for (const json& c : costs) {
      const std::string input = "572x" + std::to_string(c["input"].get<int>());
      INFO(input);
      const json totals = json::parse(run_netlens("analyze unet --dtype float16 --batch 2 "
                                                  "-f json --input " +
                                                  input)
                                          .out)["totals"];
      CHECK(c == json{{"input", c["input"]},
                      {"params", totals["params"]},
                      {"macs", totals["macs"]},
                      {"flops", totals["flops"]},
                      {"activation_memory", totals["activation_memory"]},
                      {"peak_memory", totals["peak_memory"]}});
    }
    CHECK(costs[0]["input"] == 188);
    CHECK(costs[0]["macs"] == 2 * 24155314432LL);
  }
  SECTION("usage errors") {
    const std::pair<const char*, const char*> cases[] = {
        {"--range 5", "--range '5': expected MIN..MAX, e.g. 32..1024"},
        {"--range 0..9", "--range '0..9': need 1 <= MIN <= MAX"},
        {"--range 1..99999999", "--range '1..99999999': at most 1048576 sizes at once"},
        {"--axis x", "--axis 'x': the net's input has axes h, w"},
        {"--nearest 1x2x3", "--nearest '1x2x3' gives 3 sizes; the input has 2 axes"},
        {"--range 1..640 --nearest 900", "--nearest 900 is outside --range 1..640"},
    };
    const std::string mlp = source_path("tests/data/onnx/mlp.onnx");
    const RunResult flat = run_netlens("sizes " + mlp);
    CHECK(flat.status == 1);
    CHECK(flat.err == "netlens: error: " + mlp +
                          ": the input of mlp has no spatial axis ([batch, features]): sizes needs "
                          "one\n");
    for (const auto& [args, message] : cases) {
      INFO(args);
      const RunResult r = run_netlens(std::string("sizes unet ") + args);
      CHECK(r.status == 2);
      CHECK(r.err == std::string("netlens: error: ") + message + "\n");
    }
  }
}
