#!/usr/bin/env python3
"""Tables and plots of a scripts/reproduce run.

Reads OUTDIR/*.tune.json and *.climb.json (the paper's climb on the same inputs; and the CDF CSVs beside them); writes OUTDIR/reproduction-table.md and
OUTDIR/*.png: max QPS vs per-core batch size (each model, each SLA level), max QPS vs GPU offload
threshold (GPU scenarios), and the latency CDF of the best configuration against the no-splitting
baseline at the baseline's max load (medium SLA).
Usage: plot_reproduction.py OUTDIR
"""
import csv
import glob
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

MODELS = ["dlrm-rmc1", "dlrm-rmc2", "dlrm-rmc3", "ncf", "wnd", "mtwnd", "din", "dien"]
LEVELS = ["low", "medium", "high"]


def load(out, suffix=".tune.json"):
    runs = {}
    for path in glob.glob(os.path.join(out, "*" + suffix)):
        tag = os.path.basename(path)[: -len(suffix)]
        kind, rest = tag.split("-", 1)
        model, level = rest.rsplit("-", 1)
        with open(path) as f:
            runs[(kind, model, level)] = json.load(f)
    return runs


def config(c):
    return "{}, {}: {:,.0f}".format(c["batch_size"], c["gpu_threshold"] if c["gpu_threshold"] is not None else "none", c["max_qps"] or 0)


