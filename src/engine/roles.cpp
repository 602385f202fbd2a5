#include "engine/roles.h"

#include <algorithm>
#include <span>

namespace netlens::roles {

namespace {

constexpr DimRole kBatch{Role::Batch, 0};
constexpr DimRole kFeatures{Role::Features, 0};
constexpr DimRole kGrid{Role::Grid, 0};

DimRole spatial(std::size_t axis) { return {Role::Spatial, static_cast<std::uint8_t>(axis)}; }

DimRole of_axis(Role role, std::size_t axis) { return {role, static_cast<std::uint8_t>(axis)}; }

// Whether `run` is `role` on every spatial axis in order (each axis once).
bool per_axis(std::span<const DimRole> run, Role role, std::size_t rank) {
  if (run.size() != rank) {
    return false;
  }
  for (std::size_t k = 0; k < rank; ++k) {
    if (run[k] != of_axis(role, k)) {
      return false;
    }
  }
  return true;
}

std::int64_t positions(const PerAxis<std::int64_t>& grid) {
  std::int64_t n = 1;
  for (const std::int64_t s : grid) {
    n *= s;  // no overflow: the engine counted the tensor's elements
  }
  return n;
}

// What a reshape knows of the positions: the grid, the extra tokens, the
// windows the spatial axes are split into (0: not split).
struct Positions {
  const PerAxis<std::int64_t>& grid;
  std::int64_t extra_tokens;
  PerAxis<std::int64_t>& window;
};

// The role of several dims merged into one.
DimRole merged(std::span<const DimRole> run, const Positions& p) {
  const std::size_t rank = p.grid.size();
  const auto all = [&](Role r) {
    return std::all_of(run.begin(), run.end(), [&](DimRole d) { return d.role == r; });
  };
  if (all(Role::Features)) {
    return kFeatures;
  }
  if (per_axis(run, Role::Spatial, rank)) {
    return kGrid;  // the spatial axes, all and in order: tokens
  }
  const bool batch = !run.empty() && run[0].role == Role::Batch;
  if (per_axis(run.subspan(batch ? 1 : 0), Role::Window, rank)) {
    return {Role::Windows, 0};  // Swin's windows, the batch's included
  }
  if (per_axis(run, Role::Cell, rank)) {
    return {Role::Cells, 0};
  }
  if (run.size() == 2 && run[0].role == Role::Window &&
      run[1] == of_axis(Role::Cell, run[0].axis)) {
    return spatial(run[0].axis);  // the windows of an axis back into it
  }
  return {};
}

// The roles of one dim split into `out`.
void split(DimRole from, std::span<const std::int64_t> out, const Positions& p, Roles& to) {
  const std::size_t rank = p.grid.size();
  const auto axes_are = [&](Role role, std::span<const std::int64_t> sizes, auto size_of) {
    if (sizes.size() != rank) {
      return false;
    }
    for (std::size_t k = 0; k < rank; ++k) {
      if (p.window[k] == 0 || sizes[k] != size_of(k)) {
        return false;
      }
    }
    for (std::size_t k = 0; k < rank; ++k) {
      to.push_back(of_axis(role, k));
    }
    return true;
  };
  if (from.role == Role::Features) {
    to.insert(to.end(), out.size(), kFeatures);
    return;
  }
  if (from.role == Role::Grid && p.extra_tokens == 0 && out.size() == rank &&
      std::equal(p.grid.begin(), p.grid.end(), out.begin())) {
    for (std::size_t k = 0; k < rank; ++k) {
      to.push_back(spatial(k));  // tokens back into their grid
    }
    return;
  }
  const std::size_t k = from.axis;
  if (from.role == Role::Spatial && out.size() == 2 &&
      (p.window[k] == 0 || p.window[k] == out[1])) {
    p.window[k] = out[1];  // (which window, where in it): Swin's partition
    to.push_back(of_axis(Role::Window, k));
    to.push_back(of_axis(Role::Cell, k));
    return;
  }
  if (from.role == Role::Windows) {
    const bool batch = out.size() == rank + 1;
    if (batch) {
      to.push_back(kBatch);
    }
    if (axes_are(Role::Window, out.subspan(batch ? 1 : 0),
                 [&](std::size_t a) { return p.grid[a] / p.window[a]; })) {
      return;
    }
    to.resize(to.size() - (batch ? 1 : 0));
  }
  if (from.role == Role::Cells &&
      axes_are(Role::Cell, out, [&](std::size_t a) { return p.window[a]; })) {
    return;
  }
  to.insert(to.end(), out.size(), DimRole{});
}

// The roles of a run of input dims that became a run of output dims.
void map_run(const Roles& from, std::size_t first, std::size_t last, const Dims& out,
             std::size_t out_first, std::size_t out_last, const Positions& p, Roles& to) {
  const std::span<const DimRole> run(from.data() + first, last - first);
  const std::span<const std::int64_t> made(out.data() + out_first, out_last - out_first);
  const std::size_t rank = p.grid.size();
  if (run.size() == 1 && made.size() == 1) {
    to.push_back(run[0]);
  } else if (made.size() == 1) {
    to.push_back(merged(run, p));
  } else if (run.size() == 1) {
    split(run[0], made, p, to);
  } else if (made.size() == 2 && run.size() == rank + 1 && run[0] == kFeatures &&
             per_axis(run.subspan(1), Role::Spatial, rank) && made[1] % positions(p.grid) == 0) {
    to.push_back(kFeatures);  // [N, C, H, W] to [N, G, C/G x H x W]: GroupNorm's groups
    to.push_back({Role::GroupGrid, 0});
  } else if (run.size() == 2 && run[0] == kFeatures && run[1].role == Role::GroupGrid &&
             made.size() == rank + 1 &&
             std::equal(p.grid.begin(), p.grid.end(), made.begin() + 1)) {
    to.push_back(kFeatures);  // the groups back into channels, over the grid
    for (std::size_t k = 0; k < rank; ++k) {
      to.push_back(spatial(k));
    }
  } else {
    to.insert(to.end(), made.size(), merged(run, p).role == Role::Features ? kFeatures : DimRole{});
  }
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
  return r.role != Role::Other && r.role != Role::Batch && r.role != Role::Features;
}

// Each spatial axis once: a Spatial dim, its window and cell dims (alone or
// flattened over every axis), or the one Grid.
bool holds_grid(const Roles& r, std::size_t rank) {
  if (rank == 0) {
    return false;
  }
  const auto count = [&](DimRole d) { return std::count(r.begin(), r.end(), d); };
  const long grids = count(kGrid) + count({Role::GroupGrid, 0});
  const long windows = count({Role::Windows, 0});
  const long cells = count({Role::Cells, 0});
  for (std::size_t k = 0; k < rank; ++k) {
    const long window = windows + count(of_axis(Role::Window, k));
    const long cell = cells + count(of_axis(Role::Cell, k));
    const long split = window == 1 && cell == 1 ? 1 : window + cell == 0 ? 0 : 2;
    if (count(spatial(k)) + split + grids != 1) {
      return false;
    }
  }
  return true;
}

Mixing mixing_over(const Roles& mixed, std::size_t rank) {
  const auto any = [&](Role role) {
    return std::any_of(mixed.begin(), mixed.end(), [&](DimRole r) { return r.role == role; });
  };
  if (holds_grid(mixed, rank) || any(Role::Keys)) {
    return Mixing::Global;
  }
  const bool others = std::any_of(mixed.begin(), mixed.end(), [](DimRole r) {
    return positional(r) && r.role != Role::Cells && r.role != Role::KeyCells;
  });
  if ((any(Role::Cells) || any(Role::KeyCells)) && !others) {
    return Mixing::Windowed;  // the cells of each window: Swin's attention
  }
  return std::any_of(mixed.begin(), mixed.end(), positional) ? Mixing::Unknown : Mixing::None;
}

Roles reshape(const Dims& in, const Roles& from, const Dims& out, const PerAxis<std::int64_t>& grid,
              std::int64_t extra_tokens, PerAxis<std::int64_t>& window) {
  if (window.size() != grid.size()) {
    window = PerAxis<std::int64_t>(grid.size(), 0);
  }
  const Positions p{grid, extra_tokens, window};
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
      map_run(from, i, std::min(i_end, in.size()), out, j, std::min(j_end, out.size()), p, to);
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
