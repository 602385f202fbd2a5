#include "parse/layer_types.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "model/suggest.h"

namespace netlens {

namespace {

std::string normalize(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c != '_' && c != '-') {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

struct Alias {
  const char* name;  // normalized
  LayerKind kind;
  const char* canonical;
  int rank;
};

// Rank-suffixed aliases (Conv1d/2d/3d, MaxPooling1D/2D/3D) are generated below.
constexpr std::array<Alias, 46> kAliases{{
    {"conv", LayerKind::Conv, "conv", 0},
    {"convolution", LayerKind::Conv, "conv", 0},
    {"convtranspose", LayerKind::ConvTranspose, "conv_transpose", 0},
    {"deconv", LayerKind::ConvTranspose, "conv_transpose", 0},
    {"deconvolution", LayerKind::ConvTranspose, "conv_transpose", 0},
    {"maxpool", LayerKind::MaxPool, "maxpool", 0},
    {"maxpooling", LayerKind::MaxPool, "maxpool", 0},
    {"avgpool", LayerKind::AvgPool, "avgpool", 0},
    {"averagepooling", LayerKind::AvgPool, "avgpool", 0},
    {"adaptiveavgpool", LayerKind::AdaptiveAvgPool, "adaptive_avgpool", 0},
    {"adaptivemaxpool", LayerKind::AdaptiveMaxPool, "adaptive_maxpool", 0},
    {"globalavgpool", LayerKind::GlobalAvgPool, "global_avgpool", 0},
    {"globalaveragepooling", LayerKind::GlobalAvgPool, "global_avgpool", 0},
    {"globalmaxpool", LayerKind::GlobalMaxPool, "global_maxpool", 0},
    {"globalmaxpooling", LayerKind::GlobalMaxPool, "global_maxpool", 0},
    {"linear", LayerKind::Linear, "linear", 0},
    {"dense", LayerKind::Linear, "linear", 0},
    {"fc", LayerKind::Linear, "linear", 0},
    {"innerproduct", LayerKind::Linear, "linear", 0},
    {"flatten", LayerKind::Flatten, "flatten", 0},
    {"pad", LayerKind::Pad, "pad", 0},
    {"zeropad", LayerKind::Pad, "pad", 0},
    {"zeropadding", LayerKind::Pad, "pad", 0},
    {"constantpad", LayerKind::Pad, "pad", 0},
    {"upsample", LayerKind::Upsample, "upsample", 0},
    {"upsampling", LayerKind::Upsample, "upsample", 0},
    {"batchnorm", LayerKind::BatchNorm, "batchnorm", 0},
    {"batchnormalization", LayerKind::BatchNorm, "batchnorm", 0},
    {"lrn", LayerKind::Lrn, "lrn", 0},
    {"localresponsenorm", LayerKind::Lrn, "lrn", 0},
    {"localresponsenormalization", LayerKind::Lrn, "lrn", 0},
    {"dropout", LayerKind::Dropout, "dropout", 0},
    {"spatialdropout", LayerKind::Dropout, "dropout", 0},
    {"identity", LayerKind::Identity, "identity", 0},
    {"relu", LayerKind::Activation, "relu", 0},
    {"relu6", LayerKind::Activation, "relu6", 0},
    {"leakyrelu", LayerKind::Activation, "leaky_relu", 0},
    {"elu", LayerKind::Activation, "elu", 0},
    {"gelu", LayerKind::Activation, "gelu", 0},
    {"silu", LayerKind::Activation, "silu", 0},
    {"swish", LayerKind::Activation, "silu", 0},
    {"sigmoid", LayerKind::Activation, "sigmoid", 0},
    {"tanh", LayerKind::Activation, "tanh", 0},
    {"hardswish", LayerKind::Activation, "hardswish", 0},
    {"softmax", LayerKind::Activation, "softmax", 0},
    {"add", LayerKind::Add, "add", 0},
}};

constexpr std::array<Alias, 7> kMoreAliases{{
    {"crop", LayerKind::Crop, "crop", 0},
    {"cropping", LayerKind::Crop, "crop", 0},
    {"mul", LayerKind::Mul, "mul", 0},
    {"multiply", LayerKind::Mul, "mul", 0},
    {"concat", LayerKind::Concat, "concat", 0},
    {"concatenate", LayerKind::Concat, "concat", 0},
    {"cat", LayerKind::Concat, "concat", 0},
}};

// Types whose PyTorch/Keras names carry the rank: Conv2d, Conv2DTranspose, ...
bool takes_rank_suffix(LayerKind kind) {
  switch (kind) {
    case LayerKind::Conv:
    case LayerKind::ConvTranspose:
    case LayerKind::MaxPool:
    case LayerKind::AvgPool:
    case LayerKind::AdaptiveAvgPool:
    case LayerKind::AdaptiveMaxPool:
    case LayerKind::GlobalAvgPool:
    case LayerKind::GlobalMaxPool:
    case LayerKind::Pad:
    case LayerKind::Crop:
    case LayerKind::Upsample:
    case LayerKind::BatchNorm:
    case LayerKind::Dropout:
      return true;
    default:
      return false;
  }
}

template <class F>
void for_each_alias(F&& f) {
  for (const Alias& a : kAliases) {
    f(a);
  }
  for (const Alias& a : kMoreAliases) {
    f(a);
  }
}

}  // namespace

std::optional<LayerType> find_layer_type(std::string_view name) {
  std::string n = normalize(name);
  // Keras spells the transposed conv "Conv2DTranspose": move the rank to the end.
  if (n.size() == 15 && n.rfind("conv", 0) == 0 && n.substr(5) == "dtranspose") {
    n = "convtranspose" + n.substr(4, 2);
  }
  // "UpsamplingNearest2d" / "UpsamplingBilinear2d" are PyTorch's fixed-mode upsamplers.
  bool fixed_bilinear = false;
  bool fixed_nearest = false;
  for (const char* fixed : {"upsamplingnearest", "upsamplingbilinear"}) {
    if (n.rfind(fixed, 0) == 0) {
      fixed_bilinear = fixed[10] == 'b';
      fixed_nearest = !fixed_bilinear;
      n = "upsample" + n.substr(std::string_view(fixed).size());
    }
  }
  const bool keras_upsampling = n.rfind("upsampling", 0) == 0;
  int rank = 0;
  if (n.size() > 2 && n.back() == 'd' && n[n.size() - 2] >= '1' && n[n.size() - 2] <= '3') {
    rank = n[n.size() - 2] - '0';
  }
  std::optional<LayerType> found;
  for_each_alias([&](const Alias& a) {
    if (found) {
      return;
    }
    if (n == a.name) {
      found = LayerType{a.kind, a.canonical, 0};
    } else if (rank != 0 && takes_rank_suffix(a.kind) && n.substr(0, n.size() - 2) == a.name) {
      found = LayerType{a.kind, a.canonical, rank};
    }
  });
  if (found) {
    found->fixed_bilinear = fixed_bilinear;
    found->fixed_nearest = fixed_nearest;
    found->keras_upsampling = keras_upsampling;
  }
  return found;
}

std::string suggest_layer_type(std::string_view name) {
  std::vector<std::string> names;
  for_each_alias([&](const Alias& a) {
    if (std::find(names.begin(), names.end(), a.canonical) == names.end()) {
      names.emplace_back(a.canonical);
    }
  });
  std::string lower = normalize(name);
  std::string best = closest(lower, names);
  if (best.empty()) {
    // Compare against normalized canonical names (conv_transpose -> convtranspose).
    std::vector<std::string> normalized;
    for (const auto& c : names) {
      normalized.push_back(normalize(c));
    }
    const std::string hit = closest(lower, normalized);
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (!hit.empty() && normalized[i] == hit) {
        best = names[i];
      }
    }
  }
  return best;
}

const std::vector<std::string>& fields_of(LayerKind kind, std::string_view canonical) {
  static const std::vector<std::string> kConv{"name",        "type",   "inputs",     "out_channels",
                                              "kernel_size", "stride", "padding",    "dilation",
                                              "groups",      "bias",   "in_channels"};
  static const std::vector<std::string> kConvT{
      "name",    "type",     "inputs", "out_channels", "kernel_size",    "stride",
      "padding", "dilation", "groups", "bias",         "output_padding", "in_channels"};
  static const std::vector<std::string> kMaxPool{"name",   "type",    "inputs",   "kernel_size",
                                                 "stride", "padding", "dilation", "ceil_mode"};
  static const std::vector<std::string> kAvgPool{
      "name",   "type",    "inputs",    "kernel_size",
      "stride", "padding", "ceil_mode", "count_include_pad"};
  static const std::vector<std::string> kAdaptive{"name", "type", "inputs", "output_size"};
  static const std::vector<std::string> kPlain{"name", "type", "inputs"};
  static const std::vector<std::string> kLinear{"name",         "type", "inputs",
                                                "out_features", "bias", "in_features"};
  static const std::vector<std::string> kPad{"name", "type", "inputs", "padding"};
  static const std::vector<std::string> kCrop{"name", "type",   "inputs",
                                              "size", "offset", "cropping"};
  static const std::vector<std::string> kUpsample{"name",         "type", "inputs",
                                                  "scale_factor", "mode", "align_corners"};
  static const std::vector<std::string> kBatchNorm{"name", "type",     "inputs",      "affine",
                                                   "eps",  "momentum", "num_features"};
  static const std::vector<std::string> kLrn{"name",  "type", "inputs", "size",
                                             "alpha", "beta", "k"};
  static const std::vector<std::string> kDropout{"name", "type", "inputs", "p"};
  static const std::vector<std::string> kActivation{"name", "type", "inputs", "inplace"};
  static const std::vector<std::string> kSlope{"name",    "type",           "inputs",
                                               "inplace", "negative_slope", "alpha"};
  static const std::vector<std::string> kAlpha{"name", "type", "inputs", "inplace", "alpha"};
  static const std::vector<std::string> kSoftmax{"name", "type", "inputs", "dim"};
  switch (kind) {
    case LayerKind::Conv:
      return kConv;
    case LayerKind::ConvTranspose:
      return kConvT;
    case LayerKind::MaxPool:
      return kMaxPool;
    case LayerKind::AvgPool:
      return kAvgPool;
    case LayerKind::AdaptiveAvgPool:
    case LayerKind::AdaptiveMaxPool:
      return kAdaptive;
    case LayerKind::Linear:
      return kLinear;
    case LayerKind::Pad:
      return kPad;
    case LayerKind::Crop:
      return kCrop;
    case LayerKind::Upsample:
      return kUpsample;
    case LayerKind::BatchNorm:
      return kBatchNorm;
    case LayerKind::Lrn:
      return kLrn;
    case LayerKind::Dropout:
      return kDropout;
    case LayerKind::Activation:
      if (canonical == "leaky_relu") {
        return kSlope;
      }
      if (canonical == "elu") {
        return kAlpha;
      }
      if (canonical == "softmax") {
        return kSoftmax;
      }
      return kActivation;
    default:
      return kPlain;
  }
}

std::string_view canonical_field(LayerKind kind, std::string_view key) {
  if (key == "strides") {
    return "stride";
  }
  if (key == "pool_size") {
    return "kernel_size";
  }
  if (key == "dilation_rate") {
    return "dilation";
  }
  if (key == "use_bias") {
    return "bias";
  }
  if (key == "filters") {
    return "out_channels";
  }
  if (key == "units") {
    return "out_features";
  }
  if (key == "interpolation") {
    return "mode";
  }
  if (key == "rate") {
    return "p";
  }
  if (key == "local_size" && kind == LayerKind::Lrn) {
    return "size";
  }
  if (key == "axis" && kind == LayerKind::Activation) {
    return "dim";
  }
  return key;
}

}  // namespace netlens
