#include "engine/shape_rules.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "model/checked.h"
#include "model/layer_types.h"

namespace netlens {

namespace {

class Rule {
 public:
  Rule(const Layer& layer, std::span<const ShapeInput> inputs, Convention convention,
       const std::string& file)
      : layer_(layer),
        inputs_(inputs),
        convention_(convention),
        file_(file),
        math_(file, layer.pos, layer.name) {}

  LayerShape run();

 private:
  [[noreturn]] void fail(const std::string& message) const { fail_at(layer_.pos, message); }
  [[noreturn]] void fail_at(SourcePos pos, const std::string& message) const {
    throw ModelError(file_, pos.known() ? pos : layer_.pos, layer_.name, message);
  }
  std::int64_t mul(std::int64_t a, std::int64_t b) const { return math_.mul(a, b); }
  std::int64_t add(std::int64_t a, std::int64_t b) const { return math_.add(a, b); }
  std::int64_t product(const PerAxis<std::int64_t>& v) const { return math_.product(v); }
  std::int64_t kernel_volume(const PerAxis<AxisWindow>& w) const {
    std::int64_t v = 1;
    for (const AxisWindow& a : w) {
      v = mul(v, a.kernel);
    }
    return v;
  }

  const Shape& in() const { return *inputs_[0].shape; }
  std::size_t rank() const { return in().size.size(); }
  const char* axis(std::size_t i) const { return axis_name(rank(), i); }
  void require_spatial() const;
  // BatchNorm2d / Dropout2d also take flat inputs; on a spatial one the rank must match.
  void check_rank_if_spatial() const {
    if (layer_.alias_rank != 0 && !in().flat) {
      require_spatial();
    }
  }
  PerAxis<std::int64_t> expand(const AxisParam<std::int64_t>& p, const char* field,
                               std::int64_t fallback) const;
  PerAxis<AxisWindow> windows(bool transposed);
  std::int64_t window_output(std::size_t axis, const AxisWindow& w, bool ceil);
  void check_groups(std::int64_t out_channels) const;
  void warn_dropped(std::size_t axis, const AxisWindow& w);
  bool warn_padding_windows(std::size_t axis, const AxisWindow& w, std::int64_t out);
  void check_declared_channels(std::int64_t actual) const;
  // "has 3 entries but the input has 2 spatial axes"
  [[noreturn]] void fail_entries(SourcePos pos, const char* field, std::size_t entries) const;

  void conv(LayerShape& r);
  void conv_transpose(LayerShape& r);
  void pool(LayerShape& r);
  void adaptive(LayerShape& r);
  void linear(LayerShape& r);
  void pad(LayerShape& r);
  void crop(LayerShape& r);
  void upsample(LayerShape& r);
  void merge(LayerShape& r);

