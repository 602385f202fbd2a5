// The shape rules on tensors without roles (docs/semantics.md, "Tensors
// without roles"): a general reshape, matmul, expand, tile, gather or
// constant, and any layer whose input already lost its roles. Shapes are the
// whole tensor's, batch included, with numpy's and PyTorch's rules; nothing
// after such a layer has a receptive field.
#include <fmt/ranges.h>

#include <algorithm>

#include "engine/shape_rule.h"

namespace netlens::shape {

namespace {

std::string dims_text(const std::vector<std::int64_t>& d) {
  return fmt::format("[{}]", fmt::join(d, ", "));
}

}  // namespace

bool Rule::any_input_other() const {
  return std::any_of(inputs_.begin(), inputs_.end(),
                     [](const ShapeInput& s) { return s.shape->is_whole(); });
}

std::vector<std::int64_t> Rule::whole_dims(std::size_t input) const {
  const Shape& s = *inputs_[input].shape;
  return s.is_whole() ? s.dims : tensor_shape(s, batch_);
}

// A dim of a `rank`-D tensor, negative from the end.
std::size_t Rule::whole_axis(std::int64_t dim, std::size_t rank, SourcePos pos,
                             const char* field) const {
  const auto n = static_cast<std::int64_t>(rank);
  if (dim < -n || dim >= n) {
    fail_at(pos, fmt::format("{} {} is out of range for a {}-D tensor", field, dim, n));
  }
  return static_cast<std::size_t>(dim < 0 ? dim + n : dim);
}

// numpy's broadcasting: aligned from the last axis, each pair equal or one 1.
std::vector<std::int64_t> Rule::broadcast(std::vector<std::int64_t> a,
                                          const std::vector<std::int64_t>& b,
                                          const std::string& what) const {
  if (a.size() < b.size()) {
    a.insert(a.begin(), b.size() - a.size(), 1);
  }
  for (std::size_t k = 0; k < b.size(); ++k) {
    std::int64_t& x = a[a.size() - b.size() + k];
    const std::int64_t y = b[k];
    if (x != y && x != 1 && y != 1) {
      fail_at(layer_.inputs_pos, fmt::format("{}: each axis must agree or be 1", what));
    }
    x = x == 1 ? y : x;
  }
  return a;
}

std::int64_t Rule::whole_elements(const std::vector<std::int64_t>& dims) const {
  std::int64_t n = 1;
  for (const std::int64_t d : dims) {
    n = mul(n, d);
  }
  return n;
}

void Rule::whole(LayerShape& r) {
  const LayerExtras& x = *layer_.extra;
  std::vector<std::int64_t> d = layer_.kind == LayerKind::Constant ? x.shape : whole_dims(0);
  std::int64_t params = 0;
  switch (layer_.kind) {
    case LayerKind::Identity:
    case LayerKind::Dropout:
    case LayerKind::Activation:
      break;
    case LayerKind::Constant:
      params = x.learned ? whole_elements(d) : 0;
      break;
    case LayerKind::Scale:
      if (!x.value) {
        fail(
            fmt::format("scale with a parameter per channel needs channels; '{}' is {}, a tensor "
                        "without roles",
                        *inputs_[0].name, dims_text(d)));
      }
      break;
    case LayerKind::PRelu:
      params = x.num_parameters;
      break;
    case LayerKind::LayerNorm: {
      // normalized_shape: the last dims (empty: the last one).
      const std::vector<std::int64_t> norm =
          x.dims.empty() ? std::vector<std::int64_t>(d.end() - (d.empty() ? 0 : 1), d.end())
                         : x.dims;
      if (norm.size() > d.size() ||
          !std::equal(norm.begin(), norm.end(), d.end() - static_cast<long>(norm.size()))) {
        fail_at(x.dims_pos, fmt::format("normalized_shape {} is not the last dims of '{}' ({})",
                                        dims_text(norm), *inputs_[0].name, dims_text(d)));
      }
      params = layer_.affine.value_or(true) ? mul(whole_elements(norm), layer_.bias ? 2 : 1) : 0;
      break;
    }
    case LayerKind::Linear: {
      if (d.empty()) {
        fail(fmt::format("linear needs a tensor of at least one dim; '{}' is a scalar",
                         *inputs_[0].name));
      }
      check_declared_features(d.back());
      params = add(mul(d.back(), layer_.out_channels), layer_.bias ? layer_.out_channels : 0);
      d.back() = layer_.out_channels;
      break;
    }
    case LayerKind::Elementwise:
      for (std::size_t k = 1; k < inputs_.size(); ++k) {
        const std::vector<std::int64_t> before = d;
        d = broadcast(d, whole_dims(k),
                      fmt::format("{} cannot broadcast '{}' ({}) with '{}' ({})", layer_.type,
                                  *inputs_[0].name, dims_text(before), *inputs_[k].name,
                                  dims_text(whole_dims(k))));
      }
      break;
    case LayerKind::Concat:
      whole_concat(d);
      break;
    case LayerKind::Reduce:
      whole_reduce(d);
      break;
    case LayerKind::Slice:
      whole_slice(d);
      break;
    case LayerKind::Permute:
      whole_permute(d);
      break;
    case LayerKind::Flatten: {
      const std::size_t rank = std::max<std::size_t>(d.size(), 1);
      d.resize(rank, 1);  // a scalar flattens to one element
      const std::size_t start = whole_axis(x.dim, rank, layer_.pos, "start_dim");
      const std::size_t end = whole_axis(x.end_dim, rank, layer_.pos, "end_dim");
      if (start > end) {
        fail(fmt::format("flatten's start_dim {} comes after its end_dim {}", x.dim, x.end_dim));
      }
      std::vector<std::int64_t> out(d.begin(), d.begin() + static_cast<long>(start));
      out.push_back(whole_elements(
          {d.begin() + static_cast<long>(start), d.begin() + static_cast<long>(end) + 1}));
      out.insert(out.end(), d.begin() + static_cast<long>(end) + 1, d.end());
      d = out;
      break;
    }
    case LayerKind::Reshape:
      whole_reshape(d);
      break;
    case LayerKind::MatMul:
      whole_matmul(d);
      break;
    case LayerKind::Expand: {
      std::vector<std::int64_t> target = x.shape;
      for (std::size_t k = 0; k < target.size(); ++k) {  // PyTorch's -1: keep that dim
        const std::size_t from_end = target.size() - k;
        if (target[k] == -1) {
          if (from_end > d.size()) {
            fail_at(x.shape_pos,
                    fmt::format("expand's -1 at dim {} has no dim of '{}' ({}) to keep", k,
                                *inputs_[0].name, dims_text(d)));
          }
          target[k] = d[d.size() - from_end];
        }
      }
      d = broadcast(d, target,
                    fmt::format("expand cannot broadcast '{}' ({}) to {}", *inputs_[0].name,
                                dims_text(d), dims_text(x.shape)));
      break;
    }
    case LayerKind::Tile:
      if (x.shape.size() != d.size()) {
        fail_at(x.shape_pos, fmt::format("tile has {} repeats for the {} dims of '{}' ({})",
                                         x.shape.size(), d.size(), *inputs_[0].name, dims_text(d)));
      }
      for (std::size_t k = 0; k < d.size(); ++k) {
        d[k] = mul(d[k], x.shape[k]);
      }
      break;
    case LayerKind::Gather: {  // the indices: `index_shape`, or a second input's
      if ((inputs_.size() > 1) == x.shape_given) {
        fail("gather takes its indices' shape as index_shape or as a second input, one of them");
      }
      const std::vector<std::int64_t> indices = inputs_.size() > 1 ? whole_dims(1) : x.shape;
      const std::size_t a = whole_axis(x.dim, d.size(), layer_.pos, "dim");
      d.erase(d.begin() + static_cast<long>(a));
      d.insert(d.begin() + static_cast<long>(a), indices.begin(), indices.end());
      break;
    }
    default:
      fail(
          fmt::format("{} reads tensors with roles (batch, channels, spatial axes); '{}' is {}, "
                      "a tensor without them (docs/semantics.md, \"Tensors without roles\")",
                      layer_.type, *inputs_[0].name, dims_text(d)));
  }
  whole_elements(d);  // fails when the count overflows
  r.output = Shape{};
  r.output.layout = Layout::Whole;
  r.output.dims = std::move(d);
  r.params = params;
  if (!any_input_other() && layer_.kind != LayerKind::Constant) {
    r.warnings.push_back({WarningKind::RolesLost,
                          {},
                          {},
                          {},
                          fmt::format("the output {} has no axes netlens can follow (batch, "
                                      "channels, spatial): the layers from here have no receptive "
                                      "field",
                                      dims_text(r.output.dims))});
  }
}

void Rule::whole_concat(std::vector<std::int64_t>& d) const {
  const LayerExtras& x = *layer_.extra;
  const std::size_t a = whole_axis(x.dim_given ? x.dim : 1, d.size(), layer_.pos, "dim");
  for (std::size_t k = 1; k < inputs_.size(); ++k) {
    const std::vector<std::int64_t> o = whole_dims(k);
    bool ok = o.size() == d.size();
    for (std::size_t j = 0; ok && j < d.size(); ++j) {
      ok = j == a || o[j] == d[j];
    }
    if (!ok) {
      fail_at(
          layer_.inputs_pos,
          fmt::format("concat on dim {} needs the other dims to agree: '{}' is {}, '{}' is {}", a,
                      *inputs_[0].name, dims_text(whole_dims(0)), *inputs_[k].name, dims_text(o)));
    }
    d[a] = add(d[a], o[a]);
  }
}

void Rule::whole_reduce(std::vector<std::int64_t>& d) const {
  const LayerExtras& x = *layer_.extra;
  std::vector<bool> reduced(d.size(), x.dims.empty());  // no dims: every dim
  for (const std::int64_t dim : x.dims) {
    reduced[whole_axis(dim, d.size(), x.dims_pos, "dims")] = true;
  }
  std::vector<std::int64_t> out;
  for (std::size_t k = 0; k < d.size(); ++k) {
    if (!reduced[k]) {
      out.push_back(d[k]);
    } else if (x.keepdim) {
      out.push_back(1);
    }
  }
  d = out;
}

// PyTorch's slicing of one dim, and a split's part.
void Rule::whole_slice(std::vector<std::int64_t>& d) const {
  const LayerExtras& x = *layer_.extra;
  const std::size_t a = whole_axis(x.dim, d.size(), layer_.pos, "dim");
  d[a] = slice_range(d[a]).count;  // may be 0: a whole tensor can be empty
}

void Rule::whole_permute(std::vector<std::int64_t>& d) const {
  const std::vector<std::int64_t>& dims = layer_.extra->dims;
  std::vector<bool> used(d.size(), false);
  std::vector<std::int64_t> out;
  for (const std::int64_t dim : dims) {
    const std::size_t a = whole_axis(dim, d.size(), layer_.extra->dims_pos, "dims");
    if (used[a]) {
      fail_at(layer_.extra->dims_pos, fmt::format("dims {} name dim {} twice", dims_text(dims), a));
    }
    used[a] = true;
    out.push_back(d[a]);
  }
  if (out.size() != d.size()) {
    fail_at(layer_.extra->dims_pos,
            fmt::format("dims {} must order all {} dims of '{}' ({})", dims_text(dims), d.size(),
                        *inputs_[0].name, dims_text(d)));
  }
  d = out;
}

// torch.reshape: the whole target, batch included; one -1 takes the rest.
void Rule::whole_reshape(std::vector<std::int64_t>& d) const {
  const LayerExtras& x = *layer_.extra;
  const std::int64_t total = whole_elements(d);
  std::vector<std::int64_t> target = x.shape;
  std::int64_t known = 1;
  std::optional<std::size_t> infer;
  for (std::size_t k = 0; k < target.size(); ++k) {
    if (target[k] == -1) {
      if (infer) {
        fail_at(x.shape_pos, fmt::format("shape {} has more than one -1", dims_text(x.shape)));
      }
      infer = k;
    } else {
      known = mul(known, target[k]);
    }
  }
  if (infer && known != 0 && total % known == 0) {
    target[*infer] = total / known;
    known = total;
  }
  if (known != total) {
    fail_at(x.shape_pos, fmt::format("cannot reshape '{}' ({}, {} elements) to {}",
                                     *inputs_[0].name, dims_text(d), total, dims_text(x.shape)));
  }
  d = target;
}

// numpy's matmul: a 1-D operand is a row (first) or a column (second); the
// dims before the last two broadcast.
void Rule::whole_matmul(std::vector<std::int64_t>& d) const {
  if (inputs_.size() != 2) {
    fail_at(layer_.inputs_pos, fmt::format("matmul takes two inputs, got {}", inputs_.size()));
  }
  std::vector<std::int64_t> a = d;
  std::vector<std::int64_t> b = whole_dims(1);
  if (a.empty() || b.empty()) {
    fail_at(layer_.inputs_pos, "matmul needs tensors of at least one dim, got a scalar");
  }
  const bool row = a.size() == 1;
  const bool column = b.size() == 1;
  if (row) a.insert(a.begin(), 1);
  if (column) b.push_back(1);
  if (a.back() != b[b.size() - 2]) {
    fail_at(layer_.inputs_pos,
            fmt::format("matmul of '{}' ({}) by '{}' ({}): {} columns against {} rows",
                        *inputs_[0].name, dims_text(d), *inputs_[1].name, dims_text(whole_dims(1)),
                        a.back(), b[b.size() - 2]));
  }
  std::vector<std::int64_t> out = broadcast(
      {a.begin(), a.end() - 2}, {b.begin(), b.end() - 2},
      fmt::format("matmul cannot broadcast the leading dims of '{}' ({}) and '{}' ({})",
                  *inputs_[0].name, dims_text(d), *inputs_[1].name, dims_text(whole_dims(1))));
  if (!row) out.push_back(a[a.size() - 2]);
  if (!column) out.push_back(b.back());
  d = out;
}

}  // namespace netlens::shape
