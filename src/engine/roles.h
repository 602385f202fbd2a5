// The roles of a whole tensor's dims (docs/semantics.md, "Roles"): how the
// rules on whole tensors (whole_rules.cpp) move, split and merge them, and
// when the dims are a layout again. Pure functions of dims and roles.
#pragma once

#include <optional>
#include <vector>

#include "model/report.h"

namespace netlens::roles {

using Dims = std::vector<std::int64_t>;
using Roles = std::vector<DimRole>;

// The roles of a shape's dims, in tensor_shape's order (batch first); a
// whole tensor's own, or Other for each dim when it has none.
Roles of(const Shape& s);

bool positional(DimRole r);  // Spatial, Grid or Keys: a dim of positions

// Every one of the `rank` spatial axes held once: each as a Spatial dim, or
// all in one Grid.
bool holds_grid(const Roles& r, std::size_t rank);

// How units read positions when a layer mixes the values along `mixed`
// dims: every position when these hold the grid (or keys), the positions of
// their window when they are the cells of windows, unknown when they hold
// some spatial axes only, their own otherwise.
Mixing mixing_over(const Roles& mixed, std::size_t rank);

// The roles of `out`, a reshape of dims `in` with roles `from`. Dims pair
// up in the shortest runs of equal products: a run of one dim to one keeps
// its role; features split or merge into features; the spatial axes merge
// into a grid (all of them, in order) and a grid of `grid` with no extra
// tokens splits back into them. Any other run's dims are Other, dims of 1
// that appear are Other and those that vanish take their role with them.
// A spatial axis splits into (window, cell) and back, and the windows (with
// the batch) and the cells of every axis merge; `window` holds the windows'
// sizes (0: an axis not split), found at the split.
Roles reshape(const Dims& in, const Roles& from, const Dims& out, const PerAxis<std::int64_t>& grid,
              std::int64_t extra_tokens, PerAxis<std::int64_t>& window);

// The per-dim roles of tensors broadcast together (aligned from the last
// dim): on each dim, the role the inputs that are not broadcast there agree
// on; Other where they disagree or none names one.
Roles broadcast(const std::vector<Dims>& dims, const std::vector<Roles>& roles, const Dims& out);

// The layout these dims and roles are (batch, one features dim, the spatial
// axes or the grid, in one of Layout's orders; a dim of 1 with no role can
// be the channels before the positions), as a Shape; nullopt when they are
// none. The first dim must be the net's batch; one of 1 that is
// Other serves as the batch when the batch is 1.
std::optional<Shape> as_layout(const Dims& d, const Roles& r, const PerAxis<std::int64_t>& grid,
                               std::int64_t extra_tokens, std::int64_t batch);

}  // namespace netlens::roles
