#include "model/layer_types.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <vector>

#include "model/suggest.h"

namespace netlens {

namespace {

using K = LayerKind;
using R = Reads;

// The order is the one suggestions and docs list the types in.
// clang-format off
constexpr std::array kTypes{
  //         name                kind                  reads         rank   aliases                                          fields                                                                            required                 inputs  stride=kernel
  LayerType{"conv",             K::Conv,             R::Window,     true,  "convolution",                                   "out_channels kernel_size stride padding dilation groups bias in_channels padding_mode", "out_channels kernel_size", 1, false},
  LayerType{"conv_transpose",   K::ConvTranspose,    R::Transposed, true,  "deconv deconvolution",                          "out_channels kernel_size stride padding dilation groups bias output_padding in_channels", "out_channels kernel_size", 1, false},
  LayerType{"maxpool",          K::MaxPool,          R::Window,     true,  "maxpooling",                                    "kernel_size stride padding dilation ceil_mode",                                  "kernel_size",           1, true},
  LayerType{"avgpool",          K::AvgPool,          R::Window,     true,  "averagepooling",                                "kernel_size stride padding ceil_mode count_include_pad",                         "kernel_size",           1, true},
  LayerType{"adaptive_avgpool", K::AdaptiveAvgPool,  R::Adaptive,   true,  "",                                              "output_size",                                                                    "output_size",           1, false},
  LayerType{"adaptive_maxpool", K::AdaptiveMaxPool,  R::Adaptive,   true,  "",                                              "output_size",                                                                    "output_size",           1, false},
  LayerType{"global_avgpool",   K::GlobalAvgPool,    R::Everything, true,  "globalaveragepooling",                          "",                                                                               "",                      1, false},
  LayerType{"global_maxpool",   K::GlobalMaxPool,    R::Everything, true,  "globalmaxpooling",                              "",                                                                               "",                      1, false},
  LayerType{"linear",           K::Linear,           R::Everything, false, "dense fc innerproduct",                         "out_features bias in_features",                                                  "out_features",          1, false},
  LayerType{"flatten",          K::Flatten,          R::Everything, false, "",                                              "start_dim end_dim",                                                                               "",                      1, false},
  LayerType{"pad",              K::Pad,              R::Window,     true,  "zeropad zeropadding constantpad",               "padding padding_mode",                                                           "padding",               1, false},
  LayerType{"upsample",         K::Upsample,         R::Resample,   true,  "upsampling interpolate resize",                 "scale_factor size mode align_corners recompute_scale_factor",                    "",                      2, false},
  LayerType{"pixel_shuffle",    K::PixelShuffle,     R::Transposed, false, "depthtospace",                                  "upscale_factor",                                                                 "upscale_factor",        1, false},
  LayerType{"pixel_unshuffle",  K::PixelUnshuffle,   R::Window,     false, "spacetodepth",                                  "downscale_factor",                                                               "downscale_factor",      1, false},
  LayerType{"batchnorm",        K::BatchNorm,        R::Same,       true,  "batchnormalization",                            "affine eps momentum num_features track_running_stats",                           "",                      1, false},
  LayerType{"layernorm",        K::LayerNorm,        R::Same,       false, "layernormalization layernorm2d",                "eps elementwise_affine bias normalized_shape",                                   "",                      1, false},
  LayerType{"groupnorm",        K::GroupNorm,        R::Same,       false, "groupnormalization",                            "num_groups num_channels eps affine",                                             "num_groups",            1, false},
  LayerType{"instancenorm",     K::InstanceNorm,     R::Same,       true,  "instancenormalization",                         "affine track_running_stats eps momentum num_features",                           "",                      1, false},
  LayerType{"lrn",              K::Lrn,              R::Same,       false, "localresponsenorm localresponsenormalization",  "lrn_size alpha beta k",                                                              "",                      1, false},
  LayerType{"dropout",          K::Dropout,          R::Same,       true,  "spatialdropout alphadropout featurealphadropout", "p inplace",                                                                      "",                      1, false},
  LayerType{"stochastic_depth", K::Dropout,          R::Same,       false, "droppath",                                      "p drop_mode",                                                                         "",                      1, false},
  LayerType{"identity",         K::Identity,         R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"relu",             K::Activation,       R::Same,       false, "",                                              "inplace",                                                                        "",                      1, false},
  LayerType{"relu6",            K::Activation,       R::Same,       false, "",                                              "inplace",                                                                        "",                      1, false},
  LayerType{"leaky_relu",       K::Activation,       R::Same,       false, "",                                              "inplace negative_slope alpha",                                                   "",                      1, false},
  LayerType{"elu",              K::Activation,       R::Same,       false, "",                                              "inplace alpha",                                                                  "",                      1, false},
  LayerType{"selu",             K::Activation,       R::Same,       false, "",                                              "inplace",                                                                        "",                      1, false},
  LayerType{"celu",             K::Activation,       R::Same,       false, "",                                              "inplace alpha",                                                                  "",                      1, false},
  LayerType{"gelu",             K::Activation,       R::Same,       false, "",                                              "inplace approximate",                                                            "",                      1, false},
  LayerType{"silu",             K::Activation,       R::Same,       false, "swish",                                         "inplace",                                                                        "",                      1, false},
  LayerType{"mish",             K::Activation,       R::Same,       false, "",                                              "inplace",                                                                        "",                      1, false},
  LayerType{"sigmoid",          K::Activation,       R::Same,       false, "",                                              "inplace",                                                                        "",                      1, false},
  LayerType{"hardsigmoid",      K::Activation,       R::Same,       false, "",                                              "inplace",                                                                        "",                      1, false},
  LayerType{"tanh",             K::Activation,       R::Same,       false, "",                                              "inplace",                                                                        "",                      1, false},
  LayerType{"hardtanh",         K::Activation,       R::Same,       false, "",                                              "inplace min_val max_val",                                                        "",                      1, false},
  LayerType{"hardswish",        K::Activation,       R::Same,       false, "",                                              "inplace",                                                                        "",                      1, false},
  LayerType{"softplus",         K::Activation,       R::Same,       false, "",                                              "beta threshold",                                                                 "",                      1, false},
  LayerType{"clamp",            K::Activation,       R::Same,       false, "clip",                                          "min max",                                                                        "",                      1, false},
  LayerType{"softsign",         K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"erf",              K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"pow",               K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"sqrt",              K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"softmax",          K::Activation,       R::Same,       false, "",                                              "dim",                                                                            "",                      1, false},
  LayerType{"log_softmax",      K::Activation,       R::Same,       false, "logsoftmax",                                    "dim",                                                                            "",                      1, false},
  LayerType{"exp",              K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"log",              K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"neg",              K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"abs",              K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"floor",            K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"ceil",             K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"round",            K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"sign",             K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"reciprocal",       K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"sin",              K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"cos",              K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"tan",              K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"asin",             K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"acos",             K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"atan",             K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"sinh",             K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"cosh",             K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"asinh",            K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"acosh",            K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"atanh",            K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"logical_not",      K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"isnan",            K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"isinf",            K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"thresholded_relu",K::Activation,       R::Same,       false, "",                                               "alpha",                                                                          "",                      1, false},
  LayerType{"shrink",           K::Activation,       R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"hardmax",          K::Activation,       R::Same,       false, "",                                              "dim",                                                                            "",                      1, false},
  LayerType{"quantize",         K::Identity,         R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"dequantize",       K::Identity,         R::Same,       false, "",                                              "",                                                                               "",                      1, false},
  LayerType{"prelu",            K::PRelu,            R::Same,       false, "",                                              "num_parameters init",                                                            "",                      1, false},
  LayerType{"scale",            K::Scale,            R::Same,       false, "layerscale",                                    "value",                                                                          "",                      1, false},
  LayerType{"mean",             K::Reduce,           R::Adaptive,   false, "reducemean",                                    "dims keepdim",                                                                   "dims",                  1, false},
  LayerType{"sum",              K::Reduce,           R::Adaptive,   false, "reducesum",                                     "dims keepdim",                                                                   "dims",                  1, false},
  LayerType{"amax",             K::Reduce,           R::Adaptive,   false, "reducemax",                                     "dims keepdim",                                                                   "dims",                  1, false},
  LayerType{"amin",             K::Reduce,           R::Adaptive,   false, "",                                              "dims keepdim",                                                                   "dims",                  1, false},
  LayerType{"prod",             K::Reduce,           R::Adaptive,   false, "",                                              "dims keepdim",                                                                   "dims",                  1, false},
  LayerType{"logsumexp",        K::Reduce,           R::Adaptive,   false, "",                                              "dims keepdim",                                                                   "dims",                  1, false},
  LayerType{"norm_l1",          K::Reduce,           R::Adaptive,   false, "",                                              "dims keepdim",                                                                   "dims",                  1, false},
  LayerType{"norm_l2",          K::Reduce,           R::Adaptive,   false, "",                                              "dims keepdim",                                                                   "dims",                  1, false},
  LayerType{"sum_square",       K::Reduce,           R::Adaptive,   false, "",                                              "dims keepdim",                                                                   "dims",                  1, false},
  LayerType{"log_sum",          K::Reduce,           R::Adaptive,   false, "",                                              "dims keepdim",                                                                   "dims",                  1, false},
  LayerType{"argmax",           K::Reduce,           R::Adaptive,   false, "",                                              "dims keepdim",                                                                   "dims",                  1, false},
  LayerType{"argmin",           K::Reduce,           R::Adaptive,   false, "",                                              "dims keepdim",                                                                   "dims",                  1, false},
  LayerType{"channel_shuffle",  K::ChannelShuffle,   R::Same,       false, "",                                              "groups",                                                                         "groups",                1, false},
  LayerType{"slice",            K::Slice,            R::Window,     false, "narrow",                                        "dim start stop step",                                                            "",                      1, false},
  LayerType{"split",            K::Slice,            R::Window,     false, "chunk",                                         "dim chunks sizes",                                                               "",                      1, false},
  LayerType{"permute",          K::Permute,          R::Same,       false, "transpose",                                     "dims",                                                                           "dims",                  1, false},
  LayerType{"class_token",      K::ClassToken,       R::Same,       false, "clstoken",                                      "tokens",                                                                         "",                      1, false},
  LayerType{"pos_embedding",    K::PosEmbedding,     R::Same,       false, "positionembedding positionalembedding",         "length interpolate",                                                             "",                      1, false},
  LayerType{"select",           K::Select,           R::Everything, false, "",                                              "dim index",                                                                      "index",                 1, false},
  LayerType{"attention",        K::Attention,        R::Everything, false, "multiheadattention selfattention",              "num_heads embed_dim bias kdim vdim dropout",                                     "num_heads",             3, false},
  LayerType{"window_attention", K::WindowAttention,  R::Windowed,   false, "shiftedwindowattention",                        "num_heads window_size shift_size bias dropout attention_dropout",                "num_heads window_size", 1, false},
  LayerType{"roll",             K::Roll,             R::Roll,       false, "",                                              "shifts dims",                                                                    "shifts dims",           1, false},
  LayerType{"window_mask",      K::WindowMask,       R::Same,       false, "",                                              "shift_size",                                                                     "shift_size",            1, false},
  LayerType{"patch_merge",      K::PatchMerge,       R::Window,     false, "patchmerging",                                  "",                                                                               "",                      1, false},
  LayerType{"reshape",          K::Reshape,          R::Everything, false, "view",                                          "shape",                                                                          "shape",                 1, false},
  LayerType{"unflatten",        K::Unflatten,        R::Everything, false, "",                                              "dim unflattened_size",                                                           "dim unflattened_size",  1, false},
  LayerType{"matmul",           K::MatMul,           R::Everything, false, "bmm",                                           "",                                                                               "inputs",                2, false},
  LayerType{"expand",           K::Expand,           R::Everything, false, "broadcastto",                                   "shape",                                                                          "shape",                 1, false},
  LayerType{"tile",             K::Tile,             R::Everything, false, "repeat",                                        "repeats",                                                                        "repeats",               1, false},
  LayerType{"gather",           K::Gather,           R::Everything, false, "indexselect embedding",                         "dim index_shape",                                                                "",                      2, false},
  LayerType{"constant",         K::Constant,         R::Everything, false, "",                                              "shape learned",                                                                  "shape",                 1, false},
  LayerType{"extra_input",      K::Constant,         R::Everything, false, "",                                              "shape",                                                                          "shape",                 1, false},
  LayerType{"add",              K::Elementwise,      R::Union,      false, "",                                              "",                                                                               "inputs",                0, false},
  LayerType{"sub",              K::Elementwise,      R::Union,      false, "subtract",                                      "",                                                                               "inputs",                0, false},
  LayerType{"mul",              K::Elementwise,      R::Union,      false, "multiply",                                      "",                                                                               "inputs",                0, false},
  LayerType{"div",              K::Elementwise,      R::Union,      false, "divide",                                        "",                                                                               "inputs",                0, false},
  LayerType{"max",              K::Elementwise,      R::Union,      false, "maximum",                                       "",                                                                               "inputs",                0, false},
  LayerType{"min",              K::Elementwise,      R::Union,      false, "minimum",                                       "",                                                                               "inputs",                0, false},
  LayerType{"eq",               K::Elementwise,      R::Union,      false, "",                                              "",                                                                               "inputs",                0, false},
  LayerType{"gt",               K::Elementwise,      R::Union,      false, "",                                              "",                                                                               "inputs",                0, false},
  LayerType{"lt",               K::Elementwise,      R::Union,      false, "",                                              "",                                                                               "inputs",                0, false},
  LayerType{"ge",               K::Elementwise,      R::Union,      false, "",                                              "",                                                                               "inputs",                0, false},
  LayerType{"le",               K::Elementwise,      R::Union,      false, "",                                              "",                                                                               "inputs",                0, false},
  LayerType{"logical_and",      K::Elementwise,      R::Union,      false, "",                                              "",                                                                               "inputs",                0, false},
  LayerType{"logical_or",       K::Elementwise,      R::Union,      false, "",                                              "",                                                                               "inputs",                0, false},
  LayerType{"logical_xor",      K::Elementwise,      R::Union,      false, "",                                              "",                                                                               "inputs",                0, false},
  LayerType{"remainder",        K::Elementwise,      R::Union,      false, "",                                              "",                                                                               "inputs",                0, false},
  LayerType{"where",            K::Elementwise,      R::Union,      false, "",                                              "",                                                                               "inputs",                0, false},
  LayerType{"crop",             K::Crop,             R::Window,     true,  "cropping",                                      "crop_size offset cropping",                                                           "",                      2, false},
  LayerType{"concat",           K::Concat,           R::Union,      false, "concatenate cat",                               "dim",                                                                            "inputs",                0, false},
};
// clang-format on

constexpr std::array kFields{
#define NETLENS_FIELD(id, key, format, member, choices) \
  FieldDef{Field::id, #id, key, FieldFormat::format, choices, #member},
#include "model/fields.def"
#undef NETLENS_FIELD
};

// Keras' and Caffe's names for fields; `only_for` empty: for every kind.
struct FieldAlias {
  std::string_view alias;
  std::string_view field;
  std::optional<LayerKind> only_for;
};
constexpr std::array kFieldAliases{
    FieldAlias{"strides", "stride", {}},         FieldAlias{"pool_size", "kernel_size", {}},
    FieldAlias{"dilation_rate", "dilation", {}}, FieldAlias{"use_bias", "bias", {}},
    FieldAlias{"filters", "out_channels", {}},   FieldAlias{"units", "out_features", {}},
    FieldAlias{"interpolation", "mode", {}},     FieldAlias{"rate", "p", {}},
    FieldAlias{"local_size", "size", K::Lrn},    FieldAlias{"axis", "dim", K::Activation},
    FieldAlias{"dim", "dims", K::Reduce},        FieldAlias{"axis", "dims", K::Reduce},
};

std::string normalize(std::string_view name) {
  std::string out = lower(name);
  std::erase_if(out, [](char c) { return c == '_' || c == '-'; });
  return out;
}

// `canonical` (lower case) with its '_' left out equals `n`.
bool same_normalized(std::string_view n, std::string_view canonical) {
  std::size_t i = 0;
  for (char c : canonical) {
    if (c != '_') {
      if (i == n.size() || n[i] != c) {
        return false;
      }
      ++i;
    }
  }
  return i == n.size();
}

// Whether `n` (normalized) is one of the row's names.
bool named(const LayerType& t, std::string_view n) {
  bool found = same_normalized(n, t.name);
  for_each_word(t.aliases, [&](std::string_view alias) { found = found || n == alias; });
  return found;
}

}  // namespace

std::span<const LayerType> layer_types() { return kTypes; }

const LayerType& layer_type(LayerKind kind) {
  // Asked for every layer, several times: the first row of each kind, found once.
  static const auto kFirst = [] {
    std::array<const LayerType*, kLayerKinds> first{};
    for (const LayerType& t : kTypes) {
      const LayerType*& slot = first[static_cast<std::size_t>(t.kind)];
      slot = slot == nullptr ? &t : slot;
    }
    return first;
  }();
  return *kFirst[static_cast<std::size_t>(kind)];  // every kind has a row (test_model_types.cpp)
}

std::optional<TypeMatch> find_layer_type(std::string_view name) {
  std::string n = normalize(name);
  // Keras spells the transposed conv "Conv2DTranspose": move the rank to the end.
  if (n.size() == 15 && n.starts_with("conv") && n.substr(5) == "dtranspose") {
    n = "convtranspose" + n.substr(4, 2);
  }
  TypeMatch match;
  // "UpsamplingNearest2d" / "UpsamplingBilinear2d" are PyTorch's fixed-mode upsamplers.
  for (const std::string_view fixed : {"upsamplingnearest", "upsamplingbilinear"}) {
    if (n.starts_with(fixed)) {
      match.fixed_bilinear = fixed[10] == 'b';
      match.fixed_nearest = !match.fixed_bilinear;
      n = "upsample" + n.substr(fixed.size());
    }
  }
  match.keras_upsampling = n.starts_with("upsampling");
  int rank = 0;
  if (n.size() > 2 && n.back() == 'd' && n[n.size() - 2] >= '1' && n[n.size() - 2] <= '3') {
    rank = n[n.size() - 2] - '0';
  }
  for (const LayerType& t : kTypes) {
    if (named(t, n)) {
      match.type = &t;
      return match;
    }
    if (rank != 0 && t.rank_suffix && named(t, std::string_view(n).substr(0, n.size() - 2))) {
      match.type = &t;
      match.rank = rank;
      return match;
    }
  }
  return std::nullopt;
}

std::string suggest_layer_type(std::string_view name) {
  // 'maxpol2d': the suggestion for the stem among the types that take a rank
  // suffix, with the suffix as written ('maxpool2d').
  const std::size_t n = name.size();
  const bool suffixed = n > 2 && (name[n - 1] == 'd' || name[n - 1] == 'D') && name[n - 2] >= '1' &&
                        name[n - 2] <= '3';
  std::vector<std::string> names;
  std::vector<std::string> normalized;  // conv_transpose -> convtranspose
  for (const LayerType& t : kTypes) {
    if (suffixed && !t.rank_suffix) {
      continue;
    }
    names.emplace_back(t.name);
    normalized.push_back(normalize(t.name));
  }
  const std::string lower = normalize(suffixed ? name.substr(0, n - 2) : name);
  std::string best = closest(lower, names);
  if (best.empty()) {
    const std::string hit = closest(lower, normalized);
    for (std::size_t i = 0; i < names.size() && !hit.empty(); ++i) {
      if (normalized[i] == hit) {
        best = names[i];
      }
    }
  }
  return best.empty() || !suffixed ? best : best + std::string(name.substr(n - 2));
}

std::string layer_type_names() {
  std::vector<std::string_view> names;
  for (const LayerType& t : kTypes) {
    names.push_back(t.name);
  }
  std::sort(names.begin(), names.end());
  return fmt::format("{}", fmt::join(names, ", "));
}

const FieldDef& field_def(Field field) { return kFields[static_cast<std::size_t>(field)]; }

namespace {
// A per-axis field's listed rank; 0 for the other members.
std::size_t rank_of(const auto& member) {
  if constexpr (requires { member.listed_rank(); }) {
    return member.listed_rank();
  }
  return 0;
}
}  // namespace

std::size_t listed_rank(const Layer& layer) {
  std::size_t rank = 0;
#define NETLENS_FIELD(id, key, format, member, choices) \
  rank = rank != 0 ? rank : rank_of(layer.member);
#include "model/fields.def"
#undef NETLENS_FIELD
  return rank;
}

std::optional<Field> field_named(std::string_view name) {
  for (const FieldDef& f : kFields) {
    if (f.name == name) {
      return f.id;
    }
  }
  return std::nullopt;
}

std::string_view canonical_field(LayerKind kind, std::string_view key) {
  for (const FieldAlias& a : kFieldAliases) {
    if (key == a.alias && (!a.only_for || *a.only_for == kind)) {
      return a.field;
    }
  }
  return key;
}

}  // namespace netlens
