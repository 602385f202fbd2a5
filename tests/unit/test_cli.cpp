// The real binary: exit statuses (0 ok, 1 bad input, 2 bad usage), the
// one-line errors on stderr, stdin, overrides, --strict, -o, the subcommands.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>

#include "helpers.h"
#include "model/layer_types.h"

using namespace netlens::test;

namespace {

std::string data(const std::string& name) { return source_path("tests/data/" + name); }

// A fresh temporary directory, removed with its files at scope exit.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/netlens-cli-XXXXXX";
    const char* d = ::mkdtemp(tmpl);
    REQUIRE(d != nullptr);
    path = d;
  }
  ~TempDir() { std::system(("rm -rf " + path).c_str()); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path + "/" + name, std::ios::binary) << text;
    return path + "/" + name;
  }
};

}  // namespace

TEST_CASE("the --help and --version flags exit 0", "[cli]") {
  const RunResult help = run_netlens("--help");
  CHECK(help.status == 0);
  CHECK(help.out.find("Usage: netlens [OPTIONS] SUBCOMMAND") != std::string::npos);
  CHECK(help.err.empty());
  const RunResult sub = run_netlens("analyze --help");
  CHECK(sub.status == 0);
  CHECK(sub.out.find("Usage: netlens analyze [OPTIONS] net") != std::string::npos);
  const RunResult version = run_netlens("--version");
  CHECK(version.status == 0);
  CHECK(version.out == "netlens 0.1.0\n");
}

TEST_CASE("bad usage exits 2 with one error line and a hint", "[cli]") {
  const RunResult none = run_netlens("");
  CHECK(none.status == 2);
  CHECK(none.err == "netlens: error: A subcommand is required\nRun 'netlens --help' for usage.\n");
  const RunResult bogus = run_netlens("analyze zf-5 --bogus");
  CHECK(bogus.status == 2);
  CHECK(bogus.err ==
        "netlens: error: unknown option '--bogus' for 'analyze'\n"
        "Run 'netlens --help' for usage.\n");
  CHECK(bogus.out.empty());
  const RunResult format = run_netlens("analyze zf-5 -f xml");
  CHECK(format.status == 2);
  CHECK(format.err ==
        "netlens: error: --format: xml not in {table,json,csv,md,markdown,dot}\n"
        "Run 'netlens --help' for usage.\n");
  const RunResult input = run_netlens("analyze zf-5 --input 22x");
  CHECK(input.status == 2);
  CHECK(input.err ==
        "netlens: error: --input: expected sizes like 224, 224x320 or 16x112x112, got '22x'\n");
  const RunResult column = run_netlens("analyze zf-5 --columns name,sise");
  CHECK(column.status == 2);
  CHECK(column.err.rfind(
            "netlens: error: unknown column 'sise' (did you mean 'size'?); columns: index,name,",
            0) == 0);
  const RunResult json_columns = run_netlens("analyze zf-5 -f json --columns name");
  CHECK(json_columns.status == 2);
  CHECK(json_columns.err == "netlens: error: --columns applies to table, csv and md\n");
}

