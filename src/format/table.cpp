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

void write_table(std::ostream& stream, const Report& report, const FormatOptions& options) {
  const auto columns = select_columns(options.columns);
  const std::size_t n = columns.size();
  const std::size_t rows = report.layers.size() + 1;  // the header's first
  // Every cell's text in one buffer, row by row, and where each ends (4 bytes
  // a cell): a million-layer net has ten million cells, and a std::string
  // each would cost 32 bytes and maybe a heap block.
  std::string texts;
  std::vector<std::uint32_t> ends;
  ends.reserve(rows * n);
  for (const Column* column : columns) {
    texts += column->header;
    ends.push_back(static_cast<std::uint32_t>(texts.size()));
  }
  for (const LayerReport& layer : report.layers) {
    for (const Column* column : columns) {
      append_cell(texts, *column, report, layer);
      ends.push_back(static_cast<std::uint32_t>(texts.size()));
    }
  }
  const auto cell_text = [&](std::size_t row, std::size_t i) {
    const std::size_t k = row * n + i;
    const std::size_t begin = k == 0 ? 0 : ends[k - 1];
    return std::string_view(texts).substr(begin, ends[k] - begin);
  };

  // A column is as wide as its widest cell, in terminal columns, not bytes.
  std::vector<std::size_t> width(n, 0);
  for (std::size_t row = 0; row < rows; ++row) {
    for (std::size_t i = 0; i < n; ++i) {
      width[i] = std::max(width[i], display_width(cell_text(row, i)));
    }
  }

  // Appends a row: cells two spaces apart, numbers right-aligned, text
  // left-aligned, the last column padded only when numeric, no trailing
  // spaces. Returns its width in terminal columns.
  const auto append_row = [&](std::string& out, std::size_t row) {
    const std::size_t start = out.size();
    std::size_t line_width = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::string_view text = cell_text(row, i);
      const std::size_t text_width = display_width(text);
      const bool numeric = columns[i]->numeric;
      const std::size_t pad = numeric || i + 1 < n ? width[i] - text_width : 0;
      if (i > 0) {
        out += "  ";
        line_width += 2;
      }
      if (numeric) {
        out.append(pad, ' ');
      }
      out += text;
      if (!numeric) {
        out.append(pad, ' ');
      }
      line_width += pad + text_width;
    }
    while (out.size() > start && out.back() == ' ') {
      out.pop_back();
      --line_width;
    }
    return line_width;
  };

  // Both rules are as wide as the widest line, so every row is laid out once
  // to measure it before the rule under the header is written.
  std::size_t rule_width = 0;
  std::string line;
  for (std::size_t row = 0; row < rows; ++row) {
    line.clear();
    rule_width = std::max(rule_width, append_row(line, row));
  }
  const std::string rule = std::string(rule_width, '-') + "\n";

  // Written out in pieces: the text of a million-layer table is never held whole.
  std::string out = title_line(report) + "\n\n";
  for (std::size_t row = 0; row < rows; ++row) {
    append_row(out, row);
    out += '\n';
    if (row == 0) {
      out += rule;
    }
    if (out.size() >= kFlushBytes) {
      stream.write(out.data(), static_cast<std::streamsize>(out.size()));
      out.clear();
    }
  }
  out += rule;
  out += totals_text(report);
  stream.write(out.data(), static_cast<std::streamsize>(out.size()));
}

std::string render_table(const Report& report, const FormatOptions& options) {
  std::ostringstream out;
  write_table(out, report, options);
  return std::move(out).str();
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
