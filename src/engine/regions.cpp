#include "engine/regions.h"

#include <fmt/format.h>

#include <cmath>
#include <span>

#include "engine/reads.h"
#include "model/checked.h"

namespace netlens {

namespace {

using checked::ceil_div;
using checked::floor_div;

enum class TapKind {
  Window,
  Transposed,
  Nearest,
  NearestExact,
  Bilinear,
  Bicubic,
  Adaptive,
  Windowed,
  Identity
};

// How the units of one output axis read the units of one input axis.
struct AxisMap {
  TapKind kind = TapKind::Identity;
  AxisWindow w;
  double scale_factor = 1;  // output units per input unit
  // Input units per output unit as PyTorch's kernels compute it (in float):
  // 1 / scale_factor as given, or in / out when the size is given.
  float src_scale = 1;
  bool align_corners = false;
  std::int64_t shift = 0;   // windowed: the roll, 0 where the window covers the axis
  std::int64_t padded = 0;  // windowed: the axis padded to whole windows
  std::int64_t n_in = 0;
  std::int64_t n_out = 0;

  bool real_out(std::int64_t o) const { return o >= 0 && o < n_out; }

  // Calls f(i) for every input unit that unit o reads.
  template <class F>
  void taps(std::int64_t o, F&& f) const {
    switch (kind) {
      case TapKind::Window:
        for (std::int64_t t = 0; t < w.kernel; ++t) {
          f(o * w.stride - w.pad_lo + t * w.dilation);
        }
        return;
      case TapKind::Transposed:
        // out[i * s - lo + t * d] += in[i] * k[t]
        for (std::int64_t t = w.kernel - 1; t >= 0; --t) {
          const std::int64_t num = o + w.pad_lo - t * w.dilation;
          if (floor_div(num, w.stride) * w.stride == num) {
            f(num / w.stride);
          }
        }
        return;
      case TapKind::Nearest:
        f(nearest(o));
        return;
      case TapKind::NearestExact:
        f(real_out(o) ? std::min(static_cast<std::int64_t>(
                                     std::floor((static_cast<float>(o) + 0.5F) * src_scale)),
                                 n_in - 1)
                      : static_cast<std::int64_t>(
                            std::floor((static_cast<double>(o) + 0.5) / scale_factor)));
        return;
      case TapKind::Bilinear:
        bilinear(o, f);
        return;
      case TapKind::Bicubic:
        bicubic(o, f);
        return;
      case TapKind::Adaptive: {
        const std::int64_t end = ceil_div((o + 1) * n_in, n_out);
        for (std::int64_t i = floor_div(o * n_in, n_out); i < end; ++i) {
          f(i);
        }
        return;
      }
      case TapKind::Windowed:
        windowed(o, f);
        return;
      case TapKind::Identity:
        f(o);
        return;
    }
  }

  // torchvision's shifted_window_attention on one axis: rolled by -shift,
  // unit j of the rolled axis attends to the units of its window that the
  // mask leaves it (same label: before the last window, or the last window's
  // part before or after the roll's seam); read back at j + shift. Padding
  // units (n_in and up) are virtual, as a conv's padding.
  template <class F>
  void windowed(std::int64_t o, F&& f) const {
    if (!real_out(o)) {
      f(o);
      return;
    }
    const std::int64_t size = w.kernel;
    const auto label = [&](std::int64_t j) {
      return shift == 0 ? 0 : j < padded - size ? 0 : j < padded - shift ? 1 : 2;
    };
    const std::int64_t j = ((o - shift) % padded + padded) % padded;
    const std::int64_t first = j / size * size;
    for (std::int64_t t = first; t < first + size; ++t) {
      if (label(t) == label(j)) {
        f((t + shift) % padded);
      }
    }
  }

  // PyTorch's CPU kernel (float arithmetic, clamped) for real units; the same
  // rule unclamped for virtual ones.
  std::int64_t nearest(std::int64_t o) const {
    if (!real_out(o)) {
      return static_cast<std::int64_t>(std::floor(static_cast<double>(o) / scale_factor));
    }
    if (n_out == n_in) {
      return o;
    }
    if (n_out == 2 * n_in) {
      return o >> 1;
    }
    const auto i = static_cast<std::int64_t>(std::floor(static_cast<float>(o) * src_scale));
    return std::min(i, n_in - 1);
  }

