// netlens: parse the command line into plain option structs, run one
// subcommand, map errors to exit codes (1: bad input, 2: bad usage).
#include <functional>
#include <iostream>
#include <utility>

#include "cli/commands.h"
#include "model/error.h"

namespace {

constexpr const char* kDescription =
    "netlens: layer by layer, the output size, jump (cumulative stride), receptive field\n"
    "and parameters of a neural net described in YAML or JSON, or of a bundled one.";

constexpr const char* kExamples =
    "Examples:\n"
    "  netlens list                                  the bundled nets\n"
    "  netlens analyze vgg16                         the VGG-16 table\n"
    "  netlens analyze alexnet --input 224           at another input size\n"
    "  netlens analyze my_net.yaml --format json     JSON for scripts (also csv, md)\n"
    "  netlens show zf-5 > my_net.yaml               a spec to start from\n"
    "  netlens check my_net.yaml --strict            validate; warnings fail too\n"
    "  netlens locate vgg16 --layer conv5_3 --unit 7,7   the pixels one unit sees\n"
    "  netlens plot resnet50 -o rf.svg               rf and jump per layer, as a picture\n"
    "  netlens plot unet --layer conv9_2 --unit 40,40 -o region.svg\n"
    "                                                where that unit looks, as a picture\n"
    "\n"
    "Exit status: 0 ok, 1 bad input (the error names FILE:LINE:COL), 2 bad usage.";

}  // namespace

int main(int argc, char** argv) {
  using namespace netlens::cli;
  CLI::App app{kDescription, "netlens"};
  app.set_version_flag("--version", std::string("netlens ") + NETLENS_VERSION);
  app.require_subcommand(1);
  app.footer(kExamples);

  AnalyzeOptions analyze_options;
  NetOptions check_options;
  ShowOptions show_options;
  LocateOptions locate_options;
  PlotOptions plot_options;
  const std::pair<CLI::App*, std::function<int()>> commands[] = {
      {setup_analyze(app, analyze_options), [&] { return run_analyze(analyze_options); }},
      {setup_check(app, check_options), [&] { return run_check(check_options); }},
      {setup_list(app), [] { return run_list(); }},
      {setup_show(app, show_options), [&] { return run_show(show_options); }},
      {setup_locate(app, locate_options), [&] { return run_locate(locate_options); }},
      {setup_plot(app, plot_options), [&] { return run_plot(plot_options); }},
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      return app.exit(e);  // --help, --version
    }
    std::cerr << "netlens: error: " << e.what() << "\n"
              << "Run 'netlens --help' for usage.\n";
    return 2;
  }

  try {
    for (const auto& [command, run] : commands) {
      if (command->parsed()) {
        return run();
      }
    }
  } catch (const netlens::Error& e) {
    std::cerr << "netlens: error: " << netlens::one_line(e.what()) << "\n";
    return dynamic_cast<const netlens::UsageError*>(&e) != nullptr ? 2 : 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "netlens: error: out of memory\n";
    return 1;
  } catch (const std::exception& e) {
    // Never a stack trace: an unexpected failure is still one line.
    std::cerr << "netlens: error: internal error: " << netlens::one_line(e.what()) << "\n";
    return 1;
  }
  return 2;
}
