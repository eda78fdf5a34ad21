//! The fleet in dollars, per chip model: what its GPUs cost, what they are worth on the books and
//! in the market today, the fleet's measured FLOP/s per dollar, and the capacity and dollars lost
//! to flagged GPUs. Pure computation over the analysis and one valuation per chip model (the
//! command makes those with the market model, `economics::market`); rendering lives in `render`.
//!
//! - Measured capacity of a chip model: the median FLOP/s of its best GEMM case (highest median
//!   over verified results) × its GPUs.
//! - FLOP/s per $: that capacity / the GPUs' capex (price × overhead).
//! - A flagged (WARN or CRITICAL) GPU's shortfall share: 1 if any of its cases failed
//!   verification (none of its output can be trusted); else `max(0, 1 − ratio)` in the best GEMM
//!   case, or over its mean ratio to the peers' median when it has no result there.
//! - Capacity lost: Σ shortfall shares × the median FLOP/s; dollars lost: Σ shortfall shares ×
//!   one GPU's economic value today (and, beside it, its book value).

use super::analysis::{is_capacity_case, FleetAnalysis};
use super::thresholds::Status;
use crate::economics::market::band::Band;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// One GPU of a chip model in dollars, valued today by the market model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GpuValue {
    /// The catalog row the chip resolves to.
    pub catalog_name: String,
    /// Purchase price of one GPU, USD, with its source and the date it holds for.
    pub price_usd: f64,
    pub price_source: String,
    pub price_as_of: String,
    /// Server, network and facility share on top of the price.
    pub overhead: f64,
    /// price × overhead: what the book and the market model depreciate.
    pub capex_usd: f64,
    pub purchase_date: NaiveDate,
    pub valued_on: NaiveDate,
    /// Years from purchase to `valued_on`.
    pub age_years: f64,
    /// Length of the straight-line schedule, years.
    pub book_life_years: f64,
    /// Straight-line book value at `age_years`.
    pub book_usd: f64,
    /// The market model's value at `age_years` (point fit).
    pub economic_usd: f64,
    /// The same under each bootstrap draw, aligned across chip models (for the fleet's band).
    #[serde(skip)]
    pub economic_draws_usd: Vec<f64>,
    /// Where the inputs come from and what the model extrapolates.
    pub notes: Vec<String>,
}

/// Whether a chip model could be put in dollars.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Pricing {
    Valued(GpuValue),
    /// A software adapter or a card the catalog lacks: measured figures only.
    NotInCatalog,
    /// In the catalog but not valued (no price, power or attributes), with the fix.
    Unvalued {
        reason: String,
    },
}

/// A chip model's (or the whole fleet's) dollars.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Dollars {
    pub gpus: usize,
    pub capex_usd: f64,
    pub book_usd: f64,
    pub economic_usd: f64,
    /// 5–95 % over the market's bootstrap draws.
    pub economic_band_usd: Option<Band>,
    /// `(book − economic) / economic`; `None` when the economic value is 0.
    pub book_over_economic: Option<f64>,
    /// Measured FLOP/s / capex.
    pub flop_per_s_per_usd: Option<f64>,
    /// Shortfall shares × one GPU's economic value.
    pub lost_usd: f64,
    pub lost_band_usd: Option<Band>,
    /// Shortfall shares × one GPU's book value.
    pub lost_book_usd: f64,
}

/// One chip model of the fleet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChipMoney {
    pub chip: String,
    pub gpus: usize,
    /// The GEMM case with the highest median FLOP/s over verified results.
    pub best_gemm_case: Option<String>,
    /// Median FLOP/s of one GPU in that case.
    pub median_flop_per_s: Option<f64>,
    /// median × GPUs.
    pub fleet_flop_per_s: Option<f64>,
    pub flagged_gpus: usize,
    /// Σ shortfall shares of the flagged GPUs: whole GPUs' worth of capacity lost.
    pub lost_gpu_equivalents: f64,
    /// Σ shortfall shares × the median FLOP/s.
    pub lost_flop_per_s: Option<f64>,
    pub pricing: Pricing,
    /// `None` unless the chip model is valued.
    pub dollars: Option<Dollars>,
}

/// The fleet in dollars.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FleetMoney {
    pub chips: Vec<ChipMoney>,
    /// Over the valued chip models (draw by draw for the bands); `None` if none is valued.
    pub total: Option<Dollars>,
    /// How every figure is computed, for the report.
    pub method: String,
}

/// How the figures are computed, as the report states it.
pub const METHOD: &str = "Measured capacity: median FLOP/s of the chip's best GEMM case × its \
GPUs. FLOP/s per $: that / capex (price × overhead). Book value: straight line over the schedule \
at the GPUs' age; economic value: the market model's value of the margins left at that age \
(docs/market-model.md), 5–95 % over its bootstrap draws. A flagged GPU's shortfall: 1 if any case \
failed verification, else 1 − its ratio to the peers' median in the best GEMM case (its mean \
ratio when it has no result there); capacity lost = Σ shortfalls × median FLOP/s, dollars lost = \
Σ shortfalls × one GPU's value.";

fn draws_sum<'a>(parts: impl Iterator<Item = (&'a [f64], f64)>) -> Option<Band> {
    let mut sum: Vec<f64> = Vec::new();
    for (draws, k) in parts {
        if sum.is_empty() {
            sum = vec![0.0; draws.len()];
        }
        if draws.len() != sum.len() {
            return None;
        }
        for (s, d) in sum.iter_mut().zip(draws) {
            *s += k * d;
        }
    }
    Band::of(sum)
}

/// Per chip: each flagged GPU's shortfall share, and the best GEMM case with its median.
struct Measured {
    best: Option<(String, f64)>,
    shortfalls: Vec<f64>,
}

