//! Observed annual decline rate of a dated price series.
//!
//! `t` is years since the first observation (days / 365.25), `y = ln p`.
//!
//! - n ≥ 3: ordinary least squares `y = a + b·t`, `b = Sty/Stt`; annual decline
//!   `d = 1 − e^b` (positive when prices fall). 95 % interval on `b`:
//!   `b ± t₀.₉₇₅(n − 2)·s/√Stt`, `s² = Σ(y − a − b·t)²/(n − 2)` (from
//!   [`crate::economics::regression::LineFit`]), mapped through `1 − e^b` (the bounds swap, since
//!   `1 − e^b` falls as `b` rises).
//! - n = 2: the two-point rate `d = 1 − (p₂/p₁)^(1/Δt)` (the same line through both points), no
//!   interval.

use crate::economics::regression::LineFit;
use crate::error::FlError;
use chrono::NaiveDate;
use serde::Serialize;

const DAYS_PER_YEAR: f64 = 365.25;

/// How a decline rate was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FitMethod {
    /// Log-linear least squares over n ≥ 3 points.
    LogLinear,
    /// Exactly two points: no error estimate.
    TwoPoint,
}

/// Fitted decline of one series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeclineFit {
    pub method: FitMethod,
    pub n: usize,
    pub span_years: f64,
    /// `b`, the slope of `ln p` per year.
    pub log_slope_per_year: f64,
    /// `d = 1 − e^b`: share of the price lost per year (negative when prices rose).
    pub annual_decline: f64,
    /// 95 % interval of `d` (n ≥ 3 only), low then high.
    pub ci95: Option<(f64, f64)>,
}

/// Fits dated prices (dates strictly increasing, prices > 0, at least 2 points).
pub fn fit_dated(points: &[(NaiveDate, f64)], name: &str) -> Result<DeclineFit, FlError> {
    let Some(&(start, _)) = points.first() else {
        return Err(FlError::input(
            name,
            "no observations; a decline rate needs at least 2 dated prices",
        ));
    };
    let ts: Vec<f64> = points
        .iter()
        .map(|(d, _)| (*d - start).num_days() as f64 / DAYS_PER_YEAR)
        .collect();
    let prices: Vec<f64> = points.iter().map(|(_, p)| *p).collect();
    fit_years(&ts, &prices, name)
}

