// CSV (RFC 4180): one header row, one row per layer, per-axis columns split
// into one column per axis (out_h, out_w).
#include <fmt/format.h>
#include <fmt/ranges.h>

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
  const auto columns =
      select_columns(options.columns.empty() ? default_csv_columns() : options.columns);
  const std::size_t rank = report.input.size.size();
  std::string out;
  std::vector<std::string> fields;
  const auto end_row = [&] {
    out += fmt::format("{}\r\n", fmt::join(fields, ","));
    fields.clear();
  };
  for (const Column* c : columns) {
    for (std::size_t a = 0; a < (c->per_axis ? rank : 1); ++a) {
      fields.push_back(c->per_axis ? fmt::format("{}_{}", c->csv_name, axis_name(rank, a))
                                   : c->csv_name);
    }
  }
  end_row();
  for (const LayerReport& lr : report.layers) {
    for (const Column* c : columns) {
      for (std::size_t a = 0; a < rank && c->per_axis; ++a) {
        fields.push_back(quote(axis_cell(*c, lr, a)));
      }
      if (!c->per_axis) {
        fields.push_back(quote(exact_cell(*c, report, lr)));
      }
    }
    end_row();
  }
  return out;
}

}  // namespace netlens
