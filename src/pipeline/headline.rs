//! The few lines a run ends with: the adapter, the measured ceilings (peak per precision,
//! bandwidth), the best GEMM, GEMV and attention case, each with its share of the matched
//! catalog chip's spec and which spec figure that is, then where the report is.

use super::summary::rate;
use crate::economics::catalog::{self, Chip, Precision};
use crate::report::{CaseResult, Report};
use crate::term;
use crate::units::{pct, si};
use crate::workloads::{Dtype, WorkloadKind};
use std::fmt::Write;
use std::path::PathBuf;

/// Catalog precision a case's dtype is compared with (q8_0 weights compute in f32).
fn precision(d: Dtype) -> Precision {
    match d {
        Dtype::F32 | Dtype::Q8_0 => Precision::Fp32,
        Dtype::F16 => Precision::Fp16,
        Dtype::I8 => Precision::Int8,
    }
}

/// Which spec peak a precision's catalog figure is: fp32 is the vector (CUDA-core) rate; the
/// lower precisions of data-centre chips are dense tensor-core rates, which WGSL cannot reach.
fn peak_kind(p: Precision) -> &'static str {
    match p {
        Precision::Fp32 => "vector",
        _ => "tensor",
    }
}

/// `(12.3 % of the fp32 vector peak)` against the chip's spec, or nothing without one.
fn of_peak(value: f64, d: Dtype, chip: Option<&Chip>) -> String {
    let p = precision(d);
    match chip.and_then(|c| c.peak_flop_per_s.get(&p)) {
        Some(spec) if *spec > 0.0 => {
            format!(
                " ({} of the {p} {} spec peak)",
                pct(value / spec),
                peak_kind(p)
            )
        }
        _ => String::new(),
    }
}

/// `(1.4 % of spec bandwidth)`, or nothing without a spec.
fn of_bandwidth(bytes_per_s: f64, chip: Option<&Chip>) -> String {
    match chip.and_then(|c| c.memory_bytes_per_s) {
        Some(spec) if spec > 0.0 => format!(" ({} of the spec bandwidth)", pct(bytes_per_s / spec)),
        _ => String::new(),
    }
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
                let unit = if c.dtype == Dtype::I8 {
                    "OP/s"
                } else {
                    "FLOP/s"
                };
                format!(
                    "{} {}{}",
                    c.dtype.id(),
                    si(c.flop_per_s, unit),
                    of_peak(c.flop_per_s, c.dtype, chip)
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
                of_bandwidth(bw, chip)
            ));
        }
    }
    let flops = |c: &CaseResult| c.throughput.flop_per_s;
    let bytes = |c: &CaseResult| c.throughput.bytes_per_s;
    if let Some(c) = best(r, WorkloadKind::Gemm, flops) {
        let share = of_peak(c.throughput.flop_per_s, c.dtype, chip);
        lines.push(format!(
            "{} {} {}{share}",
            term::bold("GEMM"),
            c.id,
            rate(c)
        ));
    }
    if let Some(c) = best(r, WorkloadKind::Gemv, bytes) {
        let share = of_bandwidth(c.throughput.bytes_per_s, chip);
        let bw = si(c.throughput.bytes_per_s, "B/s");
        lines.push(format!("{} {} {bw}{share}", term::bold("GEMV"), c.id));
    }
    if let Some(c) = best(r, WorkloadKind::Attention, flops) {
        let share = of_peak(c.throughput.flop_per_s, c.dtype, chip);
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
