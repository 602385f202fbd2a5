#include "format/columns.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/error.h"

namespace netlens {

const std::vector<Column>& all_columns() {
  static const std::vector<Column> kColumns{
      {ColumnId::Index, "index", "#", "index", false, true},
      {ColumnId::Name, "name", "name", "name", false, false},
      {ColumnId::Type, "type", "type", "type", false, false},
      {ColumnId::Inputs, "inputs", "inputs", "inputs", false, false},
      {ColumnId::Size, "size", "size", "out", true, true},
      {ColumnId::Channels, "channels", "ch", "channels", false, true},
      {ColumnId::Kernel, "kernel", "kernel", "kernel", true, true},
      {ColumnId::Stride, "stride", "stride", "stride", true, true},
      {ColumnId::Padding, "padding", "padding", "padding", true, true},
      {ColumnId::Dilation, "dilation", "dilation", "dilation", true, true},
      {ColumnId::Jump, "jump", "jump", "jump", true, true},
      {ColumnId::Rf, "rf", "rf", "rf", true, true},
      {ColumnId::PaddingEff, "padding_eff", "pad_eff", "padding_eff", true, true},
      {ColumnId::CenterOffset, "center_offset", "center", "center_offset", true, true},
      {ColumnId::RfMin, "rf_min", "rf_min", "rf_min", true, true},
      {ColumnId::Params, "params", "params", "params", false, true},
      {ColumnId::ParamsPercent, "params_percent", "params%", "params_percent", false, true},
      {ColumnId::Buffers, "buffers", "buffers", "buffers", false, true},
      {ColumnId::Macs, "macs", "MACs", "macs", false, true},
      {ColumnId::Flops, "flops", "FLOPs", "flops", false, true},
      {ColumnId::OtherOps, "other_ops", "other ops", "other_ops", false, true},
      {ColumnId::Activations, "activations", "activations", "activations", false, true},
      {ColumnId::Memory, "memory", "memory", "memory", false, true},
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

std::string ratio_cell(const std::optional<Ratio>& v) {
  return !v ? std::string() : v->is_integer() ? std::to_string(v->num) : ratio_text(*v);
}

// The text of one axis of a per-axis column; empty: no value.
std::string axis_value(const Column& c, const LayerReport& lr, std::size_t a) {
  const AxisRf& x = lr.rf[a];
  switch (c.which) {
    case ColumnId::Size:
      return lr.output.flat ? "" : std::to_string(lr.output.size[a]);
    case ColumnId::Kernel:
    case ColumnId::Stride:
    case ColumnId::Padding:
    case ColumnId::Dilation: {
      if (!lr.window) {
        return "";
      }
      const AxisWindow& w = (*lr.window)[a];
      return c.which == ColumnId::Padding
                 ? std::to_string(w.pad_lo) +
                       (w.pad_lo != w.pad_hi ? "/" + std::to_string(w.pad_hi) : "")
                 : std::to_string(c.which == ColumnId::Kernel   ? w.kernel
                                  : c.which == ColumnId::Stride ? w.stride
                                                                : w.dilation);
    }
    case ColumnId::Rf:
      return x.rf ? std::to_string(*x.rf) : "";
    case ColumnId::RfMin:
      return x.rf_min ? std::to_string(*x.rf_min) : "";
    case ColumnId::Jump:
      return ratio_cell(x.jump);
    case ColumnId::PaddingEff:
      return ratio_cell(x.padding_eff);
    case ColumnId::CenterOffset:
      return ratio_cell(x.center_offset);
    default:
      return "";
  }
}

bool is_rf_column(ColumnId which) {
  return which == ColumnId::Rf || which == ColumnId::RfMin || which == ColumnId::Jump ||
         which == ColumnId::PaddingEff || which == ColumnId::CenterOffset;
}

}  // namespace

std::optional<std::int64_t> count_value(const Column& c, const LayerReport& lr) {
  switch (c.which) {
    case ColumnId::Params:
    case ColumnId::ParamsPercent:
      return lr.params;
    case ColumnId::Channels:
      return lr.output.channels;
    case ColumnId::Buffers:
      return lr.cost.buffers;
    case ColumnId::Macs:
      return lr.cost.macs;
    case ColumnId::Flops:
      return 2 * lr.cost.macs;  // checked in compute_costs' totals (2 x total fits)
    case ColumnId::OtherOps:
      return lr.cost.other_ops;
    case ColumnId::Activations:
      return lr.cost.activations;
    case ColumnId::Memory:
      return lr.cost.memory;
    default:
      return std::nullopt;
  }
}

std::string exact_count(const Column& c, std::int64_t value, std::int64_t total_params) {
  if (c.which == ColumnId::ParamsPercent) {
    return total_params == 0 ? "0"
                             : fmt::format("{:.2f}", 100.0 * static_cast<double>(value) /
                                                         static_cast<double>(total_params));
  }
  return std::to_string(value);
}

std::string human_count(const Column& c, std::int64_t value, std::int64_t total_params) {
  switch (c.which) {
    case ColumnId::ParamsPercent:
      return exact_count(c, value, total_params) + "%";
    case ColumnId::Memory:
      return human(value, "B");
    case ColumnId::Macs:
    case ColumnId::Flops:
    case ColumnId::OtherOps:
    case ColumnId::Activations:
      return human(value, "");
    default:
      return with_separators(value);
  }
}

std::string human(std::int64_t value, const char* unit) {
  static const char* const kPrefixes[] = {"", "k", "M", "G", "T", "P", "E"};
  if (value == 0) {
    return *unit ? fmt::format("0 {}", unit) : "0";
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
  return v < 9.995 ? fmt::format("{:.2f} {}{}", v, kPrefixes[p], unit)
                   : fmt::format("{:.1f} {}{}", v, kPrefixes[p], unit);
}

std::string axis_cell(const Column& c, const LayerReport& lr, std::size_t axis) {
  if (lr.rf.empty() && c.which != ColumnId::Size) {
    return "";
  }
  return axis_value(c, lr, axis);
}

std::string cell(const Column& c, const Report& report, const LayerReport& lr) {
  const Layer& layer = report.layer(lr.index - 1);
  switch (c.which) {
    case ColumnId::Index:
      return std::to_string(lr.index);
    case ColumnId::Name:
      return layer.name;
    case ColumnId::Type:
      return std::string(layer.type);
    case ColumnId::Inputs: {
      std::vector<std::string> names;
      for (std::size_t in : lr.inputs) {
        names.push_back(report.node_name(in));
      }
      return fmt::format("{}", fmt::join(names, ","));
    }
    default:
      break;
  }
  if (const auto exact = count_value(c, lr)) {
    return human_count(c, *exact, report.totals.params);
  }
  if (lr.global_rf && is_rf_column(c.which)) {
    return c.which == ColumnId::Rf ? "global" : "-";
  }
  // One value when every axis has the same, else 224x320.
  std::vector<std::string> axes;
  for (std::size_t a = 0; a < report.input.size.size(); ++a) {
    const std::string v = axis_value(c, lr, a);
    axes.push_back(v.empty() ? "-" : v);
  }
  if (axes.empty()) {
    return "-";
  }
  const bool same =
      std::all_of(axes.begin(), axes.end(), [&](const std::string& v) { return v == axes[0]; });
  return same ? axes[0] : fmt::format("{}", fmt::join(axes, "x"));
}

}  // namespace netlens
