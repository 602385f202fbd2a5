// The limits of docs/limits.md on the real binary: standard input sniffed and
// read to its kind's limit, --max-bytes and --max-layers on specs and ONNX
// files alike, one line per exceeded limit; and the overrides (--input,
// --channels, --batch, --convention) with one set of rules and texts for
// both readers.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "helpers.h"
#include "parse/source.h"

using namespace netlens;
using namespace netlens::test;

namespace {

std::string onnx_file(const std::string& name) { return source_path("tests/data/onnx/" + name); }

// The binary with its standard input read from `path` itself (a device such
// as /dev/zero, which run_netlens's copy into a file cannot be).
RunResult run_with_stdin(const std::string& args, const std::string& path) {
  char dir_template[] = "/tmp/netlens-limits-XXXXXX";
  const char* dir = ::mkdtemp(dir_template);
  REQUIRE(dir != nullptr);
  const std::string d = dir;
  const std::string cmd =
      std::string(NETLENS_BINARY) + " " + args + " <" + path + " >" + d + "/out 2>" + d + "/err";
  const int raw = std::system(cmd.c_str());
  RunResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  r.out = slurp(d + "/out");
  r.err = slurp(d + "/err");
  std::remove((d + "/out").c_str());
  std::remove((d + "/err").c_str());
  ::rmdir(dir);
  return r;
}

}  // namespace

TEST_CASE("standard input: its first bytes say its kind, then it is read to that limit",
          "[cli][limits]") {
  // /dev/zero starts with NUL bytes, which no protobuf does: a spec, stopped
  // at the spec limit's first byte over (not read to the ONNX limit, 2 GiB).
  const RunResult zero = run_with_stdin("check -", "/dev/zero");
  CHECK(zero.status == 1);
  CHECK(zero.out.empty());
  CHECK(zero.err ==
        "netlens: error: <stdin>: spec is larger than 4194304 bytes (raise the limit with "
        "--max-bytes)\n");
  const RunResult lower = run_with_stdin("check - --max-bytes 1000", "/dev/zero");
  CHECK(lower.err ==
        "netlens: error: <stdin>: spec is larger than 1000 bytes (raise the limit with "
        "--max-bytes)\n");
  // Within the limit, the spec's own checks say what is wrong.
  const RunResult nul = run_netlens("check -", std::string(100, '\0'));
  CHECK(nul.status == 1);
  CHECK(nul.err == "netlens: error: <stdin>:1:1: NUL byte in the spec\n");
  CHECK_FALSE(is_onnx_source("<stdin>", std::string(64, '\0')));
  CHECK_FALSE(is_onnx_source("<stdin>", std::string("\0\x08\x07", 3)));
  CHECK_FALSE(is_onnx_source("<stdin>", ""));
  CHECK_FALSE(is_onnx_source("<stdin>", std::string("\xff\xfen\0a\0", 6)));  // UTF-16 LE
  CHECK(is_onnx_source("<stdin>", std::string("\x08\x07\x12\0", 4)));
  CHECK(is_onnx_source("<stdin>", std::string("\x12\x07pytorch", 9)));  // producer_name first
  const RunResult utf16 = run_netlens("check -", std::string("\xff\xfen\0a\0m\0e\0", 10));
  CHECK(utf16.err == "netlens: error: <stdin>:1:1: invalid UTF-8\n");
  // An ONNX model piped in is held to the ONNX limit, which --max-bytes sets too.
  const RunResult onnx =
      run_netlens("analyze - --max-bytes 100", slurp(onnx_file("small_cnn.onnx")));
  CHECK(onnx.status == 1);
  CHECK(onnx.err ==
        "netlens: error: <stdin>: ONNX file is larger than 100 bytes (raise the limit with "
        "--max-bytes)\n");
}

