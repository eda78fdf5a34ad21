//! The report: one serde tree, the single source of truth that every exporter formats.
//!
//! Bump [`SCHEMA_VERSION`] whenever a field is renamed, removed or changes meaning; the JSON
//! contract test (`tests/report_contract.rs`) fails until you do.

use crate::config::Plan;
use crate::economics::types::{CaseCost, DepreciationOutlook, RunEconomics};
use crate::gpu::info::AdapterInfo;
use crate::identity::{HostInfo, RunIdentity};
use crate::measure::stats::Stats;
use crate::power::types::{CaseEnergy, PowerSelection};
use crate::workloads::kind::{Dtype, Shape, WorkloadKind};
use crate::workloads::presets::Phase;

// Types shared with lower layers live there; re-exported so `report::*` keeps offering them.
pub use super::spec::{SpecFigure, SpecShare};
pub use crate::measure::TimingMethod;
pub use crate::tune::{CandidateScore, TuneRecord};
pub use crate::workloads::{KernelConfig, Verification};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the report's JSON layout. 2: `identity` (GPU UUID/PCI bus id/driver, scheduler
/// job and task ids) added.
pub const SCHEMA_VERSION: u32 = 2;

/// The oldest schema version this build still reads. Version 1 lacks `identity` (read as
/// empty); nothing else changed from 1 to 2.
pub const OLDEST_READABLE_SCHEMA_VERSION: u32 = 1;

/// The tool that wrote the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
    /// `git rev-parse HEAD` of the source tree at build time, when known.
    pub git_commit: Option<String>,
}

/// Achieved throughput of a case, from its work and its median time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Throughput {
    /// flops_per_dispatch / median time.
    pub flop_per_s: f64,
    /// min_bytes_per_dispatch / median time.
    pub bytes_per_s: f64,
    /// flops_per_dispatch / min_bytes_per_dispatch (FLOP/byte).
    pub arithmetic_intensity: f64,
    /// Percentages (0–100, not fractions) below.
    /// Achieved FLOP/s as a share of the roofline bound min(compute, AI × bandwidth), when the
    /// run measured both ceilings.
    pub pct_of_roofline: Option<f64>,
    /// Achieved FLOP/s as a share of the measured peak-fma ceiling of the same dtype.
    pub pct_of_measured_peak: Option<f64>,
    /// Achieved bytes/s as a share of the measured stream bandwidth ceiling.
    pub pct_of_measured_bandwidth: Option<f64>,
    /// The case against the matched catalog chip's spec sheet: the peak of the units it runs
    /// on, or the memory bandwidth; absent without a chip, a figure, or a comparable one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of_spec: Option<SpecShare>,
}

/// One measured case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseResult {
    /// Stable id, e.g. `gemm-f32-512x512x512`.
    pub id: String,
    pub workload: WorkloadKind,
    pub dtype: Dtype,
    pub shape: Shape,
    pub kernel: KernelConfig,
    /// Floating-point (or integer) operations of one dispatch, counted as in DESIGN §3.
    pub flops_per_dispatch: f64,
    /// Minimum bytes one dispatch must move to and from memory.
    pub min_bytes_per_dispatch: f64,
    pub timing_method: TimingMethod,
    /// Dispatches recorded back to back in one sample.
    pub dispatches_per_sample: u32,
    /// Warm-up samples run before measuring.
    pub warmup_samples: u32,
    /// Copies of the read-only inputs (GEMV weights, decode KV cache) the runs rotate over so
    /// that each reads them from memory, not cache (docs/method.md step 10); 1: one copy.
    /// Reports written before this field read as 1.
    #[serde(default = "one_copy")]
    pub input_copies: u32,
    /// Raw samples: time per dispatch in nanoseconds, in the order measured.
    pub samples_ns: Vec<f64>,
    pub stats: Stats,
    pub throughput: Throughput,
    pub verification: Verification,
    pub energy: Option<CaseEnergy>,
    pub cost: Option<CaseCost>,
    /// Command that re-runs just this case.
    pub reproduce: String,
}

fn one_copy() -> u32 {
    1
}

impl CaseResult {
    pub fn valid(&self) -> bool {
        self.verification.pass
    }

    /// Its energy record where that holds a usable (finite, positive) average power.
    pub fn measured_energy(&self) -> Option<&CaseEnergy> {
        self.energy
            .as_ref()
            .filter(|e| e.avg_watts.is_finite() && e.avg_watts > 0.0)
    }
}

/// The fastest of `cases` by FLOP/s, and the case whose energy figure stands for it: its own
/// where it had energy trials, else the fastest of `cases` that had (a run's energy budget
/// measures the largest case of each workload kind, not the fastest), else none.
pub fn fastest_with_energy<'a>(
    cases: &[&'a CaseResult],
) -> Option<(&'a CaseResult, Option<&'a CaseResult>)> {
    let fastest = |it: &mut dyn Iterator<Item = &'a CaseResult>| {
        it.max_by(|a, b| a.throughput.flop_per_s.total_cmp(&b.throughput.flop_per_s))
    };
    let best = fastest(&mut cases.iter().copied())?;
    let energy = if best.measured_energy().is_some() {
        Some(best)
    } else {
        fastest(
            &mut cases
                .iter()
                .copied()
                .filter(|c| c.measured_energy().is_some()),
        )
    };
    Some((best, energy))
}

/// A case that was planned but not run, with the reason (missing feature, limit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedCase {
    pub id: String,
    pub workload: WorkloadKind,
    pub dtype: Dtype,
    pub reason: String,
}

/// A measured ceiling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ceiling {
    pub dtype: Dtype,
    pub flop_per_s: f64,
    pub case_id: String,
}

