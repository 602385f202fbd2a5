// The rules of Swin's shifted windows written out as exporters write them:
// torch.roll (roll) and the mask added to the windows' attention scores
// (window_mask). Which positions a rolled axis holds is the analysis's
// (Shape::roll, engine/propagate_rf.cpp); these check the fields and keep
// the roles a roll leaves.
#include <algorithm>

#include "engine/shape_rule.h"

namespace netlens::shape {

using dims::text;

// torch.roll(x, shifts, dims): each of `dims` rolled by its shift. A spatial
// axis stays one, its positions rolled; channels and the batch stay what
// they are; a roll inside a merged dim (a grid, windows, cells) is not
// followed: that dim's positions are lost.
std::int64_t Rule::whole_roll(Whole& w) const {
  const Dims& rolled = layer_.extra->dims;
  if (layer_.extra->shifts.size() != rolled.size()) {
    fail_at(pos_of(Field::shifts), fmt::format("shifts {} and dims {} must have one entry each",
                                               text(layer_.extra->shifts), text(rolled)));
  }
  for (const std::int64_t dim : rolled) {
    DimRole& r = w.roles[whole_axis(dim, w.dims.size(), Field::dims)];
    if (r.role != Role::Spatial && r.role != Role::Features && r.role != Role::Batch) {
      r = DimRole{};
    }
  }
  return 0;
}

// The mask torchvision's shifted_window_attention adds to the scores of a
// rolled tensor's windows: a query reads only the keys on its side of the
// roll's seam. It needs the scores (queries and keys over the cells of
// windows); `shift_size` is the roll's, each less than the window.
std::int64_t Rule::whole_window_mask(Whole& w) const {
  const bool scores = std::any_of(w.roles.begin(), w.roles.end(),
                                  [](DimRole r) { return r.role == Role::KeyCells; });
  const bool windows = !w.window.empty() && std::all_of(w.window.begin(), w.window.end(),
                                                        [](std::int64_t n) { return n > 0; });
  if (!scores || !windows) {
    fail(
        fmt::format("window_mask masks attention scores over the cells of windows "
                    "(q @ k^T after a window partition); '{}' ({}) is not one",
                    *inputs_[0].name, text(w.dims)));
  }
  const auto shift = expand(layer_.extra->shift_size, Field::shift_size, 0);
  for (std::size_t a = 0; a < shift.size(); ++a) {
    if (shift[a] >= w.window[a]) {
      fail_at(pos_of(Field::shift_size),
              fmt::format("shift_size {} on {} must be less than the window ({})", shift[a],
                          axis(a), w.window[a]));
    }
  }
  return 0;
}

}  // namespace netlens::shape
