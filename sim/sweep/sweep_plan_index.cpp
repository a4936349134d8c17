#include "sim/sweep/sweep_plan_index.h"

#include "sim/engine/atomic_file.h"
#include "sim/provenance/build_version.h"
#include "sim/provenance/content_hash.h"
#include "sim/sweep/process_pool.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace recsim {
namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;
constexpr const char* kFormat = "recsim-sweep-plan/1";

// The start of the index files' names of this sweep file from this working directory: a new index
// replaces the older ones of the same sweep (another content of the file, another build).
std::string index_prefix(const std::string& sweep_file) {
  return sha256_hex(fs::current_path().string() + "\n" + sweep_file).substr(0, 16) + "-";
}

// STORE/plans/PREFIX-ID.json for this sweep file as this process sees it.
std::string index_file(const RunStore& store, const std::string& sweep_file) {
  const std::string executable = own_executable();
  struct stat st {};
  if (::stat(executable.c_str(), &st) != 0) throw std::runtime_error("cannot stat " + executable);
  std::string identity = std::string(kFormat) + "\n" + kRecsimVersion + "\n" + kRecsimCommit + (kRecsimDirty ? "+dirty" : "") + "\n" +
                         executable + " " + std::to_string(st.st_ino) + " " + std::to_string(st.st_size) + " " +
                         std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + "\n" +
                         fs::current_path().string() + "\n" + sweep_file + "\n" + sha256_file_hex(sweep_file) + "\n";
  for (const char* variable : {"RECSIM_DATA_DIR", "RECSIM_MODELS_DIR"}) {
    const char* value = std::getenv(variable);
    identity += std::string(variable) + "=" + (value ? value : "") + "\n";
  }
  return store.dir() + "/plans/" + index_prefix(sweep_file) + sha256_hex(identity) + ".json";
}

}  // namespace

std::optional<std::vector<PlannedPoint>> read_plan_index(const RunStore& store, const std::string& sweep_file, std::size_t count) {
  try {
    std::ifstream in(index_file(store, sweep_file));
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    const ojson doc = ojson::parse(text.str());
    if (doc.at("format") != kFormat || doc.at("points").size() != count) return std::nullopt;
    const ojson& files = doc.at("files");
    for (const auto& [path, sha] : files.items())
      if (sha256_file_hex(path) != sha.get<std::string>()) return std::nullopt;
    std::vector<PlannedPoint> points;
    points.reserve(count);
    for (const auto& p : doc.at("points")) {
      PlannedPoint planned;
      planned.key = p.at("key").get<std::string>();
      planned.arguments = p.at("arguments").get<std::vector<std::string>>();
      points.push_back(std::move(planned));
    }
    return points;
  } catch (...) {  // unreadable, or a file it names is gone: plan afresh
    return std::nullopt;
  }
}

void write_plan_index(const RunStore& store, const std::string& sweep_file, const std::vector<PlannedPoint>& points) {
  // Each file with the hash its keys were made from; two points that saw different content of one
  // file (it changed while they were planned) make the index unusable: none is written.
  std::map<std::string, std::string> hashes;
  for (const auto& p : points)
    for (const auto& [path, sha] : p.files)
      if (!hashes.emplace(path, sha).second && hashes[path] != sha) return;
  ojson files = ojson::object();
  for (const auto& [path, sha] : hashes) files[path] = sha;
  ojson list = ojson::array();
  for (const auto& p : points) list.push_back({{"key", p.key}, {"arguments", p.arguments}});
  const ojson doc = {{"format", kFormat}, {"recsim", kRecsimVersion}, {"sweep", sweep_file}, {"files", files}, {"points", list}};
  try {
    fs::create_directories(store.dir() + "/plans");
    const std::string file = index_file(store, sweep_file);
    write_files_atomically({{file, doc.dump(1) + "\n"}});
    // The same sweep's older indexes (it changed, or recsim was rebuilt) are no longer current.
    const std::string prefix = index_prefix(sweep_file);
    for (const auto& entry : fs::directory_iterator(store.dir() + "/plans")) {
      const std::string name = entry.path().filename().string();
      if (name.rfind(prefix, 0) == 0 && name.size() > 5 && name.substr(name.size() - 5) == ".json" && entry.path() != fs::path(file))
        fs::remove(entry.path());
    }
  } catch (const std::exception&) {
    // Only a saving: without an index the next start plans every point again.
  }
}

}  // namespace recsim
