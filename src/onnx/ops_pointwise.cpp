// Operators that keep the tensor's shape: activations, norms, dropout, and
// the element-wise merges (with their constant operands).
#include <fmt/format.h>

#include <algorithm>

#include "engine/dims.h"
#include "onnx/ops.h"

namespace netlens::onnx_reader {

namespace {

// Whether constant input `k` broadcasts against `x` without enlarging it.
bool fits_within(NodeContext& c, const Value& x, int k) {
  const std::vector<std::int64_t> xd = c.dims(x);
  return dims::broadcast(xd, c.constant(k).dims) == xd;
}

// A constant operand that keeps the shape of a tensor with roles: per
// channel (C values on the channel axis), a scale with C parameters;
// anything else, a constant factor (no parameters).
void constant_operand(NodeContext& c, const Value& x, int k) {
  const Value& v = c.constant(k);
  const std::vector<std::int64_t> xd = c.dims(x);
  const std::size_t channel_axis = x.shape.channels_last() ? xd.size() - 1 : 1;
  const std::size_t first = xd.size() - v.dims.size();  // v's dims are right-aligned
  const bool per_channel = channel_axis >= first && v.dims[channel_axis - first] > 1;
  Layer l = new_layer("scale");
  if (!(per_channel && dims::elements(v.dims) == x.shape.channels)) {
    l.extra->value = v.reals && v.reals->size() == 1 ? v.reals->front() : 1.0;
  }
  c.emit(std::move(l), {&x});
}

}  // namespace

// Add, Sub, Mul, Div, Max, Min, Sum, Mean: of computed tensors, a merge; with
// one constant operand that keeps the shape, a scale.
void convert_merge(NodeContext& c, std::string_view type) {
  std::vector<const Value*> acts;
  int constant_at = -1;
  for (int i = 0; i < c.node().input_size(); ++i) {
    if (!c.has_input(i)) {
      continue;
    }
    if (c.input(i).constant) {
      constant_at = i;
    } else {
      acts.push_back(&c.input(i));
    }
  }
  if (acts.size() == 1 && constant_at < 0) {  // Sum / Max / Min / Mean of one tensor
    c.emit(new_layer("identity"), {acts[0]});
    return;
  }
  if (acts.size() == 1 && constant_at >= 0 && type == "add") {  // Swin's mask on its scores
    if (const auto shift = swin_mask_shift(*acts[0], c.input(constant_at))) {
      Layer l = new_layer("window_mask");
      l.extra->shift_size = listed<AxisParam<std::int64_t>>(*shift);
      c.emit(std::move(l), {acts[0]});
      return;
    }
  }
  const bool arithmetic = type == "add" || type == "sub" || type == "mul" || type == "div" ||
                          type == "max" || type == "min";
  if (acts.size() == 1 && arithmetic && !acts[0]->shape.is_whole() &&
      fits_within(c, *acts[0], constant_at)) {
    constant_operand(c, *acts[0], constant_at);
    return;
  }
  // Several operands with a constant, or a constant that enlarges the
  // tensor or meets a whole tensor: a merge, the constants read through
  // their layers (whole tensors, numpy's broadcasting).
  acts.clear();
  for (int i = 0; i < c.node().input_size(); ++i) {
    if (c.has_input(i)) {
      acts.push_back(&c.operand(i));
    }
  }
  c.emit(new_layer(type), acts);
}

namespace {

// Every element `value`, written in a Constant node.
bool fixed_fill(const NodeContext& c, int i, double value) {
  if (!c.has_input(i)) {
    return false;
  }
  const Value& v = c.input(i);
  return v.constant && v.in_node && v.reals &&
         std::all_of(v.reals->begin(), v.reals->end(), [&](double r) { return r == value; });
}

}  // namespace

// BatchNormalization, InstanceNormalization, LayerNormalization, GroupNormalization.
void convert_norm(NodeContext& c, std::string_view type) {
  const Value& x = c.activation(0);
  Layer l = new_layer(type);
  // torch writes a norm without learned affine (affine=False, and the
  // InstanceNormalization of a GroupNorm, whose affine follows as Mul, Add)
  // with a scale of ones and a bias of zeros in Constant nodes; its learned
  // ones, even untrained, are initializers.
  const bool fixed = fixed_fill(c, 1, 1.0) && (!c.has_input(2) || fixed_fill(c, 2, 0.0));
  if (fixed) {
    c.ignore_weights();
    l.affine = false;
  } else if (type == "instancenorm" || type == "batchnorm") {
    l.affine = true;
  }
  if (type == "groupnorm") {
    l.extra->num_groups = c.attr_int("num_groups", 1);
  }
  if (type == "layernorm") {
    const std::vector<std::int64_t> d = c.dims(x);
    const auto axis = static_cast<long>(dims::axis(c.attr_int("axis", -1), d.size()));
    l.extra->normalized_shape.assign(d.begin() + axis, d.end());
    l.bias = c.has_input(2) && !fixed;
  }
  c.emit(std::move(l), {&x});
}

void convert_prelu(NodeContext& c, std::string_view type) {
  const Value& x = c.activation(0);
  const Value& slope = c.constant(1);
  Layer l = new_layer(type);
  // A slope that is neither one value nor one per channel keeps the shape
  // too: its elements count as the file's parameters.
  const std::int64_t n = dims::elements(slope.dims).value_or(1);
  l.extra->num_parameters = n == x.shape.channels || x.shape.is_whole() ? n : 1;
  c.emit(std::move(l), {&x});
}

// Activations, dropout, identity, LRN: one input, its shape kept.
void convert_unary(NodeContext& c, std::string_view type) {
  const Value& x = c.activation(0);
  c.emit(new_layer(type), {&x});
}

// Softmax, LogSoftmax: over `axis` (from opset 13); before, over the dims
// from `axis` on as one, which is `axis` alone when the others are 1.
void convert_softmax(NodeContext& c, std::string_view type) {
  const Value& x = c.activation(0);
  const std::vector<std::int64_t> d = c.dims(x);
  const bool coerced = c.opset() < 13;
  const std::size_t axis = dims::axis(c.attr_int("axis", coerced ? 1 : -1), d.size());
  if (coerced && std::any_of(d.begin() + static_cast<long>(axis) + 1, d.end(),
                             [](std::int64_t n) { return n != 1; })) {
    c.fail(
        fmt::format("before opset 13, axis {} normalizes dims {} to {} of {} as one; netlens "
                    "reads a softmax over one dim",
                    axis, axis, d.size() - 1, dims::text(d)));
  }
  Layer l = new_layer(type);
  l.extra->dim = static_cast<std::int64_t>(axis);
  c.emit(std::move(l), {&x});
}

}  // namespace netlens::onnx_reader
