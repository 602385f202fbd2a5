// The effective receptive field of one unit (engine/erf.cpp computes it,
// `locate --erf` and `plot --erf` show it): path counts per input position.
#pragma once

#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "model/per_axis.h"
#include "model/ratio.h"

namespace netlens {

// Path counts over a box of input positions: count = values[i] x 2^exp2.
// Doubles with a separate power-of-two scale, since counts pass 2^64 (vgg16:
// about 2^138 per position) and, in deep nets, double's range.
struct ErfMap {
  PerAxis<std::int64_t> origin;  // the box's first input position, per axis
  PerAxis<std::int64_t> size;    // its extent per axis; values are row-major
  std::vector<double> values;
  std::int64_t exp2 = 0;

  double sum() const { return std::accumulate(values.begin(), values.end(), 0.0); }
  double paths_log10() const {  // log10 of the total path count
    return std::log10(sum()) + static_cast<double>(exp2) * std::log10(2.0);
  }
};

// One unit's map and, per axis, the radii holding 50% and 95% of its paths
// around `centre`, the paths' weighted centre to the half pixel (a border or
// causal unit's paths lie off its theoretical region's centre).
struct UnitErf {
  ErfMap map;
  PerAxis<Ratio> centre;
  PerAxis<Ratio> erf50;
  PerAxis<Ratio> erf95;
};

}  // namespace netlens
