// The ONNX operator table (src/onnx/operators.def): its rows are consistent,
// and a file whose opset predates an operator is refused naming both. And
// the channel-shuffle match (src/onnx/shuffle.cpp) on graphs built here.
#include <onnx/onnx.pb.h>

#include <catch2/catch.hpp>
#include <set>

#include "helpers.h"
#include "model/layer_types.h"
#include "onnx/operators.h"
#include "onnx/reader.h"

using namespace netlens;
using namespace netlens::test;
using onnx_reader::OpRow;

namespace {

// One node `op` (named "n") on an input x of [1, 4, 8, 8], at `opset` (0:
// the file imports no opset, as IR versions before 3).
std::string one_node_model(const std::string& op, int opset) {
  onnx::ModelProto m;
  m.set_ir_version(opset == 0 ? 2 : 8);
  if (opset > 0) {
    m.add_opset_import()->set_version(opset);
  }
  onnx::GraphProto& g = *m.mutable_graph();
  onnx::ValueInfoProto& x = *g.add_input();
  x.set_name("x");
  x.mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  for (const std::int64_t d : {1, 4, 8, 8}) {
    x.mutable_type()->mutable_tensor_type()->mutable_shape()->add_dim()->set_dim_value(d);
  }
  onnx::NodeProto& n = *g.add_node();
  n.set_name("n");
  n.set_op_type(op);
  n.add_input("x");
  n.add_output("y");
  g.add_output()->set_name("y");
  return m.SerializeAsString();
}

// A graph on x of [1, 8, 4, 4] at opset 13: nodes {op, inputs, outputs,
// perm}, int64 initializers {name, values}, and its outputs.
struct NodeSpec {
  std::string op;
  std::vector<std::string> inputs, outputs;
  std::vector<std::int64_t> perm;
};
std::string graph_model(const std::vector<NodeSpec>& nodes,
                        const std::vector<std::pair<std::string, std::vector<std::int64_t>>>& ints,
                        const std::vector<std::string>& outputs) {
  onnx::ModelProto m = [] {
    onnx::ModelProto one;
    one.ParseFromString(one_node_model("Relu", 13));
    return one;
  }();
  onnx::GraphProto& g = *m.mutable_graph();
  g.clear_node();
  g.clear_output();
  g.mutable_input(0)
      ->mutable_type()
      ->mutable_tensor_type()
      ->mutable_shape()
      ->mutable_dim(1)
      ->set_dim_value(8);
  g.mutable_input(0)
      ->mutable_type()
      ->mutable_tensor_type()
      ->mutable_shape()
      ->mutable_dim(2)
      ->set_dim_value(4);
  g.mutable_input(0)
      ->mutable_type()
      ->mutable_tensor_type()
      ->mutable_shape()
      ->mutable_dim(3)
      ->set_dim_value(4);
  for (const NodeSpec& spec : nodes) {
    onnx::NodeProto& n = *g.add_node();
    n.set_name(spec.outputs[0]);
    n.set_op_type(spec.op);
    for (const std::string& in : spec.inputs) n.add_input(in);
    for (const std::string& out : spec.outputs) n.add_output(out);
    if (!spec.perm.empty()) {
      onnx::AttributeProto& a = *n.add_attribute();
      a.set_name("perm");
      a.set_type(onnx::AttributeProto::INTS);
      for (const std::int64_t p : spec.perm) a.add_ints(p);
    }
  }
  for (const auto& [name, values] : ints) {
    onnx::TensorProto& t = *g.add_initializer();
    t.set_name(name);
    t.set_data_type(onnx::TensorProto::INT64);
    t.add_dims(static_cast<std::int64_t>(values.size()));
    for (const std::int64_t v : values) t.add_int64_data(v);
  }
  for (const std::string& out : outputs) g.add_output()->set_name(out);
  return m.SerializeAsString();
}

// The types of the layers the reader makes, in order, or its error.
std::string layer_types(const std::string& bytes) {
  try {
    std::string types;
    for (const Layer& l : read_onnx_bytes(bytes, "m.onnx", {}).layers) {
      types += (types.empty() ? "" : " ") + l.name + ":" + std::string(l.type);
    }
    return types;
  } catch (const Error& e) {
    return e.what();
  }
}

}  // namespace

