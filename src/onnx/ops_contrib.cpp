// ONNX Runtime's contrib operators (domain com.microsoft), which its graph
// optimizer writes into the files it saves: a conv with its activation
// fused, a MatMul with its transposes, a residual add fused into the layer
// norm after it. Each is read as the layers it fuses, with their shapes,
// regions and params; the fused activation's element-wise ops are not counted.
#include <fmt/format.h>

#include "onnx/ops.h"

namespace netlens::onnx_reader {

// FusedConv: Conv's inputs and attributes, and `activation`. A fourth input
// (a tensor added before the activation) is not read.
void convert_fused_conv(NodeContext& c, std::string_view type) {
  if (c.has_input(3)) {
    c.fail("FusedConv with a summed input Z is not read");
  }
  convert_conv(c, type);
}

// FusedMatMul: MatMul of op(A) and op(B) times alpha; read when neither is
// transposed (a transposed operand would need its permute first).
void convert_fused_matmul(NodeContext& c, std::string_view type) {
  if (c.attr_int("transA", 0) != 0 || c.attr_int("transB", 0) != 0 ||
      c.attr_int("transBatchA", 0) != 0 || c.attr_int("transBatchB", 0) != 0) {
    c.fail("FusedMatMul with a transposed operand is not read");
  }
  convert_matmul(c, type);
}

// SkipLayerNormalization(input, skip, gamma, beta, bias): the input plus
// the skip (and bias), normalized over the last dim: an add, then a layernorm.
void convert_skip_norm(NodeContext& c, std::string_view type) {
  const Value& x = c.activation(0);
  const Value& skip = c.operand(1);
  const Value& sum = c.emit(new_layer("add"), {&x, &skip}, -1, "/add");
  Layer l = new_layer(type);
  const std::vector<std::int64_t> d = c.dims(sum);
  l.extra->normalized_shape = {d.back()};
  l.bias = c.has_input(3);
  c.emit(std::move(l), {&sum});
}

}  // namespace netlens::onnx_reader
