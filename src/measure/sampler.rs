//! Warm-up, calibration and sampling of one case.
//!
//! 1. **Calibrate**: grow the dispatches per sample until one sample lasts at least
//!    [`SamplingPolicy::target_sample_ns`], so submit overhead and timer resolution are small
//!    against it.
//! 2. **Warm up** at that size until two consecutive samples agree within
//!    [`SamplingPolicy::plateau_tolerance`] (clocks ramped, caches and pipelines warm), or the
//!    warm-up budget is spent.
//! 3. **Sample** until at least `min_samples` samples and either `min_time` has passed or the
//!    95 % confidence interval of the median is within `target_rel_ci`; stop at `max_time`
//!    whatever the state.
//!
//! Time budgets are charged with host wall time ([`BatchTiming::wall_ns`]); samples hold the
//! executor's own measurement per dispatch ([`BatchTiming::elapsed_ns`] / dispatches).
//!
//! A stop request (the run's signal flag) is read after every batch, in all three phases: the
//! case ends with [`Stopped`] within one batch, not at its stop rule (a case of one long
//! dispatch per sample takes at least six: a helper's attention case at sequence length 100,000
//! ran 474 s after its estimate of 1.5 s, and a Ctrl-C waited for all of them).

use super::executor::Executor;
use super::stats::median_ci_rel_halfwidth;
use anyhow::Result;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Sampling ended by a stop request before the case reached its stop rule: it has no
/// measurement to keep.
#[derive(Debug, thiserror::Error)]
#[error("stopped by a signal while it was measured")]
pub struct Stopped;

/// A stop flag nothing ever sets: sampling that runs to its stop rule (the tuner's short
/// samplings, bounded by its own budget, and tests).
pub static NEVER_STOP: AtomicBool = AtomicBool::new(false);

/// Thresholds of warm-up, calibration and stopping.
#[derive(Debug, Clone, PartialEq)]
pub struct SamplingPolicy {
    pub min_time: Duration,
    pub max_time: Duration,
    pub min_samples: usize,
    pub max_samples: usize,
    /// Target relative half-width of the median's 95 % confidence interval.
    pub target_rel_ci: f64,
    /// Length one sample should reach, in nanoseconds.
    pub target_sample_ns: f64,
    pub max_dispatches_per_sample: u32,
    /// Two consecutive warm-up samples within this relative difference end warm-up.
    pub plateau_tolerance: f64,
    /// Warm-up budget as a share of `max_time`.
    pub warmup_share: f64,
    pub min_warmup_samples: u32,
    /// Device time, in nanoseconds, warm-up lasts at least (within its budget): long enough
    /// for a GPU that idled (while a candidate compiled) to raise its clocks, whatever two
    /// consecutive samples say. 0 by default.
    pub min_warmup_ns: f64,
}

/// Default minimum samples per case.
pub const MIN_SAMPLES: usize = 10;
/// Default target relative CI half-width of the median (1 %).
pub const TARGET_REL_CI: f64 = 0.01;
/// Default length of one sample: 20 ms dwarfs submit overhead (~10–100 µs) and timer ticks.
pub const TARGET_SAMPLE_NS: f64 = 20e6;
/// The most samples one case keeps: a report holding more was not written by a run.
pub const MAX_SAMPLES: usize = 100_000;
/// The fewest samples one case keeps: sampling stopped by `max_time` goes on to this many. A
/// report holding fewer was not written by a run.
pub const MIN_KEPT_SAMPLES: usize = 3;

/// Consecutive warm-up samples within 3 % of each other mean the timings have plateaued.
pub const PLATEAU_TOLERANCE: f64 = 0.03;

impl SamplingPolicy {
    pub fn new(min_time: Duration, max_time: Duration) -> Self {
        Self {
            min_time,
            max_time: max_time.max(min_time),
            min_samples: MIN_SAMPLES,
            max_samples: MAX_SAMPLES,
            target_rel_ci: TARGET_REL_CI,
            target_sample_ns: TARGET_SAMPLE_NS,
            max_dispatches_per_sample: 4096,
            plateau_tolerance: PLATEAU_TOLERANCE,
            warmup_share: 0.25,
            min_warmup_samples: 2,
            min_warmup_ns: 0.0,
        }
    }
}

/// Why sampling stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    MinTimeAndCount,
    TargetCi,
    MaxTime,
    MaxSamples,
}

