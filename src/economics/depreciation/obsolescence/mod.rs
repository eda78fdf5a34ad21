//! Model A, obsolescence (Salter): the chip earns the market value of its compute at the
//! falling frontier price, less its running cost:
//!
//! `e(t) = u·q·S·P_F(t) − OPEX`, `P_F(t) = P_F(0)·(1 − g)^t`, `S` = seconds per year,
//! `OPEX = u·8760·(W/1000)·PUE·$/kWh`.
//!
//! This is [`ExpFlow`] with `R₀ = u·q·S·P_F(0)`, `λ = −ln(1 − g)`, `C₀ = OPEX`, `κ = 0`, so
//! the economic life is `T = ln(R₀/C₀)/λ` and `V(t) = R₀e^(−λt)F(ρ+λ, T−t) − C₀F(ρ, T−t)`.
//!
//! Calibration: `P_F(0)` is the price of compute at which a new chip *at spec* is worth exactly
//! its capex (`V(0) = capex`): buyers pay what the chip's future earnings are worth. The chip
//! then earns on its effective (possibly measured) throughput and power.

use super::exp_flow::{calibrate_revenue, ExpFlow};
use super::outcome::ModelOutcome;
use super::{continuous_rate, decay_from_decline, ChipInputs, Market, SECONDS_PER_YEAR};
use crate::error::FlError;

/// A flow calibrated to the chip's capex, and the frontier price found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Calibrated {
    /// The flow on the chip's effective throughput and power.
    pub flow: ExpFlow,
    /// `P_F(0)`, USD per FLOP.
    pub frontier_usd_per_flop: f64,
}

/// Calibrates `P_F(0)` on the spec figures and returns the effective flow; `cost_growth` is
/// `κ` (0 for model A, the shadow-price growth of power for model C).
pub fn calibrated_flow(
    chip: &ChipInputs,
    market: &Market,
    cost_growth: f64,
) -> Result<Calibrated, FlError> {
    chip.validate()?;
    market.validate()?;
    let template = ExpFlow {
        revenue0_usd_per_year: 0.0,
        revenue_decay: decay_from_decline(market.decline_g),
        cost0_usd_per_year: chip.spec_opex_usd_per_year(market),
        cost_growth,
        discount: continuous_rate(market.discount_rate),
    };
    let spec_revenue = calibrate_revenue(&template, chip.capex_usd)?;
    let frontier_usd_per_flop =
        spec_revenue / (market.utilization * chip.spec_flop_per_s * SECONDS_PER_YEAR);
    let flow = ExpFlow {
        revenue0_usd_per_year: market.utilization
            * chip.flop_per_s
            * SECONDS_PER_YEAR
            * frontier_usd_per_flop,
        cost0_usd_per_year: chip.opex_usd_per_year(market),
        ..template
    };
    Ok(Calibrated {
        flow,
        frontier_usd_per_flop,
    })
}

/// Notes every flow-based model shares: the calibrated price, caps and a dead-on-arrival chip.
pub fn flow_notes(cal: &Calibrated) -> Vec<String> {
    let mut notes = vec![format!(
        "P_F(0) calibrated to {:.3} $ per PFLOP-hour (a new chip at spec is worth its capex)",
        cal.frontier_usd_per_flop * 3.6e18
    )];
    let life = cal.flow.life();
    if life.capped {
        notes.push(format!(
            "economic life unbounded (no frontier decline or no running cost): capped at {:.0} years",
            life.years
        ));
    } else if life.years == 0.0 {
        notes.push("earnings never cover the running cost: no economic value".into());
    }
    notes
}

/// Model A for one chip.
pub fn model_a(chip: &ChipInputs, market: &Market) -> Result<ModelOutcome, FlError> {
    let cal = calibrated_flow(chip, market, 0.0)?;
    let flow = cal.flow;
    Ok(ModelOutcome::from_value_fn(
        "A obsolescence",
        |t| flow.value_at(t),
        Some(flow.life()),
        flow_notes(&cal),
    ))
}

#[cfg(test)]
mod tests;
