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

std::vector<Block> blocks_of(const Report& report, std::size_t depth) {
  std::vector<Block> out;
  for (std::size_t i = 0; i < report.layers.size(); ++i) {
    const std::string_view block = prefix(report.layer(i).name, depth);
    // A constant an ONNX file names after its weight (a bias added) joins
    // the block it is read in.
    if (!out.empty() && (out.back().name == block || report.layers[i].reads_nothing)) {
      out.back().last = i;
    } else {
      out.push_back({std::string(block), i, i});
    }
  }
  return out;
}

Report block_report(const Report& report, std::size_t depth) {
  Report out;
  out.net = report.net;
  out.net.layers.clear();
  out.input = report.input;
  out.cost_options = report.cost_options;
  out.totals = report.totals;
  out.total_params = report.total_params;
  out.depth = depth;
  out.blocked_layers = report.layers.size();
  for (const Block& block : blocks_of(report, depth)) {
    Layer b;
    b.name = block.name;
    b.type = block.first == block.last ? report.layer(block.first).type : "block";
    out.net.layers.push_back(std::move(b));
    // The block's last layer's output and receptive field; its layers' costs.
    LayerReport r = report.layers[block.last];
    r.index = out.layers.size() + 1;
    r.warnings.clear();
    r.erf50 = r.erf95 = std::nullopt;
    r.window = block.first == block.last ? r.window : std::nullopt;
    r.params = 0;
    r.cost = LayerCost{};
    for (std::size_t i = block.first; i <= block.last; ++i) {
      const LayerReport& lr = report.layers[i];
      r.params += lr.params;
      r.cost.buffers += lr.cost.buffers;
      r.cost.macs += lr.cost.macs;
      r.cost.other_ops += lr.cost.other_ops;
      r.cost.activations += lr.cost.activations;
      r.cost.memory += lr.cost.memory;
    }
    out.layers.push_back(std::move(r));
  }
  return out;
}

}  // namespace netlens
