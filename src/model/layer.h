// Layer and its parameters, as written in a spec (before any shape is known).
// Per-axis fields keep the form they were written in (one int for every axis,
// or a list) because the spatial rank is only known once the input is.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"
#include "model/fields.h"
#include "model/per_axis.h"

namespace netlens {

// The shape rule and cost of a layer: one line each in layer_kinds.def. Its
// names, fields and how it reads its input are the rows of model/layer_types.h.
enum class LayerKind : std::uint8_t {
#define NETLENS_KIND(kind, shape, whole, cost, erf) kind,
#include "model/layer_kinds.def"
#undef NETLENS_KIND
};
inline constexpr std::size_t kLayerKinds =
    std::initializer_list<LayerKind>{
#define NETLENS_KIND(kind, shape, whole, cost, erf) LayerKind::kind,
#include "model/layer_kinds.def"
#undef NETLENS_KIND
    }
        .size();

// A per-axis field: one value for every axis (`scalar`) or one per axis.
template <class T>
struct AxisParam {
  PerAxis<T> values;
  bool scalar = true;
  bool given = false;
  friend bool operator==(const AxisParam&, const AxisParam&) = default;

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
  friend bool operator==(const PaddingParam&, const PaddingParam&) = default;
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

// Where a field was written.
struct FieldPos {
  Field field;
  SourcePos pos;
};

// An inert field's value, as a spec writes it back: `1e-05`, `true`, `tanh`.
struct InertValue {
  Field field;
  std::string text;
  friend bool operator==(const InertValue&, const InertValue&) = default;
};

// The sliding window of convs and pools (and a pad layer's padding).
struct WindowParams {
  AxisParam<std::int64_t> kernel_size;
  AxisParam<std::int64_t> stride;
  AxisParam<std::int64_t> dilation;
  PaddingParam padding;
  std::optional<bool> ceil_mode;
};

// Fields only a few layer kinds have; model/fields.def says which field of a
// spec each member holds.
struct LayerExtras {
  AxisParam<std::int64_t> output_padding;  // conv_transpose
  AxisParam<std::int64_t> output_size;     // adaptive pools; upsample's `size`
  AxisParam<double> scale_factor;          // upsample
  UpsampleMode mode = UpsampleMode::Nearest;
  bool align_corners = false;
  bool recompute_scale_factor = false;         // taps from out / in, not the factor
  AxisParam<std::int64_t> crop_size;           // crop: the output size
  AxisParam<std::int64_t> crop_offset;         // crop: where it starts (unset: centred)
  PaddingParam cropping;                       // crop: amounts cut [before, after] (Keras)
  std::int64_t factor = 1;                     // pixel_shuffle / pixel_unshuffle
  std::string padding_mode = "zeros";          // pad, conv: what the added positions hold
  std::optional<bool> track_running_stats;     // norms: running mean and var as buffers
  std::vector<std::int64_t> normalized_shape;  // layernorm (empty: the channels)
  std::int64_t num_groups = 1;                 // groupnorm
  std::int64_t num_parameters = 1;             // prelu
  std::optional<double> value;                 // scale: a constant factor (no params)
  std::vector<std::int64_t>
      dims;              // reduce: the dims reduced; permute: the order; roll: the dims rolled
  bool keepdim = false;  // reduce
  // slice, split, select, gather: the dim (default 1); concat: the dim when
  // given, else the channels.
  std::optional<std::int64_t> dim;
  std::int64_t start_dim = 1;  // flatten
  std::int64_t end_dim = -1;
  std::int64_t start = 0;  // slice; stop nullopt: to the end
  std::optional<std::int64_t> stop;
  std::int64_t step = 1;
  // split: `chunks` equal parts (torch.chunk) or parts of `sizes` (torch.split);
  // each part is a layer of its own, NAME.0, NAME.1, ..., and `part` says which.
  std::int64_t chunks = 0;
  std::vector<std::int64_t> sizes;
  std::size_t part = 0;
  // attention and window_attention: heads and the key and value features
  // (nn.MultiheadAttention's kdim / vdim; default embed_dim).
  std::int64_t num_heads = 1;
  std::optional<std::int64_t> embed_dim;
  std::optional<std::int64_t> kdim;
  std::optional<std::int64_t> vdim;
  AxisParam<std::int64_t> window_size;  // window_attention
  AxisParam<std::int64_t> shift_size;
  std::vector<std::int64_t> shifts;  // roll: by how much each of `dims` is rolled
  std::int64_t tokens = 1;           // class_token: how many
  // pos_embedding: the table's tokens (extra ones included; unset: the
  // input's), and how it is resized to another grid (unset: it is not).
  std::optional<std::int64_t> length;
  std::optional<UpsampleMode> interpolate;
  std::int64_t index = 0;             // select: which token
  std::vector<std::int64_t> shape;    // reshape, expand, constant: the whole target, batch first
  std::vector<std::int64_t> repeats;  // tile
  std::optional<std::vector<std::int64_t>> index_shape;  // gather (else its second input's)
  bool learned = false;  // constant: its elements are parameters (a class token)
  // The parameters the layer holds, replacing its kind's count: an ONNX
  // file's weights (what the file holds is what counts).
  std::optional<std::int64_t> params;
  // The bytes an ONNX file stores the layer's weights in (float16: 2 per
  // param); unset: the params at the report's dtype.
  std::optional<std::int64_t> param_bytes;
  // The warning kinds accepted on this layer (their names): reported apart,
  // never hidden (docs/spec-format.md).
  std::vector<std::string> allow;
  // Inert fields as written (eps: 1e-05, inplace: true), written back.
  std::vector<InertValue> inert;
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
  std::vector<FieldPos> field_pos;  // where each field was written, for messages

  // conv / conv_transpose: out_channels; linear: out_features
  std::int64_t out_channels = 0;
  // A declared input count, checked: in_channels, in_features, num_features, num_channels
  std::optional<std::int64_t> in_channels;
  std::int64_t groups = 1;  // conv, channel_shuffle
  bool bias = true;
  std::optional<bool> affine;  // norms: learned scale and shift (unset: PyTorch's per kind)
  OutOfLine<WindowParams> window;
  OutOfLine<LayerExtras> extra;

  // Where `field` (or a field of the same member: in_features for
  // in_channels) was written; unknown when it was not.
  SourcePos pos_of(Field field) const {
    for (const FieldPos& f : field_pos) {
      if (f.field == field || field_def(f.field).member == field_def(field).member) {
        return f.pos;
      }
    }
    return {};
  }
};

// The number of spatial axes the first per-axis field written as a list
// gives (kernel_size: [3, 3] -> 2); 0 when none does.
std::size_t listed_rank(const Layer& layer);

}  // namespace netlens
