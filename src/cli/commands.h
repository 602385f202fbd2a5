// The subcommands: setup_<cmd> declares its options on its subcommand (made
// by main.cpp, which holds their names and descriptions), run_<cmd> does the
// work and returns the exit status.
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
  std::optional<std::size_t> depth;  // --depth N: one row per block
};
void setup_analyze(CLI::App* cmd, AnalyzeOptions& options);
int run_analyze(const AnalyzeOptions& options);

void setup_check(CLI::App* cmd, NetOptions& options);
int run_check(const NetOptions& options);

int run_list();

struct LocateOptions {
  NetOptions net;
  std::string layer;
  std::string unit;
  std::string format = "table";
  std::string output;
  bool erf = false;
};
void setup_locate(CLI::App* cmd, LocateOptions& options);
int run_locate(const LocateOptions& options);

struct PlotOptions {
  NetOptions net;
  std::vector<std::string> layers;
  std::string unit;
  std::string output;
  bool erf = false;
  std::optional<std::int64_t> frame;  // --erf on a 3-D net: the frame (axis d) drawn
};
void setup_plot(CLI::App* cmd, PlotOptions& options);
int run_plot(const PlotOptions& options);

struct ConvertOptions {
  NetOptions net;
  std::string output;
};
void setup_convert(CLI::App* cmd, ConvertOptions& options);
int run_convert(const ConvertOptions& options);

struct SizesOptions {
  NetOptions net;
  std::optional<std::string> range;  // MIN..MAX
  std::optional<std::string> axis;
  std::optional<std::string> nearest;
  std::optional<std::int64_t> output_size;
  bool costs = false;
  std::string dtype;  // empty: float32, an ONNX file's weights as it stores them
  std::string format = "table";
  std::string output;
};
void setup_sizes(CLI::App* cmd, SizesOptions& options);
int run_sizes(const SizesOptions& options);

void setup_show(CLI::App* cmd, std::string& net);
int run_show(const std::string& net);

}  // namespace netlens::cli
