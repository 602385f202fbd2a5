// Every error the spec parser produces: exact message, file:line:column and
// key path. Layer lines sit on line 3 (`  - {...}`) unless said otherwise.
#include <catch2/catch.hpp>

#include "helpers.h"
#include "model/layer_types.h"

using namespace netlens;
using namespace netlens::test;

namespace {

// A spec with a square input of 8 and the given layer lines (from line 3).
std::string spec(const std::string& layer_lines) {
  return "input: {size: 8}\nlayers:\n" + layer_lines;
}

std::string parse_error(const std::string& text) {
  return error_of([&] { parse_yaml(text); });
}

std::string json_error(const std::string& text) {
  return error_of([&] { parse_spec(text, "t.json", "t", SpecFormat::Json); });
}

}  // namespace

TEST_CASE("wrong types and ranges name the key path and position", "[parse]") {
  CHECK(parse_error(spec("  - {type: conv, kernel_size: 3, stride: 0, out_channels: 4}\n")) ==
        "t.yaml:3:42: layers[0].stride: must be >= 1 (got 0)");
  CHECK(parse_error(spec("  - {type: conv, kernel_size: -3, out_channels: 4}\n")) ==
        "t.yaml:3:31: layers[0].kernel_size: must be >= 1 (got -3)");
  CHECK(parse_error(spec("  - {type: conv, kernel_size: 0, out_channels: 4}\n")) ==
        "t.yaml:3:31: layers[0].kernel_size: must be >= 1 (got 0)");
  CHECK(parse_error(spec("  - {type: conv, kernel_size: 3, out_channels: 0}\n")) ==
        "t.yaml:3:48: layers[0].out_channels: must be >= 1 (got 0)");
  CHECK(parse_error(spec("  - {type: conv, kernel_size: 3, out_channels: 2, padding: -1}\n")) ==
        "t.yaml:3:60: layers[0].padding: must be >= 0 (got -1)");
  CHECK(parse_error(spec("  - {type: conv, kernel_size: \"3\", out_channels: 4}\n")) ==
        "t.yaml:3:31: layers[0].kernel_size: expected an integer, got '3'");
  CHECK(parse_error(spec("  - {type: conv, kernel_size: [3, three], out_channels: 4}\n")) ==
        "t.yaml:3:35: layers[0].kernel_size[1]: expected an integer, got 'three'");
  CHECK(parse_error(spec("  - {type: conv, kernel_size: true, out_channels: 4}\n")) ==
        "t.yaml:3:31: layers[0].kernel_size: expected an integer or a list of integers (one per "
        "spatial axis), got true");
  CHECK(parse_error(spec("  - {type: conv, kernel_size: {a: 1}, out_channels: 4}\n")) ==
        "t.yaml:3:31: layers[0].kernel_size: expected an integer or a list of integers (one per "
        "spatial axis), got a mapping");
  CHECK(
      parse_error(spec("  - {type: conv, kernel_size: [3, 3, 3, 3], out_channels: 4}\n")) ==
      "t.yaml:3:31: layers[0].kernel_size: expected 1 to 3 entries (one per spatial axis), got 4");
  CHECK(
      parse_error(spec("  - {type: conv, kernel_size: [], out_channels: 4}\n")) ==
      "t.yaml:3:31: layers[0].kernel_size: expected 1 to 3 entries (one per spatial axis), got 0");
  CHECK(parse_error(spec("  - {type: conv, kernel_size: 3, out_channels: 2, bias: 1}\n")) ==
        "t.yaml:3:57: layers[0].bias: expected true or false, got 1");
  CHECK(parse_error(spec("  - {type: conv, kernel_size: 3, out_channels: 2, groups: 0}\n")) ==
        "t.yaml:3:59: layers[0].groups: must be >= 1 (got 0)");
  CHECK(parse_error(spec("  - {type: conv, kernel_size: 3, out_channels: 2, stride: null}\n")) ==
        "t.yaml:3:59: layers[0].stride: expected an integer or a list of integers (one per "
        "spatial axis), got null");
  CHECK(parse_error(spec("  - {type: upsample, scale_factor: 0}\n")) ==
        "t.yaml:3:36: layers[0].scale_factor: must be > 0 (got 0)");
  CHECK(
      parse_error(spec("  - {type: upsample, scale_factor: 2, mode: cubic}\n")) ==
      "t.yaml:3:45: layers[0].mode: expected nearest, nearest-exact, bilinear (linear, trilinear) "
      "or bicubic, got 'cubic'");
}

