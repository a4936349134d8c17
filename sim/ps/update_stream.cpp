#include "sim/ps/update_stream.h"

#include "workloads/random_stream.h"

#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

namespace recsim {
namespace {

std::uint64_t draw_count(Rng& rng, double mean) { return boost::random::poisson_distribution<std::uint64_t, double>(mean)(rng); }

}  // namespace

UpdateStream::UpdateStream(const EmbeddingCacheSpec& spec, std::uint64_t seed)
    : seed_(seed), rate_(spec.updates->keys_per_s), tick_(spec.updates->tick_s), popularity_(table_popularities(spec, seed)) {}

std::uint64_t UpdateStream::count(std::uint64_t slice, std::size_t table) const {
  Rng rng = make_stream(seed_, StreamId::updates, static_cast<std::uint32_t>(table), slice);
  return draw_count(rng, rate_ * tick_);
}

void UpdateStream::read(std::uint64_t slice, std::size_t table, std::vector<std::pair<std::uint64_t, double>>& out) {
  Rng rng = make_stream(seed_, StreamId::updates, static_cast<std::uint32_t>(table), slice);
  const std::uint64_t n = draw_count(rng, rate_ * tick_);
  const double start = static_cast<double>(slice) * tick_;
  boost::random::uniform_real_distribution<double> when(start, start + tick_);
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::uint64_t key = popularity_[table].keys->next(rng);
    out.emplace_back(key, when(rng));
  }
}

}  // namespace recsim
