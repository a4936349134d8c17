#pragma once
// Transparent huge pages for a large fleet's state. A fleet of many servers keeps each one's state
// (its object, queues, cores' free times and histories, random stream, SimGrid host) in the heap,
// gigabytes at 100,000 servers, and each request touches a server none of the last thousands
// touched: with 4 KiB pages nearly every such access also misses the TLB, and a page walk (two
// dimensional under a hypervisor) costs more than the cache miss itself. With 2 MiB pages the TLB
// covers the whole heap of such a fleet (docs/performance.md, "Huge pages").
//
// After the fleet is built, back_heap_with_huge_pages() asks the kernel to rebuild the heap from
// huge pages at once (madvise MADV_COLLAPSE, Linux 6.1 and later) and to use them for the heap's
// later page faults (MADV_HUGEPAGE). Only the brk heap ([heap] in /proc/self/maps) is touched:
// every page of it is the process's own allocations, already resident, whereas other anonymous
// mappings (a sanitizer's shadow memory, thread stacks) would be filled in. Results do not depend on
// it; only speed does. Where the kernel refuses (older kernels, THP disabled), nothing changes.
#include <cstddef>

namespace recsim {

struct HugePageBacking {
  std::size_t heap_bytes = 0;  // the heap's 2 MiB-aligned part
  bool asked = false;          // whether it was at least min_bytes, so the kernel was asked
  int error = 0;               // the kernel's answer to the collapse: 0, or errno (EINVAL: not supported)
};

// Does it when the heap's aligned part is at least `min_bytes`.
HugePageBacking back_heap_with_huge_pages(std::size_t min_bytes);

// The process's anonymous memory in huge pages now (AnonHugePages of /proc/self/smaps_rollup;
// 0 where the kernel does not say).
std::size_t anonymous_huge_page_bytes();

}  // namespace recsim
