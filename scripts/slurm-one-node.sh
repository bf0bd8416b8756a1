#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine (Debian's slurmctld, slurmd and munge; root needed), so that
# `sbatch` of a `tfcrnn table plan` job array runs here. Used by CI; idempotent: a cluster that answers is kept.
#   scripts/slurm-one-node.sh         install if missing, configure, start, wait until the node is idle
#   scripts/slurm-one-node.sh stop    stop the daemons this script started (by their pid files)
set -euo pipefail
run=/run/tfcrnn-slurm
if [ "${1:-}" = stop ]; then
  for daemon in slurmd slurmctld munged; do
    [ -f "$run/$daemon.pid" ] && kill "$(cat "$run/$daemon.pid")" 2>/dev/null || true
  done
  exit 0
fi
if command -v sinfo >/dev/null && timeout 5 sinfo -h -o %T 2>/dev/null | grep -q idle; then
  echo "slurm: a cluster already answers" >&2
  exit 0
fi
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
  echo "slurm: installing slurmctld, slurmd, slurm-client and munge (Debian packages)" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
fi
mkdir -p "$run" /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /etc/slurm /run/munge /var/lib/munge /var/log/munge
[ -s /etc/munge/munge.key ] || { dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none; }
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge
chmod 0400 /etc/munge/munge.key
if ! munge -n >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged --force
  for _ in $(seq 1 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
  cp /run/munge/munged.pid "$run/munged.pid"
fi

host=$(hostname -s)
cpus=$(nproc)
# Slurm's own reading of the node, less a margin for the system.
memory=$(( $(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) - 512 ))
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=tfcrnn
SlurmctldHost=$host
AuthType=auth/munge
SlurmUser=root
SlurmctldPidFile=$run/slurmctld.pid
SlurmdPidFile=$run/slurmd.pid
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SlurmctldParameters=enable_configless
SchedulerParameters=sched_interval=1
MessageTimeout=30
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld
slurmd
for _ in $(seq 1 60); do
  if timeout 5 sinfo -h -o %T 2>/dev/null | grep -q idle; then
    echo "slurm: one node ($host, $cpus CPUs, $memory MB) is idle" >&2
    exit 0
  fi
  sleep 1
done
echo "slurm: the node did not become idle; see /var/log/slurm/" >&2
sinfo >&2 || true
exit 1
