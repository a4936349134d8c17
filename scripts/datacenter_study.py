#!/usr/bin/env python3
"""The at-scale study (docs/datacenter.md), in the spirit of DeepRecSys's datacenter experiment.

A fleet of hundreds of servers of two CPU kinds plus GPU servers serves the eleven models
co-located, with a traffic mix, behind a power-of-two-choices balancer over a rack network; the
GPU servers keep a parameter server's embedding cache for the two embedding-heavy DLRMs. The
fleet with DeepRecSys's static baseline (no splitting, CPU only) is written first; `recsim tune`
on it tunes DeepRecSched per (model, server kind), each on one server of the kind, measures the
most total load every model serves within its SLA both ways, and writes the tuned fleet. Both then
run over a sweep of loads: the fleet's and each model's tail latency, power.
Writes OUTDIR/at-scale-static.json and OUTDIR/at-scale.json (the scenarios), OUTDIR/tune.json and
tune.csv, OUTDIR/runs/, OUTDIR/study.json, OUTDIR/study-table.md and plots (PNG and SVG).

Usage: datacenter_study.py RECSIM OUTDIR [--queries N] [--reuse] [--install]
  --queries N   queries per fleet simulation (default 400000; tuning's one-server runs use 10000)
  --reuse       keep the tuning already in OUTDIR (tune.json and at-scale.json) if made with the same --queries
  --install     copy the two scenarios to scenarios/datacenter/ (the shipped copies)
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROFILES = os.path.join(ROOT, "kernels", "profiles")
MODELS = ["dlrm-rmc1", "dlrm-rmc2", "dlrm-rmc3", "ncf", "wnd", "mtwnd", "din", "dien", "deepfm", "dcn", "mmoe"]
# The traffic mix: chosen for this study (not from the paper, which does not publish one), so that
# light and heavy models share the fleet.
SHARES = {"dlrm-rmc1": 0.18, "dlrm-rmc2": 0.05, "dlrm-rmc3": 0.09, "ncf": 0.20, "wnd": 0.12, "mtwnd": 0.08,
          "din": 0.07, "dien": 0.06, "deepfm": 0.06, "dcn": 0.05, "mmoe": 0.04}
# Placement: every group, except for the three models only the EPYC kind's profile has (the Intel
# profile was measured on a VM that could not be used again, before they existed): the EPYC group.
GROUPS_OF = {"deepfm": ["epyc"], "dcn": ["epyc"], "mmoe": ["epyc"]}
# The parameter server on the GPU kind: each H100 gives 2 GiB to embedding caches (ASSUMED: the rest
# of its memory for the models' dense layers, activations and other tenants), split between the
# two embedding-dominated DLRMs; misses go to host memory (the tier profile measured on the AMD VM).
# Che's approximation (mode "analytic") keeps the 40 caches' memory small.
CACHE_GIB = 2
CACHE_SHARES = {"dlrm-rmc1": 0.5, "dlrm-rmc2": 0.5}
TIER_PROFILE = "tiers-amd-epyc-2c.json"
SIZES = {"distribution": "lognormal", "mu": 5.1, "sigma": 0.2, "max": 1024}
PCIE = {"gb_per_s": 64, "latency_us": 1}
POWER_NOTE = ("CPU busy = the socket TDP from the vendor's datasheet; idle = half of it, ASSUMED after Fan, Weber and "
              "Barroso (ISCA 2007), unverified for this part; the rest of the box ASSUMED 60 W")
KINDS = [
    {"name": "epyc-40c", "cpu_cores": 40, "cpu_profile": "cpu-amd-epyc-avx2-2c.json",
     "power": {"cpu_idle_w": 140, "cpu_busy_w": 280, "other_w": 60,
               "source": "AMD EPYC 7763 TDP 280 W; " + POWER_NOTE}},
    {"name": "xeon-40c", "cpu_cores": 40, "cpu_profile": "cpu-intel-xeon-2c.json",
     "power": {"cpu_idle_w": 135, "cpu_busy_w": 270, "other_w": 60,
               "source": "Intel Xeon Platinum 8380 TDP 270 W; " + POWER_NOTE}},
    {"name": "xeon-40c-h100", "cpu_cores": 40, "cpu_profile": "cpu-intel-xeon-2c.json", "gpus": 1,
     "gpu_profile": "gpu-h100-sxm-analytic.json", "pcie": PCIE, "embedding_cache_gib": CACHE_GIB,
     "power": {"cpu_idle_w": 135, "cpu_busy_w": 270, "gpu_idle_w": 70, "gpu_busy_w": 700, "other_w": 60,
               "source": "Intel Xeon Platinum 8380 TDP 270 W, NVIDIA H100 SXM board power 700 W; GPU idle 70 W ASSUMED; "
                         + POWER_NOTE}},
]
GROUPS = [("epyc", "epyc-40c", 160), ("xeon", "xeon-40c", 160), ("gpu", "xeon-40c-h100", 40)]
NETWORK = {
    "servers_per_rack": 40,
    "server_link": {"gb_per_s": 3.125, "latency_us": 5},     # 25 Gb/s NICs
    "rack_uplink": {"gb_per_s": 50, "latency_us": 5},        # 400 Gb/s top-of-rack uplinks
    "request_bytes": {"base": 2048, "per_item": 64},         # user features and candidate ids (assumed)
    "response_bytes": {"base": 256, "per_item": 8},          # one score per item
}


def sla_ms(model):
    with open(os.path.join(ROOT, "kernels", "models", model + ".json")) as f:
        return json.load(f)["sla_ms"]["medium"]


def run(cmd):
    print("  $ " + " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True)


TUNED_DESCRIPTION = "DeepRecSched tuned per (model, server kind) by `recsim tune` on the static fleet (scripts/datacenter-study)"
STATIC_DESCRIPTION = "DeepRecSys's static baseline: every query whole on one core (batch >= the largest query), CPU only"


def description(how):
    return ("The at-scale study (docs/datacenter.md): 360 servers (160 AMD EPYC 40-core, 160 Intel Xeon 40-core, "
            "40 Intel Xeon 40-core + NVIDIA H100) serving the eleven models co-located with a traffic mix "
            "(DeepFM, DCN and MMoE on the EPYC group only), power of two choices over a rack network; each H100 "
            "keeps 2 GiB (ASSUMED) of embedding cache for DLRM-RMC1 and RMC2 (analytic). Scheduling: " + how + ". CPU times from profiles "
            "measured on 2-core VMs (contention extrapolated to 40 cores); H100 kernel times ANALYTIC; "
            "power figures partly ASSUMED (see server_kinds.N.power.source).")


def static_fleet(queries):
    """The fleet with the static baseline on every kind, its profiles named by absolute paths."""
    models = []
    for m in MODELS:
        service = {"type": "model", "model": m}
        if m in CACHE_SHARES:
            service["embedding_cache"] = {"gpu_memory_share": CACHE_SHARES[m], "mode": "analytic",
                                          "keys": {"distribution": "zipf", "alpha": 1.05},
                                          "tier_profile": os.path.join(PROFILES, TIER_PROFILE), "volatile_tier": "host_hash_map"}
        model = {"name": m, "share": SHARES[m], "query_size": SIZES, "service": service,
                 "sla": {"percentile": 95, "target_ms": sla_ms(m)},
                 "scheduler": {"policy": "static", "batch_size": SIZES["max"]}}
        if m in GROUPS_OF:
            model["groups"] = GROUPS_OF[m]
        models.append(model)
    kinds = []
    for k in KINDS:
        kk = dict(k)
        kk["cpu_profile"] = os.path.join(PROFILES, k["cpu_profile"])
        if "gpu_profile" in k:
            kk["gpu_profile"] = os.path.join(PROFILES, k["gpu_profile"])
        kinds.append(kk)
    return {
        "format": 2, "name": "at-scale-static", "description": description(STATIC_DESCRIPTION), "seed": 1,
        "server_kinds": kinds,
        "server_groups": [{"name": g, "kind": k, "count": n} for g, k, n in GROUPS],
        "workload": {"arrival": {"process": "poisson", "qps": 100000}},
        "models": models,
        "balancer": {"policy": "power_of_two"},
        "network": NETWORK,
        "run": {"queries": queries, "warmup_queries": queries // 10},
    }


def write_json(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("recsim")
    ap.add_argument("out")
    ap.add_argument("--queries", type=int, default=400000)
    ap.add_argument("--reuse", action="store_true")
    ap.add_argument("--install", action="store_true")
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    os.makedirs(os.path.join(out, "runs"), exist_ok=True)
    started = time.time()
    scenarios = {"at-scale": os.path.join(out, "at-scale.json"), "at-scale-static": os.path.join(out, "at-scale-static.json")}

    # 1. The static fleet, then DeepRecSched per (model, kind) and both fleets' most load under every
    #    SLA, by one `recsim tune`.
    write_json(scenarios["at-scale-static"], static_fleet(a.queries))
    tune_json = os.path.join(out, "tune.json")
    reusable = (a.reuse and os.path.exists(tune_json) and os.path.exists(scenarios["at-scale"])
                and json.load(open(tune_json))["engine"]["queries_per_evaluation"] == a.queries)
    if not reusable:
        run([a.recsim, "tune", scenarios["at-scale-static"], "--slice-queries", "10000",
             "--thresholds", "32,64,96,128,192,256,384,512,768,1024", "--quiet", "--out", tune_json,
             "--csv", os.path.join(out, "tune.csv"), "--tuned-scenario", scenarios["at-scale"]])
    # The tuned fleet laid out as the static one (recsim writes keys sorted): its schedulers only differ.
    tuned = json.load(open(scenarios["at-scale"]))
    doc = static_fleet(a.queries)
    doc["name"] = "at-scale"
    doc["description"] = description(TUNED_DESCRIPTION)
    order = lambda sched: {k: sched[k] for k in ("policy", "batch_size", "gpu_threshold") if k in sched}
    for model, tuned_model in zip(doc["models"], tuned["models"]):
        model["scheduler"] = order(tuned_model["scheduler"])
        if "scheduler_by_kind" in tuned_model:
            model["scheduler_by_kind"] = {k: order(v) for k, v in tuned_model["scheduler_by_kind"].items()}
    write_json(scenarios["at-scale"], doc)
    tune = json.load(open(tune_json))
    tune_seconds = time.time() - started
    capacity = {"at-scale": tune["best"]["max_qps"], "at-scale-static": tune["baseline"]["max_qps"]}

    if a.install:
        dest = os.path.join(ROOT, "scenarios", "datacenter")
        os.makedirs(dest, exist_ok=True)
        for name, path in scenarios.items():
            doc = json.load(open(path))
            for k in doc["server_kinds"]:
                for key in ("cpu_profile", "gpu_profile"):
                    if key in k:
                        k[key] = "../../kernels/profiles/" + os.path.basename(k[key])
            for m in doc["models"]:
                cache = m["service"].get("embedding_cache")
                if cache:
                    cache["tier_profile"] = "../../kernels/profiles/" + os.path.basename(cache["tier_profile"])
            write_json(os.path.join(dest, name + ".json"), doc)

    # 2. Tail latency over a sweep of loads, as fractions of the static baseline's capacity (of the
    #    tuned fleet's where the static one meets every SLA at no load).
    reference = "at-scale-static" if capacity["at-scale-static"] > 0 else "at-scale"
    base = capacity[reference]
    fractions = [0.3, 0.5, 0.7, 0.8, 0.9, 1.0]
    top = capacity["at-scale"] / base if base > 0 else 1.0
    fractions += [f for f in (1.1, 1.25, 1.5, 1.75, 2.0) if f <= top * 1.001]
    sweep = []
    for frac in fractions:
        qps = base * frac
        row = {"fraction": frac, "qps": qps}
        for name, path in scenarios.items():
            res = os.path.join(out, "runs", "%s.%.2f.json" % (name, frac))
            run([a.recsim, "run", path, "--set", "workload.arrival.qps=%r" % qps, "--quiet", "--out", res])
            r = json.load(open(res))
            dc = r["datacenter"]
            row[name] = {
                "saturated": r["saturated"],
                "p95_ms": r["latency_ms"]["p95"] if r["latency_ms"] else None,
                "p99_ms": r["latency_ms"]["p99"] if r["latency_ms"] else None,
                "sla_met": r["sla"]["met"],
                "models": {m["name"]: {"p95_ms": m["sla"]["observed_ms"], "target_ms": m["sla"]["target_ms"],
                                       "met": m["sla"]["met"]} for m in dc["models"]},
                "power_w": dc["energy"]["mean_power_w"] if dc["energy"] else None,
                "qps_per_watt": dc["energy"]["qps_per_watt"] if dc["energy"] else None,
                "latency_split_ms": dc["latency_split_ms"],
                "wall_seconds": r["engine"]["wall_seconds"],
                "requests": r["engine"]["requests_simulated"],
            }
        sweep.append(row)

    # The highest load below each capacity that its search saw miss an SLA (none where it saw none).
    missed_below = {"at-scale": tune["fleet"]["tuned"].get("missed_below_qps"),
                    "at-scale-static": tune["fleet"]["baseline"].get("missed_below_qps")}
    study = {"capacity_qps": capacity, "missed_below_qps": missed_below, "reference": reference, "sweep": sweep,
             "tune_seconds": tune_seconds,
             "total_seconds": time.time() - started,
             "fleet_gain_beyond_noise": tune["gain_beyond_noise"],
             "tuned_ci95_qps": tune["best"]["ci95_qps"],
             "pairs": [{"model": p["model"], "kind": p["kind"], "best": p["best"], "baseline": p["baseline"],
                        "gain_beyond_noise": p["gain_beyond_noise"]} for p in tune["pairs"]]}
    with open(os.path.join(out, "study.json"), "w") as f:
        json.dump(study, f, indent=1)
    write_table(out, study)
    plot(out, study)
    gain = "%.2fx" % (capacity["at-scale"] / capacity["at-scale-static"]) if capacity["at-scale-static"] > 0 else "static serves none"
    print("datacenter-study: capacity under every SLA: static %.0f qps, DeepRecSched %.0f qps (%s); %s"
          % (capacity["at-scale-static"], capacity["at-scale"], gain, os.path.join(out, "study-table.md")))


def write_table(out, study):
    of = "static" if study["reference"] == "at-scale-static" else "DeepRecSched"
    lines = ["| load (qps) | fraction of " + of + " capacity | static p95 / p99 (ms) | DeepRecSched p95 / p99 (ms) | "
             "p99 change | static SLAs | DeepRecSched SLAs |", "|---|---|---|---|---|---|---|"]
    fmt = lambda v: "-" if v is None else "%.2f" % v
    for row in study["sweep"]:
        s, t = row["at-scale-static"], row["at-scale"]
        change = "-"
        if s["p99_ms"] and t["p99_ms"] and not s["saturated"] and not t["saturated"]:
            change = "%+.0f%%" % (100 * (t["p99_ms"] / s["p99_ms"] - 1))
        lines.append("| %.0f | %.2f | %s / %s%s | %s / %s%s | %s | %s | %s |" % (
            row["qps"], row["fraction"], fmt(s["p95_ms"]), fmt(s["p99_ms"]), " (saturated)" if s["saturated"] else "",
            fmt(t["p95_ms"]), fmt(t["p99_ms"]), " (saturated)" if t["saturated"] else "", change,
            "met" if s["sla_met"] else "missed", "met" if t["sla_met"] else "missed"))
    lines += ["", "| model | kind | static batch | tuned batch | tuned GPU threshold | static max qps (1 server) | "
              "tuned max qps (1 server), 95% interval | gain | beyond noise |", "|---|---|---|---|---|---|---|---|---|"]
    for p in study["pairs"]:
        b, t = p["baseline"], p["best"]
        lines.append("| %s | %s | %d | %d | %s | {:,.0f} | {:,.0f} ({:,.0f}-{:,.0f}) | %s | %s |".format(
            b["max_qps"], t["max_qps"], t["ci95_qps"][0], t["ci95_qps"][1]) % (
            p["model"], p["kind"], b["batch_size"], t["batch_size"], t["gpu_threshold"] or "-",
            "%.2fx" % (t["max_qps"] / b["max_qps"]) if b["max_qps"] > 0 else "-", "yes" if p["gain_beyond_noise"] else "no"))
    with open(os.path.join(out, "study-table.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


def plot(out, study):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    sweep = study["sweep"]
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for name, label in (("at-scale-static", "static baseline"), ("at-scale", "DeepRecSched (tuned per model and kind)")):
        xs = [r["qps"] / 1e3 for r in sweep if not r[name]["saturated"] and r[name]["p99_ms"]]
        ys = [r[name]["p99_ms"] for r in sweep if not r[name]["saturated"] and r[name]["p99_ms"]]
        ax.plot(xs, ys, marker="o", label=label)
        ax.axvline(study["capacity_qps"][name] / 1e3, linestyle=":", color=ax.lines[-1].get_color())
    ax.set_xlabel("offered load (thousand queries/s, all models)")
    ax.set_ylabel("fleet p99 latency (ms)")
    ax.set_title("360 servers, eleven co-located models (dotted: max load under every SLA)", fontsize=10)
    ax.legend()
    fig.tight_layout()
    for ext in ("png", "svg"):
        fig.savefig(os.path.join(out, "datacenter-p99-vs-load." + ext))
    plt.close(fig)
    # Per-model p95 / SLA at the highest swept load neither fleet saturates (else the lowest swept).
    unsaturated = [r for r in sweep if not r["at-scale-static"]["saturated"] and not r["at-scale"]["saturated"]]
    row = max(unsaturated, key=lambda r: r["qps"]) if unsaturated else sweep[0]
    fig, ax = plt.subplots(figsize=(7, 4.2))
    width = 0.38
    for i, (name, label) in enumerate((("at-scale-static", "static baseline"), ("at-scale", "DeepRecSched"))):
        vals = [row[name]["models"][m]["p95_ms"] / row[name]["models"][m]["target_ms"] if row[name]["models"][m]["p95_ms"]
                else 0 for m in MODELS]
        ax.bar([j + (i - 0.5) * width for j in range(len(MODELS))], vals, width, label=label)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xticks(range(len(MODELS)))
    ax.set_xticklabels(MODELS, rotation=30)
    ax.set_ylabel("p95 / SLA target")
    ax.set_title("Each model at %s qps, the highest load swept that neither fleet saturates" % "{:,.0f}".format(row["qps"]),
                 fontsize=10)
    ax.legend()
    fig.tight_layout()
    for ext in ("png", "svg"):
        fig.savefig(os.path.join(out, "datacenter-p95-per-model." + ext))
    plt.close(fig)


if __name__ == "__main__":
    main()
