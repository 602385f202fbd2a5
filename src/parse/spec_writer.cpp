#include "parse/spec_writer.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

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

template <class T>
std::string axis_list(const AxisParam<T>& p) {
  return p.scalar ? fmt::format("{}", p.values[0]) : fmt::format("[{}]", fmt::join(p.values, ", "));
}

std::string padding(const PaddingParam& p) {
  switch (p.mode) {
    case PadMode::Same:
      return "same";
    case PadMode::SameLower:
      return "same_lower";
    case PadMode::Valid:
      return "valid";
    case PadMode::Explicit:
      break;
  }
  std::vector<std::string> pairs;
  for (const auto& v : p.values) {
    pairs.push_back(fmt::format("[{}, {}]", v[0], v[1]));
  }
  return p.scalar && !pairs.empty() ? pairs[0] : fmt::format("[{}]", fmt::join(pairs, ", "));
}

const char* mode_name(UpsampleMode m) {
  switch (m) {
    case UpsampleMode::Nearest:
      return "nearest";
    case UpsampleMode::NearestExact:
      return "nearest-exact";
    case UpsampleMode::Bilinear:
      return "bilinear";
    case UpsampleMode::Bicubic:
      return "bicubic";
  }
  return "nearest";
}

void window_fields(const Layer& l, std::vector<std::string>& f) {
  const WindowParams& w = *l.window;
  if (w.kernel_size.given) f.push_back("kernel_size: " + axis_list(w.kernel_size));
  if (w.stride.given) f.push_back("stride: " + axis_list(w.stride));
  if (w.padding.given) f.push_back("padding: " + padding(w.padding));
  if (w.dilation.given) f.push_back("dilation: " + axis_list(w.dilation));
  if (w.ceil_mode) f.push_back(fmt::format("ceil_mode: {}", *w.ceil_mode));
}

// The fields of one layer, by kind.
std::vector<std::string> fields(const Layer& l) {
  std::vector<std::string> f;
  const LayerExtras& x = *l.extra;
  switch (l.kind) {
    case LayerKind::Conv:
    case LayerKind::ConvTranspose:
      f.push_back(fmt::format("out_channels: {}", l.out_channels));
      window_fields(l, f);
      f.push_back(fmt::format("groups: {}", l.groups));
      f.push_back(fmt::format("bias: {}", l.bias));
      if (x.output_padding.given) f.push_back("output_padding: " + axis_list(x.output_padding));
      break;
    case LayerKind::MaxPool:
    case LayerKind::AvgPool:
    case LayerKind::Pad:
      window_fields(l, f);
      break;
    case LayerKind::Linear:
      f.push_back(fmt::format("out_features: {}", l.out_channels));
      f.push_back(fmt::format("bias: {}", l.bias));
      break;
    case LayerKind::Flatten:
      f.push_back(fmt::format("start_dim: {}", x.dim));
      f.push_back(fmt::format("end_dim: {}", x.end_dim));
      break;
    case LayerKind::Upsample:
      if (x.scale_factor.given) f.push_back("scale_factor: " + axis_list(x.scale_factor));
      if (x.output_size.given) f.push_back("size: " + axis_list(x.output_size));
      f.push_back(fmt::format("mode: {}", mode_name(l.mode)));
      if (l.align_corners) f.push_back("align_corners: true");
      break;
    case LayerKind::BatchNorm:
    case LayerKind::InstanceNorm:
      if (l.affine) f.push_back(fmt::format("affine: {}", *l.affine));
      break;
    case LayerKind::LayerNorm:
      if (!x.dims.empty())
        f.push_back(fmt::format("normalized_shape: [{}]", fmt::join(x.dims, ", ")));
      f.push_back(fmt::format("bias: {}", l.bias));
      break;
    case LayerKind::GroupNorm:
      f.push_back(fmt::format("num_groups: {}", l.groups));
      break;
    case LayerKind::PRelu:
      f.push_back(fmt::format("num_parameters: {}", x.num_parameters));
      break;
    case LayerKind::Scale:
      if (x.value) f.push_back(fmt::format("value: {}", *x.value));
      break;
    case LayerKind::Reduce:
    case LayerKind::Permute:
      f.push_back(fmt::format("dims: [{}]", fmt::join(x.dims, ", ")));
      if (l.kind == LayerKind::Reduce) f.push_back(fmt::format("keepdim: {}", x.keepdim));
      break;
    case LayerKind::Slice:
      f.push_back(fmt::format("dim: {}", x.dim));
      if (!x.sizes.empty()) {
        f.push_back(fmt::format("sizes: [{}]", fmt::join(x.sizes, ", ")));
      } else if (x.chunks > 0) {
        f.push_back(fmt::format("chunks: {}", x.chunks));
      } else {
        f.push_back(fmt::format("start: {}", x.start));
        if (x.stop) f.push_back(fmt::format("stop: {}", *x.stop));
        f.push_back(fmt::format("step: {}", x.step));
      }
      break;
    case LayerKind::PixelShuffle:
      f.push_back(fmt::format("upscale_factor: {}", x.factor));
      break;
    case LayerKind::PixelUnshuffle:
      f.push_back(fmt::format("downscale_factor: {}", x.factor));
      break;
    case LayerKind::Concat:
      if (x.dim_given) f.push_back(fmt::format("dim: {}", x.dim));
      break;
    case LayerKind::Reshape:
    case LayerKind::Expand:
    case LayerKind::Constant:
      f.push_back(fmt::format("shape: [{}]", fmt::join(x.shape, ", ")));
      if (x.learned) f.push_back("learned: true");
      break;
    case LayerKind::Tile:
      f.push_back(fmt::format("repeats: [{}]", fmt::join(x.shape, ", ")));
      break;
    case LayerKind::Gather:
      f.push_back(fmt::format("dim: {}", x.dim));
      if (x.shape_given) f.push_back(fmt::format("index_shape: [{}]", fmt::join(x.shape, ", ")));
      break;
    default:
      break;
  }
  return f;
}

}  // namespace

