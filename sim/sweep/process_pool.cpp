#include "sim/sweep/process_pool.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <stdexcept>

namespace recsim {

std::string own_executable() {
  char path[4096];
  const ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) throw std::runtime_error(std::string("cannot find recsim's own executable: ") + std::strerror(errno));
  return std::string(path, static_cast<std::size_t>(n));
}

void run_process_pool(const std::string& executable, const std::vector<PoolTask>& tasks, int jobs,
                      const std::function<bool(std::size_t)>& may_start, const std::function<void(std::size_t, int)>& done,
                      const CommandRunner& in_process) {
  std::map<pid_t, std::size_t> running;
  std::size_t next = 0;
  const pid_t parent = ::getpid();
  auto start = [&](std::size_t t) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(executable.c_str()));
    for (const auto& a : tasks[t].args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::fflush(nullptr);  // nothing buffered here is written twice
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("cannot start a point: fork failed: ") + std::strerror(errno));
    if (pid == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);  // the parent died before the line above
      const int null = ::open("/dev/null", O_RDWR);
      const int err = ::open(tasks[t].stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (null >= 0) {
        ::dup2(null, STDIN_FILENO);
        ::dup2(null, STDOUT_FILENO);
      }
      if (err >= 0) ::dup2(err, STDERR_FILENO);
      if (in_process) {
        // Nothing of this process's beyond the three: not the store's locks on other points, which
        // would stay held while this child lives (an executed command has them closed on exec).
        if (::close_range(3, ~0U, 0) != 0) {  // a kernel before 5.9, or a filter refusing it
          const long open_max = ::sysconf(_SC_OPEN_MAX);
          const int limit = open_max > 0 && open_max < (1 << 20) ? static_cast<int>(open_max) : (1 << 20);
          for (int fd = 3; fd < limit; ++fd) ::close(fd);
        }
        int status = 1;
        try {
          status = in_process(tasks[t].args);
        } catch (const std::exception& e) {
          std::fprintf(stderr, "recsim: error: %s\n", e.what());
        } catch (...) {
          std::fprintf(stderr, "recsim: error: unknown exception\n");
        }
        std::fflush(nullptr);
        ::_exit(status);  // not exit(): this process's destructors and atexit handlers are the parent's
      }
      ::execv(executable.c_str(), argv.data());
      ::_exit(127);
    }
    running[pid] = t;
  };
  while (next < tasks.size() || !running.empty()) {
    while (next < tasks.size() && static_cast<int>(running.size()) < jobs) {
      const std::size_t t = next++;
      if (may_start(t)) start(t);
    }
    if (running.empty()) continue;  // every remaining task skipped so far
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("waiting for a point: ") + std::strerror(errno));
    }
    const auto it = running.find(pid);
    if (it == running.end()) continue;  // not ours
    const std::size_t t = it->second;
    running.erase(it);
    done(t, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0));
  }
}

std::string last_line_of(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

}  // namespace recsim
