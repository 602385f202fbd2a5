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
  return out;
}

}  // namespace

std::string region_text(const Interval& r, std::int64_t ring) {
  std::vector<std::string> runs;
  for (const Interval& run : ring == 0 ? std::vector{r} : runs_of(r, ring)) {
    runs.push_back(fmt::format("[{}, {}]", run.lo, run.hi));
  }
  return fmt::format("{}", fmt::join(runs, " ∪ "));
}

std::string render_location_text(const Report& report, const UnitLocation& loc,
                                 const UnitErf* erf) {
  const LayerReport& lr = report.layers[loc.layer];
  std::string out = fmt::format("{}: layer '{}' ({}), unit ({}) of {}\n\n", report.net.name,
                                report.layer(loc.layer).name, report.layer(loc.layer).type,
                                fmt::join(loc.unit, ", "), format_size(lr.output.size));
  auto text = [](const Interval& r, std::int64_t ring) {
    return r.empty() ? std::string("none (only padding)")
                     : fmt::format("{}  {} px", region_text(r, ring), r.size());
  };
  out += fmt::format("{:<5} {:>5}  {:<24}  {}\n", "axis", "unit", "theoretical", "actual");
  for (std::size_t a = 0; a < loc.unit.size(); ++a) {
    out += fmt::format("{:<5} {:>5}  {:<24}  {}\n", axis_name(loc.unit.size(), a), loc.unit[a],
                       text(loc.theoretical[a], 0), text(loc.actual[a], loc.ring[a]));
  }
  out += fmt::format(
      "\nPixels of the {} input are numbered from 0. Theoretical: as if the input went on "
      "forever (padding counted as pixels); actual: the pixels that reach the unit.\n",
      format_size(report.input.size));
  if (lr.global_context) {
    out +=
        "Also modulated by a global operation (a squeeze-and-excitation gate): every input pixel "
        "reaches the unit through it; the regions above are its local paths' (the table's "
        "rf*).\n";
  }
  if (erf != nullptr) {
    out += "\nEffective receptive field (every weight 1, docs/semantics.md): ";
    const bool one_axis = loc.unit.size() == 1;  // a signal: its extent in samples
    out += erf->map.values.empty() ? std::string("no paths (only padding reaches the unit)\n")
           : one_axis ? fmt::format("10^{:.2f} paths, from input samples {} ({} sample{})\n",
                                    erf->map.paths_log10(), box(erf->map), erf->map.size[0],
                                    erf->map.size[0] == 1 ? "" : "s")
                      : fmt::format("10^{:.2f} paths, from input pixels {}\n",
                                    erf->map.paths_log10(), box(erf->map));
    out += fmt::format("{:<5} {:>6}  {:>6}  {:>6}\n", "axis", "centre", "erf50", "erf95");
    for (std::size_t a = 0; a < loc.unit.size(); ++a) {
      out += fmt::format("{:<5} {:>6}  {:>6}  {:>6}\n", axis_name(loc.unit.size(), a),
                         ratio_text(erf->centre[a]), ratio_text(erf->erf50[a]),
                         ratio_text(erf->erf95[a]));
    }
    out +=
        "centre: the paths' weighted centre (to the half pixel); erfP: the radius around it "
        "holding P% of the paths. The map: --format json.\n";
  }
  return out;
}

}  // namespace netlens
