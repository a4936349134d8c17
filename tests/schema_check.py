#!/usr/bin/env python3
"""The published scenario schema (docs/scenario.schema.json) against the shipped scenarios: every
scenario under scenarios/ (not the sweep, plan and expected-results files) must validate, and a few
documents the simulator refuses must not. Usage: schema_check.py SOURCE_DIR"""
import copy
import json
import pathlib
import sys

import jsonschema

root = pathlib.Path(sys.argv[1])
schema = json.loads((root / "docs/scenario.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

failures = []
checked = 0
for path in sorted((root / "scenarios").rglob("*.json")):
    rel = path.relative_to(root)
    if rel.parts[1] in ("sweeps", "plans") or "expected" in rel.parts:
        continue
    checked += 1
    errors = sorted(validator.iter_errors(json.loads(path.read_text())), key=lambda e: list(e.path))
    if errors:
        failures.append(f"{rel}: {errors[0].json_path}: {errors[0].message}")

# Documents the simulator refuses: the schema must refuse them too.
base = json.loads((root / "scenarios/quickstart.json").read_text())
def mutated(change):
    doc = copy.deepcopy(base)
    change(doc)
    return doc
refused = {
    "an unknown top-level key": mutated(lambda d: d.update(colour="blue")),
    "a negative rate": mutated(lambda d: d["workload"]["arrival"].update(qps=-5)),
    "an unknown service type": mutated(lambda d: d["service"].update(type="magic")),
    "a missing run": mutated(lambda d: d.pop("run")),
    "a percentile of 100": mutated(lambda d: d["sla"].update(percentile=100)),
    "lognormal sizes with both parameterisations": mutated(lambda d: d["workload"].update(
        query_size={"distribution": "lognormal", "mu": 5, "sigma": 0.2, "median": 164, "top_quarter_share": 0.5, "max": 1024})),
    "a misspelt scheduler key": mutated(lambda d: d["scheduler"].update(batchsize=4)),
}
for what, doc in refused.items():
    if validator.is_valid(doc):
        failures.append(f"the schema accepts {what}")

for f in failures:
    print(f, file=sys.stderr)
print(f"{checked} shipped scenarios checked against docs/scenario.schema.json, {len(refused)} invalid documents; "
      f"{len(failures)} failure(s)")
sys.exit(1 if failures or checked < 20 else 0)
