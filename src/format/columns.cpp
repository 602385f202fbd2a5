#include "format/columns.h"

#include <fmt/compile.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <functional>
#include <numeric>

#include "model/error.h"
#include "model/suggest.h"

namespace netlens {

const std::vector<Column>& all_columns() {
  static const std::vector<Column> kColumns{
#define NETLENS_COLUMN(which, ...) {ColumnId::which, __VA_ARGS__},
#include "format/columns.def"
#undef NETLENS_COLUMN
  };
  return kColumns;
}

const std::vector<std::string>& default_columns() {
  static const std::vector<std::string> kDefault{
      "index", "name", "type", "size", "channels", "jump", "rf", "padding_eff", "params", "macs"};
  return kDefault;
}

// CSV's also say what its empty cells mean: the tensor, its tokens, and
// whether the receptive field is local, global or unknown.
const std::vector<std::string>& default_csv_columns() {
  static const std::vector<std::string> kDefault = [] {
    std::vector<std::string> ids = default_columns();
    ids.insert(ids.end(), {"shape", "tokens", "rf_kind"});
    return ids;
  }();
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

// Appends `v` and returns true, or returns false when there is none.
bool append_value(std::string& out, const std::optional<std::int64_t>& v) {
  if (v) {
    append_int(out, *v);
  }
  return v.has_value();
}

bool append_value(std::string& out, const std::optional<Ratio>& v) {
  if (v && v->is_integer()) {
    append_int(out, v->num);  // most are: no string made
  } else if (v) {
    out += ratio_text(*v);
  }
  return v.has_value();
}

// "1", or "0/1" when the two sides differ.
void append_padding(std::string& out, const AxisWindow& w) {
  append_int(out, w.pad_lo);
  if (w.pad_lo != w.pad_hi) {
    out += '/';
    append_int(out, w.pad_hi);
  }
}

// Appends a count as CSV writes it (`exact`: in full) or as the table shows
// it: "1.43 G" + unit, or "1,792" when it has none. Returns true.
bool append_count(std::string& out, std::int64_t value, bool exact, const char* unit = nullptr) {
  if (exact) {
    append_int(out, value);
  } else {
    out += unit != nullptr ? human(value, unit) : with_separators(value);
  }
  return true;
}

// A column with one value per layer: appends what the table shows, or with
// `exact` what CSV writes (counts in full, no units), and returns true;
// returns false for a per-axis column.
bool append_single(std::string& out, const Column& c, const Report& report, const LayerReport& lr,
                   bool exact) {
  switch (c.which) {
    case ColumnId::Index:
      append_int(out, static_cast<std::int64_t>(lr.index));
      return true;
    case ColumnId::Name:
      out += report.layer(lr.index - 1).name;
      return true;
    case ColumnId::Type:
      out += report.layer(lr.index - 1).type;
      return true;
    case ColumnId::Inputs:
      for (std::size_t k = 0; k < lr.inputs.size(); ++k) {
        out.append(k == 0 ? "" : ",").append(report.node_name(lr.inputs[k]));
      }
      return true;
    case ColumnId::Channels:
      if (lr.output.is_whole()) {  // a whole tensor has no channel axis
        out += exact ? "" : "-";
        return true;
      }
      return append_count(out, lr.output.channels, exact);
    case ColumnId::TensorShape: {  // the whole tensor, batch first: 1x64x56x56
      const std::vector<std::int64_t> d = tensor_shape(lr.output, report.cost_options.batch);
      out += fmt::format("{}", fmt::join(d, "x"));
      return true;
    }
    case ColumnId::Tokens:
      if (!lr.output.is_tokens()) {
        out += exact ? "" : "-";
        return true;
      }
      return append_count(
          out,
          lr.output.extra_tokens + std::accumulate(lr.output.size.begin(), lr.output.size.end(),
                                                   std::int64_t{1}, std::multiplies<>()),
          exact);
    case ColumnId::RfKind:  // what JSON's global_rf true / false / null say
      out += lr.rf_unknown ? "unknown" : lr.global_rf ? "global" : "local";
      return true;
    case ColumnId::Params:
      return append_count(out, lr.params, exact);
    case ColumnId::ParamsPercent: {
      const auto total = static_cast<double>(report.totals.params);
      out +=
          total == 0 ? "0" : fmt::format("{:.2f}", 100.0 * static_cast<double>(lr.params) / total);
      out += exact ? "" : "%";
      return true;
    }
    case ColumnId::Buffers:
      return append_count(out, lr.cost.buffers, exact);
    case ColumnId::Macs:
      return append_count(out, lr.cost.macs, exact, "");
    case ColumnId::Flops:  // 2 x MACs, checked in compute_costs' totals (2 x total fits)
      return append_count(out, 2 * lr.cost.macs, exact, "");
    case ColumnId::OtherOps:
      return append_count(out, lr.cost.other_ops, exact, "");
    case ColumnId::Activations:
      return append_count(out, lr.cost.activations, exact, "");
    case ColumnId::Memory:
      return append_count(out, lr.cost.memory, exact, "B");
    case ColumnId::Size:
    case ColumnId::Kernel:
    case ColumnId::Stride:
    case ColumnId::Padding:
    case ColumnId::Dilation:
    case ColumnId::Jump:
    case ColumnId::Rf:
    case ColumnId::PaddingEff:
    case ColumnId::CenterOffset:
    case ColumnId::RfMin:
    case ColumnId::Erf50:
    case ColumnId::Erf95:
      return false;
  }
  return false;
}

// Appends the text of one axis of a per-axis column; false = no value.
bool append_axis_value(std::string& out, const Column& c, const LayerReport& lr, std::size_t a) {
  const auto window = [&](std::int64_t AxisWindow::*member) {
    return lr.window ? std::optional((*lr.window)[a].*member) : std::nullopt;
  };
  const auto erf = [&](const std::optional<PerAxis<Ratio>>& radii) {
    return radii ? std::optional((*radii)[a]) : std::nullopt;
  };
  switch (c.which) {
    case ColumnId::Size:
      return append_value(
          out, lr.output.has_positions() ? std::optional(lr.output.size[a]) : std::nullopt);
    case ColumnId::Kernel:
      return append_value(out, window(&AxisWindow::kernel));
    case ColumnId::Stride:
      return append_value(out, window(&AxisWindow::stride));
    case ColumnId::Padding:
      if (lr.window) {
        append_padding(out, (*lr.window)[a]);
      }
      return lr.window.has_value();
    case ColumnId::Dilation:
      return append_value(out, window(&AxisWindow::dilation));
    case ColumnId::Jump:
      return append_value(out, lr.rf[a].jump);
    case ColumnId::Rf:
      return append_value(out, lr.rf[a].rf);
    case ColumnId::PaddingEff:
      return append_value(out, lr.rf[a].padding_eff);
    case ColumnId::CenterOffset:
      return append_value(out, lr.rf[a].center_offset);
    case ColumnId::RfMin:
      return append_value(out, lr.rf[a].rf_min);
    case ColumnId::Erf50:
      return append_value(out, erf(lr.erf50));
    case ColumnId::Erf95:
      return append_value(out, erf(lr.erf95));
    case ColumnId::Index:
    case ColumnId::Name:
    case ColumnId::Type:
    case ColumnId::Inputs:
    case ColumnId::TensorShape:
    case ColumnId::Tokens:
    case ColumnId::RfKind:
    case ColumnId::Channels:
    case ColumnId::Params:
    case ColumnId::ParamsPercent:
    case ColumnId::Buffers:
    case ColumnId::Macs:
    case ColumnId::Flops:
    case ColumnId::OtherOps:
    case ColumnId::Activations:
    case ColumnId::Memory:
      return false;
  }
  return false;
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

std::string exact_cell(const Column& c, const Report& report, const LayerReport& lr) {
  std::string out;
  append_single(out, c, report, lr, true);
  return out;
}

std::string cell(const Column& c, const Report& report, const LayerReport& lr) {
  std::string out;
  append_cell(out, c, report, lr);
  return out;
}

void append_cell(std::string& out, const Column& c, const Report& report, const LayerReport& lr) {
  if (append_single(out, c, report, lr, false)) {
    return;
  }
  if (c.which == ColumnId::Size && lr.output.is_whole()) {
    out += format_shape(lr.output);
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
