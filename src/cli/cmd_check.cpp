#include <iostream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "format/columns.h"

namespace netlens::cli {

CLI::App* setup_check(CLI::App& app, NetOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "check", "Validate a spec: exit 0 when it describes a working net, 1 when not");
  add_net_options(*cmd, o);
  cmd->footer(
      "Examples:\n"
      "  netlens check my_net.yaml\n"
      "  netlens check --strict my_net.yaml    # warnings fail too");
  return cmd;
}

int run_check(const NetOptions& o) {
  const Report report = load_and_analyze(o);
  print_warnings(report);
  if (o.strict && !report.warnings.empty()) {
    throw Error(fmt::format("{} warning{} (--strict)", report.warnings.size(),
                            report.warnings.size() == 1 ? "" : "s"));
  }
  std::cout << fmt::format("{}: ok: {} layers, {} params, {} warning{}\n", report.net.file,
                           report.layers.size(), with_separators(report.total_params),
                           report.warnings.size(), report.warnings.size() == 1 ? "" : "s");
  return 0;
}

}  // namespace netlens::cli
