// `netlens plot NET`: the receptive field and the jump of every layer against
// depth, as an SVG line chart on a log scale (both grow geometrically), with
// the input size as a dashed reference line. docs/plots.md describes it.
#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "format/columns.h"
#include "format/format.h"
#include "format/svg.h"

namespace netlens {

namespace {

constexpr double kWidth = 960;
constexpr double kLeft = 72;
constexpr double kRight = 28;
constexpr double kTop = 92;
constexpr double kPlotHeight = 380;
constexpr double kInset = 8;  // keeps points on the lowest decade off the x axis
constexpr double kLabelFont = 10;
constexpr const char* kRfColour = "#1f77b4";
constexpr const char* kJumpColour = "#e6550d";
// Axis a of a quantity split by axis: solid, dashed, dotted.
constexpr const char* kAxisDash[] = {"", " stroke-dasharray=\"7 4\"", " stroke-dasharray=\"2 3\""};
constexpr std::size_t kMaxLabelChars = 24;

using Value = std::function<std::optional<double>(const LayerReport&, std::size_t)>;

// One line of the chart: a quantity on one axis, or on every axis when they agree.
struct Series {
  std::string label;  // "rf", "jump (w)"
  const char* colour;
  const char* dash;
  bool rf;
  double global_at;  // where a global layer's marker goes: the input size
  std::vector<std::optional<double>> values;  // per layer; nullopt: a gap
};

std::optional<double> rf_of(const LayerReport& lr, std::size_t a) {
  if (lr.global_rf || a >= lr.rf.size() || !lr.rf[a].rf) {
    return std::nullopt;
  }
  return static_cast<double>(*lr.rf[a].rf);
}

std::optional<double> jump_of(const LayerReport& lr, std::size_t a) {
  if (lr.global_rf || a >= lr.rf.size() || !lr.rf[a].jump) {
    return std::nullopt;
  }
  return lr.rf[a].jump->to_double();
}

std::vector<Series> series_of(const Report& r, const char* name, const char* colour, bool rf,
                              const Value& value) {
  const std::size_t rank = r.input.size.size();
  std::vector<Series> out;
  for (std::size_t a = 0; a < rank; ++a) {
    Series s{fmt::format("{} ({})", name, axis_name(rank, a)), colour, kAxisDash[a], rf,
             static_cast<double>(r.input.size[a]), {}};
    for (const LayerReport& lr : r.layers) {
      s.values.push_back(value(lr, a));
    }
    out.push_back(std::move(s));
  }
  const bool same = std::all_of(out.begin(), out.end(),
                                [&](const Series& s) { return s.values == out[0].values; });
  if (same) {
    out.resize(1);
    out[0].label = name;
    out[0].global_at = static_cast<double>(
        *std::max_element(r.input.size.begin(), r.input.size.end()));
  }
  return out;
}

// The centre of layer i's slot on the x axis.
double x_of(std::size_t i, double slot) { return kLeft + (static_cast<double>(i) + 0.5) * slot; }

// Whole decades from below the smallest value to above the largest.
struct LogScale {
  int lo = 0;
  int hi = 1;
  double y(double v) const {
    return kTop + kInset + (hi - std::log10(v)) / (hi - lo) * (kPlotHeight - 2 * kInset);
  }
};

LogScale scale_of(const std::vector<double>& values) {
  const auto [min, max] = std::minmax_element(values.begin(), values.end());
  LogScale s;
  s.lo = static_cast<int>(std::floor(std::log10(*min) + 1e-9));
  s.hi = std::max(static_cast<int>(std::ceil(std::log10(*max) - 1e-9)), s.lo + 1);
  return s;
}

void draw_grid(svg::Doc& doc, const LogScale& s, double plot_width) {
  for (int k = s.lo; k <= s.hi; ++k) {
    const double base = std::pow(10.0, k);
    for (int m = 2; m <= 9 && k < s.hi; ++m) {
      doc.line(kLeft, s.y(base * m), kLeft + plot_width, s.y(base * m),
               "stroke=\"#eaecf0\" stroke-width=\"1\"");
    }
    doc.line(kLeft, s.y(base), kLeft + plot_width, s.y(base),
             "stroke=\"#c4c9d2\" stroke-width=\"1\"");
    doc.text(kLeft - 6, s.y(base) + 4, svg::decade_label(k),
             "font-size=\"11\" text-anchor=\"end\" fill=\"#344054\"");
  }
}

// A path through the defined values; a missing value breaks the line.
std::string path_of(const Series& s, const LogScale& scale, double slot) {
  std::string d;
  bool pen_down = false;
  for (std::size_t i = 0; i < s.values.size(); ++i) {
    if (!s.values[i]) {
      pen_down = false;
      continue;
    }
    d += fmt::format("{}{} {} ", pen_down ? "L" : "M", svg::num(x_of(i, slot)),
                     svg::num(scale.y(*s.values[i])));
    pen_down = true;
  }
  if (!d.empty()) {
    d.pop_back();
  }
  return d;
}

void draw_legend(svg::Doc& doc, const std::vector<Series>& all, bool any_global) {
  double x = kLeft;
  const double y = 70;
  for (const Series& s : all) {
    doc.line(x, y, x + 26, y, fmt::format("stroke=\"{}\" stroke-width=\"2.5\"{}", s.colour, s.dash));
    doc.text(x + 32, y + 4, s.label, "font-size=\"12\" fill=\"#101828\"");
    x += 48 + svg::text_width(s.label, 12);
  }
  if (any_global) {
    const std::string label = "global: sees the whole input (drawn at the input size)";
    doc.add(fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"#ffffff\" stroke=\"{}\" "
                        "stroke-width=\"1.5\"/>",
                        svg::num(x + 13), svg::num(y), kRfColour));
    doc.text(x + 32, y + 4, label, "font-size=\"12\" fill=\"#101828\"");
  }
}

std::string tick_label(const Report& r, std::size_t i, std::int64_t step) {
  std::string name = r.layer(i).name;
  if (name.size() > kMaxLabelChars) {
    name = name.substr(0, kMaxLabelChars - 2) + "..";
  }
  return step == 1 ? name : fmt::format("{} {}", i + 1, name);
}

}  // namespace

