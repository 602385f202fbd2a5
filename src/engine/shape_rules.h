// Shape rules, one per layer kind (spec §2): the output shape, the window a
// layer slides, its parameter count and the warnings its geometry deserves.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "model/net.h"
#include "model/report.h"

namespace netlens {

// What one layer does to its input(s), before receptive fields.
struct LayerShape {
  Shape output;
  std::optional<PerAxis<AxisWindow>> window;
  std::int64_t params = 0;
  std::optional<Mixing> mixing;   // set by the rules on roles (whole_rules.cpp)
  std::vector<Warning> warnings;  // the layer's name and position are the caller's to fill
};

// A warning about one axis; `text` says "{axes}" where the axes are named.
struct AxisFinding {
  WarningKind kind;
  std::size_t axis;
  std::string text;
};

// Findings of one kind and text on several axes become one warning naming
// them all ("on every axis"), in the order they were first found.
std::vector<Warning> merge_axis_findings(const std::vector<AxisFinding>& findings,
                                         std::size_t rank);

struct ShapeInput {
  const Shape* shape;
  const std::string* name;  // the producing layer ("input" for the net's input)
  // When the producer is a flatten: what it flattened (for error texts).
  const Shape* unflattened = nullptr;
};

// Throws ModelError naming the layer when the shapes do not work. `batch`
// is the first dim of a tensor that loses its roles (whole_rules.cpp).
LayerShape apply_shape_rule(const Layer& layer, std::span<const ShapeInput> inputs,
                            Convention convention, const std::string& file, std::int64_t batch);

}  // namespace netlens
