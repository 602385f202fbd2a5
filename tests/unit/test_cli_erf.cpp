// `--erf` through the real binary: locate's summary and JSON map, analyze's
// erf50 / erf95 columns, plot's heat map, and the errors.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "helpers.h"

using namespace netlens::test;

TEST_CASE("locate --erf: a summary in the table, the map in JSON", "[cli][erf]") {
  const RunResult text = run_netlens("locate vgg16 --input 64 --layer conv3_3 --unit 7,7 --erf -q");
  CHECK(text.status == 0);
  const std::vector<std::string> lines = lines_of(text.out);
  REQUIRE(lines.size() == 13);
  CHECK(lines[8] ==
        "Effective receptive field (every weight 1, docs/semantics.md): 10^21.00 paths, from "
        "input pixels [10, 49] x [10, 49]");
  // The paths' centre: 29.5, the middle of [10, 49] (tests/data/erf_truth.json, from torch).
  CHECK(lines[9] == "axis  centre   erf50   erf95");
  CHECK(lines[10] == "h       29.5     4.5    12.5");
  CHECK(lines[11] == "w       29.5     4.5    12.5");

  const RunResult js =
      run_netlens("locate vgg16 --input 64 --layer conv3_3 --unit 7,7 --erf -f json -q");
  CHECK(js.status == 0);
  const auto doc = nlohmann::json::parse(js.out);
  const auto& erf = doc["erf"];
  CHECK(erf["erf50"] == nlohmann::json::array({4.5, 4.5}));
  CHECK(erf["erf95"] == nlohmann::json::array({12.5, 12.5}));
  CHECK(erf["origin"] == nlohmann::json::array({10, 10}));
  CHECK(erf["size"] == nlohmann::json::array({40, 40}));
  REQUIRE(erf["fractions"].size() == 1600);
  double sum = 0;
  for (const auto& v : erf["fractions"]) {
    sum += v.get<double>();
  }
  CHECK(sum == Approx(1).epsilon(1e-9));
  CHECK(erf["paths_log10"].get<double>() == Approx(21.0041986213).epsilon(1e-10));
  // Without --erf: no erf key.
  CHECK(run_netlens("locate vgg16 --layer conv3_3 --unit 7,7 -f json -q").out.find("\"erf\"") ==
        std::string::npos);
}

TEST_CASE("analyze --erf: erf50 and erf95 per axis in CSV, JSON and the table", "[cli][erf]") {
  const RunResult csv = run_netlens("analyze vgg16 --input 64 --erf -f csv -q");
  CHECK(csv.status == 0);
  const std::vector<std::string> rows = lines_of(csv.out);
  CHECK(rows[0] ==
        "index,name,type,out_h,out_w,channels,jump_h,jump_w,rf_h,rf_w,padding_eff_h,"
        "padding_eff_w,params,macs,erf50_h,erf50_w,erf95_h,erf95_w\r");
  CHECK(rows[13] ==
        "13,conv3_2,conv,16,16,256,4,4,32,32,14,14,590080,150994944,3.5,3.5,10.5,"
        "10.5\r");
  CHECK(rows[33] == "33,flatten,flatten,,,25088,,,,,,,0,0,,,,\r");
  const auto doc =
      nlohmann::json::parse(run_netlens("analyze vgg16 --input 64 --erf -f json -q").out);
  CHECK(doc["layers"][28]["name"] == "conv5_3");
  // Unit (1, 1) of the 4x4 conv5_3, as tests/data/erf_truth.json has it from torch.
  CHECK(doc["layers"][28]["erf50"] == nlohmann::json::array({12, 12}));
  CHECK(doc["layers"][28]["erf95"] == nlohmann::json::array({27, 27}));
  CHECK(doc["layers"][32]["erf50"].is_null());  // flatten: global
  const auto plain = nlohmann::json::parse(run_netlens("analyze vgg16 -f json -q").out);
  CHECK_FALSE(plain["layers"][0].contains("erf50"));
  const RunResult table =
      run_netlens("analyze vgg16 --input 64 --erf --columns name,rf,erf50,erf95 -q");
  CHECK(table.out.find("conv5_3     196     12     27\n") != std::string::npos);
}

// tests/data/models/wavenet.yaml: causal dilated convs, receptive field
// 1,025 samples. Unit 0 reads only sample 0 (everything before it is
// padding): its paths sit there, whatever the theoretical region [-1024, 0]
// says. The numbers are torch's (tests/data/erf_truth.json, the same net).
TEST_CASE("a causal unit's ERF is measured where its paths are, with its extent", "[cli][erf]") {
  const std::string wavenet = source_path("tests/data/models/wavenet.yaml");
  const RunResult first = run_netlens("locate " + wavenet + " --layer block10.sum --unit 0 --erf");
  CHECK(first.status == 0);
  const std::vector<std::string> lines = lines_of(first.out);
  REQUIRE(lines.size() == 11);
  CHECK(std::vector(lines.begin() + 7, lines.end()) ==
        std::vector<std::string>{
            "Effective receptive field (every weight 1, docs/semantics.md): 10^15.19 paths, "
            "from input samples [0, 0] (1 sample)",
            "axis  centre   erf50   erf95", "l          0       0       0",
            "centre: the paths' weighted centre (to the half pixel); erfP: the radius around "
            "it holding P% of the paths. The map: --format json."});
  const auto erf = nlohmann::json::parse(
      run_netlens("locate " + wavenet + " --layer block10.sum --unit 3000 --erf -f json")
          .out)["erf"];
  // The paths of unit 3000 come from the 1,025 samples up to it.
  CHECK(erf["origin"] == nlohmann::json::array({1976}));
  CHECK(erf["size"] == nlohmann::json::array({1025}));
  CHECK(erf["centre"] == nlohmann::json::array({2496}));
  CHECK(erf["erf50"] == nlohmann::json::array({256}));
  CHECK(erf["erf95"] == nlohmann::json::array({486}));
}

