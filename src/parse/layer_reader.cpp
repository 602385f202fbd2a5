#include "parse/layer_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "model/suggest.h"

namespace netlens {

std::vector<std::string> allowed_keys(const TypeMatch& match) {
  std::vector<std::string> keys{"name", "type", "inputs"};
  for_each_word(match.type->fields, [&](std::string_view field) {
    const bool fixed_mode = match.fixed_bilinear || match.fixed_nearest;
    if (!(fixed_mode && (field == "mode" || field == "align_corners"))) {
      keys.emplace_back(field);
    }
  });
  if (match.keras_upsampling) {
    keys.emplace_back("size");  // Keras' UpSampling2D(size=2): the factor
  }
  return keys;
}

const LayerReader::KnownType& LayerReader::read_type(const DocNode& node, const std::string& path) {
  const DocNode* type_node = node.find("type");
  if (type_node == nullptr) {
    r_.fail(node, path, "missing required key 'type'");
  }
  if (type_node->kind != DocNode::Kind::String) {
    r_.string(*type_node, path + ".type");  // fails, saying what it got
  }
  const std::string& name = type_node->text;
  for (const KnownType& known : types_) {
    if (known.written == name) {
      return known;
    }
  }
  const auto match = find_layer_type(name);
  if (!match) {
    r_.fail(*type_node, path + ".type",
            fmt::format("unknown layer type '{}'{}; types: {}", name,
                        did_you_mean(suggest_layer_type(name)), layer_type_names()));
  }
  types_.push_back({name, *match, allowed_keys(*match)});
  return types_.back();
}

Layer LayerReader::read(const DocNode& node, const std::string& path) {
  if (node.kind != DocNode::Kind::Map) {
    r_.fail(node, path,
            fmt::format("expected a mapping like {{type: conv, ...}}, got {}", describe(node)));
  }
  const KnownType& known = read_type(node, path);
  const TypeMatch& match = known.match;
  Layer layer;
  layer.kind = match.type->kind;
  layer.type = match.type->name;
  layer.alias_rank = match.rank;
  layer.pos = node.pos;
  layer.type_pos = node.find("type")->pos;
  if (match.fixed_bilinear) {
    layer.mode = UpsampleMode::Bilinear;
    layer.align_corners = true;  // as PyTorch's UpsamplingBilinear2d
  }
  const std::vector<std::string>& allowed = known.allowed;
  std::vector<bool> seen(allowed.size());  // seen[k]: allowed[k] was given
  for (std::size_t i = 0; i < node.keys.size(); ++i) {
    const std::string& written = node.keys[i];
    std::string_view key = canonical_field(layer.kind, written);
    if (match.keras_upsampling && key == "size") {
      key = "scale_factor";
    }
    const auto k =
        static_cast<std::size_t>(std::find(allowed.begin(), allowed.end(), key) - allowed.begin());
    if (k == allowed.size()) {
      r_.fail_at(node.key_pos[i], path,
                 fmt::format("unknown key '{}' for {}{}; allowed: {}", written, layer.type,
                             did_you_mean(written, allowed), fmt::join(allowed, ", ")));
    }
    if (seen[k]) {
      r_.fail_at(node.key_pos[i], path,
                 fmt::format("'{}' is given twice (as '{}' and an alias)", key, written));
    }
    seen[k] = true;
    key_path_.assign(path).append(".").append(written);
    read_key(layer, key, node.items[i], key_path_);
  }
  for_each_word(match.type->required, [&](std::string_view key) {
    if (!seen[static_cast<std::size_t>(std::find(allowed.begin(), allowed.end(), key) -
                                       allowed.begin())]) {
      r_.fail(node, path, fmt::format("{} needs '{}'", layer.type, key));
    }
  });
  return layer;
}

void LayerReader::read_inputs(Layer& layer, const DocNode& value, const std::string& path) {
  layer.inputs_pos = value.pos;
  if (value.kind == DocNode::Kind::String) {
    layer.inputs.push_back(value.text);
    layer.input_pos.push_back(value.pos);
    return;
  }
  if (value.kind != DocNode::Kind::Seq || value.items.empty()) {
    r_.fail(value, path,
            fmt::format("expected a list of layer names, got {}",
                        value.kind == DocNode::Kind::Seq ? "an empty list" : describe(value)));
  }
  for (std::size_t i = 0; i < value.items.size(); ++i) {
    layer.inputs.push_back(r_.string(value.items[i], fmt::format("{}[{}]", path, i)));
    layer.input_pos.push_back(value.items[i].pos);
  }
}

// The sliding window's fields, and the per-axis fields of the rarer kinds.
void LayerReader::read_window_field(Layer& layer, std::string_view key, const DocNode& value,
                                    const std::string& path) {
  // Through `->`: a box is made only for a field that is written.
  auto& w = layer.window;
  auto& x = layer.extra;
  if (key == "kernel_size") {
    w->kernel_size = r_.axis_ints(value, path, 1);
  } else if (key == "stride") {
    if (value.kind == DocNode::Kind::Null && layer_type(layer.kind).stride_is_kernel) {
      return;  // PyTorch's and Keras' stride=None: the kernel size
    }
    w->stride = r_.axis_ints(value, path, 1);
  } else if (key == "dilation") {
    w->dilation = r_.axis_ints(value, path, 1);
  } else if (key == "padding") {
    w->padding = r_.padding(value, path);
  } else if (key == "ceil_mode") {
    w->ceil_mode = r_.boolean(value, path);
  } else if (key == "output_padding") {
    x->output_padding = r_.axis_ints(value, path, 0);
  } else if (key == "output_size") {
    x->output_size = r_.axis_ints(value, path, 1);
  } else if (key == "scale_factor") {
    x->scale_factor = r_.axis_numbers(value, path);
  } else if (key == "offset") {
    x->crop_offset = r_.axis_ints(value, path, 0);
  } else if (key == "cropping") {
    x->cropping = r_.padding(value, path);
    if (x->cropping.mode != PadMode::Explicit) {
      r_.fail(value, path, "expected an integer, a list or [before, after] pairs");
    }
  } else {
    read_modern_field(layer, key, value, path);
  }
}

// upsample's interpolation, stochastic depth's row / batch.
void LayerReader::read_mode(Layer& layer, const DocNode& value, const std::string& path) {
  const std::string mode = r_.string(value, path);
  if (layer.kind == LayerKind::Dropout) {
    if (mode != "row" && mode != "batch") {
      r_.fail(value, path, fmt::format("expected row or batch, got '{}'", mode));
    }
    return;
  }
  static constexpr std::pair<std::string_view, UpsampleMode> kModes[] = {
      {"nearest", UpsampleMode::Nearest},    {"nearest-exact", UpsampleMode::NearestExact},
      {"bilinear", UpsampleMode::Bilinear},  {"linear", UpsampleMode::Bilinear},
      {"trilinear", UpsampleMode::Bilinear}, {"bicubic", UpsampleMode::Bicubic}};
  for (const auto& [name, m] : kModes) {
    if (mode == name) {
      layer.mode = m;
      return;
    }
  }
  r_.fail(value, path,
          fmt::format("expected nearest, nearest-exact, bilinear (linear, trilinear) or bicubic, "
                      "got '{}'",
                      mode));
}

// The fields of the 0.4 kinds (reductions, slices, norms, shuffles): after
// the common ones, so that a conv's keys are found in a few comparisons.
void LayerReader::read_modern_field(Layer& layer, std::string_view key, const DocNode& value,
                                    const std::string& path) {
  if (key == "dim" || key == "start_dim") {
    layer.extra->dim = r_.integer(value, path, INT64_MIN);
    layer.extra->dim_given = true;
  } else if (key == "shape" || key == "repeats" || key == "index_shape") {
    // [] is a scalar's shape (a constant; a gather by one index)
    const bool scalar = value.kind == DocNode::Kind::Seq && value.items.empty();
    layer.extra->shape =
        scalar ? std::vector<std::int64_t>{} : r_.int_list(value, path, key == "shape" ? -1 : 0);
    layer.extra->shape_pos = value.pos;
    layer.extra->shape_given = true;
  } else if (key == "start" || key == "end_dim" || key == "step") {
    (key == "start"  ? layer.extra->start
     : key == "step" ? layer.extra->step
                     : layer.extra->end_dim) =
        r_.integer(value, path, key == "step" ? 1 : INT64_MIN);
  } else if (key == "stop") {
    if (value.kind != DocNode::Kind::Null) {
      layer.extra->stop = r_.integer(value, path, INT64_MIN);
    }
  } else if (key == "chunks") {
    layer.extra->chunks = r_.integer(value, path, 1);
  } else if (key == "sizes") {
    layer.extra->sizes = r_.int_list(value, path, 0);
    layer.extra->dims_pos = value.pos;
  } else if (key == "dims" || key == "normalized_shape") {
    // dims: [] reduces every dim (torch.sum(x)), the batch too
    const bool none = key == "dims" && value.kind == DocNode::Kind::Seq && value.items.empty();
    layer.extra->dims = none ? std::vector<std::int64_t>{}
                             : r_.int_list(value, path, key == "dims" ? INT64_MIN : 1);
    layer.extra->dims_pos = value.pos;
  } else if (key == "num_groups") {
    layer.groups = r_.integer(value, path, 1);
    layer.groups_pos = value.pos;
  } else if (key == "num_channels") {
    layer.in_channels = r_.integer(value, path, 1);
    layer.in_channels_pos = value.pos;
  } else if (key == "upscale_factor" || key == "downscale_factor" || key == "num_parameters") {
    (key == "num_parameters" ? layer.extra->num_parameters : layer.extra->factor) =
        r_.integer(value, path, 1);
  } else if (key == "keepdim" || key == "elementwise_affine" || key == "recompute_scale_factor" ||
             key == "track_running_stats" || key == "learned") {
    const bool on = r_.boolean(value, path);
    if (key == "learned") {
      layer.extra->learned = on;
    } else if (key == "keepdim") {
      layer.extra->keepdim = on;
    } else if (key == "elementwise_affine") {
      layer.affine = on;
    } else if (key == "recompute_scale_factor") {
      layer.extra->recompute_scale_factor = on;
    } else {
      layer.extra->track_running_stats = on;
    }
  } else if (key == "value") {
    layer.extra->value = r_.number(value, path);
  } else {
    read_transformer_field(layer, key, value, path);
  }
}

// The fields of the 0.5 kinds: attention, windows, tokens.
void LayerReader::read_transformer_field(Layer& layer, std::string_view key, const DocNode& value,
                                         const std::string& path) {
  auto& x = layer.extra;  // written through ->: made only when a field is given
  if (key == "num_heads" || key == "tokens") {
    (key == "tokens" ? x->tokens : x->num_heads) = r_.integer(value, path, 1);
  } else if (key == "embed_dim" || key == "kdim" || key == "vdim") {
    (key == "embed_dim" ? x->embed_dim
     : key == "kdim"    ? x->kdim
                        : x->vdim) = r_.integer(value, path, 1);
    if (key == "embed_dim") {
      x->embed_dim_pos = value.pos;
    }
  } else if (key == "index") {
    x->index = r_.integer(value, path, INT64_MIN);
  } else if (key == "window_size" || key == "shift_size") {
    (key == "window_size" ? x->window_size : x->shift_size) =
        r_.axis_ints(value, path, key == "window_size" ? 1 : 0);
  } else if (key == "dropout" || key == "attention_dropout") {
    r_.number(value, path);  // no effect on shapes or costs at inference
  }
}

void LayerReader::read_key(Layer& layer, std::string_view key, const DocNode& value,
                           const std::string& path) {
  if (key == "name") {
    layer.name = r_.string(value, path);
    if (layer.name.empty()) {
      r_.fail(value, path, "a layer name cannot be empty");
    }
  } else if (key == "type") {
    // read first, by read_type
  } else if (key == "inputs") {
    read_inputs(layer, value, path);
  } else if (key == "out_channels" || key == "out_features") {
    layer.out_channels = r_.integer(value, path, 1);
    layer.out_channels_pos = value.pos;
  } else if (key == "in_channels" || key == "in_features" || key == "num_features") {
    layer.in_channels = r_.integer(value, path, 1);
    layer.in_channels_pos = value.pos;
  } else if (key == "groups") {
    layer.groups = r_.integer(value, path, 1);
    layer.groups_pos = value.pos;
  } else if (key == "bias" || key == "align_corners") {
    (key == "bias" ? layer.bias : layer.align_corners) = r_.boolean(value, path);
  } else if (key == "affine") {
    layer.affine = r_.boolean(value, path);
  } else if (key == "count_include_pad" || key == "inplace") {
    r_.boolean(value, path);  // accepted; no effect on shapes or receptive fields
  } else if (key == "mode") {
    read_mode(layer, value, path);
  } else if (key == "approximate") {
    const std::string text = r_.string(value, path);
    if (text != "none" && text != "tanh") {
      r_.fail(value, path, fmt::format("expected none or tanh, got '{}'", text));
    }
  } else if (key == "size" && layer.kind == LayerKind::Upsample) {
    layer.extra->output_size = r_.axis_ints(value, path, 1);
  } else if (key == "size" && layer.kind == LayerKind::Crop) {
    layer.extra->crop_size = r_.axis_ints(value, path, 1);
  } else if (key == "size") {
    r_.integer(value, path, 1);  // lrn's window: no effect on shapes
  } else if (key == "alpha" || key == "beta" || key == "k" || key == "eps" || key == "momentum" ||
             key == "p" || key == "negative_slope" || key == "min_val" || key == "max_val" ||
             key == "min" || key == "max" || key == "threshold" || key == "init") {
    r_.number(value, path);  // numbers with no effect on shapes
  } else {
    read_window_field(layer, key, value, path);
  }
}

}  // namespace netlens
