//! How fast a chip's rent may fall and the chip still repay what its owner paid: a figure that
//! does not rest on the model's forecast of the rent.
//!
//! From the rent at purchase `R₀` (the market fit's, or the owner's own series'), the rent is
//! taken to fall at a constant yearly rate `g`: `R(a) = R₀·(1 − g)^a`. Under that path the chip
//! is valued exactly as on the model's ([`value_on`]: the owner's margins over its economic life
//! on its full running cost, then the sale at the market price, discounted at `r`). The
//! **break-even decline** is the `g` at which that value equals the capex: if the chip's rent
//! falls more slowly, buying it paid; faster, it did not. Set beside the decline the model
//! forecasts and the declines observed in sale series, it says how much the verdict rests on the
//! forecast. Found by bisection on `g` in [`MIN_DECLINE`, `MAX_DECLINE`] (the owner's value falls
//! as `g` rises).

use super::value::{value_on, ChipCase, Terms};
use serde::Serialize;

/// The slowest decline searched: a rent rising 30 % a year.
pub const MIN_DECLINE: f64 = -0.30;
/// The fastest decline searched: a rent falling 80 % a year.
pub const MAX_DECLINE: f64 = 0.80;
/// Bisection steps: the interval of 1.1 halved to under 0.002 percentage points.
const STEPS: usize = 16;

/// Where the break-even decline lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakEvenKind {
    /// Found inside the searched range.
    Found,
    /// The chip repays its capex even with its rent falling [`MAX_DECLINE`] a year.
    AboveRange,
    /// The chip does not repay its capex even with its rent rising 30 % a year
    /// ([`MIN_DECLINE`]).
    BelowRange,
}

/// The break-even rent decline of one chip.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BreakEven {
    pub kind: BreakEvenKind,
    /// The constant yearly rent decline at which the owner's value at purchase equals the capex
    /// (a share; negative: the rent must rise). `None` outside the searched range (`kind`).
    pub rent_decline_per_year: Option<f64>,
    /// The rent at purchase the path starts from, USD per GPU-hour.
    pub rent0_usd_per_hour: f64,
}

/// The owner's value at purchase, USD, with the rent falling `g` a year from `rent0`.
fn owner_value(rent0: f64, g: f64, chip: &ChipCase, terms: &Terms) -> f64 {
    let q = 1.0 - g;
    value_on(&|age: f64| rent0 * q.powf(age), chip, terms).owner_value0_usd
}

/// The break-even decline of `chip` from the rent `rent0` at purchase (see the module doc).
pub fn break_even(rent0: f64, chip: &ChipCase, terms: &Terms) -> BreakEven {
    let pays = |g: f64| owner_value(rent0, g, chip, terms) >= chip.capex_usd;
    let (kind, rent_decline_per_year) = if pays(MAX_DECLINE) {
        (BreakEvenKind::AboveRange, None)
    } else if !pays(MIN_DECLINE) {
        (BreakEvenKind::BelowRange, None)
    } else {
        // `lo` pays, `hi` does not.
        let (mut lo, mut hi) = (MIN_DECLINE, MAX_DECLINE);
        for _ in 0..STEPS {
            let mid = 0.5 * (lo + hi);
            if pays(mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        (BreakEvenKind::Found, Some(0.5 * (lo + hi)))
    };
    BreakEven {
        kind,
        rent_decline_per_year,
        rent0_usd_per_hour: rent0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economics::market::costs::{RunningCosts, HOURS_PER_YEAR};
    use crate::economics::market::data::{Basis, ProviderClass};
    use crate::economics::market::fit::Segment;

    /// No running cost and no discounting: the chip never stops earning, so its life is the
    /// 30-year cap, its market price then is 0, and its value at purchase is the rent's integral
    /// `u·8760·R₀·(1 − q^30)/(−ln q)`, `q = 1 − g`, summed by month. A capex set to that integral
    /// at `g` = 20 % has its break-even there.
    fn free_chip(capex_usd: f64) -> (ChipCase, Terms) {
        let case = crate::economics::market::value::h100_case(capex_usd);
        let terms = Terms {
            costs: RunningCosts {
                facility_usd_per_kw_month: 0.0,
                usd_per_kwh: 0.0,
                maintenance_share_per_year: 0.0,
                failure_rate_per_year: 0.0,
                network_staff_usd_per_year: 0.0,
                // The market's: an owner working fewer hours than a buyer would sells at once.
                utilization: crate::economics::market::value::market_utilization(),
                ..crate::economics::market::costs::example()
            },
            discount_rate: 0.0,
            segment: Segment {
                class: ProviderClass::Neocloud,
                basis: Basis::Reserved1y,
            },
        };
        (case, terms)
    }

    #[test]
    fn break_even_worked_by_hand() {
        let (rent0, g) = (2.0_f64, 0.2_f64);
        let q: f64 = 1.0 - g;
        let u = crate::economics::market::value::market_utilization();
        let integral = u * HOURS_PER_YEAR * rent0 * (1.0 - q.powf(30.0)) / -q.ln();
        let (chip, terms) = free_chip(integral);
        let b = break_even(rent0, &chip, &terms);
        assert_eq!(b.kind, BreakEvenKind::Found);
        let found = b.rent_decline_per_year.unwrap();
        // The month sums differ from the integral by well under 0.1 % of the value.
        assert!((found - g).abs() < 2e-3, "{found}");
        // A dearer chip needs a slower decline; a cheaper one tolerates a faster one.
        let (dear, _) = free_chip(1.5 * integral);
        let (cheap, _) = free_chip(0.5 * integral);
        let dear_g = break_even(rent0, &dear, &terms)
            .rent_decline_per_year
            .unwrap();
        let cheap_g = break_even(rent0, &cheap, &terms)
            .rent_decline_per_year
            .unwrap();
        assert!(
            dear_g < found && found < cheap_g,
            "{dear_g} {found} {cheap_g}"
        );
    }

    #[test]
    fn outside_the_range_says_which_side() {
        let (free, terms) = free_chip(1.0);
        assert_eq!(
            break_even(2.0, &free, &terms).kind,
            BreakEvenKind::AboveRange
        );
        let (dear, _) = free_chip(1e9);
        let b = break_even(2.0, &dear, &terms);
        assert_eq!(b.kind, BreakEvenKind::BelowRange);
        assert_eq!(b.rent_decline_per_year, None);
    }
}
