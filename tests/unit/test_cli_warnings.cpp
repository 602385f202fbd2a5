// Warning kinds on the command line: each warning line ends in its kind,
// -W no-KIND turns a kind off (for --strict and JSON too), -q prints none.
#include <catch2/catch.hpp>

#include "helpers.h"

using namespace netlens::test;

namespace {
const std::string kRfWarning =
    "netlens: warning: resnet18.yaml:70:5: layer 'layer4.0.conv1': receptive field 243 is larger "
    "than the input (224) on every axis [-Wrf-exceeds-input]\n";
const std::string kOk = "resnet18.yaml: ok: 69 layers, 11,689,512 params, ";
}  // namespace

TEST_CASE("a warning line ends in its kind", "[cli]") {
  const RunResult r = run_netlens("check resnet18");
  CHECK(r.status == 0);
  CHECK(r.err == kRfWarning);
  CHECK(r.out == kOk + "1 warning\n");
}

TEST_CASE("the -q option prints no warnings, but errors and --strict still print", "[cli]") {
  const RunResult quiet = run_netlens("check resnet18 -q");
  CHECK(quiet.status == 0);
  CHECK(quiet.err.empty());
  CHECK(quiet.out == kOk + "1 warning\n");
  const RunResult strict = run_netlens("check resnet18 --quiet --strict");
  CHECK(strict.status == 1);
  CHECK(strict.err == kRfWarning + "netlens: error: 1 warning (--strict)\n");
  const RunResult error = run_netlens("analyze -q no_such_net");
  CHECK(error.status == 1);
  CHECK(error.err ==
        "netlens: error: no_such_net: no such file or bundled net; 'netlens list' shows the "
        "bundled nets\n");
}

TEST_CASE("the -W no-KIND option turns a kind off everywhere, -W KIND back on", "[cli]") {
  const RunResult off = run_netlens("check resnet18 -W no-rf-exceeds-input --strict");
  CHECK(off.status == 0);
  CHECK(off.err.empty());
  CHECK(off.out == kOk + "0 warnings\n");
  const RunResult attached = run_netlens("analyze resnet18 -Wno-rf-exceeds-input -f json");
  CHECK(attached.err.empty());
  CHECK(attached.out.find("\"warnings\": []") != std::string::npos);
  const RunResult again =
      run_netlens("check resnet18 -W no-rf-exceeds-input -W no-misaligned -W rf-exceeds-input");
  CHECK(again.err == kRfWarning);
  const RunResult other = run_netlens("locate resnet18 --layer conv1 --unit 0,0 -W no-misaligned");
  CHECK(other.err == kRfWarning);
  const RunResult bad = run_netlens("plot resnet18 -W no-misalinged");
  CHECK(bad.status == 2);
  CHECK(bad.out.empty());
  CHECK(bad.err ==
        "netlens: error: -W no-misalinged: unknown warning kind 'misalinged' (did you mean "
        "'misaligned'?); kinds: misaligned, unread-input, padding-only, dead-layer, "
        "rf-exceeds-input, regions-skipped, roles-lost, assumed-batch, guessed-branch\n");
}

TEST_CASE("every analyzing command's --help shows -q and -W", "[cli]") {
  for (const char* command : {"analyze", "check", "locate", "plot"}) {
    const RunResult help = run_netlens(std::string(command) + " --help");
    CHECK(help.status == 0);
    CHECK(help.out.find("  -q,--quiet") != std::string::npos);
    CHECK(help.out.find("  -W [no-]KIND") != std::string::npos);
  }
  CHECK(run_netlens("--help").out.find("-W no-misaligned") != std::string::npos);
}
