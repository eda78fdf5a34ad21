//! What one model says about one chip: value curve, economic life, half-life and the
//! equivalent annual depreciation rate.

use super::exp_flow::Life;
use super::{CURVE_STEP_YEARS, CURVE_YEARS, LIFE_CAP_YEARS};
use crate::economics::types::{CurvePoint, ValueCurve};

/// The result of one model for one chip.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelOutcome {
    /// e.g. "A obsolescence".
    pub model: String,
    /// `V(0)`, USD.
    pub initial_value_usd: f64,
    /// Economic life (models A, B, C); `None` for accounting schedules.
    pub life: Option<Life>,
    /// First age at which `V(t) ≤ V(0)/2`; `None` if never within the search range.
    pub half_life_years: Option<f64>,
    /// Equivalent annual depreciation rate `d = 1 − (1/2)^(1/half-life)`: the constant
    /// geometric rate that halves the value in the same time.
    pub annual_rate: Option<f64>,
    /// `V(t)` at ages 0, 0.5, …, 10 years.
    pub curve: ValueCurve,
    /// Caps, warnings and the calibrated frontier price, in words.
    pub notes: Vec<String>,
}

impl ModelOutcome {
    /// Builds an outcome from a value function `V(age)` that falls with age.
    pub fn from_value_fn(
        model: &str,
        value: impl Fn(f64) -> f64,
        life: Option<Life>,
        notes: Vec<String>,
    ) -> Self {
        let v0 = value(0.0);
        let search_end = life.map_or(LIFE_CAP_YEARS, |l| l.years.max(0.0));
        let half_life_years = half_life(&value, v0, search_end);
        let annual_rate = half_life_years
            .filter(|h| *h > 0.0)
            .map(|h| 1.0 - 0.5f64.powf(1.0 / h));
        let points = curve_ages()
            .map(|year| CurvePoint {
                year,
                value_usd: value(year),
            })
            .collect();
        Self {
            model: model.to_string(),
            initial_value_usd: v0,
            life,
            half_life_years,
            annual_rate,
            curve: ValueCurve {
                model: model.to_string(),
                points,
                economic_life_years: life.map(|l| l.years),
                half_life_years,
            },
            notes,
        }
    }

    /// Value at `age` read off the curve (linear between its points).
    pub fn value_at(&self, age: f64) -> f64 {
        interpolate(&self.curve.points, age)
    }

    /// `V(age)/V(0)`, or 0 when `V(0)` is 0.
    pub fn share_at(&self, age: f64) -> f64 {
        if self.initial_value_usd > 0.0 {
            self.value_at(age) / self.initial_value_usd
        } else {
            0.0
        }
    }
}

/// Ages 0, 0.5, …, 10.
pub fn curve_ages() -> impl Iterator<Item = f64> {
    let n = (CURVE_YEARS / CURVE_STEP_YEARS).round() as usize;
    (0..=n).map(|i| i as f64 * CURVE_STEP_YEARS)
}

/// Linear interpolation of a curve; flat beyond its ends.
pub fn interpolate(points: &[CurvePoint], age: f64) -> f64 {
    match points {
        [] => 0.0,
        [only] => only.value_usd,
        _ => {
            if age <= points[0].year {
                return points[0].value_usd;
            }
            for w in points.windows(2) {
                if age <= w[1].year {
                    let f = (age - w[0].year) / (w[1].year - w[0].year);
                    return w[0].value_usd + f * (w[1].value_usd - w[0].value_usd);
                }
            }
            points[points.len() - 1].value_usd
        }
    }
}

/// First age in `[0, end]` where `V ≤ V(0)/2`: a scan in 0.01-year steps, then bisection.
fn half_life(value: &impl Fn(f64) -> f64, v0: f64, end: f64) -> Option<f64> {
    if v0 <= 0.0 {
        return None;
    }
    let target = 0.5 * v0;
    let step = 0.01;
    let mut prev = 0.0;
    let mut t = step;
    while t <= end + step {
        let at = t.min(end);
        if value(at) <= target {
            let (mut lo, mut hi) = (prev, at);
            for _ in 0..60 {
                let mid = 0.5 * (lo + hi);
                if value(mid) <= target {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            return Some(hi);
        }
        prev = at;
        t += step;
    }
    None
}
