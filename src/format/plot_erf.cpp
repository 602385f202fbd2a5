// `netlens plot NET --erf --layer L --unit i,j`: one unit's effective
// receptive field as a heat map over the input frame, to scale. Pixels are
// binned into at most kCells cells per axis (the SVG stays small at 224x224);
// a cell's opacity is its share of the paths over the fullest cell's. The
// theoretical region is outlined (dashed), the erf95 box dotted, around the
// paths' centre. In the drawing group one user unit is one input pixel, as in
// plot_region.cpp. A 1-D net's map is a curve over the signal; a 3-D net's is
// the heat map of one frame (one position of axis d, `--frame`).
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
// on each axis, c the paths' centre; `px` is one screen pixel.
void draw_outlines(svg::Doc& doc, const UnitLocation& loc, const UnitErf& erf, double px) {
  const Interval& th = loc.theoretical[0];
  const Interval& tw = loc.theoretical[1];
  doc.rect(static_cast<double>(tw.lo), static_cast<double>(th.lo), static_cast<double>(tw.size()),
           static_cast<double>(th.size()),
           fmt::format("data-role=\"theoretical\" fill=\"none\" stroke=\"#101828\" "
                       "stroke-width=\"{}\" stroke-dasharray=\"{} {}\"",
                       svg::num(2 * px), svg::num(7 * px), svg::num(4 * px)));
  const double ch = erf.centre[0].to_double();
  const double cw = erf.centre[1].to_double();
  const double rh = erf.erf95[0].to_double();
  const double rw = erf.erf95[1].to_double();
  doc.rect(cw - rw, ch - rh, 2 * rw + 1, 2 * rh + 1,
           fmt::format("data-role=\"erf95\" fill=\"none\" stroke=\"#101828\" stroke-width=\"{}\" "
                       "stroke-dasharray=\"{} {}\"",
                       svg::num(1.5 * px), svg::num(2 * px), svg::num(3 * px)));
}

// The heat map over a 2-D frame of `frame` pixels (h, w): the input of a 2-D
// net, or one frame of a 3-D one (`subtitle` says which).
std::string render_heat_map(const Report& r, const UnitLocation& loc, const UnitErf& erf,
                            const PerAxis<std::int64_t>& frame, const std::string& subtitle) {
  const std::string size = format_size(frame);
  const ErfMap& map = erf.map;
  const Interval& th = loc.theoretical[0];
  const Interval& tw = loc.theoretical[1];
  // Extent in pixels: the frame and the theoretical region.
  const double x0 = std::min(0.0, static_cast<double>(tw.lo));
  const double y0 = std::min(0.0, static_cast<double>(th.lo));
  const double x1 = std::max(static_cast<double>(frame[1]), static_cast<double>(tw.hi + 1));
  const double y1 = std::max(static_cast<double>(frame[0]), static_cast<double>(th.hi + 1));
  const double scale = kDrawSize / std::max(x1 - x0, y1 - y0);
  const double ox = kLeft - x0 * scale;
  const double oy = kTop - y0 * scale;
  const double bottom = oy + y1 * scale;

  const std::string& name = r.layer(loc.layer).name;
  const std::string title = fmt::format("{}: effective receptive field of {} unit ({})", r.net.name,
                                        name, fmt::join(loc.unit, ", "));
  const std::string line1 = fmt::format(
      "10^{:.2f} paths when every weight is 1; centre {}; erf50 {} px, erf95 {} px (radius per "
      "axis h x w)",
      map.paths_log10(), radius_text(erf.centre), radius_text(erf.erf50), radius_text(erf.erf95));
  const std::string line2 =
      "Shade: share of the paths (darkest: the fullest cell). Dashed: the theoretical region; "
      "dotted: erf95.";
  const double width =
      std::max({kLeft + (x1 - x0) * scale, kLeft + svg::text_width(line1, 11),
                kLeft + svg::text_width(line2, 11), kLeft + svg::text_width(title, 17),
                kLeft + svg::text_width(subtitle, 12)}) +
      32;
  const double height = bottom + 70;

  svg::Doc doc(width, height, title);
  doc.text(kLeft, 28, title, "font-size=\"17\" font-weight=\"bold\" fill=\"#101828\"");
  doc.text(kLeft, 48, subtitle, "font-size=\"12\" fill=\"#475467\"");
  const double px = 1 / scale;
  doc.add(fmt::format("<g transform=\"translate({} {}) scale({})\">", svg::num(ox), svg::num(oy),
                      fmt::format("{:.6f}", scale)));
  doc.rect(0, 0, static_cast<double>(frame[1]), static_cast<double>(frame[0]),
           fmt::format("data-role=\"input\" fill=\"#eef1f6\" stroke=\"#344054\" "
                       "stroke-width=\"{}\"",
                       svg::num(1.5 * px)));
  draw_heat_map(doc, map);
  draw_outlines(doc, loc, erf, px);
  doc.add("</g>");
  doc.text(kLeft, bottom + 16,
           fmt::format("{} {}", frame.size() == r.input.size.size() ? "input" : "frame", size),
           "font-size=\"11\" fill=\"#344054\"");
  doc.text(kLeft, bottom + 38, line1, "font-size=\"11\" fill=\"#344054\"");
  doc.text(kLeft, bottom + 56, line2, "font-size=\"11\" fill=\"#667085\"");
  return doc.finish();
}

