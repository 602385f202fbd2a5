// Net: a parsed spec. A chain is a graph whose layers each take the previous one.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "model/layer.h"

namespace netlens {

enum class Convention : std::uint8_t { PyTorch, Keras, Caffe };

const char* convention_name(Convention c);
std::optional<Convention> convention_from_name(std::string_view name);

struct Net {
  std::string name;
  std::string source;                // bundled:vgg16, file:path/to/net.yaml, stdin
  std::string file;                  // the name used in error messages
  PerAxis<std::int64_t> input_size;  // empty: not given
  // `size: 224` / `--input 224`: the same size on every axis, and the rank
  // comes from the layers (Conv1d, per-axis lists), else 2 (an image).
  bool input_size_scalar = false;
  SourcePos input_pos;
  std::optional<std::int64_t> channels;
  // The input's batch: an ONNX file's input gives one, --batch sets it (a
  // spec has none: 1).
  std::optional<std::int64_t> batch;
  // ONNX: the symbolic batch dim of the input, taken as 1 when --batch does
  // not give it (a warning says so).
  std::string assumed_batch;
  // ONNX: the If nodes whose condition depends on the input, each read
  // through its then branch (--onnx-branch chooses; a warning says so).
  std::vector<std::string> guessed_branches;
  // An ONNX input of [batch, features]: no spatial axes, `channels` features.
  bool input_flat = false;
  // (batch, spatial..., channels): an NHWC input (`channels_last: true`; an
  // ONNX file's whose Transposes make it NCHW, docs/onnx.md).
  bool input_channels_last = false;
  // (batch, spatial...), no channel axis: a waveform's [batch, samples]
  // (`channels: null`; an ONNX input that Unsqueezes add the channels to).
  bool input_no_channels = false;
  // An ONNX input outside the role model (0, 1 or 6 and more dims): the whole
  // tensor's dims (docs/semantics.md, "Whole tensors").
  std::optional<std::vector<std::int64_t>> input_dims;
  Convention convention = Convention::PyTorch;
  // A deque: layers arrive one by one as the spec is read, and a vector
  // would copy every Layer each time it grows (twice the memory touched).
  std::deque<Layer> layers;
  // `outputs:` (the names as written, and where): never dead layers.
  std::vector<std::string> outputs;
  std::vector<SourcePos> output_pos;
  // ONNX: the elements of initializers that several layers read (each
  // counts them: the totals say how many of the params are shared).
  std::int64_t shared_params = 0;
};

}  // namespace netlens
