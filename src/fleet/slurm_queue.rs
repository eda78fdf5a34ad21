//! Waiting for a submitted Slurm job: `squeue` is asked about the job every few seconds until
//! the job has left the queue. A job Slurm holds for a reason no wait resolves (more nodes than
//! its partition has, a longer time than it allows) is cancelled and refused with the fix,
//! where `sbatch --wait` would have waited for ever without printing the job id.

use crate::error::FlError;
use std::process::Command;
use std::time::Duration;

/// How often `squeue` is asked.
const POLL: Duration = Duration::from_secs(2);

/// How many `squeue` failures in a row (the controller unreachable) end the wait.
const MAX_FAILURES: u32 = 30;

/// Pending reasons that no wait resolves: the job asks for more than its partition, account or
/// QOS allows, or for what the cluster lacks (Slurm's `squeue --format %r` names).
const NEVER_STARTS: &[&str] = &[
    "PartitionNodeLimit",
    "PartitionTimeLimit",
    "PartitionConfig",
    "BadConstraints",
    "InvalidAccount",
    "InvalidQOS",
    "AssocMaxNodesPerJobLimit",
    "AssocMaxWallDurationPerJobLimit",
    "AssocMaxCpuPerJobLimit",
    "QOSMaxNodePerJobLimit",
    "QOSMaxWallDurationPerJobLimit",
    "QOSMaxCpuPerJobLimit",
    "QOSMaxGRESPerJob",
];

/// What `squeue -h -j ID -o '%T|%r'` said of a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueState {
    /// The job is no longer queued or running: it ended.
    Gone,
    /// Its state (`PENDING`, `RUNNING`, `COMPLETING`…) and pending reason.
    Queued { state: String, reason: String },
}

impl QueueState {
    /// The state from `squeue`'s output; the job is gone when no line names it.
    pub fn parse(stdout: &str) -> Self {
        let Some(line) = stdout.lines().map(str::trim).find(|l| !l.is_empty()) else {
            return Self::Gone;
        };
        let (state, reason) = line.split_once('|').unwrap_or((line, ""));
        Self::Queued {
            state: state.trim().to_string(),
            reason: reason.trim().to_string(),
        }
    }

    /// The pending reason, where it is one that no wait resolves.
    pub fn never_starts(&self) -> Option<&str> {
        match self {
            Self::Queued { state, reason } if state == "PENDING" => NEVER_STARTS
                .iter()
                .any(|r| reason.starts_with(r))
                .then_some(reason.as_str()),
            _ => None,
        }
    }
}

/// Asks `squeue` about job `id`: `Ok(None)` when the call failed (retried by the caller).
fn ask(id: &str) -> Result<Option<QueueState>, FlError> {
    let out = Command::new("squeue")
        .args(["-h", "-j", id, "-o", "%T|%r"])
        .output()
        .map_err(|e| {
            FlError::usage(format!(
                "cannot run squeue to follow job {id} ({e}); the job runs on: follow it with \
                 your site's tools, then `flopledger ledger add` its results folder"
            ))
        })?;
    if out.status.success() {
        return Ok(Some(QueueState::parse(&String::from_utf8_lossy(
            &out.stdout,
        ))));
    }
    // A job that ended long enough ago is no longer known to the controller.
    let stderr = String::from_utf8_lossy(&out.stderr);
    Ok(stderr
        .contains("Invalid job id")
        .then_some(QueueState::Gone))
}

/// Waits until job `id` has ended. A job Slurm holds for a reason no wait resolves is
/// cancelled (`scancel`) and refused, with `fix` (what to ask for instead) in the message.
pub fn wait_for(id: &str, fix: &str) -> Result<(), FlError> {
    let mut failures = 0;
    loop {
        match ask(id)? {
            Some(QueueState::Gone) => return Ok(()),
            Some(state) => {
                failures = 0;
                if let Some(reason) = state.never_starts() {
                    let cancelled = Command::new("scancel")
                        .arg(id)
                        .status()
                        .is_ok_and(|s| s.success());
                    let what = if cancelled {
                        "it was cancelled".to_string()
                    } else {
                        format!("cancel it with `scancel {id}`")
                    };
                    return Err(FlError::usage(format!(
                        "job {id} can never start: Slurm holds it pending ({reason}); {what}. \
                         {fix}"
                    )));
                }
            }
            None => {
                failures += 1;
                if failures >= MAX_FAILURES {
                    return Err(FlError::usage(format!(
                        "squeue failed {MAX_FAILURES} times in a row while following job {id} \
                         (is slurmctld reachable?); the job itself may still run: check it with \
                         `squeue -j {id}`, then `flopledger ledger add` its results folder"
                    )));
                }
            }
        }
        std::thread::sleep(POLL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squeue_lines_are_read_and_hopeless_reasons_found() {
        assert_eq!(QueueState::parse(""), QueueState::Gone);
        assert_eq!(QueueState::parse("\n"), QueueState::Gone);
        let held = QueueState::parse("PENDING|PartitionNodeLimit\n");
        assert_eq!(held.never_starts(), Some("PartitionNodeLimit"));
        let waiting = QueueState::parse("PENDING|Resources");
        assert_eq!(waiting.never_starts(), None);
        assert_eq!(QueueState::parse("RUNNING|None").never_starts(), None);
        assert_eq!(
            QueueState::parse("COMPLETING|None"),
            QueueState::Queued {
                state: "COMPLETING".into(),
                reason: "None".into()
            }
        );
    }
}
