// Costs per layer and in total: buffers, MACs, element-wise ops, activation
// memory and the peak memory of inference (docs/costs.md says what each counts).
#pragma once

#include "model/report.h"

namespace netlens {

// Fills report.layers[i].cost and report.totals. Throws ModelError on overflow.
void compute_costs(Report& report, const CostOptions& options);

}  // namespace netlens
