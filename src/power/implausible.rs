//! Why an energy trial or a stretch of sensor samples cannot be believed. A trial judged
//! implausible is discarded and the reason is listed among the energy caveats.

use thiserror::Error;

/// Why sensor samples give no believable energy.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum Implausible {
    /// An energy counter decreased and the source knows no range it wraps at.
    #[error("counter went back from {from_uj} to {to_uj} µJ with no known wrap range")]
    CounterWentBack { from_uj: u64, to_uj: u64 },
    /// A power sensor read below zero.
    #[error("negative power reading ({0} W, {1} W)")]
    NegativePower(f64, f64),
    /// Some samples hold an energy counter and others a power reading.
    #[error("samples mix counter and power reads")]
    MixedSamples,
    /// One step holds more energy than the device can draw in that time.
    #[error(
        "step of {step_j:.3} J in {step_ms:.1} ms implies {implied_w:.0} W (> {max_w:.0} W possible)"
    )]
    StepTooLarge {
        step_j: f64,
        step_ms: f64,
        implied_w: f64,
        max_w: f64,
    },
    /// No sensor update around an edge of the window.
    #[error("no sensor update around t = {0:.3} s: the sensor stopped updating")]
    SensorStopped(f64),
    /// The window's energy is zero or negative.
    #[error("no energy counted in the window: the sensor did not advance")]
    NoEnergyCounted,
    /// Fewer than two distinct sensor values while sampling.
    #[error("the sensor did not update while sampled")]
    NoUpdates,
    /// More than half of the reads failed.
    #[error("the sensor failed {failed} of {reads} reads")]
    ReadFailures { failed: usize, reads: usize },
    /// The window's average power is above what the device can draw.
    #[error("average {avg_w:.0} W exceeds the {max_w:.0} W the device can draw")]
    AboveMaxPower { avg_w: f64, max_w: f64 },
}
