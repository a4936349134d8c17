#pragma once
// The sample quantile every calibrator reports (the p10, median and p90 of CPU, GPU and tier
// profiles): linear interpolation between the order statistics, at position q (n - 1) of the sorted
// samples (Hyndman and Fan's type 7, the default of R and NumPy). One definition, so a profile's
// p10/p90 mean the same whichever calibrator wrote it.
#include <cstddef>
#include <stdexcept>
#include <vector>

namespace recsim {

// `sorted`: ascending, not empty; q in [0, 1].
inline double sample_quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) throw std::invalid_argument("sample_quantile: no samples");
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(pos);
  const auto hi = lo + 1 < sorted.size() ? lo + 1 : sorted.size() - 1;
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace recsim
