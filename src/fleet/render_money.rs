//! The fleet report's dollar sections as Markdown: value per chip model (book against the market
//! model) and the capacity and dollars lost to flagged GPUs. Formatting only: every figure comes
//! from [`FleetMoney`].

use super::analysis::CapacityLoss;
use super::money::{Dollars, FleetMoney, Pricing};
use super::render::md;
use crate::economics::depreciation::render::usd;
use crate::economics::market::band::Band;
use crate::units::{pct_signed, si};
use std::fmt::Write;

fn opt_si(v: Option<f64>, unit: &str) -> String {
    v.map_or_else(|| "n/a".into(), |x| si(x, unit))
}

fn with_band(v: f64, band: Option<Band>) -> String {
    match band {
        Some(b) => format!("{} ({}–{})", usd(v), usd(b.p5), usd(b.p95)),
        None => usd(v),
    }
}

fn gap(d: &Dollars) -> String {
    d.book_over_economic
        .map_or("n/a (no economic value)".into(), |g| {
            format!("book {}", pct_signed(Some(g), 0))
        })
}

/// Value and capacity-lost sections.
pub fn markdown(m: &FleetMoney, capacity: &[CapacityLoss]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "\n## Value: book against the market model\n");
    let _ = writeln!(
        s,
        "| chip | GPUs | bought | capex | best GEMM case | measured capacity (median × GPUs) | FLOP/s per $ | book value today | economic value today (5–95 %) | book vs economic |\n|---|---|---|---|---|---|---|---|---|---|"
    );
    for c in &m.chips {
        let case = md(c.best_gemm_case.as_deref().unwrap_or("none (no GEMM case)"));
        let chip = md(&c.chip);
        let fleet = opt_si(c.fleet_flop_per_s, "FLOP/s");
        match (&c.pricing, &c.dollars) {
            (Pricing::Valued(v), Some(d)) => {
                let _ = writeln!(
                    s,
                    "| {chip} | {} | {} | {} | {case} | {fleet} | {} | {} | {} | {} |",
                    c.gpus,
                    v.purchase_date,
                    usd(d.capex_usd),
                    opt_si(d.flop_per_s_per_usd, "FLOP/s per $"),
                    usd(d.book_usd),
                    with_band(d.economic_usd, d.economic_band_usd),
                    gap(d)
                );
            }
            (Pricing::Unvalued { reason }, _) => {
                let _ = writeln!(
                    s,
                    "| {chip} | {} | not valued: {} | n/a | {case} | {fleet} | n/a | n/a | n/a | n/a |",
                    c.gpus,
                    md(reason)
                );
            }
            _ => {
                let _ = writeln!(
                    s,
                    "| {chip} | {} | not in the catalog | n/a | {case} | {fleet} | n/a | n/a | n/a | n/a |",
                    c.gpus
                );
            }
        }
    }
    if let Some(t) = &m.total {
        let _ = writeln!(
            s,
            "| **fleet (valued chips)** | {} | — | {} | — | — | {} | {} | {} | {} |",
            t.gpus,
            usd(t.capex_usd),
            opt_si(t.flop_per_s_per_usd, "FLOP/s per $"),
            usd(t.book_usd),
            with_band(t.economic_usd, t.economic_band_usd),
            gap(t)
        );
    }
    s.push('\n');
    for c in &m.chips {
        if let Pricing::Valued(v) = &c.pricing {
            let _ = writeln!(
                s,
                "- {} ({}): per GPU {} capex = {}; bought {}, valued {} at age {:.1} y; book {} \
                 (straight line over {} y), economic {}.",
                md(&c.chip),
                v.catalog_name,
                usd(v.capex_usd),
                v.notes.join("; "),
                v.purchase_date,
                v.valued_on,
                v.age_years,
                usd(v.book_usd),
                v.book_life_years,
                usd(v.economic_usd)
            );
        }
    }
    let _ = writeln!(s, "\n## Capacity lost\n");
    let _ = writeln!(
        s,
        "| chip | GPUs | flagged | capacity lost (best GEMM case) | GPU-equivalents | at economic value (5–95 %) | at book value | all GPUs below their peers' median, all cases |\n|---|---|---|---|---|---|---|---|"
    );
    for c in &m.chips {
        let (econ, book) = match &c.dollars {
            Some(d) => (with_band(d.lost_usd, d.lost_band_usd), usd(d.lost_book_usd)),
            None => ("n/a".to_string(), "n/a".to_string()),
        };
        let all = capacity
            .iter()
            .find(|l| l.chip == c.chip)
            .map_or("n/a".into(), |l| {
                format!("{:.2} GPUs", l.gpu_equivalents_lost)
            });
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {:.2} | {econ} | {book} | {all} |",
            md(&c.chip),
            c.gpus,
            c.flagged_gpus,
            opt_si(c.lost_flop_per_s, "FLOP/s"),
            c.lost_gpu_equivalents
        );
    }
    if let Some(t) = &m.total {
        let _ = writeln!(
            s,
            "| **fleet (valued chips)** | {} | — | — | — | {} | {} | — |",
            t.gpus,
            with_band(t.lost_usd, t.lost_band_usd),
            usd(t.lost_book_usd)
        );
    }
    let _ = writeln!(s, "\n{}", m.method);
    s
}
