// PerAxis<T>: one value per spatial axis (rank 1, 2 or 3), stored inline.
// Used for every per-axis quantity so no code keeps parallel _h/_w fields.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <stdexcept>

namespace netlens {

inline constexpr std::size_t kMaxRank = 3;

template <class T>
class PerAxis {
 public:
  PerAxis() = default;
  PerAxis(std::size_t rank, const T& value) : size_(rank) {
    check_rank(rank);
    values_.fill(value);
  }
  PerAxis(std::initializer_list<T> init) : size_(init.size()) {
    check_rank(size_);
    std::copy(init.begin(), init.end(), values_.begin());
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](std::size_t axis) { return values_[axis]; }
  const T& operator[](std::size_t axis) const { return values_[axis]; }
  T* begin() { return values_.data(); }
  T* end() { return values_.data() + size_; }
  const T* begin() const { return values_.data(); }
  const T* end() const { return values_.data() + size_; }

  void push_back(const T& v) {
    check_rank(size_ + 1);
    values_[size_++] = v;
  }

  bool all_equal() const {
    return std::all_of(begin(), end(), [this](const T& v) { return v == values_[0]; });
  }

  friend bool operator==(const PerAxis& a, const PerAxis& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  static void check_rank(std::size_t rank) {
    if (rank > kMaxRank) {
      throw std::length_error("netlens: more than 3 spatial axes");
    }
  }
  std::array<T, kMaxRank> values_{};
  std::size_t size_ = 0;
};

}  // namespace netlens
