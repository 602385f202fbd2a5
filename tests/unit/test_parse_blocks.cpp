// `blocks:` and `use:`: a block defined once, used and repeated with
// parameters, expanded into plain layers named PREFIX.NAME.
#include <catch2/catch.hpp>

#include "helpers.h"

using namespace netlens;
using namespace netlens::test;

namespace {

const char* const kBlocks =
    "input: {size: [64], channels: 1}\n"
    "blocks:\n"
    "  residual:\n"
    "    params: {dilation: 1, width: 8}\n"
    "    layers:\n"
    "      - {name: conv, type: conv, out_channels: $width, kernel_size: 2, dilation: $dilation, "
    "padding: [[$dilation, 0]]}\n"
    "      - {name: act, type: tanh}\n"
    "      - {name: sum, type: add, inputs: [act, $input]}\n"
    "layers:\n"
    "  - {name: stem, type: conv, out_channels: 8, kernel_size: 1}\n";

std::string error(const std::string& text) {
  return error_of([&] { analyze_yaml(text); });
}

}  // namespace

TEST_CASE("blocks: a use expands into named, wired layers", "[parse][blocks]") {
  const Report r = analyze_yaml(std::string(kBlocks) +
                                "  - {name: b, use: residual, repeat: 3, with: {dilation: {each: "
                                "[1, 2, 4]}}}\n"
                                "  - {name: head, type: conv, out_channels: 2, kernel_size: 1}\n");
  REQUIRE(r.layers.size() == 11);
  CHECK(r.layer(1).name == "b1.conv");
  CHECK(r.layer(3).name == "b1.sum");
  CHECK(r.layer(9).name == "b3.sum");
  CHECK(r.node_name(r.layers[1].inputs[0]) == "stem");
  CHECK(r.node_name(r.layers[3].inputs[1]) == "stem");    // $input of the first repetition
  CHECK(r.node_name(r.layers[4].inputs[0]) == "b1.sum");  // the next reads the last
  CHECK(r.node_name(r.layers[6].inputs[1]) == "b1.sum");
  CHECK((*r.layers[7].window)[0].dilation == 4);
  CHECK((*r.layers[7].window)[0].pad_lo == 4);
  CHECK(*r.layers[9].rf[0].rf == 1 + 1 + 2 + 4);
  CHECK(r.layer(1).pos.line == 6);  // positions are the definition's
  const Report once =
      analyze_yaml(std::string(kBlocks) + "  - {use: residual, with: {width: 8, dilation: 3}}\n");
  CHECK(once.layer(1).name == "residual.conv");
  CHECK((*once.layers[1].window)[0].dilation == 3);
}

TEST_CASE("blocks: errors name the use and the definition", "[parse][blocks]") {
  CHECK(error(std::string(kBlocks) + "  - {use: residaul}\n") ==
        "t.yaml:11:11: layers[1].use: no block 'residaul' (did you mean 'residual'?)");
  CHECK(error(std::string(kBlocks) + "  - {use: residual, with: {dilaton: 2}}\n") ==
        "t.yaml:11:28: layers[1].with: unknown key 'dilaton' (did you mean 'dilation'?); allowed: "
        "dilation, width");
  CHECK(error(std::string(kBlocks) +
              "  - {use: residual, repeat: 2, with: {dilation: {each: [1, 2, 3]}}}\n") ==
        "t.yaml:11:56: layers[1].with.dilation.each: expected a list of 2 values, one per "
        "repetition");
  CHECK(error(std::string(kBlocks) + "  - {use: residual, with: {dilation: 0}}\n") ==
        "t.yaml:6:82: layers[1] (residual of 'residual'): blocks.residual.layers[0].dilation: "
        "must be >= 1 (got 0)");
  CHECK(error(std::string(kBlocks) + "  - {use: residual, repeat: 200000}\n") ==
        "t.yaml:11:29: layers[1].repeat: more than 100000 layers (raise the limit with "
        "--max-layers)");
  CHECK(error("input: {size: 8}\nlayers:\n  - {use: x}\n") ==
        "t.yaml:3:11: layers[0].use: no block 'x'; define it under a top-level 'blocks:'");
}
