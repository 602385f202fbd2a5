#include "parse/layer_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "model/suggest.h"
#include "parse/layer_fields.h"

namespace netlens {

std::vector<AllowedKey> allowed_keys(const TypeMatch& match) {
  std::vector<AllowedKey> keys{{"name", {}}, {"type", {}}, {"inputs", {}}};
  const bool fixed_mode = match.fixed_bilinear || match.fixed_nearest;
  for_each_word(match.type->fields, [&](std::string_view name) {
    Field field = *field_named(name);  // every name is a field's (test_model_types.cpp)
    if (fixed_mode && (field == Field::mode || field == Field::align_corners)) {
      return;
    }
    if (match.keras_upsampling && field == Field::size) {
      field = Field::scale_factor;  // Keras' UpSampling2D(size=2): the factor
    }
    keys.push_back({field_def(*field_named(name)).key, field});
  });
  keys.push_back({"params", Field::params});
  keys.push_back({"allow", Field::allow});
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

std::size_t LayerReader::key_index(const std::vector<AllowedKey>& allowed, std::string_view key,
                                   const std::string& written, std::string_view type, SourcePos pos,
                                   const std::string& path) const {
  std::vector<std::string> names;
  for (std::size_t k = 0; k < allowed.size(); ++k) {
    if (allowed[k].key == key) {
      return k;
    }
    names.emplace_back(allowed[k].key);
  }
  r_.fail_at(pos, path,
             fmt::format("unknown key '{}' for {}{}; allowed: {}", written, type,
                         did_you_mean(written, names), fmt::join(names, ", ")));
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
    layer.extra->mode = UpsampleMode::Bilinear;
    layer.extra->align_corners = true;  // as PyTorch's UpsamplingBilinear2d
  }
  const std::vector<AllowedKey>& allowed = known.allowed;
  std::vector<bool> seen(allowed.size());  // seen[k]: allowed[k] was given
  for (std::size_t i = 0; i < node.keys.size(); ++i) {
    const std::string& written = node.keys[i];
    const std::string_view key = canonical_field(layer.kind, written);
    const std::size_t k = key_index(allowed, key, written, layer.type, node.key_pos[i], path);
    if (seen[k]) {
      r_.fail_at(node.key_pos[i], path,
                 fmt::format("'{}' is given twice (as '{}' and an alias)", key, written));
    }
    seen[k] = true;
    key_path_.assign(path).append(".").append(written);
    const DocNode& value = node.items[i];
    if (allowed[k].field) {
      read_field(r_, *match.type, *allowed[k].field, value, key_path_, layer);
    } else if (key == "name") {
      layer.name = r_.string(value, key_path_);
      if (layer.name.empty()) {
        r_.fail(value, key_path_, "a layer name cannot be empty");
      }
    } else if (key == "inputs") {
      layer.inputs_pos = value.pos;
      r_.names(value, key_path_, layer.inputs, layer.input_pos);
    }
  }
  for_each_word(match.type->required, [&](std::string_view name) {
    const std::string_view key = name == "inputs" ? name : field_def(*field_named(name)).key;
    for (std::size_t k = 0; k < allowed.size(); ++k) {
      if (allowed[k].key == key && !seen[k]) {
        r_.fail(node, path, fmt::format("{} needs '{}'", layer.type, key));
      }
    }
  });
  return layer;
}

}  // namespace netlens
