// `netlens list` and `netlens show`: the bundled nets.
#include <fmt/format.h>

#include <array>
#include <iostream>
#include <vector>

#include "cli/commands.h"
#include "model/report.h"
#include "parse/bundled.h"
#include "parse/spec_reader.h"

namespace netlens::cli {

int run_list() {
  // Columns as wide as their widest entry (a 3-D net's size is 16x112x112).
  std::vector<std::array<std::string, 4>> rows;
  std::array<std::size_t, 3> width{};
  for (const BundledNet& b : bundled_nets()) {
    const Net net =
        parse_spec(b.text, std::string(b.name) + ".yaml", std::string(b.name), SpecFormat::Yaml);
    rows.push_back({std::string(b.name), format_size(net.input_size),
                    std::to_string(net.layers.size()), std::string(b.description)});
    for (std::size_t k = 0; k < width.size(); ++k) {
      width[k] = std::max(width[k], rows.back()[k].size());
    }
  }
  for (const auto& row : rows) {
    std::cout << fmt::format("{:<{}}  {:>{}}  {:>{}} layers  {}\n", row[0], width[0], row[1],
                             width[1], row[2], width[2], row[3]);
  }
  return 0;
}

void setup_show(CLI::App* cmd, std::string& net) {
  cmd->add_option("net", net, "The bundled net's name (see 'netlens list')")->required();
  cmd->footer("Example:\n  netlens show vgg16 > my_vgg.yaml");
}

int run_show(const std::string& net) {
  const BundledNet* b = find_bundled(net);
  if (b == nullptr) {
    throw Error(fmt::format("{}: no bundled net of that name{}; 'netlens list' shows them", net,
                            bundled_hint(net)));
  }
  std::cout << b->text;
  return 0;
}

}  // namespace netlens::cli