/// The outcome of sampling one case.
#[derive(Debug, Clone, PartialEq)]
pub struct Sampled {
    pub dispatches_per_sample: u32,
    pub warmup_samples: u32,
    /// Per-dispatch times in nanoseconds, in measurement order.
    pub samples_ns: Vec<f64>,
    pub stop: StopReason,
    /// Host wall time spent, nanoseconds.
    pub wall_ns: f64,
}

/// Calibrates, warms up and samples `exec` under `policy`; ends with [`Stopped`] after the
/// batch in flight once `stop` is set.
pub fn sample(
    exec: &mut dyn Executor,
    policy: &SamplingPolicy,
    stop: &AtomicBool,
) -> Result<Sampled> {
    let max_ns = policy.max_time.as_nanos() as f64;
    let min_ns = policy.min_time.as_nanos() as f64;
    let mut wall = 0.0;
    let mut batch = |n: u32| {
        let t = exec.run_batch(n)?;
        if stop.load(Ordering::SeqCst) {
            return Err(anyhow::Error::new(Stopped));
        }
        Ok::<_, anyhow::Error>(t)
    };

    // Calibration: grow n geometrically toward the target sample length.
    let mut n: u32 = 1;
    loop {
        let t = batch(n)?;
        wall += t.wall_ns;
        if t.elapsed_ns >= policy.target_sample_ns
            || n >= policy.max_dispatches_per_sample
            || wall >= max_ns * policy.warmup_share
        {
            break;
        }
        let grow = (policy.target_sample_ns / t.elapsed_ns.max(1.0)).clamp(2.0, 64.0);
        n = ((f64::from(n) * grow).ceil() as u32).min(policy.max_dispatches_per_sample);
    }

    // Warm-up at the calibrated size until two consecutive samples agree.
    let warmup_budget = max_ns * policy.warmup_share;
    let mut warmup_samples = 0u32;
    let mut prev: Option<f64> = None;
    let mut warm_ns = 0.0;
    loop {
        let t = batch(n)?;
        wall += t.wall_ns;
        warm_ns += t.elapsed_ns;
        warmup_samples += 1;
        let per = t.elapsed_ns / f64::from(n);
        let plateau = prev.is_some_and(|p| ((per - p) / p).abs() <= policy.plateau_tolerance);
        prev = Some(per);
        let warm = warmup_samples >= policy.min_warmup_samples && warm_ns >= policy.min_warmup_ns;
        if (plateau && warm) || wall >= warmup_budget {
            break;
        }
    }

    // Sampling.
    let start_wall = wall;
    let mut samples = Vec::new();
    let stop = loop {
        let t = batch(n)?;
        wall += t.wall_ns;
        samples.push(t.elapsed_ns / f64::from(n));
        let spent = wall - start_wall;
        let enough = samples.len() >= policy.min_samples;
        if enough && spent >= min_ns {
            break StopReason::MinTimeAndCount;
        }
        if enough
            && median_ci_rel_halfwidth(&samples) <= policy.target_rel_ci
            && spent >= min_ns * 0.25
        {
            break StopReason::TargetCi;
        }
        if samples.len() >= policy.max_samples {
            break StopReason::MaxSamples;
        }
        if wall >= max_ns && samples.len() >= MIN_KEPT_SAMPLES {
            break StopReason::MaxTime;
        }
    };
    Ok(Sampled {
        dispatches_per_sample: n,
        warmup_samples,
        samples_ns: samples,
        stop,
        wall_ns: wall,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::mock::MockExecutor;

    fn policy(min_ms: u64, max_ms: u64) -> SamplingPolicy {
        SamplingPolicy::new(Duration::from_millis(min_ms), Duration::from_millis(max_ms))
    }

    #[test]
    fn calibrates_short_kernels_to_the_target_sample_length() {
        // 10 µs per dispatch: 20 ms needs 2000 dispatches.
        let mut exec = MockExecutor::new(10_000.0);
        let s = sample(&mut exec, &policy(200, 1000), &NEVER_STOP).unwrap();
        assert!(
            s.dispatches_per_sample >= 2000,
            "{}",
            s.dispatches_per_sample
        );
        assert!(s.samples_ns.iter().all(|&x| (x - 10_000.0).abs() < 1e-6));
    }

    #[test]
    fn long_kernels_use_one_dispatch() {
        let mut exec = MockExecutor::new(50e6);
        let s = sample(&mut exec, &policy(500, 2000), &NEVER_STOP).unwrap();
        assert_eq!(s.dispatches_per_sample, 1);
        assert!(s.samples_ns.len() >= 3);
    }

    #[test]
    fn warmup_waits_for_the_plateau_and_keeps_slow_samples_out() {
        // Starts 3× slower, steady after 8 batches.
        let mut exec = MockExecutor::new(25e6).with_warmup(3.0, 8);
        let s = sample(&mut exec, &policy(300, 5000), &NEVER_STOP).unwrap();
        assert!(
            s.warmup_samples >= 6,
            "warm-up ended early: {}",
            s.warmup_samples
        );
        let max = s.samples_ns.iter().cloned().fold(0.0, f64::max);
        assert!(
            max < 25e6 * 1.05,
            "a warm-up sample leaked into the data: {max}"
        );
    }

    #[test]
    fn a_minimum_warmup_outlasts_a_slow_ramp_that_looks_like_a_plateau() {
        // 1.5× slower at first, 1.25 % faster per batch for 40 batches: consecutive samples
        // agree within 3 %, so the plateau test alone ends warm-up at once.
        let slow_ramp = || MockExecutor::new(1e6).with_warmup(1.5, 40);
        let mut p = policy(300, 5000);
        let max = |s: &Sampled| s.samples_ns.iter().cloned().fold(0.0, f64::max);
        let hasty = sample(&mut slow_ramp(), &p, &NEVER_STOP).unwrap();
        assert!(
            max(&hasty) > 1.2e6,
            "the ramp should leak without a minimum"
        );
        p.min_warmup_ns = 1e9;
        let s = sample(&mut slow_ramp(), &p, &NEVER_STOP).unwrap();
        assert!(
            max(&s) < 1.01e6,
            "a ramp sample leaked into the data: {}",
            max(&s)
        );
    }

    #[test]
    fn stops_on_tight_confidence_interval_before_min_time() {
        let mut exec = MockExecutor::new(25e6).with_noise(0.001, 3);
        let s = sample(&mut exec, &policy(10_000, 60_000), &NEVER_STOP).unwrap();
        assert_eq!(s.stop, StopReason::TargetCi);
        assert!(s.samples_ns.len() >= MIN_SAMPLES);
    }

    #[test]
    fn noisy_kernel_runs_to_min_time_and_count() {
        let mut exec = MockExecutor::new(25e6).with_noise(0.3, 9);
        let s = sample(&mut exec, &policy(1000, 60_000), &NEVER_STOP).unwrap();
        assert_eq!(s.stop, StopReason::MinTimeAndCount);
        assert!(s.samples_ns.len() >= MIN_SAMPLES);
    }

    #[test]
    fn max_time_bounds_the_run() {
        // 400 ms per dispatch, max 1 s: stops after a few samples, never loops forever.
        let mut exec = MockExecutor::new(400e6).with_noise(0.3, 5);
        let s = sample(&mut exec, &policy(1000, 1000), &NEVER_STOP).unwrap();
        assert_eq!(s.stop, StopReason::MaxTime);
        assert!(s.samples_ns.len() >= MIN_KEPT_SAMPLES && s.samples_ns.len() < MIN_SAMPLES);
    }

    /// An executor that sets the stop flag during its `at`-th batch, as a signal would.
    struct SignalledAt<'a> {
        inner: MockExecutor,
        batches: u32,
        at: u32,
        flag: &'a AtomicBool,
    }

    impl Executor for SignalledAt<'_> {
        fn run_batch(&mut self, dispatches: u32) -> anyhow::Result<crate::measure::BatchTiming> {
            self.batches += 1;
            if self.batches == self.at {
                self.flag.store(true, Ordering::SeqCst);
            }
            self.inner.run_batch(dispatches)
        }
        fn timing_method(&self) -> crate::measure::TimingMethod {
            self.inner.timing_method()
        }
    }

    /// A stop request ends sampling after the batch in flight, in calibration, warm-up or
    /// sampling alike, with [`Stopped`]; a case of 400 ms dispatches asked for 60 s would
    /// otherwise run on to its stop rule.
    #[test]
    fn a_stop_request_ends_sampling_after_the_batch_in_flight() {
        for at in [1, 3, 8] {
            let flag = AtomicBool::new(false);
            let mut exec = SignalledAt {
                inner: MockExecutor::new(400e6),
                batches: 0,
                at,
                flag: &flag,
            };
            let err = sample(&mut exec, &policy(60_000, 120_000), &flag).unwrap_err();
            assert!(err.downcast_ref::<Stopped>().is_some(), "{err:#}");
            assert_eq!(exec.batches, at);
        }
    }
}