TEST_CASE("ONNX files obey --max-bytes too, and --onnx-max-bytes over it", "[cli][limits][onnx]") {
  const std::string file = onnx_file("small_cnn.onnx");
  const RunResult run = run_netlens("analyze " + file + " --max-bytes 100");
  CHECK(run.status == 1);
  CHECK(run.out.empty());
  CHECK(run.err == "netlens: error: " + file +
                       ": ONNX file is larger than 100 bytes (raise the limit with "
                       "--max-bytes)\n");
  const RunResult both = run_netlens("analyze " + file + " --max-bytes 100 --onnx-max-bytes 200");
  CHECK(both.err == "netlens: error: " + file +
                        ": ONNX file is larger than 200 bytes (raise the limit with "
                        "--onnx-max-bytes)\n");
  CHECK(run_netlens("analyze " + file + " --max-bytes 100 --onnx-max-bytes 100000 -q").status == 0);
  // A spec is not held to --onnx-max-bytes.
  CHECK(run_netlens("check vgg16 --onnx-max-bytes 10").status == 0);
  const RunResult spec = run_netlens("check " + source_path("tests/data/good_small.yaml") +
                                     " --max-bytes 10 --onnx-max-bytes 100000");
  CHECK(spec.err == "netlens: error: " + source_path("tests/data/good_small.yaml") +
                        ": spec is larger than 10 bytes (raise the limit with --max-bytes)\n");
}

TEST_CASE("an exceeded --max-layers is one line at the first layer over it, spec or ONNX",
          "[cli][limits]") {
  const RunResult vgg = run_netlens("check vgg16 --max-layers 10");
  CHECK(vgg.status == 1);
  CHECK(vgg.out.empty());
  CHECK(vgg.err ==
        "netlens: error: vgg16.yaml:28:5: layers[10]: more than 10 layers (raise the limit with "
        "--max-layers)\n");
  // The errors of the entries before it are still said, then reading stops.
  const RunResult after = run_netlens("check - --max-layers 1",
                                      "layers:\n  - {type: relu, bogus: 1}\n  - {type: relu}\n  - "
                                      "{type: relu}\n  - {type: relu}\n");
  CHECK(after.err ==
        "netlens: error: <stdin>:2:18: layers[0]: unknown key 'bogus' for relu; allowed: name, "
        "type, inputs, inplace, params, allow\n"
        "netlens: error: <stdin>:4:5: layers[2]: more than 1 layer (raise the limit with "
        "--max-layers)\n");
  const RunResult split = run_netlens("check - --input 8 --max-layers 3",
                                      "layers:\n  - {type: split, chunks: 4}\n  - {type: relu}\n");
  CHECK(split.err ==
        "netlens: error: <stdin>:2:5: layers[0]: more than 3 layers (raise the limit with "
        "--max-layers)\n");
  const std::string file = onnx_file("small_cnn.onnx");
  const RunResult onnx = run_netlens("analyze " + file + " --max-layers 3");
  CHECK(onnx.status == 1);
  CHECK(onnx.err == "netlens: error: " + file +
                        ": node 'pool1' (MaxPool, opset 13): more than 3 layers (raise the limit "
                        "with --max-layers)\n");
  CHECK(run_netlens("analyze " + file + " --max-layers 9 -q").status == 0);
}

