// Pieces every subcommand shares: the options that pick a net and override
// its input, loading + analyzing, and printing warnings.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "model/overrides.h"
#include "model/report.h"
#include "onnx/reader.h"
#include "parse/source.h"

namespace netlens::cli {

struct NetOptions {
  std::string net;                   // NET | FILE | -
  std::optional<std::string> input;  // 224 | 224x320 | 16000
  std::optional<std::int64_t> channels;
  std::string convention;  // empty: the spec's
  // --max-bytes limits every input (by default 4 MiB a spec, 2 GiB an ONNX
  // file); --onnx-max-bytes an ONNX file's alone, over --max-bytes.
  std::optional<std::size_t> max_bytes;
  std::optional<std::size_t> onnx_max_bytes;
  std::size_t max_layers = kDefaultMaxLayers;
  bool strict = false;
  bool quiet = false;                 // -q: no warning lines (unless --strict)
  std::vector<std::string> warnings;  // -W no-KIND / -W KIND, in order
  std::optional<std::int64_t> batch;  // unset: an ONNX input's batch, else 1
  std::string dtype;                  // empty: float32, an ONNX file's weights as it stores them
  std::vector<std::string> onnx_branches;  // --onnx-branch NODE=then|else
};

// `reports`: also the options of commands that report warnings and costs
// (--strict, -q, -W, --dtype); sizes and convert do neither.
void add_net_options(CLI::App& cmd, NetOptions& options, bool reports = true);

// The size limits of --max-bytes and --onnx-max-bytes.
SourceLimits source_limits(const NetOptions& options);

// --input, --channels, --batch and --convention; throws UsageError on a
// malformed --input.
InputOverrides input_overrides(const NetOptions& options);

// The net of `options.net`, its kind sniffed once (load_source): a spec or
// bundled net parsed, then the overrides applied; an ONNX file read by its
// reader, which applies them (the same apply_input_overrides) before its
// first node, to fold its shape subgraphs with the dims given.
Net load_net_with_overrides(const NetOptions& options);

// Fails when the net's input has no spatial axis (an ONNX [batch, features]):
// `what` (locating, plotting) needs one.
void require_spatial_input(const Report& report, const char* what);

// Loads, applies the overrides and analyzes; the warnings -W turns off are
// dropped from the report. Throws netlens::Error.
Report load_and_analyze(const NetOptions& options);

// The kinds -W leaves on (all by default); throws UsageError on an unknown kind.
std::vector<bool> warning_kinds_on(const std::vector<std::string>& flags);
// Removes from `report` (net and layers) the warnings whose kind is off.
void drop_warnings(Report& report, const std::vector<bool>& on);

// "a,b" -> {"a", "b"}; "" -> {""}.
std::vector<std::string> split(const std::string& text, char separator);

// Parses "224", "224x320", "16x112x112"; throws UsageError.
PerAxis<std::int64_t> parse_input_size(const std::string& text);

// Parses --unit "7", "7,7", "2,7,7" (from 0); throws UsageError.
PerAxis<std::int64_t> parse_unit(const std::string& text);

// The index in report.layers of the layer named `name` (--layer); throws
// UsageError naming the closest name when there is none.
std::size_t find_layer(const Report& report, const std::string& name);

// "netlens: warning: FILE:L:C: layer 'x': TEXT [-Wkind]".
std::string warning_line(const Report& report, const Warning& warning);
// Prints each warning line to stderr, unless `quiet`.
void print_warnings(const Report& report, bool quiet);
// With --strict, warnings are errors: prints them and throws.
void fail_if_strict(const Report& report, bool strict);

// Writes to `path` ("" or "-": stdout).
void write_output(const std::string& text, const std::string& path);

}  // namespace netlens::cli
