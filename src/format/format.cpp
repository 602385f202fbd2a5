#include "format/format.h"

#include <array>
#include <utility>

namespace netlens {

std::optional<OutputFormat> output_format_from_name(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, OutputFormat>, 6> kNames{
      {{"table", OutputFormat::Table},
       {"json", OutputFormat::Json},
       {"csv", OutputFormat::Csv},
       {"md", OutputFormat::Markdown},
       {"markdown", OutputFormat::Markdown},
       {"dot", OutputFormat::Dot}}};
  for (const auto& [n, format] : kNames) {
    if (name == n) {
      return format;
    }
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
