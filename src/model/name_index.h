// NameIndex: layer names -> ids without copying a name. The names live in the
// caller's layers; the table holds 8-byte slots (a 32-bit hash and the id),
// open addressing with linear probing. A node-based std::unordered_map spent
// one allocation and a cache miss or two per layer: 20% of a million-layer run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "model/prefault.h"

namespace netlens {

class NameIndex {
 public:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  // Room for `count` names before the table grows.
  void reserve(std::size_t count) {
    if (count * 2 > slots_.size()) {
      rehash(count * 2);
    }
  }

  // The id stored under `name`, or kNone. `name_of(id)` is the name of id.
  template <class NameOf>
  std::size_t find(std::string_view name, const NameOf& name_of) const {
    if (slots_.empty()) {
      return kNone;
    }
    const std::uint32_t hash = hash_of(name);
    for (std::size_t i = hash & mask(); slots_[i].id != 0; i = (i + 1) & mask()) {
      if (slots_[i].hash == hash && name_of(slots_[i].id - 1) == name) {
        return slots_[i].id - 1;
      }
    }
    return kNone;
  }

  // Stores `id` under `name` unless the name is there already. Returns the id
  // stored under `name`: `id` when it was added, the first one's otherwise.
  template <class NameOf>
  std::size_t insert(std::string_view name, std::size_t id, const NameOf& name_of) {
    if ((count_ + 1) * 2 > slots_.size()) {
      rehash(slots_.empty() ? 16 : slots_.size() * 2);
    }
    const std::uint32_t hash = hash_of(name);
    std::size_t i = hash & mask();
    for (; slots_[i].id != 0; i = (i + 1) & mask()) {
      if (slots_[i].hash == hash && name_of(slots_[i].id - 1) == name) {
        return slots_[i].id - 1;
      }
    }
    slots_[i] = {hash, static_cast<std::uint32_t>(id + 1)};
    ++count_;
    return id;
  }

  // Starts loading the slot of `name`: a find or insert some hundred
  // instructions later then hits the cache. Over a million layers each slot
  // is a cache and TLB miss, and waiting for them was 5% of a run.
  void prefetch(std::string_view name) const {
    if (!slots_.empty()) {
      __builtin_prefetch(&slots_[hash_of(name) & mask()]);
    }
  }

  std::size_t size() const { return count_; }

 private:
  struct Slot {
    std::uint32_t hash = 0;
    std::uint32_t id = 0;  // id + 1; 0: empty
  };

  static std::uint32_t hash_of(std::string_view name) {
    const std::size_t h = std::hash<std::string_view>{}(name);
    return static_cast<std::uint32_t>(h ^ (h >> 32));
  }
  std::size_t mask() const { return slots_.size() - 1; }

  // Grows to a power of two >= `wanted`; the stored hashes place every slot
  // again without reading a name.
  void rehash(std::size_t wanted) {
    std::size_t size = 16;
    while (size < wanted) {
      size *= 2;
    }
    std::vector<Slot> old = std::move(slots_);
    slots_.reserve(size);
    prefault_capacity(slots_);
    slots_.assign(size, Slot{});
    for (const Slot& s : old) {
      if (s.id != 0) {
        std::size_t i = s.hash & mask();
        while (slots_[i].id != 0) {
          i = (i + 1) & mask();
        }
        slots_[i] = s;
      }
    }
  }

  std::vector<Slot> slots_;
  std::size_t count_ = 0;
};

}  // namespace netlens
