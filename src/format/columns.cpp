#include "format/columns.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/error.h"

namespace netlens {

const std::vector<Column>& all_columns() {
  static const std::vector<Column> kColumns{
      {"index", "#", "index", false, true},
      {"name", "name", "name", false, false},
      {"type", "type", "type", false, false},
      {"inputs", "inputs", "inputs", false, false},
      {"size", "size", "out", true, true},
      {"channels", "ch", "channels", false, true},
      {"kernel", "kernel", "kernel", true, true},
      {"stride", "stride", "stride", true, true},
      {"padding", "padding", "padding", true, true},
      {"dilation", "dilation", "dilation", true, true},
      {"jump", "jump", "jump", true, true},
      {"rf", "rf", "rf", true, true},
      {"padding_eff", "pad_eff", "padding_eff", true, true},
      {"center_offset", "center", "center_offset", true, true},
      {"rf_min", "rf_min", "rf_min", true, true},
      {"params", "params", "params", false, true},
      {"params_percent", "params%", "params_percent", false, true},
      {"buffers", "buffers", "buffers", false, true},
      {"macs", "MACs", "macs", false, true},
      {"flops", "FLOPs", "flops", false, true},
      {"other_ops", "other ops", "other_ops", false, true},
      {"activations", "activations", "activations", false, true},
      {"memory", "memory", "memory", false, true},
  };
  return kColumns;
}

const std::vector<std::string>& default_columns() {
  static const std::vector<std::string> kDefault{
      "index", "name", "type", "size", "channels", "jump", "rf", "padding_eff", "params", "macs"};
  return kDefault;
}

std::vector<const Column*> select_columns(const std::vector<std::string>& ids) {
  std::vector<const Column*> out;
  for (const std::string& id : ids.empty() ? default_columns() : ids) {
    const Column* found = nullptr;
    for (const Column& c : all_columns()) {
      if (id == c.id) {
        found = &c;
      }
    }
    if (found == nullptr) {
      std::vector<std::string> names;
      for (const Column& c : all_columns()) {
        names.emplace_back(c.id);
      }
      throw UsageError(fmt::format("unknown column '{}'; columns: {}", id, fmt::join(names, ",")));
    }
    out.push_back(found);
  }
  return out;
}

std::string with_separators(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out.push_back(',');
    }
    out.push_back(digits[i]);
  }
  return value < 0 ? "-" + out : out;
}

namespace {

// The text of one axis of a per-axis column; nullopt = no value.
std::optional<std::string> axis_value(const Column& c, const Report& report,
                                      const LayerReport& lr, std::size_t a) {
  const std::string_view id = c.id;
  if (id == "size") {
    if (lr.output.flat) {
      return std::nullopt;
    }
    return std::to_string(lr.output.size[a]);
  }
  if (id == "kernel" || id == "stride" || id == "padding" || id == "dilation") {
    if (!lr.window) {
      return std::nullopt;
    }
    const AxisWindow& w = (*lr.window)[a];
    if (id == "kernel") {
      return std::to_string(w.kernel);
    }
    if (id == "stride") {
      return std::to_string(w.stride);
    }
    if (id == "dilation") {
      return std::to_string(w.dilation);
    }
    return w.pad_lo == w.pad_hi ? std::to_string(w.pad_lo)
                                : fmt::format("{}/{}", w.pad_lo, w.pad_hi);
  }
  (void)report;
  const AxisRf& x = lr.rf[a];
  if (id == "rf" || id == "rf_min") {
    const auto& v = id == "rf" ? x.rf : x.rf_min;
    return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
  }
  const std::optional<Ratio>& v = id == "jump"          ? x.jump
                                  : id == "padding_eff" ? x.padding_eff
                                                        : x.center_offset;
  return v ? std::optional<std::string>(ratio_text(*v)) : std::nullopt;
}

}  // namespace

