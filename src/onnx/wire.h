// A ModelProto from its bytes with the large tensor data skipped (wire.cpp).
#pragma once

#include <cstddef>

#include "onnx/graph.h"

namespace netlens::onnx_reader {

// False when the bytes are not a valid ModelProto (truncated, corrupt).
bool parse_model_without_weights(const void* data, std::size_t size, onnx::ModelProto& model);

}  // namespace netlens::onnx_reader
