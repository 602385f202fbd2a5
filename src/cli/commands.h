// The subcommands: setup_<cmd> declares its options on the app, run_<cmd>
// does the work and returns the exit status.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/common.h"

namespace netlens::cli {

struct AnalyzeOptions {
  NetOptions net;
  std::string format = "table";
  std::string output;
  std::optional<std::string> columns;
  bool regions = false;
  bool erf = false;
};
CLI::App* setup_analyze(CLI::App& app, AnalyzeOptions& options);
int run_analyze(const AnalyzeOptions& options);

CLI::App* setup_check(CLI::App& app, NetOptions& options);
int run_check(const NetOptions& options);

CLI::App* setup_list(CLI::App& app);
int run_list();

struct LocateOptions {
  NetOptions net;
  std::string layer;
  std::string unit;
  std::string format = "table";
  std::string output;
  bool erf = false;
};
CLI::App* setup_locate(CLI::App& app, LocateOptions& options);
int run_locate(const LocateOptions& options);

struct PlotOptions {
  NetOptions net;
  std::vector<std::string> layers;
  std::string unit;
  std::string output;
  bool erf = false;
};
CLI::App* setup_plot(CLI::App& app, PlotOptions& options);
int run_plot(const PlotOptions& options);

struct ConvertOptions {
  NetOptions net;
  std::string output;
};
CLI::App* setup_convert(CLI::App& app, ConvertOptions& options);
int run_convert(const ConvertOptions& options);

struct SizesOptions {
  NetOptions net;
  std::optional<std::string> range;  // MIN..MAX
  std::optional<std::string> axis;
  std::optional<std::string> nearest;
  std::optional<std::int64_t> output_size;
  std::string format = "table";
  std::string output;
};
CLI::App* setup_sizes(CLI::App& app, SizesOptions& options);
int run_sizes(const SizesOptions& options);

struct ShowOptions {
  std::string net;
};
CLI::App* setup_show(CLI::App& app, ShowOptions& options);
int run_show(const ShowOptions& options);

}  // namespace netlens::cli
