#!/usr/bin/python3
"""Plots from recsim's tables and results, as PNG and SVG (docs/sweeps.md, "Plots").

  plot_sweep.py table TABLE.csv OUT --x COL --y COL[,COL...] [--group COL] [--band LOW,HIGH]
                [--hline VALUE[:LABEL]] [--logx] [--title TEXT] [--note TEXT]
      A sweep table (recsim sweep's DIR/table.csv): y against x, one line per value of --group
      (and per y column). Rows that share x and group (repetitions, seeds) are averaged and drawn
      with a band from their minimum to their maximum. --band draws a shaded interval between two
      columns (e.g. max_qps,missed_qps: the capacity bracket). --hline draws a horizontal line
      (e.g. the SLA target).

  plot_sweep.py capacity CAPACITY.json OUT [--title TEXT] [--note TEXT]
      A capacity search's results (recsim capacity --out): the observed SLA percentile against the
      offered load, its 95% confidence band, the SLA line and the max-load marker.

  plot_sweep.py plan PLAN.json OUT [--note TEXT]
      A capacity plan (recsim plan --out): servers by kind and the objective against the target
      load, and the verified fleet's power per 1,000 queries/s.

  plot_sweep.py series RESULTS.json OUT [--title TEXT] [--note TEXT]
      A run's results over time (recsim run --out with run.window_s): offered and served rate,
      latency percentiles against the SLA target with the windows that missed it shaded, CPU (and
      GPU) utilisation per server group, and servers up and power.

OUT is a path without extension: OUT.png and OUT.svg are written."""
import argparse
import csv
import json
import math
import sys
from collections import OrderedDict, defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def save(fig, out):
    fig.tight_layout()
    fig.savefig(out + ".png", dpi=130)
    fig.savefig(out + ".svg")
    print(f"wrote {out}.png and {out}.svg")


def number(text):
    if text in ("", "null", None):
        return None
    if text in ("true", "false"):
        return 1.0 if text == "true" else 0.0
    try:
        return float(text)
    except ValueError:
        return None


def footnote(fig, note):
    if note:
        fig.text(0.01, 0.005, note, fontsize=7, color="0.35", ha="left", va="bottom")


def table_plot(a):
    with open(a.table) as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit(f"{a.table}: no rows")
    ys = a.y.split(",")
    for col in [a.x, *ys] + ([a.group] if a.group else []) + (a.band.split(",") if a.band else []):
        if col not in rows[0]:
            sys.exit(f"{a.table}: no column {col!r} (columns: {', '.join(rows[0])})")
    fig, ax = plt.subplots(figsize=(7, 4.5))
    groups = OrderedDict()
    for r in rows:
        if r.get("status", "done") != "done":
            continue
        groups.setdefault(r[a.group] if a.group else "", []).append(r)
    for g, members in groups.items():
        for y in ys:
            by_x = defaultdict(list)
            for r in members:
                xv, yv = number(r[a.x]), number(r[y])
                if xv is not None and yv is not None:
                    by_x[xv].append(yv)
            xs = sorted(by_x)
            if not xs:
                continue
            mean = [sum(by_x[x]) / len(by_x[x]) for x in xs]
            label = ", ".join(p for p in [f"{a.group}={g}" if a.group else "", y if len(ys) > 1 else ""] if p) or y
            line, = ax.plot(xs, mean, "o-", ms=3, label=label)
            if any(len(by_x[x]) > 1 for x in xs):
                ax.fill_between(xs, [min(by_x[x]) for x in xs], [max(by_x[x]) for x in xs], color=line.get_color(), alpha=0.2, lw=0)
        if a.band:
            low, high = a.band.split(",")
            pts = sorted((number(r[a.x]), number(r[low]), number(r[high])) for r in members
                         if None not in (number(r[a.x]), number(r[low]), number(r[high])))
            if pts:
                ax.fill_between([p[0] for p in pts], [p[1] for p in pts], [p[2] for p in pts], alpha=0.25, lw=0,
                                label=f"{low} to {high}" + (f" ({a.group}={g})" if a.group else ""))
    if a.hline:
        value, _, label = a.hline.partition(":")
        ax.axhline(float(value), color="red", ls="--", lw=1, label=label or f"{value}")
    if a.logx:
        ax.set_xscale("log", base=2)
    ax.set_xlabel(a.x)
    ax.set_ylabel(", ".join(ys))
    ax.set_title(a.title or f"{', '.join(ys)} against {a.x}" + (f" per {a.group}" if a.group else ""))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    footnote(fig, a.note or f"{a.table}; bands: min to max over repetitions")
    save(fig, a.out)


