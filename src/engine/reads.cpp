#include "engine/reads.h"

#include <algorithm>
#include <cmath>

#include "engine/receptive_field.h"

namespace netlens {

Reads reads_of(const Layer& layer, const LayerReport& lr) {
  if (layer.kind == LayerKind::Roll) {
    return Reads::Roll;  // a rule on roles, but not a unit's own position
  }
  if (lr.mixing) {  // a rule on roles: each unit its own positions, its window's, or all
    return *lr.mixing == Mixing::Global     ? Reads::Everything
           : *lr.mixing == Mixing::Windowed ? Reads::Windowed
           : lr.inputs.size() > 1           ? Reads::Union
                                            : Reads::Same;
  }
  if (layer.kind == LayerKind::WindowAttention && lr.output.has_positions() &&
      std::ranges::all_of(lr.output.size, [&, a = std::size_t{0}](std::int64_t n) mutable {
        return layer.extra->window_size.at(a++) >= n;
      })) {
    return Reads::Everything;  // one window holds the grid: attention over every token
  }
  if ((layer.kind == LayerKind::Linear || layer.kind == LayerKind::Flatten) &&
      lr.output.has_positions()) {
    return Reads::Same;  // per position, or flattening the grid into tokens
  }
  return layer_type(layer.kind).reads;
}

namespace {

// Attention's scores (and what is added to them) read a query's and a key's
// positions: no region of their own, but a softmax over a window's keys
// reads every position of the window; it is read through them, to the
// tensors they were computed from.
bool scores(const Report& report, std::size_t id) {
  if (id == 0 || !report.layers[id - 1].rf_unknown) {
    return false;
  }
  const std::vector<DimRole>& roles = report.layers[id - 1].output.roles;
  return std::any_of(roles.begin(), roles.end(),
                     [](DimRole r) { return r.role == Role::KeyCells; });
}

void read_through_scores(const Report& report, std::vector<std::size_t>& out) {
  for (std::size_t k = 0; k < out.size();) {
    if (!scores(report, out[k])) {
      ++k;
      continue;
    }
    const std::size_t id = out[k];
    out.erase(out.begin() + static_cast<long>(k));
    for (std::size_t in : local_inputs(report, report.layer(id - 1), report.layers[id - 1])) {
      if (std::find(out.begin(), out.end(), in) == out.end()) {
        out.push_back(in);
      }
    }
  }
}

}  // namespace

void local_inputs(const Report& report, const Layer& layer, const LayerReport& lr,
                  std::vector<std::size_t>& out) {
  out.clear();
  if (reads_of(layer, lr) == Reads::Windowed && lr.mixing) {  // the first input, or the scores'
    out.push_back(lr.inputs[0]);
    read_through_scores(report, out);
    return;
  }
  if (reads_of(layer, lr) != Reads::Union) {
    out.push_back(lr.inputs[0]);
    return;
  }
  for (std::size_t id : lr.inputs) {
    if (id != 0 && report.layers[id - 1].reads_nothing) {
      continue;  // a constant: no position to read
    }
    const bool global =
        id != 0 && report.layers[id - 1].global_rf && !report.layers[id - 1].attended;
    const Shape& s = report.node_shape(id);
    bool broadcast = false;
    for (std::size_t a = 0; a < s.size.size() && s.tracks_positions(); ++a) {
      broadcast = broadcast || (s.size[a] == 1 && lr.output.size[a] > 1);
    }
    if (!global && !broadcast) {
      out.push_back(id);
    }
  }
  if (out.empty()) {  // all lend context: then they are what units read
    for (std::size_t id : lr.inputs) {
      if (id == 0 || !report.layers[id - 1].reads_nothing) {
        out.push_back(id);
      }
    }
  }
}

std::vector<std::size_t> local_inputs(const Report& report, const Layer& layer,
                                      const LayerReport& lr) {
  std::vector<std::size_t> out;
  local_inputs(report, layer, lr, out);
  return out;
}

namespace {

// A scale factor as an exact ratio (1.5 -> 3/2): at most 9 decimals matter.
Ratio ratio_of(double x) {
  std::int64_t den = 1;
  while (den < 1000000000 &&
         std::floor(x * static_cast<double>(den)) != x * static_cast<double>(den)) {
    den *= 10;
  }
  return *Ratio::make(static_cast<std::int64_t>(x * static_cast<double>(den)), den);
}

}  // namespace

Ratio resample_ratio(const Layer& layer, const LayerReport& lr, const Shape& in, std::size_t a) {
  if (!layer.extra->scale_factor.given || layer.extra->recompute_scale_factor) {
    return *Ratio::make(lr.output.size[a], in.size[a]);
  }
  return ratio_of(layer.extra->scale_factor.at(a));
}

const AxisRf& rf_of(const Report& report, std::size_t node, std::size_t axis) {
  static const AxisRf kInput = rf::input();
  return node == 0 ? kInput : report.layers[node - 1].rf[axis];
}

std::optional<AxisRf> axis_rf(const Report& report, const Layer& layer, const LayerReport& lr,
                              Reads reads, const std::vector<std::size_t>& local, std::size_t a) {
  const AxisRf& prev = rf_of(report, local[0], a);
  const Shape& in = report.node_shape(local[0]);
  switch (reads) {
    case Reads::Window:
      return rf::through_window(prev, (*lr.window)[a]);
    case Reads::Adaptive:
      return lr.output.size[a] == 1 ? rf::global()
                                    : rf::through_adaptive(prev, in.size[a], lr.output.size[a]);
    case Reads::Everything:
      return rf::global();
    case Reads::Transposed:
      return rf::through_upsampling(prev, Ratio::of((*lr.window)[a].stride));
    case Reads::Resample:
      return rf::through_upsampling(prev, resample_ratio(layer, lr, in, a));
    case Reads::Union: {
      std::vector<const AxisRf*> ins;
      for (std::size_t id : local) {
        ins.push_back(&rf_of(report, id, a));
      }
      return rf::through_merge(ins);
    }
    case Reads::Same:
    case Reads::Roll:  // the positions' closed form; a rolled layer's units are not in order
      return prev;
    case Reads::Windowed: {
      // Units see different windows: their regions come unit by unit.
      AxisRf out = prev;
      out.rf = out.rf_min = std::nullopt;
      out.padding_eff = out.center_offset = std::nullopt;
      return out;
    }
  }
  return std::nullopt;
}

}  // namespace netlens
