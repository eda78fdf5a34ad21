#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine (as root), for the fleet integration test
# and for trying `flopledger fleet slurm` by hand. Installs munge and Slurm from Debian's
# packages, writes a slurm.conf pinned to the loopback address (no accounting, no cgroups:
# proctrack/linuxproc, task/none), and starts munged, slurmctld and slurmd. Idempotent: run it
# again to restart the daemons. Stop with `ci/slurm-down.sh`.
set -euo pipefail

if [ "$(id -u)" != 0 ]; then
    echo "ci/slurm-up.sh: run as root (it installs packages and starts daemons)" >&2
    exit 2
fi

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
    echo "== installing munge and Slurm (Debian packages)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends munge slurm-wlm
fi

NODE="$(hostname -s)"
CPUS="$(nproc)"
CONF_DIR=/etc/slurm
mkdir -p "$CONF_DIR" /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge
cat > "$CONF_DIR/slurm.conf" <<CONF
# One-node cluster for flopledger's fleet test (written by ci/slurm-up.sh).
ClusterName=flopledger-ci
SlurmctldHost=${NODE}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
NodeName=${NODE} NodeAddr=127.0.0.1 CPUs=${CPUS} State=UNKNOWN
PartitionName=debug Nodes=${NODE} Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:8
CONF

# munge: a key (the package usually makes one) and the daemon.
if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
chmod 0700 /etc/munge
chmod 0400 /etc/munge/munge.key
if ! pgrep -x munged >/dev/null; then
    runuser -u munge -- /usr/sbin/munged
fi
munge -n | unmunge >/dev/null

# (Re)start the Slurm daemons.
for pidfile in /run/slurmd.pid /run/slurmctld.pid; do
    if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        kill "$(cat "$pidfile")"
        sleep 1
    fi
done
slurmctld
slurmd

for _ in $(seq 1 30); do
    if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
        sinfo
        echo "== Slurm is up: node ${NODE}, ${CPUS} CPU(s), partition debug"
        exit 0
    fi
    sleep 1
done
echo "ci/slurm-up.sh: the node did not come up; see /var/log/slurm/" >&2
sinfo >&2 || true
tail -n 20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2 || true
exit 1
