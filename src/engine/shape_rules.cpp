#include "engine/shape_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "engine/shape_rule.h"
#include "model/layer_types.h"

namespace netlens {

namespace shape {

void Rule::require_spatial() const {
  if (!in().has_positions()) {
    fail(fmt::format("{} needs a spatial input, but '{}' is flat ({} features)", layer_.type,
                     *inputs_[0].name, in().channels));
  }
  if (in().is_tokens()) {
    fail(fmt::format("{} needs a spatial input, but '{}' is tokens ({})", layer_.type,
                     *inputs_[0].name, format_shape(in())));
  }
  if (layer_.alias_rank != 0 && static_cast<std::size_t>(layer_.alias_rank) != rank()) {
    fail_at(layer_.type_pos,
            fmt::format("a {}-D layer type on an input with {} spatial {} ({})", layer_.alias_rank,
                        rank(), rank() == 1 ? "axis" : "axes", format_size(in().size)));
  }
}

void Rule::fail_entries(Field field, std::size_t entries) const {
  fail_at(pos_of(field),
          fmt::format("{} has {} entries but the input has {} spatial {}", field_def(field).key,
                      entries, rank(), rank() == 1 ? "axis" : "axes"));
}

void Rule::check_declared_channels(std::int64_t actual) const {
  if (layer_.in_channels && *layer_.in_channels != actual) {
    fail_at(pos_of(Field::in_channels),
            fmt::format("declares {} input channels, but its input '{}' has {}",
                        *layer_.in_channels, *inputs_[0].name, actual));
  }
}

// A linear's in_features against what it reads: a flattened tensor's shape
// says where a wrong count comes from.
void Rule::check_declared_features(std::int64_t actual) const {
  if (!layer_.in_channels || *layer_.in_channels == actual) {
    return;
  }
  const Shape* flattened = in().has_positions() ? &in() : inputs_[0].unflattened;
  fail_at(pos_of(Field::in_channels),
          fmt::format("declares {} input features, but its input '{}' has {}{}",
                      *layer_.in_channels, *inputs_[0].name, actual,
                      flattened && flattened->has_positions()
                          ? fmt::format(" ({} flattened)", format_shape(*flattened))
                          : ""));
}

// Adaptive pools; a global pool takes no output_size: it pools to 1.
void Rule::adaptive(LayerShape& r) {
  require_spatial();
  r.output.channels = in().channels;
  r.output.size = expand(layer_.extra->output_size, Field::output_size, 1);
}

// lrn, dropout, identity, activations; a softmax over positions mixes them
// (the rule on roles says how).
void Rule::keep_shape(LayerShape& r) {
  check_rank_if_spatial();
  if (layer_.extra->dim && in().has_positions()) {
    whole(r);
    return;
  }
  r.output = in();
}

void Rule::prelu(LayerShape& r) {
  const std::int64_t n = layer_.extra->num_parameters;
  if (n != 1 && n != in().channels) {
    fail(fmt::format("prelu has {} parameters; it needs 1 or one per channel ({})", n,
                     in().channels));
  }
  r.output = in();
  r.params = n;
}

void Rule::scale(LayerShape& r) {
  r.output = in();
  r.params = layer_.extra->value ? 0 : in().channels;
}

void Rule::linear(LayerShape& r) {
  if (in().is_tokens() && !in().channels_last()) {
    whole(r);  // on the last dim, as PyTorch's: it mixes the tokens
    return;
  }
  if (in().channels_last()) {
    // On the channel axis at every position (ConvNeXt's block): a 1x1 conv.
    check_declared_features(in().channels);
    r.output = in();
    r.output.channels = layer_.out_channels;
    r.params = add(mul(in().channels, layer_.out_channels), layer_.bias ? layer_.out_channels : 0);
    return;
  }
  const std::int64_t features =
      in().has_positions() ? mul(in().channels, product(in().size)) : in().channels;
  check_declared_features(features);
  r.output.layout = Layout::Flat;
  r.output.channels = layer_.out_channels;
  r.params = add(mul(features, layer_.out_channels), layer_.bias ? layer_.out_channels : 0);
}

// The output size: a second input's, `size`, or floor(n x scale_factor).
void Rule::upsample(LayerShape& r) {
  require_spatial();
  const LayerExtras& x = *layer_.extra;
  const bool by_reference = inputs_.size() == 2;
  if ((x.scale_factor.given ? 1 : 0) + (x.output_size.given ? 1 : 0) + (by_reference ? 1 : 0) !=
      1) {
    fail(
        fmt::format("{} needs exactly one of 'scale_factor', 'size' or a second input to take "
                    "the size of",
                    layer_.type));
  }
  r.output = in();
  r.output.size = PerAxis<std::int64_t>();
  if (by_reference) {
    const Shape& ref = *inputs_[1].shape;
    if (!ref.has_positions() || ref.size.size() != rank()) {
      fail_at(layer_.inputs_pos, fmt::format("{}'s reference '{}' has no matching spatial size",
                                             layer_.type, *inputs_[1].name));
    }
    r.output.size = ref.size;
    return;
  }
  if (x.output_size.given) {
    r.output.size = expand(x.output_size, Field::size, 1);
    return;
  }
  const auto scales = expand(x.scale_factor, Field::scale_factor, 1.0);
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

// Element-wise layers broadcast as PyTorch does: on each axis the sizes agree
// or one is 1 (an SE gate Cx1x1 times CxHxW). Concat joins the channels of
// inputs whose other axes agree; with one input it is the identity.
void Rule::merge(LayerShape& r) {
  const bool concat = layer_.kind == LayerKind::Concat;
  if (inputs_.size() < (concat ? 1U : 2U)) {
    fail_at(layer_.inputs_pos, fmt::format("{} needs at least two inputs", layer_.type));
  }
  const std::optional<std::int64_t> dim = layer_.extra->dim;
  if (concat && dim && !in().is_tokens() &&
      (names_batch(*dim) || role_of_dim(*dim, Field::dim) != -2)) {
    whole(r);  // joined on another dim than the channels
    return;
  }
  r.output = in();
  for (std::size_t k = 1; k < inputs_.size(); ++k) {
    const Shape& s = *inputs_[k].shape;
    const Shape before = r.output;
    bool ok = s.layout == before.layout && s.extra_tokens == before.extra_tokens &&
              s.size.size() == before.size.size();
    const auto fits = [&](std::int64_t a, std::int64_t b) {
      return a == b || (!concat && (a == 1 || b == 1));
    };
    for (std::size_t a = 0; ok && a < s.size.size(); ++a) {
      ok = fits(s.size[a], before.size[a]);
      r.output.size[a] = std::max(s.size[a], before.size[a]);
    }
    if (concat) {
      r.output.channels = add(r.output.channels, s.channels);
    } else {
      ok = ok && fits(s.channels, before.channels);
      r.output.channels = std::max(s.channels, before.channels);
    }
    if (!ok) {
      fail_at(layer_.inputs_pos,
              concat ? fmt::format("concat needs inputs of the same spatial shape: '{}' is {}, "
                                   "'{}' is {}",
                                   *inputs_[0].name, format_shape(in()), *inputs_[k].name,
                                   format_shape(s))
                     : fmt::format("{} cannot broadcast '{}' ({}) with '{}' ({}): each axis must "
                                   "agree or be 1",
                                   layer_.type, *inputs_[0].name, format_shape(in()),
                                   *inputs_[k].name, format_shape(s)));
    }
  }
}

// flatten(x, 1): every axis but the batch, in order; start_dim = end_dim: nothing.
void Rule::flatten(LayerShape& r) {
  const std::int64_t n = !in().has_positions() ? 2
                         : in().is_tokens()    ? 3
                                               : static_cast<std::int64_t>(rank()) + 2;
  const std::int64_t start =
      layer_.extra->start_dim < 0 ? layer_.extra->start_dim + n : layer_.extra->start_dim;
  const std::int64_t end =
      layer_.extra->end_dim < 0 ? layer_.extra->end_dim + n : layer_.extra->end_dim;
  // Exactly the spatial dims (2.. of (N, C, H, W), 1..n-2 of (N, H, W, C)):
  // tokens, the grid kept (ViT's x.flatten(2); on one axis a no-op that
  // says the positions are tokens).
  const std::int64_t first_spatial = in().channels_last() ? 1 : 2;
  if (in().is_spatial() && start == first_spatial &&
      end == first_spatial + static_cast<std::int64_t>(rank()) - 1) {
    r.output = in();
    r.output.layout = in().channels_last() ? Layout::TokensLast : Layout::Tokens;
    return;
  }
  if (start == end && start >= 1 && start < n) {
    r.output = in();
    return;
  }
  if (start != 1 || end != n - 1) {
    whole(r);  // other dims merged: the tensor loses its roles
    return;
  }
  r.output.layout = Layout::Flat;
  r.output.channels = in().has_positions() ? mul(in().channels, token_count(in())) : in().channels;
}

LayerShape Rule::run() {
  static constexpr std::array<void (Rule::*)(LayerShape&), kLayerKinds> kShape{
#define NETLENS_KIND(kind, shape, whole, cost, erf) &Rule::shape,
#include "model/layer_kinds.def"
#undef NETLENS_KIND
  };
  LayerShape r;
  const std::size_t max_inputs = layer_type(layer_.kind).max_inputs;
  if (max_inputs != 0 && inputs_.size() > max_inputs) {
    fail_at(layer_.inputs_pos, fmt::format("{} takes {}, got {}", layer_.type,
                                           max_inputs == 1   ? "one input"
                                           : max_inputs == 2 ? "one or two inputs"
                                                             : "one to three inputs",
                                           inputs_.size()));
  }
  if (any_input_whole()) {
    whole(r);
  } else {
    (this->*kShape[static_cast<std::size_t>(layer_.kind)])(r);
  }
  for (Warning& w : merge_axis_findings(findings_, findings_.empty() ? 0 : rank())) {
    r.warnings.push_back(std::move(w));  // after whole()'s whole-tensor, if any
  }
  return r;
}

}  // namespace shape

std::vector<Warning> merge_axis_findings(const std::vector<AxisFinding>& findings,
                                         std::size_t rank) {
  std::vector<Warning> out;  // their texts still say {axes} until all are found
  for (const AxisFinding& f : findings) {
    auto same = std::find_if(out.begin(), out.end(), [&](const Warning& w) {
      return w.kind == f.kind && w.text == f.text;
    });
    if (same == out.end()) {
      same = out.insert(out.end(), Warning{f.kind, {}, {}, {}, f.text});
    }
    same->axes.push_back(f.axis);
  }
  for (Warning& w : out) {
    if (const std::size_t at = w.text.find("{axes}"); at != std::string::npos) {
      w.text.replace(at, 6, axis_phrase(w.axes, rank));
    }
  }
  return out;
}

LayerShape apply_shape_rule(const Layer& layer, std::span<const ShapeInput> inputs,
                            Convention convention, const std::string& file, std::int64_t batch) {
  return shape::Rule(layer, inputs, convention, file, batch).run();
}

}  // namespace netlens
