// The renderers: table, JSON (spec §3's keys, read back with nlohmann), CSV
// (per-axis headers, RFC 4180), Markdown, and the --columns selection.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "format/columns.h"
#include "format/format.h"
#include "helpers.h"
#include "onnx/reader.h"

using namespace netlens;
using namespace netlens::test;
using nlohmann::json;

namespace {

// 224x320 input; a conv (non-square size), a pool, an adaptive pool to 7x10,
// a global pool (square size 1) and a linear (flat).
const char* const kDemo =
    "name: demo\ninput: {size: [224, 320], channels: 3}\nlayers:\n"
    "  - {name: conv1, type: conv, kernel_size: 3, padding: 1, out_channels: 1024}\n"
    "  - {name: pool1, type: maxpool, kernel_size: 2}\n"
    "  - {name: ada, type: adaptive_avgpool, output_size: [7, 10]}\n"
    "  - {name: gap, type: global_avgpool}\n"
    "  - {name: fc, type: linear, out_features: 1000}\n";

FormatOptions columns(std::vector<std::string> ids) { return FormatOptions{std::move(ids)}; }

}  // namespace

TEST_CASE("table: title, aligned cells, separators, totals", "[format]") {
  const Report r = analyze_yaml(kDemo);
  const auto lines = lines_of(render_table(
      r, columns({"index", "name", "type", "size", "channels", "jump", "rf", "params"})));
  REQUIRE(lines.size() == 13);
  CHECK(lines[0] == "demo (spec): input 224x320, 3 channels, pytorch convention, 5 layers");
  CHECK(lines[1].empty());
  CHECK(lines[2] == "#  name   type                 size     ch  jump      rf     params");
  CHECK(lines[3] == std::string(67, '-'));
  CHECK(lines[4] == "1  conv1  conv              224x320  1,024     1       3     28,672");
  CHECK(lines[5] == "2  pool1  maxpool           112x160  1,024     2       4          0");
  CHECK(lines[6] == "3  ada    adaptive_avgpool     7x10  1,024    32      34          0");
  CHECK(lines[7] == "4  gap    global_avgpool          1  1,024     -  global          0");
  CHECK(lines[8] == "5  fc     linear                  -  1,000     -  global  1,025,000");
  CHECK(lines[9] == std::string(67, '-'));
  CHECK(lines[10] == "params: 1,053,672 (4.21 MB at float32)");
  CHECK(lines[11].rfind("compute: ", 0) == 0);
  CHECK(lines[12].rfind("activations: ", 0) == 0);
}

TEST_CASE("table: one channel, one layer, fractional and missing values", "[format]") {
  const Report r = analyze_yaml(
      "input: {size: [9], channels: 1}\nlayers:\n  - {type: upsample, scale_factor: 3}\n");
  const auto lines = lines_of(render_table(r, columns({"name", "size", "jump", "center_offset"})));
  CHECK(lines[0] == "t (spec): input 9, 1 channel, pytorch convention, 1 layer");
  CHECK(lines[2] == "name       size    jump  center");
  CHECK(lines[4] == "upsample1    27  0.3333       0");
}

TEST_CASE("numbers as text", "[format]") {
  CHECK(with_separators(0) == "0");
  CHECK(with_separators(999) == "999");
  CHECK(with_separators(1000) == "1,000");
  CHECK(with_separators(138357544) == "138,357,544");
  CHECK(with_separators(-1234567) == "-1,234,567");
  CHECK(ratio_text(Ratio::of(4)) == "4");
  CHECK(ratio_text(*Ratio::make(1, 2)) == "0.5");
  CHECK(ratio_text(*Ratio::make(-3, 2)) == "-1.5");
  CHECK(ratio_text(*Ratio::make(1, 3)) == "0.3333");
}

