// Shared body of the libFuzzer targets: any input either parses and renders
// in every format (and round-trips through the spec writer), or throws
// netlens::Error. Anything else (a crash, a sanitizer report, another
// exception, a round trip that changes the report) is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "engine/analyze.h"
#include "engine/regions.h"
#include "format/format.h"
#include "parse/spec_reader.h"
#include "parse/spec_writer.h"

namespace netlens::fuzz {

// convert's promise: the spec written from an analyzed net parses and
// analyzes to the same report. A break is a finding.
inline void check_round_trip(const Report& report) {
  try {
    Net written = parse_spec(write_spec(report.net), "fuzz.converted", report.net.name,
                             SpecFormat::Yaml, 100000);
    written.source = report.net.source;
    if (render_json(analyze(std::move(written))) != render_json(report)) {
      std::abort();
    }
  } catch (const Error&) {
    std::abort();
  }
}

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
    check_round_trip(report);
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
