// The calibrations' timed runs on inputs drawn ahead (kernels/calibration/drawn_inputs.h): how many
// runs, which batch each run gets, and when the batches are drawn. The model runs are stand-ins that
// record what they were given and return a fixed time, so the counts are exact.
#include "kernels/calibration/drawn_inputs.h"
#include "support/model_cases.h"

#include <catch2/catch.hpp>

#include <functional>
#include <set>
#include <vector>

using namespace recsim;
using namespace recsim::test;

namespace {

// A batch's identity: its keys (a batch of 4 DLRM-RMC1 items has 8 tables x 80 lookups x 4 keys, so
// two fresh batches share all of them with negligible odds).
std::vector<std::int32_t> keys_of(const ModelInputs& in) {
  std::vector<std::int32_t> k;
  for (const auto& t : in.indices) k.insert(k.end(), t.begin(), t.end());
  return k;
}

struct Run {
  std::vector<std::int32_t> keys;
  bool timed;
  Rng rng_then;  // the key stream's state when the run started
};

struct Recorder {
  std::vector<Run> runs;
  const Rng* rng = nullptr;
  double ms = 1.0;
  ModelRun model_run() {
    return [this](const ModelInputs& in, bool timed) {
      runs.push_back({keys_of(in), timed, *rng});
      return ms;
    };
  }
  std::vector<Run> timed() const {
    std::vector<Run> t;
    for (const auto& r : runs)
      if (r.timed) t.push_back(r);
    return t;
  }
};

}  // namespace

TEST_CASE("repeat_timed runs at least the repeats, then until the time, bounded by max_repeats", "[calibration][inputs]") {
  int calls = 0;
  const auto two_ms = [&] {
    ++calls;
    return 2.0;
  };
  CHECK(repeat_timed(two_ms, {0, 3, 0.001, 20}).size() == 3);   // 6 ms of work already past 1 ms
  CHECK(repeat_timed(two_ms, {0, 3, 0.1, 100}).size() == 50);   // 100 ms at 2 ms a run
  CHECK(repeat_timed(two_ms, {0, 3, 0.1, 20}).size() == 20);    // the time would need 50: bounded
  CHECK(repeat_timed(two_ms, {0, 30, 0.001, 20}).size() == 30); // the repeats are a floor, not bounded
  CHECK(calls == 3 + 50 + 20 + 30);
}

TEST_CASE("timed runs each get a batch no earlier run used, all drawn before the first timed run", "[calibration][inputs]") {
  const ModelCase c = make_model_case("dlrm-rmc1", 4);
  Rng rng = make_stream(7, StreamId::keys);
  FreshInputs fresh(c.weights, 4, {KeyPopularity::Kind::power_law, 1.05}, rng);
  const std::size_t batch_bytes = fresh.next().bytes();
  Recorder rec;
  rec.rng = &rng;
  // 1 ms a run: 10 ms of timed work needs 10 runs (more than the 5 repeats, fewer than 50).
  const auto samples = time_on_drawn_inputs(rec.model_run(), fresh, batch_bytes, kInputBytes, {2, 5, 0.010, 50});
  REQUIRE(samples.size() == 10);
  const auto timed = rec.timed();
  REQUIRE(timed.size() == 10);
  CHECK(rec.runs.size() == 13);  // 2 warm-up runs and one untimed run after the bulk draw, first
  for (std::size_t i = 0; i < 3; ++i) CHECK_FALSE(rec.runs[i].timed);
  std::set<std::vector<std::int32_t>> seen;
  for (const auto& r : rec.runs)
    if (!r.timed) seen.insert(r.keys);
  for (const auto& r : timed) CHECK(seen.insert(r.keys).second);  // new to every earlier run
  // No keys drawn between timed runs: the key stream stands still from the first to the last.
  CHECK(timed.front().rng_then == timed.back().rng_then);
}

TEST_CASE("beyond the byte bound the drawn batches are cycled, and at least two are drawn", "[calibration][inputs]") {
  const ModelCase c = make_model_case("dlrm-rmc1", 4);
  for (const std::size_t fit : {std::size_t{0}, std::size_t{3}}) {
    CAPTURE(fit);
    Rng rng = make_stream(7, StreamId::keys);
    FreshInputs fresh(c.weights, 4, {KeyPopularity::Kind::power_law, 1.05}, rng);
    const std::size_t batch_bytes = fresh.next().bytes();
    Recorder rec;
    rec.rng = &rng;
    time_on_drawn_inputs(rec.model_run(), fresh, batch_bytes, fit * batch_bytes, {2, 12, 0.001, 50});
    const auto timed = rec.timed();
    REQUIRE(timed.size() == 12);
    const std::size_t cycle = fit == 0 ? 2 : fit;  // a bound below two batches still draws two
    std::set<std::vector<std::int32_t>> distinct;
    for (const auto& r : rec.runs) distinct.insert(r.keys);
    CHECK(distinct.size() == cycle);
    for (std::size_t i = cycle; i < timed.size(); ++i) CHECK(timed[i].keys == timed[i - cycle].keys);
  }
}
