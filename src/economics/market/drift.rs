//! How the rent of a fixed offer moved in a panel: the within-series drift that `depreciate
//! --validate` sets beside the market fit's projected decline.

use super::data::{year_of, Panel, ProviderClass};
use serde::Serialize;
use std::collections::BTreeMap;

/// How the rent of one fixed offer (the same chip, basis and provider) moved in the panel: the
/// pooled within-series least-squares slope of ln price on the date, as a change per year.
/// Set beside the fit's projected decline: the frontier effect is identified mostly across
/// chips, and this says what old chips' own rents did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfferDrift {
    pub class: &'static str,
    /// `e^slope − 1`: the share by which a fixed offer's rent changed per year.
    pub change_per_year: f64,
    /// Series with prices on at least two dates, and the prices in them.
    pub series: usize,
    pub prices: usize,
}

/// One offer: chip, basis and provider.
type Offer<'a> = (&'a str, &'a str, &'a str);

/// [`OfferDrift`] of each provider class of `panel` (a class without a series of two dates is
/// left out).
pub fn offer_drift(panel: &Panel) -> Vec<OfferDrift> {
    [ProviderClass::Hyperscaler, ProviderClass::Neocloud]
        .into_iter()
        .filter_map(|class| {
            let mut series: BTreeMap<Offer, Vec<(f64, f64)>> = BTreeMap::new();
            for o in panel.rows.iter().filter(|o| o.class == class) {
                series
                    .entry((&o.chip.name, o.basis.id(), &o.provider))
                    .or_default()
                    .push((year_of(o.date), o.usd_per_hour.ln()));
            }
            let (mut sxy, mut sxx, mut n, mut k) = (0.0, 0.0, 0, 0);
            for points in series.values() {
                let m = points.len() as f64;
                let t_mean = points.iter().map(|p| p.0).sum::<f64>() / m;
                let l_mean = points.iter().map(|p| p.1).sum::<f64>() / m;
                let spread: f64 = points.iter().map(|p| (p.0 - t_mean).powi(2)).sum();
                if points.len() < 2 || spread <= 0.0 {
                    continue;
                }
                sxx += spread;
                sxy += points
                    .iter()
                    .map(|p| (p.0 - t_mean) * (p.1 - l_mean))
                    .sum::<f64>();
                n += points.len();
                k += 1;
            }
            (sxx > 0.0).then(|| OfferDrift {
                class: class.id(),
                change_per_year: (sxy / sxx).exp() - 1.0,
                series: k,
                prices: n,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economics::market::data;
    use chrono::NaiveDate;

    /// Two offers of one chip, each rising 10 % a year from its own level: the drift is +10 %
    /// whatever the levels, and a single-date series adds nothing.
    #[test]
    fn offer_drift_is_the_within_series_slope() {
        let chip = crate::economics::catalog::find("H100 SXM").unwrap();
        let row = |provider: &str, year: i32, usd: f64| data::RentObservation {
            chip,
            date: NaiveDate::from_ymd_opt(year, 7, 2).unwrap(),
            usd_per_hour: usd,
            class: ProviderClass::of_provider(provider),
            basis: data::Basis::OnDemand,
            provider: provider.to_string(),
            source: String::new(),
        };
        let panel = Panel {
            name: "t".into(),
            rows: vec![
                row("Lambda", 2023, 2.0),
                row("Lambda", 2024, 2.2),
                row("Lambda", 2025, 2.42),
                row("RunPod", 2024, 4.0),
                row("RunPod", 2025, 4.4),
                row("Vast.ai", 2025, 9.0),
            ],
            skipped: Vec::new(),
        };
        let d = offer_drift(&panel);
        assert_eq!(d.len(), 1, "no hyperscaler rows: {d:?}");
        assert_eq!((d[0].class, d[0].series, d[0].prices), ("neocloud", 2, 5));
        assert!((d[0].change_per_year - 0.10).abs() < 0.002, "{d:?}");
    }
}