  // Source x = (o + 0.5) / s - 0.5 clamped at 0, or with align_corners
  // o * (n_in - 1) / (n_out - 1) (the corners line up); reads floor(x) and,
  // with a non-zero weight, the next unit. Real units in PyTorch's float
  // arithmetic, virtual ones by the same rule in double, unclamped.
  template <class F>
  void bilinear(std::int64_t o, F&& f) const {
    const double corners =
        n_out > 1 ? static_cast<double>(n_in - 1) / static_cast<double>(n_out - 1) : 0.0;
    if (!real_out(o)) {
      const double src = align_corners ? static_cast<double>(o) * corners
                                       : (static_cast<double>(o) + 0.5) / scale_factor - 0.5;
      const auto i0 = static_cast<std::int64_t>(std::floor(src));
      f(i0);
      if (src > static_cast<double>(i0)) {
        f(i0 + 1);
      }
      return;
    }
    const float src = align_corners
                          ? static_cast<float>(corners) * static_cast<float>(o)
                          : std::max(src_scale * (static_cast<float>(o) + 0.5F) - 0.5F, 0.0F);
    const auto i0 = static_cast<std::int64_t>(src);
    f(i0);
    if (i0 < n_in - 1 && src - static_cast<float>(i0) > 0.0F) {
      f(i0 + 1);
    }
  }

  // x = (o + 0.5) / s - 0.5, not clamped (or o (n_in - 1) / (n_out - 1));
  // taps floor(x) - 1 .. floor(x) + 2, clamped into the input, of which only
  // floor(x) has a non-zero weight when x is whole.
  template <class F>
  void bicubic(std::int64_t o, F&& f) const {
    std::int64_t i0 = 0;
    bool whole = false;
    if (!real_out(o)) {
      const double src = align_corners
                             ? static_cast<double>(o) * static_cast<double>(n_in - 1) /
                                   static_cast<double>(std::max<std::int64_t>(n_out - 1, 1))
                             : (static_cast<double>(o) + 0.5) / scale_factor - 0.5;
      i0 = static_cast<std::int64_t>(std::floor(src));
      whole = src == static_cast<double>(i0);
    } else {
      const float corners =
          n_out > 1 ? static_cast<float>(n_in - 1) / static_cast<float>(n_out - 1) : 0.0F;
      const float src = align_corners ? corners * static_cast<float>(o)
                                      : src_scale * (static_cast<float>(o) + 0.5F) - 0.5F;
      i0 = static_cast<std::int64_t>(std::floor(src));
      whole = src == static_cast<float>(i0);
    }
    const auto clamp = [&](std::int64_t i) {
      return real_out(o) ? std::clamp<std::int64_t>(i, 0, n_in - 1) : i;
    };
    for (std::int64_t t = whole ? 0 : -1; t <= (whole ? 0 : 2); ++t) {
      f(clamp(i0 + t));
    }
  }

  // A superset of the input units that units a..b read.
  std::pair<std::int64_t, std::int64_t> input_range(std::int64_t a, std::int64_t b) const {
    if (kind == TapKind::Transposed) {
      return {floor_div(a + w.pad_lo - (w.kernel - 1) * w.dilation, w.stride),
              floor_div(b + w.pad_lo, w.stride)};
    }
    std::int64_t lo = INT64_MAX;
    std::int64_t hi = INT64_MIN;
    for (std::int64_t o : {a, b}) {
      taps(o, [&](std::int64_t i) {
        lo = std::min(lo, i);
        hi = std::max(hi, i);
      });
    }
    return {lo - 1, hi + 1};
  }
};

AxisMap axis_map(const Layer& layer, const LayerReport& lr, const Shape& in, std::size_t a) {
  AxisMap m;
  m.n_in = in.size[a];
  m.n_out = lr.output.size[a];
  switch (reads_of(layer, lr)) {
    case Reads::Window:
      m.kind = TapKind::Window;
      m.w = (*lr.window)[a];
      break;
    case Reads::Transposed:
      m.kind = TapKind::Transposed;
      m.w = (*lr.window)[a];
      break;
    case Reads::Resample: {
      static constexpr TapKind kByMode[] = {TapKind::Nearest, TapKind::NearestExact,
                                            TapKind::Bilinear, TapKind::Bicubic};
      m.kind = kByMode[static_cast<std::size_t>(layer.mode)];
      const bool by_size = !layer.extra->scale_factor.given || layer.extra->recompute_scale_factor;
      m.scale_factor = by_size ? static_cast<double>(m.n_out) / static_cast<double>(m.n_in)
                               : layer.extra->scale_factor.at(a);
      m.src_scale = by_size ? static_cast<float>(m.n_in) / static_cast<float>(m.n_out)
                            : static_cast<float>(1.0 / m.scale_factor);
      m.align_corners = layer.align_corners;
      break;
    }
    case Reads::Adaptive:
      m.kind = TapKind::Adaptive;
      break;
    case Reads::Windowed: {
      m.kind = TapKind::Windowed;
      const LayerExtras& x = *layer.extra;
      m.w.kernel = x.window_size.at(a);
      m.padded = checked::ceil_div(m.n_in, m.w.kernel) * m.w.kernel;
      m.shift = x.shift_size.given && m.w.kernel < m.padded ? x.shift_size.at(a) : 0;
      break;
    }
    case Reads::Everything:
    case Reads::Same:
    case Reads::Union:
      m.kind = TapKind::Identity;
      break;
  }
  return m;
}

// The three passes of compute_regions over one report.
class RegionPass {
 public:
  RegionPass(Report& report, bool keep_all)
      : r_(report),
        keep_all_(keep_all),
        count_(report.layers.size()),
        rank_(report.input.size.size()) {}