TEST_CASE("padding forms that are not padding", "[parse]") {
  CHECK(parse_error(spec("  - {type: conv, kernel_size: 3, out_channels: 2, padding: foo}\n")) ==
        "t.yaml:3:60: layers[0].padding: expected an integer, a list, or one of valid, same, "
        "same_lower; got 'foo'");
  CHECK(parse_error(
            spec("  - {type: conv, kernel_size: 3, out_channels: 2, padding: [[1, 2, 3]]}\n")) ==
        "t.yaml:3:61: layers[0].padding[0]: expected a [before, after] pair, got 3 entries");
  CHECK(parse_error(
            spec("  - {type: conv, kernel_size: 3, out_channels: 2, padding: [[1, -2]]}\n")) ==
        "t.yaml:3:65: layers[0].padding[0][1]: must be >= 0 (got -2)");
}

TEST_CASE("3.0, 1e3 and 010 are not integers", "[parse]") {
  CHECK(parse_error(spec("  - {type: conv, kernel_size: 3.0, out_channels: 4}\n")) ==
        "t.yaml:3:31: layers[0].kernel_size: expected an integer, got 3.0");
  CHECK(parse_error(spec("  - {type: conv, kernel_size: 1e3, out_channels: 4}\n")) ==
        "t.yaml:3:31: layers[0].kernel_size: expected an integer, got 1e3");
  CHECK(parse_error(spec("  - {type: conv, kernel_size: 0x10, out_channels: 4}\n")) ==
        "t.yaml:3:31: layers[0].kernel_size: expected a decimal integer, got '0x10' (no leading "
        "zeros, octal or hex)");
  CHECK(
      parse_error(spec("  - {type: conv, kernel_size: 99999999999999999999, out_channels: 4}\n")) ==
      "t.yaml:3:31: layers[0].kernel_size: integer 99999999999999999999 is out of range");
  CHECK(parse_error(spec("  - {type: conv, kernel_size: 010, out_channels: 4}\n")) ==
        "t.yaml:3:31: layers[0].kernel_size: expected a decimal integer, got '010' (no leading "
        "zeros, octal or hex)");
  CHECK(parse_error(spec("  - {type: conv, kernel_size: 3, out_channels: 2, padding: 01}\n")) ==
        "t.yaml:3:60: layers[0].padding: expected a decimal integer, got '01' (no leading "
        "zeros, octal or hex)");
}

TEST_CASE("unknown layer types, with a suggestion when one is close", "[parse]") {
  CHECK(parse_error(spec("  - {type: convv, kernel_size: 3, out_channels: 4}\n")) ==
        "t.yaml:3:12: layers[0].type: unknown layer type 'convv' (did you mean 'conv'?); "
        "types: abs, acos, acosh, adaptive_avgpool, adaptive_maxpool, add, amax, amin, argmax, "
        "argmin, asin, asinh, atan, atanh, attention, avgpool, batchnorm, ceil, celu, "
        "channel_shuffle, clamp, class_token, concat, constant, conv, conv_transpose, cos, cosh, "
        "crop, dequantize, div, dropout, elu, eq, erf, exp, expand, extra_input, flatten, floor, "
        "gather, ge, gelu, global_avgpool, global_maxpool, groupnorm, gt, hardmax, hardsigmoid, "
        "hardswish, hardtanh, identity, instancenorm, isinf, isnan, layernorm, le, leaky_relu, "
        "linear, log, log_softmax, log_sum, logical_and, logical_not, logical_or, logical_xor, "
        "logsumexp, lrn, lt, matmul, max, maxpool, mean, min, mish, mul, neg, norm_l1, norm_l2, "
        "pad, patch_merge, permute, pixel_shuffle, pixel_unshuffle, pos_embedding, pow, prelu, "
        "prod, quantize, reciprocal, relu, relu6, remainder, reshape, roll, round, scale, "
        "select, selu, shrink, sigmoid, sign, silu, sin, sinh, slice, softmax, softplus, "
        "softsign, split, sqrt, stochastic_depth, sub, sum, sum_square, tan, tanh, "
        "thresholded_relu, tile, unflatten, upsample, where, window_attention, window_mask");
  CHECK(parse_error(spec("  - {type: maxpol, kernel_size: 3}\n")) ==
        "t.yaml:3:12: layers[0].type: unknown layer type 'maxpol' (did you mean 'maxpool'?); "
        "types: " +
            layer_type_names());
  CHECK(parse_error(spec("  - {type: maxpol2d, kernel_size: 3}\n")) ==
        "t.yaml:3:12: layers[0].type: unknown layer type 'maxpol2d' (did you mean 'maxpool2d'?); "
        "types: " +
            layer_type_names());
  CHECK(parse_error(spec("  - {type: Covn3D, kernel_size: 3}\n")) ==
        "t.yaml:3:12: layers[0].type: unknown layer type 'Covn3D' (did you mean 'conv3D'?); "
        "types: " +
            layer_type_names());
  CHECK(parse_error(spec("  - {type: frobnicate}\n")) ==
        "t.yaml:3:12: layers[0].type: unknown layer type 'frobnicate'; types: " +
            layer_type_names());
  CHECK(parse_error(spec("  - {type: 3}\n")) ==
        "t.yaml:3:12: layers[0].type: expected a string, got 3");
}