TEST_CASE("JSON: the keys and values of spec §3", "[format]") {
  const Report r = analyze_bundled("vgg16");
  const json j = json::parse(render_json(r));
  for (const char* key : {"schema", "net", "input", "convention", "layers", "totals", "warnings"}) {
    INFO(key);
    CHECK(j.contains(key));
  }
  CHECK(j["schema"] == "netlens/1");
  CHECK(j["net"] == json::parse(R"({"name": "vgg16", "source": "bundled:vgg16"})"));
  CHECK(j["input"] == json::parse(R"({"size": [224, 224], "channels": 3})"));
  CHECK(j["convention"] == "pytorch");
  CHECK(j["totals"]["params"] == 138357544);
  CHECK(j["warnings"] == json::array());
  REQUIRE(j["layers"].size() == 40);
  // The example layer of spec §3, key by key (more keys may be added).
  const json example = json::parse(R"(
    {"index": 1, "name": "conv1_1", "type": "conv", "inputs": ["input"],
     "output": {"size": [224, 224], "channels": 64},
     "kernel_size": [3, 3], "stride": [1, 1], "padding": [[1, 1], [1, 1]], "dilation": [1, 1],
     "rf": [3, 3], "jump": [1, 1], "padding_eff": [1, 1], "center_offset": [0, 0],
     "global_rf": false, "params": 1792, "warnings": []})");
  const json& first = j["layers"][0];
  for (auto it = example.begin(); it != example.end(); ++it) {
    INFO(it.key());
    CHECK(first.contains(it.key()));
    CHECK(first[it.key()] == it.value());
  }
  const json& fc8 = j["layers"][39];
  CHECK(fc8["name"] == "fc8");
  CHECK(fc8["output"] == json::parse(R"({"size": [], "channels": 1000})"));
  CHECK(fc8["global_rf"] == true);
  for (const char* key : {"rf", "jump", "padding_eff", "center_offset", "kernel_size"}) {
    INFO(key);
    CHECK(fc8[key].is_null());
  }
}

TEST_CASE("JSON: 1-D lists, fractions, warnings", "[format]") {
  const Report r = analyze_yaml(
      "input: {size: [9], channels: 1}\nlayers:\n"
      "  - {name: up, type: upsample, scale_factor: 2}\n"
      "  - {name: a, type: relu, inputs: [input]}\n"
      "  - {name: c, type: conv, kernel_size: 2, stride: 2, out_channels: 1}\n");
  const json j = json::parse(render_json(r));
  CHECK(j["input"]["size"] == json::array({9}));
  const json& up = j["layers"][0];
  CHECK(up["output"]["size"] == json::array({18}));
  CHECK(up["jump"] == json::array({0.5}));
  CHECK(up["kernel_size"].is_null());
  const json& c = j["layers"][2];
  CHECK(c["inputs"] == json::array({"a"}));
  CHECK(c["padding"] == json::parse("[[0, 0]]"));
  CHECK(c["center_offset"] == json::array({0.5}));
  const std::string dropped =
      "the last 1 input position on axis l is never read: (9 + 0 + 0 - 2) is not a multiple of "
      "stride 2";
  CHECK(c["warnings"] == json::array({dropped}));
  const std::string dead = "dead branch: no layer uses this output (and it is not the last layer)";
  CHECK(up["warnings"] == json::array({dead}));
  CHECK(j["warnings"] == json::parse(R"([{"layer": "up", "kind": "dead-layer", "message": ")" +
                                     dead + R"("}, {"layer": "c", "kind": "unread-input", )" +
                                     R"("message": ")" + dropped + "\"}]"));
  CHECK(j["accepted_warnings"] == json::array());
}

TEST_CASE("CSV: a header column per axis", "[format]") {
  const auto header = [](const char* input) {
    const Report r = analyze_yaml(std::string("input: {size: ") + input +
                                  ", channels: 1}\nlayers:\n  - {type: relu}\n");
    return lines_of(render_csv(r, columns({"index", "size", "rf", "params"})))[0];
  };
  CHECK(header("[5]") == "index,out_l,rf_l,params\r");
  CHECK(header("[5, 6]") == "index,out_h,out_w,rf_h,rf_w,params\r");
  CHECK(header("[4, 5, 6]") == "index,out_d,out_h,out_w,rf_d,rf_h,rf_w,params\r");
}