fn measured(a: &FleetAnalysis) -> BTreeMap<&str, Measured> {
    let mut out: BTreeMap<&str, Measured> = BTreeMap::new();
    for g in &a.groups {
        let m = out.entry(&g.chip).or_insert(Measured {
            best: None,
            shortfalls: Vec::new(),
        });
        let Some(d) = is_capacity_case(g) else {
            continue;
        };
        if m.best.as_ref().is_none_or(|(_, b)| d.median > *b) {
            m.best = Some((g.case_id.clone(), d.median));
        }
    }
    for g in a.gpus.iter().filter(|g| g.status > Status::Ok) {
        let share = if g.failed_verification {
            1.0
        } else {
            g.best_gemm_ratio
                .or(g.mean_ratio)
                .map_or(0.0, |r| (1.0 - r).clamp(0.0, 1.0))
        };
        if let Some(m) = out.get_mut(g.chip.as_str()) {
            m.shortfalls.push(share);
        }
    }
    out
}

fn dollars(v: &GpuValue, gpus: usize, fleet_flop_per_s: Option<f64>, lost: f64) -> Dollars {
    let n = gpus as f64;
    let economic = v.economic_usd * n;
    let book = v.book_usd * n;
    let capex = v.capex_usd * n;
    Dollars {
        gpus,
        capex_usd: capex,
        book_usd: book,
        economic_usd: economic,
        economic_band_usd: draws_sum(std::iter::once((v.economic_draws_usd.as_slice(), n))),
        book_over_economic: (economic > 0.0).then(|| (book - economic) / economic),
        flop_per_s_per_usd: fleet_flop_per_s.filter(|_| capex > 0.0).map(|f| f / capex),
        lost_usd: lost * v.economic_usd,
        lost_band_usd: draws_sum(std::iter::once((v.economic_draws_usd.as_slice(), lost))),
        lost_book_usd: lost * v.book_usd,
    }
}

/// The fleet in dollars; a chip model missing from `pricing` is not in the catalog.
pub fn compute(a: &FleetAnalysis, pricing: &BTreeMap<String, Pricing>) -> FleetMoney {
    let mut gpus: BTreeMap<&str, usize> = BTreeMap::new();
    for g in &a.gpus {
        *gpus.entry(&g.chip).or_default() += 1;
    }
    let measured = measured(a);
    let chips: Vec<ChipMoney> = gpus
        .into_iter()
        .map(|(chip, n)| {
            let m = measured.get(chip);
            let best = m.and_then(|m| m.best.clone());
            let shortfalls = m.map_or(&[][..], |m| m.shortfalls.as_slice());
            // `+ 0.0`: an empty sum of f64 is -0.0, which JSON writes as "-0.0".
            let lost: f64 = shortfalls.iter().sum::<f64>() + 0.0;
            let median = best.as_ref().map(|(_, f)| *f);
            let fleet = median.map(|f| f * n as f64);
            let pricing = pricing.get(chip).cloned().unwrap_or(Pricing::NotInCatalog);
            let dollars = match &pricing {
                Pricing::Valued(v) => Some(dollars(v, n, fleet, lost)),
                _ => None,
            };
            ChipMoney {
                chip: chip.to_string(),
                gpus: n,
                best_gemm_case: best.map(|(id, _)| id),
                median_flop_per_s: median,
                fleet_flop_per_s: fleet,
                flagged_gpus: shortfalls.len(),
                lost_gpu_equivalents: lost,
                lost_flop_per_s: median.map(|f| f * lost),
                pricing,
                dollars,
            }
        })
        .collect();
    FleetMoney {
        total: total(&chips),
        chips,
        method: METHOD.into(),
    }
}

fn total(chips: &[ChipMoney]) -> Option<Dollars> {
    let valued: Vec<(&ChipMoney, &GpuValue, &Dollars)> = chips
        .iter()
        .filter_map(|c| match (&c.pricing, &c.dollars) {
            (Pricing::Valued(v), Some(d)) => Some((c, v, d)),
            _ => None,
        })
        .collect();
    if valued.is_empty() {
        return None;
    }
    let sum = |f: fn(&Dollars) -> f64| valued.iter().map(|(_, _, d)| f(d)).sum::<f64>() + 0.0;
    let (capex, book, economic) = (
        sum(|d| d.capex_usd),
        sum(|d| d.book_usd),
        sum(|d| d.economic_usd),
    );
    // FLOP/s per $ over the chip models with a measured GEMM capacity.
    let measured: Vec<_> = valued
        .iter()
        .filter_map(|(c, _, d)| c.fleet_flop_per_s.map(|f| (f, d.capex_usd)))
        .collect();
    let measured_capex: f64 = measured.iter().map(|(_, c)| c).sum();
    Some(Dollars {
        gpus: valued.iter().map(|(_, _, d)| d.gpus).sum(),
        capex_usd: capex,
        book_usd: book,
        economic_usd: economic,
        economic_band_usd: draws_sum(
            valued
                .iter()
                .map(|(_, v, d)| (v.economic_draws_usd.as_slice(), d.gpus as f64)),
        ),
        book_over_economic: (economic > 0.0).then(|| (book - economic) / economic),
        flop_per_s_per_usd: (!measured.is_empty() && measured_capex > 0.0)
            .then(|| measured.iter().map(|(f, _)| f).sum::<f64>() / measured_capex),
        lost_usd: sum(|d| d.lost_usd),
        lost_band_usd: draws_sum(
            valued
                .iter()
                .map(|(c, v, _)| (v.economic_draws_usd.as_slice(), c.lost_gpu_equivalents)),
        ),
        lost_book_usd: sum(|d| d.lost_book_usd),
    })
}
