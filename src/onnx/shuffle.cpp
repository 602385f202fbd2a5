// The channel shuffle is matched in the ONNX graph before its nodes are read,
// not in the finished Net: the reader runs each layer's shape rule as it
// reads, and the first Reshape's output, [N, g, C/g, ...], is a whole
// tensor. Read as layers, the chain would end on a whole tensor, and every
// layer after it would lose its roles too (a conv is not read on one). So the chain's first two
// nodes wait, and its last one reads the three as one channel_shuffle when the dims it has by then
// say so.
#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "engine/dims.h"
#include "onnx/ops.h"

namespace netlens::onnx_reader {

namespace {

// The perm [0, 2, 1, 3, ...]: the groups and the channels in a group swap.
std::vector<std::int64_t> group_swap(std::size_t rank) {
  std::vector<std::int64_t> perm;
  for (std::size_t k = 0; k < rank; ++k) {
    perm.push_back(k == 1 ? 2 : k == 2 ? 1 : static_cast<std::int64_t>(k));
  }
  return perm;
}

// [N, C, ...] split into [N, g, C/g, ...] with g >= 2, on a tensor with roles.
bool splits_channels(const Value& x, const std::vector<std::int64_t>& d,
                     const std::vector<std::int64_t>& split) {
  return x.shape.has_positions() && !x.shape.channels_last() && d.size() >= 2 &&
         split.size() == d.size() + 1 && split[0] == d[0] && split[1] >= 2 &&
         split[1] * split[2] == d[1] && std::equal(d.begin() + 2, d.end(), split.begin() + 3);
}

}  // namespace

std::vector<ShuffleChain> find_channel_shuffles(Graph& g, const onnx::GraphProto& graph) {
  const int n = graph.node_size();
  // Per tensor: how many node inputs and graph outputs read it; its last reader.
  std::unordered_map<std::string_view, std::pair<int, int>> readers;
  for (int i = 0; i < n; ++i) {
    for (const std::string& in : graph.node(i).input()) {
      auto& [count, last] = readers[in];
      ++count;
      last = i;
    }
  }
  for (const onnx::ValueInfoProto& out : graph.output()) {
    ++readers[out.name()].first;
  }
  // The node that alone reads output 0 of `node`, as its input 0, if it is an `op`.
  const auto next = [&](int node, std::string_view op) {
    const onnx::NodeProto& from = graph.node(node);
    const auto it = from.output_size() > 0 ? readers.find(from.output(0)) : readers.end();
    if (it == readers.end() || it->second.first != 1) {
      return -1;
    }
    const onnx::NodeProto& to = graph.node(it->second.second);
    return is_op(to, op) && to.input(0) == from.output(0) ? it->second.second : -1;
  };
  std::vector<ShuffleChain> chain_of(static_cast<std::size_t>(n));
  for (int r = 0; r < n; ++r) {
    const int t = is_op(graph.node(r), "Reshape") ? next(r, "Transpose") : -1;
    const int b = t < 0 ? -1 : next(t, "Reshape");
    const std::vector<std::int64_t> perm =
        b < 0
            ? std::vector<std::int64_t>{}
            : NodeContext(g, graph.node(t)).attr_ints("perm").value_or(std::vector<std::int64_t>{});
    const auto taken = [&](int node) {
      return chain_of[static_cast<std::size_t>(node)].reshape >= 0;
    };
    if (perm.size() < 3 || perm != group_swap(perm.size()) || taken(r) || taken(b)) {
      continue;  // not a shuffle, or one sharing a Reshape with another: node by node
    }
    for (const int node : {r, t, b}) {
      chain_of[static_cast<std::size_t>(node)] = {r, t, b};
    }
  }
  return chain_of;
}

bool read_channel_shuffle(Graph& g, const onnx::GraphProto& graph, const ShuffleChain& chain) {
  NodeContext head(g, graph.node(chain.reshape));
  NodeContext back(g, graph.node(chain.back));
  const Value* x = nullptr;
  std::int64_t groups = 0;
  try {
    if (!head.has_input(0) || head.input(0).constant) {
      return false;  // folded
    }
    x = &head.input(0);
    const std::vector<std::int64_t> d = head.dims(*x);
    const std::vector<std::int64_t> split = reshape_target(head, d);
    const std::vector<std::int64_t> perm = NodeContext(g, graph.node(chain.transpose))
                                               .attr_ints("perm")
                                               .value_or(std::vector<std::int64_t>{});
    if (!splits_channels(*x, d, split) || perm.size() != split.size() ||
        reshape_target(back, dims::transpose(split, perm)) != d) {
      return false;
    }
    groups = split[1];
  } catch (const Error&) {
    return false;  // read one by one, the node at fault says why
  }
  Layer l = new_layer("channel_shuffle");
  l.groups = groups;
  back.emit(std::move(l), {x});
  return true;
}

}  // namespace netlens::onnx_reader
