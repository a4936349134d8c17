#!/usr/bin/python3
"""Plots of the parameter server's figures from scripts/cache-sweep's results (its OUTDIR):
cache-batch.png (hit rate and latency per batch size, with and without the cache), cache-tiers.png
(share of unique keys per tier against the cache fraction, key-level and analytic) and
cache-timeline.png (hit rate over time from the cold start)."""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

out = sys.argv[1]


def load(name):
    with open(f"{out}/{name}.json") as f:
        return json.load(f)


note = "DLRM-RMC1, 1x H100 (analytic kernel times), tier times measured on a 2-core AMD EPYC VM"

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
sizes = [32, 128, 512]
left.plot(sizes, [load(f"batch-{n}")["embedding_cache"]["hit_rate"] for n in sizes], "o-")
left.set_xscale("log", base=2)
left.set_xlabel("batch size (items)")
left.set_ylabel("GPU cache hit rate (unique keys)")
left.set_title("10% of each table cached")
for name, label in (("batch", "with GPU cache"), ("nocache", "without (host memory)")):
    right.plot(sizes, [load(f"{name}-{n}")["latency_ms"]["p50"] for n in sizes], "o-", label=label)
right.set_xscale("log", base=2)
right.set_yscale("log")
right.set_xlabel("batch size (items)")
right.set_ylabel("p50 latency (ms)")
right.legend()
fig.suptitle(note, fontsize=8)
fig.tight_layout()
fig.savefig(f"{out}/cache-batch.png", dpi=120)

fig, ax = plt.subplots(figsize=(6, 4))
fractions = ["0.01", "0.02", "0.05", "0.1", "0.2"]
x = [100 * float(f) for f in fractions]
for tier, colour in (("gpu_cache", "C0"), ("volatile", "C1"), ("persistent", "C2"), ("not_found", "C3")):
    ax.plot(x, [load(f"fraction-{f}-keys")["embedding_cache"]["tiers"][tier]["fraction"] for f in fractions], "o-",
            color=colour, label=f"{tier} (key level)")
    ax.plot(x, [load(f"fraction-{f}-analytic")["embedding_cache"]["tiers"][tier]["fraction"] for f in fractions], "x--",
            color=colour, label=f"{tier} (analytic)")
ax.set_xscale("log")
ax.set_xlabel("rows cached on the GPU (%)")
ax.set_ylabel("share of unique keys served")
ax.set_title("volatile tier: hottest 30% of rows, SSD: 90%; batch 128", fontsize=9)
ax.legend(fontsize=7)
fig.tight_layout()
fig.savefig(f"{out}/cache-tiers.png", dpi=120)

fig, ax = plt.subplots(figsize=(6, 4))
t = load("batch-128")["embedding_cache"]["timeline"]
ax.plot([i * t["bin_s"] for i in range(len(t["hit_rate"]))], [r if r is not None else float("nan") for r in t["hit_rate"]])
ax.set_xlabel("virtual time since model load (s)")
ax.set_ylabel("GPU cache hit rate")
ax.set_title("cold start, batch 128, 10% cached", fontsize=9)
fig.tight_layout()
fig.savefig(f"{out}/cache-timeline.png", dpi=120)
print(f"plots: {out}/cache-batch.png {out}/cache-tiers.png {out}/cache-timeline.png", file=sys.stderr)
