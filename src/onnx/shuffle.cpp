// The channel shuffle is matched in the ONNX graph before its nodes are read,
// not in the finished Net: the reader runs each layer's shape rule as it
// reads, and the first Reshape's output, [N, g, C/g, ...], is a tensor
// without roles. Read as layers, the chain would end on a tensor without
// roles, and every layer after it would lose them too (a conv is not read on
// one). So the chain's first two nodes wait, and its last one reads the
// three as one channel_shuffle when the dims it has by then say so.
#include "onnx/shuffle.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "engine/dims.h"
#include "onnx/ops.h"

namespace netlens::onnx_reader {

namespace {

bool is_op(const onnx::NodeProto& n, std::string_view op) {
  return n.op_type() == op && (n.domain().empty() || n.domain() == "ai.onnx");
}

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

ShuffleChains find_channel_shuffles(Graph& g, const onnx::GraphProto& graph) {
  const int n = graph.node_size();
  // Per tensor: how many node inputs and graph outputs read it; its last reader.
  std::unordered_map<std::string_view, std::pair<int, int>> readers;
  std::unordered_map<std::string_view, int> maker;
  for (int i = 0; i < n; ++i) {
    for (const std::string& in : graph.node(i).input()) {
      auto& [count, last] = readers[in];
      ++count;
      last = i;
    }
    for (const std::string& out : graph.node(i).output()) {
      maker.emplace(out, i);
    }
  }
  for (const onnx::ValueInfoProto& out : graph.output()) {
    ++readers[out.name()].first;
  }
  const auto only_reader = [&](const std::string& tensor) {
    const auto it = readers.find(tensor);
    return it != readers.end() && it->second.first == 1 ? it->second.second : -1;
  };
  ShuffleChains s;
  s.chain_of.assign(static_cast<std::size_t>(n), -1);
  for (int t = 0; t < n; ++t) {
    const onnx::NodeProto& swap = graph.node(t);
    const std::vector<std::int64_t> perm =
        NodeContext(g, swap).attr_ints("perm").value_or(std::vector<std::int64_t>{});
    if (!is_op(swap, "Transpose") || swap.input_size() < 1 || swap.output_size() < 1 ||
        perm.size() < 3 || perm != group_swap(perm.size())) {
      continue;
    }
    const auto made = maker.find(swap.input(0));
    const int r = made == maker.end() ? -1 : made->second;
    const int b = only_reader(swap.output(0));
    if (r < 0 || b < 0 || !is_op(graph.node(r), "Reshape") || only_reader(swap.input(0)) != t ||
        !is_op(graph.node(b), "Reshape") || graph.node(b).input(0) != swap.output(0) ||
        s.chain_of[static_cast<std::size_t>(r)] >= 0) {
      continue;
    }
    const auto k = static_cast<int>(s.chains.size());
    for (const int node : {r, t, b}) {
      s.chain_of[static_cast<std::size_t>(node)] = k;
    }
    s.chains.push_back({r, t, b});
  }
  return s;
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
  Layer l = back.make_layer("channel_shuffle");
  l.groups = groups;
  back.emit(std::move(l), {x});
  return true;
}

}  // namespace netlens::onnx_reader
