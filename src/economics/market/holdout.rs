//! Leave one chip out: how well the market prices a chip whose rents it has never seen.
//!
//! The model's claim is that a chip's rent follows from its attributes, the frontier and the
//! market's premium, with nothing calibrated per chip. For each chip of the panel, the market
//! is fitted on every other chip's prices (the frontier still knowing the held-out chip's
//! release: it was on the market, only its prices are hidden) and predicts the held-out chip's
//! prices at their own dates, provider classes and bases. Beside it, the fit on the whole panel
//! scores the same prices in-sample: the difference is what not having seen the chip costs.
//!
//! For a price `p` predicted as `p̂`: error `e = (p̂ − p)/p`; MAPE = mean `|e|`, bias = mean `e`
//! (positive: predicted too high), as in [`super::backtest`].

use super::data::{year_of, Panel};
use super::features::Attributes;
use super::fit::{self, distinct_chips, MarketFit, Segment};
use super::levels::ChipLevel;
use crate::economics::catalog::Chip;
use serde::Serialize;

/// Errors over a set of prices.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Errors {
    pub n: usize,
    pub mape: f64,
    pub bias: f64,
}

impl Errors {
    pub(super) fn of(errors: &[f64]) -> Self {
        let n = errors.len().max(1) as f64;
        Errors {
            n: errors.len(),
            mape: errors.iter().map(|e| e.abs()).sum::<f64>() / n,
            bias: errors.iter().sum::<f64>() / n,
        }
    }
}

/// One held-out chip.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeldOutChip {
    pub chip: String,
    /// Its prices predicted by the fit on every other chip.
    pub held_out: Errors,
    /// The same prices under the fit on the whole panel.
    pub in_fit: Errors,
}

/// The whole leave-one-chip-out check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Holdout {
    pub per_chip: Vec<HeldOutChip>,
    /// Chips that could not be held out (the rest of the panel too small to fit), with why.
    pub skipped: Vec<String>,
    /// Over every price of every chip, each predicted with its own chip held out.
    pub held_out: Errors,
    /// The same prices under the fit on the whole panel.
    pub in_fit: Errors,
}

/// Relative errors of `fitted` on `rows`.
pub(super) fn errors<'a>(
    fitted: &MarketFit,
    rows: impl Iterator<Item = &'a super::data::RentObservation>,
) -> Vec<f64> {
    rows.filter_map(|o| {
        let attrs = Attributes::of(o.chip)?;
        let segment = Segment {
            class: o.class,
            basis: o.basis,
        };
        let predicted = fitted.rent(&attrs, segment, year_of(o.date));
        Some((predicted - o.usd_per_hour) / o.usd_per_hour)
    })
    .collect()
}

/// One chip held out: its errors under the fit on the other chips' prices and under `whole`,
/// or why the rest of the panel could not be fitted.
fn hold_out(
    panel: &Panel,
    whole: &MarketFit,
    chip: &'static Chip,
) -> Result<(Vec<f64>, Vec<f64>), String> {
    let (held, rest): (Vec<_>, Vec<_>) = panel
        .rows
        .iter()
        .cloned()
        .partition(|o| o.chip.name == chip.name);
    let rest = Panel {
        name: panel.name.clone(),
        rows: rest,
        skipped: Vec::new(),
    };
    let fitted =
        fit::fit_knowing(&rest, &[chip], None).map_err(|e| format!("{}: {e}", chip.name))?;
    Ok((errors(&fitted, held.iter()), errors(whole, held.iter())))
}

