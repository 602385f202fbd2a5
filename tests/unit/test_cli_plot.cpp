// `netlens plot` through the real binary: the figures carry the same numbers
// as `analyze` and `locate`, -o, and the errors shared with locate.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>

#include "helpers.h"

using namespace netlens::test;

TEST_CASE("plot: the rf chart of a bundled net, to stdout or -o", "[cli]") {
  const RunResult r = run_netlens("plot vgg16");
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(r.out.size() > 1000);
  CHECK(r.out.substr(r.out.size() - 7) == "</svg>\n");
  // The values of `netlens analyze vgg16`'s table.
  CHECK(r.out.find("data-layer=\"conv5_3\" data-type=\"conv\" data-rf=\"196\" data-jump=\"16\"") !=
        std::string::npos);
  CHECK(r.out.find("data-layer=\"pool5\" data-type=\"maxpool\" data-rf=\"212\" "
                   "data-jump=\"32\"") != std::string::npos);
  CHECK(r.out.find("data-layer=\"fc8\" data-type=\"linear\" data-rf=\"global\" data-jump=\"-\"") !=
        std::string::npos);
  CHECK(r.out.find(">input 224</text>") != std::string::npos);

  char path[] = "/tmp/netlens-plot-XXXXXX";
  const int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  ::close(fd);
  const RunResult to_file = run_netlens(std::string("plot vgg16 -o ") + path);
  CHECK(to_file.status == 0);
  CHECK(to_file.out.empty());
  CHECK(slurp(path) == r.out);
  std::remove(path);
}

TEST_CASE("plot: a unit's regions are locate's intervals", "[cli]") {
  const RunResult r = run_netlens("plot unet --layer conv9_2 --layer conv6_2 --unit 40,40");
  CHECK(r.status == 0);
  CHECK(r.out.find("<g data-layer=\"conv9_2\" data-unit=\"40,40\" data-theoretical=\"[32,235] "
                   "[32,235]\" data-actual=\"[32,235] [32,235]\">") != std::string::npos);
  CHECK(r.out.find("<g data-layer=\"conv6_2\" data-unit=\"40,40\" data-theoretical=\"[320,491] "
                   "[320,491]\"") != std::string::npos);
  const RunResult loc = run_netlens("locate unet --layer conv9_2 --unit 40,40");
  CHECK(loc.out.find("h        40  [32, 235]  204 px         [32, 235]  204 px") !=
        std::string::npos);
  // unet's skip connections line up (docs/semantics.md#misalignment): no warning.
  CHECK(r.err == loc.err);
  CHECK(r.err.empty());
}

// After a squeeze-and-excitation gate the table marks rf*; locate's text and
// JSON and plot's legend say it too (a unit before the gate: false, nothing).
TEST_CASE("locate and plot say when a global operation also modulates the unit", "[cli]") {
  const std::string gated = "mobilenet_v3_large --layer features.4.block.3.1 --unit 10,10 -q";
  CHECK(run_netlens("locate " + gated)
            .out.find(
                "\nAlso modulated by a global operation (a squeeze-and-excitation gate): every "
                "input pixel reaches the unit through it; the regions above are its local paths' "
                "(the table's rf*).\n") != std::string::npos);
  CHECK(run_netlens("locate " + gated + " -f json").out.find("\"global_context\": true") !=
        std::string::npos);
  CHECK(run_netlens("plot " + gated)
            .out.find("theoretical rows [63, 97] cols [63, 97] (35x35 px); actual: the same; also "
                      "modulated by a global operation (local paths)") != std::string::npos);
  const std::string plain = "mobilenet_v3_large --layer features.4.block.0.0 --unit 10,10 -q";
  CHECK(run_netlens("locate " + plain).out.find("Also modulated") == std::string::npos);
  CHECK(run_netlens("locate " + plain + " -f json").out.find("\"global_context\": false") !=
        std::string::npos);
}

TEST_CASE("plot: bad --layer and --unit fail like locate", "[cli]") {
  const RunResult typo = run_netlens("plot vgg16 --layer conv5_9 --unit 0,0");
  CHECK(typo.status == 2);
  CHECK(typo.err ==
        "netlens: error: --layer: no layer 'conv5_9' in vgg16 (did you mean "
        "'conv5_1'?)\n");
  CHECK(typo.out.empty());
  CHECK(run_netlens("locate vgg16 --layer conv5_9 --unit 0,0").err == typo.err);
  const RunResult second = run_netlens("plot vgg16 --layer conv5_3 --layer pool9 --unit 0,0");
  CHECK(second.status == 2);
  CHECK(second.err ==
        "netlens: error: --layer: no layer 'pool9' in vgg16 (did you mean "
        "'pool1'?)\n");
  const RunResult outside = run_netlens("plot vgg16 --layer conv5_3 --unit 0,14");
  CHECK(outside.status == 2);
  CHECK(outside.err ==
        "netlens: error: --unit 14 is outside layer 'conv5_3' on axis w (0 to 13)\n");
  CHECK(run_netlens("locate vgg16 --layer conv5_3 --unit 0,14").err == outside.err);
  const RunResult bad = run_netlens("plot vgg16 --layer conv5_3 --unit 0,");
  CHECK(bad.status == 2);
  CHECK(bad.err == "netlens: error: --unit: expected coordinates like 7, 7,7 or 2,7,7; got '0,'\n");
  const RunResult global = run_netlens("plot vgg16 --layer fc6 --unit 0,0");
  CHECK(global.status == 2);
  CHECK(global.err ==
        "netlens: error: layer 'fc6' sees the whole input (global): every unit's "
        "region is the full input\n");
  const RunResult alone = run_netlens("plot vgg16 --layer conv5_3");
  CHECK(alone.status == 2);
  CHECK(alone.err == "netlens: error: --layer requires --unit\nRun 'netlens --help' for usage.\n");
  const RunResult unit_alone = run_netlens("plot vgg16 --unit 1,1");
  CHECK(unit_alone.status == 2);
  CHECK(unit_alone.err ==
        "netlens: error: --unit requires --layer\nRun 'netlens --help' for usage.\n");
  const RunResult cube =
      run_netlens("plot - --layer c1 --unit 0,0,0",
                  "input: {size: [8, 16, 16], channels: 1}\n"
                  "layers:\n  - {name: c1, type: conv, out_channels: 2, kernel_size: 3}\n");
  CHECK(cube.status == 2);
  CHECK(cube.err ==
        "netlens: error: --layer: cannot draw the regions of a 3-D net (input "
        "8x16x16); 'netlens locate' prints them\n");
}

TEST_CASE("plot: --help has the examples, and the main help lists plot", "[cli]") {
  const RunResult help = run_netlens("plot --help");
  CHECK(help.status == 0);
  CHECK(help.out.find("Usage: netlens plot [OPTIONS] net") != std::string::npos);
  CHECK(help.out.find("  netlens plot resnet50 -o rf.svg\n") != std::string::npos);
  CHECK(help.out.find("  netlens plot unet --layer conv9_2 --unit 40,40 -o region.svg\n") !=
        std::string::npos);
  const RunResult main_help = run_netlens("--help");
  CHECK(main_help.out.find("  plot                        Draw an SVG picture") !=
        std::string::npos);
  CHECK(main_help.out.find("  netlens plot resnet50 -o rf.svg") != std::string::npos);
}
