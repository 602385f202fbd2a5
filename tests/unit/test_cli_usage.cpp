// Command-line slips a new user makes: a misspelt command, option or net
// name, PyTorch's C x H x W in --input, empty option values. Each gets one
// line that names the fix, and exit status 2 (1 for an unknown net).
#include <catch2/catch.hpp>

#include "helpers.h"

using namespace netlens::test;

namespace {
const std::string kHint = "Run 'netlens --help' for usage.\n";
}  // namespace

TEST_CASE("a misspelt command gets a suggestion, and commands ignore case", "[cli]") {
  const RunResult analyse = run_netlens("analyse vgg16");
  CHECK(analyse.status == 2);
  CHECK(analyse.out.empty());
  CHECK(analyse.err ==
        "netlens: error: unknown command 'analyse' (did you mean 'analyze'?); commands: "
        "analyze, check, list, show, locate, plot, convert, sizes\n" +
            kHint);
  const RunResult net = run_netlens("vgg16");
  CHECK(net.status == 2);
  CHECK(net.err ==
        "netlens: error: unknown command 'vgg16'; commands: analyze, check, list, show, "
        "locate, plot, convert, sizes\n" +
            kHint);
  const RunResult upper = run_netlens("CHECK zf-5");
  CHECK(upper.status == 0);
  CHECK(upper.out == "zf-5.yaml: ok: 14 layers, 3,726,464 params, 0 warnings\n");
}

TEST_CASE("a misspelt option gets a suggestion on one line", "[cli]") {
  const RunResult colums = run_netlens("analyze vgg16 --colums name");
  CHECK(colums.status == 2);
  CHECK(colums.out.empty());
  CHECK(colums.err ==
        "netlens: error: unknown option '--colums' for 'analyze' (did you mean '--columns'?)\n" +
            kHint);
  const RunResult with_value = run_netlens("check vgg16 --stirct=1");
  CHECK(with_value.err ==
        "netlens: error: unknown option '--stirct' for 'check' (did you mean '--strict'?)\n" +
            kHint);
  // sizes and convert report no warnings: no --strict, -q or -W; convert no costs: no --dtype
  // (sizes takes it for --costs).
  const RunResult strict = run_netlens("sizes vgg16 --strict");
  CHECK(strict.status == 2);
  CHECK(strict.err == "netlens: error: unknown option '--strict' for 'sizes'\n" + kHint);
  CHECK(run_netlens("convert --help").out.find("--dtype") == std::string::npos);
  const RunResult extra = run_netlens("check vgg16 vgg19");
  CHECK(extra.status == 2);
  CHECK(extra.err == "netlens: error: unexpected argument 'vgg19' for 'check'\n" + kHint);
}

TEST_CASE("bundled net names ignore case, and a near miss gets a suggestion", "[cli]") {
  const RunResult upper = run_netlens("check VGG16");
  CHECK(upper.status == 0);
  CHECK(upper.out == "vgg16.yaml: ok: 40 layers, 138,357,544 params, 0 warnings\n");
  const RunResult near = run_netlens("analyze ResNet-50");
  CHECK(near.status == 1);
  CHECK(near.err ==
        "netlens: error: ResNet-50: no such file or bundled net (did you mean 'resnet50'?); "
        "'netlens list' shows the bundled nets\n");
  const RunResult show = run_netlens("show ZF-5");
  CHECK(show.status == 0);
  CHECK(show.out.rfind("# ZF-5", 0) == 0);
}

TEST_CASE("an --input with more axes than the spec's input names --channels", "[cli]") {
  const RunResult chw = run_netlens("analyze resnet18 --input 3x224x224");
  CHECK(chw.status == 2);
  CHECK(chw.out.empty());
  CHECK(chw.err ==
        "netlens: error: --input 3x224x224 has 3 axes but resnet18's input has 2 (224x224): the "
        "channels go in --channels, as in --input 224x224 --channels 3\n");
  const std::string audio =
      "input: {size: [100], channels: 1}\nlayers:\n  - {type: Conv1d, "
      "kernel_size: 3, out_channels: 2}\n";
  const RunResult far = run_netlens("check - --input 2x3x100", audio);
  CHECK(far.status == 2);
  CHECK(far.err ==
        "netlens: error: --input 2x3x100 has 3 axes but stdin's input has 1 (100): the channels "
        "go in --channels\n");
  // As many axes as the spec's, or one (square), still override it.
  CHECK(run_netlens("check resnet18 --input 112x96").status == 0);
  CHECK(run_netlens("check resnet18 --input 112").status == 0);
}

TEST_CASE("empty --input and --columns are errors, not ignored", "[cli]") {
  const RunResult input = run_netlens("analyze vgg16 --input ''");
  CHECK(input.status == 2);
  CHECK(input.err ==
        "netlens: error: --input: expected sizes like 224, 224x320 or 16x112x112, got ''\n");
  const RunResult columns = run_netlens("analyze vgg16 --columns ''");
  CHECK(columns.status == 2);
  CHECK(columns.out.empty());
  CHECK(columns.err ==
        "netlens: error: --columns: an empty column name; give names like name,size,rf\n");
  const RunResult spaced = run_netlens("analyze zf-5 -f csv --columns 'Name, RF,pad_eff'");
  CHECK(spaced.status == 0);
  CHECK(lines_of(spaced.out)[0] == "name,rf_h,rf_w,padding_eff_h,padding_eff_w\r");
}