TEST_CASE("unknown keys list the allowed ones", "[parse]") {
  CHECK(parse_error(spec("  - {type: conv, kernel_size: 3, out_channels: 4, strid: 2}\n")) ==
        "t.yaml:3:51: layers[0]: unknown key 'strid' for conv (did you mean 'stride'?); allowed: "
        "name, type, inputs, out_channels, kernel_size, stride, padding, dilation, groups, bias, "
        "in_channels, padding_mode, params, allow");
  CHECK(parse_error(spec("  - {type: relu, foo: 2}\n")) ==
        "t.yaml:3:18: layers[0]: unknown key 'foo' for relu; allowed: name, type, inputs, inplace, "
        "params, allow");
  CHECK(parse_error(spec("  - {type: avgpool, kernel_size: 2, dilation: 2}\n")) ==
        "t.yaml:3:37: layers[0]: unknown key 'dilation' for avgpool; allowed: name, type, "
        "inputs, kernel_size, stride, padding, ceil_mode, count_include_pad, params, allow");
  CHECK(parse_error("input: {size: 8}\nlayer:\n  - {type: relu}\n") ==
        "t.yaml:2:1: unknown key 'layer' (did you mean 'layers'?); allowed: name, input, "
        "convention, layers, outputs, blocks, shared_params");
  CHECK(parse_error("input: {size: 8, chanels: 3}\nlayers:\n  - {type: relu}\n") ==
        "t.yaml:1:18: input: unknown key 'chanels' (did you mean 'channels'?); allowed: size, "
        "channels, channels_last, features, shape, batch");
  CHECK(parse_error(spec("  - {type: conv, filters: 3, out_channels: 3, kernel_size: 3}\n")) ==
        "t.yaml:3:30: layers[0]: 'out_channels' is given twice (as 'out_channels' and an alias)");
}

TEST_CASE("missing required keys", "[parse]") {
  CHECK(parse_error(spec("  - {type: conv, kernel_size: 3}\n")) ==
        "t.yaml:3:5: layers[0]: conv needs 'out_channels'");
  CHECK(parse_error(spec("  - {type: conv, out_channels: 3}\n")) ==
        "t.yaml:3:5: layers[0]: conv needs 'kernel_size'");
  CHECK(parse_error(spec("  - {type: conv_transpose, kernel_size: 3}\n")) ==
        "t.yaml:3:5: layers[0]: conv_transpose needs 'out_channels'");
  CHECK(parse_error(spec("  - {type: maxpool}\n")) ==
        "t.yaml:3:5: layers[0]: maxpool needs 'kernel_size'");
  CHECK(parse_error(spec("  - {type: adaptive_avgpool}\n")) ==
        "t.yaml:3:5: layers[0]: adaptive_avgpool needs 'output_size'");
  CHECK(parse_error(spec("  - {type: linear}\n")) ==
        "t.yaml:3:5: layers[0]: linear needs 'out_features'");
  CHECK(parse_error(spec("  - {type: pad}\n")) == "t.yaml:3:5: layers[0]: pad needs 'padding'");
  CHECK(parse_error(spec("  - {type: add}\n")) == "t.yaml:3:5: layers[0]: add needs 'inputs'");
  CHECK(parse_error(spec("  - {kernel_size: 3}\n")) ==
        "t.yaml:3:5: layers[0]: missing required key 'type'");
  CHECK(parse_error(spec("  - conv\n")) ==
        "t.yaml:3:5: layers[0]: expected a mapping like {type: conv, ...}, got 'conv'");
  CHECK(parse_error("input: {size: 8}\n") == "t.yaml:1:1: missing required key 'layers'");
}

