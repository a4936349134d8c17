#!/usr/bin/env bash
# Runs COMMAND... inside a single-node Slurm cluster of its own, then stops it.
# The cluster lives in a new network namespace (only its loopback interface exists, so nothing it
# listens on is reachable from outside) and a temporary directory: its own munge key and munged,
# slurmctld and slurmd in the foreground, a minimal slurm.conf (SLURM_CONF points at it for
# COMMAND). Every daemon is stopped by its own process id when COMMAND ends, however it ends.
# Exits 77 (CTest: skipped) when it cannot run here: not root, Slurm, munge or unshare missing, or no
# network namespace allowed.
# Usage: tests/slurm/slurm_cluster.sh COMMAND [ARG...]
set -euo pipefail
if [ "${RECSIM_SLURM_NAMESPACE:-}" != inside ]; then
  for tool in slurmctld slurmd sbatch munged mungekey unshare ip runuser; do
    command -v "$tool" >/dev/null || { echo "slurm_cluster: $tool not found (scripts/setup installs slurm-wlm, munge, util-linux, iproute2)" >&2; exit 77; }
  done
  [ "$(id -u)" -eq 0 ] || { echo "slurm_cluster: needs root (daemons, a network namespace)" >&2; exit 77; }
  id munge >/dev/null 2>&1 || { echo "slurm_cluster: no munge user (the munge package creates it)" >&2; exit 77; }
  unshare --net true 2>/dev/null || { echo "slurm_cluster: cannot create a network namespace here (unshare --net)" >&2; exit 77; }
  RECSIM_SLURM_NAMESPACE=inside exec unshare --net -- "$0" "$@"
fi

ip link set lo up
# Slurm resolves names with AI_ADDRCONFIG, which returns no IPv4 address while 127.0.0.1 is the
# only one configured: a second address on the loopback interface (still reachable from nowhere).
ip addr add 10.254.254.1/32 dev lo
tmp="$(mktemp -d /tmp/recsim-slurm.XXXXXX)"
chmod 755 "$tmp"
pids=()
cleanup() {
  local status=$?
  # munged's own pid (runuser does not pass signals on), then the daemons started here.
  [ -s "$tmp/munge/munged.pid" ] && pids+=("$(cat "$tmp/munge/munged.pid")")
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT

install -d -o munge -m 755 "$tmp/munge"
mungekey -c -k "$tmp/munge/munge.key" >/dev/null 2>&1
chown munge "$tmp/munge/munge.key"
runuser -u munge -- munged --foreground --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/munge.socket" \
  --pid-file="$tmp/munge/munged.pid" --log-file="$tmp/munge/munged.log" --seed-file="$tmp/munge/munged.seed" \
  >"$tmp/munge/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 200); do [ -S "$tmp/munge/munge.socket" ] && break; sleep 0.01; done

cpus="$(nproc)"
mkdir -p "$tmp/state" "$tmp/spool"
# Addresses given, not looked up: a fresh Debian root has no /etc/hosts, so "localhost" may not resolve.
cat > "$tmp/slurm.conf" <<CONF
ClusterName=recsim-test
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/munge.socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
ReturnToService=2
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$tmp/slurm.conf"
slurmctld -D -f "$SLURM_CONF" >"$tmp/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N localhost -f "$SLURM_CONF" >"$tmp/slurmd.out" 2>&1 &
pids+=($!)
up=""
deadline=$((SECONDS + 15))
while [ $SECONDS -lt $deadline ]; do
  state="$(timeout 2 sinfo -h -N -o %t 2>/dev/null || true)"  # sinfo retries for minutes when it cannot resolve or reach the controller
  [ "$state" = idle ] && { up=1; break; }
  sleep 0.05
done
if [ -z "$up" ]; then
  # Skipped, not failed: the daemons cannot work in this environment (seen in a fresh Debian root
  # whose namespaces behave differently); the logs say why.
  echo "slurm_cluster: the cluster did not come up within 15 s here; logs:" >&2
  tail -n 20 "$tmp"/slurmctld.log "$tmp"/slurmd.log "$tmp"/slurmctld.out "$tmp"/slurmd.out "$tmp/munge/munged.log" >&2 2>/dev/null || true
  exit 77
fi
"$@"
