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

// After a circular padding, an actual region is an arc of the ring of the
// input's `ring` pixels on that axis: [lo, hi] with 0 <= lo < ring and
// hi < lo + ring, where hi >= ring goes on from pixel 0 (hi - ring is the
// last pixel past the seam). A region that does not wrap is an arc too.
bool wraps(const Interval& arc, std::int64_t ring);
// The smallest arc holding both arcs (of a set with a gap, the arc round
// the other side of the largest gap, as a gradient's support shows it).
Interval unite_arcs(const Interval& a, const Interval& b, std::int64_t ring);
// The runs of pixels of an arc, ascending: one, or two when it wraps.
std::vector<Interval> runs_of(const Interval& arc, std::int64_t ring);

// The regions of one axis of one layer, for units first .. first + size - 1
// (units outside 0 .. n-1 are virtual: padding seen from the next layer).
struct AxisRegions {
  std::int64_t first = 0;
  std::int64_t ring = 0;  // the input's size where actual regions are arcs (above); 0: intervals
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

// Whether a unit of the layer (units 0 .. n-1 per axis) has a region that
// wraps: its actual regions then are written as lists of runs.
bool any_unit_wraps(const PerAxis<AxisRegions>& axes, const PerAxis<std::int64_t>& units);

// One unit's regions on every axis (`netlens locate`).
struct UnitLocation {
  std::size_t layer = 0;  // index into report.layers
  PerAxis<std::int64_t> unit;
  PerAxis<Interval> theoretical;
  PerAxis<Interval> actual;    // arcs of `ring` where it is not 0
  PerAxis<std::int64_t> ring;  // per axis: AxisRegions::ring
  bool runs = false;           // any_unit_wraps of its layer: actual regions as runs
};

}  // namespace netlens
