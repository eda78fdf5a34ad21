//! Reports side by side: a procurement view (what each chip delivers per watt and per dollar)
//! and per-case deltas with a significance test on the raw samples.

pub mod procurement;
pub mod significance;
pub mod text;

pub use procurement::{procurement_row, ProcurementRow};

use super::model::Report;
use serde::Serialize;

/// Direction of a per-case change in median time, candidate against reference. A change is
/// significant when both tests say so at the 5 % level ([`significance::ALPHA`]): the 95 %
/// bootstrap interval of the ratio excludes 1 and the Mann-Whitney p is below 0.05.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// The 95 % interval of the ratio lies above 1 and the Mann-Whitney p is below 0.05: the
    /// candidate is slower.
    Slower,
    /// The 95 % interval of the ratio lies below 1 and the Mann-Whitney p is below 0.05: the
    /// candidate is faster.
    Faster,
    /// The interval contains 1, or the Mann-Whitney p is 0.05 or more: no significant
    /// difference.
    NoSignificantChange,
    /// Too few samples on a side for any difference to be significant
    /// ([`significance::can_be_significant`]: 3 against 3, what a run stopped by `--max-time`
    /// keeps): nothing can be told either way.
    TooFewSamples,
}

/// One case present (and valid) in both the reference and a candidate report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseDelta {
    pub id: String,
    pub candidate: String,
    pub reference_median_ns: f64,
    pub candidate_median_ns: f64,
    /// candidate median / reference median (> 1: slower).
    pub ratio: f64,
    /// 95 % percentile-bootstrap interval of the ratio.
    pub ratio_ci_low: f64,
    pub ratio_ci_high: f64,
    /// Two-sided Mann-Whitney U p-value.
    pub mann_whitney_p: f64,
    /// True only when the change is significant ([`Change::Slower`] or [`Change::Faster`]).
    pub significant: bool,
    pub change: Change,
    /// Significantly slower by more than the tolerated regression (only with a baseline).
    pub regression: bool,
}

/// The result of `compare`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Name of the reference report (the baseline, or the first file).
    pub reference: String,
    /// Whether the reference is a baseline that regressions are judged against.
    pub baseline: bool,
    /// Tolerated slowdown as a fraction (0.05 = 5 %), when judging regressions.
    pub max_regression: Option<f64>,
    pub procurement: Vec<ProcurementRow>,
    pub deltas: Vec<CaseDelta>,
    /// Differences in plan or adapter, cases missing on one side, invalid cases.
    pub notes: Vec<String>,
    /// One line per regression beyond the threshold.
    pub regressions: Vec<String>,
}

impl Comparison {
    /// Exit status for `compare`: with a baseline, [`crate::error::EXIT_NOTHING_COMPARED`] when
    /// some candidate shares no valid case with it, or has too few samples in every case it
    /// shares to tell a change (a gate that compared nothing must not pass), else
    /// [`crate::error::EXIT_REGRESSION`] when a case regressed; 0 otherwise.
    pub fn exit_code(&self) -> i32 {
        if !self.baseline {
            0
        } else if !self.uncompared().is_empty() || !self.untold().is_empty() {
            crate::error::EXIT_NOTHING_COMPARED
        } else if !self.regressions.is_empty() {
            crate::error::EXIT_REGRESSION
        } else {
            0
        }
    }

    /// Candidate reports that share no valid case with the reference.
    pub fn uncompared(&self) -> Vec<&str> {
        self.procurement
            .iter()
            .map(|r| r.file.as_str())
            .filter(|f| *f != self.reference)
            .filter(|f| !self.deltas.iter().any(|d| d.candidate == *f))
            .collect()
    }

    /// Candidate reports that share valid cases with the reference, each with too few samples
    /// to tell a change ([`Change::TooFewSamples`]).
    pub fn untold(&self) -> Vec<&str> {
        self.procurement
            .iter()
            .map(|r| r.file.as_str())
            .filter(|f| *f != self.reference)
            .filter(|f| {
                let mut mine = self.deltas.iter().filter(|d| d.candidate == *f).peekable();
                mine.peek().is_some() && mine.all(|d| d.change == Change::TooFewSamples)
            })
            .collect()
    }
}

