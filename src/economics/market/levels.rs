//! Each rented chip's own rent level: how far its observed prices sit from the market's price
//! of its attributes, shrunk towards zero by how much evidence there is, and within it, how far
//! its prices in each provider class sit from it (nested partial pooling: the best linear
//! unbiased predictor of a random effect per chip and per chip and class, its variances by the
//! method of moments).
//!
//! The fit prices a chip by its attributes; a chip whose rents sit 20 % below that law across
//! several providers is rented for less than its attributes say, and the market knows it.
//! Repeated prices of one offer (provider and basis) are one piece of evidence, not many: with
//! residuals `e` of the fit (ln observed − ln fitted), each offer's mean residual is one
//! observation, and chip `i`'s prices in class `c` give `ē_ic`, the mean over its `n_ic`
//! offers there. With
//! - `s²` the variance of an offer's mean about the others' of its chip and class (pooled; at
//!   least [`MIN_OFFER_DOF`] degrees of freedom, or no chip gets a level),
//! - `τ_d²` the spread of a class's true level about its chip's, from the chips rented in both
//!   classes: `mean((ē_ih − ē_in)² − s²/n_ih − s²/n_in)/2`,
//! - `τ²` the spread of the chips' true levels: `mean(ē_ic² − s²/n_ic) − τ_d²` over the cells,
//!
//! the chip's level is `μ_i = τ²/(τ² + V_i)·ē_i`, where `ē_i` is the mean of its classes'
//! `ē_ic` weighed by `1/(τ_d² + s²/n_ic)` and `V_i` the inverse of those weights' sum, and its
//! level in class `c` is `μ_i + w_ic·(ē_ic − μ_i)`, `w_ic = τ_d²/(τ_d² + s²/n_ic)`; in a class
//! without its prices, `μ_i`. A chip rented by one offer keeps little of its distance from the
//! law, one rented by ten nearly all; a chip with no prices has no level, and its rent is the
//! market's price of its attributes.

use super::data::{ProviderClass, RentObservation};
use serde::Serialize;
use std::collections::BTreeMap;

/// Fewest degrees of freedom of the offers' spread `s²` (offers beyond the first of each chip
/// and class, summed): with fewer, one chip's pair of offers would set every chip's weight (a
/// helper's panel where one chip's rows were copied under a second provider: `s²` 0 from one
/// pair, and every chip kept its whole distance).
pub const MIN_OFFER_DOF: usize = 5;

/// A chip's level in one provider class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassLevel {
    /// Distinct offers (provider and basis) of the chip in the class, `n_ic`.
    pub offers: usize,
    /// `ē_ic`: the mean over those offers of each offer's mean residual (ln).
    pub mean_residual: f64,
    /// Share of the class's distance from the chip's level kept, `w_ic`.
    pub weight: f64,
    /// The level its rent in the class is priced with (ln of the factor on the market's price
    /// of its attributes).
    pub ln_level: f64,
}

/// One chip's level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChipLevel {
    pub chip: String,
    /// Distinct offers (provider and basis) of the chip in the panel.
    pub offers: usize,
    /// `ē_i`: its classes' mean residuals weighed by their evidence (ln): how far its prices
    /// sit from the market's price of its attributes.
    pub mean_residual: f64,
    /// Share of `mean_residual` kept, `τ²/(τ² + V_i)`.
    pub weight: f64,
    /// `μ_i`, the level in a class without prices of the chip.
    pub ln_level: f64,
    pub hyperscaler: Option<ClassLevel>,
    pub neocloud: Option<ClassLevel>,
}

impl ChipLevel {
    /// The chip's prices in `class`, if it has any there.
    pub fn in_class(&self, class: ProviderClass) -> Option<&ClassLevel> {
        match class {
            ProviderClass::Hyperscaler => self.hyperscaler.as_ref(),
            ProviderClass::Neocloud => self.neocloud.as_ref(),
        }
    }

    /// The level its rent in `class` is priced with (ln of the factor on the market's price
    /// of its attributes).
    pub fn ln_factor(&self, class: ProviderClass) -> f64 {
        self.in_class(class).map_or(self.ln_level, |c| c.ln_level)
    }
}

/// The levels of every chip in a panel.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Levels {
    /// `τ²`: spread of the chips' true levels (ln², 0 when the fit explains them all).
    pub between_var: f64,
    /// `τ_d²`: spread of a class's true level about its chip's.
    pub class_var: f64,
    /// `s²`: variance of one offer's mean residual about the others' of its chip and class.
    pub offer_var: f64,
    /// Degrees of freedom of `offer_var`; below [`MIN_OFFER_DOF`] every level is 0.
    pub offer_dof: usize,
    pub chips: Vec<ChipLevel>,
}

