// The folders of values moved, picked or joined (fold.cpp has the rest):
// Reshape, Squeeze, Unsqueeze, Transpose, Slice, Gather, Concat, ScatterND
// over constants. Dims from engine/dims.h; values enumerated here, when the
// tensor is small enough to hold them.
#include <fmt/format.h>

#include <algorithm>

#include "engine/dims.h"
#include "onnx/ops.h"

namespace netlens::onnx_reader {

namespace {

// The source element of each output element, the output's last axis
// fastest: output axis a takes its input axis's element first + i * step,
// that axis's elements `stride` apart.
struct Walk {
  std::int64_t first = 0, step = 1, stride = 1;
};
std::vector<std::size_t> walk(const std::vector<std::int64_t>& out, const std::vector<Walk>& axes) {
  std::vector<std::size_t> at;
  const std::int64_t n = *dims::elements(out);
  for (std::int64_t i = 0; i < n; ++i) {
    std::int64_t rest = i;
    std::int64_t source = 0;
    for (std::size_t a = out.size(); a-- > 0;) {
      source += (axes[a].first + rest % out[a] * axes[a].step) * axes[a].stride;
      rest /= out[a];
    }
    at.push_back(static_cast<std::size_t>(source));
  }
  return at;
}

// Per input axis, the distance between its elements (row-major).
std::vector<std::int64_t> strides(const std::vector<std::int64_t>& d) {
  std::vector<std::int64_t> s(d.size(), 1);
  for (std::size_t a = d.size(); a-- > 1;) {
    s[a - 1] = s[a] * d[a];
  }
  return s;
}

}  // namespace

// The same elements in other dims.
void fold_reshape(NodeContext& c) {
  Value r = c.input(0);
  r.dims = reshape_target(c, r.dims);
  c.set_constant(std::move(r));
}

// Flatten: the dims before `axis` and from it, each as one.
void fold_flatten(NodeContext& c) {
  Value r = c.input(0);
  const auto n = static_cast<std::int64_t>(r.dims.size());
  const std::int64_t axis = c.attr_int("axis", 1);
  const auto split = static_cast<long>(axis < 0 ? axis + n : axis);
  if (split < 0 || split > n) {
    c.fail(fmt::format("axis {} is out of range for a {}-D tensor", axis, n));
  }
  r.dims = {count(c, {r.dims.begin(), r.dims.begin() + split}),
            count(c, {r.dims.begin() + split, r.dims.end()})};
  c.set_constant(std::move(r));
}

void fold_squeeze(NodeContext& c) {
  Value r = c.input(0);
  r.dims = dims::squeeze(r.dims, c.axes(1, 13));
  c.set_constant(std::move(r));
}

void fold_unsqueeze(NodeContext& c) {
  Value r = c.input(0);
  r.dims = dims::unsqueeze(r.dims, c.axes(1, 13));
  c.set_constant(std::move(r));
}

// Values permuted (Swin's pads are computed through one).
void fold_transpose(NodeContext& c) {
  const Value& in = c.input(0);
  std::vector<std::int64_t> perm = c.attr_ints("perm").value_or(std::vector<std::int64_t>{});
  if (perm.empty()) {
    perm = dims::reversed_axes(in.dims.size());
  }
  const std::vector<std::int64_t> out = dims::transpose(in.dims, perm);
  std::vector<std::size_t> at;  // output element i comes from input element at[i]
  if (has_values(in) && count(c, out) > 0) {
    const std::vector<std::int64_t> from = strides(in.dims);
    std::vector<Walk> axes;
    for (const std::int64_t p : perm) {
      axes.push_back({0, 1, from[dims::axis(p, in.dims.size())]});
    }
    at = walk(out, axes);
  }
  Value t = pick(in, out, at);
  t.weight = in.weight;  // the same elements, reordered
  c.set_constant(std::move(t));
}

// Slice of a constant, on any of its axes (Swin's relative position index
// is sliced from a 2-D table), negative steps too.
void fold_slice(NodeContext& c) {
  const Value& data = c.input(0);
  const SliceArgs args = slice_args(c);
  // The dims may be huge when no values are held: nothing is enumerated then.
  const std::vector<std::int64_t> from = strides(data.dims);
  std::vector<Walk> axes;
  std::vector<std::int64_t> out = data.dims;
  for (std::size_t a = 0; a < data.dims.size(); ++a) {
    axes.push_back({0, 1, from[a]});
  }
  for (std::size_t k = 0; k < args.starts.size(); ++k) {
    const std::size_t a = dims::axis(args.axes[k], data.dims.size());
    const dims::Range r = dims::slice(data.dims[a], args.starts[k], args.ends[k], args.steps[k]);
    axes[a] = {r.start, r.step, from[a]};
    out[a] = r.count;
  }
  std::vector<std::size_t> at;
  if (has_values(data) && count(c, out) > 0) {
    at = walk(out, axes);
  }
  c.set_constant(pick(data, out, at));
}

void fold_gather(NodeContext& c) {
  const Value& data = c.input(0);
  const Value& indices = c.input(1);
  const std::vector<std::int64_t> idx = c.ints(1);
  if (data.dims.empty()) {
    c.fail("Gather on a scalar");
  }
  const std::int64_t given = c.attr_int("axis", 0);
  const std::vector<std::int64_t> out = dims::gather(data.dims, given, indices.dims);
  if (!has_values(data) || count(c, out) > kMaxFoldedElements) {
    Value r;
    r.dims = out;
    r.is_float = data.is_float;
    c.set_constant(std::move(r));
    return;
  }
  const std::size_t axis = dims::axis(given, data.dims.size());
  const std::int64_t n = data.dims[axis];
  const std::int64_t inner = strides(data.dims)[axis];
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
  c.set_constant(pick(data, out, at));
}

void fold_concat(NodeContext& c) {
  const Value& first = c.input(0);
  if (first.dims.empty()) {
    c.fail("Concat of scalars");
  }
  const std::int64_t axis = c.attr_int("axis", 0);
  const std::size_t a = dims::axis(axis, first.dims.size());
  Value r;
  r.dims = first.dims;
  r.is_float = first.is_float;
  bool values = true;
  for (int i = 0; i < c.node().input_size(); ++i) {
    const Value& v = c.input(i);
    if (i > 0) {
      r.dims = dims::concat(r.dims, v.dims, axis);
    }
    r.is_float = r.is_float || v.is_float;
    values = values && has_values(v);
  }
  if (values && count(c, r.dims) <= kMaxFoldedElements) {
    // Each input's block of dims a.. follows the others', once per index of the dims before a.
    const std::int64_t outer = count(c, {r.dims.begin(), r.dims.begin() + static_cast<long>(a)});
    r.ints.emplace();
    r.reals.emplace();
    for (std::int64_t o = 0; o < outer; ++o) {
      for (int i = 0; i < c.node().input_size(); ++i) {
        const Value& v = c.input(i);
        const std::int64_t block = count(c, {v.dims.begin() + static_cast<long>(a), v.dims.end()});
        for (std::int64_t k = o * block; k < (o + 1) * block; ++k) {
          const auto at = static_cast<std::size_t>(k);
          r.reals->push_back(v.reals ? (*v.reals)[at] : static_cast<double>((*v.ints)[at]));
          if (v.ints && r.ints) {
            r.ints->push_back((*v.ints)[at]);
          } else {
            r.ints.reset();
          }
        }
      }
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

}  // namespace netlens::onnx_reader