std::optional<std::int64_t> count_value(const Column& c, const Report& report,
                                        const LayerReport& lr) {
  (void)report;
  const std::string_view id = c.id;
  if (id == "params" || id == "params_percent") {
    return lr.params;
  }
  if (id == "channels") {
    return lr.output.channels;
  }
  if (id == "buffers") {
    return lr.cost.buffers;
  }
  if (id == "macs") {
    return lr.cost.macs;
  }
  if (id == "flops") {
    return 2 * lr.cost.macs;  // checked in compute_costs' totals (2 x total fits)
  }
  if (id == "other_ops") {
    return lr.cost.other_ops;
  }
  if (id == "activations") {
    return lr.cost.activations;
  }
  if (id == "memory") {
    return lr.cost.memory;
  }
  return std::nullopt;
}

std::string exact_count(const Column& c, std::int64_t value, std::int64_t total_params) {
  if (std::string_view(c.id) == "params_percent") {
    return total_params == 0 ? "0"
                             : fmt::format("{:.2f}", 100.0 * static_cast<double>(value) /
                                                         static_cast<double>(total_params));
  }
  return std::to_string(value);
}

std::string human_count(const Column& c, std::int64_t value, std::int64_t total_params) {
  const std::string_view id = c.id;
  if (id == "params_percent") {
    return exact_count(c, value, total_params) + "%";
  }
  if (id == "memory") {
    return human(value, "B");
  }
  if (id == "macs" || id == "flops" || id == "other_ops" || id == "activations") {
    return human(value, "");
  }
  return with_separators(value);
}

std::string human(std::int64_t value, const char* unit) {
  static const char* const kPrefixes[] = {"", "k", "M", "G", "T", "P", "E"};
  if (value == 0) {
    return fmt::format("0{}{}", *unit ? " " : "", unit);
  }
  double v = static_cast<double>(value);
  std::size_t p = 0;
  while (v >= 999.95 && p + 1 < std::size(kPrefixes)) {
    v /= 1000.0;
    ++p;
  }
  if (p == 0) {
    return fmt::format("{}{}{}", value, *unit ? " " : "", unit);
  }
  const int decimals = v < 9.995 ? 2 : 1;
  return fmt::format("{:.{}f} {}{}", v, decimals, kPrefixes[p], unit);
}

std::string axis_cell(const Column& c, const Report& report, const LayerReport& lr,
                      std::size_t axis) {
  if (lr.rf.empty() && std::string_view(c.id) != "size") {
    return "";
  }
  return axis_value(c, report, lr, axis).value_or("");
}

std::string cell(const Column& c, const Report& report, const LayerReport& lr) {
  const std::string_view id = c.id;
  const Layer& layer = report.layer(lr.index - 1);
  if (id == "index") {
    return std::to_string(lr.index);
  }
  if (id == "name") {
    return layer.name;
  }
  if (id == "type") {
    return layer.type;
  }
  if (id == "inputs") {
    std::vector<std::string> names;
    for (std::size_t in : lr.inputs) {
      names.push_back(report.node_name(in));
    }
    return fmt::format("{}", fmt::join(names, ","));
  }
  if (id == "channels") {
    return with_separators(lr.output.channels);
  }
  if (id == "params") {
    return with_separators(lr.params);
  }
  if (const auto exact = count_value(c, report, lr)) {
    return human_count(c, *exact, report.totals.params);
  }
  if (lr.global_rf && (id == "rf" || id == "rf_min" || id == "jump" || id == "padding_eff" ||
                       id == "center_offset")) {
    return id == "rf" ? "global" : "-";
  }
  const std::size_t rank = report.input.size.size();
  std::vector<std::string> values;
  for (std::size_t a = 0; a < rank; ++a) {
    values.push_back(axis_value(c, report, lr, a).value_or("-"));
  }
  bool same = true;
  for (const std::string& v : values) {
    same = same && v == values[0];
  }
  if (values.empty()) {
    return "-";
  }
  return same ? values[0] : fmt::format("{}", fmt::join(values, "x"));
}

}  // namespace netlens
