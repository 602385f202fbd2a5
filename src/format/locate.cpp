// `netlens locate`: where one unit of a layer looks in the input.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "format/format.h"

namespace netlens {

namespace {

// "[3, 60] x [0, 63]"
std::string box(const ErfMap& map) {
  std::string out;
  for (std::size_t a = 0; a < map.size.size(); ++a) {
    out +=
        fmt::format("{}[{}, {}]", a ? " x " : "", map.origin[a], map.origin[a] + map.size[a] - 1);
  }
  return map.values.empty() ? std::string("none (only padding)") : out;
}

}  // namespace

std::string render_location_text(const Report& report, const UnitLocation& loc,
                                 const UnitErf* erf) {
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
  if (erf != nullptr) {
    out += erf->map.values.empty()
               ? std::string(
                     "\nEffective receptive field (every weight 1, docs/semantics.md): "
                     "no paths (only padding reaches the unit)\n")
               : fmt::format(
                     "\nEffective receptive field (every weight 1, docs/semantics.md): "
                     "10^{:.2f} paths, from input pixels {}\n",
                     erf->map.paths_log10(), box(erf->map));
    out += fmt::format("{:<5} {:>6}  {:>6}\n", "axis", "erf50", "erf95");
    for (std::size_t a = 0; a < loc.unit.size(); ++a) {
      out += fmt::format("{:<5} {:>6}  {:>6}\n", axis_name(loc.unit.size(), a),
                         ratio_text(erf->erf50[a]), ratio_text(erf->erf95[a]));
    }
    out +=
        "erfP: the radius around the theoretical region's centre holding P% of the paths. "
        "The map: --format json.\n";
  }
  return out;
}

}  // namespace netlens
