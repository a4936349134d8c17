#include "kernels/model/model_spec.h"

#include "kernels/data_dir.h"

#include "workloads/input_error.h"
#include "workloads/json_reader.h"

#include <filesystem>
#include <numeric>

namespace recsim {
namespace {

constexpr std::int64_t kMaxWidth = 1 << 20;

std::vector<int> widths(JsonReader& r, const std::string& key, bool required) {
  std::vector<int> out;
  if (!required && !r.has(key)) return out;
  const auto& array = r.array(key);
  if (array.empty()) throw InputError(r.child_path(key), "expected at least one layer width");
  for (std::size_t i = 0; i < array.size(); ++i) {
    const auto& v = array[i];
    if (!v.is_number_integer() || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > kMaxWidth)
      throw InputError(r.child_path(key) + "." + std::to_string(i), "expected an integer layer width in [1, 1048576]");
    out.push_back(v.get<int>());
  }
  return out;
}

double mlp_flops(int input, const std::vector<int>& layers) {
  double flops = 0;
  for (int w : layers) {
    flops += 2.0 * input * w;
    input = w;
  }
  return flops;
}

int sum_dims(const ModelSpec& m, const std::string& role) {
  int total = 0;
  for (const auto& t : m.expanded_tables())
    if (role.empty() || t.role == role) total += t.dim;
  return total;
}

int count_role(const ModelSpec& m, const std::string& role) {
  int n = 0;
  for (const auto& t : m.expanded_tables()) n += t.role == role;
  return n;
}

int first_dim(const ModelSpec& m, const std::string& role) {
  for (const auto& t : m.expanded_tables())
    if (t.role == role) return t.dim;
  return 0;
}

// Family-specific structure checks, so a kernel never meets a model it cannot build.
void check_structure(const ModelSpec& m, const std::string& where) {
  auto need = [&](bool ok, const std::string& key, const std::string& what) {
    if (!ok) throw InputError(where + key, what);
  };
  auto uniform_dim = [&](const std::string& role) {
    for (const auto& t : m.expanded_tables())
      if (t.role == role && t.dim != first_dim(m, role)) return false;
    return true;
  };
  switch (m.family) {
    case ModelFamily::dlrm:
      need(!m.bottom_mlp.empty(), "bottom_mlp", "a DLRM needs a bottom MLP");
      need(m.dense_features > 0, "dense_features", "a DLRM needs dense features");
      if (m.interaction == Interaction::dot)
        for (const auto& t : m.expanded_tables())
          need(t.dim == m.bottom_mlp.back(), "interaction",
               "a dot interaction needs every table's dim equal to the bottom MLP's last width (" +
                   std::to_string(m.bottom_mlp.back()) + ")");
      break;
    case ModelFamily::ncf:
      need(count_role(m, "user") == 2 && count_role(m, "item") == 2, "tables",
           "NCF needs two \"user\" tables (MLP, MF) and two \"item\" tables (MLP, MF)");
      need(uniform_dim("user") && first_dim(m, "user") == first_dim(m, "item"), "tables",
           "NCF's user and item tables need one common dimension");
      need(!m.final_mlp.empty(), "final_mlp", "NCF needs a final MLP");
      break;
    case ModelFamily::wnd: break;
    case ModelFamily::mtwnd:
      need(m.tasks >= 1 && !m.task_mlp.empty(), "task_mlp", "MT-WnD needs \"tasks\" and a \"task_mlp\"");
      break;
    case ModelFamily::din:
      need(count_role(m, "behaviour") >= 1 && count_role(m, "ad") >= 1, "tables",
           "DIN needs \"behaviour\" and \"ad\" tables");
      need(uniform_dim("behaviour") && uniform_dim("ad") && first_dim(m, "behaviour") == first_dim(m, "ad"), "tables",
           "DIN's behaviour and ad tables need one common dimension");
      need(!m.attention_mlp.empty() && m.attention_mlp.back() == 1, "attention_mlp",
           "DIN needs an attention MLP ending in width 1");
      break;
    case ModelFamily::dien:
      need(count_role(m, "behaviour") >= 1 && count_role(m, "ad") >= 1, "tables",
           "DIEN needs \"behaviour\" and \"ad\" tables");
      need(uniform_dim("behaviour") && uniform_dim("ad") && first_dim(m, "behaviour") == first_dim(m, "ad"), "tables",
           "DIEN's behaviour and ad tables need one common dimension");
      need(m.gru_hidden > 0, "gru_hidden", "DIEN needs a GRU hidden size");
      break;
  }
  need(!m.top_mlp.empty(), "top_mlp", "expected a top MLP");
}

}  // namespace

const char* family_name(ModelFamily f) {
  switch (f) {
    case ModelFamily::dlrm: return "dlrm";
    case ModelFamily::ncf: return "ncf";
    case ModelFamily::wnd: return "wnd";
    case ModelFamily::mtwnd: return "mtwnd";
    case ModelFamily::din: return "din";
    case ModelFamily::dien: return "dien";
  }
  return "?";
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

int ModelSpec::outputs_per_item() const {
  if (family == ModelFamily::mtwnd) return tasks * task_mlp.back();
  if (family == ModelFamily::ncf) return final_mlp.back();
  return top_mlp.back();
}

std::int64_t ModelSpec::output_bytes_per_item() const { return outputs_per_item() * 4LL; }

double ModelSpec::flops_per_item() const {
  switch (family) {
    case ModelFamily::dlrm:
      if (interaction == Interaction::dot) {
        const double f = table_count() + 1, d = bottom_mlp.back();
        const int top_in = bottom_mlp.back() + static_cast<int>(f * (f - 1) / 2);
        return mlp_flops(dense_features, bottom_mlp) + f * (f - 1) * d + mlp_flops(top_in, top_mlp);
      }
      return mlp_flops(dense_features, bottom_mlp) + mlp_flops(bottom_mlp.back() + sum_dims(*this, ""), top_mlp);
    case ModelFamily::ncf: {
      const int d = first_dim(*this, "user");
      return mlp_flops(dense_features + 2 * d, top_mlp) + d + mlp_flops(top_mlp.back() + d, final_mlp);
    }
    case ModelFamily::wnd: return mlp_flops(dense_features + sum_dims(*this, ""), top_mlp);
    case ModelFamily::mtwnd:
      return mlp_flops(dense_features + sum_dims(*this, ""), top_mlp) + tasks * mlp_flops(top_mlp.back(), task_mlp);
    case ModelFamily::din: {
      const int k = count_role(*this, "behaviour"), d = first_dim(*this, "ad");
      const int top_in = sum_dims(*this, "profile") + d + sum_dims(*this, "ad");
      return k * (mlp_flops(3 * d, attention_mlp) + 3.0 * d) + mlp_flops(top_in, top_mlp);
    }
    case ModelFamily::dien: {
      const int t = count_role(*this, "behaviour"), d = first_dim(*this, "ad"), h = gru_hidden;
      const double gru = t * 2.0 * 3.0 * (static_cast<double>(d) * h + static_cast<double>(h) * h);
      const double augru = t * 2.0 * 3.0 * (2.0 * h * h);
      const double attention = 2.0 * h * d + t * 2.0 * h;
      const int top_in = dense_features + sum_dims(*this, "profile") + h + sum_dims(*this, "ad");
      return gru + attention + augru + mlp_flops(top_in, top_mlp);
    }
  }
  return 0;
}

ModelSpec parse_model_spec(const nlohmann::json& document, const std::string& where) {
  ModelSpec m;
  JsonReader r(document, "");
  auto path = [&](const std::string& key) { return where + key; };
  try {
    m.name = r.string("name");
    const auto family = r.choice("family", {"dlrm", "ncf", "wnd", "mtwnd", "din", "dien"});
    for (auto f : {ModelFamily::dlrm, ModelFamily::ncf, ModelFamily::wnd, ModelFamily::mtwnd, ModelFamily::din,
                   ModelFamily::dien})
      if (family == family_name(f)) m.family = f;
    m.model_class = r.choice("class", {"embedding-dominated", "mlp-dominated", "attention-dominated"});
    m.source = r.string("source");
    m.dense_features = static_cast<int>(r.integer_or("dense_features", 0, 0, kMaxWidth));
    m.bottom_mlp = widths(r, "bottom_mlp", false);
    m.top_mlp = widths(r, "top_mlp", true);
    if (r.has("interaction")) {
      if (m.family != ModelFamily::dlrm) throw InputError("interaction", "only a DLRM has an interaction key");
      m.interaction = r.choice("interaction", {"concat", "dot"}) == "dot" ? Interaction::dot : Interaction::concat;
    }
    m.final_mlp = widths(r, "final_mlp", false);
    m.task_mlp = widths(r, "task_mlp", false);
    m.tasks = static_cast<int>(r.integer_or("tasks", 1, 1, 64));
    m.attention_mlp = widths(r, "attention_mlp", false);
    m.gru_hidden = static_cast<int>(r.integer_or("gru_hidden", 0, 0, 4096));
    const auto& tables = r.array("tables");
    if (tables.empty()) throw InputError("tables", "expected at least one table group");
    for (std::size_t i = 0; i < tables.size(); ++i) {
      JsonReader t(tables[i], "tables." + std::to_string(i));
      TableGroup g;
      g.count = static_cast<int>(t.integer_or("count", 1, 1, 100000));
      g.rows = t.integer("rows", 1, 1'000'000'000'000);
      g.dim = static_cast<int>(t.integer("dim", 1, 4096));
      g.lookups = static_cast<int>(t.integer("lookups", 1, 100000));
      g.role = t.choice_or("role", {"user", "item", "profile", "behaviour", "ad"}, "");
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
    check_structure(m, "");
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
  static const std::vector<std::string> names = {"dlrm-rmc1", "dlrm-rmc2", "dlrm-rmc3", "ncf",
                                                 "wnd",       "mtwnd",     "din",       "dien"};
  return names;
}

}  // namespace recsim
