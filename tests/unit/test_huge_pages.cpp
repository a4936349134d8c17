// The large fleet's heap on transparent huge pages (sim/engine/huge_pages.h).
#include "sim/engine/huge_pages.h"
#include "support/skip.h"

#include <catch2/catch.hpp>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

using namespace recsim;

TEST_CASE("a heap above the threshold is rebuilt from huge pages, one below it is left alone", "[huge_pages]") {
  // 16 MiB of small blocks, each touched: the brk heap (blocks below glibc's mmap threshold).
  std::vector<std::unique_ptr<char[]>> blocks;
  for (int i = 0; i < 256; ++i) {
    blocks.emplace_back(new char[64 << 10]);
    std::memset(blocks.back().get(), i, 64 << 10);
  }
  const HugePageBacking none = back_heap_with_huge_pages(std::size_t{1} << 40);
  if (none.heap_bytes < (std::size_t{8} << 20)) RECSIM_SKIP("no brk heap of 8 MiB here (a sanitizer's allocator keeps its own)");
  CHECK_FALSE(none.asked);
  CHECK(none.error == 0);
  const HugePageBacking done = back_heap_with_huge_pages(std::size_t{8} << 20);
  CHECK(done.asked);
  CHECK(done.heap_bytes >= none.heap_bytes);
  if (done.error == EINVAL) RECSIM_SKIP("this kernel cannot collapse pages on demand (MADV_COLLAPSE: Linux 6.1 and later)");
  // The kernel may leave a range it finds no free huge page for (EAGAIN), but not all of it.
  CHECK((done.error == 0 || done.error == EAGAIN));
  CHECK(anonymous_huge_page_bytes() >= (std::size_t{4} << 20));
  for (int i = 0; i < 256; ++i) CHECK(blocks[static_cast<std::size_t>(i)][12345] == static_cast<char>(i));  // the contents kept
}
