#include <fmt/format.h>

#include "cli/commands.h"
#include "engine/erf.h"
#include "engine/regions.h"
#include "format/columns.h"
#include "format/format.h"

namespace netlens::cli {

void setup_analyze(CLI::App* cmd, AnalyzeOptions& o) {
  add_net_options(*cmd, o.net);
  cmd->add_option("-f,--format", o.format,
                  "Output format: table, json, csv, md, or dot (Graphviz: | dot -Tsvg)")
      ->check(CLI::IsMember({"table", "json", "csv", "md", "markdown", "dot"}));
  cmd->add_option("-o,--output", o.output, "Write the output to FILE instead of stdout");
  std::string ids;
  for (const Column& c : all_columns()) {
    ids += (ids.empty() ? "" : ",") + std::string(c.id);
  }
  cmd->add_option("--columns", o.columns,
                  "Columns for table/csv/md, comma-separated, from: " + ids +
                      " (or the table's headers: ch, pad_eff, MACs, ...; any case)");
  cmd->add_option(
         "--depth", o.depth,
         "One row per block: the layers whose names share their first N parts "
         "(split at . or /), their params and MACs summed (table, csv, md; JSON adds blocks)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}));
  cmd->add_flag(
      "--regions", o.regions,
      "JSON only: add each layer's actual and theoretical [lo, hi] of every unit per axis");
  cmd->add_flag("--erf", o.erf,
                "Add erf50 and erf95 per axis: the radius around each layer's centre unit "
                "holding 50% / 95% of its paths when every weight is 1 (one backward pass "
                "per layer: slower on deep nets)");
  cmd->footer(
      "Examples:\n"
      "  netlens analyze vgg16\n"
      "  netlens analyze resnet18 --erf --columns name,size,rf,erf50,erf95\n"
      "  netlens analyze alexnet --input 224 --format csv\n"
      "  netlens analyze my_net.yaml --format json | jq '.layers[-1].rf'\n"
      "  netlens analyze vgg16 --columns name,size,rf,jump\n"
      "  netlens analyze resnet50 --depth 1");
}

int run_analyze(const AnalyzeOptions& o) {
  FormatOptions format_options;
  if (o.columns) {
    format_options.columns = split(*o.columns, ',');
  }
  const OutputFormat format = *output_format_from_name(o.format);
  if (o.regions && format != OutputFormat::Json) {
    throw UsageError("--regions needs --format json");
  }
  if (o.columns && (format == OutputFormat::Json || format == OutputFormat::Dot)) {
    throw UsageError("--columns applies to table, csv and md");
  }
  if (o.depth && (format == OutputFormat::Dot || o.erf || o.regions)) {
    throw UsageError("--depth applies to table, json, csv and md, without --erf or --regions");
  }
  if (o.erf && format == OutputFormat::Dot) {
    throw UsageError("--erf applies to table, json, csv and md");
  }
  for (const Column* c : select_columns(format_options.columns)) {  // fails before any work
    if (!o.erf && (c->which == ColumnId::Erf50 || c->which == ColumnId::Erf95)) {
      throw UsageError(fmt::format("column '{}' needs --erf", c->id));
    }
  }
  if (o.erf && !o.columns) {
    format_options.columns = default_columns();
    format_options.columns.insert(format_options.columns.end(), {"erf50", "erf95"});
  }
  Report report = load_and_analyze(o.net);
  fail_if_strict(report, o.net.strict);
  if (o.regions || o.erf) {
    const NetRegions regions = compute_regions(report, true);
    if (o.erf) {
      compute_layer_erfs(report, regions);
    }
    write_output(o.regions ? render_json(report, &regions) : render(report, format, format_options),
                 o.output);
  } else if (o.depth && format == OutputFormat::Json) {
    write_output(render_json(report, nullptr, *o.depth), o.output);
  } else if (o.depth) {
    write_output(render(block_report(report, *o.depth), format, format_options), o.output);
  } else {
    write_output(render(report, format, format_options), o.output);
  }
  print_warnings(report, o.net.quiet);
  return 0;
}

}  // namespace netlens::cli
