// Operators that keep the tensor's shape: activations, norms, dropout, and
// the element-wise merges (with their constant operands).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <unordered_map>

#include "onnx/graph.h"

namespace netlens::onnx_reader {

namespace {

// ONNX op -> netlens type of the one-input shape-preserving layers.
const std::unordered_map<std::string_view, std::string_view>& unary_types() {
  static const std::unordered_map<std::string_view, std::string_view> k{
      {"Relu", "relu"},
      {"LeakyRelu", "leaky_relu"},
      {"Elu", "elu"},
      {"Selu", "selu"},
      {"Celu", "celu"},
      {"Clip", "clamp"},
      {"Sigmoid", "sigmoid"},
      {"HardSigmoid", "hardsigmoid"},
      {"HardSwish", "hardswish"},
      {"Tanh", "tanh"},
      {"Softplus", "softplus"},
      {"Softsign", "softsign"},
      {"Erf", "erf"},
      {"Pow", "pow"},
      {"Sqrt", "sqrt"},
      {"Gelu", "gelu"},
      {"Mish", "mish"},
      {"Softmax", "softmax"},
      {"LogSoftmax", "log_softmax"},
      {"Dropout", "dropout"},
      {"Identity", "identity"},
      {"Cast", "identity"},
      {"LRN", "lrn"},
      {"BatchNormalization", "batchnorm"},
      {"InstanceNormalization", "instancenorm"},
  };
  return k;
}

// Whether constant input `k` broadcasts against `x` without enlarging it.
bool fits_within(NodeContext& c, const Value& x, int k) {
  const Value& v = c.constant(k);
  const std::vector<std::int64_t> xd = c.dims(x);
  bool fits = v.dims.size() <= xd.size();
  for (std::size_t i = 0; fits && i < v.dims.size(); ++i) {
    const std::int64_t n = v.dims[i];
    fits = n == 1 || n == xd[xd.size() - v.dims.size() + i];
  }
  return fits;
}

// A constant operand that keeps the shape of a tensor with roles: per
// channel (C values on the channel axis), a scale with C parameters;
// anything else, a constant factor (no parameters).
void constant_operand(NodeContext& c, const Value& x, int k) {
  const Value& v = c.constant(k);
  const std::vector<std::int64_t> xd = c.dims(x);
  std::int64_t count = 1;
  std::size_t channel_axis = x.shape.channels_last() ? xd.size() - 1 : 1;
  bool per_channel = false;
  for (std::size_t i = 0; i < v.dims.size(); ++i) {
    const std::size_t a = xd.size() - v.dims.size() + i;
    count *= v.dims[i];
    per_channel = per_channel || (a == channel_axis && v.dims[i] > 1);
  }
  Layer l = c.make_layer("scale");
  if (!(per_channel && count == x.shape.channels)) {
    l.extra->value = v.reals && v.reals->size() == 1 ? v.reals->front() : 1.0;
  }
  c.emit(std::move(l), {&x});
}

void merge(NodeContext& c, std::string_view type) {
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
    c.emit(c.make_layer("identity"), {acts[0]});
    return;
  }
  if (acts.size() == 1 && !acts[0]->shape.is_whole() && fits_within(c, *acts[0], constant_at)) {
    constant_operand(c, *acts[0], constant_at);
    return;
  }
  // Several operands with a constant, or a constant that enlarges the
  // tensor or meets one without roles: a merge, the constants read through
  // their layers (whole tensors, numpy's broadcasting).
  acts.clear();
  for (int i = 0; i < c.node().input_size(); ++i) {
    if (c.has_input(i)) {
      acts.push_back(&c.operand(i));
    }
  }
  c.emit(c.make_layer(type), acts);
}

void norm(NodeContext& c, std::string_view type) {
  const Value& x = c.activation(0);
  Layer l = c.make_layer(type);
  if (type == "instancenorm" || type == "batchnorm") {
    l.affine = true;
  }
  if (type == "groupnorm") {
    l.extra->num_groups = c.attr_int("num_groups", 1);
  }
  if (type == "layernorm") {
    const std::vector<std::int64_t> d = c.dims(x);
    const auto n = static_cast<std::int64_t>(d.size());
    std::int64_t axis = c.attr_int("axis", -1);
    axis = axis < 0 ? axis + n : axis;
    if (axis < 0 || axis >= n) {
      c.fail(fmt::format("axis {} is out of range for {} dims", c.attr_int("axis", -1), n));
    }
    l.extra->normalized_shape.assign(d.begin() + axis, d.end());
    l.bias = c.has_input(2);
  }
  c.emit(std::move(l), {&x});
}

void prelu(NodeContext& c) {
  const Value& x = c.activation(0);
  const Value& slope = c.constant(1);
  Layer l = c.make_layer("prelu");
  // A slope that is neither one value nor one per channel keeps the shape
  // too: its elements count as the file's parameters (item 7).
  const std::int64_t n = element_count(slope.dims).value_or(1);
  l.extra->num_parameters = n == x.shape.channels || x.shape.is_whole() ? n : 1;
  c.emit(std::move(l), {&x});
}

}  // namespace

bool convert_pointwise_op(NodeContext& c) {
  const std::string_view op = c.op();
  if (op == "BatchNormalization" || op == "InstanceNormalization") {
    norm(c, unary_types().at(op));
  } else if (op == "LayerNormalization") {
    norm(c, "layernorm");
  } else if (op == "GroupNormalization") {
    norm(c, "groupnorm");
  } else if (op == "PRelu") {
    prelu(c);
  } else if (const auto it = unary_types().find(op); it != unary_types().end()) {
    const Value& x = c.activation(0);
    c.emit(c.make_layer(it->second), {&x});
  } else if (op == "Add" || op == "Sum" || op == "Mean") {
    merge(c, "add");
  } else if (op == "Sub" || op == "Mul" || op == "Div" || op == "Max" || op == "Min") {
    static const std::unordered_map<std::string_view, std::string_view> kTypes{
        {"Sub", "sub"}, {"Mul", "mul"}, {"Div", "div"}, {"Max", "max"}, {"Min", "min"}};
    merge(c, kTypes.at(op));
  } else {
    return false;
  }
  return true;
}

}  // namespace netlens::onnx_reader
