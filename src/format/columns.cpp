#include "format/columns.h"

#include <fmt/compile.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <cctype>

#include "model/error.h"
#include "model/suggest.h"

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
      {ColumnId::Erf50, "erf50", "erf50", "erf50", true, true},
      {ColumnId::Erf95, "erf95", "erf95", "erf95", true, true},
  };
  return kColumns;
}

const std::vector<std::string>& default_columns() {
  static const std::vector<std::string> kDefault{
      "index", "name", "type", "size", "channels", "jump", "rf", "padding_eff", "params", "macs"};
  return kDefault;
}

namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(' ');
  return first == std::string_view::npos
             ? std::string_view()
             : text.substr(first, text.find_last_not_of(' ') - first + 1);
}

// A --columns entry: a column's id or its table header, in any case, spaces
// around it ignored.
const Column& find_column(std::string_view entry) {
  const std::string wanted = lower(trim(entry));
  if (wanted.empty()) {
    throw UsageError("--columns: an empty column name; give names like name,size,rf");
  }
  std::vector<std::string> names;
  for (const Column& c : all_columns()) {
    if (wanted == c.id || wanted == lower(c.header)) {
      return c;
    }
    names.emplace_back(c.id);
  }
  std::string suggestion = closest(wanted, names);
  for (const Column& c : all_columns()) {
    if (suggestion.empty() && !closest(wanted, {lower(c.header)}).empty()) {
      suggestion = c.id;
    }
  }
  throw UsageError(fmt::format("unknown column '{}'{}; columns: {}", trim(entry),
                               did_you_mean(suggestion), fmt::join(names, ",")));
}

}  // namespace

