//! Warm-up, calibration, sampling and statistics.

pub mod executor;
pub mod mock;
pub mod sampler;
pub mod stats;

pub use executor::{BatchTiming, Executor, TimingMethod};
pub use sampler::{sample, Sampled, SamplingPolicy, StopReason, Stopped, NEVER_STOP};
pub use stats::Stats;
