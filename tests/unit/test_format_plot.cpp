// The SVG figures of `netlens plot`: the writer's escaping and numbers, the
// rf/jump chart's values and layout (docs/plots.md), the regions' rectangles
// in input pixels, 1-D strips and the 3-D refusal.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <cmath>

#include "engine/regions.h"
#include "format/format.h"
#include "format/svg.h"
#include "helpers.h"

using namespace netlens;
using namespace netlens::test;

namespace {

// 32x48 input; c3's kernel differs per axis, so rf splits into h and w while
// jump stays one line; then a global pool and two flat layers.
const char* const kTwo =
    "name: two\ninput: {size: [32, 48], channels: 3}\nlayers:\n"
    "  - {name: c1, type: conv, out_channels: 4, kernel_size: 3, stride: 2, padding: 1}\n"
    "  - {name: p1, type: maxpool, kernel_size: 2}\n"
    "  - {name: c3, type: conv, out_channels: 4, kernel_size: [5, 3], padding: [2, 1]}\n"
    "  - {name: gap, type: global_avgpool}\n"
    "  - {name: flat, type: flatten}\n"
    "  - {name: fc, type: linear, out_features: 2}\n";

// 16x16; c2's unit (0, 0) reads padding, c1's unit (5, 7) does not.
const char* const kSmall =
    "name: small\ninput: {size: [16, 16], channels: 1}\nlayers:\n"
    "  - {name: c1, type: conv, out_channels: 2, kernel_size: 3, padding: 1}\n"
    "  - {name: c2, type: conv, out_channels: 2, kernel_size: 3, stride: 2, padding: 1}\n";

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

std::string rect(double x, double y, double w, double h) {
  return fmt::format("<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\"", x, y, w,
                     h);
}

std::vector<UnitLocation> locate_all(
    Report& r, const std::vector<std::pair<std::size_t, PerAxis<std::int64_t>>>& units) {
  const NetRegions regions = compute_regions(r, true);
  std::vector<UnitLocation> out;
  for (const auto& [layer, unit] : units) {
    out.push_back(locate_unit(r, regions, layer, unit));
  }
  return out;
}

}  // namespace

TEST_CASE("svg: escaping, fixed decimals, decades, tick steps", "[format]") {
  CHECK(svg::escape("a<&\"'>b") == "a&lt;&amp;&quot;&apos;&gt;b");
  CHECK(svg::num(1.0 / 3) == "0.33");
  CHECK(svg::num(-0.001) == "0.00");
  CHECK(svg::num(-2.5) == "-2.50");
  CHECK(svg::decade_label(-2) == "0.01");
  CHECK(svg::decade_label(0) == "1");
  CHECK(svg::decade_label(3) == "1000");
  CHECK(svg::tick_step(151, 61) == 5);
  CHECK(svg::tick_step(18, 8) == 5);
  CHECK(svg::tick_step(6, 61) == 1);
  CHECK(svg::tick_step(572, 8) == 100);
}

TEST_CASE("plot rf: each layer's data attributes are the Report's rf and jump", "[format]") {
  const Report r = analyze_yaml(kTwo);
  const std::string svg = render_plot_rf(r);
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"960\" height=\"", 0) == 0);
  CHECK(svg.find("<script") == std::string::npos);
  CHECK(svg.find("href") == std::string::npos);
  REQUIRE(*r.layers[0].rf[0].rf == 3);
  CHECK(svg.find(fmt::format("data-index=\"1\" data-layer=\"c1\" data-type=\"conv\" "
                             "data-rf=\"{}\" data-jump=\"{}\"><title>1 c1 (conv): rf 3, jump 2",
                             *r.layers[0].rf[0].rf, r.layers[0].rf[0].jump->num)) !=
        std::string::npos);
  CHECK(svg.find("data-layer=\"p1\" data-type=\"maxpool\" data-rf=\"5\" data-jump=\"4\"") !=
        std::string::npos);
  REQUIRE(*r.layers[2].rf[0].rf == 21);
  REQUIRE(*r.layers[2].rf[1].rf == 13);
  CHECK(svg.find("data-layer=\"c3\" data-type=\"conv\" data-rf=\"21x13\" data-jump=\"4\"") !=
        std::string::npos);
  CHECK(svg.find("data-layer=\"gap\" data-type=\"global_avgpool\" data-rf=\"global\" "
                 "data-jump=\"-\"") != std::string::npos);
  CHECK(svg.find("data-layer=\"fc\" data-type=\"linear\" data-rf=\"global\"") != std::string::npos);
}

