// The effective receptive field under uniform weights (docs/semantics.md):
// for one unit, the number of paths from each input position to it when
// every weight is 1, one map propagated backward layer by layer through the
// taps of axis_map.h. Pure functions of a Report; nothing prints.
#pragma once

#include <cstdint>

#include "model/erf_map.h"
#include "model/regions.h"
#include "model/report.h"

namespace netlens {

// The map of `unit` (a unit locate_unit accepts) of layer `layer`. Throws
// UsageError naming the layer when it has none.
ErfMap compute_erf(const Report& report, std::size_t layer, const PerAxis<std::int64_t>& unit);

// The map and radii of a unit located by locate_unit (regions with keep_all).
UnitErf unit_erf(const Report& report, const UnitLocation& location);

// `analyze --erf`: erf50 and erf95 of every layer's centre unit (unit
// (n - 1) / 2 per axis), from regions computed with keep_all. One backward
// pass per layer: quadratic in depth (docs/performance.md).
void compute_layer_erfs(Report& report, const NetRegions& regions);

}  // namespace netlens
