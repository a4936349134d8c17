#pragma once
// Fast mode: the hit rate of an LRU cache under independent requests, by Che's approximation
// (H. Che, Y. Tung, Z. Wang, "Hierarchical Web caching systems: modeling, design and experimental
// results", IEEE JSAC 20(7), 2002; its accuracy explained by Fricker, Robert and Roberts, ITC 2012).
// A cache of C entries holds the keys requested within its characteristic time T, the root of
//     sum_r (1 - exp(-p_r T)) = C,
// and a request for key r hits with probability 1 - exp(-p_r T). For a cache fed batches of B keys
// deduplicated per batch (as HPS does), key r is in a batch with probability q_r = 1 - exp(-B p_r)
// and the hit rate per unique key is sum_r q_r (1 - exp(-p_r T)) / sum_r q_r.
//
// Sums over the ranks are exact for the first 2^16 ranks and integrated over log-spaced rank
// intervals beyond (Simpson's rule on a smooth function of the rank), so tables of 10^9 rows cost
// milliseconds. The set-associative, 64-way cache of HPS is close to a fully associative LRU; the
// tests check this estimate against the key-level cache (sim/ps/embedding_cache.h).
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace recsim {

// (Not kernels/model/model_inputs.h's KeyPopularity, which picks the kernels' input keys.)
struct RankPopularity {
  std::uint64_t rows = 1;
  double alpha = 0.0;  // Zipf exponent of the rank distribution; 0: uniform
};

struct CheEstimate {
  double characteristic_lookups = 0.0;  // T, in key lookups
  double hit_rate = 0.0;                // per lookup, duplicates included (no deduplication)
  double unique_hit_rate = 0.0;         // per unique key of a batch of `batch_keys` lookups
};

CheEstimate che_hit_rate(const RankPopularity& keys, double cache_entries, double batch_keys);

struct RankSums;

// The fast mode of a run (sim/ps/analytic_lookup.h): one table's cache in steady state, its
// T solved once, and the lower tiers as rank ranges [0, c0), [c0, c1), ..., [c_last, rows) (the
// volatile tier holds the hottest ranks, the persistent tier more; the rest is found nowhere).
class CheModel {
 public:
  CheModel(const RankPopularity& keys, double cache_entries, std::vector<double> rank_cutoffs);
  struct Batch {
    double unique = 0.0;             // expected unique keys in a batch
    double hit_rate = 0.0;           // per unique key
    std::vector<double> miss_share;  // of the unique misses, per rank range
  };
  // A batch of `batch_keys` lookups, deduplicated.
  Batch batch(double batch_keys) const;
  // Of the keys the cache holds, the share in each rank range.
  const std::vector<double>& cached_share() const { return cached_share_; }
  double characteristic_lookups() const { return t_; }

 private:
  std::size_t range_of(double rank) const;
  std::vector<double> split(const std::function<double(double)>& f) const;  // sum of f(p_r) per range, normalised
  RankPopularity keys_;
  std::vector<double> cutoffs_;
  double t_ = 0.0;
  std::shared_ptr<const RankSums> ranks_;  // the rank sums' nodes, built once
  std::vector<double> cached_share_;
};

}  // namespace recsim
