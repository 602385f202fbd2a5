// What the folders (fold.cpp, fold_layout.cpp) share: a checked element
// count and the values a folded tensor takes from its input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "onnx/graph.h"

namespace netlens::onnx_reader {

// The elements of `d`; fails the node when a dim is negative or they overflow.
std::int64_t count(NodeContext& c, const std::vector<std::int64_t>& d);

// A constant of dims `out` whose element i is element at[i] of `in` (Gather,
// Slice, Transpose, Expand): in's type, and its values when it has them.
Value pick(const Value& in, std::vector<std::int64_t> out, const std::vector<std::size_t>& at);

bool has_values(const Value& v);

}  // namespace netlens::onnx_reader
