#include "sim/sweep/slurm_scripts.h"

namespace recsim {

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

namespace {

std::string header(const SlurmSweep& s, const std::string& job, const std::string& output) {
  std::string text = "#!/bin/bash\n";
  text += "#SBATCH --job-name=" + job + "\n";
  text += "#SBATCH --output=" + output + "\n";
  text += "#SBATCH --cpus-per-task=" + std::to_string(s.cpus_per_task) + "\n";
  for (const auto& o : s.options) text += "#SBATCH " + o + "\n";
  return text;
}

}  // namespace

std::string slurm_array_script(const SlurmSweep& s) {
  std::string text = header(s, "recsim-sweep-" + s.name, s.store + "/slurm/task-%a.out");
  text += "#SBATCH --array=0-" + std::to_string(s.tasks - 1) + "\n";
  text += "# recsim sweep " + s.sweep + ": shard ${SLURM_ARRAY_TASK_ID} of " + std::to_string(s.tasks) +
          " through the run store (a rerun redoes only points without a result)\n";
  text += "set -euo pipefail\n";
  text += "cd " + shell_quote(s.workdir) + "\n";
  text += "exec " + shell_quote(s.recsim) + " sweep " + shell_quote(s.sweep) + " --store " + shell_quote(s.store) +
          " --shard \"${SLURM_ARRAY_TASK_ID}/" + std::to_string(s.tasks) + "\" --jobs \"${SLURM_CPUS_PER_TASK:-1}\" --quiet" +
          (s.allow_large ? " --allow-large" : "") + "\n";
  return text;
}

std::string slurm_gather_script(const SlurmSweep& s) {
  std::string text = header(s, "recsim-gather-" + s.name, s.store + "/slurm/gather.out");
  text += "# recsim sweep " + s.sweep + ": the table, once every array task has ended\n";
  text += "set -euo pipefail\n";
  text += "cd " + shell_quote(s.workdir) + "\n";
  text += "exec " + shell_quote(s.recsim) + " sweep " + shell_quote(s.sweep) + " --store " + shell_quote(s.store) + " --gather\n";
  return text;
}

}  // namespace recsim
