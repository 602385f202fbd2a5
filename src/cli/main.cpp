// netlens: parse the command line into plain option structs, run one
// subcommand, map errors to exit codes (1: bad input, 2: bad usage).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <functional>
#include <iostream>
#include <utility>

#include "cli/commands.h"
#include "model/error.h"
#include "model/suggest.h"

namespace {

constexpr const char* kDescription =
    "netlens: layer by layer, the output size, jump (cumulative stride), receptive field\n"
    "and parameters of a neural net described in YAML or JSON, read from an ONNX file,\n"
    "or bundled; the input sizes it takes.";

constexpr const char* kExamples =
    "Examples:\n"
    "  netlens list                                  the bundled nets\n"
    "  netlens analyze vgg16                         the VGG-16 table\n"
    "  netlens analyze alexnet --input 224           at another input size\n"
    "  netlens analyze my_net.yaml --format json     JSON for scripts (also csv, md)\n"
    "  netlens show zf-5 > my_net.yaml               a spec to start from\n"
    "  netlens analyze model.onnx                    an ONNX file, natively\n"
    "  netlens convert model.onnx -o model.yaml      its netlens spec, to read and edit\n"
    "  netlens check my_net.yaml --strict            validate; warnings fail too\n"
    "  netlens sizes unet                            the input sizes it takes (exactly)\n"
    "  netlens locate vgg16 --layer conv5_3 --unit 7,7   the pixels one unit sees\n"
    "  netlens plot resnet50 -o rf.svg               rf and jump per layer, as a picture\n"
    "  netlens plot unet --layer conv9_2 --unit 40,40 -o region.svg\n"
    "                                                where that unit looks, as a picture\n"
    "\n"
    "A spec (YAML or JSON) lists its layers; `outputs: [p3, p4]` names a net's heads, and\n"
    "`blocks:` defines layers once for entries `{use: BLOCK, repeat: N, with: {...}}` to\n"
    "repeat (docs/spec-format.md).\n"
    "\n"
    "Warnings (on stderr) end in their kind, [-Wmisaligned]: -W no-misaligned turns that\n"
    "kind off, -q prints none.\n"
    "\n"
    "Exit status: 0 ok, 1 bad input (the error names FILE:LINE:COL), 2 bad usage.";

// The first word that is not an option names the subcommand; a word that
// names none gets a suggestion instead of CLI11's "A subcommand is required".
std::string unknown_command(const CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.starts_with("-")) {
      continue;
    }
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
      if (CLI::detail::to_lower(sub->get_name()) == CLI::detail::to_lower(word)) {
        return "";
      }
      names.push_back(sub->get_name());
    }
    return fmt::format("unknown command '{}'{}; commands: {}", word,
                       netlens::did_you_mean(CLI::detail::to_lower(word), names),
                       fmt::join(names, ", "));
  }
  return "";
}

// CLI11's "The following arguments were not expected: ..." as one clear
// line: the first unknown option, with the closest one the command has.
std::string unexpected_arguments(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands()) {
    const std::vector<std::string> extra = sub->remaining();
    if (extra.empty()) {
      continue;
    }
    std::vector<std::string> options;
    for (const CLI::Option* option : sub->get_options()) {
      for (const std::string& name : option->get_lnames()) {
        options.push_back("--" + name);
      }
      for (const std::string& name : option->get_snames()) {
        options.push_back("-" + name);
      }
    }
    for (const std::string& arg : extra) {
      if (arg.starts_with("-") && arg != "-") {
        const std::string option = arg.substr(0, arg.find('='));
        return fmt::format("unknown option '{}' for '{}'{}", option, sub->get_name(),
                           netlens::did_you_mean(option, options));
      }
    }
    return fmt::format("unexpected argument '{}' for '{}'", extra[0], sub->get_name());
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace netlens::cli;
  CLI::App app{kDescription, "netlens"};
  app.set_version_flag("--version", std::string("netlens ") + NETLENS_VERSION);
  app.require_subcommand(1);
  app.ignore_case();  // netlens Analyze, as net names
  app.footer(kExamples);

  AnalyzeOptions analyze_options;
  NetOptions check_options;
  ShowOptions show_options;
  LocateOptions locate_options;
  PlotOptions plot_options;
  ConvertOptions convert_options;
  SizesOptions sizes_options;
  const std::pair<CLI::App*, std::function<int()>> commands[] = {
      {setup_analyze(app, analyze_options), [&] { return run_analyze(analyze_options); }},
      {setup_check(app, check_options), [&] { return run_check(check_options); }},
      {setup_list(app), [] { return run_list(); }},
      {setup_show(app, show_options), [&] { return run_show(show_options); }},
      {setup_locate(app, locate_options), [&] { return run_locate(locate_options); }},
      {setup_plot(app, plot_options), [&] { return run_plot(plot_options); }},
      {setup_convert(app, convert_options), [&] { return run_convert(convert_options); }},
      {setup_sizes(app, sizes_options), [&] { return run_sizes(sizes_options); }},
  };

  try {
    if (const std::string unknown = unknown_command(app, argc, argv); !unknown.empty()) {
      throw CLI::ParseError(unknown, 2);
    }
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      return app.exit(e);  // --help, --version
    }
    const std::string extra = dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr
                                  ? unexpected_arguments(app)
                                  : std::string();
    std::cerr << "netlens: error: " << (extra.empty() ? e.what() : extra) << "\n"
              << "Run 'netlens --help' for usage.\n";
    return 2;
  }

  try {
    for (const auto& [command, run] : commands) {
      if (command->parsed()) {
        return run();
      }
    }
  } catch (const netlens::ErrorList& e) {
    for (const std::string& message : e.messages()) {
      std::cerr << "netlens: error: " << netlens::one_line(message) << "\n";
    }
    return 1;
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
