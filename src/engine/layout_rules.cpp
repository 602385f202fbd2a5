// The shape rules of the layers that normalize, reduce or move data without
// a window of their own: norms, mean/sum/amax, channel_shuffle, slice and
// split, pixel_shuffle/unshuffle, permute (docs/spec-format.md).
#include <fmt/ranges.h>

#include <algorithm>
#include <numeric>

#include "engine/dims.h"
#include "engine/shape_rule.h"

namespace netlens::shape {

std::vector<int> Rule::dim_roles() const {
  std::vector<int> roles{-1};
  if (!in().has_positions()) {
    roles.push_back(-2);
    return roles;
  }
  if (!in().channels_last()) {
    roles.push_back(-2);
  }
  for (std::size_t a = 0; a < rank(); ++a) {
    roles.push_back(static_cast<int>(a));
  }
  if (in().channels_last()) {
    roles.push_back(-2);
  }
  return roles;
}

bool Rule::names_batch(std::int64_t dim) const {
  const auto n = static_cast<std::int64_t>(in().is_tokens() ? 3 : dim_roles().size());
  return dim == 0 || dim == -n;
}

int Rule::role_of_dim(std::int64_t dim, Field f) const {
  const SourcePos pos = pos_of(f);
  const std::string_view field = field_def(f).key;
  if (in().is_tokens()) {
    fail_at(pos, fmt::format("{} over the dims of tokens is not supported ('{}' is {})",
                             layer_.type, *inputs_[0].name, format_shape(in())));
  }
  const std::vector<int> roles = dim_roles();
  const std::optional<std::size_t> d = dims::axis_index(dim, roles.size());
  if (!d) {
    fail_at(pos, fmt::format("{} {} is out of range for a {}-D tensor (batch first)", field, dim,
                             roles.size()));
  }
  if (*d == 0) {
    fail_at(pos, fmt::format("{} {} is the batch axis", field, dim));
  }
  return roles[*d];
}

// layernorm normalizes the channel axis at each position (wherever it is),
// or the channels and every position of a (N, C, spatial...) tensor.
void Rule::layer_norm(LayerShape& r) {
  const std::int64_t c = in().channels;
  const std::vector<std::int64_t>& shape = layer_.extra->normalized_shape;
  std::int64_t normalized = c;
  if (!shape.empty()) {
    normalized = product(shape);
    const bool all = in().layout == Layout::Spatial && normalized == mul(c, product(in().size)) &&
                     shape.front() == c;
    if (!(shape.size() == 1 && shape[0] == c) && !all) {
      whole(r);  // other trailing dims: the tensor becomes whole
      return;
    }
  }
  r.output = in();
  r.params = layer_.affine.value_or(true) ? mul(normalized, layer_.bias ? 2 : 1) : 0;
}

void Rule::group_norm(LayerShape& r) {
  const std::int64_t c = in().channels;
  const std::int64_t groups = layer_.extra->num_groups;
  check_declared_channels(c);
  if (c % groups != 0) {
    fail_at(pos_of(Field::num_groups),
            fmt::format("num_groups {} does not divide the {} channels of '{}'", groups, c,
                        *inputs_[0].name));
  }
  r.output = in();
  r.params = layer_.affine.value_or(true) ? mul(2, c) : 0;
}

// batchnorm and instancenorm: a scale and shift per channel when affine,
// which PyTorch's InstanceNorm is not by default.
void Rule::channel_norm(LayerShape& r) {
  check_rank_if_spatial();
  check_declared_channels(in().channels);
  r.output = in();
  const bool affine = layer_.affine.value_or(layer_.kind != LayerKind::InstanceNorm);
  r.params = affine ? mul(2, in().channels) : 0;
}

// mean/sum/amax over `dims`. With keepdim the reduced axes stay, at size 1;
// without, the spatial axes must all go (the result is flat).
void Rule::reduce(LayerShape& r) {
  const LayerExtras& x = *layer_.extra;
  const bool batch =
      std::any_of(x.dims.begin(), x.dims.end(), [&](std::int64_t d) { return names_batch(d); });
  if (batch || x.dims.empty() || in().is_tokens()) {
    whole(r);  // the rule on roles: over tokens, every position is mixed
    return;
  }
  bool channels = false;
  PerAxis<std::int64_t> size = in().size;
  std::vector<bool> reduced(rank(), false);  // a dim named twice counts once
  for (std::int64_t d : x.dims) {
    const int role = role_of_dim(d, Field::dims);
    if (role == -2) {
      channels = true;
    } else {
      reduced[static_cast<std::size_t>(role)] = true;
      size[static_cast<std::size_t>(role)] = 1;
    }
  }
  const auto spatial = static_cast<std::size_t>(std::count(reduced.begin(), reduced.end(), true));
  if (channels && !x.keepdim) {
    whole(r);  // the channel dim goes: (N), (N, L), ... as torch gives them
    return;
  }
  r.output = in();
  r.output.channels = channels ? 1 : in().channels;
  if (x.keepdim || !in().has_positions()) {
    r.output.size = size;
    return;
  }
  if (spatial != rank()) {
    whole(r);  // some spatial axes go: no role model keeps the others
    return;
  }
  r.output.layout = Layout::Flat;
  r.output.size = PerAxis<std::int64_t>();
}

void Rule::channel_shuffle(LayerShape& r) {
  if (in().channels % layer_.groups != 0) {
    fail_at(pos_of(Field::groups), fmt::format("groups {} does not divide the {} channels of '{}'",
                                               layer_.groups, in().channels, *inputs_[0].name));
  }
  r.output = in();
}

dims::Range Rule::slice_range(std::int64_t n) const {
  const LayerExtras& x = *layer_.extra;
  if (x.chunks == 0 && x.sizes.empty()) {
    return dims::slice(n, x.start, x.stop.value_or(n), x.step);
  }
  if (x.chunks > 0 && !x.sizes.empty()) {
    fail("split takes 'chunks' or 'sizes', not both");
  }
  if (x.chunks > 0) {  // torch.chunk: parts of ceil(n / chunks), the last one shorter
    const std::int64_t each = checked::ceil_div(n, x.chunks);
    const std::int64_t start = std::min(n, each * static_cast<std::int64_t>(x.part));
    return dims::slice(n, start, std::min(n, start + each), 1);
  }
  const auto total = std::accumulate(x.sizes.begin(), x.sizes.end(), std::int64_t{0});
  if (total != n) {
    fail_at(pos_of(Field::sizes),
            fmt::format("split sizes add up to {}, but '{}' has {} on that dim", total,
                        *inputs_[0].name, n));
  }
  const std::int64_t start = std::accumulate(
      x.sizes.begin(), x.sizes.begin() + static_cast<long>(x.part), std::int64_t{0});
  return dims::slice(n, start, start + x.sizes[x.part], 1);
}

// PyTorch's slicing of one dim (negative start/stop from the end, clamped);
// a split's part is a slice of the channels (or of `dim`).
void Rule::slice(LayerShape& r) {
  const std::int64_t dim = layer_.extra->dim.value_or(1);
  if (names_batch(dim) || in().is_tokens()) {
    whole(r);
    return;
  }
  const int role = role_of_dim(dim, Field::dim);
  const std::int64_t n = role == -2 ? in().channels : in().size[static_cast<std::size_t>(role)];
  const auto [start, stop, step, count] = slice_range(n);
  if (count == 0) {
    fail(fmt::format("the slice [{}:{}] of '{}' is empty", start, stop, *inputs_[0].name));
  }
  r.output = in();
  if (in().has_positions()) {
    r.window = PerAxis<AxisWindow>(rank(), AxisWindow{});  // kernel 1, stride 1
  }
  if (role == -2) {
    r.output.channels = count;
    return;
  }
  const auto a = static_cast<std::size_t>(role);
  r.output.size[a] = count;
  AxisWindow& w = (*r.window)[a];
  w.stride = step;
  w.pad_lo = -start;
  w.pad_hi = -(n - (start + (count - 1) * step + 1));
}

// pixel_shuffle: C r^k x H x W -> C x rH x rW; pixel_unshuffle the inverse.
// Each is a window of r with stride r (transposed for the shuffle).
void Rule::pixel_shuffle(LayerShape& r) {
  require_spatial();
  const std::int64_t f = layer_.extra->factor;
  const std::int64_t block = product(PerAxis<std::int64_t>(rank(), f));
  if (in().channels % block != 0) {
    fail(fmt::format("pixel_shuffle by {} needs channels divisible by {}, '{}' has {}", f, block,
                     *inputs_[0].name, in().channels));
  }
  r.output = in();
  r.window = PerAxis<AxisWindow>(rank(), AxisWindow{f, f, 1, 0, 0});
  r.output.channels = in().channels / block;
  for (std::int64_t& n : r.output.size) {
    n = mul(n, f);
  }
}

void Rule::pixel_unshuffle(LayerShape& r) {
  require_spatial();
  const std::int64_t f = layer_.extra->factor;
  r.output = in();
  r.window = PerAxis<AxisWindow>(rank(), AxisWindow{f, f, 1, 0, 0});
  for (std::size_t a = 0; a < rank(); ++a) {
    if (in().size[a] % f != 0) {
      fail(fmt::format("pixel_unshuffle by {} needs sizes divisible by {}, '{}' is {}", f, f,
                       *inputs_[0].name, format_size(in().size)));
    }
    r.output.size[a] /= f;
  }
  r.output.channels = mul(in().channels, product(PerAxis<std::int64_t>(rank(), f)));
}

// Only the channel axis moves: to the end (channels last) or back; the
// spatial axes keep their order, so regions are untouched.
void Rule::permute(LayerShape& r) {
  const std::vector<std::int64_t>& order = layer_.extra->dims;
  if (in().is_tokens()) {
    // (N, C, L) <-> (N, L, C): ViT's x.permute(0, 2, 1) / transpose(1, 2).
    const bool swap = order.size() == 3 && order[0] == 0 && (order[1] == 2 || order[1] == -1) &&
                      (order[2] == 1 || order[2] == -2);
    if (!swap) {
      whole(r);
      return;
    }
    r.output = in();
    r.output.put_channels_last(!in().channels_last());
    return;
  }
  const std::vector<int> roles = dim_roles();
  std::vector<bool> used(roles.size());
  std::vector<int> moved;  // the roles in their new order
  int last_spatial = -1;
  bool ok = in().has_positions() && order.size() == roles.size() && order[0] == 0;
  for (std::size_t k = 0; ok && k < order.size(); ++k) {
    const std::optional<std::size_t> d = dims::axis_index(order[k], roles.size());
    ok = d && !used[*d];
    if (ok) {
      used[*d] = true;
      moved.push_back(roles[*d]);
      ok = moved.back() < 0 || moved.back() > last_spatial;
      last_spatial = std::max(last_spatial, moved.back());
    }
  }
  if (!ok) {
    whole(r);  // the spatial axes change order, or the batch moves
    return;
  }
  r.output = in();
  r.output.put_channels_last(moved.back() == -2);
}

}  // namespace netlens::shape
