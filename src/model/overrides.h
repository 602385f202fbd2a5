// The command line's changes to a net's input (--input, --channels, --batch,
// --convention), applied by one function whichever reader made the net: to a
// spec's Net after parsing, to an ONNX file's by its reader before the first
// node (folding shape subgraphs needs the dims). One set of rules and texts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/net.h"

namespace netlens {

struct InputOverrides {
  std::string input;                     // --input as written, for messages; "" when not given
  PerAxis<std::int64_t> size;            // its sizes: one (every axis) or one per axis
  std::optional<std::int64_t> channels;  // also the features of a [batch, features] input
  std::optional<std::int64_t> batch;     // also the first dim of a whole tensor
  std::optional<Convention> convention;
};

// A dim a reader does not know yet (an ONNX input's symbolic dim), in
// Net::input_size and Net::input_dims; the reader fails on one left unknown.
inline constexpr std::int64_t kUnknownDim = -1;

// Applies `o` to the input of `net`. Throws UsageError (exit status 2) when
// the input cannot take them: --input or --channels on a tensor without
// roles, --input on [batch, features], an --input of another rank.
void apply_input_overrides(Net& net, const InputOverrides& o);

}  // namespace netlens
