// Where a net comes from: a file, a bundled net's name, or "-" (stdin); and
// what it is, a spec or an ONNX file, decided once from its name and first
// bytes. The one place that reads specs and standard input; an ONNX file is
// handed on by its path (its reader maps it).
#pragma once

#include <istream>
#include <string>
#include <string_view>

#include "model/limits.h"
#include "model/net.h"
#include "parse/spec_reader.h"

namespace netlens {

enum class SourceKind { Spec, Onnx };

// The size limit of each kind (docs/limits.md: --max-bytes, --onnx-max-bytes).
struct SourceLimits {
  ByteLimit spec{kDefaultMaxBytes, "--max-bytes"};
  ByteLimit onnx{kDefaultOnnxMaxBytes, "--onnx-max-bytes"};
};

struct Source {
  SourceKind kind = SourceKind::Spec;
  std::string text;          // a spec's text, or the ONNX bytes read from stdin
  std::string path;          // an ONNX file, for its reader to map ("" from stdin)
  std::string file;          // for messages: the path, "<stdin>" or "vgg16.yaml"
  std::string source;        // for reports: file:PATH, bundled:NAME, stdin
  std::string default_name;  // the file's stem
  SpecFormat format = SpecFormat::Auto;
};

// Whether `path` is read as ONNX: its extension says so, or its first bytes
// (`head`) are binary, as a protobuf's are and a spec's text is not.
bool is_onnx_source(std::string_view path, std::string_view head);

// Resolves `arg`: "-" reads `stdin_stream`; an existing path is a file;
// otherwise a bundled net of that name. The kind is sniffed from the first
// bytes, then the kind's limit holds: a spec file's size is checked before
// it is read, standard input is read to at most the limit + 1 bytes. Errors
// name what was tried.
Source load_source(const std::string& arg, std::istream& stdin_stream,
                   const SourceLimits& limits = {});

// A spec (or bundled net) read and parsed, with the source recorded in the
// Net; an ONNX source is an error (tests and tools that read specs only).
Net load_net(const std::string& arg, std::istream& stdin_stream,
             std::size_t max_bytes = kDefaultMaxBytes, std::size_t max_layers = kDefaultMaxLayers);

}  // namespace netlens
