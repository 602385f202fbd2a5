#include "format/format.h"

namespace netlens {

std::optional<OutputFormat> output_format_from_name(std::string_view name) {
  if (name == "table") {
    return OutputFormat::Table;
  }
  if (name == "json") {
    return OutputFormat::Json;
  }
  if (name == "csv") {
    return OutputFormat::Csv;
  }
  if (name == "md" || name == "markdown") {
    return OutputFormat::Markdown;
  }
  if (name == "dot") {
    return OutputFormat::Dot;
  }
  return std::nullopt;
}

std::string render(const Report& report, OutputFormat format, const FormatOptions& options) {
  switch (format) {
    case OutputFormat::Table:
      return render_table(report, options);
    case OutputFormat::Json:
      return render_json(report, nullptr);
    case OutputFormat::Csv:
      return render_csv(report, options);
    case OutputFormat::Markdown:
      return render_markdown(report, options);
    case OutputFormat::Dot:
      return render_dot(report);
  }
  return {};
}

}  // namespace netlens
