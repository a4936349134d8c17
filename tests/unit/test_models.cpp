// The eight models: their definition files, derived sizes, and the oneDNN backend's outputs against
// the naive reference on small inputs.
#include "kernels/cpu/onednn_ops.h"
#include "kernels/model/model_family.h"
#include "kernels/model/model_forward.h"
#include "kernels/model/model_spec.h"
#include "kernels/reference/reference_ops.h"
#include "support/model_cases.h"
#include "workloads/input_error.h"

#include <catch2/catch.hpp>
#include <omp.h>

#include <cmath>
#include <thread>

using namespace recsim;
using namespace recsim::test;

TEST_CASE("every shipped model definition loads", "[models]") {
  for (const auto& name : shipped_model_names()) {
    CAPTURE(name);
    const ModelSpec m = load_model_spec(model_file(name));
    CHECK(m.name == name);
    CHECK(m.flops_per_item() > 0);
    CHECK(m.sla_low_ms == Approx(m.sla_medium_ms * 0.5));
    CHECK(m.sla_high_ms == Approx(m.sla_medium_ms * 1.5));
  }
  CHECK_THROWS_AS(model_file("dlrm-rmc9"), InputError);
}

TEST_CASE("model sizes follow the reference architectures", "[models]") {
  const ModelSpec rmc1 = load_model_spec(model_file("dlrm-rmc1"));
  CHECK(rmc1.table_count() == 8);
  CHECK(rmc1.lookups_per_item() == 8 * 80);
  CHECK(top_input_width(rmc1) == 288);  // (8 + 1) x 32
  CHECK(rmc1.input_bytes_per_item() == 128 * 4 + 640 * 4);
  CHECK(rmc1.output_bytes_per_item() == 4);
  CHECK(rmc1.embedding_bytes_per_item() == 640 * 32 * 4);
  CHECK(top_input_width(load_model_spec(model_file("dlrm-rmc2"))) == 2112);  // 33 x 64
  CHECK(top_input_width(load_model_spec(model_file("dlrm-rmc3"))) == 352);   // 11 x 32
  const ModelSpec wnd = load_model_spec(model_file("wnd"));
  CHECK(top_input_width(wnd) == 1376);  // 27 x 32 + 512
  CHECK(wnd.flops_per_item() == 2.0 * (1376 * 1024 + 1024 * 512 + 512 * 256 + 256 * 1));
  const ModelSpec din = load_model_spec(model_file("din"));
  CHECK(din.table_count() == 254);  // not the public code's 4
  const ModelSpec mtwnd = load_model_spec(model_file("mtwnd"));
  CHECK(mtwnd.table_count() == 43);
  CHECK(mtwnd.outputs_per_item() == 3);  // one per task head, not the public code's single head
  CHECK(load_model_spec(model_file("dien")).table_count() == 43);
}

TEST_CASE("the MLPerf DLRM's dot interaction has the published widths and values", "[models]") {
  const ModelSpec m = load_model_spec(model_file("dlrm-mlperf"));
  CHECK(m.interaction == Interaction::dot);
  CHECK(top_input_width(m) == 128 + 27 * 26 / 2);  // 479: the bottom output and 351 pair products
  CHECK(dlrm_features_width(m) == 27 * 128);
  const double bottom = 13 * 512 + 512 * 256 + 256 * 128, top = 479 * 1024 + 1024 * 1024 + 1024 * 512 + 512 * 256 + 256;
  CHECK(m.flops_per_item() == 2.0 * (bottom + 351 * 128 + top));
  // Three vectors of width 2 per row: the first copied, then (1,0), (2,0), (2,1) dot products.
  ReferenceOps ops;
  const std::vector<float> x = {1, 2, 3, 4, 5, 6, /* row 2 */ 0, 1, 1, 0, 2, 2};
  std::vector<float> out(2 * 6, -1.0f);
  ops.pairwise_dot(x.data(), 2, 3, 2, out.data(), 6);
  CHECK(out == std::vector<float>{1, 2, 11, 17, 39, /* stride pad */ -1, 0, 1, 0, 2, 2, -1});
}

