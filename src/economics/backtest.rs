//! Back-testing the rental-price path of model B: fit on the observations up to a date,
//! predict the ones after it, and report the errors.
//!
//! For each held-out observation `i`: percentage error `eᵢ = (p̂ᵢ − pᵢ)/pᵢ`;
//! MAPE = mean |eᵢ|, bias = mean eᵢ (positive: the fit predicted too high),
//! RMSE of logs = √(mean (ln p̂ᵢ − ln pᵢ)²), undefined where a prediction is $0.

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
    /// `None` where a prediction fell to $0/h (a steep fit over a long gap underflows): the log
    /// error is then unbounded.
    pub rmse_log: Option<f64>,
}

/// Parses `--fit-until`.
pub fn parse_date(text: &str) -> Result<NaiveDate, FlError> {
    crate::units::calendar_day(text).ok_or_else(|| {
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
    let rmse_log = points
        .iter()
        .all(|p| p.predicted_usd_per_hour > 0.0)
        .then(|| {
            (points
                .iter()
                .map(|p| (p.predicted_usd_per_hour.ln() - p.observed_usd_per_hour.ln()).powi(2))
                .sum::<f64>()
                / n)
                .sqrt()
        });
    Ok(Backtest {
        fit_until,
        fit: fitted,
        points,
        mape,
        bias,
        rmse_log,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economics::depreciation::rent::parse_series;

    fn series(text: &str) -> Vec<RentObservation> {
        parse_series(text, "t").unwrap()
    }

    #[test]
    fn exact_exponential_is_predicted_exactly() {
        // Rent halves every 365.25 days: fitted on the first three, the last two are exact.
        let mut text = String::from("date,usd_per_hour\n");
        let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        for k in 0..5u32 {
            let days = (f64::from(k) * 365.25 * 4.0).round() as u64 / 4;
            let date = start + chrono::Days::new(days);
            let t = (date - start).num_days() as f64 / 365.25;
            text.push_str(&format!("{date},{}\n", 8.0 * 0.5f64.powf(t)));
        }
        let b = backtest(&series(&text), parse_date("2022-06-30").unwrap(), "t").unwrap();
        assert_eq!(b.points.len(), 2);
        assert!(b.mape < 1e-9, "{}", b.mape);
    }

    #[test]
    fn golden_errors_of_a_linear_fall() {
        // 10, 8, 6 $/h at t = 0, 1, 2 years (365-day steps, ~1 % off whole years), then 4.
        // Fitted on the first three, the exponential path predicts about 4.6 at the fourth:
        // ln p falls by ln(10/6)/2 = 0.2554 a year → 6·e^(−0.2554) ≈ 4.65, i.e. +16 %.
        let text = "date,usd_per_hour\n2021-01-01,10\n2022-01-01,8\n2023-01-01,6\n2024-01-01,4\n";
        let b = backtest(&series(text), parse_date("2023-01-01").unwrap(), "t").unwrap();
        assert_eq!(b.points.len(), 1);
        assert!(b.mape > 0.12 && b.mape < 0.20, "{}", b.mape);
        assert!(b.bias > 0.0);
        assert!((b.mape - b.bias).abs() < 1e-12);
    }

    /// A fall of six orders of magnitude in a month, held out six years later: the path
    /// underflows to $0/h and the log error is undefined, not infinite (a helper's sweep saw
    /// "RMSE of ln p inf").
    #[test]
    fn a_prediction_of_zero_leaves_the_log_error_undefined() {
        // A fall the file reader refuses as a slipped decimal point (10,000 to 0.01 in a
        // month), built directly: the fit's steepness underflows the prediction.
        let steep: Vec<RentObservation> = [
            ("2020-01-01", 10000.0),
            ("2020-02-01", 0.01),
            ("2026-01-01", 0.01),
        ]
        .into_iter()
        .map(|(d, usd_per_hour)| RentObservation {
            date: parse_date(d).unwrap(),
            usd_per_hour,
        })
        .collect();
        let b = backtest(&steep, parse_date("2020-06-01").unwrap(), "t").unwrap();
        assert_eq!(b.points[0].predicted_usd_per_hour, 0.0);
        assert_eq!(b.rmse_log, None);
        assert!((b.mape - 1.0).abs() < 1e-12);
        let text = "date,usd_per_hour\n2021-01-01,10\n2022-01-01,8\n2023-01-01,6\n2024-01-01,4\n";
        let b = backtest(&series(text), parse_date("2023-01-01").unwrap(), "t").unwrap();
        assert!(b.rmse_log.is_some_and(|r| r.is_finite() && r > 0.0));
    }

    #[test]
    fn cut_offs_without_data_on_one_side_are_rejected() {
        let text = "date,usd_per_hour\n2021-01-01,10\n2022-01-01,8\n2023-01-01,6\n";
        let late = backtest(&series(text), parse_date("2024-01-01").unwrap(), "t");
        assert!(late.unwrap_err().to_string().contains("earlier"));
        let early = backtest(&series(text), parse_date("2021-06-01").unwrap(), "t");
        assert!(early.unwrap_err().to_string().contains("later"));
        assert!(parse_date("June 2023").is_err());
    }
}
