#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "format/columns.h"

namespace netlens::cli {

void setup_check(CLI::App* cmd, NetOptions& o) {
  add_net_options(*cmd, o);
  cmd->footer(
      "Examples:\n"
      "  netlens check my_net.yaml\n"
      "  netlens check --strict my_net.yaml    # warnings fail too");
}

int run_check(const NetOptions& o) {
  const Report report = load_and_analyze(o);
  fail_if_strict(report, o.strict);
  print_warnings(report, o.quiet);
  const std::size_t accepted = report.accepted_warnings.size();
  std::cout << fmt::format("{}: ok: {} layer{}, {} params, {} warning{}{}\n", report.net.file,
                           report.layers.size(), report.layers.size() == 1 ? "" : "s",
                           with_separators(report.total_params), report.warnings.size(),
                           report.warnings.size() == 1 ? "" : "s",
                           accepted == 0 ? "" : fmt::format(" ({} accepted by allow:)", accepted));
  return 0;
}

}  // namespace netlens::cli
