// `netlens plot NET --layer L --unit i,j`: the input as a frame, to scale, and
// for each location the unit's theoretical region (dashed outline; it may
// reach past the frame, so the drawing grows to hold it) and actual region
// (filled). In the drawing group one user unit is one input pixel and pixel p
// covers [p, p + 1): region [lo, hi] is x = lo, width = hi - lo + 1.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <vector>

#include "format/format.h"
#include "format/svg.h"
#include "model/error.h"

namespace netlens {

namespace {

constexpr double kDrawSize = 520;  // the longer side of the drawing, in SVG px
constexpr double kLeft = 64;
constexpr double kTop = 96;
constexpr double kLegendFont = 12;
constexpr const char* kKey[] = {
    "Dashed: the theoretical region (as if the input went on forever, padding counted as pixels).",
    "Filled: the actual region (the pixels that reach the unit). Ticks mark pixel edges, from 0."};

struct Rect {
  double x = 0;
  double y = 0;
  double w = 0;
  double h = 0;
};

// Rows are axis h (down), columns axis w (right). A 1-D net is a strip: each
// location gets its own lane of the strip, `lane` input pixels high.
struct PlotLayout {
  std::size_t rank;
  double lane;
  Rect frame;
  Rect rect_of(std::size_t k, const PerAxis<Interval>& r) const {
    const Interval& x = r[rank - 1];
    if (rank == 1) {
      return {static_cast<double>(x.lo), lane * (static_cast<double>(k) + 0.15),
              static_cast<double>(x.size()), lane * 0.7};
    }
    return {static_cast<double>(x.lo), static_cast<double>(r[0].lo), static_cast<double>(x.size()),
            static_cast<double>(r[0].size())};
  }
};

// Per axis "[lo,hi]", an arc's runs joined by "+" (`ring`: 0 on an axis of intervals).
std::string intervals(const PerAxis<Interval>& r, const PerAxis<std::int64_t>& ring) {
  std::vector<std::string> parts;
  for (std::size_t a = 0; a < r.size(); ++a) {
    std::vector<std::string> runs;
    for (const Interval& run : ring[a] == 0 ? std::vector{r[a]} : runs_of(r[a], ring[a])) {
      runs.push_back(fmt::format("[{},{}]", run.lo, run.hi));
    }
    parts.push_back(r[a].empty() ? "none" : fmt::format("{}", fmt::join(runs, "+")));
  }
  return fmt::format("{}", fmt::join(parts, " "));
}

std::string describe(const char* what, const PerAxis<Interval>& r,
                     const PerAxis<std::int64_t>& ring) {
  if (r[0].empty()) {
    return fmt::format("{}: none (only padding)", what);
  }
  if (r.size() == 1) {
    return fmt::format("{} {} ({} px)", what, region_text(r[0], ring[0]), r[0].size());
  }
  return fmt::format("{} rows {} cols {} ({}x{} px)", what, region_text(r[0], ring[0]),
                     region_text(r[1], ring[1]), r[0].size(), r[1].size());
}

// The rectangles an actual region covers: one, or one per pair of runs where it wraps.
std::vector<PerAxis<Interval>> actual_boxes(const UnitLocation& loc) {
  std::vector<PerAxis<Interval>> boxes{PerAxis<Interval>{}};
  for (std::size_t a = 0; a < loc.actual.size(); ++a) {
    std::vector<PerAxis<Interval>> next;
    for (const PerAxis<Interval>& box : boxes) {
      for (const Interval& run :
           loc.ring[a] == 0 ? std::vector{loc.actual[a]} : runs_of(loc.actual[a], loc.ring[a])) {
        next.push_back(box);
        next.back().push_back(run);
      }
    }
    boxes = std::move(next);
  }
  return boxes;
}

void ticks(svg::Doc& doc, double lo, double hi, double origin, double scale, bool along_x,
           double edge) {
  const std::int64_t step = svg::tick_step(hi - lo, 8);
  for (std::int64_t v = (static_cast<std::int64_t>(lo) / step) * step; static_cast<double>(v) <= hi;
       v += step) {
    if (static_cast<double>(v) < lo) {
      continue;
    }
    const double p = origin + static_cast<double>(v) * scale;
    const std::string label = std::to_string(v);
    if (along_x) {
      doc.line(p, edge - 4, p, edge, "stroke=\"#344054\"");
      doc.text(p, edge - 7, label, "font-size=\"11\" text-anchor=\"middle\" fill=\"#344054\"");
    } else {
      doc.line(edge - 4, p, edge, p, "stroke=\"#344054\"");
      doc.text(edge - 7, p + 4, label, "font-size=\"11\" text-anchor=\"end\" fill=\"#344054\"");
    }
  }
}

// The drawing's extent in input pixels, every region included: x, y the
// low corner, w, h the high one.
Rect extent(const PlotLayout& layout, const std::vector<UnitLocation>& locations) {
  Rect ext = layout.frame;
  ext.w += ext.x;
  ext.h += ext.y;
  for (std::size_t k = 0; k < locations.size(); ++k) {
    const Rect t = layout.rect_of(k, locations[k].theoretical);
    ext = {std::min(ext.x, t.x), std::min(ext.y, t.y), std::max(ext.w, t.x + t.w),
           std::max(ext.h, t.y + t.h)};
  }
  return ext;
}

// The input frame and each unit's regions, in input pixels: strokes are
// divided by the scale (`px` is one screen pixel) to stay thin.
void draw_regions(svg::Doc& doc, const Report& r, const std::vector<UnitLocation>& locations,
                  const PlotLayout& layout, const std::vector<std::string>& lines, double px) {
  const Rect& f = layout.frame;
  doc.rect(f.x, f.y, f.w, f.h,
           fmt::format("data-role=\"input\" fill=\"#eef1f6\" stroke=\"#344054\" "
                       "stroke-width=\"{}\"",
                       svg::num(1.5 * px)));
  for (std::size_t k = 0; k < locations.size(); ++k) {
    const UnitLocation& loc = locations[k];
    const std::string& name = r.layer(loc.layer).name;
    const std::string unit = fmt::format("{}", fmt::join(loc.unit, ","));
    doc.add(fmt::format(
        "<g data-layer=\"{}\" data-unit=\"{}\" data-theoretical=\"{}\" "
        "data-actual=\"{}\"><title>{} unit ({}): {}</title>",
        svg::escape(name), unit,
        intervals(loc.theoretical, PerAxis<std::int64_t>(loc.ring.size(), 0)),
        intervals(loc.actual, loc.ring), svg::escape(name), unit, svg::escape(lines[k])));
    const char* colour = svg::palette(k);
    if (!loc.actual[0].empty() && (layout.rank == 1 || !loc.actual[1].empty())) {
      for (const PerAxis<Interval>& box : actual_boxes(loc)) {
        const Rect a = layout.rect_of(k, box);
        doc.rect(a.x, a.y, a.w, a.h,
                 fmt::format("data-role=\"actual\" fill=\"{}\" fill-opacity=\"0.28\"", colour));
      }
    }
    const Rect t = layout.rect_of(k, loc.theoretical);
    doc.rect(t.x, t.y, t.w, t.h,
             fmt::format("data-role=\"theoretical\" fill=\"none\" stroke=\"{}\" "
                         "stroke-width=\"{}\" stroke-dasharray=\"{} {}\"",
                         colour, svg::num(2 * px), svg::num(7 * px), svg::num(4 * px)));
    doc.add("</g>");
  }
}

// One entry per unit below the drawing, from `top`: its colour, layer and
// unit, and its regions in words.
void draw_legend(svg::Doc& doc, const Report& r, const std::vector<UnitLocation>& locations,
                 const std::vector<std::string>& lines, double top) {
  for (std::size_t k = 0; k < locations.size(); ++k) {
    const UnitLocation& loc = locations[k];
    const double y = top + 38 * static_cast<double>(k);
    const char* colour = svg::palette(k);
    doc.rect(kLeft, y - 11, 14, 14,
             fmt::format("fill=\"{0}\" fill-opacity=\"0.28\" stroke=\"{0}\" stroke-width=\"1.5\" "
                         "stroke-dasharray=\"3 2\"",
                         colour));
    doc.text(kLeft + 22, y,
             fmt::format("{} ({}), unit ({})", r.layer(loc.layer).name, r.layer(loc.layer).type,
                         fmt::join(loc.unit, ", ")),
             fmt::format("font-size=\"{}\" font-weight=\"bold\" fill=\"#101828\"", kLegendFont));
    doc.text(kLeft + 22, y + 16, lines[k], "font-size=\"11\" fill=\"#344054\"");
  }
}

}  // namespace

std::string render_plot_regions(const Report& r, const std::vector<UnitLocation>& locations) {
  const std::size_t rank = r.input.size.size();
  const std::string size = format_size(r.input.size);
  if (rank > 2) {
    throw UsageError(
        fmt::format("--layer: cannot draw the regions of a {}-D net (input {}); "
                    "'netlens locate' prints them",
                    rank, size));
  }
  const auto width_px = static_cast<double>(r.input.size[rank - 1]);
  PlotLayout layout{rank, std::max(width_px / 12, 1.0), {}};
  layout.frame = {0, 0, width_px,
                  rank == 1 ? layout.lane * static_cast<double>(locations.size())
                            : static_cast<double>(r.input.size[0])};
  const Rect ext = extent(layout, locations);
  const double scale = kDrawSize / std::max(ext.w - ext.x, ext.h - ext.y);
  const double ox = kLeft - ext.x * scale;
  const double oy = kTop - ext.y * scale;
  const double bottom = oy + ext.h * scale;

  std::vector<std::string> lines;  // the legend's second lines
  double text_width = svg::text_width(kKey[0], 11);
  for (const UnitLocation& loc : locations) {
    lines.push_back(
        describe("theoretical", loc.theoretical, PerAxis<std::int64_t>(loc.ring.size(), 0)) + "; " +
        (loc.actual == loc.theoretical ? std::string("actual: the same")
                                       : describe("actual", loc.actual, loc.ring)) +
        (r.layers[loc.layer].global_context ? "; also modulated by a global operation (local paths)"
                                            : ""));
    text_width = std::max(text_width, svg::text_width(lines.back(), 11) + 24);
  }
  const double width = std::max(kLeft + (ext.w - ext.x) * scale, kLeft + text_width) + 32;
  const double legend_top = bottom + 34;
  const double height = legend_top + 38 * static_cast<double>(locations.size()) + 46;

  svg::Doc doc(width, height,
               fmt::format("{}: where units look in the {} input", r.net.name, size));
  doc.text(kLeft, 28, fmt::format("{}: where units look in the {} input", r.net.name, size),
           "font-size=\"17\" font-weight=\"bold\" fill=\"#101828\"");
  doc.text(kLeft, 48,
           rank == 1 ? "one lane per layer; to scale" : "rows go down, columns right; to scale",
           "font-size=\"12\" fill=\"#475467\"");
  ticks(doc, ext.x, ext.w, ox, scale, true, kTop - 6);
  if (rank == 2) {
    ticks(doc, ext.y, ext.h, oy, scale, false, kLeft - 6);
  }
  doc.text(kLeft + (ext.w - ext.x) * scale / 2, kTop - 26, rank == 1 ? "position" : "cols (w)",
           "font-size=\"12\" text-anchor=\"middle\" fill=\"#344054\"");
  if (rank == 2) {
    const double mid = kTop + (ext.h - ext.y) * scale / 2;
    doc.text(18, mid, "rows (h)", "font-size=\"12\" text-anchor=\"middle\" fill=\"#344054\"", -90);
  }
  doc.add(fmt::format("<g transform=\"translate({} {}) scale({})\">", svg::num(ox), svg::num(oy),
                      fmt::format("{:.6f}", scale)));
  draw_regions(doc, r, locations, layout, lines, 1 / scale);
  doc.add("</g>");
  doc.text(kLeft, bottom + 16, fmt::format("input {}", size), "font-size=\"11\" fill=\"#344054\"");
  draw_legend(doc, r, locations, lines, legend_top);
  doc.text(kLeft, height - 30, kKey[0], "font-size=\"11\" fill=\"#667085\"");
  doc.text(kLeft, height - 14, kKey[1], "font-size=\"11\" fill=\"#667085\"");
  return doc.finish();
}

}  // namespace netlens
