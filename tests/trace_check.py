#!/usr/bin/env python3
"""recsim run --trace against the trace event format: traces of shipped suite scenarios (a rack
failure over a network, GPU offload) validate against docs/trace-event.schema.json, and hold what a
viewer needs beyond the schema: every async begin has its end (same name, category and id, not
before it), parts nested inside their query's span, every process named, durations >= 0, at most
the queries asked for. Usage: trace_check.py SOURCE_DIR RECSIM"""
import json
import pathlib
import subprocess
import sys
import tempfile

import jsonschema

root, recsim = pathlib.Path(sys.argv[1]), sys.argv[2]
schema = json.loads((root / "docs/trace-event.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failures = []

cases = [("scenarios/suite/time-rack-failure.json", ["--trace-from", "1.99", "--trace-queries", "3000"], 3000),
         ("scenarios/suite/gpu-deeprecsched-dlrm-rmc1.json", ["--trace-queries", "500"], 500)]
with tempfile.TemporaryDirectory() as tmp:
    for scenario, flags, queries in cases:
        out = pathlib.Path(tmp) / "trace.json"
        subprocess.run([recsim, "run", str(root / scenario), "--quiet", "--trace", str(out), *flags], check=True)
        doc = json.loads(out.read_text())
        errors = list(validator.iter_errors(doc))
        if errors:
            failures.append(f"{scenario}: {errors[0].json_path}: {errors[0].message}")
            continue
        events = doc["traceEvents"]
        named = {e["pid"] for e in events if e["ph"] == "M" and e["name"] == "process_name"}
        open_spans, spans, query_ids = {}, {}, set()
        kinds = set()
        for e in events:
            kinds.add((e["ph"], e.get("cat")))
            if e["pid"] not in named:
                failures.append(f"{scenario}: process {e['pid']} has no process_name")
                break
            if e["ph"] == "b":
                open_spans.setdefault((e["cat"], e["id"], e["name"]), []).append(e["ts"])
            elif e["ph"] == "e":
                key = (e["cat"], e["id"], e["name"])
                if not open_spans.get(key):
                    failures.append(f"{scenario}: an end without a begin: {key}")
                    break
                begin = open_spans[key].pop()
                if e["ts"] < begin:
                    failures.append(f"{scenario}: {key} ends before it begins")
                spans.setdefault(e["id"], []).append((e["name"], begin, e["ts"]))
            elif e["ph"] == "X" and "query" in e.get("args", {}):
                query_ids.add(e["args"]["query"])
        if any(v for v in open_spans.values()):
            failures.append(f"{scenario}: async begins without ends")
        for qid, parts in spans.items():
            outer = [p for p in parts if p[0] not in ("retry", "request network", "queue", "service", "response network")]
            if len(outer) != 1:
                failures.append(f"{scenario}: query {qid} has {len(outer)} outer spans")
                continue
            _, lo, hi = outer[0]
            for name, b, e in parts:
                if b < lo - 1e-6 or e > hi + 1e-6:
                    failures.append(f"{scenario}: query {qid}'s {name} lies outside its span")
        traced = doc["otherData"]["traced_queries"]
        if traced != queries or len(spans) != queries or len(query_ids) > queries:
            failures.append(f"{scenario}: {traced} queries traced, {len(spans)} spans, {len(query_ids)} with requests; asked {queries}")
        print(f"{scenario}: {len(events)} events, {len(spans)} queries, kinds {sorted(kinds, key=str)}")
        needed = {("X", "request"), ("b", "query")} | ({("X", "gpu")} if "gpu" in scenario else {("i", "server"), ("i", "failure")})
        if not needed <= kinds:
            failures.append(f"{scenario}: missing event kinds {needed - kinds}")

for f in failures:
    print("FAIL", f)
sys.exit(1 if failures else 0)
