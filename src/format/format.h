// Report -> text, one renderer per output format. Renderers only read the
// Report; the columns they show come from columns.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/report.h"

namespace netlens {

enum class OutputFormat { Table, Json, Csv, Markdown };

std::optional<OutputFormat> output_format_from_name(std::string_view name);

struct FormatOptions {
  std::vector<std::string> columns;  // column ids; empty: the default set
};

std::string render(const Report& report, OutputFormat format, const FormatOptions& options);

std::string render_table(const Report& report, const FormatOptions& options);
std::string render_json(const Report& report);
std::string render_csv(const Report& report, const FormatOptions& options);
std::string render_markdown(const Report& report, const FormatOptions& options);

}  // namespace netlens