def table(runs, climbs):
    lines = [
        "| platform | model | SLA | p95 target (ms) | best batch | best GPU threshold | max QPS (95% interval) | baseline QPS (no splitting) "
        "| speed-up | beyond noise | within noise of the best (b, t) | paper's climb ended at (b, t: QPS) | simulations (search; climb) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind in ["models", "gpu"]:
        for model in MODELS:
            for level in LEVELS:
                t = runs.get((kind, model, level))
                if t is None:
                    continue
                speedup = t.get("speedup")
                c = climbs.get((kind, model, level))
                ci = t["best"].get("ci95_qps") or [0, 0]
                near = "; ".join("{}{}".format(p["batch_size"], ", " + str(p["gpu_threshold"]) if p["gpu_threshold"] is not None else "")
                                 for p in t.get("indistinguishable", []))
                lines.append(
                    "| {} | {} | {} | {:g} | {} | {} | {:,.0f} ({:,.0f}-{:,.0f}) | {:,.0f} | {} | {} | {} | {} | {}; {} |".format(
                        "16 cores" if kind == "models" else "16 cores + H100 (analytic)",
                        model, level, t["sla"]["target_ms"], t["best"]["batch_size"],
                        t["best"]["gpu_threshold"] if t["best"]["gpu_threshold"] is not None else "none",
                        t["best"]["max_qps"], ci[0], ci[1], t["baseline"]["max_qps"],
                        "{:.2f}x".format(speedup) if speedup else "-", ("yes" if t.get("gain_beyond_noise") else "no") if speedup else "-", near,
                        config(c["climb"]) if c else "-", t.get("search_evaluations", t["evaluations"]),
                        c.get("search_evaluations", c["evaluations"]) if c else "-"))
    return "\n".join(lines) + "\n"


def grid_of_axes(title):
    fig, axes = plt.subplots(2, 4, figsize=(16, 7), sharex=False)
    fig.suptitle(title)
    return fig, axes.flatten()


def plot_screened(ax, steps, key):
    # A screened step missed its SLA at the best load so far: its max QPS is only known to be below.
    screened = [(p[key], p["screened_below_qps"]) for p in steps if p.get("screened_below_qps") is not None]
    if screened:
        ax.plot([x for x, _ in screened], [q for _, q in screened], "v", color="C3", label="screened: below")


def plot_batches(runs, out):
    for level in LEVELS:
        fig, axes = grid_of_axes(f"Max QPS under the {level} p95 SLA vs per-core batch size (16-core CPU server, simulated)")
        for ax, model in zip(axes, MODELS):
            t = runs.get(("models", model, level))
            if t is None:
                continue
            batch = [p for p in t["path"] if p["phase"] == "batch"]
            pts = sorted((p["batch_size"], p["max_qps"]) for p in batch if p["max_qps"] is not None)
            ax.plot([b for b, _ in pts], [q for _, q in pts], "o-", label="searched")
            plot_screened(ax, batch, "batch_size")
            ax.axhline(t["baseline"]["max_qps"], color="grey", linestyle="--", label="no splitting")
            ax.set_xscale("log", base=2)
            ax.set_title(f"{model} (p95 <= {t['sla']['target_ms']:g} ms)")
            ax.set_xlabel("batch size")
            ax.set_ylabel("max QPS")
        axes[0].legend()
        fig.tight_layout()
        fig.savefig(os.path.join(out, f"qps-vs-batch-{level}.png"), dpi=80)
        plt.close(fig)


def plot_thresholds(runs, out):
    models = [m for m in MODELS if ("gpu", m, "medium") in runs]
    if not models:
        return
    fig, axes = plt.subplots(1, len(models), figsize=(4 * len(models), 3.5))
    if len(models) == 1:
        axes = [axes]
    fig.suptitle("Max QPS under the medium SLA vs GPU offload threshold (best batch; H100 times ANALYTIC)")
    for ax, model in zip(axes, models):
        t = runs[("gpu", model, "medium")]
        steps = [p for p in t["path"] if p["phase"] == "threshold"]
        pts = sorted((p["gpu_threshold"], p["max_qps"]) for p in steps if p["max_qps"] is not None)
        cpu = max((p["max_qps"] for p in t["path"] if p["phase"] == "batch" and p["max_qps"] is not None), default=0)
        ax.plot([x for x, _ in pts], [q for _, q in pts], "o-", label="offload >= threshold")
        plot_screened(ax, steps, "gpu_threshold")
        ax.axhline(cpu, color="grey", linestyle="--", label="CPU only (best batch)")
        ax.set_xscale("log", base=2)
        ax.set_title(model)
        ax.set_xlabel("GPU threshold (items)")
        ax.set_ylabel("max QPS")
    axes[0].legend()
    fig.tight_layout()
    fig.savefig(os.path.join(out, "qps-vs-threshold.png"), dpi=80)
    plt.close(fig)


def read_cdf(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return [float(r["latency_ms"]) for r in rows], [float(r["fraction"]) for r in rows]


def plot_cdfs(runs, out):
    fig, axes = grid_of_axes("Latency CDF at the baseline's max load, medium SLA: best configuration vs no splitting")
    for ax, model in zip(axes, MODELS):
        tag = os.path.join(out, f"models-{model}-medium")
        base, best = read_cdf(tag + ".cdf-baseline.csv"), read_cdf(tag + ".cdf-best.csv")
        t = runs.get(("models", model, "medium"))
        if base is None or best is None or t is None:
            continue
        ax.plot(*base, label=f"no splitting (batch {t['baseline']['batch_size']})")
        ax.plot(*best, label=f"best (batch {t['best']['batch_size']})")
        ax.axvline(t["sla"]["target_ms"], color="red", linestyle=":", label="SLA target")
        ax.axhline(0.95, color="grey", linewidth=0.5)
        ax.set_xscale("log")
        ax.set_title(f"{model} at {t['baseline']['max_qps']:,.0f} QPS")
        ax.set_xlabel("latency (ms)")
        ax.set_ylabel("fraction of queries")
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "latency-cdf-medium.png"), dpi=80)
    plt.close(fig)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: plot_reproduction.py OUTDIR")
    out = sys.argv[1]
    runs = load(out)
    if not runs:
        sys.exit(f"plot_reproduction.py: no *.tune.json in {out}")
    text = table(runs, load(out, ".climb.json"))
    with open(os.path.join(out, "reproduction-table.md"), "w") as f:
        f.write(text)
    sys.stdout.write(text)
    plot_batches(runs, out)
    plot_thresholds(runs, out)
    plot_cdfs(runs, out)


if __name__ == "__main__":
    main()
