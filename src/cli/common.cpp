#include "cli/common.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
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
  cmd.add_option("--max-bytes", o.max_bytes, "Refuse specs larger than this many bytes")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 40));
  cmd.add_option("--onnx-max-bytes", o.onnx_max_bytes,
                 "Refuse ONNX files larger than this many bytes (default 2 GiB, protobuf's limit)")
      ->check(CLI::Range(std::size_t{1}, kDefaultOnnxMaxBytes));
  cmd.add_option("--max-layers", o.max_layers, "Refuse specs with more layers than this")
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

// --input replaces the spec's size; a 1-D or 2-D spec keeps its rank (--input
// 224 on a 224x224 net is square), and more axes than the spec's is refused:
// 3x224x224 is PyTorch's C x H x W, not a 3-D input.
void override_input_size(Net& net, const std::string& text) {
  const PerAxis<std::int64_t> size = parse_input_size(text);
  const std::size_t spec_rank = net.input_size_scalar ? 0 : net.input_size.size();
  if (spec_rank != 0 && size.size() > spec_rank) {
    std::string example;
    if (size.size() == spec_rank + 1) {
      PerAxis<std::int64_t> spatial;
      for (std::size_t a = 1; a < size.size(); ++a) {
        spatial.push_back(size[a]);
      }
      example = fmt::format(", as in --input {} --channels {}", format_size(spatial), size[0]);
    }
    throw UsageError(fmt::format(
        "--input {} has {} axes but {}'s input has {} ({}): the channels go in --channels{}", text,
        size.size(), net.name, spec_rank, format_size(net.input_size), example));
  }
  net.input_size = size;
  net.input_size_scalar = size.size() == 1 && spec_rank == 0;
  if (size.size() == 1 && spec_rank != 0) {
    net.input_size = PerAxis<std::int64_t>(spec_rank, size[0]);
  }
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

namespace {

// The first bytes of an existing regular file ("" for anything else).
std::string file_head(const std::string& path) {
  std::error_code ec;
  if (path == "-" || !std::filesystem::is_regular_file(path, ec)) {
    return "";
  }
  std::ifstream in(path, std::ios::binary);
  std::string head(64, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head;
}

}  // namespace

namespace {

OnnxOptions onnx_options(const NetOptions& o) {
  // The overrides go in while reading: they give the dims a shape subgraph folds.
  OnnxOptions onnx;
  onnx.max_bytes = o.onnx_max_bytes;
  if (o.input) {
    onnx.input_size = parse_input_size(*o.input);
  }
  onnx.channels = o.channels;
  onnx.batch = o.batch;
  return onnx;
}

struct ReadNet {
  Net net;
  bool onnx = false;  // the overrides went in while reading
};

// An ONNX file or a spec: from its path, or piped in (`-`: the bytes decide).
ReadNet read_net(const NetOptions& o) {
  std::error_code ec;
  if (o.net != "-") {
    if (std::filesystem::is_regular_file(o.net, ec) && is_onnx_source(o.net, file_head(o.net))) {
      return {read_onnx_file(o.net, onnx_options(o)), true};
    }
    return {load_net(o.net, std::cin, o.max_bytes, o.max_layers), false};
  }
  const SpecSource piped = load_source("-", std::cin, std::max(o.max_bytes, o.onnx_max_bytes));
  const std::string_view head = std::string_view(piped.text).substr(0, 64);
  ReadNet read;
  read.onnx = !piped.text.empty() && is_onnx_source(piped.file, head);
  if (read.onnx) {
    read.net = read_onnx_bytes(piped.text, piped.file, onnx_options(o));
    read.net.name = piped.default_name;
  } else if (piped.text.size() > o.max_bytes) {
    throw ParseError(piped.file, {}, "", spec_too_large(o.max_bytes));
  } else {
    read.net = parse_spec(piped.text, piped.file, piped.default_name, piped.format, o.max_layers);
  }
  read.net.source = piped.source;
  return read;
}

}  // namespace

Net load_net_with_overrides(const NetOptions& o) {
  ReadNet read = read_net(o);
  Net& net = read.net;
  if (!read.onnx) {
    if ((o.input || o.channels) && (net.input_flat || net.input_dims)) {
      throw UsageError(fmt::format("{}: the input of {} is {}, without spatial axes or channels",
                                   o.input ? "--input" : "--channels", net.name,
                                   net.input_dims ? "a tensor without roles (input.shape)"
                                                  : "[batch, features] (input.features)"));
    }
    if (o.input) {
      override_input_size(net, *o.input);
    }
    if (o.channels) {
      net.channels = *o.channels;
    }
  }
  if (!o.convention.empty()) {
    net.convention = *convention_from_name(o.convention);
  }
  return std::move(net);
}

Report load_and_analyze(const NetOptions& o) {
  const std::vector<bool> on = warning_kinds_on(o.warnings);  // a bad -W fails before any work
  Net net = load_net_with_overrides(o);
  CostOptions costs;
  costs.batch = o.batch.value_or(net.batch.value_or(1));
  costs.dtype = *dtype_from_name(o.dtype);
  Report report = analyze(std::move(net), costs);
  drop_warnings(report, on);
  return report;
}

void require_spatial_input(const Report& report, const char* what) {
  if (report.input.is_whole()) {
    throw Error(
        fmt::format("{}: the input of {} is {}, a tensor without roles (no spatial "
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
