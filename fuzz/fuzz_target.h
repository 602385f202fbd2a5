// Shared body of the libFuzzer targets: any input either parses and renders
// in every format, or throws netlens::Error. Anything else (a crash, a
// sanitizer report, another exception) is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/analyze.h"
#include "engine/regions.h"
#include "format/format.h"
#include "parse/spec_reader.h"

namespace netlens::fuzz {

inline void run_one(const std::uint8_t* data, std::size_t size, SpecFormat format,
                    bool analyze_too) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    Net net = parse_spec(text, "fuzz", "fuzz", format, 1000);
    if (!analyze_too) {
      return;
    }
    // Keep every per-axis size small so a fuzzed spec cannot ask for huge work.
    if (net.input_size.empty()) {
      net.input_size = {16, 16};
    }
    for (std::int64_t& n : net.input_size) {
      n = n % 97 + 1;
    }
    Report report = analyze(std::move(net));
    const NetRegions regions = compute_regions(report, true);
    for (OutputFormat f : {OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv,
                           OutputFormat::Markdown, OutputFormat::Dot}) {
      (void)render(report, f, FormatOptions{});
    }
    (void)render_json(report, &regions);
    (void)render_plot_rf(report);
  } catch (const Error&) {
    // A clean, reported error: what bad input should get.
  }
}

}  // namespace netlens::fuzz
