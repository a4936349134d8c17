#!/usr/bin/env bash
# recsim sweep --slurm on a real single-node Slurm cluster (tests/slurm/slurm_cluster.sh): a sweep
# submitted as a job array, the array cancelled mid-way, the sweep submitted again, and the
# gathered table compared with an uninterrupted local sweep of the same file: byte for byte.
# Usage: test_sweep_on_slurm.sh RECSIM SOURCE_DIR   (exit 77: cannot run here, reported as skipped)
set -euo pipefail
recsim="$1"
source_dir="$2"
if [ "${RECSIM_SLURM_TEST:-}" != inside ]; then
  RECSIM_SLURM_TEST=inside exec "$source_dir/tests/slurm/slurm_cluster.sh" "$0" "$@"
fi
work="$(mktemp -d /tmp/recsim-slurm-sweep.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cd "$work"
cat > sweep.json <<JSON
{"name": "slurm-test", "scenario": "$source_dir/scenarios/mmc-example.json", "command": "run",
 "set": {"run.queries": 20000, "run.warmup_queries": 2000},
 "axes": [{"path": "workload.arrival.qps", "name": "qps", "range": {"from": 1000, "to": 6000, "step": 1000}}],
 "repetitions": 4}
JSON
"$recsim" sweep sweep.json --store local --quiet
[ "$(wc -l < local/table.csv)" -eq 25 ] || { echo "FAIL: the local table has $(wc -l < local/table.csv) lines, not 25" >&2; exit 1; }

wait_for() {  # CONDITION-COMMAND SECONDS WHAT
  local deadline=$((SECONDS + $2))
  until eval "$1"; do
    [ $SECONDS -lt $deadline ] || { echo "FAIL: timed out after $2 s waiting for $3" >&2; squeue >&2 || true; exit 1; }
    sleep 0.05
  done
}
points() { find slurm/points -name '*.json' 2>/dev/null | wc -l; }
queue_empty() { [ -z "$(squeue -h -o %i)" ]; }

out="$("$recsim" sweep sweep.json --store slurm --slurm --tasks 6)"
echo "$out"
array="$(echo "$out" | sed -n 's/.*job \([0-9]*\), then gather job.*/\1/p')"
[ -n "$array" ] || { echo "FAIL: no array job id in: $out" >&2; exit 1; }
# Cancel the array once some of its points are in the store.
wait_for '[ "$(points)" -ge 3 ]' 120 "the first points of the array"
scancel "$array"
wait_for queue_empty 60 "the cancelled array and its gather job to leave the queue"
done_before="$(points)"
echo "points in the store after the cancel: $done_before of 24"
if [ "$done_before" -lt 24 ] && [ -e slurm/table.csv ]; then echo "FAIL: a table exists for an incomplete store" >&2; exit 1; fi

"$recsim" sweep sweep.json --store slurm --slurm --tasks 3
wait_for '[ -e slurm/table.csv ] && queue_empty' 120 "the resubmitted sweep's gather job"
cmp local/table.csv slurm/table.csv || { echo "FAIL: the Slurm table differs from the local one" >&2; diff local/table.csv slurm/table.csv >&2 || true; exit 1; }
cmp local/table.jsonl slurm/table.jsonl
[ -z "$(ls slurm/raw)" ] || { echo "FAIL: raw results left in the store" >&2; exit 1; }
echo "PASS: the Slurm sweep, cancelled after $done_before of 24 points and resubmitted, gives the local table"