def capacity_plot(a):
    r = json.load(open(a.table))
    pts = sorted((p for p in r["points"] if p["observed_ms"] is not None), key=lambda p: p["qps"])
    fig, ax = plt.subplots(figsize=(7, 4.5))
    xs = [p["qps"] for p in pts]
    ax.plot(xs, [p["observed_ms"] for p in pts], "o-", ms=4, label="observed percentile")
    band = [p for p in pts if p["ci95_ms"]]
    if band:
        ax.fill_between([p["qps"] for p in band], [p["ci95_ms"][0] for p in band], [p["ci95_ms"][1] for p in band],
                        alpha=0.25, lw=0, label="95% confidence interval")
    missed = [p for p in r["points"] if p["observed_ms"] is None or p["saturated"]]
    for p in missed:
        ax.axvline(p["qps"], color="0.6", lw=0.6, ls=":")
    sla = r["sla"]
    target = sla.get("target_ms") if "target_ms" in sla else None
    if target:
        ax.axhline(target, color="red", ls="--", lw=1, label=f"SLA p{sla['percentile']:g} <= {target:g} ms")
    if r["found"]:
        ax.axvline(r["max_qps"], color="green", lw=1.2, label=f"max load {r['max_qps']:.5g} qps")
    ax.set_xlabel("offered load (queries/s)")
    ax.set_ylabel("latency percentile (ms)")
    ax.set_title(a.title or f"{r['scenario']}: SLA percentile against load")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    footnote(fig, a.note or f"{a.table}: {r['evaluations']} evaluations; dotted: saturated or stopped early")
    save(fig, a.out)


def plan_plot(a):
    p = json.load(open(a.table))
    fleets = p["fleets"]
    xs = [f["target_qps"] for f in fleets]
    kinds = sorted({k for f in fleets for k in f["servers_by_kind"]})
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    width = [0.35 * x for x in xs]
    bottom = [0] * len(xs)
    for k in kinds:
        n = [f["servers_by_kind"].get(k, 0) for f in fleets]
        left.bar(xs, n, width=width, bottom=bottom, label=k)
        bottom = [b + c for b, c in zip(bottom, n)]
    left.set_xscale("log")
    left.set_xlabel("target load (queries/s)")
    left.set_ylabel("servers")
    twin = left.twinx()
    twin.plot(xs, [f["objective_total"] for f in fleets], "ko-", ms=4, label=p["objective"])
    twin.set_ylabel(p["objective"] + (" per hour" if p["objective"] == "cost" else ""))
    left.legend(fontsize=7, loc="upper left")
    twin.legend(fontsize=7, loc="lower right")
    left.set_title("fleet size (bars) and " + p["objective"] + " (line)")
    power = [(f["target_qps"], f["verification"]["mean_power_w"]) for f in fleets if f["verification"]["mean_power_w"]]
    if power:
        right.plot([x for x, _ in power], [1000 * w / x for x, w in power], "o-")
        right.set_ylabel("mean power per 1,000 queries/s (W)")
    else:
        right.text(0.5, 0.5, "no power model in the fleet", ha="center")
    right.set_xscale("log")
    right.set_xlabel("target load (queries/s)")
    right.set_title("power of the verified fleet per load")
    for ax in (left, right):
        ax.grid(alpha=0.3)
    footnote(fig, a.note or f"{a.table}; power: the verification simulation's mean power (docs/datacenter.md)")
    save(fig, a.out)


