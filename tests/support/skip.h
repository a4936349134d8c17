#pragma once
// A test case that cannot run on this machine (Catch2 v2 has no SKIP): it prints why, after a marker
// that makes CTest report it as skipped rather than passed (SKIP_REGULAR_EXPRESSION in
// tests/CMakeLists.txt), and returns. Only at the top level of a TEST_CASE.
#include <catch2/catch.hpp>

#define RECSIM_SKIP(why)                      \
  do {                                        \
    WARN("recsim-test-skipped: " << why);     \
    return;                                   \
  } while (false)
