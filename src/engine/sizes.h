// `netlens sizes`: which input sizes a net takes, axis by axis.
#pragma once

#include <optional>

#include "model/net.h"
#include "model/sizes.h"

namespace netlens {

// Every size in [min, max] on `axis` (every spatial axis when nullopt), the
// other axes at the spec's size: a shapes-only analysis per size, the net
// parsed once. Throws ParseError when the spec has no input size.
SizesReport scan_sizes(Net net, std::optional<std::size_t> axis, std::int64_t min,
                       std::int64_t max);

// The smallest period under which `members` (sorted, within [min, max])
// repeats up to max, seen over at least three periods; nullopt when none
// (a finite set, like a classifier's 224..255).
std::optional<SizePattern> find_pattern(const std::vector<std::int64_t>& members, std::int64_t min,
                                        std::int64_t max);

}  // namespace netlens
