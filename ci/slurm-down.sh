#!/usr/bin/env bash
# Stops the daemons ci/slurm-up.sh started (slurmd, slurmctld, munged), by their pid files.
set -u
for pidfile in /run/slurmd.pid /run/slurmctld.pid /run/munge/munged.pid; do
    if [ -s "$pidfile" ]; then
        kill "$(cat "$pidfile")" 2>/dev/null || true
    fi
done
