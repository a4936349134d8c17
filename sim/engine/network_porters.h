#pragma once
// Messages across the datacenter network in virtual time: each message is a SimGrid communication
// of its bytes between two hosts (latency + bytes / bandwidth alone, max-min shared with the other
// messages on each link of its route), carried by a porter actor that then runs the message's
// continuation (hand the query to its server, or complete it at the frontend). Porters are reused:
// an idle one parks; a new one is created only when every porter is carrying a message, so their
// number is the largest number of messages in flight at once, not the number of queries. At most
// kMaxInFlight messages cross at once; more wait in FIFO order for a porter (a send queue). Far
// below overload a fleet has a few dozen in flight; the cap keeps an overloaded run from solving
// max-min sharing over tens of thousands of flows at every event.
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Host.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

namespace recsim {

class NetworkPorters {
 public:
  explicit NetworkPorters(simgrid::s4u::Host* home) : home_(home) {}
  NetworkPorters(const NetworkPorters&) = delete;
  NetworkPorters& operator=(const NetworkPorters&) = delete;

  // Sends `bytes` from `from` to `to`, then runs `then` (in the porter's actor, at arrival time).
  void send(simgrid::s4u::Host* from, simgrid::s4u::Host* to, std::uint64_t bytes, std::function<void()> then);
  std::size_t porters() const { return porters_.size(); }
  static constexpr std::size_t kMaxInFlight = 256;

 private:
  struct Message {
    simgrid::s4u::Host* from;
    simgrid::s4u::Host* to;
    std::uint64_t bytes;
    std::function<void()> then;
  };
  void porter(std::size_t index);

  simgrid::s4u::Host* home_;
  std::deque<Message> queue_;
  std::vector<simgrid::s4u::Actor*> porters_;
  std::vector<std::size_t> idle_;
};

}  // namespace recsim
