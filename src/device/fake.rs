//! A deterministic fake device: whole runs (planning, tuning, verification, sampling, energy,
//! reports) without a GPU driver. Enabled by `--adapter fake` with
//! [`super::FAKE_DEVICE_ENV`] set; the hidden switch keeps it out of users' way.
//!
//! What it computes: each dispatch takes the roofline time of the case,
//! `max(flops / peak(dtype), min_bytes / bandwidth)`, times a per-kernel factor in 1.00–1.15
//! (so tuning has something to choose), with ±1 % seeded noise and a 50 µs submit overhead per
//! batch. Verification folds seeded synthetic element checks through the same
//! [`crate::workloads::verify::summarize`] as real cases; the cases named in
//! [`FAIL_CASES_ENV`] produce wrong output and fail it.

use super::{Bench, Device};
use crate::gpu::info::{AdapterInfo, ComputeLimits, DeviceKind};
use crate::measure::mock::MockExecutor;
use crate::measure::{BatchTiming, Executor, TimingMethod};
use crate::power::LoadDriver;
use crate::rng::SplitMix64;
use crate::workloads::kind::Dtype;
use crate::workloads::verify::{summarize, Check, UNIT_ROUNDOFF_F32};
use crate::workloads::{KernelConfig, Verification, Workload};
use anyhow::Result;
use std::time::Duration;

/// The `--adapter` value that selects the fake device (when enabled).
pub const ADAPTER_NAME_FLAG: &str = "fake";
/// Comma-separated case ids whose output the fake device gets wrong (verification fails).
pub const FAIL_CASES_ENV: &str = "FLOPLEDGER_FAKE_FAIL";
/// Simulated f32 peak, FLOP/s.
pub const PEAK_F32_FLOP_PER_S: f64 = 1e12;
/// Simulated memory bandwidth, bytes/s.
pub const BANDWIDTH_BYTES_PER_S: f64 = 100e9;
/// Simulated submit and read-back overhead per batch, ns.
const OVERHEAD_NS: f64 = 50_000.0;
/// Relative noise of one sample.
const NOISE: f64 = 0.01;
/// Synthetic elements checked per verification.
const CHECKED_ELEMENTS: usize = 64;

/// How the fake device spends host time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FakeMode {
    /// Timings are synthetic and cost no host time: runs finish at once.
    Instant,
    /// Every batch also sleeps for its simulated wall time (for tests that interrupt a run).
    Realtime,
}

/// The mode [`super::FAKE_DEVICE_ENV`] asks for, `None` when unset or empty.
pub fn mode_from_env() -> Option<FakeMode> {
    match std::env::var(super::FAKE_DEVICE_ENV).ok()?.as_str() {
        "" | "0" => None,
        "realtime" => Some(FakeMode::Realtime),
        _ => Some(FakeMode::Instant),
    }
}

/// The fake device.
pub struct FakeDevice {
    info: AdapterInfo,
    mode: FakeMode,
    fail_cases: Vec<String>,
    /// Factor on the dispatch time of every case prepared from now on (1: as simulated).
    slowdown: std::cell::Cell<f64>,
}

impl FakeDevice {
    /// A fake device; the failing cases are read from [`FAIL_CASES_ENV`].
    pub fn new(mode: FakeMode) -> Self {
        let fail_cases = std::env::var(FAIL_CASES_ENV)
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        Self {
            info: fake_info(),
            mode,
            fail_cases,
            slowdown: std::cell::Cell::new(1.0),
        }
    }

    /// Cases prepared from now on run `factor` times slower: a machine whose speed drifts
    /// during a run (for tests of what the run does about it).
    pub fn set_slowdown(&self, factor: f64) {
        self.slowdown.set(factor);
    }
}

/// What the fake device reports about itself: a CPU-class adapter (so suites pick small shapes)
/// with every feature flopledger's kernels use.
pub fn fake_info() -> AdapterInfo {
    AdapterInfo {
        index: 0,
        name: "flopledger fake device".into(),
        vendor_id: 0,
        device_id: 0,
        device_kind: DeviceKind::Cpu,
        backend: crate::gpu::Backend::Vulkan,
        driver: "fake".into(),
        driver_info: "deterministic, no GPU".into(),
        pci_bus_id: None,
        timestamp_query: true,
        shader_f16: true,
        subgroup: true,
        subgroup_min_size: 8,
        subgroup_max_size: 8,
        wgsl_language_features: vec!["packed_4x8_integer_dot_product".into()],
        cooperative_matrix: vec![],
        last_level_cache: None,
        limits: ComputeLimits {
            max_buffer_size: 1 << 31,
            max_storage_buffer_binding_size: 1 << 31,
            max_storage_buffers_per_shader_stage: 8,
            max_compute_workgroup_storage_size: 32768,
            max_compute_invocations_per_workgroup: 1024,
            max_compute_workgroup_size_x: 1024,
            max_compute_workgroup_size_y: 1024,
            max_compute_workgroup_size_z: 64,
            max_compute_workgroups_per_dimension: 65535,
        },
    }
}

