// How a layer's units read its inputs, as the receptive-field passes (closed
// forms in analyze.cpp, unit by unit in regions.cpp) both see it.
#pragma once

#include <vector>

#include "model/layer_types.h"
#include "model/report.h"

namespace netlens {

// The row's Reads, except a linear on a channels-last tensor, which acts at
// each position, and a flatten into tokens (both Same), and a layer whose
// rule ran on roles: Same (Union with several inputs), or Everything where
// it mixes every position.
Reads reads_of(const Layer& layer, const LayerReport& lr);

// The inputs whose units a layer's units read: every input of a merge but
// constants and those that only lend global context (a global gate, or a tensor broadcast
// over a spatial axis; not attention's output), unless all do; of any other layer the first (a
// crop's or upsample's second input only lends its size).
std::vector<std::size_t> local_inputs(const Report& report, const Layer& layer,
                                      const LayerReport& lr);
// The same into `out` (cleared first): a pass over every layer reuses one buffer.
void local_inputs(const Report& report, const Layer& layer, const LayerReport& lr,
                  std::vector<std::size_t>& out);

// The closed form of axis `a` of layer `lr`'s receptive field, from those of
// its local inputs; nullopt when the arithmetic overflows.
std::optional<AxisRf> axis_rf(const Report& report, const Layer& layer, const LayerReport& lr,
                              Reads reads, const std::vector<std::size_t>& local, std::size_t a);
// The receptive field of node `node` (0: the input) on `axis`.
const AxisRf& rf_of(const Report& report, std::size_t node, std::size_t axis);

// The exact factor of a resampling layer on axis `a`: out / in when the size
// is given or recomputed, else the scale factor (1.5 -> 3/2).
Ratio resample_ratio(const Layer& layer, const LayerReport& lr, const Shape& in, std::size_t a);

}  // namespace netlens
