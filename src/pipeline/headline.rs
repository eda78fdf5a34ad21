//! The few lines a run ends with: the adapter, the measured ceilings (peak per precision,
//! bandwidth), the best GEMM, GEMV and attention case, each with its share of the matched
//! catalog chip's spec and which spec figure that is, then where the report is.

use super::summary::rate;
use crate::economics::catalog;
use crate::report::{spec, CaseResult, Report, SpecShare};
use crate::term;
use crate::units::{pct, si};
use crate::workloads::{Dtype, WorkloadKind};
use std::fmt::Write;
use std::path::PathBuf;

/// `(12.3 % of the fp32 vector peak spec)`: a share of the chip's spec sheet (`report::spec`),
/// or nothing without one.
fn of_spec(share: Option<SpecShare>) -> String {
    share.map_or_else(String::new, |s| {
        format!(" ({} of the {} spec)", pct(s.pct / 100.0), s.figure.label())
    })
}

/// The best valid case of `kind` by `key`.
fn best(r: &Report, kind: WorkloadKind, key: fn(&CaseResult) -> f64) -> Option<&CaseResult> {
    r.cases
        .iter()
        .filter(|c| c.workload == kind && c.valid())
        .max_by(|a, b| key(a).total_cmp(&key(b)))
}

/// The headline: a handful of lines, each wrapped to the terminal.
pub fn headline(r: &Report, written: &[PathBuf]) -> String {
    let chip = r
        .economics
        .as_ref()
        .and_then(|e| e.chip.as_ref())
        .and_then(|c| catalog::find(&c.name).ok());
    let mut lines = Vec::new();
    let a = &r.adapter;
    lines.push(format!(
        "{} {} ({}, {}){}",
        term::bold("adapter"),
        a.name,
        a.backend,
        a.device_kind,
        chip.map(|c| format!("; spec figures of {}", c.name))
            .unwrap_or_else(|| "; no catalog chip matched (set --chip NAME for % of spec)".into())
    ));
    if let Some(roof) = &r.roofline {
        // A ceiling counts at the faster of its case's two medians: where that is the end-of-run
        // recheck, its figure is not the table's, and says so (a helper's sweep read 10.53 GB/s
        // here against 10.39 GB/s in the table, with no word why).
        let rechecked = |id: &str| match roof.recheck(id) {
            Some(x) if x.last_median_ns < x.first_median_ns => " (its end-of-run recheck)",
            _ => "",
        };
        let peaks: Vec<String> = roof
            .compute
            .iter()
            .map(|c| {
                let unit = c.dtype.rate_unit();
                let kind = if c.dtype == Dtype::I8 {
                    WorkloadKind::PeakDot4I8
                } else {
                    WorkloadKind::PeakFma
                };
                format!(
                    "{} {}{}{}",
                    c.dtype.id(),
                    si(c.flop_per_s, unit),
                    rechecked(&c.case_id),
                    of_spec(chip.and_then(|ch| spec::share(ch, kind, c.dtype, c.flop_per_s, 0.0)))
                )
            })
            .collect();
        if !peaks.is_empty() {
            lines.push(format!("{} {}", term::bold("peak"), peaks.join("; ")));
        }
        if let Some(bw) = roof.bandwidth_bytes_per_s {
            lines.push(format!(
                "{} {}{}{}",
                term::bold("bandwidth"),
                si(bw, "B/s"),
                roof.bandwidth_case_id.as_deref().map_or("", rechecked),
                of_spec(chip.and_then(|ch| {
                    spec::share(ch, WorkloadKind::StreamRead, Dtype::F32, 0.0, bw)
                }))
            ));
        }
    }
    let flops = |c: &CaseResult| c.throughput.flop_per_s;
    let bytes = |c: &CaseResult| c.throughput.bytes_per_s;
    for (kind, label) in [
        (WorkloadKind::Gemm, "GEMM"),
        (WorkloadKind::GemmCoop, "tensor GEMM"),
    ] {
        if let Some(c) = best(r, kind, flops) {
            let share = of_spec(c.throughput.of_spec);
            lines.push(format!("{} {} {}{share}", term::bold(label), c.id, rate(c)));
        }
    }
    if let Some(c) = best(r, WorkloadKind::Gemv, bytes) {
        let share = of_spec(c.throughput.of_spec);
        let bw = si(c.throughput.bytes_per_s, "B/s");
        lines.push(format!("{} {} {bw}{share}", term::bold("GEMV"), c.id));
    }
    if let Some(c) = best(r, WorkloadKind::Attention, flops) {
        let share = of_spec(c.throughput.of_spec);
        lines.push(format!(
            "{} {} {}{share}",
            term::bold("attention"),
            c.id,
            rate(c)
        ));
    }
    // A purchase price given for a cost that could not be computed: said here, not only in the
    // report's `economics.missing` (a run with --price-usd and no power figure ended without a
    // word on it: a helper's sweep).
    let priced = r.plan.pricing.price_usd.is_some() || r.plan.pricing.price_file.is_some();
    if let Some(e) = r.economics.as_ref().filter(|_| priced) {
        for m in e.missing.iter().filter(|m| m.starts_with("owned:")) {
            lines.push(format!("{} {m}", term::bold("cost not computed:")));
        }
    }
    let files: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    lines.push(format!("{} {}", term::bold("report"), files.join(", ")));
    let mut out = String::new();
    for l in lines {
        let _ = writeln!(out, "{}", term::wrap(&l, "    "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_of_the_spec_figure_of_the_units_each_case_runs_on() {
        // The sample H200 report: f32 peak against the fp32 vector peak, the bandwidth and the
        // GEMV against the memory bandwidth, and no f16 WGSL kernel against a tensor figure.
        let text = headline(&crate::report::fixture::sample_report(), &[]);
        let peak = text.lines().find(|l| l.contains("peak")).unwrap();
        assert!(peak.contains("% of the fp32 vector peak spec)"), "{text}");
        assert!(!text.contains("tensor"), "{text}");
        assert!(text.contains("% of the memory bandwidth spec)"), "{text}");
    }

    /// A purchase price given for an owned cost that could not be computed says why in the
    /// headline; without a price given, the missing basis is the report's business alone.
    #[test]
    fn a_price_that_costs_nothing_says_why() {
        let mut r = crate::report::fixture::sample_report();
        let why = "owned: no power figure (no catalog TDP); set --watts";
        r.economics.as_mut().unwrap().missing = vec![why.into(), "cloud: no rental price".into()];
        r.plan.pricing.price_usd = None;
        r.plan.pricing.price_file = None;
        assert!(!headline(&r, &[]).contains("cost not computed"));
        r.plan.pricing.price_usd = Some(1000.0);
        let text = headline(&r, &[]);
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("cost not computed"))
            .collect();
        assert_eq!(lines, [format!("cost not computed: {why}")], "{text}");
    }

    /// A ceiling whose end-of-run recheck was the faster measurement says so beside its figure;
    /// one whose first measurement stood does not.
    #[test]
    fn a_ceiling_from_its_recheck_says_so() {
        let mut r = crate::report::fixture::sample_report();
        let roof = r.roofline.as_mut().unwrap();
        let id = roof.bandwidth_case_id.clone().unwrap();
        roof.rechecks = vec![crate::report::CeilingRecheck {
            case_id: id.clone(),
            first_median_ns: 2e6,
            last_median_ns: 1e6,
        }];
        let line = |r: &crate::report::Report| {
            let text = headline(r, &[]);
            text.lines()
                .find(|l| l.contains("bandwidth"))
                .unwrap()
                .to_string()
        };
        assert!(
            line(&r).contains("(its end-of-run recheck)"),
            "{}",
            line(&r)
        );
        r.roofline.as_mut().unwrap().rechecks[0].last_median_ns = 3e6;
        assert!(!line(&r).contains("recheck"), "{}", line(&r));
    }
}
