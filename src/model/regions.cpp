#include "model/regions.h"

namespace netlens {

bool wraps(const Interval& arc, std::int64_t ring) { return !arc.empty() && arc.hi >= ring; }

Interval unite_arcs(const Interval& a, const Interval& b, std::int64_t ring) {
  if (a.empty() || b.empty()) {
    return a.empty() ? b : a;
  }
  // b where it lies round the ring from a: as it is, one turn back or on.
  Interval best;
  for (const std::int64_t turn : {std::int64_t{0}, -ring, ring}) {
    const Interval hull{std::min(a.lo, b.lo + turn), std::max(a.hi, b.hi + turn)};
    if (best.empty() || hull.size() < best.size()) {
      best = hull;
    }
  }
  if (best.size() >= ring) {
    return Interval{0, ring - 1};
  }
  const std::int64_t shift = best.lo < 0 ? ring : best.lo >= ring ? -ring : 0;
  return Interval{best.lo + shift, best.hi + shift};
}

std::vector<Interval> runs_of(const Interval& arc, std::int64_t ring) {
  if (!wraps(arc, ring)) {
    return {arc};
  }
  return {Interval{0, arc.hi - ring}, Interval{arc.lo, ring - 1}};
}

bool any_unit_wraps(const PerAxis<AxisRegions>& axes, const PerAxis<std::int64_t>& units) {
  for (std::size_t a = 0; a < axes.size(); ++a) {
    for (std::int64_t u = 0; u < units[a] && axes[a].ring != 0; ++u) {
      if (wraps(axes[a].actual_at(u), axes[a].ring)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace netlens
