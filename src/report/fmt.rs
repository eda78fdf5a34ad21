//! Formatting helpers shared by the exporters: grade-labelled efficiency, prices with their
//! dates and sources, percentages, kernel configurations. Formatting only, no computation of
//! results.

use super::model::{CaseResult, KernelConfig, Report, Roofline, TimingMethod};
use crate::economics::types::{Assumption, CostBasis, RunEconomics};
use crate::power::types::CaseEnergy;
pub use crate::units::{si_opt, si_small, usd};

/// Stable lower-case name of a cost basis, as in the JSON.
pub fn basis_name(basis: CostBasis) -> &'static str {
    match basis {
        CostBasis::Owned => "owned",
        CostBasis::Cloud => "cloud",
        CostBasis::Marginal => "marginal",
    }
}

/// The grade of the power behind a case's marginal cost: its own measured power's where it had
/// energy trials, else D (the run's nominal power, the TDP or `--watts`).
pub fn marginal_power_grade(case: &CaseResult) -> crate::power::types::Grade {
    case.measured_energy()
        .map_or(crate::power::types::Grade::D, |e| e.grade)
}

/// Every basis, in the order tables show them.
pub const BASES: [CostBasis; 3] = [CostBasis::Owned, CostBasis::Cloud, CostBasis::Marginal];

/// Energy efficiency with its grade and error, e.g. `87.30 GFLOPS/W (grade B, ±8 %)`.
/// This is the only way exporters print FLOP/J, so the grade is never left off.
pub fn gflops_per_w(energy: &CaseEnergy) -> String {
    format!(
        "{:.2} GFLOPS/W (grade {}, ±{})",
        energy.flop_per_joule / 1e9,
        energy.grade,
        crate::units::pct_with(energy.rel_error, 0)
    )
}

/// Energy efficiency of a case, or why there is none. A copy does no FLOPs: its energy is
/// in watts and joules (the Energy section), not a `0.00 GFLOPS/W`.
pub fn case_gflops_per_w(case: &CaseResult) -> String {
    match &case.energy {
        // Integer work is operations per joule (`GOPS/W`), not FLOPs.
        Some(e) if case.flops_per_dispatch > 0.0 && case.dtype.rate_unit() == "OP/s" => {
            gflops_per_w(e).replacen("GFLOPS/W", "GOPS/W", 1)
        }
        Some(e) if case.flops_per_dispatch > 0.0 => gflops_per_w(e),
        Some(e) => format!(
            "no FLOPs ({}, grade {})",
            crate::units::si(e.avg_watts, "W"),
            e.grade
        ),
        None => "n/a (grade none)".into(),
    }
}

/// FLOP per dollar of a case on one basis, or `n/a`.
pub fn case_flop_per_usd(case: &CaseResult, basis: CostBasis) -> Option<f64> {
    case.cost
        .as_ref()?
        .bases
        .iter()
        .find(|b| b.basis == basis)
        .map(|b| b.flop_per_usd)
}

/// `gemm_f32_regblock(TM=4, TNV=1, WG_X=16, WG_Y=16)`.
pub fn kernel(k: &KernelConfig) -> String {
    let params = k.params();
    if params.is_empty() {
        return k.name().to_string();
    }
    let params: Vec<String> = params.iter().map(|(n, v)| format!("{n}={v}")).collect();
    format!("{}({})", k.name(), params.join(", "))
}

/// The cost bases a report has prices for, in table order.
pub fn bases_present(report: &Report) -> Vec<CostBasis> {
    let Some(e) = &report.economics else {
        return Vec::new();
    };
    BASES
        .into_iter()
        .filter(|b| e.hourly.iter().any(|h| h.basis == *b))
        .collect()
}

/// The price inputs behind every $ figure, each with its source and date:
/// `price_usd 32000 USD (price file prices.toml, as of 2025-06); …`.
pub fn price_note(economics: &RunEconomics) -> String {
    let items: Vec<String> = economics
        .assumptions
        .iter()
        .filter(|a| a.unit.contains("USD"))
        .map(Assumption::sourced)
        .collect();
    if items.is_empty() {
        "no price inputs".into()
    } else {
        items.join("; ")
    }
}

