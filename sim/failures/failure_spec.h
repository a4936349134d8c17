#pragma once
// Failures of a fleet (the scenario's `failures`, docs/scenario-format.md): servers, whole groups
// or a group's racks going down at scheduled times, servers of a kind failing at random (time to
// failure Weibull with a mean, exponential at shape 1; time to repair exponential), and what becomes
// of the queries a failure catches on a server (lost, or re-issued to another server after a
// timeout, within a retry budget). The engine's FailureInjector (sim/failures/failure_injector.h)
// carries them out.
#include <optional>
#include <vector>

namespace recsim {

struct ScheduledFailure {
  int group = 0;
  std::optional<int> server;  // index in the group; none: the whole group (or a rack of it)
  std::optional<int> rack;    // the group's rack (its top-of-rack link fails: servers cut off, powered)
  double down_s = 0.0;
  std::optional<double> up_s;  // none: down until the end of the run
};

struct RandomFailures {
  int kind = 0;
  double mtbf_s = 0.0;  // mean time to failure (up time)
  double mttr_s = 0.0;  // mean time to repair (exponential)
  double shape = 1.0;   // Weibull shape of the time to failure
};

struct FailureSpec {
  std::vector<ScheduledFailure> scheduled;
  std::vector<RandomFailures> random;
  bool retry = true;             // "retry": re-issue a caught query; "lose": it is lost
  double retry_timeout_s = 0.1;  // from the failure (or from reaching a down server) to the re-issue
  int max_retries = 2;           // beyond: lost
};

}  // namespace recsim
