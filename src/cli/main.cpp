// netlens: parse the command line into plain option structs, run one
// subcommand, map errors to exit codes (1: bad input, 2: bad usage).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <functional>
#include <iostream>
#include <string_view>

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

// A subcommand: its name and description, how it declares its options and
// how it runs.
struct Command {
  const char* name;
  const char* description;
  std::function<void(CLI::App*)> setup;
  std::function<int()> run;
};

// The first word that is not an option names the subcommand (lower case:
// commands ignore case); "" when there is none.
std::string command_word(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (!std::string_view(argv[i]).starts_with("-")) {
      return CLI::detail::to_lower(argv[i]);
    }
  }
  return "";
}

// A word that names no command gets a suggestion instead of CLI11's "A
// subcommand is required".
std::string unknown_command(const std::vector<Command>& commands, const std::string& word) {
  std::vector<std::string> names;
  for (const Command& c : commands) {
    if (c.name == word) {
      return "";
    }
    names.emplace_back(c.name);
  }
  return fmt::format("unknown command '{}'{}; commands: {}", word,
                     netlens::did_you_mean(word, names), fmt::join(names, ", "));
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

// Every command's options, which CLI11 fills.
struct Options {
  netlens::cli::AnalyzeOptions analyze;
  netlens::cli::NetOptions check;
  std::string show;  // the bundled net's name
  netlens::cli::LocateOptions locate;
  netlens::cli::PlotOptions plot;
  netlens::cli::ConvertOptions convert;
  netlens::cli::SizesOptions sizes;
};

std::vector<Command> commands_of(Options& o) {
  using namespace netlens::cli;
  return {
      {"analyze", "Print every layer's output size, jump, receptive field and parameters",
       [&](CLI::App* c) { setup_analyze(c, o.analyze); }, [&] { return run_analyze(o.analyze); }},
      {"check", "Validate a spec: exit 0 when it describes a working net, 1 when not",
       [&](CLI::App* c) { setup_check(c, o.check); }, [&] { return run_check(o.check); }},
      {"list", "List the bundled nets, one line each", [](CLI::App*) {}, [] { return run_list(); }},
      {"show", "Print a bundled net's spec, to copy and edit",
       [&](CLI::App* c) { setup_show(c, o.show); }, [&] { return run_show(o.show); }},
      {"locate", "Show which input pixels one unit of a layer sees (theoretical and actual)",
       [&](CLI::App* c) { setup_locate(c, o.locate); }, [&] { return run_locate(o.locate); }},
      {"plot", "Draw an SVG picture: rf and jump per layer, or where units look in the input",
       [&](CLI::App* c) { setup_plot(c, o.plot); }, [&] { return run_plot(o.plot); }},
      {"convert", "Write a net (an ONNX file, a spec, a bundled net) as a netlens spec",
       [&](CLI::App* c) { setup_convert(c, o.convert); }, [&] { return run_convert(o.convert); }},
      {"sizes", "List the input sizes at which the net runs, and those it tiles exactly",
       [&](CLI::App* c) { setup_sizes(c, o.sizes); }, [&] { return run_sizes(o.sizes); }},
  };
}

// --help and --version (exit status 0), or a usage error (2) as one line.
int usage_failure(const CLI::App& app, const CLI::ParseError& e) {
  if (e.get_exit_code() == 0) {
    return app.exit(e);
  }
  const std::string extra =
      dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr ? unexpected_arguments(app) : "";
  std::cerr << "netlens: error: " << (extra.empty() ? e.what() : extra) << "\n"
            << "Run 'netlens --help' for usage.\n";
  return 2;
}

// Runs a command; every error is one line and an exit status (1: bad input,
// 2: bad usage), never a stack trace.
int run_reporting_errors(const std::function<int()>& run) {
  try {
    return run();
  } catch (const netlens::ErrorList& e) {
    for (const std::string& message : e.messages()) {
      std::cerr << "netlens: error: " << netlens::one_line(message) << "\n";
    }
  } catch (const netlens::Error& e) {
    std::cerr << "netlens: error: " << netlens::one_line(e.what()) << "\n";
    return dynamic_cast<const netlens::UsageError*>(&e) != nullptr ? 2 : 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "netlens: error: out of memory\n";
  } catch (const std::exception& e) {
    std::cerr << "netlens: error: internal error: " << netlens::one_line(e.what()) << "\n";
  }
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{kDescription, "netlens"};
  app.set_version_flag("--version", std::string("netlens ") + NETLENS_VERSION);
  app.require_subcommand(1);
  app.ignore_case();  // netlens Analyze, as net names
  app.footer(kExamples);

  Options options;
  const std::vector<Command> commands = commands_of(options);
  // Only the command that runs declares its options: CLI11 checks each new
  // option against the others, and every command's made a third of a
  // bundled net's run (callgrind: 0.95 of 2.94 M instructions for vgg16).
  const std::string word = command_word(argc, argv);
  std::vector<CLI::App*> subcommands;
  for (const Command& c : commands) {
    subcommands.push_back(app.add_subcommand(c.name, c.description));
    if (c.name == word) {
      c.setup(subcommands.back());
    }
  }

  try {
    if (const std::string unknown = word.empty() ? "" : unknown_command(commands, word);
        !unknown.empty()) {
      throw CLI::ParseError(unknown, 2);
    }
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return usage_failure(app, e);
  }
  for (std::size_t k = 0; k < subcommands.size(); ++k) {
    if (subcommands[k]->parsed()) {
      return run_reporting_errors(commands[k].run);
    }
  }
  return 2;
}
