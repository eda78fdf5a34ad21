//! Grading one GPU's result in one case against its (chip, case) group, and the graded case as
//! the report writes it, borrowed ([`GpuCaseView`]) so that streaming 320,000 of them copies no
//! strings.

use super::analysis::{CaseGroup, GpuCase};
use super::query::ResultRef;
use super::thresholds::{Status, Thresholds};
use crate::economics::catalog::Chip;
use serde::Serialize;

/// The measure compared between peers: bytes/s for the cases memory sets the rate of (streams,
/// GEMV, decode attention: their share of the spec is of the bandwidth, and a table had set
/// 696 GFLOP/s of a triad beside "87 %" of 4.8 TB/s, a helper's sweep), else the workload's
/// arithmetic rate in its unit (FLOP/s; OP/s for integer dot products). The kind decides, not
/// the value: a GEMM whose FLOP/s a ledger holds as 0 (an edit) is graded at 0 FLOP/s, not by
/// its bytes/s against its peers' FLOP/s (a helper's sweep: "77.91 G vs 2.01 T B/s"). A kind
/// this build does not know is graded by its FLOP/s where it has some.
pub fn throughput(workload: &str, flop_per_s: f64, bytes_per_s: f64) -> (f64, &'static str) {
    match crate::workloads::WorkloadKind::from_id(workload) {
        Some(kind) if kind.measures_bandwidth() => (bytes_per_s, "B/s"),
        Some(kind) => match kind.rate_unit() {
            Some(unit) => (flop_per_s, unit),
            None => (bytes_per_s, "B/s"),
        },
        None if flop_per_s > 0.0 => (flop_per_s, "FLOP/s"),
        None => (bytes_per_s, "B/s"),
    }
}

/// The energy efficiency unit of a case whose rate is in `unit`: integer work (`OP/s`) is
/// operations per joule, not FLOPs (a helper's sweep: the int8 case read 12.92 GFLOP/J).
pub fn per_joule(unit: &str) -> &'static str {
    if unit == "OP/s" {
        "OP/J"
    } else {
        "FLOP/J"
    }
}

/// What grading one result gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Graded {
    pub throughput: f64,
    pub unit: &'static str,
    pub ratio_to_median: Option<f64>,
    pub z: Option<f64>,
    pub pct_of_spec: Option<f64>,
    pub energy_z: Option<f64>,
    pub status: Status,
    /// Empty for an OK case (nothing allocated).
    pub reasons: Vec<String>,
}

/// Grades one GPU's case against its group (`chip`: its catalog row, if any).
pub fn grade(r: &ResultRef, group: &CaseGroup, chip: Option<&Chip>, th: &Thresholds) -> Graded {
    let (value, unit) = throughput(r.workload, r.flop_per_s, r.bytes_per_s);
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
                "{}: {} below the median of {} {} GPUs ({} vs {} {unit}; robust z {:.1} ≤ {limit})",
                r.case_id,
                crate::units::pct_with(deficit, 1),
                d.n,
                r.chip,
                crate::units::si(value, "").trim_end(),
                crate::units::si(d.median, "").trim_end(),
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
                        "{}: {} {} below the peers' median (robust z {ez:.1}; power cap or throttling?)",
                        r.case_id,
                        per_joule(unit),
                        crate::units::pct_with(edef, 1)
                    ));
                }
            }
        }
    }
    Graded {
        throughput: value,
        unit,
        ratio_to_median: ratio,
        z,
        pct_of_spec: super::spec::pct_of_spec(
            chip,
            r.workload,
            r.dtype,
            r.flop_per_s,
            r.bytes_per_s,
        ),
        energy_z,
        status,
        reasons,
    }
}

/// A graded case, borrowed: serialises exactly as [`GpuCase`] (same fields, same order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GpuCaseView<'a> {
    pub chip: &'a str,
    pub case_id: &'a str,
    pub gpu_key: &'a str,
    pub node: &'a str,
    pub job_id: Option<&'a str>,
    pub task_id: Option<&'a str>,
    pub started_at: &'a str,
    pub verified: bool,
    pub throughput: f64,
    pub unit: &'a str,
    pub ratio_to_median: Option<f64>,
    pub z: Option<f64>,
    pub pct_of_spec: Option<f64>,
    pub flop_per_j: Option<f64>,
    pub energy_grade: Option<&'a str>,
    pub energy_z: Option<f64>,
    pub status: Status,
    pub reasons: &'a [String],
    pub report_path: &'a str,
}

impl<'a> GpuCaseView<'a> {
    /// `r` graded as `g`.
    pub fn new(r: &ResultRef<'a>, g: &'a Graded) -> Self {
        Self {
            chip: r.chip,
            case_id: r.case_id,
            gpu_key: r.gpu_key,
            node: r.node,
            job_id: r.job_id,
            task_id: r.task_id,
            started_at: r.started_at,
            verified: r.verified,
            throughput: g.throughput,
            unit: g.unit,
            ratio_to_median: g.ratio_to_median,
            z: g.z,
            pct_of_spec: g.pct_of_spec,
            flop_per_j: r.flop_per_j,
            energy_grade: r.energy_grade,
            energy_z: g.energy_z,
            status: g.status,
            reasons: &g.reasons,
            report_path: r.path,
        }
    }

