// The effective receptive field under uniform weights (engine/erf.cpp) on
// small hand-made nets: exact path counts (small integers, exact in double),
// erf50 / erf95 and the error texts.
#include <catch2/catch.hpp>
#include <cmath>

#include "engine/erf.h"
#include "engine/regions.h"
#include "helpers.h"

using namespace netlens;
using namespace netlens::test;

namespace {

std::size_t layer_index(const Report& r, const std::string& name) {
  for (std::size_t i = 0; i < r.layers.size(); ++i) {
    if (r.layer(i).name == name) {
      return i;
    }
  }
  throw std::runtime_error("no layer " + name);
}

// The map of a 1-D unit as counts over input positions 0 .. n-1.
std::vector<double> counts(const Report& r, const std::string& layer, std::int64_t unit) {
  const ErfMap m = compute_erf(r, layer_index(r, layer), {unit});
  std::vector<double> out(static_cast<std::size_t>(r.input.size[0]), 0.0);
  for (std::int64_t i = 0; i < m.size[0]; ++i) {
    out[static_cast<std::size_t>(m.origin[0] + i)] =
        std::ldexp(m.values[static_cast<std::size_t>(i)], static_cast<int>(m.exp2));
  }
  return out;
}

UnitErf erf_of(Report r, const std::string& layer, const PerAxis<std::int64_t>& unit) {
  const NetRegions regions = compute_regions(r, true);
  return unit_erf(r, locate_unit(r, regions, layer_index(r, layer), unit));
}

}  // namespace

TEST_CASE("erf: convs multiply by their input channels per tap, padding adds nothing",
          "[engine][erf]") {
  const Report r = analyze_yaml(
      "input: {size: [5], channels: 2}\nlayers:\n"
      "  - {name: c1, type: conv, out_channels: 3, kernel_size: 3, padding: 1}\n"
      "  - {name: bn, type: batchnorm}\n"
      "  - {name: relu, type: relu}\n"
      "  - {name: c2, type: conv, out_channels: 1, kernel_size: 3, padding: 1}\n");
  // c2 reads 3 channels at c1's units 1..3, each 2 channels at p-1..p+1.
  CHECK(counts(r, "c2", 2) == std::vector<double>{6, 12, 18, 12, 6});
  CHECK(counts(r, "c2", 0) == std::vector<double>{12, 12, 6, 0, 0});
  CHECK(counts(r, "relu", 4) == std::vector<double>{0, 0, 0, 2, 2});
  const UnitErf e = erf_of(r, "c2", {2});  // theoretical [0, 4]: centre 2
  CHECK(e.map.paths_log10() == Approx(std::log10(54.0)).epsilon(1e-15));
  CHECK(e.erf50[0] == Ratio::of(1));  // 42 of 54 within 1
  CHECK(e.erf95[0] == Ratio::of(2));
}

TEST_CASE("erf: a residual add sums its inputs' paths, channel 0 through the shortcut",
          "[engine][erf]") {
  const Report r = analyze_yaml(
      "input: {size: [5], channels: 2}\nlayers:\n"
      "  - {name: a, type: conv, out_channels: 2, kernel_size: 3, padding: 1}\n"
      "  - {name: add, type: add, inputs: [a, input]}\n"
      "  - {name: b, type: conv, out_channels: 4, kernel_size: 1}\n");
  // add's channel 0: 2 channels x 3 taps through a, channel 0 of the input.
  CHECK(counts(r, "add", 2) == std::vector<double>{0, 2, 3, 2, 0});
  // b sums add's 2 channels: 2 x (a's 2 x 3 taps) + the input's 2 channels.
  CHECK(counts(r, "b", 2) == std::vector<double>{0, 4, 6, 4, 0});
}

TEST_CASE("erf: a concat's channel 0 comes from its first input, and a conv after it reads all",
          "[engine][erf]") {
  const Report r = analyze_yaml(
      "input: {size: [4], channels: 1}\nlayers:\n"
      "  - {name: a, type: conv, out_channels: 2, kernel_size: 1}\n"
      "  - {name: b, type: conv, out_channels: 3, kernel_size: 3, padding: 1, inputs: [input]}\n"
      "  - {name: cat, type: concat, inputs: [a, b]}\n"
      "  - {name: c, type: conv, out_channels: 1, kernel_size: 1}\n");
  CHECK(counts(r, "cat", 1) == std::vector<double>{0, 1, 0, 0});
  CHECK(counts(r, "c", 1) == std::vector<double>{3, 5, 3, 0});
}

TEST_CASE("erf: pools are windows of ones, upsampling reads its taps' weights", "[engine][erf]") {
  const Report r = analyze_yaml(
      "input: {size: [4], channels: 2}\nlayers:\n"
      "  - {name: pool, type: maxpool, kernel_size: 2, stride: 2}\n"
      "  - {name: near, type: upsample, scale_factor: 2}\n"
      "  - {name: lin, type: upsample, scale_factor: 2, mode: bilinear, inputs: [pool]}\n"
      "  - {name: avg, type: avgpool, kernel_size: 3, stride: 1, padding: 1, inputs: [input]}\n");
  CHECK(counts(r, "near", 3) == std::vector<double>{0, 0, 1, 1});
  // x = (1 + 0.5) / 2 - 0.5 = 0.25: 0.75 of pool unit 0, 0.25 of unit 1.
  CHECK(counts(r, "lin", 1) == std::vector<double>{0.75, 0.75, 0.25, 0.25});
  CHECK(counts(r, "avg", 0) == std::vector<double>{1, 1, 0, 0});
}