TEST_CASE("every row of the operator table is one operator with a reader", "[onnx]") {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  std::size_t converted = 0;
  for (const OpRow& row : onnx_reader::operators()) {
    INFO(row.op);
    CHECK(seen.insert({row.domain, row.op}).second);
    CHECK(onnx_reader::find_operator(row.domain, row.op) == &row);
    CHECK(row.since >= 1);
    CHECK((row.convert != onnx_reader::kNoConvert || row.fold.fn != nullptr));
    // A converter's type is a layer type netlens has; a folder makes no
    // layer, nor does If (its branch's nodes make the layers).
    CHECK(row.type.empty() == (row.convert == onnx_reader::kNoConvert || row.op == "If"));
    if (!row.type.empty()) {
      const std::optional<TypeMatch> match = find_layer_type(row.type);
      REQUIRE(match);
      CHECK(match->type->name == row.type);
    }
    converted += row.convert != onnx_reader::kNoConvert ? 1 : 0;
  }
  CHECK(seen.size() == 127);
  CHECK(converted == 121);
  CHECK(onnx_reader::find_operator("ai.onnx", "Conv") == onnx_reader::find_operator("", "Conv"));
  CHECK(onnx_reader::find_operator("com.example", "Conv") == nullptr);
  const OpRow& conv = *onnx_reader::find_operator("", "Conv");
  CHECK_FALSE(conv.is_weight(0));
  CHECK(conv.is_weight(1));
  CHECK(conv.is_weight(2));
  const OpRow& bn = *onnx_reader::find_operator("", "BatchNormalization");
  CHECK(bn.is_weight(1));
  CHECK_FALSE(bn.is_weight(3));  // the running mean: a buffer
  CHECK(onnx_reader::find_operator("", "Sum")->is_weight(40));
}

TEST_CASE("an operator newer than the file's opset is refused naming both", "[onnx]") {
  const auto read = [](const std::string& op, int opset) {
    return error_of([&] { read_onnx_bytes(one_node_model(op, opset), "m.onnx", {}); });
  };
  CHECK(read("HardSwish", 13) ==
        "m.onnx: node 'n' (HardSwish, opset 13): operator HardSwish is not in opset 13: ONNX "
        "defines it from opset 14 on");
  CHECK(read("HardSwish", 0) ==
        "m.onnx: node 'n' (HardSwish, opset 1): operator HardSwish is not in opset 1: ONNX "
        "defines it from opset 14 on");
  CHECK(read("Gelu", 18) ==
        "m.onnx: node 'n' (Gelu, opset 18): operator Gelu is not in opset 18: ONNX defines it "
        "from opset 20 on");
  CHECK(read("HardSwish", 14).empty());
  CHECK(read("Relu", 0).empty());
  const Net net = read_onnx_bytes(one_node_model("HardSwish", 14), "m.onnx", {});
  REQUIRE(net.layers.size() == 1);
  CHECK(net.layers[0].type == "hardswish");
}

TEST_CASE("a channel shuffle is one layer only when the chain is one and its dims say so",
          "[onnx]") {
  const std::vector<std::int64_t> swap{0, 2, 1, 3, 4};
  const std::vector<std::pair<std::string, std::vector<std::int64_t>>> ints{
      {"groups", {1, 2, 4, 4, 4}}, {"back", {1, 8, 4, 4}}, {"other", {1, 4, 8, 4}}};
  const NodeSpec split{"Reshape", {"x", "groups"}, {"g"}, {}};
  const NodeSpec transpose{"Transpose", {"g"}, {"t"}, swap};
  const NodeSpec back{"Reshape", {"t", "back"}, {"s"}, {}};
  const NodeSpec relu{"Relu", {"s"}, {"y"}, {}};
  CHECK(layer_types(graph_model({split, transpose, back, relu}, ints, {"y"})) ==
        "s:channel_shuffle y:relu");
  // The tensor between is also a graph output: three layers, the roles lost.
  CHECK(layer_types(graph_model({split, transpose, back, relu}, ints, {"y", "t"})) ==
        "g:reshape t:permute s:reshape y:relu");
  // Another perm: no chain.
  CHECK(layer_types(graph_model({split, {"Transpose", {"g"}, {"t"}, {0, 1, 2, 4, 3}}, back, relu},
                                ints, {"y"})) == "g:reshape t:permute s:reshape y:relu");
  // A chain whose last Reshape does not restore the dims: read node by node.
  CHECK(layer_types(graph_model({split, transpose, {"Reshape", {"t", "other"}, {"s"}, {}}, relu},
                                ints, {"y"})) == "g:reshape t:permute s:reshape y:relu");
  // A split into groups that no Transpose follows (which used to be refused).
  CHECK(layer_types(graph_model({split, {"Relu", {"g"}, {"y"}, {}}}, ints, {"y"})) ==
        "g:reshape y:relu");
}
