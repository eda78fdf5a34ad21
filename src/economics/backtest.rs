//! Back-testing the rental-price path of model B: fit on the observations up to a date,
//! predict the ones after it, and report the errors.
//!
//! For each held-out observation `i`: percentage error `eᵢ = (p̂ᵢ − pᵢ)/pᵢ`;
//! MAPE = mean |eᵢ|, bias = mean eᵢ (positive: the fit predicted too high),
//! RMSE of logs = √(mean (ln p̂ᵢ − ln pᵢ)²).

use super::depreciation::rent::{fit, validate_series, RentFit, RentObservation};
use crate::error::FlError;
use chrono::NaiveDate;
use serde::Serialize;

/// One held-out observation and its prediction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacktestPoint {
    pub date: NaiveDate,
    pub observed_usd_per_hour: f64,
    pub predicted_usd_per_hour: f64,
    /// `(predicted − observed)/observed`.
    pub pct_error: f64,
}

/// Result of a back-test.
#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    pub fit_until: NaiveDate,
    pub fit: RentFit,
    pub points: Vec<BacktestPoint>,
    /// Mean absolute percentage error (share, 0.1 = 10 %).
    pub mape: f64,
    /// Mean signed percentage error (share).
    pub bias: f64,
    pub rmse_log: f64,
}

/// Parses `--fit-until`.
pub fn parse_date(text: &str) -> Result<NaiveDate, FlError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        FlError::usage(format!(
            "--fit-until {text:?} is not a date; write it as YYYY-MM-DD"
        ))
    })
}

/// Fits on `date ≤ fit_until`, tests on `date > fit_until`.
pub fn backtest(
    series: &[RentObservation],
    fit_until: NaiveDate,
    name: &str,
) -> Result<Backtest, FlError> {
    validate_series(series, name)?;
    let (train, test): (Vec<RentObservation>, Vec<RentObservation>) =
        series.iter().partition(|o| o.date <= fit_until);
    if train.len() < 2 {
        return Err(FlError::input(
            name,
            format!(
                "only {} observation(s) on or before {fit_until}; move --fit-until later so at \
                 least 2 are fitted",
                train.len()
            ),
        ));
    }
    if test.is_empty() {
        return Err(FlError::input(
            name,
            format!("no observations after {fit_until}; move --fit-until earlier to hold some out"),
        ));
    }
    let fitted = fit(&train, name)?;
    let points: Vec<BacktestPoint> = test
        .iter()
        .map(|o| {
            let predicted = fitted.usd_per_hour_at(fitted.years_since_start(o.date));
            BacktestPoint {
                date: o.date,
                observed_usd_per_hour: o.usd_per_hour,
                predicted_usd_per_hour: predicted,
                pct_error: (predicted - o.usd_per_hour) / o.usd_per_hour,
            }
        })
        .collect();
    let n = points.len() as f64;
    let mape = points.iter().map(|p| p.pct_error.abs()).sum::<f64>() / n;
    let bias = points.iter().map(|p| p.pct_error).sum::<f64>() / n;
    let rmse_log = (points
        .iter()
        .map(|p| (p.predicted_usd_per_hour.ln() - p.observed_usd_per_hour.ln()).powi(2))
        .sum::<f64>()
        / n)
        .sqrt();
    Ok(Backtest {
        fit_until,
        fit: fitted,
        points,
        mape,
        bias,
        rmse_log,
    })
}
