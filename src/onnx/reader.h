// The ONNX reader: an .onnx file (a protobuf ModelProto) -> the same Net a
// spec gives. Weights are never decoded: an initializer gives its dims (and,
// when small, its values, for the shape subgraphs that compute a Reshape's
// target). docs/onnx.md lists the operators and what each becomes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/net.h"

namespace netlens {

// ONNX files hold their weights: hundreds of MB, so a limit of their own.
inline constexpr std::size_t kDefaultOnnxMaxBytes = std::size_t{2} << 30;

struct OnnxOptions {
  std::size_t max_bytes = kDefaultOnnxMaxBytes;
  // Overrides of the graph input's dims (--input, --channels, --batch); they
  // also give the dims a file leaves symbolic.
  PerAxis<std::int64_t> input_size;
  std::optional<std::int64_t> channels;
  std::optional<std::int64_t> batch;
};

// Whether `path` is read as ONNX: its extension says so, or its first bytes
// (`head`) cannot begin a YAML or JSON spec (a protobuf's are binary).
bool is_onnx_source(std::string_view path, std::string_view head);

// Reads the file and builds its Net; the Net's batch is the input's batch
// dim. Throws netlens::Error: "FILE: node 'NAME' (OpType, opset N): ...".
Net read_onnx_file(const std::string& path, const OnnxOptions& options);

// The same from the bytes of a ModelProto (tests, the fuzzer).
Net read_onnx_bytes(std::string_view bytes, const std::string& file, const OnnxOptions& options);

}  // namespace netlens
