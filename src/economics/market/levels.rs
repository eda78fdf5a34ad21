//! Each rented chip's own rent level: how far its observed prices sit from the market's price
//! of its attributes, shrunk towards zero by how much evidence there is (partial pooling, an
//! empirical-Bayes random intercept), and within it, how far its prices in each provider class
//! sit from its own, shrunk the same way.
//!
//! The fit prices a chip by its attributes; a chip whose rents sit 20 % below that law across
//! several providers is rented for less than its attributes say, and the market knows it.
//! With residuals `e` of the fit (ln observed − ln fitted), chip `i`'s mean residual `ē_i` over
//! its prices (each weighs alike, as in the fit) is its level seen through noise. Repeated
//! prices of one offer (provider and basis) are one piece of evidence, not many, so the
//! evidence counts offers, `n_i`. With `s²` the variance of an offer's mean residual about
//! the others' of the same chip and class (pooled), and `τ²` the spread of the true levels
//! between chips (method of moments, `τ² = max(0, mean(ē_i² − s²/n_i))`), the chip's level is
//! `L_i = w_i·ē_i`, `w_i = τ²/(τ² + s²/n_i)`: a chip rented by one offer keeps little of its
//! distance from the law, one rented by ten nearly all.
//!
//! A chip's hyperscaler lists and the prices at which its hours clear elsewhere can sit apart
//! from the law differently (the shipped panel's H100 SXM: lists 30 % above it, other prices
//! 10 %). The deviation of class `c`'s prices from the chip's, `d_ic = ē_ic − ē_i`, is kept
//! the same way: `τ_d²` from the chips rented in both classes, noise `s²·(1/n_ic − 1/n_i)`,
//! and the level in class `c` is `L_i + w_ic·d_ic`. In a class the chip has no prices in, its
//! level is `L_i`; a chip with no prices has none, and its rent is the market's price of its
//! attributes.

use super::data::{ProviderClass, RentObservation};
use serde::Serialize;
use std::collections::BTreeMap;

/// A chip's level in one provider class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassLevel {
    /// Distinct offers (provider and basis) of the chip in the class.
    pub offers: usize,
    /// Mean residual (ln) of the chip's prices in the class under the fit.
    pub mean_residual: f64,
    /// Share of the class's deviation from the chip's mean residual kept, `w_ic`.
    pub weight: f64,
    /// The level in the class, `L_i + w_ic·d_ic` (ln of the factor on the market's price of
    /// the chip's attributes).
    pub ln_level: f64,
}

/// One chip's level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChipLevel {
    pub chip: String,
    /// Distinct offers (provider, class and basis) of the chip in the panel.
    pub offers: usize,
    /// Mean residual (ln) of the chip's prices under the fit: how far they sit from the
    /// market's price of its attributes.
    pub mean_residual: f64,
    /// Share of `mean_residual` kept, `w_i`.
    pub weight: f64,
    /// `L_i = w_i × mean_residual`, the level in a class without prices of the chip.
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
    /// `τ²`: spread of the true levels between chips (ln², 0 when the fit explains them all).
    pub between_var: f64,
    /// `τ_d²`: spread of the true deviations of a class's prices from their chip's.
    pub class_var: f64,
    /// `s²`: variance of one offer's mean residual about the others' of its chip and class.
    pub offer_var: f64,
    pub chips: Vec<ChipLevel>,
}

/// The provider classes, in the order of a chip's slots in the coefficients
/// ([`super::fit::MarketFit::beta`]).
pub const CLASSES: [ProviderClass; 2] = [ProviderClass::Hyperscaler, ProviderClass::Neocloud];