TEST_CASE("the top level and the input section", "[parse]") {
  CHECK(parse_error("input: {size: 8}\nlayers: []\n") ==
        "t.yaml:2:9: layers: the net has no layers");
  CHECK(parse_error("input: {size: 8}\nlayers: {}\n") ==
        "t.yaml:2:9: layers: expected a list of layers, got a mapping");
  CHECK(parse_error("- {type: relu}\n") ==
        "t.yaml:1:1: expected a mapping with 'layers' at the top, got a list");
  CHECK(parse_error("name: 5\nlayers:\n  - {type: relu}\n") ==
        "t.yaml:1:7: name: expected a string, got 5");
  CHECK(parse_error("convention: tf\nlayers:\n  - {type: relu}\n") ==
        "t.yaml:1:13: convention: expected pytorch, keras or caffe, got 'tf'");
  CHECK(parse_error("input: 224\nlayers:\n  - {type: relu}\n") ==
        "t.yaml:1:8: input: expected a mapping like {size: [224, 224], channels: 3}, got 224");
  CHECK(parse_error("input: {size: [224, 0]}\nlayers:\n  - {type: relu}\n") ==
        "t.yaml:1:21: input.size[1]: must be >= 1 (got 0)");
  CHECK(parse_error("input: {size: 8, channels: 0}\nlayers:\n  - {type: relu}\n") ==
        "t.yaml:1:28: input.channels: must be >= 1 (got 0)");
}

TEST_CASE("duplicate layer names report both places", "[parse]") {
  CHECK(parse_error(spec("  - {name: a, type: relu}\n  - {name: b, type: relu}\n"
                         "  - {name: a, type: relu}\n")) ==
        "t.yaml:5:12: layers[2].name: duplicate layer name 'a' (first used at t.yaml:3:12)");
  // A default name (<type><index>) clashes too; its place is the layer's entry.
  CHECK(parse_error(spec("  - {type: relu}\n  - {name: relu1, type: relu}\n")) ==
        "t.yaml:4:12: layers[1].name: duplicate layer name 'relu1' (first used at t.yaml:3:5)");
  CHECK(parse_error(spec("  - {name: input, type: relu}\n")) ==
        "t.yaml:3:12: layers[0].name: 'input' is reserved for the net's input; pick another "
        "layer name");
  CHECK(parse_error(spec("  - {name: \"\", type: relu}\n")) ==
        "t.yaml:3:12: layers[0].name: a layer name cannot be empty");
}

TEST_CASE("duplicate keys, anchors, aliases, tags, several documents", "[parse]") {
  CHECK(parse_error(spec("  - {type: relu, type: relu}\n")) ==
        "t.yaml:3:18: duplicate key 'type' (first at line 3, column 6)");
  CHECK(parse_error("input: {size: 8}\ninput: {size: 9}\nlayers:\n  - {type: relu}\n") ==
        "t.yaml:2:1: duplicate key 'input' (first at line 1, column 1)");
  CHECK(parse_error("input: &i {size: 8}\nlayers:\n  - {type: relu}\n") ==
        "t.yaml:1:8: YAML anchors (&name) are not supported; write the value out");
  CHECK(parse_error("input: {size: &s 8}\nlayers:\n  - {type: relu}\n") ==
        "t.yaml:1:15: YAML anchors (&name) are not supported; write the value out");
  // An alias needs an anchor, which fails first; a dangling one is yaml-cpp's error.
  CHECK(parse_error("input: {size: 8}\nlayers:\n  - {type: relu}\n  - *x\n") ==
        "t.yaml:4:5: invalid YAML: the referenced anchor is not defined");
  CHECK(parse_error("input: {size: !!int 8}\nlayers:\n  - {type: relu}\n") ==
        "t.yaml:1:15: YAML tags (tag:yaml.org,2002:int) are not supported");
  CHECK(parse_error("input: {size: 8}\nlayers:\n  - {type: relu}\n---\nname: x\n") ==
        "t.yaml:4:1: more than one YAML document (a second '---')");
}

