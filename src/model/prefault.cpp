#include "model/prefault.h"

#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace netlens {

namespace {

#if defined(__linux__)
// madvise on the whole pages inside [data, data + bytes), if the block is
// large enough to be worth a system call. The answer is ignored: an older
// kernel's EINVAL leaves the pages as they would have been.
void advise(const void* data, std::size_t bytes, int advice) {
  constexpr std::uintptr_t kPage = 4096;  // madvise needs page-aligned ranges
  constexpr std::size_t kWorthIt = std::size_t{1} << 20;
  if (bytes < kWorthIt) {
    return;
  }
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + kPage - 1) & ~(kPage - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kPage - 1);
  if (end > begin) {
    (void)madvise(reinterpret_cast<void*>(begin), end - begin, advice);
  }
}
#endif

}  // namespace

void use_huge_pages(const void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  advise(data, bytes, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

void prefault(const void* data, std::size_t bytes) {
  use_huge_pages(data, bytes);
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  advise(data, bytes, MADV_POPULATE_WRITE);
#endif
}

}  // namespace netlens
