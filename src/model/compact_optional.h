// CompactOptional<T>: std::optional's interface without its flag, for the
// per-axis receptive-field numbers. A Report keeps five of them per axis per
// layer, and the flag (with padding) adds a third to each: on a million-layer
// net that is 120 MB. "No value" is a value the quantity never takes.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>

#include "model/ratio.h"

namespace netlens {

template <class T>
struct NoValue;

template <>
struct NoValue<std::int64_t> {  // receptive-field sizes: never negative
  static constexpr std::int64_t make() { return std::numeric_limits<std::int64_t>::min(); }
  static constexpr bool is(std::int64_t v) { return v == make(); }
};

template <>
struct NoValue<Ratio> {  // a Ratio's denominator is always > 0
  static constexpr Ratio make() { return Ratio{0, 0}; }
  static constexpr bool is(const Ratio& r) { return r.den == 0; }
};

template <class T>
class CompactOptional {
 public:
  constexpr CompactOptional() = default;
  constexpr CompactOptional(std::nullopt_t) {}                  // NOLINT: as std::optional
  constexpr CompactOptional(const T& value) : value_(value) {}  // NOLINT
  constexpr CompactOptional(const std::optional<T>& o)          // NOLINT
      : value_(o ? *o : NoValue<T>::make()) {}

  constexpr bool has_value() const { return !NoValue<T>::is(value_); }
  constexpr explicit operator bool() const { return has_value(); }
  constexpr const T& operator*() const { return value_; }
  constexpr T& operator*() { return value_; }
  constexpr const T* operator->() const { return &value_; }
  const T& value() const {
    if (!has_value()) {
      throw std::bad_optional_access();
    }
    return value_;
  }
  constexpr void reset() { value_ = NoValue<T>::make(); }
  constexpr T value_or(const T& fallback) const { return has_value() ? value_ : fallback; }
  constexpr operator std::optional<T>() const {  // NOLINT
    return has_value() ? std::optional<T>(value_) : std::nullopt;
  }

  friend constexpr bool operator==(const CompactOptional& a, const CompactOptional& b) {
    return a.value_ == b.value_;
  }
  friend constexpr bool operator==(const CompactOptional& a, const T& b) {
    return a.has_value() && a.value_ == b;
  }
  friend constexpr bool operator==(const CompactOptional& a, std::nullopt_t) {
    return !a.has_value();
  }

 private:
  T value_ = NoValue<T>::make();
};

}  // namespace netlens
