#!/usr/bin/env bash
# `cmake --install` into an empty prefix gives a working recsim: run from another folder, it reads
# the installed model definitions and profiles (the results name them under the prefix), and with the
# source tree's data out of reach (RECSIM_DATA_DIR unset, the prefix moved elsewhere) it still runs.
# Usage: tests/install_check.sh BUILD_DIR SCRATCH_DIR
set -euo pipefail
build="$1"; scratch="$2"
prefix="$scratch/install-check/prefix"
rm -rf "$scratch/install-check"
mkdir -p "$scratch/install-check/elsewhere"
cmake --install "$build" --prefix "$prefix" >/dev/null
cd "$scratch/install-check/elsewhere"
unset RECSIM_DATA_DIR RECSIM_MODELS_DIR
scenario="$prefix/share/recsim/scenarios/models/dlrm-rmc1.json"
out="$scratch/install-check/out.json"
"$prefix/bin/recsim" run "$scenario" --set run.queries=2000 --set run.warmup_queries=200 --out "$out" --quiet
# The profile and the model definition read are the installed ones.
grep -q "\"profile\": \"$prefix/share/recsim/kernels/profiles/" "$out" ||
  { echo "FAIL: the run did not read the installed profile:"; grep '"profile"' "$out"; exit 1; }
"$prefix/bin/recsim" calibrate --device gpu --analytic "$prefix/share/recsim/kernels/gpus/h100-sxm.json" --models ncf \
  --out "$scratch/install-check/gpu.json" --quiet
# Moved, the prefix still works, and a model name resolves under it (not in the source tree): with
# ncf's installed definition removed, ncf is unknown, naming the file under the moved prefix.
moved="$scratch/install-check/moved"
mv "$prefix" "$moved"
"$moved/bin/recsim" run "$moved/share/recsim/scenarios/models/ncf.json" --set run.queries=2000 --set run.warmup_queries=200 --quiet
rm "$moved/share/recsim/kernels/models/ncf.json"
if err=$("$moved/bin/recsim" calibrate --device gpu --analytic "$moved/share/recsim/kernels/gpus/h100-sxm.json" --models ncf \
           --out "$scratch/install-check/gpu2.json" --quiet 2>&1); then
  echo "FAIL: ncf was found without its installed definition"; exit 1
fi
grep -q "no file $moved/share/recsim/kernels/models/ncf.json" <<<"$err" || { echo "FAIL: $err"; exit 1; }
rm -rf "$scratch/install-check"
echo "ok: installed recsim runs from its prefix, and from the prefix moved"
