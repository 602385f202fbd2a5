// The layer-type vocabulary: canonical names, PyTorch/Keras aliases, and the
// fields each type accepts (with Keras aliases of field names).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/layer.h"
#include "model/suggest.h"

namespace netlens {

struct LayerType {
  LayerKind kind;
  std::string_view canonical;  // conv, leaky_relu, ...: a string literal
  int rank = 0;                // 2 for Conv2d; 0 = any
  // PyTorch's UpsamplingBilinear2d (align_corners=True) / UpsamplingNearest2d.
  bool fixed_bilinear = false;
  bool fixed_nearest = false;
  bool keras_upsampling = false;  // UpSampling2D: `size` is the factor
};

// Case-insensitive; '_' and '-' are ignored ("MaxPool2d", "max_pool_2d").
std::optional<LayerType> find_layer_type(std::string_view name);

// The closest known type name, for "did you mean" (empty when none is close).
std::string suggest_layer_type(std::string_view name);

// The canonical field names a layer type accepts, in the order docs show them.
const std::vector<std::string>& fields_of(LayerKind kind, std::string_view canonical);

// Canonical field name for a key as written: strides -> stride, filters ->
// out_channels (for the given type). Unchanged when not an alias (then a view
// of `key`).
std::string_view canonical_field(LayerKind kind, std::string_view key);

}  // namespace netlens
