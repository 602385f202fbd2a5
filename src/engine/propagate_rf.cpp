#include "engine/propagate_rf.h"

#include <algorithm>

#include "engine/reads.h"
#include "engine/receptive_field.h"
#include "model/error.h"

namespace netlens {

void RfPropagator::propagate(const Layer& layer, LayerReport& lr) {
  const std::size_t rank = r_.input.size.size();
  for (std::size_t in : lr.inputs) {
    lr.global_context = lr.global_context || (in != 0 && r_.layers[in - 1].global_context);
  }
  if (lr.mixing || lr.reads_nothing) {
    if (!through_roles(layer, lr)) {  // no axis netlens follows: unknown, not global
      lr.rf = PerAxis<AxisRf>(rank, AxisRf{});
      lr.rf_unknown = true;
    }
    return;
  }
  if (!lr.output.has_positions()) {
    // No spatial axes left: the receptive-field fields are null, and global.
    lr.rf = PerAxis<AxisRf>(rank, rf::global());
    lr.global_rf = rank > 0;
    return;
  }
  local_inputs(r_, layer, lr, local_);
  if (!through_reads(layer, lr)) {
    lr.rf = PerAxis<AxisRf>(rank, AxisRf{});
    lr.rf_unknown = true;
  }
}

// A layer whose rule ran on roles (whole_rules.cpp): global when one of the
// inputs it reads is (as a merge with a global input is) or when it mixes
// every position; its units' regions when it keeps each unit's positions and
// its inputs have regions. False: unknown.
bool RfPropagator::through_roles(const Layer& layer, LayerReport& lr) {
  if (lr.reads_nothing) {
    return false;
  }
  local_inputs(r_, layer, lr, local_);
  bool global = *lr.mixing == Mixing::Global;
  bool unknown_input = false;
  for (std::size_t id : local_) {
    const LayerReport* in = id == 0 ? nullptr : &r_.layers[id - 1];
    global = global || (in && in->global_rf);
    unknown_input = unknown_input || (in && in->rf_unknown);
    lr.attended = lr.attended || (in && in->attended);
  }
  if (global || unknown_input) {  // nothing is lost here: the warning is an earlier layer's
    std::erase_if(lr.warnings, [](const Warning& w) { return w.kind == WarningKind::RolesLost; });
  }
  if (global) {
    lr.rf = PerAxis<AxisRf>(r_.input.size.size(), rf::global());
    lr.global_rf = !lr.rf.empty();
    lr.attended = lr.attended || *lr.mixing == Mixing::Global;
    return true;
  }
  if (unknown_input || *lr.mixing == Mixing::Unknown || !lr.output.tracks_positions()) {
    return false;
  }
  return through_reads(layer, lr);
}

// The closed form of each axis through the layer's Reads, from `local_`.
// False when an input's is unknown and the layer does not pool every
// position (whose regions hold at least their own cells) into each unit.
bool RfPropagator::through_reads(const Layer& layer, LayerReport& lr) {
  const std::size_t rank = r_.input.size.size();
  lr.attended = lr.attended || layer.kind == LayerKind::Attention;
  bool unknown_input = false;
  for (std::size_t id : local_) {
    lr.attended = lr.attended || (id != 0 && r_.layers[id - 1].attended);
    unknown_input = unknown_input || (id != 0 && r_.layers[id - 1].rf_unknown);
  }
  const Reads reads = reads_of(layer, lr);
  const bool pooled =
      reads == Reads::Everything ||
      (reads == Reads::Adaptive &&
       std::all_of(lr.output.size.begin(), lr.output.size.end(), [](auto n) { return n == 1; }));
  if (unknown_input && !pooled) {
    return false;
  }
  for (std::size_t id : lr.inputs) {  // an input left out that is not a constant lends context
    const bool constant = id != 0 && r_.layers[id - 1].reads_nothing;
    lr.global_context =
        lr.global_context || (reads == Reads::Union && !constant &&
                              std::find(local_.begin(), local_.end(), id) == local_.end());
  }
  for (std::size_t a = 0; a < rank; ++a) {
    std::optional<AxisRf> out = axis_rf(r_, layer, lr, reads, local_, a);
    if (!out) {
      throw ModelError(r_.net.file, layer.pos, layer.name,
                       "receptive-field arithmetic overflows 64 bits");
    }
    if (out->rf && out->jump) {
      out->rf_min = out->rf;  // evenly spaced windows: every unit's region has one size
    }
    lr.rf.push_back(*out);
  }
  lr.global_rf =
      rank > 0 && std::all_of(lr.rf.begin(), lr.rf.end(), [](const AxisRf& x) { return x.global; });
  return true;
}

}  // namespace netlens
