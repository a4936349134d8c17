// `recsim calibrate` and `recsim accuracy` as a user runs them: a small real CPU calibration that
// the simulator can load, an analytic GPU profile, exact accuracy figures on a synthetic profile,
// and one-line errors with exit status 2.
#include "support/build_paths.h"
#include "kernels/profiles/latency_profile.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

#include "kernels/cpu/cpu_affinity.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>

using namespace recsim;
using namespace recsim::test;

namespace {
bool one_line(const std::string& s) { return !s.empty() && s.back() == '\n' && std::count(s.begin(), s.end(), '\n') == 1; }
}  // namespace

TEST_CASE("recsim calibrate measures a CPU profile the simulator can load", "[cli][calibrate]") {
  TempDir dir;
  const auto out = dir.file("p.json");
  const bool two_cpus = affinity_cpus().size() >= 2;
  const auto r = run_recsim({"calibrate", "--device", "cpu", "--models", "ncf", "--batches", "1,4,16", "--repeats", "3",
                             "--min-time", "1", "--passes", "2", "--threads", "2", "--after-idle-ms", "8,2", "--intra-op-threads",
                             two_cpus ? "2" : "none", "--quiet", "--out", out});
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  const LatencyProfile p = load_latency_profile(out);
  CHECK(p.device == "cpu");
  CHECK(p.source == "measured");
  REQUIRE(p.models.count("ncf") == 1);
  const auto& m = p.models.at("ncf");
  REQUIRE(m.single.size() == 3);
  CHECK(m.single[2].batch == 16);
  CHECK(m.single[0].samples >= 3);
  CHECK(m.contention_instances == 2);
  CHECK(m.contention.size() == 3);
  CHECK(m.contention_levels.empty());  // 2 cores busy at most: no level between 1 and 2
  // The after-idle gaps asked for, increasing, each with the first and the next run at every size.
  REQUIRE(m.after_idle.size() == 2);
  CHECK(m.after_idle[0].gap_ms == 2.0);
  CHECK(m.after_idle[1].gap_ms == 8.0);
  for (const auto& gap : m.after_idle) {
    CHECK(gap.first.size() == 3);
    CHECK(gap.next.size() == 3);
    CHECK(gap.first[0].samples >= 2);
  }
  // Each size timed cold, in a mixture with every size up to 16.
  CHECK(m.cold_size.size() == 3);
  CHECK(m.cold_size[2].batch == 16);
  CHECK(p.provenance["method"]["after_idle_gaps_ms"] == nlohmann::json::array({2.0, 8.0}));
  CHECK(p.provenance["method"]["cold_sizes"] == true);
  for (const auto& pt : m.single) CHECK((pt.min_ms <= pt.median_ms && pt.median_ms <= pt.max_ms));
  for (const char* k : {"cpu_model", "cores", "isa", "libraries", "date", "command", "method"})
    CHECK(p.provenance.contains(k));
  CHECK(p.provenance["command"].get<std::string>().rfind("recsim calibrate --device cpu --models ncf", 0) == 0);
  // Each size also with two intra-op threads, on a machine that lets this process use two CPUs.
  if (two_cpus) {
    REQUIRE(m.intra_op_threads.size() == 1);
    CHECK(m.intra_op_threads[0].first == 2);
    CHECK(m.intra_op_threads[0].second.size() == 3);
    CHECK(m.intra_op_threads[0].second[0].samples >= 2);
    CHECK(p.provenance["method"]["intra_op_threads"].back() == 2);
  }
  // How the inputs were drawn, which decides how warm the embedding rows were (docs/calibration.md).
  CHECK(p.provenance["method"]["inputs"].get<std::string>().rfind("fresh keys for every timed run", 0) == 0);
}

TEST_CASE("recsim calibrate measures every contention level it is asked for", "[cli][calibrate][levels]") {
  TempDir dir;
  const auto out = dir.file("p.json");
  // Three instances on this machine's cores (oversubscribed where it has two: the shape, not the figures).
  const auto r = run_recsim({"calibrate", "--device", "cpu", "--models", "ncf", "--batches", "1,4", "--repeats", "3",
                             "--min-time", "1", "--passes", "1", "--threads", "3", "--levels", "2", "--after-idle-ms", "0",
                             "--no-cold-sizes", "--quiet", "--out", out});
  REQUIRE(r.status == 0);
  const LatencyProfile profile = load_latency_profile(out);
  const auto& m = profile.models.at("ncf");
  CHECK(m.contention_instances == 3);
  REQUIRE(m.contention_levels.size() == 1);
  CHECK(m.contention_levels[0].first == 2);
  CHECK(m.contention_levels[0].second.size() == 2);
  CHECK(m.after_idle.empty());
  CHECK(m.cold_size.empty());
  const auto gaps = run_recsim({"calibrate", "--models", "ncf", "--after-idle-ms", "2,0"});
  CHECK(gaps.status == 2);
  CHECK(gaps.err == "recsim: error: --after-idle-ms: expected decimal numbers in (0, 1000), got \"0\"\n");
  const auto few = run_recsim({"calibrate", "--models", "ncf", "--threads", "2", "--levels", "2"});
  CHECK(few.status == 2);
  CHECK(few.err == "recsim: error: --levels: needs --threads of at least 3 (levels lie between 2 and --threads - 1)\n");
  const auto high = run_recsim({"calibrate", "--models", "ncf", "--threads", "4", "--levels", "4"});
  CHECK(high.status == 2);
  CHECK(high.err == "recsim: error: --levels: expected integers in [2, 3], got \"4\"\n");
}

