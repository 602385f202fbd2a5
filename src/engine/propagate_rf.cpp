#include "engine/propagate_rf.h"

#include <fmt/format.h>

#include <algorithm>

#include "engine/dims.h"
#include "engine/reads.h"
#include "engine/receptive_field.h"
#include "engine/roles.h"
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
    follow_roll(layer, lr);
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
  follow_roll(layer, lr);
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
  bool unknown_input = false;
  for (std::size_t id : local_) {
    lr.attended = lr.attended || (id != 0 && r_.layers[id - 1].attended);
    unknown_input = unknown_input || (id != 0 && r_.layers[id - 1].rf_unknown);
  }
  const Reads reads = reads_of(layer, lr);
  lr.attended = lr.attended || layer.kind == LayerKind::Attention ||
                (layer.kind == LayerKind::WindowAttention && reads == Reads::Everything);
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

namespace {

bool rolled(const PerAxis<std::int64_t>& roll) {
  return std::any_of(roll.begin(), roll.end(), [](std::int64_t r) { return r != 0; });
}

bool holds_scores(const Shape& s) {
  return std::any_of(s.roles.begin(), s.roles.end(),
                     [](DimRole r) { return r.role == Role::KeyCells; });
}

}  // namespace

// Rolled positions (torch.roll, Shape::roll): each unit still holds one
// position, so a layer that reads a unit's own (or every) position carries
// the roll on, and a roll can undo it; one that reads neighbours along a
// rolled axis reads across the seam, where its region is two pieces: unknown,
// unless it is attention over windows masked at that seam (window_mask).
void RfPropagator::follow_roll(const Layer& layer, LayerReport& lr) {
  const std::size_t rank = r_.input.size.size();
  lr.output.window_shift = {};
  if (layer.kind == LayerKind::WindowMask) {
    lr.output.window_shift = layer.extra->shift_size.scalar
                                 ? PerAxis<std::int64_t>(rank, layer.extra->shift_size.values[0])
                                 : layer.extra->shift_size.values;
  }
  for (std::size_t id : lr.inputs) {  // the scores' mask reaches the units that read them
    const Shape& in = r_.node_shape(id);
    if (lr.output.window_shift.empty() && holds_scores(in)) {
      lr.output.window_shift = in.window_shift;
    }
  }
  std::optional<PerAxis<std::int64_t>> roll = roll_read(layer, lr);
  lr.output.roll = {};
  if (!roll) {
    lr.rf = PerAxis<AxisRf>(rank, AxisRf{});
    lr.rf_unknown = true;
    lr.global_rf = false;
    lr.warnings.push_back({WarningKind::RolesLost,
                           {},
                           {},
                           {},
                           "its units read positions on both sides of a roll's seam "
                           "(torch.roll): the receptive field of the layers from here is "
                           "unknown (?)"});
  } else if (rolled(*roll) && !lr.global_rf && !lr.rf_unknown) {
    lr.output.roll = std::move(*roll);
  }
}

// The roll of the positions lr's units hold; nullopt when they read across
// a rolled axis's seam.
std::optional<PerAxis<std::int64_t>> RfPropagator::roll_read(const Layer& layer,
                                                             const LayerReport& lr) {
  const std::size_t rank = r_.input.size.size();
  PerAxis<std::int64_t> roll(rank, 0);
  if (lr.global_rf || lr.rf_unknown || lr.reads_nothing) {
    return roll;
  }
  // Most layers read no rolled input: no need to find their local inputs
  // again (windowed attention reads through its scores, beyond lr.inputs).
  const Reads reads = reads_of(layer, lr);
  if (reads != Reads::Roll && reads != Reads::Windowed &&
      std::none_of(lr.inputs.begin(), lr.inputs.end(),
                   [&](std::size_t id) { return rolled(r_.node_shape(id).roll); })) {
    return roll;
  }
  local_inputs(r_, layer, lr, local_);
  bool first = true;
  for (std::size_t id : local_) {
    const Shape& in = r_.node_shape(id);
    const PerAxis<std::int64_t> r = in.roll.empty() ? PerAxis<std::int64_t>(rank, 0) : in.roll;
    if (!first && r != roll) {
      return std::nullopt;  // unit i of each holds another position
    }
    roll = r;
    first = false;
  }
  const Shape& in = r_.node_shape(local_.empty() ? 0 : local_[0]);
  switch (reads) {
    case Reads::Roll: {  // the shifts of the dims that hold a spatial axis
      const std::vector<DimRole> roles = roles::of(in);
      for (std::size_t k = 0; k < layer.extra->dims.size(); ++k) {
        const DimRole d = roles[*dims::axis_index(layer.extra->dims[k], roles.size())];
        if (d.role == Role::Spatial && in.size[d.axis] > 0) {
          const std::int64_t n = in.size[d.axis];
          roll[d.axis] = ((roll[d.axis] + layer.extra->shifts[k]) % n + n) % n;
        }
      }
      return roll;
    }
    case Reads::Windowed:  // masked at the seam: torchvision's mask for a roll by -shift
      for (std::size_t a = 0; a < rank; ++a) {
        const std::int64_t shift = lr.output.window_shift.empty() ? 0 : lr.output.window_shift[a];
        if (roll[a] != 0 && (roll[a] + shift) % in.size[a] != 0) {
          return std::nullopt;
        }
      }
      return roll;
    case Reads::Same:
    case Reads::Union:
    case Reads::Everything:
      return roll;
    case Reads::Window:
    case Reads::Transposed:
    case Reads::Resample:
    case Reads::Adaptive:
      return rolled(roll) ? std::nullopt : std::optional(roll);
  }
  return std::nullopt;
}

}  // namespace netlens
