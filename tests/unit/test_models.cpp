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
  CHECK(find_model_family("dcn") == nullptr);
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
