//! Rolling-origin back-test of the market fit: for each origin date, fit on the prices observed
//! up to it (the frontier knowing only the chips released by then), predict every later price,
//! and score the predictions per chip.
//!
//! For a held-out price `p` predicted as `p̂`: error `e = (p̂ − p)/p`; MAPE = mean `|e|`,
//! bias = mean `e` (positive: the model predicted too high). A chip first rented after the
//! origin is predicted from its catalog attributes alone.

use super::data::{year_of, Panel, ProviderClass};
use super::drift::{offer_drift, OfferDrift};
use super::features::Attributes;
use super::fit::{self, Segment};
use crate::error::FlError;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// Fewest observations a fit at an origin needs, and fewest held out to score it.
const MIN_FIT_ROWS: usize = 40;
const MIN_TEST_ROWS: usize = 5;

/// Errors of the predictions of one chip (or of all chips).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub n: usize,
    pub mape: f64,
    pub bias: f64,
    /// Mean years between the origin and the predicted price.
    pub mean_horizon_years: f64,
}

/// One origin's fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Origin {
    pub fit_until: NaiveDate,
    pub fit_rows: usize,
    /// The long-run decline of a fixed chip's rent this origin's fit projects
    /// ([`fit::MarketFit::long_run_decline`]): hyperscaler lists, and every other provider.
    pub long_run_decline_hyperscaler: f64,
    pub long_run_decline_neocloud: f64,
    pub score: Score,
}

/// The errors of one provider class at one horizon, over every origin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassHorizon {
    /// `hyperscaler` or `neocloud` (every other provider).
    pub class: &'static str,
    /// Whole years between the origin and the predicted price: 0, 1, or 2 for two and more.
    pub horizon_years_from: u32,
    pub score: Score,
}

/// The whole back-test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backtest {
    pub origins: Vec<Origin>,
    /// Over every origin's held-out prices, per chip.
    pub per_chip: BTreeMap<String, Score>,
    /// Over every origin's held-out prices, per provider class and whole years of horizon
    /// (the last bucket holds two years and more): where the model's errors sit.
    pub per_class_horizon: Vec<ClassHorizon>,
    /// How a fixed offer's rent moved over the whole panel, per class ([`offer_drift`]).
    pub offer_drift: Vec<OfferDrift>,
    pub overall: Score,
}

/// The last horizon bucket of [`ClassHorizon`]: two years and more.
const LAST_HORIZON_BUCKET: u32 = 2;

#[derive(Default)]
struct Acc {
    abs: f64,
    signed: f64,
    horizon: f64,
    n: usize,
}

impl Acc {
    fn add(&mut self, e: f64, horizon: f64) {
        self.abs += e.abs();
        self.signed += e;
        self.horizon += horizon;
        self.n += 1;
    }

    fn score(&self) -> Score {
        let n = self.n.max(1) as f64;
        Score {
            n: self.n,
            mape: self.abs / n,
            bias: self.signed / n,
            mean_horizon_years: self.horizon / n,
        }
    }
}

/// Origins: every 1 January from the panel's second year to its last, keeping those with
/// enough rows on each side and prices of enough chips before them to fit
/// ([`fit::MIN_CHIPS`]: a panel whose first year holds one chip's prices had lost its whole
/// back-test to that one origin).
pub fn default_origins(panel: &Panel) -> Vec<NaiveDate> {
    let years: Vec<i32> = panel
        .rows
        .iter()
        .map(|o| chrono::Datelike::year(&o.date))
        .collect();
    let (Some(&first), Some(&last)) = (years.iter().min(), years.iter().max()) else {
        return Vec::new();
    };
    (first + 1..=last)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, 1, 1))
        .filter(|d| {
            let before: Vec<_> = panel.rows.iter().filter(|o| o.date < *d).collect();
            let mut chips: Vec<&str> = before.iter().map(|o| o.chip.name.as_str()).collect();
            chips.sort_unstable();
            chips.dedup();
            before.len() >= MIN_FIT_ROWS
                && panel.rows.len() - before.len() >= MIN_TEST_ROWS
                && chips.len() >= fit::MIN_CHIPS
        })
        .collect()
}

