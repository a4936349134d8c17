#include "sim/engine/flow_network.h"

#include "sim/engine/free_slots.h"

#include <algorithm>
#include <stdexcept>

namespace recsim {
namespace {

// Sums of rates drift by rounding as flows come and go: a link is full within this fraction.
constexpr double kTolerance = 1e-9;

}  // namespace

std::size_t FlowNetwork::add_link(double bandwidth) {
  if (!(bandwidth > 0.0)) throw std::invalid_argument("FlowNetwork: a link's bandwidth must be > 0");
  links_.push_back({});
  links_.back().capacity = bandwidth;
  return links_.size() - 1;
}

void FlowNetwork::start(double now, double bytes, std::span<const std::size_t> links, std::uint64_t tag) {
  const std::uint32_t f = take_free_slot(flows_, free_);
  Flow& flow = flows_[f];
  flow.links.clear();
  flow.slot.clear();
  flow.bound = kNever;
  for (std::size_t i = 0; i < links.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (links[i] == links[j]) throw std::logic_error("FlowNetwork: a flow crosses a link twice");
  for (const std::size_t l : links) {
    Link& link = links_[l];
    flow.links.push_back(static_cast<std::uint32_t>(l));
    flow.slot.push_back(static_cast<std::uint32_t>(link.flows.size()));
    link.flows.push_back(f);
    flow.bound = std::min(flow.bound, link.capacity);
  }
  flow.remaining = bytes;
  flow.updated = now;
  flow.tag = tag;
  flow.active = true;
  flow.held = false;
  flow.rate = 0.0;
  ++active_;
  // Max-min leaves every other flow as it is when this one fits in each link's spare bandwidth at
  // its route's narrowest: then that is its rate.
  bool fits = true;
  for (const std::uint32_t l : flow.links) fits = fits && links_[l].load + flow.bound <= links_[l].capacity * (1.0 + kTolerance);
  if (fits) {
    set_rate(f, flow.bound);
    schedule(f);
    return;
  }
  seeds_ = flow.links;
  rebalance(now, seeds_);
}

double FlowNetwork::next_end() {
  while (!due_.empty()) {
    const Due& d = due_.top();
    const Flow& flow = flows_[d.flow];
    if (flow.active && flow.version == d.version) return d.end;
    due_.pop();  // superseded by a later rate change, or its flow ended
  }
  return kNever;
}

void FlowNetwork::finish_due(double now, std::vector<std::uint64_t>& ended) {
  while (next_end() <= now) {
    const Due d = due_.top();
    due_.pop();
    Flow& flow = flows_[d.flow];
    ended.push_back(flow.tag);
    seeds_ = flow.links;
    remove(d.flow);
    // Flows held below their narrowest link may speed up now.
    if (held_ > 0) rebalance(d.end, seeds_);
  }
}

double FlowNetwork::rate_of(std::uint64_t tag) const {
  for (const Flow& flow : flows_)
    if (flow.active && flow.tag == tag) return flow.rate;
  return 0.0;
}

void FlowNetwork::schedule(std::uint32_t f) {
  Flow& flow = flows_[f];
  ++flow.version;
  flow.end = flow.rate > 0.0 ? flow.updated + flow.remaining / flow.rate : kNever;
  if (flow.end < kNever) due_.push({flow.end, f, flow.version});
}

void FlowNetwork::set_rate(std::uint32_t f, double rate) {
  Flow& flow = flows_[f];
  for (const std::uint32_t l : flow.links) links_[l].load += rate - flow.rate;
  flow.rate = rate;
  const bool held = rate < flow.bound * (1.0 - kTolerance);
  if (held != flow.held) {
    held_ += held ? 1 : std::size_t(-1);
    flow.held = held;
  }
}

void FlowNetwork::remove(std::uint32_t f) {
  Flow& flow = flows_[f];
  for (const std::uint32_t l : flow.links) links_[l].load -= flow.rate;
  flow.rate = 0.0;
  if (flow.held) {
    --held_;
    flow.held = false;
  }
  for (std::size_t i = 0; i < flow.links.size(); ++i) {
    Link& link = links_[flow.links[i]];
    const std::uint32_t slot = flow.slot[i];
    const std::uint32_t moved = link.flows.back();
    link.flows[slot] = moved;
    link.flows.pop_back();
    if (moved != f) {
      Flow& other = flows_[moved];
      for (std::size_t j = 0; j < other.links.size(); ++j)
        if (other.links[j] == flow.links[i]) other.slot[j] = slot;
    }
    if (link.flows.empty()) link.load = 0.0;  // no drift left behind
  }
  flow.active = false;
  ++flow.version;
  free_.push_back(f);
  --active_;
}

void FlowNetwork::rebalance(double now, const std::vector<std::uint32_t>& seeds) {
  ++rebalances_;
  ++mark_;
  comp_flows_.clear();
  comp_links_.clear();
  // The connected component: links and flows reachable through shared links.
  for (const std::uint32_t l : seeds)
    if (links_[l].mark != mark_) {
      links_[l].mark = mark_;
      comp_links_.push_back(l);
    }
  for (std::size_t i = 0; i < comp_links_.size(); ++i) {
    for (const std::uint32_t f : links_[comp_links_[i]].flows) {
      Flow& flow = flows_[f];
      if (flow.mark == mark_) continue;
      flow.mark = mark_;
      comp_flows_.push_back(f);
      for (const std::uint32_t l : flow.links)
        if (links_[l].mark != mark_) {
          links_[l].mark = mark_;
          comp_links_.push_back(l);
        }
    }
  }
  // Bytes sent so far at the old rates.
  for (const std::uint32_t f : comp_flows_) {
    Flow& flow = flows_[f];
    flow.remaining = std::max(0.0, flow.remaining - flow.rate * (now - flow.updated));
    flow.updated = now;
    flow.fixed = false;
  }
  for (const std::uint32_t l : comp_links_) {
    Link& link = links_[l];
    link.spare = link.capacity;
    link.unfixed = static_cast<std::uint32_t>(link.flows.size());
  }
  // Progressive filling: the link with the smallest fair share fixes its unfixed flows at it.
  std::size_t left = comp_flows_.size();
  while (left > 0) {
    double share = kNever;
    for (const std::uint32_t l : comp_links_) {
      const Link& link = links_[l];
      if (link.unfixed > 0) share = std::min(share, std::max(0.0, link.spare) / link.unfixed);
    }
    for (const std::uint32_t l : comp_links_) {
      Link& link = links_[l];
      if (link.unfixed == 0 || std::max(0.0, link.spare) / link.unfixed > share * (1.0 + kTolerance)) continue;
      for (const std::uint32_t f : link.flows) {
        Flow& flow = flows_[f];
        if (flow.fixed) continue;
        flow.fixed = true;
        --left;
        for (const std::uint32_t k : flow.links) {
          links_[k].spare -= share;
          --links_[k].unfixed;
        }
        flow.next_rate = share;
      }
    }
  }
  for (const std::uint32_t f : comp_flows_) {
    set_rate(f, flows_[f].next_rate);
    schedule(f);
  }
}

}  // namespace recsim