/// Simulated peak of a dtype, FLOP/s (f16 twice f32, int8 dot products four times).
fn peak_flop_per_s(dtype: Dtype) -> f64 {
    match dtype {
        Dtype::F16 => 2.0 * PEAK_F32_FLOP_PER_S,
        Dtype::I8 | Dtype::Q8_0 => 4.0 * PEAK_F32_FLOP_PER_S,
        Dtype::F32 => PEAK_F32_FLOP_PER_S,
    }
}

impl Device for FakeDevice {
    fn info(&self) -> &AdapterInfo {
        &self.info
    }

    fn prepare<'d>(
        &'d self,
        w: &dyn Workload,
        seed: u64,
        kernel: &KernelConfig,
    ) -> Result<Box<dyn Bench + 'd>> {
        let id = w.id();
        let kernel_key = serde_json::to_string(kernel)?;
        let kernel_factor =
            1.0 + (SplitMix64::for_stream(0, &kernel_key).next_u64() % 16) as f64 / 100.0;
        let roofline_ns = (w.flops() / peak_flop_per_s(w.dtype()))
            .max(w.min_bytes() / BANDWIDTH_BYTES_PER_S)
            * 1e9;
        Ok(Box::new(FakeBench {
            mode: self.mode,
            wrong: self.fail_cases.contains(&id),
            stream: format!("{id}/{kernel_key}"),
            seed,
            dispatch_ns: roofline_ns.max(1.0) * kernel_factor * self.slowdown.get(),
            reduction_len: w.flops().max(1.0).log2().max(1.0),
        }))
    }
}

/// A case on the fake device.
struct FakeBench {
    mode: FakeMode,
    wrong: bool,
    stream: String,
    seed: u64,
    dispatch_ns: f64,
    reduction_len: f64,
}

impl Bench for FakeBench {
    fn verify(&self) -> Result<Verification> {
        let mut rng = SplitMix64::for_stream(self.seed, &self.stream);
        let bound = 4.0 * self.reduction_len * UNIT_ROUNDOFF_F32;
        let checks: Vec<Check> = (0..CHECKED_ELEMENTS)
            .map(|_| {
                let want = f64::from(rng.next_f32_signed());
                let err = if self.wrong { 1.0 } else { bound * 0.25 };
                Check {
                    got: want + err,
                    want,
                    bound,
                }
            })
            .collect();
        Ok(summarize(
            checks,
            format!("all {CHECKED_ELEMENTS} elements (fake device)"),
        ))
    }

    fn executor(&self) -> Box<dyn Executor + '_> {
        let mock = MockExecutor::new(self.dispatch_ns).with_noise(
            NOISE,
            SplitMix64::for_stream(self.seed, &self.stream).next_u64(),
        );
        let mut mock = mock;
        mock.overhead_ns = OVERHEAD_NS;
        Box::new(FakeExecutor {
            mock,
            mode: self.mode,
        })
    }

    fn load(&self, repeats: u32) -> Box<dyn LoadDriver + '_> {
        Box::new(FakeLoad {
            dispatch_ns: self.dispatch_ns,
            repeats,
        })
    }
}

/// The mock executor, sleeping for each batch's wall time in [`FakeMode::Realtime`].
struct FakeExecutor {
    mock: MockExecutor,
    mode: FakeMode,
}

impl Executor for FakeExecutor {
    fn run_batch(&mut self, dispatches: u32) -> Result<BatchTiming> {
        let t = self.mock.run_batch(dispatches)?;
        if self.mode == FakeMode::Realtime {
            std::thread::sleep(Duration::from_secs_f64(t.wall_ns * 1e-9));
        }
        Ok(t)
    }

    fn timing_method(&self) -> TimingMethod {
        TimingMethod::Device
    }
}

/// An energy-window load: sleeps for the window and counts the dispatches it stands for.
struct FakeLoad {
    dispatch_ns: f64,
    repeats: u32,
}

impl LoadDriver for FakeLoad {
    fn run_for(&mut self, seconds: f64) -> Result<u64> {
        std::thread::sleep(Duration::from_secs_f64(seconds.max(0.0)));
        let per_submit_s = self.dispatch_ns * 1e-9 * f64::from(self.repeats.max(1));
        let submits = (seconds / per_submit_s.max(1e-9)).ceil().max(1.0) as u64;
        Ok(submits * u64::from(self.repeats.max(1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workloads::gemm::Gemm;

    #[test]
    fn timings_follow_the_roofline_and_wrong_cases_fail_verification() {
        let dev = FakeDevice {
            info: fake_info(),
            mode: FakeMode::Instant,
            fail_cases: vec!["gemm-f32-64x64x64".into()],
            slowdown: std::cell::Cell::new(1.0),
        };
        let big = Gemm::new(256, 256, 256);
        let kernel = big.default_kernel(dev.info());
        let bench = dev.prepare(&big, 1, &kernel).unwrap();
        assert!(bench.verify().unwrap().pass);
        let t = bench.executor().run_batch(10).unwrap();
        // 2·256³ FLOP at 1 TFLOP/s = 33.6 µs per dispatch, times a kernel factor of 1.00–1.15.
        let per = t.elapsed_ns / 10.0;
        assert!((33_554.0 * 0.98..33_554.0 * 1.17).contains(&per), "{per}");
        let small = Gemm::new(64, 64, 64);
        let bench = dev.prepare(&small, 1, &kernel).unwrap();
        assert!(!bench.verify().unwrap().pass);
    }
}
