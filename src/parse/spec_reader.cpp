#include "parse/spec_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory_resource>
#include <optional>
#include <unordered_map>

#include "parse/blocks.h"
#include "parse/field_reader.h"
#include "parse/layer_reader.h"
#include "parse/readers.h"
#include "parse/spec_text.h"

namespace netlens {

namespace {

class SpecBuilder {
 public:
  SpecBuilder(const std::string& file, Net& net, std::size_t max_layers)
      : r_(file), layers_(r_), net_(net), max_layers_(max_layers) {}

  void add_layer(const DocNode& node, std::size_t index);
  void read_root(const DocNode& root);
  // Errors in layer entries are collected, up to kMaxErrors, so that one run
  // shows them all: each entry is independent of the others' fields. An
  // exceeded limit (LimitError) ends the reading instead.
  static constexpr std::size_t kMaxErrors = 20;
  std::vector<std::string>& errors() { return errors_; }
  // A syntax error after an entry is often what ended that entry early (a
  // key indented unlike its siblings): its own errors then mislead.
  void drop_last_entry_errors() { errors_.resize(errors_before_last_entry_); }

 private:
  void read_input(const DocNode& node);
  void read_seed_form(const DocNode& root);
  void add_entry(const DocNode& node, std::size_t index, const std::string& path);
  void expand_block(const DocNode& use, std::size_t index);
  void check_layer_count(const DocNode& node, std::size_t index, const std::string& path) const;
  // Errors name `path`, plus ".name" when `named` (the layer entry has a name key).
  void add_named(Layer&& layer, SourcePos pos, const std::string& path, bool named);