TEST_CASE("CSV: plain numbers, empty cells, RFC 4180 quoting and CRLF", "[format]") {
  const Report r = analyze_yaml(
      "input: {size: [4, 6], channels: 3}\nlayers:\n"
      "  - {name: \"c,1\", type: conv, kernel_size: 3, padding: 1, out_channels: 1000}\n"
      "  - {name: \"say \\\"hi\\\"\", type: relu}\n"
      "  - {name: \"two\\nlines\", type: global_maxpool}\n"
      "  - {name: fc, type: linear, out_features: 2000}\n");
  CHECK(render_csv(r, columns({"name", "inputs", "size", "channels", "jump", "params"})) ==
        "name,inputs,out_h,out_w,channels,jump_h,jump_w,params\r\n"
        "\"c,1\",input,4,6,1000,1,1,28000\r\n"
        "\"say \"\"hi\"\"\",\"c,1\",4,6,1000,1,1,0\r\n"
        "\"two\nlines\",\"say \"\"hi\"\"\",1,1,1000,,,0\r\n"
        "fc,\"two\nlines\",,,2000,,,2002000\r\n");
}

TEST_CASE("Markdown: bold title, aligned columns, escaped pipes", "[format]") {
  const Report r = analyze_yaml(
      "name: md\ninput: {size: [8, 8], channels: 3}\nlayers:\n"
      "  - {name: \"a|b\", type: conv, kernel_size: 3, out_channels: 2}\n");
  const auto lines = lines_of(render_markdown(r, columns({"index", "name", "size", "params"})));
  REQUIRE(lines.size() >= 8);
  CHECK(lines[0] == "**md (spec): input 8x8, 3 channels, pytorch convention, 1 layer**");
  CHECK(lines[1].empty());
  CHECK(lines[2] == "| # | name | size | params |");
  CHECK(lines[3] == "|---:|---|---:|---:|");
  CHECK(lines[4] == "| 1 | a\\|b | 6 | 56 |");
  CHECK(lines[5].empty());
  CHECK(lines[6] == "params: 56 (224 B at float32)  ");
}

// CSV's default columns end with the tensor's shape, its tokens and what
// kind of receptive field its units have, so empty rf cells say why.
TEST_CASE("CSV: shape, tokens and rf_kind tell a global row from an unknown one", "[format]") {
  const Report vit = analyze_bundled("vit_b_16");
  const std::vector<std::string> rows = lines_of(render_csv(vit, FormatOptions{}));
  CHECK(rows[0].ends_with(",params,macs,shape,tokens,rf_kind\r"));
  CHECK(rows[4] == "4,cat,class_token,14,14,768,16,16,16,16,0,0,768,0,1x197x768,197,local\r");
  CHECK(rows[8].ends_with(",1x197x768,197,global\r"));  // the first attention
  const Report whole = analyze_yaml(
      "input: {size: 4, channels: 2}\nlayers:\n  - {name: r, type: reshape, shape: [1, 32]}\n");
  CHECK(lines_of(render_csv(whole, FormatOptions{}))[1] ==
        "1,r,reshape,,,,,,,,,,0,0,1x32,,unknown\r");
}

TEST_CASE("the --columns option: selection, order, unknown ids", "[format]") {
  const Report r = analyze_yaml(kDemo);
  CHECK(lines_of(render_csv(r, columns({"params", "name"})))[1] == "28672,conv1\r");
  CHECK(lines_of(render_csv(r, columns({"kernel", "stride", "padding", "dilation"})))[1] ==
        "3,3,1,1,1,1,1,1\r");
  CHECK(lines_of(render_table(r, columns({"name"})))[2] == "name");
  const std::string all =
      "index,name,type,inputs,size,channels,shape,tokens,kernel,stride,padding,dilation,jump,rf,"
      "padding_eff,center_offset,rf_min,rf_kind,params,params_percent,buffers,macs,flops,other_ops,"
      "activations,memory,erf50,erf95";
  CHECK(error_of([&] {
          render_table(r, columns({"name", "sise"}));
        }) == "unknown column 'sise' (did you mean 'size'?); columns: " + all);
  CHECK(error_of([&] { render_csv(r, columns({"bogus"})); }) ==
        "unknown column 'bogus'; columns: " + all);
  // A header's typo suggests the column's id.
  CHECK(error_of([&] { render_csv(r, columns({"pad_ef"})); }) ==
        "unknown column 'pad_ef' (did you mean 'padding_eff'?); columns: " + all);
  CHECK(error_of([&] { render_markdown(r, columns({""})); }) ==
        "--columns: an empty column name; give names like name,size,rf");
  CHECK(error_of([&] {
          render_markdown(r, columns({"name", "  "}));
        }) == "--columns: an empty column name; give names like name,size,rf");
  // An unknown column is a usage error (exit status 2), not bad input.
  CHECK_THROWS_AS(select_columns({"nope"}), UsageError);
}

