#include "parse/spec_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <unordered_map>

#include "model/name_index.h"
#include "model/prefault.h"
#include "parse/field_reader.h"
#include "parse/layer_types.h"
#include "parse/readers.h"
#include "parse/spec_text.h"

namespace netlens {

namespace {

std::string key_list(const std::vector<std::string>& keys) {
  return fmt::format("{}", fmt::join(keys, ", "));
}

class SpecBuilder {
 public:
  SpecBuilder(const std::string& file, Net& net, std::size_t max_layers)
      : r_(file), net_(net), max_layers_(max_layers) {
    names_.reserve(net_.layers.capacity());  // parse_as reserved the layers it counted
    name_pos_.reserve(net_.layers.capacity());
  }

  void add_layer(const DocNode& node, std::size_t index);
  void read_root(const DocNode& root);

 private:
  void read_input(const DocNode& node);
  void read_seed_form(const DocNode& root);
  void read_field(Layer& layer, std::string_view key, const DocNode& value,
                  const std::string& path);
  void check_required(const Layer& layer, const DocNode& node, const std::string& path,
                      std::initializer_list<const char*> required,
                      const std::vector<std::string>& allowed, std::uint64_t seen);
  // Errors name `path`, plus ".name" when `named` (the layer entry has a name key).
  void register_name(const Layer& layer, SourcePos pos, const std::string& path, bool named);

  FieldReader r_;
  Net& net_;
  NameIndex names_;                  // layer name -> index into net_.layers
  std::vector<SourcePos> name_pos_;  // where each layer's name is written
  std::size_t max_layers_;
  std::string field_path_;  // reused: no allocation per field of a million layers
  std::unordered_map<std::string, std::optional<LayerType>> types_;
};

void SpecBuilder::register_name(const Layer& layer, SourcePos pos, const std::string& path,
                                bool named) {
  const auto fail = [&](const std::string& message) {
    r_.fail_at(pos, named ? path + ".name" : path, message);
  };
  if (layer.name == "input") {
    fail("'input' is reserved for the net's input; pick another layer name");
  }
  const std::size_t id = net_.layers.size();
  const std::size_t first = names_.insert(
      layer.name, id, [&](std::size_t k) -> const std::string& { return net_.layers[k].name; });
  if (first != id) {
    const SourcePos at = name_pos_[first];
    fail(fmt::format("duplicate layer name '{}' (first used at {}:{}:{})", layer.name, r_.file(),
                     at.line, at.column));
  }
  name_pos_.push_back(pos);
}

void SpecBuilder::add_layer(const DocNode& node, std::size_t index) {
  std::string path = "layers[";  // fmt::format costs more than the rest of a relu
  path.append(fmt::format_int(index).c_str()).append("]");
  if (index >= max_layers_) {
    r_.fail(node, path,
            fmt::format("more than {} layers (raise the limit with --max-layers)", max_layers_));
  }
  if (node.kind != DocNode::Kind::Map) {
    r_.fail(node, path,
            fmt::format("expected a mapping like {{type: conv, ...}}, got {}", describe(node)));
  }
  const DocNode* type_node = node.find("type");
  if (type_node == nullptr) {
    r_.fail(node, path, "missing required key 'type'");
  }
  if (type_node->kind != DocNode::Kind::String) {
    r_.string(*type_node, path + ".type");  // fails, saying what it got
  }
  const std::string& type_name = type_node->text;
  auto cached = types_.find(type_name);  // a net uses a handful of types: look each up once
  if (cached == types_.end()) {
    cached = types_.emplace(type_name, find_layer_type(type_name)).first;
  }
  const std::optional<LayerType>& type = cached->second;
  if (!type) {
    const std::string hint = suggest_layer_type(type_name);
    r_.fail(*type_node, path + ".type",
            hint.empty()
                ? fmt::format("unknown layer type '{}'", type_name)
                : fmt::format("unknown layer type '{}' (did you mean '{}'?)", type_name, hint));
  }
  const DocNode* name_node = node.find("name");
  if (name_node != nullptr) {
    names_.prefetch(name_node->text);  // register_name, below, looks it up
  }
  Layer layer;
  layer.kind = type->kind;
  layer.type = type->canonical;
  layer.alias_rank = type->rank;
  layer.pos = node.pos;
  layer.type_pos = type_node->pos;
  if (type->fixed_bilinear) {
    layer.mode = UpsampleMode::Bilinear;
    layer.align_corners = true;  // as PyTorch's UpsamplingBilinear2d
  }

  const std::vector<std::string>* allowed_ptr = &fields_of(layer.kind, layer.type);
  std::vector<std::string> adjusted;  // the few types whose keys differ from their kind's
  if (type->keras_upsampling || type->fixed_bilinear || type->fixed_nearest) {
    adjusted = *allowed_ptr;
    if (type->keras_upsampling) {
      adjusted.emplace_back("size");  // Keras' UpSampling2D(size=2): the factor
    }
    if (type->fixed_bilinear || type->fixed_nearest) {
      adjusted.erase(std::remove(adjusted.begin(), adjusted.end(), "mode"), adjusted.end());
      adjusted.erase(std::remove(adjusted.begin(), adjusted.end(), "align_corners"),
                     adjusted.end());
    }
    allowed_ptr = &adjusted;
  }
  const std::vector<std::string>& allowed = *allowed_ptr;
  std::uint64_t seen = 0;  // bit i: allowed[i] was given
  for (std::size_t i = 0; i < node.keys.size(); ++i) {
    std::string_view key = canonical_field(layer.kind, node.keys[i]);
    if (type->keras_upsampling && key == "size") {
      key = "scale_factor";
    }
    const auto found = std::find(allowed.begin(), allowed.end(), key);
    if (found == allowed.end()) {
      const std::string hint = closest(node.keys[i], allowed);
      r_.fail_at(node.key_pos[i], path,
                 fmt::format("unknown key '{}' for {}{}; allowed: {}", node.keys[i], layer.type,
                             hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint),
                             key_list(allowed)));
    }
    const std::uint64_t bit = std::uint64_t{1} << (found - allowed.begin());
    if ((seen & bit) != 0) {
      r_.fail_at(node.key_pos[i], path,
                 fmt::format("'{}' is given twice (as '{}' and an alias)", key, node.keys[i]));
    }
    seen |= bit;
    field_path_.assign(path).append(".").append(node.keys[i]);
    read_field(layer, key, node.items[i], field_path_);
  }

