// The limits on what netlens reads (docs/limits.md) and their messages, one
// text each for every reader: a spec's, an ONNX file's, standard input's.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace netlens {

inline constexpr std::size_t kDefaultMaxBytes = std::size_t{4} << 20;  // a spec: 4 MiB
// An ONNX file holds its weights: 2 GiB, protobuf's own ceiling.
inline constexpr std::size_t kDefaultOnnxMaxBytes = std::size_t{2} << 30;
inline constexpr std::size_t kDefaultMaxLayers = 100000;

// A size limit and the option that raises it (named by the message).
struct ByteLimit {
  std::size_t bytes = kDefaultMaxBytes;
  std::string_view option = "--max-bytes";
};

// "spec is larger than N bytes (raise the limit with --max-bytes)"; `what`:
// "spec" or "ONNX file".
std::string too_large(std::string_view what, const ByteLimit& limit);

// "more than N layers (raise the limit with --max-layers)".
std::string too_many_layers(std::size_t max_layers);

}  // namespace netlens
