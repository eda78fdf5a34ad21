//! Typed, user-fixable errors. Every message says what went wrong and what to do about it, and
//! every variant maps to one exit status ([`exit_code`], documented in `docs/exit-codes.md`).

use std::path::PathBuf;
use thiserror::Error;

/// Errors the user can fix; each message names the fix. Callers match on the variant.
#[derive(Debug, Error)]
pub enum FlError {
    #[error(
        "no GPU adapter found{detail}\n  fix: install a GPU driver with Vulkan, Metal or DX12 support; \
         on Linux without a GPU, `apt-get install mesa-vulkan-drivers` gives a software adapter \
         (lavapipe). `flopledger devices` lists what wgpu can see"
    )]
    NoAdapter { detail: String },

    /// A flag, a flag value or a combination of flags is wrong.
    #[error("{0}")]
    Usage(String),

    /// A file or value given as input (report, price file, suite file, CSV) is malformed.
    #[error("invalid input in {source_name}: {message}")]
    Input {
        source_name: String,
        message: String,
    },

    /// The hardware or the data cannot do what was asked (missing feature, unknown chip).
    #[error("{0}")]
    Unsupported(String),

    /// Reading or writing a file failed for a reason outside the input itself (permissions,
    /// a full disk, a missing directory).
    /// The OS error is part of the message and not a `source`, so that `{:#}` (how `main` prints
    /// an error with its causes) does not print it twice.
    #[error("cannot {action} {}: {cause}; {fix}", path.display())]
    Io {
        action: IoAction,
        path: PathBuf,
        fix: String,
        cause: std::io::Error,
    },
}

/// What an I/O error was doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoAction {
    Read,
    Write,
    CreateDirectory,
}

impl std::fmt::Display for IoAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::CreateDirectory => "create the directory",
        })
    }
}

impl FlError {
    pub fn usage(msg: impl Into<String>) -> Self {
        Self::Usage(msg.into())
    }

    pub fn input(source_name: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Input {
            source_name: source_name.into(),
            message: message.into(),
        }
    }

    pub fn unsupported(msg: impl Into<String>) -> Self {
        Self::Unsupported(msg.into())
    }

    pub fn io(
        action: IoAction,
        path: impl Into<PathBuf>,
        source: std::io::Error,
        fix: impl Into<String>,
    ) -> Self {
        Self::Io {
            action,
            path: path.into(),
            fix: fix.into(),
            cause: source,
        }
    }

    /// The exit status this error ends the process with.
    pub fn exit_code(&self) -> i32 {
        match self {
            Self::Io { .. } => EXIT_IO,
            Self::NoAdapter { .. } | Self::Usage(_) | Self::Input { .. } | Self::Unsupported(_) => {
                EXIT_USAGE
            }
        }
    }
}

/// Exit status for an error that escaped to `main`: the first [`FlError`] in the chain decides
/// ([`FlError::exit_code`]); anything else is an internal failure ([`EXIT_FAILURE`]).
pub fn exit_code(err: &anyhow::Error) -> i32 {
    err.chain()
        .find_map(|c| c.downcast_ref::<FlError>())
        .map_or(EXIT_FAILURE, FlError::exit_code)
}

/// Success.
pub const EXIT_OK: i32 = 0;
/// An unexpected failure (a driver error, a bug).
pub const EXIT_FAILURE: i32 = 1;
/// Exit status of a run whose report was written but holds invalid (failed-verification) cases.
pub const EXIT_INVALID_RESULTS: i32 = 1;
/// Exit status of `compare --baseline` when a significant regression was found.
pub const EXIT_REGRESSION: i32 = 1;
/// Exit status of `fleet slurm --wait` when a task of the job failed or the job was cut short
/// (what its tasks wrote is ingested first).
pub const EXIT_FLEET_TASKS_FAILED: i32 = 1;
/// Something the user must fix: flags, input files, a missing adapter, unsupported hardware.
pub const EXIT_USAGE: i32 = 2;
/// Reading or writing a file failed (permissions, a full disk).
pub const EXIT_IO: i32 = 3;
/// The run was stopped by SIGINT or SIGTERM; the report holds the finished cases (128 + 2, as
/// shells report an interrupted command).
pub const EXIT_INTERRUPTED: i32 = 130;
/// Exit status of `compare --baseline` when a report shares no valid case with the baseline:
/// nothing was compared, so the gate cannot pass (the same as a usage error: fix the inputs).
pub const EXIT_NOTHING_COMPARED: i32 = 2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_io_error_names_its_cause_once_with_the_chain() {
        let cause = std::io::Error::new(std::io::ErrorKind::NotFound, "no such thing");
        let err: anyhow::Error = FlError::io(IoAction::Write, "/x/y", cause, "fix it").into();
        let shown = format!("{err:#}");
        assert_eq!(shown.matches("no such thing").count(), 1, "{shown}");
        assert!(shown.ends_with("; fix it"), "{shown}");
        assert_eq!(exit_code(&err), EXIT_IO);
    }
}
