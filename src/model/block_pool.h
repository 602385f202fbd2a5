// BlockPool<Size, Align>: fixed-size blocks for HeapOptional's values. A
// million-layer net holds a million of them (a conv's window parameters, its
// report's window), and from malloc they cost a fifth of the run: on a VM,
// malloc's 4 KB-paged heap meant a TLB miss every few blocks, and its
// bookkeeping a cache miss per call. Here blocks are carved in order from
// chunks that grow to 2 MB and ask for huge pages, and freed blocks go to a
// free list for the next allocation, never back to the system (as malloc's
// arenas keep theirs). One pool per thread: no locks, and a block freed on
// another thread simply joins that thread's list.
#pragma once

#include <algorithm>
#include <cstddef>
#include <new>

#include "model/prefault.h"

// Under AddressSanitizer every block comes from operator new, so that ASan
// still sees each one's bounds and lifetime.
#if defined(__SANITIZE_ADDRESS__)
#define NETLENS_BLOCKS_FROM_NEW 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NETLENS_BLOCKS_FROM_NEW 1
#endif
#endif

namespace netlens {

template <std::size_t Size, std::size_t Align>
class BlockPool {
 public:
  static void* allocate() {
#if defined(NETLENS_BLOCKS_FROM_NEW)
    return ::operator new (Size, std::align_val_t{Align});
#else
    State& s = state();
    if (s.free != nullptr) {
      FreeBlock* block = s.free;
      s.free = block->next;
      return block;
    }
    if (s.end - s.next < static_cast<std::ptrdiff_t>(kBlock)) {
      refill(s);
    }
    void* block = s.next;
    s.next += kBlock;
    return block;
#endif
  }

  static void deallocate(void* block) noexcept {
#if defined(NETLENS_BLOCKS_FROM_NEW)
    ::operator delete (block, std::align_val_t{Align});
#else
    State& s = state();
    s.free = ::new (block) FreeBlock{s.free};
#endif
  }

 private:
  struct FreeBlock {
    FreeBlock* next;
  };
  static constexpr std::size_t kAlign = std::max(Align, alignof(FreeBlock));
  static constexpr std::size_t kBlock =
      (std::max(Size, sizeof(FreeBlock)) + kAlign - 1) / kAlign * kAlign;
  // The first chunk is small, so a small net pays for no huge page; each
  // next one doubles, up to one 2 MB huge page.
  static constexpr std::size_t kFirstChunk = std::size_t{64} << 10;
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;

  struct State {
    FreeBlock* free = nullptr;
    char* next = nullptr;
    char* end = nullptr;
    std::size_t chunk = kFirstChunk;
  };

  static State& state() {
    thread_local State s;
    return s;
  }

  static void refill(State& s) {
    const std::size_t align = s.chunk == kHugePage ? kHugePage : kAlign;
    s.next = static_cast<char*>(::operator new (s.chunk, std::align_val_t{align}));
    s.end = s.next + s.chunk;
    if (s.chunk == kHugePage) {
      use_huge_pages(s.next, s.chunk);
    }
    s.chunk = std::min(2 * s.chunk, kHugePage);
  }
};

}  // namespace netlens