TEST_CASE("the overrides --input, --channels, --batch: one set of rules and texts, spec or ONNX",
          "[cli][limits][onnx]") {
  // More axes than the input's: the channels go in --channels.
  const RunResult onnx_chw =
      run_netlens("analyze " + onnx_file("small_cnn.onnx") + " --input 3x64x64");
  CHECK(onnx_chw.status == 2);
  CHECK(onnx_chw.err ==
        "netlens: error: --input 3x64x64 has 3 axes but small_cnn's input has 2 (32x32): the "
        "channels go in --channels, as in --input 64x64 --channels 3\n");
  const RunResult piped =
      run_netlens("analyze - --input 3x64x64", slurp(onnx_file("small_cnn.onnx")));
  CHECK(piped.err ==
        "netlens: error: --input 3x64x64 has 3 axes but stdin's input has 2 (32x32): the "
        "channels go in --channels, as in --input 64x64 --channels 3\n");
  // A symbolic dim shows as '?'.
  const RunResult symbolic =
      run_netlens("analyze " + onnx_file("symbolic_height.onnx") + " --input 12x8x3");
  CHECK(symbolic.err ==
        "netlens: error: --input 12x8x3 has 3 axes but symbolic_height's input has 2 (?x8): the "
        "channels go in --channels, as in --input 12x8 --channels 3\n");
  // No axis is the channels' (none is the smallest): the net's rank, as one size.
  const RunResult wide = run_netlens("analyze alexnet --input 224x224x224");
  CHECK(
      wide.err ==
      "netlens: error: --input 224x224x224 has 3 axes but alexnet's input has 2 (227x227): give 2 "
      "sizes, as in --input 224x224\n");
  CHECK(
      run_netlens(
          "analyze - --input 224x224",
          "input: {size: [16000]}\nlayers:\n  - {type: conv1d, out_channels: 4, kernel_size: 3}\n")
          .err ==
      "netlens: error: --input 224x224 has 2 axes but stdin's input has 1 (16000): give 1 size, "
      "as in --input 224\n");
  // Fewer axes than the input's (but more than one) is refused too.
  const RunResult fewer = run_netlens("analyze r2plus1d_18 --input 112x112");
  CHECK(fewer.status == 2);
  CHECK(fewer.err ==
        "netlens: error: --input 112x112 has 2 axes but r2plus1d_18's input has 3 (16x112x112)\n");
  // [batch, features]: no --input; --channels sets the features.
  const RunResult mlp = run_netlens("analyze " + onnx_file("mlp.onnx") + " --input 8");
  CHECK(mlp.status == 2);
  CHECK(mlp.err ==
        "netlens: error: --input: the input of mlp is [batch, features], without spatial axes\n");
  const std::string features =
      "input: {features: 20}\nlayers:\n  - {name: fc, type: linear, out_features: 4}\n";
  const RunResult wider =
      run_netlens("analyze - --channels 30 -f csv --columns name,params", features);
  CHECK(wider.status == 0);
  CHECK(wider.out == "name,params\r\nfc,124\r\n");
  // A whole tensor: neither --input nor --channels; --batch is its first dim.
  const RunResult vector = run_netlens("analyze " + onnx_file("vector.onnx") + " --channels 3");
  CHECK(vector.status == 2);
  CHECK(vector.err ==
        "netlens: error: --channels: the input of vector is a whole tensor ([5]), "
        "without spatial axes or channels\n");
  const std::string whole = "input: {shape: [5, 4]}\nlayers:\n  - {type: relu}\n";
  const RunResult spec_whole = run_netlens("analyze - --input 8 --channels 3", whole);
  CHECK(spec_whole.err ==
        "netlens: error: --input: the input of stdin is a whole tensor ([5, 4]), "
        "without spatial axes or channels\n");
  const auto input_shape = [](const RunResult& r) {
    return nlohmann::json::parse(r.out)["input"]["shape"];
  };
  CHECK(input_shape(run_netlens("analyze - --batch 3 -f json", whole)) ==
        nlohmann::json::array({3, 4}));
  CHECK(input_shape(run_netlens("analyze " + onnx_file("vector.onnx") + " --batch 7 -f json -q")) ==
        nlohmann::json::array({7}));
  // --convention reaches the ONNX reader as it reads.
  const RunResult caffe =
      run_netlens("analyze " + onnx_file("small_cnn.onnx") + " --convention caffe -q");
  CHECK(lines_of(caffe.out).at(0) == "small_cnn (file:" + onnx_file("small_cnn.onnx") +
                                         "): input 32x32, 3 channels, caffe convention, 9 layers");
}
