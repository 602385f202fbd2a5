// NodeIds: the nodes a layer reads (0 = the net input, i = layer i), the
// first two stored inline. Nearly every layer has one input, and a
// std::vector would allocate a block for it, a million times over on big nets.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>

namespace netlens {

class NodeIds {
 public:
  NodeIds() = default;
  NodeIds(std::initializer_list<std::size_t> ids) {
    for (std::size_t id : ids) {
      push_back(id);
    }
  }
  NodeIds(const NodeIds& other) {
    for (std::size_t id : other) {
      push_back(id);
    }
  }
  NodeIds(NodeIds&& other) noexcept { take(other); }
  NodeIds& operator=(const NodeIds& other) {
    if (this != &other) {
      release();
      for (std::size_t id : other) {
        push_back(id);
      }
    }
    return *this;
  }
  NodeIds& operator=(NodeIds&& other) noexcept {
    if (this != &other) {
      release();
      take(other);
    }
    return *this;
  }
  ~NodeIds() { release(); }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const std::size_t* data() const { return on_heap() ? heap_ : inline_; }
  const std::size_t* begin() const { return data(); }
  const std::size_t* end() const { return data() + size_; }
  std::size_t operator[](std::size_t i) const { return data()[i]; }

  void push_back(std::size_t id) {
    if (size_ == capacity_) {
      grow();
    }
    (on_heap() ? heap_ : inline_)[size_++] = id;
  }

  friend bool operator==(const NodeIds& a, const NodeIds& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  static constexpr std::uint32_t kInline = 2;

  bool on_heap() const { return capacity_ > kInline; }
  void grow() {
    auto* bigger = new std::size_t[capacity_ * 2];
    std::copy(begin(), end(), bigger);
    if (on_heap()) {
      delete[] heap_;
    }
    heap_ = bigger;
    capacity_ *= 2;
  }
  void release() {
    if (on_heap()) {
      delete[] heap_;
    }
    size_ = 0;
    capacity_ = kInline;
  }
  // Takes other's ids and leaves it empty; this must be empty.
  void take(NodeIds& other) {
    if (other.on_heap()) {
      heap_ = other.heap_;
      capacity_ = other.capacity_;
    } else {
      std::copy(other.inline_, other.inline_ + other.size_, inline_);
    }
    size_ = other.size_;
    other.size_ = 0;
    other.capacity_ = kInline;
  }

  std::uint32_t size_ = 0;
  std::uint32_t capacity_ = kInline;  // more than kInline: the ids are on the heap
  union {
    std::size_t inline_[kInline];
    std::size_t* heap_;
  };
};

}  // namespace netlens
