#!/usr/bin/env bash
# A real single-node Slurm cluster on 127.0.0.1, for optcloud's cluster tests.
#
#   scripts/slurm-local.sh start DIR    install (Debian: slurmctld slurmd slurm-client munge) if
#                                       missing, start munged, slurmctld and slurmd with their
#                                       state, logs and pid files under DIR; prints the line
#                                       `export SLURM_CONF=DIR/slurm.conf` to use it
#   scripts/slurm-local.sh stop DIR     stop them (by pid)
#
# No systemd: the daemons are started directly. proctrack/linuxproc and task/affinity need no
# cgroups, and task/affinity gives each task the affinity mask of its allocation (so
# `--cpus-per-task=1` shows one CPU to optcloud); MinJobAge=5 keeps finished jobs visible
# long enough for `sbatch --wait`, which polls every 2 s. Runs as root (as CI does); the
# daemons run as root too.
set -euo pipefail
action=${1:?usage: slurm-local.sh start|stop DIR}
dir=$(mkdir -p "${2:?usage: slurm-local.sh start|stop DIR}" && cd "$2" && pwd)

stop() {
  for daemon in slurmd slurmctld munged; do
    if [ -f "$dir/$daemon.pid" ]; then
      kill "$(cat "$dir/$daemon.pid")" 2>/dev/null || true
      rm -f "$dir/$daemon.pid"
    fi
  done
}

if [ "$action" = stop ]; then stop; exit 0; fi
[ "$action" = start ] || { echo "usage: slurm-local.sh start|stop DIR" >&2; exit 2; }

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
   || ! command -v munged >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
fi

mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
cpus=$(nproc)
cat > "$dir/slurm.conf" <<CONF
ClusterName=optcloud
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/affinity
JobAcctGatherType=jobacct_gather/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=5
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$dir/slurm.conf

# munge: its own key, socket and pid file in DIR.
if [ ! -f "$dir/munge/munge.key" ]; then
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 2>/dev/null
  chmod 400 "$dir/munge/munge.key"
fi
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/socket" \
  --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/seed"
# Slurm's munge plugin talks to the default socket unless told otherwise.
echo "AuthInfo=socket=$dir/munge/socket" >> "$dir/slurm.conf"

slurmctld -f "$dir/slurm.conf"
slurmd -f "$dir/slurm.conf" -N localhost
for _ in $(seq 60); do
  if sinfo -h -o %T 2>/dev/null | grep -qx idle; then
    echo "export SLURM_CONF=$dir/slurm.conf"
    exit 0
  fi
  sleep 0.5
done
echo "slurm-local.sh: the node did not become idle; logs in $dir" >&2
tail -5 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 || true
stop
exit 1
