//! The fleet analysis built one (chip, case) group at a time: each group's distribution, each
//! result graded against it, and per GPU only what its verdict needs (worst status, sum of
//! ratios, reasons), so the results themselves can be dropped group by group. Groups must come
//! in chip then case order, each GPU's latest result once, in GPU order (as
//! `stream::for_each_group` and the sorted input of `analysis::analyse` give them).

use super::analysis::{
    is_capacity_case, CapacityLoss, CaseGroup, FleetAnalysis, GpuCase, GpuVerdict,
};
use super::grade::{grade, throughput, GpuCaseView};
use super::query::ResultRef;
use super::spec;
use super::thresholds::{Distribution, Status, Thresholds};
use crate::economics::catalog::Chip;
use std::collections::BTreeMap;

/// One GPU's verdict so far.
#[derive(Debug)]
struct GpuAcc {
    verdict: GpuVerdict,
    ratio_sum: f64,
    ratios: usize,
    /// (index of the group, ratio) of the best capacity case seen when it was the best so far.
    best: Option<(usize, Option<f64>)>,
}

/// The analysis in progress.
#[derive(Debug)]
pub struct Analyser {
    th: Thresholds,
    groups: Vec<CaseGroup>,
    /// Per group: Σ over its GPUs of the capacity shortfall.
    shortfall: Vec<f64>,
    gpus: Vec<Option<GpuAcc>>,
    /// The last chip's name and catalog row (name matching is slow; groups come chip by chip).
    catalog_row: Option<(String, Option<&'static Chip>)>,
    /// Per chip: (group index, median) of its best capacity case so far.
    best: BTreeMap<String, (usize, f64)>,
    /// Every graded case, when kept.
    cases: Option<Vec<GpuCase>>,
}

/// The distribution of one group's verified results (`first` is `rows[0]`).
fn group_of(first: &ResultRef, rows: &[ResultRef], chip: Option<&Chip>) -> CaseGroup {
    let verified: Vec<&ResultRef> = rows.iter().filter(|r| r.verified).collect();
    let values: Vec<f64> = verified
        .iter()
        .map(|r| throughput(r.workload, r.flop_per_s, r.bytes_per_s).0)
        .collect();
    let energy: Vec<f64> = verified.iter().filter_map(|r| r.flop_per_j).collect();
    // Grades sort as letters: A (measured) first.
    let mut grades: Vec<&str> = verified
        .iter()
        .filter(|r| r.flop_per_j.is_some())
        .filter_map(|r| r.energy_grade)
        .collect();
    grades.sort_unstable();
    let flop_per_j_grades = match (grades.first(), grades.last()) {
        (Some(a), Some(b)) if a == b => Some(a.to_string()),
        (Some(a), Some(b)) => Some(format!("{a}–{b}")),
        _ => None,
    };
    let spec_pcts: Vec<f64> = verified
        .iter()
        .filter_map(|r| spec::pct_of_spec(chip, r.workload, r.dtype, r.flop_per_s, r.bytes_per_s))
        .collect();
    CaseGroup {
        chip: first.chip.to_string(),
        case_id: first.case_id.to_string(),
        workload: first.workload.to_string(),
        unit: throughput(first.workload, first.flop_per_s, first.bytes_per_s)
            .1
            .into(),
        gpus: rows.len(),
        failed_verification: rows.len() - verified.len(),
        throughput: Distribution::of(&values),
        flop_per_j: Distribution::of(&energy),
        flop_per_j_grades,
        median_pct_of_spec: Distribution::of(&spec_pcts).map(|d| d.median),
    }
}

/// The `gpu`-th GPU's accumulator in `gpus`, made OK and empty the first time, from its GPU
/// key, node and chip and its job and task ids.
fn gpu_acc<'g>(
    gpus: &'g mut Vec<Option<GpuAcc>>,
    gpu: usize,
    [gpu_key, node, chip]: [&str; 3],
    (job_id, task_id): (Option<&str>, Option<&str>),
) -> &'g mut GpuAcc {
    if gpu >= gpus.len() {
        gpus.resize_with(gpu + 1, || None);
    }
    gpus[gpu].get_or_insert_with(|| GpuAcc {
        verdict: GpuVerdict {
            gpu_key: gpu_key.to_string(),
            node: node.to_string(),
            chip: chip.to_string(),
            job_id: job_id.map(str::to_string),
            task_id: task_id.map(str::to_string),
            status: Status::Ok,
            mean_ratio: None,
            reasons: Vec::new(),
            failed_verification: false,
            best_gemm_ratio: None,
        },
        ratio_sum: 0.0,
        ratios: 0,
        best: None,
    })
}

