// Warnings that need the whole net, not one layer: whether a merge's inputs
// line up (docs/semantics.md#misalignment) and whether any consumer reads the
// positions a strided window leaves unread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/report.h"

namespace netlens {

// Where one axis of a tensor's units sit in the input: unit k's region is
// centred at `centre + k * jump` (on average over the units, for the units
// an upsampler makes share a region), and for a path of windows only it is
// exactly [start + k * jump, end + k * jump]. nullopt: not a single value.
struct Anchor {
  std::optional<Ratio> jump;
  std::optional<Ratio> centre;
  std::optional<Ratio> start;
  std::optional<Ratio> end;
};

class Alignment {
 public:
  // The anchors of every node, from the report's windows and jumps.
  explicit Alignment(const Report& report);
  // The misalignment warning of merge `layer`, if its inputs do not line up.
  std::optional<Warning> check(const LayerReport& layer) const;
  const Anchor& anchor(std::size_t node, std::size_t axis) const { return anchors_[node][axis]; }

 private:
  const Report& report_;
  std::vector<PerAxis<Anchor>> anchors_;  // [node id][axis], 0 = the input
};

// The unread-input warning of `lr` that names `axis`, or nullptr.
const Warning* unread_warning(const LayerReport& lr, std::size_t axis);

// `text` naming the axes `to` where it named `from`, once: "... on every
// axis is never read ..." -> "... on axis h is never read ...".
std::string renamed_axes(std::string text, const std::vector<std::size_t>& from,
                         const std::vector<std::size_t>& to, std::size_t rank);

// Drops the unread-input warnings of layers whose input's last positions
// another consumer of the same tensor reads: only positions that no layer
// reads are worth a warning.
void drop_read_elsewhere(Report& report);

// The same question for one axis, without the receptive fields (which of a
// merge's inputs are local needs them): the first layer that leaves real
// positions on `axis` of its input unread while no other reader of that
// tensor reads more (nullptr: none). nullopt when a merge also reads such a
// tensor: then only drop_read_elsewhere can tell.
std::optional<const LayerReport*> unread_without_rf(const Report& report, std::size_t axis);

}  // namespace netlens
