// Unread input positions are about a tensor, not a layer: a ResNet's 1x1
// stride-2 shortcut skips the last row that the 3x3 main path reads, and
// that is no loss. A warning stays only where no consumer reads more.
#include <algorithm>
#include <limits>

#include "engine/net_checks.h"
#include "engine/reads.h"

namespace netlens {

const Warning* unread_warning(const LayerReport& lr, std::size_t axis) {
  const auto w = std::find_if(lr.warnings.begin(), lr.warnings.end(), [&](const Warning& x) {
    return x.kind == WarningKind::UnreadInput &&
           std::find(x.axes.begin(), x.axes.end(), axis) != x.axes.end();
  });
  return w == lr.warnings.end() ? nullptr : &*w;
}

std::string renamed_axes(std::string text, const std::vector<std::size_t>& from,
                         const std::vector<std::size_t>& to, std::size_t rank) {
  const std::string old = "on " + axis_phrase(from, rank) + " ";
  if (const std::size_t at = text.find(old); at != std::string::npos) {
    text.replace(at, old.size(), "on " + axis_phrase(to, rank) + " ");
  }
  return text;
}

namespace {

// The last input positions `lr` leaves unread on `axis` (its shape rule
// warned about them), else 0: a layer without that warning reads them all.
std::int64_t unread(const Report& report, const LayerReport& lr, std::size_t axis) {
  if (!lr.window || unread_warning(lr, axis) == nullptr) {
    return 0;
  }
  const AxisWindow& w = (*lr.window)[axis];
  const std::int64_t n = report.node_shape(lr.inputs[0]).size[axis];
  const std::int64_t ke = w.dilation * (w.kernel - 1) + 1;
  return (n + w.pad_lo + w.pad_hi - ke) % w.stride - w.pad_hi;
}

}  // namespace

void drop_read_elsewhere(Report& report) {
  const std::size_t rank = report.input.size.size();
  constexpr std::int64_t kAll = std::numeric_limits<std::int64_t>::max();
  // Per tensor and axis, the fewest positions one of its consumers leaves unread.
  std::vector<PerAxis<std::int64_t>> fewest(report.layers.size() + 1,
                                            PerAxis<std::int64_t>(rank, kAll));
  std::vector<std::size_t> local;
  for (const LayerReport& lr : report.layers) {
    // A crop's or a resize's reference only gives a size: it reads nothing.
    local_inputs(report, report.layer(lr.index - 1), lr, local);
    for (std::size_t in : local) {
      for (std::size_t a = 0; a < rank; ++a) {
        std::int64_t& f = fewest[in][a];
        f = std::min(f, report.node_shape(in).has_positions() ? unread(report, lr, a) : 0);
      }
    }
  }
  for (LayerReport& lr : report.layers) {
    if (lr.warnings.empty()) {
      continue;
    }
    PerAxis<bool> keep_axes(rank, false);
    for (std::size_t a = 0; a < rank; ++a) {
      keep_axes[a] = unread(report, lr, a) == fewest[lr.inputs[0]][a];
    }
    for (Warning& w : lr.warnings) {
      if (w.kind != WarningKind::UnreadInput) {
        continue;
      }
      std::vector<std::size_t> kept;
      for (std::size_t a : w.axes) {
        if (keep_axes[a]) {
          kept.push_back(a);
        }
      }
      if (!kept.empty()) {
        w.text = renamed_axes(w.text, w.axes, kept, rank);
      }
      w.axes = kept;
    }
    std::erase_if(lr.warnings, [](const Warning& w) {
      return w.kind == WarningKind::UnreadInput && w.axes.empty();
    });
  }
}

std::optional<const LayerReport*> unread_without_rf(const Report& report, std::size_t axis) {
  constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::max();
  // Per tensor: the fewest positions a reader other than a merge leaves
  // unread (such a reader reads its first input only), and whether a merge reads it.
  std::vector<std::int64_t> fewest(report.layers.size() + 1, kNone);
  std::vector<bool> merged(report.layers.size() + 1, false);
  for (const LayerReport& lr : report.layers) {
    if (reads_of(report.layer(lr.index - 1), lr) == Reads::Union) {
      for (const std::size_t in : lr.inputs) {
        merged[in] = true;
      }
    } else {
      std::int64_t& f = fewest[lr.inputs[0]];
      f = std::min(f, unread(report, lr, axis));
    }
  }
  for (const LayerReport& lr : report.layers) {
    const std::size_t in = lr.inputs[0];
    if (fewest[in] != kNone && fewest[in] > 0 && unread(report, lr, axis) == fewest[in] &&
        reads_of(report.layer(lr.index - 1), lr) != Reads::Union) {
      if (merged[in]) {
        return std::nullopt;
      }
      return &lr;
    }
  }
  return nullptr;
}

}  // namespace netlens
