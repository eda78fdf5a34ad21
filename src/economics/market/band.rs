//! Uncertainty: the market fit's coefficients redrawn by a bootstrap over the observed prices,
//! and every output recomputed for each draw; bands are the 5th and 95th percentiles.
//!
//! Each draw resamples the panel in two stages, seeded so a band is reproducible: its providers
//! with replacement, then the rows of each provider drawn with replacement from that provider's
//! rows (with one provider, a plain resampling of the rows). A provider's prices are not
//! independent of one another (one price list, set by one firm, moved together), and a few
//! providers can carry a whole effect: until 6 December 2026 the draws resampled rows, and
//! the long-run neocloud decline rested on 5 prices of one provider (Paperspace, 2018–19) that
//! a draw almost never lost all of, so the bands did not show that without them the decline
//! was 0. Each draw then refits the coefficients under the same sign constraints, with the frontier and the
//! premium episodes' dates and fade times held at the point fit's (stated in the output), as is
//! an effect the panel prices but the draw holds no price of (a basis one provider quotes); each
//! draw's chip levels ([`super::levels`]) are estimated from its own rows and residuals, and a
//! chip the panel does not rent draws a level of its own from their spread
//! ([`super::fit::MarketFit::rent_with`]).

use super::data::Panel;
use super::fit::{constant_columns, priced_rows, solve, MarketFit};
use super::ols::Gram;
use crate::rng::SplitMix64;
use serde::Serialize;

/// Bootstrap draws used for every band.
pub const DRAWS: usize = 200;
/// Seed of the bootstrap stream.
const SEED: u64 = 0x5eed_f10b;

/// Coefficient vectors redrawn by the bootstrap (draws whose refit failed are left out).
pub fn draws(fit: &MarketFit, panel: &Panel, n: usize) -> Vec<Vec<f64>> {
    let (rows, y) = fit.design(panel);
    if rows.is_empty() {
        return Vec::new();
    }
    // Seeded by the prices, not by the file's name: the same rows give the same bands however
    // the path is spelled (until 6 December 2026 `./m.csv` and `m.csv` drew apart).
    let mut rng = SplitMix64::for_stream(SEED, &panel.content_key());
    let providers = rows_by_provider(panel);
    let whole = constant_columns(&rows, None);
    (0..n)
        .filter_map(|draw| {
            let counts = draw_counts(&providers, rows.len(), &mut rng);
            let constant = constant_columns(&rows, Some(&counts));
            // An effect the panel prices but this draw holds no price of (a basis one provider
            // alone quotes, in a draw without it) is held at the point fit's: fixed at zero, it
            // priced that basis as on-demand in about a third of the draws (a helper's sweep: a
            // B200 on the marketplace median at $75,348 new, its band's top above the on-demand
            // point).
            let held: Vec<usize> = (1..constant.len())
                .filter(|&j| constant[j] && !whole[j] && fit.beta[j] != 0.0)
                .collect();
            let y_draw: Vec<f64> = y
                .iter()
                .zip(&rows)
                .map(|(v, r)| v - held.iter().map(|&j| r[j] * fit.beta[j]).sum::<f64>())
                .collect();
            let mut gram = Gram::weighted(&rows, &y_draw, Some(&counts));
            fit.anchor_gram(&mut gram);
            solve(&gram, &constant, fit.episodes.len()).ok().map(|f| {
                let mut beta = f.beta;
                for &j in &held {
                    beta[j] = fit.beta[j];
                }
                fit.with_levels(panel, &rows, &y, &counts, beta, draw as u64)
            })
        })
        .collect()
}

/// How many times one draw picks each of `n` rows: as many providers as there are, drawn with
/// replacement, and for each drawn provider as many of its rows, drawn with replacement from
/// its own.
fn draw_counts(providers: &[Vec<usize>], n: usize, rng: &mut SplitMix64) -> Vec<u32> {
    let mut counts = vec![0u32; n];
    for _ in 0..providers.len() {
        let own = &providers[rng.below(providers.len() as u64) as usize];
        for _ in 0..own.len() {
            counts[own[rng.below(own.len() as u64) as usize]] += 1;
        }
    }
    counts
}

/// The indices of the fit's rows (the panel's priced rows, in order) grouped by provider, the
/// provider's name compared without case or surrounding spaces; groups in order of first row.
fn rows_by_provider(panel: &Panel) -> Vec<Vec<usize>> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, o) in priced_rows(panel).enumerate() {
        let key = o.provider.trim().to_lowercase();
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, own)) => own.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    groups.into_iter().map(|(_, own)| own).collect()
}

/// A 5–95 % band.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Band {
    pub p5: f64,
    pub p95: f64,
}

impl Band {
    /// The 5th and 95th percentiles of the finite values (`None` if there are none).
    pub fn of(values: impl IntoIterator<Item = f64>) -> Option<Self> {
        let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let q = |p: f64| {
            let pos = p * (v.len() - 1) as f64;
            let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
            v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
        };
        Some(Self {
            p5: q(0.05),
            p95: q(0.95),
        })
    }

