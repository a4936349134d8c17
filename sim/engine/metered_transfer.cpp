#include "sim/engine/metered_transfer.h"

#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>

namespace recsim {

void metered_transfer(BusyMeter& link, simgrid::s4u::Host* from, simgrid::s4u::Host* to, std::uint64_t bytes) {
  link.begin(simgrid::s4u::Engine::get_clock());
  simgrid::s4u::Comm::sendto(from, to, bytes);
  link.end(simgrid::s4u::Engine::get_clock());
}

}  // namespace recsim
