// Runs the fast YAML reader and yaml-cpp, which it stands in for, on one text
// and compares all they produce. Shared by the unit tests and the
// differential fuzzer.
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <string>

#include "parse/line_index.h"
#include "parse/readers.h"

namespace netlens::test {

// The whole tree as one line of text, positions included.
inline std::string dump_doc(const DocNode& n) {
  std::string out =
      fmt::format("{}@{}:{}{}", kind_name(n.kind), n.pos.line, n.pos.column, n.quoted ? "'" : "");
  switch (n.kind) {
    case DocNode::Kind::Int:
      out += fmt::format("={}", n.int_value);
      break;
    case DocNode::Kind::Float:
      out += std::isnan(n.float_value) ? "=nan" : fmt::format("={}", n.float_value);
      break;
    case DocNode::Kind::Bool:
      out += n.bool_value ? "=true" : "=false";
      break;
    default:
      break;
  }
  out += fmt::format("\"{}\"", n.text);
  if (n.kind == DocNode::Kind::Seq || n.kind == DocNode::Kind::Map) {
    out += fmt::format("#{}[", n.int_value);
    for (std::size_t i = 0; i < n.items.size(); ++i) {
      if (n.kind == DocNode::Kind::Map) {
        out += fmt::format("{}@{}:{}: ", n.keys[i], n.key_pos[i].line, n.key_pos[i].column);
      }
      out += dump_doc(n.items[i]) + ", ";
    }
    out += "]";
  }
  return out;
}

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

struct Readers {
  bool accepted = false;  // the fast reader took the text
  std::string fast;
  std::string library;  // only when accepted
};

// fast(text, builder) -> bool, as read_simple_yaml; library(text, file, sink), as
// read_yaml_with_yaml_cpp.
template <class Fast, class Library>
Readers compare_readers(const std::string& text, const std::string& file, Fast fast,
                        Library library) {
  Readers r;
  r.fast = run_reader([&](const LayerSink& sink) {
    DocBuilder builder(file, sink);
    builder.set_end(end_of_text(text));
    try {
      r.accepted = fast(text, builder);
    } catch (const Error&) {
      r.accepted = true;  // only a text it takes gets as far as an error
      throw;
    }
    return r.accepted ? builder.finish() : DocNode{};
  });
  if (r.accepted) {
    r.library = run_reader([&](const LayerSink& sink) { return library(text, file, sink); });
  }
  return r;
}

inline Readers compare_yaml_readers(const std::string& text) {
  return compare_readers(text, "t.yaml", read_simple_yaml, read_yaml_with_yaml_cpp);
}

}  // namespace netlens::test
