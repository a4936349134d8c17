#include "kernels/model/model_spec.h"

#include "kernels/data_dir.h"
#include "kernels/model/model_family.h"

#include "workloads/input_error.h"
#include "workloads/json_reader.h"

#include <algorithm>
#include <filesystem>
#include <numeric>

namespace recsim {
namespace {

constexpr std::int64_t kMaxWidth = 1 << 20;

// The keys every model file has; the rest belong to its family.
const std::vector<std::string>& common_keys() {
  static const std::vector<std::string> keys = {"name", "family", "class", "source", "dense_features", "top_mlp", "tables", "sla_ms", "sla_source"};
  return keys;
}

// A key the file's family does not read: another family's ("only dlrm models have ..."), or none's.
void refuse_other_keys(const nlohmann::json& document, const ModelFamily& family) {
  for (const auto& [key, value] : document.items()) {
    const auto& common = common_keys();
    if (std::find(common.begin(), common.end(), key) != common.end() ||
        std::find(family.keys.begin(), family.keys.end(), key) != family.keys.end())
      continue;
    std::string owners;
    for (const ModelFamily* f : model_families())
      if (std::find(f->keys.begin(), f->keys.end(), key) != f->keys.end()) owners += (owners.empty() ? "" : ", ") + f->name;
    if (!owners.empty()) throw InputError(key, "only " + owners + " models have this key (this one is " + family.name + ")");
  }
}

}  // namespace

const std::string& family_name(const ModelSpec& m) {
  static const std::string none = "?";
  return m.family ? m.family->name : none;
}

std::vector<TableGroup> ModelSpec::expanded_tables() const {
  std::vector<TableGroup> out;
  for (const auto& g : tables)
    for (int i = 0; i < g.count; ++i) {
      TableGroup t = g;
      t.count = 1;
      out.push_back(t);
    }
  return out;
}

int ModelSpec::table_count() const {
  int n = 0;
  for (const auto& g : tables) n += g.count;
  return n;
}

std::int64_t ModelSpec::lookups_per_item() const {
  std::int64_t n = 0;
  for (const auto& g : tables) n += static_cast<std::int64_t>(g.count) * g.lookups;
  return n;
}

double ModelSpec::table_bytes() const {
  double b = 0;
  for (const auto& g : tables) b += static_cast<double>(g.count) * static_cast<double>(g.rows) * g.dim * 4.0;
  return b;
}

double ModelSpec::embedding_bytes_per_item() const {
  double b = 0;
  for (const auto& g : tables) b += static_cast<double>(g.count) * g.lookups * g.dim * 4.0;
  return b;
}

std::int64_t ModelSpec::input_bytes_per_item() const { return dense_features * 4LL + lookups_per_item() * 4LL; }

int ModelSpec::outputs_per_item() const { return family->outputs_per_item ? family->outputs_per_item(*this) : top_mlp.back(); }

std::int64_t ModelSpec::output_bytes_per_item() const { return outputs_per_item() * 4LL; }

double ModelSpec::flops_per_item() const { return family->flops_per_item(*this); }

ModelSpec parse_model_spec(const nlohmann::json& document, const std::string& where) {
  ModelSpec m;
  JsonReader r(document, "");
  auto path = [&](const std::string& key) { return where + key; };
  try {
    m.name = r.string("name");
    std::vector<std::string> names;
    for (const ModelFamily* f : model_families()) names.push_back(f->name);
    m.family = find_model_family(r.choice("family", names));
    m.model_class = r.choice("class", {"embedding-dominated", "mlp-dominated", "attention-dominated"});
    m.source = r.string("source");
    m.dense_features = static_cast<int>(r.integer_or("dense_features", 0, 0, kMaxWidth));
    m.top_mlp = read_layer_widths(r, "top_mlp", true);
    refuse_other_keys(document, *m.family);
    m.family->parse(r, m);
    const auto& tables = r.array("tables");
    if (tables.empty()) throw InputError("tables", "expected at least one table group");
    for (std::size_t i = 0; i < tables.size(); ++i) {
      JsonReader t(tables[i], "tables." + std::to_string(i));
      TableGroup g;
      g.count = static_cast<int>(t.integer_or("count", 1, 1, 100000));
      g.rows = t.integer("rows", 1, 1'000'000'000'000);
      g.dim = static_cast<int>(t.integer("dim", 1, 4096));
      g.lookups = static_cast<int>(t.integer("lookups", 1, 100000));
      if (t.has("role")) {
        if (m.family->roles.empty()) throw InputError(t.child_path("role"), "a " + m.family->name + " model's tables have no roles");
        g.role = t.choice("role", m.family->roles);
      }
      t.finish();
      m.tables.push_back(g);
    }
    JsonReader sla = r.object("sla_ms");
    m.sla_low_ms = sla.number("low", 0, 1e9, true);
    m.sla_medium_ms = sla.number("medium", 0, 1e9, true);
    m.sla_high_ms = sla.number("high", 0, 1e9, true);
    sla.finish();
    r.string_or("sla_source", "");
    r.finish();
    m.family->check(m, [](bool ok, const std::string& key, const std::string& what) {
      if (!ok) throw InputError(key, what);
    });
    if (m.top_mlp.empty()) throw InputError("top_mlp", "expected a top MLP");
  } catch (const InputError& e) {
    throw InputError(path(e.where()), e.expected());
  }
  return m;
}

ModelSpec load_model_spec(const std::string& path) { return parse_model_spec(read_json_file(path), path + ": "); }

std::string model_file(const std::string& name) {
  const auto& names = shipped_model_names();
  const char* dir = std::getenv("RECSIM_MODELS_DIR");
  const std::string base = dir ? dir : recsim_data_dir() + "/kernels/models";
  const std::string path = base + "/" + name + ".json";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    throw InputError(name, "unknown model (no file " + path + "); shipped models: " + list);
  }
  return path;
}

const std::vector<std::string>& shipped_model_names() {
  static const std::vector<std::string> names = {"dlrm-rmc1", "dlrm-rmc2", "dlrm-rmc3", "ncf",    "wnd", "mtwnd",
                                                 "din",       "dien",      "deepfm",    "dcn",    "mmoe"};
  return names;
}

}  // namespace recsim
