#pragma once
// A real redis-server, started on loopback for the tier calibration (and its tests) and stopped when
// this object goes: no persistence (no RDB snapshots, no AOF), a port chosen free at start.
#include <string>

#include <sys/types.h>

namespace recsim {

class RedisServerProcess {
 public:
  // Starts `executable` (default: redis-server on the PATH) and waits until it accepts connections.
  // Throws std::runtime_error when it cannot be started.
  explicit RedisServerProcess(const std::string& executable = "redis-server");
  ~RedisServerProcess();
  RedisServerProcess(const RedisServerProcess&) = delete;
  RedisServerProcess& operator=(const RedisServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Stops it (SIGTERM, then waits). Idempotent.
  void stop();

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace recsim
