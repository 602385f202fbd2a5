#include "engine/regions.h"

#include <fmt/format.h>

#include <cmath>
#include <span>

#include "model/checked.h"

namespace netlens {

namespace {

using checked::ceil_div;
using checked::floor_div;

enum class TapKind { Window, Transposed, Nearest, Bilinear, Adaptive, Identity };

// How the units of one output axis read the units of one input axis.
struct AxisMap {
  TapKind kind = TapKind::Identity;
  AxisWindow w;
  double scale_factor = 1;
  bool align_corners = false;
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
      case TapKind::Bilinear:
        bilinear(o, f);
        return;
      case TapKind::Adaptive: {
        const std::int64_t end = ceil_div((o + 1) * n_in, n_out);
        for (std::int64_t i = floor_div(o * n_in, n_out); i < end; ++i) {
          f(i);
        }
        return;
      }
      case TapKind::Identity:
        f(o);
        return;
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
    const auto scale = static_cast<float>(1.0 / scale_factor);
    const auto i = static_cast<std::int64_t>(std::floor(static_cast<float>(o) * scale));
    return std::min(i, n_in - 1);
  }

  // align_corners=False: source x = (o + 0.5) / s - 0.5, clamped at 0; reads
  // floor(x) and, with a non-zero weight, the next unit.
  template <class F>
  void bilinear(std::int64_t o, F&& f) const {
    if (align_corners) {
      // Source x = o * (n_in - 1) / (n_out - 1): the corners line up.
      const double exact =
          n_out > 1 ? static_cast<double>(n_in - 1) / static_cast<double>(n_out - 1) : 0.0;
      if (!real_out(o)) {
        const double src = static_cast<double>(o) * exact;
        const auto i0 = static_cast<std::int64_t>(std::floor(src));
        f(i0);
        if (src > static_cast<double>(i0)) {
          f(i0 + 1);
        }
        return;
      }
      const auto scale = static_cast<float>(exact);
      const float src = scale * static_cast<float>(o);
      const auto i0 = static_cast<std::int64_t>(src);
      f(i0);
      if (i0 < n_in - 1 && src - static_cast<float>(i0) > 0.0F) {
        f(i0 + 1);
      }
      return;
    }
    if (!real_out(o)) {
      const double src = (static_cast<double>(o) + 0.5) / scale_factor - 0.5;
      const auto i0 = static_cast<std::int64_t>(std::floor(src));
      f(i0);
      if (src > static_cast<double>(i0)) {
        f(i0 + 1);
      }
      return;
    }
    const auto scale = static_cast<float>(1.0 / scale_factor);
    float src = scale * (static_cast<float>(o) + 0.5F) - 0.5F;
    src = std::max(src, 0.0F);
    const auto i0 = static_cast<std::int64_t>(src);
    f(i0);
    if (i0 < n_in - 1 && src - static_cast<float>(i0) > 0.0F) {
      f(i0 + 1);
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
  switch (layer.kind) {
    case LayerKind::Conv:
    case LayerKind::MaxPool:
    case LayerKind::AvgPool:
    case LayerKind::Pad:
    case LayerKind::Crop:
      m.kind = TapKind::Window;
      m.w = (*lr.window)[a];
      break;
    case LayerKind::ConvTranspose:
      m.kind = TapKind::Transposed;
      m.w = (*lr.window)[a];
      break;
    case LayerKind::Upsample:
      m.kind = layer.mode == UpsampleMode::Nearest ? TapKind::Nearest : TapKind::Bilinear;
      m.scale_factor = layer.extra().scale_factor.values[layer.extra().scale_factor.scalar ? 0 : a];
      m.align_corners = layer.align_corners;
      break;
    case LayerKind::AdaptiveAvgPool:
    case LayerKind::AdaptiveMaxPool:
      m.kind = TapKind::Adaptive;
      break;
    default:
      m.kind = TapKind::Identity;
      break;
  }
  return m;
}

// The inputs whose units a layer reads: a crop's second input only lends its size.
std::span<const std::size_t> data_inputs(const Layer& layer, const LayerReport& lr) {
  const std::size_t n = layer.kind == LayerKind::Crop ? 1 : lr.inputs.size();
  return {lr.inputs.data(), n};
}

}  // namespace

NetRegions compute_regions(Report& report, bool keep_all) {
  const std::size_t count = report.layers.size();
  const std::size_t rank = report.input.size.size();
  auto shape_of = [&](std::size_t node) -> const Shape& {
    return node == 0 ? report.input : report.layers[node - 1].output;
  };
  auto tracked = [&](std::size_t node) {
    return node == 0 || !(report.layers[node - 1].global_rf || report.layers[node - 1].output.flat);
  };

  // Backward: the unit range each node must cover (real units plus the
  // virtual ones its consumers' windows reach), and each node's last consumer.
  using Range = std::pair<std::int64_t, std::int64_t>;
  std::vector<PerAxis<Range>> needed(count + 1);
  std::vector<std::size_t> last_use(count + 1, 0);
  for (std::size_t node = 0; node <= count; ++node) {
    const Shape& s = shape_of(node);
    for (std::size_t a = 0; a < rank; ++a) {
      needed[node].push_back({0, s.flat ? 0 : s.size[a] - 1});
    }
  }
  for (std::size_t k = count; k >= 1; --k) {
    const LayerReport& lr = report.layers[k - 1];
    if (!tracked(k)) {
      continue;
    }
    for (std::size_t in : data_inputs(report.layer(k - 1), lr)) {
      last_use[in] = std::max(last_use[in], k);
      for (std::size_t a = 0; a < rank; ++a) {
        const AxisMap m = axis_map(report.layer(k - 1), lr, shape_of(in), a);
        const auto [lo, hi] = m.input_range(needed[k][a].first, needed[k][a].second);
        needed[in][a].first = std::min(needed[in][a].first, lo);
        needed[in][a].second = std::max(needed[in][a].second, hi);
      }
    }
  }

  std::int64_t units = 0;
  for (std::size_t node = 1; node <= count; ++node) {
    for (std::size_t a = 0; a < rank && tracked(node); ++a) {
      const auto span = checked::sub(needed[node][a].second, needed[node][a].first);
      const auto total = span ? checked::add(units, *span + 1) : std::nullopt;
      units = total && *total <= kMaxRegionUnits ? *total : kMaxRegionUnits + 1;
    }
    if (units > kMaxRegionUnits) {
      const Layer& layer = report.layer(node - 1);
      throw ModelError(report.net.file, layer.pos, layer.name,
                       fmt::format("unit-by-unit regions would need more than {} units; use a "
                                   "smaller --input",
                                   kMaxRegionUnits));
    }
  }

  NetRegions out;
  out.layers.resize(count + 1);
  auto theoretical = [&](std::size_t node, std::size_t a, std::int64_t i) {
    return node == 0 ? Interval{i, i} : (*out.layers[node])[a].theoretical_at(i);
  };
  auto actual = [&](std::size_t node, std::size_t a, std::int64_t i) {
    if (i < 0 || i >= shape_of(node).size[a]) {
      return Interval{};  // padding: no pixel behind it
    }
    return node == 0 ? Interval{i, i} : (*out.layers[node])[a].actual_at(i);
  };

  for (std::size_t k = 1; k <= count; ++k) {
    LayerReport& lr = report.layers[k - 1];
    bool inputs_tracked = tracked(k);
    for (std::size_t in : data_inputs(report.layer(k - 1), lr)) {
      inputs_tracked = inputs_tracked && (in == 0 || out.layers[in].has_value());
    }
    if (!inputs_tracked) {
      continue;
    }
    PerAxis<AxisRegions> axes;
    for (std::size_t a = 0; a < rank; ++a) {
      AxisRegions r;
      const auto [first, last] = needed[k][a];
      r.first = first;
      r.theoretical.resize(static_cast<std::size_t>(last - first + 1));
      r.actual.resize(r.theoretical.size());
      std::int64_t widest = 0;
      std::int64_t narrowest = INT64_MAX;
      for (std::size_t in : data_inputs(report.layer(k - 1), lr)) {
        const AxisMap m = axis_map(report.layer(k - 1), lr, shape_of(in), a);
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
      for (std::int64_t o = 0; o < lr.output.size[a]; ++o) {
        const std::int64_t size = r.theoretical_at(o).size();
        widest = std::max(widest, size);
        narrowest = std::min(narrowest, size);
      }
      AxisRf& rf = lr.rf[a];
      if (rf.global) {
        axes.push_back(std::move(r));  // pooled to one unit: it sees the whole axis
        continue;
      }
      rf.rf = widest;
      rf.rf_min = narrowest;
      if (rf.jump) {
        // Unit 0's region: exact even where units differ (after upsampling).
        const Interval zero = r.theoretical_at(0);
        rf.padding_eff = Ratio::of(-zero.lo);
        rf.center_offset = *Ratio::make(2 * zero.lo + zero.size() - 1, 2);
      }
      axes.push_back(std::move(r));
    }
    out.layers[k] = std::move(axes);
    if (!keep_all) {
      for (std::size_t in : data_inputs(report.layer(k - 1), lr)) {
        if (in != 0 && last_use[in] == k) {
          out.layers[in].reset();
        }
      }
    }
  }
  return out;
}

}  // namespace netlens