std::vector<const Column*> select_columns(const std::vector<std::string>& ids) {
  std::vector<const Column*> out;
  for (const std::string& id : ids.empty() ? default_columns() : ids) {
    out.push_back(&find_column(id));
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

void append_int(std::string& out, std::int64_t value) {
  const fmt::format_int text(value);
  out.append(text.data(), text.size());
}

// Appends the text of one axis of a per-axis column; false = no value.
bool append_axis_value(std::string& out, const Column& c, const LayerReport& lr, std::size_t a) {
  switch (c.which) {
    case ColumnId::Size:
      if (!lr.output.has_positions()) {
        return false;
      }
      append_int(out, lr.output.size[a]);
      return true;
    case ColumnId::Kernel:
    case ColumnId::Stride:
    case ColumnId::Padding:
    case ColumnId::Dilation: {
      if (!lr.window) {
        return false;
      }
      const AxisWindow& w = (*lr.window)[a];
      if (c.which == ColumnId::Padding) {
        append_int(out, w.pad_lo);
        if (w.pad_lo != w.pad_hi) {
          out += '/';
          append_int(out, w.pad_hi);
        }
        return true;
      }
      append_int(out, c.which == ColumnId::Kernel   ? w.kernel
                      : c.which == ColumnId::Stride ? w.stride
                                                    : w.dilation);
      return true;
    }
    case ColumnId::Rf:
    case ColumnId::RfMin: {
      const auto& v = c.which == ColumnId::Rf ? lr.rf[a].rf : lr.rf[a].rf_min;
      if (v) {
        append_int(out, *v);
      }
      return v.has_value();
    }
    case ColumnId::Jump:
    case ColumnId::PaddingEff:
    case ColumnId::CenterOffset: {
      const AxisRf& x = lr.rf[a];
      const std::optional<Ratio>& v = c.which == ColumnId::Jump         ? x.jump
                                      : c.which == ColumnId::PaddingEff ? x.padding_eff
                                                                        : x.center_offset;
      if (v && v->is_integer()) {
        append_int(out, v->num);
      } else if (v) {
        out += ratio_text(*v);
      }
      return v.has_value();
    }
    case ColumnId::Erf50:
    case ColumnId::Erf95: {
      const auto& radii = c.which == ColumnId::Erf50 ? lr.erf50 : lr.erf95;
      if (radii) {
        out += ratio_text((*radii)[a]);
      }
      return radii.has_value();
    }
    default:
      return false;
  }
}

}  // namespace

std::optional<std::int64_t> count_value(const Column& c, const LayerReport& lr) {
  switch (c.which) {
    case ColumnId::Params:
    case ColumnId::ParamsPercent:
      return lr.params;
    case ColumnId::Channels:  // none for a whole tensor
      return lr.output.is_whole() ? std::nullopt : std::optional(lr.output.channels);
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

namespace {
// Table text of a count: "1.43 G", "527.8 MB", "25.00%", "1,792".
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
}  // namespace

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
  // Compiled formats: a few cells of every row come here.
  return v < 9.995 ? fmt::format(FMT_COMPILE("{:.2f} {}{}"), v, kPrefixes[p], unit)
                   : fmt::format(FMT_COMPILE("{:.1f} {}{}"), v, kPrefixes[p], unit);
}

std::string axis_cell(const Column& c, const LayerReport& lr, std::size_t axis) {
  std::string out;
  if (!lr.rf.empty() || c.which == ColumnId::Size) {
    append_axis_value(out, c, lr, axis);
  }
  return out;
}

std::string cell(const Column& c, const Report& report, const LayerReport& lr) {
  std::string out;
  append_cell(out, c, report, lr);
  return out;
}

void append_cell(std::string& out, const Column& c, const Report& report, const LayerReport& lr) {
  const Layer& layer = report.layer(lr.index - 1);
  switch (c.which) {
    case ColumnId::Index:
      append_int(out, static_cast<std::int64_t>(lr.index));
      return;
    case ColumnId::Name:
      out += layer.name;
      return;
    case ColumnId::Type:
      out += layer.type;
      return;
    case ColumnId::Inputs:
      for (std::size_t k = 0; k < lr.inputs.size(); ++k) {
        out.append(k == 0 ? "" : ",").append(report.node_name(lr.inputs[k]));
      }
      return;
    default:
      break;
  }
  if (lr.output.is_whole() && (c.which == ColumnId::Size || c.which == ColumnId::Channels)) {
    out += c.which == ColumnId::Size ? format_shape(lr.output) : "-";  // the whole tensor
    return;
  }
  if (const auto exact = count_value(c, lr)) {
    out += human_count(c, *exact, report.totals.params);
    return;
  }
  if ((lr.global_rf || lr.rf_unknown) && c.which >= ColumnId::Jump && c.which <= ColumnId::RfMin) {
    out += lr.rf_unknown ? "?" : c.which == ColumnId::Rf ? "global" : "-";
    return;
  }
  // One value when every axis has the same ("224"), else every axis
  // ("224x320"): every axis is appended, and the tail cut off when it only
  // repeats the first.
  const std::size_t rank = report.input.size.size();
  if (rank == 0) {
    out += '-';
    return;
  }
  const std::size_t start = out.size();
  std::size_t first_end = 0;
  bool same = true;
  for (std::size_t a = 0; a < rank; ++a) {
    out.append(a == 0 ? "" : "x");
    const std::size_t begin = out.size();
    if (!append_axis_value(out, c, lr, a)) {
      out += '-';
    }
    first_end = a == 0 ? out.size() : first_end;
    same = same && std::string_view(out).substr(begin) ==
                       std::string_view(out).substr(start, first_end - start);
  }
  if (same && !(c.which == ColumnId::Size && lr.output.is_tokens())) {
    out.resize(first_end);  // 14 for 14x14; tokens keep their grid's shape
  }
  if (lr.global_context && c.which == ColumnId::Rf) {
    out += '*';  // explained under the table
  }
  if (c.which == ColumnId::Size && lr.output.is_tokens() && lr.output.extra_tokens > 0) {
    out += '+';  // the class tokens: a 14x14 grid and 1 more, 197 tokens
    append_int(out, lr.output.extra_tokens);
  }
}

}  // namespace netlens
