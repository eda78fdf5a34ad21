//! The device seam one level above the executor: a [`Device`] builds a workload's case, runs it
//! once, verifies it and hands out its executor and energy load. The GPU ([`crate::gpu::Gpu`])
//! implements it for real runs; [`fake::FakeDevice`] implements it deterministically so whole
//! runs (planning, tuning, verification, sampling, reports) are tested without a GPU driver.
//!
//! [`prepare_verified`] and [`sample_case`] are the one "prepare → run once → verify → sample"
//! path: runs, the tuner and the GPU tests all go through them.

pub mod fake;
mod real;

use crate::config::Plan;
use crate::gpu::info::{AdapterInfo, LastLevelCache};
use crate::measure::{sample, Executor, Sampled, SamplingPolicy, TimingMethod};
use crate::power::LoadDriver;
use crate::workloads::{KernelConfig, Verification, Workload};
use anyhow::Result;
use std::sync::atomic::AtomicBool;

/// A device that can build and run cases.
pub trait Device {
    /// What the device is, as `devices` lists it and reports record.
    fn info(&self) -> &AdapterInfo;
    /// Builds `w` with seeded inputs and `kernel` and runs it once (output ready to verify).
    fn prepare<'d>(
        &'d self,
        w: &dyn Workload,
        seed: u64,
        kernel: &KernelConfig,
    ) -> Result<Box<dyn Bench + 'd>>;
}

/// A case built on a device and run once.
pub trait Bench {
    /// Reads back the output of the last run and compares it with the CPU reference.
    fn verify(&self) -> Result<Verification>;
    /// The executor that times batches of this case.
    fn executor(&self) -> Box<dyn Executor + '_>;
    /// The case as the load of an energy window, `repeats` dispatches per submission.
    fn load(&self, repeats: u32) -> Box<dyn LoadDriver + '_>;
    /// Copies of its read-only inputs the case rotates over, one per run (1: none; see
    /// `workloads::cold`).
    fn input_copies(&self) -> u32 {
        1
    }
}

/// A case built, run once and verified.
pub struct Verified<'d> {
    pub bench: Box<dyn Bench + 'd>,
    pub verification: Verification,
}

/// Builds `w` on `dev` with `kernel`, runs it once and verifies its output.
pub fn prepare_verified<'d>(
    dev: &'d dyn Device,
    w: &dyn Workload,
    seed: u64,
    kernel: &KernelConfig,
) -> Result<Verified<'d>> {
    let bench = dev.prepare(w, seed, kernel)?;
    let verification = bench.verify()?;
    Ok(Verified {
        bench,
        verification,
    })
}

/// Calibrates, warms up and samples a verified case under `policy` (raised to the workload's
/// own minimum sample length) until its stop rule or `stop` (then [`crate::measure::Stopped`]);
/// returns the samples and how they were timed.
pub fn sample_case(
    bench: &dyn Bench,
    w: &dyn Workload,
    policy: &SamplingPolicy,
    stop: &AtomicBool,
) -> Result<(Sampled, TimingMethod)> {
    let mut policy = policy.clone();
    if let Some(ns) = w.min_sample_ns() {
        policy.target_sample_ns = policy.target_sample_ns.max(ns);
    }
    let mut exec = bench.executor();
    let sampled = sample(exec.as_mut(), &policy, stop)?;
    // Read after sampling: unusable timestamps switch the GPU executor to the host clock.
    let timing_method = exec.timing_method();
    Ok((sampled, timing_method))
}

/// Environment variable that enables the fake device (`--adapter fake`): `1` for instant
/// synthetic timings, `realtime` for timings that also take their time on the host clock.
pub const FAKE_DEVICE_ENV: &str = "FLOPLEDGER_FAKE_DEVICE";

/// The fake device's facts when the plan asks for it (`--adapter fake` with [`FAKE_DEVICE_ENV`]
/// set): what `run --list` and `--dry-run` plan against, as [`open`] would run on it.
pub fn fake_info_for(plan: &Plan) -> Option<AdapterInfo> {
    fake_mode_for(plan).map(|_| fake::fake_info())
}

/// The fake device's mode when the plan asks for it: `--adapter fake` and [`FAKE_DEVICE_ENV`].
fn fake_mode_for(plan: &Plan) -> Option<fake::FakeMode> {
    (plan.adapter.as_deref() == Some(fake::ADAPTER_NAME_FLAG))
        .then(fake::mode_from_env)
        .flatten()
}

/// Opens the plan's device: the adapter chosen by `--adapter`/`--backend`, or the fake device
/// when `--adapter fake` is given and [`FAKE_DEVICE_ENV`] is set. The only adapter-opening path
/// of a run. `cache` names a GPU's last-level cache (the command looks it up in the chip
/// catalog, which measurement never reads itself); CPU adapters read theirs from the host.
pub fn open(
    plan: &Plan,
    cache: &dyn Fn(&AdapterInfo) -> Option<LastLevelCache>,
) -> Result<Box<dyn Device>> {
    if let Some(mode) = fake_mode_for(plan) {
        return Ok(Box::new(fake::FakeDevice::new(mode)));
    }
    let mut found = pick(plan.adapter.as_deref(), plan.backend)?;
    found.info.last_level_cache = if found.info.is_software() {
        crate::workloads::stream::host_llc()
    } else {
        cache(&found.info)
    };
    let mut gpu = crate::gpu::Gpu::open(found)?;
    gpu.shader_checks = plan.shader_checks;
    Ok(Box::new(gpu))
}

/// Opens a real adapter by `--adapter` and `--backend` (both optional).
pub fn open_gpu(
    adapter: Option<&str>,
    backend: Option<crate::gpu::Backend>,
) -> Result<crate::gpu::Gpu> {
    crate::gpu::Gpu::open(pick(adapter, backend)?)
}

fn pick(
    adapter: Option<&str>,
    backend: Option<crate::gpu::Backend>,
) -> Result<crate::gpu::FoundAdapter> {
    let mut found = crate::gpu::enumerate();
    let infos: Vec<_> = found.iter().map(|f| f.info.clone()).collect();
    let idx = crate::gpu::choose(&infos, adapter, backend)?;
    if let Some(note) = crate::gpu::same_chip_note(&infos, idx, adapter, backend) {
        crate::term::note(&note);
    }
    Ok(found.swap_remove(idx))
}
