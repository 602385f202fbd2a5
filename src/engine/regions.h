// Exact receptive regions, unit by unit (spec §2): for every unit of a
// layer's output, on each axis, the theoretical input interval (the input
// extended forever, padding replaced by pixels) and the actual one (only
// pixels that really reach the unit, what a gradient shows). Axes are
// independent, so each axis costs O(units x taps) per layer: linear in the
// feature-map lengths.
#pragma once

#include <cstdint>
#include <vector>

#include "model/report.h"

namespace netlens {

struct Interval {
  std::int64_t lo = 1;
  std::int64_t hi = 0;  // lo > hi: empty
  bool empty() const { return lo > hi; }
  std::int64_t size() const { return empty() ? 0 : hi - lo + 1; }
  void add(const Interval& other) {
    if (other.empty()) {
      return;
    }
    if (empty()) {
      *this = other;
      return;
    }
    lo = std::min(lo, other.lo);
    hi = std::max(hi, other.hi);
  }
  friend bool operator==(const Interval&, const Interval&) = default;
};

// The regions of one axis of one layer, for units first .. first + size - 1
// (units outside 0 .. n-1 are virtual: padding seen from the next layer).
struct AxisRegions {
  std::int64_t first = 0;
  std::vector<Interval> theoretical;
  std::vector<Interval> actual;

  Interval theoretical_at(std::int64_t unit) const {
    return theoretical[static_cast<std::size_t>(unit - first)];
  }
  Interval actual_at(std::int64_t unit) const {
    return actual[static_cast<std::size_t>(unit - first)];
  }
};

// Per layer: one AxisRegions per axis, or none for global layers.
struct NetRegions {
  std::vector<std::optional<PerAxis<AxisRegions>>> layers;
};

// Computes the regions of every layer. With keep_all false, a layer's
// arrays are freed once its last consumer has used them, and only the
// per-axis rf / rf_min summaries survive (written into `report`).
// Throws ModelError when the net has more than kMaxRegionUnits units (per
// axis, summed over layers): the arrays would not fit in memory.
inline constexpr std::int64_t kMaxRegionUnits = std::int64_t{1} << 26;
NetRegions compute_regions(Report& report, bool keep_all);

}  // namespace netlens