/// Fits prices at ages `ts` (years, strictly increasing).
pub fn fit_years(ts: &[f64], prices: &[f64], name: &str) -> Result<DeclineFit, FlError> {
    let n = ts.len();
    if n != prices.len() {
        return Err(FlError::input(name, "times and prices differ in length"));
    }
    if n < 2 {
        return Err(FlError::input(
            name,
            format!("{n} observation(s); a decline rate needs at least 2 dated prices"),
        ));
    }
    if ts
        .windows(2)
        .any(|w| w[1].partial_cmp(&w[0]) != Some(std::cmp::Ordering::Greater))
    {
        return Err(FlError::input(
            name,
            "dates must be strictly increasing within a series; sort its rows by date and merge \
             duplicates",
        ));
    }
    if let Some(p) = prices.iter().find(|p| !(p.is_finite() && **p > 0.0)) {
        return Err(FlError::input(name, format!("price {p:?} must be > 0")));
    }
    let ys: Vec<f64> = prices.iter().map(|p| p.ln()).collect();
    let span_years = ts[n - 1] - ts[0];
    let line = LineFit::fit(ts, &ys);
    let b = line.slope;
    // `0.0 -`, not a unary minus: a flat series declines 0, not -0 (JSON wrote "-0.0").
    let decline = |slope: f64| 0.0 - slope.exp_m1();
    if n == 2 {
        return Ok(DeclineFit {
            method: FitMethod::TwoPoint,
            n,
            span_years,
            log_slope_per_year: b,
            annual_decline: decline(b),
            ci95: None,
        });
    }
    let half = line.slope_half_width_95();
    Ok(DeclineFit {
        method: FitMethod::LogLinear,
        n,
        span_years,
        log_slope_per_year: b,
        annual_decline: decline(b),
        ci95: Some((decline(b + half), decline(b - half))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn golden_three_point_fit() {
        // t = 0, 1, 2; ln p = 0, −0.5, −1.5. By hand: mean t 1, mean y −2/3, Stt = 2,
        // Sty = −1.5 → b = −0.75, a = 1/12; residuals −1/12, 1/6, −1/12 → SSE = 1/24,
        // s² = 1/24 (n − 2 = 1), se = √(1/48) = 0.144338; t₀.₉₇₅(1) = 12.706 → half-width
        // 1.833953. d = 1 − e^−0.75 = 0.527633; CI = [1 − e^1.083953, 1 − e^−2.583953]
        // = [−1.956343, 0.924525].
        let prices = [1.0, (-0.5f64).exp(), (-1.5f64).exp()];
        let f = fit_years(&[0.0, 1.0, 2.0], &prices, "t").unwrap();
        assert_eq!(f.method, FitMethod::LogLinear);
        assert_eq!(f.n, 3);
        assert!((f.log_slope_per_year + 0.75).abs() < 1e-12);
        assert!((f.annual_decline - 0.527633).abs() < 1e-6);
        let (lo, hi) = f.ci95.unwrap();
        assert!((lo + 1.956343).abs() < 1e-5, "{lo}");
        assert!((hi - 0.924525).abs() < 1e-6, "{hi}");
    }

    #[test]
    fn exact_halving_has_a_zero_width_interval() {
        // 8, 4, 2 at 0, 4 and 8 years after 2020-01-01 (1461 days = 4 × 365.25): halves every
        // 4 years → d = 1 − 2^(−1/4) = 0.159104.
        let pts = [
            (date("2020-01-01"), 8.0),
            (date("2024-01-01"), 4.0),
            (date("2028-01-01"), 2.0),
        ];
        let f = fit_dated(&pts, "t").unwrap();
        assert!((f.span_years - 8.0).abs() < 1e-12);
        assert!((f.annual_decline - 0.159104).abs() < 1e-6);
        let (lo, hi) = f.ci95.unwrap();
        assert!((lo - f.annual_decline).abs() < 1e-9 && (hi - f.annual_decline).abs() < 1e-9);
    }

    #[test]
    fn two_points_give_the_two_point_rate_without_interval() {
        // $98.32 → $55.04 over 2 years: d = 1 − (55.04/98.32)^(1/2) = 0.251799.
        let f = fit_years(&[0.0, 2.0], &[98.32, 55.04], "t").unwrap();
        assert_eq!(f.method, FitMethod::TwoPoint);
        assert!(f.ci95.is_none());
        assert!((f.annual_decline - 0.251799).abs() < 1e-6);
        // A rising price is a negative decline: 1.70 → 2.35 in half a year.
        let up = fit_years(&[0.0, 0.5], &[1.70, 2.35], "t").unwrap();
        assert!((up.annual_decline - (1.0 - (2.35f64 / 1.70).powi(2))).abs() < 1e-12);
        assert!(up.annual_decline < 0.0);
    }

    #[test]
    fn empty_single_unsorted_and_bad_prices_are_rejected() {
        let e = fit_dated(&[], "s").unwrap_err().to_string();
        assert!(e.contains("at least 2"), "{e}");
        let one = fit_dated(&[(date("2024-01-01"), 2.0)], "s").unwrap_err();
        assert!(one.to_string().contains("at least 2"));
        let unsorted = [(date("2025-01-01"), 2.0), (date("2024-01-01"), 3.0)];
        let e = fit_dated(&unsorted, "s").unwrap_err().to_string();
        assert!(e.contains("sort its rows by date"), "{e}");
        let dup = [(date("2024-01-01"), 2.0), (date("2024-01-01"), 3.0)];
        assert!(fit_dated(&dup, "s").is_err());
        assert!(fit_years(&[0.0, 1.0], &[2.0, 0.0], "s").is_err());
        assert!(fit_years(&[0.0, 1.0], &[2.0, f64::NAN], "s").is_err());
    }
}
