// The reader's state while it walks an ONNX graph: what each tensor is (an
// activation made by a layer, or a constant with its dims and, when small,
// its values) and the context one node's converter works in.
#pragma once

#include <onnx/onnx.pb.h>  // generated from libonnx-dev's onnx/onnx.proto

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/net.h"
#include "model/report.h"

namespace netlens::onnx_reader {

// Tensors stored in the file with more elements than this keep their dims
// only: shape subgraphs are small, weights are never decoded.
inline constexpr std::int64_t kMaxStoredElements = 1 << 16;
// Constants computed with more elements than this keep their dims only;
// Swin's attention mask at 224 x 224 (64 windows of 49 x 49) has 153,664.
inline constexpr std::int64_t kMaxFoldedElements = 1 << 18;

struct Value {
  bool constant = false;
  // An activation: the layer that makes it ("input" for the graph input).
  std::string layer;
  Shape shape;
  // A constant: its dims, its values when known (integer or real types).
  std::vector<std::int64_t> dims;
  std::optional<std::vector<std::int64_t>> ints;
  std::optional<std::vector<double>> reals;
  bool is_float = false;  // a float tensor: its elements are parameters
  // The initializer whose elements this constant holds: itself, or one
  // rearranged by a folded Cast, Reshape, Transpose, Squeeze, Unsqueeze or
  // element-wise op (an fp16 weight cast to float): its elements are
  // weights. Empty: none.
  std::string weight;
  // Written in a Constant node, not an initializer: where torch puts the
  // fixed ones and zeros of a norm without learned affine.
  bool in_node = false;
};

// A TensorProto's dims and, when small and stored in the file, its values.
// Never opens external data.
Value constant_from_tensor(const onnx::TensorProto& t);
// The bytes an element of a TensorProto data type takes (4 for an unknown one).
std::int64_t element_bytes(int data_type);

struct Graph {
  std::string file;
  int opset = 0;  // of the default domain (ai.onnx)
  // Per domain the file imports ("" for ai.onnx), its opset.
  std::map<std::string, int, std::less<>> opsets;
  std::int64_t batch = 1;
  Net net;
  std::unordered_map<std::string, Value> values;
  std::unordered_set<std::string> layer_names;
  // Per initializer read as a weight: how many layers read it, its elements.
  std::unordered_map<std::string, std::pair<int, std::int64_t>> weights_read;
  // Per initializer (or Constant node's tensor): the bytes the file stores
  // an element in (2 for float16, 1 for int8); absent: 4.
  std::unordered_map<std::string, std::int64_t> stored_bytes;
  // Constants read as tensors (a concat's operand, a graph output): the
  // `constant` layer made for each, once.
  std::unordered_map<std::string, Value> constant_layers;
  // Read inside an If's branch: "IF/then/" before each node's name.
  std::string scope;
  std::size_t max_layers = 0;
  const std::map<std::string, std::string, std::less<>>* branches = nullptr;  // --onnx-branch
};

// The bytes the elements of weight `weight` (an initializer's name) take in the file.
std::int64_t weight_bytes(const Graph& g, const std::string& weight, std::int64_t elements);

// A layer of `type` (a row of model/layer_types.cpp), unnamed.
Layer new_layer(std::string_view type);
// Adds `layer` reading `inputs` (named as it is, or NAME#2, ... when that
// is taken) and runs its shape rule.
Value add_layer(Graph& g, Layer layer, const std::vector<const Value*>& inputs);
// A layer of `type` (constant or extra_input) named `name` that makes a
// tensor of `dims` from no input of the net's (docs/onnx.md); `learned`:
// its elements are parameters.
Value add_source_layer(Graph& g, std::string_view type, const std::string& name,
                       const std::vector<std::int64_t>& dims, bool learned = false,
                       std::optional<std::int64_t> param_bytes = std::nullopt);

// One node being converted: its inputs, attributes, and how it adds layers
// or constants. fail() throws "FILE: node 'NAME' (OpType, opset N): ...".
class NodeContext {
 public:
  NodeContext(Graph& g, const onnx::NodeProto& node) : g_(g), node_(node) {}

  const onnx::NodeProto& node() const { return node_; }
  Graph& graph() { return g_; }
  std::string_view op() const { return node_.op_type(); }
  int opset() const { return g_.opset; }
  int opset(std::string_view domain) const;  // 0 when the file imports none
  std::string display_name() const;
  [[noreturn]] void fail(const std::string& message) const;

  // Inputs: ONNX leaves an optional input's name empty.
  bool has_input(int i) const { return i < node_.input_size() && !node_.input(i).empty(); }
  const Value& input(int i) const;
  const Value& activation(int i) const;  // fails when the input is a constant
  const Value& constant(int i) const;    // fails when it is not
  // An activation, or a constant read as a tensor: its `constant` layer.
  const Value& operand(int i);
  std::vector<std::int64_t> ints(int i) const;  // a constant's integer values
  std::vector<double> reals(int i) const;       // a constant's values as reals
  // Axes: input `i` from opset `from_opset` on, before it the attribute.
  std::vector<std::int64_t> axes(int i, int from_opset) const;
  // An activation's dims, batch first (ONNX's order).
  std::vector<std::int64_t> dims(const Value& v) const;

  // Attributes.
  const onnx::AttributeProto* attr(std::string_view name) const;
  std::optional<std::int64_t> attr_int(std::string_view name) const;
  std::int64_t attr_int(std::string_view name, std::int64_t fallback) const {
    return attr_int(name).value_or(fallback);
  }
  std::optional<std::vector<std::int64_t>> attr_ints(std::string_view name) const;
  std::optional<float> attr_float(std::string_view name) const;
  std::string attr_string(std::string_view name, std::string_view fallback) const;

  // Adds `layer` (a new_layer), named after the node (plus `name_suffix`),
  // reading `inputs` (activations), runs its shape rule and makes it output
  // number `output` of the node (-1: of none, a step between two layers of
  // one node). Returns the layer's output.
  const Value& emit(Layer layer, const std::vector<const Value*>& inputs, int output = 0,
                    std::string_view name_suffix = {});
  // Output 0 is this constant / output `output` the same tensor as `v` (no layer).
  void set_constant(Value v);
  void forward(const Value& v, int output);
  // The node's weight inputs are no parameters (a norm's fixed scale and bias).
  void ignore_weights() { weights_counted_ = true; }

 private:
  std::string layer_name(std::string_view suffix) const;
  // The elements of the float initializers the node reads as weights
  // (nullopt: an op without weights), each reader counted in weights_read.
  std::optional<std::int64_t> weight_elements();
  Graph& g_;
  const onnx::NodeProto& node_;
  std::deque<Value> steps_;  // outputs of the layers before a node's last
  bool weights_counted_ = false;
  std::int64_t weight_bytes_ = 0;  // of the elements weight_elements() counted
};

}  // namespace netlens::onnx_reader
