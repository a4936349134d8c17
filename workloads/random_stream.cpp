#include "workloads/random_stream.h"

#include <boost/random/seed_seq.hpp>

namespace recsim {

Rng make_stream(std::uint64_t seed, StreamId component, std::uint32_t index) {
  const std::uint32_t words[5] = {static_cast<std::uint32_t>(seed),
                                  static_cast<std::uint32_t>(seed >> 32),
                                  static_cast<std::uint32_t>(component), index, 0x72656373u};
  boost::random::seed_seq seq(words, words + 5);
  return Rng(seq);
}

Rng make_stream(std::uint64_t seed, StreamId component, std::uint32_t index, std::uint64_t part) {
  const std::uint32_t words[7] = {static_cast<std::uint32_t>(seed),
                                  static_cast<std::uint32_t>(seed >> 32),
                                  static_cast<std::uint32_t>(component),
                                  index,
                                  static_cast<std::uint32_t>(part),
                                  static_cast<std::uint32_t>(part >> 32),
                                  0x70617274u};
  boost::random::seed_seq seq(words, words + 7);
  return Rng(seq);
}

}  // namespace recsim
