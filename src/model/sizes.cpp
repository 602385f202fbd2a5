#include "model/sizes.h"

#include <fmt/format.h>

#include <algorithm>

namespace netlens {

namespace {

// x as step*k + r, r in [1, step) or 0 when x is a multiple: "16k+12", "32k".
// `width` more positions make a range: "32k+25 … 32k+32".
std::string residue(std::int64_t step, std::int64_t x, std::int64_t width) {
  const std::int64_t r = x % step;
  const auto term = [&](std::int64_t v) {
    return v == 0 ? fmt::format("{}k", step) : fmt::format("{}k+{}", step, v);
  };
  return width == 0 ? term(r) : fmt::format("{} … {}", term(r), term(r + width));
}

}  // namespace

std::string describe_pattern(const SizePattern& p) {
  std::string text;
  if (p.step == 1) {
    text = fmt::format("every size from {}", p.from);
  } else {
    for (const auto& [lo, hi] : p.classes) {
      if (!text.empty()) {
        text += ", ";
      }
      text += residue(p.step, p.from + lo, hi - lo);
    }
    text += fmt::format(", from {}", p.from);
  }
  if (!p.also.empty()) {
    text += ", and " + describe_sizes(p.also);
  }
  return text;
}

std::string describe_sizes(const std::vector<std::int64_t>& sizes) {
  if (sizes.empty()) {
    return "none";
  }
  std::string text;
  for (std::size_t i = 0; i < sizes.size();) {
    std::size_t j = i;
    while (j + 1 < sizes.size() && sizes[j + 1] == sizes[j] + 1) {
      ++j;
    }
    text += fmt::format("{}{}", text.empty() ? "" : ", ", sizes[i]);
    if (j > i) {
      text += fmt::format("{}{}", j == i + 1 ? ", " : " … ", sizes[j]);
    }
    i = j + 1;
  }
  return text;
}

Nearest nearest_in(const std::vector<std::int64_t>& sizes, std::int64_t target) {
  Nearest n;
  for (const std::int64_t s : sizes) {
    if (s <= target) {
      n.below = s;
    }
    if (s >= target && !n.above) {
      n.above = s;
    }
  }
  return n;
}

std::vector<std::int64_t> example_sizes(const std::vector<std::int64_t>& set,
                                        std::int64_t spec_size) {
  std::vector<std::int64_t> shown(set.begin(),
                                  set.begin() + std::min<std::ptrdiff_t>(std::ssize(set), 3));
  const bool has_spec = std::binary_search(set.begin(), set.end(), spec_size);
  if (has_spec && (shown.empty() || shown.back() < spec_size)) {
    shown.push_back(spec_size);
  }
  if (!set.empty() && shown.back() < set.back()) {
    shown.push_back(set.back());
  }
  return shown;
}

std::vector<std::int64_t> costed_sizes(const AxisSizes& axis, std::int64_t spec_size) {
  std::vector<std::int64_t> sizes =
      example_sizes(axis.exact.empty() ? axis.runs : axis.exact, spec_size);
  if (axis.nearest) {
    const Nearest exact = nearest_in(axis.exact, *axis.nearest);
    for (const auto& s : {exact.below, exact.above}) {
      if (s) {
        sizes.push_back(*s);
      }
    }
    if (std::binary_search(axis.runs.begin(), axis.runs.end(), *axis.nearest)) {
      sizes.push_back(*axis.nearest);
    }
  }
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  return sizes;
}

std::vector<std::int64_t> inputs_giving(const AxisSizes& axis, std::int64_t output) {
  std::vector<std::int64_t> inputs;
  for (const SizeOutcome& o : axis.sizes) {
    if (o.runs && !o.outputs.empty() && o.outputs[0] == output) {
      inputs.push_back(o.input);
    }
  }
  return inputs;
}

}  // namespace netlens
