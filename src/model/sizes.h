// Which input sizes a net takes (`netlens sizes`, docs/sizes.md): per
// spatial axis, the sizes at which it runs and those at which it is exact,
// each also summarized as residue classes `step*k + r`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/net.h"
#include "model/report.h"

namespace netlens {

// A set of sizes that repeats with period `step` from `from` on: it holds
// `from + k*step + o` for every k >= 0 and every offset o in [lo, hi] of
// `classes` (offsets from `from`, within one period), up to the range's end.
// Members below `from` that do not follow the pattern are in `also`.
struct SizePattern {
  std::int64_t from = 0;
  std::int64_t step = 1;
  std::vector<std::pair<std::int64_t, std::int64_t>> classes;
  std::vector<std::int64_t> also;
};

// What the net does at one input size on the scanned axis.
struct SizeOutcome {
  std::int64_t input = 0;
  bool runs = false;
  bool exact = false;
  // The size on the scanned axis of each of the net's outputs (nullopt:
  // the output has no spatial axis, e.g. a classifier's logits).
  std::vector<std::optional<std::int64_t>> outputs;
  std::string failure;  // why it does not run, or why it is not exact ("" when exact)
};

// The whole net's costs at one input size on the scanned axis (--costs).
struct SizeCost {
  std::int64_t input = 0;
  CostTotals totals;  // analyze's at that size
};

struct AxisSizes {
  std::size_t axis = 0;
  std::int64_t min = 1;
  std::int64_t max = 1;
  std::vector<SizeOutcome> sizes;  // one per size in [min, max]
  std::vector<std::int64_t> runs;
  std::vector<std::int64_t> exact;
  std::optional<SizePattern> runs_pattern;
  std::optional<SizePattern> exact_pattern;
  std::optional<std::int64_t> nearest;  // --nearest: the size asked about
  std::vector<SizeCost> costs;          // --costs: at each of costed_sizes()
};

struct SizesReport {
  std::string net_name;
  std::string source;
  std::string file;
  PerAxis<std::int64_t> input;       // the spec's input size (the other axes keep theirs)
  std::vector<std::string> outputs;  // the net's output layers' names
  std::vector<AxisSizes> axes;
  std::optional<std::int64_t> output;  // --output: the output size asked about
};

// The closest members of `sizes` (sorted) at or below and at or above `target`.
struct Nearest {
  std::optional<std::int64_t> below;
  std::optional<std::int64_t> above;
};
Nearest nearest_in(const std::vector<std::int64_t>& sizes, std::int64_t target);

// The sizes the text shows input -> output for: the first three of `set`
// (the exact sizes, or those that run when none is exact), the spec's, the last.
std::vector<std::int64_t> example_sizes(const std::vector<std::int64_t>& set,
                                        std::int64_t spec_size);
// The sizes --costs analyzes: the examples, and --nearest's answers.
std::vector<std::int64_t> costed_sizes(const AxisSizes& axis, std::int64_t spec_size);

// The input sizes at which the net's first output is `output` long on the axis.
std::vector<std::int64_t> inputs_giving(const AxisSizes& axis, std::int64_t output);

// "16k+12 from 188", "32k+25 … 32k+32 from 25", "every size from 32".
std::string describe_pattern(const SizePattern& pattern);
// Runs of consecutive sizes: "224 … 255", "1, 2, 5 … 9"; "none".
std::string describe_sizes(const std::vector<std::int64_t>& sizes);

}  // namespace netlens
