// The depth view (`analyze --depth N`, as torchinfo's depth): the layers
// grouped into blocks by their names' first N parts, each block one row with
// the sums of its layers' costs and its last layer's output and receptive
// field, so the rows add up to the net's totals.
#include "format/format.h"

namespace netlens {

namespace {

// The first `depth` parts of a name: split at '.' ("layer1.0.conv1" ->
// "layer1" at 1), or at '/' when it starts with one, as torch.onnx names a
// node after its module's path ("/layer1/layer1.0/conv1/Conv" -> "/layer1").
std::string_view prefix(std::string_view name, std::size_t depth) {
  const char separator = name.starts_with('/') ? '/' : '.';
  std::size_t parts = 0;
  for (std::size_t i = 1; i < name.size(); ++i) {
    if (name[i] == separator && ++parts == depth) {
      return name.substr(0, i);
    }
  }
  return name;
}

}  // namespace

Report block_report(const Report& report, std::size_t depth) {
  Report out;
  out.net = report.net;
  out.net.layers.clear();
  out.input = report.input;
  out.cost_options = report.cost_options;
  out.totals = report.totals;
  out.total_params = report.total_params;
  out.erf = false;
  out.depth = depth;
  out.blocked_layers = report.layers.size();
  for (std::size_t i = 0; i < report.layers.size(); ++i) {
    const Layer& layer = report.layer(i);
    const LayerReport& lr = report.layers[i];
    const std::string_view block = prefix(layer.name, depth);
    // A constant an ONNX file names after its weight (a bias added) joins
    // the block it is read in.
    const bool same =
        !out.net.layers.empty() && (out.net.layers.back().name == block || lr.reads_nothing);
    if (!same) {
      Layer b;
      b.name = std::string(block);
      b.type = layer.type;
      out.net.layers.push_back(std::move(b));
      LayerReport r = lr;
      r.index = out.layers.size() + 1;
      r.warnings.clear();
      r.erf50 = r.erf95 = std::nullopt;
      out.layers.push_back(std::move(r));
      continue;
    }
    // One more layer of the block: its output is the block's, its costs add.
    Layer& b = out.net.layers.back();
    b.type = "block";
    LayerReport& r = out.layers.back();
    const LayerReport sums = r;
    r = lr;
    r.index = sums.index;
    r.warnings.clear();
    r.erf50 = r.erf95 = std::nullopt;
    r.params = sums.params + lr.params;
    r.window = std::nullopt;
    r.cost.buffers = sums.cost.buffers + lr.cost.buffers;
    r.cost.macs = sums.cost.macs + lr.cost.macs;
    r.cost.other_ops = sums.cost.other_ops + lr.cost.other_ops;
    r.cost.activations = sums.cost.activations + lr.cost.activations;
    r.cost.memory = sums.cost.memory + lr.cost.memory;
  }
  return out;
}

}  // namespace netlens
