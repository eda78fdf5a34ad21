//! The tables a human-readable report is made of, as header + rows of text, shared by the
//! Markdown and HTML exporters so both show the same numbers with the same units.

use super::fmt::{self as f, basis_name};
use super::model::Report;
use crate::economics::types::CostBasis;
use crate::units::{bytes, duration_ns, si};

mod economy;
mod spec;
pub use economy::{assumptions, depreciation, hourly, marginal_note, presets, tuning};
pub use spec::{spec, spec_intro, spec_note};

/// A table of already formatted cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub(crate) fn new(headers: &[&str]) -> Self {
        Self {
            headers: headers.iter().map(|h| (*h).to_string()).collect(),
            rows: Vec::new(),
        }
    }
}

/// Who, what, where, how: one row per item.
pub fn summary(r: &Report) -> Table {
    let mut t = Table::new(&["item", "value"]);
    let a = &r.adapter;
    let commit = r.tool.git_commit.as_deref().unwrap_or("unknown commit");
    let host_mem = r.host.memory_bytes.map_or("n/a".into(), bytes);
    let status = format!(
        "{} ({} of {} planned cases measured, {} skipped, {} invalid)",
        if r.status.complete {
            "complete"
        } else {
            "INCOMPLETE (interrupted or in progress)"
        },
        r.cases.len(),
        r.status.cases_planned,
        r.skipped.len(),
        r.status.invalid_cases.len()
    );
    let rows = [
        (
            "tool",
            format!("{} {} ({commit})", r.tool.name, r.tool.version),
        ),
        (
            "time",
            format!(
                "{} → {}",
                r.started_at,
                r.finished_at.as_deref().unwrap_or("not finished")
            ),
        ),
        (
            "adapter",
            format!(
                "{} [{}] {}, backend {}, driver {} {}",
                a.name,
                a.pci_ids(),
                a.device_kind,
                a.backend,
                a.driver,
                a.driver_info
            ),
        ),
        (
            "host",
            format!(
                "{} {}, {} ({} cores), {host_mem} RAM",
                r.host.os,
                r.host.kernel.as_deref().unwrap_or(""),
                r.host.cpu_model.as_deref().unwrap_or("unknown CPU"),
                r.host.cpu_cores
            ),
        ),
        ("timing method", f::timing_methods(r)),
        (
            "plan",
            format!(
                "{}, seed {}, sampling {}–{} s per case, tuning {}",
                // `--shapes` replaces the suite's cases (the row said "suite standard").
                match &r.plan.shapes {
                    Some(shapes) => format!(
                        "GEMM f32 shapes {} (--shapes)",
                        shapes
                            .iter()
                            .map(|s| format!("{}x{}x{}", s.m, s.n, s.k))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    None => format!("suite {}", r.plan.suite),
                },
                r.plan.seed,
                r.plan.min_time_s,
                r.plan.max_time_s,
                r.plan.tune
            ),
        ),
        ("power source", power_source(r)),
        ("status", status),
    ];
    for (k, v) in rows {
        t.rows.push(vec![k.into(), v]);
    }
    t
}

/// The chosen power source in one line, or the advice to get one.
pub fn power_source(r: &Report) -> String {
    match &r.power {
        Some(p) => match &p.chosen {
            Some(s) => format!("{} ({}, scope {:?})", s.id, s.method, s.scope),
            None => format!(
                "none{}",
                p.advice
                    .as_ref()
                    .map(|a| format!(": {a}"))
                    .unwrap_or_default()
            ),
        },
        None => "energy not measured".into(),
    }
}

/// One row per case: the headline numbers.
pub fn cases(r: &Report) -> Table {
    let bases = f::bases_present(r);
    let mut headers = vec![
        "case",
        "kernel",
        "median time",
        "95 % CI of median",
        "rate (FLOP/s; OP/s for i8)",
        "bytes/s",
        "AI (FLOP/B; OP/B for i8)",
        "% roofline",
        "verification",
        "GFLOPS/W (grade)",
    ];
    // The marginal cost is each case's own measured power where it had energy trials, else
    // the run's nominal power: the cell carries the power's grade, as GFLOPS/W carries its own
    // (a helper's sweep read 1.49 and 1.91 EFLOP/$ for two GEMMs of the same speed, one on the
    // TDP and one on its measured power, with nothing to tell them apart).
    let basis_headers: Vec<String> = bases
        .iter()
        .map(|b| match b {
            CostBasis::Marginal => "FLOP/$ marginal (power grade)".to_string(),
            _ => format!("FLOP/$ {}", basis_name(*b)),
        })
        .collect();
    headers.extend(basis_headers.iter().map(String::as_str));
    let mut t = Table::new(&headers);
    for c in &r.cases {
        let mut row = vec![
            c.id.clone(),
            f::kernel(&c.kernel),
            duration_ns(c.stats.median_ns),
            format!(
                "{} – {}{}",
                duration_ns(c.stats.median_ci_low_ns),
                duration_ns(c.stats.median_ci_high_ns),
                c.stats
                    .ci_coverage_below_95()
                    .map(|p| format!(
                        " (min–max of {} samples: holds the median {})",
                        c.stats.samples,
                        crate::units::pct(p)
                    ))
                    .unwrap_or_default()
            ),
            c.workload.rate_unit().map_or_else(
                || crate::units::MISSING.to_string(),
                |u| si(c.throughput.flop_per_s, u),
            ),
            si(c.throughput.bytes_per_s, "B/s"),
            format!("{:.2}", c.throughput.arithmetic_intensity),
            crate::units::pct_opt(c.throughput.pct_of_roofline.map(|p| p / 100.0)),
            f::verification(c),
            f::case_gflops_per_w(c),
        ];
        // Integer work per dollar is operations, as its rate is.
        let per_usd = format!("{}/$", c.dtype.op_word());
        for b in &bases {
            let v = f::case_flop_per_usd(c, *b);
            let grade = match (b, v) {
                (CostBasis::Marginal, Some(_)) => {
                    format!(" (grade {})", f::marginal_power_grade(c))
                }
                _ => String::new(),
            };
            row.push(format!("{}{grade}", f::si_opt(v, &per_usd)));
        }
        t.rows.push(row);
    }
    t
}

/// Spread of each case's samples.
pub fn latency(r: &Report) -> Table {
    let mut t = Table::new(&[
        "case", "samples", "timing", "min", "p5", "median", "p95", "p99", "max", "CV", "outliers",
    ]);
    for c in &r.cases {
        let s = &c.stats;
        t.rows.push(vec![
            c.id.clone(),
            format!("{} × {} dispatches", s.samples, c.dispatches_per_sample),
            format!("{:?}", c.timing_method).to_lowercase(),
            duration_ns(s.min_ns),
            duration_ns(s.p5_ns),
            duration_ns(s.median_ns),
            duration_ns(s.p95_ns),
            duration_ns(s.p99_ns),
            duration_ns(s.max_ns),
            crate::units::pct_with(s.cv, 2),
            s.outliers.to_string(),
        ]);
    }
    t
}

/// Planned cases that did not run.
pub fn skipped(r: &Report) -> Table {
    let mut t = Table::new(&["case", "workload", "dtype", "reason"]);
    for s in &r.skipped {
        t.rows.push(vec![
            s.id.clone(),
            s.workload.to_string(),
            s.dtype.to_string(),
            s.reason.clone(),
        ]);
    }
    t
}

/// Energy per case: power, energy per dispatch, efficiency with grade.
pub fn energy(r: &Report) -> Table {
    let mut t = Table::new(&[
        "case",
        "source",
        "avg power",
        "J/dispatch",
        "GFLOPS/W (grade)",
        "trials",
        "idle",
    ]);
    for c in &r.cases {
        let Some(e) = &c.energy else { continue };
        t.rows.push(vec![
            c.id.clone(),
            format!("{} ({})", e.source_id, e.method),
            si(e.avg_watts, "W"),
            f::si_small(e.joules_per_dispatch, "J"),
            f::case_gflops_per_w(c),
            if e.trials.is_empty() {
                "none (nominal: no load measured)".to_string()
            } else {
                format!(
                    "{} × {:.1} s",
                    e.trials.len(),
                    e.trials.iter().map(|t| t.seconds).sum::<f64>() / e.trials.len() as f64
                )
            },
            match (e.idle_watts, e.idle_subtracted) {
                (Some(w), true) => format!("{} subtracted", si(w, "W")),
                (Some(w), false) => format!("{} not subtracted", si(w, "W")),
                (None, _) => "n/a".into(),
            },
        ]);
    }
    t
}

/// Caveats of the energy figures, once each.
pub fn energy_caveats(r: &Report) -> Vec<String> {
    // One line per caveat, naming every case it applies to: the H200's report had said the
    // same of its sensor ten times, once per case (a helper's sweep).
    let mut by_caveat: Vec<(&str, Vec<&str>)> = Vec::new();
    for c in &r.cases {
        for cav in c.energy.iter().flat_map(|e| &e.caveats) {
            match by_caveat.iter_mut().find(|(text, _)| text == cav) {
                Some((_, ids)) => {
                    if !ids.contains(&c.id.as_str()) {
                        ids.push(&c.id);
                    }
                }
                None => by_caveat.push((cav, vec![&c.id])),
            }
        }
    }
    by_caveat
        .into_iter()
        .map(|(cav, ids)| {
            let ids: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
            format!("{}: {cav}", ids.join(", "))
        })
        .collect()
}

/// The limits every model preset shares ("ignores …"), said once above them, and each
/// preset's own notes: its limits the others lack, and its ops not measured (the H200's report
/// repeated the same seven limits under each of its twelve presets, a helper's sweep).
pub fn preset_notes(r: &Report) -> (Vec<String>, Vec<Vec<String>>) {
    let shared: Vec<&String> = r
        .presets
        .first()
        .map(|first| {
            first
                .ignores
                .iter()
                .filter(|i| r.presets.iter().all(|p| p.ignores.contains(i)))
                .collect()
        })
        .unwrap_or_default();
    let own = r
        .presets
        .iter()
        .map(|p| {
            p.ignores
                .iter()
                .filter(|i| !shared.contains(i))
                .map(|i| format!("ignores {i}"))
                .chain(p.skipped_ops.iter().map(|s| format!("not measured: {s}")))
                .collect()
        })
        .collect();
    let shared = if r.presets.len() > 1 {
        shared
            .iter()
            .map(|i| format!("every preset ignores {i}"))
            .collect()
    } else {
        shared.iter().map(|i| format!("ignores {i}")).collect()
    };
    (shared, own)
}
