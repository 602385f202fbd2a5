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
// column): its dims, their roles and its params. Dims that still hold the
// grid of the input that has one keep its regions, as a layout when they are
// one; the first layer whose output loses them warns.
void Rule::whole(LayerShape& r) {
  static constexpr std::array<std::int64_t (Rule::*)(Whole&) const, kLayerKinds> kWhole{
#define NETLENS_KIND(kind, shape, whole, cost, erf) &Rule::whole,
#include "model/layer_kinds.def"
#undef NETLENS_KIND
  };
  // The positions are those of the first input that has them.
  const auto with_positions = std::find_if(inputs_.begin(), inputs_.end(), [](const ShapeInput& s) {
    return s.shape->tracks_positions();
  });
  const Shape* positioned = with_positions == inputs_.end() ? nullptr : with_positions->shape;
  const Shape none;
  const Shape& p = positioned ? *positioned : none;
  Whole w{whole_dims(0), roles::of(in()), p.size,      p.extra_tokens,
          Mixing::None,  p.window,        std::nullopt};
  r.params = (this->*kWhole[static_cast<std::size_t>(layer_.kind)])(w);
  product(w.dims);  // fails when the count overflows
  r.mixing = w.mixing;
  r.window = w.windows;
  const PerAxis<std::int64_t>& grid = w.grid;
  const bool scores = std::any_of(w.roles.begin(), w.roles.end(), [](DimRole d) {
    return d.role == Role::Keys || d.role == Role::KeyCells;
  });
  const bool partial = w.mixing == Mixing::Unknown && !scores;
  if (partial) {  // (attention's scores are followed by its softmax: no warning)
    r.warnings.push_back({WarningKind::RolesLost,
                          {},
                          {},
                          {},
                          "its units mix the positions of some spatial axes, not of all: the "
                          "receptive field of the layers from here is unknown (?)"});
  }
  if (roles::holds_grid(w.roles, grid.size())) {
    if (std::optional<Shape> s = roles::as_layout(w.dims, w.roles, grid, w.extra_tokens, batch_)) {
      r.output = std::move(*s);
      return;
    }
  }
  r.output = Shape{};
  r.output.layout = Layout::Whole;
  r.output.dims = std::move(w.dims);
  r.output.roles = std::move(w.roles);
  if (roles::holds_grid(r.output.roles, grid.size())) {
    r.output.size = grid;
    r.output.extra_tokens = w.extra_tokens;
    r.output.window = w.window;
  } else if (positioned && !partial && w.mixing != Mixing::Global &&
             layer_.kind != LayerKind::Constant) {
    r.warnings.push_back({WarningKind::RolesLost,
                          {},
                          {},
                          {},
                          fmt::format("netlens cannot follow the positions of '{}' through its "
                                      "output {}: the receptive field of the layers from here "
                                      "is unknown (?)",
                                      *inputs_[0].name, text(r.output.dims))});
  }
}

// Other inputs broadcast against the first: dims and roles.
void Rule::broadcast_roles(Whole& w, std::size_t inputs) const {
  std::vector<Dims> dims{w.dims};
  std::vector<roles::Roles> roles{w.roles};
  for (std::size_t k = 1; k < inputs; ++k) {
    const Dims before = w.dims;
    w.dims = broadcast(
        w.dims, whole_dims(k),
        fmt::format("{} cannot broadcast '{}' ({}) with '{}' ({})", layer_.type, *inputs_[0].name,
                    text(before), *inputs_[k].name, text(whole_dims(k))));
    dims.push_back(whole_dims(k));
    roles.push_back(roles::of(*inputs_[k].shape));
  }
  w.roles = roles::broadcast(dims, roles, w.dims);
}

std::int64_t Rule::needs_roles(Whole& w) const {
  fail(
      fmt::format("{} reads tensors with roles (batch, channels, spatial axes); '{}' is {}, "
                  "a whole tensor (docs/semantics.md, \"Whole tensors\")",
                  layer_.type, *inputs_[0].name, text(w.dims)));
}

std::int64_t Rule::keep_dims(Whole& /*w*/) const { return 0; }

// A softmax over a dim of positions mixes them all.
std::int64_t Rule::whole_activation(Whole& w) const {
  if (layer_.extra->dim) {
    const std::size_t a = whole_axis(*layer_.extra->dim, w.dims.size(), Field::dim);
    w.mixing = roles::mixing_over({w.roles[a]}, w.grid.size());
  }
  return 0;
}

