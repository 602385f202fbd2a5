#include "parse/spec_writer.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "model/layer_types.h"
#include "parse/layer_fields.h"

namespace netlens {

namespace {

// A name as a YAML flow scalar: quoted (JSON-style escapes) unless plainly safe.
std::string scalar(const std::string& s) {
  const bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-' ||
           c == '/';
  }) && std::isalpha(static_cast<unsigned char>(s[0])) != 0;
  if (plain && s != "true" && s != "false" && s != "null" && s != "yes" && s != "no") {
    return s;
  }
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// [a, "b c"]: names as flow scalars.
std::string names_list(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const std::string& name : names) {
    out.push_back(scalar(name));
  }
  return fmt::format("[{}]", fmt::join(out, ", "));
}

// `type: conv2d` when the spec named the rank (it fixes the input's rank).
std::string type_name(const Layer& l) {
  return l.alias_rank != 0 && layer_type(l.kind).rank_suffix
             ? fmt::format("{}{}d", l.type, l.alias_rank)
             : std::string(l.type);
}

// Every field of the layer's type that differs from its default (and the
// required ones), in the row's order, then params and allow.
void add_fields(const Layer& l, std::vector<std::string>& f) {
  const LayerType& type = *find_layer_type(l.type)->type;
  const auto add = [&](std::string_view name) {
    const Field field = *field_named(name);
    bool required = false;
    for_each_word(type.required, [&](std::string_view r) { required = required || r == name; });
    if (const std::optional<std::string> text = write_field(l, field, required)) {
      f.push_back(fmt::format("{}: {}", field_def(field).key, *text));
    }
  };
  for_each_word(type.fields, add);
  add("params");
  add("allow");
}

// The seed's form (net: [[kernel, stride, padding], ...]): convs of no
// channel count that only it makes.
bool seed_form(const Net& net) {
  return std::any_of(net.layers.begin(), net.layers.end(), [](const Layer& l) {
    return l.kind == LayerKind::Conv && l.out_channels == 0;
  });
}

std::string write_seed_form(const Net& net) {
  std::vector<std::string> entries;
  std::vector<std::string> names;
  for (const Layer& l : net.layers) {
    entries.push_back(fmt::format("[{}, {}, {}]", l.window->kernel_size.at(0),
                                  l.window->stride.at(0), l.window->padding.at(0)[0]));
    names.push_back(l.name);
  }
  return fmt::format("net: [{}]\nname: {}\n", fmt::join(entries, ", "), names_list(names));
}

// The input as the spec gave it: one size for every axis stays one.
std::string input_line(const Net& net) {
  std::vector<std::string> parts;
  if (net.input_dims) {
    parts.push_back(fmt::format("shape: [{}]", fmt::join(*net.input_dims, ", ")));
  } else if (net.input_flat) {
    parts.push_back(fmt::format("features: {}", net.channels.value_or(1)));
  } else if (!net.input_size.empty()) {
    parts.push_back(net.input_size_scalar
                        ? fmt::format("size: {}", net.input_size[0])
                        : fmt::format("size: [{}]", fmt::join(net.input_size, ", ")));
  }
  if (net.channels && !net.input_flat && !net.input_dims) {
    parts.push_back(fmt::format("channels: {}", *net.channels));
  }
  if (net.input_channels_last) {
    parts.push_back("channels_last: true");
  }
  if (net.input_no_channels) {
    parts.push_back("channels: null");
  }
  if (net.batch.value_or(1) != 1) {
    parts.push_back(fmt::format("batch: {}", *net.batch));
  }
  return parts.empty() ? "" : fmt::format("input: {{{}}}\n", fmt::join(parts, ", "));
}

}  // namespace

std::string write_spec(const Net& net) {
  std::string out = fmt::format("# {} as a netlens spec (netlens convert)\n",
                                net.source.empty() ? net.name : net.source);
  const bool seed = seed_form(net);
  if (!seed) {
    out += fmt::format("name: {}\n", scalar(net.name));
  }
  out += input_line(net);
  out += fmt::format("convention: {}\n", convention_name(net.convention));
  if (seed) {
    return out + write_seed_form(net);
  }
  if (net.shared_params != 0) {
    out += fmt::format("shared_params: {}\n", net.shared_params);
  }
  if (!net.outputs.empty()) {
    out += fmt::format("outputs: {}\n", names_list(net.outputs));
  }
  out += "layers:\n";
  for (const Layer& l : net.layers) {
    std::string name = l.name;
    if (l.kind == LayerKind::Slice && (!l.extra->sizes.empty() || l.extra->chunks > 0)) {
      // One split entry makes every part, NAME.0, NAME.1, ...: written at part 0.
      if (l.extra->part != 0) {
        continue;
      }
      name = name.substr(0, name.rfind('.'));
    }
    std::vector<std::string> f{"name: " + scalar(name), "type: " + type_name(l)};
    if (!l.inputs.empty()) {
      f.push_back("inputs: " + names_list(l.inputs));
    }
    add_fields(l, f);
    out += fmt::format("  - {{{}}}\n", fmt::join(f, ", "));
  }
  return out;
}

}  // namespace netlens
