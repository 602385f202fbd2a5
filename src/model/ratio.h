// Ratio: an exact rational number (jumps and offsets become fractional after
// upsampling, e.g. 0.5). Arithmetic is checked; nullopt means overflow.
#pragma once

#include <cstdint>
#include <numeric>
#include <optional>
#include <string>

#include "model/checked.h"

namespace netlens {

struct Ratio {
  std::int64_t num = 0;
  std::int64_t den = 1;  // always > 0, gcd(num, den) == 1

  static std::optional<Ratio> make(std::int64_t n, std::int64_t d) {
    if (d == 0) {
      return std::nullopt;
    }
    if (d < 0) {
      if (n == INT64_MIN || d == INT64_MIN) {
        return std::nullopt;
      }
      n = -n;
      d = -d;
    }
    const std::int64_t g = std::gcd(n, d);
    return Ratio{n / g, d / g};
  }
  static Ratio of(std::int64_t n) { return Ratio{n, 1}; }

  bool is_integer() const { return den == 1; }
  double to_double() const { return static_cast<double>(num) / static_cast<double>(den); }
  friend bool operator==(const Ratio& a, const Ratio& b) = default;
};

inline std::optional<Ratio> operator*(const Ratio& a, const Ratio& b) {
  const auto n = checked::mul(a.num, b.num);
  const auto d = checked::mul(a.den, b.den);
  return n && d ? Ratio::make(*n, *d) : std::nullopt;
}

inline std::optional<Ratio> operator+(const Ratio& a, const Ratio& b) {
  const auto l = checked::mul(a.num, b.den);
  const auto r = checked::mul(b.num, a.den);
  const auto n = l && r ? checked::add(*l, *r) : std::nullopt;
  const auto d = checked::mul(a.den, b.den);
  return n && d ? Ratio::make(*n, *d) : std::nullopt;
}

inline std::optional<Ratio> operator-(const Ratio& a, const Ratio& b) {
  return a + Ratio{-b.num, b.den};
}

// An exact ratio as text: "4", "0.5", "-1.5" (a decimal where it is one).
std::string ratio_text(const Ratio& r);

}  // namespace netlens
