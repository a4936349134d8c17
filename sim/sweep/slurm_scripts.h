#pragma once
// `recsim sweep --slurm`: the batch scripts that run a sweep as a Slurm job array (each array task
// runs one shard, `--shard ${SLURM_ARRAY_TASK_ID}/TASKS`, through the same run store) and the
// gather job that writes the table once the array is over (docs/sweeps.md, "On Slurm").
#include <string>
#include <vector>

namespace recsim {

struct SlurmSweep {
  std::string recsim;     // absolute path of the recsim executable
  std::string sweep;      // absolute path of the sweep file
  std::string store;      // absolute path of the run store
  std::string workdir;    // where the tasks start (the submitting directory)
  std::string name;       // the sweep's name
  int tasks = 1;          // array tasks = shards
  int cpus_per_task = 1;
  std::vector<std::string> options;  // extra "#SBATCH" options, as given
  bool allow_large = false;
};

std::string slurm_array_script(const SlurmSweep& s);
std::string slurm_gather_script(const SlurmSweep& s);

// 'text' quoted for bash.
std::string shell_quote(const std::string& text);

}  // namespace recsim
