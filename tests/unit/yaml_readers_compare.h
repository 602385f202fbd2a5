// Runs the fast YAML reader and yaml-cpp on one text and compares all they
// produce. Shared by the unit test and the differential fuzzer.
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>

#include "parse/readers.h"

namespace netlens::test {

// The tree and the layers sent to the sink, or the error, as one text.
template <class Read>
std::string run_reader(Read read) {
  std::string layers;
  const LayerSink sink = [&](const DocNode& item, std::size_t index) {
    layers += fmt::format("layer {}: {}\n", index, dump_doc(item));
  };
  try {
    return layers + dump_doc(read(sink));
  } catch (const Error& e) {
    return layers + "error: " + e.what();
  }
}

struct YamlReaders {
  bool accepted = false;  // the fast reader took the text
  std::string fast;
  std::string yaml_cpp;  // only when accepted
};

inline YamlReaders compare_yaml_readers(const std::string& text) {
  YamlReaders r;
  r.fast = run_reader([&](const LayerSink& sink) {
    DocBuilder builder("t.yaml", sink);
    builder.set_end(end_of_text(text));
    try {
      r.accepted = read_simple_yaml(text, builder);
    } catch (const Error&) {
      r.accepted = true;  // only a text it takes gets as far as an error
      throw;
    }
    return r.accepted ? builder.finish() : DocNode{};
  });
  if (r.accepted) {
    r.yaml_cpp = run_reader(
        [&](const LayerSink& sink) { return read_yaml_with_yaml_cpp(text, "t.yaml", sink); });
  }
  return r;
}

}  // namespace netlens::test
