#include "support/build_paths.h"
#include "support/cli_runner.h"

#include "support/temp_dir.h"

#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <stdexcept>

namespace recsim::test {

CliResult run_recsim(const std::vector<std::string>& args) {
  TempDir dir;
  const std::string out_path = dir.file("stdout"), err_path = dir.file("stderr");
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int in = ::open("/dev/null", O_RDONLY);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::dup2(in, 0);
    std::vector<char*> argv;
    std::string binary = recsim::test::recsim_binary();
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  CliResult r;
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  return r;
}

std::string base_scenario_text() {
  return R"({
  "name": "cli-test",
  "seed": 7,
  "platform": { "servers": [ { "count": 1, "cpu_cores": 8 } ] },
  "workload": {
    "arrival":    { "process": "poisson", "qps": 5600 },
    "query_size": { "distribution": "fixed", "value": 1 }
  },
  "service":   { "type": "exponential", "mean_ms": 1.0 },
  "scheduler": { "policy": "static", "batch_size": 1 },
  "sla":       { "percentile": 95, "target_ms": 10 },
  "run":       { "queries": 20000, "warmup_queries": 1000 }
})";
}

}  // namespace recsim::test
