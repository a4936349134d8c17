#include "kernels/profiles/batch_ladder.h"

namespace recsim {

std::vector<int> default_batch_ladder() {
  std::vector<int> ladder;
  for (int b = 1; b <= 1024; b *= 2) {
    ladder.push_back(b);
    if (b >= 2 && b < 1024) ladder.push_back(b + b / 2);
  }
  return ladder;
}

}  // namespace recsim
