#include "sim/engine/isolated_run.h"

#include "sim/engine/simulation.h"
#include "sim/metrics/results_json.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <iostream>
#include <cstring>
#include <stdexcept>
#include <string>

namespace recsim {
namespace {

void write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

IsolatedRun::IsolatedRun(const Scenario& scenario, const SimulationOptions& options) {
  // Output buffered in this process would otherwise be written twice, once by the child.
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error(std::string("pipe failed: ") + std::strerror(errno));
  pid_ = ::fork();
  if (pid_ < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  }
  if (pid_ == 0) {  // child
    ::close(fds[0]);
    int status = 0;
    std::string payload;
    try {
      const RunResults r = simulate(scenario, options);
      nlohmann::json j = {{"results", results_to_json(r)}};
      if (r.offered_bounds) j["offered_bounds"] = {r.offered_bounds->alone, r.offered_bounds->all_busy};
      payload = j.dump();
    } catch (const std::exception& e) {
      payload = std::string("error: ") + e.what();
      status = 1;
    }
    write_all(fds[1], payload);
    ::close(fds[1]);
    ::_exit(status);
  }
  ::close(fds[1]);
  read_fd_ = fds[0];
}

RunResults IsolatedRun::wait() {
  std::string payload;
  char buffer[65536];
  while (true) {
    const ssize_t n = ::read(read_fd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    payload.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(read_fd_);
  read_fd_ = -1;
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    if (payload.rfind("error: ", 0) == 0) throw std::runtime_error("simulation failed: " + payload.substr(7));
    throw std::runtime_error("simulation process died" +
                             (WIFSIGNALED(status) ? " (signal " + std::to_string(WTERMSIG(status)) + ")" : std::string()));
  }
  const nlohmann::json j = nlohmann::json::parse(payload);
  RunResults r = results_from_json(j.at("results"));
  if (j.contains("offered_bounds")) r.offered_bounds = RunResults::OfferedBounds{j["offered_bounds"][0], j["offered_bounds"][1]};
  return r;
}

IsolatedRun::~IsolatedRun() {
  if (read_fd_ >= 0) ::close(read_fd_);
  if (pid_ > 0) {
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

RunResults simulate_isolated(const Scenario& scenario, const SimulationOptions& options) {
  return IsolatedRun(scenario, options).wait();
}

}  // namespace recsim