// A 1-D net's map: the share of the paths per sample (binned to at most
// kSamples points) as a curve over the signal, in SVG pixels: x is
// kLeft + (sample - x0) * scale, the curve kCurve high.
std::string render_curve(const Report& r, const UnitLocation& loc, const UnitErf& erf) {
  constexpr std::int64_t kSamples = 512;
  constexpr double kCurve = 220;
  const ErfMap& map = erf.map;
  const Interval& t = loc.theoretical[0];
  const double x0 = std::min(0.0, static_cast<double>(t.lo));
  const double x1 = std::max(static_cast<double>(r.input.size[0]), static_cast<double>(t.hi + 1));
  const double scale = kDrawSize / (x1 - x0);
  const auto x_of = [&](double sample) { return kLeft + (sample - x0) * scale; };
  const double bottom = kTop + kCurve;

  const std::string& name = r.layer(loc.layer).name;
  const std::string title =
      fmt::format("{}: effective receptive field of {} unit ({})", r.net.name, name, loc.unit[0]);
  const std::string line1 =
      map.values.empty()
          ? std::string("no paths: only padding reaches the unit")
          : fmt::format(
                "10^{:.2f} paths when every weight is 1, from samples {} … {}; centre {}, erf50 "
                "{}, erf95 {} samples",
                map.paths_log10(), map.origin[0], map.origin[0] + map.size[0] - 1,
                ratio_text(erf.centre[0]), ratio_text(erf.erf50[0]), ratio_text(erf.erf95[0]));
  const std::string line2 =
      "Curve: share of the paths per sample (the fullest: the top). Dashed: the theoretical "
      "region; dotted: erf95 around the centre.";
  const double width =
      std::max({kLeft + (x1 - x0) * scale, kLeft + svg::text_width(line1, 11),
                kLeft + svg::text_width(line2, 11), kLeft + svg::text_width(title, 17)}) +
      32;
  svg::Doc doc(width, bottom + 80, title);
  doc.text(kLeft, 28, title, "font-size=\"17\" font-weight=\"bold\" fill=\"#101828\"");
  doc.text(kLeft, 48,
           fmt::format("over the {}-sample input; samples run right, to scale", r.input.size[0]),
           "font-size=\"12\" fill=\"#475467\"");
  doc.rect(x_of(0), kTop, static_cast<double>(r.input.size[0]) * scale, kCurve,
           "data-role=\"input\" fill=\"#eef1f6\" stroke=\"#344054\" stroke-width=\"1.5\"");
  doc.rect(x_of(static_cast<double>(t.lo)), kTop - 6, static_cast<double>(t.size()) * scale,
           kCurve + 12,
           "data-role=\"theoretical\" fill=\"none\" stroke=\"#101828\" stroke-width=\"2\" "
           "stroke-dasharray=\"7 4\"");
  if (!map.values.empty()) {
    const std::int64_t n = map.size[0];
    const std::int64_t bin = std::max<std::int64_t>(1, (n + kSamples - 1) / kSamples);
    std::vector<double> share(static_cast<std::size_t>((n + bin - 1) / bin), 0.0);
    for (std::int64_t i = 0; i < n; ++i) {
      share[static_cast<std::size_t>(i / bin)] += map.values[static_cast<std::size_t>(i)];
    }
    const double top = *std::max_element(share.begin(), share.end());
    // From the baseline up at the first sample and back down after the last.
    std::string points =
        fmt::format("{},{}", svg::num(x_of(static_cast<double>(map.origin[0]))), svg::num(bottom));
    for (std::size_t k = 0; k < share.size(); ++k) {
      const double first = static_cast<double>(map.origin[0] + static_cast<std::int64_t>(k) * bin);
      const double last =
          std::min(first + static_cast<double>(bin), static_cast<double>(map.origin[0] + n));
      const double y = bottom - kCurve * (top > 0 ? share[k] / top : 0);
      points += fmt::format(" {},{} {},{}", svg::num(x_of(first)), svg::num(y),
                            svg::num(x_of(last)), svg::num(y));
    }
    points += fmt::format(" {},{}", svg::num(x_of(static_cast<double>(map.origin[0] + n))),
                          svg::num(bottom));
    doc.add(
        fmt::format("<polyline data-role=\"erf\" data-bin=\"{}\" points=\"{}\" fill=\"none\" "
                    "stroke=\"{}\" stroke-width=\"2\"/>",
                    bin, points, kColour));
    const double c = erf.centre[0].to_double();
    const double r95 = erf.erf95[0].to_double();
    doc.rect(x_of(c - r95), kTop - 3, (2 * r95 + 1) * scale, kCurve + 6,
             "data-role=\"erf95\" fill=\"none\" stroke=\"#101828\" stroke-width=\"1.5\" "
             "stroke-dasharray=\"2 3\"");
    doc.line(x_of(c + 0.5), kTop, x_of(c + 0.5), bottom,
             "data-role=\"centre\" stroke=\"#101828\" stroke-width=\"1\"");
  }
  doc.text(kLeft, bottom + 24, fmt::format("input {} samples", r.input.size[0]),
           "font-size=\"11\" fill=\"#344054\"");
  doc.text(kLeft, bottom + 46, line1, "font-size=\"11\" fill=\"#344054\"");
  doc.text(kLeft, bottom + 64, line2, "font-size=\"11\" fill=\"#667085\"");
  return doc.finish();
}