  const Layer& layer_;
  std::span<const ShapeInput> inputs_;
  Convention convention_;
  const std::string& file_;
  LayerMath math_;
  std::vector<AxisFinding> findings_;
};

void Rule::require_spatial() const {
  if (in().flat) {
    fail(fmt::format("{} needs a spatial input, but '{}' is flat ({} features)", layer_.type,
                     *inputs_[0].name, in().channels));
  }
  if (layer_.alias_rank != 0 && static_cast<std::size_t>(layer_.alias_rank) != rank()) {
    fail_at(layer_.type_pos,
            fmt::format("a {}-D layer type on an input with {} spatial {} ({})", layer_.alias_rank,
                        rank(), rank() == 1 ? "axis" : "axes", format_size(in().size)));
  }
}

PerAxis<std::int64_t> Rule::expand(const AxisParam<std::int64_t>& p, const char* field,
                                   std::int64_t fallback) const {
  if (!p.given) {
    return PerAxis<std::int64_t>(rank(), fallback);
  }
  if (p.scalar) {
    return PerAxis<std::int64_t>(rank(), p.values[0]);
  }
  if (p.values.size() != rank()) {
    fail_entries(p.pos, field, p.values.size());
  }
  return p.values;
}

void Rule::fail_entries(SourcePos pos, const char* field, std::size_t entries) const {
  fail_at(pos, fmt::format("{} has {} entries but the input has {} spatial {}", field, entries,
                           rank(), rank() == 1 ? "axis" : "axes"));
}

// Kernel, stride, dilation and explicit padding per axis; `same` and `valid`
// are resolved here (TF's rule: the extra pixel goes after, or before for
// same_lower).
PerAxis<AxisWindow> Rule::windows(bool transposed) {
  const auto kernel = expand(layer_.window.kernel_size, "kernel_size", 1);
  const bool pool = layer_type(layer_.kind).stride_is_kernel;
  const auto stride = expand(layer_.window.stride, "stride", 1);
  const auto stride_or_kernel = pool && !layer_.window.stride.given ? kernel : stride;
  const auto dilation = expand(layer_.window.dilation, "dilation", 1);
  const PaddingParam& pad = layer_.window.padding;
  if (!pad.scalar && pad.pairs.size() != rank()) {
    fail_entries(pad.pos, "padding", pad.pairs.size());
  }
  PerAxis<AxisWindow> w;
  for (std::size_t i = 0; i < rank(); ++i) {
    AxisWindow a{kernel[i], stride_or_kernel[i], dilation[i], 0, 0};
    const std::int64_t ke = add(mul(a.dilation, a.kernel - 1), 1);
    if (pad.mode == PadMode::Explicit && pad.given) {
      const auto& pair = pad.pairs[pad.scalar ? 0 : i];
      a.pad_lo = pair[0];
      a.pad_hi = pair[1];
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
    bool clip = true;
    if (convention_ == Convention::Caffe) {
      // Caffe's PoolingLayer clips only when the layer has padding.
      clip = false;
      for (const AxisWindow& a : windows(false)) {
        clip = clip || a.pad_lo != 0 || a.pad_hi != 0;
      }
    }
    if (clip && out > 0 && mul(out - 1, w.stride) >= n + w.pad_lo) {
      --out;
    }
  }
  if (out < 1) {
    if (padded < ke) {
      fail(
          fmt::format("kernel {} (dilated) is larger than the padded input {} ({} + {} + {}) "
                      "on axis {}",
                      ke, padded, n, w.pad_lo, w.pad_hi, axis(i)));
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

void Rule::check_groups(std::int64_t out_channels) const {
  const std::int64_t c = in().channels;
  if (c % layer_.groups != 0) {
    fail_at(layer_.groups_pos,
            fmt::format("groups {} does not divide the input channels {}", layer_.groups, c));
  }
  if (out_channels % layer_.groups != 0) {
    fail_at(layer_.groups_pos,
            fmt::format("groups {} does not divide out_channels {}", layer_.groups, out_channels));
  }
}

void Rule::check_declared_channels(std::int64_t actual) const {
  if (layer_.in_channels && *layer_.in_channels != actual) {
    fail_at(layer_.in_channels_pos,
            fmt::format("declares {} input channels, but its input '{}' has {}",
                        *layer_.in_channels, *inputs_[0].name, actual));
  }
}

void Rule::conv(LayerShape& r) {
  require_spatial();
  const std::int64_t out_c = layer_.out_channels == 0 ? in().channels : layer_.out_channels;
  check_declared_channels(in().channels);
  check_groups(out_c);
  const auto w = windows(false);
  r.output.channels = out_c;
  for (std::size_t i = 0; i < rank(); ++i) {
    const std::int64_t out = window_output(i, w[i], false);
    r.output.size.push_back(out);
    if (!warn_padding_windows(i, w[i], out)) {
      warn_dropped(i, w[i]);
    }
  }
  r.params = add(mul(mul(out_c, in().channels / layer_.groups), kernel_volume(w)),
                 layer_.bias ? out_c : 0);
  r.window = w;
}

void Rule::conv_transpose(LayerShape& r) {
  require_spatial();
  check_declared_channels(in().channels);
  check_groups(layer_.out_channels);
  auto w = windows(true);
  const auto output_padding = expand(layer_.extra.output_padding, "output_padding", 0);
  // Keras' default padding is 'valid', which for a transposed conv is not 0.
  const PadMode mode = !layer_.window.padding.given && convention_ == Convention::Keras
                           ? PadMode::Valid
                           : layer_.window.padding.mode;
  if (mode != PadMode::Explicit && layer_.extra.output_padding.given) {
    fail_at(layer_.extra.output_padding.pos,
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
        fail_at(layer_.extra.output_padding.pos,
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
  r.params = add(mul(mul(in().channels, layer_.out_channels / layer_.groups), kernel_volume(w)),
                 layer_.bias ? layer_.out_channels : 0);
  r.window = w;
}

void Rule::pool(LayerShape& r) {
  require_spatial();
  const auto w = windows(false);
  const bool ceil = layer_.window.ceil_mode.value_or(convention_ == Convention::Caffe);
  r.output.channels = in().channels;
  for (std::size_t i = 0; i < rank(); ++i) {
    const AxisWindow& a = w[i];
    if (convention_ == Convention::PyTorch &&
        layer_.window.padding.mode == PadMode::Explicit &&
        (a.pad_lo > a.kernel / 2 || a.pad_hi > a.kernel / 2)) {
      fail_at(layer_.window.padding.pos,
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

void Rule::adaptive(LayerShape& r) {
  require_spatial();
  r.output.channels = in().channels;
  r.output.size = expand(layer_.extra.output_size, "output_size", 1);
}

void Rule::linear(LayerShape& r) {
  const std::int64_t features = in().flat ? in().channels : mul(in().channels, product(in().size));
  check_declared_channels(features);
  r.output.flat = true;
  r.output.channels = layer_.out_channels;
  r.params = add(mul(features, layer_.out_channels), layer_.bias ? layer_.out_channels : 0);
}

void Rule::pad(LayerShape& r) {
  require_spatial();
  if (layer_.window.padding.mode != PadMode::Explicit) {
    fail_at(layer_.window.padding.pos,
            "pad needs explicit padding (an int, a list or [before, after] "
            "pairs), not 'same' or 'valid'");
  }
  const auto w = windows(false);
  r.output.channels = in().channels;
  for (std::size_t i = 0; i < rank(); ++i) {
    r.output.size.push_back(add(add(in().size[i], w[i].pad_lo), w[i].pad_hi));
  }
  r.window = w;
}

// crop keeps a window of the input: `cropping` cuts [before, after], `size`
// (or a second input's size, as Caffe's Crop) keeps that many, from `offset`
// or centred. As a window it is a 1-wide kernel with negative padding.
void Rule::crop(LayerShape& r) {
  require_spatial();
  const bool by_reference = inputs_.size() == 2;
  const int ways = (layer_.extra.cropping.given ? 1 : 0) +
                   (layer_.extra.crop_size.given ? 1 : 0) + (by_reference ? 1 : 0);
  if (ways != 1) {
    fail("crop needs exactly one of 'cropping', 'size' or a second input to take the size of");
  }
  if (by_reference && (inputs_[1].shape->flat || inputs_[1].shape->size.size() != rank())) {
    fail_at(layer_.inputs_pos,
            fmt::format("crop's reference '{}' has no matching spatial size", *inputs_[1].name));
  }
  const PaddingParam& cut = layer_.extra.cropping;
  if (cut.given && layer_.extra.crop_offset.given) {
    fail_at(layer_.extra.crop_offset.pos,
            "'offset' goes with 'size' or a reference input, not 'cropping'");
  }
  if (cut.given && !cut.scalar && cut.pairs.size() != rank()) {
    fail_entries(cut.pos, "cropping", cut.pairs.size());
  }
  const auto size =
      by_reference ? inputs_[1].shape->size : expand(layer_.extra.crop_size, "size", 1);
  const auto offset = expand(layer_.extra.crop_offset, "offset", -1);
  r.output.channels = in().channels;
  PerAxis<AxisWindow> w;
  for (std::size_t i = 0; i < rank(); ++i) {
    const std::int64_t n = in().size[i];
    std::int64_t lo = 0;
    std::int64_t keep = 0;
    if (cut.given) {
      const auto& pair = cut.pairs[cut.scalar ? 0 : i];
      lo = pair[0];
      keep = n - pair[0] - pair[1];
    } else {
      keep = size[i];
      lo = layer_.extra.crop_offset.given ? offset[i] : (n - keep) / 2;
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

void Rule::upsample(LayerShape& r) {
  require_spatial();
  const AxisParam<double>& f = layer_.extra.scale_factor;
  if (!f.scalar && f.values.size() != rank()) {
    fail_entries(f.pos, "scale_factor", f.values.size());
  }
  r.output.channels = in().channels;
  for (std::size_t i = 0; i < rank(); ++i) {
    const double scale = f.values[f.scalar ? 0 : i];
    // PyTorch: floor(double(n) * scale_factor).
    const double out = std::floor(static_cast<double>(in().size[i]) * scale);
    if (out >= 9.2e18) {
      fail("arithmetic overflows 64 bits");
    }
    if (out < 1) {
      fail(
          fmt::format("output size would be 0 on axis {} ({} x {})", axis(i), in().size[i], scale));
    }
    r.output.size.push_back(static_cast<std::int64_t>(out));
  }
}

void Rule::merge(LayerShape& r) {
  if (inputs_.size() < 2) {
    fail_at(layer_.inputs_pos, fmt::format("{} needs at least two inputs", layer_.type));
  }
  const Shape& first = in();
  r.output = first;
  for (std::size_t k = 1; k < inputs_.size(); ++k) {
    const Shape& s = *inputs_[k].shape;
    const bool spatial_ok = s.flat == first.flat && s.size == first.size;
    const bool ok =
        layer_.kind == LayerKind::Concat ? spatial_ok : spatial_ok && s.channels == first.channels;
    if (!ok) {
      fail_at(
          layer_.inputs_pos,
          fmt::format("{} needs inputs of {} shape: '{}' is {}, '{}' is {}", layer_.type,
                      layer_.kind == LayerKind::Concat ? "the same spatial" : "the same",
                      *inputs_[0].name, format_shape(first), *inputs_[k].name, format_shape(s)));
    }
    if (layer_.kind == LayerKind::Concat) {
      r.output.channels = add(r.output.channels, s.channels);
    }
  }
}

LayerShape Rule::run() {
  LayerShape r;
  const std::size_t max_inputs = layer_type(layer_.kind).max_inputs;
  if (max_inputs != 0 && (inputs_.size() < 1 || inputs_.size() > max_inputs)) {
    fail_at(layer_.inputs_pos,
            fmt::format("{} takes {}, got {}", layer_.type,
                        max_inputs == 1 ? "one input" : "one or two inputs", inputs_.size()));
  }
  switch (layer_.kind) {
    case LayerKind::Conv:
      conv(r);
      break;
    case LayerKind::ConvTranspose:
      conv_transpose(r);
      break;
    case LayerKind::MaxPool:
    case LayerKind::AvgPool:
      pool(r);
      break;
    case LayerKind::AdaptiveAvgPool:
    case LayerKind::AdaptiveMaxPool:
      adaptive(r);
      break;
    case LayerKind::GlobalAvgPool:
    case LayerKind::GlobalMaxPool:
      require_spatial();
      r.output.channels = in().channels;
      r.output.size = PerAxis<std::int64_t>(rank(), 1);
      break;
    case LayerKind::Linear:
      linear(r);
      break;
    case LayerKind::Flatten:
      r.output.flat = true;
      r.output.channels = in().flat ? in().channels : mul(in().channels, product(in().size));
      break;
    case LayerKind::Pad:
      pad(r);
      break;
    case LayerKind::Crop:
      crop(r);
      break;
    case LayerKind::Upsample:
      upsample(r);
      break;
    case LayerKind::BatchNorm:
      check_rank_if_spatial();
      check_declared_channels(in().channels);
      r.output = in();
      r.params = layer_.affine ? mul(2, in().channels) : 0;
      break;
    case LayerKind::Add:
    case LayerKind::Mul:
    case LayerKind::Concat:
      merge(r);
      break;
    default:  // lrn, dropout, identity, activations
      check_rank_if_spatial();
      r.output = in();
      break;
  }
  r.warnings = merge_axis_findings(findings_, findings_.empty() ? 0 : rank());
  return r;
}

}  // namespace

std::vector<Warning> merge_axis_findings(const std::vector<AxisFinding>& findings,
                                         std::size_t rank) {
  std::vector<Warning> out;
  std::vector<const AxisFinding*> firsts;
  for (const AxisFinding& f : findings) {
    std::size_t k = 0;
    while (k < firsts.size() && !(firsts[k]->kind == f.kind && firsts[k]->text == f.text)) {
      ++k;
    }
    if (k == firsts.size()) {
      firsts.push_back(&f);
      out.push_back({f.kind, {}, {}, {}, {}});
    }
    out[k].axes.push_back(f.axis);
  }
  for (std::size_t k = 0; k < out.size(); ++k) {
    std::string text = firsts[k]->text;
    const std::size_t at = text.find("{axes}");
    if (at != std::string::npos) {
      text.replace(at, 6, axis_phrase(out[k].axes, rank));
    }
    out[k].text = std::move(text);
  }
  return out;
}

LayerShape apply_shape_rule(const Layer& layer, std::span<const ShapeInput> inputs,
                            Convention convention, const std::string& file) {
  return Rule(layer, inputs, convention, file).run();
}

}  // namespace netlens
