#pragma once
// The narrow boundary between the workload and the system it loads (MLPerf LoadGen's split): the
// load generator *issues* each query, opened in the QueryTracker, through issue(); the system under
// test routes, serves and completes it, handing completions back through the QueryTracker
// (request_finished / complete), the one completion interface. Nothing else crosses.
#include <cstdint>

namespace recsim {

class SystemUnderTest {
 public:
  virtual ~SystemUnderTest() = default;
  // Query `slot` of `model`, `size` items, arrives at the frontend at virtual time `now`.
  virtual void issue(std::uint32_t slot, int model, int size, double now) = 0;
  // Whether anything in the system reads SimGrid's clock while queries arrive (GPUs, the network,
  // completions delivered in time). When nothing does, the load generator need not sleep until each
  // arrival: it passes the arrival time instead, and the clock catches up at the end.
  virtual bool needs_clock() const { return true; }
  // No query will be issued any more: what is in the system must complete in virtual time.
  virtual void arrivals_done() {}
};

}  // namespace recsim
