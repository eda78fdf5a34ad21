//! Observed annual decline of market prices against the decline the models predict.
//!
//! For each series of a chip the observed decline `d_obs` comes from [`super::decline`]. The
//! prediction depends on what the price is:
//!
//! - rental prices (`usd_per_hour`): model A's revenue per hour `u·q·P_F(t)` falls with the
//!   frontier price of compute, `P_F(t) = P_F(0)(1 − g)^t`, so the predicted decline is `g`;
//! - purchase/resale prices (`usd`): the chip's value `V(t)`; the predicted decline is model A's
//!   equivalent annual rate `d_A = 1 − (1/2)^(1/half-life)`.
//!
//! Difference = `d_obs − d_pred` (positive: the market fell faster than predicted).

use super::decline::{fit_dated, DeclineFit, FitMethod};
use super::observed::{ObservedPrice, PriceUnit, Series};
use super::outlook::ChipAnalysis;
use crate::units::pct_signed;
use chrono::NaiveDate;
use serde::Serialize;

/// What the models predict for one chip.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prediction {
    /// `g`: predicted annual decline of rental prices (model A's revenue path).
    pub rent_decline: f64,
    /// Model A's equivalent annual depreciation rate of value.
    pub value_decline_a: Option<f64>,
    pub value_half_life_years_a: Option<f64>,
    /// Model C's rate, for reference (equals A when power is not getting scarcer).
    pub value_decline_c: Option<f64>,
}

impl Prediction {
    /// Reads the rates off one chip's analysis (models A and C come first in `economic`).
    pub fn from_analysis(a: &ChipAnalysis) -> Self {
        let rate = |prefix: &str| a.economic.iter().find(|o| o.model.starts_with(prefix));
        Self {
            rent_decline: a.market.decline_g,
            value_decline_a: rate("A ").and_then(|o| o.annual_rate),
            value_half_life_years_a: rate("A ").and_then(|o| o.half_life_years),
            value_decline_c: rate("C ").and_then(|o| o.annual_rate),
        }
    }

    /// The prediction matching a price unit, and the path's name.
    pub fn for_unit(&self, unit: PriceUnit) -> (Option<f64>, &'static str) {
        match unit {
            PriceUnit::UsdPerHour => (Some(self.rent_decline), "rent (g)"),
            PriceUnit::Usd => (self.value_decline_a, "value (A)"),
        }
    }
}

/// One series against its prediction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesComparison {
    pub series: String,
    pub kind: String,
    pub unit: PriceUnit,
    pub consistency: String,
    pub n: usize,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `None` with a single observation (no rate).
    pub fit: Option<DeclineFit>,
    pub predicted_path: String,
    pub predicted_decline: Option<f64>,
    /// `d_obs − d_pred`.
    pub difference: Option<f64>,
    /// Indices into the chip's `prices`.
    pub price_refs: Vec<usize>,
}

/// Everything compared for one chip.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChipComparison {
    /// Catalog name.
    pub chip: String,
    pub prediction: Prediction,
    pub series: Vec<SeriesComparison>,
    pub prices: Vec<ObservedPrice>,
}

/// Compares a chip's series (all resolved to this chip) with its analysis.
pub fn compare_chip(chip: &str, analysis: &ChipAnalysis, series: &[Series]) -> ChipComparison {
    let prediction = Prediction::from_analysis(analysis);
    let mut prices: Vec<ObservedPrice> = Vec::new();
    let mut out = Vec::new();
    for s in series {
        let first = s.prices[0];
        let last = s.prices[s.prices.len() - 1];
        let refs: Vec<usize> = s
            .prices
            .iter()
            .map(|p| {
                prices.push((*p).clone());
                prices.len() - 1
            })
            .collect();
        let points: Vec<(NaiveDate, f64)> = s.prices.iter().map(|p| (p.date, p.usd)).collect();
        let fit = (points.len() >= 2)
            .then(|| fit_dated(&points, s.name).ok())
            .flatten();
        let (predicted, path) = prediction.for_unit(first.unit);
        let difference = fit
            .as_ref()
            .zip(predicted)
            .map(|(f, p)| f.annual_decline - p);
        out.push(SeriesComparison {
            series: s.name.to_string(),
            kind: first.kind.clone(),
            unit: first.unit,
            consistency: first.consistency.clone(),
            n: s.prices.len(),
            from: first.date,
            to: last.date,
            fit,
            predicted_path: path.to_string(),
            predicted_decline: predicted,
            difference,
            price_refs: refs,
        });
    }
    ChipComparison {
        chip: chip.to_string(),
        prediction,
        series: out,
        prices,
    }
}

fn observed_cell(s: &SeriesComparison) -> String {
    match &s.fit {
        None => "n = 1: no rate".into(),
        Some(f) => match (f.method, f.ci95) {
            (FitMethod::LogLinear, Some((lo, hi))) => format!(
                "{}\n(95 % CI {:+.1} … {:+.1} %)",
                pct_signed(Some(f.annual_decline), 1),
                lo * 100.0,
                hi * 100.0
            ),
            _ => format!("{} (two-point)", pct_signed(Some(f.annual_decline), 1)),
        },
    }
}

