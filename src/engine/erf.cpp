#include "engine/erf.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <numeric>
#include <optional>

#include "engine/axis_map.h"
#include "engine/reads.h"

namespace netlens {

namespace {

// The gradient at one node, as pieces: channels [lo, hi) carry the map, the
// others none. Every layer the nets use keeps a piece's channels uniform:
// a unit's own channel, a whole group or the whole tensor; a second piece
// appears where one tensor is read both before and after a channel mix (a
// residual add's unit: its channel 0 through the shortcut, every channel
// through the convs).
struct Piece {
  std::int64_t lo = 0;
  std::int64_t hi = 0;
  ErfMap map;
};

struct Channels {
  std::int64_t lo = 0;
  std::int64_t hi = 0;
  double factor = 1;  // paths per tap from each of these channels
};

std::int64_t volume(const std::int64_t* begin, const std::int64_t* end) {
  return std::accumulate(begin, end, std::int64_t{1}, std::multiplies<>());
}
std::int64_t volume(const PerAxis<std::int64_t>& size) { return volume(size.begin(), size.end()); }

// The map's values as [outer][size[a]][inner]: the positions of the axes
// before `a` and of those after it.
std::pair<std::int64_t, std::int64_t> outer_inner(const ErfMap& m, std::size_t a) {
  return {volume(m.size.begin(), m.size.begin() + a), volume(m.size.begin() + a + 1, m.size.end())};
}

// Keeps the largest value near 1: multiplying by channel counts and tap
// counts layer after layer would leave double's range after some hundreds
// of layers.
void rescale(ErfMap& m) {
  double top = 0;
  for (double v : m.values) {
    top = std::max(top, std::abs(v));
  }
  if (top > 0x1p900 || (top > 0 && top < 0x1p-900)) {
    const int e = std::ilogb(top);
    for (double& v : m.values) {
      v = std::ldexp(v, -e);
    }
    m.exp2 += e;
  }
}

// Applies the transpose of an axis's taps: the map over output units
// becomes one over the input units they read (zero padding's taps dropped,
// reflect and replicate padding's on the pixels they copy).
void through_axis(ErfMap& m, std::size_t a, const AxisMap& taps) {
  struct Entry {
    std::int64_t o;
    std::int64_t i;
    double w;
  };
  std::vector<Entry> entries;
  std::int64_t lo = INT64_MAX;
  std::int64_t hi = INT64_MIN;
  for (std::int64_t o = m.origin[a]; o < m.origin[a] + m.size[a]; ++o) {
    taps.weighted_taps(o, [&](std::int64_t tap, double w) {
      const std::int64_t i = taps.source(tap);
      if (i >= 0 && i < taps.n_in && w != 0) {
        entries.push_back({o - m.origin[a], i, w});
        lo = std::min(lo, i);
        hi = std::max(hi, i);
      }
    });
  }
  if (entries.empty()) {
    m.size[a] = 0;
    m.values.clear();
    return;
  }
  const auto [outer, inner] = outer_inner(m, a);
  const std::int64_t n_old = m.size[a];
  const std::int64_t n_new = hi - lo + 1;
  std::vector<double> out(static_cast<std::size_t>(outer * n_new * inner), 0.0);
  for (std::int64_t p = 0; p < outer; ++p) {
    for (const Entry& e : entries) {
      const double* src = &m.values[static_cast<std::size_t>((p * n_old + e.o) * inner)];
      double* dst = &out[static_cast<std::size_t>((p * n_new + e.i - lo) * inner)];
      for (std::int64_t q = 0; q < inner; ++q) {
        dst[q] += e.w * src[q];
      }
    }
  }
  m.origin[a] = lo;
  m.size[a] = n_new;
  m.values = std::move(out);
}

// a += b over the union of their boxes, at the larger of their scales.
void add_map(ErfMap& a, const ErfMap& b) {
  if (b.values.empty()) {
    return;
  }
  if (a.values.empty()) {
    a = b;
    return;
  }
  ErfMap sum;
  sum.exp2 = std::max(a.exp2, b.exp2);
  for (std::size_t x = 0; x < a.origin.size(); ++x) {
    const std::int64_t lo = std::min(a.origin[x], b.origin[x]);
    sum.origin.push_back(lo);
    sum.size.push_back(std::max(a.origin[x] + a.size[x], b.origin[x] + b.size[x]) - lo);
  }
  sum.values.assign(static_cast<std::size_t>(volume(sum.size)), 0.0);
  for (const ErfMap* m : {static_cast<const ErfMap*>(&a), &b}) {
    const int shift = static_cast<int>(m->exp2 - sum.exp2);
    const std::size_t rank = m->size.size();
    PerAxis<std::int64_t> idx(rank, 0);
    for (double v : m->values) {
      std::int64_t flat = 0;
      for (std::size_t x = 0; x < rank; ++x) {
        flat = flat * sum.size[x] + idx[x] + m->origin[x] - sum.origin[x];
      }
      sum.values[static_cast<std::size_t>(flat)] += std::ldexp(v, shift);
      for (std::size_t x = rank; x-- > 0;) {
        if (++idx[x] < m->size[x]) {
          break;
        }
        idx[x] = 0;
      }
    }
  }
  a = std::move(sum);
}

void add_piece(std::vector<Piece>& pieces, Piece p) {
  for (Piece& q : pieces) {
    if (q.lo == p.lo && q.hi == p.hi) {
      add_map(q.map, p.map);
      return;
    }
  }
  pieces.push_back(std::move(p));
}

[[noreturn]] void unequal_channels(const Report& r, std::size_t k, std::int64_t lo, std::int64_t hi,
                                   std::string_view why) {
  throw UsageError(fmt::format(
      "layer '{}' has no effective receptive field here: channels {} to {} of its output {}",
      r.layer(k - 1).name, lo, hi - 1, why));
}

// How a kind's output channels carry paths from its input's (layer_kinds.def's
// erf column).
enum class ErfChannels : std::uint8_t { Same, Grouped, Dense, Concat, Reduce, Moves, Attends };

ErfChannels erf_channels(LayerKind kind) {
  using enum ErfChannels;
  static constexpr std::array<ErfChannels, kLayerKinds> kChannels{
#define NETLENS_KIND(kind, shape, whole, cost, erf) erf,
#include "model/layer_kinds.def"
#undef NETLENS_KIND
  };
  return kChannels[static_cast<std::size_t>(kind)];
}

// Which channels of input `in` of layer k carry the paths of its channels
// [lo, hi), and how many paths each of their taps adds.
std::vector<Channels> channels_in(const Report& r, std::size_t k, std::size_t in, std::int64_t lo,
                                  std::int64_t hi) {
  const Layer& layer = r.layer(k - 1);
  const LayerReport& lr = r.layers[k - 1];
  const std::int64_t c_out = lr.output.channels;
  const std::int64_t c_in = r.node_shape(in).channels;
  const ErfChannels how = erf_channels(layer.kind);
  switch (how) {
    case ErfChannels::Grouped: {
      const std::int64_t go = c_out / layer.groups;
      const std::int64_t gi = c_in / layer.groups;
      const std::int64_t first = lo / go;
      const std::int64_t last = (hi - 1) / go;
      if (first == last) {
        return {{first * gi, (first + 1) * gi, static_cast<double>(hi - lo)}};
      }
      if (lo % go != 0 || hi % go != 0) {
        unequal_channels(r, k, lo, hi, "cover its groups unequally");
      }
      return {{first * gi, (last + 1) * gi, static_cast<double>(go)}};
    }
    case ErfChannels::Dense:  // a linear on a channels-last tensor, at each position
      return {{0, c_in, static_cast<double>(hi - lo)}};
    case ErfChannels::Concat: {
      std::vector<Channels> out;
      std::int64_t offset = 0;
      for (std::size_t node : lr.inputs) {
        const std::int64_t c = r.node_shape(node).channels;
        const std::int64_t a = std::max(lo, offset);
        const std::int64_t b = std::min(hi, offset + c);
        if (node == in && a < b) {
          out.push_back({a - offset, b - offset, 1});
        }
        offset += c;
      }
      return out;
    }
    case ErfChannels::Same:
    case ErfChannels::Reduce:
    case ErfChannels::Moves:
    case ErfChannels::Attends:
      break;
  }
  if (c_in == c_out) {
    return {{lo, hi, 1}};
  }
  if (c_in == 1) {  // broadcast over the channels
    return {{0, 1, static_cast<double>(hi - lo)}};
  }
  if (how == ErfChannels::Reduce && c_out == 1) {
    return {{0, c_in, 1}};
  }
  unequal_channels(r, k, lo, hi,
                   fmt::format("come from {} input channels in a way paths do not follow", c_in));
}

std::string own_reason(const Report& r, std::size_t i) {
  const Layer& layer = r.layer(i);
  const LayerReport& lr = r.layers[i];
  if (lr.rf_unknown) {
    return "which input positions it reads is unknown";
  }
  if (lr.global_rf || (!lr.output.has_positions() && !lr.output.is_whole())) {
    return "it sees the whole input (global)";
  }
  const auto whole = [&](std::size_t in) {  // a constant carries no paths
    return r.node_shape(in).is_whole() && (in == 0 || !r.layers[in - 1].reads_nothing);
  };
  if (lr.output.is_whole() || std::any_of(lr.inputs.begin(), lr.inputs.end(), whole)) {
    return "paths are followed through channels, and a whole tensor's dims are not channels";
  }
  switch (erf_channels(layer.kind)) {
    case ErfChannels::Moves:
      return fmt::format(
          "{} moves positions between channels, so a unit's paths depend on its channel",
          layer.type);
    case ErfChannels::Attends:
      return "attention's weights depend on the input, not on a kernel of ones";
    case ErfChannels::Same:
    case ErfChannels::Grouped:
    case ErfChannels::Dense:
    case ErfChannels::Concat:
    case ErfChannels::Reduce:
      return {};
  }
  return {};
}

ErfMap propagate(const Report& r, std::size_t layer, const PerAxis<std::int64_t>& unit) {
  std::vector<std::vector<Piece>> grad(layer + 2);
  Piece start{0, 1, {}};
  start.map.origin = unit;
  start.map.size = PerAxis<std::int64_t>(unit.size(), 1);
  start.map.values = {1.0};
  grad[layer + 1].push_back(std::move(start));
  for (std::size_t k = layer + 1; k >= 1; --k) {
    if (grad[k].empty()) {
      continue;
    }
    const Layer& l = r.layer(k - 1);
    const LayerReport& lr = r.layers[k - 1];
    std::vector<std::size_t> inputs = local_inputs(r, l, lr);
    if (erf_channels(l.kind) == ErfChannels::Concat) {  // channels_in gives every place it is
      std::sort(inputs.begin(), inputs.end());
      inputs.erase(std::unique(inputs.begin(), inputs.end()), inputs.end());
    }
    for (const Piece& p : grad[k]) {
      for (std::size_t in : inputs) {
        const Shape& in_shape = r.node_shape(in);
        for (const Channels& c : channels_in(r, k, in, p.lo, p.hi)) {
          Piece q{c.lo, c.hi, p.map};
          for (double& v : q.map.values) {
            v *= c.factor;
          }
          for (std::size_t a = 0; a < unit.size() && !q.map.values.empty(); ++a) {
            through_axis(q.map, a, axis_map(l, lr, in_shape, a));
          }
          if (!q.map.values.empty()) {
            rescale(q.map);
            add_piece(grad[in], std::move(q));
          }
        }
      }
    }
    grad[k].clear();
    grad[k].shrink_to_fit();
  }
  ErfMap total;  // paths from every channel of the input
  for (Piece& p : grad[0]) {
    for (double& v : p.map.values) {
      v *= static_cast<double>(p.hi - p.lo);
    }
    add_map(total, p.map);
  }
  if (total.values.empty()) {  // only padding reaches the unit
    total.origin = unit;
    total.size = PerAxis<std::int64_t>(unit.size(), 0);
  }
  rescale(total);
  return total;
}

// Per layer (index into report.layers): why it has no map, or empty when it
// has one. Global layers have none, nor layers that mix channels into
// positions (pixel shuffles, patch merging) or read one that has none.
std::vector<std::string> erf_unavailable(const Report& report) {
  const std::size_t n = report.layers.size();
  std::vector<std::string> why(n);
  std::vector<std::size_t> root(n);  // the layer whose own reason it is
  for (std::size_t i = 0; i < n; ++i) {
    why[i] = own_reason(report, i);
    root[i] = i;
    for (std::size_t in : local_inputs(report, report.layer(i), report.layers[i])) {
      if (!why[i].empty()) {
        break;
      }
      if (in != 0 && !why[in - 1].empty()) {
        const std::size_t r = root[in - 1];
        const std::string& own = why[r];
        root[i] = r;
        why[i] = r == in - 1 ? fmt::format("it reads layer '{}', which has none: {}",
                                           report.node_name(in), own)
                             : fmt::format(
                                   "it reads layer '{}', which depends on layer '{}', "
                                   "which has none: {}",
                                   report.node_name(in), report.layer(r).name, own);
      }
    }
  }
  return why;
}

// The map's marginal on `axis`: the paths of each position of its box.
std::vector<double> marginal_of(const ErfMap& map, std::size_t axis) {
  const std::int64_t n = map.size[axis];
  const auto [outer, inner] = outer_inner(map, axis);
  std::vector<double> marginal(static_cast<std::size_t>(n), 0.0);
  for (std::int64_t p = 0; p < outer; ++p) {
    for (std::int64_t x = 0; x < n; ++x) {
      for (std::int64_t q = 0; q < inner; ++q) {
        marginal[static_cast<std::size_t>(x)] +=
            map.values[static_cast<std::size_t>((p * n + x) * inner + q)];
      }
    }
  }
  return marginal;
}

// Twice the paths' weighted centre on the axis, rounded to a whole number
// (the centre to the half pixel, halves rounded up).
std::int64_t weighted_centre2(const std::vector<double>& marginal, std::int64_t first) {
  double total = 0;
  double moment = 0;
  for (std::size_t x = 0; x < marginal.size(); ++x) {
    total += marginal[x];
    moment += marginal[x] * static_cast<double>(x);
  }
  return 2 * first + static_cast<std::int64_t>(std::floor(2 * moment / total + 0.5));
}

// erfP on `axis`: the smallest radius r, centre + r a whole number, such that
// the map's marginal on the axis holds at least `percent`% of the total in
// [centre - r, centre + r]. `centre2` is twice the centre.
Ratio erf_radius(const ErfMap& map, std::size_t axis, const std::vector<double>& marginal,
                 std::int64_t centre2, int percent) {
  const std::int64_t n = map.size[axis];
  const double total = std::accumulate(marginal.begin(), marginal.end(), 0.0);
  const std::int64_t first = map.origin[axis];
  const std::int64_t last = first + n - 1;
  for (std::int64_t r2 = centre2 % 2 == 0 ? 0 : 1;; r2 += 2) {
    // Positions x with centre - r <= x <= centre + r; both ends are whole.
    const std::int64_t lo = (centre2 - r2) / 2;
    const std::int64_t hi = (centre2 + r2) / 2;
    double within = 0;
    for (std::int64_t x = std::max(lo, first); x <= std::min(hi, last); ++x) {
      within += marginal[static_cast<std::size_t>(x - first)];
    }
    if (within * 100 >= percent * total || (lo <= first && hi >= last)) {
      return *Ratio::make(r2, 2);
    }
  }
}

// A unit's map with its radii around the paths' weighted centre; without
// paths (only padding reaches the unit), the centre of `theoretical`, the
// unit's theoretical region, and radii 0.
UnitErf with_radii(ErfMap map, const PerAxis<Interval>& theoretical) {
  UnitErf out;
  out.map = std::move(map);
  for (std::size_t a = 0; a < theoretical.size(); ++a) {
    if (out.map.size[a] == 0) {
      out.centre.push_back(*Ratio::make(theoretical[a].lo + theoretical[a].hi, 2));
      out.erf50.push_back(Ratio{});
      out.erf95.push_back(Ratio{});
      continue;
    }
    const std::vector<double> marginal = marginal_of(out.map, a);
    const std::int64_t centre2 = weighted_centre2(marginal, out.map.origin[a]);
    out.centre.push_back(*Ratio::make(centre2, 2));
    out.erf50.push_back(erf_radius(out.map, a, marginal, centre2, 50));
    out.erf95.push_back(erf_radius(out.map, a, marginal, centre2, 95));
  }
  return out;
}

}  // namespace

ErfMap compute_erf(const Report& report, std::size_t layer, const PerAxis<std::int64_t>& unit) {
  const std::string why = erf_unavailable(report)[layer];
  if (!why.empty()) {
    throw UsageError(fmt::format("layer '{}' has no effective receptive field: {}",
                                 report.layer(layer).name, why));
  }
  return propagate(report, layer, unit);
}

UnitErf unit_erf(const Report& report, const UnitLocation& location) {
  return with_radii(compute_erf(report, location.layer, location.unit), location.theoretical);
}

void compute_layer_erfs(Report& report, const NetRegions& regions) {
  report.erf = true;
  const std::vector<std::string> why = erf_unavailable(report);
  for (std::size_t i = 0; i < report.layers.size(); ++i) {
    LayerReport& lr = report.layers[i];
    const auto& axes = regions.layers[i + 1];
    if (!why[i].empty() || !axes) {
      continue;
    }
    PerAxis<std::int64_t> unit;
    PerAxis<Interval> theoretical;
    for (std::size_t a = 0; a < lr.output.size.size(); ++a) {
      unit.push_back((lr.output.size[a] - 1) / 2);
      theoretical.push_back((*axes)[a].theoretical_at(unit[a]));
    }
    try {
      UnitErf e = with_radii(propagate(report, i, unit), theoretical);
      lr.erf50 = std::move(e.erf50);
      lr.erf95 = std::move(e.erf95);
    } catch (const UsageError&) {
      // channels the paths do not follow: no value
    }
  }
}

}  // namespace netlens
