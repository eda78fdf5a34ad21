//! Model C, power-constrained: where power, not capital, limits the fleet, each watt could host
//! frontier compute instead, so the chip pays for its watts at their shadow price.
//!
//! Assumption (stated in the README): the frontier chip bought at any date earns zero
//! economic profit, so its revenue per watt equals its capital charge per watt plus its energy
//! bill per watt. Frontier revenue per watt scales as `P_F(t)·η_F(t) ∝ ((1 − g)(1 + h))^t`,
//! where `η_F` is the frontier's FLOP/s per W, growing at `h` per year; frontier capital per
//! watt scales the same way (FLOP/s per $ improves as `1/(1 − g)`, FLOP/s per W as `1 + h`).
//! A watt's value to whoever holds it therefore grows as `k^t`, `k = (1 − g)(1 + h)`, and the
//! old chip's running cost becomes `C₀·max(1, k)^t` — its energy bill at the watt's rising
//! shadow price (never below the bill itself):
//!
//! `e(t) = R₀(1 − g)^t − C₀·e^(κt)`, `κ = max(0, ln k)`.
//!
//! Life ends at `T = ln(R₀/C₀)/(λ + κ)`; when `k > 1` that is `(1 + h)^T = R₀/C₀`: the chip
//! retires when the frontier's FLOP/W has improved on its own by the ratio of its revenue to its
//! energy bill when new. When `k ≤ 1` power is not getting scarcer and C equals A.

use super::obsolescence::{calibrated_flow, flow_notes};
use super::outcome::ModelOutcome;
use super::{ChipInputs, Market};
use crate::error::FlError;

/// `κ = max(0, ln((1 − g)(1 + h)))`.
pub fn power_cost_growth(market: &Market) -> f64 {
    ((1.0 - market.decline_g) * (1.0 + market.efficiency_growth_h))
        .ln()
        .max(0.0)
}

/// Model C for one chip.
pub fn model_c(chip: &ChipInputs, market: &Market) -> Result<ModelOutcome, FlError> {
    let kappa = power_cost_growth(market);
    let cal = calibrated_flow(chip, market, kappa)?;
    let flow = cal.flow;
    let mut notes = flow_notes(&cal);
    let k = (1.0 - market.decline_g) * (1.0 + market.efficiency_growth_h);
    notes.push(if kappa > 0.0 {
        format!(
            "k = (1 − g)(1 + h) = {k:.3}: the watt's shadow price grows {}/yr",
            crate::units::pct_with(kappa.exp_m1(), 1)
        )
    } else {
        format!(
            "k = (1 − g)(1 + h) = {k:.3} ≤ 1: a watt earns no more at the frontier over time, \
             so power is not getting scarcer and C equals A"
        )
    });
    Ok(ModelOutcome::from_value_fn(
        "C power-constrained",
        |t| flow.value_at(t),
        Some(flow.life()),
        notes,
    ))
}
