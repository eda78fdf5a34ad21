//! Portfolio scenario: a capex schedule (spend by year and chip mix), valued year by year on
//! the books (straight-line 5 and 6 years) and economically (model A).
//!
//! Spend of year `v` is placed in service at mid-year, so at the end of year `Y` it is
//! `a = Y − v + 0.5` years old. With shares `s_c` of chip `c` in that year's mix:
//!
//! - book value `B_L(Y) = Σ_v spend_v·max(0, 1 − a/L)`, `L` = 5 or 6;
//! - economic value `E(Y) = Σ_v spend_v·Σ_c s_c·V_c(a)/V_c(0)`, `V_c` model A for chip `c`
//!   (calibrated so `V_c(0)` is its capex, so each dollar starts at a dollar of value);
//! - write-down exposure `B_L(Y) − E(Y)`: what the books carry above the economic value.

pub mod plan;

pub use plan::{CapexPlan, ChipSpec, YearSpend, MAX_SPEND_USD, PRESET_TOML};

use super::depreciation::exp_flow::ExpFlow;
use super::depreciation::obsolescence::calibrated_flow;
use super::depreciation::{ChipInputs, Market};
use crate::error::FlError;
use serde::Serialize;
use std::collections::BTreeMap;

/// One year-end of the scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioRow {
    pub year: i32,
    pub spend_usd: f64,
    pub cumulative_spend_usd: f64,
    pub book_sl5_usd: f64,
    pub book_sl6_usd: f64,
    pub economic_usd: f64,
    /// `book_sl5 − economic`.
    pub exposure_sl5_usd: f64,
    /// `book_sl6 − economic`.
    pub exposure_sl6_usd: f64,
}

/// Values the plan at every year-end from its first year to its horizon. `resolve` turns a
/// chip name of a mix into model inputs (catalog lookup); chips defined in the plan win.
pub fn run(
    plan: &CapexPlan,
    market: &Market,
    resolve: &dyn Fn(&str) -> Result<ChipInputs, FlError>,
) -> Result<Vec<ScenarioRow>, FlError> {
    let mut curves: BTreeMap<String, ExpFlow> = BTreeMap::new();
    for y in &plan.years {
        for chip in plan.mix_of(y).keys() {
            if curves.contains_key(chip) {
                continue;
            }
            let inputs = match plan.chips.get(chip) {
                Some(s) => ChipInputs::at_spec(chip, s.price_usd, s.flop_per_s, s.watts),
                None => resolve(chip)?,
            };
            curves.insert(chip.clone(), calibrated_flow(&inputs, market, 0.0)?.flow);
        }
    }
    let share = |chip: &str, age: f64| {
        let flow = &curves[chip];
        let v0 = flow.value_at(0.0);
        if v0 > 0.0 {
            flow.value_at(age) / v0
        } else {
            0.0
        }
    };
    let first = plan.years[0].year;
    let last = plan
        .horizon
        .unwrap_or(plan.years[plan.years.len() - 1].year + 6);
    let mut rows = Vec::new();
    let mut cumulative = 0.0;
    for year in first..=last {
        let spend = plan
            .years
            .iter()
            .find(|y| y.year == year)
            .map_or(0.0, |y| y.spend_usd);
        cumulative += spend;
        let (mut sl5, mut sl6, mut econ) = (0.0, 0.0, 0.0);
        for v in plan.years.iter().filter(|v| v.year <= year) {
            let age = f64::from(year - v.year) + 0.5;
            sl5 += v.spend_usd * (1.0 - age / 5.0).max(0.0);
            sl6 += v.spend_usd * (1.0 - age / 6.0).max(0.0);
            econ += v.spend_usd
                * plan
                    .mix_of(v)
                    .iter()
                    .map(|(c, s)| s * share(c, age))
                    .sum::<f64>();
        }
        rows.push(ScenarioRow {
            year,
            spend_usd: spend,
            cumulative_spend_usd: cumulative,
            book_sl5_usd: sl5,
            book_sl6_usd: sl6,
            economic_usd: econ,
            exposure_sl5_usd: sl5 - econ,
            exposure_sl6_usd: sl6 - econ,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests;