std::string render_plot_rf(const Report& r) {
  const std::size_t n = std::max<std::size_t>(r.layers.size(), 1);
  const double plot_width = kWidth - kLeft - kRight;
  const double slot = plot_width / static_cast<double>(n);
  const std::int64_t step = svg::tick_step(static_cast<double>(n), static_cast<int>(plot_width / 14));

  std::vector<Series> all = series_of(r, "rf", kRfColour, true, rf_of);
  for (Series& s : series_of(r, "jump", kJumpColour, false, jump_of)) {
    all.push_back(std::move(s));
  }
  std::vector<double> values(r.input.size.begin(), r.input.size.end());
  for (const Series& s : all) {
    for (const auto& v : s.values) {
      if (v) {
        values.push_back(*v);
      }
    }
  }
  const LogScale scale = scale_of(values);

  double longest = 0;
  for (std::size_t i = 0; i < r.layers.size(); ++i) {
    if ((i + 1) % static_cast<std::size_t>(step) == 0 || step == 1) {
      longest = std::max(longest, svg::text_width(tick_label(r, i, step), kLabelFont));
    }
  }
  const double axis_y = kTop + kPlotHeight;
  const double height = axis_y + 14 + longest * 0.71 + 34;
  const std::string size = fmt::format("{}", fmt::join(r.input.size, "x"));
  svg::Doc doc(kWidth, height,
               fmt::format("{}: receptive field and jump per layer, input {}", r.net.name, size));
  doc.text(kLeft, 28, fmt::format("{}: receptive field and jump per layer", r.net.name),
           "font-size=\"17\" font-weight=\"bold\" fill=\"#101828\"");
  doc.text(kLeft, 48,
           fmt::format("input {}, {} layers; pixels of the input on a log scale; hover a layer "
                       "for its values",
                       size, r.layers.size()),
           "font-size=\"12\" fill=\"#475467\"");

  bool any_global = false;
  std::size_t first_flat = r.layers.size();
  for (const LayerReport& lr : r.layers) {
    any_global = any_global || lr.global_rf;
    if (lr.output.flat && first_flat == r.layers.size()) {
      first_flat = lr.index - 1;
    }
  }
  draw_legend(doc, all, any_global);
  if (first_flat < r.layers.size()) {
    const double x0 = kLeft + static_cast<double>(first_flat) * slot;
    doc.rect(x0, kTop, kLeft + plot_width - x0, kPlotHeight, "fill=\"#f2f4f7\"");
    // Along the bottom of the band: global markers sit at the input size, higher up.
    const double tx = x0 + 12;
    doc.text(tx, axis_y - 6, "flat (no spatial axes)",
             fmt::format("font-size=\"11\" fill=\"#667085\" transform=\"rotate(-90 {} {})\"",
                         svg::num(tx), svg::num(axis_y - 6)));
  }
  draw_grid(doc, scale, plot_width);

  // The input sizes: where a global layer's region ends.
  std::vector<std::int64_t> sizes(r.input.size.begin(), r.input.size.end());
  for (std::size_t a = 0; a < sizes.size(); ++a) {
    if (std::find(sizes.begin(), sizes.begin() + static_cast<std::ptrdiff_t>(a), sizes[a]) !=
        sizes.begin() + static_cast<std::ptrdiff_t>(a)) {
      continue;
    }
    const double y = scale.y(static_cast<double>(sizes[a]));
    doc.line(kLeft, y, kLeft + plot_width, y,
             "stroke=\"#344054\" stroke-width=\"1.2\" stroke-dasharray=\"5 4\"");
    const bool one = r.input.size.all_equal();
    doc.text(kLeft + 6, y - 5,
             one ? fmt::format("input {}", sizes[a])
                 : fmt::format("input {} {}", axis_name(sizes.size(), a), sizes[a]),
             "font-size=\"11\" fill=\"#344054\"");
  }

  for (const Series& s : all) {
    doc.add(fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}/>",
                        path_of(s, scale, slot), s.colour, s.dash));
  }

  const auto columns = select_columns({"rf", "jump"});
  const double radius = n > 100 ? 1.8 : 2.6;
  for (std::size_t i = 0; i < r.layers.size(); ++i) {
    const LayerReport& lr = r.layers[i];
    const Layer& layer = r.layer(i);
    const std::string rf = cell(*columns[0], r, lr);
    const std::string jump = cell(*columns[1], r, lr);
    const double x = x_of(i, slot);
    doc.add(fmt::format("<g data-index=\"{}\" data-layer=\"{}\" data-type=\"{}\" data-rf=\"{}\" "
                        "data-jump=\"{}\"><title>{} {} ({}): rf {}, jump {}</title>",
                        lr.index, svg::escape(layer.name), svg::escape(layer.type),
                        svg::escape(rf), svg::escape(jump), lr.index, svg::escape(layer.name),
                        svg::escape(layer.type), svg::escape(rf), svg::escape(jump)));
    // An invisible column so the tooltip shows anywhere above the layer.
    doc.rect(x - slot / 2, kTop, slot, kPlotHeight, "fill=\"#ffffff\" fill-opacity=\"0\"");
    for (const Series& s : all) {
      if (s.values[i]) {
        doc.add(fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"/>", svg::num(x),
                            svg::num(scale.y(*s.values[i])), svg::num(radius), s.colour));
      } else if (s.rf && lr.global_rf) {
        doc.add(fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"#ffffff\" stroke=\"{}\" "
                            "stroke-width=\"1.2\"/>",
                            svg::num(x), svg::num(scale.y(s.global_at)), svg::num(radius + 1),
                            s.colour));
      }
    }
    doc.add("</g>");
  }

  doc.line(kLeft, kTop, kLeft, axis_y, "stroke=\"#344054\" stroke-width=\"1\"");
  doc.line(kLeft, axis_y, kLeft + plot_width, axis_y, "stroke=\"#344054\" stroke-width=\"1\"");
  for (std::size_t i = 0; i < r.layers.size(); ++i) {
    if (step != 1 && (i + 1) % static_cast<std::size_t>(step) != 0) {
      continue;
    }
    const double x = x_of(i, slot);
    doc.line(x, axis_y, x, axis_y + 4, "stroke=\"#344054\" stroke-width=\"1\"");
    doc.text(x + 3, axis_y + 12, tick_label(r, i, step),
             fmt::format("font-size=\"{}\" fill=\"#344054\" text-anchor=\"end\" "
                         "transform=\"rotate(-45 {} {})\"",
                         kLabelFont, svg::num(x + 3), svg::num(axis_y + 12)));
  }
  doc.text(kLeft + plot_width / 2, height - 10,
           step == 1 ? "layer, in spec order (depth)"
                     : fmt::format("layer, in spec order (depth); one in {} labelled, with its index",
                                 step),
           "font-size=\"12\" text-anchor=\"middle\" fill=\"#344054\"");
  doc.text(18, kTop + kPlotHeight / 2, "input pixels (log scale)",
           fmt::format("font-size=\"12\" text-anchor=\"middle\" fill=\"#344054\" "
                       "transform=\"rotate(-90 18 {})\"",
                       svg::num(kTop + kPlotHeight / 2)));
  return doc.finish();
}

}  // namespace netlens
