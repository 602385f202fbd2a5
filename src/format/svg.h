// A small SVG writer for `netlens plot`: escaped text and numbers with two
// fixed decimals, so a figure is self-contained (no script, fonts, links or
// CSS files) and byte-for-byte stable for the golden tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace netlens::svg {

// Text and attribute values: & < > " ' become entities.
std::string escape(std::string_view text);
// "12.50"; never "-0.00".
std::string num(double value);
// Rough width of `text` at `font_size` in a sans-serif font: layout only
// needs enough room, not exact metrics (the viewer picks the font).
double text_width(std::string_view text, double font_size);
// 10^exponent written out: "0.01", "1", "1000".
std::string decade_label(int exponent);
// A round tick step (1, 2 or 5 times a power of ten) giving at most
// `max_ticks` ticks over `span`.
std::int64_t tick_step(double span, int max_ticks);
// The i-th colour of a palette that stays distinct for the first eight.
const char* palette(std::size_t i);

// One document: elements are appended in drawing order (later on top).
class Doc {
 public:
  // The viewBox is (0, 0, width, height), both rounded up to whole pixels
  // (the size a PNG renderer gives); a white background fills it.
  Doc(double width, double height, std::string_view title);
  // Appends raw markup (already escaped) followed by a newline.
  void add(std::string_view markup);
  void line(double x1, double y1, double x2, double y2, std::string_view attrs);
  void rect(double x, double y, double w, double h, std::string_view attrs);
  void circle(double cx, double cy, double r, std::string_view attrs);
  // `content` is escaped; `attrs` is not. A non-zero `degrees` turns the
  // text about (x, y), clockwise.
  void text(double x, double y, std::string_view content, std::string_view attrs,
            double degrees = 0);
  std::string finish() const;

 private:
  std::string out_;
};

}  // namespace netlens::svg
