#include "engine/roles.h"

#include <algorithm>

namespace netlens::roles {

namespace {

constexpr DimRole kBatch{Role::Batch, 0};
constexpr DimRole kFeatures{Role::Features, 0};
constexpr DimRole kGrid{Role::Grid, 0};

DimRole spatial(std::size_t axis) { return {Role::Spatial, static_cast<std::uint8_t>(axis)}; }

// The roles of a run of input dims that became a run of output dims.
void map_run(const Roles& from, std::size_t first, std::size_t last, const Dims& out,
             std::size_t out_first, std::size_t out_last, const PerAxis<std::int64_t>& grid,
             std::int64_t extra_tokens, Roles& to) {
  const std::size_t ins = last - first;
  const std::size_t outs = out_last - out_first;
  auto fill = [&](DimRole r) { to.insert(to.end(), outs, r); };
  if (ins == 1 && outs == 1) {
    to.push_back(from[first]);
    return;
  }
  const bool features =
      std::all_of(from.begin() + static_cast<long>(first), from.begin() + static_cast<long>(last),
                  [](DimRole r) { return r.role == Role::Features; });
  if (features) {
    fill(kFeatures);
    return;
  }
  if (outs == 1) {  // the spatial axes, all and in order, into a grid
    bool merged = ins == grid.size();
    for (std::size_t k = 0; merged && k < ins; ++k) {
      merged = from[first + k] == spatial(k);
    }
    fill(merged ? kGrid : DimRole{});
    return;
  }
  if (ins == 1 && from[first].role == Role::Grid && extra_tokens == 0 && outs == grid.size() &&
      std::equal(grid.begin(), grid.end(), out.begin() + static_cast<long>(out_first))) {
    for (std::size_t k = 0; k < outs; ++k) {
      to.push_back(spatial(k));  // tokens back into their grid
    }
    return;
  }
  fill(DimRole{});
}

}  // namespace

Roles of(const Shape& s) {
  if (s.is_whole()) {
    return s.roles.size() == s.dims.size() ? s.roles : Roles(s.dims.size());
  }
  Roles r{kBatch};
  if (!s.has_positions()) {
    r.push_back(kFeatures);
    return r;
  }
  if (!s.channels_last()) {
    r.push_back(kFeatures);
  }
  if (s.is_tokens()) {
    r.push_back(kGrid);
  } else {
    for (std::size_t a = 0; a < s.size.size(); ++a) {
      r.push_back(spatial(a));
    }
  }
  if (s.channels_last()) {
    r.push_back(kFeatures);
  }
  return r;
}

bool positional(DimRole r) {
  return r.role == Role::Spatial || r.role == Role::Grid || r.role == Role::Keys;
}

bool holds_grid(const Roles& r, std::size_t rank) {
  if (rank == 0) {
    return false;
  }
  std::vector<int> held(rank, 0);
  std::size_t grids = 0;
  for (const DimRole d : r) {
    if (d.role == Role::Spatial && d.axis < rank) {
      ++held[d.axis];
    }
    grids += d.role == Role::Grid ? 1 : 0;
  }
  const bool each_once = std::all_of(held.begin(), held.end(), [](int n) { return n == 1; });
  const bool none = std::all_of(held.begin(), held.end(), [](int n) { return n == 0; });
  return (each_once && grids == 0) || (none && grids == 1);
}

Mixing mixing_over(const Roles& mixed, std::size_t rank) {
  if (holds_grid(mixed, rank) ||
      std::any_of(mixed.begin(), mixed.end(), [](DimRole r) { return r.role == Role::Keys; })) {
    return Mixing::Global;
  }
  return std::any_of(mixed.begin(), mixed.end(), positional) ? Mixing::Unknown : Mixing::None;
}

Roles reshape(const Dims& in, const Roles& from, const Dims& out, const PerAxis<std::int64_t>& grid,
              std::int64_t extra_tokens) {
  Roles to;
  const bool empty = std::find(in.begin(), in.end(), 0) != in.end();
  std::size_t i = 0;
  std::size_t j = 0;
  while (!empty && (i < in.size() || j < out.size())) {
    const bool in_one = i < in.size() && in[i] == 1;
    const bool out_one = j < out.size() && out[j] == 1;
    if (in_one && out_one) {
      to.push_back(from[i++]);
      ++j;
    } else if (in_one) {
      ++i;  // a dim of 1 that vanishes
    } else if (out_one || i >= in.size()) {
      to.emplace_back();
      ++j;
    } else if (j >= out.size()) {
      ++i;
    } else {
      std::int64_t a = in[i];
      std::int64_t b = out[j];
      std::size_t i_end = i + 1;
      std::size_t j_end = j + 1;
      while (a != b && i_end <= in.size() && j_end <= out.size()) {
        if (a < b) {
          a = i_end < in.size() ? a * in[i_end] : b + 1;
          ++i_end;
        } else {
          b = j_end < out.size() ? b * out[j_end] : a + 1;
          ++j_end;
        }
      }
      map_run(from, i, std::min(i_end, in.size()), out, j, std::min(j_end, out.size()), grid,
              extra_tokens, to);
      i = i_end;
      j = j_end;
    }
  }
  to.resize(out.size());  // empty tensors, or products that never met: Other
  return to;
}

Roles broadcast(const std::vector<Dims>& dims, const std::vector<Roles>& roles, const Dims& out) {
  Roles to(out.size());
  for (std::size_t k = 0; k < out.size(); ++k) {
    const std::size_t from_end = out.size() - k;
    std::optional<DimRole> agreed;
    bool clash = false;
    for (std::size_t t = 0; t < dims.size(); ++t) {
      const Dims& d = dims[t];
      if (from_end > d.size() || d[d.size() - from_end] != out[k]) {
        continue;  // broadcast on this dim, or no such dim
      }
      const DimRole r = roles[t][d.size() - from_end];
      if (r.role == Role::Other) {
        continue;
      }
      clash = clash || (agreed && *agreed != r);
      agreed = r;
    }
    if (agreed && !clash) {
      to[k] = *agreed;
    }
  }
  return to;
}

std::optional<Shape> as_layout(const Dims& d, const Roles& r, const PerAxis<std::int64_t>& grid,
                               std::int64_t extra_tokens, std::int64_t batch) {
  const std::size_t rank = grid.size();
  if (d.size() < 3 || rank == 0 || !holds_grid(r, rank)) {
    return std::nullopt;
  }
  const bool batch_first =
      d[0] == batch && (r[0].role == Role::Batch || (r[0].role == Role::Other && batch == 1));
  // A dim of 1 that is not a position may hold the channels (an Unsqueeze's).
  const bool first = r[1].role == Role::Features || (r[1].role == Role::Other && d[1] == 1);
  if (!batch_first || (!first && r.back().role != Role::Features)) {
    return std::nullopt;
  }
  const bool last = !first;
  Shape s;
  s.size = grid;
  s.channels = last ? d.back() : d[1];
  const Roles rest(r.begin() + (last ? 1 : 2), r.end() - (last ? 1 : 0));
  if (rest.size() == 1 && rest[0].role == Role::Grid) {
    s.layout = last ? Layout::TokensLast : Layout::Tokens;
    s.extra_tokens = extra_tokens;
    return s;
  }
  for (std::size_t a = 0; a < rest.size(); ++a) {
    if (rest.size() != rank || rest[a] != spatial(a)) {
      return std::nullopt;  // the spatial axes out of order
    }
  }
  s.layout = last ? Layout::ChannelsLast : Layout::Spatial;
  return s;
}

}  // namespace netlens::roles
