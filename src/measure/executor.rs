//! The seam between measurement logic and the device: an [`Executor`] runs batches of
//! dispatches and says how long they took.

use serde::{Deserialize, Serialize};

/// Timing of one batch of back-to-back dispatches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchTiming {
    /// Time the batch took by the executor's timing method (device timestamps or host clock),
    /// in nanoseconds. This is what samples are made of.
    pub elapsed_ns: f64,
    /// Host wall time the batch cost including submit and read-back, in nanoseconds. Sampling
    /// budgets (`--min-time`, `--max-time`) are charged with this.
    pub wall_ns: f64,
}

/// Runs a prepared case. Implemented by the GPU executor and by [`super::mock::MockExecutor`].
pub trait Executor {
    /// Runs `dispatches` dispatches of the case back to back and times them.
    fn run_batch(&mut self, dispatches: u32) -> anyhow::Result<BatchTiming>;
    /// How `elapsed_ns` is measured.
    fn timing_method(&self) -> TimingMethod;
}

/// How a case's time was measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimingMethod {
    /// GPU timestamp queries at the start and end of the compute pass.
    Device,
    /// Host monotonic clock from submit to completion (includes submit overhead).
    Host,
}
