// `netlens locate`: where one unit of a layer looks in the input.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "format/format.h"

namespace netlens {

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
