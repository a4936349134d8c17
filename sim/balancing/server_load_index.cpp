#include "sim/balancing/server_load_index.h"

#include <algorithm>
#include <limits>

namespace recsim {

namespace {
constexpr double kNone = std::numeric_limits<double>::infinity();
}

ServerLoadIndex::ServerLoadIndex(std::size_t servers) : n_(servers), leaves_(1) {
  while (leaves_ < n_) leaves_ *= 2;
  tree_.assign(2 * leaves_, kNone);
  for (std::size_t i = 0; i < n_; ++i) tree_[leaves_ + i] = 0.0;
  for (std::size_t k = leaves_ - 1; k >= 1; --k) tree_[k] = std::min(tree_[2 * k], tree_[2 * k + 1]);
}

void ServerLoadIndex::set(std::size_t server, double load) {
  std::size_t k = leaves_ + server;
  tree_[k] = load;
  for (k /= 2; k >= 1; k /= 2) {
    const double m = std::min(tree_[2 * k], tree_[2 * k + 1]);
    if (tree_[k] == m) break;  // nothing above changes
    tree_[k] = m;
  }
}

std::size_t ServerLoadIndex::first_at_most(std::size_t k, std::size_t node_lo, std::size_t node_hi, std::size_t lo,
                                           double value) const {
  // O(log N): a subtree is entered only when it reaches past `lo` and holds a value <= `value`;
  // every subtree entered that lies wholly past `lo` holds the answer.
  if (node_hi <= lo || tree_[k] > value) return n_;
  if (k >= leaves_) return k - leaves_;
  const std::size_t mid = (node_lo + node_hi) / 2;
  const std::size_t left = first_at_most(2 * k, node_lo, mid, lo, value);
  return left < n_ ? left : first_at_most(2 * k + 1, mid, node_hi, lo, value);
}

std::size_t ServerLoadIndex::least_from(std::size_t start) const {
  const double m = tree_[1];  // the smallest load: the first server at or after `start` with it, else the first
  const std::size_t after = first_at_most(1, 0, leaves_, start, m);
  return after < n_ ? after : first_at_most(1, 0, leaves_, 0, m);
}

}  // namespace recsim
