// `netlens sizes`: the sets of input sizes, as text and as JSON (the full
// lists, so scripts never parse a summary).
#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>

#include "format/columns.h"
#include "format/format.h"

namespace netlens {

namespace {

using Json = nlohmann::ordered_json;

// "388"; "(28, 14, 7)" for several outputs; "flat" for logits.
std::string join_outputs(const std::vector<std::optional<std::int64_t>>& outputs) {
  std::string text;
  for (const auto& o : outputs) {
    text += (text.empty() ? "" : ", ") + (o ? std::to_string(*o) : std::string("flat"));
  }
  return outputs.size() > 1 ? "(" + text + ")" : text;
}

const SizeOutcome& outcome_at(const AxisSizes& a, std::int64_t size) {
  return a.sizes[static_cast<std::size_t>(size - a.min)];
}

std::string describe_set(const std::vector<std::int64_t>& set,
                         const std::optional<SizePattern>& pattern) {
  const std::string count = fmt::format("{} size{}", set.size(), set.size() == 1 ? "" : "s");
  if (pattern) {
    return fmt::format("{} ({})", describe_pattern(*pattern), count);
  }
  return set.empty() ? "none" : fmt::format("{} ({})", describe_sizes(set), count);
}

// A few input -> output pairs: the first three, the spec's size, the last.
std::string output_examples(const AxisSizes& a, const std::vector<std::int64_t>& set,
                            std::int64_t spec_size) {
  const std::vector<std::int64_t> shown = example_sizes(set, spec_size);
  std::string text;
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const bool gap = i > 0 && std::find(set.begin(), set.end(), shown[i - 1]) + 1 !=
                                  std::find(set.begin(), set.end(), shown[i]);
    text += fmt::format("{}{} -> {}", i == 0 ? "" : (gap ? ", …, " : ", "), shown[i],
                        join_outputs(outcome_at(a, shown[i]).outputs));
  }
  return text;
}

// "600" when `target` is in `sizes`, else the closest on each side with
// the distance: "588 (-12) or 604 (+4)".
std::string describe_nearest(const std::vector<std::int64_t>& sizes, std::int64_t target) {
  const Nearest n = nearest_in(sizes, target);
  if (n.below == target) {
    return std::to_string(target);
  }
  std::vector<std::string> sides;
  for (const auto& side : {n.below, n.above}) {
    if (side) {
      sides.push_back(fmt::format("{} ({:+})", *side, *side - target));
    }
  }
  return sides.empty() ? "none in the range" : fmt::format("{}", fmt::join(sides, " or "));
}

Json pattern_json(const std::optional<SizePattern>& p) {
  if (!p) {
    return nullptr;
  }
  Json classes = Json::array();
  for (const auto& [lo, hi] : p->classes) {
    classes.push_back({p->from + lo, p->from + hi});
  }
  return {{"from", p->from},
          {"step", p->step},
          {"classes", classes},
          {"also", p->also},
          {"text", describe_pattern(*p)}};
}

Json optional_json(const std::optional<std::int64_t>& v) { return v ? Json(*v) : Json(nullptr); }

// One key per line, each axis' keys too; values compact (the size lists
// hold thousands of numbers: one per line would be unreadable).
std::string dump_lines(const Json& root) {
  std::string out = "{\n";
  for (auto it = root.begin(); it != root.end(); ++it) {
    out += fmt::format("  \"{}\": ", it.key());
    if (it.key() == "axes") {
      out += "[\n";
      for (std::size_t i = 0; i < it->size(); ++i) {
        out += "    {\n";
        const Json& axis = (*it)[i];
        for (auto a = axis.begin(); a != axis.end(); ++a) {
          out += fmt::format("      \"{}\": {}{}\n", a.key(), a->dump(),
                             std::next(a) == axis.end() ? "" : ",");
        }
        out += i + 1 < it->size() ? "    },\n" : "    }\n";
      }
      out += "  ]";
    } else {
      out += it->dump();
    }
    out += std::next(it) == root.end() ? "\n" : ",\n";
  }
  return out + "}\n";
}

}  // namespace

