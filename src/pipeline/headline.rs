//! The few lines a run ends with: the adapter, the measured ceilings (peak per precision,
//! bandwidth), the best GEMM, GEMV and attention case, each with its share of the matched
//! catalog chip's spec and which spec figure that is, then where the report is.

use super::summary::rate;
use crate::economics::catalog::{self, Chip};
use crate::report::{spec, CaseResult, Report};
use crate::term;
use crate::units::{pct, si};
use crate::workloads::{Dtype, WorkloadKind};
use std::fmt::Write;
use std::path::PathBuf;

/// `(12.3 % of the fp32 vector peak)`: `value` (FLOP/s, or bytes/s for the cases compared with
/// the bandwidth) against the figure of the chip's spec sheet for the units a case of `kind`
/// and `dtype` runs on (`report::spec`); nothing without a chip or a comparable figure.
fn of_spec(value: f64, kind: WorkloadKind, dtype: Dtype, chip: Option<&Chip>) -> String {
    let Some((figure, chip)) = spec::figure(kind, dtype).zip(chip) else {
        return String::new();
    };
    spec::spec_value(chip, figure).map_or_else(String::new, |s| {
        format!(" ({} of the {} spec)", pct(value / s), figure.label())
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
        "{} {} ({}, {:?}){}",
        term::bold("adapter"),
        a.name,
        a.backend,
        a.device_kind,
        chip.map(|c| format!("; spec figures of {}", c.name))
            .unwrap_or_else(|| "; no catalog chip matched (set --chip NAME for % of spec)".into())
    ));
    if let Some(roof) = &r.roofline {
        let peaks: Vec<String> = roof
            .compute
            .iter()
            .map(|c| {
                let (unit, kind) = if c.dtype == Dtype::I8 {
                    ("OP/s", WorkloadKind::PeakDot4I8)
                } else {
                    ("FLOP/s", WorkloadKind::PeakFma)
                };
                format!(
                    "{} {}{}",
                    c.dtype.id(),
                    si(c.flop_per_s, unit),
                    of_spec(c.flop_per_s, kind, c.dtype, chip)
                )
            })
            .collect();
        if !peaks.is_empty() {
            lines.push(format!("{} {}", term::bold("peak"), peaks.join("; ")));
        }
        if let Some(bw) = roof.bandwidth_bytes_per_s {
            lines.push(format!(
                "{} {}{}",
                term::bold("bandwidth"),
                si(bw, "B/s"),
                of_spec(bw, WorkloadKind::StreamRead, Dtype::F32, chip)
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
            let share = of_spec(c.throughput.flop_per_s, kind, c.dtype, chip);
            lines.push(format!("{} {} {}{share}", term::bold(label), c.id, rate(c)));
        }
    }
    if let Some(c) = best(r, WorkloadKind::Gemv, bytes) {
        let share = of_spec(c.throughput.bytes_per_s, c.workload, c.dtype, chip);
        let bw = si(c.throughput.bytes_per_s, "B/s");
        lines.push(format!("{} {} {bw}{share}", term::bold("GEMV"), c.id));
    }
    if let Some(c) = best(r, WorkloadKind::Attention, flops) {
        let share = of_spec(c.throughput.flop_per_s, c.workload, c.dtype, chip);
        lines.push(format!(
            "{} {} {}{share}",
            term::bold("attention"),
            c.id,
            rate(c)
        ));
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
}
