//! The fleet analysis: for each chip model and case, the distribution over GPUs (each GPU's
//! latest result), each GPU's robust z-score against its peers and its share of the chip's
//! spec, verdicts with reasons, each node's weakest GPU and the capacity lost to slow GPUs.
//! Pure computation over [`GpuResult`] rows, one (chip, case) group at a time
//! ([`super::analyser`]); grading one result lives in [`super::grade`], rendering in `render`.

use super::analyser::Analyser;
use super::query::GpuResult;
use super::thresholds::{Distribution, Status, Thresholds};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One (chip, case) group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseGroup {
    pub chip: String,
    pub case_id: String,
    /// The workload id (`gemm`, `gemv`, …) as the ledger holds it.
    pub workload: String,
    /// `FLOP/s`, or `B/s` for cases that count no FLOPs (copies).
    pub unit: String,
    /// GPUs with a result, and how many of them failed verification.
    pub gpus: usize,
    pub failed_verification: usize,
    /// Over verified results only.
    pub throughput: Option<Distribution>,
    pub flop_per_j: Option<Distribution>,
    /// The energy grades behind `flop_per_j`, best first (`B`, or `A–D` where the GPUs' figures
    /// mix a measured counter with a nominal power): a median over GPUs had no grade.
    #[serde(default)]
    pub flop_per_j_grades: Option<String>,
    /// Median share of the chip's spec roofline (catalog), percent.
    pub median_pct_of_spec: Option<f64>,
}

/// One GPU's result in one case, graded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GpuCase {
    pub chip: String,
    pub case_id: String,
    pub gpu_key: String,
    pub node: String,
    pub job_id: Option<String>,
    pub task_id: Option<String>,
    pub started_at: String,
    pub verified: bool,
    pub throughput: f64,
    /// `FLOP/s`, or `B/s` for cases that count no FLOPs.
    pub unit: String,
    /// throughput / peers' median.
    pub ratio_to_median: Option<f64>,
    pub z: Option<f64>,
    pub pct_of_spec: Option<f64>,
    pub flop_per_j: Option<f64>,
    pub energy_grade: Option<String>,
    pub energy_z: Option<f64>,
    pub status: Status,
    pub reasons: Vec<String>,
    pub report_path: String,
}

/// One GPU over all its cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GpuVerdict {
    pub gpu_key: String,
    pub node: String,
    pub chip: String,
    pub job_id: Option<String>,
    pub task_id: Option<String>,
    pub status: Status,
    /// Mean of throughput / peers' median over its graded cases.
    pub mean_ratio: Option<f64>,
    pub reasons: Vec<String>,
    /// Whether any of its cases failed verification (for `money`; not in the JSON, where its
    /// cases say it).
    #[serde(skip)]
    pub failed_verification: bool,
    /// Throughput / peers' median in its chip's best GEMM case ([`is_capacity_case`]), if it
    /// has a graded result there (for `money`; not in the JSON).
    #[serde(skip)]
    pub best_gemm_ratio: Option<f64>,
}

/// Capacity lost by one chip model's GPUs, all cases (in dollars: `money`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapacityLoss {
    pub chip: String,
    pub gpus: usize,
    /// Σ over GPUs of max(0, 1 − ratio), averaged over cases: whole GPUs' worth of throughput
    /// the fleet lacks against every GPU performing at the median.
    pub gpu_equivalents_lost: f64,
}

/// The analysed fleet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FleetAnalysis {
    pub thresholds: Thresholds,
    pub rules: String,
    pub groups: Vec<CaseGroup>,
    /// Every graded case, in chip, case and GPU order, when the analysis kept them (the
    /// in-memory [`analyse`], and the fleet report of at most
    /// [`super::render::MAX_GPUS_LISTED`] GPUs); empty when the report streams them from the
    /// ledger instead (`super::ledger_cases`).
    pub cases: Vec<GpuCase>,
    pub gpus: Vec<GpuVerdict>,
    /// Each node's weakest GPU (lowest mean ratio).
    pub weakest_per_node: Vec<GpuVerdict>,
    pub capacity: Vec<CapacityLoss>,
}

/// Whether `group` measures its chip's capacity: a GEMM case (the WGSL one or the tensor-core
/// one) with a distribution. The best such case (highest median) is the chip's capacity in
/// `money`.
pub fn is_capacity_case(group: &CaseGroup) -> Option<Distribution> {
    group.throughput.filter(|_| {
        crate::workloads::WorkloadKind::from_id(&group.workload).is_some_and(|k| k.is_gemm())
    })
}

/// Analyses the latest results (sorted by chip, case, GPU as `query::latest_results` gives them),
/// keeping every graded case.
pub fn analyse(results: Vec<GpuResult>, th: &Thresholds) -> FleetAnalysis {
    // Dense GPU indices in (chip, GPU key) order.
    let mut index: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for r in &results {
        index.insert((&r.chip, &r.gpu_key), 0);
    }
    for (i, v) in index.values_mut().enumerate() {
        *v = i;
    }
    let mut analyser = Analyser::new(th.clone(), index.len(), true);
    for chunk in results.chunk_by(|a, b| a.chip == b.chip && a.case_id == b.case_id) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|r| r.as_ref(index[&(r.chip.as_str(), r.gpu_key.as_str())]))
            .collect();
        analyser.add_group(&rows);
    }
    analyser.finish()
}
