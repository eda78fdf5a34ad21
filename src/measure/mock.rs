//! A deterministic executor for testing warm-up, calibration and stopping without a GPU.

use super::executor::{BatchTiming, Executor};
use crate::measure::TimingMethod;
use crate::rng::SplitMix64;

/// Simulates a kernel whose per-dispatch time starts `warmup_factor` times slower and decays to
/// `steady_ns` over `warmup_batches` batches, with multiplicative noise of ±`noise` and a fixed
/// per-batch overhead.
#[derive(Debug, Clone)]
pub struct MockExecutor {
    pub steady_ns: f64,
    pub warmup_factor: f64,
    pub warmup_batches: u32,
    pub noise: f64,
    pub overhead_ns: f64,
    pub batches: u32,
    pub dispatches_run: u64,
    rng: SplitMix64,
}

impl MockExecutor {
    pub fn new(steady_ns: f64) -> Self {
        Self {
            steady_ns,
            warmup_factor: 1.0,
            warmup_batches: 0,
            noise: 0.0,
            overhead_ns: 50_000.0,
            batches: 0,
            dispatches_run: 0,
            rng: SplitMix64::new(1),
        }
    }

    pub fn with_warmup(mut self, factor: f64, batches: u32) -> Self {
        self.warmup_factor = factor;
        self.warmup_batches = batches;
        self
    }

    pub fn with_noise(mut self, noise: f64, seed: u64) -> Self {
        self.noise = noise;
        self.rng = SplitMix64::new(seed);
        self
    }
}

impl Executor for MockExecutor {
    fn run_batch(&mut self, dispatches: u32) -> anyhow::Result<BatchTiming> {
        let slow = if self.batches < self.warmup_batches {
            let left =
                f64::from(self.warmup_batches - self.batches) / f64::from(self.warmup_batches);
            1.0 + (self.warmup_factor - 1.0) * left
        } else {
            1.0
        };
        self.batches += 1;
        self.dispatches_run += u64::from(dispatches);
        let jitter = 1.0 + self.noise * f64::from(self.rng.next_f32_signed());
        let elapsed_ns = self.steady_ns * slow * jitter * f64::from(dispatches);
        Ok(BatchTiming {
            elapsed_ns,
            wall_ns: elapsed_ns + self.overhead_ns,
        })
    }

    fn timing_method(&self) -> TimingMethod {
        TimingMethod::Device
    }
}