/// How the cases that rotate over copies of their inputs were run, when any did.
pub fn cold_inputs(report: &Report) -> Option<String> {
    let cold: Vec<String> = report
        .cases
        .iter()
        .filter(|c| c.input_copies > 1)
        .map(|c| format!("{} ({})", c.id, c.input_copies))
        .collect();
    let cache = match &report.adapter.last_level_cache {
        Some(c) => format!(
            "the last-level cache, {} ({})",
            crate::units::bytes(c.bytes),
            c.source
        ),
        None if report.adapter.is_software() => "the host CPU's last-level cache".into(),
        None => "an assumed 64 MiB last-level cache (no catalog figure for this chip)".into(),
    };
    // Copies are capped, so small inputs on a large cache cover less than twice it.
    let short: Vec<String> = match &report.adapter.last_level_cache {
        Some(llc) => report
            .cases
            .iter()
            .filter(|c| c.input_copies > 1)
            .filter_map(|c| {
                let covered = f64::from(c.input_copies) * c.min_bytes_per_dispatch;
                (covered < 2.0 * llc.bytes as f64)
                    .then(|| format!("{} ({})", c.id, crate::units::bytes(covered as u64)))
            })
            .collect(),
        None => Vec::new(),
    };
    let short = if short.is_empty() {
        String::new()
    } else {
        format!(
            " At most {} copies are made, so these cover less than twice the cache and part of \
             their inputs may stay cached between dispatches (bytes of all copies): {}.",
            crate::workloads::cold::MAX_COPIES,
            short.join(", ")
        )
    };
    (!cold.is_empty()).then(|| {
        format!(
            "Cold inputs: these cases rotate over copies of their read-only inputs (weights, KV \
             cache, the read stream's array), one per dispatch, together meant to cover twice \
             {cache}, so that each dispatch reads them from memory rather than from cache \
             (docs/method.md step 10): {}.{short}",
            cold.join(", ")
        )
    })
}

/// Which timing methods the cases used, with what each means.
pub fn timing_methods(report: &Report) -> String {
    let has = |m| report.cases.iter().any(|c| c.timing_method == m);
    let mut parts = Vec::new();
    if has(TimingMethod::Device) {
        parts.push("device (GPU timestamp queries around each compute pass)");
    }
    if has(TimingMethod::Host) {
        parts.push("host (monotonic clock from submit to completion, includes submit overhead)");
    }
    if parts.is_empty() {
        "no cases measured".into()
    } else {
        parts.join("; ")
    }
}

/// Verification result in a few words.
pub fn verification(case: &CaseResult) -> String {
    let v = &case.verification;
    if v.pass {
        format!(
            "pass (max abs err {:.1e} ≤ {:.1e})",
            v.max_abs_err, v.tolerance
        )
    } else {
        format!(
            "FAIL (max abs err {:.1e} > {:.1e}): invalid",
            v.max_abs_err, v.tolerance
        )
    }
}

