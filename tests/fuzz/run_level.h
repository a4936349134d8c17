#pragma once
// The run-level fuzz harness (docs/robustness.md, "Run-level fuzzing"): what happens *after* a
// scenario parses. An input is a scenario's JSON, optionally preceded by a line "#capacity" (a
// capacity search instead of one run) or "#plan" (a capacity plan of a fleet at its own rate, with
// short probes and verifications; "#plan {...}" merges plan keys into it) and followed by a line
// "#set" and one PATH=VALUE override per line. The harness parses it and checks its resources as `recsim run` does (an InputError is the
// expected answer to bad input), shortens the run to at most kMaxFuzzQueries queries (fewer with a
// key-level embedding cache; one whose estimated work is still beyond kMaxFuzzWork is not run), then
// runs it
// in a child process (SimGrid runs once per process) under a wall-clock budget. A finding aborts
// this process (so libFuzzer keeps the input): any other exception, a crash or sanitizer report in
// the child, a run past its budget (a hang, or work nothing estimated), or results no latency can
// have (negative, infinite, an interval outside the run's own latencies).
//
// The libFuzzer target (fuzz_run.cpp) and the plain replay-and-mutate driver that CTest runs
// (run_level_replay.cpp) share it.
#include <cstdint>
#include <string>

namespace recsim::fuzz {

inline constexpr std::uint64_t kMaxFuzzQueries = 400;
inline constexpr std::uint64_t kMaxFuzzKeyLevelQueries = 40;  // a key-level embedding cache: ~20 ms a query
// Requests, embedding keys and periodic events of the shortened run (a capacity search's: at its
// lowest rate) beyond which it is not run (large, not wrong).
inline constexpr double kMaxFuzzWork = 2e6;

enum class RunOutcome { input_error, too_large, ran };

// Aborts on a finding; `budget_seconds` bounds the child's wall time (four times that for a capacity
// search, twelve for a plan).
RunOutcome run_level(const std::string& input, double budget_seconds);

}  // namespace recsim::fuzz
