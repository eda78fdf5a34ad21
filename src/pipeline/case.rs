//! Measuring one case: prepare → run once → verify against the CPU → calibrate, warm up, sample
//! → statistics and throughput.

use crate::device::{prepare_verified, sample_case, Bench, Device, Verified};
use crate::measure::{SamplingPolicy, Stats};
use crate::report::{CaseResult, Throughput};
use crate::workloads::{KernelConfig, Workload};
use anyhow::Result;
use std::sync::atomic::AtomicBool;

/// A measured case and its bench (kept for the energy window).
pub struct Measured<'d> {
    pub result: CaseResult,
    pub bench: Box<dyn Bench + 'd>,
}

/// Prepares, verifies and samples `w` with `kernel` on `dev`. `reproduce` is the command that
/// re-runs it. A case that fails verification is still sampled (and marked invalid by the run).
/// Once `stop` is set, sampling ends after the batch in flight with
/// [`crate::measure::Stopped`]: the case has no measurement.
pub fn measure<'d>(
    dev: &'d dyn Device,
    w: &dyn Workload,
    kernel: &KernelConfig,
    seed: u64,
    (policy, stop): (&SamplingPolicy, &AtomicBool),
    reproduce: String,
) -> Result<Measured<'d>> {
    let Verified {
        bench,
        verification,
    } = prepare_verified(dev, w, seed, kernel)?;
    let (sampled, timing_method) = sample_case(bench.as_ref(), w, policy, stop)?;
    let stats = Stats::from_samples(&sampled.samples_ns);
    let throughput = throughput(w.flops(), w.min_bytes(), stats.median_ns);
    Ok(Measured {
        result: CaseResult {
            id: w.id(),
            workload: w.kind(),
            dtype: w.dtype(),
            shape: w.shape(),
            kernel: kernel.clone(),
            flops_per_dispatch: w.flops(),
            min_bytes_per_dispatch: w.min_bytes(),
            timing_method,
            dispatches_per_sample: sampled.dispatches_per_sample,
            warmup_samples: sampled.warmup_samples,
            input_copies: bench.input_copies(),
            samples_ns: sampled.samples_ns,
            stats,
            throughput,
            verification,
            energy: None,
            cost: None,
            reproduce,
        },
        bench,
    })
}

/// Throughput from counted work and the median time per dispatch. Roofline shares are filled
/// in once the run's ceilings are known.
pub fn throughput(flops: f64, bytes: f64, median_ns: f64) -> Throughput {
    let s = median_ns * 1e-9;
    Throughput {
        flop_per_s: flops / s,
        bytes_per_s: bytes / s,
        arithmetic_intensity: if bytes > 0.0 { flops / bytes } else { 0.0 },
        pct_of_roofline: None,
        pct_of_measured_peak: None,
        pct_of_measured_bandwidth: None,
        of_spec: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throughput_from_work_and_time() {
        // 2·512³ FLOPs in 50 ms = 5.37 GFLOP/s.
        let t = throughput(2.0 * 512f64.powi(3), 3.0 * 512.0 * 512.0 * 4.0, 50e6);
        assert!((t.flop_per_s - 5.368_709_12e9).abs() < 1e3);
        assert!((t.arithmetic_intensity - 2.0 * 512.0 / 12.0).abs() < 1e-9);
    }
}
