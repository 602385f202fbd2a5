// The terminal table: a title line, aligned columns, a totals line.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <sstream>

#include "format/columns.h"
#include "format/format.h"
#include "format/text_width.h"

namespace netlens {

std::string title_line(const Report& report) {
  const Shape& input = report.input;
  std::string what;
  if (input.keeps_grid()) {  // (batch, samples): no channel axis
    what = fmt::format("{}, no channel axis", format_size(input.size));
  } else if (input.is_whole()) {  // an ONNX input that is a whole tensor
    what = format_shape(input);
  } else if (input.layout == Layout::Flat) {  // an ONNX input of [batch, features]
    what = fmt::format("{} feature{}", input.channels, input.channels == 1 ? "" : "s");
  } else {
    what =
        fmt::format("{}, {} channel{}{}", format_size(input.size), input.channels,
                    input.channels == 1 ? "" : "s", input.channels_last() ? " (last: NHWC)" : "");
  }
  const std::size_t n = report.depth ? report.blocked_layers : report.layers.size();
  const std::string blocks = report.depth
                                 ? fmt::format(" in {} block{} (depth {})", report.layers.size(),
                                               report.layers.size() == 1 ? "" : "s", report.depth)
                                 : "";
  return fmt::format("{} ({}): input {}, {} convention, {} layer{}{}", report.net.name,
                     report.net.source.empty() ? "spec" : report.net.source, what,
                     convention_name(report.net.convention), n, n == 1 ? "" : "s", blocks);
}

// "accepted by allow: 3 warnings (misaligned 2, unread-input 1)".
std::string accepted_text(const std::vector<Warning>& accepted) {
  std::array<std::size_t, kWarningKinds> count{};
  for (const Warning& w : accepted) {
    ++count[static_cast<std::size_t>(w.kind)];
  }
  std::vector<std::string> kinds;
  for (std::size_t k = 0; k < kWarningKinds; ++k) {
    if (count[k] != 0) {
      kinds.push_back(
          fmt::format("{} {}", warning_kind_name(static_cast<WarningKind>(k)), count[k]));
    }
  }
  return fmt::format("accepted by allow: {} warning{} ({})\n", accepted.size(),
                     accepted.size() == 1 ? "" : "s", fmt::join(kinds, ", "));
}

// The totals under a table: parameters, compute, memory.
std::string totals_text(const Report& report) {
  const CostTotals& t = report.totals;
  const char* dtype = dtype_name(report.cost_options.dtype);
  // param_memory = param_bytes + buffers x bytes did not overflow, so neither part does.
  const std::int64_t buffer_memory = t.buffers * dtype_bytes(report.cost_options.dtype);
  std::string out = fmt::format(
      "params: {} ({} {})", with_separators(t.params), human(t.param_bytes, "B"),
      t.params_as_stored ? std::string("as the file stores them") : fmt::format("at {}", dtype));
  if (t.buffers != 0) {
    // Apart: the batch norms' running statistics are no weights, and a memory
    // that included them would read as a wrong product of the count.
    out +=
        fmt::format(" + buffers: {} ({})", with_separators(t.buffers), human(buffer_memory, "B"));
  }
  if (report.net.shared_params != 0) {
    out += fmt::format("; {} of the params are weights several layers read (counted in each)",
                       with_separators(report.net.shared_params));
  }
  out += fmt::format("\ncompute: {} = {}, other ops: {}\n", human(t.macs, "MACs"),
                     human(t.flops, "FLOPs"), human(t.other_ops, ""));
  out += fmt::format("activations: {} in all, peak {} at once (input {}, batch {}, {})\n",
                     human(t.activation_memory, "B"), human(t.peak_memory, "B"),
                     human(t.input_memory, "B"), report.cost_options.batch, dtype);
  if (!report.accepted_warnings.empty()) {
    out += accepted_text(report.accepted_warnings);
  }
  if (std::any_of(report.layers.begin(), report.layers.end(),
                  [](const LayerReport& lr) { return lr.global_context; })) {
    out +=
        "rf*: also modulated by a global operation (a squeeze-and-excitation gate); rf, jump and "
        "padding_eff count the local paths\n";
  }
  if (std::any_of(report.layers.begin(), report.layers.end(),
                  [](const LayerReport& lr) { return lr.rf_unknown; })) {
    out +=
        "rf ?: which input positions these units read is unknown (docs/semantics.md, \"Whole "
        "tensors\")\n";
  }
  return out;
}

namespace {

// A table's cells, row by row (the header's first), in one buffer, with their
// widths in terminal columns (not bytes: a name may be 卷积1).
struct Cells {
  std::size_t columns = 0;
  std::string text;
  std::vector<std::uint32_t> end;  // where each cell's text ends
  std::vector<std::uint32_t> width;
  std::string_view at(std::size_t k) const {
    const std::size_t begin = k == 0 ? 0 : end[k - 1];
    return std::string_view(text).substr(begin, end[k] - begin);
  }
  void close_cell() {  // the text appended since the last cell is the next cell
    end.push_back(static_cast<std::uint32_t>(text.size()));
    width.push_back(static_cast<std::uint32_t>(display_width(at(end.size() - 1))));
  }
};

// Appends row `row`: cells two spaces apart, numbers right-aligned and text
// left-aligned to the column widths, the last column padded only when
// numeric, no trailing spaces. Returns the row's width in terminal columns.
std::size_t append_row(std::string& out, const Cells& cells, std::size_t row,
                       const std::vector<std::size_t>& width,
                       const std::vector<const Column*>& columns) {
  const std::size_t start = out.size();
  std::size_t line_width = 0;
  for (std::size_t i = 0; i < cells.columns; ++i) {
    const std::size_t k = row * cells.columns + i;
    const bool numeric = columns[i]->numeric;
    const std::size_t pad = numeric || i + 1 < cells.columns ? width[i] - cells.width[k] : 0;
    const std::string_view text = cells.at(k);
    const std::size_t at = out.size() + (i > 0 ? 2 : 0) + (numeric ? pad : 0);
    out.resize(at + text.size() + (numeric ? 0 : pad), ' ');  // the gaps, then the text in place
    text.copy(out.data() + at, text.size());
    line_width += (i > 0 ? 2 : 0) + pad + cells.width[k];
  }
  while (out.size() > start && out.back() == ' ') {
    out.pop_back();
    --line_width;
  }
  return line_width;
}

}  // namespace

std::string render_table(const Report& report, const FormatOptions& options) {
  const auto columns = select_columns(options.columns);
  Cells cells;
  cells.columns = columns.size();
  cells.end.reserve((report.layers.size() + 1) * cells.columns);
  cells.width.reserve(cells.end.capacity());
  for (const Column* column : columns) {
    cells.text += column->header;
    cells.close_cell();
  }
  for (const LayerReport& layer : report.layers) {
    for (const Column* column : columns) {
      append_cell(cells.text, *column, report, layer);
      cells.close_cell();
    }
  }
  std::vector<std::size_t> width(columns.size(), 0);
  for (std::size_t k = 0; k < cells.end.size(); ++k) {
    width[k % cells.columns] = std::max<std::size_t>(width[k % cells.columns], cells.width[k]);
  }
  // Both rules are as wide as the widest line: the one under the header goes
  // in once every row is laid out.
  std::string out = title_line(report) + "\n\n";
  out.reserve(out.size() + 2 * cells.text.size());  // the cells and their padding
  std::size_t rule_width = 0;
  std::size_t header_end = 0;
  for (std::size_t row = 0; row <= report.layers.size(); ++row) {
    rule_width = std::max(rule_width, append_row(out, cells, row, width, columns));
    out += '\n';
    header_end = row == 0 ? out.size() : header_end;
  }
  const std::string rule = std::string(rule_width, '-') + "\n";
  out.insert(header_end, rule);
  return out + rule + totals_text(report);
}

std::string render_markdown(const Report& report, const FormatOptions& options) {
  const auto columns = select_columns(options.columns);
  auto escape = [](std::string s) {
    std::string out;
    for (char c : s) {
      if (c == '|') {
        out += "\\|";
      } else {
        out.push_back(c);
      }
    }
    return out;
  };
  std::string out = fmt::format("**{}**\n\n", escape(title_line(report)));
  std::string head = "|";
  std::string rule = "|";
  for (const Column* c : columns) {
    head += fmt::format(" {} |", c->header);
    rule += c->numeric ? "---:|" : "---|";
  }
  out += head + "\n" + rule + "\n";
  for (const LayerReport& lr : report.layers) {
    std::string line = "|";
    for (const Column* c : columns) {
      line += fmt::format(" {} |", escape(cell(*c, report, lr)));
    }
    out += line + "\n";
  }
  out += "\n";
  std::istringstream lines(totals_text(report));
  std::string line;
  while (std::getline(lines, line)) {
    out += escape(line) + "  \n";
  }
  return out;
}

}  // namespace netlens
