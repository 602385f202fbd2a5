// ONNX's own backend test suite (Debian's libonnx-testdata, read from
// /usr/share at test time): every test whose operators netlens reads must
// give its last layer the dims of output_0.pb, except the ones listed in
// kExpectedFailures, which must fail with exactly the error listed; every
// other test must fail naming an operator it does not read. The suite passes
// weights, shapes and scales as graph inputs with data: as real models carry
// them as initializers, inputs 1.. become initializers here (input 0 stays
// the input).
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <onnx/onnx.pb.h>

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "helpers.h"
#include "onnx/operators.h"
#include "onnx/reader.h"

using namespace netlens;
using namespace netlens::test;

namespace {

const char* const kSuite = "/usr/share/libonnx-testdata/data";

// The operators netlens reads on a test's tensors (its input 0 is computed,
// never a constant): those of the operator table with a converter, or folded
// whatever their inputs (Constant, Shape).
bool reads(const onnx::NodeProto& n) {
  const onnx_reader::OpRow* row = onnx_reader::find_operator(n.domain(), n.op_type());
  return row != nullptr && (row->convert != onnx_reader::kNoConvert || row->fold.any_input);
}

// The tests of the operators netlens reads that fail, each with its error (the test
// name's "part/test_" prefix removed from the message). docs/onnx.md explains
// them; a test that starts to pass fails this test until it leaves the list.
const std::map<std::string, std::string> kExpectedFailures{
    // No graph input at all: the output is a constant.
    {"node/test_constant", "the graph has no input that is not an initializer"},
    // An input that is not a tensor (an optional, a sequence).
    {"node/test_identity_opt",
     "graph input 'opt_in' is not a tensor (an optional, a sequence or a map); netlens reads "
     "tensors"},
    {"node/test_identity_sequence",
     "graph input 'x' is not a tensor (an optional, a sequence or a map); netlens reads tensors"},
    // An empty tensor (a zero batch; a slice of nothing): an axis of size 0
    // has no receptive field, so the role model refuses it.
    {"node/test_reshape_allowzero_reordered",
     "graph input 'data' has no size on axis 0 (got 0): give its size with --batch N"},
    {"node/test_slice_start_out_of_bounds",
     "node 'y' (Slice, opset 13): the slice [10:10] of 'input' is empty"},
    // A reversing slice: PyTorch has no negative step, and a spec slice
    // cannot say it.
    {"node/test_slice_neg_steps",
     "node 'y' (Slice, opset 13): step -1 (a reversing or empty slice) is not supported"},
};

onnx::TensorProto read_tensor(const std::string& path) {
  onnx::TensorProto t;
  const std::string bytes = slurp(path);
  if (!t.ParseFromString(bytes)) {
    throw std::runtime_error("test: cannot parse " + path);
  }
  return t;
}

struct Outcome {
  std::string test;      // node/test_conv
  bool read_ops = true;  // every operator is one netlens reads
  std::set<std::string> unread_ops;
  bool passed = false;
  std::string reason;
};

Outcome run_one(const std::string& dir, const std::string& test) {
  Outcome r;
  r.test = test;
  onnx::ModelProto model;
  const std::string bytes = slurp(dir + "/model.onnx");
  if (!model.ParseFromString(bytes)) {
    r.reason = "the test's model.onnx does not parse";
    return r;
  }
  // The graph's nodes and those of its If branches.
  const auto scan = [&](const onnx::GraphProto& graph, const auto& self) -> void {
    for (const onnx::NodeProto& n : graph.node()) {
      if (!reads(n)) {
        r.read_ops = false;
        r.unread_ops.insert(n.op_type());
      }
      for (const onnx::AttributeProto& a : n.attribute()) {
        if (a.has_g()) {
          self(a.g(), self);
        }
      }
    }
  };
  scan(model.graph(), scan);
  std::set<std::string> initializers;
  for (const onnx::TensorProto& t : model.graph().initializer()) {
    initializers.insert(t.name());
  }
  onnx::GraphProto& g = *model.mutable_graph();
  int k = 0;
  for (int i = 0; i < g.input_size(); ++i) {
    onnx::ValueInfoProto& in = *g.mutable_input(i);
    if (initializers.contains(in.name())) {
      continue;
    }
    const std::string data = fmt::format("{}/test_data_set_0/input_{}.pb", dir, k);
    if (!std::filesystem::exists(data)) {
      break;
    }
    onnx::TensorProto t = read_tensor(data);
    if (k == 0 && !in.type().has_tensor_type()) {
      break;  // an optional or a sequence: netlens says it is no tensor
    }
    if (k == 0) {  // the net's input: the dims of its data (the graph may leave them symbolic)
      auto* shape = in.mutable_type()->mutable_tensor_type()->mutable_shape();
      shape->clear_dim();
      for (std::int64_t d : t.dims()) {
        shape->add_dim()->set_dim_value(d);
      }
    } else {
      t.set_name(in.name());
      *g.add_initializer() = t;
    }
    ++k;
  }
  const std::vector<std::int64_t> expected = [&] {
    const onnx::TensorProto out = read_tensor(dir + "/test_data_set_0/output_0.pb");
    return std::vector<std::int64_t>(out.dims().begin(), out.dims().end());
  }();
  try {
    Net net = read_onnx_bytes(model.SerializeAsString(), test, {});
    CostOptions costs;
    costs.batch = net.batch.value_or(1);
    const std::string output = net.outputs.empty() ? "" : net.outputs.front();
    const Report report = analyze(std::move(net), costs);
    std::vector<std::int64_t> got;
    for (std::size_t i = 0; i < report.layers.size(); ++i) {
      if (report.layer(i).name == output || (output.empty() && i + 1 == report.layers.size())) {
        got = tensor_shape(report.layers[i].output, costs.batch);
      }
    }
    r.passed = got == expected;
    if (!r.passed) {
      r.reason =
          fmt::format("shape [{}], expected [{}]", fmt::join(got, ", "), fmt::join(expected, ", "));
    }
  } catch (const Error& e) {
    r.reason = e.what();
    if (r.reason.starts_with(test + ": ")) {
      r.reason.erase(0, test.size() + 2);
    }
  }
  return r;
}

}  // namespace

