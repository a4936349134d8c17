#pragma once
// A recommendation model's architecture, read from its definition file (kernels/models/NAME.json,
// documented in docs/models.md): MLP widths, embedding tables, and the family-specific parts
// (DIN's attention unit, DIEN's GRU width, MT-WnD's task heads, NCF's final layer), which its family
// (kernels/model/model_family.h) reads and checks. The kernels build from it, the simulator reads
// bytes moved per item from it, and the analytic GPU model reads FLOPs and bytes from it.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace recsim {

struct ModelFamily;  // kernels/model/model_family.h
// DLRM feature interaction: the bottom MLP's output and the pooled embeddings concatenated (the
// DeepRecSys models), or the bottom output followed by the dot products of every pair of those
// vectors (the MLPerf / HugeCTR DLRM).
enum class Interaction { concat, dot };

struct TableGroup {
  int count = 1;           // identical tables in the group
  std::int64_t rows = 1;   // rows of each table at full size
  int dim = 1;             // embedding dimension
  int lookups = 1;         // lookups per table per item (pooling factor)
  std::string role;        // family-specific: "user"/"item" (NCF), "profile"/"behaviour"/"ad" (DIN, DIEN)
};

struct ModelSpec {
  std::string name;
  const ModelFamily* family = nullptr;  // a registered family (parse_model_spec sets it)
  std::string model_class;  // "embedding-dominated", "mlp-dominated", "attention-dominated"
  std::string source;
  int dense_features = 0;
  std::vector<int> bottom_mlp;     // DLRM: over the dense features
  Interaction interaction = Interaction::concat;  // DLRM
  std::vector<int> top_mlp;        // all families: the main MLP tower (MT-WnD: the shared part)
  // The families' own parts (each read by its family; absent for the others).
  std::vector<int> final_mlp;      // NCF: after joining the MLP tower and the MF branch
  std::vector<int> task_mlp;       // MT-WnD: one head per task
  int tasks = 1;                   // MT-WnD
  std::vector<int> attention_mlp;  // DIN: the local activation unit
  int gru_hidden = 0;              // DIEN
  // Other families' own sizes and layer widths, by key (DCN's cross_layers, MMoE's experts): each
  // read, checked and used by its family's file alone.
  std::map<std::string, int> family_sizes;
  std::map<std::string, std::vector<int>> family_layers;
  std::vector<TableGroup> tables;
  double sla_low_ms = 0, sla_medium_ms = 0, sla_high_ms = 0;

  // Tables, one entry per table (groups expanded), in definition order.
  std::vector<TableGroup> expanded_tables() const;
  int table_count() const;
  // Embedding lookups per item, over all tables.
  std::int64_t lookups_per_item() const;
  // Parameter bytes of all tables at full size (float32).
  double table_bytes() const;
  // Input bytes per item sent to a device: dense features (float32) and sparse indices (int32).
  std::int64_t input_bytes_per_item() const;
  // Output values per item and their bytes (float32).
  int outputs_per_item() const;
  std::int64_t output_bytes_per_item() const;
  // Floating-point operations per item of the dense parts (MLPs, attention, GRUs; 2 per MAC).
  double flops_per_item() const;
  // Embedding bytes gathered per item (float32 rows read).
  double embedding_bytes_per_item() const;
};

// The family's name ("dlrm", "ncf", ...).
const std::string& family_name(const ModelSpec& m);

// Throws InputError naming the JSON path (prefixed with `where`) on any invalid key.
ModelSpec parse_model_spec(const nlohmann::json& document, const std::string& where);
// Reads and parses a model definition file.
ModelSpec load_model_spec(const std::string& path);
// The model definition file of a model name: RECSIM_MODELS_DIR/NAME.json if that variable is set,
// else kernels/models/NAME.json under recsim's data folder (kernels/data_dir.h). Throws InputError
// when the name is unknown.
std::string model_file(const std::string& name);
// The names of the shipped models, in the reference's order.
const std::vector<std::string>& shipped_model_names();

}  // namespace recsim