  switch (layer.kind) {
    case LayerKind::Conv:
    case LayerKind::ConvTranspose:
      check_required(layer, node, path, {"out_channels", "kernel_size"}, allowed, seen);
      break;
    case LayerKind::MaxPool:
    case LayerKind::AvgPool:
      check_required(layer, node, path, {"kernel_size"}, allowed, seen);
      break;
    case LayerKind::AdaptiveAvgPool:
    case LayerKind::AdaptiveMaxPool:
      check_required(layer, node, path, {"output_size"}, allowed, seen);
      break;
    case LayerKind::Linear:
      check_required(layer, node, path, {"out_features"}, allowed, seen);
      break;
    case LayerKind::Pad:
      check_required(layer, node, path, {"padding"}, allowed, seen);
      break;
    case LayerKind::Upsample:
      check_required(layer, node, path, {"scale_factor"}, allowed, seen);
      break;
    case LayerKind::Add:
    case LayerKind::Mul:
    case LayerKind::Concat:
      check_required(layer, node, path, {"inputs"}, allowed, seen);
      break;
    default:
      break;
  }
  if (layer.name.empty()) {
    layer.name = fmt::format("{}{}", layer.type, index + 1);
  }
  register_name(layer, name_node ? name_node->pos : node.pos, path, name_node != nullptr);
  net_.layers.push_back(std::move(layer));
}

void SpecBuilder::check_required(const Layer& layer, const DocNode& node, const std::string& path,
                                 std::initializer_list<const char*> required,
                                 const std::vector<std::string>& allowed, std::uint64_t seen) {
  for (const char* key : required) {
    const auto index = std::find(allowed.begin(), allowed.end(), key) - allowed.begin();
    if ((seen & (std::uint64_t{1} << index)) == 0) {
      r_.fail(node, path, fmt::format("{} needs '{}'", layer.type, key));
    }
  }
}

void SpecBuilder::read_field(Layer& layer, std::string_view key, const DocNode& value,
                             const std::string& path) {
  if (key == "name") {
    layer.name = r_.string(value, path);
    if (layer.name.empty()) {
      r_.fail(value, path, "a layer name cannot be empty");
    }
  } else if (key == "type") {
    // read above
  } else if (key == "inputs") {
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
  } else if (key == "out_channels" || key == "out_features") {
    layer.out_channels = r_.integer(value, path, 1);
    layer.out_channels_pos = value.pos;
  } else if (key == "in_channels" || key == "in_features" || key == "num_features") {
    layer.in_channels = r_.integer(value, path, 1);
    layer.in_channels_pos = value.pos;
  } else if (key == "kernel_size") {
    layer.window_params_mut().kernel_size = r_.axis_ints(value, path, 1);
  } else if (key == "stride") {
    if (value.kind == DocNode::Kind::Null && is_pool(layer.kind)) {
      return;  // PyTorch's and Keras' stride=None: the kernel size
    }
    layer.window_params_mut().stride = r_.axis_ints(value, path, 1);
  } else if (key == "dilation") {
    layer.window_params_mut().dilation = r_.axis_ints(value, path, 1);
  } else if (key == "output_padding") {
    layer.extra_mut().output_padding = r_.axis_ints(value, path, 0);
  } else if (key == "output_size") {
    layer.extra_mut().output_size = r_.axis_ints(value, path, 1);
  } else if (key == "padding") {
    layer.window_params_mut().padding = r_.padding(value, path);
  } else if (key == "groups") {
    layer.groups = r_.integer(value, path, 1);
    layer.groups_pos = value.pos;
  } else if (key == "bias") {
    layer.bias = r_.boolean(value, path);
  } else if (key == "affine") {
    layer.affine = r_.boolean(value, path);
  } else if (key == "ceil_mode") {
    layer.window_params_mut().ceil_mode = r_.boolean(value, path);
  } else if (key == "align_corners") {
    layer.align_corners = r_.boolean(value, path);
  } else if (key == "count_include_pad" || key == "inplace") {
    r_.boolean(value, path);  // accepted; no effect on shapes or receptive fields
  } else if (key == "scale_factor") {
    layer.extra_mut().scale_factor = r_.axis_numbers(value, path);
  } else if (key == "mode") {
    const std::string mode = r_.string(value, path);
    if (mode == "nearest") {
      layer.mode = UpsampleMode::Nearest;
    } else if (mode == "bilinear") {
      layer.mode = UpsampleMode::Bilinear;
    } else {
      r_.fail(value, path, fmt::format("expected nearest or bilinear, got '{}'", mode));
    }
  } else if (key == "size" && layer.kind == LayerKind::Crop) {
    layer.extra_mut().crop_size = r_.axis_ints(value, path, 1);
  } else if (key == "offset") {
    layer.extra_mut().crop_offset = r_.axis_ints(value, path, 0);
  } else if (key == "cropping") {
    layer.extra_mut().cropping = r_.padding(value, path);
    if (layer.extra_mut().cropping.mode != PadMode::Explicit) {
      r_.fail(value, path, "expected an integer, a list or [before, after] pairs");
    }
  } else if (key == "size") {
    r_.integer(value, path, 1);
  } else if (key == "dim") {
    r_.integer(value, path, INT64_MIN);
  } else {
    // alpha, beta, k, eps, momentum, p, negative_slope: numbers with no effect on shapes.
    r_.number(value, path);
  }
}

void SpecBuilder::read_input(const DocNode& node) {
  if (node.kind != DocNode::Kind::Map) {
    r_.fail(node, "input",
            fmt::format("expected a mapping like {{size: [224, 224], channels: 3}}, got {}",
                        describe(node)));
  }
  const std::vector<std::string> allowed{"size", "channels"};
  for (std::size_t i = 0; i < node.keys.size(); ++i) {
    const std::string& key = node.keys[i];
    const DocNode& value = node.items[i];
    if (key == "size") {
      const auto sizes = r_.axis_ints(value, "input.size", 1);
      net_.input_size = sizes.values;
      net_.input_size_scalar = sizes.scalar;
      net_.input_pos = value.pos;
    } else if (key == "channels") {
      net_.channels = r_.integer(value, "input.channels", 1);
    } else {
      const std::string hint = closest(key, allowed);
      r_.fail_at(node.key_pos[i], "input",
                 fmt::format("unknown key '{}'{}; allowed: size, channels", key,
                             hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
    }
  }
}

void SpecBuilder::read_seed_form(const DocNode& root) {
  const DocNode* net = root.find("net");
  const DocNode* names = root.find("name");
  if (net->kind != DocNode::Kind::Seq || net->items.empty()) {
    r_.fail(*net, "net", "expected a list of [kernel, stride, padding] entries");
  }
  if (names != nullptr &&
      (names->kind != DocNode::Kind::Seq || names->items.size() != net->items.size())) {
    r_.fail(*names, "name",
            fmt::format("expected a list of {} layer names, one per entry of 'net'",
                        net->items.size()));
  }
  for (std::size_t i = 0; i < net->items.size(); ++i) {
    const DocNode& entry = net->items[i];
    const std::string path = fmt::format("net[{}]", i);
    if (i >= max_layers_) {
      r_.fail(entry, path,
              fmt::format("more than {} layers (raise the limit with --max-layers)", max_layers_));
    }
    if (entry.kind != DocNode::Kind::Seq || entry.items.size() != 3) {
      r_.fail(entry, path,
              fmt::format("expected [kernel, stride, padding], got {}",
                          entry.kind == DocNode::Kind::Seq
                              ? fmt::format("{} entr{}", entry.items.size(),
                                            entry.items.size() == 1 ? "y" : "ies")
                              : describe(entry)));
    }
    Layer layer;
    layer.pos = entry.pos;
    layer.type_pos = entry.pos;
    layer.name = names != nullptr ? r_.string(names->items[i], fmt::format("name[{}]", i))
                                  : fmt::format("layer{}", i + 1);
    const bool pool = layer.name.rfind("pool", 0) == 0;
    layer.kind = pool ? LayerKind::MaxPool : LayerKind::Conv;
    layer.type = pool ? "maxpool" : "conv";
    layer.window_params_mut().kernel_size =
        AxisParam<std::int64_t>::of(r_.integer(entry.items[0], path + "[0]", 1));
    layer.window_params_mut().stride =
        AxisParam<std::int64_t>::of(r_.integer(entry.items[1], path + "[1]", 1));
    const std::int64_t pad = r_.integer(entry.items[2], path + "[2]", 0);
    layer.window_params_mut().padding.given = true;
    layer.window_params_mut().padding.pairs.push_back({pad, pad});
    layer.window_params_mut().kernel_size.pos = entry.items[0].pos;
    layer.window_params_mut().stride.pos = entry.items[1].pos;
    layer.window_params_mut().padding.pos = entry.items[2].pos;
    layer.out_channels = 0;  // 0: keep the input's channel count (the seed has none)
    register_name(layer, names != nullptr ? names->items[i].pos : entry.pos,
                  fmt::format("name[{}]", i), false);
    net_.layers.push_back(std::move(layer));
  }
}

void SpecBuilder::read_root(const DocNode& root) {
  if (root.kind != DocNode::Kind::Map) {
    r_.fail(root, "",
            fmt::format("expected a mapping with 'layers' at the top, got {}", describe(root)));
  }
  const bool seed_form = root.find("net") != nullptr;
  const std::vector<std::string> allowed =
      seed_form ? std::vector<std::string>{"net", "name", "input", "convention"}
                : std::vector<std::string>{"name", "input", "convention", "layers"};
  for (std::size_t i = 0; i < root.keys.size(); ++i) {
    const std::string& key = root.keys[i];
    const DocNode& value = root.items[i];
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      const std::string hint = closest(key, allowed);
      r_.fail_at(root.key_pos[i], "",
                 fmt::format("unknown key '{}'{}; allowed: {}", key,
                             hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint),
                             key_list(allowed)));
    }
    if (key == "name" && !seed_form) {
      net_.name = r_.string(value, "name");
    } else if (key == "input") {
      read_input(value);
    } else if (key == "convention") {
      const std::string name = r_.string(value, "convention");
      const auto c = convention_from_name(name);
      if (!c) {
        r_.fail(value, "convention",
                fmt::format("expected pytorch, keras or caffe, got '{}'", name));
      }
      net_.convention = *c;
    } else if (key == "layers") {
      if (value.kind != DocNode::Kind::Seq) {
        r_.fail(value, "layers", fmt::format("expected a list of layers, got {}", describe(value)));
      }
      if (value.int_value == 0 && value.items.empty()) {
        r_.fail(value, "layers", "the net has no layers");
      }
    }
  }
  if (seed_form) {
    read_seed_form(root);
  } else if (root.find("layers") == nullptr) {
    r_.fail(root, "", "missing required key 'layers'");
  }
}

}  // namespace

