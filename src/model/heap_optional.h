// HeapOptional<T>: std::optional's interface with the value on the heap, for
// large fields most layers leave empty. An empty one costs a pointer where
// std::optional would cost the whole T, a million times over on big nets.
#pragma once

#include <memory>
#include <optional>
#include <utility>

namespace netlens {

template <class T>
class HeapOptional {
 public:
  HeapOptional() = default;
  HeapOptional(std::nullopt_t) {}                                   // NOLINT: as std::optional
  HeapOptional(const T& value) : p_(std::make_unique<T>(value)) {}  // NOLINT
  HeapOptional(T&& value) : p_(std::make_unique<T>(std::move(value))) {}  // NOLINT
  HeapOptional(const std::optional<T>& o)                                 // NOLINT
      : p_(o ? std::make_unique<T>(*o) : nullptr) {}
  HeapOptional(const HeapOptional& other)
      : p_(other.p_ ? std::make_unique<T>(*other.p_) : nullptr) {}
  HeapOptional(HeapOptional&&) noexcept = default;
  HeapOptional& operator=(const HeapOptional& other) {
    if (this != &other) {
      p_ = other.p_ ? std::make_unique<T>(*other.p_) : nullptr;
    }
    return *this;
  }
  HeapOptional& operator=(HeapOptional&&) noexcept = default;
  ~HeapOptional() = default;

  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  const T& operator*() const { return *p_; }
  T& operator*() { return *p_; }
  const T* operator->() const { return p_.get(); }
  T* operator->() { return p_.get(); }
  void reset() { p_.reset(); }
  T& emplace() {
    p_ = std::make_unique<T>();
    return *p_;
  }

 private:
  std::unique_ptr<T> p_;
};

}  // namespace netlens
