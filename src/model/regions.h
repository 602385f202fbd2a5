// Exact receptive regions, unit by unit: what engine/regions.cpp computes and
// `locate`, `plot` and `--regions` show.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "model/per_axis.h"

namespace netlens {

// An interval of input pixels [lo, hi], both included.
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

// One unit's regions on every axis (`netlens locate`).
struct UnitLocation {
  std::size_t layer = 0;  // index into report.layers
  PerAxis<std::int64_t> unit;
  PerAxis<Interval> theoretical;
  PerAxis<Interval> actual;
};

}  // namespace netlens
