//! Rents the fit has not seen, scored (`depreciate --validate --score-rents FILE`): each price of
//! a file in the columns of `data/market_rents.csv` predicted by the market fit at its own chip,
//! date, provider class and basis, with MAPE and bias per chip and overall as in
//! [`super::holdout`] (error `(p̂ − p)/p`, bias > 0: predicted too high). A row that is also in
//! the fitted panel (same chip, date, provider, basis and price) is counted apart, since the fit
//! has seen it.

use super::data::{Panel, RentObservation};
use super::fit::MarketFit;
use super::holdout::{errors, Errors};
use chrono::NaiveDate;
use serde::Serialize;

/// One chip's outside prices against the fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredChip {
    pub chip: String,
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub errors: Errors,
}

/// A file of outside rents against the fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    pub file: String,
    pub per_chip: Vec<ScoredChip>,
    /// Over every scored price.
    pub overall: Errors,
    /// Rows that are also in the fitted panel: scored like the others, but not out of sample.
    pub also_in_fit: usize,
    /// Rows the fit cannot price (chips the catalog lacks, or lacks figures of), with why.
    pub skipped: Vec<String>,
}

fn same(a: &RentObservation, b: &RentObservation) -> bool {
    a.chip.name == b.chip.name
        && a.date == b.date
        && a.basis == b.basis
        && a.provider.trim().eq_ignore_ascii_case(b.provider.trim())
        && (a.usd_per_hour - b.usd_per_hour).abs() < 1e-9
}

/// Scores `outside` under `fit`, which was fitted on `fitted`.
/// Rows of `outside` are scored only in a provider class and a basis that `fitted` holds prices
/// of: for another, the fit's effect is fixed at zero, so it would score spot prices as
/// on-demand ones (a fit on one provider's on-demand list had scored AWS reserved and RunPod
/// spot rents at a MAPE of 112 % without a word); those rows are left out, counted per segment.
pub fn score(fit: &MarketFit, fitted: &Panel, outside: &Panel) -> Scored {
    use super::data::Basis;
    let classes: std::collections::HashSet<_> = fitted.rows.iter().map(|f| f.class).collect();
    let bases: std::collections::HashSet<_> = fitted.rows.iter().map(|f| f.basis).collect();
    let priced = |o: &RentObservation| {
        classes.contains(&o.class) && (o.basis == Basis::OnDemand || bases.contains(&o.basis))
    };
    let mut unpriced: Vec<(String, usize)> = Vec::new();
    for o in outside.rows.iter().filter(|o| !priced(o)) {
        let segment = format!("{} {}", o.class.id(), o.basis.id());
        match unpriced.iter_mut().find(|(s, _)| *s == segment) {
            Some((_, n)) => *n += 1,
            None => unpriced.push((segment, 1)),
        }
    }
    let mut chips: Vec<&str> = Vec::new();
    for o in outside.rows.iter().filter(|o| priced(o)) {
        if !chips.contains(&o.chip.name.as_str()) {
            chips.push(&o.chip.name);
        }
    }
    chips.sort_unstable();
    let mut skipped = outside.skipped.clone();
    skipped.extend(unpriced.into_iter().map(|(segment, n)| {
        format!(
            "{n} {segment} price(s): the fitted panel ({}) has no prices of that provider class \
             or basis, so the fit cannot price them",
            fitted.name
        )
    }));
    let mut all = Vec::new();
    let mut per_chip = Vec::new();
    for chip in chips {
        let rows: Vec<&RentObservation> = outside
            .rows
            .iter()
            .filter(|o| o.chip.name == chip && priced(o))
            .collect();
        let e = errors(fit, rows.iter().copied());
        if e.is_empty() {
            skipped.push(format!(
                "{chip}: the catalog lacks its bandwidth, memory or peak"
            ));
            continue;
        }
        all.extend_from_slice(&e);
        per_chip.push(ScoredChip {
            chip: chip.to_string(),
            first: rows.iter().map(|o| o.date).min().unwrap_or_default(),
            last: rows.iter().map(|o| o.date).max().unwrap_or_default(),
            errors: Errors::of(&e),
        });
    }
    Scored {
        file: outside.name.clone(),
        per_chip,
        overall: Errors::of(&all),
        also_in_fit: outside
            .rows
            .iter()
            .filter(|o| fitted.rows.iter().any(|f| same(o, f)))
            .count(),
        skipped,
    }
}

