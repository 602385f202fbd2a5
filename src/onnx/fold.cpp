// Shape subgraphs folded to constants: `x.view(x.size(0), -1)` exports as
// Shape -> Gather -> Unsqueeze -> Concat -> Reshape; the first four are
// evaluated from the static dims and never become layers. Values are kept
// for small tensors only (kMaxFoldedElements); larger ones keep dims. This
// file: constants, shapes, element-wise arithmetic and broadcasting;
// fold_layout.cpp: values moved, picked or joined. Dims come from
// engine/dims.h, as the shape rules' do.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "engine/dims.h"
#include "model/checked.h"
#include "onnx/ops.h"

namespace netlens::onnx_reader {

std::int64_t count(NodeContext& c, const std::vector<std::int64_t>& d) {
  const auto n = dims::elements(d);
  if (!n) {
    c.fail(fmt::format("dims {} are negative or too large", dims::text(d)));
  }
  return *n;
}

Value pick(const Value& in, std::vector<std::int64_t> out, const std::vector<std::size_t>& at) {
  Value r;
  r.dims = std::move(out);
  r.is_float = in.is_float;
  if (in.ints) {
    r.ints.emplace();
    for (std::size_t i : at) {
      r.ints->push_back((*in.ints)[i]);
    }
  }
  if (in.reals) {
    r.reals.emplace();
    for (std::size_t i : at) {
      r.reals->push_back((*in.reals)[i]);
    }
  }
  return r;
}

bool has_values(const Value& v) { return v.ints.has_value() || v.reals.has_value(); }

Value integers(std::vector<std::int64_t> dims, std::vector<std::int64_t> values) {
  Value v;
  v.dims = std::move(dims);
  v.reals = std::vector<double>(values.begin(), values.end());
  v.ints = std::move(values);
  return v;
}

namespace {

// x op y, or an error on overflow.
std::int64_t checked_op(NodeContext& c, std::optional<std::int64_t> v) {
  if (!v) {
    c.fail("integer overflow while folding a shape computation");
  }
  return *v;
}

std::vector<std::int64_t> broadcast_dims(NodeContext& c, const std::vector<std::int64_t>& a,
                                         const std::vector<std::int64_t>& b) {
  std::optional<std::vector<std::int64_t>> d = dims::broadcast(a, b);
  if (!d) {
    c.fail(fmt::format("cannot broadcast {} with {}", dims::text(a), dims::text(b)));
  }
  return std::move(*d);
}

// The flat index in a tensor of `dims` (right-aligned, broadcast) of the
// element at flat index `i` of the output `out`.
std::size_t source_index(const std::vector<std::int64_t>& out,
                         const std::vector<std::int64_t>& dims, std::int64_t i) {
  std::int64_t index = 0;
  std::int64_t stride = 1;
  for (std::size_t k = 0; k < out.size(); ++k) {
    const std::size_t o = out.size() - 1 - k;
    const std::int64_t coord = i % out[o];
    i /= out[o];
    if (k < dims.size()) {
      const std::int64_t d = dims[dims.size() - 1 - k];
      index += (d == 1 ? 0 : coord) * stride;
      stride *= d;
    }
  }
  return static_cast<std::size_t>(index);
}

template <class T, class F>
std::vector<T> broadcast_apply(const std::vector<std::int64_t>& out, const Value& a,
                               const std::vector<T>& av, const Value& b, const std::vector<T>& bv,
                               F f) {
  const std::int64_t n = *dims::elements(out);
  std::vector<T> r;
  r.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    r.push_back(f(av[source_index(out, a.dims, i)], bv[source_index(out, b.dims, i)]));
  }
  return r;
}

// x op y over integers (an overflow or a division by zero fails) or reals.
template <class T>
T binary_op(NodeContext& c, std::string_view op, T x, T y) {
  if (op == "Equal") {
    return x == y;
  }
  if (op == "Less") {
    return x < y;
  }
  if (op == "Greater") {
    return x > y;
  }
  if (op == "Max") {
    return std::max(x, y);
  }
  if (op == "Min") {
    return std::min(x, y);
  }
  if constexpr (std::is_floating_point_v<T>) {
    if (op == "Add") {
      return x + y;
    }
    if (op == "Sub") {
      return x - y;
    }
    if (op == "Mul") {
      return x * y;
    }
    if (op == "Div") {
      return x / y;
    }
    if (op == "Pow") {
      return std::pow(x, y);
    }
    return std::fmod(x, y);
  } else {
    if (op == "Add") {
      return checked_op(c, checked::add(x, y));
    }
    if (op == "Sub") {
      return checked_op(c, checked::sub(x, y));
    }
    if (op == "Mul") {
      return checked_op(c, checked::mul(x, y));
    }
    if (op == "Pow") {
      std::int64_t p = 1;
      for (std::int64_t k = 0; k < y; ++k) {
        p = checked_op(c, checked::mul(p, x));
      }
      return y < 0 ? 0 : p;
    }
    if (y == 0 || (x == INT64_MIN && y == -1)) {
      c.fail("integer division by zero while folding a shape computation");
    }
    return op == "Mod" ? x % y : x / y;
  }
}

}  // namespace

