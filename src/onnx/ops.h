// The reader's functions beside graph.h: the converters and folders
// operators.def names, by file (a converter makes a node's layers, `type`
// being its row's netlens type; a folder makes its outputs constants), what
// they share, the channel-shuffle match (shuffle.cpp) and the ModelProto
// parse that skips the weights (wire.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "onnx/graph.h"
#include "onnx/operators.h"

namespace netlens::onnx_reader {

// ops_window.cpp: windows and padding.
ConvertFn convert_conv, convert_pool, convert_global_pool, convert_pad;
// ops_pointwise.cpp: shape-preserving layers and merges.
ConvertFn convert_unary, convert_softmax, convert_norm, convert_prelu, convert_merge;
// ops_reshape.cpp: the same elements in other dims.
ConvertFn convert_flatten, convert_reshape, convert_squeeze, convert_unsqueeze, convert_transpose;
// ops_control.cpp: control flow.
ConvertFn convert_if;
// ops_contrib.cpp: ONNX Runtime's fused operators.
ConvertFn convert_fused_conv, convert_fused_matmul, convert_skip_norm;
// reader.cpp: a subgraph's initializers and nodes, read as the graph's are
// (names under g.scope).
void read_subgraph(Graph& g, const onnx::GraphProto& graph);
// ops_layout.cpp: contractions, cuts, joins, resizing, reductions.
ConvertFn convert_gemm, convert_matmul, convert_concat, convert_slice, convert_split,
    convert_resize, convert_reduce, convert_arg, convert_depth_space, convert_repeat,
    convert_gather;
// fold.cpp: constants, shapes, element-wise arithmetic, broadcasting.
FoldFn fold_constant, fold_shape, fold_size, fold_quantize, fold_constant_of_shape, fold_range,
    fold_cast, fold_unary, fold_binary, fold_where, fold_expand;
// fold_layout.cpp: values moved, picked or joined.
FoldFn fold_reshape, fold_flatten, fold_squeeze, fold_unsqueeze, fold_transpose, fold_slice,
    fold_gather, fold_concat, fold_scatter_nd;

// A per-axis field as the file lists it: one value per axis.
template <class Param, class Values>
Param listed(const Values& values) {
  Param p;
  p.given = true;
  p.scalar = false;
  for (const auto& v : values) {
    p.values.push_back(v);
  }
  return p;
}

// The dims a Reshape node gives its input of `in` (0 and -1 resolved).
std::vector<std::int64_t> reshape_target(NodeContext& c, const std::vector<std::int64_t>& in);

// A Slice node's starts, ends, axes and steps (as attributes before opset
// 10, then inputs), of one length; the axes and steps filled in when absent.
struct SliceArgs {
  std::vector<std::int64_t> starts, ends, axes, steps;
};
SliceArgs slice_args(NodeContext& c);

// For the folders: the elements of `d` (the node fails when a dim is
// negative or they overflow); a constant of dims `out` whose element i is
// element at[i] of `in`, with in's type and, when it has them, values; an
// integer constant, its values also as reals (as any constant's ints are).
std::int64_t count(NodeContext& c, const std::vector<std::int64_t>& d);
Value pick(const Value& in, std::vector<std::int64_t> out, const std::vector<std::size_t>& at);
bool has_values(const Value& v);
Value integers(std::vector<std::int64_t> dims, std::vector<std::int64_t> values);

// Whether `n` is ONNX's operator `op` (the default domain).
inline bool is_op(const onnx::NodeProto& n, std::string_view op) {
  return n.op_type() == op && (n.domain().empty() || n.domain() == "ai.onnx");
}

// ShuffleNet's channel shuffle as exported, Reshape [N, C, ...] ->
// [N, g, C/g, ...], Transpose of axes 1 and 2, Reshape back: the node indices
// of each such chain whose two intermediate tensors are read by the chain
// only (no other node, no graph output), found before any node is read.
// Per node, the chain it is in (reshape -1: none).
struct ShuffleChain {
  int reshape = -1, transpose = -1, back = -1;
};
std::vector<ShuffleChain> find_channel_shuffles(Graph& g, const onnx::GraphProto& graph);
// At the chain's last node: one channel_shuffle layer when the dims say
// so; false when they do not (its nodes are then read one by one).
bool read_channel_shuffle(Graph& g, const onnx::GraphProto& graph, const ShuffleChain& chain);

// torch.roll as exported, Concat(Slice(x, s:), Slice(x, :s)) along the
// Slices' one axis, the Slices read by the Concat only (roll.cpp): per
// node, the chain it is in (concat -1: none); at the Concat, one roll layer
// when the cuts say so, false when they do not (the nodes are then read one by one).
// A `pad` of x by `pads` (ONNX's order: every dim's start, then every end;
// only spatial dims may be non-zero), `padding_mode` as PyTorch names it.
void emit_pad(NodeContext& c, const Value& x, const std::vector<std::int64_t>& pads,
              const std::string& padding_mode);

// torch.roll's Concat of two Slices (head, tail), or a circular padding's
// Concat of x between its Slices (`pad`: either may be -1, a side of 0).
struct RollChain {
  int head = -1, tail = -1, concat = -1;
  bool pad = false;
};
std::vector<RollChain> find_rolls(const onnx::GraphProto& graph);
bool read_roll(Graph& g, const onnx::GraphProto& graph, const RollChain& chain);
// The shift of Swin's mask (torchvision's) that `mask` added to `scores`
// (over the cells of windows) is; nullopt when it masks nothing or is not one.
std::optional<PerAxis<std::int64_t>> swin_mask_shift(const Value& scores, const Value& mask);

// wire.cpp: `model` from its bytes, the large tensor data skipped; false
// when they are not a valid ModelProto (truncated, corrupt).
bool parse_model_without_weights(const void* data, std::size_t size, onnx::ModelProto& model);

}  // namespace netlens::onnx_reader
