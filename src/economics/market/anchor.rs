//! The anchor of the long-run rent decline: how fast new data-centre chips' launch price per
//! unit of memory bandwidth (what rents pay for, `β_bw` ≈ 1) has fallen, from the catalog.
//!
//! A fixed chip's rent cannot stay above what the same service costs on new chips forever, so
//! in the long run its rent falls with the price of new capacity. The panel alone identifies
//! that decline only through the frontier's steps, and a few prices can carry it: the shipped
//! panel's 8.7 %/yr for neocloud prices rested on 5 Paperspace prices of 2018–19, without which
//! it was 0 and every life reached the 30-year cap (a helper's sweep, 6 December 2026); a panel
//! of the prices since 2020 or 2023 (what a user is likely to hold) gave the same. The fit
//! therefore takes the catalog's trend as one more observation of the neocloud decline, with
//! the weight of its standard error ([`super::fit`]): it decides where the panel cannot, and
//! moves the shipped fit by its precision against the panel's.
//!
//! Counted: the catalog's curated data-centre chips with a launch price and a bandwidth,
//! released by the panel's last price (so a back-test origin sees only the chips known then);
//! the least-squares slope of `ln(launch price / bandwidth)` on the release year and its
//! standard error. Hyperscaler lists get no anchor: their prices are set, not cleared, and
//! the panel shows them flat (AWS V100 $3.06/GPU-h from 2017 to 2026).

use super::data::year_of;
use crate::economics::catalog::{self, ChipClass};

/// Fewest chips the trend is fitted on.
const MIN_CHIPS: usize = 5;

/// The catalog's trend of launch price per unit of bandwidth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anchor {
    /// Slope of `ln(launch price / bandwidth)` per year (negative: new capacity gets cheaper).
    pub ln_rate_per_year: f64,
    /// Its standard error.
    pub std_err: f64,
    /// Chips it was fitted on.
    pub chips: usize,
    /// Release year of the newest of them.
    pub until_year: f64,
}

impl Anchor {
    /// The trend of the curated data-centre chips released by `until_year`; `None` with fewer
    /// than [`MIN_CHIPS`] of them or a slope that is not a decline (nothing to anchor on).
    pub fn of_catalog(until_year: f64) -> Option<Self> {
        let points: Vec<(f64, f64)> = catalog::catalog()
            .iter()
            .filter(|c| c.is_curated() && c.class == ChipClass::DataCentre)
            .filter_map(|c| {
                let price = c.launch_price_usd.filter(|p| *p > 0.0)?;
                let bw = c.memory_bytes_per_s.filter(|b| *b > 0.0)?;
                let year = year_of(c.release);
                (year <= until_year).then(|| (year, (price / (bw / 1e9)).ln()))
            })
            .collect();
        Self::of_points(&points)
    }

    fn of_points(points: &[(f64, f64)]) -> Option<Self> {
        let n = points.len();
        if n < MIN_CHIPS {
            return None;
        }
        let mean = |f: fn(&(f64, f64)) -> f64| points.iter().map(f).sum::<f64>() / n as f64;
        let (mx, my) = (mean(|p| p.0), mean(|p| p.1));
        let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
        if sxx <= 0.0 {
            return None;
        }
        let slope = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>() / sxx;
        let ssr: f64 = points
            .iter()
            .map(|p| (p.1 - my - slope * (p.0 - mx)).powi(2))
            .sum();
        let std_err = (ssr / (n - 2) as f64 / sxx).sqrt();
        (slope < 0.0 && std_err > 0.0).then_some(Self {
            ln_rate_per_year: slope,
            std_err,
            chips: n,
            until_year: points.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max),
        })
    }

    /// The annual decline it stands for, `1 − e^slope`.
    pub fn decline(&self) -> f64 {
        1.0 - self.ln_rate_per_year.exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_line_is_recovered_with_its_error() {
        // ln price/bandwidth falling 0.1 a year, ±0.05 about the line.
        let points: Vec<(f64, f64)> = (0..10)
            .map(|i| {
                let noise = if i % 2 == 0 { 0.05 } else { -0.05 };
                (2015.0 + f64::from(i), 3.0 - 0.1 * f64::from(i) + noise)
            })
            .collect();
        let a = Anchor::of_points(&points).unwrap();
        assert!((a.ln_rate_per_year + 0.1).abs() < 0.01, "{a:?}");
        assert!(a.std_err > 0.0 && a.std_err < 0.02, "{a:?}");
        assert!((a.decline() - (1.0 - (-0.1f64).exp())).abs() < 0.01);
        // Too few chips, or prices that rise: no anchor.
        assert!(Anchor::of_points(&points[..4]).is_none());
        let rising: Vec<(f64, f64)> = points.iter().map(|&(x, y)| (x, -y)).collect();
        assert!(Anchor::of_points(&rising).is_none());
    }

    #[test]
    fn the_catalog_trend_is_a_decline_and_knows_only_released_chips() {
        let now = Anchor::of_catalog(2026.9).unwrap();
        assert!(now.decline() > 0.02 && now.decline() < 0.3, "{now:?}");
        let early = Anchor::of_catalog(2021.0).unwrap();
        assert!(early.chips < now.chips, "{early:?} {now:?}");
        assert!(Anchor::of_catalog(2015.0).is_none());
    }
}