void fold_binary(NodeContext& c) {
  const Value& a = c.input(0);
  const Value& b = c.input(1);
  Value r;
  r.dims = broadcast_dims(c, a.dims, b.dims);
  r.is_float = a.is_float || b.is_float;
  // A weight scaled or shifted by constants (w * scale, w - zero point) is
  // still that weight: its elements, the file's params.
  r.weight = !a.weight.empty() && r.dims == a.dims ? a.weight
             : r.dims == b.dims                    ? b.weight
                                                   : std::string();
  const std::string_view op = c.op();
  if (count(c, r.dims) <= kMaxFoldedElements) {
    if (a.ints && b.ints && !r.is_float) {
      r.ints = broadcast_apply<std::int64_t>(
          r.dims, a, *a.ints, b, *b.ints,
          [&](std::int64_t x, std::int64_t y) { return binary_op(c, op, x, y); });
      r.reals = std::vector<double>(r.ints->begin(), r.ints->end());
    } else if (a.reals && b.reals) {
      r.reals = broadcast_apply<double>(r.dims, a, *a.reals, b, *b.reals,
                                        [&](double x, double y) { return binary_op(c, op, x, y); });
    }
  }
  c.set_constant(std::move(r));
}

// Where(cond, x, y): x where cond holds, else y, the three broadcast
// (an exported expand(-1, ...) picks its target's dims so).
void fold_where(NodeContext& c) {
  const Value& cond = c.input(0);
  const Value& x = c.input(1);
  const Value& y = c.input(2);
  Value r;
  r.dims = broadcast_dims(c, broadcast_dims(c, cond.dims, x.dims), y.dims);
  r.is_float = x.is_float || y.is_float;
  if (count(c, r.dims) <= kMaxFoldedElements && cond.reals && x.reals && y.reals) {
    const std::int64_t n = *dims::elements(r.dims);
    r.reals.emplace();
    for (std::int64_t i = 0; i < n; ++i) {
      const bool take_x = (*cond.reals)[source_index(r.dims, cond.dims, i)] != 0;
      const Value& from = take_x ? x : y;
      r.reals->push_back((*from.reals)[source_index(r.dims, from.dims, i)]);
    }
    if (x.ints && y.ints && !r.is_float) {
      r.ints = std::vector<std::int64_t>(r.reals->begin(), r.reals->end());
    }
  }
  c.set_constant(std::move(r));
}

// Expand of a computed constant (index arithmetic): numpy broadcasting. A
// weight broadcast to the batch (ViT's class token) is a layer instead.
void fold_expand(NodeContext& c) {
  const Value& x = c.input(0);
  if (!x.weight.empty() && x.is_float) {
    convert_repeat(c, "expand");
    return;
  }
  Value r;
  r.dims = broadcast_dims(c, x.dims, c.ints(1));
  r.is_float = x.is_float;
  if (has_values(x) && count(c, r.dims) <= kMaxFoldedElements) {
    const std::int64_t n = *dims::elements(r.dims);
    std::vector<std::size_t> at;
    for (std::int64_t i = 0; i < n; ++i) {
      at.push_back(source_index(r.dims, x.dims, i));
    }
    r = pick(x, r.dims, at);
  }
  c.set_constant(std::move(r));
}

void fold_shape(NodeContext& c) {
  const std::vector<std::int64_t> d = c.dims(c.input(0));
  const auto n = static_cast<std::int64_t>(d.size());
  const dims::Range kept = dims::slice(n, c.attr_int("start", 0), c.attr_int("end", n), 1);
  const auto first = d.begin() + kept.start;
  c.set_constant(integers({kept.count}, {first, first + kept.count}));
}

// Size: the number of elements, a scalar.
void fold_size(NodeContext& c) { c.set_constant(integers({}, {count(c, c.dims(c.input(0)))})); }

// Cast, and CastLike, whose target type is its second input's.
void fold_cast(NodeContext& c) {
  Value r = c.input(0);
  const std::int64_t to = c.attr_int("to", onnx::TensorProto::FLOAT);
  using T = onnx::TensorProto;
  r.is_float = c.op() == "CastLike"
                   ? c.input(1).is_float
                   : to == T::FLOAT || to == T::DOUBLE || to == T::FLOAT16 || to == T::BFLOAT16;
  if (!r.is_float && !r.ints && r.reals) {
    r.ints.emplace();
    for (double x : *r.reals) {
      if (!(std::abs(x) < 9.2e18)) {
        c.fail(fmt::format("Cast of {} to an integer", x));
      }
      r.ints->push_back(static_cast<std::int64_t>(x));
    }
  }
  if (r.is_float) {
    r.ints.reset();
  }
  c.set_constant(std::move(r));
}