TEST_CASE("bad spec files exit 1 with FILE:LINE:COL on one line", "[cli]") {
  const std::pair<const char*, std::string> cases[] = {
      {"bad_stride.yaml", ":3:42: layers[0].stride: must be >= 1 (got 0)"},
      {"bad_type.yaml",
       ":3:12: layers[0].type: unknown layer type 'convv' (did you mean 'conv'?); types: " +
           netlens::layer_type_names()},
      {"bad_key.yaml",
       ":3:18: layers[0]: unknown key 'foo' for relu; allowed: name, type, inputs, inplace, "
       "params, allow"},
      {"bad_missing.yaml", ":3:5: layers[0]: conv needs 'out_channels'"},
      {"bad_kernel.yaml",
       ":3:5: layer 'big': kernel 5 (dilated) is larger than the padded input 4 (4 + 0 + 0) on "
       "axis h; the net's input must be at least 5"},
      {"bad_syntax.json",
       ":2:30: invalid JSON: syntax error while parsing value - unexpected ']'; expected '[', "
       "'{', or a literal"},
      {"bad_float.json", ":2:45: layers[0].kernel_size: expected an integer, got 3.0"},
  };
  for (const auto& [file, message] : cases) {
    INFO(file);
    for (const char* cmd : {"analyze", "check"}) {
      const RunResult r = run_netlens(std::string(cmd) + " " + data(file));
      CHECK(r.status == 1);
      CHECK(r.out.empty());
      CHECK(r.err == "netlens: error: " + data(file) + message + "\n");
    }
  }
  const RunResult dup = run_netlens("check " + data("bad_dup_name.yaml"));
  CHECK(dup.status == 1);
  CHECK(dup.err == "netlens: error: " + data("bad_dup_name.yaml") +
                       ":4:12: layers[1].name: duplicate layer name 'a' (first used at " +
                       data("bad_dup_name.yaml") + ":3:12)\n");
}

TEST_CASE("good spec files analyze, in YAML and JSON alike", "[cli]") {
  const RunResult yaml = run_netlens("analyze " + data("good_small.yaml") + " -f csv");
  const RunResult json = run_netlens("analyze " + data("good_small.json") + " -f csv");
  CHECK(yaml.status == 0);
  CHECK(yaml.err.empty());
  CHECK(yaml.out == json.out);
  const RunResult check = run_netlens("check " + data("good_small.yaml"));
  CHECK(check.status == 0);
  CHECK(check.out == data("good_small.yaml") + ": ok: 4 layers, 314 params, 0 warnings\n");
  const RunResult seed =
      run_netlens("analyze " + data("good_seed.yaml") + " -f csv --columns name,type,size,rf");
  CHECK(seed.status == 0);
  CHECK(seed.out ==
        "name,type,out_h,out_w,rf_h,rf_w\r\nconv1,conv,55,55,11,11\r\npool1,maxpool,27,27,19,19\r\n"
        "conv2,conv,27,27,51,51\r\npool2,maxpool,13,13,67,67\r\n");
}

TEST_CASE("unknown nets, directories, missing files", "[cli]") {
  const RunResult typo = run_netlens("analyze vgg-16");
  CHECK(typo.status == 1);
  CHECK(typo.err ==
        "netlens: error: vgg-16: no such file or bundled net (did you mean "
        "'vgg16'?); 'netlens list' shows the bundled nets\n");
  const RunResult far = run_netlens("analyze no_such_thing.yaml");
  CHECK(far.status == 1);
  CHECK(far.err ==
        "netlens: error: no_such_thing.yaml: no such file or bundled net; 'netlens "
        "list' shows the bundled nets\n");
  const RunResult dir = run_netlens("analyze " + data(""));
  CHECK(dir.status == 1);
  CHECK(dir.err == "netlens: error: " + data("") + ": is a directory, not a spec file\n");
  const RunResult show = run_netlens("show zf5");
  CHECK(show.status == 1);
  CHECK(show.err ==
        "netlens: error: zf5: no bundled net of that name (did you mean 'zf-5'?); "
        "'netlens list' shows them\n");
}

