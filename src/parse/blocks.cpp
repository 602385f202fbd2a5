#include "parse/blocks.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>

#include "model/suggest.h"

namespace netlens {

namespace {

// The keys of `map` must be among `allowed`.
void check_keys(const FieldReader& r, const DocNode& map, const std::string& path,
                const std::vector<std::string>& allowed) {
  for (std::size_t i = 0; i < map.keys.size(); ++i) {
    r.check_key(map, i, path, allowed);
  }
}

// One repetition: `$name` scalars replaced, layer names prefixed, inputs wired.
class Instance {
 public:
  Instance(const FieldReader& r, std::string prefix, std::string input,
           std::map<std::string, const DocNode*> values, std::vector<std::string> local)
      : r_(r),
        prefix_(std::move(prefix)),
        input_(std::move(input)),
        values_(std::move(values)),
        local_(std::move(local)) {}

  DocNode substitute(const DocNode& node, const std::string& path) const {
    if (node.kind == DocNode::Kind::String && !node.quoted && node.text.size() > 1 &&
        node.text[0] == '$') {
      const std::string param = node.text.substr(1);
      if (param == "input") {
        return quoted_string(input_, node.pos);
      }
      const auto found = values_.find(param);
      if (found == values_.end()) {
        std::vector<std::string> names{"input"};
        for (const auto& [name, value] : values_) {
          names.push_back(name);
        }
        r_.fail(node, path,
                fmt::format("unknown parameter '${}'{}; the block has: ${}", param,
                            did_you_mean(param, names), fmt::join(names, ", $")));
      }
      DocNode value = *found->second;
      value.pos = node.pos;  // errors in the value point at its use in the block
      return value;
    }
    DocNode out = node;
    for (std::size_t i = 0; i < out.items.size(); ++i) {
      out.items[i] = substitute(node.items[i], path);
    }
    return out;
  }

  // A block layer's name, or one of its inputs: a name of the block gets the prefix.
  std::string resolve(const std::string& name) const {
    if (name == "$input") {
      return input_;
    }
    return std::find(local_.begin(), local_.end(), name) != local_.end() ? prefix_ + "." + name
                                                                         : name;
  }
  const std::string& prefix() const { return prefix_; }
  const std::string& input() const { return input_; }