impl Analyser {
    /// An analysis of at most `gpus` GPUs (the dense indices of [`ResultRef::gpu`]); keeps
    /// every graded case when `keep_cases`.
    pub fn new(th: Thresholds, gpus: usize, keep_cases: bool) -> Self {
        Self {
            th,
            groups: Vec::new(),
            shortfall: Vec::new(),
            gpus: (0..gpus).map(|_| None).collect(),
            catalog_row: None,
            best: BTreeMap::new(),
            cases: keep_cases.then(Vec::new),
        }
    }

    /// The catalog row of `name`, looked up once per run of groups of that chip.
    pub fn chip_row(
        cache: &mut Option<(String, Option<&'static Chip>)>,
        name: &str,
    ) -> Option<&'static Chip> {
        match cache {
            Some((n, row)) if n == name => *row,
            _ => {
                let row = spec::chip(name);
                *cache = Some((name.to_string(), row));
                row
            }
        }
    }

    /// Adds one (chip, case) group; `rows` is not empty.
    pub fn add_group(&mut self, rows: &[ResultRef]) {
        let Some(first) = rows.first() else {
            return;
        };
        let chip = Self::chip_row(&mut self.catalog_row, first.chip);
        let group = group_of(first, rows, chip);
        let index = self.groups.len();
        // Is this the chip's best capacity case so far? Then its ratios are the GPUs' for now.
        let new_best = is_capacity_case(&group).is_some_and(|d| {
            let best = self.best.get(first.chip);
            if best.is_none_or(|(_, m)| d.median > *m) {
                self.best.insert(first.chip.to_string(), (index, d.median));
                true
            } else {
                false
            }
        });
        let mut lost = 0.0;
        for r in rows {
            let g = grade(r, &group, chip, &self.th);
            lost += match (r.verified, g.ratio_to_median) {
                (false, _) => 1.0, // wrong results are no capacity at all
                (true, Some(x)) => (1.0 - x).max(0.0),
                (true, None) => 0.0,
            };
            let acc = gpu_acc(
                &mut self.gpus,
                r.gpu,
                [r.gpu_key, r.node, r.chip],
                (r.job_id, r.task_id),
            );
            let v = &mut acc.verdict;
            v.status = v.status.max(g.status);
            v.failed_verification |= !r.verified;
            if let Some(x) = g.ratio_to_median {
                acc.ratio_sum += x;
                acc.ratios += 1;
            }
            if new_best {
                acc.best = Some((index, g.ratio_to_median));
            }
            if let Some(cases) = &mut self.cases {
                cases.push(GpuCaseView::new(r, &g).to_owned());
            }
            v.reasons.extend(g.reasons);
        }
        self.groups.push(group);
        self.shortfall.push(lost);
    }

