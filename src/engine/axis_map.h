// How the units of one output axis of a layer read the units of one input
// axis (its taps), per kind of reading: shared by the exact regions
// (regions.cpp) and the effective receptive field (erf.cpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include "model/checked.h"
#include "model/report.h"

namespace netlens {

enum class TapKind {
  Window,
  Transposed,
  Nearest,
  NearestExact,
  Bilinear,
  Bicubic,
  Adaptive,
  Windowed,
  Roll,
  Identity
};

// What a window's padding holds: zeros (no pixel behind it), or PyTorch's
// reflect and replicate copies of the pixels by the border, or circular's
// of the far side (regions then are arcs: model/regions.h).
enum class PadFill { Zeros, Reflect, Replicate, Circular };

// How the units of one output axis read the units of one input axis.
struct AxisMap {
  TapKind kind = TapKind::Identity;
  AxisWindow w;
  double scale_factor = 1;  // output units per input unit
  // Input units per output unit as PyTorch's kernels compute it (in float):
  // 1 / scale_factor as given, or in / out when the size is given.
  float src_scale = 1;
  bool align_corners = false;
  bool scale_given = false;  // resample: by scale_factor, not recomputed
  std::int64_t shift =
      0;                // windowed: the roll, 0 where the window covers the axis; roll: its shift
  bool rolled = false;  // windowed: the input is rolled already (the exported form)
  std::int64_t padded = 0;  // windowed: the axis padded to whole windows
  std::int64_t n_in = 0;
  std::int64_t n_out = 0;
  PadFill fill = PadFill::Zeros;  // window: what its padding holds

  bool real_out(std::int64_t o) const { return o >= 0 && o < n_out; }

  // The input unit whose pixel a tap at i reads: i, or where reflect,
  // replicate and circular padding copy it from (PyTorch: a reflect padding
  // is shorter than the axis). Zero padding stays outside the input:
  // nothing is read there.
  std::int64_t source(std::int64_t i) const {
    if (fill == PadFill::Zeros || (i >= 0 && i < n_in)) {
      return i;
    }
    switch (fill) {
      case PadFill::Replicate:
        return std::clamp<std::int64_t>(i, 0, n_in - 1);
      case PadFill::Circular:
        return (i % n_in + n_in) % n_in;
      case PadFill::Reflect:
      case PadFill::Zeros:
        break;
    }
    return i < 0 ? -i : 2 * (n_in - 1) - i;
  }

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
          if (checked::floor_div(num, w.stride) * w.stride == num) {
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
        const std::int64_t end = checked::ceil_div((o + 1) * n_in, n_out);
        for (std::int64_t i = checked::floor_div(o * n_in, n_out); i < end; ++i) {
          f(i);
        }
        return;
      }
      case TapKind::Windowed:
        windowed(o, f);
        return;
      case TapKind::Roll:  // torch.roll: out[i] = in[i - shift], cyclically
        f(real_out(o) ? ((o - shift) % n_in + n_in) % n_in : o);
        return;
      case TapKind::Identity:
        f(o);
        return;
    }
  }

  // torchvision's shifted_window_attention on one axis: rolled by -shift,
  // unit j of the rolled axis attends to the units of its window that the
  // mask leaves it (same label: before the last window, or the last window's
  // part before or after the roll's seam); read back at j + shift (when not
  // `rolled`: the exported form rolls before and after). Padding units
  // (n_in and up) are virtual, as a conv's padding.
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
    const std::int64_t roll = rolled ? 0 : shift;
    const std::int64_t j = ((o - roll) % padded + padded) % padded;
    const std::int64_t first = j / size * size;
    for (std::int64_t t = first; t < first + size; ++t) {
      if (label(t) == label(j)) {
        f((t + roll) % padded);
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
    if (!real_out(o)) {
      const double src = align_corners ? static_cast<double>(o) * corners()
                                       : (static_cast<double>(o) + 0.5) / scale_factor - 0.5;
      const auto i0 = static_cast<std::int64_t>(std::floor(src));
      f(i0);
      if (src > static_cast<double>(i0)) {
        f(i0 + 1);
      }
      return;
    }
    const float src = align_corners
                          ? static_cast<float>(corners()) * static_cast<float>(o)
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

  // Calls f(i, w) for every input unit i that real unit o reads, w its weight
  // when every kernel weight is 1: 1 per tap (windows as windows of ones), the
  // interpolation weights for bilinear and bicubic (in double, as PyTorch's
  // float64 kernels; the ERF's truth is a float64 gradient).
  template <class F>
  void weighted_taps(std::int64_t o, F&& f) const {
    if (kind == TapKind::Bilinear) {
      const double src = align_corners
                             ? corners() * static_cast<double>(o)
                             : std::max(src_scale_d() * (static_cast<double>(o) + 0.5) - 0.5, 0.0);
      const auto i0 = static_cast<std::int64_t>(src);
      const double l1 = src - static_cast<double>(i0);
      f(i0, 1.0 - l1);
      f(i0 < n_in - 1 ? i0 + 1 : i0, l1);
      return;
    }
    if (kind == TapKind::Bicubic) {
      const double src = align_corners ? corners() * static_cast<double>(o)
                                       : src_scale_d() * (static_cast<double>(o) + 0.5) - 0.5;
      const double fl = std::floor(src);
      const auto i0 = static_cast<std::int64_t>(fl);
      const double t = src - fl;
      constexpr double kA = -0.75;  // PyTorch's cubic convolution constant
      const auto near = [](double x) { return ((kA + 2) * x - (kA + 3)) * x * x + 1; };
      const auto far = [](double x) { return ((kA * x - 5 * kA) * x + 8 * kA) * x - 4 * kA; };
      const double c[4] = {far(t + 1), near(t), near(1 - t), far(2 - t)};
      for (std::int64_t k = 0; k < 4; ++k) {
        f(std::clamp<std::int64_t>(i0 - 1 + k, 0, n_in - 1), c[k]);
      }
      return;
    }
    taps(o, [&](std::int64_t i) { f(i, 1.0); });
  }

  // With align_corners: input units per output unit, (n_in - 1) / (n_out - 1).
  double corners() const {
    return n_out > 1 ? static_cast<double>(n_in - 1) / static_cast<double>(n_out - 1) : 0.0;
  }

  // Input units per output unit in double, as PyTorch's float64 kernels.
  double src_scale_d() const {
    return scale_given ? 1.0 / scale_factor
                       : static_cast<double>(n_in) / static_cast<double>(n_out);
  }

  // A superset of the input units that units a..b read.
  std::pair<std::int64_t, std::int64_t> input_range(std::int64_t a, std::int64_t b) const {
    if (kind == TapKind::Transposed) {
      return {checked::floor_div(a + w.pad_lo - (w.kernel - 1) * w.dilation, w.stride),
              checked::floor_div(b + w.pad_lo, w.stride)};
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

// The taps of `layer` (its report `lr`, reading a tensor of shape `in`) on axis a.
AxisMap axis_map(const Layer& layer, const LayerReport& lr, const Shape& in, std::size_t a);

}  // namespace netlens