/// How far above what the shipped panel's fit predicts a rent of a user's panel may lie before
/// it is said to look like a node's price (a node of 8 GPUs is 8×; the shipped panel's own
/// rents lie within this of their fit, a test holds it).
pub const NODE_LEVEL_RATIO: f64 = 4.0;

/// A warning for a panel whose rents sit far above what `reference` (the shipped panel's fit)
/// predicts at their own chips, dates, classes and bases: every price × 8, or a few rows of
/// 8-GPU nodes among one GPU's prices, which the file's own checks let through (six Lambda
/// node rows at 9.5 × their chips' medians moved the H200's life from 10.5 to 7.5 years); and
/// for one whose rents sit a median as far below it (every price × 0.2 valued every chip at
/// nothing without a word: a helper's sweep of 7 December 2026).
pub fn level_warning(reference: &MarketFit, panel: &Panel) -> Option<String> {
    use super::data::year_of;
    use super::features::Attributes;
    use super::fit::Segment;
    let ratios: Vec<(&RentObservation, f64)> = panel
        .rows
        .iter()
        .filter_map(|o| {
            let attrs = Attributes::of(o.chip)?;
            let segment = Segment {
                class: o.class,
                basis: o.basis,
            };
            let predicted = reference.rent(&attrs, segment, year_of(o.date));
            (predicted > 0.0).then_some((o, o.usd_per_hour / predicted))
        })
        .collect();
    let mut sorted: Vec<f64> = ratios.iter().map(|(_, r)| *r).collect();
    sorted.sort_by(f64::total_cmp);
    let median = *sorted.get(sorted.len() / 2)?;
    let fix = "if they are prices of nodes, divide each by its GPUs (the fit takes every price as \
               one GPU-hour's)";
    if median > NODE_LEVEL_RATIO {
        return Some(format!(
            "the rents of {} sit a median {median:.1}× above what the shipped panel's fit \
             predicts at their chips, dates and segments: {fix}",
            panel.name
        ));
    }
    if median < 1.0 / NODE_LEVEL_RATIO {
        return Some(format!(
            "the rents of {} sit a median {:.1}× below what the shipped panel's fit predicts \
             at their chips, dates and segments: if they are prices of a slice of a GPU (a MIG \
             instance, a fractional offer), scale each to one whole GPU-hour, and if they are \
             in another currency, convert them to USD (the fit takes every price as one \
             GPU-hour's in USD)",
            panel.name,
            1.0 / median
        ));
    }
    let high: Vec<&(&RentObservation, f64)> = ratios
        .iter()
        .filter(|(_, r)| *r > NODE_LEVEL_RATIO)
        .collect();
    let largest = high.iter().map(|(_, r)| *r).fold(0.0, f64::max);
    let mut chips: Vec<&str> = high.iter().map(|(o, _)| o.chip.name.as_str()).collect();
    chips.sort_unstable();
    chips.dedup();
    (!high.is_empty()).then(|| {
        format!(
            "{} of the {} rents of {} sit more than {NODE_LEVEL_RATIO}× above what the shipped \
             panel's fit predicts at their chip, date and segment ({}; the largest \
             {largest:.1}×): {fix}",
            high.len(),
            panel.rows.len(),
            panel.name,
            chips.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economics::market::data::{self, year_of};
    use crate::economics::market::features::Attributes;
    use crate::economics::market::fit::{self, Segment};

    /// A rent set at the fit's own prediction scores 0 %; one at 0.8 × it, a prediction 25 % too
    /// high. A row copied from the panel is counted as seen.
    #[test]
    fn prices_at_the_fits_prediction_score_zero_and_a_panel_row_is_counted_as_seen() {
        let panel = data::shipped().unwrap();
        let fitted = fit::fit(&panel).unwrap();
        let seen = panel.rows[0].clone();
        let mut rows = vec![seen];
        for (name, scale) in [("H100 SXM", 1.0), ("A100 SXM4 80GB", 0.8)] {
            let chip = crate::economics::catalog::find(name).unwrap();
            let date = NaiveDate::from_ymd_opt(2025, 11, 1).unwrap();
            let class = data::ProviderClass::Neocloud;
            let basis = data::Basis::OnDemand;
            let predicted = fitted.rent(
                &Attributes::of(chip).unwrap(),
                Segment { class, basis },
                year_of(date),
            );
            rows.push(RentObservation {
                chip,
                date,
                usd_per_hour: predicted * scale,
                class,
                basis,
                provider: "p".into(),
                source: String::new(),
            });
        }
        let outside = Panel {
            name: "outside.csv".into(),
            rows,
            skipped: vec!["row 9: X is not in the catalog".into()],
        };
        let s = score(&fitted, &panel, &outside);
        assert_eq!(s.also_in_fit, 1);
        assert_eq!(s.skipped.len(), 1);
        let of = |name: &str| s.per_chip.iter().find(|c| c.chip.contains(name)).unwrap();
        assert!(of("H100 SXM5").errors.bias.abs() < 1e-9);
        assert!((of("A100 SXM4 80GB").errors.bias - 0.25).abs() < 1e-9);
        assert_eq!(s.overall.n, 3);
        // Fitted on on-demand prices only, spot prices are left out, counted, not scored as
        // on-demand ones.
        let mut on_demand = panel.clone();
        on_demand.rows.retain(|o| o.basis == data::Basis::OnDemand);
        let fitted = fit::fit(&on_demand).unwrap();
        let mut spot = outside.clone();
        spot.rows.retain(|o| o.basis == data::Basis::OnDemand);
        let mut row = spot.rows[0].clone();
        row.basis = data::Basis::Spot;
        spot.rows.push(row);
        let s = score(&fitted, &on_demand, &spot);
        assert!(s.per_chip.iter().all(|c| c.errors.n > 0));
        assert_eq!(s.overall.n, 3, "{:?}", s.skipped);
        assert!(
            s.skipped
                .iter()
                .any(|w| w.starts_with("1 hyperscaler spot price(s): the fitted panel")),
            "{:?}",
            s.skipped
        );
    }

    /// The shipped panel lies within [`NODE_LEVEL_RATIO`] of its own fit; the same panel with
    /// every price × 8 is said to be node prices, and so are a few node rows among the others.
    #[test]
    fn rents_at_a_nodes_level_are_said() {
        let panel = data::shipped().unwrap();
        let fitted = fit::fit(&panel).unwrap();
        assert_eq!(level_warning(&fitted, &panel), None);
        let mut nodes = panel.clone();
        for o in &mut nodes.rows {
            o.usd_per_hour *= 8.0;
        }
        let w = level_warning(&fitted, &nodes).unwrap();
        // 8× the prices, less the shipped panel's own median residual.
        let ratio: f64 = w
            .split("sit a median ")
            .nth(1)
            .and_then(|t| t.split('×').next())
            .and_then(|t| t.parse().ok())
            .unwrap_or(f64::NAN);
        assert!(
            (7.0..9.0).contains(&ratio) && w.contains("divide each by its GPUs"),
            "{w}"
        );
        let mut few = panel.clone();
        for o in few
            .rows
            .iter_mut()
            .filter(|o| o.chip.name.contains("H200"))
            .take(3)
        {
            o.usd_per_hour *= 8.0;
        }
        let w = level_warning(&fitted, &few).unwrap();
        assert!(
            w.starts_with(&format!("3 of the {} rents", few.rows.len()))
                && w.contains("NVIDIA H200"),
            "{w}"
        );
        // A fifth of every price (slices of a GPU, another currency) is said too; half is not.
        let scaled = |factor: f64| {
            let mut p = panel.clone();
            for o in &mut p.rows {
                o.usd_per_hour *= factor;
            }
            level_warning(&fitted, &p)
        };
        let w = scaled(0.2).unwrap();
        assert!(
            w.contains("below what the shipped panel's fit predicts")
                && w.contains("whole GPU-hour"),
            "{w}"
        );
        assert_eq!(scaled(0.5), None);
    }
}
