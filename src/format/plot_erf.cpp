// `netlens plot NET --erf --layer L --unit i,j`: one unit's effective
// receptive field as a heat map over the input frame, to scale. Pixels are
// binned into at most kCells cells per axis (the SVG stays small at 224x224);
// a cell's opacity is its share of the paths over the fullest cell's. The
// theoretical region is outlined (dashed), the erf95 box dotted. In the
// drawing group one user unit is one input pixel, as in plot_region.cpp.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "format/format.h"
#include "format/svg.h"
#include "model/error.h"

namespace netlens {

namespace {

constexpr double kDrawSize = 520;  // the longer side of the drawing, in SVG px
constexpr double kLeft = 64;
constexpr double kTop = 96;
constexpr std::int64_t kCells = 64;
constexpr const char* kColour = "#b42318";

std::string radius_text(const PerAxis<Ratio>& r) {
  std::vector<std::string> parts;
  for (const Ratio& x : r) {
    parts.push_back(ratio_text(x));
  }
  return fmt::format("{}", fmt::join(parts, " x "));
}

// The map as cells of `bin` x `bin` pixels, aligned to its box's origin,
// shaded by their share of the fullest cell.
void draw_heat_map(svg::Doc& doc, const ErfMap& map) {
  if (map.values.empty()) {
    return;
  }
  const std::int64_t bin =
      std::max<std::int64_t>(1, (std::max(map.size[0], map.size[1]) + kCells - 1) / kCells);
  const std::int64_t rows = (map.size[0] + bin - 1) / bin;
  const std::int64_t cols = (map.size[1] + bin - 1) / bin;
  std::vector<double> cell(static_cast<std::size_t>(rows * cols), 0.0);
  for (std::int64_t i = 0; i < map.size[0]; ++i) {
    for (std::int64_t j = 0; j < map.size[1]; ++j) {
      cell[static_cast<std::size_t>(i / bin * cols + j / bin)] +=
          map.values[static_cast<std::size_t>(i * map.size[1] + j)];
    }
  }
  const double top = *std::max_element(cell.begin(), cell.end());
  doc.add(fmt::format("<g data-role=\"erf\" data-bin=\"{}\" fill=\"{}\">", bin, kColour));
  for (std::int64_t i = 0; i < rows; ++i) {
    for (std::int64_t j = 0; j < cols; ++j) {
      const double share = top > 0 ? cell[static_cast<std::size_t>(i * cols + j)] / top : 0;
      if (share < 0.005) {
        continue;  // invisible: leave it out
      }
      const auto y = static_cast<double>(map.origin[0] + i * bin);
      const auto x = static_cast<double>(map.origin[1] + j * bin);
      const double h = static_cast<double>(std::min(bin, map.size[0] - i * bin));
      const double w = static_cast<double>(std::min(bin, map.size[1] - j * bin));
      doc.add(
          fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" "
                      "fill-opacity=\"{:.2f}\"/>",
                      x, y, w, h, share));
    }
  }
  doc.add("</g>");
}

// The theoretical region (dashed) and erf95 (dotted): pixels c - r .. c + r
// on each axis, c the theoretical centre; `px` is one screen pixel.
void draw_outlines(svg::Doc& doc, const UnitLocation& loc, const UnitErf& erf, double px) {
  const Interval& th = loc.theoretical[0];
  const Interval& tw = loc.theoretical[1];
  doc.rect(static_cast<double>(tw.lo), static_cast<double>(th.lo), static_cast<double>(tw.size()),
           static_cast<double>(th.size()),
           fmt::format("data-role=\"theoretical\" fill=\"none\" stroke=\"#101828\" "
                       "stroke-width=\"{}\" stroke-dasharray=\"{} {}\"",
                       svg::num(2 * px), svg::num(7 * px), svg::num(4 * px)));
  const double ch = static_cast<double>(th.lo + th.hi) / 2;
  const double cw = static_cast<double>(tw.lo + tw.hi) / 2;
  const double rh = erf.erf95[0].to_double();
  const double rw = erf.erf95[1].to_double();
  doc.rect(cw - rw, ch - rh, 2 * rw + 1, 2 * rh + 1,
           fmt::format("data-role=\"erf95\" fill=\"none\" stroke=\"#101828\" stroke-width=\"{}\" "
                       "stroke-dasharray=\"{} {}\"",
                       svg::num(1.5 * px), svg::num(2 * px), svg::num(3 * px)));
}

}  // namespace

