// HeapOptional<T>: std::optional's interface with the value on the heap, for
// large fields most layers leave empty. An empty one costs a pointer where
// std::optional would cost the whole T, a million times over on big nets.
// Values live in a BlockPool (see there why not plain new).
#pragma once

#include <optional>
#include <utility>

#include "model/block_pool.h"

namespace netlens {

template <class T>
class HeapOptional {
 public:
  HeapOptional() = default;
  HeapOptional(std::nullopt_t) {}                          // NOLINT: as std::optional
  HeapOptional(const T& value) : p_(make(value)) {}        // NOLINT
  HeapOptional(T&& value) : p_(make(std::move(value))) {}  // NOLINT
  HeapOptional(const std::optional<T>& o)                  // NOLINT
      : p_(o ? make(*o) : nullptr) {}
  HeapOptional(const HeapOptional& other) : p_(other.p_ ? make(*other.p_) : nullptr) {}
  HeapOptional(HeapOptional&& other) noexcept : p_(std::exchange(other.p_, nullptr)) {}
  HeapOptional& operator=(const HeapOptional& other) {
    if (this != &other) {
      T* copy = other.p_ ? make(*other.p_) : nullptr;
      destroy(std::exchange(p_, copy));
    }
    return *this;
  }
  HeapOptional& operator=(HeapOptional&& other) noexcept {
    if (this != &other) {
      destroy(std::exchange(p_, std::exchange(other.p_, nullptr)));
    }
    return *this;
  }
  ~HeapOptional() { destroy(p_); }

  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  const T& operator*() const { return *p_; }
  T& operator*() { return *p_; }
  const T* operator->() const { return p_; }
  T* operator->() { return p_; }
  void reset() { destroy(std::exchange(p_, nullptr)); }
  T& emplace() {
    T* value = make();
    destroy(std::exchange(p_, value));
    return *p_;
  }

 private:
  using Pool = BlockPool<sizeof(T), alignof(T)>;

  template <class... Args>
  static T* make(Args&&... args) {
    void* block = Pool::allocate();
    try {
      return ::new (block) T(std::forward<Args>(args)...);
    } catch (...) {
      Pool::deallocate(block);
      throw;
    }
  }
  static void destroy(T* p) noexcept {
    if (p != nullptr) {
      p->~T();
      Pool::deallocate(p);
    }
  }

  T* p_ = nullptr;
};

}  // namespace netlens
