//! Typed, user-fixable errors. Every message says what went wrong and what to do about it.

use thiserror::Error;

/// Errors the user can fix; each message names the fix.
#[derive(Debug, Error)]
pub enum FlError {
    #[error(
        "no GPU adapter found{detail}\n  fix: install a GPU driver with Vulkan, Metal or DX12 support; \
         on Linux without a GPU, `apt-get install mesa-vulkan-drivers` gives a software adapter \
         (lavapipe). `flopledger devices` lists what wgpu can see"
    )]
    NoAdapter { detail: String },

    #[error("{0}")]
    Usage(String),

    #[error("invalid input in {source_name}: {message}")]
    Input {
        source_name: String,
        message: String,
    },

    #[error("{0}")]
    Unsupported(String),
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
}

/// Exit status for an error that escaped to `main`: 2 for anything the user must fix
/// (input, flags, missing adapter, unsupported hardware), 1 otherwise.
pub fn exit_code(err: &anyhow::Error) -> i32 {
    if err.chain().any(|c| c.downcast_ref::<FlError>().is_some()) {
        2
    } else {
        1
    }
}

/// Exit status of a run whose report was written but holds invalid (failed-verification) cases.
pub const EXIT_INVALID_RESULTS: i32 = 1;
/// Exit status of `compare --baseline` when a significant regression was found.
pub const EXIT_REGRESSION: i32 = 1;
/// Exit status of `compare --baseline` when a report shares no valid case with the baseline:
/// nothing was compared, so the gate cannot pass (the same as a usage error: fix the inputs).
pub const EXIT_NOTHING_COMPARED: i32 = 2;
