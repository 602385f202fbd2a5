// The shape rules of layers that slide a window: convs, transposed convs,
// pools, pad and crop (docs/semantics.md gives the formulas).
#include <algorithm>

#include "engine/shape_rule.h"
#include "model/layer_types.h"

namespace netlens::shape {

// Kernel, stride, dilation and explicit padding per axis; `same` and `valid`
// are resolved here (TF's rule: the extra pixel goes after, or before for
// same_lower).
PerAxis<AxisWindow> Rule::windows(bool transposed) {
  const auto kernel = expand(layer_.window->kernel_size, Field::kernel_size, 1);
  const auto stride = layer_type(layer_.kind).stride_is_kernel && !layer_.window->stride.given
                          ? kernel
                          : expand(layer_.window->stride, Field::stride, 1);
  const auto dilation = expand(layer_.window->dilation, Field::dilation, 1);
  const PaddingParam& pad = layer_.window->padding;
  check_one_axis_pair(pad);
  const auto pairs = expand(pad, Field::padding, {0, 0});
  PerAxis<AxisWindow> w;
  for (std::size_t i = 0; i < rank(); ++i) {
    AxisWindow a{kernel[i], stride[i], dilation[i], 0, 0};
    const std::int64_t ke = add(mul(a.dilation, a.kernel - 1), 1);
    if (pad.mode == PadMode::Explicit) {
      a.pad_lo = pairs[i][0];
      a.pad_hi = pairs[i][1];
    } else if ((pad.mode == PadMode::Same || pad.mode == PadMode::SameLower) && !transposed) {
      const std::int64_t n = in().size[i];
      const std::int64_t out = checked::ceil_div(n, a.stride);
      const std::int64_t total = std::max<std::int64_t>(add(mul(out - 1, a.stride), ke) - n, 0);
      a.pad_lo = pad.mode == PadMode::Same ? total / 2 : total - total / 2;
      a.pad_hi = total - a.pad_lo;
    }
    w.push_back(a);
  }
  return w;
}

// PyTorch's F.pad(x, (4, 0)) is [before, after] on the last axis; in a spec
// `padding: [4, 0]` on a 1-D input is two axes' amounts, so show the pair form.
void Rule::check_one_axis_pair(const PaddingParam& pad) const {
  if (rank() != 1 || pad.scalar || pad.values.size() != 2 || pad.values[0][0] != pad.values[0][1] ||
      pad.values[1][0] != pad.values[1][1]) {
    return;
  }
  fail_at(pos_of(Field::padding),
          fmt::format("padding has 2 entries but the input has 1 spatial axis; for "
                      "[before, after] on that axis write [[{}, {}]]",
                      pad.values[0][0], pad.values[1][0]));
}

// floor((n + lo + hi - ke) / s) + 1, or the ceil-mode form with the rule that
// the last window must start inside the input or the left padding.
std::int64_t Rule::window_output(std::size_t i, const AxisWindow& w, bool ceil) {
  const std::int64_t n = in().size[i];
  const std::int64_t ke = add(mul(w.dilation, w.kernel - 1), 1);
  const std::int64_t padded = add(add(n, w.pad_lo), w.pad_hi);
  std::int64_t out = 0;
  if (!ceil) {
    out = checked::floor_div(padded - ke, w.stride) + 1;
  } else {
    out = checked::floor_div(add(padded - ke, w.stride - 1), w.stride) + 1;
    // Caffe's PoolingLayer clips only when the layer has padding.
    const bool clip = convention_ != Convention::Caffe ||
                      std::ranges::any_of(windows(false), [](const AxisWindow& a) {
                        return a.pad_lo != 0 || a.pad_hi != 0;
                      });
    if (clip && out > 0 && mul(out - 1, w.stride) >= n + w.pad_lo) {
      --out;
    }
  }
  if (out < 1) {
    if (padded < ke) {
      throw InputTooSmall(
          file_, layer_.pos, layer_.name,
          fmt::format("kernel {} (dilated) is larger than the padded input {} ({} + {} + {}) "
                      "on axis {}",
                      ke, padded, n, w.pad_lo, w.pad_hi, axis(i)),
          i);
    }
    fail(fmt::format("output size would be {} on axis {}", out, axis(i)));
  }
  return out;
}

// Floor rounding drops the input's last positions when the windows do not
// tile it; only real pixels count (dropping padding is harmless).
void Rule::warn_dropped(std::size_t i, const AxisWindow& a) {
  const std::int64_t n = in().size[i];
  const std::int64_t ke = a.dilation * (a.kernel - 1) + 1;
  const std::int64_t dropped = (n + a.pad_lo + a.pad_hi - ke) % a.stride - a.pad_hi;
  if (dropped > 0) {
    findings_.push_back(
        {WarningKind::UnreadInput, i,
         fmt::format("the last {} input position{} on {{axes}} {} never read: ({} + {} + {} - {}) "
                     "is not a multiple of stride {}",
                     dropped, dropped == 1 ? "" : "s", dropped == 1 ? "is" : "are", n, a.pad_lo,
                     a.pad_hi, ke, a.stride)});
  }
}

void Rule::check_reflect(const PerAxis<AxisWindow>& w) const {
  if (layer_.extra->padding_mode != "reflect") {
    return;
  }
  for (std::size_t i = 0; i < rank(); ++i) {
    if (std::max(w[i].pad_lo, w[i].pad_hi) >= in().size[i]) {
      fail_at(pos_of(Field::padding),
              fmt::format("reflect padding ({}, {}) on axis {} is not shorter than the input ({}), "
                          "as PyTorch requires",
                          w[i].pad_lo, w[i].pad_hi, axis_name(rank(), i), in().size[i]));
    }
  }
}

void Rule::check_groups(std::int64_t out_channels) const {
  const std::int64_t c = in().channels;
  if (c % layer_.groups != 0) {
    fail_at(pos_of(Field::groups),
            fmt::format("groups {} does not divide the input channels {}", layer_.groups, c));
  }
  if (out_channels % layer_.groups != 0) {
    fail_at(pos_of(Field::groups),
            fmt::format("groups {} does not divide out_channels {}", layer_.groups, out_channels));
  }
}

// A conv's or a transposed conv's weights (out x in / groups x kernel) and biases.
std::int64_t Rule::conv_params(std::int64_t out_channels, const PerAxis<AxisWindow>& w) const {
  std::int64_t weights = mul(out_channels, in().channels / layer_.groups);
  for (const AxisWindow& a : w) {
    weights = mul(weights, a.kernel);
  }
  return add(weights, layer_.bias ? out_channels : 0);
}

void Rule::conv(LayerShape& r) {
  require_spatial();
  const std::int64_t out_c = layer_.out_channels == 0 ? in().channels : layer_.out_channels;
  check_declared_channels(in().channels);
  check_groups(out_c);
  const auto w = windows(false);
  check_reflect(w);
  r.output.channels = out_c;
  for (std::size_t i = 0; i < rank(); ++i) {
    const std::int64_t out = window_output(i, w[i], false);
    r.output.size.push_back(out);
    if (!warn_padding_windows(i, w[i], out)) {
      warn_dropped(i, w[i]);
    }
  }
  r.params = conv_params(out_c, w);
  r.window = w;
}

void Rule::conv_transpose(LayerShape& r) {
  require_spatial();
  check_declared_channels(in().channels);
  check_groups(layer_.out_channels);
  auto w = windows(true);
  const auto output_padding = expand(layer_.extra->output_padding, Field::output_padding, 0);
  // Keras' default padding is 'valid', which for a transposed conv is not 0.
  const PadMode mode = !layer_.window->padding.given && convention_ == Convention::Keras
                           ? PadMode::Valid
                           : layer_.window->padding.mode;
  if (mode != PadMode::Explicit && layer_.extra->output_padding.given) {
    fail_at(pos_of(Field::output_padding),
            "output_padding needs explicit padding, not 'same' or 'valid'");
  }
  r.output.channels = layer_.out_channels;
  for (std::size_t i = 0; i < rank(); ++i) {
    AxisWindow& a = w[i];
    const std::int64_t n = in().size[i];
    const std::int64_t ke = add(mul(a.dilation, a.kernel - 1), 1);
    std::int64_t out = 0;
    if (mode != PadMode::Explicit) {
      // Keras/TF: the gradient of a SAME (VALID) conv from an output of n * s
      // (n * s + max(ke - s, 0)): that conv's left padding is this one's.
      const std::int64_t total = std::max<std::int64_t>(ke - a.stride, 0);
      out = mode == PadMode::Valid ? add(mul(n, a.stride), total) : mul(n, a.stride);
      a.pad_lo = mode == PadMode::Same        ? total / 2
                 : mode == PadMode::SameLower ? total - total / 2
                                              : 0;
      a.pad_hi = add(mul(n - 1, a.stride), ke) - a.pad_lo - out;
    } else {
      if (convention_ == Convention::PyTorch &&
          output_padding[i] >= std::max(a.stride, a.dilation)) {
        fail_at(pos_of(Field::output_padding),
                fmt::format("output_padding {} must be smaller than either stride {} or "
                            "dilation {} on axis {}",
                            output_padding[i], a.stride, a.dilation, axis(i)));
      }
      out = add(mul(n - 1, a.stride) - a.pad_lo - a.pad_hi, add(ke, output_padding[i]));
    }
    if (out < 1) {
      fail(fmt::format("output size would be {} on axis {}", out, axis(i)));
    }
    r.output.size.push_back(out);
  }
  r.params = conv_params(layer_.out_channels, w);
  r.window = w;
}

void Rule::pool(LayerShape& r) {
  require_spatial();
  const auto w = windows(false);
  const bool ceil = layer_.window->ceil_mode.value_or(convention_ == Convention::Caffe);
  r.output.channels = in().channels;
  for (std::size_t i = 0; i < rank(); ++i) {
    const AxisWindow& a = w[i];
    if (convention_ == Convention::PyTorch && layer_.window->padding.mode == PadMode::Explicit &&
        (a.pad_lo > a.kernel / 2 || a.pad_hi > a.kernel / 2)) {
      fail_at(pos_of(Field::padding),
              fmt::format("padding {} is more than half the kernel size {} on axis {} "
                          "(PyTorch rejects this)",
                          std::max(a.pad_lo, a.pad_hi), a.kernel, axis(i)));
    }
    const std::int64_t out = window_output(i, a, ceil);
    r.output.size.push_back(out);
    if (!warn_padding_windows(i, a, out) && !ceil) {
      warn_dropped(i, a);
    }
  }
  r.window = w;
}

// A window that lies entirely in the padding reads no pixel at all.
bool Rule::warn_padding_windows(std::size_t i, const AxisWindow& a, std::int64_t out) {
  const std::int64_t n = in().size[i];
  const std::int64_t last_start = mul(out - 1, a.stride) - a.pad_lo;
  if (last_start >= n) {
    findings_.push_back({WarningKind::PaddingOnly, i,
                         fmt::format("the last window on {{axes}} starts at {}, past the input's "
                                     "{} positions: it reads only padding",
                                     last_start, n)});
    return true;
  }
  if (mul(a.dilation, a.kernel - 1) - a.pad_lo < 0) {
    findings_.push_back(
        {WarningKind::PaddingOnly, i, "the first window on {axes} lies entirely in the padding"});
    return true;
  }
  return false;
}

void Rule::pad(LayerShape& r) {
  require_spatial();
  if (layer_.window->padding.mode != PadMode::Explicit) {
    fail_at(pos_of(Field::padding),
            "pad needs explicit padding (an int, a list or [before, after] "
            "pairs), not 'same' or 'valid'");
  }
  const auto w = windows(false);
  check_reflect(w);
  r.output = in();  // the layout too: a channels-last tensor is padded on its spatial axes
  for (std::size_t i = 0; i < rank(); ++i) {
    r.output.size[i] = add(add(in().size[i], w[i].pad_lo), w[i].pad_hi);
  }
  r.window = w;
}

// crop keeps a window of the input: `cropping` cuts [before, after], `size`
// (or a second input's size, as Caffe's Crop) keeps that many, from `offset`
// or centred. As a window it is a 1-wide kernel with negative padding.
void Rule::crop(LayerShape& r) {
  require_spatial();
  const bool by_reference = inputs_.size() == 2;
  const int ways = (layer_.extra->cropping.given ? 1 : 0) +
                   (layer_.extra->crop_size.given ? 1 : 0) + (by_reference ? 1 : 0);
  if (ways != 1) {
    fail("crop needs exactly one of 'cropping', 'size' or a second input to take the size of");
  }
  if (by_reference &&
      (!inputs_[1].shape->has_positions() || inputs_[1].shape->size.size() != rank())) {
    fail_at(layer_.inputs_pos,
            fmt::format("crop's reference '{}' has no matching spatial size", *inputs_[1].name));
  }
  const PaddingParam& cut = layer_.extra->cropping;
  if (cut.given && layer_.extra->crop_offset.given) {
    fail_at(pos_of(Field::offset),
            "'offset' goes with 'size' or a reference input, not 'cropping'");
  }
  const auto cuts = expand(cut, Field::cropping, {0, 0});
  const auto size =
      by_reference ? inputs_[1].shape->size : expand(layer_.extra->crop_size, Field::crop_size, 1);
  const auto offset = expand(layer_.extra->crop_offset, Field::offset, -1);
  r.output.channels = in().channels;
  PerAxis<AxisWindow> w;
  for (std::size_t i = 0; i < rank(); ++i) {
    const std::int64_t n = in().size[i];
    std::int64_t lo = 0;
    std::int64_t keep = 0;
    if (cut.given) {
      lo = cuts[i][0];
      keep = n - cuts[i][0] - cuts[i][1];
    } else {
      keep = size[i];
      lo = layer_.extra->crop_offset.given ? offset[i] : (n - keep) / 2;
    }
    if (keep < 1 || lo + keep > n) {
      fail(fmt::format("cannot keep {} positions from {} at offset {} on axis {}", keep, n, lo,
                       axis(i)));
    }
    w.push_back(AxisWindow{1, 1, 1, -lo, -(n - lo - keep)});
    r.output.size.push_back(keep);
  }
  r.window = w;
}

}  // namespace netlens::shape
