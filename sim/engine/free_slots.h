#pragma once
// Reused records by index: a pool keeps its records in a vector and the indices of those free in
// another; taking one reuses the last freed (its storage, and what it allocated, stay warm) or
// appends. The query tracker's slots, the flow network's flows and the network's messages use it.
#include <cstdint>
#include <vector>

namespace recsim {

// An index into `records` free to fill: the last one released to `free`, or a new one at the end.
template <class Record>
std::uint32_t take_free_slot(std::vector<Record>& records, std::vector<std::uint32_t>& free) {
  if (!free.empty()) {
    const std::uint32_t slot = free.back();
    free.pop_back();
    return slot;
  }
  records.emplace_back();
  return static_cast<std::uint32_t>(records.size() - 1);
}

}  // namespace recsim
