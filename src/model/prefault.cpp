#include "model/prefault.h"

#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace netlens {

void prefault(const void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  constexpr std::uintptr_t kPage = 4096;  // madvise needs page-aligned ranges
  constexpr std::size_t kWorthIt = std::size_t{1} << 20;
  if (bytes < kWorthIt) {
    return;
  }
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + kPage - 1) & ~(kPage - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kPage - 1);
  if (end > begin) {
    // The answer is ignored: EINVAL on an older kernel leaves the pages to
    // fault in as they would have.
    (void)madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
  }
#else
  (void)data;
  (void)bytes;
#endif
}

}  // namespace netlens