/// The provider classes, in the order of a chip's slots in the coefficients
/// ([`super::fit::MarketFit::beta`]).
pub const CLASSES: [ProviderClass; 2] = [ProviderClass::Hyperscaler, ProviderClass::Neocloud];

/// Per offer (provider, basis): the weighted sum of residuals and the weight.
type Offers = BTreeMap<(String, &'static str), (f64, f64)>;

/// The mean of each offer's mean residual in `offers`, and those means.
fn offer_means(offers: &Offers) -> (f64, Vec<f64>) {
    let means: Vec<f64> = offers.values().map(|(s, w)| s / w).collect();
    (means.iter().sum::<f64>() / means.len() as f64, means)
}

/// `a/(a + b)`, 0 where both are 0.
fn share(a: f64, b: f64) -> f64 {
    if a + b > 0.0 {
        a / (a + b)
    } else {
        0.0
    }
}

impl Levels {
    /// The levels of the chips of `rows`: each price with its residual under the fit (ln
    /// observed − ln fitted) and its weight (1; a bootstrap draw's count of it, 0 leaving it
    /// out).
    pub fn estimate<'a>(rows: impl IntoIterator<Item = (&'a RentObservation, f64, u32)>) -> Self {
        // Per chip, per class, per offer.
        let mut by_chip: BTreeMap<&str, [Offers; 2]> = BTreeMap::new();
        for (o, e, w) in rows.into_iter().filter(|r| r.2 > 0) {
            let class = CLASSES.iter().position(|c| *c == o.class).unwrap_or(1);
            let sum = by_chip.entry(o.chip.name.as_str()).or_default()[class]
                .entry((o.provider.to_ascii_lowercase(), o.basis.id()))
                .or_default();
            sum.0 += e * f64::from(w);
            sum.1 += f64::from(w);
        }
        // The cells (chip, class): offers and mean residual.
        let cells: Vec<[Option<(usize, f64)>; 2]> = by_chip
            .values()
            .map(|classes| {
                classes
                    .each_ref()
                    .map(|o| (!o.is_empty()).then(|| (o.len(), offer_means(o).0)))
            })
            .collect();
        // `s²`: offers about the mean of their cell's offers, pooled.
        let (mut ss, mut dof) = (0.0, 0usize);
        for offers in by_chip.values().flatten().filter(|o| o.len() > 1) {
            let (centre, means) = offer_means(offers);
            ss += means.iter().map(|x| (x - centre).powi(2)).sum::<f64>();
            dof += means.len() - 1;
        }
        let offer_var = if dof > 0 { ss / dof as f64 } else { 0.0 };
        let enough = dof >= MIN_OFFER_DOF;
        let noise = |n: usize| offer_var / n as f64;
        let mean_of = |v: Vec<f64>| {
            if v.is_empty() {
                0.0
            } else {
                v.iter().sum::<f64>() / v.len() as f64
            }
        };
        let class_var = mean_of(
            cells
                .iter()
                .filter_map(|c| match c {
                    [Some((nh, eh)), Some((nn, en))] => {
                        Some(((eh - en).powi(2) - noise(*nh) - noise(*nn)) / 2.0)
                    }
                    _ => None,
                })
                .collect(),
        )
        .max(0.0);
        let total_var = mean_of(
            cells
                .iter()
                .flatten()
                .flatten()
                .map(|(n, e)| e.powi(2) - noise(*n))
                .collect(),
        )
        .max(0.0);
        let between_var = (total_var - class_var).max(0.0);
        let chips = by_chip
            .keys()
            .zip(&cells)
            .map(|(chip, cell)| {
                // The chip's mean over its classes, each weighed by the inverse of its variance
                // about the chip's true level.
                let (mut sum_w, mut sum_we) = (0.0, 0.0);
                for (n, e) in cell.iter().flatten() {
                    let v = class_var + noise(*n);
                    let w = if v > 0.0 { 1.0 / v } else { 1e12 };
                    sum_w += w;
                    sum_we += w * e;
                }
                let mean = sum_we / sum_w;
                let weight = if enough {
                    share(between_var, 1.0 / sum_w)
                } else {
                    0.0
                };
                let level = weight * mean;
                let class = |c: &Option<(usize, f64)>| {
                    c.map(|(n, e)| {
                        let w = if enough {
                            share(class_var, noise(n))
                        } else {
                            0.0
                        };
                        ClassLevel {
                            offers: n,
                            mean_residual: e,
                            weight: w,
                            ln_level: level + w * (e - level),
                        }
                    })
                };
                ChipLevel {
                    chip: chip.to_string(),
                    offers: cell.iter().flatten().map(|(n, _)| n).sum(),
                    mean_residual: mean,
                    weight,
                    ln_level: level,
                    hyperscaler: class(&cell[0]),
                    neocloud: class(&cell[1]),
                }
            })
            .collect();
        Self {
            between_var,
            class_var,
            offer_var,
            offer_dof: dof,
            chips,
        }
    }

    /// Where the chip named `chip` stands in [`Self::chips`] (`None`: the panel has no price of
    /// it).
    pub fn index(&self, chip: &str) -> Option<usize> {
        self.chips.iter().position(|c| c.chip == chip)
    }

    /// The level of the chip named `chip`, if the panel has prices of it.
    pub fn of(&self, chip: &str) -> Option<&ChipLevel> {
        self.index(chip).map(|i| &self.chips[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economics::catalog::find;
    use crate::economics::market::data::Basis;

    /// A price of `chip` from `provider` in `class` whose residual under the fit is `e`.
    fn price(chip: &str, provider: &str, class: ProviderClass, e: f64) -> (RentObservation, f64) {
        (
            RentObservation {
                chip: find(chip).unwrap(),
                date: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
                usd_per_hour: 1.0,
                class,
                basis: Basis::OnDemand,
                provider: provider.into(),
                source: String::new(),
            },
            e,
        )
    }

    fn levels(rows: &[(RentObservation, f64)]) -> Levels {
        Levels::estimate(rows.iter().map(|(o, e)| (o, *e, 1)))
    }

    /// Chips whose prices sit off the law keep more of that distance the more offers rent
    /// them; one offer keeps less than ten, and the level never passes the distance.
    #[test]
    fn more_offers_keep_more_of_the_distance() {
        use ProviderClass::Neocloud;
        let mut rows = Vec::new();
        // Offers scatter ±0.1 about their chip's level.
        let wobble = |k: usize| if k.is_multiple_of(2) { 0.1 } else { -0.1 };
        for k in 0..10 {
            rows.push(price(
                "H100 SXM",
                &format!("p{k}"),
                Neocloud,
                0.3 + wobble(k),
            ));
            rows.push(price(
                "A100 SXM4 80GB",
                &format!("p{k}"),
                Neocloud,
                wobble(k),
            ));
        }
        rows.push(price("B200", "p0", Neocloud, 0.3));
        for k in 0..2 {
            rows.push(price("H200", &format!("p{k}"), Neocloud, -0.3 + wobble(k)));
        }
        let l = levels(&rows);
        assert!(l.between_var > 0.0 && l.offer_var > 0.0, "{l:?}");
        let of = |c: &str| l.of(&find(c).unwrap().name).unwrap().clone();
        let (h100, b200, h200) = (of("H100 SXM"), of("B200"), of("H200"));
        assert_eq!(h100.offers, 10);
        assert!((h100.mean_residual - 0.3).abs() < 1e-9, "{h100:?}");
        assert!(h100.weight > b200.weight && b200.weight > 0.0, "{l:?}");
        assert!(
            h100.ln_level > b200.ln_level && h100.ln_level < 0.3,
            "{l:?}"
        );
        assert!(h200.ln_level < 0.0 && h200.ln_level > -0.3, "{l:?}");
        // Its rent in either class is priced with it (no class deviation to keep).
        assert_eq!(h100.ln_factor(ProviderClass::Hyperscaler), h100.ln_level);
        assert_eq!(h100.ln_factor(Neocloud), h100.ln_level);
        // A chip without prices has no level.
        assert!(l.of("NVIDIA GB200 (per GPU)").is_none());
    }

    /// Where every chip has one offer, nothing tells an offer's noise from a chip's level:
    /// every level is 0.
    #[test]
    fn no_level_without_repeated_offers() {
        let rows = [
            price("H100 SXM", "a", ProviderClass::Neocloud, 0.4),
            price("A100 SXM4 80GB", "b", ProviderClass::Neocloud, -0.4),
        ];
        let l = levels(&rows);
        assert!(l.chips.iter().all(|c| c.ln_level == 0.0), "{l:?}");
    }

    /// A chip listed above the law by hyperscalers and at it elsewhere keeps that difference
    /// in its class levels; a chip rented in one class only is priced in the other at its own
    /// level.
    #[test]
    fn a_class_apart_keeps_its_own_level() {
        use ProviderClass::{Hyperscaler, Neocloud};
        let mut rows = Vec::new();
        let wobble = |k: usize| if k.is_multiple_of(2) { 0.05 } else { -0.05 };
        for (chip, hyper) in [("H100 SXM", 0.5), ("A100 SXM4 80GB", -0.3), ("H200", 0.4)] {
            for k in 0..6 {
                rows.push(price(
                    chip,
                    &format!("AWS {k}"),
                    Hyperscaler,
                    hyper + wobble(k),
                ));
                rows.push(price(chip, &format!("n{k}"), Neocloud, wobble(k)));
            }
        }
        for k in 0..6 {
            rows.push(price(
                "B200",
                &format!("AWS {k}"),
                Hyperscaler,
                -0.4 + wobble(k),
            ));
        }
        let l = levels(&rows);
        assert!(l.class_var > 0.0, "{l:?}");
        let h100 = l.of(&find("H100 SXM").unwrap().name).unwrap();
        assert!(
            h100.ln_factor(Hyperscaler) > h100.ln_factor(Neocloud) + 0.3,
            "{h100:?}"
        );
        assert!(h100.ln_factor(Neocloud).abs() < 0.1, "{h100:?}");
        // The B200's hyperscaler prices say little of its neocloud rent where classes sit
        // apart this much: there it takes the chip's level, shrunk further.
        let b200 = l.of(&find("B200").unwrap().name).unwrap();
        assert!(b200.neocloud.is_none());
        assert!(b200.ln_factor(Hyperscaler) < -0.3, "{b200:?}");
        assert!(
            b200.ln_level < 0.0 && b200.ln_level > b200.ln_factor(Hyperscaler),
            "{b200:?}"
        );
        assert_eq!(b200.ln_factor(Neocloud), b200.ln_level);
    }

    /// Some chips rented through several offers each, one of them `chip` in `class`, so that
    /// the spreads can be estimated.
    fn panel_with(extra: &[(RentObservation, f64)]) -> Vec<(RentObservation, f64)> {
        use ProviderClass::{Hyperscaler, Neocloud};
        let mut rows = extra.to_vec();
        let wobble = |k: usize| if k.is_multiple_of(2) { 0.1 } else { -0.1 };
        for (chip, at) in [("H100 SXM", 0.3), ("A100 SXM4 80GB", -0.2), ("H200", 0.1)] {
            for k in 0..4 {
                rows.push(price(chip, &format!("n{k}"), Neocloud, at + wobble(k)));
                rows.push(price(
                    chip,
                    &format!("AWS {k}"),
                    Hyperscaler,
                    -at + wobble(k),
                ));
            }
        }
        rows
    }

    /// A helper's panel: one chip's rows copied under a second provider made the offers'
    /// spread 0 from that one pair, and every chip kept its whole distance from the law. With
    /// fewer than [`MIN_OFFER_DOF`] degrees of freedom no chip gets a level.
    #[test]
    fn one_pair_of_offers_sets_no_level() {
        use ProviderClass::Neocloud;
        let mut rows = Vec::new();
        for (chip, e) in [("H100 SXM", 0.4), ("A100 SXM4 80GB", -0.4), ("H200", 0.2)] {
            rows.push(price(chip, "a", Neocloud, e));
        }
        rows.push(price("H100 SXM", "mirror", Neocloud, 0.4));
        let l = levels(&rows);
        assert!(l.offer_dof < MIN_OFFER_DOF, "{l:?}");
        assert!(l
            .chips
            .iter()
            .all(|c| c.ln_level == 0.0 && c.neocloud.as_ref().unwrap().ln_level == 0.0));
    }

    /// A helper's sweep: an offer priced above a chip's level never lowers it (a mean over
    /// prices against a weight over offers had).
    #[test]
    fn an_offer_above_the_level_raises_it() {
        use ProviderClass::Neocloud;
        let name = &find("B200").unwrap().name;
        let at = |extra: Vec<(RentObservation, f64)>| {
            levels(&panel_with(&extra))
                .of(name)
                .unwrap()
                .ln_factor(Neocloud)
        };
        let many: Vec<_> = (0..20)
            .map(|_| price("B200", "one", Neocloud, -0.3))
            .collect();
        let alone = at(many.clone());
        let mut more = many;
        more.push(price("B200", "two", Neocloud, -0.1));
        assert!(at(more) > alone, "{alone}");
    }
}