 private:
  const FieldReader& r_;
  std::string prefix_;
  std::string input_;
  std::map<std::string, const DocNode*> values_;
  std::vector<std::string> local_;
};

// The names of a block's layers as written (unnamed ones: type + position).
std::vector<std::string> local_names(const FieldReader& r, const DocNode& layers,
                                     const std::string& path) {
  std::vector<std::string> names;
  for (std::size_t k = 0; k < layers.items.size(); ++k) {
    const DocNode& entry = layers.items[k];
    const std::string entry_path = fmt::format("{}[{}]", path, k);
    if (entry.kind != DocNode::Kind::Map) {
      r.fail(entry, entry_path,
             fmt::format("expected a mapping like {{type: conv, ...}}, got {}", describe(entry)));
    }
    if (entry.find("use") != nullptr) {
      r.fail(entry, entry_path, "a block cannot use another block");
    }
    const DocNode* name = entry.find("name");
    const DocNode* type = entry.find("type");
    names.push_back(name != nullptr ? r.string(*name, entry_path + ".name")
                    : type != nullptr && type->kind == DocNode::Kind::String
                        ? fmt::format("{}{}", type->text, k + 1)
                        : fmt::format("layer{}", k + 1));
  }
  return names;
}

// A block's definition, checked: its layers and the defaults of its params.
struct BlockDef {
  std::string name;
  std::string path;  // blocks.NAME
  const DocNode* layers;
  const DocNode* params;  // may be null
};

BlockDef find_block(const FieldReader& r, const DocNode& use, const DocNode* blocks,
                    const std::string& path) {
  const std::string block_name = r.string(*use.find("use"), path + ".use");
  const DocNode* block = blocks != nullptr ? blocks->find(block_name) : nullptr;
  if (block == nullptr) {
    r.fail(*use.find("use"), path + ".use",
           fmt::format("no block '{}'{}", block_name,
                       blocks != nullptr ? did_you_mean(block_name, blocks->keys)
                                         : std::string("; define it under a top-level 'blocks:'")));
  }
  const std::string def_path = "blocks." + block_name;
  if (block->kind != DocNode::Kind::Map) {
    r.fail(
        *block, def_path,
        fmt::format("expected a mapping with 'layers' (and 'params'), got {}", describe(*block)));
  }
  check_keys(r, *block, def_path, {"params", "layers"});
  const DocNode* layers = block->find("layers");
  if (layers == nullptr || layers->kind != DocNode::Kind::Seq || layers->items.empty()) {
    r.fail(layers != nullptr ? *layers : *block, def_path + ".layers",
           "a block needs a non-empty list of layers");
  }
  const DocNode* params = block->find("params");
  if (params != nullptr && params->kind != DocNode::Kind::Map) {
    r.fail(*params, def_path + ".params", "expected a mapping of parameter names to defaults");
  }
  return {block_name, def_path, layers, params};
}

// The values of the block's params in repetition `rep`: the defaults, then
// `with` (a value, or `each:` a list of one per repetition).
std::map<std::string, const DocNode*> values_of(const FieldReader& r, const BlockDef& block,
                                                const DocNode* with, const std::string& path,
                                                std::int64_t repeat, std::int64_t rep) {
  std::map<std::string, const DocNode*> values;
  const DocNode* params = block.params;
  for (std::size_t i = 0; params != nullptr && i < params->keys.size(); ++i) {
    values[params->keys[i]] = &params->items[i];
  }
  for (std::size_t i = 0; with != nullptr && i < with->keys.size(); ++i) {
    const DocNode& v = with->items[i];
    const DocNode* each = v.kind == DocNode::Kind::Map ? v.find("each") : nullptr;
    if (each != nullptr && (each->kind != DocNode::Kind::Seq ||
                            each->items.size() != static_cast<std::size_t>(repeat))) {
      r.fail(*each, fmt::format("{}.with.{}.each", path, with->keys[i]),
             fmt::format("expected a list of {} values, one per repetition", repeat));
    }
    values[with->keys[i]] = each != nullptr ? &each->items[static_cast<std::size_t>(rep)] : &v;
  }
  return values;
}

// A block layer rewritten as a plain entry of the net: its name prefixed,
// its inputs resolved (the first layer reads the block's input).
DocNode net_entry(const FieldReader& r, const Instance& instance, const DocNode& node,
                  const std::string& local_name, bool first, const std::string& at) {
  const DocNode* given = node.find("inputs");
  DocNode inputs;
  inputs.kind = DocNode::Kind::Seq;
  inputs.pos = given != nullptr ? given->pos : node.pos;
  if (given != nullptr) {
    for (const DocNode& item :
         given->kind == DocNode::Kind::Seq ? given->items : std::vector<DocNode>{*given}) {
      const std::string name = instance.resolve(r.string(item, at + ".inputs"));
      inputs.items.push_back(quoted_string(name, inputs.pos));
    }
  } else if (first) {
    inputs.items.push_back(quoted_string(instance.input(), inputs.pos));
  }
  DocNode entry;
  entry.kind = DocNode::Kind::Map;
  entry.pos = node.pos;
  const auto add = [&](std::string key, SourcePos key_pos, DocNode value) {
    entry.keys.push_back(std::move(key));
    entry.key_pos.push_back(key_pos);
    entry.items.push_back(std::move(value));
  };
  for (std::size_t i = 0; i < node.keys.size(); ++i) {
    if (node.keys[i] != "name" && node.keys[i] != "inputs") {
      add(node.keys[i], node.key_pos[i], node.items[i]);
    }
  }
  const DocNode* name = node.find("name");
  const SourcePos name_pos = name != nullptr ? name->pos : node.pos;
  add("name", name_pos, quoted_string(instance.prefix() + "." + local_name, name_pos));
  if (!inputs.items.empty()) {
    add("inputs", inputs.pos, inputs);
  }
  return entry;
}

}  // namespace

std::vector<BlockLayer> expand_use(const FieldReader& r, const DocNode& use, const DocNode* blocks,
                                   const std::string& path, const std::string& previous,
                                   std::size_t max_layers) {
  check_keys(r, use, path, {"name", "use", "repeat", "with", "inputs"});
  const BlockDef block = find_block(r, use, blocks, path);
  const std::vector<DocNode>& layers = block.layers->items;
  const std::int64_t repeat =
      use.find("repeat") != nullptr ? r.integer(*use.find("repeat"), path + ".repeat", 1) : 1;
  if (static_cast<std::uint64_t>(repeat) * layers.size() > max_layers) {
    r.fail(*use.find("repeat"), path + ".repeat",
           fmt::format("more than {} layers (raise the limit with --max-layers)", max_layers));
  }
  const DocNode* with = use.find("with");
  if (with != nullptr && with->kind != DocNode::Kind::Map) {
    r.fail(*with, path + ".with", "expected a mapping of parameter names to values");
  }
  if (with != nullptr) {
    check_keys(r, *with, path + ".with",
               block.params != nullptr ? block.params->keys : std::vector<std::string>{});
  }
  const std::vector<std::string> local = local_names(r, *block.layers, block.path + ".layers");
  const std::string name =
      use.find("name") != nullptr ? r.string(*use.find("name"), path + ".name") : block.name;
  std::string input = previous;
  if (const DocNode* inputs = use.find("inputs")) {
    input = inputs->kind == DocNode::Kind::Seq && !inputs->items.empty()
                ? r.string(inputs->items[0], path + ".inputs[0]")
                : r.string(*inputs, path + ".inputs");
  }
  std::vector<BlockLayer> out;
  for (std::int64_t rep = 0; rep < repeat; ++rep) {
    const Instance instance(r, repeat > 1 ? fmt::format("{}{}", name, rep + 1) : name, input,
                            values_of(r, block, with, path, repeat, rep), local);
    for (std::size_t k = 0; k < layers.size(); ++k) {
      const std::string at = fmt::format("{} ({} of '{}'): {}.layers[{}]", path, instance.prefix(),
                                         block.name, block.path, k);
      const DocNode node = instance.substitute(layers[k], at);
      out.push_back({net_entry(r, instance, node, local[k], k == 0, at), at});
    }
    input = instance.prefix() + "." + local.back();
  }
  return out;
}

}  // namespace netlens
