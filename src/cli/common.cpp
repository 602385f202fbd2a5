#include "cli/common.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "engine/analyze.h"
#include "model/suggest.h"

namespace netlens::cli {

void add_net_options(CLI::App& cmd, NetOptions& o) {
  cmd.add_option("net", o.net, "A bundled net's name, a spec file (YAML or JSON), or - for stdin")
      ->required();
  cmd.add_option("--input", o.input,
                 "Input size, overriding the spec's: 224 (square or 1-D), 224x320, 16x112x112");
  cmd.add_option("--channels", o.channels, "Input channels, overriding the spec's")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
  cmd.add_option("--convention", o.convention,
                 "Rounding and default rules: pytorch, keras or caffe (default: the spec's)")
      ->check(CLI::IsMember({"pytorch", "keras", "caffe"}));
  cmd.add_option("--max-bytes", o.max_bytes, "Refuse specs larger than this many bytes")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 40));
  cmd.add_option("--max-layers", o.max_layers, "Refuse specs with more layers than this")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 32));
  cmd.add_flag("--strict", o.strict, "Treat warnings as errors (exit status 1)");
  cmd.add_option("--batch", o.batch, "Batch size: scales MACs, activations and memory")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
  cmd.add_option("--dtype", o.dtype,
                 "Bytes per element for memory: float32, float16, bfloat16, int8")
      ->check(CLI::IsMember({"float32", "float16", "bfloat16", "int8"}));
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  for (std::size_t start = 0, end = 0; end != std::string::npos; start = end + 1) {
    end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? end : end - start));
  }
  return parts;
}

namespace {

// "7,7" with ',' or "224x320" with 'x': 1 to 3 decimal values >= min, else a
// UsageError "OPTION: expected EXAMPLES, got 'TEXT'".
PerAxis<std::int64_t> parse_axis_list(const std::string& text, char separator, std::int64_t min,
                                      const char* expected) {
  PerAxis<std::int64_t> values;
  for (const std::string& part : split(text, separator)) {
    bool ok = !part.empty() && part.size() <= 12 && values.size() < kMaxRank;
    std::int64_t value = 0;
    for (char c : part) {
      ok = ok && c >= '0' && c <= '9';
      value = value * 10 + (c - '0');
    }
    if (!ok || value < min) {
      throw UsageError(fmt::format("{}'{}'", expected, text));
    }
    values.push_back(value);
  }
  return values;
}

}  // namespace

PerAxis<std::int64_t> parse_input_size(const std::string& text) {
  return parse_axis_list(text, 'x', 1,
                         "--input: expected sizes like 224, 224x320 or 16x112x112, got ");
}

PerAxis<std::int64_t> parse_unit(const std::string& text) {
  return parse_axis_list(text, ',', 0, "--unit: expected coordinates like 7, 7,7 or 2,7,7; got ");
}

std::size_t find_layer(const Report& report, const std::string& name) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < report.layers.size(); ++i) {
    if (report.layer(i).name == name) {
      return i;
    }
    names.push_back(report.layer(i).name);
  }
  throw UsageError(fmt::format("--layer: no layer '{}' in {}{}", name, report.net.name,
                               did_you_mean(name, names)));
}

Report load_and_analyze(const NetOptions& o) {
  Net net = load_net(o.net, std::cin, o.max_bytes, o.max_layers);
  const bool net_has_scalar_size = net.input_size.empty() || net.input_size_scalar;
  const std::size_t rank_of_spec = net.input_size.size();
  if (!o.input.empty()) {
    net.input_size = parse_input_size(o.input);
    net.input_size_scalar = net.input_size.size() == 1;
    if (net.input_size_scalar && !net_has_scalar_size) {
      // A 1-D or 2-D spec keeps its rank: --input 224 on a 224x224 net is square.
      net.input_size = PerAxis<std::int64_t>(rank_of_spec, net.input_size[0]);
      net.input_size_scalar = false;
    }
  }
  if (o.channels) {
    net.channels = *o.channels;
  }
  if (!o.convention.empty()) {
    net.convention = *convention_from_name(o.convention);
  }
  CostOptions costs;
  costs.batch = o.batch;
  costs.dtype = *dtype_from_name(o.dtype);
  return analyze(std::move(net), costs);
}

void print_warnings(const Report& report) {
  for (const Warning& w : report.warnings) {
    std::cerr << "netlens: warning: " << format_location(report.net.file, w.pos)
              << one_line((w.layer.empty() ? "" : fmt::format("layer '{}': ", w.layer)) + w.text)
              << "\n";
  }
}

void fail_if_strict(const Report& report, bool strict) {
  if (strict && !report.warnings.empty()) {
    print_warnings(report);
    throw Error(fmt::format("{} warning{} (--strict)", report.warnings.size(),
                            report.warnings.size() == 1 ? "" : "s"));
  }
}

void write_output(const std::string& text, const std::string& path) {
  if (path.empty() || path == "-") {
    std::cout << text << std::flush;
    return;
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    throw Error(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  }
}

}  // namespace netlens::cli