TEST_CASE("text no spec may contain", "[parse]") {
  // An empty spec points at its end.
  CHECK(parse_error("") == "t.yaml:1:1: empty spec");
  CHECK(parse_error("  \n\t\n") == "t.yaml:3:1: empty spec");
  CHECK(parse_error("# only a comment\n") == "t.yaml:2:1: empty spec");
  CHECK(parse_error(std::string("input: {size: 8}\nlayers:\n  - {type: re") + '\0' + "lu}\n") ==
        "t.yaml:3:14: NUL byte in the spec");
  CHECK(parse_error("input: {size: 8}\nname: ab\xff"
                    "c\nlayers:\n  - {type: relu}\n") == "t.yaml:2:9: invalid UTF-8");
  // An overlong encoding of '/' is invalid too.
  CHECK(parse_error("name: a\xc0\xaf\nlayers:\n  - {type: relu}\n") == "t.yaml:1:8: invalid UTF-8");
  CHECK(parse_error("input: {size: 8}\nlayers: [\n") ==
        "t.yaml:3:1: invalid YAML: end of sequence flow not found");
}

TEST_CASE("a line indented unlike its block is named, with a hint", "[parse]") {
  const std::string hint = " (is this line indented as the lines of its block are?)";
  CHECK(parse_error("input: {size: 8}\nlayers:\n  - {type: relu}\n - {type: relu}\n") ==
        "t.yaml:4:2: invalid YAML: end of map not found" + hint);
  CHECK(parse_error("input: {size: 8}\nlayers:\n  - type: relu\n   name: r\n") ==
        "t.yaml:4:4: invalid YAML: end of sequence not found" + hint);
  CHECK(parse_error("input:\n  size: 8\n channels: 3\nlayers:\n  - {type: relu}\n") ==
        "t.yaml:3:2: invalid YAML: end of map not found" + hint);
}

TEST_CASE("a misindented key is one error, not also the entry it cut short", "[parse]") {
  const std::string hint = " (is this line indented as the lines of its block are?)";
  const auto messages = [](const std::string& text) {
    try {
      parse_spec(text, "t.yaml", "t", SpecFormat::Yaml);
    } catch (const ErrorList& e) {
      return e.messages();
    } catch (const Error& e) {
      return std::vector<std::string>{e.what()};
    }
    return std::vector<std::string>{};
  };
  // kernel_size, one space short, ends the conv's map: "conv needs
  // 'kernel_size'" would point at the wrong line.
  CHECK(messages("input: {size: 8}\nlayers:\n  - type: conv\n    out_channels: 4\n"
                 "   kernel_size: 3\n") ==
        std::vector<std::string>{"t.yaml:5:4: invalid YAML: end of sequence not found" + hint});
  // An earlier entry's own error stays.
  CHECK(messages("input: {size: 8}\nlayers:\n  - {type: relu, p: 1}\n  - type: conv\n"
                 "    out_channels: 4\n   kernel_size: 3\n") ==
        std::vector<std::string>{
            "t.yaml:3:18: layers[0]: unknown key 'p' for relu; allowed: name, type, inputs, "
            "inplace, params, allow",
            "t.yaml:6:4: invalid YAML: end of sequence not found" + hint});
}

TEST_CASE("a tab in the indentation is named, wherever it is", "[parse]") {
  const std::string tab = "invalid YAML: a tab in the indentation (YAML indents with spaces only)";
  // Before a list item (yaml-cpp: "illegal block entry").
  CHECK(parse_error("input: {size: 8}\nlayers:\n\t- {type: relu}\n") == "t.yaml:3:1: " + tab);
  // Before a key of a list item's map (yaml-cpp: "illegal tab when looking for indentation").
  CHECK(parse_error("input: {size: 8}\nlayers:\n  - type: relu\n  \tname: r\n") ==
        "t.yaml:4:3: " + tab);
  // Before a nested key (yaml-cpp: "illegal map value").
  CHECK(parse_error("input:\n\tsize: 8\nlayers:\n  - {type: relu}\n") == "t.yaml:2:1: " + tab);
  // A tab after the indentation is YAML's own business: a separator here.
  CHECK(parse_error("input: {size: 8}\nlayers:\n  - {type:\trelu}\n").empty());
}