    /// Marks a GPU's latest run as unfinished: a warning at least, whatever its cases' grades.
    /// A benchmark that dies part way (an Xid error, a hang killed by the scheduler) is a sign
    /// of a bad GPU, and its finished cases alone had graded it OK (a helper's sweep); a GPU
    /// whose unfinished run holds no case at all gets a verdict of its own (it had been left
    /// out of the report, or the report refused as holding no results).
    pub fn unfinished_run(&mut self, u: &super::stream::Unfinished<'_>) {
        let acc = gpu_acc(
            &mut self.gpus,
            u.gpu,
            [u.gpu_key, u.node, u.chip],
            (u.job_id, u.task_id),
        );
        let v = &mut acc.verdict;
        v.status = v.status.max(Status::Warn);
        // A scheduler's task keeps its log beside its report; a plain run has none.
        let log = if u.job_id.is_some() {
            "; the task's run.log beside it says why"
        } else {
            ""
        };
        v.reasons.push(format!(
            "its latest run did not finish ({} in {}: interrupted, killed or crashed{log})",
            crate::units::counted(u.cases.max(0) as usize, "case"),
            u.path
        ));
    }

    /// The groups added so far (the graded cases are re-graded against them when streamed).
    pub fn groups(&self) -> &[CaseGroup] {
        &self.groups
    }

    pub fn finish(self) -> FleetAnalysis {
        let best = &self.best;
        let gpus: Vec<GpuVerdict> = self
            .gpus
            .into_iter()
            .flatten()
            .map(|acc| {
                let mut v = acc.verdict;
                v.mean_ratio = (acc.ratios > 0).then(|| acc.ratio_sum / acc.ratios as f64);
                v.best_gemm_ratio = acc
                    .best
                    .filter(|(i, _)| best.get(&v.chip).is_some_and(|(b, _)| b == i))
                    .and_then(|(_, r)| r);
                v
            })
            .collect();
        FleetAnalysis {
            rules: self.th.describe(),
            thresholds: self.th,
            weakest_per_node: weakest(&gpus),
            capacity: capacity(&self.groups, &self.shortfall, &gpus),
            groups: self.groups,
            cases: self.cases.unwrap_or_default(),
            gpus,
        }
    }
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

/// Per chip: the groups' shortfalls summed per case, averaged over its cases.
fn capacity(groups: &[CaseGroup], shortfall: &[f64], gpus: &[GpuVerdict]) -> Vec<CapacityLoss> {
    let mut lost: BTreeMap<&str, BTreeMap<&str, f64>> = BTreeMap::new();
    for (g, s) in groups.iter().zip(shortfall) {
        *lost
            .entry(&g.chip)
            .or_default()
            .entry(&g.case_id)
            .or_default() += s;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::stream::Unfinished;

    /// A GPU whose latest run did not finish is WARN with the reason: one with graded cases
    /// keeps them, one whose run holds no case gets a verdict of its own (a helper's sweep: a
    /// job cancelled in its first case left its GPU out of the report).
    #[test]
    fn an_unfinished_run_warns_with_or_without_cases() {
        let mut an = Analyser::new(Thresholds::default(), 1, true);
        let u = Unfinished {
            gpu: 0,
            chip: "H100",
            gpu_key: "GPU-1",
            node: "n1",
            job_id: Some("78"),
            task_id: Some("0"),
            cases: 0,
            path: "/r/78/task-0/f.json",
        };
        an.unfinished_run(&u);
        let a = an.finish();
        let [v] = a.gpus.as_slice() else {
            panic!("one verdict: {:?}", a.gpus)
        };
        assert_eq!(v.status, Status::Warn);
        assert_eq!(
            (v.gpu_key.as_str(), v.node.as_str(), v.chip.as_str()),
            ("GPU-1", "n1", "H100")
        );
        assert!(
            v.reasons[0].contains("its latest run did not finish (0 cases in /r/78/task-0/f.json"),
            "{:?}",
            v.reasons
        );
        assert!(v.reasons[0].contains("run.log"), "{:?}", v.reasons);
        // A run no scheduler started has no task log to point to.
        let mut an = Analyser::new(Thresholds::default(), 1, true);
        an.unfinished_run(&Unfinished {
            job_id: None,
            task_id: None,
            ..u
        });
        let a = an.finish();
        assert!(!a.gpus[0].reasons[0].contains("run.log"), "{:?}", a.gpus);
    }
}