TEST_CASE("invalid model files name the path and the problem", "[models][errors]") {
  nlohmann::json doc = nlohmann::json::parse(R"({"name": "m", "family": "dlrm", "class": "mlp-dominated",
    "source": "test", "dense_features": 4, "bottom_mlp": [4], "top_mlp": [1],
    "tables": [{"rows": 10, "dim": 4, "lookups": 0}], "sla_ms": {"low": 1, "medium": 2, "high": 3}})");
  auto error_of = [&](const nlohmann::json& d) {
    try {
      parse_model_spec(d, "m.json: ");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("valid");
  };
  CHECK(error_of(doc) == "m.json: tables.0.lookups: expected an integer in [1, 100000], got 0");
  doc["tables"][0]["lookups"] = 2;
  CHECK(error_of(doc) == "valid");
  doc.erase("bottom_mlp");
  CHECK(error_of(doc) == "m.json: bottom_mlp: a DLRM needs a bottom MLP");
  doc["bottom_mlp"] = {8};
  doc["interaction"] = "dot";
  CHECK(error_of(doc) == "m.json: interaction: a dot interaction needs every table's dim equal to the bottom MLP's last width (8)");
  doc["interaction"] = "sum";
  CHECK(error_of(doc) == "m.json: interaction: expected one of \"concat\", \"dot\", got \"sum\"");
  // Each family reads its own keys: another family's is named as such, any other is unknown.
  doc["family"] = "wnd";
  doc["interaction"] = "dot";
  CHECK(error_of(doc) == "m.json: bottom_mlp: only dlrm models have this key (this one is wnd)");
  doc.erase("bottom_mlp");
  CHECK(error_of(doc) == "m.json: interaction: only dlrm models have this key (this one is wnd)");
  doc.erase("interaction");
  CHECK(error_of(doc) == "valid");
  doc["gru_size"] = 4;
  CHECK(error_of(doc) == "m.json: gru_size: unknown key");
  doc.erase("gru_size");
  doc["tables"][0]["role"] = "user";
  CHECK(error_of(doc) == "m.json: tables.0.role: a wnd model's tables have no roles");
  doc["family"] = "din";
  doc["attention_mlp"] = {4, 1};
  CHECK(error_of(doc) == "m.json: tables.0.role: expected one of \"profile\", \"behaviour\", \"ad\", got \"user\"");
  CHECK(find_model_family("xdeepfm") == nullptr);
  CHECK(find_model_family("din")->name == "din");
}

TEST_CASE("oneDNN backend matches the naive reference for every model", "[models][onednn]") {
  const auto name = GENERATE(from_range(defined_model_names()));
  const int batch = GENERATE(1, 3, 17);
  CAPTURE(name, batch);
  const ModelCase c = make_model_case(name, batch);
  ReferenceOps reference_ops;
  OneDnnOps onednn_ops;
  ModelForward reference(c.weights, reference_ops, 32), onednn(c.weights, onednn_ops, 32);
  const auto expected = outputs_of(reference, c);
  const auto actual = outputs_of(onednn, c);
  CHECK(worst_difference(actual, expected) <= 1e-4);
  CHECK(worst_difference(outputs_of(onednn, c), actual) == 0.0);  // reused primitives give the same answer
  check_plausible_outputs(actual, c);
}

TEST_CASE("oneDNN instances on two threads at once each give the reference's answer", "[models][onednn][threads]") {
  // Calibration's contention runs one instance per core; identical primitives come from oneDNN's
  // primitive cache, so any state they shared (a library-managed scratchpad) would corrupt them.
  const auto name = GENERATE(as<std::string>{}, "dien", "dlrm-rmc2");
  CAPTURE(name);
  const ModelCase c = make_model_case(name, 64, 5);
  ReferenceOps reference_ops;
  ModelForward reference(c.weights, reference_ops, 64);
  const auto expected = outputs_of(reference, c);
  std::vector<std::vector<float>> outputs(2);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 2; ++t)
    threads.emplace_back([&, t] {
      OneDnnOps ops;
      ModelForward forward(c.weights, ops, 64);
      for (int i = 0; i < 20; ++i) outputs[t] = outputs_of(forward, c);
    });
  for (auto& th : threads) th.join();
  for (const auto& out : outputs) CHECK(worst_difference(out, expected) <= 1e-4);
}

