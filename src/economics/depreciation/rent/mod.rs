//! Model B, rent-based: the chip is worth the rent it can still earn, less its running cost.
//!
//! Rental price path fitted to observations `(date, usd_per_hour)`:
//!
//! `p(t) = A·e^(−δt)·(1 + m·e^(−t/τ))`, `t` in years since the first observation,
//!
//! an exponential decay `δ` of the underlying rent times a scarcity premium `m` that fades with
//! time constant `τ`. Fit: least squares on `ln p`; for each `(m, τ)` on a grid
//! (`m` = 0…3 step 0.05, `τ` = 0.25…3 years step 0.25) `ln p − ln(1 + m·e^(−t/τ)) = ln A − δt` is
//! an ordinary linear regression; the grid point with the smallest squared error wins. With
//! fewer than [`MIN_POINTS_FOR_PREMIUM`] observations only `m = 0` is tried. The decay is
//! constrained to `δ ≥ 0`: a series that rises is held flat at its mean (`δ = 0`), since a rent
//! rising forever would value the chip without bound; the fit says so
//! ([`RentFit::decline_held_at_zero`]), and a premium on the edge of its grid is flagged
//! ([`RentFit::premium_on_grid_edge`]).
//!
//! Value at age `t` (age 0 = the first observation), rented `u·8760` hours a year:
//! `V(t) = ∫ₜᵀ e^(−ρ(s−t)) (u·8760·p(s) − OPEX) ds`
//! `    = u·8760·A·[e^(−δt)F(ρ+δ, T−t) + m·e^(−(δ+1/τ)t)F(ρ+δ+1/τ, T−t)] − OPEX·F(ρ, T−t)`,
//! `T` the first age where rent no longer covers OPEX (capped at [`LIFE_CAP_YEARS`]).

use super::exp_flow::{pv_factor, Life};
use super::outcome::ModelOutcome;
use super::{continuous_rate, ChipInputs, Market, HOURS_PER_YEAR, LIFE_CAP_YEARS};
use crate::economics::regression::LineFit;
use crate::error::FlError;
use chrono::NaiveDate;

mod grid;

pub use super::series::{
    parse_series, parse_series_noted, read_series, validate_series, RentObservation,
};

/// Below this many observations the scarcity premium is not fitted (`m = 0`).
pub const MIN_POINTS_FOR_PREMIUM: usize = 5;
const DAYS_PER_YEAR: f64 = 365.25;
/// A series shorter than this (half a year) gets a caveat: its decline is extrapolated.
pub const MIN_SPAN_YEARS_FOR_DECLINE: f64 = 0.5;
/// A series shorter than this is refused: over days, a fitted decline is one stretch's change
/// scaled to a year (two prices a day apart, $4 then $1, read as "declining 100 %/yr" and
/// valued the chip; a back-test fitted on them printed `e^(−506t)`, a helper's sweep).
pub const MIN_SPAN_DAYS: i64 = 30;

/// Fitted rental-price path `p(t) = A·e^(−δt)·(1 + m·e^(−t/τ))`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RentFit {
    /// Date of `t = 0` (the first observation).
    pub start: NaiveDate,
    /// `A`, USD per hour.
    pub base_usd_per_hour: f64,
    /// `δ`, per year.
    pub decay_per_year: f64,
    /// `m`, scarcity premium at `t = 0` as a share of the base rent.
    pub premium: f64,
    /// `τ`, years.
    pub premium_fade_years: f64,
    /// Root-mean-square error of `ln p` over the fitted points.
    pub rmse_log: f64,
    pub points: usize,
    /// Years from the first observation to the last.
    pub span_years: f64,
    /// The unconstrained fit had the rent rising (`δ < 0`); `δ` was held at 0.
    pub decline_held_at_zero: bool,
    /// `m` or `τ` sits on the edge of its grid (`m` = 3, `τ` = 0.25 or 3 years with `m` > 0):
    /// the series wants a premium the grid cannot express, so its share and fade are uncertain.
    pub premium_on_grid_edge: bool,
}

impl RentFit {
    /// Years from the start to `date`.
    pub fn years_since_start(&self, date: NaiveDate) -> f64 {
        (date - self.start).num_days() as f64 / DAYS_PER_YEAR
    }

    /// `p(t)`, USD per hour, `t` in years since the start.
    pub fn usd_per_hour_at(&self, t: f64) -> f64 {
        self.base_usd_per_hour
            * (-self.decay_per_year * t).exp()
            * (1.0 + self.premium * (-t / self.premium_fade_years).exp())
    }

