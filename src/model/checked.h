// Checked 64-bit arithmetic: every product along a net goes through these so an
// overflow becomes an error naming the layer instead of a wrapped number.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/error.h"
#include "model/per_axis.h"

namespace netlens::checked {

inline std::optional<std::int64_t> mul(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  return __builtin_mul_overflow(a, b, &r) ? std::nullopt : std::optional(r);
}

inline std::optional<std::int64_t> add(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? std::nullopt : std::optional(r);
}

inline std::optional<std::int64_t> sub(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  return __builtin_sub_overflow(a, b, &r) ? std::nullopt : std::optional(r);
}

// Division rounding toward minus infinity (b > 0), as the spec's floor().
inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - (a % b != 0 && a < 0 ? 1 : 0);
}

inline std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return -floor_div(-a, b); }

}  // namespace netlens::checked

namespace netlens {

// The checked arithmetic of one layer's numbers: an overflow is a ModelError
// naming the layer ("<what> overflows 64 bits").
class LayerMath {
 public:
  LayerMath(const std::string& file, SourcePos pos, const std::string& layer,
            const char* what = "arithmetic")
      : file_(file), pos_(pos), layer_(layer), what_(what) {}

  std::int64_t mul(std::int64_t a, std::int64_t b) const { return check(checked::mul(a, b)); }
  std::int64_t add(std::int64_t a, std::int64_t b) const { return check(checked::add(a, b)); }
  std::int64_t product(const auto& values) const {  // a PerAxis or a tensor's dims
    std::int64_t p = 1;
    for (std::int64_t v : values) {
      p = mul(p, v);
    }
    return p;
  }
  [[noreturn]] void overflow() const {
    throw ModelError(file_, pos_, layer_, std::string(what_) + " overflows 64 bits");
  }

 private:
  std::int64_t check(std::optional<std::int64_t> v) const {
    if (!v) {
      overflow();
    }
    return *v;
  }
  const std::string& file_;
  SourcePos pos_;
  const std::string& layer_;
  const char* what_;
};

}  // namespace netlens
