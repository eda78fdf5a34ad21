//! Depreciation models of AI chips (DESIGN §7, README "The depreciation model").
//!
//! Every model is a pure function of explicit numbers; the command layer fills them from the
//! catalog, a run report and the pricing defaults.
//!
//! - [`obsolescence`] — model A (Salter): earnings `u·q·S·P_F(t) − OPEX` until they reach zero.
//! - [`rent`] — model B: present value of a fitted rental-price path minus running cost.
//! - [`power`] — model C: power-constrained; the chip's watts are charged at their rising
//!   shadow price, so its FLOP/W relative to the frontier sets its life.
//! - [`accounting`] — model D: straight-line, declining balance, MACRS 5-year.
//! - [`observed`], [`decline`], [`observed_compare`] — observed market prices of older chips,
//!   their fitted annual decline, and the comparison with the models' predicted decline.
//!
//! Conventions: time `t` in years since purchase (age); money in USD; a year has
//! [`HOURS_PER_YEAR`] hours (the same 8760 as the cost model, DESIGN §6); flows are continuous
//! and discounted continuously at `ρ = ln(1 + r)`, which equals annual compounding at `r`.

pub mod accounting;
pub mod decline;
pub mod exp_flow;
pub mod inputs;
pub mod observed;
pub mod observed_compare;
pub mod obsolescence;
pub mod outcome;
pub mod outlook;
pub mod power;
pub mod render;
pub mod rent;
pub mod series;
pub mod sources;

pub use inputs::{ChipInputs, Market};
pub use outcome::ModelOutcome;

/// Hours in a year, as in the cost model.
pub const HOURS_PER_YEAR: f64 = 8760.0;
/// Seconds in a year of [`HOURS_PER_YEAR`] hours.
pub const SECONDS_PER_YEAR: f64 = HOURS_PER_YEAR * 3600.0;
/// Longest economic life a model reports; beyond it the life is "unbounded" and capped here.
pub const LIFE_CAP_YEARS: f64 = 30.0;
/// Value curves span ages 0 to this many years.
pub const CURVE_YEARS: f64 = 10.0;
/// Spacing of value-curve points in years.
pub const CURVE_STEP_YEARS: f64 = 0.5;
/// Frontier decline rates shown in every sensitivity table (plus the fitted or given one).
pub const SENSITIVITY_G: [f64; 4] = [0.2, 0.3, 0.4, 0.5];
/// Age at which the verdict compares book and economic value.
pub const VERDICT_AGE_YEARS: f64 = 3.0;

/// Continuous discount rate `ρ = ln(1 + r)` equivalent to an annual rate `r`.
pub fn continuous_rate(annual_rate: f64) -> f64 {
    annual_rate.ln_1p()
}

/// Frontier decline `g` → continuous decay `λ = −ln(1 − g)`, so `(1 − g)^t = e^(−λt)`.
pub fn decay_from_decline(g: f64) -> f64 {
    -(-g).ln_1p()
}
