// `netlens plot`: the rf and jump chart of a net, or with --layer and --unit
// where one unit of each layer looks in the input, as a self-contained SVG.
#include <vector>

#include "cli/commands.h"
#include "engine/erf.h"
#include "engine/regions.h"
#include "format/format.h"

namespace netlens::cli {

void setup_plot(CLI::App* cmd, PlotOptions& o) {
  add_net_options(*cmd, o.net);
  CLI::Option* layer =
      cmd->add_option("--layer", o.layers,
                      "Draw the regions of the --unit of this layer (repeat for more layers)")
          ->allow_extra_args(false);
  CLI::Option* unit = cmd->add_option(
      "--unit", o.unit, "The unit's coordinates in every --layer: i,j, or i in 1-D (from 0)");
  layer->needs(unit);
  unit->needs(layer);
  cmd->add_option("-o,--output", o.output, "Write the SVG to FILE instead of stdout");
  cmd->add_flag("--erf", o.erf,
                "With one --layer and --unit: the unit's effective receptive field (paths from "
                "each pixel when every weight is 1) as a heat map over the input (a curve over "
                "a 1-D net's signal), its theoretical region outlined")
      ->needs(layer);
  cmd->add_option("--frame", o.frame,
                  "With --erf on a 3-D net: the frame (position on axis d) to draw (default: the "
                  "one holding the paths' centre)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 40));
  cmd->footer(
      "Without --layer: the receptive field and the jump of every layer against depth, on a\n"
      "log scale, with the input size as a dashed line. With --layer and --unit: the input as\n"
      "a frame and, per layer, the unit's theoretical region (dashed) and actual region\n"
      "(filled), as 'netlens locate' computes them. 2-D and 1-D nets; 3-D regions are refused.\n"
      "With --erf: one unit's effective receptive field, in 1-D, 2-D or one frame of 3-D.\n"
      "The figure is one SVG file: no script, fonts or links (docs/plots.md).\n"
      "\n"
      "Examples:\n"
      "  netlens plot resnet50 -o rf.svg\n"
      "  netlens plot unet --layer conv9_2 --unit 40,40 -o region.svg\n"
      "  netlens plot unet --layer conv6_2 --layer conv7_2 --layer conv8_2 --layer conv9_2 \\\n"
      "      --unit 40,40 -o regions.svg\n"
      "  netlens plot vgg16 --erf --layer conv4_3 --unit 14,14 -o erf.svg");
}

int run_plot(const PlotOptions& o) {
  const PerAxis<std::int64_t> unit =
      o.layers.empty() ? PerAxis<std::int64_t>() : parse_unit(o.unit);
  Report report = load_and_analyze(o.net);
  require_spatial_input(report, "plot");
  std::vector<std::size_t> indices;
  for (const std::string& name : o.layers) {
    indices.push_back(find_layer(report, name));
  }
  fail_if_strict(report, o.net.strict);
  if (o.erf && indices.size() != 1) {
    throw UsageError("--erf draws one --layer");
  }
  if (o.frame && !o.erf) {
    throw UsageError("--frame picks the frame --erf draws: add --erf");
  }
  if (o.layers.empty()) {
    write_output(render_plot_rf(report), o.output);
  } else if (o.erf) {
    const NetRegions regions = compute_regions(report, true);
    const UnitLocation location = locate_unit(report, regions, indices[0], unit);
    write_output(render_plot_erf(report, location, unit_erf(report, location), o.frame), o.output);
  } else {
    const NetRegions regions = compute_regions(report, true);
    std::vector<UnitLocation> locations;
    for (std::size_t index : indices) {
      locations.push_back(locate_unit(report, regions, index, unit));
    }
    write_output(render_plot_regions(report, locations), o.output);
  }
  print_warnings(report, o.net.quiet);
  return 0;
}

}  // namespace netlens::cli
