// The layer types: one row each, with everything the parser, the engine and
// the docs need to know of a type besides its shape rule and cost (those are
// per LayerKind in engine/). A new type is a row here plus, for a new kind,
// its rules (ARCHITECTURE.md, "How to add a layer type").
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "model/layer.h"

namespace netlens {

// How the units of a layer's output read the units of its input, axis by
// axis: all the receptive-field passes need to know of a type.
enum class Reads : std::uint8_t {
  Window,      // a sliding window (conv, pools, pad, crop): kernel, stride, padding
  Transposed,  // a transposed conv's window, run backwards
  Resample,    // upsampling taps: nearest or bilinear
  Adaptive,    // adaptive pooling's uneven windows
  Everything,  // every unit sees the whole input (global pools, linear, flatten)
  Same,        // unit i reads unit i (activations, norms, dropout)
  Union,       // unit i reads unit i of every input (merges)
  Windowed,    // unit i reads every unit of its (shifted) window: Swin attention
  Roll,        // unit i reads unit i - shift, cyclically (torch.roll)
};

struct LayerType {
  std::string_view name;  // canonical: what reports print
  LayerKind kind;
  Reads reads;
  bool rank_suffix;           // also written with the rank: Conv2d, MaxPooling2D
  std::string_view aliases;   // more names, normalized (see find_layer_type), space-separated
  std::string_view fields;    // the keys it takes besides name, type, inputs: space-separated
  std::string_view required;  // the keys it needs, space-separated
  std::size_t max_inputs;     // 0: any number (at least two)
  bool stride_is_kernel;      // pools: the stride defaults to the kernel size (and may be null)
};

std::span<const LayerType> layer_types();
// The row of a kind (for types that share a kind, such as the activations,
// the first: they share everything the engine asks).
const LayerType& layer_type(LayerKind kind);

// A type name as written, resolved: Conv2d, max_pool_2d, UpSampling2D, ...
struct TypeMatch {
  const LayerType* type = nullptr;
  int rank = 0;  // 2 for Conv2d; 0 = any
  // PyTorch's UpsamplingBilinear2d (align_corners=True) / UpsamplingNearest2d.
  bool fixed_bilinear = false;
  bool fixed_nearest = false;
  bool keras_upsampling = false;  // UpSampling2D: `size` is the factor
};

// Case-insensitive; '_' and '-' are ignored ("MaxPool2d", "max_pool_2d").
std::optional<TypeMatch> find_layer_type(std::string_view name);

// The closest known type name, for "did you mean" (empty when none is close).
std::string suggest_layer_type(std::string_view name);
// Every type name (not the aliases), sorted: "adaptive_avgpool, add, ...".
std::string layer_type_names();

// Canonical field name for a key as written: strides -> stride, filters ->
// out_channels (for the given kind). Unchanged when not an alias.
std::string_view canonical_field(LayerKind kind, std::string_view key);

// The words of a space-separated list, e.g. a row's fields.
template <class F>
void for_each_word(std::string_view words, F&& f) {
  while (!words.empty()) {
    const std::size_t end = words.find(' ');
    f(words.substr(0, end));
    words = end == std::string_view::npos ? std::string_view() : words.substr(end + 1);
  }
}

}  // namespace netlens