// Not under AddressSanitizer, whose shadow memory needs far more address space than the limit.
#ifndef __SANITIZE_ADDRESS__
TEST_CASE("recsim calibrate --threads beyond what the machine can start: one line, exit 2, before any measurement",
          "[cli][calibrate][robustness]") {
  // In a child process limited to 1 GiB of address space (each thread's stack takes 8 MiB of it),
  // 4,096 threads cannot all start: the measurement ended in std::terminate.
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const rlimit limit{std::uint64_t{1} << 30, std::uint64_t{1} << 30};
    ::setrlimit(RLIMIT_AS, &limit);
    const auto r = run_recsim({"calibrate", "--models", "ncf", "--threads", "4096", "--levels", "none", "--quiet"});
    const bool ok = r.status == 2 && r.out.empty() && one_line(r.err) &&
                    r.err.rfind("recsim: error: --threads: this machine could not start 4096 threads at once (", 0) == 0;
    ::_exit(ok ? 0 : 1);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
#endif

TEST_CASE("recsim calibrate --analytic computes a labelled GPU profile", "[cli][calibrate]") {
  TempDir dir;
  const auto out = dir.file("g.json");
  const auto r = run_recsim({"calibrate", "--device", "gpu", "--analytic",
                             recsim::test::source_dir() + "/kernels/gpus/h100-sxm.json", "--models",
                             "dlrm-rmc1,dien", "--batches", "1,64,1024", "--out", out});
  REQUIRE(r.status == 0);
  const LatencyProfile p = load_latency_profile(out);
  CHECK(p.device == "gpu");
  CHECK(p.source == "analytic");
  CHECK(p.provenance["gpu"]["name"] == "NVIDIA H100 SXM5 80GB");
  const auto& m = p.models.at("dlrm-rmc1");
  REQUIRE(m.kernel_only.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    // End to end = copies + kernels; latency grows with the batch.
    CHECK(m.single[i].median_ms == Approx(m.upload[i].median_ms + m.kernel_only[i].median_ms + m.download[i].median_ms));
    if (i > 0) CHECK(m.single[i].median_ms > m.single[i - 1].median_ms);
  }
  // DIEN's recurrent layers launch many small kernels: launch overhead dominates at batch 1.
  CHECK(p.models.at("dien").kernel_only[0].median_ms > 100 * 0.005);
}

TEST_CASE("recsim calibrate --efficiencies slows the roofline by the fitted figures and says so", "[cli][calibrate][gpu-fit]") {
  TempDir dir;
  const std::string src = recsim::test::source_dir();
  const auto peak = dir.file("peak.json"), fitted = dir.file("fitted.json");
  const std::vector<std::string> common = {"calibrate", "--device", "gpu", "--analytic", src + "/kernels/gpus/h100-sxm.json",
                                           "--models", "wnd", "--batches", "1,1024"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> a = common;
    a.insert(a.end(), extra.begin(), extra.end());
    return run_recsim(a);
  };
  REQUIRE(with({"--out", peak}).status == 0);
  REQUIRE(with({"--efficiencies", src + "/kernels/gpus/fitted-efficiencies.json", "--out", fitted}).status == 0);
  const LatencyProfile a = load_latency_profile(peak), b = load_latency_profile(fitted);
  CHECK(a.provenance["model"] == "roofline");
  CHECK(b.provenance["model"].get<std::string>().find("fitted") != std::string::npos);
  CHECK(b.provenance["efficiencies"]["format"] == "recsim-gpu-efficiencies/1");
  for (std::size_t i = 0; i < 2; ++i) CHECK(b.models.at("wnd").single[i].median_ms > a.models.at("wnd").single[i].median_ms);
}

TEST_CASE("recsim fit-gpu writes the efficiencies file and its table", "[cli][gpu-fit]") {
  TempDir dir;
  const auto out = dir.file("e.json");
  const auto r = run_recsim({"fit-gpu", "--out", out});
  REQUIRE(r.status == 0);
  CHECK(r.err.find("rms log error: ") != std::string::npos);
  CHECK(r.err.find("latency (ms)      a100-sxm     dlrm-mlperf") != std::string::npos);
  const auto e = nlohmann::json::parse(read_file(out));
  CHECK(e["format"] == "recsim-gpu-efficiencies/1");
  CHECK(e["fit"]["points"].size() == 28);
  CHECK(e["fit"]["profile_stack"] == "tensorflow-hps");
}

TEST_CASE("recsim accuracy reports held-out interpolation errors exactly", "[cli][accuracy]") {
  TempDir dir;
  // Powers of two lie on 1 ms per item; the midpoints are measured 10% and 2% off that line.
  const nlohmann::json profile = {
      {"format", "recsim-profile/1"}, {"device", "cpu"}, {"source", "measured"}, {"provenance", {{"note", "synthetic"}}},
      {"models",
       {{"m",
         {{"latency_ms",
           {{{"batch", 1}, {"median", 1.0}}, {{"batch", 2}, {"median", 2.0}}, {{"batch", 3}, {"median", 3.0 / 1.1}},
            {{"batch", 4}, {"median", 4.0}}, {{"batch", 6}, {"median", 6.0 / 1.02}}, {{"batch", 8}, {"median", 8.0}}}}}}}}};
  const auto path = dir.write_json("p.json", profile);
  const auto r = run_recsim({"accuracy", path, "--json"});
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["m"]["max_error"].get<double>() == Approx(0.1));
  CHECK(j["m"]["median_error"].get<double>() == Approx(0.06));  // mean of 10% and 2%
  CHECK(j["m"]["points"][0]["batch"] == 3);
  CHECK(j["m"]["points"][0]["predicted_ms"].get<double>() == Approx(3.0));
  // Points without samples are exact: the fitted model is the points themselves.
  CHECK(j["m"]["fit"]["max_error"].get<double>() == Approx(0.1));
  CHECK(j["m"]["points"][0]["fitted_ms"].get<double>() == Approx(3.0));
  const auto table = run_recsim({"accuracy", path});
  CHECK(table.out.find("m                2       6.00%      10.00%       6.00%      10.00%    0.0%  3 (2.727 ms measured, 3 raw, 3 fit)") !=
        std::string::npos);
}

