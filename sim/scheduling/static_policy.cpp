#include "sim/scheduling/static_policy.h"

#include <algorithm>
#include <stdexcept>

namespace recsim {

StaticPolicy::StaticPolicy(int batch_size) : batch_size_(batch_size) {
  if (batch_size_ < 1) throw std::invalid_argument("batch size must be >= 1");
}

int StaticPolicy::request_count(int size) const {
  return static_cast<int>((static_cast<long long>(size) + batch_size_ - 1) / batch_size_);
}

int StaticPolicy::request_items(int size, int index) const {
  return std::min(batch_size_, size - index * batch_size_);
}

}  // namespace recsim
