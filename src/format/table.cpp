// The terminal table: a title line, aligned columns, a totals line.
#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "format/columns.h"
#include "format/format.h"

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

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char ch) { return static_cast<unsigned char>(ch) < 0x80; });
}

// Pads `text` to `width` columns. Widths are measured in bytes; in a column
// with non-ASCII text fmt pads by display columns, as it always did here.
void append_padded(std::string& out, std::string_view text, std::size_t width, bool right,
                   bool ascii) {
  if (!ascii) {
    out += right ? fmt::format("{:>{}}", text, width) : fmt::format("{:<{}}", text, width);
    return;
  }
  const std::size_t pad = width > text.size() ? width - text.size() : 0;
  if (right) {
    out.append(pad, ' ');
  }
  out += text;
  if (!right) {
    out.append(pad, ' ');
  }
}

}  // namespace

void write_table(std::ostream& stream, const Report& report, const FormatOptions& options) {
  const auto columns = select_columns(options.columns);
  const std::size_t n = columns.size();
  // Every cell's text in one buffer, the header's first, and where each ends:
  // a few bytes a cell instead of a std::string (32 bytes and maybe a block).
  std::string texts;
  std::vector<std::uint32_t> ends;
  ends.reserve((report.layers.size() + 1) * n);
  // The first rows tell how long a row's text is; then the buffer is sized
  // once, at twice that (later rows' names and numbers are longer; pages
  // never written cost nothing): growing a 50 MB string copies it.
  constexpr std::size_t kSampleRows = 1024;
  texts.reserve((std::min(report.layers.size(), kSampleRows) + 1) * n * 8);
  std::vector<std::size_t> width(n, 0);
  std::vector<char> ascii(n, 1);
  // The text appended to `texts` since `begin` is the next cell, of `column`.
  const auto end_cell = [&](std::size_t begin, std::size_t column) {
    const std::string_view text = std::string_view(texts).substr(begin);
    ends.push_back(static_cast<std::uint32_t>(texts.size()));
    width[column] = std::max(width[column], text.size());
    ascii[column] = ascii[column] && is_ascii(text);
  };
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t begin = texts.size();
    texts += columns[i]->header;
    end_cell(begin, i);
  }
  for (std::size_t r = 0; r < report.layers.size(); ++r) {
    if (r == kSampleRows) {
      const std::size_t estimate = texts.size() / (r + 1) * (report.layers.size() + 1);
      texts.reserve(2 * estimate);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t begin = texts.size();
      append_cell(texts, *columns[i], report, report.layers[r]);
      end_cell(begin, i);
    }
  }
  std::size_t row_width = 2 * (n - 1) + 1;
  for (std::size_t w : width) {
    row_width += w;
  }
  const bool all_ascii = std::all_of(ascii.begin(), ascii.end(), [](char a) { return a != 0; });
  std::string out = title_line(report) + "\n\n";
  out.reserve(kFlushBytes + row_width + 512);
  std::size_t line_width = 0;
  for (std::size_t r = 0; r * n < ends.size(); ++r) {
    if (out.size() >= kFlushBytes) {
      stream.write(out.data(), static_cast<std::streamsize>(out.size()));
      out.clear();
    }
    const std::size_t line_start = out.size();
    const auto cell_text = [&](std::size_t i) {
      const std::size_t k = r * n + i;
      const std::size_t begin = k == 0 ? 0 : ends[k - 1];
      return std::string_view(texts.data() + begin, ends[k] - begin);
    };
    if (all_ascii) {
      // Widths are byte counts here, so a row fits in row_width: fill it in
      // place: 280 fewer instructions a row than appending (callgrind, 5% of
      // the table), on the path every bundled and generated net takes.
      out.resize(line_start + row_width);
      char* const start = out.data() + line_start;
      char* p = start;
      for (std::size_t i = 0; i < n; ++i) {
        const std::string_view text = cell_text(i);
        const std::size_t pad = i + 1 < n || columns[i]->numeric ? width[i] - text.size() : 0;
        if (i > 0) {
          p = std::fill_n(p, 2, ' ');
        }
        if (columns[i]->numeric) {
          p = std::fill_n(p, pad, ' ');
        }
        p = std::copy(text.begin(), text.end(), p);
        if (!columns[i]->numeric) {
          p = std::fill_n(p, pad, ' ');
        }
      }
      while (p > start && p[-1] == ' ') {
        --p;
      }
      out.resize(line_start + static_cast<std::size_t>(p - start));
    } else {
      for (std::size_t i = 0; i < n; ++i) {
        if (i > 0) {
          out += "  ";
        }
        if (columns[i]->numeric || i + 1 < n) {
          append_padded(out, cell_text(i), width[i], columns[i]->numeric, ascii[i] != 0);
        } else {
          out += cell_text(i);
        }
      }
      while (out.size() > line_start && out.back() == ' ') {
        out.pop_back();
      }
    }
    line_width = std::max(line_width, out.size() - line_start);
    out += '\n';
    if (r == 0) {
      out += std::string(line_width, '-') + "\n";
    }
  }
  out += std::string(line_width, '-') + "\n";
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
