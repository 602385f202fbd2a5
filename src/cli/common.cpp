#include "cli/common.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "engine/analyze.h"
#include "model/suggest.h"

namespace netlens::cli {

void add_net_options(CLI::App& cmd, NetOptions& o, bool reports) {
  cmd.add_option("net", o.net,
                 "A bundled net's name, a spec file (YAML or JSON), an ONNX file, or - for stdin")
      ->required();
  cmd.add_option("--input", o.input,
                 "Input size, overriding the spec's: 224 (square or 1-D), 224x320, 16x112x112");
  cmd.add_option("--channels", o.channels, "Input channels, overriding the spec's")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
  cmd.add_option("--convention", o.convention,
                 "Rounding and default rules: pytorch, keras or caffe (default: the spec's)")
      ->check(CLI::IsMember({"pytorch", "keras", "caffe"}));
  cmd.add_option("--max-bytes", o.max_bytes,
                 "Refuse inputs larger than this many bytes (default: 4 MiB a spec, 2 GiB an "
                 "ONNX file)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 40));
  cmd.add_option("--onnx-max-bytes", o.onnx_max_bytes,
                 "Refuse ONNX files larger than this many bytes, whatever --max-bytes says "
                 "(at most 2 GiB, protobuf's limit)")
      ->check(CLI::Range(std::size_t{1}, kDefaultOnnxMaxBytes));
  cmd.add_option("--onnx-branch", o.onnx_branches,
                 "The branch an ONNX If node reads when its condition depends on the input: "
                 "NODE=then or NODE=else (repeatable; default then, with a warning)")
      ->type_name("NODE=then|else");
  cmd.add_option("--max-layers", o.max_layers, "Refuse nets with more layers than this")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 32));
  cmd.add_option("--batch", o.batch, "Batch size: scales MACs, activations and memory")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
  if (!reports) {
    return;
  }
  cmd.add_flag("--strict", o.strict, "Treat warnings as errors (exit status 1)");
  cmd.add_flag("-q,--quiet", o.quiet,
               "Print no warnings (errors still print; --strict still fails)");
  std::string kinds;
  for (std::size_t k = 0; k < kWarningKinds; ++k) {
    kinds += (k == 0 ? "" : ", ") + std::string(warning_kind_name(static_cast<WarningKind>(k)));
  }
  cmd.add_option(
         "-W", o.warnings,
         "-W no-KIND turns a kind of warning off (repeatable), -W KIND on again; kinds: " + kinds)
      ->type_name("[no-]KIND")
      ->allow_extra_args(false);
  cmd.add_option("--dtype", o.dtype,
                 "Bytes per element for memory: float32 (the default; an ONNX file's weights at "
                 "the bytes it stores them in), float16, bfloat16, int8")
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

SourceLimits source_limits(const NetOptions& o) {
  SourceLimits limits;
  if (o.max_bytes) {
    limits.spec.bytes = *o.max_bytes;
  }
  if (o.onnx_max_bytes) {
    limits.onnx.bytes = *o.onnx_max_bytes;
  } else if (o.max_bytes && *o.max_bytes <= kDefaultOnnxMaxBytes) {
    limits.onnx = {*o.max_bytes, "--max-bytes"};  // past 2 GiB, protobuf's ceiling stays
  }
  return limits;
}

InputOverrides input_overrides(const NetOptions& o) {
  InputOverrides overrides;
  if (o.input) {
    overrides.input = *o.input;
    overrides.size = parse_input_size(*o.input);
  }
  overrides.channels = o.channels;
  overrides.batch = o.batch;
  if (!o.convention.empty()) {
    overrides.convention = convention_from_name(o.convention);
  }
  return overrides;
}

Net load_net_with_overrides(const NetOptions& o) {
  const InputOverrides overrides = input_overrides(o);  // a bad --input fails before any reading
  std::map<std::string, std::string, std::less<>> branches;
  for (const std::string& choice : o.onnx_branches) {
    const std::size_t eq = choice.rfind('=');
    const std::string branch = eq == std::string::npos ? "" : choice.substr(eq + 1);
    if (eq == 0 || (branch != "then" && branch != "else")) {
      throw UsageError(fmt::format("--onnx-branch takes NODE=then or NODE=else, got '{}'", choice));
    }
    branches[choice.substr(0, eq)] = branch;
  }
  const SourceLimits limits = source_limits(o);
  const Source src = load_source(o.net, std::cin, limits);
  if (src.kind == SourceKind::Onnx) {
    OnnxOptions onnx;
    onnx.max_bytes = limits.onnx;
    onnx.max_layers = o.max_layers;
    onnx.name = src.default_name;
    onnx.overrides = overrides;
    onnx.branches = std::move(branches);
    Net net = src.path.empty() ? read_onnx_bytes(src.text, src.file, onnx)
                               : read_onnx_file(src.path, onnx);
    net.source = src.source;
    return net;
  }
  Net net = parse_spec(src.text, src.file, src.default_name, src.format, o.max_layers);
  net.source = src.source;
  apply_input_overrides(net, overrides);
  return net;
}

Report load_and_analyze(const NetOptions& o) {
  const std::vector<bool> on = warning_kinds_on(o.warnings);  // a bad -W fails before any work
  Net net = load_net_with_overrides(o);
  CostOptions costs;
  costs.batch = net.batch.value_or(1);  // an ONNX file's, or --batch
  costs.dtype = *dtype_from_name(o.dtype.empty() ? "float32" : o.dtype);
  costs.stored_params = o.dtype.empty();
  Report report = analyze(std::move(net), costs);
  drop_warnings(report, on);
  return report;
}

void require_spatial_input(const Report& report, const char* what) {
  if (report.input.is_whole() && !report.input.keeps_grid()) {
    throw Error(
        fmt::format("{}: the input of {} is {}, a whole tensor (no spatial "
                    "axis): {} needs one",
                    report.net.file, report.net.name, format_shape(report.input), what));
  }
  if (report.input.size.empty()) {
    throw Error(
        fmt::format("{}: the input of {} has no spatial axis ([batch, features]): "
                    "{} needs one",
                    report.net.file, report.net.name, what));
  }
}

std::vector<bool> warning_kinds_on(const std::vector<std::string>& flags) {
  std::vector<bool> on(kWarningKinds, true);
  for (const std::string& flag : flags) {
    const bool off = flag.starts_with("no-");
    const std::string name = off ? flag.substr(3) : flag;
    const auto kind = warning_kind_from_name(name);
    if (!kind) {
      std::vector<std::string> names;
      for (std::size_t k = 0; k < kWarningKinds; ++k) {
        names.emplace_back(warning_kind_name(static_cast<WarningKind>(k)));
      }
      throw UsageError(fmt::format("-W {}: unknown warning kind '{}'{}; kinds: {}", flag, name,
                                   did_you_mean(name, names), fmt::join(names, ", ")));
    }
    on[static_cast<std::size_t>(*kind)] = !off;
  }
  return on;
}

void drop_warnings(Report& report, const std::vector<bool>& on) {
  const auto off = [&](const Warning& w) { return !on[static_cast<std::size_t>(w.kind)]; };
  std::erase_if(report.warnings, off);
  std::erase_if(report.accepted_warnings, off);
  for (LayerReport& lr : report.layers) {
    std::erase_if(lr.warnings, off);
  }
}

std::string warning_line(const Report& report, const Warning& w) {
  return fmt::format("netlens: warning: {}{}{} [-W{}]", format_location(report.net.file, w.pos),
                     w.layer.empty() ? "" : fmt::format("layer '{}': ", w.layer), one_line(w.text),
                     warning_kind_name(w.kind));
}

void print_warnings(const Report& report, bool quiet) {
  if (quiet) {
    return;
  }
  for (const Warning& w : report.warnings) {
    std::cerr << warning_line(report, w) << "\n";
  }
}

void fail_if_strict(const Report& report, bool strict) {
  if (strict && !report.warnings.empty()) {
    print_warnings(report, false);
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
