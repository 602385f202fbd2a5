// The converters and folders operators.def names, by file. A converter makes
// a node's layers (`type`: its row's netlens type); a folder makes its
// outputs constants.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "onnx/graph.h"

namespace netlens::onnx_reader {

// ops_window.cpp: windows and padding.
void convert_conv(NodeContext& c, std::string_view type);
void convert_pool(NodeContext& c, std::string_view type);
void convert_global_pool(NodeContext& c, std::string_view type);
void convert_pad(NodeContext& c, std::string_view type);

// ops_pointwise.cpp: shape-preserving layers and merges.
void convert_unary(NodeContext& c, std::string_view type);
void convert_norm(NodeContext& c, std::string_view type);
void convert_prelu(NodeContext& c, std::string_view type);
void convert_merge(NodeContext& c, std::string_view type);

// ops_reshape.cpp: the same elements in other dims.
void convert_flatten(NodeContext& c, std::string_view type);
void convert_reshape(NodeContext& c, std::string_view type);
void convert_squeeze(NodeContext& c, std::string_view type);
void convert_unsqueeze(NodeContext& c, std::string_view type);
void convert_transpose(NodeContext& c, std::string_view type);
// The dims a Reshape node gives its input of `in` (0 and -1 resolved).
std::vector<std::int64_t> reshape_target(NodeContext& c, const std::vector<std::int64_t>& in);

// ops_layout.cpp: contractions, cuts, joins, resizing, reductions.
void convert_gemm(NodeContext& c, std::string_view type);
void convert_matmul(NodeContext& c, std::string_view type);
void convert_concat(NodeContext& c, std::string_view type);
void convert_slice(NodeContext& c, std::string_view type);
void convert_split(NodeContext& c, std::string_view type);
void convert_resize(NodeContext& c, std::string_view type);
void convert_reduce(NodeContext& c, std::string_view type);
void convert_depth_space(NodeContext& c, std::string_view type);
void convert_repeat(NodeContext& c, std::string_view type);
void convert_gather(NodeContext& c, std::string_view type);
// A Slice node's starts, ends, axes and steps (as attributes before opset
// 10, then inputs), of one length; the axes and steps filled in when absent.
struct SliceArgs {
  std::vector<std::int64_t> starts, ends, axes, steps;
};
SliceArgs slice_args(NodeContext& c);

// fold.cpp: constants, shapes, element-wise arithmetic, broadcasting.
void fold_constant(NodeContext& c);
void fold_shape(NodeContext& c);
void fold_constant_of_shape(NodeContext& c);
void fold_range(NodeContext& c);
void fold_cast(NodeContext& c);
void fold_unary(NodeContext& c);
void fold_binary(NodeContext& c);
void fold_where(NodeContext& c);
void fold_expand(NodeContext& c);

// fold_layout.cpp: values moved, picked or joined.
void fold_reshape(NodeContext& c);
void fold_squeeze(NodeContext& c);
void fold_unsqueeze(NodeContext& c);
void fold_transpose(NodeContext& c);
void fold_slice(NodeContext& c);
void fold_gather(NodeContext& c);
void fold_concat(NodeContext& c);
void fold_scatter_nd(NodeContext& c);

}  // namespace netlens::onnx_reader