  NetRegions run() {
    inputs_.resize(count_ + 1);
    for (std::size_t k = 1; k <= count_; ++k) {
      inputs_[k] = local_inputs(r_, r_.layer(k - 1), r_.layers[k - 1]);
    }
    find_needed_ranges();
    check_budget();
    out_.layers.resize(count_ + 1);
    for (std::size_t k = 1; k <= count_; ++k) {
      fill_layer(k);
    }
    return std::move(out_);
  }

 private:
  using Range = std::pair<std::int64_t, std::int64_t>;

  bool tracked(std::size_t node) const {
    return node == 0 || !(r_.layers[node - 1].global_rf || r_.layers[node - 1].output.flat);
  }
  const std::vector<std::size_t>& inputs_of(std::size_t k) const { return inputs_[k]; }
  AxisMap map_of(std::size_t k, std::size_t in, std::size_t a) const {
    return axis_map(r_.layer(k - 1), r_.layers[k - 1], r_.node_shape(in), a);
  }
  Interval theoretical(std::size_t node, std::size_t a, std::int64_t i) const {
    return node == 0 ? Interval{i, i} : (*out_.layers[node])[a].theoretical_at(i);
  }
  Interval actual(std::size_t node, std::size_t a, std::int64_t i) const {
    if (i < 0 || i >= r_.node_shape(node).size[a]) {
      return Interval{};  // padding: no pixel behind it
    }
    return node == 0 ? Interval{i, i} : (*out_.layers[node])[a].actual_at(i);
  }
  void find_needed_ranges();
  void check_budget() const;
  void fill_layer(std::size_t k);
  AxisRegions fill_axis(std::size_t k, std::size_t a);

