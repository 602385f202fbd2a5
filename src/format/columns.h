// The columns of the table, CSV and Markdown formats: one registry so the
// three agree and --columns means the same everywhere.
#pragma once

#include <string>
#include <vector>

#include "model/report.h"

namespace netlens {

enum class ColumnId : std::uint8_t {
#define NETLENS_COLUMN(which, ...) which,
#include "format/columns.def"
#undef NETLENS_COLUMN
};

struct Column {
  ColumnId which;
  const char* id;        // what --columns takes
  const char* header;    // table and Markdown header
  const char* csv_name;  // CSV header stem; per-axis columns get _h, _w, ...
  bool per_axis;
  bool numeric;  // right-aligned
};

const std::vector<Column>& all_columns();
const std::vector<std::string>& default_columns();
const std::vector<std::string>& default_csv_columns();

// Resolves ids (validated: an unknown id throws UsageError naming the valid ones).
std::vector<const Column*> select_columns(const std::vector<std::string>& ids);

// The cell of a column for a layer, for the table and Markdown: per-axis
// values shown once when equal on every axis ("224"), else "224x320".
std::string cell(const Column& column, const Report& report, const LayerReport& layer);
// cell(), appended to `out` (the table writes every cell into one buffer).
void append_cell(std::string& out, const Column& column, const Report& report,
                 const LayerReport& layer);
// One axis of a per-axis column, for CSV (empty when there is no value).
std::string axis_cell(const Column& column, const LayerReport& layer, std::size_t axis);
// A column with one value per layer, for CSV: counts in full (params_percent
// with two decimals), nothing for a whole tensor's channels.
std::string exact_cell(const Column& column, const Report& report, const LayerReport& layer);

// 1430000000 -> "1.43 G" + unit; 527800000, "B" -> "527.8 MB" (SI prefixes).
std::string human(std::int64_t value, const char* unit);

// 138357544 -> "138,357,544"
std::string with_separators(std::int64_t value);

}  // namespace netlens
