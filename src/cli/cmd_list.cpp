// `netlens list` and `netlens show`: the bundled nets.
#include <fmt/format.h>

#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "model/report.h"
#include "parse/bundled.h"
#include "parse/spec_reader.h"

namespace netlens::cli {

CLI::App* setup_list(CLI::App& app) {
  return app.add_subcommand("list", "List the bundled nets, one line each");
}

int run_list() {
  std::size_t width = 0;
  for (const BundledNet& b : bundled_nets()) {
    width = std::max(width, b.name.size());
  }
  for (const BundledNet& b : bundled_nets()) {
    const Net net =
        parse_spec(b.text, std::string(b.name) + ".yaml", std::string(b.name), SpecFormat::Yaml);
    std::cout << fmt::format("{:<{}}  {:>7}  {:>3} layers  {}\n", b.name, width,
                             format_size(net.input_size), net.layers.size(), b.description);
  }
  return 0;
}

CLI::App* setup_show(CLI::App& app, ShowOptions& o) {
  CLI::App* cmd = app.add_subcommand("show", "Print a bundled net's spec, to copy and edit");
  cmd->add_option("net", o.net, "The bundled net's name (see 'netlens list')")->required();
  cmd->footer("Example:\n  netlens show vgg16 > my_vgg.yaml");
  return cmd;
}

int run_show(const ShowOptions& o) {
  const BundledNet* b = find_bundled(o.net);
  if (b == nullptr) {
    throw Error(fmt::format("{}: no bundled net of that name{}; 'netlens list' shows them", o.net,
                            bundled_hint(o.net)));
  }
  std::cout << b->text;
  return 0;
}

}  // namespace netlens::cli