/// What differs between two plans that changes the measurement of one case. Not the suite or
/// the shapes: a case id names its work (kind, dtype, shape), so a case in both reports is the
/// same work whatever suite held it, and a case in one only is noted as missing (a helper's
/// sweep: the same `--cases` run from the quick and the full suite read "plan differs
/// (suite)").
fn plan_differences(a: &Report, b: &Report) -> Vec<&'static str> {
    let (p, q) = (&a.plan, &b.plan);
    let mut diffs = Vec::new();
    if p.seed != q.seed {
        diffs.push("seed");
    }
    if p.min_time_s != q.min_time_s || p.max_time_s != q.max_time_s {
        diffs.push("sampling time");
    }
    if p.tune != q.tune {
        diffs.push("tuning mode");
    }
    diffs
}

fn compare_pair(
    ref_name: &str,
    reference: &Report,
    name: &str,
    cand: &Report,
    max_regression: Option<f64>,
    out: &mut Comparison,
) {
    let diffs = plan_differences(reference, cand);
    if !diffs.is_empty() {
        out.notes.push(format!(
            "{name}: plan differs from {ref_name} ({}); deltas compare different measurements",
            diffs.join(", ")
        ));
    }
    let same_adapter = reference.adapter.name == cand.adapter.name
        && reference.adapter.driver_info == cand.adapter.driver_info;
    let other_backend = reference.adapter.backend != cand.adapter.backend;
    // One chip through another backend reports another driver string: the backend's note
    // says it (the adapter's had called it "a comparison of chips or drivers" beside it).
    if reference.adapter.name != cand.adapter.name || (!same_adapter && !other_backend) {
        out.notes.push(format!(
            "{name}: adapter {} ({}) vs {} ({}) in {ref_name}: a comparison of chips or drivers, not of code",
            cand.adapter.name, cand.adapter.driver_info, reference.adapter.name, reference.adapter.driver_info
        ));
    }
    // What else changes a timing besides the code under test (a helper's sweep: a Vulkan
    // and a GL run of one case, and two runs whose tuner chose different kernels, read as
    // "slower" with only the driver strings to say why).
    if other_backend {
        out.notes.push(format!(
            "{name}: backend {} vs {} in {ref_name}: the same chip through another API",
            cand.adapter.backend, reference.adapter.backend
        ));
    }
    let tool = |r: &Report| match &r.tool.git_commit {
        Some(c) => format!("{} ({})", r.tool.version, c.get(..12).unwrap_or(c)),
        None => r.tool.version.clone(),
    };
    if tool(reference) != tool(cand) {
        out.notes.push(format!(
            "{name}: flopledger {} vs {} in {ref_name}: its kernels and method may differ too",
            tool(cand),
            tool(reference)
        ));
    }
    // A run that was interrupted or killed: its cases stand, its checks may not (a helper's
    // sweep found nothing said of it).
    for (file, r) in [(ref_name, reference), (name, cand)] {
        if !r.status.complete {
            let note = format!(
                "{file}: an incomplete run ({} of {} cases; interrupted or killed): its cases \
                 compare, but the ceilings were not measured again at its end",
                r.cases.len() + r.skipped.len(),
                r.status.cases_planned
            );
            if !out.notes.contains(&note) {
                out.notes.push(note);
            }
        }
    }
    let mut missing: Vec<&str> = Vec::new();
    for rc in &reference.cases {
        let Some(cc) = cand.cases.iter().find(|c| c.id == rc.id) else {
            missing.push(&rc.id);
            if max_regression.is_some() {
                if let Some((why, fix)) = unmeasured(cand, &rc.id) {
                    out.regressions.push(format!(
                        "{}: {name} {why}, where {ref_name} measured it: a gate cannot pass on a \
                         case it never timed; {fix}",
                        rc.id
                    ));
                }
            }
            continue;
        };
        // On another adapter the tuner's choices differ as a matter of course (said above).
        // Nor where a run did not tune (`--no-tune`): the plan's note says it.
        let both_tuned = [reference, cand]
            .iter()
            .all(|r| r.plan.tune != crate::config::TuneMode::Off);
        if same_adapter && both_tuned && rc.kernel != cc.kernel {
            out.notes.push(format!(
                "case {}: kernel {} in {name} vs {} in {ref_name} (the tuner chose another; \
                 `--no-tune`, or one tuning cache, compares the code alone)",
                rc.id,
                super::fmt::kernel(&cc.kernel),
                super::fmt::kernel(&rc.kernel)
            ));
        }
        if !rc.valid() || !cc.valid() {
            out.notes.push(format!(
                "case {}: failed verification in {}; not compared",
                rc.id,
                if rc.valid() { name } else { ref_name }
            ));
            // Wrong results where the baseline's were right fail a gate as a slowdown would (a
            // helper's sweep: a candidate whose GEMM now failed its check passed with exit 0).
            if max_regression.is_some() && rc.valid() {
                out.regressions.push(format!(
                    "{}: {name} fails verification, where {ref_name} passed it: its results are \
                     wrong, not slow; check the kernel, the driver or the shader cache",
                    rc.id
                ));
            }
            continue;
        }
        let stream = format!("{}/{}", rc.id, name);
        let (Some((ratio, lo, hi)), Some(p)) = (
            significance::bootstrap_ratio(&rc.samples_ns, &cc.samples_ns, &stream),
            significance::mann_whitney_p(&rc.samples_ns, &cc.samples_ns),
        ) else {
            out.notes.push(format!(
                "case {}: no raw samples on one side; not compared",
                rc.id
            ));
            continue;
        };
        let change = verdict(rc.samples_ns.len(), cc.samples_ns.len(), (lo, hi), p);
        let significant = matches!(change, Change::Slower | Change::Faster);
        let regression =
            max_regression.is_some_and(|max| change == Change::Slower && ratio > 1.0 + max);
        if regression {
            out.regressions.push(format!(
                "{}: {name} is {} slower than {ref_name} (median {} vs {}, 95 % CI of ratio {}–{}, Mann-Whitney p = {:.2e})",
                rc.id,
                crate::units::pct_with(ratio - 1.0, 1),
                crate::units::duration_ns(cc.stats.median_ns),
                crate::units::duration_ns(rc.stats.median_ns),
                crate::units::ratio(lo),
                crate::units::ratio(hi),
                p
            ));
        }
        out.deltas.push(CaseDelta {
            id: rc.id.clone(),
            candidate: name.to_string(),
            reference_median_ns: rc.stats.median_ns,
            candidate_median_ns: cc.stats.median_ns,
            ratio,
            ratio_ci_low: lo,
            ratio_ci_high: hi,
            mann_whitney_p: p,
            significant,
            change,
            regression,
        });
    }
    let extra: Vec<&str> = cand
        .cases
        .iter()
        .filter(|cc| !reference.cases.iter().any(|c| c.id == cc.id))
        .map(|cc| cc.id.as_str())
        .collect();
    // One note per side beyond a few cases: two suites had made 77 notes of a line each (a
    // helper's sweep).
    const EACH: usize = 3;
    let mut fold = |ids: &[&str], one: &dyn Fn(&str) -> String, many: &dyn Fn(usize) -> String| {
        if ids.len() <= EACH {
            out.notes.extend(ids.iter().map(|id| one(id)));
        } else {
            out.notes
                .push(format!("{}: {}", many(ids.len()), ids.join(", ")));
        }
    };
    fold(
        &missing,
        &|id| format!("{name}: case {id} of {ref_name} is missing"),
        &|n| format!("{name}: {n} cases of {ref_name} are missing"),
    );
    fold(
        &extra,
        &|id| format!("{name}: case {id} is not in {ref_name}"),
        &|n| format!("{name}: {n} of its cases are not in {ref_name}"),
    );
}

