//! The market model's outlook for a run report: value curves with their 5–95 % band beside
//! the book schedules, for the report's chip at its spec capability and (when measured) its
//! measured power.

use super::assess::{assess, Market};
use super::costs::RunningCosts;
use super::data::{year_of, Basis, ProviderClass};
use super::features::Attributes;
use super::fit::Segment;
use super::value::{ChipCase, Terms, Valuation};
use crate::economics::catalog::Chip;
use crate::economics::pricing::ResolvedPricing;
use crate::economics::types::{CurvePoint, ValueCurve};
use crate::error::FlError;

/// Curve names; the HTML chart shades the band between the low and high curves.
pub const POINT: &str = "M market";
pub const LOW: &str = "M market p5";
pub const HIGH: &str = "M market p95";

/// Ages of the curve points, years.
fn ages() -> impl Iterator<Item = f64> {
    (0..=20).map(|i| f64::from(i) * 0.5)
}

fn curve(name: &str, v: impl Fn(f64) -> f64, life: Option<f64>, half: Option<f64>) -> ValueCurve {
    ValueCurve {
        model: name.to_string(),
        points: ages()
            .map(|year| CurvePoint {
                year,
                value_usd: v(year),
            })
            .collect(),
        economic_life_years: life,
        half_life_years: half,
    }
}

/// The market curves (point, p5, p95) and the verdict of `chip` bought at its release for its
/// resolved price, drawing `watts` while working; `None` when its catalog row lacks what the
/// market prices or a price.
/// Gives the curves, the verdict and what they rest on (the purchase and the rent panel).
pub fn market_curves(
    chip: &'static Chip,
    pricing: &ResolvedPricing,
    watts: f64,
) -> Result<Option<(Vec<ValueCurve>, String, String)>, FlError> {
    let (Some(price), Some(attrs)) = (&pricing.price_usd, Attributes::of(chip)) else {
        return Ok(None);
    };
    let market = Market::shipped()?;
    let case = ChipCase {
        name: chip.name.clone(),
        attrs,
        watts,
        capex_usd: price.value * pricing.overhead.value,
        purchase_year: year_of(chip.release),
    };
    let terms = Terms {
        costs: RunningCosts::from_pricing(pricing),
        discount_rate: pricing.discount_rate.value,
        segment: Segment {
            class: ProviderClass::Neocloud,
            basis: Basis::Reserved1y,
        },
    };
    let a = assess(&market, &case, &terms, pricing.life_years.value, None);
    let runs: Vec<Valuation> = market
        .draws
        .iter()
        .map(|b| super::value::value(&market.fit, b, &case, &terms))
        .collect();
    let band_at = |age: f64, q: fn(&super::band::Band) -> f64| {
        super::band::Band::of(runs.iter().map(|r| r.value_at_age(age))).map_or(f64::NAN, |b| q(&b))
    };
    let curves = vec![
        curve(
            POINT,
            |t| a.point.value_at_age(t),
            Some(a.point.life_years),
            a.point.half_life_years,
        ),
        curve(LOW, |t| band_at(t, |b| b.p5), None, None),
        curve(HIGH, |t| band_at(t, |b| b.p95), None, None),
    ];
    let f = &market.fit;
    let basis = format!(
        "bought {} (its release) at {} ({}, as of {}) × overhead {}; rents: the market fit of {} \
         ({} prices, data to {}), {} {}",
        chip.release,
        crate::units::usd(price.value),
        price.source,
        price.as_of,
        pricing.overhead.value,
        f.panel_name,
        f.ols.n,
        super::data::date_of(f.data_until_year),
        terms.segment.class.id(),
        terms.segment.basis.id()
    );
    Ok(Some((curves, a.verdict, basis)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::PricingInputs;
    use crate::economics::{catalog, pricing};

    #[test]
    fn the_band_brackets_the_point_curve() {
        let chip = catalog::find("H100 SXM").unwrap();
        let p = pricing::resolve(&PricingInputs::default(), Some(chip)).unwrap();
        let (curves, verdict, basis) = market_curves(chip, &p, 700.0).unwrap().unwrap();
        assert!(
            basis.starts_with("bought 2022-09-15 (its release) at $33,600 (catalog")
                && basis.contains("rents: the market fit of data/market_rents.csv"),
            "{basis}"
        );
        assert_eq!(
            curves.iter().map(|c| c.model.as_str()).collect::<Vec<_>>(),
            [POINT, LOW, HIGH]
        );
        for i in 0..curves[0].points.len() {
            let v = |c: usize| curves[c].points[i].value_usd;
            assert!(v(1) <= v(0) + 1e-6 && v(0) <= v(2) + 1e-6, "age index {i}");
        }
        assert!(verdict.starts_with("economic life"));
    }
}
