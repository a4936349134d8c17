#pragma once
// The default ladder of batch sizes, shared by calibration (the batch sizes measured) and
// DeepRecSched's searches (the batch sizes and offload thresholds climbed): powers of two from 1 to
// 1024 and the midpoints between them (1, 2, 3, 4, 6, 8, 12, ..., 768, 1024).
#include <vector>

namespace recsim {

std::vector<int> default_batch_ladder();

}  // namespace recsim