/// Why a baseline case is absent from a candidate in a way that fails a gate: the candidate
/// skipped it (the kernel no longer builds or fits here), or it is an incomplete run that never
/// reached it (interrupted, killed, crashed). A complete run that did not plan the case (another
/// `--cases` or suite) is noted only: its plan, not its code, left the case out. Until 7 December
/// 2026 both passed a gate with exit 0 (a helper's sweep: a crashed run holding 5 of its
/// baseline's 21 cases).
/// Gives why, and what to do.
fn unmeasured(cand: &Report, id: &str) -> Option<(String, &'static str)> {
    if let Some(s) = cand.skipped.iter().find(|s| s.id == id) {
        Some((
            format!("skipped it ({})", s.reason),
            "run it where it fits, or compare with a baseline of the cases this adapter runs",
        ))
    } else if !cand.status.complete {
        Some((
            "is an incomplete run (interrupted or killed) that never reached it".to_string(),
            "re-run it to the end",
        ))
    } else {
        None
    }
}

/// The verdict on one case of `n_ref` and `n_cand` samples whose ratio of medians has the 95 %
/// bootstrap interval `ci` and whose Mann-Whitney test gives `p`: a change only where both
/// tests find one (a percentile bootstrap of 3 samples a side excludes 1 for any difference,
/// and had failed a gate at p 0.081), and [`Change::TooFewSamples`] where no difference of so
/// few samples could be significant.
fn verdict(n_ref: usize, n_cand: usize, (lo, hi): (f64, f64), p: f64) -> Change {
    if !significance::can_be_significant(n_ref, n_cand) {
        Change::TooFewSamples
    } else if p >= significance::ALPHA {
        Change::NoSignificantChange
    } else if lo > 1.0 {
        Change::Slower
    } else if hi < 1.0 {
        Change::Faster
    } else {
        Change::NoSignificantChange
    }
}