/// Sums of residuals and counts, per offer.
type Offers = BTreeMap<(String, &'static str), (f64, usize)>;

/// The mean residual of the prices of `offers` (each price alike) and the means of its offers.
fn means(offers: &Offers) -> (f64, Vec<f64>) {
    let (sum, n) = offers
        .values()
        .fold((0.0, 0), |(s, n), (os, on)| (s + os, n + on));
    (
        sum / n as f64,
        offers.values().map(|(s, n)| s / *n as f64).collect(),
    )
}

/// The noise of a class's deviation from its chip's mean: `s²·(1/n_ic − 1/n_i)`.
fn deviation_noise(offer_var: f64, class: &ClassLevel, chip: &ChipLevel) -> f64 {
    (offer_var * (1.0 / class.offers as f64 - 1.0 / chip.offers as f64)).max(0.0)
}

/// `τ²/(τ² + noise)`, 0 where both are 0.
fn shrink(between: f64, noise: f64) -> f64 {
    if between + noise > 0.0 {
        between / (between + noise)
    } else {
        0.0
    }
}

impl Levels {
    /// The levels of the chips of `rows`: each price with its residual under the fit (ln
    /// observed − ln fitted).
    pub fn estimate<'a>(rows: impl IntoIterator<Item = (&'a RentObservation, f64)>) -> Self {
        // Per chip, per class, per offer: the sum and count of residuals.
        let mut by_chip: BTreeMap<&str, [Offers; 2]> = BTreeMap::new();
        for (o, e) in rows {
            let class = CLASSES.iter().position(|c| *c == o.class).unwrap_or(1);
            let sum = by_chip.entry(o.chip.name.as_str()).or_default()[class]
                .entry((o.provider.to_ascii_lowercase(), o.basis.id()))
                .or_default();
            sum.0 += e;
            sum.1 += 1;
        }
        // `s²`: offers about the mean of their chip and class's offers, pooled.
        let (mut ss, mut dof) = (0.0, 0usize);
        for offers in by_chip.values().flatten() {
            let (_, m) = means(offers);
            if m.len() > 1 {
                let centre = m.iter().sum::<f64>() / m.len() as f64;
                ss += m.iter().map(|x| (x - centre).powi(2)).sum::<f64>();
                dof += m.len() - 1;
            }
        }
        let offer_var = if dof > 0 { ss / dof as f64 } else { 0.0 };
        let mut chips: Vec<ChipLevel> = by_chip
            .iter()
            .map(|(chip, classes)| {
                let (sum, n) = classes
                    .iter()
                    .flat_map(|o| o.values())
                    .fold((0.0, 0), |(s, n), (os, on)| (s + os, n + on));
                let cell = |offers: &Offers| {
                    (!offers.is_empty()).then(|| ClassLevel {
                        offers: offers.len(),
                        mean_residual: means(offers).0,
                        weight: 0.0,
                        ln_level: 0.0,
                    })
                };
                ChipLevel {
                    chip: chip.to_string(),
                    offers: classes.iter().map(Offers::len).sum(),
                    mean_residual: sum / n as f64,
                    weight: 0.0,
                    ln_level: 0.0,
                    hyperscaler: cell(&classes[0]),
                    neocloud: cell(&classes[1]),
                }
            })
            .collect();
        if dof == 0 {
            return Self {
                chips,
                ..Self::default()
            };
        }
        let between_var = (chips
            .iter()
            .map(|c| c.mean_residual.powi(2) - offer_var / c.offers as f64)
            .sum::<f64>()
            / chips.len() as f64)
            .max(0.0);
        // The class deviations of the chips rented in both classes.
        let both: Vec<f64> = chips
            .iter()
            .filter(|c| c.hyperscaler.is_some() && c.neocloud.is_some())
            .flat_map(|c| {
                [&c.hyperscaler, &c.neocloud]
                    .into_iter()
                    .flatten()
                    .map(|k| {
                        (k.mean_residual - c.mean_residual).powi(2)
                            - deviation_noise(offer_var, k, c)
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        let class_var = if both.is_empty() {
            0.0
        } else {
            (both.iter().sum::<f64>() / both.len() as f64).max(0.0)
        };
        for c in &mut chips {
            c.weight = shrink(between_var, offer_var / c.offers as f64);
            c.ln_level = c.weight * c.mean_residual;
            let chip = c.clone();
            for k in [&mut c.hyperscaler, &mut c.neocloud].into_iter().flatten() {
                k.weight = shrink(class_var, deviation_noise(offer_var, k, &chip));
                k.ln_level = chip.ln_level + k.weight * (k.mean_residual - chip.mean_residual);
            }
        }
        Self {
            between_var,
            class_var,
            offer_var,
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
        Levels::estimate(rows.iter().map(|(o, e)| (o, *e)))
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
        let b200 = l.of(&find("B200").unwrap().name).unwrap();
        assert!(b200.neocloud.is_none());
        assert!(b200.ln_level < -0.2, "{b200:?}");
        assert_eq!(b200.ln_factor(Neocloud), b200.ln_level);
    }
}
