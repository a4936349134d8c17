#include "sim/balancing/server_load_index.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace recsim {

namespace {
constexpr double kNone = std::numeric_limits<double>::infinity();
}

ServerLoadIndex::ServerLoadIndex(std::size_t servers) : n_(servers), leaves_(1) {
  if (servers > std::numeric_limits<std::uint32_t>::max()) throw std::length_error("ServerLoadIndex: too many servers");
  while (leaves_ < n_) leaves_ *= 2;
  tree_.assign(2 * leaves_, kNone);
  first_.assign(2 * leaves_, 0);
  for (std::size_t i = 0; i < leaves_; ++i) {
    if (i < n_) tree_[leaves_ + i] = 0.0;
    first_[leaves_ + i] = static_cast<std::uint32_t>(i);
  }
  for (std::size_t k = leaves_ - 1; k >= 1; --k) {
    const bool right = tree_[2 * k + 1] < tree_[2 * k];  // ties: the left child's, the first leaf
    tree_[k] = right ? tree_[2 * k + 1] : tree_[2 * k];
    first_[k] = right ? first_[2 * k + 1] : first_[2 * k];
  }
}

void ServerLoadIndex::set(std::size_t server, double load) {
  std::size_t k = leaves_ + server;
  if (tree_[k] == load) return;
  tree_[k] = load;
  // Every level up to the root, branch-free: stopping where nothing above changes would save levels
  // at the price of a branch a predictor gets wrong about as often as right. The new minimum and its
  // first leaf are carried up: each parent takes the lower of them and the sibling's, the left one
  // on a tie (its leaves come first).
  double m = load;
  std::uint32_t first = static_cast<std::uint32_t>(server);
  for (; k > 1; k >>= 1) {
    const std::size_t sibling = k ^ 1;
    const double v = tree_[sibling];
    // The sibling's when lower, or equal and the left child (k odd). As masks, not branches.
    const auto take = static_cast<std::uint32_t>(v < m) | (static_cast<std::uint32_t>(k & 1) & static_cast<std::uint32_t>(v == m));
    const std::uint32_t mask = 0u - take;
    first = (first_[sibling] & mask) | (first & ~mask);
    m = std::min(m, v);
    tree_[k >> 1] = m;
    first_[k >> 1] = first;
  }
}

std::size_t ServerLoadIndex::first_least_from(std::size_t lo) const {
  // From lo's leaf, climb to the first subtree to its right that holds the smallest load; its first
  // leaf holding it is kept at the node. O(log N) without recursion. Padding leaves hold infinity
  // and come after every server, so the first leaf of a subtree is never one of them.
  const double least = tree_[1];
  std::size_t k = leaves_ + lo;
  if (tree_[k] == least) return lo;
  for (;;) {
    // Up past every right child: what lies to its right is its parent's. A node whose path to
    // the root is all right children (k + 1 a power of two) has nothing to its right: k becomes 0.
    k >>= __builtin_ctzll(~static_cast<unsigned long long>(k));
    if (k == 0) return n_;
    ++k;  // the sibling subtree, just right of everything passed
    if (tree_[k] == least) return first_[k];
  }
}

std::size_t ServerLoadIndex::least_from(std::size_t start) const {
  // The first server at or after `start` with the smallest load, else the first with it. The first
  // of all is the answer when it is not before `start`.
  if (first_[1] >= start) return first_[1];
  const std::size_t after = first_least_from(start);
  return after < n_ ? after : argmin();
}

}  // namespace recsim
