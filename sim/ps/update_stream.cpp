#include "sim/ps/update_stream.h"

#include "workloads/random_stream.h"

#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

namespace recsim {
namespace {

Rng slice_stream(std::uint64_t seed, std::uint64_t slice, std::size_t table) {
  return make_stream(seed, StreamId::updates, static_cast<std::uint32_t>(table), slice);
}

std::uint64_t draw_count(Rng& rng, double mean) { return boost::random::poisson_distribution<std::uint64_t, double>(mean)(rng); }

}  // namespace

std::uint64_t update_count(std::uint64_t seed, double mean, std::uint64_t slice, std::size_t table) {
  Rng rng = slice_stream(seed, slice, table);
  return draw_count(rng, mean);
}

UpdateStream::UpdateStream(const EmbeddingCacheSpec& spec, std::uint64_t seed)
    : seed_(seed),
      base_(spec.stream_base), rate_(spec.updates->keys_per_s), tick_(spec.updates->tick_s), popularity_(table_popularities(spec, seed)) {}

void UpdateStream::read(std::uint64_t slice, std::size_t table, std::vector<std::pair<std::uint64_t, double>>& out) {
  Rng rng = slice_stream(seed_, slice, base_ + table);
  const std::uint64_t n = draw_count(rng, rate_ * tick_);  // update_count's draw
  const double start = static_cast<double>(slice) * tick_;
  boost::random::uniform_real_distribution<double> when(start, start + tick_);
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::uint64_t key = popularity_[table].keys->next(rng);
    out.emplace_back(key, when(rng));
  }
}

}  // namespace recsim
