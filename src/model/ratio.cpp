#include "model/ratio.h"

#include <fmt/format.h>

namespace netlens {

std::string ratio_text(const Ratio& r) {
  if (r.is_integer()) {
    return std::to_string(r.num);
  }
  return fmt::format("{:g}", r.to_double());
}

}  // namespace netlens
