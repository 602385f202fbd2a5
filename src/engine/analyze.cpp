#include "engine/analyze.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <memory_resource>
#include <unordered_map>

#include "engine/costs.h"
#include "engine/net_checks.h"
#include "engine/propagate_rf.h"
#include "engine/reads.h"
#include "engine/receptive_field.h"
#include "engine/regions.h"
#include "engine/shape_rules.h"
#include "model/layer_types.h"
#include "model/suggest.h"

namespace netlens {

namespace {

// The rank a net's layers imply, for an input size given once: a rank-named
// type (Conv1d) or a per-axis list; 2 (an image) when nothing says. Layers
// that imply different ranks are an error: one stray Conv1d must not turn
// an image net 1-D.
std::size_t infer_rank(const Net& net) {
  const Layer* first = nullptr;
  std::size_t found = 0;
  for (const Layer& l : net.layers) {
    const std::size_t rank =
        l.alias_rank != 0 ? static_cast<std::size_t>(l.alias_rank) : listed_rank(l);
    if (rank != 0 && found != 0 && rank != found) {
      throw ModelError(
          net.file, l.pos, l.name,
          fmt::format("a {}-D layer, but layer '{}' is {}-D, and the input's one "
                      "size ({}) does not say the net's rank: give a size per axis "
                      "(input: {{size: [{}]}})",
                      rank, first->name, found, net.input_size[0],
                      fmt::join(PerAxis<std::int64_t>(found, net.input_size[0]), ", ")));
    }
    if (rank != 0 && found == 0) {
      first = &l;
      found = rank;
    }
  }
  return found != 0 ? found : 2;
}

class Analyzer {
 public:
  // Without `receptive_fields`, run_layers computes shapes only (`sizes`).
  // `batch`: the first dim of the tensors that lose their roles: an ONNX
  // file's (its reshape targets count it), else costs' batch.
  explicit Analyzer(Net net, bool receptive_fields = true, std::optional<std::int64_t> batch = {})
      : with_rf_(receptive_fields), batch_(net.batch.value_or(batch.value_or(1))) {
    report_.net = std::move(net);
  }
  Report run();
  // The layers' shapes and closed-form fields; no whole-net pass. Again
  // after a change of the input size: the inputs resolved before are kept.
  void run_layers();
  // After run_layers: why the net is not exact on `axis` ("" when it is).
  std::string inexact_on(std::size_t axis);
  Net& net_to_change() { return report_.net; }
  const Report& report() const { return report_; }

 private:
  const Net& net() const { return report_.net; }
  [[noreturn]] void fail(const Layer& layer, SourcePos pos, const std::string& message) const {
    throw ModelError(net().file, pos.known() ? pos : layer.pos, layer.name, message);
  }
  void fix_input();
  LayerReport analyze_layer(const Layer& layer, std::size_t id);
  std::vector<std::size_t> resolve_inputs(const Layer& layer, std::size_t id);
  void propagate_rf(const Layer& layer, LayerReport& lr) { rf_.propagate(layer, lr); }
  void compute_exact_regions();
  void resolve_outputs();
  void check_dead_layers();
  void check_rf_size(LayerReport& lr);
  [[noreturn]] void fail_with_smallest_input(const InputTooSmall& e) const;

  Report report_;
  // name -> node id; its nodes from one pool, reserved once: scattered nodes
  // and rehashes cost a 10^5-layer chain a sixth of its run (spec_reader.cpp).
  std::pmr::monotonic_buffer_resource pool_;
  std::pmr::unordered_map<std::string_view, std::size_t> ids_{&pool_};