TEST_CASE("oneDNN with two intra-op threads gives the reference's answer", "[models][onednn][intra-op]") {
  // A request's intra-op threads (OpenMP) split oneDNN's primitives and recsim's own row loops
  // (embedding bags, interactions, attention): each row is still summed in the same order.
  const auto name = GENERATE(from_range(defined_model_names()));
  CAPTURE(name);
  const ModelCase c = make_model_case(name, 33, 9);
  ReferenceOps reference_ops;
  ModelForward reference(c.weights, reference_ops, 64);
  const auto expected = outputs_of(reference, c);
  std::vector<float> actual;
  std::thread team([&] {
    omp_set_num_threads(2);
    OneDnnOps ops;
    ModelForward forward(c.weights, ops, 64);
    actual = outputs_of(forward, c);
  });
  team.join();
  CHECK(worst_difference(actual, expected) <= 1e-4);
}

namespace {

// The papers' formulas in double precision, straight from a case's weights and inputs: an oracle
// independent of KernelOps and of how the families compose them.
using Vec = std::vector<double>;

Vec pooled(const ModelCase& c, std::size_t t, int b) {
  const auto& table = c.weights.tables[t];
  Vec v(static_cast<std::size_t>(table.dim), 0.0);
  for (int l = 0; l < table.lookups; ++l) {
    const auto key = static_cast<std::size_t>(c.inputs.indices[t][static_cast<std::size_t>(b * table.lookups + l)]);
    for (std::size_t j = 0; j < v.size(); ++j) v[j] += table.data[key * v.size() + j];
  }
  return v;
}

Vec dense_of(const ModelCase& c, int b) {
  const auto n = static_cast<std::size_t>(c.spec.dense_features);
  return Vec(c.inputs.dense.begin() + static_cast<std::ptrdiff_t>(b * n), c.inputs.dense.begin() + static_cast<std::ptrdiff_t>((b + 1) * n));
}

// [dense, the pooled tables with role `role` ("": all), in table order].
Vec features(const ModelCase& c, int b, const std::string& role) {
  Vec x = dense_of(c, b);
  for (std::size_t t = 0; t < c.weights.tables.size(); ++t)
    if (role.empty() || c.weights.tables[t].role == role) {
      const Vec v = pooled(c, t, b);
      x.insert(x.end(), v.begin(), v.end());
    }
  return x;
}

Vec layer(const DenseLayer& l, const Vec& x) {
  REQUIRE(x.size() == static_cast<std::size_t>(l.in));
  Vec y(l.b.begin(), l.b.end());
  for (std::size_t i = 0; i < x.size(); ++i)
    for (std::size_t o = 0; o < y.size(); ++o) y[o] += x[i] * l.w[i * y.size() + o];
  return y;
}

Vec apply(const Mlp& m, Vec x) {
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    x = layer(m.layers[i], x);
    const Activation a = i + 1 < m.layers.size() ? Activation::relu : m.last;
    if (a == Activation::relu)
      for (double& v : x) v = std::max(v, 0.0);
    if (a == Activation::sigmoid)
      for (double& v : x) v = 1.0 / (1.0 + std::exp(-v));
    if (a == Activation::softmax) {
      double sum = 0.0;
      for (double& v : x) sum += (v = std::exp(v));
      for (double& v : x) v /= sum;
    }
  }
  return x;
}

