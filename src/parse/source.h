// Where a spec comes from: a file, a bundled net's name, or "-" (stdin).
// The one place that reads files; everything after works on text.
#pragma once

#include <cstddef>
#include <istream>
#include <string>

#include "model/net.h"
#include "parse/spec_reader.h"

namespace netlens {

inline constexpr std::size_t kDefaultMaxBytes = 4 * 1024 * 1024;

struct SpecSource {
  std::string text;
  std::string file;          // for messages: the path, "<stdin>" or "vgg16.yaml"
  std::string source;        // for reports: file:PATH, bundled:NAME, stdin
  std::string default_name;  // the file's stem
  SpecFormat format = SpecFormat::Auto;
};

// Resolves `arg`: "-" reads `stdin_stream`; an existing path reads the file;
// otherwise a bundled net of that name. Errors name what was tried.
SpecSource load_source(const std::string& arg, std::istream& stdin_stream,
                       std::size_t max_bytes = kDefaultMaxBytes);

// "spec is larger than N bytes (raise the limit with --max-bytes)".
std::string spec_too_large(std::size_t max_bytes);

// load_source + parse_spec, with the source recorded in the Net.
Net load_net(const std::string& arg, std::istream& stdin_stream,
             std::size_t max_bytes = kDefaultMaxBytes, std::size_t max_layers = kDefaultMaxLayers);

}  // namespace netlens