TEST_CASE("text that starts like JSON and is neither JSON nor YAML gets the JSON error",
          "[parse]") {
  const auto auto_error = [](const std::string& text) {
    return error_of([&] { parse_spec(text, "<stdin>", "stdin", SpecFormat::Auto); });
  };
  CHECK(auto_error("{\"input\": {\"size\": 8}, \"layers\": [{\"type\": \"relu\"}") ==
        "<stdin>:1:50: invalid JSON: syntax error while parsing array - unexpected end of input; "
        "expected ']'");
  // Flow-style YAML that starts like JSON is still read as YAML, errors and all.
  CHECK(auto_error("{input: {size: 8}, layers: [{type: relu, bogus: 1}]}") ==
        "<stdin>:1:42: layers[0]: unknown key 'bogus' for relu; allowed: name, type, inputs, "
        "inplace, params, allow");
}

TEST_CASE("JSON syntax errors carry the position", "[parse]") {
  CHECK(json_error("{\"input\": {\"size\": 8},\n \"layers\": [{\"type\": \"relu\"},]}") ==
        "t.json:2:30: invalid JSON: syntax error while parsing value - unexpected ']'; expected "
        "'[', '{', or a literal");
  CHECK(json_error("{\"input\": {\"size\": 8}, \"layers\": [{\"type\": relu}]}") ==
        "t.json:1:44: invalid JSON: syntax error while parsing value - invalid literal; last "
        "read: '\"type\": r'");
  CHECK(json_error("{\"input\": {\"size\": 08}, \"layers\": [{\"type\": \"relu\"}]}") ==
        "t.json:1:22: invalid JSON: syntax error while parsing object - unexpected number "
        "literal; expected '}'");
  CHECK(json_error("{\"input\": {\"size\": 8}, \"layers\": [{\"type\": \"conv\", \"kernel_size\": "
                   "3.0, \"out_channels\": 2}]}") ==
        "t.json:1:67: layers[0].kernel_size: expected an integer, got 3.0");
  CHECK(json_error("{\"input\": {\"size\": 8}, \"layers\": [{\"type\": \"conv\", \"kernel_size\": "
                   "1e3, \"out_channels\": 2}]}") ==
        "t.json:1:67: layers[0].kernel_size: expected an integer, got 1e3");
  CHECK(json_error("{\"input\": {\"size\": 8}, \"layers\": [{\"type\": \"relu\", \"type\": "
                   "\"relu\"}]}") ==
        "t.json:1:52: duplicate key 'type' (first at line 1, column 36)");
  CHECK(json_error("{\"input\": {\"size\": 8},\n \"layers\": [{\"type\": \"relu\", \"x\": 1}]}") ==
        "t.json:2:30: layers[0]: unknown key 'x' for relu; allowed: name, type, inputs, inplace, "
        "params, allow");
}

TEST_CASE("per-axis lists of the wrong length surface in the engine", "[parse][engine]") {
  const auto model_error = [](const std::string& layers) {
    return error_of([&] { analyze_yaml("input: {size: [8, 8]}\nlayers:\n" + layers); });
  };
  CHECK(model_error("  - {type: conv, kernel_size: [3, 3, 3], out_channels: 4}\n") ==
        "t.yaml:3:31: layer 'conv1': kernel_size has 3 entries but the input has 2 spatial axes");
  CHECK(model_error("  - {type: conv, kernel_size: 3, padding: [1, 1, 1], out_channels: 4}\n") ==
        "t.yaml:3:43: layer 'conv1': padding has 3 entries but the input has 2 spatial axes");
  CHECK(model_error("  - {type: upsample, scale_factor: [2, 2, 2]}\n") ==
        "t.yaml:3:36: layer 'upsample1': scale_factor has 3 entries but the input has 2 spatial "
        "axes");
  CHECK(error_of([] {
          analyze_yaml("input: {size: [8]}\nlayers:\n  - {type: pad, padding: [1, 1]}\n");
        }) ==
        "t.yaml:3:26: layer 'pad1': padding has 2 entries but the input has 1 spatial axis; for "
        "[before, after] on that axis write [[1, 1]]");
  CHECK(model_error("  - {type: Conv1d, kernel_size: 1, out_channels: 2}\n") ==
        "t.yaml:3:12: layer 'conv1': a 1-D layer type on an input with 2 spatial axes (8x8)");
  // One size for every axis: the layers say the rank, and must agree (a
  // stray Conv1d does not turn an image net 1-D).
  const auto scalar_error = [](const std::string& layers) {
    return error_of([&] { analyze_yaml("input: {size: 64}\nlayers:\n" + layers); });
  };
  CHECK(scalar_error("  - {name: c1, type: conv, out_channels: 8, kernel_size: [3, 3]}\n"
                     "  - {name: c2, type: Conv1d, out_channels: 8, kernel_size: 3}\n") ==
        "t.yaml:4:5: layer 'c2': a 1-D layer, but layer 'c1' is 2-D, and the input's one size (64) "
        "does not say the net's rank: give a size per axis (input: {size: [64, 64]})");
  CHECK(scalar_error("  - {name: c1, type: conv, out_channels: 8, kernel_size: 3}\n"
                     "  - {name: c2, type: Conv1d, out_channels: 8, kernel_size: 3}\n")
            .empty());
}

