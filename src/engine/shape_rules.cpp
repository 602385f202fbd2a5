#include "engine/shape_rules.h"

#include <fmt/format.h>

#include <cmath>

#include "engine/shape_rule.h"
#include "model/layer_types.h"

namespace netlens {

namespace shape {

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

void Rule::fail_entries(SourcePos pos, const char* field, std::size_t entries) const {
  fail_at(pos, fmt::format("{} has {} entries but the input has {} spatial {}", field, entries,
                           rank(), rank() == 1 ? "axis" : "axes"));
}

void Rule::check_declared_channels(std::int64_t actual) const {
  if (layer_.in_channels && *layer_.in_channels != actual) {
    fail_at(layer_.in_channels_pos,
            fmt::format("declares {} input channels, but its input '{}' has {}",
                        *layer_.in_channels, *inputs_[0].name, actual));
  }
}

void Rule::adaptive(LayerShape& r) {
  require_spatial();
  r.output.channels = in().channels;
  r.output.size = expand(layer_.extra->output_size, "output_size", 1);
}

void Rule::linear(LayerShape& r) {
  const std::int64_t features = in().flat ? in().channels : mul(in().channels, product(in().size));
  check_declared_channels(features);
  r.output.flat = true;
  r.output.channels = layer_.out_channels;
  r.params = add(mul(features, layer_.out_channels), layer_.bias ? layer_.out_channels : 0);
}

void Rule::upsample(LayerShape& r) {
  require_spatial();
  const auto scales = expand(layer_.extra->scale_factor, "scale_factor", 1.0);
  r.output.channels = in().channels;
  for (std::size_t i = 0; i < rank(); ++i) {
    const double scale = scales[i];
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

}  // namespace shape

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
  return shape::Rule(layer, inputs, convention, file).run();
}

}  // namespace netlens
