#include "sim/engine/huge_pages.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25  // Linux 6.1 (older C libraries lack the name; older kernels answer EINVAL)
#endif

namespace recsim {

HugePageBacking back_heap_with_huge_pages(std::size_t min_bytes) {
  HugePageBacking b;
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    if (line.find("[heap]") == std::string::npos) continue;
    unsigned long lo = 0, hi = 0;
    if (std::sscanf(line.c_str(), "%lx-%lx", &lo, &hi) != 2) break;
    constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
    const std::uintptr_t from = (lo + kHuge - 1) & ~(kHuge - 1), to = hi & ~(kHuge - 1);
    if (to <= from) break;
    b.heap_bytes = to - from;
    if (b.heap_bytes < min_bytes) break;
    void* start = reinterpret_cast<void*>(from);
    // Later faults in the heap as it is now get huge pages; what is there is rebuilt from them
    // (best effort: a range the kernel cannot find a free huge page for stays as it was).
    // (Both are advice: an error leaves the pages as they were, and the run is the same.)
    (void)madvise(start, b.heap_bytes, MADV_HUGEPAGE);
    if (madvise(start, b.heap_bytes, MADV_COLLAPSE) != 0) b.error = errno;
    b.asked = true;
    break;
  }
  return b;
}

std::size_t anonymous_huge_page_bytes() {
  std::ifstream rollup("/proc/self/smaps_rollup");
  std::string line;
  while (std::getline(rollup, line)) {
    unsigned long kib = 0;
    if (std::sscanf(line.c_str(), "AnonHugePages: %lu kB", &kib) == 1) return std::size_t{kib} << 10;
  }
  return 0;
}

}  // namespace recsim