TEST_CASE("ONNX's backend test suite: the last layer's dims are output_0's", "[onnx][backend]") {
  REQUIRE(std::filesystem::is_directory(kSuite));  // apt-get install libonnx-testdata
  std::vector<Outcome> outcomes;
  for (const char* part : {"node", "pytorch-converted", "pytorch-operator", "simple"}) {
    std::vector<std::string> tests;
    for (const auto& e : std::filesystem::directory_iterator(std::string(kSuite) + "/" + part)) {
      if (std::filesystem::exists(e.path() / "model.onnx")) {
        tests.push_back(e.path().filename().string());
      }
    }
    std::sort(tests.begin(), tests.end());
    for (const std::string& t : tests) {
      outcomes.push_back(
          run_one(fmt::format("{}/{}/{}", kSuite, part, t), fmt::format("{}/{}", part, t)));
    }
  }
  std::size_t in_set = 0;
  std::size_t passed = 0;
  std::size_t passed_outside = 0;
  std::string failures;
  std::set<std::string> seen;
  for (const Outcome& o : outcomes) {
    if (o.read_ops) {
      ++in_set;
      passed += o.passed ? 1 : 0;
      if (!o.passed) {
        failures += fmt::format("- `{}`: {}\n", o.test, o.reason);
      }
      const auto listed = kExpectedFailures.find(o.test);
      if (listed == kExpectedFailures.end()) {
        INFO(o.test << " fails (not in kExpectedFailures): " << o.reason);
        CHECK(o.passed);
      } else {
        seen.insert(o.test);
        INFO(o.test << " is in kExpectedFailures: if it passes now, remove it there and in "
                       "docs/onnx.md");
        CHECK_FALSE(o.passed);
        CHECK(o.reason == listed->second);
      }
    } else if (o.passed) {
      // Another operator that netlens folds over constants only (Range,
      // ConstantOfShape): these met constants alone, and the dims are right.
      ++passed_outside;
    } else {
      // Another operator: the run must fail, naming one the test uses that
      // netlens does not read.
      INFO(o.test << ": " << o.reason);
      CHECK(std::any_of(o.unread_ops.begin(), o.unread_ops.end(), [&](const std::string& op) {
        return o.reason.find(fmt::format("operator {} ", op)) != std::string::npos;
      }));
    }
  }
  // Every listed test is one of the suite's tests of the operators netlens reads.
  for (const auto& [test, reason] : kExpectedFailures) {
    INFO(test << " is in kExpectedFailures but not a test of kReadOps' operators");
    CHECK(seen.contains(test));
  }
  // The list docs/onnx.md quotes, rewritten on each run.
  std::ofstream(std::string(NETLENS_BINARY) + "-onnx-backend.md")
      << fmt::format("{} of {} tests whose operators netlens reads pass ({} tests in all).\n\n{}",
                     passed, in_set, outcomes.size(), failures);
  // The suite of Debian's libonnx-testdata 1.12 (docs/onnx.md's numbers): a
  // new package or a new operator in kReadOps changes these.
  CHECK(outcomes.size() == 1072);
  CHECK(in_set == 736);
  CHECK(passed_outside == 19);
}
