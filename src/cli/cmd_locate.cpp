#include <fmt/format.h>

#include "cli/commands.h"
#include "engine/regions.h"
#include "format/format.h"
#include "model/suggest.h"

namespace netlens::cli {

CLI::App* setup_locate(CLI::App& app, LocateOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "locate", "Show which input pixels one unit of a layer sees (theoretical and actual)");
  add_net_options(*cmd, o.net);
  cmd->add_option("--layer", o.layer, "The layer's name")->required();
  cmd->add_option("--unit", o.unit, "The unit's coordinates: i, i,j or i,j,k (from 0)")
      ->required();
  cmd->add_option("-f,--format", o.format, "Output format: table or json")
      ->check(CLI::IsMember({"table", "json"}));
  cmd->add_option("-o,--output", o.output, "Write the output to FILE instead of stdout");
  cmd->footer(
      "Examples:\n"
      "  netlens locate vgg16 --layer conv5_3 --unit 7,7\n"
      "  netlens locate unet --layer conv9_2 --unit 40,40 --format json");
  return cmd;
}

int run_locate(const LocateOptions& o) {
  const auto unit = parse_axis_list(o.unit, ',', 0);
  if (!unit) {
    throw UsageError(
        fmt::format("--unit: expected coordinates like 7, 7,7 or 2,7,7; got '{}'", o.unit));
  }
  Report report = load_and_analyze(o.net);
  std::size_t index = report.layers.size();
  std::vector<std::string> names;
  for (std::size_t i = 0; i < report.layers.size(); ++i) {
    names.push_back(report.layer(i).name);
    if (names.back() == o.layer) {
      index = i;
    }
  }
  if (index == report.layers.size()) {
    const std::string hint = closest(o.layer, names);
    throw UsageError(fmt::format("--layer: no layer '{}' in {}{}", o.layer, report.net.name,
                                 hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
  }
  fail_if_strict(report, o.net.strict);
  const NetRegions regions = compute_regions(report, true);
  const UnitLocation location = locate_unit(report, regions, index, *unit);
  write_output(o.format == "json" ? render_location_json(report, location)
                                  : render_location_text(report, location),
               o.output);
  print_warnings(report);
  return 0;
}

}  // namespace netlens::cli