TEST_CASE("plot --erf draws a 1-D net as a curve and one frame of a 3-D net", "[cli][erf]") {
  const RunResult curve = run_netlens("plot " + source_path("tests/data/models/wavenet.yaml") +
                                      " --erf --layer block10.sum --unit 0");
  CHECK(curve.status == 0);
  CHECK(curve.out.find("<polyline data-role=\"erf\" data-bin=\"1\"") != std::string::npos);
  CHECK(curve.out.find("10^15.19 paths when every weight is 1, from samples 0 … 0; centre 0, "
                       "erf50 0, erf95 0 samples") != std::string::npos);
  const std::string video = "plot r2plus1d_18 --erf --layer layer1.0.conv1.0.0 --unit 3,20,20 -q";
  const RunResult frame = run_netlens(video);
  CHECK(frame.status == 0);
  CHECK(frame.out.find("frame d = 3 of the 16x112x112 input (16 frames; --frame picks another)") !=
        std::string::npos);
  CHECK(run_netlens(video + " --frame 15").out.find("frame d = 15 of") != std::string::npos);
  const std::pair<std::string, std::string> errors[] = {
      {video + " --frame 16", "--frame 16 is outside the input's 16 frames (0 to 15)"},
      {"plot vgg16 --erf --layer conv1_1 --unit 3,3 --frame 1",
       "--frame picks a frame of a 3-D net; the input is 2-D (224x224)"},
      {"plot vgg16 --layer conv1_1 --unit 3,3 --frame 1",
       "--frame picks the frame --erf draws: add --erf"}};
  for (const auto& [args, message] : errors) {
    INFO(args);
    const RunResult r = run_netlens(args);
    CHECK(r.status == 2);
    CHECK(r.err == "netlens: error: " + message + "\n");
  }
}

TEST_CASE("erf options: errors name the layer or the option", "[cli][erf]") {
  const RunResult needs = run_netlens("analyze vgg16 --columns name,erf50");
  CHECK(needs.status == 2);
  CHECK(needs.err == "netlens: error: column 'erf50' needs --erf\n");
  CHECK(run_netlens("analyze vgg16 --erf -f dot").err ==
        "netlens: error: --erf applies to table, json, csv and md\n");
  CHECK(run_netlens("plot vgg16 --erf --layer conv5_3 --layer conv4_3 --unit 1,1").err ==
        "netlens: error: --erf draws one --layer\n");
  const RunResult none =
      run_netlens("locate - --layer c --unit 1,1 --erf",
                  "input: {size: [8, 8], channels: 4}\nlayers:\n"
                  "  - {name: ps, type: pixel_shuffle, upscale_factor: 2}\n"
                  "  - {name: c, type: conv, out_channels: 2, kernel_size: 3}\n");
  CHECK(none.status == 2);
  CHECK(none.err ==
        "netlens: error: layer 'c' has no effective receptive field: it reads layer 'ps', which "
        "has none: pixel_shuffle moves positions between channels, so a unit's paths depend on "
        "its channel\n");
  CHECK(none.out.empty());
}

TEST_CASE("plot --erf: a heat map over the input, the theoretical region outlined", "[cli][erf]") {
  const RunResult r = run_netlens("plot vgg16 --input 64 --erf --layer conv3_3 --unit 7,7 -q");
  CHECK(r.status == 0);
  CHECK(r.out.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(r.out.find("<g data-role=\"erf\" data-bin=\"1\" fill=\"#b42318\">") != std::string::npos);
  // The fullest cell: the centre of [10, 49].
  CHECK(r.out.find("<rect x=\"29\" y=\"29\" width=\"1\" height=\"1\" fill-opacity=\"1.00\"/>") !=
        std::string::npos);
  CHECK(r.out.find("<rect x=\"10.00\" y=\"10.00\" width=\"40.00\" height=\"40.00\" "
                   "data-role=\"theoretical\"") != std::string::npos);
  CHECK(r.out.find("erf50 4.5 x 4.5 px, erf95 12.5 x 12.5 px") != std::string::npos);
}

TEST_CASE("locate --erf: a unit only padding reaches has no paths", "[cli][erf]") {
  const std::string spec =
      "input: {size: [2], channels: 1}\nlayers:\n"
      "  - {name: c, type: conv, out_channels: 1, kernel_size: 1, padding: 3}\n";
  const RunResult text = run_netlens("locate - --layer c --unit 0 --erf -q", spec);
  CHECK(text.status == 0);
  CHECK(text.out.find("\nEffective receptive field (every weight 1, docs/semantics.md): no paths "
                      "(only padding reaches the unit)\n") != std::string::npos);
  const RunResult js = run_netlens("locate - --layer c --unit 0 --erf -q -f json", spec);
  // No paths: the theoretical region's centre, [-3, -3]'s.
  CHECK(js.out.find("\"erf\": {\"paths_log10\":null,\"centre\":[-3],\"erf50\":[0],\"erf95\":[0],"
                    "\"origin\":[0],\"size\":[0],\"fractions\":[]}") != std::string::npos);
}