  std::vector<std::vector<std::size_t>> resolved_;  // per layer, once resolved
  std::vector<bool> rf_warned_;                     // per axis
  std::vector<ShapeInput> shape_inputs_;            // the layer's; one buffer for every layer
  bool with_rf_ = true;
  std::int64_t batch_ = 1;
  RfPropagator rf_{report_};
};

std::vector<std::size_t> Analyzer::resolve_inputs(const Layer& layer, std::size_t id) {
  if (layer.inputs.empty()) {
    return {id - 1};
  }
  std::vector<std::size_t> ids;
  for (std::size_t k = 0; k < layer.inputs.size(); ++k) {
    const std::string& name = layer.inputs[k];
    if (name == "input") {
      ids.push_back(0);
      continue;
    }
    if (const auto found = ids_.find(name); found != ids_.end()) {
      ids.push_back(found->second);
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
    fail(layer, layer.input_pos[k],
         fmt::format("unknown input '{}'{}", name, did_you_mean(name, names)));
  }
  return ids;
}

// Warned once per axis, at the first layer whose units see more than the input.
void Analyzer::check_rf_size(LayerReport& lr) {
  const std::size_t rank = lr.rf.size();
  std::vector<AxisFinding> findings;
  for (std::size_t a = 0; a < rank; ++a) {
    const AxisRf& x = lr.rf[a];
    if (!rf_warned_[a] && !x.global && x.rf && *x.rf > report_.input.size[a]) {
      rf_warned_[a] = true;
      findings.push_back(
          {WarningKind::RfExceedsInput, a,
           fmt::format("receptive field {} is larger than the input ({}) on {{axes}}", *x.rf,
                       report_.input.size[a])});
    }
  }
  for (Warning& w : merge_axis_findings(findings, rank)) {
    lr.warnings.push_back(std::move(w));
  }
}

void Analyzer::fix_input() {
  const Net& n = net();
  if (!n.assumed_batch.empty()) {
    report_.warnings.push_back(
        {WarningKind::AssumedBatch,
         {},
         {},
         {},
         fmt::format("the input's batch dim '{}' is symbolic: analyzed at batch 1 "
                     "(--batch N sets it)",
                     n.assumed_batch)});
  }
  for (const std::string& node : n.guessed_branches) {
    report_.warnings.push_back(
        {WarningKind::GuessedBranch,
         {},
         {},
         {},
         fmt::format("If node '{}': its condition depends on the input; its then branch was "
                     "read (--onnx-branch '{}=else' reads the other)",
                     node, node)});
  }
  if (n.input_dims) {  // no roles: nothing has a receptive field
    report_.input.layout = Layout::Whole;
    report_.input.dims = *n.input_dims;
    return;
  }
  if (n.input_flat) {  // [batch, features]: no spatial axis, nothing has a receptive field
    report_.input.layout = Layout::Flat;
    report_.input.channels = n.channels.value_or(1);
    return;
  }
  if (n.input_size.empty()) {
    throw ParseError(n.file, {}, "input",
                     "no input size: add `input: {size: [224, 224], channels: 3}` to the spec "
                     "or pass --input 224");
  }
  report_.input.size = full_input_size(n);
  if (n.input_no_channels) {  // a whole tensor whose dims hold the spatial axes
    report_.input.layout = Layout::Whole;
    report_.input.dims = {batch_};
    report_.input.roles = {{Role::Batch, 0}};
    for (std::size_t a = 0; a < report_.input.size.size(); ++a) {
      report_.input.dims.push_back(report_.input.size[a]);
      report_.input.roles.push_back({Role::Spatial, static_cast<std::uint8_t>(a)});
    }
    rf_warned_.assign(report_.input.size.size(), false);
    return;
  }
  report_.input.channels = n.channels.value_or(report_.input.size.size() == 1 ? 1 : 3);
  report_.input.put_channels_last(n.input_channels_last);
  rf_warned_.assign(report_.input.size.size(), false);
}

LayerReport Analyzer::analyze_layer(const Layer& layer, std::size_t id) {
  LayerReport lr;
  lr.index = id;
  if (resolved_.size() < id) {
    resolved_.push_back(resolve_inputs(layer, id));
  }
  lr.inputs = resolved_[id - 1];
  shape_inputs_.clear();
  for (std::size_t in : lr.inputs) {
    const Shape* unflattened = nullptr;
    if (in != 0 && report_.layer(in - 1).kind == LayerKind::Flatten) {
      unflattened = &report_.node_shape(report_.layers[in - 1].inputs[0]);
    }
    shape_inputs_.push_back({&report_.node_shape(in), &report_.node_name(in), unflattened});
  }
  LayerShape shape = apply_shape_rule(layer, shape_inputs_, net().convention, net().file, batch_);
  lr.output = std::move(shape.output);
  lr.window = std::move(shape.window);
  lr.params = layer.extra->params.value_or(shape.params);
  lr.warnings = std::move(shape.warnings);
  lr.mixing = shape.mixing;
  lr.reads_nothing = layer.kind == LayerKind::Constant ||
                     std::all_of(lr.inputs.begin(), lr.inputs.end(), [&](std::size_t in) {
                       return in != 0 && report_.layers[in - 1].reads_nothing;
                     });
  if (with_rf_) {
    propagate_rf(layer, lr);
  }
  const auto total = checked::add(report_.total_params, lr.params);
  if (!total) {
    fail(layer, layer.pos, "the parameter total overflows 64 bits");
  }
  report_.total_params = *total;
  return lr;
}

// Upsampling, uneven adaptive pools and merges of different jumps make units
// differ: their rf (the widest unit) and rf_min come from the unit-by-unit
// computation. Over its budget, the closed forms stay and a warning says so.
void Analyzer::compute_exact_regions() {
  bool needed = false;
  for (const LayerReport& lr : report_.layers) {
    for (const AxisRf& x : lr.rf) {
      needed = needed || (!x.global && !x.rf_min);
    }
  }
  if (!needed) {
    return;
  }
  try {
    compute_regions(report_, false);
  } catch (const ModelError& e) {
    report_.warnings.push_back(
        {WarningKind::RegionsSkipped,
         e.layer(),
         {},
         {},
         e.message() + " (rf_min and the rf of layers whose units differ are left unknown)"});
  }
}

void Analyzer::resolve_outputs() {
  const Net& n = net();
  for (std::size_t k = 0; k < n.outputs.size(); ++k) {
    const auto found = ids_.find(n.outputs[k]);
    if (found == ids_.end()) {
      std::vector<std::string> names;
      for (const Layer& l : n.layers) {
        names.push_back(l.name);
      }
      throw ParseError(
          n.file, n.output_pos[k], "outputs",
          fmt::format("no layer '{}'{}", n.outputs[k], did_you_mean(n.outputs[k], names)));
    }
    report_.outputs.push_back(found->second);
  }
  if (n.outputs.empty() && !n.layers.empty()) {
    report_.outputs.push_back(n.layers.size());
  }
}

// A layer whose output nothing reads and that is not an output is a dead branch.
void Analyzer::check_dead_layers() {
  std::vector<bool> used(report_.layers.size() + 1, false);
  for (const LayerReport& lr : report_.layers) {
    for (std::size_t in : lr.inputs) {
      used[in] = true;
    }
  }
  for (std::size_t out : report_.outputs) {
    used[out] = true;
  }
  for (std::size_t k = 1; k <= report_.layers.size(); ++k) {
    if (!used[k]) {
      report_.layers[k - 1].warnings.push_back(
          {WarningKind::DeadLayer,
           {},
           {},
           {},
           net().outputs.empty()
               ? "dead branch: no layer uses this output (and it is not the last layer)"
               : "dead branch: no layer uses this output, and it is not one of the net's outputs"});
    }
  }
}

void Analyzer::run_layers() {
  report_.layers.clear();
  report_.outputs.clear();
  report_.total_params = 0;
  fix_input();
  const Net& n = net();
  report_.layers.reserve(n.layers.size());
  ids_.reserve(n.layers.size());
  for (std::size_t i = 0; i < n.layers.size(); ++i) {
    report_.layers.push_back(analyze_layer(n.layers[i], i + 1));
    if (ids_.size() < i + 1) {
      ids_.emplace(n.layers[i].name, i + 1);
    }
  }
}

// A window that leaves real input positions unread (when no other reader of
// that tensor reads them) or a centred crop that cuts more on one side.
std::string Analyzer::inexact_on(std::size_t axis) {
  resolve_outputs();
  std::optional<const LayerReport*> lost = unread_without_rf(report_, axis);
  if (!lost) {
    // A merge reads a tensor a window leaves unread: whether that tensor is
    // one of the merge's local inputs needs the receptive fields.
    if (!with_rf_) {
      for (LayerReport& lr : report_.layers) {
        propagate_rf(report_.layer(lr.index - 1), lr);
      }
    }
    drop_read_elsewhere(report_);
    const auto kept =
        std::find_if(report_.layers.begin(), report_.layers.end(),
                     [&](const LayerReport& lr) { return unread_warning(lr, axis) != nullptr; });
    lost = kept == report_.layers.end() ? nullptr : &*kept;
  }
  if (*lost != nullptr) {
    const LayerReport& lr = **lost;
    const Warning& w = *unread_warning(lr, axis);
    // The text names the scanned axis only: "on every axis" -> "on axis h".
    return fmt::format("layer '{}': {}", report_.layer(lr.index - 1).name,
                       renamed_axes(w.text, w.axes, {axis}, report_.input.size.size()));
  }
  for (const LayerReport& lr : report_.layers) {
    const Layer& layer = report_.layer(lr.index - 1);
    const bool centred = layer.kind == LayerKind::Crop && !layer.extra->cropping.given &&
                         !layer.extra->crop_offset.given;
    if (centred) {
      const AxisWindow& w = (*lr.window)[axis];
      if (w.pad_lo != w.pad_hi) {
        return fmt::format("layer '{}': the centred crop cuts {} before and {} after on {}",
                           layer.name, -w.pad_lo, -w.pad_hi,
                           axis_phrase({axis}, report_.input.size.size()));
      }
    }
  }
  return "";
}

// Whether every window of `net` fits its input on `axis` (every axis when
// nullopt; other errors aside).
bool windows_fit(Net net, std::optional<std::size_t> axis) {
  try {
    Analyzer(std::move(net)).run_layers();
  } catch (const InputTooSmall& e) {
    return axis && e.axis() != *axis;
  } catch (const Error&) {
  }
  return true;
}

// Adds to `e` the smallest input size at which every window fits, on e's
// axis (on every axis when the spec gives one size), found by bisection:
// every shape rule's output grows with its input, so fitting is monotone.
void Analyzer::fail_with_smallest_input(const InputTooSmall& e) const {
  constexpr std::int64_t kLimit = std::int64_t{1} << 24;
  const bool square = net().input_size_scalar;
  Net resized = net();
  resized.channels = report_.input.channels;
  if (!square) {
    resized.input_size = report_.input.size;
  }
  const auto fits = [&](std::int64_t size) {
    resized.input_size[square ? 0 : e.axis()] = size;
    return windows_fit(resized, square ? std::nullopt : std::optional(e.axis()));
  };
  std::int64_t lo = report_.input.size[e.axis()];  // too small
  std::int64_t hi = std::max<std::int64_t>(lo, 1) * 2;
  while (hi <= kLimit && !fits(hi)) {
    lo = hi;
    hi *= 2;
  }
  const std::string where =
      square ? "" : fmt::format(" on axis {}", axis_name(report_.input.size.size(), e.axis()));
  if (hi > kLimit) {
    throw ModelError(
        e.file(), e.pos(), e.layer(),
        fmt::format("{}; no input size up to {}{} makes it fit", e.message(), kLimit, where));
  }
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    (fits(mid) ? hi : lo) = mid;
  }
  throw ModelError(
      e.file(), e.pos(), e.layer(),
      fmt::format("{}; the net's input must be at least {}{}", e.message(), hi, where));
}

Report Analyzer::run() {
  try {
    run_layers();
  } catch (const InputTooSmall& e) {
    fail_with_smallest_input(e);
  }
  resolve_outputs();
  compute_exact_regions();
  drop_read_elsewhere(report_);
  check_dead_layers();
  const Alignment alignment(report_);
  for (LayerReport& lr : report_.layers) {
    const Layer& layer = report_.layer(lr.index - 1);
    if (layer_type(layer.kind).reads == Reads::Union) {
      if (std::optional<Warning> w = alignment.check(lr)) {
        lr.warnings.push_back(std::move(*w));
      }
    }
    check_rf_size(lr);
    if (std::any_of(lr.output.roll.begin(), lr.output.roll.end(), [](auto r) { return r != 0; })) {
      for (AxisRf& a : lr.rf) {  // rolled units: no one jump or centre (their regions are exact)
        a.jump = a.padding_eff = a.center_offset = std::nullopt;
      }
    }
    const auto accepted = [&](const Warning& w) {  // by the layer's allow:
      return std::ranges::find(layer.extra->allow, warning_kind_name(w.kind)) !=
             layer.extra->allow.end();
    };
    for (Warning& w : lr.warnings) {
      w.layer = layer.name;
      w.pos = layer.pos;
      (accepted(w) ? report_.accepted_warnings : report_.warnings).push_back(w);
    }
    std::erase_if(lr.warnings, accepted);
  }
  return std::move(report_);
}

}  // namespace

PerAxis<std::int64_t> full_input_size(const Net& net) {
  if (net.input_size.empty()) {
    Analyzer(net).run_layers();  // throws fix_input's error
  }
  return net.input_size_scalar ? PerAxis<std::int64_t>(infer_rank(net), net.input_size[0])
                               : net.input_size;
}

SizeProbe make_size_probe(Net net) {
  auto analyzer = std::make_shared<Analyzer>(std::move(net), false);
  return [analyzer](std::size_t axis, std::int64_t size) {
    SizeOutcome outcome;
    outcome.input = size;
    analyzer->net_to_change().input_size[axis] = size;
    try {
      analyzer->run_layers();
      outcome.failure = analyzer->inexact_on(axis);
      outcome.runs = true;
      outcome.exact = outcome.failure.empty();
      const Report& r = analyzer->report();
      for (const std::size_t id : r.outputs) {
        const Shape& shape = r.node_shape(id);
        outcome.outputs.push_back(shape.has_positions() ? std::optional(shape.size[axis])
                                                        : std::nullopt);
      }
    } catch (const ModelError& e) {
      outcome.failure =
          e.layer().empty() ? e.message() : fmt::format("layer '{}': {}", e.layer(), e.message());
    } catch (const Error& e) {
      outcome.failure = e.what();
    }
    return outcome;
  };
}

Report analyze(Net net, const CostOptions& costs) {
  Report report = Analyzer(std::move(net), true, costs.batch).run();
  compute_costs(report, costs);
  return report;
}

}  // namespace netlens
