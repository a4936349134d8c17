#include "sim/sweep/run_store.h"

#include "sim/engine/atomic_file.h"
#include "sim/provenance/content_hash.h"
#include "workloads/input_error.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

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

RunStore::RunStore(std::string dir, const std::string& flag) : dir_(std::move(dir)), flag_(flag) {
  namespace fs = std::filesystem;
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
  std::error_code ec;
  if (fs::exists(dir_, ec) && !fs::is_directory(dir_, ec)) throw InputError(flag, "\"" + dir_ + "\" exists and is not a directory");
}

void RunStore::create() const {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const char* sub : {"points", "raw", "logs"}) {
    fs::create_directories(fs::path(dir_) / sub, ec);
    if (ec) throw InputError(flag_, "cannot create \"" + (fs::path(dir_) / sub).string() + "\": " + ec.message());
  }
}

std::optional<nlohmann::ordered_json> RunStore::load(const std::string& key) const {
  auto j = read_json(point_file(key));
  if (!j || !j->is_object() || !j->contains("key") || (*j)["key"] != key || !j->contains("result")) return std::nullopt;
  return j;
}

std::optional<nlohmann::ordered_json> RunStore::load_raw(const std::string& key) const {
  auto j = read_json(raw_file(key));
  if (!j || !j->is_object()) return std::nullopt;
  return j;
}

void RunStore::save(const std::string& key, const nlohmann::ordered_json& point) const {
  write_file_atomically(point_file(key), point.dump(1) + "\n");
  remove_leftovers(key);
}

void RunStore::remove_leftovers(const std::string& key) const {
  std::error_code ec;
  std::filesystem::remove(raw_file(key), ec);
  std::filesystem::remove(log_file(key), ec);
}

}  // namespace recsim
