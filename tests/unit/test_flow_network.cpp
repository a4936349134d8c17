// The flow-level network (sim/engine/flow_network.h) against closed forms of max-min fair sharing:
// a lone flow at its narrowest link, flows sharing one link equally and speeding up when one ends,
// the textbook max-min allocation of three flows over two links, and a flow that fits in the spare
// bandwidth leaving the others alone.
#include "sim/engine/flow_network.h"

#include <catch2/catch.hpp>

#include <vector>

using namespace recsim;

namespace {

// Runs every transfer to its end; returns (tag, end time) in end order.
std::vector<std::pair<std::uint64_t, double>> drain(FlowNetwork& net) {
  std::vector<std::pair<std::uint64_t, double>> out;
  std::vector<std::uint64_t> ended;
  for (double t = net.next_end(); t < FlowNetwork::kNever; t = net.next_end()) {
    ended.clear();
    net.finish_due(t, ended);
    for (const auto tag : ended) out.emplace_back(tag, t);
  }
  return out;
}

}  // namespace

TEST_CASE("flow network: a lone flow crosses at its narrowest link", "[network][flow]") {
  FlowNetwork net;
  const auto fast = net.add_link(10e9), slow = net.add_link(1e9);
  net.start(0.5, 2e6, {fast, slow}, 7);
  CHECK(net.rate_of(7) == 1e9);
  const auto ends = drain(net);
  REQUIRE(ends.size() == 1);
  CHECK(ends[0].first == 7);
  CHECK(ends[0].second == Approx(0.5 + 2e6 / 1e9).epsilon(1e-12));
  CHECK(net.rebalances() == 0);
}

TEST_CASE("flow network: two flows on one link share it, and the survivor speeds up", "[network][flow]") {
  // Link of 1 GB/s, each flow's own NIC 10 GB/s: both at 0.5 GB/s until the smaller (a) is sent at
  // 2a / C, then the other at 1 GB/s: it ends at (a + b) / C.
  FlowNetwork net;
  const auto shared = net.add_link(1e9), nic_a = net.add_link(10e9), nic_b = net.add_link(10e9);
  const double a = 1e6, b = 3e6;
  net.start(0.0, a, {nic_a, shared}, 1);
  net.start(0.0, b, {nic_b, shared}, 2);
  CHECK(net.rate_of(1) == Approx(0.5e9));
  CHECK(net.rate_of(2) == Approx(0.5e9));
  const auto ends = drain(net);
  REQUIRE(ends.size() == 2);
  CHECK(ends[0].first == 1);
  CHECK(ends[0].second == Approx(2 * a / 1e9).epsilon(1e-12));
  CHECK(ends[1].first == 2);
  CHECK(ends[1].second == Approx((a + b) / 1e9).epsilon(1e-12));
}

TEST_CASE("flow network: the max-min allocation of three flows over two links", "[network][flow]") {
  // L1 = 1, L2 = 2 (GB/s); X on L1, Y on L1 and L2, Z on L2: L1's fair share 0.5 fixes X and Y, Z
  // takes what Y leaves of L2, 1.5.
  FlowNetwork net;
  const auto l1 = net.add_link(1e9), l2 = net.add_link(2e9);
  net.start(0.0, 1e9, {l1}, 1);
  net.start(0.0, 1e9, {l1, l2}, 2);
  net.start(0.0, 1e9, {l2}, 3);
  CHECK(net.rate_of(1) == Approx(0.5e9));
  CHECK(net.rate_of(2) == Approx(0.5e9));
  CHECK(net.rate_of(3) == Approx(1.5e9));
}

TEST_CASE("flow network: a flow that fits in the spare bandwidth moves no other flow", "[network][flow]") {
  FlowNetwork net;
  const auto uplink = net.add_link(10e9), nic_a = net.add_link(3e9), nic_b = net.add_link(3e9), nic_c = net.add_link(3e9);
  net.start(0.0, 3e6, {uplink, nic_a}, 1);
  net.start(0.0, 6e6, {uplink, nic_b}, 2);
  net.start(0.0, 9e6, {uplink, nic_c}, 3);  // 9 of 10 GB/s: every flow at its NIC's 3
  CHECK(net.rebalances() == 0);
  CHECK(net.rate_of(3) == 3e9);
  const auto ends = drain(net);
  REQUIRE(ends.size() == 3);
  CHECK(ends[0].second == Approx(1e-3));
  CHECK(ends[1].second == Approx(2e-3));
  CHECK(ends[2].second == Approx(3e-3));
  CHECK(net.rebalances() == 0);
  CHECK(net.active() == 0);
}

TEST_CASE("flow network: a fourth flow over a full uplink slows every flow on it, and they recover", "[network][flow]") {
  // Uplink 10 GB/s, NICs 3 GB/s: three flows fit (9), a fourth makes it 2.5 each. Every flow carries
  // 2.5 MB: all at 2.5 GB/s end together at 1 ms (what they would have at 3 GB/s: 0.833 ms).
  FlowNetwork net;
  const auto uplink = net.add_link(10e9);
  for (std::uint64_t i = 0; i < 4; ++i) net.start(0.0, 2.5e6, {uplink, net.add_link(3e9)}, i);
  CHECK(net.rate_of(0) == Approx(2.5e9));
  CHECK(net.rate_of(3) == Approx(2.5e9));
  const auto ends = drain(net);
  REQUIRE(ends.size() == 4);
  for (const auto& [tag, at] : ends) CHECK(at == Approx(1e-3).epsilon(1e-12));
}