namespace {

Net parse_as(std::string_view text, const std::string& file, const std::string& default_name,
             SpecFormat format, std::size_t max_layers) {
  Net net;
  net.file = file;
  // Room for every layer up front: growing by doubling would hold up to twice
  // the layers, and both copies while it moves them (a million layers: 0.7 GB).
  net.layers.reserve(std::min(max_layers, count_type_keys(text)));
  prefault_capacity(net.layers);
  SpecBuilder builder(file, net, max_layers);
  const LayerSink sink = [&](const DocNode& item, std::size_t index) {
    builder.add_layer(item, index);
  };
  const DocNode root =
      format == SpecFormat::Json ? read_json(text, file, sink) : read_yaml(text, file, sink);
  builder.read_root(root);
  if (net.name.empty()) {
    net.name = default_name;
  }
  return net;
}

}  // namespace

Net parse_spec(std::string_view text, const std::string& file, const std::string& default_name,
               SpecFormat format, std::size_t max_layers) {
  check_spec_text(text, file);
  if (format != SpecFormat::Auto) {
    return parse_as(text, file, default_name, format, max_layers);
  }
  if (!starts_like_json(text)) {
    return parse_as(text, file, default_name, SpecFormat::Yaml, max_layers);
  }
  // Text that starts like JSON but is not (a flow-style YAML map) is read as YAML.
  try {
    return parse_as(text, file, default_name, SpecFormat::Json, max_layers);
  } catch (const ParseError& e) {
    if (e.message().rfind("invalid JSON", 0) != 0) {
      throw;
    }
  }
  return parse_as(text, file, default_name, SpecFormat::Yaml, max_layers);
}

}  // namespace netlens