Vec deepfm_item(const ModelCase& c, int b) {
  const auto& w = c.weights;
  std::vector<Vec> v;  // the fields' embeddings
  for (std::size_t t = 0; t < w.tables.size(); ++t)
    if (w.tables[t].role == "field") v.push_back(pooled(c, t, b));
  double second = 0.0;  // sum over pairs f < g of <v_f, v_g> (Rendle's FM)
  for (std::size_t f = 0; f < v.size(); ++f)
    for (std::size_t g = f + 1; g < v.size(); ++g)
      for (std::size_t k = 0; k < v[f].size(); ++k) second += v[f][k] * v[g][k];
  const double first = apply(w.family_mlps[0], features(c, b, "linear"))[0];
  const double deep = apply(w.top, features(c, b, "field"))[0];
  return {1.0 / (1.0 + std::exp(-(first + second + deep)))};
}

Vec dcn_item(const ModelCase& c, int b) {
  const auto& w = c.weights;
  const Vec x0 = features(c, b, "");
  Vec x = x0;
  for (std::size_t l = 0; l < w.family_mlps.size(); ++l) {  // x_{l+1} = x0 * (x_l W_l + b_l) + x_l
    const Vec y = layer(w.family_mlps[l].layers[0], x);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = x0[i] * y[i] + x[i];
  }
  const Vec deep = apply(w.top, x0);
  x.insert(x.end(), deep.begin(), deep.end());
  return apply(w.final_mlp, x);
}

Vec mmoe_item(const ModelCase& c, int b) {
  const auto& w = c.weights;
  const Vec x = features(c, b, "");
  const auto experts = static_cast<std::size_t>(c.spec.family_sizes.at("experts"));
  std::vector<Vec> e;
  for (std::size_t i = 0; i < experts; ++i) e.push_back(apply(w.family_mlps[i], x));
  Vec out;
  for (std::size_t t = 0; t < w.task_heads.size(); ++t) {
    const Vec gate = apply(w.family_mlps[experts + t], x);
    Vec in(e[0].size(), 0.0);
    for (std::size_t i = 0; i < experts; ++i)
      for (std::size_t j = 0; j < in.size(); ++j) in[j] += gate[i] * e[i][j];
    const Vec y = apply(w.task_heads[t], in);
    out.insert(out.end(), y.begin(), y.end());
  }
  return out;
}

}  // namespace

TEST_CASE("DeepFM, DCN and MMoE compute their papers' formulas, on the reference and on oneDNN", "[models][families]") {
  const auto name = GENERATE(as<std::string>{}, "deepfm", "dcn", "mmoe");
  CAPTURE(name);
  const ModelCase c = make_model_case(name, 3);
  CHECK(family_name(c.spec) == name);
  std::vector<double> expected;
  for (int b = 0; b < c.inputs.batch; ++b) {
    const Vec item = name == "deepfm" ? deepfm_item(c, b) : name == "dcn" ? dcn_item(c, b) : mmoe_item(c, b);
    REQUIRE(item.size() == static_cast<std::size_t>(c.spec.outputs_per_item()));
    expected.insert(expected.end(), item.begin(), item.end());
  }
  ReferenceOps reference_ops;
  OneDnnOps onednn_ops;
  ModelForward reference(c.weights, reference_ops, 8), onednn(c.weights, onednn_ops, 8);
  for (ModelForward* forward : {&reference, &onednn}) {
    const auto actual = outputs_of(*forward, c);
    REQUIRE(actual.size() == expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) CHECK(actual[i] == Approx(expected[i]).margin(1e-4));
  }
  // Their sizes as the papers' structures give them.
  const ModelSpec& m = c.spec;
  if (name == "deepfm") {
    CHECK(top_input_width(m) == 13 + 26 * 10);
    CHECK(m.outputs_per_item() == 1);
  } else if (name == "dcn") {
    CHECK(top_input_width(m) == 13 + 26 * 16);  // 429
    CHECK(m.flops_per_item() == Approx(6 * (2.0 * 429 * 429 + 3 * 429) + 2.0 * (429 * 1024 + 1024 * 1024) + 2.0 * (429 + 1024)));
  } else {
    CHECK(m.outputs_per_item() == 2);
    CHECK(c.weights.family_mlps.size() == 8 + 2);  // the experts and a gate per task
  }
}
