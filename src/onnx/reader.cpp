// Reading: the file -> ModelProto (with its own size limit), the graph's
// input and initializers -> Values, then the nodes in dependency order.
#include "onnx/reader.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <optional>
#include <queue>

#include "onnx/graph.h"
#include "onnx/operators.h"
#include "onnx/ops.h"

namespace netlens {

namespace {

using onnx_reader::Graph;
using onnx_reader::NodeContext;
using onnx_reader::Value;

[[noreturn]] void fail(const std::string& file, const std::string& message) {
  throw ParseError(file, {}, "", message);
}

void parse_model(const void* data, std::size_t size, const std::string& file,
                 onnx::ModelProto& model) {
  if (!onnx_reader::parse_model_without_weights(data, size, model)) {
    fail(file, "not a valid ONNX file (the protobuf is truncated or corrupt)");
  }
  if (!model.has_graph() || model.graph().node_size() == 0) {
    fail(file, "not an ONNX model: it has no graph nodes");
  }
}

// The opset the file imports per domain ("" for ai.onnx); the default
// domain's is 1 when the file names none (IR versions before 3).
void read_opsets(const onnx::ModelProto& model, Graph& g) {
  g.opset = 1;
  for (const onnx::OperatorSetIdProto& o : model.opset_import()) {
    const std::string domain = o.domain() == "ai.onnx" ? "" : o.domain();
    if (g.opsets.emplace(domain, static_cast<int>(o.version())).second && domain.empty()) {
      g.opset = static_cast<int>(o.version());
    }
  }
  // A newer opset may have changed what an operator's inputs and attributes
  // mean: reading it by the old rules could give wrong numbers.
  if (g.opset > onnx_reader::kNewestOpset) {
    fail(g.file, fmt::format("the model imports opset {} of ai.onnx; netlens reads opsets 1 to {}",
                             g.opset, onnx_reader::kNewestOpset));
  }
}

const auto& input_dims(const onnx::ValueInfoProto& input, const Graph& g) {
  if (!input.type().has_tensor_type()) {
    fail(g.file, fmt::format("graph input '{}' is not a tensor (an optional, a sequence or a map); "
                             "netlens reads tensors",
                             input.name()));
  }
  if (!input.type().tensor_type().has_shape()) {
    fail(g.file, fmt::format("graph input '{}' has no tensor shape", input.name()));
  }
  return input.type().tensor_type().shape().dim();
}

std::string symbolic_dim_message(const onnx::ValueInfoProto& input, const std::string& param,
                                 std::size_t axis) {
  return fmt::format(
      "graph input '{}' has the symbolic dim '{}' (axis {}), which netlens can "
      "only take from --batch on axis 0 of the first input",
      input.name(), param, axis);
}

// The dims of a whole tensor: a symbolic first dim is `first`; any other
// symbolic dim is an error.
std::vector<std::int64_t> whole_input_dims(const onnx::ValueInfoProto& input, std::int64_t first,
                                           const Graph& g) {
  std::vector<std::int64_t> v;
  for (const auto& d : input_dims(input, g)) {
    const bool symbolic = !d.has_dim_value() || d.dim_value() < 0;
    if (symbolic && !v.empty()) {
      fail(g.file, symbolic_dim_message(input, d.dim_param(), v.size()));
    }
    v.push_back(symbolic ? first : d.dim_value());
  }
  return v;
}

// Whether every node that reads `input` is a Transpose to channels first
// ([0, r - 1, 1, ..., r - 2]): an NHWC input, as tf2onnx writes it.
bool transposed_to_nchw(const onnx::GraphProto& graph, const std::string& input, int rank) {
  std::vector<std::int64_t> nchw{0, rank - 1};
  for (int a = 1; a + 1 < rank; ++a) {
    nchw.push_back(a);
  }
  bool read = false;
  for (const onnx::NodeProto& n : graph.node()) {
    if (std::find(n.input().begin(), n.input().end(), input) == n.input().end()) {
      continue;
    }
    const auto perm = std::find_if(n.attribute().begin(), n.attribute().end(),
                                   [](const auto& a) { return a.name() == "perm"; });
    if (n.op_type() != "Transpose" || !n.domain().empty() || perm == n.attribute().end() ||
        !std::equal(perm->ints().begin(), perm->ints().end(), nchw.begin(), nchw.end())) {
      return false;
    }
    read = true;
  }
  return read;
}

// Whether every node that reads `input` is an Unsqueeze: a [batch, samples]
// input (a waveform) given its channel axis there, not [batch, features].
bool unsqueezed(const onnx::GraphProto& graph, const std::string& input) {
  bool read = false;
  for (const onnx::NodeProto& n : graph.node()) {
    if (std::find(n.input().begin(), n.input().end(), input) != n.input().end()) {
      if (n.op_type() != "Unsqueeze" || !n.domain().empty()) {
        return false;
      }
      read = true;
    }
  }
  return read;
}

// The ONNX axis of the input's channels; -1: it has none.
int channel_axis(const Net& net, int rank) {
  return net.input_no_channels ? -1 : net.input_channels_last ? rank - 1 : 1;
}

// The first graph input as the net's input, its dims as the file gives them:
// a symbolic (or not positive) dim is left unknown, kUnknownDim or no batch
// or channels, for the overrides to give. Outside 2 to 5 dims, a whole
// tensor, whose first dim only may be symbolic (--batch gives it).
void declare_input(const onnx::GraphProto& graph, const onnx::ValueInfoProto& input, Graph& g) {
  const auto& dims = input_dims(input, g);
  Net& net = g.net;
  if (dims.size() < 2 || dims.size() > 5) {
    net.input_dims = whole_input_dims(input, kUnknownDim, g);
    net.batch = 1;  // no axis is the batch
    return;
  }
  const auto known = [&](int i) -> std::optional<std::int64_t> {
    const auto& d = dims[i];
    return d.has_dim_value() && d.dim_value() >= 1 ? std::optional(d.dim_value()) : std::nullopt;
  };
  net.batch = known(0);
  net.input_no_channels = dims.size() == 2 && unsqueezed(graph, input.name());
  net.input_flat = dims.size() == 2 && !net.input_no_channels;
  net.input_channels_last =
      dims.size() >= 3 && transposed_to_nchw(graph, input.name(), dims.size());
  if (!net.input_no_channels) {
    net.channels = known(channel_axis(net, dims.size()));
  }
  for (int i = 1; i < dims.size(); ++i) {
    if (i != channel_axis(net, dims.size())) {
      net.input_size.push_back(known(i).value_or(kUnknownDim));
    }
  }
}

// After the overrides: a dim still unknown is an error naming it and the
// option that gives it.
void resolve_input(const onnx::ValueInfoProto& input, Graph& g) {
  const auto& dims = input_dims(input, g);
  const Net& net = g.net;
  if (net.input_dims) {
    if (!net.input_dims->empty() && net.input_dims->front() == kUnknownDim) {
      fail(g.file, symbolic_dim_message(input, dims[0].dim_param(), 0));
    }
    g.batch = net.batch.value_or(1);
    return;
  }
  std::vector<std::string> missing;  // every dim still unknown, named in one error
  std::string options;
  const int channels = channel_axis(net, dims.size());
  for (int i = 0; i < dims.size(); ++i) {
    const int spatial = i - 1 - (channels > 0 && i > channels ? 1 : 0);  // which spatial axis
    const bool unknown = i == 0 ? !net.batch
                         : i == channels
                             ? !net.channels
                             : net.input_size[static_cast<std::size_t>(spatial)] == kUnknownDim;
    const auto& d = dims[i];
    if (!unknown) {
      continue;
    }
    if (i == 0 && d.has_dim_param()) {  // as Netron and onnx-tool take it
      g.net.batch = 1;
      g.net.assumed_batch = d.dim_param();
      continue;
    }
    missing.push_back(d.has_dim_param()
                          ? fmt::format("the symbolic dim '{}' (axis {})", d.dim_param(), i)
                          : fmt::format("no size on axis {} (got {})", i, d.dim_value()));
    if (i == 0 || i == channels || options.find("--input") == std::string::npos) {
      const int rank = dims.size() - (channels < 0 ? 1 : 2);
      options += i == 0          ? " --batch N"
                 : i == channels ? " --channels C"
                                 : (rank == 1   ? " --input L"
                                    : rank == 2 ? " --input HxW"
                                                : " --input DxHxW");
    }
  }
  if (!missing.empty()) {
    fail(g.file, fmt::format("graph input '{}' has {}: give {} with{}", input.name(),
                             fmt::join(missing, ", "),
                             missing.size() == 1 ? "its size" : "their sizes", options));
  }
  g.batch = *net.batch;
}

void add_initializers(const onnx::GraphProto& graph, Graph& g) {
  for (const onnx::TensorProto& t : graph.initializer()) {
    try {
      Value v = onnx_reader::constant_from_tensor(t);
      v.weight = t.name();
      g.stored_bytes[t.name()] = onnx_reader::element_bytes(t.data_type());
      g.values[t.name()] = std::move(v);
    } catch (const Error& e) {
      fail(g.file, fmt::format("initializer '{}': {}", t.name(), e.what()));
    }
  }
}

// The graph inputs that are not initializers (old IR versions list the
// weights as inputs too). The first is the net's input, which receptive
// fields are measured in; each other one is an `extra_input` layer.
void add_graph_inputs(const onnx::GraphProto& graph, const OnnxOptions& o, Graph& g) {
  std::vector<const onnx::ValueInfoProto*> inputs;
  for (const onnx::ValueInfoProto& in : graph.input()) {
    if (!g.values.contains(in.name())) {
      inputs.push_back(&in);
    }
  }
  if (inputs.empty()) {
    fail(g.file, "the graph has no input that is not an initializer");
  }
  declare_input(graph, *inputs[0], g);
  apply_input_overrides(g.net, o.overrides);
  resolve_input(*inputs[0], g);
  Value v;
  v.layer = "input";
  if (g.net.input_dims) {
    v.shape.layout = Layout::Whole;
    v.shape.dims = *g.net.input_dims;
  } else if (g.net.input_no_channels) {  // [batch, samples]: the samples hold positions
    v.shape.layout = Layout::Whole;
    v.shape.dims = {g.batch, g.net.input_size[0]};
    v.shape.roles = {{Role::Batch, 0}, {Role::Spatial, 0}};
    v.shape.size = g.net.input_size;
  } else {
    v.shape.channels = *g.net.channels;
    v.shape.layout = g.net.input_flat ? Layout::Flat : Layout::Spatial;
    v.shape.size = g.net.input_size;
    v.shape.put_channels_last(g.net.input_channels_last);
  }
  g.values[inputs[0]->name()] = std::move(v);
  for (std::size_t k = 1; k < inputs.size(); ++k) {
    const std::string& name = inputs[k]->name();
    g.values[name] = onnx_reader::add_source_layer(g, "extra_input", name,
                                                   whole_input_dims(*inputs[k], g.batch, g));
  }
}

// The nodes in an order where each comes after the nodes it reads: Kahn's
// algorithm, taking the lowest index ready (the file's order when it already
// is one, as ONNX requires). A tensor nobody makes, or a cycle, is an error.
std::vector<int> dependency_order(const onnx::GraphProto& graph, Graph& g) {
  const int n = graph.node_size();
  std::unordered_map<std::string_view, int> maker;
  for (int i = 0; i < n; ++i) {
    for (const std::string& out : graph.node(i).output()) {
      if (!out.empty() && !maker.emplace(out, i).second) {
        fail(g.file, fmt::format("tensor '{}' is made by two nodes", out));
      }
    }
  }
  std::vector<int> waiting(static_cast<std::size_t>(n), 0);
  std::vector<std::vector<int>> readers(static_cast<std::size_t>(n));
  std::priority_queue<int, std::vector<int>, std::greater<>> ready;
  for (int i = 0; i < n; ++i) {
    const onnx::NodeProto& node = graph.node(i);
    for (const std::string& in : node.input()) {
      if (in.empty() || g.values.contains(in)) {
        continue;
      }
      const auto it = maker.find(in);
      if (it == maker.end()) {
        fail(g.file, fmt::format("node '{}' ({}) reads tensor '{}', which no node, input or "
                                 "initializer makes",
                                 NodeContext(g, node).display_name(), node.op_type(), in));
      }
      ++waiting[static_cast<std::size_t>(i)];
      readers[static_cast<std::size_t>(it->second)].push_back(i);
    }
    if (waiting[static_cast<std::size_t>(i)] == 0) {
      ready.push(i);
    }
  }
  std::vector<int> order;
  while (!ready.empty()) {
    const int i = ready.top();
    ready.pop();
    order.push_back(i);
    for (int r : readers[static_cast<std::size_t>(i)]) {
      if (--waiting[static_cast<std::size_t>(r)] == 0) {
        ready.push(r);
      }
    }
  }
  for (int i = 0; i < n; ++i) {
    if (waiting[static_cast<std::size_t>(i)] > 0) {
      fail(g.file,
           fmt::format("the graph has a cycle through node '{}' ({})",
                       NodeContext(g, graph.node(i)).display_name(), graph.node(i).op_type()));
    }
  }
  return order;
}

// The nodes in dependency order, each folded or converted by its row of the
// operator table; a channel shuffle's three at its last (shuffle.cpp), a
// roll's Slices and Concat at the Concat (roll.cpp).
void read_nodes(const onnx::GraphProto& graph, const std::vector<const onnx_reader::OpRow*>& rows,
                std::size_t max_layers, Graph& g) {
  const auto read = [&](int i) {
    NodeContext c(g, graph.node(i));
    onnx_reader::read_node(c, *rows[static_cast<std::size_t>(i)]);
    if (g.net.layers.size() > max_layers) {  // a node makes a few layers at most
      c.fail(too_many_layers(max_layers));
    }
  };
  const std::vector<int> order = dependency_order(graph, g);
  const std::vector<onnx_reader::ShuffleChain> shuffles =
      onnx_reader::find_channel_shuffles(g, graph);
  const std::vector<onnx_reader::RollChain> rolls = onnx_reader::find_rolls(graph);
  for (const int i : order) {
    const onnx_reader::RollChain& roll = rolls[static_cast<std::size_t>(i)];
    if (roll.concat >= 0) {
      if (i != roll.concat || onnx_reader::read_roll(g, graph, roll)) {
        continue;
      }
      for (const int slice : {roll.head, roll.tail}) {
        if (slice >= 0) {
          read(slice);
        }
      }
    }
    const onnx_reader::ShuffleChain& chain = shuffles[static_cast<std::size_t>(i)];
    if (chain.reshape >= 0) {
      if (i != chain.back || onnx_reader::read_channel_shuffle(g, graph, chain)) {
        continue;
      }
      read(chain.reshape);
      read(chain.transpose);
    }
    read(i);
  }
}

// The graph outputs are the net's outputs; one computed from shapes alone
// is a constant layer of its dims.
void add_graph_outputs(const onnx::GraphProto& graph, Graph& g) {
  for (const onnx::ValueInfoProto& out : graph.output()) {
    auto it = g.values.find(out.name());
    if (it != g.values.end() && it->second.constant) {
      it = g.constant_layers
               .emplace(out.name(),
                        onnx_reader::add_source_layer(g, "constant", out.name(), it->second.dims))
               .first;
    }
    if (it != g.values.end() && it->second.layer != "input") {
      g.net.outputs.push_back(it->second.layer);
      g.net.output_pos.emplace_back();
    }
  }
}

}  // namespace

// An If's branch: its initializers, then its nodes, checked first as the
// graph's are (their names under g.scope).
void onnx_reader::read_subgraph(Graph& g, const onnx::GraphProto& graph) {
  std::vector<const onnx_reader::OpRow*> rows;
  for (const onnx::NodeProto& node : graph.node()) {
    rows.push_back(&onnx_reader::check_operator(NodeContext(g, node)));
  }
  add_initializers(graph, g);
  read_nodes(graph, rows, g.max_layers, g);
}

namespace {

Net build_net(const onnx::ModelProto& model, const std::string& file, const OnnxOptions& o) {
  Graph g;
  g.file = file;
  g.max_layers = o.max_layers;
  g.branches = &o.branches;
  g.net.file = file;
  read_opsets(model, g);
  const onnx::GraphProto& graph = model.graph();
  // Every field is written out, so the keras convention lifts only PyTorch's own
  // checks (a pool's padding at most half its kernel), which ONNX does not make.
  g.net.convention = Convention::Keras;
  // The file's stem, as for a spec: exporters name graphs "torch_jit" or "main_graph".
  g.net.name = o.name.empty() ? std::filesystem::path(file).stem().string() : o.name;
  std::vector<const onnx_reader::OpRow*> rows;  // per node, checked before anything is read
  for (const onnx::NodeProto& node : graph.node()) {
    rows.push_back(&onnx_reader::check_operator(NodeContext(g, node)));
  }
  add_initializers(graph, g);
  add_graph_inputs(graph, o, g);
  read_nodes(graph, rows, o.max_layers, g);
  add_graph_outputs(graph, g);
  if (g.net.layers.empty()) {
    fail(file, "the graph has no layer over its input");
  }
  if (g.net.layers.size() > o.max_layers) {  // the layers of the graph outputs
    fail(file, too_many_layers(o.max_layers));
  }
  for (const auto& [name, readers] : g.weights_read) {
    if (readers.first > 1) {
      g.net.shared_params += readers.second;
    }
  }
  return std::move(g.net);
}

}  // namespace

Net read_onnx_bytes(std::string_view bytes, const std::string& file, const OnnxOptions& o) {
  if (bytes.size() > o.max_bytes.bytes) {
    fail(file, too_large("ONNX file", o.max_bytes));
  }
  onnx::ModelProto model;
  parse_model(bytes.data(), bytes.size(), file, model);
  return build_net(model, file, o);
}

Net read_onnx_file(const std::string& path, const OnnxOptions& o) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    fail(path, fmt::format("cannot open: {}", std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    fail(path, "is not a regular file");
  }
  if (static_cast<std::size_t>(st.st_size) > o.max_bytes.bytes) {
    ::close(fd);
    fail(path, too_large("ONNX file", o.max_bytes));
  }
  // Mapped, not read: the weights are skipped unread (wire.cpp), so their
  // pages are never touched.
  const auto size = static_cast<std::size_t>(st.st_size);
  void* map = size == 0 ? MAP_FAILED : ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) {
    fail(path, size == 0 ? "not a valid ONNX file (the protobuf is truncated or corrupt)"
                         : fmt::format("cannot map: {}", std::strerror(errno)));
  }
  onnx::ModelProto model;
  try {
    parse_model(map, size, path, model);
  } catch (...) {
    ::munmap(map, size);
    throw;
  }
  ::munmap(map, size);
  Net net = build_net(model, path, o);
  net.source = fmt::format("file:{}", path);
  return net;
}

}  // namespace netlens
