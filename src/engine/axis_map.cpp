#include "engine/axis_map.h"

#include "engine/reads.h"

namespace netlens {

AxisMap axis_map(const Layer& layer, const LayerReport& lr, const Shape& in, std::size_t a) {
  AxisMap m;
  m.n_in = in.size[a];
  m.n_out = lr.output.size[a];
  switch (reads_of(layer, lr)) {
    case Reads::Window:
      m.kind = TapKind::Window;
      m.w = (*lr.window)[a];
      m.fill = layer.extra->padding_mode == "reflect"     ? PadFill::Reflect
               : layer.extra->padding_mode == "replicate" ? PadFill::Replicate
               : layer.extra->padding_mode == "circular"  ? PadFill::Circular
                                                          : PadFill::Zeros;
      break;
    case Reads::Transposed:
      m.kind = TapKind::Transposed;
      m.w = (*lr.window)[a];
      break;
    case Reads::Resample: {
      static constexpr TapKind kByMode[] = {TapKind::Nearest, TapKind::NearestExact,
                                            TapKind::Bilinear, TapKind::Bicubic};
      m.kind = kByMode[static_cast<std::size_t>(layer.extra->mode)];
      const bool by_size = !layer.extra->scale_factor.given || layer.extra->recompute_scale_factor;
      m.scale_factor = by_size ? static_cast<double>(m.n_out) / static_cast<double>(m.n_in)
                               : layer.extra->scale_factor.at(a);
      m.src_scale = by_size ? static_cast<float>(m.n_in) / static_cast<float>(m.n_out)
                            : static_cast<float>(1.0 / m.scale_factor);
      m.align_corners = layer.extra->align_corners;
      m.scale_given = !by_size;
      break;
    }
    case Reads::Adaptive:
      m.kind = TapKind::Adaptive;
      break;
    case Reads::Windowed: {
      m.kind = TapKind::Windowed;
      const LayerExtras& x = *layer.extra;
      m.w.kernel = lr.mixing ? lr.output.window[a] : x.window_size.at(a);
      m.padded = checked::ceil_div(m.n_in, m.w.kernel) * m.w.kernel;
      if (lr.mixing) {  // the exported form: rolled before, masked by window_mask
        m.rolled = true;
        m.shift = lr.output.window_shift.empty() ? 0 : lr.output.window_shift[a];
      } else {
        m.shift = x.shift_size.given && m.w.kernel < m.padded ? x.shift_size.at(a) : 0;
      }
      break;
    }
    case Reads::Roll: {
      m.kind = TapKind::Roll;
      const auto at = [&](const Shape& s) { return s.roll.empty() ? 0 : s.roll[a]; };
      m.shift = at(lr.output) - at(in);
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

}  // namespace netlens
