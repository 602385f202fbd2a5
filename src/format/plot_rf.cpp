// `netlens plot NET`: the receptive field and the jump of every layer against
// depth (spec order for a chain, the longest path from the input for a net that
// branches), as an SVG chart on a log scale (both grow geometrically), with the
// input size as a dashed reference line. docs/plots.md describes it.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "format/columns.h"
#include "format/format.h"
#include "format/svg.h"

namespace netlens {

namespace {

constexpr double kWidth = 960;
constexpr double kLeft = 72;
constexpr double kRight = 28;
constexpr double kPlotWidth = kWidth - kLeft - kRight;
constexpr double kTop = 92;
constexpr double kPlotHeight = 380;
constexpr double kInset = 8;  // keeps points on the lowest decade off the x axis
constexpr double kLabelFont = 10;
constexpr const char* kRfColour = "#1f77b4";
constexpr const char* kJumpColour = "#e6550d";
// Axis a of a quantity split by axis: solid, dashed, dotted.
constexpr const char* kAxisDash[] = {"", " stroke-dasharray=\"7 4\"", " stroke-dasharray=\"2 3\""};
constexpr std::size_t kMaxLabelChars = 24;

// One line of the chart: a quantity on one axis, or on every axis when they agree.
struct Series {
  std::string label;  // "rf", "jump (w)"
  const char* colour;
  const char* dash;
  bool rf;
  double global_at;                           // where a global layer's marker goes: the input size
  std::vector<std::optional<double>> values;  // per layer; nullopt: a gap
};

// Axis a's rf (`rf`) or jump as a number; nullopt for a global layer or an unknown value.
std::optional<double> value_of(const LayerReport& lr, std::size_t a, bool rf) {
  if (lr.global_rf || a >= lr.rf.size()) {
    return std::nullopt;
  }
  const AxisRf& x = lr.rf[a];
  if (rf) {
    return x.rf ? std::optional(static_cast<double>(*x.rf)) : std::nullopt;
  }
  return x.jump ? std::optional(x.jump->to_double()) : std::nullopt;
}

std::vector<Series> series_of(const Report& r, const char* name, const char* colour, bool rf) {
  const std::size_t rank = r.input.size.size();
  std::vector<Series> out;
  for (std::size_t a = 0; a < rank; ++a) {
    Series s{fmt::format("{} ({})", name, axis_name(rank, a)),
             colour,
             kAxisDash[a],
             rf,
             static_cast<double>(r.input.size[a]),
             {}};
    for (const LayerReport& lr : r.layers) {
      s.values.push_back(value_of(lr, a, rf));
    }
    out.push_back(std::move(s));
  }
  const bool same = std::all_of(out.begin(), out.end(),
                                [&](const Series& s) { return s.values == out[0].values; });
  if (same) {
    out.resize(1);
    out[0].label = name;
    out[0].global_at =
        static_cast<double>(*std::max_element(r.input.size.begin(), r.input.size.end()));
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

void draw_grid(svg::Doc& doc, const LogScale& s) {
  for (int k = s.lo; k <= s.hi; ++k) {
    const double base = std::pow(10.0, k);
    for (int m = 2; m <= 9 && k < s.hi; ++m) {
      doc.line(kLeft, s.y(base * m), kLeft + kPlotWidth, s.y(base * m),
               "stroke=\"#eaecf0\" stroke-width=\"1\"");
    }
    doc.line(kLeft, s.y(base), kLeft + kPlotWidth, s.y(base),
             "stroke=\"#c4c9d2\" stroke-width=\"1\"");
    doc.text(kLeft - 6, s.y(base) + 4, svg::decade_label(k),
             "font-size=\"11\" text-anchor=\"end\" fill=\"#344054\"");
  }
}

// The slot of each layer on the x axis: spec order for a chain; for a net
// whose branches run side by side, its depth (the longest path from the input, in layers), so
// that parallel branches stand side by side instead of zig-zagging.
struct Slots {
  std::vector<std::size_t> of;  // per layer
  std::size_t count = 0;
  bool by_depth = false;
};

Slots slots_of(const Report& r) {
  Slots s;
  std::vector<std::size_t> depth(r.layers.size() + 1, 0);  // [node id], 0 = the input
  for (const LayerReport& lr : r.layers) {
    for (std::size_t in : lr.inputs) {
      depth[lr.index] = std::max(depth[lr.index], depth[in] + 1);
    }
    // Depth = index: every layer reads the one before (FCN's crop also reads
    // the input for its size), and spec order is already depth.
    s.by_depth = s.by_depth || depth[lr.index] != lr.index;
  }
  for (const LayerReport& lr : r.layers) {
    s.of.push_back(s.by_depth ? depth[lr.index] - 1 : lr.index - 1);
    s.count = std::max(s.count, s.of.back() + 1);
  }
  return s;
}

// The line of a series: through the defined values in spec order for a
// chain (a missing value breaks it); for a branching net, one segment per
// edge from an input to its reader, so each branch is its own line.
std::string path_of(const Series& s, const Report& r, const Slots& slots, const LogScale& scale,
                    double slot) {
  std::string d;
  const auto point = [&](std::size_t i) {
    return fmt::format("{} {}", svg::num(x_of(slots.of[i], slot)), svg::num(scale.y(*s.values[i])));
  };
  bool pen_down = false;
  for (std::size_t i = 0; i < s.values.size(); ++i) {
    if (!s.values[i]) {
      pen_down = false;
      continue;
    }
    if (!slots.by_depth) {
      d += fmt::format("{}{} ", pen_down ? "L" : "M", point(i));
      pen_down = true;
      continue;
    }
    for (std::size_t in : r.layers[i].inputs) {
      if (in != 0 && s.values[in - 1]) {
        d += fmt::format("M{} L{} ", point(in - 1), point(i));
      }
    }
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
    doc.line(x, y, x + 26, y,
             fmt::format("stroke=\"{}\" stroke-width=\"2.5\"{}", s.colour, s.dash));
    doc.text(x + 32, y + 4, s.label, "font-size=\"12\" fill=\"#101828\"");
    x += 48 + svg::text_width(s.label, 12);
  }
  if (any_global) {
    doc.circle(x + 13, y, 4,
               fmt::format("fill=\"#ffffff\" stroke=\"{}\" stroke-width=\"1.5\"", kRfColour));
    doc.text(x + 32, y + 4, "global: sees the whole input (drawn at the input size)",
             "font-size=\"12\" fill=\"#101828\"");
  }
}

// What every part of the chart needs to place itself.
struct Chart {
  const Report& r;
  Slots slots;
  double slot;        // px per slot
  std::int64_t step;  // one slot in `step` gets a label under the axis
  LogScale scale;
  std::vector<Series> all;

  double x(std::size_t i) const { return x_of(slots.of[i], slot); }  // layer i
  bool labelled(std::size_t k) const { return (k + 1) % static_cast<std::size_t>(step) == 0; }
  // Slot k's label: its layer's name in a chain, its depth in a branching net.
  std::string tick_label(std::size_t k) const {
    if (slots.by_depth) {
      return std::to_string(k + 1);
    }
    std::string name = r.layer(k).name;
    if (name.size() > kMaxLabelChars) {
      name = name.substr(0, kMaxLabelChars - 2) + "..";
    }
    return step == 1 ? name : fmt::format("{} {}", k + 1, name);
  }
};

// Flat layers (after flatten or linear) and whole tensors have no spatial
// axes: a grey band from the first.
void draw_flat_band(svg::Doc& doc, const Chart& c) {
  const auto flat = std::find_if(c.r.layers.begin(), c.r.layers.end(),
                                 [](const LayerReport& lr) { return !lr.output.has_positions(); });
  if (flat == c.r.layers.end()) {
    return;
  }
  const double x0 = kLeft + static_cast<double>(c.slots.of[flat->index - 1]) * c.slot;
  doc.rect(x0, kTop, kLeft + kPlotWidth - x0, kPlotHeight, "fill=\"#f2f4f7\"");
  // Along the bottom of the band (global markers sit at the input size, higher
  // up), and inside the chart when the band is narrower than the text is high.
  const double x = std::min(x0 + 12, kLeft + kPlotWidth - 3);
  doc.text(x, kTop + kPlotHeight - 6,
           flat->output.is_whole() ? "whole tensor (rf unknown)" : "flat (no spatial axes)",
           "font-size=\"11\" fill=\"#667085\"", -90);
}

// The input sizes, once each: where a global layer's region ends.
void draw_input_lines(svg::Doc& doc, const Chart& c) {
  const PerAxis<std::int64_t>& sizes = c.r.input.size;
  for (std::size_t a = 0; a < sizes.size(); ++a) {
    if (std::find(sizes.begin(), sizes.begin() + a, sizes[a]) != sizes.begin() + a) {
      continue;
    }
    const double y = c.scale.y(static_cast<double>(sizes[a]));
    doc.line(kLeft, y, kLeft + kPlotWidth, y,
             "stroke=\"#344054\" stroke-width=\"1.2\" stroke-dasharray=\"5 4\"");
    doc.text(kLeft + 6, y - 5,
             sizes.all_equal() ? fmt::format("input {}", sizes[a])
                               : fmt::format("input {} {}", axis_name(sizes.size(), a), sizes[a]),
             "font-size=\"11\" fill=\"#344054\"");
  }
}

// One group per layer: its values as data attributes and a tooltip, an
// invisible column that shows the tooltip anywhere above it, and its dots.
void draw_layers(svg::Doc& doc, const Chart& c) {
  const auto columns = select_columns({"rf", "jump"});
  const double radius = c.r.layers.size() > 100 ? 1.8 : 2.6;
  for (std::size_t i = 0; i < c.r.layers.size(); ++i) {
    const LayerReport& lr = c.r.layers[i];
    const std::string name = svg::escape(c.r.layer(i).name);
    const std::string type = svg::escape(c.r.layer(i).type);
    const std::string rf = svg::escape(cell(*columns[0], c.r, lr));
    const std::string jump = svg::escape(cell(*columns[1], c.r, lr));
    doc.add(
        fmt::format("<g data-index=\"{0}\" data-layer=\"{1}\" data-type=\"{2}\" data-rf=\"{3}\" "
                    "data-jump=\"{4}\"><title>{0} {1} ({2}): rf {3}, jump {4}</title>",
                    lr.index, name, type, rf, jump));
    if (!c.slots.by_depth) {  // layers that share a slot show their tooltips on their dots
      doc.rect(c.x(i) - c.slot / 2, kTop, c.slot, kPlotHeight,
               "fill=\"#ffffff\" fill-opacity=\"0\"");
    }
    for (const Series& s : c.all) {
      if (s.values[i]) {
        doc.circle(c.x(i), c.scale.y(*s.values[i]), radius, fmt::format("fill=\"{}\"", s.colour));
      } else if (s.rf && lr.global_rf) {
        doc.circle(c.x(i), c.scale.y(s.global_at), radius + 1,
                   fmt::format("fill=\"#ffffff\" stroke=\"{}\" stroke-width=\"1.2\"", s.colour));
      }
    }
    doc.add("</g>");
  }
}

void draw_axes(svg::Doc& doc, const Chart& c, double height) {
  const double axis_y = kTop + kPlotHeight;
  doc.line(kLeft, kTop, kLeft, axis_y, "stroke=\"#344054\" stroke-width=\"1\"");
  doc.line(kLeft, axis_y, kLeft + kPlotWidth, axis_y, "stroke=\"#344054\" stroke-width=\"1\"");
  for (std::size_t k = 0; k < c.slots.count; ++k) {
    if (c.labelled(k)) {
      const double x = x_of(k, c.slot);
      doc.line(x, axis_y, x, axis_y + 4, "stroke=\"#344054\" stroke-width=\"1\"");
      doc.text(x + 3, axis_y + 12, c.tick_label(k),
               fmt::format("font-size=\"{}\" fill=\"#344054\" text-anchor=\"end\"", kLabelFont),
               -45);
    }
  }
  const std::string what = c.slots.by_depth ? "depth: the longest path from the input, in layers"
                                            : "layer, in spec order (depth)";
  doc.text(kLeft + kPlotWidth / 2, height - 10,
           c.step == 1 ? what
                       : fmt::format("{}; one in {} labelled{}", what, c.step,
                                     c.slots.by_depth ? "" : ", with its index"),
           "font-size=\"12\" text-anchor=\"middle\" fill=\"#344054\"");
  doc.text(18, kTop + kPlotHeight / 2, "input pixels (log scale)",
           "font-size=\"12\" text-anchor=\"middle\" fill=\"#344054\"", -90);
}

Chart chart_of(const Report& r) {
  Slots slots = slots_of(r);
  const auto n = static_cast<double>(std::max<std::size_t>(slots.count, 1));
  std::vector<Series> all = series_of(r, "rf", kRfColour, true);
  for (Series& s : series_of(r, "jump", kJumpColour, false)) {
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
  return Chart{r,
               std::move(slots),
               kPlotWidth / n,
               svg::tick_step(n, static_cast<int>(kPlotWidth / 14)),
               scale_of(values),
               std::move(all)};
}

}  // namespace

std::string render_plot_rf(const Report& r) {
  const Chart c = chart_of(r);
  double longest = 0;  // the longest tick label sets the bottom margin
  for (std::size_t k = 0; k < c.slots.count; ++k) {
    if (c.labelled(k)) {
      longest = std::max(longest, svg::text_width(c.tick_label(k), kLabelFont));
    }
  }
  const double height = kTop + kPlotHeight + 14 + longest * 0.71 + 34;
  const std::string size = format_size(r.input.size);
  svg::Doc doc(kWidth, height,
               fmt::format("{}: receptive field and jump per layer, input {}", r.net.name, size));
  doc.text(kLeft, 28, fmt::format("{}: receptive field and jump per layer", r.net.name),
           "font-size=\"17\" font-weight=\"bold\" fill=\"#101828\"");
  doc.text(kLeft, 48,
           fmt::format("input {}, {} layers; pixels of the input on a log scale; hover a layer "
                       "for its values",
                       size, r.layers.size()),
           "font-size=\"12\" fill=\"#475467\"");
  draw_legend(doc, c.all, std::any_of(r.layers.begin(), r.layers.end(), [](const LayerReport& lr) {
                return lr.global_rf;
              }));
  draw_flat_band(doc, c);
  draw_grid(doc, c.scale);
  draw_input_lines(doc, c);
  for (const Series& s : c.all) {
    doc.add(fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}/>",
                        path_of(s, r, c.slots, c.scale, c.slot), s.colour, s.dash));
  }
  draw_layers(doc, c);
  draw_axes(doc, c, height);
  return doc.finish();
}

}  // namespace netlens