impl Ceiling {
    /// The ceiling in its unit: integer operations (`OP/s`) for i8, `FLOP/s` otherwise.
    pub fn rate_text(&self) -> String {
        crate::units::si(self.flop_per_s, self.dtype.rate_unit())
    }
}

/// Roofline ceilings measured in the same run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Roofline {
    /// Each the faster of its case's measurement and that case's recheck, if any.
    pub compute: Vec<Ceiling>,
    /// As `compute`: the faster of the two measurements of the stream case.
    pub bandwidth_bytes_per_s: Option<f64>,
    pub bandwidth_case_id: Option<String>,
    /// The ceiling cases measured again after every other case (absent in reports before
    /// the recheck was added; empty where the run measured nothing but ceilings).
    #[serde(default)]
    pub rechecks: Vec<CeilingRecheck>,
    /// The adapter's fixed cost of one dispatch, measured at the end of the run (absent in
    /// reports before it was measured, and where the run was stopped early or measured
    /// nothing but ceilings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatch_floor: Option<DispatchFloor>,
}

/// The time of a dispatch that does almost nothing (a stream copy of a few KiB), timed like every
/// case: what any dispatch on this adapter costs however little it computes (launch, the
/// barrier between dispatches, on CPU adapters the hand-off to the worker threads). A case whose
/// time per dispatch is a small multiple of it cannot reach its ceiling by a better kernel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DispatchFloor {
    /// The case timed (e.g. `stream-copy-f32-n1024`).
    pub case_id: String,
    /// Its median time per dispatch, ns.
    pub median_ns: f64,
}

impl Roofline {
    /// The ids of the cases that set the compute and bandwidth ceilings.
    pub fn ceiling_case_ids(&self) -> impl Iterator<Item = &str> {
        self.compute
            .iter()
            .map(|c| c.case_id.as_str())
            .chain(self.bandwidth_case_id.as_deref())
    }

    /// The recheck of ceiling case `case_id`, if it was measured again.
    pub fn recheck(&self, case_id: &str) -> Option<&CeilingRecheck> {
        self.rechecks.iter().find(|r| r.case_id == case_id)
    }
}

/// A ceiling case (peak or stream) measured again, with the same kernel, after every other case
/// of the run. A machine's speed can drift during a run (other load, clocks, a shared VM); a
/// ceiling taken only at the start would then misstate every share of it, so the run uses the
/// faster of the two and warns when they differ much.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CeilingRecheck {
    pub case_id: String,
    /// The case's own median time per dispatch (measured in its place in the run), ns.
    pub first_median_ns: f64,
    /// Median time per dispatch of the recheck at the end of the run, ns.
    pub last_median_ns: f64,
}

impl CeilingRecheck {
    /// Speed at the end against the start: +0.5 is 50 % faster at the end.
    pub fn speed_change(&self) -> f64 {
        self.first_median_ns / self.last_median_ns - 1.0
    }

    /// The faster of the two medians, ns.
    pub fn best_median_ns(&self) -> f64 {
        self.first_median_ns.min(self.last_median_ns)
    }

    /// The two rates (start, end) of a ceiling whose faster rate is `best`.
    pub fn rates(&self, best: f64) -> (f64, f64) {
        let b = self.best_median_ns();
        (
            best * b / self.first_median_ns,
            best * b / self.last_median_ns,
        )
    }
}

/// Time of one operation of a model layer, from a measured case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpTime {
    pub op: String,
    pub case_id: String,
    /// How many times per forward pass the op runs (layers × per-layer count).
    pub count: u32,
    pub seconds_each: f64,
    /// How the measured shape relates to the model's (e.g. "measured at full size",
    /// "N scaled 1/4, time × 4").
    pub scaling: String,
}

/// Estimated tokens per second of a model preset on this adapter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PresetEstimate {
    pub model: String,
    pub phase: Phase,
    /// Prompt length (prefill) or context length (decode).
    pub tokens_context: u32,
    pub batch: u32,
    pub tokens_per_s: f64,
    pub seconds_per_step: f64,
    pub ops: Vec<OpTime>,
    /// What the estimate ignores (fusion, overlap, KV-cache layout, communication, …).
    pub ignores: Vec<String>,
    /// Ops that could not be measured, with the reason.
    pub skipped_ops: Vec<String>,
    /// $ per million tokens on each cost basis, when the run has cost inputs.
    pub usd_per_million_tokens: BTreeMap<String, f64>,
}

/// How the run ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunStatus {
    /// False while the run is in progress or if it was interrupted.
    pub complete: bool,
    pub cases_planned: usize,
    pub invalid_cases: Vec<String>,
}

/// The root of a report file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: ToolInfo,
    /// RFC 3339 start time.
    pub started_at: String,
    pub finished_at: Option<String>,
    pub command_line: Vec<String>,
    /// Command that reproduces the whole run.
    pub reproduce: String,
    pub plan: Plan,
    pub host: HostInfo,
    pub adapter: AdapterInfo,
    /// The GPU's own identity and the scheduler job/task (absent in schema version 1 reports).
    #[serde(default)]
    pub identity: RunIdentity,
    pub power: Option<PowerSelection>,
    pub roofline: Option<Roofline>,
    pub cases: Vec<CaseResult>,
    pub skipped: Vec<SkippedCase>,
    pub presets: Vec<PresetEstimate>,
    pub tuning: Vec<TuneRecord>,
    pub economics: Option<RunEconomics>,
    pub depreciation: Option<DepreciationOutlook>,
    pub status: RunStatus,
    /// Run-level warnings (software adapter, missing sensors, …).
    pub warnings: Vec<String>,
}
