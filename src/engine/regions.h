// Exact receptive regions, unit by unit (spec §2): for every unit of a
// layer's output, on each axis, the theoretical input interval (the input
// extended forever, padding replaced by pixels) and the actual one (only
// pixels that really reach the unit, what a gradient shows). Axes are
// independent, so each axis costs O(units x taps) per layer: linear in the
// feature-map lengths.
#pragma once

#include <cstdint>

#include "model/regions.h"
#include "model/report.h"

namespace netlens {

// Computes the regions of every layer. With keep_all false, a layer's
// arrays are freed once its last consumer has used them, and only the
// per-axis rf / rf_min summaries survive (written into `report`).
// Throws ModelError when the net has more than kMaxRegionUnits units (per
// axis, summed over layers): the arrays would not fit in memory.
inline constexpr std::int64_t kMaxRegionUnits = std::int64_t{1} << 26;
NetRegions compute_regions(Report& report, bool keep_all);

// The regions of `unit` of layer `layer` (an index into report.layers), from
// regions computed with keep_all. Throws UsageError (the user's --layer or
// --unit) for a global layer or a unit outside the layer.
UnitLocation locate_unit(const Report& report, const NetRegions& regions, std::size_t layer,
                         const PerAxis<std::int64_t>& unit);

}  // namespace netlens