    /// What the reader should know of the fit: a series too short for a yearly decline, a
    /// decline held at 0, a premium on its grid's edge.
    pub fn caveats(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.span_years < MIN_SPAN_YEARS_FOR_DECLINE {
            let days = (self.span_years * DAYS_PER_YEAR).round();
            out.push(format!(
                "the series spans only {days:.0} day{}: its path ({}) is that stretch's change \
                 scaled to a year, not a measured trend; prices over half a year or more measure \
                 it",
                if days == 1.0 { "" } else { "s" },
                self.trend(),
            ));
        }
        if self.decline_held_at_zero {
            out.push(
                "the rents rise over the series; the fit holds them flat (decline ≥ 0: a rent \
                 rising forever would make the chip worth without bound); a longer series shows \
                 the decline"
                    .to_string(),
            );
        }
        if self.premium_on_grid_edge {
            out.push(format!(
                "scarcity premium {} fading over {:.2} y is on the edge of the fit's grid (premium \
                 0–300 %, fade 0.25–3 y): the series' premium is not well determined",
                crate::units::pct_with(self.premium, 0),
                self.premium_fade_years
            ));
        }
        out
    }

    /// The underlying rent's yearly change in words: `declining 39.3 %/yr`, `rising 15.0 %/yr`
    /// (a rise is fitted only under [`Rising::Follow`]); a rise above 1000 %/yr (two prices days
    /// apart) is not spelled out.
    pub fn trend(&self) -> String {
        let rise = (-self.decay_per_year).exp_m1();
        if rise > 10.0 {
            "rising over 1000 %/yr".into()
        } else if rise > 0.0 {
            format!("rising {}/yr", crate::units::pct_with(rise, 1))
        } else {
            format!(
                "declining {}/yr",
                crate::units::pct_with(self.annual_decline(), 1)
            )
        }
    }

    /// Annual decline of the underlying rent, `1 − e^(−δ)`.
    pub fn annual_decline(&self) -> f64 {
        // `0.0 -`, not a unary minus: no decay gives 0, not -0.
        0.0 - (-self.decay_per_year).exp_m1()
    }
}

/// What the fit does with rents that rise over the series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rising {
    /// Hold the decline at 0 (`δ ≥ 0`): model B extrapolates the path for the chip's whole
    /// life, and a rent rising forever would value the chip without bound.
    HoldFlat,
    /// Follow the series: the path is read only over the series' own dates (`--rents` under the
    /// market model, which moves the rent beyond them as the market moves).
    Follow,
}

/// Fits the path to a validated series, a rise held flat ([`Rising::HoldFlat`]).
pub fn fit(series: &[RentObservation], name: &str) -> Result<RentFit, FlError> {
    fit_with(series, name, Rising::HoldFlat)
}

/// Fits the path to a validated series.
pub fn fit_with(
    series: &[RentObservation],
    name: &str,
    rising: Rising,
) -> Result<RentFit, FlError> {
    validate_series(series, name)?;
    if let (Some(first), Some(last)) = (series.first(), series.last()) {
        let days = (last.date - first.date).num_days();
        if days < MIN_SPAN_DAYS {
            return Err(FlError::input(
                name,
                format!(
                    "its fitted prices span {days} day{} ({} to {}): a yearly decline needs \
                     prices at least {MIN_SPAN_DAYS} days apart (half a year or more measures \
                     it); add rows of earlier or later dates (with --backtest: rows before \
                     --fit-until, or a later --fit-until)",
                    if days == 1 { "" } else { "s" },
                    first.date,
                    last.date
                ),
            ));
        }
    }
    let logs: Vec<f64> = series.iter().map(|o| o.usd_per_hour.ln()).collect();
    let dates: Vec<NaiveDate> = series.iter().map(|o| o.date).collect();
    Ok(fit_logs(&dates, &[logs], rising).remove(0))
}

/// Fits the path to each series of `ln p` (USD per hour) on the same `dates` (at least 2,
/// strictly increasing, as [`validate_series`] checks): the bootstrap's refits, which share the
/// grid's work ([`grid::best`]).
pub fn fit_logs(dates: &[NaiveDate], logs: &[Vec<f64>], rising: Rising) -> Vec<RentFit> {
    let start = dates[0];
    let ts: Vec<f64> = dates
        .iter()
        .map(|d| (*d - start).num_days() as f64 / DAYS_PER_YEAR)
        .collect();
    let grid = grid::points(dates.len() >= MIN_POINTS_FOR_PREMIUM);
    let hold = rising == Rising::HoldFlat;
    grid::best(&ts, logs, &grid, hold)
        .into_iter()
        .zip(logs)
        .map(|(g, l)| fit_at(start, &ts, l, g, hold))
        .collect()
}

