// CSV (RFC 4180): one header row, one row per layer, per-axis columns split
// into one column per axis (out_h, out_w).
#include <fmt/format.h>

#include "format/columns.h"
#include "format/format.h"

namespace netlens {

namespace {

std::string quote(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) {
    return field;
  }
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') {
      out += "\"\"";
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

}  // namespace

std::string render_csv(const Report& report, const FormatOptions& options) {
  const auto columns = select_columns(options.columns);
  const std::size_t rank = report.input.size.size();
  std::string out;
  bool first = true;
  for (const Column* c : columns) {
    if (c->per_axis) {
      for (std::size_t a = 0; a < rank; ++a) {
        out += fmt::format("{}{}_{}", first ? "" : ",", c->csv_name, axis_name(rank, a));
        first = false;
      }
    } else {
      out += fmt::format("{}{}", first ? "" : ",", c->csv_name);
      first = false;
    }
  }
  out += "\r\n";
  for (const LayerReport& lr : report.layers) {
    first = true;
    for (const Column* c : columns) {
      if (c->per_axis) {
        for (std::size_t a = 0; a < rank; ++a) {
          out += first ? "" : ",";
          out += quote(axis_cell(*c, lr, a));
          first = false;
        }
      } else {
        const auto count = count_value(*c, lr);
        const std::string value =
            count ? exact_count(*c, *count, report.totals.params) : cell(*c, report, lr);
        out += first ? "" : ",";
        out += quote(value);
        first = false;
      }
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace netlens
