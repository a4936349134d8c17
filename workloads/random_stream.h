#pragma once
// One independent pseudo-random stream per simulation component. Every stream is a Boost.Random
// mt19937_64 seeded from (scenario seed, component, index) through Boost's seed_seq, so the numbers
// a component draws do not depend on how many numbers any other component drew, and they are the
// same on every platform that has the same Boost.
#include <boost/random/mersenne_twister.hpp>
#include <cstdint>

namespace recsim {

using Rng = boost::random::mt19937_64;

enum class StreamId : std::uint32_t {
  arrivals = 1,    // inter-arrival gaps
  query_sizes = 2, // query sizes
  service = 3,     // service-time draws, one stream per server (index = server number)
  selection = 4,   // random server selection
  keys = 5,        // embedding keys (parameter server), one stream per GPU
  updates = 6,     // online embedding updates, one stream per table and time slice
  models = 7,      // which model each query asks (format 2)
  replay = 8,      // recsim validate's shuffled replays of real serving
  failures = 9,    // random server failures and repairs, one stream per server
};

Rng make_stream(std::uint64_t seed, StreamId component, std::uint32_t index = 0);
// A stream per (index, part): for draws that must be the same whoever makes them and in whatever
// order (e.g. the online updates of one time slice of one table, read by every server).
Rng make_stream(std::uint64_t seed, StreamId component, std::uint32_t index, std::uint64_t part);

}  // namespace recsim