TEST_CASE("seed compatibility form errors", "[parse]") {
  CHECK(parse_error("net: [[3, 1, 1], [2, 2, 0]]\nname: [conv1]\ninput: {size: 8}\n") ==
        "t.yaml:2:7: name: expected a list of 2 layer names, one per entry of 'net'");
  CHECK(parse_error("net: [[3, 0, 1], [2, 2, 0]]\nname: [conv1, pool1]\ninput: {size: 8}\n") ==
        "t.yaml:1:11: net[0][1]: must be >= 1 (got 0)");
  CHECK(parse_error("net: [[3, 1, -1]]\nname: [conv1]\ninput: {size: 8}\n") ==
        "t.yaml:1:14: net[0][2]: must be >= 0 (got -1)");
  CHECK(parse_error("net: []\ninput: {size: 8}\n") ==
        "t.yaml:1:6: net: expected a list of [kernel, stride, padding] entries");
  CHECK(parse_error("net: [[3, 1, 1]]\nlayers: []\n") ==
        "t.yaml:2:1: unknown key 'layers'; allowed: net, name, input, convention");
  CHECK(parse_error("net: [[3, 1, 1], [3, 1, 1]]\nname: [a, a]\n") ==
        "t.yaml:2:11: name[1]: duplicate layer name 'a' (first used at t.yaml:2:8)");
  CHECK(parse_error("net: [[3, 1, 1]]\nname: [input]\n") ==
        "t.yaml:2:8: name[0]: 'input' is reserved for the net's input; pick another layer name");
  // An entry of the wrong length says how many entries it has: "got a list"
  // would repeat what was asked for without saying what is wrong.
  CHECK(parse_error("net: [[3, 1, 1], [2, 2]]\nname: [conv1, pool1]\n") ==
        "t.yaml:1:18: net[1]: expected [kernel, stride, padding], got 2 entries");
}

TEST_CASE("inputs must be a non-empty list of names", "[parse]") {
  CHECK(parse_error(spec("  - {type: relu, inputs: 5}\n")) ==
        "t.yaml:3:26: layers[0].inputs: expected a list of layer names, got 5");
  // An empty list is called an empty list: "got a list" would answer
  // "expected a list" with what was asked for and hide that no name is given.
  CHECK(parse_error(spec("  - {type: relu, inputs: []}\n")) ==
        "t.yaml:3:26: layers[0].inputs: expected a list of layer names, got an empty list");
}

TEST_CASE("independent errors in layer entries are all reported, up to 20", "[parse]") {
  const std::string text =
      "input: {size: 8}\nlayers:\n"
      "  - {type: conv, out_channels: 4, kernel: 3}\n"
      "  - {type: relu}\n"
      "  - {type: maxpol, kernel_size: 2}\n";
  try {
    parse_spec(text, "t.yaml", "t", SpecFormat::Yaml);
    FAIL("no error");
  } catch (const ErrorList& e) {
    CHECK(
        e.messages() ==
        std::vector<std::string>{
            "t.yaml:3:35: layers[0]: unknown key 'kernel' for conv (did you mean 'kernel_size'?); "
            "allowed: name, type, "
            "inputs, out_channels, kernel_size, stride, padding, dilation, groups, bias, "
            "in_channels, padding_mode, params, allow",
            "t.yaml:5:12: layers[2].type: unknown layer type 'maxpol' (did you mean 'maxpool'?); "
            "types: " +
                layer_type_names()});
  }
  std::string many = "input: {size: 8}\nlayers:\n";
  for (int i = 0; i < 25; ++i) {
    many += "  - {type: relu, p: 1}\n";
  }
  try {
    parse_spec(many, "t.yaml", "t", SpecFormat::Yaml);
    FAIL("no error");
  } catch (const ErrorList& e) {
    REQUIRE(e.messages().size() == 21);
    CHECK(e.messages()[19] ==
          "t.yaml:22:18: layers[19]: unknown key 'p' for relu; allowed: name, type, inputs, "
          "inplace, params, allow");
    CHECK(e.messages()[20] == "t.yaml: stopped after 20 errors");
  }
}