TEST_CASE("the --columns option takes the table's headers, in any case, spaces trimmed",
          "[format]") {
  const Report r = analyze_yaml(kDemo);
  const auto ids = [](const std::vector<std::string>& entries) {
    std::vector<std::string> out;
    for (const Column* c : select_columns(entries)) {
      out.emplace_back(c->id);
    }
    return out;
  };
  CHECK(ids({"#", "ch", "pad_eff", "center", "MACs", "FLOPs", "params%", "other ops"}) ==
        std::vector<std::string>{"index", "channels", "padding_eff", "center_offset", "macs",
                                 "flops", "params_percent", "other_ops"});
  CHECK(ids({" name", "RF ", "Padding_Eff", "macs"}) ==
        std::vector<std::string>{"name", "rf", "padding_eff", "macs"});
  // The CSV header keeps its names whatever was asked for.
  CHECK(lines_of(render_csv(r, columns({"Name", " ch", "MACs"})))[0] == "name,channels,macs\r");
}

// The depth view: blocks of layers by the first N parts of their names, each
// with its layers' summed costs; the rows add up to the net's totals.
TEST_CASE("analyze --depth: resnet50's blocks at depth 1 sum to the totals", "[format]") {
  const Report r = analyze_bundled("resnet50");
  const Report blocks = block_report(r, 1);
  std::vector<std::string> names;
  std::int64_t params = 0;
  std::int64_t macs = 0;
  for (const LayerReport& b : blocks.layers) {
    names.push_back(blocks.layer(b.index - 1).name);
    params += b.params;
    macs += b.cost.macs;
  }
  CHECK(names == std::vector<std::string>{"conv1", "bn1", "relu", "maxpool", "layer1", "layer2",
                                          "layer3", "layer4", "avgpool", "flatten", "fc"});
  CHECK(params == r.totals.params);
  CHECK(macs == r.totals.macs);
  CHECK(blocks.layer(4).type == "block");
  CHECK(blocks.layers[7].rf[0].rf == 427);  // layer4's last layer's
  CHECK(lines_of(render_table(blocks, FormatOptions{}))[0] ==
        "resnet50 (bundled:resnet50): input 224x224, 3 channels, pytorch convention, 175 layers "
        "in 11 blocks (depth 1)");
  // JSON keeps its layers and adds the blocks, 1-based first and last layers.
  const auto with_blocks = nlohmann::json::parse(render_json(r, nullptr, 1));
  CHECK(with_blocks["layers"].size() == 175);
  REQUIRE(with_blocks["blocks"].size() == 11);
  CHECK(with_blocks["blocks"][4] ==
        nlohmann::json::parse(R"({"name":"layer1","first":5,"last":36,"params":215808,)"
                              R"("buffers":2826,"macs":667942912,"flops":1335885824,)"
                              R"("other_ops":14852096})"));
  // torch.onnx's names are module paths: split at '/'; a bias constant joins its block.
  const Report swin =
      analyze(read_onnx_file(source_path("tests/data/onnx/tiny_swin_op13.onnx"), {}));
  const Report swin_blocks = block_report(swin, 2);
  CHECK(swin_blocks.layer(1).name == "/features/features.1");
  CHECK(swin_blocks.layers[1].params == 15984);
}