TEST_CASE("plot rf: log scale, one line per axis only where axes differ, input lines", "[format]") {
  const std::string svg = render_plot_rf(analyze_yaml(kTwo));
  // Values 2 .. 48: decades 1 to 100 over the 380 px from y = 92, 8 px in
  // from each end (docs/plots.md).
  auto y = [](double v) { return 100 + (2 - std::log10(v)) / 2 * 364; };
  CHECK(fmt::format("{:.2f}", y(3)) == "377.16");
  const double slot = 860.0 / 6;
  CHECK(svg.find(fmt::format("<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"2.60\" fill=\"#1f77b4\"/>",
                             72 + 0.5 * slot, y(3))) != std::string::npos);
  CHECK(svg.find(fmt::format("<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"2.60\" fill=\"#1f77b4\"/>",
                             72 + 2.5 * slot, y(13))) != std::string::npos);
  CHECK(svg.find(fmt::format("<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"2.60\" fill=\"#e6550d\"/>",
                             72 + 2.5 * slot, y(4))) != std::string::npos);
  CHECK(svg.find(fmt::format("<text x=\"66.00\" y=\"{:.2f}\" font-size=\"11\" "
                             "text-anchor=\"end\" fill=\"#344054\">10</text>",
                             y(10) + 4)) != std::string::npos);
  CHECK(count(svg, ">rf (h)</text>") == 1);
  CHECK(count(svg, ">rf (w)</text>") == 1);
  CHECK(count(svg, ">jump</text>") == 1);
  CHECK(count(svg, ">jump (h)</text>") == 0);
  CHECK(count(svg, ">input h 32</text>") == 1);
  CHECK(count(svg, ">input w 48</text>") == 1);
  // A global layer: a hollow marker per rf line at that axis' input size; its jump is a gap.
  CHECK(count(svg, "fill=\"#ffffff\" stroke=\"#1f77b4\" stroke-width=\"1.2\"/>") == 3 * 2);
  CHECK(svg.find(fmt::format("<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"3.60\" fill=\"#ffffff\"",
                             72 + 3.5 * slot, y(48))) != std::string::npos);
  CHECK(count(svg, "<path d=\"M") == 3);
  CHECK(count(svg, " L") == 3 * 2);
  CHECK(count(svg, ">flat (no spatial axes)</text>") == 1);
  CHECK(svg.find(fmt::format("<rect x=\"{:.2f}\" y=\"92.00\" width=\"{:.2f}\" height=\"380.00\" "
                             "fill=\"#f2f4f7\"/>",
                             72 + 4 * slot, 2 * slot)) != std::string::npos);
}

TEST_CASE("plot rf: names are escaped, and long nets label one layer in a round step", "[format]") {
  std::string spec =
      "name: 'a<&\"b'\ninput: {size: [64], channels: 1}\nlayers:\n"
      "  - {name: 'x<&\"y', type: conv, out_channels: 1, kernel_size: 3}\n";
  for (int i = 2; i <= 151; ++i) {
    spec += fmt::format("  - {{name: r{}, type: relu}}\n", i);
  }
  const std::string svg = render_plot_rf(analyze_yaml(spec));
  CHECK(
      svg.find("<title>a&lt;&amp;&quot;b: receptive field and jump per layer, input 64</title>") !=
      std::string::npos);
  CHECK(svg.find("data-layer=\"x&lt;&amp;&quot;y\"") != std::string::npos);
  CHECK(svg.find("x<&") == std::string::npos);
  // 151 layers on 860 px: at most 61 labels, so one in 5.
  CHECK(count(svg, "transform=\"rotate(-45") == 30);
  CHECK(svg.find(">5 r5</text>") != std::string::npos);
  CHECK(svg.find(">150 r150</text>") != std::string::npos);
  CHECK(svg.find(">r4</text>") == std::string::npos);
  CHECK(svg.find("one in 5 labelled, with its index") != std::string::npos);
}

TEST_CASE("plot regions: rectangles are locate_unit's intervals in input pixels", "[format]") {
  Report r = analyze_yaml(kSmall);
  const auto locs = locate_all(r, {{1, {0, 0}}, {0, {5, 7}}});
  REQUIRE(locs[0].theoretical[0] == Interval{-2, 2});
  REQUIRE(locs[0].actual[1] == Interval{0, 2});
  REQUIRE(locs[1].theoretical[0] == Interval{4, 6});
  REQUIRE(locs[1].theoretical[1] == Interval{6, 8});
  const std::string svg = render_plot_regions(r, locs);
  // The drawing spans -2 .. 16 on both axes: 520 px / 18 pixels, shifted so -2 is at (64, 96).
  CHECK(svg.find("<g transform=\"translate(121.78 153.78) scale(28.888889)\">") !=
        std::string::npos);
  CHECK(svg.find(rect(0, 0, 16, 16) + " data-role=\"input\"") != std::string::npos);
  CHECK(svg.find("<g data-layer=\"c2\" data-unit=\"0,0\" data-theoretical=\"[-2,2] [-2,2]\" "
                 "data-actual=\"[0,2] [0,2]\">") != std::string::npos);
  CHECK(svg.find(rect(-2, -2, 5, 5) +
                 " data-role=\"theoretical\" fill=\"none\" stroke=\"#1f77b4\"") !=
        std::string::npos);
  CHECK(svg.find(rect(0, 0, 3, 3) + " data-role=\"actual\" fill=\"#1f77b4\"") != std::string::npos);
  // Columns (w) are x, rows (h) are y.
  CHECK(svg.find(rect(6, 4, 3, 3) + " data-role=\"actual\" fill=\"#d62728\"") != std::string::npos);
  CHECK(svg.find(rect(6, 4, 3, 3) + " data-role=\"theoretical\"") != std::string::npos);
  CHECK(svg.find(">c2 (conv), unit (0, 0)</text>") != std::string::npos);
  CHECK(svg.find(">theoretical rows [-2, 2] cols [-2, 2] (5x5 px); actual rows [0, 2] cols [0, 2] "
                 "(3x3 px)</text>") != std::string::npos);
  CHECK(svg.find(">theoretical rows [4, 6] cols [6, 8] (3x3 px); actual: the same</text>") !=
        std::string::npos);
}

