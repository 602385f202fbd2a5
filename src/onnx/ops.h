// The converters and folders operators.def names, by file. A converter makes
// a node's layers (`type`: its row's netlens type); a folder makes its
// outputs constants.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "onnx/graph.h"
#include "onnx/operators.h"

namespace netlens::onnx_reader {

// ops_window.cpp: windows and padding.
ConvertFn convert_conv, convert_pool, convert_global_pool, convert_pad;
// ops_pointwise.cpp: shape-preserving layers and merges.
ConvertFn convert_unary, convert_norm, convert_prelu, convert_merge;
// ops_reshape.cpp: the same elements in other dims.
ConvertFn convert_flatten, convert_reshape, convert_squeeze, convert_unsqueeze, convert_transpose;
// ops_layout.cpp: contractions, cuts, joins, resizing, reductions.
ConvertFn convert_gemm, convert_matmul, convert_concat, convert_slice, convert_split,
    convert_resize, convert_reduce, convert_depth_space, convert_repeat, convert_gather;
// fold.cpp: constants, shapes, element-wise arithmetic, broadcasting.
FoldFn fold_constant, fold_shape, fold_constant_of_shape, fold_range, fold_cast, fold_unary,
    fold_binary, fold_where, fold_expand;
// fold_layout.cpp: values moved, picked or joined.
FoldFn fold_reshape, fold_squeeze, fold_unsqueeze, fold_transpose, fold_slice, fold_gather,
    fold_concat, fold_scatter_nd;

// The dims a Reshape node gives its input of `in` (0 and -1 resolved).
std::vector<std::int64_t> reshape_target(NodeContext& c, const std::vector<std::int64_t>& in);

// A Slice node's starts, ends, axes and steps (as attributes before opset
// 10, then inputs), of one length; the axes and steps filled in when absent.
struct SliceArgs {
  std::vector<std::int64_t> starts, ends, axes, steps;
};
SliceArgs slice_args(NodeContext& c);

}  // namespace netlens::onnx_reader
