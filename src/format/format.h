// Report -> text, one renderer per output format. Renderers only read the
// Report; the columns they show come from columns.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/erf_map.h"
#include "model/regions.h"
#include "model/report.h"
#include "model/sizes.h"

namespace netlens {

enum class OutputFormat { Table, Json, Csv, Markdown, Dot };

std::optional<OutputFormat> output_format_from_name(std::string_view name);

struct FormatOptions {
  std::vector<std::string> columns;  // column ids; empty: the default set
};

std::string render(const Report& report, OutputFormat format, const FormatOptions& options);

// The depth view: one row per block of layers whose names share their first
// `depth` parts (split at '.' or '/'), with the block's summed costs and its
// last layer's output and receptive field (blocks.cpp).
Report block_report(const Report& report, std::size_t depth);
struct Block {
  std::string name;
  std::size_t first = 0, last = 0;  // its layers, 0-based, inclusive
};
std::vector<Block> blocks_of(const Report& report, std::size_t depth);

std::string render_table(const Report& report, const FormatOptions& options);
// "[3, 9]", or an arc's runs "[0, 2] ∪ [6, 7]" (model/regions.h).
std::string region_text(const Interval& r, std::int64_t ring);
// With `regions`, each layer also gets the actual and theoretical [lo, hi] of
// every unit along each axis.
// With `depth`, also the blocks of --depth N, each with its layers' summed costs.
std::string render_json(const Report& report, const NetRegions* regions = nullptr,
                        std::size_t depth = 0);

// `netlens locate`: one unit's theoretical and actual regions; with `erf`
// (`--erf`) its effective receptive field too: the whole map in JSON, a
// summary in the text.
std::string render_location_text(const Report& report, const UnitLocation& location,
                                 const UnitErf* erf = nullptr);
std::string render_location_json(const Report& report, const UnitLocation& location,
                                 const UnitErf* erf = nullptr);
std::string render_csv(const Report& report, const FormatOptions& options);
std::string render_markdown(const Report& report, const FormatOptions& options);
std::string render_dot(const Report& report);

// `netlens plot`: self-contained SVG figures (docs/plots.md). The rf and
// jump of every layer against depth:
std::string render_plot_rf(const Report& report);
// The input frame and, per location, the unit's theoretical and actual
// regions (2-D and 1-D nets; throws UsageError for 3-D).
std::string render_plot_regions(const Report& report, const std::vector<UnitLocation>& locations);
// The effective receptive field of one unit, its theoretical region and
// erf95 outlined: a 1-D net's map as a curve over the signal, a 2-D net's as
// a heat map over the input, a 3-D net's as the heat map of frame `frame`
// (a position of axis d; default: the paths' centre's).
std::string render_plot_erf(const Report& report, const UnitLocation& location, const UnitErf& erf,
                            std::optional<std::int64_t> frame = std::nullopt);

// `netlens sizes`: per axis, the sizes at which the net runs and is exact.
std::string render_sizes_text(const SizesReport& report);
std::string render_sizes_json(const SizesReport& report);

}  // namespace netlens
