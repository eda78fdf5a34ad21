//! A chip's rent from its own dated series (`depreciate --rents FILE`) instead of the market
//! fit: the owner knows what this chip rents for. Over the series' dates the rent is the path
//! fitted to it, model B's `p(t) = A·e^(−δt)·(1 + m·e^(−t/τ))` (`δ ≥ 0`, see
//! [`crate::economics::depreciation::rent`]), in calendar time from the series' first date.
//! Outside those dates a short series says little (a year of prices extrapolated for a decade
//! is a guess), so the rent keeps the series' level at its nearest end and moves as the market
//! model moves this chip's rent: `R(t) = p(last)·M(t)/M(last)` after the last price,
//! `p(first)·M(t)/M(first)` before the first, `M` the market fit's rent of the chip (its
//! decline as newer chips arrive). The chip is then valued exactly as under the market (full
//! running costs, market price by age, economic life; [`super::value`]).
//!
//! Its bands come from the series and the market together: draw `i` refits the path to the
//! fitted `ln p` plus the fit's residuals resampled with replacement (seeded), and projects it
//! with the market's bootstrap draw `i`. A series of fewer than [`MIN_POINTS_FOR_BAND`] prices
//! leaves no residuals to resample: its draws keep the point path and vary the market only.

use super::data::year_of;
use crate::economics::depreciation::render::RentFitJson;
use crate::economics::depreciation::rent::{self, RentFit, RentObservation, Rising};
use crate::error::FlError;
use crate::rng::SplitMix64;
use serde::Serialize;

/// Fewest prices whose residuals make a band (a path of 2 or 3 points fits them almost exactly).
pub const MIN_POINTS_FOR_BAND: usize = 4;
const SEED: u64 = 0x0e1e_5e2e;

/// The fitted path and its bootstrap refits.
#[derive(Debug, Clone)]
pub struct OwnRents {
    /// Where the series came from (its file).
    pub source: String,
    pub fit: RentFit,
    pub draws: Vec<RentFit>,
    pub first: chrono::NaiveDate,
    pub last: chrono::NaiveDate,
}

/// What the JSON says of the series a chip was valued on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnRentsJson {
    pub source: String,
    pub first: chrono::NaiveDate,
    pub last: chrono::NaiveDate,
    pub fit: RentFitJson,
    /// Refits of the series behind the bands (0: too few prices to resample; the bands then
    /// vary the market's projection only).
    pub draws: usize,
}

impl OwnRents {
    /// Fits `series` (validated: at least 2 prices, dates increasing) and draws its bootstrap.
    pub fn fit(series: &[RentObservation], source: &str) -> Result<Self, FlError> {
        let fit = rent::fit_with(series, source, Rising::Follow)?;
        let draws = if series.len() >= MIN_POINTS_FOR_BAND {
            residual_draws(series, &fit, super::band::DRAWS)
        } else {
            Vec::new()
        };
        Ok(Self {
            source: source.to_string(),
            fit,
            draws,
            first: series[0].date,
            last: series[series.len() - 1].date,
        })
    }

    /// The rent at calendar time `year` (decimal), USD per hour: `path` over the series'
    /// dates, its level at the nearest end moved by `market(year)` (the market fit's rent of the
    /// chip) outside them.
    pub fn rent_at(&self, path: &RentFit, market: &dyn Fn(f64) -> f64, year: f64) -> f64 {
        let own = |y: f64| path.usd_per_hour_at(y - year_of(path.start));
        let (first, last) = (year_of(self.first), year_of(self.last));
        if year < first {
            own(first) * market(year) / market(first)
        } else if year > last {
            own(last) * market(year) / market(last)
        } else {
            own(year)
        }
    }

    /// The path of draw `i`: the refit of the resampled residuals, or the point path when the
    /// series is too short for them.
    pub fn path(&self, i: usize) -> &RentFit {
        self.draws.get(i).unwrap_or(&self.fit)
    }

    pub fn json(&self) -> OwnRentsJson {
        OwnRentsJson {
            source: self.source.clone(),
            first: self.first,
            last: self.last,
            fit: RentFitJson::from(&self.fit),
            draws: self.draws.len(),
        }
    }

