// The channel shuffle as exporters write it (ShuffleNet's): Reshape
// [N, C, ...] -> [N, g, C/g, ...], Transpose of axes 1 and 2, Reshape back to
// [N, C, ...], read as one channel_shuffle layer (shuffle.cpp).
#pragma once

#include <vector>

#include "onnx/graph.h"

namespace netlens::onnx_reader {

// Node indices of one Reshape -> Transpose -> Reshape chain.
struct ShuffleChain {
  int reshape = -1, transpose = -1, back = -1;
};

struct ShuffleChains {
  std::vector<ShuffleChain> chains;
  std::vector<int> chain_of;  // per node: its chain's index, -1 for none
};

// The chains whose perm swaps axes 1 and 2 and whose two intermediate
// tensors are read by the next node of the chain only (no other node, no
// graph output). Their dims are not known yet: read_channel_shuffle checks them.
ShuffleChains find_channel_shuffles(Graph& g, const onnx::GraphProto& graph);

// At the chain's last node: one channel_shuffle layer when the dims are a
// shuffle's; false when they are not (its nodes are then read one by one).
bool read_channel_shuffle(Graph& g, const onnx::GraphProto& graph, const ShuffleChain& chain);

}  // namespace netlens::onnx_reader