TEST_CASE("calibrate and accuracy: bad input exits 2 with one line", "[cli][calibrate][errors]") {
  TempDir dir;
  auto check = [](const CliResult& r, const std::string& expected) {
    CHECK(r.status == 2);
    CHECK(one_line(r.err));
    CHECK(r.err.find(expected) != std::string::npos);
    CHECK(r.out.empty());
  };
  check(run_recsim({"calibrate", "--models", "dlrm-rmc9"}), "--models");
  check(run_recsim({"calibrate", "--models", "ncf", "--batches", "4,0"}), "--batches");
  check(run_recsim({"calibrate", "--device", "tpu"}), "--device");
  check(run_recsim({"calibrate", "--analytic", "x.json"}), "--analytic: an analytic profile is a GPU profile: add --device gpu");
  check(run_recsim({"calibrate", "--device", "gpu", "--analytic", dir.file("missing.json")}), "--analytic");
  check(run_recsim({"calibrate", "--isa", "avx9", "--models", "ncf"}), "--isa");
  check(run_recsim({"accuracy", dir.file("missing.json")}), "missing.json");
  if (affinity_cpus().size() >= 2)
    check(run_recsim({"calibrate", "--models", "ncf", "--intra-op-threads", "1"}), "--intra-op-threads: expected integers in [2, ");
  check(run_recsim({"calibrate", "--device", "gpu", "--intra-op-threads", "2"}), "--intra-op-threads: does not apply to --device gpu");
  check(run_recsim({"calibrate", "--models", "ncf", "--efficiencies", "e.json"}),
        "--efficiencies: applies to an analytic profile: add --device gpu --analytic GPU_FILE");
  check(run_recsim({"calibrate", "--device", "gpu", "--analytic", recsim::test::source_dir() + "/kernels/gpus/h100-sxm.json",
                    "--efficiencies", dir.file("missing.json")}),
        "--efficiencies");
  check(run_recsim({"fit-gpu", "--measurements", dir.file("missing.json")}), "--measurements");
  const auto bad_fit = dir.write("m.json", "{\"format\": \"recsim-gpu-measurements/2\"}");
  check(run_recsim({"fit-gpu", "--measurements", bad_fit}), "m.json: format");
  const auto bad = dir.write("bad.json", "{\"format\": \"recsim-profile/1\", \"device\": \"cpu\"");
  check(run_recsim({"accuracy", bad}), "bad.json");
}
