// Layer and its parameters, as written in a spec (before any shape is known).
// Per-axis fields keep the form they were written in (one int for every axis,
// or a list) because the spatial rank is only known once the input is.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"
#include "model/heap_optional.h"
#include "model/per_axis.h"

namespace netlens {

enum class LayerKind : std::uint8_t {
  Conv,
  ConvTranspose,
  MaxPool,
  AvgPool,
  AdaptiveAvgPool,
  AdaptiveMaxPool,
  GlobalAvgPool,
  GlobalMaxPool,
  Linear,
  Flatten,
  Pad,
  Crop,
  Upsample,
  BatchNorm,
  Lrn,
  Dropout,
  Identity,
  Activation,
  Add,
  Mul,
  Concat,
};

bool is_merge(LayerKind kind);
bool is_pool(LayerKind kind);  // max/avg pooling with a window

// A per-axis field: one value for every axis (`scalar`) or one per axis.
template <class T>
struct AxisParam {
  PerAxis<T> values;
  bool scalar = true;
  bool given = false;
  SourcePos pos;

  static AxisParam of(T value) {
    AxisParam p;
    p.values.push_back(value);
    p.given = true;
    return p;
  }
};

enum class PadMode : std::uint8_t { Explicit, Same, SameLower, Valid };

// `padding`: an int, a list per axis, a list of [before, after] pairs per
// axis, or one of the strings valid / same / same_lower.
struct PaddingParam {
  PadMode mode = PadMode::Explicit;
  PerAxis<std::array<std::int64_t, 2>> pairs;  // Explicit only
  bool scalar = true;
  bool given = false;
  SourcePos pos;
};

enum class UpsampleMode : std::uint8_t { Nearest, Bilinear };

// The sliding window of convs and pools (and a pad layer's padding), kept
// out of line: a relu, batchnorm or add has none, and these would be half
// of its Layer.
struct WindowParams {
  AxisParam<std::int64_t> kernel_size;
  AxisParam<std::int64_t> stride;
  AxisParam<std::int64_t> dilation;
  PaddingParam padding;
  std::optional<bool> ceil_mode;
};

// Fields only a few layer kinds have (transposed convs, adaptive pools,
// upsampling, crop), kept out of line: a million-layer net holds a million
// Layers, and these would be 40% of each.
struct LayerExtras {
  AxisParam<std::int64_t> output_padding;
  AxisParam<std::int64_t> output_size;  // adaptive pools
  AxisParam<double> scale_factor;       // upsample
  AxisParam<std::int64_t> crop_size;    // crop: the output size
  AxisParam<std::int64_t> crop_offset;  // crop: where it starts (default: centred)
  PaddingParam cropping;                // crop: amounts cut [before, after] (Keras)
};

struct Layer {
  std::string name;
  LayerKind kind = LayerKind::Identity;
  // Canonical type name: conv, relu, global_avgpool, ... Always a string
  // literal (the type table's): a million layers need no copy of it.
  std::string_view type;
  int alias_rank = 0;  // 2 when written as Conv2d / MaxPooling2D; 0 = any rank
  SourcePos pos;       // where the layer's entry starts
  SourcePos type_pos;

  std::vector<std::string> inputs;  // empty: the previous layer (or the input)
  std::vector<SourcePos> input_pos;
  SourcePos inputs_pos;

  // conv / conv_transpose / linear: out_channels or out_features
  std::int64_t out_channels = 0;
  SourcePos out_channels_pos;
  std::optional<std::int64_t> in_channels;  // optional declared value, checked
  SourcePos in_channels_pos;
  std::int64_t groups = 1;
  SourcePos groups_pos;
  bool bias = true;
  bool affine = true;  // batchnorm

  UpsampleMode mode = UpsampleMode::Nearest;
  bool align_corners = false;         // bilinear upsample
  HeapOptional<WindowParams> window;  // allocated on the first write
  HeapOptional<LayerExtras> extras;   // allocated on the first write

  const WindowParams& window_params() const;  // the defaults when never written
  WindowParams& window_params_mut() { return window ? *window : window.emplace(); }
  const LayerExtras& extra() const;  // the defaults when never written
  LayerExtras& extra_mut() { return extras ? *extras : extras.emplace(); }
};

}  // namespace netlens