// DequantizeLinear, QuantizeLinear of a constant: its elements in another
// type (values not computed); an int8 weight dequantized to float is a weight.
void fold_quantize(NodeContext& c) {
  Value r = c.input(0);
  r.is_float = c.op() == "DequantizeLinear";
  r.ints.reset();
  r.reals.reset();
  c.set_constant(std::move(r));
}

void fold_constant_of_shape(NodeContext& c) {
  Value r;
  r.dims = c.ints(0);
  const onnx::AttributeProto* a = c.attr("value");
  Value fill = a != nullptr ? constant_from_tensor(a->t()) : Value{};
  if (a == nullptr) {
    fill.reals = std::vector<double>{0.0};
    fill.is_float = true;
  }
  r.is_float = fill.is_float;
  const std::int64_t n = count(c, r.dims);
  if (n <= kMaxFoldedElements) {
    if (fill.ints && !fill.ints->empty()) {
      r.ints = std::vector<std::int64_t>(static_cast<std::size_t>(n), fill.ints->front());
    }
    if (fill.reals && !fill.reals->empty()) {
      r.reals = std::vector<double>(static_cast<std::size_t>(n), fill.reals->front());
    }
  }
  c.set_constant(std::move(r));
}

void fold_range(NodeContext& c) {
  const std::vector<std::int64_t> start = c.ints(0);
  const std::vector<std::int64_t> limit = c.ints(1);
  const std::vector<std::int64_t> delta = c.ints(2);
  if (start.size() != 1 || limit.size() != 1 || delta.size() != 1 || delta[0] == 0) {
    c.fail("Range needs scalar start, limit and a delta other than 0");
  }
  const std::int64_t n = std::max<std::int64_t>(
      0, (limit[0] - start[0] + delta[0] - (delta[0] > 0 ? 1 : -1)) / delta[0]);
  if (n > kMaxFoldedElements) {
    c.fail(fmt::format("Range of {} elements", n));
  }
  std::vector<std::int64_t> values;
  for (std::int64_t i = 0; i < n; ++i) {
    values.push_back(start[0] + i * delta[0]);
  }
  c.set_constant(integers({n}, std::move(values)));
}

void fold_unary(NodeContext& c) {
  Value r = c.input(0);
  const std::string_view op = c.op();
  const bool exact = op == "Neg" || op == "Abs" || op == "Not" || op == "Floor" || op == "Ceil" ||
                     op == "Identity" || op == "Relu";
  if (r.ints && exact) {
    for (std::int64_t& x : *r.ints) {
      x = op == "Neg"    ? -x
          : op == "Abs"  ? std::abs(x)
          : op == "Not"  ? x == 0
          : op == "Relu" ? std::max<std::int64_t>(x, 0)
                         : x;
    }
  } else {
    r.ints.reset();
  }
  if (r.reals) {
    for (double& x : *r.reals) {
      x = op == "Neg"          ? -x
          : op == "Abs"        ? std::abs(x)
          : op == "Not"        ? static_cast<double>(x == 0)
          : op == "Floor"      ? std::floor(x)
          : op == "Ceil"       ? std::ceil(x)
          : op == "Sqrt"       ? std::sqrt(x)
          : op == "Relu"       ? std::max(x, 0.0)
          : op == "Exp"        ? std::exp(x)
          : op == "Log"        ? std::log(x)
          : op == "Reciprocal" ? 1 / x
          : op == "Sigmoid"    ? 1 / (1 + std::exp(-x))
          : op == "Tanh"       ? std::tanh(x)
                               : x;  // Identity
    }
  }
  if (!exact && op != "Sqrt" && op != "Exp" && op != "Log" && op != "Reciprocal" &&
      op != "Sigmoid" && op != "Tanh") {
    r.reals.reset();  // an op computed nowhere above: its values are not known
  }
  c.set_constant(std::move(r));
}

void fold_constant(NodeContext& c) {
  if (const onnx::AttributeProto* a = c.attr("value")) {
    // A tensor of several values is the file's, as an initializer is
    // (Paddle2ONNX and older exporters store every weight so): a float one
    // read as a weight counts. A single value (an epsilon, the 2 of x / 2)
    // is no weight.
    Value v = constant_from_tensor(a->t());
    v.in_node = true;
    if (dims::elements(v.dims).value_or(0) > 1 && c.node().output_size() > 0) {
      v.weight = c.node().output(0);
      c.graph().stored_bytes[v.weight] = element_bytes(a->t().data_type());
    }
    c.set_constant(std::move(v));
  } else if (const auto i = c.attr_int("value_int")) {
    c.set_constant(integers({}, {*i}));
  } else if (const auto is = c.attr_ints("value_ints")) {
    c.set_constant(integers({static_cast<std::int64_t>(is->size())}, *is));
  } else if (const auto f = c.attr_float("value_float")) {
    Value v;
    v.is_float = true;
    v.reals = std::vector<double>{*f};
    c.set_constant(std::move(v));
  } else {
    c.fail("a Constant without a value this reader knows (value, value_int(s), value_float)");
  }
}

}  // namespace netlens::onnx_reader