/// The numbers of a series' prices (0-based indices, printed from 1) as one bracket of runs:
/// `[1–19]`, `[2, 4–6]`; one bracket, so a long series stays a few characters wide.
fn ref_ranges(indices: &[usize]) -> String {
    let mut sorted: Vec<usize> = indices.iter().map(|i| i + 1).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let start = sorted[i];
        let mut end = start;
        while i + 1 < sorted.len() && sorted[i + 1] == end + 1 {
            i += 1;
            end = sorted[i];
        }
        runs.push(if end > start {
            format!("{start}–{end}")
        } else {
            start.to_string()
        });
        i += 1;
    }
    if runs.is_empty() {
        String::new()
    } else {
        format!("[{}]", runs.join(", "))
    }
}

/// Text block of one chip: prediction, series table, numbered prices with date and source.
pub fn render_chip(c: &ChipComparison) -> String {
    let p = &c.prediction;
    let mut out = crate::term::wrap(
        &format!(
            "== {} ==\npredicted annual decline: rent g = {}, value (model A) d = {}{}, model C \
             d = {}",
            c.chip,
            pct_signed(Some(p.rent_decline), 1),
            pct_signed(p.value_decline_a, 1),
            p.value_half_life_years_a
                .map_or(String::new(), |h| format!(" (half-life {h:.2} y)")),
            pct_signed(p.value_decline_c, 1),
        ),
        "  ",
    );
    out.push('\n');
    let mut t = crate::term::table(vec![
        "series (consistency) prices\nkind",
        "n",
        "dates",
        "observed decline/yr",
        "predicted",
        "obs − pred",
    ]);
    for s in &c.series {
        let refs = ref_ranges(&s.price_refs);
        t.add_row(vec![
            format!("{} ({}) {refs}\n{}", s.series, s.consistency, s.kind),
            s.n.to_string(),
            format!("{} →\n{}", s.from, s.to),
            observed_cell(s),
            format!(
                "{} {}",
                pct_signed(s.predicted_decline, 1),
                s.predicted_path
            ),
            s.difference.map_or(crate::units::MISSING.into(), |d| {
                format!("{:+.1} pp", d * 100.0)
            }),
        ]);
    }
    // Every column but the first keeps its width (a verdict such as "n = 1: no rate" is never
    // split); the series' names and descriptions wrap instead.
    crate::term::keep_width(&mut t, &[1, 2, 3, 4, 5]);
    out.push_str(&t.to_string());
    out.push('\n');
    for (i, o) in c.prices.iter().enumerate() {
        let line = format!(
            "  [{}] {} {} {} — {} (line {})",
            i + 1,
            o.date,
            o.usd,
            o.unit.id(),
            o.source,
            o.line
        );
        out.push_str(&crate::term::wrap(&line, "    "));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economics::depreciation::observed::{group, parse_observed};
    use crate::economics::depreciation::outlook::analyse;
    use crate::economics::depreciation::{ChipInputs, Market};

    #[test]
    fn price_numbers_are_written_as_runs() {
        assert_eq!(ref_ranges(&[0, 1, 2, 3]), "[1–4]");
        assert_eq!(ref_ranges(&[5, 1, 3, 4]), "[2, 4–6]");
        assert_eq!(ref_ranges(&[7]), "[8]");
        assert_eq!(ref_ranges(&[]), "");
    }

    #[test]
    fn rental_series_compare_with_g_and_resale_with_model_a() {
        let text = "chip,date,usd,unit,kind,series,consistency,source\n\
                    X,2024-01-01,4,usd_per_hour,od,r,same-list,a\n\
                    X,2025-01-01,3,usd_per_hour,od,r,same-list,b\n\
                    X,2024-01-01,9000,usd,resale,v,mixed-publishers,c\n";
        let rows = parse_observed(text, "t").unwrap();
        let chip = ChipInputs::at_spec("X", 30_000.0, 1e15, 700.0);
        let market = Market {
            decline_g: 0.3,
            efficiency_growth_h: 0.26,
            discount_rate: 0.07,
            utilization: 0.7,
            usd_per_kwh: 0.08,
            pue: 1.2,
        };
        let a = analyse(&chip, &market, None).unwrap();
        let c = compare_chip("X", &a, &group(&rows));
        assert_eq!(c.series.len(), 2);
        let rent = &c.series[0];
        assert_eq!(rent.predicted_decline, Some(0.3));
        // 4 → 3 over 366 days: two-point decline 1 − 0.75^(365.25/366).
        let d = 1.0 - 0.75f64.powf(365.25 / 366.0);
        assert!((rent.fit.as_ref().unwrap().annual_decline - d).abs() < 1e-12);
        assert!((rent.difference.unwrap() - (d - 0.3)).abs() < 1e-12);
        let value = &c.series[1];
        assert!(value.fit.is_none() && value.difference.is_none());
        assert_eq!(value.predicted_decline, a.economic[0].annual_rate);
        let text = render_chip(&c);
        assert!(text.contains("two-point") && text.contains("n = 1: no rate"));
        assert!(text.contains("[1] 2024-01-01 4 usd_per_hour — a"));
    }
}
