// prefault: maps in, at once, memory a caller is about to fill. Taking page
// faults one 4 KB page at a time was a quarter of a million-layer run (the
// kernel's share of its time); one madvise for the whole block costs a
// fraction of that. Only worth it for large blocks that will be written
// whole: a reserved vector filled to its size.
#pragma once

#include <cstddef>

namespace netlens {

// Best effort: does nothing where the system cannot (non-Linux, kernels
// before 5.14) or for blocks under 1 MB.
void prefault(const void* data, std::size_t bytes);

// Asks for 2 MB pages (transparent huge pages) for a block that will be
// walked whole, without mapping it in yet. Best effort, as above.
void use_huge_pages(const void* data, std::size_t bytes);

template <class Vector>
void prefault_capacity(const Vector& v) {
  prefault(v.data(), v.capacity() * sizeof(*v.data()));
}

}  // namespace netlens
