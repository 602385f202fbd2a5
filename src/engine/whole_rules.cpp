// The shape rules on whole tensors (docs/semantics.md, "Whole tensors"): a
// general reshape, matmul, expand, tile, gather or constant, and any layer
// whose input is already whole. Shapes are the whole tensor's, batch
// included, with numpy's and PyTorch's rules; nothing after such a layer has
// a receptive field.
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

#include "engine/dims.h"
#include "engine/shape_rule.h"

namespace netlens::shape {

using dims::text;

bool Rule::any_input_whole() const {
  return std::any_of(inputs_.begin(), inputs_.end(),
                     [](const ShapeInput& s) { return s.shape->is_whole(); });
}

Rule::Dims Rule::whole_dims(std::size_t input) const {
  const Shape& s = *inputs_[input].shape;
  return s.is_whole() ? s.dims : tensor_shape(s, batch_);
}

// A dim of a `rank`-D tensor, negative from the end.
std::size_t Rule::whole_axis(std::int64_t dim, std::size_t rank, Field field) const {
  const std::optional<std::size_t> a = dims::axis_index(dim, rank);
  if (!a) {
    fail_at(pos_of(field), fmt::format("{} {} is out of range for a {}-D tensor",
                                       field_def(field).key, dim, rank));
  }
  return *a;
}

// numpy's broadcasting (dims.h); `what` says who cannot.
Rule::Dims Rule::broadcast(const Dims& a, const Dims& b, const std::string& what) const {
  std::optional<Dims> out = dims::broadcast(a, b);
  if (!out) {
    fail_at(layer_.inputs_pos, fmt::format("{}: each axis must agree or be 1", what));
  }
  return std::move(*out);
}

// The output of the layer's kind on whole tensors (layer_kinds.def's whole
// column): its dims and params. The first layer to make one warns.
void Rule::whole(LayerShape& r) {
  static constexpr std::array<std::int64_t (Rule::*)(Dims&) const, kLayerKinds> kWhole{
#define NETLENS_KIND(kind, shape, whole, cost, erf) &Rule::whole,
#include "model/layer_kinds.def"
#undef NETLENS_KIND
  };
  Dims d = whole_dims(0);
  r.params = (this->*kWhole[static_cast<std::size_t>(layer_.kind)])(d);
  product(d);  // fails when the count overflows
  r.output = Shape{};
  r.output.layout = Layout::Whole;
  r.output.dims = std::move(d);
  if (!any_input_whole() && layer_.kind != LayerKind::Constant) {  // a constant reads nothing
    r.warnings.push_back({WarningKind::WholeTensor,
                          {},
                          {},
                          {},
                          fmt::format("the output {} has no axes netlens can follow (batch, "
                                      "channels, spatial): the receptive field of the layers from "
                                      "here is unknown (?)",
                                      text(r.output.dims))});
  }
}

std::int64_t Rule::needs_roles(Dims& d) const {
  fail(
      fmt::format("{} reads tensors with roles (batch, channels, spatial axes); '{}' is {}, "
                  "a whole tensor (docs/semantics.md, \"Whole tensors\")",
                  layer_.type, *inputs_[0].name, text(d)));
}

std::int64_t Rule::keep_dims(Dims& /*d*/) const { return 0; }

std::int64_t Rule::whole_constant(Dims& d) const {
  d = layer_.extra->shape;
  return layer_.extra->learned ? product(d) : 0;
}

std::int64_t Rule::whole_scale(Dims& d) const {
  if (!layer_.extra->value) {
    fail(
        fmt::format("scale with a parameter per channel needs channels; '{}' is {}, a whole "
                    "tensor",
                    *inputs_[0].name, text(d)));
  }
  return 0;
}

std::int64_t Rule::whole_prelu(Dims& /*d*/) const { return layer_.extra->num_parameters; }

// normalized_shape: the last dims (empty: the last one).
std::int64_t Rule::whole_layer_norm(Dims& d) const {
  const Dims& given = layer_.extra->normalized_shape;
  const Dims norm = given.empty() ? Dims(d.end() - (d.empty() ? 0 : 1), d.end()) : given;
  if (norm.size() > d.size() ||
      !std::equal(norm.begin(), norm.end(), d.end() - static_cast<long>(norm.size()))) {
    fail_at(pos_of(Field::normalized_shape),
            fmt::format("normalized_shape {} is not the last dims of '{}' ({})", text(norm),
                        *inputs_[0].name, text(d)));
  }
  return layer_.affine.value_or(true) ? mul(product(norm), layer_.bias ? 2 : 1) : 0;
}

std::int64_t Rule::whole_linear(Dims& d) const {
  if (d.empty()) {
    fail(fmt::format("linear needs a tensor of at least one dim; '{}' is a scalar",
                     *inputs_[0].name));
  }
  check_declared_features(d.back());
  const std::int64_t params =
      add(mul(d.back(), layer_.out_channels), layer_.bias ? layer_.out_channels : 0);
  d.back() = layer_.out_channels;
  return params;
}

std::int64_t Rule::whole_broadcast(Dims& d) const {
  for (std::size_t k = 1; k < inputs_.size(); ++k) {
    const Dims before = d;
    d = broadcast(
        d, whole_dims(k),
        fmt::format("{} cannot broadcast '{}' ({}) with '{}' ({})", layer_.type, *inputs_[0].name,
                    text(before), *inputs_[k].name, text(whole_dims(k))));
  }
  return 0;
}

std::int64_t Rule::whole_flatten(Dims& d) const {
  const LayerExtras& x = *layer_.extra;
  const std::size_t rank = std::max<std::size_t>(d.size(), 1);
  d.resize(rank, 1);  // a scalar flattens to one element
  const std::size_t start = whole_axis(x.start_dim, rank, Field::start_dim);
  const std::size_t end = whole_axis(x.end_dim, rank, Field::end_dim);
  if (start > end) {
    fail(fmt::format("flatten's start_dim {} comes after its end_dim {}", x.start_dim, x.end_dim));
  }
  Dims out(d.begin(), d.begin() + static_cast<long>(start));
  out.push_back(
      product(Dims(d.begin() + static_cast<long>(start), d.begin() + static_cast<long>(end) + 1)));
  out.insert(out.end(), d.begin() + static_cast<long>(end) + 1, d.end());
  d = out;
  return 0;
}

std::int64_t Rule::whole_expand(Dims& d) const {
  const Dims& shape = layer_.extra->shape;
  Dims target = shape;
  for (std::size_t k = 0; k < target.size(); ++k) {  // PyTorch's -1: keep that dim
    const std::size_t from_end = target.size() - k;
    if (target[k] == -1) {
      if (from_end > d.size()) {
        fail_at(pos_of(Field::shape),
                fmt::format("expand's -1 at dim {} has no dim of '{}' ({}) to keep", k,
                            *inputs_[0].name, text(d)));
      }
      target[k] = d[d.size() - from_end];
    }
  }
  d = broadcast(d, target,
                fmt::format("expand cannot broadcast '{}' ({}) to {}", *inputs_[0].name, text(d),
                            text(shape)));
  return 0;
}

std::int64_t Rule::whole_tile(Dims& d) const {
  const Dims& repeats = layer_.extra->repeats;
  if (repeats.size() != d.size()) {
    fail_at(pos_of(Field::repeats),
            fmt::format("tile has {} repeats for the {} dims of '{}' ({})", repeats.size(),
                        d.size(), *inputs_[0].name, text(d)));
  }
  for (std::size_t k = 0; k < d.size(); ++k) {
    d[k] = mul(d[k], repeats[k]);
  }
  return 0;
}

// The indices: `index_shape`, or a second input's.
std::int64_t Rule::whole_gather(Dims& d) const {
  const std::optional<Dims>& index_shape = layer_.extra->index_shape;
  if ((inputs_.size() > 1) == index_shape.has_value()) {
    fail("gather takes its indices' shape as index_shape or as a second input, one of them");
  }
  const Dims indices = index_shape ? *index_shape : whole_dims(1);
  const std::size_t a = whole_axis(layer_.extra->dim.value_or(1), d.size(), Field::dim);
  d = dims::gather(d, static_cast<std::int64_t>(a), indices);
  return 0;
}

std::int64_t Rule::whole_concat(Dims& d) const {
  const std::size_t a = whole_axis(layer_.extra->dim.value_or(1), d.size(), Field::dim);
  for (std::size_t k = 1; k < inputs_.size(); ++k) {
    try {
      d = dims::concat(d, whole_dims(k), static_cast<std::int64_t>(a));
    } catch (const dims::DimsError& e) {
      if (e.fault() == dims::Fault::Overflow) {
        math_.overflow();
      }
      fail_at(layer_.inputs_pos,
              fmt::format("concat on dim {} needs the other dims to agree: '{}' is {}, '{}' is {}",
                          a, *inputs_[0].name, text(whole_dims(0)), *inputs_[k].name,
                          text(whole_dims(k))));
    }
  }
  return 0;
}

std::int64_t Rule::whole_reduce(Dims& d) const {
  const LayerExtras& x = *layer_.extra;
  std::vector<bool> reduced(d.size(), x.dims.empty());  // no dims: every dim
  for (const std::int64_t dim : x.dims) {
    reduced[whole_axis(dim, d.size(), Field::dims)] = true;
  }
  Dims out;
  for (std::size_t k = 0; k < d.size(); ++k) {
    if (!reduced[k]) {
      out.push_back(d[k]);
    } else if (x.keepdim) {
      out.push_back(1);
    }
  }
  d = out;
  return 0;
}

// PyTorch's slicing of one dim, and a split's part.
std::int64_t Rule::whole_slice(Dims& d) const {
  const std::size_t a = whole_axis(layer_.extra->dim.value_or(1), d.size(), Field::dim);
  d[a] = slice_range(d[a]).count;  // may be 0: a whole tensor can be empty
  return 0;
}

std::int64_t Rule::whole_permute(Dims& d) const {
  const Dims& order = layer_.extra->dims;
  try {
    d = dims::transpose(d, order);
  } catch (const dims::DimsError& e) {
    if (e.fault() == dims::Fault::AxisRepeated) {
      fail_at(pos_of(Field::dims), fmt::format("dims {} name dim {} twice", text(order),
                                               whole_axis(e.axis(), d.size(), Field::dims)));
    }
    if (e.fault() == dims::Fault::NotEveryAxis) {
      fail_at(pos_of(Field::dims), fmt::format("dims {} must order all {} dims of '{}' ({})",
                                               text(order), d.size(), *inputs_[0].name, text(d)));
    }
    whole_axis(e.axis(), d.size(), Field::dims);  // out of range: fails
    throw;
  }
  return 0;
}

// torch.reshape: the whole target, batch included; one -1 takes the rest.
std::int64_t Rule::whole_reshape(Dims& d) const {
  const Dims& shape = layer_.extra->shape;
  try {
    d = dims::reshape(d, shape, false);
  } catch (const dims::DimsError& e) {
    if (e.fault() == dims::Fault::Overflow) {
      math_.overflow();
    }
    fail_at(pos_of(Field::shape),
            e.fault() == dims::Fault::SecondInfer
                ? fmt::format("shape {} has more than one -1", text(shape))
                : fmt::format("cannot reshape '{}' ({}, {} elements) to {}", *inputs_[0].name,
                              text(d), product(d), text(shape)));
  }
  return 0;
}

// numpy's matmul: a 1-D operand is a row (first) or a column (second); the
// dims before the last two broadcast.
std::int64_t Rule::whole_matmul(Dims& d) const {
  if (inputs_.size() != 2) {
    fail_at(layer_.inputs_pos, fmt::format("matmul takes two inputs, got {}", inputs_.size()));
  }
  Dims a = d;
  Dims b = whole_dims(1);
  if (a.empty() || b.empty()) {
    fail_at(layer_.inputs_pos, "matmul needs tensors of at least one dim, got a scalar");
  }
  const bool row = a.size() == 1;
  const bool column = b.size() == 1;
  if (row) {
    a.insert(a.begin(), 1);
  }
  if (column) {
    b.push_back(1);
  }
  if (a.back() != b[b.size() - 2]) {
    fail_at(layer_.inputs_pos,
            fmt::format("matmul of '{}' ({}) by '{}' ({}): {} columns against {} rows",
                        *inputs_[0].name, text(d), *inputs_[1].name, text(whole_dims(1)), a.back(),
                        b[b.size() - 2]));
  }
  Dims out =
      broadcast({a.begin(), a.end() - 2}, {b.begin(), b.end() - 2},
                fmt::format("matmul cannot broadcast the leading dims of '{}' ({}) and '{}' ({})",
                            *inputs_[0].name, text(d), *inputs_[1].name, text(whole_dims(1))));
  if (!row) {
    out.push_back(a[a.size() - 2]);
  }
  if (!column) {
    out.push_back(b.back());
  }
  d = out;
  return 0;
}

}  // namespace netlens::shape
