#include "cli/commands.h"
#include "engine/erf.h"
#include "engine/regions.h"
#include "format/format.h"

namespace netlens::cli {

void setup_locate(CLI::App* cmd, LocateOptions& o) {
  add_net_options(*cmd, o.net);
  cmd->add_option("--layer", o.layer, "The layer's name")->required();
  cmd->add_option("--unit", o.unit, "The unit's coordinates: i, i,j or i,j,k (from 0)")->required();
  cmd->add_option("-f,--format", o.format, "Output format: table or json")
      ->check(CLI::IsMember({"table", "json"}));
  cmd->add_option("-o,--output", o.output, "Write the output to FILE instead of stdout");
  cmd->add_flag("--erf", o.erf,
                "Add the unit's effective receptive field: its paths from each input pixel when "
                "every weight is 1 (JSON: the whole map; table: a summary)");
  cmd->footer(
      "Examples:\n"
      "  netlens locate vgg16 --layer conv5_3 --unit 7,7\n"
      "  netlens locate unet --layer conv9_2 --unit 40,40 --format json\n"
      "  netlens locate resnet50 --layer layer4.2.conv3 --unit 3,3 --erf --format json");
}

int run_locate(const LocateOptions& o) {
  const PerAxis<std::int64_t> unit = parse_unit(o.unit);
  Report report = load_and_analyze(o.net);
  require_spatial_input(report, "locate");
  const std::size_t index = find_layer(report, o.layer);
  fail_if_strict(report, o.net.strict);
  const NetRegions regions = compute_regions(report, true);
  const UnitLocation location = locate_unit(report, regions, index, unit);
  const std::optional<UnitErf> erf =
      o.erf ? std::optional(unit_erf(report, location)) : std::nullopt;
  const UnitErf* e = erf ? &*erf : nullptr;
  write_output(o.format == "json" ? render_location_json(report, location, e)
                                  : render_location_text(report, location, e),
               o.output);
  print_warnings(report, o.net.quiet);
  return 0;
}

}  // namespace netlens::cli
