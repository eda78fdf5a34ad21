//! A capex schedule under the market model: book value against economic value, year by year.
//!
//! Spend of year `v` on chip `c` (share `s_c` of that year's mix) is bought at mid-year
//! (`t₀ = v + 0.5`) at the chip's capex; at the end of year `Y` it is `a = Y − v + 0.5` years
//! old. Per dollar of capex it is worth `V_c(a; t₀)/capex_c` ([`super::value`]), so
//! - economic value `E(Y) = Σ_v spend_v·Σ_c s_c·V_c(a; t₀)/capex_c` (not 1 at purchase: a
//!   dollar paid above what the market's rents will repay is lost on the day it is spent);
//! - book value `B(Y) = Σ_v spend_v·max(0, 1 − a/L)`, `L` = the book life;
//! - write-down exposure `B(Y) − E(Y)`.
//!
//! The band of `E(Y)` recomputes every chip's value under each bootstrap draw.

use super::band::Band;
use super::value::{value, ChipCase, Terms, Valuation};
use super::Market;
use crate::economics::scenario::CapexPlan;
use crate::error::FlError;
use serde::Serialize;

/// One year-end.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortfolioRow {
    pub year: i32,
    pub spend_usd: f64,
    pub cumulative_spend_usd: f64,
    pub book_usd: f64,
    pub economic_usd: f64,
    pub economic_band_usd: Option<Band>,
    /// `book − economic`.
    pub exposure_usd: f64,
}

/// Values `plan` at every year-end; `case` gives a chip's inputs when bought at a decimal year.
pub fn portfolio(
    plan: &CapexPlan,
    market: &Market,
    terms: &Terms,
    book_life_years: f64,
    case: &dyn Fn(&str, f64) -> Result<ChipCase, FlError>,
) -> Result<Vec<PortfolioRow>, FlError> {
    // (spend, share-weighted valuations per draw: index 0 the point fit).
    let mut tranches: Vec<(i32, f64, ChipCase, Vec<Valuation>)> = Vec::new();
    let betas: Vec<&[f64]> = std::iter::once(market.fit.beta.as_slice())
        .chain(market.draws.iter().map(Vec::as_slice))
        .collect();
    for y in &plan.years {
        for (chip, share) in plan.mix_of(y) {
            let c = case(chip, f64::from(y.year) + 0.5)?;
            let vals = betas
                .iter()
                .map(|b| value(&market.fit, b, &c, terms))
                .collect();
            tranches.push((y.year, y.spend_usd * share, c, vals));
        }
    }
    let first = plan.years[0].year;
    let last = plan
        .horizon
        .unwrap_or(plan.years[plan.years.len() - 1].year + 6);
    let mut rows = Vec::new();
    let mut cumulative = 0.0;
    for year in first..=last {
        let spend: f64 = plan
            .years
            .iter()
            .filter(|y| y.year == year)
            .map(|y| y.spend_usd)
            .fold(0.0, |a, b| a + b); // `sum` of no spend is −0.0, printed "-0.0"
        cumulative += spend;
        let mut book = 0.0;
        let mut econ = vec![0.0; betas.len()];
        for (v, dollars, c, vals) in &tranches {
            if *v > year {
                continue;
            }
            let age = f64::from(year - v) + 0.5;
            book += dollars * (1.0 - age / book_life_years).max(0.0);
            for (e, val) in econ.iter_mut().zip(vals) {
                *e += dollars * val.value_at_age(age) / c.capex_usd;
            }
        }
        rows.push(PortfolioRow {
            year,
            spend_usd: spend,
            cumulative_spend_usd: cumulative,
            book_usd: book,
            economic_usd: econ[0],
            economic_band_usd: Band::of(econ[1..].iter().copied()),
            exposure_usd: book - econ[0],
        });
    }
    Ok(rows)
}
