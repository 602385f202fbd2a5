// The terminal table: a title line, aligned columns, a totals line.
#include <algorithm>
#include <sstream>

#include <fmt/format.h>

#include "engine/shape_rules.h"
#include "format/columns.h"
#include "format/format.h"

namespace netlens {

std::string title_line(const Report& report) {
  return fmt::format("{} ({}): input {}, {} channel{}, {} convention, {} layer{}",
                     report.net.name, report.net.source.empty() ? "spec" : report.net.source,
                     format_size(report.input.size), report.input.channels,
                     report.input.channels == 1 ? "" : "s",
                     convention_name(report.net.convention), report.layers.size(),
                     report.layers.size() == 1 ? "" : "s");
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

std::string render_table(const Report& report, const FormatOptions& options) {
  const auto columns = select_columns(options.columns);
  std::vector<std::vector<std::string>> rows;
  rows.reserve(report.layers.size() + 1);
  std::vector<std::string> header;
  for (const Column* c : columns) {
    header.emplace_back(c->header);
  }
  rows.push_back(std::move(header));
  for (const LayerReport& lr : report.layers) {
    std::vector<std::string> row;
    for (const Column* c : columns) {
      row.push_back(cell(*c, report, lr));
    }
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> width(columns.size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      width[i] = std::max(width[i], row[i].size());
    }
  }
  std::string out = title_line(report) + "\n\n";
  std::size_t line_width = 0;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::string line;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const std::string& text = rows[r][i];
      if (i > 0) {
        line += "  ";
      }
      if (columns[i]->numeric) {
        line += fmt::format("{:>{}}", text, width[i]);
      } else if (i + 1 < columns.size()) {
        line += fmt::format("{:<{}}", text, width[i]);
      } else {
        line += text;
      }
    }
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    line_width = std::max(line_width, line.size());
    out += line + "\n";
    if (r == 0) {
      out += std::string(line_width, '-') + "\n";
    }
  }
  out += std::string(line_width, '-') + "\n";
  out += totals_text(report);
  return out;
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
