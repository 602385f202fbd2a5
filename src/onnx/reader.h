// The ONNX reader: an .onnx file (a protobuf ModelProto) -> the same Net a
// spec gives. Weights are never decoded: an initializer gives its dims (and,
// when small, its values, for the shape subgraphs that compute a Reshape's
// target). docs/onnx.md lists the operators and what each becomes.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "model/limits.h"
#include "model/net.h"
#include "model/overrides.h"

namespace netlens {

struct OnnxOptions {
  ByteLimit max_bytes{kDefaultOnnxMaxBytes, "--onnx-max-bytes"};
  std::size_t max_layers = kDefaultMaxLayers;
  std::string name;  // the net's name; "": the file's stem
  // --input, --channels, --batch, --convention: applied to the graph input
  // before the first node (apply_input_overrides, as for a spec's net), so
  // they also give the dims a file leaves symbolic.
  InputOverrides overrides;
  // --onnx-branch NODE=then|else: the branch of an If whose condition
  // depends on the input (unset: then, with a warning).
  std::map<std::string, std::string, std::less<>> branches;
};

// Reads the file and builds its Net; the Net's batch is the input's batch
// dim. Throws netlens::Error: "FILE: node 'NAME' (OpType, opset N): ...".
Net read_onnx_file(const std::string& path, const OnnxOptions& options);

// The same from the bytes of a ModelProto (standard input, tests, the fuzzer).
Net read_onnx_bytes(std::string_view bytes, const std::string& file, const OnnxOptions& options);

}  // namespace netlens
