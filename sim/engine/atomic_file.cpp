#include "sim/engine/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace recsim {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& path, int err) {
  throw std::runtime_error(path + ": cannot write: " + std::strerror(err));
}

bool write_all(int fd, const std::string& content) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return ::fsync(fd) == 0;
}

// Whether process `pid` has ended: no such process, or a zombie (killed and not yet reaped, as the
// children of a killed parent stay where nothing reaps orphans).
bool process_has_ended(pid_t pid) {
  if (::kill(pid, 0) != 0) return errno == ESRCH;  // EPERM: alive, someone else's
  std::FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
  if (!f) return false;
  char line[512];
  const std::size_t n = std::fread(line, 1, sizeof line - 1, f);
  std::fclose(f);
  line[n] = '\0';
  // "PID (COMM) STATE ...": COMM may hold spaces and parentheses, so the state follows the last ')'.
  const char* close = std::strrchr(line, ')');
  return close && close[1] == ' ' && (close[2] == 'Z' || close[2] == 'X');
}

// Removes NAME.tmp.PID files in `dir` whose process is gone: left by a kill between naming and renaming.
void remove_stale_temporaries(const fs::path& dir, const std::string& name) {
  std::error_code ec;
  const std::string prefix = name + ".tmp.";
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string other = it->path().filename().string();
    if (other.size() <= prefix.size() || other.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = other.substr(prefix.size());
    if (digits.size() > 10 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::stol(digits);
    if (pid <= 0 || pid == ::getpid()) continue;
    if (!process_has_ended(static_cast<pid_t>(pid))) continue;  // alive (or not ours to judge)
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) == 0 && S_ISREG(st.st_mode)) fs::remove(it->path(), ec);
  }
}

}  // namespace

StagedFile stage_file(const std::string& path, const std::string& content) {
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  const std::string name = fs::path(path).filename().string();
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  remove_stale_temporaries(dir, name);

  // A file of this process's own temporary name can only be a leftover of an earlier process that
  // had the same id (ids repeat, in containers especially): never a live writer's.
  ::unlink(tmp.c_str());
  bool named = false;
  int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0) {  // no O_TMPFILE here: a named temporary file from the start
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) fail(path, errno);
    named = true;
  }
  if (!write_all(fd, content) || ::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    if (named) ::unlink(tmp.c_str());
    fail(path, err);
  }
  if (!named) {
    const std::string self = "/proc/self/fd/" + std::to_string(fd);
    if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, tmp.c_str(), AT_SYMLINK_FOLLOW) != 0) {
      const int err = errno;
      ::close(fd);
      fail(path, err);
    }
  }
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    fail(path, err);
  }
  return {path, tmp, dir.string()};
}

void discard(const StagedFile& staged) { ::unlink(staged.temporary.c_str()); }

void commit(const StagedFile& staged) {
  if (::rename(staged.temporary.c_str(), staged.path.c_str()) != 0) {
    const int err = errno;
    ::unlink(staged.temporary.c_str());
    fail(staged.path, err);
  }
  // The rename is durable once the directory is on disk.
  if (const int dfd = ::open(staged.directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

void write_file_atomically(const std::string& path, const std::string& content) { commit(stage_file(path, content)); }

void write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<StagedFile> staged;
  try {
    for (const auto& [path, content] : files) staged.push_back(stage_file(path, content));
  } catch (...) {
    for (const auto& s : staged) discard(s);
    throw;
  }
  for (std::size_t i = 0; i < staged.size(); ++i) {
    try {
      commit(staged[i]);
    } catch (...) {
      for (std::size_t j = i + 1; j < staged.size(); ++j) discard(staged[j]);
      throw;
    }
  }
}

}  // namespace recsim
