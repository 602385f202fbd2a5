#include "engine/analyze.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "engine/costs.h"
#include "engine/receptive_field.h"
#include "engine/regions.h"
#include "engine/shape_rules.h"
#include "model/name_index.h"
#include "model/prefault.h"
#include "model/suggest.h"

namespace netlens {

namespace {

// Scale factor as an exact ratio (1.5 -> 3/2): at most 9 decimals matter.
Ratio ratio_of(double x) {
  std::int64_t den = 1;
  while (den < 1000000000 &&
         std::floor(x * static_cast<double>(den)) != x * static_cast<double>(den)) {
    den *= 10;
  }
  return *Ratio::make(static_cast<std::int64_t>(x * static_cast<double>(den)), den);
}

// The rank a net's layers imply: a rank-named type (Conv1d) or a per-axis
// list; 2 (an image) when nothing says.
std::size_t infer_rank(const Net& net) {
  for (const Layer& l : net.layers) {
    if (l.alias_rank != 0) {
      return static_cast<std::size_t>(l.alias_rank);
    }
    for (const AxisParam<std::int64_t>* p :
         {&l.window_params().kernel_size, &l.window_params().stride, &l.window_params().dilation,
          &l.extra().output_padding, &l.extra().output_size}) {
      if (p->given && !p->scalar) {
        return p->values.size();
      }
    }
    for (const AxisParam<std::int64_t>* p : {&l.extra().crop_size, &l.extra().crop_offset}) {
      if (p->given && !p->scalar) {
        return p->values.size();
      }
    }
    if (l.extra().scale_factor.given && !l.extra().scale_factor.scalar) {
      return l.extra().scale_factor.values.size();
    }
    for (const PaddingParam* p : {&l.window_params().padding, &l.extra().cropping}) {
      if (p->given && !p->scalar) {
        return p->pairs.size();
      }
    }
  }
  return 2;
}

class Analyzer {
 public:
  explicit Analyzer(Net net) { report_.net = std::move(net); }
  Report run();

 private:
  const Net& net() const { return report_.net; }
  [[noreturn]] void fail(const Layer& layer, SourcePos pos, const std::string& message) const {
    throw ModelError(net().file, pos.known() ? pos : layer.pos, layer.name, message);
  }
  auto name_of_layer() const {
    return [this](std::size_t i) -> const std::string& { return net().layers[i].name; };
  }
  NodeIds resolve_inputs(const Layer& layer, std::size_t id);
  void propagate_rf(const Layer& layer, LayerReport& lr);
  void check_rf_size(LayerReport& lr);
  void check_alignment(LayerReport& lr);