/// The ceilings of a run, one line each, with the start and end measurements of rechecked ones:
/// `compute ceiling f32: 48.2 GFLOP/s (case `x`; 31.2 GFLOP/s in its place, 48.2 GFLOP/s at the
/// end of the run: the faster counts)`. `code` wraps case ids (Markdown backticks or nothing).
pub fn ceiling_lines(roof: &Roofline, code: &str) -> Vec<String> {
    let again = |id: &str, best: f64, unit: &str| {
        roof.recheck(id).map_or(String::new(), |r| {
            let (first, last) = r.rates(best);
            format!(
                "; {} in its place, {} at the end of the run: the faster counts",
                crate::units::si(first, unit),
                crate::units::si(last, unit)
            )
        })
    };
    let mut lines: Vec<String> = roof
        .compute
        .iter()
        .map(|c| {
            let unit = c.dtype.rate_unit();
            format!(
                "compute ceiling {}: {} (case {code}{}{code}{})",
                c.dtype,
                c.rate_text(),
                c.case_id,
                again(&c.case_id, c.flop_per_s, unit)
            )
        })
        .collect();
    if let (Some(bw), Some(id)) = (roof.bandwidth_bytes_per_s, &roof.bandwidth_case_id) {
        lines.push(format!(
            "bandwidth ceiling: {} (case {code}{id}{code}{})",
            crate::units::si(bw, "B/s"),
            again(id, bw, "B/s")
        ));
    }
    if let Some(f) = &roof.dispatch_floor {
        lines.push(format!(
            "fixed cost of a dispatch: {} (case {code}{}{code}, timed at the end of the run)",
            crate::units::duration_ns(f.median_ns),
            f.case_id
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::sample_report;

    #[test]
    fn cold_inputs_are_named_only_when_a_case_rotated() {
        let mut r = sample_report();
        assert_eq!(cold_inputs(&r), None);
        r.cases[0].input_copies = 32;
        let note = cold_inputs(&r).unwrap();
        assert!(note.contains(&format!("{} (32)", r.cases[0].id)), "{note}");
        assert!(note.contains("method.md step 10"), "{note}");
        r.adapter.device_kind = crate::gpu::info::DeviceKind::DiscreteGpu;
        assert!(cold_inputs(&r).unwrap().contains("assumed 64 MiB"));
        r.adapter.last_level_cache = Some(crate::gpu::info::LastLevelCache {
            bytes: 50 << 20,
            source: "catalog: NVIDIA H200 SXM 141GB (data/chips.csv)".into(),
        });
        let note = cold_inputs(&r).unwrap();
        assert!(note.contains("50.00 MiB (catalog: NVIDIA H200"), "{note}");
        // 32 copies of the case's bytes against twice a 50 MiB cache: short only when small.
        let short = 100.0 * 1024.0 * 1024.0 / 32.0;
        r.cases[0].min_bytes_per_dispatch = short * 0.99;
        assert!(cold_inputs(&r).unwrap().contains("less than twice"));
        r.cases[0].min_bytes_per_dispatch = short;
        assert!(!cold_inputs(&r).unwrap().contains("less than twice"));
    }

    #[test]
    fn efficiency_always_carries_its_grade() {
        let r = sample_report();
        for c in &r.cases {
            let text = case_gflops_per_w(c);
            assert!(text.contains("grade"), "{text}");
        }
    }

    /// Integer work per joule is operations: GOPS/W, with its grade.
    #[test]
    fn integer_efficiency_is_in_operations() {
        let r = sample_report();
        let mut c = r
            .cases
            .iter()
            .find(|c| c.energy.is_some() && c.flops_per_dispatch > 0.0)
            .expect("a case with energy")
            .clone();
        assert!(case_gflops_per_w(&c).contains(" GFLOPS/W (grade"));
        c.dtype = crate::workloads::Dtype::I8;
        let text = case_gflops_per_w(&c);
        assert!(
            text.contains(" GOPS/W (grade") && !text.contains("FLOP"),
            "{text}"
        );
    }

    /// A copy's energy reads as its watts, not as 0.00 GFLOPS/W (the H200 report of
    /// 4 December 2026 printed "0.00 GFLOPS/W (grade B)" for its copy and read streams).
    #[test]
    fn a_copy_shows_watts_not_zero_gflops_per_watt() {
        let r = sample_report();
        let mut c = r
            .cases
            .iter()
            .find(|c| c.energy.is_some())
            .expect("a case with energy")
            .clone();
        c.flops_per_dispatch = 0.0;
        let w = c.energy.as_ref().unwrap().avg_watts;
        let text = case_gflops_per_w(&c);
        assert!(text.starts_with("no FLOPs ("), "{text}");
        assert!(text.contains(&crate::units::si(w, "W")), "{text}");
        assert!(!text.contains("GFLOPS/W"), "{text}");
    }

    #[test]
    fn price_note_names_sources_and_dates() {
        let r = sample_report();
        let note = price_note(r.economics.as_ref().unwrap());
        assert!(
            note.contains("as of 2025-06") && note.contains("prices.toml"),
            "{note}"
        );
        assert!(!note.contains("pue"));
    }
}
