#include "model/ratio.h"

#include <fmt/format.h>

namespace netlens {

std::string ratio_text(const Ratio& r) {
  if (r.is_integer()) {
    return std::to_string(r.num);
  }
  // At most 4 decimals, never an exponent: 0.5, -1.25, 0.3333.
  std::string text = fmt::format("{:.4f}", r.to_double());
  while (text.back() == '0') {
    text.pop_back();
  }
  if (text.back() == '.') {
    text.pop_back();
  }
  return text;
}

}  // namespace netlens
