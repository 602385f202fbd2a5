// The ONNX operators netlens reads: one row each in operators.def, the one
// list the reader's check, its dispatch, its weight counting and the
// backend test are made from. A row names the function that converts the
// operator into layers and the one that folds it over constants.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace netlens::onnx_reader {

class NodeContext;

// Makes the node's layers; `type` is the row's netlens type.
using ConvertFn = void(NodeContext& c, std::string_view type);
inline constexpr ConvertFn* kNoConvert = nullptr;

// Evaluates the node to a constant: over constant inputs only, or on any
// input when it reads no input's values (Shape reads an activation's dims;
// Constant reads nothing).
using FoldFn = void(NodeContext& c);
struct Fold {
  FoldFn* fn = nullptr;
  bool any_input = false;
};
constexpr Fold over_constants(FoldFn* fn) { return {fn, false}; }
constexpr Fold on_any_input(FoldFn* fn) { return {fn, true}; }
inline constexpr Fold kNoFold{};

// Which inputs hold weights: bit i for input i. Their float initializers'
// elements are the params of the layer that makes the node's first output.
namespace weights {
using Inputs = std::uint32_t;
inline constexpr Inputs kNone = 0;
inline constexpr Inputs kAll = ~Inputs{0};          // MatMul; a merge's constant (a scale's)
inline constexpr Inputs kAfterFirst = kAll & ~1U;   // Conv, ConvTranspose, Gemm: W and B
inline constexpr Inputs kScaleBias = 0b110;         // norms (a batch norm's mean, var: buffers)
inline constexpr Inputs kSlope = 0b10;              // PRelu
inline constexpr Inputs kTable = 0b1;               // Gather of an embedding's table
inline constexpr Inputs kAfterSecond = kAll & ~3U;  // SkipLayerNormalization: gamma, beta, bias
}  // namespace weights

// The newest ai.onnx opset whose changes the converters know (18: the axes
// inputs of Pad and the reductions, GroupNormalization); a newer one is refused.
inline constexpr int kNewestOpset = 18;

struct OpRow {
  std::string_view op;
  std::string_view domain;  // "" is ai.onnx
  int since;                // the first opset that defines the operator
  ConvertFn* convert;
  std::string_view type;  // the netlens type it makes (a converter may pick by shape)
  Fold fold;
  weights::Inputs weights;

  bool is_weight(int input) const {
    return input < 32 ? ((weights >> input) & 1U) != 0 : weights == weights::kAll;
  }
};

// Every row, in operators.def's order.
std::span<const OpRow> operators();
// The row of `op` in `domain` ("ai.onnx" or ""); nullptr when netlens does not read it.
const OpRow* find_operator(std::string_view domain, std::string_view op);

// Fails naming the operator when netlens does not read it or the file's
// opset predates it; run on every node before any is converted.
const OpRow& check_operator(const NodeContext& c);
// Folds the node when its row folds and its inputs allow, else converts it.
void read_node(NodeContext& c, const OpRow& row);

}  // namespace netlens::onnx_reader