/// Holds out each chip of `panel` in turn (the chips spread over the machine's cores: each
/// refit searches the premium episodes again); `whole` is the fit on the whole panel. A chip
/// whose removal leaves a panel the fit refuses is listed in `skipped` with the reason.
pub fn holdout(panel: &Panel, whole: &MarketFit) -> Holdout {
    let chips = distinct_chips(panel);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, chips.len().max(1));
    let results: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let chips = &chips;
                scope.spawn(move || {
                    chips
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % workers == w)
                        .map(|(i, &chip)| (i, chip, hold_out(panel, whole, chip)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all: Vec<_> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect();
        all.sort_by_key(|(i, _, _)| *i);
        all
    });
    let mut per_chip = Vec::new();
    let mut skipped = Vec::new();
    let (mut all_out, mut all_in) = (Vec::new(), Vec::new());
    for (_, chip, result) in results {
        match result {
            Err(why) => skipped.push(why),
            Ok((out, _)) if out.is_empty() => {}
            Ok((out, inn)) => {
                all_out.extend_from_slice(&out);
                all_in.extend_from_slice(&inn);
                per_chip.push(HeldOutChip {
                    chip: chip.name.clone(),
                    held_out: Errors::of(&out),
                    in_fit: Errors::of(&inn),
                });
            }
        }
    }
    per_chip.sort_by(|a, b| a.chip.cmp(&b.chip));
    Holdout {
        per_chip,
        skipped,
        held_out: Errors::of(&all_out),
        in_fit: Errors::of(&all_in),
    }
}

/// What the panel says of one chip's rent, for its valuation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RentEvidence {
    /// Prices of this chip in the panel; 0: its rent is priced from its attributes alone.
    pub observed_prices: usize,
    /// The whole fit on those prices (bias > 0: the fitted rent sits above them).
    pub in_fit: Option<Errors>,
    /// Those prices predicted by a fit on every other chip's (premium episodes held at the
    /// whole fit's): how well the market prices this chip without having seen it. `None`
    /// without prices, or where the rest of the panel is too small to fit.
    pub held_out: Option<Errors>,
    /// The chip's own level in the fit ([`super::levels`]): how far its prices sit from the
    /// market's price of its attributes, in all and in each provider class, and how much of
    /// that its rent keeps. `None` without prices.
    pub level: Option<ChipLevel>,
}