TEST_CASE("erf: grouped convs keep their group's channels", "[engine][erf]") {
  const Report r = analyze_yaml(
      "input: {size: [3], channels: 4}\nlayers:\n"
      "  - {name: g, type: conv, out_channels: 4, kernel_size: 1, groups: 2}\n"
      "  - {name: d, type: conv, out_channels: 4, kernel_size: 1, groups: 4}\n"
      "  - {name: f, type: conv, out_channels: 1, kernel_size: 1}\n");
  CHECK(counts(r, "g", 1) == std::vector<double>{0, 2, 0});  // input channels 0, 1
  CHECK(counts(r, "d", 1) == std::vector<double>{0, 2, 0});  // d's channel 0: g's channel 0
  CHECK(counts(r, "f", 1) == std::vector<double>{0, 8, 0});  // 4 x 2
}

TEST_CASE("erf: counts past double's range keep their scale", "[engine][erf]") {
  std::string yaml = "input: {size: [3], channels: 512}\nlayers:\n";
  for (int i = 0; i < 150; ++i) {
    yaml += "  - {type: conv, out_channels: 512, kernel_size: 1}\n";
  }
  const Report r = analyze_yaml(yaml);
  const ErfMap m = compute_erf(r, 149, {1});
  // 512 channels read at each of 150 convs: 512^150 = 2^1350 paths.
  CHECK(m.size[0] == 1);
  CHECK(m.paths_log10() == Approx(1350 * std::log10(2.0)).epsilon(1e-12));
}

TEST_CASE("erf: a half-integer centre takes half-integer radii", "[engine][erf]") {
  const Report r = analyze_yaml(
      "input: {size: [4], channels: 1}\nlayers:\n"
      "  - {name: c, type: conv, out_channels: 1, kernel_size: 2}\n"
      "  - {name: d, type: conv, out_channels: 1, kernel_size: 2}\n");
  // d's unit 0: [0, 2], counts 1 2 1, centre 1; c's unit 0: [0, 1], centre 0.5.
  const UnitErf d = erf_of(r, "d", {0});
  CHECK(d.erf50[0] == Ratio::of(0));  // 2 of 4: exactly 50%
  CHECK(d.erf95[0] == Ratio::of(1));
  const UnitErf c = erf_of(r, "c", {0});
  CHECK(c.erf50[0] == *Ratio::make(1, 2));
  CHECK(c.erf95[0] == *Ratio::make(1, 2));
}

TEST_CASE("erf: layers without a map say why", "[engine][erf]") {
  const Report r = analyze_yaml(
      "input: {size: [8, 8], channels: 4}\nlayers:\n"
      "  - {name: ps, type: pixel_shuffle, upscale_factor: 2}\n"
      "  - {name: c, type: conv, out_channels: 2, kernel_size: 3}\n"
      "  - {name: gap, type: global_avgpool, inputs: [input]}\n"
      "  - {name: d, type: relu, inputs: [c]}\n");
  CHECK(error_of([&] {
          compute_erf(r, 0, {1, 1});
        }) ==
        "layer 'ps' has no effective receptive field: pixel_shuffle moves positions between "
        "channels, so a unit's paths depend on its channel");
  CHECK(error_of([&] {
          compute_erf(r, 1, {1, 1});
        }) ==
        "layer 'c' has no effective receptive field: it reads layer 'ps', which has none: "
        "pixel_shuffle moves positions between channels, so a unit's paths depend on its "
        "channel");
  CHECK(error_of([&] {
          compute_erf(r, 3, {1, 1});
        }) ==
        "layer 'd' has no effective receptive field: it reads layer 'c', which depends on layer "
        "'ps', which has none: pixel_shuffle moves positions between channels, so a unit's "
        "paths depend on its channel");
  CHECK(error_of([&] {
          compute_erf(r, 2, {0, 0});
        }) == "layer 'gap' has no effective receptive field: it sees the whole input (global)");
}

TEST_CASE("erf: analyze --erf gives every layer's centre unit, null where none", "[engine][erf]") {
  Report r = analyze_yaml(
      "input: {size: [5], channels: 2}\nlayers:\n"
      "  - {name: c1, type: conv, out_channels: 3, kernel_size: 3, padding: 1}\n"
      "  - {name: c2, type: conv, out_channels: 1, kernel_size: 3, padding: 1}\n"
      "  - {name: gap, type: global_avgpool}\n");
  const NetRegions regions = compute_regions(r, true);
  compute_layer_erfs(r, regions);
  CHECK(r.erf);
  REQUIRE(r.layers[1].erf50);
  CHECK((*r.layers[1].erf50)[0] == Ratio::of(1));
  CHECK((*r.layers[1].erf95)[0] == Ratio::of(2));
  CHECK((*r.layers[0].erf50)[0] == Ratio::of(1));  // 1 1 1 around unit 2: 2 of 3 within 1
  CHECK_FALSE(r.layers[2].erf50);
}

TEST_CASE("erf: a tensor concatenated twice, or added to itself, counts each time",
          "[engine][erf]") {
  const Report r = analyze_yaml(
      "input: {size: [3], channels: 1}\nlayers:\n"
      "  - {name: a, type: conv, out_channels: 2, kernel_size: 1}\n"
      "  - {name: cat, type: concat, inputs: [a, a]}\n"
      "  - {name: c, type: conv, out_channels: 1, kernel_size: 1}\n"
      "  - {name: twice, type: add, inputs: [a, a]}\n");
  CHECK(counts(r, "cat", 1) == std::vector<double>{0, 1, 0});
  CHECK(counts(r, "c", 1) == std::vector<double>{0, 4, 0});  // 4 channels, 1 path each
  CHECK(counts(r, "twice", 1) == std::vector<double>{0, 2, 0});
}
