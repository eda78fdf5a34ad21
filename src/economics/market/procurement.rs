//! What procurement asks of one chip: buy or rent, the cost of an accelerator-year, payback.
//!
//! Over a horizon of `L` years (the book life), with capital recovery factor
//! `CRF(r, L) = r / (1 − (1 + r)^−L)` (`1/L` when `r = 0`):
//! - ownership cost per year, paid whatever the utilisation:
//!   `(capex − V(L)·(1 + r)^−L)·CRF + fixed costs + failures`, where `V(L)` is the model's
//!   residual value at age `L`;
//! - electricity per worked hour `e`;
//! - total cost per accelerator-year at utilisation `u`: ownership + `e·8760·u`;
//! - break-even utilisation against renting at `R` per hour: `u* = ownership / (8760·(R − e))`
//!   (owning is cheaper above it; 0 when the ownership cost is not positive; none when `R ≤ e`
//!   or `u* > 1`).

use super::costs::{RunningCosts, HOURS_PER_YEAR};
use super::value::{ChipCase, Valuation};
use serde::Serialize;

/// How far above the market's on-demand rent of a chip a given cloud rent is said to look like
/// a node's price: a hyperscaler's list runs up to ≈ 3× the neocloud median (AWS's H100 at
/// $12.29 against $3.99), a node of 8 GPUs 8× and more (`--cloud-usd-per-hour 98.32`, an AWS
/// p5 instance, had been taken as one H100's rent without a word). Below the market's rent by
/// the same factor, a rent looks like a slipped decimal point or a price of a smaller slice.
pub const NODE_RENT_RATIO: f64 = 4.0;

/// What to say of a cloud rent given for one GPU of a chip, against the market's on-demand rent
/// of that chip (`market_usd_per_hour`, which `which` says: "fitted at purchase, 2022-09-15",
/// "median of the latest, 2026-11": `cost` and `depreciate` quote different ones, a helper's
/// sweep): nothing within [`NODE_RENT_RATIO`] of it either way.
pub fn given_rent_note(
    chip: &str,
    given_usd_per_hour: f64,
    market_usd_per_hour: f64,
    which: &str,
) -> Option<String> {
    let ratio = given_usd_per_hour / market_usd_per_hour;
    if !ratio.is_finite() || market_usd_per_hour <= 0.0 {
        return None;
    }
    if ratio > NODE_RENT_RATIO {
        Some(format!(
            "the cloud rent given, ${given_usd_per_hour:.2}/h, is {ratio:.1}× the market's \
             on-demand rent of the {chip} (${market_usd_per_hour:.2}/h, {which}): if it is a node's \
             price, divide it by its GPUs; the figures take it as one GPU's"
        ))
    } else if ratio < 1.0 / NODE_RENT_RATIO {
        Some(format!(
            "the cloud rent given, ${given_usd_per_hour:.2}/h, is {:.0}× below the market's \
             on-demand rent of the {chip} (${market_usd_per_hour:.2}/h, {which}): check the decimal \
             point and that it is one whole GPU's rent per hour; the figures take it as given",
            1.0 / ratio
        ))
    } else {
        None
    }
}

/// The rent a buyer compares owning with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RentAlternative {
    pub usd_per_hour: f64,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Procurement {
    pub horizon_years: f64,
    pub residual_value_usd: f64,
    pub ownership_usd_per_year: f64,
    pub total_cost_usd_per_year: f64,
    /// Total cost per worked hour at the utilisation of the terms.
    pub cost_usd_per_worked_hour: f64,
    /// True where the residual value repays the capex and every running cost over the horizon
    /// (the total cost negative): owning costs nothing, as the text and the CSV say (the JSON
    /// had only the sign of its costs to say it, a helper's sweep).
    pub owning_gains_value: bool,
    pub rent_alternative: RentAlternative,
    /// Utilisation above which owning beats renting; `None` if renting is cheaper even at 100 %.
    pub break_even_utilization: Option<f64>,
    pub payback_years: Option<f64>,
}

/// Capital recovery factor.
pub fn crf(rate: f64, years: f64) -> f64 {
    if rate.abs() < 1e-12 {
        1.0 / years
    } else {
        rate / (1.0 - (1.0 + rate).powf(-years))
    }
}

