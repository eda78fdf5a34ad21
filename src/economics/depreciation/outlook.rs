//! Everything the models say about one chip, side by side: economic curves (A, C and B when a
//! rent series is given), book curves (D), the book-vs-economic gap, the sensitivity to `g`
//! and a one-line verdict.
//!
//! Gap at age `t` against a schedule: `gap = (B(t) − V_A(t)) / V_A(t)`, the share by which the
//! book value overstates (positive) or understates (negative) model A's economic value.

use super::accounting::Schedule;
use super::obsolescence::model_a;
use super::outcome::ModelOutcome;
use super::power::model_c;
use super::rent::{model_b, RentFit};
use super::{ChipInputs, Market, SENSITIVITY_G, VERDICT_AGE_YEARS};
use crate::economics::types::DepreciationOutlook;
use crate::error::FlError;
use serde::Serialize;

/// Model A under one frontier decline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityRow {
    pub decline_g: f64,
    /// Whether this row is the run's own `g` (fitted trend or `--growth`).
    pub chosen: bool,
    pub economic_life_years: f64,
    pub life_capped: bool,
    pub half_life_years: Option<f64>,
    /// `V(3)/V(0)`.
    pub value_share_at_verdict_age: f64,
    /// Gap against straight-line 5 and 6 years at the verdict age (share, not %).
    pub gap_sl5: Option<f64>,
    pub gap_sl6: Option<f64>,
}

/// The book-vs-economic gap of one schedule at the verdict age.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    pub schedule: String,
    pub age_years: f64,
    pub book_usd: f64,
    pub economic_usd: f64,
    /// `(book − economic)/economic`; `None` when the economic value is 0.
    pub overstatement: Option<f64>,
}

/// All results for one chip.
#[derive(Debug, Clone, PartialEq)]
pub struct ChipAnalysis {
    pub chip: ChipInputs,
    pub market: Market,
    /// A, C, then B when a rent series was given.
    pub economic: Vec<ModelOutcome>,
    /// D schedules in [`Schedule::standard`] order.
    pub books: Vec<ModelOutcome>,
    pub gaps: Vec<Gap>,
    pub sensitivity: Vec<SensitivityRow>,
    pub verdict: String,
}

/// Runs every model for one chip.
pub fn analyse(
    chip: &ChipInputs,
    market: &Market,
    rents: Option<&RentFit>,
) -> Result<ChipAnalysis, FlError> {
    let a = model_a(chip, market)?;
    let mut economic = vec![a.clone(), model_c(chip, market)?];
    if let Some(fit) = rents {
        economic.push(model_b(chip, market, fit)?);
    }
    let books: Vec<ModelOutcome> = Schedule::standard()
        .iter()
        .map(|s| {
            ModelOutcome::from_value_fn(
                &s.label(),
                |t| s.book_value(chip.capex_usd, t),
                None,
                Vec::new(),
            )
        })
        .collect();
    let gaps = books
        .iter()
        .map(|b| gap(b, &a, VERDICT_AGE_YEARS))
        .collect();
    let sensitivity = sensitivity(chip, market)?;
    let verdict = verdict(&a, chip.capex_usd);
    Ok(ChipAnalysis {
        chip: chip.clone(),
        market: market.clone(),
        economic,
        books,
        gaps,
        sensitivity,
        verdict,
    })
}

fn gap(book: &ModelOutcome, economic: &ModelOutcome, age: f64) -> Gap {
    let book_usd = book.value_at(age);
    let economic_usd = economic.value_at(age);
    Gap {
        schedule: book.model.clone(),
        age_years: age,
        book_usd,
        economic_usd,
        overstatement: (economic_usd > 0.0).then(|| (book_usd - economic_usd) / economic_usd),
    }
}

/// Model A at g = 0.2, 0.3, 0.4, 0.5 and the market's own g (sorted, duplicates merged).
pub fn sensitivity(chip: &ChipInputs, market: &Market) -> Result<Vec<SensitivityRow>, FlError> {
    let mut gs: Vec<f64> = SENSITIVITY_G.to_vec();
    if !gs.iter().any(|g| (g - market.decline_g).abs() < 1e-9) {
        gs.push(market.decline_g);
    }
    gs.sort_by(f64::total_cmp);
    gs.iter()
        .map(|&g| {
            let a = model_a(chip, &market.with_decline(g))?;
            let life = a.life.unwrap_or(super::exp_flow::Life {
                years: 0.0,
                capped: false,
            });
            let sl = |years: f64| {
                let book = ModelOutcome::from_value_fn(
                    "sl",
                    |t| Schedule::StraightLine { years }.book_value(chip.capex_usd, t),
                    None,
                    Vec::new(),
                );
                gap(&book, &a, VERDICT_AGE_YEARS).overstatement
            };
            Ok(SensitivityRow {
                decline_g: g,
                chosen: (g - market.decline_g).abs() < 1e-9,
                economic_life_years: life.years,
                life_capped: life.capped,
                half_life_years: a.half_life_years,
                value_share_at_verdict_age: a.share_at(VERDICT_AGE_YEARS),
                gap_sl5: sl(5.0),
                gap_sl6: sl(6.0),
            })
        })
        .collect()
}

/// "economic life 3.4 years against a 6-year schedule: book value overstates economic value by
/// 41 % at year 3" (model A against straight-line 6 years, the longest hyperscaler schedule).
pub fn verdict(a: &ModelOutcome, capex_usd: f64) -> String {
    let life = match a.life {
        Some(l) if l.capped => format!("economic life over {:.0} years (capped)", l.years),
        Some(l) => format!("economic life {:.1} years", l.years),
        None => "no economic life".into(),
    };
    let age = VERDICT_AGE_YEARS;
    let book = Schedule::StraightLine { years: 6.0 }.book_value(capex_usd, age);
    let econ = a.value_at(age);
    let comparison = if econ <= 0.0 {
        format!("book value {book:.0} USD against no economic value at year {age:.0}")
    } else {
        let g = (book - econ) / econ;
        let word = if g >= 0.0 {
            "overstates"
        } else {
            "understates"
        };
        format!(
            "book value {word} economic value by {} at year {age:.0}",
            crate::units::pct_with(g.abs(), 0)
        )
    };
    format!("{life} against a 6-year schedule: {comparison}")
}

/// The report-facing outlook of one analysis.
pub fn to_outlook(analysis: &ChipAnalysis) -> DepreciationOutlook {
    DepreciationOutlook {
        chip: analysis.chip.name.clone(),
        measured_inputs: analysis.chip.measured(),
        curves: analysis
            .economic
            .iter()
            .chain(&analysis.books)
            .map(|m| m.curve.clone())
            .collect(),
        verdict: analysis.verdict.clone(),
        basis: String::new(),
    }
}
