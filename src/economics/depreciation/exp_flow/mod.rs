//! The earnings flow shared by models A and C:
//!
//! `e(s) = R₀·e^(−λs) − C₀·e^(κs)` (USD per year at age `s`),
//!
//! revenue `R₀` falling at the frontier decay `λ = −ln(1 − g)`, running cost `C₀` growing at
//! `κ ≥ 0` (0 in model A). Economic life `T` is where `e(T) = 0`:
//! `T = ln(R₀/C₀) / (λ + κ)` (0 when `R₀ ≤ C₀`; unbounded when `C₀ = 0` or `λ + κ = 0`, then
//! capped at [`LIFE_CAP_YEARS`]). Value at age `t` is the present value of the remaining
//! earnings, discounted continuously at `ρ = ln(1 + r)`:
//!
//! `V(t) = ∫ₜᵀ e^(−ρ(s−t)) e(s) ds = R₀e^(−λt)·F(ρ+λ, T−t) − C₀e^(κt)·F(ρ−κ, T−t)`,
//! with `F(a, L) = (1 − e^(−aL))/a` and `F(0, L) = L`.

use super::LIFE_CAP_YEARS;
use crate::error::FlError;

/// `F(a, L) = ∫₀ᴸ e^(−ax) dx = (1 − e^(−aL))/a`, and `L` when `a = 0`.
pub fn pv_factor(a: f64, length_years: f64) -> f64 {
    if a.abs() < 1e-12 {
        length_years
    } else {
        -(-a * length_years).exp_m1() / a
    }
}

/// The economic life found for a flow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Life {
    pub years: f64,
    /// True when the life is unbounded (or longer than the cap) and was cut at the cap.
    pub capped: bool,
}

/// `e(s) = R₀·e^(−λs) − C₀·e^(κs)`, discounted at `ρ`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExpFlow {
    /// `R₀`, USD per year.
    pub revenue0_usd_per_year: f64,
    /// `λ`, per year.
    pub revenue_decay: f64,
    /// `C₀`, USD per year.
    pub cost0_usd_per_year: f64,
    /// `κ`, per year.
    pub cost_growth: f64,
    /// `ρ`, per year.
    pub discount: f64,
}

impl ExpFlow {
    /// Earnings per year at age `t`.
    pub fn earnings(&self, t: f64) -> f64 {
        self.revenue0_usd_per_year * (-self.revenue_decay * t).exp()
            - self.cost0_usd_per_year * (self.cost_growth * t).exp()
    }

    /// Economic life: `T = ln(R₀/C₀)/(λ + κ)`, capped at [`LIFE_CAP_YEARS`].
    pub fn life(&self) -> Life {
        let (r0, c0) = (self.revenue0_usd_per_year, self.cost0_usd_per_year);
        if r0 <= c0 {
            return Life {
                years: 0.0,
                capped: false,
            };
        }
        let rate = self.revenue_decay + self.cost_growth;
        if c0 <= 0.0 || rate <= 0.0 {
            return Life {
                years: LIFE_CAP_YEARS,
                capped: true,
            };
        }
        let years = (r0 / c0).ln() / rate;
        if years > LIFE_CAP_YEARS {
            Life {
                years: LIFE_CAP_YEARS,
                capped: true,
            }
        } else {
            Life {
                years,
                capped: false,
            }
        }
    }

    /// Closed-form value at age `t` (0 at and after the end of life).
    pub fn value_at(&self, t: f64) -> f64 {
        let end = self.life().years;
        if t >= end {
            return 0.0;
        }
        let left = end - t;
        self.revenue0_usd_per_year
            * (-self.revenue_decay * t).exp()
            * pv_factor(self.discount + self.revenue_decay, left)
            - self.cost0_usd_per_year
                * (self.cost_growth * t).exp()
                * pv_factor(self.discount - self.cost_growth, left)
    }

    /// The same value by stepping through time: midpoint rule with `steps` steps over
    /// `[t, T]`, summing `e(s)·e^(−ρ(s−t))·Δs`. Used to check the closed form.
    pub fn value_at_numeric(&self, t: f64, steps: usize) -> f64 {
        let end = self.life().years;
        if t >= end || steps == 0 {
            return 0.0;
        }
        let dt = (end - t) / steps as f64;
        (0..steps)
            .map(|i| {
                let s = t + (i as f64 + 0.5) * dt;
                self.earnings(s) * (-self.discount * (s - t)).exp() * dt
            })
            .sum()
    }
}

/// Finds `R₀` such that the flow's value at age 0 equals `target_usd` (bisection; `V(0)` rises
/// monotonically with `R₀`, because `∂V(0)/∂R₀ = ∫₀ᵀ e^(−(ρ+λ)s) ds > 0`).
pub fn calibrate_revenue(template: &ExpFlow, target_usd: f64) -> Result<f64, FlError> {
    if !(target_usd.is_finite() && target_usd > 0.0) {
        return Err(FlError::usage(format!(
            "cannot calibrate to a value of {target_usd} USD; pass a positive --price-usd"
        )));
    }
    let value = |r0: f64| {
        ExpFlow {
            revenue0_usd_per_year: r0,
            ..*template
        }
        .value_at(0.0)
    };
    let mut lo = template.cost0_usd_per_year.max(0.0);
    let mut hi = lo + target_usd.max(1.0);
    let mut doublings = 0;
    while value(hi) < target_usd {
        lo = hi;
        hi *= 2.0;
        doublings += 1;
        if doublings > 200 || !hi.is_finite() {
            return Err(FlError::usage(
                "cannot calibrate the frontier price of compute: check --price-usd, \
                 --discount-rate and --growth",
            ));
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if value(mid) < target_usd {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-12 * hi {
            break;
        }
    }
    Ok(0.5 * (lo + hi))
}

#[cfg(test)]
mod tests;