/// Over `horizon_years`: the market price at its end, the owner's ownership cost per year (the
/// capex less that price, recovered over it at `discount_rate`, and the fixed and failure
/// costs) and the total cost per year with electricity at the terms' utilisation.
fn costs_over(
    chip: &ChipCase,
    valuation: &Valuation,
    costs: &RunningCosts,
    discount_rate: f64,
    horizon_years: f64,
) -> (f64, f64, f64) {
    // The market price at the exact age (the value path is monthly): at the age rounded to a
    // whole year a 2.5-year horizon sold at V(3) and cost more a year than a 2.4-year one, and a
    // one-month horizon sold the chip at its price new (a helper's sweep).
    let residual = valuation.value_at_age(horizon_years);
    let pv_residual = residual * (1.0 + discount_rate).powf(-horizon_years);
    let ownership = (chip.capex_usd - pv_residual) * crf(discount_rate, horizon_years)
        + costs.fixed_usd_per_year(chip.watts, chip.capex_usd)
        + costs.failures_usd_per_year(chip.capex_usd);
    let e = costs.electricity_usd_per_worked_hour(chip.watts);
    let total = ownership + e * HOURS_PER_YEAR * costs.utilization;
    (residual, ownership, total)
}

/// What a worked hour costs the owner over `horizon_years` ([`Procurement`]'s
/// `cost_usd_per_worked_hour`), from one valuation (the point's, or a bootstrap draw's).
pub fn cost_per_worked_hour(
    chip: &ChipCase,
    valuation: &Valuation,
    costs: &RunningCosts,
    discount_rate: f64,
    horizon_years: f64,
) -> f64 {
    let (_, _, total) = costs_over(chip, valuation, costs, discount_rate, horizon_years);
    per_worked_hour(total, costs)
}

/// A yearly cost over the worked hours of a year at the terms' utilisation.
fn per_worked_hour(usd_per_year: f64, costs: &RunningCosts) -> f64 {
    usd_per_year / (HOURS_PER_YEAR * costs.utilization)
}

pub fn procurement(
    chip: &ChipCase,
    valuation: &Valuation,
    costs: &RunningCosts,
    discount_rate: f64,
    horizon_years: f64,
    rent_alternative: RentAlternative,
) -> Procurement {
    let (residual, ownership, total) =
        costs_over(chip, valuation, costs, discount_rate, horizon_years);
    let e = costs.electricity_usd_per_worked_hour(chip.watts);
    let r = rent_alternative.usd_per_hour;
    // An ownership cost at or below zero (a residual value worth more than the price and the
    // fixed costs: a chip bought far under its market price) makes owning cheaper at any
    // utilisation: 0, never a negative share.
    let break_even = (r > e)
        .then(|| (ownership / (HOURS_PER_YEAR * (r - e))).max(0.0))
        .filter(|u| *u <= 1.0);
    Procurement {
        horizon_years,
        residual_value_usd: residual,
        ownership_usd_per_year: ownership,
        total_cost_usd_per_year: total,
        cost_usd_per_worked_hour: per_worked_hour(total, costs),
        owning_gains_value: total < 0.0,
        rent_alternative,
        break_even_utilization: break_even,
        payback_years: valuation.payback_years,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capital_recovery_by_hand() {
        assert_eq!(crf(0.0, 5.0), 0.2);
        // 10 % over 2 years: 0.1 / (1 − 1/1.21) = 0.57619…
        assert!((crf(0.1, 2.0) - 0.576_190_476).abs() < 1e-8);
    }

    /// The residual is the market price at the horizon itself, and a longer horizon never
    /// costs more a year to own (the price falls with age; the capex is spread wider).
    #[test]
    fn the_residual_is_taken_at_the_horizon() {
        use crate::economics::market::{data, fit, value};
        let fit = fit::fit(&data::shipped().unwrap()).unwrap();
        let chip = value::h100_case(47_040.0);
        let terms = value::Terms {
            costs: crate::economics::market::costs::example(),
            discount_rate: 0.08,
            segment: fit::Segment {
                class: data::ProviderClass::Neocloud,
                basis: data::Basis::Reserved1y,
            },
        };
        let v = value::value(&fit, &fit.beta, &chip, &terms);
        let rent = RentAlternative {
            usd_per_hour: 4.0,
            source: String::new(),
        };
        let at = |h: f64| procurement(&chip, &v, &terms.costs, 0.08, h, rent.clone());
        for h in [0.5, 2.4, 2.5, 4.75] {
            assert_eq!(at(h).residual_value_usd, v.value_at_age(h), "{h}");
        }
        assert!(at(0.5).residual_value_usd < v.value0_usd);
        let mut last = f64::INFINITY;
        for months in 6..=84 {
            let own = at(months as f64 / 12.0).ownership_usd_per_year;
            assert!(own <= last + 1e-6, "{months} months: {own} > {last}");
            last = own;
        }
    }
}
