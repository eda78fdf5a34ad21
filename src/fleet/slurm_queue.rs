//! Waiting for a submitted Slurm job: `squeue` is asked about the job every few seconds until
//! the job has left the queue. A job Slurm holds for a reason no wait resolves (more nodes than
//! its partition has, a longer time than it allows) is cancelled and refused with the fix,
//! where `sbatch --wait` would have waited for ever without printing the job id.

use crate::error::FlError;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

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

/// How long a killed job's reports must stay unchanged before they are read.
pub const REPORTS_QUIET: Duration = Duration::from_secs(10);
/// The longest wait for them (Slurm's default `KillWait`, 30 s, between a task's SIGTERM and
/// its SIGKILL, and then some).
pub const REPORTS_LIMIT: Duration = Duration::from_secs(90);

/// Waits until the report files under `job_dir` have not changed for `quiet` (true), or `limit`
/// has passed (false). A job that was cancelled or ran out of time can leave the queue while its
/// tasks, stopped by SIGTERM, still finish the batch in flight and write their reports: read at
/// once, a report was taken with 1 of its 2 cases (a helper's sweep: rewritten 2.2 s after
/// `--wait` had ingested it and exited).
pub fn wait_for_reports_to_settle(job_dir: &Path, quiet: Duration, limit: Duration) -> bool {
    let state = || {
        let files =
            crate::fleet::ingest::report_files(&[job_dir.to_path_buf()]).unwrap_or_default();
        files
            .into_iter()
            .map(|f| {
                let meta = std::fs::metadata(&f).ok();
                let stamp = meta.as_ref().map(|m| (m.len(), m.modified().ok()));
                (f, stamp)
            })
            .collect::<Vec<_>>()
    };
    let start = Instant::now();
    let mut last = state();
    let mut since = Instant::now();
    while start.elapsed() < limit {
        std::thread::sleep((quiet / 10).min(Duration::from_millis(500)));
        let now = state();
        if now != last {
            (last, since) = (now, Instant::now());
        } else if since.elapsed() >= quiet {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reports still being written are waited for: the wait ends only after the last write,
    /// once the folder has been quiet; a folder that never quiets ends at the limit.
    #[test]
    fn reports_are_read_once_the_job_folder_is_quiet() {
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("task-0").join("flopledger-x.json");
        std::fs::create_dir_all(report.parent().unwrap()).unwrap();
        std::fs::write(&report, "{}").unwrap();
        let writer = {
            let report = report.clone();
            std::thread::spawn(move || {
                for i in 0..6 {
                    std::thread::sleep(Duration::from_millis(100));
                    std::fs::write(&report, format!("{{\"n\": {i}{}}}", " ".repeat(i))).unwrap();
                }
            })
        };
        let quiet = Duration::from_millis(400);
        assert!(wait_for_reports_to_settle(
            dir.path(),
            quiet,
            Duration::from_secs(60)
        ));
        // The writer had finished: the file holds its last write.
        assert!(writer.is_finished());
        assert_eq!(std::fs::read_to_string(&report).unwrap(), "{\"n\": 5     }");
        let busy = {
            let report = report.clone();
            std::thread::spawn(move || {
                for i in 0..40 {
                    std::thread::sleep(Duration::from_millis(20));
                    std::fs::write(&report, " ".repeat(i)).unwrap();
                }
            })
        };
        assert!(!wait_for_reports_to_settle(
            dir.path(),
            Duration::from_secs(5),
            Duration::from_millis(300)
        ));
        busy.join().unwrap();
    }

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
