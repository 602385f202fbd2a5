// Shape subgraphs folded to constants: `x.view(x.size(0), -1)` exports as
// Shape -> Gather -> Unsqueeze -> Concat -> Reshape; the first four are
// evaluated here from the static dims and never become layers. Values are
// kept for small tensors only (kMaxFoldedElements); larger ones keep dims.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "onnx/graph.h"

namespace netlens::onnx_reader {

namespace {

// x op y, or an error on overflow.
template <class Op>
std::int64_t checked(NodeContext& c, std::int64_t x, std::int64_t y, Op op) {
  std::int64_t v = 0;
  if (op(x, y, &v)) {
    c.fail("integer overflow while folding a shape computation");
  }
  return v;
}

bool add_overflows(std::int64_t x, std::int64_t y, std::int64_t* v) {
  return __builtin_add_overflow(x, y, v);
}
bool sub_overflows(std::int64_t x, std::int64_t y, std::int64_t* v) {
  return __builtin_sub_overflow(x, y, v);
}
bool mul_overflows(std::int64_t x, std::int64_t y, std::int64_t* v) {
  return __builtin_mul_overflow(x, y, v);
}

std::int64_t count(NodeContext& c, const std::vector<std::int64_t>& dims) {
  const auto n = element_count(dims);
  if (!n) {
    c.fail(fmt::format("dims [{}] are negative or too large", fmt::join(dims, ", ")));
  }
  return *n;
}

// An axis attribute or value in [-rank, rank) made non-negative.
std::size_t axis_in(NodeContext& c, std::int64_t axis, std::size_t rank) {
  const auto r = static_cast<std::int64_t>(rank);
  if (axis < -r || axis >= r) {
    c.fail(fmt::format("axis {} is out of range for {} dims", axis, rank));
  }
  return static_cast<std::size_t>(axis < 0 ? axis + r : axis);
}

std::vector<std::int64_t> broadcast_dims(NodeContext& c, const std::vector<std::int64_t>& a,
                                         const std::vector<std::int64_t>& b) {
  std::vector<std::int64_t> out(std::max(a.size(), b.size()), 1);
  for (std::size_t k = 0; k < out.size(); ++k) {
    const std::int64_t x = k < a.size() ? a[a.size() - 1 - k] : 1;
    const std::int64_t y = k < b.size() ? b[b.size() - 1 - k] : 1;
    if (x != y && x != 1 && y != 1) {
      c.fail(
          fmt::format("cannot broadcast [{}] with [{}]", fmt::join(a, ", "), fmt::join(b, ", ")));
    }
    out[out.size() - 1 - k] = x == 1 ? y : x;
  }
  return out;
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
  const std::int64_t n = *element_count(out);
  std::vector<T> r;
  r.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    r.push_back(f(av[source_index(out, a.dims, i)], bv[source_index(out, b.dims, i)]));
  }
  return r;
}

void fold_binary(NodeContext& c) {
  const Value& a = c.input(0);
  const Value& b = c.input(1);
  Value r;
  r.dims = broadcast_dims(c, a.dims, b.dims);
  r.is_float = a.is_float || b.is_float;
  const std::string_view op = c.op();
  if (count(c, r.dims) <= kMaxFoldedElements) {
    if (a.ints && b.ints && !r.is_float) {
      r.ints = broadcast_apply<std::int64_t>(
          r.dims, a, *a.ints, b, *b.ints, [&](std::int64_t x, std::int64_t y) {
            if (op == "Add") return checked(c, x, y, add_overflows);
            if (op == "Sub") return checked(c, x, y, sub_overflows);
            if (op == "Mul") return checked(c, x, y, mul_overflows);
            if (op == "Equal") return x == y ? std::int64_t{1} : 0;
            if (op == "Less") return x < y ? std::int64_t{1} : 0;
            if (op == "Greater") return x > y ? std::int64_t{1} : 0;
            if (op == "Max") return std::max(x, y);
            if (op == "Min") return std::min(x, y);
            if (op == "Pow") {
              std::int64_t p = 1;
              for (std::int64_t k = 0; k < y; ++k) p = checked(c, p, x, mul_overflows);
              return y < 0 ? std::int64_t{0} : p;
            }
            if (y == 0 || (x == INT64_MIN && y == -1)) {
              c.fail("integer division by zero while folding a shape computation");
            }
            return op == "Mod" ? x % y : x / y;
          });
      r.reals = std::vector<double>(r.ints->begin(), r.ints->end());
    } else if (a.reals && b.reals) {
      r.reals = broadcast_apply<double>(r.dims, a, *a.reals, b, *b.reals, [&](double x, double y) {
        if (op == "Add") return x + y;
        if (op == "Sub") return x - y;
        if (op == "Mul") return x * y;
        if (op == "Div") return x / y;
        if (op == "Equal") return x == y ? 1.0 : 0.0;
        if (op == "Less") return x < y ? 1.0 : 0.0;
        if (op == "Greater") return x > y ? 1.0 : 0.0;
        if (op == "Max") return std::max(x, y);
        if (op == "Min") return std::min(x, y);
        if (op == "Pow") return std::pow(x, y);
        return std::fmod(x, y);
      });
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
    const std::int64_t n = *element_count(r.dims);
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

// ScatterND over constants (Swin's attention mask is built by slice
// assignments on zeros): data's dims; its values with the updates written.
void fold_scatter_nd(NodeContext& c) {
  const Value& data = c.input(0);
  const Value& indices = c.input(1);
  const Value& updates = c.input(2);
  Value r;
  r.dims = data.dims;
  r.is_float = data.is_float;
  const std::size_t q = indices.dims.empty() ? 0 : static_cast<std::size_t>(indices.dims.back());
  if (q > data.dims.size()) {
    c.fail(fmt::format("indices of {} dims address a tensor of {}", q, data.dims.size()));
  }
  if (data.reals && indices.ints && updates.reals) {
    r.reals = data.reals;
    const std::vector<std::int64_t> block_dims(data.dims.begin() + static_cast<long>(q),
                                               data.dims.end());
    const std::int64_t block = count(c, block_dims);
    const std::size_t tuples = q == 0 ? 0 : indices.ints->size() / q;
    if (static_cast<std::int64_t>(updates.reals->size()) !=
        block * static_cast<std::int64_t>(tuples)) {
      c.fail("updates do not match the indices");
    }
    for (std::size_t t = 0; t < tuples; ++t) {
      std::int64_t offset = 0;
      for (std::size_t j = 0; j < q; ++j) {
        const std::int64_t n = data.dims[j];
        std::int64_t i = (*indices.ints)[t * q + j];
        i = i < 0 ? i + n : i;
        if (i < 0 || i >= n) {
          c.fail(fmt::format("index {} is out of range for a dim of {}", i, n));
        }
        offset = offset * n + i;
      }
      std::copy_n(updates.reals->begin() + static_cast<long>(t) * block, block,
                  r.reals->begin() + offset * block);
    }
    if (data.ints) {
      r.ints = std::vector<std::int64_t>(r.reals->begin(), r.reals->end());
    }
  }
  c.set_constant(std::move(r));
}

void fold_shape(NodeContext& c) {
  const std::vector<std::int64_t> dims = c.dims(c.input(0));
  const auto n = static_cast<std::int64_t>(dims.size());
  std::int64_t start = std::clamp<std::int64_t>(c.attr_int("start", 0), -n, n);
  std::int64_t end = std::clamp<std::int64_t>(c.attr_int("end", n), -n, n);
  start = start < 0 ? start + n : start;
  end = end < 0 ? end + n : end;
  Value r;
  r.ints.emplace();
  for (std::int64_t k = start; k < end; ++k) {
    r.ints->push_back(dims[static_cast<std::size_t>(k)]);
  }
  r.dims = {static_cast<std::int64_t>(r.ints->size())};
  r.reals = std::vector<double>(r.ints->begin(), r.ints->end());
  c.set_constant(std::move(r));
}

// Values picked by index from `in`: Gather, Slice, Transpose keep the type.
Value pick(const Value& in, std::vector<std::int64_t> dims, const std::vector<std::size_t>& at) {
  Value r;
  r.dims = std::move(dims);
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

// Expand of a computed constant (index arithmetic): numpy broadcasting.
void fold_expand(NodeContext& c) {
  const Value& x = c.input(0);
  const Value ones = [&] {
    Value v;
    v.dims = c.ints(1);
    return v;
  }();
  Value r;
  r.dims = broadcast_dims(c, x.dims, ones.dims);
  r.is_float = x.is_float;
  if (has_values(x) && count(c, r.dims) <= kMaxFoldedElements) {
    const std::int64_t n = *element_count(r.dims);
    std::vector<std::size_t> at;
    for (std::int64_t i = 0; i < n; ++i) at.push_back(source_index(r.dims, x.dims, i));
    r = pick(x, r.dims, at);
  }
  c.set_constant(std::move(r));
}

void fold_gather(NodeContext& c) {
  const Value& data = c.input(0);
  const Value& indices = c.input(1);
  const std::vector<std::int64_t> idx = c.ints(1);
  if (data.dims.empty()) {
    c.fail("Gather on a scalar");
  }
  const std::size_t axis = axis_in(c, c.attr_int("axis", 0), data.dims.size());
  std::vector<std::int64_t> dims(data.dims.begin(), data.dims.begin() + static_cast<long>(axis));
  dims.insert(dims.end(), indices.dims.begin(), indices.dims.end());
  dims.insert(dims.end(), data.dims.begin() + static_cast<long>(axis) + 1, data.dims.end());
  if (!has_values(data) || count(c, dims) > kMaxFoldedElements) {
    Value r;
    r.dims = dims;
    r.is_float = data.is_float;
    c.set_constant(std::move(r));
    return;
  }
  const std::int64_t n = data.dims[axis];
  std::int64_t inner = 1;
  for (std::size_t k = axis + 1; k < data.dims.size(); ++k) {
    inner *= data.dims[k];
  }
  const std::int64_t outer = count(c, data.dims) / std::max<std::int64_t>(1, n * inner);
  std::vector<std::size_t> at;
  for (std::int64_t o = 0; o < outer; ++o) {
    for (std::int64_t i : idx) {
      if (i < -n || i >= n) {
        c.fail(fmt::format("index {} is out of range for a dim of {}", i, n));
      }
      const std::int64_t j = i < 0 ? i + n : i;
      for (std::int64_t k = 0; k < inner; ++k) {
        at.push_back(static_cast<std::size_t>((o * n + j) * inner + k));
      }
    }
  }
  c.set_constant(pick(data, dims, at));
}

std::vector<std::int64_t> axes_of(NodeContext& c) {
  if (c.opset() >= 13 && c.has_input(1)) {
    return c.ints(1);
  }
  return c.attr_ints("axes").value_or(std::vector<std::int64_t>{});
}

void fold_unsqueeze(NodeContext& c) {
  Value r = c.input(0);
  std::vector<std::int64_t> axes = axes_of(c);
  const std::size_t rank = r.dims.size() + axes.size();
  std::vector<bool> added(rank, false);
  for (std::int64_t a : axes) {
    added[axis_in(c, a, rank)] = true;
  }
  std::vector<std::int64_t> dims;
  std::size_t k = 0;
  for (std::size_t i = 0; i < rank; ++i) {
    if (added[i]) {
      dims.push_back(1);
    } else if (k < r.dims.size()) {
      dims.push_back(r.dims[k++]);
    } else {
      c.fail("Unsqueeze axes repeat");
    }
  }
  r.dims = dims;
  c.set_constant(std::move(r));
}

void fold_squeeze(NodeContext& c) {
  Value r = c.input(0);
  const std::vector<std::int64_t> axes = axes_of(c);
  std::vector<std::int64_t> dims;
  for (std::size_t i = 0; i < r.dims.size(); ++i) {
    bool drop = axes.empty() && r.dims[i] == 1;
    for (std::int64_t a : axes) {
      drop = drop || axis_in(c, a, r.dims.size()) == i;
    }
    if (!drop) {
      dims.push_back(r.dims[i]);
    }
  }
  r.dims = dims;
  c.set_constant(std::move(r));
}

void fold_concat(NodeContext& c) {
  const Value& first = c.input(0);
  if (first.dims.empty()) {
    c.fail("Concat of scalars");
  }
  const std::size_t axis = axis_in(c, c.attr_int("axis", 0), first.dims.size());
  Value r;
  r.dims = first.dims;
  r.dims[axis] = 0;
  bool values = axis == 0;
  for (int i = 0; i < c.node().input_size(); ++i) {
    const Value& v = c.input(i);
    if (v.dims.size() != first.dims.size()) {
      c.fail("Concat of tensors of different ranks");
    }
    r.dims[axis] += v.dims[axis];
    r.is_float = r.is_float || v.is_float;
    values = values && has_values(v);
  }
  if (values) {  // along the first axis, the values follow each other
    for (int i = 0; i < c.node().input_size(); ++i) {
      const Value& v = c.input(i);
      if (v.ints && (i == 0 || r.ints)) {
        if (!r.ints) r.ints.emplace();
        r.ints->insert(r.ints->end(), v.ints->begin(), v.ints->end());
      } else {
        r.ints.reset();
      }
      if (v.reals) {
        if (!r.reals) r.reals.emplace();
        r.reals->insert(r.reals->end(), v.reals->begin(), v.reals->end());
      }
    }
  }
  c.set_constant(std::move(r));
}

void fold_cast(NodeContext& c) {
  Value r = c.input(0);
  const std::int64_t to = c.attr_int("to", onnx::TensorProto::FLOAT);
  using T = onnx::TensorProto;
  r.is_float = to == T::FLOAT || to == T::DOUBLE || to == T::FLOAT16 || to == T::BFLOAT16;
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
    if (fill.ints && !fill.ints->empty())
      r.ints = std::vector<std::int64_t>(static_cast<std::size_t>(n), fill.ints->front());
    if (fill.reals && !fill.reals->empty())
      r.reals = std::vector<double>(static_cast<std::size_t>(n), fill.reals->front());
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
  Value r;
  r.dims = {n};
  r.ints.emplace();
  for (std::int64_t i = 0; i < n; ++i) {
    r.ints->push_back(start[0] + i * delta[0]);
  }
  r.reals = std::vector<double>(r.ints->begin(), r.ints->end());
  c.set_constant(std::move(r));
}

// Slice of a 1-D constant (shape vectors).
// Slice of a constant, on any of its axes (Swin's relative position
// index is sliced from a 2-D table).
void fold_slice(NodeContext& c) {
  const Value& data = c.input(0);
  std::vector<std::int64_t> starts, ends, axes, steps;
  if (c.opset() < 10) {
    starts = c.attr_ints("starts").value_or(std::vector<std::int64_t>{});
    ends = c.attr_ints("ends").value_or(std::vector<std::int64_t>{});
    axes = c.attr_ints("axes").value_or(std::vector<std::int64_t>{});
  } else {
    starts = c.ints(1);
    ends = c.ints(2);
    if (c.has_input(3)) axes = c.ints(3);
    if (c.has_input(4)) steps = c.ints(4);
  }
  if (axes.empty()) {
    for (std::size_t k = 0; k < starts.size(); ++k) axes.push_back(static_cast<std::int64_t>(k));
  }
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size()) {
    c.fail("starts, ends, axes and steps differ in length");
  }
  const auto rank = static_cast<std::int64_t>(data.dims.size());
  // Per axis, the first source position kept, the step and the count (the
  // dims may be huge when no values are held: nothing is enumerated then).
  struct Kept {
    std::int64_t first = 0, step = 1, count = 0;
  };
  std::vector<Kept> kept;
  for (const std::int64_t n : data.dims) kept.push_back({0, 1, n});
  for (std::size_t k = 0; k < starts.size(); ++k) {
    const std::int64_t axis = axes[k] < 0 ? axes[k] + rank : axes[k];
    if (axis < 0 || axis >= rank || steps[k] == 0) {
      c.fail(fmt::format("axis {} or step {} does not slice a constant of {} dims", axes[k],
                         steps[k], rank));
    }
    const std::int64_t n = data.dims[static_cast<std::size_t>(axis)];
    const std::int64_t step = steps[k];
    const auto from_end = [&](std::int64_t v) { return v < 0 ? v + n : v; };
    const std::int64_t s = std::clamp(from_end(starts[k]), std::int64_t{0}, step > 0 ? n : n - 1);
    const std::int64_t e =
        std::clamp(from_end(ends[k]), step > 0 ? 0 : std::int64_t{-1}, step > 0 ? n : n - 1);
    const std::int64_t span = step > 0 ? e - s : s - e;
    const std::int64_t stride = step > 0 ? step : -step;
    kept[static_cast<std::size_t>(axis)] = {s, step, span > 0 ? (span - 1) / stride + 1 : 0};
  }
  std::vector<std::int64_t> dims;
  for (const Kept& k : kept) dims.push_back(k.count);
  std::vector<std::size_t> at;
  if (has_values(data)) {
    const std::int64_t n = count(c, dims);
    for (std::int64_t i = 0; i < n; ++i) {  // the output's index, last axis fastest
      std::int64_t rest = i;
      std::int64_t source = 0;
      std::int64_t stride = 1;
      for (std::size_t a = kept.size(); a-- > 0;) {
        const std::int64_t size = dims[a];
        source += (kept[a].first + rest % size * kept[a].step) * stride;
        rest /= size;
        stride *= data.dims[a];
      }
      at.push_back(static_cast<std::size_t>(source));
    }
  }
  c.set_constant(pick(data, dims, at));
}

void fold_reshape(NodeContext& c) {
  Value r = c.input(0);
  std::vector<std::int64_t> target =
      c.opset() < 5 ? c.attr_ints("shape").value_or(std::vector<std::int64_t>{}) : c.ints(1);
  std::int64_t known = 1;
  int infer = -1;
  for (std::size_t k = 0; k < target.size(); ++k) {
    if (target[k] == 0 && k < r.dims.size()) target[k] = r.dims[k];
    if (target[k] == -1)
      infer = static_cast<int>(k);
    else
      known = checked(c, known, target[k], mul_overflows);
  }
  const std::int64_t n = count(c, r.dims);
  if (infer >= 0) target[static_cast<std::size_t>(infer)] = known == 0 ? 0 : n / known;
  if (count(c, target) != n) {
    c.fail(fmt::format("cannot reshape [{}] to [{}]", fmt::join(r.dims, ", "),
                       fmt::join(target, ", ")));
  }
  r.dims = target;
  c.set_constant(std::move(r));
}

void fold_transpose(NodeContext& c) {
  Value r = c.input(0);
  std::vector<std::int64_t> perm = c.attr_ints("perm").value_or(std::vector<std::int64_t>{});
  if (perm.empty()) {
    for (std::size_t k = r.dims.size(); k-- > 0;) perm.push_back(static_cast<std::int64_t>(k));
  }
  if (perm.size() != r.dims.size()) {
    c.fail("perm has the wrong length");
  }
  std::vector<std::int64_t> dims;
  std::vector<std::int64_t> strides(r.dims.size(), 1);  // of the input, per input axis
  for (std::size_t a = r.dims.size(); a-- > 1;) strides[a - 1] = strides[a] * r.dims[a];
  std::vector<std::int64_t> moved;  // the input stride of each output axis
  for (std::int64_t p : perm) {
    const std::size_t a = axis_in(c, p, r.dims.size());
    dims.push_back(r.dims[a]);
    moved.push_back(strides[a]);
  }
  std::vector<std::size_t> at;  // output element i comes from input element at[i]
  if (has_values(r)) {
    const std::int64_t n = count(c, dims);
    for (std::int64_t i = 0; i < n; ++i) {
      std::int64_t rest = i;
      std::int64_t source = 0;
      for (std::size_t a = dims.size(); a-- > 0;) {
        source += rest % dims[a] * moved[a];
        rest /= dims[a];
      }
      at.push_back(static_cast<std::size_t>(source));
    }
  }
  Value t = pick(r, dims, at);
  t.weight = r.weight;  // the same elements, reordered
  c.set_constant(std::move(t));
}

void fold_unary(NodeContext& c) {
  Value r = c.input(0);
  const std::string_view op = c.op();
  if (op == "Neg" || op == "Floor" || op == "Ceil" || op == "Sqrt" || op == "Abs") {
    if (r.ints) {
      for (std::int64_t& x : *r.ints) x = op == "Neg" ? -x : op == "Abs" ? std::abs(x) : x;
    }
    if (r.reals) {
      for (double& x : *r.reals) {
        x = op == "Neg"     ? -x
            : op == "Floor" ? std::floor(x)
            : op == "Ceil"  ? std::ceil(x)
            : op == "Sqrt"  ? std::sqrt(x)
                            : std::abs(x);
      }
    }
  } else if (op != "Identity") {
    r.ints.reset();
    r.reals.reset();
  }
  c.set_constant(std::move(r));
}

const std::unordered_map<std::string_view, void (*)(NodeContext&)>& folders() {
  static const std::unordered_map<std::string_view, void (*)(NodeContext&)> k{
      {"Shape", fold_shape},
      {"Gather", fold_gather},
      {"Unsqueeze", fold_unsqueeze},
      {"Squeeze", fold_squeeze},
      {"Concat", fold_concat},
      {"Cast", fold_cast},
      {"ConstantOfShape", fold_constant_of_shape},
      {"Range", fold_range},
      {"Slice", fold_slice},
      {"Reshape", fold_reshape},
      {"Transpose", fold_transpose},
      {"Add", fold_binary},
      {"Sub", fold_binary},
      {"Mul", fold_binary},
      {"Div", fold_binary},
      {"Mod", fold_binary},
      {"Equal", fold_binary},
      {"Less", fold_binary},
      {"Greater", fold_binary},
      {"Max", fold_binary},
      {"Min", fold_binary},
      {"Identity", fold_unary},
      {"Neg", fold_unary},
      {"Floor", fold_unary},
      {"Ceil", fold_unary},
      {"Sqrt", fold_unary},
      {"Abs", fold_unary},
      {"Relu", fold_unary},
      {"Sigmoid", fold_unary},
      {"Tanh", fold_unary},
      {"Exp", fold_unary},
      {"Log", fold_unary},
      {"Reciprocal", fold_unary},
      {"Not", fold_unary},
      {"Where", fold_where},
      {"Expand", fold_expand},
      {"Pow", fold_binary},
      {"ScatterND", fold_scatter_nd},
  };
  return k;
}

}  // namespace

bool is_folded_operator(std::string_view op) { return op == "Constant" || folders().contains(op); }

bool fold_constant_node(NodeContext& c) {
  const onnx::NodeProto& node = c.node();
  if (!node.domain().empty() && node.domain() != "ai.onnx") {
    return false;
  }
  if (c.op() == "Constant") {
    if (const onnx::AttributeProto* a = c.attr("value")) {
      c.set_constant(constant_from_tensor(a->t()));
    } else if (const auto i = c.attr_int("value_int")) {
      Value v;
      v.ints = std::vector<std::int64_t>{*i};
      v.reals = std::vector<double>{static_cast<double>(*i)};
      c.set_constant(std::move(v));
    } else if (const auto is = c.attr_ints("value_ints")) {
      Value v;
      v.dims = {static_cast<std::int64_t>(is->size())};
      v.ints = *is;
      v.reals = std::vector<double>(is->begin(), is->end());
      c.set_constant(std::move(v));
    } else if (const auto f = c.attr_float("value_float")) {
      Value v;
      v.is_float = true;
      v.reals = std::vector<double>{*f};
      c.set_constant(std::move(v));
    } else {
      c.fail("a Constant without a value this reader knows (value, value_int(s), value_float)");
    }
    return true;
  }
  const auto it = folders().find(c.op());
  if (it == folders().end()) {
    return false;
  }
  if (c.op() != "Shape") {
    if (c.node().input_size() == 0) {
      return false;
    }
    for (int i = 0; i < c.node().input_size(); ++i) {
      if (c.has_input(i) && !c.input(i).constant) {
        return false;
      }
    }
    if (c.op() == "Expand" && !c.input(0).weight.empty() && c.input(0).is_float) {
      return false;  // a weight broadcast to the batch (a class token): a layer
    }
  }
  try {
    it->second(c);
  } catch (const ParseError&) {
    throw;
  } catch (const Error& e) {
    c.fail(e.what());
  }
  return true;
}

}  // namespace netlens::onnx_reader