TEST_CASE("plot regions: 1-D strips, escaped names, 3-D refused", "[format]") {
  Report one = analyze_yaml(
      "name: wave\ninput: {size: [64], channels: 1}\nlayers:\n"
      "  - {name: 'c<1>', type: conv, out_channels: 1, kernel_size: 5, stride: 2, padding: 2}\n"
      "  - {name: c2, type: conv, out_channels: 1, kernel_size: 3, stride: 2, padding: 1}\n");
  const std::string strip = render_plot_regions(one, locate_all(one, {{0, {0}}, {1, {3}}}));
  // Lanes 64 / 12 pixels high; lane k's bar from (k + 0.15) lanes, 0.7 lanes high.
  const double lane = 64.0 / 12;
  CHECK(strip.find(rect(-2, 0.15 * lane, 5, 0.7 * lane) + " data-role=\"theoretical\"") !=
        std::string::npos);
  CHECK(strip.find(rect(0, 0.15 * lane, 3, 0.7 * lane) + " data-role=\"actual\"") !=
        std::string::npos);
  CHECK(strip.find(rect(8, 1.15 * lane, 9, 0.7 * lane) + " data-role=\"actual\"") !=
        std::string::npos);
  CHECK(strip.find(rect(0, 0, 64, 2 * lane) + " data-role=\"input\"") != std::string::npos);
  CHECK(strip.find(">theoretical [-2, 2] (5 px); actual [0, 2] (3 px)</text>") !=
        std::string::npos);
  CHECK(strip.find("data-layer=\"c&lt;1&gt;\"") != std::string::npos);
  CHECK(strip.find("c<1>") == std::string::npos);

  Report cube = analyze_yaml(
      "name: v\ninput: {size: [8, 16, 16], channels: 1}\nlayers:\n"
      "  - {name: c1, type: conv, out_channels: 2, kernel_size: 3}\n");
  const auto locs = locate_all(cube, {{0, {0, 0, 0}}});
  CHECK(error_of([&] { render_plot_regions(cube, locs); }) ==
        "--layer: cannot draw the regions of a 3-D net (input 8x16x16); 'netlens locate' "
        "prints them");
}

TEST_CASE("plot rf: a branching net is plotted against depth, one segment per edge", "[format]") {
  const Report r = analyze_yaml(
      "input: {size: [32, 32], channels: 3}\nlayers:\n"
      "  - {name: a, type: conv, kernel_size: 3, padding: 1, out_channels: 4}\n"
      "  - {name: b, type: conv, kernel_size: 3, padding: 1, out_channels: 4}\n"
      "  - {name: c, type: conv, kernel_size: 1, out_channels: 4, inputs: [a]}\n"
      "  - {name: s, type: add, inputs: [b, c]}\n");
  const std::string svg = render_plot_rf(r);
  // Depths 1, 2, 2, 3: three slots; b and c side by side in the second.
  auto y = [](double v) { return 100 + (2 - std::log10(v)) / 2 * 364; };  // decades 1 to 100
  const double slot = 860.0 / 3;
  const auto dot = [&](double x, double v) {
    return fmt::format("<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"2.60\" fill=\"#1f77b4\"/>", x,
                       y(v));
  };
  CHECK(svg.find(dot(72 + 0.5 * slot, 3)) != std::string::npos);
  CHECK(svg.find(dot(72 + 1.5 * slot, 5)) != std::string::npos);  // b
  CHECK(svg.find(dot(72 + 1.5 * slot, 3)) != std::string::npos);  // c
  CHECK(svg.find(dot(72 + 2.5 * slot, 5)) != std::string::npos);  // s
  // rf and jump: a path each, of the edges a-b, a-c, b-s, c-s.
  CHECK(count(svg, "<path d=\"M") == 2);
  CHECK(count(svg, " L") == 2 * 4);
  CHECK(svg.find(fmt::format("<path d=\"M{:.2f} {:.2f} L{:.2f} {:.2f} M", 72 + 0.5 * slot, y(3),
                             72 + 1.5 * slot, y(5))) != std::string::npos);
  CHECK(svg.find(">depth: the longest path from the input, in layers</text>") != std::string::npos);
  CHECK(svg.find(">2</text>") != std::string::npos);
  // No hover column per layer: b and c share one.
  CHECK(count(svg, "fill-opacity=\"0\"") == 0);
}
