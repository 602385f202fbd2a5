// Test helpers: parse + analyze spec text, read files of the shared oracle,
// run the real binary.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include "engine/analyze.h"
#include "parse/source.h"
#include "parse/spec_reader.h"

namespace netlens::test {

inline std::string shared_path(const std::string& rel) {
  return std::string(NETLENS_SHARED_DIR) + "/" + rel;
}
inline std::string source_path(const std::string& rel) {
  return std::string(NETLENS_SOURCE_DIR) + "/" + rel;
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("test: cannot read " + path);
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The files under `dir` (recursively) whose extension is one of `extensions`, sorted.
inline std::vector<std::string> files_under(const std::string& dir,
                                            std::initializer_list<std::string_view> extensions) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    const std::string ext = entry.path().extension().string();
    if (std::find(extensions.begin(), extensions.end(), ext) != extensions.end()) {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// A text's lines, without their newlines.
inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    out.push_back(line);
  }
  return out;
}

// The texts of some warnings, to compare with the expected ones.
inline std::vector<std::string> texts(const std::vector<Warning>& warnings) {
  std::vector<std::string> out;
  for (const Warning& w : warnings) {
    out.push_back(w.text);
  }
  return out;
}

inline Net parse_yaml(const std::string& text, const std::string& file = "t.yaml") {
  return parse_spec(text, file, "t", SpecFormat::Yaml);
}

inline Report analyze_yaml(const std::string& text, const std::string& file = "t.yaml") {
  return analyze(parse_yaml(text, file));
}

// The last layer's shape, "rf ?" or "rf global" when its rf is so, then the
// kinds of its warnings: a layer that loses the grid reads
// "[1, 8, 5] rf ? roles-lost".
inline std::string last_layer_whole(const std::string& yaml) {
  const Report r = analyze_yaml(yaml);
  const LayerReport& last = r.layers.back();
  std::string out = format_shape(last.output);
  out += last.rf_unknown ? " rf ?" : last.global_rf ? " rf global" : "";
  for (const Warning& w : r.layers.back().warnings) {
    out += std::string(" ") + warning_kind_name(w.kind);
  }
  return out;
}

// A bundled net, optionally at another (square) input size.
inline Report analyze_bundled(const std::string& name, std::int64_t size = 0) {
  std::istringstream no_stdin;
  Net net = load_net(name, no_stdin);
  if (size != 0) {
    net.input_size = PerAxis<std::int64_t>(net.input_size.size(), size);
  }
  return analyze(std::move(net));
}

// The message of the netlens::Error `f` throws ("" when it does not throw).
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

struct RunResult {
  int status = -1;
  std::string out;
  std::string err;
};

// Runs the netlens binary with `args` (shell words), stdin from `input`.
RunResult run_netlens(const std::string& args, const std::string& input = "");

}  // namespace netlens::test
