#pragma once
// The `static` scheduling policy: a query of size s is split into ceil(s / b) requests of at most b
// items (the per-core batch size b); all but possibly the last carry exactly b items. With
// b >= the largest query size it is DeepRecSys's no-splitting baseline.
#include <vector>

namespace recsim {

class StaticPolicy {
 public:
  explicit StaticPolicy(int batch_size);
  int batch_size() const { return batch_size_; }
  // Number of requests a query of `size` items becomes.
  int request_count(int size) const;
  // Items of request `index` (0-based) of a query of `size` items.
  int request_items(int size, int index) const;

 private:
  int batch_size_;
};

}  // namespace recsim