/// Compares named reports. The first is the reference; with `baseline` it is a baseline and
/// every case significantly slower than it by more than `max_regression` (a fraction) is a
/// regression.
pub fn compare(reports: &[(String, Report)], baseline: bool, max_regression: f64) -> Comparison {
    let mut out = Comparison {
        reference: reports.first().map(|r| r.0.clone()).unwrap_or_default(),
        baseline,
        max_regression: baseline.then_some(max_regression),
        procurement: reports.iter().map(|(n, r)| procurement_row(n, r)).collect(),
        deltas: Vec::new(),
        notes: Vec::new(),
        regressions: Vec::new(),
    };
    if let Some(((ref_name, reference), rest)) = reports.split_first() {
        for (name, cand) in rest {
            compare_pair(
                ref_name,
                reference,
                name,
                cand,
                out.max_regression,
                &mut out,
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{minimal_report, simple_gemm_case};
    use crate::workloads::{gemm::regblock_config, Dtype};

    /// A change needs both the interval and the Mann-Whitney p; too few samples tell nothing,
    /// whatever the tests say.
    #[test]
    fn a_verdict_needs_both_tests_and_enough_samples() {
        assert_eq!(verdict(40, 40, (1.01, 1.05), 0.01), Change::Slower);
        assert_eq!(verdict(40, 40, (0.95, 0.99), 0.01), Change::Faster);
        assert_eq!(
            verdict(40, 40, (0.99, 1.05), 0.01),
            Change::NoSignificantChange
        );
        // The interval excludes 1, the rank test does not find a difference.
        assert_eq!(
            verdict(40, 40, (1.01, 1.05), 0.2),
            Change::NoSignificantChange
        );
        assert_eq!(
            verdict(40, 40, (1.01, 1.05), 0.05),
            Change::NoSignificantChange
        );
        assert_eq!(verdict(3, 3, (1.05, 1.09), 0.047), Change::TooFewSamples);
        assert_eq!(verdict(1, 1, (1.001, 1.001), 1.0), Change::TooFewSamples);
        assert_eq!(verdict(4, 4, (1.05, 1.09), 0.03), Change::Slower);
    }

    /// Under a gate, a baseline case that a candidate skipped, or never reached as an
    /// incomplete run, fails it; a complete run that did not plan the case is only noted.
    #[test]
    fn a_gate_fails_on_a_case_skipped_or_never_reached() {
        let reference = minimal_report(
            "gpu",
            Default::default(),
            vec![
                simple_gemm_case("gemm-f32-64x64x64", 1e9, None),
                simple_gemm_case("gemm-f32-128x128x128", 1e9, None),
            ],
        );
        let mut cand = reference.clone();
        cand.cases.truncate(1);
        let gate = |cand: &Report| {
            compare(
                &[("a".into(), reference.clone()), ("b".into(), cand.clone())],
                true,
                0.05,
            )
        };
        let planned_apart = gate(&cand);
        assert!(
            planned_apart.regressions.is_empty(),
            "{:?}",
            planned_apart.regressions
        );
        assert!(planned_apart
            .notes
            .contains(&"b: case gemm-f32-128x128x128 of a is missing".to_string()));
        let mut partial = cand.clone();
        partial.status.complete = false;
        let partial = gate(&partial);
        assert_eq!(partial.regressions.len(), 1, "{:?}", partial.regressions);
        assert_eq!(
            partial.regressions,
            vec![
                "gemm-f32-128x128x128: b is an incomplete run (interrupted or killed) that \
                  never reached it, where a measured it: a gate cannot pass on a case it never \
                  timed; re-run it to the end"
                    .to_string()
            ]
        );
        assert_eq!(partial.exit_code(), crate::error::EXIT_REGRESSION);
        cand.skipped.push(crate::report::model::SkippedCase {
            id: "gemm-f32-128x128x128".into(),
            workload: crate::workloads::WorkloadKind::Gemm,
            dtype: Dtype::F32,
            reason: "kernel needs more workgroup storage than the adapter allows".into(),
        });
        let skipped = gate(&cand);
        assert_eq!(
            skipped.regressions,
            vec![
                "gemm-f32-128x128x128: b skipped it (kernel needs more workgroup storage than \
                  the adapter allows), where a measured it: a gate cannot pass on a case it \
                  never timed; run it where it fits, or compare with a baseline of the cases \
                  this adapter runs"
                    .to_string()
            ]
        );
        // Without a gate, nothing fails.
        let plain = compare(
            &[("a".into(), reference.clone()), ("b".into(), cand)],
            false,
            0.05,
        );
        assert!(plain.regressions.is_empty());
    }

    /// Besides the plan and the adapter, the notes name another backend, another flopledger
    /// and, on one adapter, a kernel the tuner chose differently.
    #[test]
    fn backend_tool_and_kernel_differences_are_noted() {
        let case = simple_gemm_case("gemm-f32-64x64x64", 1e9, None);
        let reference = minimal_report("gpu", Default::default(), vec![case.clone()]);
        let mut cand = reference.clone();
        let quiet = compare(
            &[("a".into(), reference.clone()), ("b".into(), cand.clone())],
            false,
            0.05,
        );
        assert!(quiet.notes.is_empty(), "{:?}", quiet.notes);
        cand.tool.version = "9.9.9".into();
        cand.cases[0].kernel = regblock_config(Dtype::F32, 4, 4, 1, 1);
        cand.adapter.backend = crate::backend::Backend::Gl;
        let notes = compare(
            &[("a".into(), reference.clone()), ("b".into(), cand.clone())],
            false,
            0.05,
        )
        .notes;
        let has = |s: &str| notes.iter().any(|n| n.contains(s));
        assert!(has("backend gl vs vulkan"), "{notes:?}");
        assert!(has("flopledger 9.9.9 vs 0 in a"), "{notes:?}");
        assert!(has("case gemm-f32-64x64x64: kernel"), "{notes:?}");
        assert!(!has("incomplete run"), "{notes:?}");
        let mut partial = cand.clone();
        partial.status.complete = false;
        let notes = compare(
            &[("a".into(), reference.clone()), ("b".into(), partial)],
            false,
            0.05,
        )
        .notes;
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with("b: an incomplete run (1 of 1 cases")),
            "{notes:?}"
        );
        // On another adapter, the kernels differ as a matter of course: not noted per case.
        cand.adapter.name = "other".into();
        let notes = compare(&[("a".into(), reference), ("b".into(), cand)], false, 0.05).notes;
        assert!(!notes.iter().any(|n| n.contains(": kernel")), "{notes:?}");
    }
}
