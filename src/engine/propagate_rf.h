// The closed-form receptive field of one layer from its inputs' (spec §2,
// docs/semantics.md), as the analyzer computes it layer by layer; the
// unit-by-unit regions (regions.h) refine it where units differ.
#pragma once

#include <optional>
#include <vector>

#include "model/report.h"

namespace netlens {

class RfPropagator {
 public:
  // `report` holds the layers before the one propagated.
  explicit RfPropagator(const Report& report) : r_(report) {}
  // Fills lr's rf, global_rf, rf_unknown, attended and global_context from
  // its output shape and its inputs'. Throws ModelError when the arithmetic
  // overflows.
  void propagate(const Layer& layer, LayerReport& lr);

 private:
  bool through_roles(const Layer& layer, LayerReport& lr);
  bool through_reads(const Layer& layer, LayerReport& lr);
  void follow_roll(const Layer& layer, LayerReport& lr);
  std::optional<PerAxis<std::int64_t>> roll_read(const Layer& layer, const LayerReport& lr);

  const Report& r_;
  std::vector<std::size_t> local_;  // the layer's local inputs; one buffer for every layer
};

}  // namespace netlens