std::string write_spec(const Net& net) {
  std::string out = fmt::format("# {} as a netlens spec (netlens convert)\nname: {}\n",
                                net.source.empty() ? net.name : net.source, scalar(net.name));
  if (net.input_dims) {
    out += fmt::format("input: {{shape: [{}]}}\n", fmt::join(*net.input_dims, ", "));
  } else if (net.input_flat) {
    out += fmt::format("input: {{features: {}}}\n", net.channels.value_or(1));
  } else {
    out += fmt::format("input: {{size: [{}], channels: {}}}\n", fmt::join(net.input_size, ", "),
                       net.channels.value_or(3));
  }
  out += fmt::format("convention: {}\n", convention_name(net.convention));
  if (!net.outputs.empty()) {
    std::vector<std::string> names;
    for (const std::string& o : net.outputs) names.push_back(scalar(o));
    out += fmt::format("outputs: [{}]\n", fmt::join(names, ", "));
  }
  out += "layers:\n";
  for (const Layer& l : net.layers) {
    std::string name = l.name;
    if (l.kind == LayerKind::Slice && (!l.extra->sizes.empty() || l.extra->chunks > 0)) {
      // One split entry makes every part, NAME.0, NAME.1, ...: written at part 0.
      if (l.extra->part != 0) continue;
      name = name.substr(0, name.rfind('.'));
    }
    std::vector<std::string> f{"name: " + scalar(name), fmt::format("type: {}", l.type)};
    if (!l.inputs.empty()) {
      std::vector<std::string> ins;
      for (const std::string& i : l.inputs) ins.push_back(scalar(i));
      f.push_back(fmt::format("inputs: [{}]", fmt::join(ins, ", ")));
    }
    for (std::string& field : fields(l)) f.push_back(std::move(field));
    out += fmt::format("  - {{{}}}\n", fmt::join(f, ", "));
  }
  return out;
}

}  // namespace netlens
