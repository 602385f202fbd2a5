// The engine's entry point: Net -> Report. Nothing in the engine prints.
#pragma once

#include <functional>

#include "model/net.h"
#include "model/report.h"
#include "model/sizes.h"

namespace netlens {

// Computes every layer's output shape, parameters and receptive field.
// Throws ModelError (naming the layer) for an impossible net.
Report analyze(Net net, const CostOptions& costs = {});

// The net's input size on every axis (a scalar `size: 224` repeated over the
// rank its layers imply). Throws ParseError when the spec gives none.
PerAxis<std::int64_t> full_input_size(const Net& net);

// probe(axis, size): `net` (with a full input size) at input size `size` on
// `axis`, shapes only (no costs, no exact regions): whether it runs and
// whether its windows tile that axis exactly. One analyzer serves every
// call, so a scan neither copies the net nor resolves its inputs again.
using SizeProbe = std::function<SizeOutcome(std::size_t axis, std::int64_t size)>;
SizeProbe make_size_probe(Net net);

}  // namespace netlens