std::int64_t Rule::whole_constant(Whole& w) const {
  w.dims = layer_.extra->shape;
  w.roles.assign(w.dims.size(), DimRole{});
  return layer_.extra->learned ? product(w.dims) : 0;
}

std::int64_t Rule::whole_scale(Whole& w) const {
  if (!layer_.extra->value) {
    fail(
        fmt::format("scale with a parameter per channel needs channels; '{}' is {}, a whole "
                    "tensor",
                    *inputs_[0].name, text(w.dims)));
  }
  return 0;
}

std::int64_t Rule::whole_prelu(Whole& /*w*/) const { return layer_.extra->num_parameters; }

// normalized_shape: the last dims (empty: the last one). Over positions too,
// a norm's statistics do not change the receptive field (docs/semantics.md,
// "Norms"), as on a layout.
std::int64_t Rule::whole_layer_norm(Whole& w) const {
  const Dims& d = w.dims;
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

// On the last dim: features stay features, positions are mixed (a token MLP).
// Per sample and channel (dim 1), over every dim after it (ONNX's
// InstanceNormalization; torch's GroupNorm exports as one on [N, G, C/G x H
// x W]): as every norm's, its statistics do not change the receptive field.
std::int64_t Rule::whole_instance_norm(Whole& w) const {
  if (w.dims.size() < 3) {
    fail(fmt::format("instancenorm needs (N, C, ...), got '{}' ({})", *inputs_[0].name,
                     text(w.dims)));
  }
  return layer_.affine.value_or(false) ? mul(2, w.dims[1]) : 0;
}

std::int64_t Rule::whole_linear(Whole& w) const {
  Dims& d = w.dims;
  if (d.empty()) {
    fail(fmt::format("linear needs a tensor of at least one dim; '{}' is a scalar",
                     *inputs_[0].name));
  }
  check_declared_features(d.back());
  const std::int64_t params =
      add(mul(d.back(), layer_.out_channels), layer_.bias ? layer_.out_channels : 0);
  d.back() = layer_.out_channels;
  w.mixing = roles::mixing_over({w.roles.back()}, w.grid.size());
  w.roles.back() = DimRole{Role::Features, 0};
  return params;
}

std::int64_t Rule::whole_broadcast(Whole& w) const {
  broadcast_roles(w, inputs_.size());
  return 0;
}

std::int64_t Rule::whole_flatten(Whole& w) const {
  Dims& d = w.dims;
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
  w.roles = roles::reshape(d, w.roles, out, w.grid, w.extra_tokens, w.window);
  d = out;
  return 0;
}

std::int64_t Rule::whole_expand(Whole& w) const {
  const Dims& d = w.dims;
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
  const Dims out = broadcast(d, target,
                             fmt::format("expand cannot broadcast '{}' ({}) to {}",
                                         *inputs_[0].name, text(d), text(shape)));
  w.roles = roles::broadcast({d}, {w.roles}, out);
  w.dims = out;
  return 0;
}

// A dim of positions repeated loses its role; channels stay channels.
std::int64_t Rule::whole_tile(Whole& w) const {
  Dims& d = w.dims;
  const Dims& repeats = layer_.extra->repeats;
  if (repeats.size() != d.size()) {
    fail_at(pos_of(Field::repeats),
            fmt::format("tile has {} repeats for the {} dims of '{}' ({})", repeats.size(),
                        d.size(), *inputs_[0].name, text(d)));
  }
  for (std::size_t k = 0; k < d.size(); ++k) {
    d[k] = mul(d[k], repeats[k]);
    w.roles[k] = repeats[k] == 1 || w.roles[k].role == Role::Features ? w.roles[k] : DimRole{};
  }
  return 0;
}

// The indices: `index_shape`, or a second input's. Their dims replace the
// gathered one, roles unknown.
std::int64_t Rule::whole_gather(Whole& w) const {
  const std::optional<Dims>& index_shape = layer_.extra->index_shape;
  if ((inputs_.size() > 1) == index_shape.has_value()) {
    fail("gather takes its indices' shape as index_shape or as a second input, one of them");
  }
  const Dims indices = index_shape ? *index_shape : whole_dims(1);
  const std::size_t a = whole_axis(layer_.extra->dim.value_or(1), w.dims.size(), Field::dim);
  w.dims = dims::gather(w.dims, static_cast<std::int64_t>(a), indices);
  w.roles.erase(w.roles.begin() + static_cast<long>(a));
  w.roles.insert(w.roles.begin() + static_cast<long>(a), indices.size(), DimRole{});
  return 0;
}

// Along features, channels add up. Along a grid, the inputs before the one
// that holds it (with no role there: a class token) become extra tokens.
std::int64_t Rule::whole_concat(Whole& w) const {
  const std::size_t a = whole_axis(layer_.extra->dim.value_or(1), w.dims.size(), Field::dim);
  std::vector<Dims> parts{w.dims};
  for (std::size_t k = 1; k < inputs_.size(); ++k) {
    try {
      w.dims = dims::concat(w.dims, whole_dims(k), static_cast<std::int64_t>(a));
      parts.push_back(whole_dims(k));
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
  std::vector<roles::Roles> roles;
  for (const ShapeInput& s : inputs_) {
    roles.push_back(roles::of(*s.shape));
  }
  Dims others = w.dims;
  others[a] = -1;  // on dim a no input agrees: its role is found below
  w.roles = roles::broadcast(parts, roles, others);
  std::int64_t before = 0;
  std::size_t grid = 0;
  bool features = true;
  for (std::size_t k = 0; k < inputs_.size(); ++k) {
    const Role role = roles[k][a].role;
    features = features && role == Role::Features;
    before += grid == 0 && role == Role::Other ? parts[k][a] : 0;
    grid += role == Role::Grid ? 1 : 0;
  }
  if (features) {
    w.roles[a] = DimRole{Role::Features, 0};
  } else if (grid == 1 && roles.back()[a].role == Role::Grid) {
    w.roles[a] = DimRole{Role::Grid, 0};
    w.extra_tokens += before;
  }
  return 0;
}

// Over every position (the grid, every spatial axis, or keys) a reduction
// mixes them; over some of the spatial axes their regions are not followed.
std::int64_t Rule::whole_reduce(Whole& w) const {
  const LayerExtras& x = *layer_.extra;
  const Dims& d = w.dims;
  std::vector<bool> reduced(d.size(), x.dims.empty());  // no dims: every dim
  for (const std::int64_t dim : x.dims) {
    reduced[whole_axis(dim, d.size(), Field::dims)] = true;
  }
  Dims out;
  roles::Roles kept;
  roles::Roles gone;
  for (std::size_t k = 0; k < d.size(); ++k) {
    if (reduced[k]) {
      gone.push_back(w.roles[k]);
    }
    if (!reduced[k] || x.keepdim) {
      out.push_back(reduced[k] ? 1 : d[k]);
      kept.push_back(reduced[k] && roles::positional(w.roles[k]) ? DimRole{} : w.roles[k]);
    }
  }
  w.mixing = roles::mixing_over(gone, w.grid.size());
  w.dims = out;
  w.roles = kept;
  return 0;
}

// PyTorch's slicing of one dim, and a split's part. Part of a dim of
// positions is a crop netlens does not follow here.
std::int64_t Rule::whole_slice(Whole& w) const {
  const std::size_t a = whole_axis(layer_.extra->dim.value_or(1), w.dims.size(), Field::dim);
  const std::int64_t n = slice_range(w.dims[a]).count;  // may be 0: a whole tensor can be empty
  if (n != w.dims[a] && roles::positional(w.roles[a])) {
    w.roles[a] = DimRole{};
  }
  w.dims[a] = n;
  return 0;
}

std::int64_t Rule::whole_permute(Whole& w) const {
  Dims& d = w.dims;
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
  roles::Roles moved;
  for (const std::int64_t k : order) {
    moved.push_back(w.roles[*dims::axis_index(k, order.size())]);
  }
  w.roles = moved;
  return 0;
}

// torch.reshape: the whole target, batch included; one -1 takes the rest.
std::int64_t Rule::whole_reshape(Whole& w) const {
  const Dims& shape = layer_.extra->shape;
  try {
    const Dims out = dims::reshape(w.dims, shape, false);
    w.roles = roles::reshape(w.dims, w.roles, out, w.grid, w.extra_tokens, w.window);
    w.dims = out;
  } catch (const dims::DimsError& e) {
    if (e.fault() == dims::Fault::Overflow) {
      math_.overflow();
    }
    fail_at(pos_of(Field::shape),
            e.fault() == dims::Fault::SecondInfer
                ? fmt::format("shape {} has more than one -1", text(shape))
                : fmt::format("cannot reshape '{}' ({}, {} elements) to {}", *inputs_[0].name,
                              text(w.dims), product(w.dims), text(shape)));
  }
  return 0;
}

// nn.Unflatten: dim `dim` becomes the dims `unflattened_size` (tokens back
// into their grid, channels into heads).
std::int64_t Rule::whole_unflatten(Whole& w) const {
  const std::size_t a = whole_axis(layer_.extra->dim.value_or(1), w.dims.size(), Field::dim);
  const Dims& sizes = layer_.extra->sizes;
  if (product(sizes) != w.dims[a]) {
    fail_at(pos_of(Field::unflattened_size),
            fmt::format("unflattened_size {} has {} elements, but dim {} of '{}' ({}) has {}",
                        text(sizes), product(sizes), a, *inputs_[0].name, text(w.dims), w.dims[a]));
  }
  Dims out(w.dims.begin(), w.dims.begin() + static_cast<long>(a));
  out.insert(out.end(), sizes.begin(), sizes.end());
  out.insert(out.end(), w.dims.begin() + static_cast<long>(a) + 1, w.dims.end());
  w.roles = roles::reshape(w.dims, w.roles, out, w.grid, w.extra_tokens, w.window);
  w.dims = out;
  return 0;
}

// numpy's matmul: a 1-D operand is a row (first) or a column (second); the
// dims before the last two broadcast. Summing over positions mixes them (the
// scores times the values); rows of positions times columns of positions
// are attention's scores, whose units read a query's and a key's position.
std::int64_t Rule::whole_matmul(Whole& w) const {
  if (inputs_.size() != 2) {
    fail_at(layer_.inputs_pos, fmt::format("matmul takes two inputs, got {}", inputs_.size()));
  }
  const Dims& d = w.dims;
  Dims a = d;
  Dims b = whole_dims(1);
  roles::Roles ra = w.roles;
  roles::Roles rb = roles::of(*inputs_[1].shape);
  if (a.empty() || b.empty()) {
    fail_at(layer_.inputs_pos, "matmul needs tensors of at least one dim, got a scalar");
  }
  const bool row = a.size() == 1;
  const bool column = b.size() == 1;
  if (row) {
    a.insert(a.begin(), 1);
    ra.insert(ra.begin(), DimRole{});
  }
  if (column) {
    b.push_back(1);
    rb.push_back(DimRole{});
  }
  if (a.back() != b[b.size() - 2]) {
    fail_at(layer_.inputs_pos,
            fmt::format("matmul of '{}' ({}) by '{}' ({}): {} columns against {} rows",
                        *inputs_[0].name, text(d), *inputs_[1].name, text(whole_dims(1)), a.back(),
                        b[b.size() - 2]));
  }
  const Dims lead_a(a.begin(), a.end() - 2);
  const Dims lead_b(b.begin(), b.end() - 2);
  Dims out =
      broadcast(lead_a, lead_b,
                fmt::format("matmul cannot broadcast the leading dims of '{}' ({}) and '{}' ({})",
                            *inputs_[0].name, text(d), *inputs_[1].name, text(whole_dims(1))));
  const roles::Roles lead_ra(ra.begin(), ra.end() - 2);
  const roles::Roles lead_rb(rb.begin(), rb.end() - 2);
  roles::Roles roles = roles::broadcast({lead_a, lead_b}, {lead_ra, lead_rb}, out);
  DimRole rows = ra[ra.size() - 2];
  DimRole columns = rb.back();
  w.mixing = roles::mixing_over({ra.back(), rb[rb.size() - 2]}, w.grid.size());
  if (w.mixing == Mixing::None && roles::positional(rows) && roles::positional(columns)) {
    w.mixing = Mixing::Unknown;
    columns = DimRole{rows.role == Role::Cells ? Role::KeyCells : Role::Keys, 0};
  }
  if (!row) {
    out.push_back(a[a.size() - 2]);
    roles.push_back(rows);
  }
  if (!column) {
    out.push_back(b.back());
    roles.push_back(columns);
  }
  w.dims = out;
  w.roles = roles;
  return 0;
}

}  // namespace netlens::shape