std::string render_sizes_text(const SizesReport& r) {
  std::string out;
  const std::size_t rank = r.input.size();
  for (const AxisSizes& a : r.axes) {
    const std::int64_t spec_size = r.input[a.axis];
    std::string others;
    for (std::size_t k = 0; k < rank; ++k) {
      if (k != a.axis) {
        others +=
            fmt::format("{}{} at {}", others.empty() ? "; " : ", ", axis_name(rank, k), r.input[k]);
      }
    }
    out += fmt::format("{}: input sizes {} … {} on axis {}{}\n", r.net_name, a.min, a.max,
                       axis_name(rank, a.axis), others);
    out += fmt::format("  runs:    {}\n", describe_set(a.runs, a.runs_pattern));
    out += fmt::format("  exact:   {}\n", describe_set(a.exact, a.exact_pattern));
    const std::vector<std::int64_t>& shown = a.exact.empty() ? a.runs : a.exact;
    const bool flat = std::all_of(shown.begin(), shown.end(), [&](std::int64_t size) {
      const auto& outs = outcome_at(a, size).outputs;
      return std::none_of(outs.begin(), outs.end(), [](const auto& o) { return o.has_value(); });
    });
    if (!shown.empty() && flat) {
      out += fmt::format("  output{} ({}): no spatial axis (a classifier's logits)\n",
                         r.outputs.size() == 1 ? "" : "s", fmt::join(r.outputs, ", "));
    } else if (!shown.empty()) {
      out += fmt::format("  output{} ({}): {}\n", r.outputs.size() == 1 ? "" : "s",
                         fmt::join(r.outputs, ", "), output_examples(a, shown, spec_size));
    }
    if (spec_size >= a.min && spec_size <= a.max) {
      const SizeOutcome& o = outcome_at(a, spec_size);
      out += fmt::format("  at {}:  {}\n", spec_size,
                         o.exact  ? std::string("exact")
                         : o.runs ? "runs, not exact: " + o.failure
                                  : "does not run: " + o.failure);
    }
    if (a.nearest) {
      out +=
          fmt::format("  nearest to {}: exact {}; runs {}\n", *a.nearest,
                      describe_nearest(a.exact, *a.nearest), describe_nearest(a.runs, *a.nearest));
    }
    const std::size_t width = a.costs.empty() ? 0 : std::to_string(a.costs.back().input).size();
    for (std::size_t i = 0; i < a.costs.size(); ++i) {
      const SizeCost& c = a.costs[i];
      out += fmt::format("  {:<9}{:>{}}: {}, peak memory {}\n", i == 0 ? "costs:" : "", c.input,
                         width, human(c.totals.macs, "MACs"), human(c.totals.peak_memory, "B"));
    }
    if (r.output) {
      const std::vector<std::int64_t> inputs = inputs_giving(a, *r.output);
      std::vector<std::int64_t> exact;
      std::set_intersection(inputs.begin(), inputs.end(), a.exact.begin(), a.exact.end(),
                            std::back_inserter(exact));
      out += fmt::format("  output {}: from input {} (exact: {})\n", *r.output,
                         describe_sizes(inputs), describe_sizes(exact));
    }
  }
  return out;
}

std::string render_sizes_json(const SizesReport& r) {
  Json root;
  root["schema"] = "netlens/1";
  root["net"] = {{"name", r.net_name}, {"source", r.source}};
  root["input"] = {{"size", std::vector<std::int64_t>(r.input.begin(), r.input.end())}};
  root["outputs"] = r.outputs;
  Json axes = Json::array();
  const std::size_t rank = r.input.size();
  for (const AxisSizes& a : r.axes) {
    Json outputs = Json::array();
    for (const std::int64_t s : a.runs) {
      Json sizes = Json::array();
      for (const auto& o : outcome_at(a, s).outputs) {
        sizes.push_back(optional_json(o));
      }
      outputs.push_back({{"input", s}, {"output", sizes}});
    }
    Json axis = {{"axis", axis_name(rank, a.axis)},
                 {"range", {a.min, a.max}},
                 {"runs", a.runs},
                 {"exact", a.exact},
                 {"runs_pattern", pattern_json(a.runs_pattern)},
                 {"exact_pattern", pattern_json(a.exact_pattern)},
                 {"outputs", outputs}};
    if (a.nearest) {
      const auto sides = [&](const std::vector<std::int64_t>& set) {
        const Nearest n = nearest_in(set, *a.nearest);
        return Json{{"below", optional_json(n.below)}, {"above", optional_json(n.above)}};
      };
      axis["nearest"] = {
          {"target", *a.nearest}, {"runs", sides(a.runs)}, {"exact", sides(a.exact)}};
    }
    if (!a.costs.empty()) {
      Json costs = Json::array();
      for (const SizeCost& c : a.costs) {
        costs.push_back({{"input", c.input},
                         {"params", c.totals.params},
                         {"macs", c.totals.macs},
                         {"flops", c.totals.flops},
                         {"activation_memory", c.totals.activation_memory},
                         {"peak_memory", c.totals.peak_memory}});
      }
      axis["costs"] = std::move(costs);
    }
    if (r.output) {
      axis["output_inputs"] = {{"output", *r.output}, {"inputs", inputs_giving(a, *r.output)}};
    }
    axes.push_back(std::move(axis));
  }
  root["axes"] = std::move(axes);
  return dump_lines(root);
}

}  // namespace netlens
