#include "sim/sweep/run_store.h"

#include "sim/engine/atomic_file.h"
#include "sim/provenance/content_hash.h"
#include "workloads/input_error.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace recsim {
namespace {

std::optional<nlohmann::ordered_json> read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::ordered_json::parse(text.str());
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::string point_key(const std::string& recsim_version, const std::vector<std::string>& command_and_options,
                      const std::string& scenario_sha256, std::vector<std::string> input_sha256s) {
  std::sort(input_sha256s.begin(), input_sha256s.end());
  const nlohmann::json material = {{"recsim_version", recsim_version},
                                   {"command", command_and_options},
                                   {"scenario_sha256", scenario_sha256},
                                   {"inputs_sha256", input_sha256s}};
  return sha256_hex(material.dump());
}

PointClaim::~PointClaim() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

RunStore::RunStore(std::string dir, const std::string& flag, std::string command)
    : dir_(std::move(dir)), flag_(flag), command_(std::move(command)) {
  namespace fs = std::filesystem;
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
  std::error_code ec;
  if (fs::exists(dir_, ec) && !fs::is_directory(dir_, ec)) throw InputError(flag, "\"" + dir_ + "\" exists and is not a directory");
}

void RunStore::create() const {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const char* sub : {"points", "raw", "logs", "locks"}) {
    fs::create_directories(fs::path(dir_) / sub, ec);
    if (ec) throw InputError(flag_, "cannot create \"" + (fs::path(dir_) / sub).string() + "\": " + ec.message());
  }
}

bool RunStore::is_result(const nlohmann::ordered_json& result) const {
  if (!result.is_object()) return false;
  std::vector<const char*> fields;
  if (command_ == "run")
    fields = {"throughput_qps", "latency_ms", "sla", "saturated"};
  else if (command_ == "capacity")
    fields = {"max_qps", "found", "points", "evaluations"};
  else if (command_ == "plan")
    fields = {"capacities", "fleets", "objective"};
  else
    fields = {"best", "baseline", "evaluations", "path"};
  return std::all_of(fields.begin(), fields.end(), [&result](const char* f) { return result.contains(f); });
}

std::optional<nlohmann::ordered_json> RunStore::load(const std::string& key) const {
  auto j = read_json(point_file(key));
  if (!j || !j->is_object() || !j->contains("key") || (*j)["key"] != key || !j->contains("result") || !is_result((*j)["result"]) ||
      !j->contains("result_sha256") || (*j)["result_sha256"] != sha256_hex((*j)["result"].dump()))
    return std::nullopt;
  return j;
}

std::optional<nlohmann::ordered_json> RunStore::load_raw(const std::string& key) const {
  auto j = read_json(raw_file(key));
  if (!j || !is_result(*j)) return std::nullopt;
  return j;
}

void RunStore::save(const std::string& key, nlohmann::ordered_json point) const {
  point["result_sha256"] = sha256_hex(point["result"].dump());
  write_file_atomically(point_file(key), point.dump(1) + "\n");
  remove_leftovers(key);
}

std::optional<PointClaim> RunStore::claim(const std::string& key, bool wait) const {
  const std::string path = dir_ + "/locks/" + key + ".lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(path + ": cannot open the point's lock file (" + std::strerror(errno) + ")");
  PointClaim claim(fd);
  while (::flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK) return std::nullopt;
    throw std::runtime_error(path + ": cannot lock (" + std::strerror(errno) + ")");
  }
  return claim;
}

void RunStore::remove_leftovers(const std::string& key) const {
  std::error_code ec;
  std::filesystem::remove(raw_file(key), ec);
  std::filesystem::remove(log_file(key), ec);
}

}  // namespace recsim
