#include "format/svg.h"

#include <fmt/format.h>

#include <array>
#include <cmath>

namespace netlens::svg {

std::string escape(std::string_view text) {
  static constexpr std::string_view kSpecial = "&<>\"'";
  static constexpr std::array<const char*, 5> kEntities{"&amp;", "&lt;", "&gt;", "&quot;",
                                                        "&apos;"};
  std::string out;
  for (char c : text) {
    const std::size_t k = kSpecial.find(c);
    if (k == std::string_view::npos) {
      out.push_back(c);
    } else {
      out += kEntities[k];
    }
  }
  return out;
}

std::string num(double value) {
  std::string s = fmt::format("{:.2f}", value);
  return s == "-0.00" ? "0.00" : s;
}

double text_width(std::string_view text, double font_size) {
  return static_cast<double>(text.size()) * font_size * 0.56;
}

std::string decade_label(int exponent) {
  if (exponent >= 0) {
    return "1" + std::string(static_cast<std::size_t>(exponent), '0');
  }
  return "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + "1";
}

std::int64_t tick_step(double span, int max_ticks) {
  std::int64_t base = 1;
  while (true) {
    for (std::int64_t m : {1, 2, 5}) {
      if (span / static_cast<double>(base * m) <= max_ticks) {
        return base * m;
      }
    }
    base *= 10;
  }
}

const char* palette(std::size_t i) {
  static constexpr std::array<const char*, 8> kColours{"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                                       "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};
  return kColours[i % kColours.size()];
}

Doc::Doc(double width_px, double height_px, std::string_view title) {
  const auto width = static_cast<std::int64_t>(std::ceil(width_px));
  const auto height = static_cast<std::int64_t>(std::ceil(height_px));
  out_ = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
      "<title>{2}</title>\n",
      width, height, escape(title));
  // On its own line so the tests can cut a figure down to its background.
  out_ += fmt::format(
      "<rect data-role=\"background\" x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" "
      "fill=\"#ffffff\"/>\n",
      width, height);
}

void Doc::add(std::string_view markup) {
  out_ += markup;
  out_ += '\n';
}

void Doc::line(double x1, double y1, double x2, double y2, std::string_view attrs) {
  out_ += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {}/>\n", num(x1), num(y1),
                      num(x2), num(y2), attrs);
}

void Doc::rect(double x, double y, double w, double h, std::string_view attrs) {
  out_ += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {}/>\n", num(x), num(y),
                      num(w), num(h), attrs);
}

void Doc::circle(double cx, double cy, double r, std::string_view attrs) {
  out_ +=
      fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\" {}/>\n", num(cx), num(cy), num(r), attrs);
}

void Doc::text(double x, double y, std::string_view content, std::string_view attrs,
               double degrees) {
  const std::string turn =
      degrees == 0 ? ""
                   : fmt::format(" transform=\"rotate({} {} {})\"", num(degrees), num(x), num(y));
  out_ += fmt::format("<text x=\"{}\" y=\"{}\" {}{}>{}</text>\n", num(x), num(y), attrs, turn,
                      escape(content));
}

std::string Doc::finish() const { return out_ + "</svg>\n"; }

}  // namespace netlens::svg
