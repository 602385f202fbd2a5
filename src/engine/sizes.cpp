#include "engine/sizes.h"

#include "engine/analyze.h"
#include "model/error.h"

namespace netlens {

namespace {

// A pattern's transient (members before its periodic part) stays short, or
// the "pattern" is a coincidence of the range.
constexpr std::size_t kMaxAlso = 16;
constexpr std::int64_t kMinPeriods = 3;

}  // namespace

std::optional<SizePattern> find_pattern(const std::vector<std::int64_t>& members, std::int64_t min,
                                        std::int64_t max) {
  if (members.empty()) {
    return std::nullopt;
  }
  const std::int64_t n = max - min + 1;
  std::vector<bool> in(static_cast<std::size_t>(n), false);
  for (const std::int64_t m : members) {
    in[static_cast<std::size_t>(m - min)] = true;
  }
  const auto at = [&](std::int64_t i) {
    return static_cast<bool>(in[static_cast<std::size_t>(i)]);
  };
  for (std::int64_t step = 1; step * kMinPeriods <= n; ++step) {
    // Back from the end while each size agrees with the one a period later.
    std::int64_t from = n - step;
    while (from > 0 && at(from - 1) == at(from - 1 + step)) {
      --from;
    }
    while (from < n && !at(from)) {
      ++from;
    }
    if (from == n || n - from < kMinPeriods * step) {
      continue;
    }
    SizePattern p;
    p.from = min + from;
    p.step = step;
    for (const std::int64_t m : members) {
      if (m < p.from) {
        p.also.push_back(m);
      }
    }
    if (p.also.size() > kMaxAlso) {
      continue;
    }
    for (std::int64_t o = 0; o < step; ++o) {
      if (!at(from + o)) {
        continue;
      }
      if (!p.classes.empty() && p.classes.back().second == o - 1) {
        p.classes.back().second = o;
      } else {
        p.classes.emplace_back(o, o);
      }
    }
    return p;
  }
  return std::nullopt;
}

SizesReport scan_sizes(Net net, std::optional<std::size_t> axis, std::int64_t min,
                       std::int64_t max) {
  SizesReport report;
  report.net_name = net.name;
  report.source = net.source;
  report.file = net.file;
  net.input_size = full_input_size(net);
  net.input_size_scalar = false;
  report.input = net.input_size;
  report.outputs = net.outputs;
  if (report.outputs.empty() && !net.layers.empty()) {
    report.outputs.push_back(net.layers.back().name);
  }
  const std::size_t rank = net.input_size.size();
  const PerAxis<std::int64_t> spec = net.input_size;
  const SizeProbe probe = make_size_probe(std::move(net));
  for (std::size_t a = 0; a < rank; ++a) {
    if (axis && *axis != a) {
      continue;
    }
    AxisSizes sizes;
    sizes.axis = a;
    sizes.min = min;
    sizes.max = max;
    for (std::int64_t s = min; s <= max; ++s) {
      SizeOutcome outcome = probe(a, s);
      if (outcome.runs) {
        sizes.runs.push_back(s);
      }
      if (outcome.exact) {
        sizes.exact.push_back(s);
      }
      sizes.sizes.push_back(std::move(outcome));
    }
    probe(a, spec[a]);  // the next axis scans with this one at the spec's size
    sizes.runs_pattern = find_pattern(sizes.runs, min, max);
    sizes.exact_pattern = find_pattern(sizes.exact, min, max);
    report.axes.push_back(std::move(sizes));
  }
  return report;
}

}  // namespace netlens
