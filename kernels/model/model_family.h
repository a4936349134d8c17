#pragma once
// A model family (docs/models.md, "Families"): everything that differs between DLRM, NCF,
// Wide&Deep, MT-WnD, DIN and DIEN, each in one file under kernels/model/families/ and one line in
// the registry (model_family.cpp): the keys of its model files, its structure checks, the widths its
// forward pass builds, its FLOPs, its weights, and its forward pass composed from a backend's
// KernelOps (kernel_ops.h). A model file's "family" names one; a new family is one file, the kernel
// ops it needs, and its registration line.
#include "kernels/model/kernel_ops.h"
#include "kernels/model/model_spec.h"
#include "kernels/model/model_weights.h"
#include "workloads/json_reader.h"

#include <boost/random/mersenne_twister.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace recsim {

// The generator a family draws its layers' weights from (make_model_weights seeds it).
using WeightRng = boost::random::mt19937_64;

// What a family's forward pass works with: ModelForward (model_forward.h) owns it, uploads the batch
// into it and calls the family.
struct ForwardPass {
  ForwardPass(const ModelWeights& w, KernelOps& o) : weights(w), ops(o) {}
  const ModelWeights& weights;
  KernelOps& ops;
  int max_batch = 0;
  int batch = 0;
  float* dense = nullptr;               // batch x dense_features
  std::vector<std::int32_t*> indices;   // per table: this batch's keys (batch x lookups)
  float* out = nullptr;                 // batch x outputs_per_item
  int top_in = 0;                       // the top MLP's input width (the family's top_input_width)
  std::vector<float*> scratch;          // [0]: the top MLP's input, batch x top_in; then the family's

  // A scratch buffer of `per_item` floats per item (max_batch items), appended to `scratch`.
  float* add_scratch(std::size_t per_item);
  // Pools every table with role `role` ("": all) into out, in table order, from column `offset`
  // (row stride ld); returns the column after the last.
  int pool_tables(const std::string& role, float* out, int ld, int offset);
};

// need(ok, key, what): an InputError naming `key` when !ok.
using StructureCheck = std::function<void(bool ok, const std::string& key, const std::string& what)>;

struct ModelFamily {
  std::string name;
  std::vector<std::string> keys;   // its own keys in a model file, beyond the common ones
  std::vector<std::string> roles;  // the table roles it reads (a table without one is always allowed)
  // Reads its own keys into the spec (each key in `keys`; a missing optional one keeps its default).
  void (*parse)(JsonReader& r, ModelSpec& m) = nullptr;
  // Structure checks, so that a kernel never meets a model it cannot build.
  void (*check)(const ModelSpec& m, const StructureCheck& need) = nullptr;
  // The top MLP's input width, as its forward pass builds it.
  int (*top_input_width)(const ModelSpec& m) = nullptr;
  // Values each item's forward pass returns (default: the top MLP's last width).
  int (*outputs_per_item)(const ModelSpec& m) = nullptr;
  // Floating-point operations per item of the dense parts (2 per multiply-add).
  double (*flops_per_item)(const ModelSpec& m) = nullptr;
  // Its layers (the tables are made before, the same for every family), drawn from `rng` in a fixed order.
  void (*make_weights)(const ModelSpec& m, int top_in, WeightRng& rng, ModelWeights& w) = nullptr;
  // Its scratch buffers (after scratch[0]), then its forward pass over the uploaded batch.
  void (*allocate)(ForwardPass& f) = nullptr;
  void (*compute)(ForwardPass& f) = nullptr;
};

// The registered families, in registration order; the one named `name` (nullptr when none).
const std::vector<const ModelFamily*>& model_families();
const ModelFamily* find_model_family(const std::string& name);

// Shared by the families.
// Layer widths under `key`: an InputError unless a non-empty array of integers in [1, 2^20]; an
// absent optional key gives none.
std::vector<int> read_layer_widths(JsonReader& r, const std::string& key, bool required);
double mlp_flops(int input, const std::vector<int>& layers);
// Over the tables (groups expanded) with role `role` ("": all): their summed dims, their count, the
// first one's dim (0: none), and whether they all share it.
int sum_dims(const ModelSpec& m, const std::string& role);
int count_role(const ModelSpec& m, const std::string& role);
int first_dim(const ModelSpec& m, const std::string& role);
bool uniform_dim(const ModelSpec& m, const std::string& role);
// Hidden layers ReLU, the last `last`; weights uniform in +-1/sqrt(fan-in).
Mlp make_mlp(int in, const std::vector<int>& widths, Activation last, WeightRng& rng);
GruWeights make_gru(int input, int hidden, WeightRng& rng);

}  // namespace recsim