std::string render_plot_erf(const Report& r, const UnitLocation& loc, const UnitErf& erf) {
  const std::string size = format_size(r.input.size);
  if (r.input.size.size() != 2) {
    throw UsageError(
        fmt::format("--erf: cannot draw the map of a {}-D net (input {}); 'netlens locate --erf "
                    "--format json' gives it",
                    r.input.size.size(), size));
  }
  const ErfMap& map = erf.map;
  const Interval& th = loc.theoretical[0];
  const Interval& tw = loc.theoretical[1];
  // Extent in pixels: the frame and the theoretical region.
  const double x0 = std::min(0.0, static_cast<double>(tw.lo));
  const double y0 = std::min(0.0, static_cast<double>(th.lo));
  const double x1 = std::max(static_cast<double>(r.input.size[1]), static_cast<double>(tw.hi + 1));
  const double y1 = std::max(static_cast<double>(r.input.size[0]), static_cast<double>(th.hi + 1));
  const double scale = kDrawSize / std::max(x1 - x0, y1 - y0);
  const double ox = kLeft - x0 * scale;
  const double oy = kTop - y0 * scale;
  const double bottom = oy + y1 * scale;

  const std::string& name = r.layer(loc.layer).name;
  const std::string title = fmt::format("{}: effective receptive field of {} unit ({})", r.net.name,
                                        name, fmt::join(loc.unit, ", "));
  const std::string line1 = fmt::format(
      "10^{:.2f} paths when every weight is 1; erf50 {} px, erf95 {} px (radius per axis h x w)",
      map.paths_log10(), radius_text(erf.erf50), radius_text(erf.erf95));
  const std::string line2 =
      "Shade: share of the paths (darkest: the fullest cell). Dashed: the theoretical region; "
      "dotted: erf95.";
  const double width =
      std::max(kLeft + (x1 - x0) * scale,
               kLeft + std::max(svg::text_width(line1, 11), svg::text_width(line2, 11))) +
      32;
  const double height = bottom + 70;

  svg::Doc doc(width, height, title);
  doc.text(kLeft, 28, title, "font-size=\"17\" font-weight=\"bold\" fill=\"#101828\"");
  doc.text(kLeft, 48, fmt::format("over the {} input; rows go down, columns right; to scale", size),
           "font-size=\"12\" fill=\"#475467\"");
  const double px = 1 / scale;
  doc.add(fmt::format("<g transform=\"translate({} {}) scale({})\">", svg::num(ox), svg::num(oy),
                      fmt::format("{:.6f}", scale)));
  doc.rect(0, 0, static_cast<double>(r.input.size[1]), static_cast<double>(r.input.size[0]),
           fmt::format("data-role=\"input\" fill=\"#eef1f6\" stroke=\"#344054\" "
                       "stroke-width=\"{}\"",
                       svg::num(1.5 * px)));
  draw_heat_map(doc, map);
  draw_outlines(doc, loc, erf, px);
  doc.add("</g>");
  doc.text(kLeft, bottom + 16, fmt::format("input {}", size), "font-size=\"11\" fill=\"#344054\"");
  doc.text(kLeft, bottom + 38, line1, "font-size=\"11\" fill=\"#344054\"");
  doc.text(kLeft, bottom + 56, line2, "font-size=\"11\" fill=\"#667085\"");
  return doc.finish();
}

}  // namespace netlens