TEST_CASE("'-' reads the spec from stdin", "[cli]") {
  const std::string spec =
      "input: {size: [10], channels: 1}\nlayers:\n  - {name: c, type: conv, kernel_size: 3, "
      "out_channels: 2}\n";
  const RunResult ok = run_netlens("analyze - -f csv --columns name,size,params", spec);
  CHECK(ok.status == 0);
  CHECK(ok.out == "name,out_l,params\r\nc,8,8\r\n");
  const RunResult json = run_netlens("analyze - -f json", spec);
  CHECK(json.out.find("\"net\": {\"name\":\"stdin\",\"source\":\"stdin\"}") != std::string::npos);
  const RunResult bad =
      run_netlens("check -",
                  "input: {size: 8}\nlayers:\n  - {type: conv, kernel_size: 3, stride: 0, "
                  "out_channels: 4}\n");
  CHECK(bad.status == 1);
  CHECK(bad.err == "netlens: error: <stdin>:3:42: layers[0].stride: must be >= 1 (got 0)\n");
  // JSON on stdin is reported as JSON.
  const RunResult unclosed = run_netlens("check -", "{\"input\": {\"size\": 8}, \"layers\": [");
  CHECK(unclosed.status == 1);
  CHECK(unclosed.err ==
        "netlens: error: <stdin>:1:34: invalid JSON: syntax error while parsing value - "
        "unexpected end of input; expected '[', '{', or a literal\n");
  const RunResult empty = run_netlens("check -", "");
  CHECK(empty.status == 1);
}

TEST_CASE("the --input, --channels and --convention options override the spec", "[cli]") {
  const std::string cols = " -f csv --columns name,size,params";
  const RunResult none = run_netlens("check " + data("good_noinput.yaml"));
  CHECK(none.status == 1);
  CHECK(none.err == "netlens: error: " + data("good_noinput.yaml") +
                        ": input: no input size: add `input: {size: [224, 224], channels: 3}` to "
                        "the spec or pass --input 224\n");
  const RunResult oblong =
      run_netlens("analyze " + data("good_noinput.yaml") + " --input 10x12" + cols);
  CHECK(oblong.status == 0);
  CHECK(oblong.out == "name,out_h,out_w,params\r\nc,8,10,56\r\n");
  const RunResult square =
      run_netlens("analyze " + data("good_noinput.yaml") + " --input 10" + cols);
  CHECK(square.out == "name,out_h,out_w,params\r\nc,8,8,56\r\n");
  const RunResult one =
      run_netlens("analyze " + data("good_noinput.yaml") + " --input 10 --channels 1" + cols);
  CHECK(one.out == "name,out_h,out_w,params\r\nc,8,8,20\r\n");
  // A 2-D spec keeps its rank under --input N.
  const RunResult small = run_netlens("analyze zf-5 --input 227 -f csv --columns name,size");
  CHECK(small.out.find("\r\npool1,57,57\r\n") != std::string::npos);
  const RunResult caffe = run_netlens("analyze zf-5 --convention caffe -f csv --columns name,size");
  CHECK(caffe.status == 0);
  CHECK(caffe.out.find("\r\npool1,57,57\r\n") != std::string::npos);
  const RunResult pytorch = run_netlens("analyze zf-5 -f csv --columns name,size");
  CHECK(pytorch.out.find("\r\npool1,56,56\r\n") != std::string::npos);
}

TEST_CASE("warnings go to stderr and fail only under --strict", "[cli]") {
  const std::string file = data("good_warn.yaml");
  const std::string warning = "netlens: warning: " + file +
                              ":5:5: layer 'c': the last 1 input position on axis l is never "
                              "read: (9 + 0 + 0 - 2) is not a multiple of stride 2 "
                              "[-Wunread-input]\n";
  const RunResult check = run_netlens("check " + file);
  CHECK(check.status == 0);
  CHECK(check.out == file + ": ok: 1 layer, 3 params, 1 warning\n");
  CHECK(check.err == warning);
  const RunResult strict = run_netlens("check --strict " + file);
  CHECK(strict.status == 1);
  CHECK(strict.out.empty());
  CHECK(strict.err == warning + "netlens: error: 1 warning (--strict)\n");
  const RunResult analyze = run_netlens("analyze " + file + " -f csv --columns name");
  CHECK(analyze.status == 0);
  CHECK(analyze.out == "name\r\nc\r\n");
  CHECK(analyze.err == warning);
  const RunResult analyze_strict = run_netlens("analyze --strict " + file);
  CHECK(analyze_strict.status == 1);
  CHECK(analyze_strict.out.empty());
}

