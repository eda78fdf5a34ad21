//! What a run tells its caller while it runs; the command decides how to show it (progress bar,
//! `warning:` lines on stderr).

/// One thing that happened during a run.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Case `index` (0-based) of `total` starts.
    CaseStarted {
        index: usize,
        total: usize,
        id: String,
    },
    /// A ceiling case is measured again after every other case (see `pipeline/recheck.rs`).
    Recheck { id: String },
    /// The adapter's fixed cost of a dispatch is timed after the rechecks (`pipeline/floor.rs`).
    Floor { id: String },
    /// The case's energy window starts.
    Energy { id: String },
    /// The case failed verification; it is kept, marked invalid.
    Invalid {
        id: String,
        max_abs_err: f64,
        tolerance: f64,
    },
    /// Something the user should know (also recorded in the report where it concerns it).
    Warning(String),
    /// Every case was handled (or the run was interrupted); analysis follows.
    Measured,
}
