#include <fmt/format.h>

#include <algorithm>

#include "cli/commands.h"
#include "engine/analyze.h"
#include "engine/sizes.h"
#include "format/format.h"
#include "model/error.h"

namespace netlens::cli {

namespace {

constexpr std::int64_t kDefaultMax = 1024;
constexpr std::int64_t kMaxSizes = std::int64_t{1} << 20;

// "64..1024" -> {64, 1024}.
std::pair<std::int64_t, std::int64_t> parse_range(const std::string& text) {
  const std::size_t dots = text.find("..");
  const auto bad = [&] {
    return UsageError(fmt::format("--range '{}': expected MIN..MAX, e.g. 32..1024", text));
  };
  if (dots == std::string::npos) {
    throw bad();
  }
  std::int64_t lo = 0;
  std::int64_t hi = 0;
  try {
    std::size_t used = 0;
    lo = std::stoll(text.substr(0, dots), &used);
    if (used != dots) {
      throw bad();
    }
    hi = std::stoll(text.substr(dots + 2), &used);
    if (used != text.size() - dots - 2) {
      throw bad();
    }
  } catch (const std::logic_error&) {
    throw bad();
  }
  if (lo < 1 || hi < lo) {
    throw UsageError(fmt::format("--range '{}': need 1 <= MIN <= MAX", text));
  }
  if (hi - lo + 1 > kMaxSizes) {
    throw UsageError(fmt::format("--range '{}': at most {} sizes at once", text, kMaxSizes));
  }
  return {lo, hi};
}

std::size_t parse_axis(const std::string& name, std::size_t rank) {
  std::vector<std::string> names;
  for (std::size_t a = 0; a < rank; ++a) {
    names.emplace_back(axis_name(rank, a));
    if (names.back() == name) {
      return a;
    }
  }
  throw UsageError(
      fmt::format("--axis '{}': the net's input has axes {}", name, fmt::join(names, ", ")));
}

// The whole net analyzed at each size `sizes` shows on the axis, the other
// axes at the spec's size.
void add_costs(const Net& net, const PerAxis<std::int64_t>& spec, const std::string& dtype,
               AxisSizes& a) {
  CostOptions options;
  options.batch = net.batch.value_or(1);
  options.dtype = *dtype_from_name(dtype.empty() ? "float32" : dtype);
  options.stored_params = dtype.empty();
  for (const std::int64_t s : costed_sizes(a, spec[a.axis])) {
    Net at = net;
    at.input_size = spec;
    at.input_size[a.axis] = s;
    at.input_size_scalar = false;
    a.costs.push_back({s, analyze(std::move(at), options).totals});
  }
}

}  // namespace

void setup_sizes(CLI::App* cmd, SizesOptions& o) {
  add_net_options(*cmd, o.net, false);
  cmd->add_option("--range", o.range,
                  "Sizes to try, MIN..MAX (default 1..1024, or up to twice the spec's or "
                  "--nearest's size)");
  cmd->add_option("--axis", o.axis, "Only this axis (h, w; d h w in 3-D; l in 1-D)");
  cmd->add_option("--nearest", o.nearest,
                  "The sizes closest to yours, per axis: 1080x1920 (or one size for every axis)");
  cmd->add_option("--output", o.output_size,
                  "The inputs that give an output of this size (the net's first output)");
  cmd->add_flag("--costs", o.costs,
                "Params, MACs and peak memory at each size shown (the whole net analyzed there)");
  cmd->add_option("--dtype", o.dtype,
                  "Bytes per element for --costs' memory: float32, float16, bfloat16, int8")
      ->check(CLI::IsMember({"float32", "float16", "bfloat16", "int8"}));
  cmd->add_option("-f,--format", o.format, "Output format: table or json")
      ->check(CLI::IsMember({"table", "json"}));
  cmd->add_option("-o,--output-file", o.output, "Write the output to FILE instead of stdout");
  cmd->footer(
      "A net runs at a size when every layer's shape rule holds and every merge's inputs\n"
      "match; it is exact when, besides, no window leaves real input positions unread (that\n"
      "no other layer reads) and no centred crop cuts more on one side (docs/sizes.md).\n"
      "Examples:\n"
      "  netlens sizes unet\n"
      "  netlens sizes resnet50 --range 32..1024 --axis h --format json\n"
      "  netlens sizes my_fpn.yaml --nearest 1080x1920\n"
      "  netlens sizes unet --output 388\n"
      "  netlens sizes unet --costs");
}

int run_sizes(const SizesOptions& o) {
  std::optional<std::pair<std::int64_t, std::int64_t>> range;
  if (o.range) {
    range = parse_range(*o.range);
  }
  const std::optional<PerAxis<std::int64_t>> nearest =
      o.nearest ? std::optional(parse_input_size(*o.nearest)) : std::nullopt;
  Net net = load_net_with_overrides(o.net);
  if (net.input_flat || net.input_dims) {
    throw Error(fmt::format("{}: the input of {} has no spatial axis ({}): sizes needs one",
                            net.file, net.name,
                            net.input_dims ? "a whole tensor" : "[batch, features]"));
  }
  const PerAxis<std::int64_t> spec = full_input_size(net);
  const std::size_t rank = spec.size();
  const std::optional<std::size_t> axis =
      o.axis ? std::optional(parse_axis(*o.axis, rank)) : std::nullopt;
  if (nearest && nearest->size() != 1 && nearest->size() != rank) {
    throw UsageError(fmt::format("--nearest '{}' gives {} sizes; the input has {} axes", *o.nearest,
                                 nearest->size(), rank));
  }
  if (!range) {
    std::int64_t hi = kDefaultMax;
    for (std::size_t a = 0; a < rank; ++a) {
      hi = std::max(hi, 2 * spec[a]);
      if (nearest) {
        hi = std::max(hi, 2 * (*nearest)[nearest->size() == 1 ? 0 : a]);
      }
    }
    range = {1, std::min(hi, kMaxSizes)};
  }
  if (nearest && o.range) {
    for (const std::int64_t target : *nearest) {
      if (target < range->first || target > range->second) {
        throw UsageError(fmt::format("--nearest {} is outside --range {}", target, *o.range));
      }
    }
  }
  std::optional<Net> costed;  // the net for --costs, before the scan takes it
  if (o.costs) {
    costed = net;
  }
  SizesReport report = scan_sizes(std::move(net), axis, range->first, range->second);
  report.output = o.output_size;
  for (AxisSizes& a : report.axes) {
    if (nearest) {
      a.nearest = (*nearest)[nearest->size() == 1 ? 0 : a.axis];
    }
    if (costed) {
      add_costs(*costed, report.input, o.dtype, a);
    }
  }
  write_output(o.format == "json" ? render_sizes_json(report) : render_sizes_text(report),
               o.output);
  return 0;
}

}  // namespace netlens::cli
