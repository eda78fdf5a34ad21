//! The fleet analysis: for each chip model and case, the distribution over GPUs (each GPU's
//! latest result), each GPU's robust z-score against its peers and its share of the chip's
//! spec, verdicts with reasons, each node's weakest GPU and the capacity lost to slow GPUs.
//! Pure computation over [`GpuResult`] rows; rendering lives in `render`.

use super::query::GpuResult;
use super::spec;
use super::thresholds::{Distribution, Status, Thresholds};
use crate::economics::catalog::Chip;
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
    pub cases: Vec<GpuCase>,
    pub gpus: Vec<GpuVerdict>,
    /// Each node's weakest GPU (lowest mean ratio).
    pub weakest_per_node: Vec<GpuVerdict>,
    pub capacity: Vec<CapacityLoss>,
}

/// The measure compared between peers: FLOP/s, or bytes/s for cases without FLOPs.
fn throughput(r: &GpuResult) -> (f64, &'static str) {
    if r.flop_per_s > 0.0 {
        (r.flop_per_s, "FLOP/s")
    } else {
        (r.bytes_per_s, "B/s")
    }
}

/// Grades one GPU's case against its group (`chip`: its catalog row, if any).
fn grade(r: GpuResult, group: &CaseGroup, chip: Option<&Chip>, th: &Thresholds) -> GpuCase {
    let (value, unit) = throughput(&r);
    let mut status = Status::Ok;
    let mut reasons = Vec::new();
    let (mut ratio, mut z, mut energy_z) = (None, None, None);
    if !r.verified {
        status = Status::Critical;
        reasons.push(format!(
            "{}: failed verification (wrong results: possible silent data corruption)",
            r.case_id
        ));
    } else if let Some(d) = group
        .throughput
        .filter(|d| d.n >= th.min_peers && d.median > 0.0)
    {
        let zz = d.robust_z(value, th.mad_floor_rel);
        let rr = value / d.median;
        let deficit = 1.0 - rr;
        let (s, limit) = if zz <= th.critical_z && deficit >= th.critical_deficit {
            (Status::Critical, th.critical_z)
        } else if zz <= th.warn_z && deficit >= th.warn_deficit {
            (Status::Warn, th.warn_z)
        } else {
            (Status::Ok, 0.0)
        };
        if s > Status::Ok {
            reasons.push(format!(
                "{}: {:.1} % below the median of {} {} GPUs ({} vs {} {unit}; robust z {:.1} ≤ {limit})",
                r.case_id,
                deficit * 100.0,
                d.n,
                r.chip,
                crate::units::si(value, ""),
                crate::units::si(d.median, ""),
                zz
            ));
        }
        status = status.max(s);
        ratio = Some(rr);
        z = Some(zz);
        if let (Some(e), Some(ed)) = (r.flop_per_j, group.flop_per_j) {
            if ed.n >= th.min_peers && ed.median > 0.0 {
                let ez = ed.robust_z(e, th.mad_floor_rel);
                energy_z = Some(ez);
                let edef = 1.0 - e / ed.median;
                if ez <= th.energy_z && edef >= th.energy_deficit {
                    status = status.max(Status::Warn);
                    reasons.push(format!(
                        "{}: FLOP/J {:.1} % below the peers' median (robust z {ez:.1}; power cap or throttling?)",
                        r.case_id,
                        edef * 100.0
                    ));
                }
            }
        }
    }
    GpuCase {
        pct_of_spec: spec::pct_of_spec(chip, &r.dtype, r.flop_per_s, r.bytes_per_s),
        chip: r.chip,
        case_id: r.case_id,
        gpu_key: r.gpu_key,
        node: r.node,
        job_id: r.job_id,
        task_id: r.task_id,
        started_at: r.started_at,
        verified: r.verified,
        throughput: value,
        unit: unit.into(),
        ratio_to_median: ratio,
        z,
        flop_per_j: r.flop_per_j,
        energy_grade: r.energy_grade,
        energy_z,
        status,
        reasons,
        report_path: r.path,
    }
}

