#include "sim/sweep/sweep_plan_index.h"

#include "sim/engine/atomic_file.h"
#include "sim/provenance/build_version.h"
#include "sim/provenance/content_hash.h"
#include "sim/sweep/process_pool.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace recsim {
namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;
constexpr const char* kFormat = "recsim-sweep-plan/1";

std::string absolute(const std::string& path) {
  std::error_code ec;
  const fs::path p = fs::absolute(path, ec);
  return ec ? path : p.lexically_normal().string();
}

// STORE/plans/ID.json for this sweep file as this process sees it.
std::string index_file(const RunStore& store, const std::string& sweep_file) {
  std::string identity = std::string(kFormat) + "\n" + kRecsimVersion + "\n" + own_executable() + "\n" + fs::current_path().string() +
                         "\n" + absolute(sweep_file) + "\n" + sha256_file_hex(sweep_file) + "\n";
  for (const char* variable : {"RECSIM_DATA_DIR", "RECSIM_MODELS_DIR"}) {
    const char* value = std::getenv(variable);
    identity += std::string(variable) + "=" + (value ? value : "") + "\n";
  }
  return store.dir() + "/plans/" + sha256_hex(identity) + ".json";
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
  ojson files = ojson::object();
  try {
    for (const auto& p : points)
      for (const auto& f : p.files) {
        const std::string path = absolute(f);
        if (!files.contains(path)) files[path] = sha256_file_hex(f);
      }
  } catch (...) {
    return;
  }
  ojson list = ojson::array();
  for (const auto& p : points) list.push_back({{"key", p.key}, {"arguments", p.arguments}});
  const ojson doc = {{"format", kFormat}, {"recsim", kRecsimVersion}, {"sweep", absolute(sweep_file)}, {"files", files}, {"points", list}};
  std::error_code ec;
  fs::create_directories(store.dir() + "/plans", ec);
  try {
    if (!ec) write_files_atomically({{index_file(store, sweep_file), doc.dump(1) + "\n"}});
  } catch (const std::exception&) {
    // Only a saving: without an index the next start plans every point again.
  }
}

}  // namespace recsim