    pub fn to_owned(&self) -> GpuCase {
        GpuCase {
            chip: self.chip.into(),
            case_id: self.case_id.into(),
            gpu_key: self.gpu_key.into(),
            node: self.node.into(),
            job_id: self.job_id.map(str::to_string),
            task_id: self.task_id.map(str::to_string),
            started_at: self.started_at.into(),
            verified: self.verified,
            throughput: self.throughput,
            unit: self.unit.into(),
            ratio_to_median: self.ratio_to_median,
            z: self.z,
            pct_of_spec: self.pct_of_spec,
            flop_per_j: self.flop_per_j,
            energy_grade: self.energy_grade.map(str::to_string),
            energy_z: self.energy_z,
            status: self.status,
            reasons: self.reasons.to_vec(),
            report_path: self.report_path.into(),
        }
    }
}

impl GpuCase {
    pub fn view(&self) -> GpuCaseView<'_> {
        GpuCaseView {
            chip: &self.chip,
            case_id: &self.case_id,
            gpu_key: &self.gpu_key,
            node: &self.node,
            job_id: self.job_id.as_deref(),
            task_id: self.task_id.as_deref(),
            started_at: &self.started_at,
            verified: self.verified,
            throughput: self.throughput,
            unit: &self.unit,
            ratio_to_median: self.ratio_to_median,
            z: self.z,
            pct_of_spec: self.pct_of_spec,
            flop_per_j: self.flop_per_j,
            energy_grade: self.energy_grade.as_deref(),
            energy_z: self.energy_z,
            status: self.status,
            reasons: &self.reasons,
            report_path: &self.report_path,
        }
    }
}

/// Every graded case of a fleet, in chip, case and GPU order, handed to `f` one at a time:
/// from memory (the analysis's kept `Vec<GpuCase>`) or re-read and re-graded from the ledger
/// (`super::ledger_cases`), so a report of any size can write them without holding them.
pub trait CaseSource {
    fn each_case(
        &self,
        f: &mut dyn FnMut(&GpuCaseView<'_>) -> anyhow::Result<()>,
    ) -> anyhow::Result<()>;
}

impl CaseSource for Vec<GpuCase> {
    fn each_case(
        &self,
        f: &mut dyn FnMut(&GpuCaseView<'_>) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        self.iter().try_for_each(|c| f(&c.view()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Integer dot products are compared in OP/s, memory-bound cases in bytes/s, the rest in
    /// FLOP/s (the fleet report had called the packed-int8 peak FLOP/s).
    #[test]
    fn each_workload_is_compared_in_its_unit() {
        assert_eq!(throughput("peak-dot4-i8", 2e12, 1e9), (2e12, "OP/s"));
        assert_eq!(throughput("gemm", 2e12, 1e9), (2e12, "FLOP/s"));
        assert_eq!(throughput("stream-copy", 0.0, 1e9), (1e9, "B/s"));
        // What memory sets the rate of is compared in bytes/s, as its share of the spec is.
        for kind in ["stream-triad", "gemv", "attention-decode"] {
            assert_eq!(throughput(kind, 2e11, 4e12), (4e12, "B/s"), "{kind}");
        }
        // A workload a newer tool wrote, unknown here, keeps the FLOP/s it was counted in.
        assert_eq!(throughput("future-op", 3.0, 1.0), (3.0, "FLOP/s"));
        // The kind decides the unit: a GEMM held at 0 FLOP/s is 0 FLOP/s, not its bytes/s.
        assert_eq!(throughput("gemm", 0.0, 1e9), (0.0, "FLOP/s"));
        assert_eq!(throughput("future-op", 0.0, 1.0), (1.0, "B/s"));
    }

    #[test]
    fn the_view_serialises_exactly_as_the_owned_case() {
        let c = GpuCase {
            chip: "H100".into(),
            case_id: "gemm".into(),
            gpu_key: "GPU-1".into(),
            node: "n1".into(),
            job_id: Some("7".into()),
            task_id: None,
            started_at: "2026-12-01T00:00:00Z".into(),
            verified: true,
            throughput: 1.5e12,
            unit: "FLOP/s".into(),
            ratio_to_median: Some(0.8),
            z: Some(-6.0),
            pct_of_spec: None,
            flop_per_j: Some(1e9),
            energy_grade: Some("B".into()),
            energy_z: None,
            status: Status::Critical,
            reasons: vec!["slow".into()],
            report_path: "/r.json".into(),
        };
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            serde_json::to_string(&c.view()).unwrap()
        );
        assert_eq!(c.view().to_owned(), c);
    }
}
