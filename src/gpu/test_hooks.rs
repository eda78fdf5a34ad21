//! Hidden hooks for the fleet integration test (not for users; documented in docs/fleets.md).
//!
//! `FLOPLEDGER_TEST_SLOWDOWN=TASK:FACTOR` makes the Slurm task whose `SLURM_PROCID` is TASK
//! record every timed dispatch FACTOR times while counting it once: the kernel really runs
//! FACTOR times as long per counted dispatch, so that task's GPU measures slower through the
//! real timing path (nothing in the numbers is edited). The run records a warning saying so.
//!
//! `FLOPLEDGER_TEST_ABORT=TASK` makes that task abort (SIGABRT) after its first case, as a task
//! killed mid-run would end.
//!
//! `FLOPLEDGER_TEST_SERIALIZE=DIR` makes the runs of one test job take turns (a lock directory
//! `DIR/measure.lock`): on a shared CPU (the software adapter, more tasks than cores) runs that
//! measure at the same time steal each other's cores unevenly, so peers would differ by the
//! scheduler's whim, not by their "GPU". Real fleets have a device per task and never set it.

use std::path::PathBuf;
use std::time::Duration;

/// Holds the serialization lock until dropped (nothing when the hook is off).
pub struct SerialGuard(Option<PathBuf>);

impl Drop for SerialGuard {
    fn drop(&mut self) {
        if let Some(dir) = &self.0 {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Waits for the turn of this run when `FLOPLEDGER_TEST_SERIALIZE` is set.
pub fn serialize() -> SerialGuard {
    let Some(root) = std::env::var_os("FLOPLEDGER_TEST_SERIALIZE") else {
        return SerialGuard(None);
    };
    let lock = PathBuf::from(root).join("measure.lock");
    // Creating a directory is atomic: exactly one waiting run succeeds.
    while std::fs::create_dir(&lock).is_err() {
        if !lock.exists() && std::fs::create_dir_all(lock.parent().unwrap_or(&lock)).is_err() {
            return SerialGuard(None);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    SerialGuard(Some(lock))
}

/// The slowdown factor for this process (1 when the hook is off or names another task).
pub fn slowdown_factor() -> u32 {
    parse_slowdown(
        std::env::var("FLOPLEDGER_TEST_SLOWDOWN").ok().as_deref(),
        std::env::var("SLURM_PROCID").ok().as_deref(),
    )
}

fn parse_slowdown(spec: Option<&str>, procid: Option<&str>) -> u32 {
    let (Some(spec), Some(procid)) = (spec, procid) else {
        return 1;
    };
    match spec.split_once(':') {
        Some((task, factor)) if task.trim() == procid.trim() => {
            factor.trim().parse::<u32>().unwrap_or(1).clamp(1, 1000)
        }
        _ => 1,
    }
}

/// Whether this process is the task `FLOPLEDGER_TEST_ABORT` names.
/// Ends the process like a killed task, first giving up the measuring turn of
/// [`serialize`] (an abort runs no destructors, and a turn held forever would stall the job's
/// other runs).
pub fn abort_run() -> ! {
    if let Some(root) = std::env::var_os("FLOPLEDGER_TEST_SERIALIZE") {
        let _ = std::fs::remove_dir(PathBuf::from(root).join("measure.lock"));
    }
    std::process::abort()
}

pub fn abort_requested() -> bool {
    match (
        std::env::var("FLOPLEDGER_TEST_ABORT").ok(),
        std::env::var("SLURM_PROCID").ok(),
    ) {
        (Some(task), Some(procid)) => task.trim() == procid.trim(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_named_task_is_slowed() {
        assert_eq!(parse_slowdown(Some("2:8"), Some("2")), 8);
        assert_eq!(parse_slowdown(Some("2:8"), Some("3")), 1);
        assert_eq!(parse_slowdown(Some("2:8"), None), 1);
        assert_eq!(parse_slowdown(Some("junk"), Some("2")), 1);
        assert_eq!(parse_slowdown(None, Some("2")), 1);
    }
}
