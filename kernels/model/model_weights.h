#pragma once
// A model's parameters, generated deterministically from its ModelSpec and a seed: embedding tables
// (rows shrunk by rows_scale, lookups per item unchanged), MLP layers, GRU/AUGRU weights. Every
// backend (naive reference, oneDNN, CUDA) computes from the same ModelWeights, so their outputs can
// be compared. Values matter only for correctness checks, never for timing.
#include "kernels/model/model_spec.h"

#include <cstdint>
#include <vector>

namespace recsim {

enum class Activation { none, relu, sigmoid, softmax };

struct DenseLayer {
  int in = 0, out = 0;
  std::vector<float> w;  // in x out, row-major: y = x W + b
  std::vector<float> b;  // out
};

// Hidden layers use ReLU; the last layer uses `last`.
struct Mlp {
  std::vector<DenseLayer> layers;
  Activation last = Activation::none;
  int in() const { return layers.front().in; }
  int out() const { return layers.back().out; }
};

// GRU gates in oneDNN's order u (update), r (reset), o (candidate):
//   u = sigmoid(x Wx_u + h Wh_u + b_u), r = sigmoid(x Wx_r + h Wh_r + b_r),
//   o = tanh(x Wx_o + (r * h) Wh_o + b_o), h' = u * h + (1 - u) * o.
// AUGRU (DIEN's interest evolution) scales the update gate by the attention score a:
//   u' = (1 - a) * u, h' = u' * h + (1 - u') * o.
struct GruWeights {
  int input = 0, hidden = 0;
  std::vector<float> wx;  // input x 3*hidden
  std::vector<float> wh;  // hidden x 3*hidden
  std::vector<float> b;   // 3*hidden
};

struct EmbeddingTable {
  std::int64_t rows = 0;  // after rows_scale
  int dim = 0;
  int lookups = 0;
  std::string role;
  std::vector<float> data;  // rows x dim
};

struct ModelWeights {
  ModelSpec spec;
  double rows_scale = 1.0;
  std::vector<EmbeddingTable> tables;  // spec.expanded_tables() order
  Mlp bottom;                          // DLRM
  Mlp top;                             // all
  Mlp final_mlp;                       // NCF
  std::vector<Mlp> task_heads;         // MT-WnD
  Mlp attention;                       // DIN: local activation unit
  Mlp ad_projection;                   // DIEN: ad embedding -> hidden (one layer, no activation)
  GruWeights gru, augru;               // DIEN
  std::vector<Mlp> family_mlps;        // other families' layers, in the order their make_weights made them

  double table_bytes() const;
};

// rows_scale in (0, 1]: each table keeps max(1, round(rows * rows_scale)) rows.
ModelWeights make_model_weights(const ModelSpec& spec, double rows_scale, std::uint64_t seed);
// The largest rows_scale <= 1 whose tables fit in `max_table_bytes`.
double rows_scale_for(const ModelSpec& spec, double max_table_bytes);
// Width of the top MLP's input, as the family's forward pass builds it.
int top_input_width(const ModelSpec& spec);
// DLRM: the width of the features before the interaction (the bottom output and every pooled
// embedding side by side); with a concatenation this is the top MLP's input
// (kernels/model/families/dlrm.cpp).
int dlrm_features_width(const ModelSpec& spec);

}  // namespace recsim