/// The path at one grid point, fitted exactly: `ln p − ln(1 + m·e^(−t/τ)) = ln A − δt` by
/// least squares, `δ` held at 0 when the line rises and `hold` is set.
fn fit_at(start: NaiveDate, ts: &[f64], logs: &[f64], g: grid::GridPoint, hold: bool) -> RentFit {
    let ys: Vec<f64> = ts
        .iter()
        .zip(logs)
        .map(|(t, l)| l - (g.m * (-t / g.tau).exp()).ln_1p())
        .collect();
    let (mut intercept, mut slope) = linear_fit(ts, &ys);
    let held = hold && slope > 0.0;
    if held {
        // δ ≥ 0: the best flat line is the mean.
        slope = 0.0;
        intercept = ys.iter().sum::<f64>() / ys.len() as f64;
    }
    let sse: f64 = ts
        .iter()
        .zip(&ys)
        .map(|(t, y)| (y - intercept - slope * t).powi(2))
        .sum();
    RentFit {
        start,
        base_usd_per_hour: intercept.exp(),
        decay_per_year: -slope,
        premium: g.m,
        premium_fade_years: g.tau,
        rmse_log: (sse / ts.len() as f64).sqrt(),
        points: ts.len(),
        span_years: ts[ts.len() - 1],
        decline_held_at_zero: held,
        premium_on_grid_edge: g.m > 0.0 && g.on_edge,
    }
}

/// Ordinary least squares `y = a + b·x`; returns `(a, b)`.
fn linear_fit(xs: &[f64], ys: &[f64]) -> (f64, f64) {
    let line = LineFit::fit(xs, ys);
    (line.intercept, line.slope)
}

/// Economic life under model B: first age where `u·8760·p(t) ≤ OPEX`.
pub fn rent_life(fit: &RentFit, opex_usd_per_year: f64, utilization: f64) -> Life {
    let net = |t: f64| utilization * HOURS_PER_YEAR * fit.usd_per_hour_at(t) - opex_usd_per_year;
    if net(0.0) <= 0.0 {
        return Life {
            years: 0.0,
            capped: false,
        };
    }
    let step = 0.01;
    let mut prev = 0.0;
    let mut t = step;
    while t <= LIFE_CAP_YEARS {
        if net(t) <= 0.0 {
            let (mut lo, mut hi) = (prev, t);
            for _ in 0..60 {
                let mid = 0.5 * (lo + hi);
                if net(mid) <= 0.0 {
                    hi = mid
                } else {
                    lo = mid
                }
            }
            return Life {
                years: hi,
                capped: false,
            };
        }
        prev = t;
        t += step;
    }
    Life {
        years: LIFE_CAP_YEARS,
        capped: true,
    }
}

/// Model B for one chip rented on the fitted path (closed form above).
pub fn model_b(chip: &ChipInputs, market: &Market, fit: &RentFit) -> Result<ModelOutcome, FlError> {
    chip.validate()?;
    market.validate()?;
    let opex = chip.opex_usd_per_year(market);
    let rho = continuous_rate(market.discount_rate);
    let life = rent_life(fit, opex, market.utilization);
    let hours = market.utilization * HOURS_PER_YEAR;
    let fade = fit.decay_per_year + 1.0 / fit.premium_fade_years;
    let value = |t: f64| {
        if t >= life.years {
            return 0.0;
        }
        let left = life.years - t;
        hours
            * fit.base_usd_per_hour
            * ((-fit.decay_per_year * t).exp() * pv_factor(rho + fit.decay_per_year, left)
                + fit.premium * (-fade * t).exp() * pv_factor(rho + fade, left))
            - opex * pv_factor(rho, left)
    };
    let mut notes = vec![format!(
        "rent path from {}: A = {:.3} $/h, decline {}/yr, scarcity premium {} fading over {:.2} y (rmse of ln p {:.3}, {} points); age 0 = {}",
        fit.start,
        fit.base_usd_per_hour,
        crate::units::pct_with(fit.annual_decline(), 1),
        crate::units::pct_with(fit.premium, 0),
        fit.premium_fade_years,
        fit.rmse_log,
        fit.points,
        fit.start
    )];
    notes.extend(fit.caveats());
    if life.capped {
        notes.push(format!(
            "rent never falls below the running cost: life capped at {LIFE_CAP_YEARS:.0} years"
        ));
    }
    notes.push(format!(
        "V(0) = {:.0} USD against a capex of {:.0} USD",
        value(0.0),
        chip.capex_usd
    ));
    Ok(ModelOutcome::from_value_fn(
        "B rent-based",
        value,
        Some(life),
        notes,
    ))
}

#[cfg(test)]
mod tests;
