// Warning kinds on the command line: each warning line ends in its kind,
// -W no-KIND turns a kind off (for --strict and JSON too), -q prints none.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

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

// b's 2x2 windows are centred half a pixel from c's 1x1 ones.
namespace {
const std::string kAllowSpec =
    "input: {size: 32, channels: 3}\nlayers:\n"
    "  - {name: a, type: conv, out_channels: 4, kernel_size: 3, padding: 1}\n"
    "  - {name: b, type: conv, out_channels: 4, kernel_size: 2, stride: 2, inputs: [a]}\n"
    "  - {name: c, type: conv, out_channels: 4, kernel_size: 1, stride: 2, inputs: [a]}\n"
    "  - {name: m, type: add, inputs: [b, c]ALLOW}\n";

std::string allow_spec(const std::string& allow) {
  std::string spec = kAllowSpec;
  return spec.replace(spec.find("ALLOW"), 5, allow);
}
}  // namespace

TEST_CASE("allow: on a layer accepts its warnings of that kind, counted apart", "[cli]") {
  const std::string misaligned =
      "inputs are misaligned on every axis: 'b' jump 2, centre 0.5; 'c' jump 2, centre 0 (0.5 "
      "pixels apart)";
  const RunResult plain = run_netlens("check - --strict", allow_spec(""));
  CHECK(plain.status == 1);
  CHECK(plain.err == "netlens: warning: <stdin>:6:5: layer 'm': " + misaligned +
                         " [-Wmisaligned]\nnetlens: error: 1 warning (--strict)\n");
  const std::string spec = allow_spec(", allow: [misaligned]");
  const RunResult check = run_netlens("check - --strict", spec);
  CHECK(check.status == 0);
  CHECK(check.err.empty());
  CHECK(check.out == "<stdin>: ok: 4 layers, 200 params, 0 warnings (1 accepted by allow:)\n");
  const RunResult table = run_netlens("analyze -", spec);
  CHECK(table.err.empty());
  CHECK(lines_of(table.out).back() == "accepted by allow: 1 warning (misaligned 1)");
  const RunResult json = run_netlens("analyze - -f json", spec);
  const auto j = nlohmann::json::parse(json.out);
  CHECK(j["warnings"] == nlohmann::json::array());
  CHECK(j["accepted_warnings"] ==
        nlohmann::json::parse(R"([{"layer": "m", "kind": "misaligned", "message": ")" + misaligned +
                              "\"}]"));
  // Another kind accepts nothing here; -W no-misaligned drops it everywhere.
  CHECK(run_netlens("check - --strict", allow_spec(", allow: dead-layer")).status == 1);
  CHECK(run_netlens("analyze - -f json -W no-misaligned", spec)
            .out.find("\"accepted_warnings\": []") != std::string::npos);
  // convert writes it back.
  CHECK(run_netlens("convert -", spec).out.find("allow: [misaligned]") != std::string::npos);
  const RunResult bad = run_netlens("check -", allow_spec(", allow: [misalign]"));
  CHECK(bad.status == 1);
  CHECK(bad.err ==
        "netlens: error: <stdin>:6:50: layers[3].allow[0]: unknown warning kind 'misalign' (did "
        "you mean 'misaligned'?); kinds: misaligned, unread-input, padding-only, dead-layer, "
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
