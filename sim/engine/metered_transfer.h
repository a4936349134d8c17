#pragma once
// A transfer over the platform's links that meters the busy time of the link direction it uses.
#include "sim/metrics/busy_meter.h"

#include <simgrid/s4u/Host.hpp>

#include <cstdint>

namespace recsim {

// Sends `bytes` from `from` to `to`, blocking the calling actor until they arrive; `link` counts
// the transfer as busy time.
void metered_transfer(BusyMeter& link, simgrid::s4u::Host* from, simgrid::s4u::Host* to, std::uint64_t bytes);

}  // namespace recsim
