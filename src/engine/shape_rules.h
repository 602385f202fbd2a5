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
  std::vector<std::string> warnings;
};

struct ShapeInput {
  const Shape* shape;
  const std::string* name;  // the producing layer ("input" for the net's input)
};

// Throws ModelError naming the layer when the shapes do not work.
LayerShape apply_shape_rule(const Layer& layer, std::span<const ShapeInput> inputs,
                            Convention convention, const std::string& file);

// "224" for a square size, "224x320" otherwise; "64x56x56" with channels.
std::string format_size(const PerAxis<std::int64_t>& size);
std::string format_shape(const Shape& shape);

}  // namespace netlens
