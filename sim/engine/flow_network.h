#pragma once
// The network's transfers as fluid flows with max-min fair sharing, computed by recsim itself: the
// same model as SimGrid's CM02 network with `network/TCP-gamma:0` and no cross traffic (what
// sim/engine/simulation.cpp configures), for flows of equal sharing weight. Each flow crosses its
// links at one rate; every link's flows share its bandwidth max-min fairly (progressive filling: the
// link with the smallest fair share fixes its flows' rate, and so on). A flow ends when its bytes
// are sent. The latency phase before a transfer is the caller's (sim/engine/network_messages.h).
//
// Why recsim's own: SimGrid 3.32 keeps every host-to-host communication on one list and walks it
// when each ends, so a message costs O(messages in flight), 87 us at 100,000 servers
// (docs/performance.md). Here a flow that fits in the spare bandwidth of every link it crosses
// takes its route's narrowest bandwidth at O(links) cost and moves no other flow (max-min leaves
// the others as they are); only when a link would carry more than its bandwidth are the rates of
// the flows connected to it through shared links recomputed, and when one ends while some flow is
// held below its narrowest link. tests/unit/test_flow_network.cpp checks it against closed forms;
// tests/unit/test_datacenter.cpp against SimGrid's own network on the same fleets.
#include <boost/container/small_vector.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <queue>
#include <span>
#include <vector>

namespace recsim {

class FlowNetwork {
 public:
  static constexpr double kNever = std::numeric_limits<double>::infinity();

  // A link of `bandwidth` bytes/s (one direction). Returns its index.
  std::size_t add_link(double bandwidth);
  // A transfer of `bytes` > 0 over `links` (indices, distinct) from `now`; `tag` comes back when it ends.
  void start(double now, double bytes, std::span<const std::size_t> links, std::uint64_t tag);
  void start(double now, double bytes, std::initializer_list<std::size_t> links, std::uint64_t tag) {
    start(now, bytes, std::span<const std::size_t>(links.begin(), links.size()), tag);
  }
  // When the next transfer ends (kNever when none is under way).
  double next_end();
  // Ends every transfer due by `now`, in end order, appending their tags to `ended`.
  void finish_due(double now, std::vector<std::uint64_t>& ended);

  std::size_t active() const { return active_; }
  // How often the rates of connected flows were recomputed: a start that did not fit in the spare
  // bandwidth, or an end while some flow was held below its narrowest link.
  std::uint64_t rebalances() const { return rebalances_; }
  // The rate of the transfer with `tag` (for tests; 0 when none).
  double rate_of(std::uint64_t tag) const;

 private:
  struct Flow {
    std::vector<std::uint32_t> links;
    std::vector<std::uint32_t> slot;  // its position in each link's list
    double remaining = 0.0, rate = 0.0, bound = 0.0, updated = 0.0, end = kNever, next_rate = 0.0;
    std::uint64_t tag = 0;
    std::uint32_t version = 0;
    std::uint32_t mark = 0;  // the rebalance that last visited it
    bool active = false, held = false, fixed = false;
  };
  struct Link {
    double capacity = 0.0, load = 0.0;
    // The flows crossing it, inside the link while few are (a large fleet's links are cold: one
    // line fewer per message).
    boost::container::small_vector<std::uint32_t, 6> flows;
    std::uint32_t mark = 0;
    double spare = 0.0;         // during a rebalance
    std::uint32_t unfixed = 0;  // during a rebalance
  };
  struct Due {
    double end;
    std::uint32_t flow, version;
    bool operator>(const Due& o) const { return end > o.end || (end == o.end && flow > o.flow); }
  };
  void schedule(std::uint32_t f);
  void set_rate(std::uint32_t f, double rate);
  void remove(std::uint32_t f);
  // Recomputes max-min rates over the flows connected to `seeds` through shared links, at `now`.
  void rebalance(double now, const std::vector<std::uint32_t>& seeds);

  std::vector<Link> links_;
  std::vector<Flow> flows_;
  std::vector<std::uint32_t> free_;
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> due_;
  std::size_t active_ = 0, held_ = 0;
  std::uint32_t mark_ = 0;
  std::uint64_t rebalances_ = 0;
  std::vector<std::uint32_t> comp_flows_, comp_links_, seeds_;  // scratch
};

}  // namespace recsim