def series_plot(a):
    with open(a.table) as f:
        results = json.load(f)
    series = results.get("time_series")
    if not series:
        sys.exit(f"plot_sweep.py: {a.table}: no time_series (run the scenario with run.window_s)")
    windows = series["windows"]
    mid = [(w["start_s"] + w["end_s"]) / 2 for w in windows]
    hours = windows[-1]["end_s"] >= 3 * 3600 if windows else False
    scale, unit = (3600.0, "h") if hours else (1.0, "s")
    t = [x / scale for x in mid]
    power = any(w["power_w"] is not None for w in windows)
    fig, axes = plt.subplots(4, 1, figsize=(9, 10), sharex=True)
    rate, lat, util, up = axes
    rate.plot(t, [w["offered_qps"] for w in windows], label="offered")
    rate.plot(t, [w["served_qps"] for w in windows], label="served", linestyle="--")
    rate.set_ylabel("queries/s")
    rate.legend(loc="upper right", fontsize=8)
    for key, style in (("p50", ":"), ("p95", "-"), ("p99", "--")):
        lat.plot(t, [w["latency_ms"][key] if w["latency_ms"] else math.nan for w in windows], style, label=key)
    targets = {w["sla"]["target_ms"] for w in windows if w["sla"]["target_ms"] is not None}
    if len(targets) == 1:
        lat.axhline(targets.pop(), color="red", linewidth=1, label="SLA target")
    for w in windows:
        if w["sla"]["met"] is False:
            for ax in axes:
                ax.axvspan(w["start_s"] / scale, w["end_s"] / scale, color="red", alpha=0.12, linewidth=0)
    lat.set_yscale("log")
    lat.set_ylabel("latency (ms)")
    lat.legend(loc="upper right", fontsize=8)
    for g in range(len(windows[0]["groups"]) if windows else 0):
        name = windows[0]["groups"][g]["name"]
        util.plot(t, [w["groups"][g]["cpu_utilization"] for w in windows], label=f"{name} CPU")
        if windows[0]["groups"][g]["gpu_utilization"] is not None:
            util.plot(t, [w["groups"][g]["gpu_utilization"] for w in windows], "--", label=f"{name} GPU")
    util.set_ylabel("utilisation")
    util.set_ylim(0, 1.05)
    util.legend(loc="upper right", fontsize=8)
    up.step(t, [w["servers_up"] for w in windows], where="mid", label="servers up")
    up.set_ylabel("servers up")
    up.set_ylim(bottom=0)
    if power:
        right = up.twinx()
        right.plot(t, [w["power_w"] / 1e3 if w["power_w"] is not None else math.nan for w in windows], color="tab:orange", label="power")
        right.set_ylabel("power (kW)", color="tab:orange")
        right.set_ylim(bottom=0)
    up.set_xlabel(f"virtual time ({unit}), windows of {series['window_s']:g} s")
    for ax in axes:
        ax.grid(alpha=0.3)
    s = series["summary"]
    met = "no window judged" if s["fraction_met"] is None else f"{s['met']} of {s['judged']} windows met the SLA"
    axes[0].set_title(a.title or f"{results['scenario']}: {met}")
    footnote(fig, a.note or f"{a.table} (recsim run --out); shaded: windows that missed the SLA")
    save(fig, a.out)


parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("kind", choices=["table", "capacity", "plan", "series"])
parser.add_argument("table")
parser.add_argument("out")
parser.add_argument("--x")
parser.add_argument("--y")
parser.add_argument("--group")
parser.add_argument("--band")
parser.add_argument("--hline")
parser.add_argument("--logx", action="store_true")
parser.add_argument("--title")
parser.add_argument("--note")
args = parser.parse_args()
if args.kind == "table":
    if not args.x or not args.y:
        parser.error("table needs --x and --y")
    table_plot(args)
elif args.kind == "capacity":
    capacity_plot(args)
elif args.kind == "series":
    series_plot(args)
else:
    plan_plot(args)
