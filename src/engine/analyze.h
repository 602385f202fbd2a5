// The engine's entry point: Net -> Report. Nothing in the engine prints.
#pragma once

#include "model/net.h"
#include "model/report.h"

namespace netlens {

// Computes every layer's output shape, parameters and receptive field.
// Throws ModelError (naming the layer) for an impossible net.
Report analyze(Net net, const CostOptions& costs = {});

}  // namespace netlens
