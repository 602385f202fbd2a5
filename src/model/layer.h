// Layer and its parameters, as written in a spec (before any shape is known).
// Per-axis fields keep the form they were written in (one int for every axis,
// or a list) because the spatial rank is only known once the input is.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"
#include "model/per_axis.h"

namespace netlens {

// The shape rule and cost of a layer (engine/shape_rules.cpp, costs.cpp). Its
// names, fields and how it reads its input are the rows of model/layer_types.h.
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
  LayerNorm,
  GroupNorm,
  InstanceNorm,
  Lrn,
  Dropout,
  Identity,
  Activation,
  PRelu,
  Scale,
  Reduce,
  ChannelShuffle,
  Slice,
  PixelShuffle,
  PixelUnshuffle,
  Permute,
  ClassToken,       // learned tokens put in front of a token sequence
  PosEmbedding,     // a learned table added to every token
  Select,           // one token: x[:, 0]
  Attention,        // multi-head attention over every token
  WindowAttention,  // Swin's attention within (shifted) windows
  PatchMerge,       // Swin's 2x2 neighbours concatenated on channels
  // Kinds outside the role model: their outputs are whole tensors without
  // roles (docs/semantics.md, "Tensors without roles").
  Reshape,      // to `shape` (batch included; -1 once)
  MatMul,       // numpy's matmul of two tensors
  Expand,       // broadcast to `shape`
  Tile,         // `repeats` copies along each axis
  Gather,       // torch.index_select-like: `index_shape` indices on `dim`
  Constant,     // a tensor of `shape` computed from no input (an ONNX constant output)
  Elementwise,  // add, sub, mul, div, max, min: broadcasting
  Concat,       // the last kind (layer_types.cpp counts on it)
};

// A per-axis field: one value for every axis (`scalar`) or one per axis.
template <class T>
struct AxisParam {
  PerAxis<T> values;
  bool scalar = true;
  bool given = false;
  SourcePos pos;

  // The number of axes the written list implies; 0 when it does not say.
  std::size_t listed_rank() const { return given && !scalar ? values.size() : 0; }
  // The value on `axis` (the one value when `scalar`).
  const T& at(std::size_t axis) const { return values[scalar ? 0 : axis]; }

  static AxisParam of(T value) {
    AxisParam p;
    p.values.push_back(value);
    p.given = true;
    return p;
  }
};

enum class PadMode : std::uint8_t { Explicit, Same, SameLower, Valid };

// `padding`: an int, a list per axis, a list of [before, after] pairs per
// axis, or one of the strings valid / same / same_lower. The [before, after]
// pairs are the values when the mode is Explicit.
struct PaddingParam : AxisParam<std::array<std::int64_t, 2>> {
  PadMode mode = PadMode::Explicit;
};

enum class UpsampleMode : std::uint8_t { Nearest, NearestExact, Bilinear, Bicubic };

// A T kept out of line, made when first written through a non-const `->`;
// read through a const one, an empty one reads T's defaults. Most layers
// (relu, batchnorm, add) have no window and none of the rarer fields, and
// inline those were two thirds of a Layer: resnet152 took 65 more page faults
// (3.6 us each on the reference VM), 0.3 ms of its run.
template <class T>
class OutOfLine {
 public:
  OutOfLine() = default;
  OutOfLine(const OutOfLine& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  OutOfLine(OutOfLine&&) noexcept = default;
  OutOfLine& operator=(const OutOfLine& o) { return *this = OutOfLine(o); }
  OutOfLine& operator=(OutOfLine&&) noexcept = default;
  ~OutOfLine() = default;

  const T* operator->() const { return p_ ? p_.get() : &defaults(); }
  const T& operator*() const { return *operator->(); }
  T* operator->() {
    if (!p_) {
      p_ = std::make_unique<T>();
    }
    return p_.get();
  }

 private:
  static const T& defaults() {
    static const T kDefaults;
    return kDefaults;
  }
  std::unique_ptr<T> p_;
};

// The sliding window of convs and pools (and a pad layer's padding).
struct WindowParams {
  AxisParam<std::int64_t> kernel_size;
  AxisParam<std::int64_t> stride;
  AxisParam<std::int64_t> dilation;
  PaddingParam padding;
  std::optional<bool> ceil_mode;
};

// Fields only a few layer kinds have (transposed convs, adaptive pools,
// upsampling, crop, reductions, slices, permutes).
struct LayerExtras {
  AxisParam<std::int64_t> output_padding;
  AxisParam<std::int64_t> output_size;  // adaptive pools; upsample's `size`
  AxisParam<double> scale_factor;       // upsample
  bool recompute_scale_factor = false;  // upsample: taps from out / in, not the factor
  AxisParam<std::int64_t> crop_size;    // crop: the output size
  AxisParam<std::int64_t> crop_offset;  // crop: where it starts (default: centred)
  PaddingParam cropping;                // crop: amounts cut [before, after] (Keras)
  std::vector<std::int64_t> dims;       // reduce: the dims reduced; permute: the order
  SourcePos dims_pos;
  bool keepdim = false;  // reduce
  // slice: dim, start, stop (nullopt: the end), step; flatten: start_dim and end_dim
  std::int64_t dim = 1;
  bool dim_given = false;  // concat: on `dim`, else on the channels
  std::int64_t start = 0;
  std::optional<std::int64_t> stop;
  std::int64_t step = 1;
  std::int64_t end_dim = -1;
  // split: `chunks` equal parts (torch.chunk) or parts of `sizes` (torch.split);
  // each part is a layer of its own, NAME.0, NAME.1, ..., and `part` says which.
  std::int64_t chunks = 0;
  std::vector<std::int64_t> sizes;
  std::size_t part = 0;
  std::int64_t factor = 1;          // pixel_shuffle / pixel_unshuffle
  std::int64_t num_parameters = 1;  // prelu
  // ONNX: the elements of the float initializers the node reads as weights,
  // which replace the kind's count (what the file holds is what counts).
  std::optional<std::int64_t> file_params;
  std::optional<bool> track_running_stats;  // norms: running mean and var as buffers
  std::optional<double> value;              // scale: a constant factor (no params)
  // attention and window_attention: heads and the key and value features
  // (nn.MultiheadAttention's kdim / vdim; default embed_dim).
  std::int64_t num_heads = 1;
  std::optional<std::int64_t> embed_dim;
  std::optional<std::int64_t> kdim;
  std::optional<std::int64_t> vdim;
  SourcePos embed_dim_pos;
  AxisParam<std::int64_t> window_size;  // window_attention
  AxisParam<std::int64_t> shift_size;
  std::int64_t tokens = 1;  // class_token: how many
  std::int64_t index = 0;   // select: which token
  // reshape, expand, constant: the whole target shape; tile: the repeats;
  // gather: the shape of the indices.
  std::vector<std::int64_t> shape;
  bool shape_given = false;  // gather: [] is a scalar index
  bool learned = false;      // constant: its elements are parameters (a class token)
  SourcePos shape_pos;
};

struct Layer {
  std::string name;
  LayerKind kind = LayerKind::Identity;
  std::string_view type;  // canonical type name, from the type table: conv, relu, ...
  int alias_rank = 0;     // 2 when written as Conv2d / MaxPooling2D; 0 = any rank
  SourcePos pos;          // where the layer's entry starts
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
  std::optional<bool> affine;  // norms: learned scale and shift (default: PyTorch's per kind)

  UpsampleMode mode = UpsampleMode::Nearest;
  bool align_corners = false;  // bilinear upsample
  OutOfLine<WindowParams> window;
  OutOfLine<LayerExtras> extra;
};

}  // namespace netlens
