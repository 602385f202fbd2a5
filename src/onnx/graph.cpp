#include "onnx/graph.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstring>
#include <utility>

#include "engine/dims.h"
#include "engine/shape_rules.h"
#include "model/checked.h"
#include "model/layer_types.h"
#include "onnx/operators.h"

namespace netlens::onnx_reader {

namespace {

// Little-endian elements of raw_data as T, converted to U.
template <class T, class U>
std::vector<U> raw_values(const std::string& raw, std::int64_t count) {
  std::vector<U> out;
  if (raw.size() != static_cast<std::size_t>(count) * sizeof(T)) {
    throw Error(fmt::format("raw_data holds {} bytes, not the {} its dims need", raw.size(),
                            static_cast<std::size_t>(count) * sizeof(T)));
  }
  out.reserve(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) {
    T v;
    std::memcpy(&v, raw.data() + static_cast<std::size_t>(i) * sizeof(T), sizeof(T));
    out.push_back(static_cast<U>(v));
  }
  return out;
}

template <class U, class Field>
std::vector<U> typed_values(const Field& field, std::int64_t count) {
  if (field.size() != count) {
    throw Error(fmt::format("holds {} values, not the {} its dims need", field.size(), count));
  }
  return std::vector<U>(field.begin(), field.end());
}

bool is_integer_type(int type) {
  using T = onnx::TensorProto;
  return type == T::INT64 || type == T::INT32 || type == T::INT16 || type == T::INT8 ||
         type == T::UINT8 || type == T::UINT16 || type == T::UINT32 || type == T::BOOL;
}

// The values of an integer tensor, from raw_data or its typed field.
std::vector<std::int64_t> integer_values(const onnx::TensorProto& t, std::int64_t n) {
  using T = onnx::TensorProto;
  const std::string& raw = t.raw_data();
  if (!raw.empty() || n == 0) {
    switch (t.data_type()) {
      case T::INT64:
        return raw_values<std::int64_t, std::int64_t>(raw, n);
      case T::INT32:
        return raw_values<std::int32_t, std::int64_t>(raw, n);
      case T::INT16:
        return raw_values<std::int16_t, std::int64_t>(raw, n);
      case T::INT8:
        return raw_values<std::int8_t, std::int64_t>(raw, n);
      case T::UINT16:
        return raw_values<std::uint16_t, std::int64_t>(raw, n);
      case T::UINT32:
        return raw_values<std::uint32_t, std::int64_t>(raw, n);
      default:  // uint8, bool
        return raw_values<std::uint8_t, std::int64_t>(raw, n);
    }
  }
  if (t.data_type() == T::INT64) {
    return typed_values<std::int64_t>(t.int64_data(), n);
  }
  if (t.data_type() == T::UINT32) {
    return typed_values<std::int64_t>(t.uint64_data(), n);
  }
  return typed_values<std::int64_t>(t.int32_data(), n);
}

}  // namespace

std::int64_t element_bytes(int data_type) {
  using T = onnx::TensorProto;
  switch (data_type) {
    case T::DOUBLE:
    case T::INT64:
    case T::UINT64:
      return 8;
    case T::FLOAT16:
    case T::BFLOAT16:
    case T::INT16:
    case T::UINT16:
      return 2;
    case T::INT8:
    case T::UINT8:
    case T::BOOL:
      return 1;
    default:
      return 4;
  }
}

std::int64_t weight_bytes(const Graph& g, const std::string& weight, std::int64_t elements) {
  const auto it = g.stored_bytes.find(weight);
  const std::optional<std::int64_t> bytes =
      checked::mul(elements, it == g.stored_bytes.end() ? 4 : it->second);
  if (!bytes) {
    throw Error("a weight's byte count overflows 64 bits");
  }
  return *bytes;
}

Value constant_from_tensor(const onnx::TensorProto& t) {
  using T = onnx::TensorProto;
  Value v;
  v.constant = true;
  v.dims.assign(t.dims().begin(), t.dims().end());
  const std::optional<std::int64_t> n = dims::elements(v.dims);
  if (!n) {
    throw Error(fmt::format("dims [{}] are negative or too large", fmt::join(v.dims, ", ")));
  }
  const int type = t.data_type();
  v.is_float = type == T::FLOAT || type == T::FLOAT16 || type == T::DOUBLE || type == T::BFLOAT16;
  if (t.data_location() == T::EXTERNAL || *n > kMaxStoredElements) {
    return v;
  }
  const bool raw = !t.raw_data().empty() || *n == 0;
  if (is_integer_type(type)) {
    v.ints = integer_values(t, *n);
    v.reals = std::vector<double>(v.ints->begin(), v.ints->end());
  } else if (type == T::FLOAT) {
    v.reals = raw ? raw_values<float, double>(t.raw_data(), *n)
                  : typed_values<double>(t.float_data(), *n);
  } else if (type == T::DOUBLE) {
    v.reals = raw ? raw_values<double, double>(t.raw_data(), *n)
                  : typed_values<double>(t.double_data(), *n);
  }
  return v;
}

std::string NodeContext::display_name() const {
  if (!node_.name().empty() || node_.output_size() == 0) {
    return g_.scope + node_.name();
  }
  return g_.scope + node_.output(0);
}

void NodeContext::fail(const std::string& message) const {
  const std::string domain =
      node_.domain().empty() || node_.domain() == "ai.onnx" ? "" : node_.domain() + ".";
  throw ParseError(g_.file, {}, "",
                   fmt::format("node '{}' ({}{}, opset {}): {}", display_name(), domain,
                               node_.op_type(), g_.opset, message));
}

const Value& NodeContext::input(int i) const {
  if (!has_input(i)) {
    fail(fmt::format("input {} is missing", i));
  }
  const auto it = g_.values.find(node_.input(i));
  if (it == g_.values.end()) {  // an output its node left unmade (Dropout's mask)
    fail(fmt::format("input {} ('{}') is an output netlens does not compute", i, node_.input(i)));
  }
  return it->second;
}

const Value& NodeContext::activation(int i) const {
  const Value& v = input(i);
  if (v.constant) {
    fail(fmt::format("input {} ('{}') is a constant; netlens reads layers over the net's input", i,
                     node_.input(i)));
  }
  return v;
}

const Value& NodeContext::constant(int i) const {
  const Value& v = input(i);
  if (!v.constant) {
    fail(
        fmt::format("input {} ('{}') must be a constant (an initializer or computed from "
                    "shapes), not a tensor computed from the net's input",
                    i, node_.input(i)));
  }
  return v;
}

const Value& NodeContext::operand(int i) {
  const Value& v = input(i);
  if (!v.constant) {
    return v;
  }
  const std::string& name = node_.input(i);
  if (const auto it = g_.constant_layers.find(name); it != g_.constant_layers.end()) {
    return it->second;
  }
  // A float initializer read as a tensor (a class token, an embedding's
  // table) is learned: its layer counts its elements. A single value (a
  // threshold, the 0 of x > 0) is no weight, as a Constant node's is not.
  const bool learned = v.is_float && !v.weight.empty() && dims::elements(v.dims).value_or(0) > 1;
  std::optional<std::int64_t> bytes;
  if (learned) {
    auto& [readers, elements] = g_.weights_read[v.weight];
    ++readers;
    elements = dims::elements(v.dims).value_or(0);
    bytes = weight_bytes(g_, v.weight, elements);
  }
  return g_.constant_layers[name] = add_source_layer(g_, "constant", name, v.dims, learned, bytes);
}

Layer new_layer(std::string_view type) {
  const std::optional<TypeMatch> match = find_layer_type(type);
  Layer layer;
  layer.kind = match->type->kind;  // `type` is always a row's name (the converters')
  layer.type = match->type->name;
  return layer;
}

Value add_layer(Graph& g, Layer layer, const std::vector<const Value*>& inputs) {
  layer.name = valid_utf8(layer.name);  // the file's bytes; a report's names are UTF-8
  const std::string base = layer.name;
  for (int k = 2; g.layer_names.contains(layer.name) || layer.name == "input"; ++k) {
    layer.name = fmt::format("{}#{}", base, k);
  }
  std::vector<ShapeInput> shape_inputs;
  for (const Value* v : inputs) {
    layer.inputs.push_back(v->layer);
    shape_inputs.push_back({&v->shape, &v->layer});
  }
  Value out;
  LayerShape shape = apply_shape_rule(layer, shape_inputs, g.net.convention, g.file, g.batch);
  out.shape = std::move(shape.output);
  out.layer = layer.name;
  if (std::as_const(layer).extra->params == shape.params) {
    layer.extra->params.reset();  // the file holds what the kind counts: nothing to replace
  }
  g.layer_names.insert(layer.name);
  g.net.layers.push_back(std::move(layer));
  return out;
}

Value add_source_layer(Graph& g, std::string_view type, const std::string& name,
                       const std::vector<std::int64_t>& dims, bool learned,
                       std::optional<std::int64_t> param_bytes) {
  Layer layer = new_layer(type);
  layer.name = name;
  layer.extra->shape = dims;
  layer.extra->learned = learned;
  layer.extra->param_bytes = param_bytes;
  Value input;  // read by no rule: a source makes its tensor from nothing
  input.layer = "input";
  return add_layer(g, std::move(layer), {&input});
}

std::vector<std::int64_t> NodeContext::ints(int i) const {
  const Value& v = constant(i);
  if (!v.ints) {
    fail(
        fmt::format("the values of input {} ('{}') are needed and are not integers held in "
                    "the file",
                    i, node_.input(i)));
  }
  return *v.ints;
}

std::vector<double> NodeContext::reals(int i) const {
  const Value& v = constant(i);
  if (!v.reals) {
    fail(fmt::format("the values of input {} ('{}') are needed and are not held in the file", i,
                     node_.input(i)));
  }
  return *v.reals;
}

std::vector<std::int64_t> NodeContext::axes(int i, int from_opset) const {
  if (opset() >= from_opset) {
    return has_input(i) ? ints(i) : std::vector<std::int64_t>{};
  }
  return attr_ints("axes").value_or(std::vector<std::int64_t>{});
}

int NodeContext::opset(std::string_view domain) const {
  const auto it = g_.opsets.find(domain);
  return it != g_.opsets.end() ? it->second : domain.empty() ? g_.opset : 0;
}

std::vector<std::int64_t> NodeContext::dims(const Value& v) const {
  return v.constant ? v.dims : tensor_shape(v.shape, g_.batch);
}

const onnx::AttributeProto* NodeContext::attr(std::string_view name) const {
  for (const onnx::AttributeProto& a : node_.attribute()) {
    if (a.name() == name) {
      return &a;
    }
  }
  return nullptr;
}

std::optional<std::int64_t> NodeContext::attr_int(std::string_view name) const {
  const onnx::AttributeProto* a = attr(name);
  return a != nullptr ? std::optional(a->i()) : std::nullopt;
}

std::optional<std::vector<std::int64_t>> NodeContext::attr_ints(std::string_view name) const {
  const onnx::AttributeProto* a = attr(name);
  return a != nullptr ? std::optional(std::vector<std::int64_t>(a->ints().begin(), a->ints().end()))
                      : std::nullopt;
}

std::optional<float> NodeContext::attr_float(std::string_view name) const {
  const onnx::AttributeProto* a = attr(name);
  return a != nullptr ? std::optional(a->f()) : std::nullopt;
}

std::string NodeContext::attr_string(std::string_view name, std::string_view fallback) const {
  const onnx::AttributeProto* a = attr(name);
  return a == nullptr ? std::string(fallback) : a->s();
}

// The node's name (add_layer makes it unique).
std::string NodeContext::layer_name(std::string_view suffix) const {
  std::string base = display_name();
  if (base.empty() || base == "input") {
    base = node_.output_size() > 0 && !node_.output(0).empty() ? node_.output(0)
                                                               : std::string(node_.op_type());
  }
  return base + std::string(suffix);
}

std::optional<std::int64_t> NodeContext::weight_elements() {
  const OpRow* row = find_operator(node_.domain(), op());
  if (row == nullptr || row->weights == weights::kNone) {
    return std::nullopt;
  }
  std::int64_t total = 0;
  for (int i = 0; i < node_.input_size(); ++i) {
    if (!has_input(i) || !row->is_weight(i)) {
      continue;
    }
    const Value& v = input(i);
    if (!v.constant || !v.is_float || v.weight.empty() ||
        g_.constant_layers.contains(node_.input(i))) {
      continue;  // not a weight, or counted by the constant layer it is read through
    }
    const std::int64_t n = dims::elements(v.dims).value_or(0);
    auto& [readers, elements] = g_.weights_read[v.weight];
    ++readers;
    elements = n;
    const auto bytes = checked::add(weight_bytes_, weight_bytes(g_, v.weight, n));
    if (!bytes) {
      fail("its weights' byte count overflows 64 bits");
    }
    weight_bytes_ = *bytes;
    const auto sum = checked::add(total, n);
    if (!sum) {
      fail("its weights' element count overflows 64 bits");
    }
    total = *sum;
  }
  return total;
}

const Value& NodeContext::emit(Layer layer, const std::vector<const Value*>& inputs, int output,
                               std::string_view name_suffix) {
  layer.name = layer_name(name_suffix);
  // The node's weights count in the layer that makes its output 0, once.
  if (output == 0 && !weights_counted_) {
    weights_counted_ = true;
    if (const std::optional<std::int64_t> weights = weight_elements()) {
      layer.extra->params = *weights;
      layer.extra->param_bytes = weight_bytes_;
    }
  }
  Value out;
  try {
    out = add_layer(g_, std::move(layer), inputs);
  } catch (const ModelError& e) {
    fail(e.message());
  }
  if (output >= 0 && output < node_.output_size() && !node_.output(output).empty()) {
    Value& slot = g_.values[node_.output(output)];
    slot = std::move(out);
    return slot;
  }
  return steps_.emplace_back(std::move(out));
}

void NodeContext::set_constant(Value v) {
  v.constant = true;
  if (node_.output_size() > 0 && !node_.output(0).empty()) {
    g_.values[node_.output(0)] = std::move(v);
  }
}

void NodeContext::forward(const Value& v, int output) {
  if (output < node_.output_size() && !node_.output(output).empty()) {
    Value copy = v;
    g_.values[node_.output(output)] = std::move(copy);
  }
}

}  // namespace netlens::onnx_reader