    /// One line on the path, and the fit's caveats.
    pub fn notes(&self, purchase_year: f64) -> Vec<String> {
        let f = &self.fit;
        let band = if self.draws.is_empty() {
            format!(
                "bands vary the market's projection only: fewer than {MIN_POINTS_FOR_BAND} prices \
                 leave no residuals to resample"
            )
        } else {
            format!(
                "bands over {} refits of the series' resampled residuals, each projected with one \
                 market draw",
                self.draws.len()
            )
        };
        let premium = if f.premium > 0.0 {
            format!(
                "scarcity premium {} fading over {:.2} y",
                crate::units::pct_with(f.premium, 0),
                f.premium_fade_years
            )
        } else {
            "no scarcity premium".to_string()
        };
        let at = |d: chrono::NaiveDate| f.usd_per_hour_at(f.years_since_start(d));
        // A rising series is followed over its dates (the market moves the rent beyond them).
        let over = if f.decay_per_year < 0.0 {
            " over its dates"
        } else {
            ""
        };
        let trend = format!("{}{over}", f.trend());
        let mut out = vec![format!(
            "rent from {} ({} prices, {} to {}): fitted {:.2} → {:.2} $/h, {trend}, {premium} \
             (rmse of ln p {:.3}); {band}",
            self.source,
            f.points,
            self.first,
            self.last,
            at(self.first),
            at(self.last),
            f.rmse_log,
        )];
        let mut outside = Vec::new();
        if purchase_year < year_of(self.first) {
            outside.push(format!("before {}", self.first));
        }
        outside.push(format!("after {}", self.last));
        out.push(format!(
            "rent {}: the series' level there, moved as the market model moves this chip's rent",
            outside.join(" and ")
        ));
        out.extend(f.caveats());
        out
    }
}

/// `n` refits of the path, each on the fitted `ln p` plus residuals resampled with replacement
/// (fitted together: they share the dates, so the grid's work is shared).
fn residual_draws(series: &[RentObservation], fit: &RentFit, n: usize) -> Vec<RentFit> {
    let t = |o: &RentObservation| fit.years_since_start(o.date);
    let fitted: Vec<f64> = series
        .iter()
        .map(|o| fit.usd_per_hour_at(t(o)).ln())
        .collect();
    let residuals: Vec<f64> = series
        .iter()
        .zip(&fitted)
        .map(|(o, f)| o.usd_per_hour.ln() - f)
        .collect();
    // Seeded by the series (sorted, merged), not by its file's name: equal series, equal bands.
    let key: String = series
        .iter()
        .map(|o| format!("{}|{:e}\n", o.date, o.usd_per_hour))
        .collect();
    let mut rng = SplitMix64::for_stream(SEED, &key);
    let redrawn: Vec<Vec<f64>> = (0..n)
        .map(|_| {
            fitted
                .iter()
                .map(|f| f + residuals[rng.below(residuals.len() as u64) as usize])
                .collect()
        })
        .collect();
    let dates: Vec<chrono::NaiveDate> = series.iter().map(|o| o.date).collect();
    rent::fit_logs(&dates, &redrawn, Rising::Follow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economics::depreciation::rent::parse_series;

    fn series(text: &str) -> Vec<RentObservation> {
        parse_series(text, "t").unwrap()
    }

    /// The path is in calendar time: at the series' first date it gives the fitted first rent,
    /// a year later the rent less its decline.
    #[test]
    fn the_path_runs_in_calendar_time() {
        let s = series("date,usd_per_hour\n2023-01-01,8\n2024-01-01,4\n2025-01-01,2\n");
        let own = OwnRents::fit(&s, "t").unwrap();
        let y0 = year_of(own.first);
        // A market that halves the rent every year after the series, and doubles it before.
        let market = |y: f64| 0.5f64.powf(y - 2000.0);
        let rent = |y: f64| own.rent_at(&own.fit, &market, y);
        assert!((rent(y0) - 8.0).abs() < 0.05);
        assert!((rent(y0 + 1.0) - 4.0).abs() < 0.05);
        let last = rent(year_of(own.last));
        assert!(
            (rent(year_of(own.last) + 1.0) / last - 0.5).abs() < 1e-9,
            "market after"
        );
        assert!(
            (rent(y0 - 2.0) / rent(y0) - 4.0).abs() < 1e-9,
            "market before"
        );
        assert!(own.draws.is_empty(), "3 prices: no residual draws");
        assert_eq!(own.path(7), &own.fit);
    }

    /// Noisy prices spread the refits around the point fit; an exact path would not.
    #[test]
    fn residual_draws_spread_around_the_fit_and_repeat() {
        let mut text = String::from("date,usd_per_hour\n");
        let noise = [1.08, 0.93, 1.05, 0.96, 1.1, 0.9, 1.02, 0.97];
        for (i, n) in noise.iter().enumerate() {
            let p = 4.0 * (-0.3 * i as f64 * 0.5).exp() * n;
            text.push_str(&format!("{}-{:02}-01,{p}\n", 2022 + i / 2, 1 + 6 * (i % 2)));
        }
        let s = series(&text);
        let a = OwnRents::fit(&s, "t").unwrap();
        // The same prices under another file name draw the same refits.
        let b = OwnRents::fit(&s, "./elsewhere/t.csv").unwrap();
        assert_eq!(a.draws.len(), super::super::band::DRAWS);
        assert_eq!(a.draws, b.draws, "seeded by the series");
        let declines: Vec<f64> = a.draws.iter().map(|d| d.decay_per_year).collect();
        let lo = declines.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = declines.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert!(lo < a.fit.decay_per_year && a.fit.decay_per_year < hi);
    }
}