    /// The band of a quantity some draws lack (a decline, a half-life or a gap to book value
    /// where the draw's chip is worth nothing): `None` unless at least 95 % of the draws have
    /// it, since otherwise the 5th or the 95th percentile is itself one of the missing ones and a
    /// band of the rest would describe only the draws that happened to have a value.
    pub fn of_defined(values: impl IntoIterator<Item = Option<f64>>) -> Option<Self> {
        let all: Vec<Option<f64>> = values.into_iter().collect();
        let defined: Vec<f64> = all
            .iter()
            .flatten()
            .copied()
            .filter(|x| x.is_finite())
            .collect();
        if defined.len() * 20 < all.len() * 19 {
            return None;
        }
        Self::of(defined)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_of_one_to_a_hundred_one() {
        let b = Band::of((0..=100).map(f64::from)).unwrap();
        assert_eq!((b.p5, b.p95), (5.0, 95.0));
        assert!(Band::of([f64::NAN]).is_none());
    }

    #[test]
    fn a_quantity_most_draws_lack_has_no_band() {
        let some = |missing: usize| (0..100).map(move |i| (i >= missing).then_some(i as f64));
        // 5 of 100 missing: the band of the 95 that have it.
        assert!(Band::of_defined(some(5)).is_some());
        // 6 missing: the 5th percentile would be a missing draw.
        assert!(Band::of_defined(some(6)).is_none());
        assert!(Band::of_defined([Some(f64::NAN), None]).is_none());
    }

    #[test]
    fn draws_are_reproducible_and_spread() {
        let panel = super::super::data::shipped().unwrap();
        let fit = super::super::fit::fit(&panel).unwrap();
        let a = draws(&fit, &panel, 20);
        // The same rows under another name (a path spelled `./m.csv`) draw the same refits.
        let renamed = Panel {
            name: "./elsewhere/market_rents.csv".into(),
            ..panel.clone()
        };
        let b = draws(&fit, &renamed, 20);
        assert_eq!(a, b);
        assert!(a.len() >= 18);
        let bw: Vec<f64> = a.iter().map(|d| d[8]).collect();
        let band = Band::of(bw).unwrap();
        assert!(band.p95 > band.p5);
    }

    /// A basis one provider alone quotes (the marketplace median: Vast.ai) keeps the point
    /// fit's effect in the draws without that provider, where it had been fixed at zero (priced
    /// as on-demand) in about a third of them.
    #[test]
    fn an_effect_a_draw_holds_no_price_of_keeps_the_point_fits() {
        let panel = super::super::data::shipped().unwrap();
        let fit = super::super::fit::fit(&panel).unwrap();
        const MARKETPLACE: usize = 5;
        assert!(fit.beta[MARKETPLACE] != 0.0);
        let quoting: Vec<&str> = panel
            .rows
            .iter()
            .filter(|o| o.basis == super::super::data::Basis::MarketplaceMedian)
            .map(|o| o.provider.as_str())
            .collect();
        assert!(quoting.windows(2).all(|w| w[0] == w[1]), "{quoting:?}");
        let d = draws(&fit, &panel, 40);
        let held = d
            .iter()
            .filter(|b| b[MARKETPLACE] == fit.beta[MARKETPLACE])
            .count();
        // Some draws lose the provider and hold its effect; none prices the basis at zero.
        assert!(held > 0 && held < d.len(), "{held} of {}", d.len());
        assert!(d.iter().all(|b| b[MARKETPLACE] != 0.0));
    }

    /// Providers are drawn whole: the rows are grouped by provider (case and spaces aside),
    /// every row in one group; the shipped panel's 5 Paperspace prices, which carry its
    /// neocloud decline, are one group, so some draws lose them all.
    #[test]
    fn providers_are_resampled_whole() {
        let panel = super::super::data::shipped().unwrap();
        let groups = rows_by_provider(&panel);
        let mut all: Vec<usize> = groups.iter().flatten().copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..priced_rows(&panel).count()).collect::<Vec<_>>());
        let rows: Vec<_> = priced_rows(&panel).collect();
        let paperspace: Vec<&Vec<usize>> = groups
            .iter()
            .filter(|g| g.iter().any(|&i| rows[i].provider == "Paperspace"))
            .collect();
        assert_eq!(paperspace.len(), 1);
        assert_eq!(paperspace[0].len(), 5);
        let mut spelled = panel.clone();
        spelled.rows[0].provider = format!(" {} ", spelled.rows[0].provider.to_uppercase());
        assert_eq!(rows_by_provider(&spelled), groups);
        // A drawn provider brings as many prices as it has: each provider's total is a multiple
        // of its size, and some providers are left out whole.
        let mut rng = SplitMix64::for_stream(SEED, "test");
        let mut left_out = 0;
        for _ in 0..20 {
            let counts = draw_counts(&groups, all.len(), &mut rng);
            for g in &groups {
                let total: u32 = g.iter().map(|&i| counts[i]).sum();
                assert_eq!(total as usize % g.len(), 0, "{g:?}");
                left_out += usize::from(total == 0);
            }
        }
        assert!(left_out > 20, "{left_out}");
        // Across draws the neocloud decline spreads to what the panel gives without them.
        let fit = super::super::fit::fit(&panel).unwrap();
        let declines: Vec<f64> = draws(&fit, &panel, 100)
            .iter()
            .map(|d| fit.long_run_decline(d, super::super::data::ProviderClass::Neocloud))
            .collect();
        let band = Band::of(declines).unwrap();
        assert!(band.p95 - band.p5 > 0.03, "{band:?}");
    }
}
