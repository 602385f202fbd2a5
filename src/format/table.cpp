// The terminal table: a title line, aligned columns, a totals line.
#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "format/columns.h"
#include "format/format.h"
#include "format/text_width.h"

namespace netlens {

std::string title_line(const Report& report) {
  return fmt::format("{} ({}): input {}, {} channel{}, {} convention, {} layer{}", report.net.name,
                     report.net.source.empty() ? "spec" : report.net.source,
                     format_size(report.input.size), report.input.channels,
                     report.input.channels == 1 ? "" : "s", convention_name(report.net.convention),
                     report.layers.size(), report.layers.size() == 1 ? "" : "s");
}

// The totals under a table: parameters, compute, memory.
std::string totals_text(const Report& report) {
  const CostTotals& t = report.totals;
  const char* dtype = dtype_name(report.cost_options.dtype);
  std::string out = fmt::format("params: {} ({} at {})", with_separators(t.params),
                                human(t.param_memory, "B"), dtype);
  if (t.buffers != 0) {
    out += fmt::format(", buffers: {}", with_separators(t.buffers));
  }
  out += fmt::format("\ncompute: {} = {}, other ops: {}\n", human(t.macs, "MACs"),
                     human(t.flops, "FLOPs"), human(t.other_ops, ""));
  out += fmt::format("activations: {} in all, peak {} at once (input {}, batch {}, {})\n",
                     human(t.activation_memory, "B"), human(t.peak_memory, "B"),
                     human(t.input_memory, "B"), report.cost_options.batch, dtype);
  return out;
}

namespace {

// A row's cells two spaces apart, numbers right-aligned and text left-aligned
// to the column widths (in terminal columns, not bytes), the last column
// padded only when numeric, no trailing spaces.
std::string table_row(const std::vector<std::string>& cells, const std::vector<std::size_t>& width,
                      const std::vector<const Column*>& columns) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const bool numeric = columns[i]->numeric;
    const std::size_t pad =
        numeric || i + 1 < cells.size() ? width[i] - display_width(cells[i]) : 0;
    out += i > 0 ? "  " : "";
    out += numeric ? std::string(pad, ' ') + cells[i] : cells[i] + std::string(pad, ' ');
  }
  while (!out.empty() && out.back() == ' ') {
    out.pop_back();
  }
  return out;
}

}  // namespace

std::string render_table(const Report& report, const FormatOptions& options) {
  const auto columns = select_columns(options.columns);
  std::vector<std::vector<std::string>> rows(1);  // the header's first
  for (const Column* column : columns) {
    rows[0].emplace_back(column->header);
  }
  for (const LayerReport& layer : report.layers) {
    rows.emplace_back();
    for (const Column* column : columns) {
      rows.back().push_back(cell(*column, report, layer));
    }
  }
  std::vector<std::size_t> width(columns.size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      width[i] = std::max(width[i], display_width(row[i]));
    }
  }
  std::vector<std::string> lines;
  std::size_t rule_width = 0;  // both rules: as wide as the widest line
  for (const auto& row : rows) {
    lines.push_back(table_row(row, width, columns));
    rule_width = std::max(rule_width, display_width(lines.back()));
  }
  const std::string rule = std::string(rule_width, '-') + "\n";
  std::string out = title_line(report) + "\n\n" + lines[0] + "\n" + rule;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    out += lines[i] + "\n";
  }
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
