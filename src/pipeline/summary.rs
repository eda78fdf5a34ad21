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
            .map(|e| format!("{:.2} ({})", e.flop_per_joule / 1e9, e.grade))
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
    for s in &report.skipped {
        out.push_str(&format!("\nskipped {}: {}", s.id, s.reason));
    }
    out
}
