// Every file of shared/corpora (JSONTestSuite, yaml-test-suite: valid and
// invalid JSON and YAML, none a net spec) read as `netlens check FILE` reads
// it, in process: each must give exactly one error line of the form
// "netlens: error: FILE:LINE:COL: ...", never a crash, an internal error or
// a pass. tests/robust/corpora.sh runs a few of them through the binary.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <catch2/catch.hpp>

#include "helpers.h"
#include "onnx/reader.h"

using namespace netlens;
using namespace netlens::test;

namespace {

// The lines `netlens check PATH` prints on stderr when it fails ({} when it
// passes). cli/ is no library the tests link, so this repeats, with the
// lowest public functions, what run_check does without options
// (cli/common.cpp: read_net, load_and_analyze) and how cli/main.cpp turns
// an exception into lines.
std::vector<std::string> check_errors(const std::string& path) {
  try {
    std::ifstream in(path, std::ios::binary);
    std::string head(64, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    std::istringstream no_stdin;
    Net net = is_onnx_source(path, head) ? read_onnx_file(path, {}) : load_net(path, no_stdin);
    CostOptions costs;
    costs.batch = net.batch.value_or(1);
    analyze(std::move(net), costs);
  } catch (const ErrorList& e) {
    std::vector<std::string> lines;
    for (const std::string& message : e.messages()) {
      lines.push_back("netlens: error: " + one_line(message));
    }
    return lines;
  } catch (const Error& e) {
    return {"netlens: error: " + one_line(e.what())};
  } catch (const std::bad_alloc&) {
    return {"netlens: error: out of memory"};
  } catch (const std::exception& e) {
    return {"netlens: error: internal error: " + one_line(e.what())};
  }
  return {};
}

// "netlens: error: PATH:LINE:COL: " and a message.
bool positioned(const std::string& line, const std::string& path) {
  const std::string prefix = "netlens: error: " + path + ":";
  if (!line.starts_with(prefix)) {
    return false;
  }
  std::size_t i = prefix.size();
  for (int number = 0; number < 2; ++number) {
    const std::size_t start = i;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9') {
      ++i;
    }
    if (i == start || i >= line.size() || line[i] != ':') {
      return false;
    }
    ++i;
  }
  return line.size() > i + 1 && line[i] == ' ';
}

}  // namespace

TEST_CASE("every corpus file fails check with one positioned error line", "[parse][corpora]") {
  const std::vector<std::string> json =
      files_under(shared_path("corpora/json-test-suite"), {".json"});
  const std::vector<std::string> yaml =
      files_under(shared_path("corpora/yaml-test-suite"), {".yaml"});
  CHECK(json.size() == 318);
  CHECK(yaml.size() == 402);
  for (const std::vector<std::string>* files : {&json, &yaml}) {
    for (const std::string& path : *files) {
      const std::vector<std::string> lines = check_errors(path);
      INFO(path << ":\n" << fmt::format("{}", fmt::join(lines, "\n")));
      REQUIRE(lines.size() == 1);
      CHECK(positioned(lines[0], path));
    }
  }
}

TEST_CASE("the corpus check sees a spec that passes and an error without a position",
          "[parse][corpora]") {
  const std::string good = source_path("tests/data/good_small.yaml");
  CHECK(check_errors(good).empty());
  const std::string bad = source_path("tests/data/bad_stride.yaml");
  const std::vector<std::string> lines = check_errors(bad);
  REQUIRE(lines.size() == 1);
  CHECK(positioned(lines[0], bad));
  CHECK_FALSE(positioned("netlens: error: " + bad + ": no position", bad));
  CHECK_FALSE(positioned("netlens: error: " + bad + ":3:: no column", bad));
  CHECK_FALSE(positioned("netlens: error: other.yaml:3:4: another file", bad));
}