/// The rent evidence of the chip named `chip` in `panel`, under `whole` (its fit).
pub fn rent_evidence(panel: &Panel, whole: &MarketFit, chip: &str) -> RentEvidence {
    let held: Vec<_> = panel.rows.iter().filter(|o| o.chip.name == chip).collect();
    let Some(first) = held.first() else {
        return RentEvidence {
            observed_prices: 0,
            in_fit: None,
            held_out: None,
            level: None,
        };
    };
    let rest = Panel {
        name: panel.name.clone(),
        rows: panel
            .rows
            .iter()
            .filter(|o| o.chip.name != chip)
            .cloned()
            .collect(),
        skipped: Vec::new(),
    };
    let held_out = fit::fit_knowing(&rest, &[first.chip], Some(&whole.episodes))
        .ok()
        .map(|f| Errors::of(&errors(&f, held.iter().copied())));
    RentEvidence {
        observed_prices: held.len(),
        in_fit: Some(Errors::of(&errors(whole, held.iter().copied()))),
        held_out,
        level: whole.levels.of(chip).cloned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economics::market::data;

    /// A panel of `rows`, its fit and the leave-one-chip-out check on it.
    fn held(rows: Vec<data::RentObservation>) -> (Panel, MarketFit, Holdout) {
        let panel = Panel {
            name: "t".into(),
            rows,
            skipped: Vec::new(),
        };
        let whole = fit::fit(&panel).unwrap();
        let h = holdout(&panel, &whole);
        (panel, whole, h)
    }

    /// Every chip of the shipped panel is held out once; its prices are predicted from the
    /// others within bounds (a model that had not learned how attributes are priced would miss
    /// by several hundred percent: the panel spans $0.1 to $15 per hour), and seeing a chip
    /// never makes its own prices fit worse on the whole.
    #[test]
    fn every_shipped_chip_is_priced_from_the_others() {
        let panel = data::shipped().unwrap();
        let whole = fit::fit(&panel).unwrap();
        let h = holdout(&panel, &whole);
        assert_eq!(h.per_chip.len(), distinct_chips(&panel).len());
        assert!(h.skipped.is_empty(), "{:?}", h.skipped);
        let priced: usize = h.per_chip.iter().map(|c| c.held_out.n).sum();
        assert_eq!(priced, h.held_out.n);
        assert_eq!(h.held_out.n, h.in_fit.n);
        assert!(
            h.held_out.mape.is_finite() && h.held_out.mape < 1.0,
            "{h:?}"
        );
        assert!(h.in_fit.mape <= h.held_out.mape, "{h:?}");
    }

    /// A held-out chip is priced by the others' law: where every other chip rents in
    /// proportion to its bandwidth, one that rents at twice the law is predicted at the law
    /// exactly (its rents were not in the fit), while the whole fit, which saw them, misses it
    /// by less.
    #[test]
    fn a_chip_off_the_law_is_predicted_at_the_others_law() {
        use crate::economics::catalog::find;
        use data::{Basis, ProviderClass, RentObservation};
        // Rents proportional to bandwidth, no time effect: the law the fit can represent.
        let chips = [
            "V100 SXM2 16GB",
            "A100 SXM4 40GB",
            "A100 SXM4 80GB",
            "H100 SXM",
            "H200",
        ];
        let mut rows = Vec::new();
        for (i, name) in chips.iter().enumerate() {
            let chip = find(name).unwrap();
            let bw = chip.memory_bytes_per_s.unwrap() / 1e9;
            for m in 0..6 {
                rows.push(RentObservation {
                    chip,
                    date: chrono::NaiveDate::from_ymd_opt(2025, 1 + m as u32 + (i % 2) as u32, 1)
                        .unwrap(),
                    usd_per_hour: bw / 1000.0 * if *name == "H100 SXM" { 2.0 } else { 1.0 },
                    class: ProviderClass::Neocloud,
                    basis: Basis::OnDemand,
                    provider: "p".into(),
                    source: String::new(),
                });
            }
        }
        let (panel, whole, h) = held(rows);
        let chip = |name: &str| h.per_chip.iter().find(|c| c.chip.contains(name)).unwrap();
        let h100 = chip("H100 SXM5");
        assert!((h100.held_out.bias + 0.5).abs() < 0.02, "{h100:?}");
        assert!(h100.in_fit.bias > h100.held_out.bias + 0.1, "{h100:?}");
        // The valuation's evidence says the same of the chip, and nothing of a chip with no
        // prices.
        let h100_name = &find("H100 SXM").unwrap().name;
        let e = rent_evidence(&panel, &whole, h100_name);
        assert_eq!(e.observed_prices, 6);
        assert!((e.held_out.unwrap().bias + 0.5).abs() < 0.02, "{e:?}");
        assert!(
            e.in_fit.unwrap().bias > e.held_out.unwrap().bias + 0.1,
            "{e:?}"
        );
        let none = rent_evidence(&panel, &whole, &find("B200").unwrap().name);
        assert_eq!(
            (none.observed_prices, none.in_fit, none.held_out),
            (0, None, None)
        );
    }

    /// A chip without which too few prices remain to fit is listed with the reason, and the
    /// others are still held out.
    #[test]
    fn a_chip_that_leaves_too_few_prices_is_skipped_with_the_reason() {
        use crate::economics::catalog::find;
        use data::{Basis, ProviderClass, RentObservation};
        let row = |name: &str, month: u32, usd: f64| RentObservation {
            chip: find(name).unwrap(),
            date: chrono::NaiveDate::from_ymd_opt(2025, month, 1).unwrap(),
            usd_per_hour: usd,
            class: ProviderClass::Neocloud,
            basis: Basis::OnDemand,
            provider: "p".into(),
            source: String::new(),
        };
        let mut rows: Vec<_> = (0..24)
            .map(|i| row("H100 SXM", 1 + i % 12, 2.0 + 0.01 * i as f64))
            .collect();
        for (chip, usd) in [
            ("A100 SXM4 80GB", 1.2),
            ("V100 SXM2 16GB", 0.6),
            ("L40S", 0.9),
        ] {
            rows.extend((0..4).map(|i| row(chip, 1 + i, usd)));
        }
        let (_, _, h) = held(rows);
        assert_eq!(h.per_chip.len(), 3, "{h:?}");
        assert!(h.per_chip.iter().all(|c| !c.chip.contains("H100")), "{h:?}");
        assert_eq!(h.skipped.len(), 1, "{h:?}");
        assert!(
            h.skipped[0].contains("H100") && h.skipped[0].contains("at least 20"),
            "{:?}",
            h.skipped
        );
    }
}