TEST_CASE("errors that show the fix: key names, one-axis padding pairs, flattened features",
          "[parse]") {
  CHECK(parse_error(spec("  - {type: conv, kernel: 3, out_channels: 4}\n")) ==
        "t.yaml:3:18: layers[0]: unknown key 'kernel' for conv (did you mean 'kernel_size'?); "
        "allowed: name, type, inputs, out_channels, kernel_size, stride, padding, dilation, "
        "groups, bias, in_channels, padding_mode, params, allow");
  CHECK(
      parse_error(spec("  - {type: conv, kernel_size: 3, out: 4}\n")) ==
      "t.yaml:3:34: layers[0]: unknown key 'out' for conv (did you mean "
      "'out_channels'?); allowed: name, type, inputs, out_channels, kernel_size, stride, padding, "
      "dilation, groups, bias, in_channels, padding_mode, params, allow");
  // PyTorch's causal padding F.pad(x, (4, 0)) written as a list on a 1-D conv.
  CHECK(error_of([] {
          analyze_yaml(
              "input: {size: [100], channels: 1}\nlayers:\n"
              "  - {type: conv, out_channels: 8, kernel_size: 5, padding: [4, 0]}\n");
        }) ==
        "t.yaml:3:60: layer 'conv1': padding has 2 entries but the input has 1 spatial axis; "
        "for [before, after] on that axis write [[4, 0]]");
  const char* head =
      "input: {size: 32, channels: 3}\nlayers:\n"
      "  - {name: c1, type: conv, out_channels: 8, kernel_size: 3}\n";
  CHECK(error_of([&] {
          analyze_yaml(std::string(head) +
                       "  - {name: f, type: flatten}\n"
                       "  - {name: fc, type: linear, in_features: 8, out_features: 10}\n");
        }) ==
        "t.yaml:5:43: layer 'fc': declares 8 input features, but its input 'f' has 7200 "
        "(8x30x30 flattened)");
  CHECK(error_of([&] {
          analyze_yaml(std::string(head) +
                       "  - {name: fc, type: linear, in_features: 8, out_features: 10}\n");
        }) ==
        "t.yaml:4:43: layer 'fc': declares 8 input features, but its input 'c1' has 7200 "
        "(8x30x30 flattened)");
}

TEST_CASE("a kernel larger than its input gives the smallest input that fits", "[engine]") {
  const std::string layers =
      "  - {name: c1, type: conv, out_channels: 8, kernel_size: 3}\n"
      "  - {name: p, type: maxpool, kernel_size: 2}\n"
      "  - {name: c2, type: conv, out_channels: 8, kernel_size: 5}\n";
  // 12 -> conv 3 -> 10 -> pool 2 -> 5 -> conv 5 -> 1; 11 gives 4 at c2.
  CHECK(error_of([&] { analyze_yaml("input: {size: 8}\nlayers:\n" + layers); }) ==
        "t.yaml:5:5: layer 'c2': kernel 5 (dilated) is larger than the padded input 3 (3 + 0 + 0) "
        "on axis h; the net's input must be at least 12");
  CHECK(error_of([&] { analyze_yaml("input: {size: [30, 8]}\nlayers:\n" + layers); }) ==
        "t.yaml:5:5: layer 'c2': kernel 5 (dilated) is larger than the padded input 3 (3 + 0 + 0) "
        "on axis w; the net's input must be at least 12 on axis w");
  CHECK(analyze_yaml("input: {size: [30, 12]}\nlayers:\n" + layers).layers[2].output.size ==
        PerAxis<std::int64_t>{10, 1});
  CHECK(error_of([] {
          analyze_yaml(
              "input: {size: 8}\nlayers:\n"
              "  - {type: adaptive_avgpool, output_size: 2}\n"
              "  - {name: c2, type: conv, out_channels: 8, kernel_size: 5}\n");
        }) ==
        "t.yaml:4:5: layer 'c2': kernel 5 (dilated) is larger than the padded input 2 (2 + 0 + "
        "0) on axis h; no input size up to 16777216 makes it fit");
}