  Report& r_;
  bool keep_all_;
  std::size_t count_;
  std::size_t rank_;
  std::vector<std::vector<std::size_t>> inputs_;  // per layer: local_inputs()
  std::vector<PerAxis<Range>> needed_;            // per node: the units to cover, per axis
  std::vector<std::size_t> last_use_;             // per node: its last consumer
  NetRegions out_;
};

// Backward: the unit range each node must cover (real units plus the virtual
// ones its consumers' windows reach), and each node's last consumer.
void RegionPass::find_needed_ranges() {
  needed_.assign(count_ + 1, {});
  last_use_.assign(count_ + 1, 0);
  for (std::size_t node = 0; node <= count_; ++node) {
    const Shape& s = r_.node_shape(node);
    for (std::size_t a = 0; a < rank_; ++a) {
      needed_[node].push_back({0, s.flat ? 0 : s.size[a] - 1});
    }
  }
  for (std::size_t k = count_; k >= 1; --k) {
    if (!tracked(k)) {
      continue;
    }
    for (std::size_t in : inputs_of(k)) {
      last_use_[in] = std::max(last_use_[in], k);
      for (std::size_t a = 0; a < rank_; ++a) {
        const auto [lo, hi] =
            map_of(k, in, a).input_range(needed_[k][a].first, needed_[k][a].second);
        needed_[in][a].first = std::min(needed_[in][a].first, lo);
        needed_[in][a].second = std::max(needed_[in][a].second, hi);
      }
    }
  }
}

// Nothing is allocated before the total is known to fit.
void RegionPass::check_budget() const {
  std::int64_t units = 0;
  for (std::size_t node = 1; node <= count_; ++node) {
    for (std::size_t a = 0; a < rank_ && tracked(node); ++a) {
      const auto span = checked::sub(needed_[node][a].second, needed_[node][a].first);
      const auto total = span ? checked::add(units, *span + 1) : std::nullopt;
      units = total && *total <= kMaxRegionUnits ? *total : kMaxRegionUnits + 1;
    }
    if (units > kMaxRegionUnits) {
      const Layer& layer = r_.layer(node - 1);
      throw ModelError(r_.net.file, layer.pos, layer.name,
                       fmt::format("unit-by-unit regions would need more than {} units; use a "
                                   "smaller --input",
                                   kMaxRegionUnits));
    }
  }
}

// Forward: every covered unit's intervals from the taps it reads, united over
// a merge's inputs.
AxisRegions RegionPass::fill_axis(std::size_t k, std::size_t a) {
  AxisRegions r;
  const auto [first, last] = needed_[k][a];
  r.first = first;
  r.theoretical.resize(static_cast<std::size_t>(last - first + 1));
  r.actual.resize(r.theoretical.size());
  for (std::size_t in : inputs_of(k)) {
    const AxisMap m = map_of(k, in, a);
    for (std::int64_t o = first; o <= last; ++o) {
      Interval& theo = r.theoretical[static_cast<std::size_t>(o - first)];
      Interval& act = r.actual[static_cast<std::size_t>(o - first)];
      const bool real = m.real_out(o);
      m.taps(o, [&](std::int64_t i) {
        theo.add(theoretical(in, a, i));
        if (real) {
          act.add(actual(in, a, i));
        }
      });
    }
  }
  return r;
}

// Fills layer k's regions and writes its rf, rf_min and (where units are
// evenly spaced) unit 0's padding_eff and centre into the report.
void RegionPass::fill_layer(std::size_t k) {
  LayerReport& lr = r_.layers[k - 1];
  bool inputs_tracked = tracked(k);
  for (std::size_t in : inputs_of(k)) {
    inputs_tracked = inputs_tracked && (in == 0 || out_.layers[in].has_value());
  }
  if (!inputs_tracked) {
    return;
  }
  PerAxis<AxisRegions> axes;
  for (std::size_t a = 0; a < rank_; ++a) {
    axes.push_back(fill_axis(k, a));
    AxisRf& rf = lr.rf[a];
    if (rf.global) {
      continue;  // pooled to one unit: it sees the whole axis
    }
    std::int64_t widest = 0;
    std::int64_t narrowest = INT64_MAX;
    for (std::int64_t o = 0; o < lr.output.size[a]; ++o) {
      const std::int64_t size = axes[a].theoretical_at(o).size();
      widest = std::max(widest, size);
      narrowest = std::min(narrowest, size);
    }
    rf.rf = widest;
    rf.rf_min = narrowest;
    if (rf.jump) {
      // Unit 0's region: exact even where units differ (after upsampling).
      const Interval zero = axes[a].theoretical_at(0);
      rf.padding_eff = Ratio::of(-zero.lo);
      rf.center_offset = *Ratio::make(2 * zero.lo + zero.size() - 1, 2);
    }
  }
  out_.layers[k] = std::move(axes);
  if (!keep_all_) {
    for (std::size_t in : inputs_of(k)) {
      if (in != 0 && last_use_[in] == k) {
        out_.layers[in].reset();
      }
    }
  }
}

}  // namespace

NetRegions compute_regions(Report& report, bool keep_all) {
  return RegionPass(report, keep_all).run();
}

UnitLocation locate_unit(const Report& report, const NetRegions& regions, std::size_t layer,
                         const PerAxis<std::int64_t>& unit) {
  const LayerReport& lr = report.layers[layer];
  const std::string& name = report.layer(layer).name;
  const auto& axes = regions.layers[layer + 1];
  if (!axes) {
    throw UsageError(
        fmt::format("layer '{}' sees the whole input (global): every unit's region "
                    "is the full input",
                    name));
  }
  if (unit.size() != lr.output.size.size()) {
    throw UsageError(fmt::format("--unit has {} coordinate{}, layer '{}' has {} spatial axes",
                                 unit.size(), unit.size() == 1 ? "" : "s", name,
                                 lr.output.size.size()));
  }
  UnitLocation loc;
  loc.layer = layer;
  loc.unit = unit;
  for (std::size_t a = 0; a < unit.size(); ++a) {
    if (unit[a] < 0 || unit[a] >= lr.output.size[a]) {
      throw UsageError(fmt::format("--unit {} is outside layer '{}' on axis {} (0 to {})", unit[a],
                                   name, axis_name(unit.size(), a), lr.output.size[a] - 1));
    }
    loc.theoretical.push_back((*axes)[a].theoretical_at(unit[a]));
    loc.actual.push_back((*axes)[a].actual_at(unit[a]));
  }
  return loc;
}

}  // namespace netlens