  Report report_;
  NameIndex ids_;                         // name -> index into net().layers (node id - 1)
  std::vector<bool> rf_warned_;           // per axis
  std::vector<ShapeInput> shape_inputs_;  // the layer's, reused: no allocation per layer
};

NodeIds Analyzer::resolve_inputs(const Layer& layer, std::size_t id) {
  if (layer.inputs.empty()) {
    return {id - 1};
  }
  NodeIds ids;
  for (std::size_t k = 0; k < layer.inputs.size(); ++k) {
    const std::string& name = layer.inputs[k];
    if (name == "input") {
      ids.push_back(0);
      continue;
    }
    const std::size_t found = ids_.find(name, name_of_layer());
    if (found != NameIndex::kNone) {
      ids.push_back(found + 1);
      continue;
    }
    if (name == layer.name) {
      fail(layer, layer.input_pos[k],
           fmt::format("input '{}' is the layer itself; inputs must name earlier layers", name));
    }
    for (std::size_t later = id; later < net().layers.size(); ++later) {
      if (net().layers[later].name == name) {
        fail(layer, layer.input_pos[k],
             fmt::format("input '{}' is defined later (layer {}); inputs must name earlier layers",
                         name, later + 1));
      }
    }
    std::vector<std::string> names{"input"};
    for (std::size_t earlier = 0; earlier + 1 < id; ++earlier) {
      names.push_back(net().layers[earlier].name);
    }
    const std::string hint = closest(name, names);
    fail(layer, layer.input_pos[k],
         fmt::format("unknown input '{}'{}", name,
                     hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
  }
  return ids;
}

const AxisRf& rf_of(const Report& r, std::size_t node, std::size_t axis) {
  static const AxisRf kInput = rf::input();
  return node == 0 ? kInput : r.layers[node - 1].rf[axis];
}

void Analyzer::propagate_rf(const Layer& layer, LayerReport& lr) {
  const Shape& in = lr.inputs[0] == 0 ? report_.input : report_.layers[lr.inputs[0] - 1].output;
  const std::size_t rank = report_.input.size.size();
  for (std::size_t a = 0; a < rank; ++a) {
    const AxisRf& prev = rf_of(report_, lr.inputs[0], a);
    std::optional<AxisRf> out;
    switch (layer.kind) {
      case LayerKind::Conv:
      case LayerKind::MaxPool:
      case LayerKind::AvgPool:
      case LayerKind::Pad:
      case LayerKind::Crop:
        out = rf::through_window(prev, (*lr.window)[a]);
        break;
      case LayerKind::AdaptiveAvgPool:
      case LayerKind::AdaptiveMaxPool:
        out = lr.output.size[a] == 1 ? rf::global()
                                     : rf::through_adaptive(prev, in.size[a], lr.output.size[a]);
        break;
      case LayerKind::GlobalAvgPool:
      case LayerKind::GlobalMaxPool:
      case LayerKind::Linear:
      case LayerKind::Flatten:
        out = rf::global();
        break;
      case LayerKind::ConvTranspose:
        out = rf::through_upsampling(prev, Ratio::of((*lr.window)[a].stride));
        break;
      case LayerKind::Upsample:
        out = rf::through_upsampling(
            prev,
            ratio_of(layer.extra().scale_factor.values[layer.extra().scale_factor.scalar ? 0 : a]));
        break;
      case LayerKind::Add:
      case LayerKind::Mul:
      case LayerKind::Concat: {
        std::vector<const AxisRf*> ins;
        for (std::size_t id : lr.inputs) {
          ins.push_back(&rf_of(report_, id, a));
        }
        out = rf::through_merge(ins);
        break;
      }
      default:
        out = prev;
        break;
    }
    if (!out) {
      fail(layer, layer.pos, "receptive-field arithmetic overflows 64 bits");
    }
    lr.rf.push_back(*out);
  }
  if (lr.output.flat) {
    // No spatial axes left: the receptive-field fields are null, and global.
    lr.rf = PerAxis<AxisRf>(rank, rf::global());
  }
  for (AxisRf& x : lr.rf) {
    if (x.rf && x.jump) {
      x.rf_min = x.rf;  // evenly spaced windows: every unit's region has one size
    }
  }
  lr.global_rf = rank > 0;
  for (const AxisRf& x : lr.rf) {
    lr.global_rf = lr.global_rf && x.global;
  }
}

// At a merge, inputs whose units are spaced differently (jump) or centred
// differently (centre offset) mix regions that do not line up.
void Analyzer::check_alignment(LayerReport& lr) {
  const std::size_t rank = report_.input.size.size();
  std::vector<std::string> per_axis(rank);
  for (std::size_t a = 0; a < rank; ++a) {
    std::vector<const AxisRf*> ins;
    for (std::size_t id : lr.inputs) {
      ins.push_back(&rf_of(report_, id, a));
    }
    if (!rf::misaligned(ins)) {
      continue;
    }
    double lo = ins[0]->center_offset->to_double();
    double hi = lo;
    for (std::size_t k = 0; k < ins.size(); ++k) {
      const double c = ins[k]->center_offset->to_double();
      lo = std::min(lo, c);
      hi = std::max(hi, c);
      per_axis[a] += fmt::format("{}'{}' jump {}, centre {}", k == 0 ? "" : "; ",
                                 report_.node_name(lr.inputs[k]), ratio_text(*ins[k]->jump),
                                 ratio_text(*ins[k]->center_offset));
    }
    per_axis[a] += fmt::format(" ({:g} pixel{} apart)", hi - lo, hi - lo == 1 ? "" : "s");
  }
  std::string text;
  const bool same_everywhere = rank > 1 && !per_axis[0].empty() &&
                               std::all_of(per_axis.begin(), per_axis.end(),
                                           [&](const std::string& t) { return t == per_axis[0]; });
  if (same_everywhere) {
    text = fmt::format("on every axis: {}", per_axis[0]);
  } else {
    for (std::size_t a = 0; a < rank; ++a) {
      if (!per_axis[a].empty()) {
        text += fmt::format("{}on axis {}: {}", text.empty() ? "" : "; ", axis_name(rank, a),
                            per_axis[a]);
      }
    }
  }
  if (!text.empty()) {
    lr.warnings.push_back(fmt::format("inputs are misaligned {}", text));
  }
}

// Warned once per axis, at the first layer whose units see more than the input.
void Analyzer::check_rf_size(LayerReport& lr) {
  const std::size_t rank = lr.rf.size();
  std::vector<std::size_t> axes;
  for (std::size_t a = 0; a < rank; ++a) {
    const AxisRf& x = lr.rf[a];
    if (!rf_warned_[a] && !x.global && x.rf && *x.rf > report_.input.size[a]) {
      rf_warned_[a] = true;
      axes.push_back(a);
    }
  }
  if (axes.empty()) {
    return;
  }
  const auto same = [&](std::size_t a) {
    return *lr.rf[a].rf == *lr.rf[axes[0]].rf &&
           report_.input.size[a] == report_.input.size[axes[0]];
  };
  if (std::all_of(axes.begin(), axes.end(), same)) {
    const std::string where =
        axes.size() == 1 ? fmt::format("axis {}", axis_name(rank, axes[0]))
        : axes.size() == rank
            ? std::string("every axis")
            : fmt::format("axes {} and {}", axis_name(rank, axes[0]), axis_name(rank, axes[1]));
    lr.warnings.push_back(fmt::format("receptive field {} is larger than the input ({}) on {}",
                                      *lr.rf[axes[0]].rf, report_.input.size[axes[0]], where));
    return;
  }
  for (std::size_t a : axes) {
    lr.warnings.push_back(fmt::format("receptive field {} is larger than the input ({}) on axis {}",
                                      *lr.rf[a].rf, report_.input.size[a], axis_name(rank, a)));
  }
}

Report Analyzer::run() {
  const Net& n = net();
  if (n.input_size.empty()) {
    throw ParseError(n.file, {}, "input",
                     "no input size: add `input: {size: [224, 224], channels: 3}` to the spec "
                     "or pass --input 224");
  }
  report_.input.size = n.input_size;
  if (n.input_size_scalar) {
    report_.input.size = PerAxis<std::int64_t>(infer_rank(n), n.input_size[0]);
  }
  report_.input.channels = n.channels.value_or(report_.input.size.size() == 1 ? 1 : 3);
  rf_warned_.assign(report_.input.size.size(), false);
  report_.layers.reserve(n.layers.size());
  prefault_capacity(report_.layers);
  ids_.reserve(n.layers.size());
  bool needs_exact = false;
  for (std::size_t i = 0; i < n.layers.size(); ++i) {
    const Layer& layer = n.layers[i];
    const std::size_t id = i + 1;
    ids_.prefetch(layer.name);  // inserted below
    LayerReport lr;
    lr.index = id;
    lr.inputs = resolve_inputs(layer, id);
    shape_inputs_.clear();
    for (std::size_t in : lr.inputs) {
      shape_inputs_.push_back(
          {in == 0 ? &report_.input : &report_.layers[in - 1].output, &report_.node_name(in)});
    }
    LayerShape shape = apply_shape_rule(layer, shape_inputs_, n.convention, n.file);
    lr.output = std::move(shape.output);
    lr.window = std::move(shape.window);
    lr.params = shape.params;
    lr.warnings = std::move(shape.warnings);
    propagate_rf(layer, lr);
    const auto total = checked::add(report_.total_params, lr.params);
    if (!total) {
      fail(layer, layer.pos, "the parameter total overflows 64 bits");
    }
    report_.total_params = *total;
    for (const AxisRf& x : lr.rf) {
      needs_exact = needs_exact || (!x.global && !x.rf_min);
    }
    report_.layers.push_back(std::move(lr));
    ids_.insert(layer.name, i, name_of_layer());
  }
  // Upsampling, uneven adaptive pools and merges of different jumps make
  // units differ: their rf (the widest unit) and rf_min come from the
  // unit-by-unit computation.
  if (needs_exact) {
    try {
      compute_regions(report_, false);
    } catch (const ModelError& e) {
      report_.warnings.push_back(
          {e.layer(),
           {},
           e.message() + " (rf_min and the rf of layers whose units differ are left unknown)"});
    }
  }
  // A layer whose output nothing reads (but the last) is a dead branch.
  std::vector<bool> used(report_.layers.size() + 1, false);
  for (const LayerReport& lr : report_.layers) {
    for (std::size_t in : lr.inputs) {
      used[in] = true;
    }
  }
  for (std::size_t k = 1; k < report_.layers.size(); ++k) {
    if (!used[k]) {
      report_.layers[k - 1].warnings.push_back(
          "dead branch: no layer uses this output (and it is not the last layer)");
    }
  }
  for (LayerReport& lr : report_.layers) {
    const Layer& layer = report_.layer(lr.index - 1);
    if (is_merge(layer.kind)) {
      check_alignment(lr);
    }
    check_rf_size(lr);
    for (const std::string& w : lr.warnings) {
      report_.warnings.push_back({layer.name, layer.pos, w});
    }
  }
  return std::move(report_);
}

}  // namespace

Report analyze(Net net, const CostOptions& costs) {
  Report report = Analyzer(std::move(net)).run();
  compute_costs(report, costs);
  return report;
}

}  // namespace netlens