  FieldReader r_;
  LayerReader layers_;
  Net& net_;
  // Where each layer's name is written. The nodes come from one pool:
  // std::unordered_map's own are scattered among the layers' allocations and
  // an insert reads two of them, which past the L3 cache (10^5 layers) made
  // this map and the analyzer's a third of the run (docs/performance.md).
  std::pmr::monotonic_buffer_resource pool_;
  std::pmr::unordered_map<std::string_view, SourcePos> names_{&pool_};
  std::size_t max_layers_;
  // Entries from the first `use:` on wait for the whole spec (its `blocks`).
  std::vector<std::pair<DocNode, std::size_t>> deferred_;
  const DocNode* blocks_ = nullptr;
  std::vector<std::string> errors_;
  std::size_t errors_before_last_entry_ = 0;
};

void SpecBuilder::check_layer_count(const DocNode& node, std::size_t index,
                                    const std::string& path) const {
  if (index >= max_layers_) {
    throw LimitError(r_.file(), node.pos, path, too_many_layers(max_layers_));
  }
}

void SpecBuilder::add_named(Layer&& layer, SourcePos pos, const std::string& path, bool named) {
  const auto fail = [&](const std::string& message) {
    r_.fail_at(pos, named ? path + ".name" : path, message);
  };
  if (layer.name == "input") {
    fail("'input' is reserved for the net's input; pick another layer name");
  }
  // The deque never moves a layer, so its name can key the index.
  net_.layers.push_back(std::move(layer));
  const auto [first, added] = names_.emplace(net_.layers.back().name, pos);
  if (!added) {
    fail(fmt::format("duplicate layer name '{}' (first used at {}:{}:{})", first->first, r_.file(),
                     first->second.line, first->second.column));
  }
}

void SpecBuilder::add_layer(const DocNode& node, std::size_t index) {
  if (!deferred_.empty() || (node.kind == DocNode::Kind::Map && node.find("use") != nullptr)) {
    deferred_.emplace_back(node, index);
    return;
  }
  errors_before_last_entry_ = errors_.size();
  try {
    add_entry(node, index, fmt::format("layers[{}]", index));
  } catch (const LimitError&) {
    throw;  // the reading ends here
  } catch (const ParseError& e) {
    errors_.emplace_back(e.what());
    if (errors_.size() == kMaxErrors) {
      errors_.emplace_back(fmt::format("{}: stopped after {} errors", r_.file(), kMaxErrors));
      throw ErrorList(errors_);
    }
  }
}

void SpecBuilder::add_entry(const DocNode& node, std::size_t index, const std::string& path) {
  check_layer_count(node, net_.layers.size(), path);
  Layer layer = layers_.read(node, path);
  const DocNode* name_node = node.find("name");
  if (layer.name.empty()) {
    layer.name = fmt::format("{}{}", layer.type, index + 1);
  }
  const SourcePos name_pos = name_node ? name_node->pos : node.pos;
  if (layer.type != "split") {
    add_named(std::move(layer), name_pos, path, name_node != nullptr);
    return;
  }
  // A split is one layer per part, NAME.0, NAME.1, ...: later layers read them by those names.
  const std::size_t parts = layer.extra->chunks > 0 ? static_cast<std::size_t>(layer.extra->chunks)
                                                    : layer.extra->sizes.size();
  if (parts == 0) {
    r_.fail(node, path, "split needs 'chunks' (a count) or 'sizes' (a list)");
  }
  check_layer_count(node, net_.layers.size() + parts - 1, path);  // the last part's index
  if (layer.inputs.empty()) {  // every part reads what the split reads
    layer.inputs.push_back(net_.layers.empty() ? "input" : net_.layers.back().name);
    layer.input_pos.push_back(node.pos);
  }
  for (std::size_t part = 0; part < parts; ++part) {
    Layer one = layer;
    one.name = fmt::format("{}.{}", layer.name, part);
    one.extra->part = part;
    add_named(std::move(one), name_pos, path, name_node != nullptr);
  }
}

void SpecBuilder::read_input(const DocNode& node) {
  if (node.kind != DocNode::Kind::Map) {
    r_.fail(node, "input",
            fmt::format("expected a mapping like {{size: [224, 224], channels: 3}}, got {}",
                        describe(node)));
  }
  const std::vector<std::string> allowed{"size",     "channels", "channels_last",
                                         "features", "shape",    "batch"};
  std::vector<std::string> forms;  // size/channels, features, shape: one of them
  for (std::size_t i = 0; i < node.keys.size(); ++i) {
    const std::string& key = node.keys[i];
    const DocNode& value = node.items[i];
    r_.check_key(node, i, "input", allowed);
    if (key == "batch") {  // goes with any form
      net_.batch = r_.integer(value, "input.batch", 1);
      continue;
    }
    const std::string form = key == "channels" || key == "channels_last" ? "size" : key;
    if (std::find(forms.begin(), forms.end(), form) == forms.end()) {
      forms.push_back(form);
    }
    if (forms.size() > 1) {
      r_.fail_at(node.key_pos[i], "input",
                 "give size (with channels), features or shape, one of them");
    }
    if (key == "features") {  // [batch, features]: an MLP's input, no spatial axis
      net_.channels = r_.integer(value, "input.features", 1);
      net_.input_flat = true;
      net_.input_pos = value.pos;
    } else if (key == "shape") {  // a whole tensor, batch included
      const bool scalar = value.kind == DocNode::Kind::Seq && value.items.empty();
      net_.input_dims = scalar ? std::vector<std::int64_t>{} : r_.int_list(value, "input.shape", 0);
      net_.input_pos = value.pos;
    } else if (key == "size") {
      const auto sizes = r_.axis_ints(value, "input.size", 1);
      net_.input_size = sizes.values;
      net_.input_size_scalar = sizes.scalar;
      net_.input_pos = value.pos;
    } else if (key == "channels_last") {  // (batch, spatial..., channels)
      net_.input_channels_last = r_.boolean(value, "input.channels_last");
    } else if (value.kind == DocNode::Kind::Null) {  // channels: null, none at all
      net_.input_no_channels = true;
    } else {  // channels
      net_.channels = r_.integer(value, "input.channels", 1);
    }
  }
}

void SpecBuilder::expand_block(const DocNode& use, std::size_t index) {
  const std::string previous = net_.layers.empty() ? "input" : net_.layers.back().name;
  for (const BlockLayer& layer :
       expand_use(r_, use, blocks_, fmt::format("layers[{}]", index), previous, max_layers_)) {
    add_entry(layer.node, index, layer.path);
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
    check_layer_count(entry, i, path);
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
    layer.window->kernel_size =
        AxisParam<std::int64_t>::of(r_.integer(entry.items[0], path + "[0]", 1));
    layer.window->stride = AxisParam<std::int64_t>::of(r_.integer(entry.items[1], path + "[1]", 1));
    const std::int64_t pad = r_.integer(entry.items[2], path + "[2]", 0);
    layer.window->padding.given = true;
    layer.window->padding.values.push_back({pad, pad});
    layer.field_pos = {{Field::kernel_size, entry.items[0].pos},
                       {Field::stride, entry.items[1].pos},
                       {Field::padding, entry.items[2].pos}};
    layer.out_channels = 0;  // 0: keep the input's channel count (the seed has none)
    add_named(std::move(layer), names != nullptr ? names->items[i].pos : entry.pos,
              fmt::format("name[{}]", i), false);
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
                : std::vector<std::string>{"name",    "input",  "convention",   "layers",
                                           "outputs", "blocks", "shared_params"};
  for (std::size_t i = 0; i < root.keys.size(); ++i) {
    const std::string& key = root.keys[i];
    const DocNode& value = root.items[i];
    r_.check_key(root, i, "", allowed);
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
    } else if (key == "outputs") {
      r_.names(value, "outputs", net_.outputs, net_.output_pos);
    } else if (key == "shared_params") {  // netlens convert's: an ONNX file's shared weights
      net_.shared_params = r_.integer(value, "shared_params", 0);
    } else if (key == "layers") {
      if (value.kind != DocNode::Kind::Seq) {
        r_.fail(value, "layers", fmt::format("expected a list of layers, got {}", describe(value)));
      }
      if (value.int_value == 0 && value.items.empty()) {
        r_.fail(value, "layers", "the net has no layers");
      }
    }
  }
  blocks_ = root.find("blocks");
  if (blocks_ != nullptr && blocks_->kind != DocNode::Kind::Map) {
    r_.fail(*blocks_, "blocks",
            fmt::format("expected a mapping of block names to {{params, layers}}, got {}",
                        describe(*blocks_)));
  }
  for (const auto& [node, index] : deferred_) {
    if (node.kind == DocNode::Kind::Map && node.find("use") != nullptr) {
      expand_block(node, index);
    } else {
      add_entry(node, index, fmt::format("layers[{}]", index));
    }
  }
  if (seed_form) {
    read_seed_form(root);
  } else if (root.find("layers") == nullptr) {
    r_.fail(root, "", "missing required key 'layers'");
  }
}

Net parse_as(std::string_view text, const std::string& file, const std::string& default_name,
             SpecFormat format, std::size_t max_layers) {
  Net net;
  net.file = file;
  SpecBuilder builder(file, net, max_layers);
  const LayerSink sink = [&](const DocNode& item, std::size_t index) {
    builder.add_layer(item, index);
  };
  try {
    const DocNode root =
        format == SpecFormat::Json ? read_json(text, file, sink) : read_yaml(text, file, sink);
    builder.read_root(root);
  } catch (const ParseError& e) {
    builder.drop_last_entry_errors();
    if (builder.errors().empty()) {
      throw;  // as it is: parse_spec reads text that is not JSON again, as YAML
    }
    builder.errors().emplace_back(e.what());
  }
  if (!builder.errors().empty()) {
    throw ErrorList(builder.errors());
  }
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
  // Text that starts like JSON but is not (a flow-style YAML map) is read as
  // YAML; when it is no YAML either (no key path: the text, not a value), the
  // JSON error says what is wrong, as for a .json file.
  std::optional<ParseError> json_error;
  try {
    return parse_as(text, file, default_name, SpecFormat::Json, max_layers);
  } catch (const ParseError& e) {
    if (e.message().rfind("invalid JSON", 0) != 0) {
      throw;
    }
    json_error = e;
  }
  try {
    return parse_as(text, file, default_name, SpecFormat::Yaml, max_layers);
  } catch (const ParseError& e) {
    if (e.path().empty()) {
      throw ParseError(*json_error);
    }
    throw;
  }
}

}  // namespace netlens
