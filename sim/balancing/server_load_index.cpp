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
  if (tree_[k] == load) return;
  tree_[k] = load;
  for (k /= 2; k >= 1; k /= 2) {
    const double m = std::min(tree_[2 * k], tree_[2 * k + 1]);
    if (tree_[k] == m) break;  // nothing above changes
    tree_[k] = m;
  }
}

std::size_t ServerLoadIndex::first_at_most(std::size_t lo, double value) const {
  // From lo's leaf, climb to the first subtree to its right that holds a value <= `value`, then
  // descend to that subtree's first such leaf: O(log N) without recursion. Padding leaves hold
  // infinity and are never chosen.
  std::size_t k = leaves_ + lo;
  if (tree_[k] <= value) return lo;
  for (;;) {
    while (k & 1) {  // a right child (or the root): what lies to its right is its parent's
      if (k == 1) return n_;
      k >>= 1;
    }
    ++k;  // the sibling subtree, just right of everything passed
    if (tree_[k] <= value) break;
  }
  while (k < leaves_) k = tree_[2 * k] <= value ? 2 * k : 2 * k + 1;
  return k - leaves_;
}

std::size_t ServerLoadIndex::least_from(std::size_t start) const {
  // The first server at or after `start` with the smallest load, else the first with it.
  const std::size_t after = first_at_most(start, tree_[1]);
  return after < n_ ? after : argmin();
}

}  // namespace recsim
