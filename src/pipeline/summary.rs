//! The summary table printed to stdout at the end of a run.

use crate::report::{Report, TimingMethod};
use crate::units::{duration_ns, si};
use comfy_table::Table;

/// One row per case: what ran, its median time and interval, throughput and verification.
pub fn table(report: &Report) -> String {
    let mut t = Table::new();
    t.set_header(vec![
        "case",
        "median",
        "95% CI",
        "FLOP/s",
        "bytes/s",
        "FLOP/B",
        "% roofline",
        "verified",
        "GFLOPS/W (grade)",
        "timing",
    ]);
    for c in &report.cases {
        let th = &c.throughput;
        let energy = c
            .energy
            .as_ref()
            .map(|e| format!("{} ({})", gflops_per_watt(e.flop_per_joule), e.grade))
            .unwrap_or_else(|| "n/a".into());
        t.add_row(vec![
            c.id.clone(),
            duration_ns(c.stats.median_ns),
            format!(
                "{}–{}",
                duration_ns(c.stats.median_ci_low_ns),
                duration_ns(c.stats.median_ci_high_ns)
            ),
            si(th.flop_per_s, "FLOP/s"),
            si(th.bytes_per_s, "B/s"),
            format!("{:.1}", th.arithmetic_intensity),
            th.pct_of_roofline
                .map(|p| format!("{p:.1} %"))
                .unwrap_or_else(|| "n/a".into()),
            if c.verification.pass {
                "yes".into()
            } else {
                "FAILED".to_string()
            },
            energy,
            match c.timing_method {
                TimingMethod::Device => "device".to_string(),
                TimingMethod::Host => "host".to_string(),
            },
        ]);
    }
    let mut out = t.to_string();
    if report.cases.iter().any(|c| c.energy.is_none()) {
        let why = report
            .power
            .as_ref()
            .and_then(|p| p.advice.clone())
            .unwrap_or_else(|| {
                "no power source; set --watts W for a nominal (grade D) estimate".into()
            });
        out.push_str(&format!("\nGFLOPS/W n/a: {why}"));
    }
    for s in &report.skipped {
        out.push_str(&format!("\nskipped {}: {}", s.id, s.reason));
    }
    out
}

/// GFLOPS/W with three significant digits, from FLOP per joule.
pub fn gflops_per_watt(flop_per_joule: f64) -> String {
    let v = flop_per_joule / 1e9;
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else if v >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3e}")
    }
}