/// Runs the back-test at `origins`.
pub fn backtest(panel: &Panel, origins: &[NaiveDate]) -> Result<Backtest, FlError> {
    if origins.is_empty() {
        return Err(FlError::input(
            &panel.name,
            format!(
                "no origin date has {MIN_FIT_ROWS} prices before it and {MIN_TEST_ROWS} after; \
                 add observations over more years"
            ),
        ));
    }
    let mut per_chip: BTreeMap<String, Acc> = BTreeMap::new();
    let mut per_class: BTreeMap<(&'static str, u32), Acc> = BTreeMap::new();
    let mut overall = Acc::default();
    let mut out = Vec::new();
    for &origin in origins {
        let (train, test): (Vec<_>, Vec<_>) =
            panel.rows.iter().cloned().partition(|o| o.date < origin);
        let fitted = fit::fit(&Panel {
            name: panel.name.clone(),
            rows: train.clone(),
            skipped: Vec::new(),
        })?;
        let mut acc = Acc::default();
        let origin_year = year_of(origin);
        for o in &test {
            let Some(attrs) = Attributes::of(o.chip) else {
                continue;
            };
            let segment = Segment {
                class: o.class,
                basis: o.basis,
            };
            let year = year_of(o.date);
            let predicted = fitted.rent(&attrs, segment, year);
            let e = (predicted - o.usd_per_hour) / o.usd_per_hour;
            let horizon = year - origin_year;
            acc.add(e, horizon);
            overall.add(e, horizon);
            per_chip
                .entry(o.chip.name.clone())
                .or_default()
                .add(e, horizon);
            let bucket = (horizon.max(0.0).floor() as u32).min(LAST_HORIZON_BUCKET);
            per_class
                .entry((o.class.id(), bucket))
                .or_default()
                .add(e, horizon);
        }
        out.push(Origin {
            fit_until: origin,
            fit_rows: train.len(),
            long_run_decline_hyperscaler: fitted
                .long_run_decline(&fitted.beta, ProviderClass::Hyperscaler),
            long_run_decline_neocloud: fitted
                .long_run_decline(&fitted.beta, ProviderClass::Neocloud),
            score: acc.score(),
        });
    }
    Ok(Backtest {
        origins: out,
        per_chip: per_chip
            .iter()
            .map(|(k, a)| (k.clone(), a.score()))
            .collect(),
        per_class_horizon: per_class
            .iter()
            .map(|(&(class, h), a)| ClassHorizon {
                class,
                horizon_years_from: h,
                score: a.score(),
            })
            .collect(),
        offer_drift: offer_drift(panel),
        overall: overall.score(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economics::market::data;

    /// An origin before which only one chip has prices is left out, not the whole back-test.
    #[test]
    fn an_origin_with_too_few_chips_before_it_is_left_out() {
        let shipped = crate::economics::market::data::shipped().unwrap();
        let mut panel = shipped.clone();
        let k80 = panel.rows[0].clone();
        assert!(k80.chip.name.contains("K80"));
        for day in 1..=45 {
            let mut row = k80.clone();
            row.date = NaiveDate::from_ymd_opt(2016, 10, 11).unwrap() + chrono::Days::new(day);
            row.usd_per_hour = k80.usd_per_hour * (1.0 + day as f64 / 1000.0);
            panel.rows.insert(0, row);
        }
        let origins = default_origins(&panel);
        let first = NaiveDate::from_ymd_opt(2017, 1, 1).unwrap();
        assert!(!origins.contains(&first), "{origins:?}");
        assert!(origins.len() >= default_origins(&shipped).len());
        assert!(backtest(&panel, &origins).is_ok());
    }

    /// The shipped back-test runs over several origins and its errors are finite and bounded
    /// (a model that had not learned the market would miss by several hundred percent: the
    /// panel spans $0.1 to $15 per hour).
    #[test]
    fn the_shipped_backtest_scores_every_origin() {
        let panel = data::shipped().unwrap();
        let origins = default_origins(&panel);
        assert!(origins.len() >= 4, "{origins:?}");
        let b = backtest(&panel, &origins).unwrap();
        assert!(b.overall.n > 100);
        assert!(
            b.overall.mape.is_finite() && b.overall.mape < 1.0,
            "{:?}",
            b.overall
        );
        assert!(b.per_chip.contains_key("NVIDIA H100 SXM5 80GB"));
        let drift = offer_drift(&panel);
        assert_eq!(drift.len(), 2, "{drift:?}");
        assert!(drift
            .iter()
            .all(|d| d.series > 10 && d.change_per_year.abs() < 0.5));
        // The class-and-horizon slices partition the predictions.
        let sliced: usize = b.per_class_horizon.iter().map(|c| c.score.n).sum();
        assert_eq!(sliced, b.overall.n);
        assert!(b
            .per_class_horizon
            .iter()
            .all(|c| c.horizon_years_from <= LAST_HORIZON_BUCKET));
    }
}