/// Analyses the latest results (sorted by chip, case, GPU as `query::latest_results` gives them).
/// Takes them by value: each graded case keeps its result's strings rather than copying them
/// (a fleet of 10,000 GPUs has 320,000 results in the standard suite).
pub fn analyse(results: Vec<GpuResult>, th: &Thresholds) -> FleetAnalysis {
    // Each group with its catalog row and its number of results.
    let mut groups: Vec<(CaseGroup, Option<&'static Chip>, usize)> = Vec::new();
    let mut catalog_row: Option<(&str, Option<&'static Chip>)> = None;
    for chunk in results.chunk_by(|a, b| a.chip == b.chip && a.case_id == b.case_id) {
        let first = &chunk[0];
        let chip = match catalog_row {
            Some((name, row)) if name == first.chip => row,
            _ => {
                let row = spec::chip(&first.chip);
                catalog_row = Some((&first.chip, row));
                row
            }
        };
        let verified: Vec<&GpuResult> = chunk.iter().filter(|r| r.verified).collect();
        let values: Vec<f64> = verified.iter().map(|r| throughput(r).0).collect();
        let energy: Vec<f64> = verified.iter().filter_map(|r| r.flop_per_j).collect();
        let spec_pcts: Vec<f64> = verified
            .iter()
            .filter_map(|r| spec::pct_of_spec(chip, &r.dtype, r.flop_per_s, r.bytes_per_s))
            .collect();
        let group = CaseGroup {
            chip: first.chip.clone(),
            case_id: first.case_id.clone(),
            workload: first.workload.clone(),
            unit: throughput(first).1.into(),
            gpus: chunk.len(),
            failed_verification: chunk.len() - verified.len(),
            throughput: Distribution::of(&values),
            flop_per_j: Distribution::of(&energy),
            median_pct_of_spec: Distribution::of(&spec_pcts).map(|d| d.median),
        };
        groups.push((group, chip, chunk.len()));
    }
    let mut cases = Vec::with_capacity(results.len());
    let mut rest = results.into_iter();
    for (group, chip, n) in &groups {
        cases.extend(rest.by_ref().take(*n).map(|r| grade(r, group, *chip, th)));
    }
    let groups: Vec<CaseGroup> = groups.into_iter().map(|(g, _, _)| g).collect();
    let gpus = verdicts(&cases);
    FleetAnalysis {
        thresholds: th.clone(),
        rules: th.describe(),
        weakest_per_node: weakest(&gpus),
        capacity: capacity(&cases, &gpus),
        groups,
        cases,
        gpus,
    }
}

fn verdicts(cases: &[GpuCase]) -> Vec<GpuVerdict> {
    let mut by_gpu: BTreeMap<(&str, &str), Vec<&GpuCase>> = BTreeMap::new();
    for c in cases {
        by_gpu.entry((&c.chip, &c.gpu_key)).or_default().push(c);
    }
    by_gpu
        .into_values()
        .map(|cs| {
            let ratios: Vec<f64> = cs.iter().filter_map(|c| c.ratio_to_median).collect();
            GpuVerdict {
                gpu_key: cs[0].gpu_key.clone(),
                node: cs[0].node.clone(),
                chip: cs[0].chip.clone(),
                job_id: cs[0].job_id.clone(),
                task_id: cs[0].task_id.clone(),
                status: cs.iter().map(|c| c.status).max().unwrap_or(Status::Ok),
                mean_ratio: (!ratios.is_empty())
                    .then(|| ratios.iter().sum::<f64>() / ratios.len() as f64),
                reasons: cs.iter().flat_map(|c| c.reasons.iter().cloned()).collect(),
            }
        })
        .collect()
}

fn weakest(gpus: &[GpuVerdict]) -> Vec<GpuVerdict> {
    let mut by_node: BTreeMap<&str, &GpuVerdict> = BTreeMap::new();
    for g in gpus {
        let key = |v: &GpuVerdict| (std::cmp::Reverse(v.status), v.mean_ratio.unwrap_or(1.0));
        by_node
            .entry(&g.node)
            .and_modify(|w| {
                if key(g).partial_cmp(&key(w)) == Some(std::cmp::Ordering::Less) {
                    *w = g;
                }
            })
            .or_insert(g);
    }
    by_node.into_values().cloned().collect()
}

fn capacity(cases: &[GpuCase], gpus: &[GpuVerdict]) -> Vec<CapacityLoss> {
    let mut lost: BTreeMap<&str, BTreeMap<&str, f64>> = BTreeMap::new();
    for c in cases {
        let shortfall = match (c.verified, c.ratio_to_median) {
            (false, _) => 1.0, // wrong results are no capacity at all
            (true, Some(r)) => (1.0 - r).max(0.0),
            (true, None) => 0.0,
        };
        *lost
            .entry(&c.chip)
            .or_default()
            .entry(&c.case_id)
            .or_default() += shortfall;
    }
    lost.into_iter()
        .map(|(chip, per_case)| {
            let eq = per_case.values().sum::<f64>() / per_case.len().max(1) as f64;
            CapacityLoss {
                chip: chip.to_string(),
                gpus: gpus.iter().filter(|g| g.chip == chip).count(),
                gpu_equivalents_lost: eq,
            }
        })
        .collect()
}
