// `netlens locate`: where one unit of a layer looks in the input.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "format/format.h"
#include "model/error.h"

namespace netlens {

UnitLocation locate_unit(const Report& report, const NetRegions& regions, std::size_t layer,
                         const PerAxis<std::int64_t>& unit) {
  const LayerReport& lr = report.layers[layer];
  const std::string& name = report.layer(layer).name;
  const auto& axes = regions.layers[layer + 1];
  if (!axes) {
    throw UsageError(
        fmt::format("layer '{}' sees the whole input (global): every unit's region "
                    "is the full input",
                    name));
  }
  if (unit.size() != lr.output.size.size()) {
    throw UsageError(fmt::format("--unit has {} coordinate{}, layer '{}' has {} spatial axes",
                                 unit.size(), unit.size() == 1 ? "" : "s", name,
                                 lr.output.size.size()));
  }
  UnitLocation loc;
  loc.layer = layer;
  loc.unit = unit;
  for (std::size_t a = 0; a < unit.size(); ++a) {
    if (unit[a] < 0 || unit[a] >= lr.output.size[a]) {
      throw UsageError(fmt::format("--unit {} is outside layer '{}' on axis {} (0 to {})", unit[a],
                                   name, axis_name(unit.size(), a), lr.output.size[a] - 1));
    }
    loc.theoretical.push_back((*axes)[a].theoretical_at(unit[a]));
    loc.actual.push_back((*axes)[a].actual_at(unit[a]));
  }
  return loc;
}

std::string render_location_text(const Report& report, const UnitLocation& loc) {
  const LayerReport& lr = report.layers[loc.layer];
  std::string unit;
  for (std::size_t a = 0; a < loc.unit.size(); ++a) {
    unit += fmt::format("{}{}", a ? ", " : "", loc.unit[a]);
  }
  std::string out = fmt::format("{}: layer '{}' ({}), unit ({}) of {}\n\n", report.net.name,
                                report.layer(loc.layer).name, report.layer(loc.layer).type, unit,
                                fmt::join(lr.output.size, "x"));
  auto text = [](const Interval& r) {
    return r.empty() ? std::string("none (only padding)")
                     : fmt::format("[{}, {}]  {} px", r.lo, r.hi, r.size());
  };
  out += fmt::format("{:<5} {:>5}  {:<24}  {}\n", "axis", "unit", "theoretical", "actual");
  for (std::size_t a = 0; a < loc.unit.size(); ++a) {
    out += fmt::format("{:<5} {:>5}  {:<24}  {}\n", axis_name(loc.unit.size(), a), loc.unit[a],
                       text(loc.theoretical[a]), text(loc.actual[a]));
  }
  out += fmt::format(
      "\nPixels of the {} input are numbered from 0. Theoretical: as if the input went on "
      "forever (padding counted as pixels); actual: the pixels that reach the unit.\n",
      fmt::join(report.input.size, "x"));
  return out;
}

}  // namespace netlens