// Frame `d` of a 3-D map and unit: the map's positions at d on axis 0, and
// the other two axes' regions and radii.
std::pair<UnitLocation, UnitErf> frame_of(const UnitLocation& loc, const UnitErf& erf,
                                          std::int64_t d) {
  UnitLocation l = loc;
  UnitErf e;
  const auto drop_first = [](const auto& v) {
    std::remove_cvref_t<decltype(v)> out;
    for (std::size_t a = 1; a < v.size(); ++a) {
      out.push_back(v[a]);
    }
    return out;
  };
  l.theoretical = drop_first(loc.theoretical);
  l.actual = drop_first(loc.actual);
  e.centre = drop_first(erf.centre);
  e.erf50 = drop_first(erf.erf50);
  e.erf95 = drop_first(erf.erf95);
  const ErfMap& m = erf.map;
  e.map.origin = drop_first(m.origin);
  e.map.size = drop_first(m.size);
  e.map.exp2 = m.exp2;
  const std::int64_t k = d - (m.size.empty() ? 0 : m.origin[0]);
  if (m.values.empty() || k < 0 || k >= m.size[0]) {
    e.map.size = PerAxis<std::int64_t>{0, 0};
    return {l, e};
  }
  const std::int64_t plane = m.size[1] * m.size[2];
  e.map.values.assign(m.values.begin() + k * plane, m.values.begin() + (k + 1) * plane);
  return {l, e};
}

}  // namespace

std::string render_plot_erf(const Report& r, const UnitLocation& loc, const UnitErf& erf,
                            std::optional<std::int64_t> frame) {
  const PerAxis<std::int64_t>& in = r.input.size;
  if (frame && in.size() != 3) {
    throw UsageError(fmt::format("--frame picks a frame of a 3-D net; the input is {}-D ({})",
                                 in.size(), format_size(in)));
  }
  if (in.size() == 1) {
    return render_curve(r, loc, erf);
  }
  if (in.size() == 2) {
    return render_heat_map(
        r, loc, erf, in,
        fmt::format("over the {} input; rows go down, columns right; to scale", format_size(in)));
  }
  // 3-D: the frame asked for, else the one holding the paths' centre.
  const std::int64_t d =
      frame.value_or(static_cast<std::int64_t>(std::floor(erf.centre[0].to_double())));
  if (d < 0 || d >= in[0]) {
    throw UsageError(
        fmt::format("--frame {} is outside the input's {} frames (0 to {})", d, in[0], in[0] - 1));
  }
  const auto [l, e] = frame_of(loc, erf, d);
  return render_heat_map(
      r, l, e, PerAxis<std::int64_t>{in[1], in[2]},
      fmt::format("frame d = {} of the {} input ({} frames; --frame picks another); rows go "
                  "down, columns right; to scale",
                  d, format_size(in), in[0]));
}

}  // namespace netlens