TEST_CASE("the -o option writes the output to a file", "[cli]") {
  const TempDir dir;
  const RunResult to_stdout = run_netlens("analyze zf-5 -f json");
  const RunResult to_file = run_netlens("analyze zf-5 -f json -o " + dir.path + "/out.json");
  CHECK(to_file.status == 0);
  CHECK(to_file.out.empty());
  CHECK(slurp(dir.path + "/out.json") == to_stdout.out);
  const RunResult nowhere = run_netlens("analyze zf-5 -o " + dir.path + "/missing/out.txt");
  CHECK(nowhere.status == 1);
  CHECK(nowhere.err == "netlens: error: " + dir.path +
                           "/missing/out.txt: cannot write: No such file or directory\n");
}

TEST_CASE("list and show", "[cli]") {
  const RunResult list = run_netlens("list");
  CHECK(list.status == 0);
  CHECK(
      list.out.find("\nvgg16                   224x224   40 layers  VGG-16 (configuration D)\n") !=
      std::string::npos);
  // The size column is as wide as the widest size, a 3-D net's.
  CHECK(list.out.find("\nr2plus1d_18          16x112x112  119 layers  R(2+1)D-18\n") !=
        std::string::npos);
  CHECK(
      list.out.find("\nzf-5                    224x224   14 layers  ZF-5 (the seed's 'zf-5')\n") !=
      std::string::npos);
  const RunResult show = run_netlens("show zf-5");
  CHECK(show.status == 0);
  CHECK(show.out == slurp(source_path("nets/zf-5.yaml")));
  // What show prints analyzes like the bundled net itself.
  CHECK(run_netlens("analyze - -f csv", show.out).out == run_netlens("analyze zf-5 -f csv").out);
  const RunResult missing = run_netlens("show");
  CHECK(missing.status == 2);
}

TEST_CASE("a huge adaptive output_size answers at once (rf 1 at 1e18, overflow at 4e18)", "[cli]") {
  // The receptive field through an adaptive pool is worked out from n and
  // output_size, not by walking every output unit (which once never finished
  // here). timeout(1) turns a hang into a failure instead of a stuck suite.
  const TempDir dir;
  const auto run = [&](const std::string& output_size) {
    const std::string spec = dir.write("huge.yaml",
                                       "input: {size: [2], channels: 1}\nlayers:\n"
                                       "  - {type: adaptive_avgpool, output_size: " +
                                           output_size + "}\n");
    const std::string cmd = "timeout 20 " + std::string(NETLENS_BINARY) + " analyze " + spec +
                            " -f csv --columns name,size,rf >" + dir.path + "/out 2>" + dir.path +
                            "/err";
    const int raw = std::system(cmd.c_str());
    REQUIRE(WIFEXITED(raw));
    return RunResult{WEXITSTATUS(raw), slurp(dir.path + "/out"), slurp(dir.path + "/err")};
  };
  // 1e18 units on 2: windows of one unit, so rf 1; the regions are too many
  // to list unit by unit, which the warning says.
  const RunResult fits = run("1000000000000000000");
  CHECK(fits.status == 0);
  CHECK(fits.out == "name,out_l,rf_l\r\nadaptive_avgpool1,1000000000000000000,1\r\n");
  CHECK(fits.err == "netlens: warning: " + dir.path +
                        "/huge.yaml: layer 'adaptive_avgpool1': unit-by-unit regions would "
                        "need more than 67108864 units; use a smaller --input (rf_min and the "
                        "rf of layers whose units differ are left unknown) "
                        "[-Wregions-skipped]\n");
  // 4e18 units of float32 are 1.6e19 bytes, more than 64 bits hold: the cost
  // arithmetic reports the layer rather than a wrapped number.
  const RunResult overflows = run("4000000000000000000");
  CHECK(overflows.status == 1);
  CHECK(overflows.out.empty());
  CHECK(overflows.err == "netlens: error: " + dir.path +
                             "/huge.yaml:3:5: layer 'adaptive_avgpool1': cost arithmetic "
                             "overflows 64 bits\n");
}
