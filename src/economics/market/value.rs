//! What one chip bought at a date for a price is worth over its life, under one market.
//!
//! At age `a` (years since purchase, calendar year `t₀ + a`) the chip earns its market rent
//! `R(a)` for `u × 8760` hours a year and pays its full running cost `C(a)` (see
//! [`super::costs`]); the owner's margin is `m(a) = u·8760·R(a) − C(a)`. The economic life `T`
//! is the last age with a positive margin (capped at [`LIFE_CAP_YEARS`]).
//!
//! The **value** at age `a` is the chip's market price then: what a buyer pays for it, the
//! present value of what it nets that buyer from `a` on. A buyer's maintenance and its loss when
//! the unit fails scale with the price it paid, not with the first owner's capex, so they enter
//! as rates on the value itself (`μ` maintenance share, `λ/o` failure rate: a failure loses the
//! card, the price over the market's overhead `o` ([`market_overhead`]), not the server share
//! around it) and the costs that do
//! not scale with the price (facility, electricity, network and staff: `F(s)`) as a flow:
//! `V(a) = ∫ₐ e^(−(ρ+μ+λ/o)(s−a)) (u·8760·R(s) − F(s)) ds`, `ρ = ln(1 + r)`, summed by month
//! backwards from the life cap and never below 0 (a buyer may scrap the chip: free disposal).
//! The first owner's capex-based maintenance and its failures replaced at new-equivalent prices
//! set its economic life, not the market price: when its life ends it sells at `V(T)`.

use super::costs::{CostBreakdown, RunningCosts, HOURS_PER_YEAR};
use super::features::Attributes;
use super::fit::{MarketFit, Segment};
use serde::Serialize;

/// The shortest economic life over which [`Valuation::levelised_usd_per_worked_hour`] is given:
/// over a few weeks the capex less the sale, shared among so few hours, is no cost of an hour
/// (a helper's sweep: an H20 at utilisation 0.16, life 0.1 years, at −$320 a worked hour and
/// −$340 per million decode tokens, bought at $16,800 against a market price of $55,187; a
/// B200 at $25,000 and utilisation 0.24 at −$224.64).
pub const MIN_LEVELISED_LIFE_YEARS: f64 = 1.0;

/// `(capex + PV running costs − PV sale) / PV worked hours` over a life of `life_years`:
/// `None` under [`MIN_LEVELISED_LIFE_YEARS`], without worked hours, or at no cost.
fn levelised(
    capex: f64,
    pv_costs: f64,
    pv_sale: f64,
    pv_hours: f64,
    life_years: f64,
) -> Option<f64> {
    (pv_hours > 0.0 && life_years >= MIN_LEVELISED_LIFE_YEARS)
        .then(|| (capex + pv_costs - pv_sale) / pv_hours)
        .filter(|c| *c > 0.0)
}

/// Longest life considered, years.
pub const LIFE_CAP_YEARS: f64 = 30.0;

/// A life in years as the tables and verdicts print it: one decimal, or "30+" where it reaches
/// [`LIFE_CAP_YEARS`] (the valuation stops there: such a life is the cap or longer).
pub fn life_text(years: f64) -> String {
    if years >= LIFE_CAP_YEARS {
        format!("{LIFE_CAP_YEARS:.0}+")
    } else {
        format!("{years:.1}")
    }
}

/// Integration step, years (one month).
const STEP_YEARS: f64 = 1.0 / 12.0;
const MONTHS_PER_YEAR: usize = 12;

/// One chip as the market model sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChipCase {
    pub name: String,
    pub attrs: Attributes,
    /// Board power while working, W.
    pub watts: f64,
    /// Purchase price × overhead, USD.
    pub capex_usd: f64,
    /// Purchase date as a decimal year.
    pub purchase_year: f64,
}

impl ChipCase {
    /// Years from the purchase to the catalog chip's release: a chip ordered before it ships
    /// earns nothing and costs nothing to run until then (0 for a purchase at or after the
    /// release, and for chips outside the catalog). Earning from the order date, a B200
    /// ordered on 2024-01-01 rented at $4.87/h and lived 13.0 years, one bought at its release
    /// $4.41/h and 12.0 (measured 7 December 2026).
    pub fn wait_years(&self) -> f64 {
        self.attrs
            .release_year
            .map_or(0.0, |r| (r - self.purchase_year).max(0.0))
    }

    /// Whole months of [`Self::wait_years`].
    fn wait_months(&self) -> usize {
        (self.wait_years() / STEP_YEARS).round() as usize
    }
}

/// The owner's terms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Terms {
    pub costs: RunningCosts,
    pub discount_rate: f64,
    /// Where the owner sells the chip's hours.
    pub segment: Segment,
}

/// What the model says of one chip under one set of market coefficients.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Valuation {
    /// Rent at purchase, USD per GPU-hour.
    pub rent0_usd_per_hour: f64,
    pub life_years: f64,
    pub life_capped: bool,
    /// The age at which the market price reaches 0: a buyer, whose maintenance and failures
    /// fall on that price, keeps the chip in service until its rent no longer covers the costs
    /// that do not scale with the price (the life cap when it never does), years.
    pub service_life_years: f64,
    /// `V(0)`: the chip's market price new (what a buyer pays at the purchase date), USD.
    pub value0_usd: f64,
    /// What the chip is worth to its first owner at purchase, USD (compare with the capex:
    /// above it, buying paid): its margins to [`Self::sale_age_years`], then the sale at the
    /// market price then, discounted; the best such sale age within the economic life.
    pub owner_value0_usd: f64,
    /// The age at which selling does the first owner best, years: it holds on while its margin
    /// adds more than the market price loses. Below the economic life where the owner's costs
    /// on its capex exceed a buyer's on the market price (0: sold at once, the market paying
    /// more for the chip than it nets this owner).
    pub sale_age_years: f64,
    /// The owner's value held to the end of its economic life and sold then, USD
    /// ([`Self::owner_value0_usd`] when that is the best sale age).
    pub owner_value_held_usd: f64,
    /// `V(a)`, the market price, at ages 0, 1, 2, … 10, USD.
    pub value_by_year_usd: Vec<f64>,
    /// First age at which `V ≤ V(0)/2`.
    pub half_life_years: Option<f64>,
    /// `1 − (V(3)/V(0))^(1/3)`: the average annual value decline over the first three years.
    pub decline_per_year_3y: Option<f64>,
    /// First age at which the discounted margins repay the capex.
    pub payback_years: Option<f64>,
    /// Running cost in the first year, by item.
    pub costs_year1: CostBreakdown,
    /// Revenue in the first year (at its mean rent), USD.
    pub revenue_year1_usd: f64,
    /// Market rent `R(a)` at ages 0, 1, 2, … 10, USD per GPU-hour.
    pub rent_by_year_usd_per_hour: Vec<f64>,
    /// What one worked hour costs the owner over the economic life, levelised:
    /// `(capex + Σ PV running costs − PV of the sale at V(T)) / Σ PV worked hours`, summed by
    /// month to the end of life and discounted at `r`.
    /// `None` when the life is under [`MIN_LEVELISED_LIFE_YEARS`], or the sale repays the capex
    /// and the running costs (no cost to levelise).
    pub levelised_usd_per_worked_hour: Option<f64>,
    /// `V` at the start of every month of age, to the life cap (for portfolios).
    #[serde(skip)]
    pub monthly_value_usd: Vec<f64>,
}

/// Ages at which the value is reported.
pub const VALUE_YEARS: usize = 11;

/// Values `chip` with the coefficients `beta` of `fit`: its owner earns the segment's rent
/// ([`MarketFit::owner_rent`]), a buyer the resale rent ([`MarketFit::resale_rent`]).
pub fn value(fit: &MarketFit, beta: &[f64], chip: &ChipCase, terms: &Terms) -> Valuation {
    let owner = fit.owner_rent(beta, &chip.attrs, terms.segment, chip.purchase_year);
    let resale = fit.resale_rent(beta, &chip.attrs, terms.segment);
    value_with(&by_age(chip, owner), &by_age(chip, resale), chip, terms)
}

/// A rent by calendar year as a rent by `chip`'s age.
fn by_age<'a>(chip: &'a ChipCase, rent: impl Fn(f64) -> f64 + 'a) -> impl Fn(f64) -> f64 + 'a {
    move |age: f64| rent(chip.purchase_year + age)
}

/// Values `chip` earning `rent(age)` USD per worked hour at each age (years since purchase),
/// its owner and a buyer alike: the chip's own series (`--rents`), or a rent path.
pub fn value_on(rent: &dyn Fn(f64) -> f64, chip: &ChipCase, terms: &Terms) -> Valuation {
    value_with(rent, rent, chip, terms)
}

/// Values `chip` whose owner earns `rent(age)` USD per worked hour at each age (years since
/// purchase) and whose buyer would earn `resale(age)`: the owner's margins, economic life and
/// payback come from the first, the market price (sale, residual, service life) from the
/// second.
pub fn value_with(
    rent: &dyn Fn(f64) -> f64,
    resale: &dyn Fn(f64) -> f64,
    chip: &ChipCase,
    terms: &Terms,
) -> Valuation {
    let steps = (LIFE_CAP_YEARS / STEP_YEARS).round() as usize;
    let u = terms.costs.utilization;
    // A chip ordered before its release starts work at the release.
    let wait = chip.wait_months().min(steps);
    let rent0 = rent(chip.wait_years());
    let rent_at_month = |i: usize| rent((i as f64 + 0.5) * STEP_YEARS);
    // The rent the capex bought: the first working year's mean. A failed unit is replaced at
    // the capex moved as the rent since then; the rent of the purchase day alone would make the
    // replacements, and so the life, jump when a frontier step falls a day after purchase.
    let rent_bought = (wait..wait + MONTHS_PER_YEAR)
        .map(rent_at_month)
        .sum::<f64>()
        / MONTHS_PER_YEAR as f64;
    // Running cost and margin of each month of age, per year (none before the release).
    let (costs, margins): (Vec<f64>, Vec<f64>) = (0..steps)
        .map(|i| {
            if i < wait {
                return (0.0, 0.0);
            }
            let r = rent_at_month(i);
            let replacement = chip.capex_usd * r / rent_bought;
            let cost = terms
                .costs
                .breakdown(chip.watts, chip.capex_usd, replacement)
                .total_usd;
            (cost, u * HOURS_PER_YEAR * r - cost)
        })
        .unzip();
    let last_positive = margins.iter().rposition(|m| *m > 0.0);
    let (life_years, life_capped, end) = match last_positive {
        None => (0.0, false, 0),
        Some(i) if i + 1 == steps => (LIFE_CAP_YEARS, true, steps),
        Some(i) => (((i + 1) as f64) * STEP_YEARS, false, i + 1),
    };
    let rho = terms.discount_rate.ln_1p();
    let v = market_price_by_month(chip, terms, resale, steps, rho);
    let service_life_years = v[..steps]
        .iter()
        .rposition(|x| *x > 0.0)
        .map_or(0.0, |i| (i + 1) as f64 * STEP_YEARS);
    let at = |age: f64| v[((age / STEP_YEARS).round() as usize).min(steps)];
    let value0 = v[0];
    let value_by_year_usd: Vec<f64> = (0..VALUE_YEARS).map(|y| at(y as f64)).collect();
    let half_life_years = (value0 > 0.0)
        .then(|| v.iter().position(|x| *x <= value0 / 2.0))
        .flatten()
        .map(|i| i as f64 * STEP_YEARS);
    let decline_per_year_3y =
        (value0 > 0.0 && at(3.0) > 0.0).then(|| 1.0 - (at(3.0) / value0).powf(1.0 / 3.0));
    let discount_at = |i: usize| (-rho * (i as f64 + 0.5) * STEP_YEARS).exp();
    let pv_costs: f64 = (0..end)
        .map(|i| costs[i] * STEP_YEARS * discount_at(i))
        .sum();
    let pv_hours: f64 = (wait.min(end)..end)
        .map(|i| u * HOURS_PER_YEAR * STEP_YEARS * discount_at(i))
        .sum();
    let pv_sale = v[end] * (-rho * end as f64 * STEP_YEARS).exp();
    // The owner may sell at any age at the market price: its value is the best of holding to
    // an age and selling then. Holding to the end of the economic life alone made the owner's
    // value rise with its costs and fall with its utilisation (a helper's sweep: an H100 at
    // utilisation 0.45 / 0.50 / 0.55 was worth $16,143 / $13,252 / $11,411 to its owner), since
    // a shorter life sold it sooner, at a higher price. One pass over the months of the
    // economic life: the discounted margins so far give the payback (margins alone) and, with
    // the sale at each month's market price, the best sale.
    let mut pv_margins = 0.0;
    let mut payback_years = None;
    let (mut sale_month, mut owner_value0_usd) = (0, v[0]);
    for (i, m) in margins.iter().take(end).enumerate() {
        pv_margins += m * STEP_YEARS * discount_at(i);
        if payback_years.is_none() && pv_margins >= chip.capex_usd {
            payback_years = Some((i + 1) as f64 * STEP_YEARS);
        }
        let sold = pv_margins + v[i + 1] * (-rho * (i + 1) as f64 * STEP_YEARS).exp();
        if sold > owner_value0_usd {
            (sale_month, owner_value0_usd) = (i + 1, sold);
        }
    }
    let levelised_usd_per_worked_hour =
        levelised(chip.capex_usd, pv_costs, pv_sale, pv_hours, life_years);
    Valuation {
        rent0_usd_per_hour: rent0,
        life_years,
        life_capped,
        service_life_years,
        value0_usd: value0,
        owner_value0_usd,
        sale_age_years: sale_month as f64 * STEP_YEARS,
        owner_value_held_usd: pv_margins + pv_sale,
        value_by_year_usd,
        half_life_years,
        decline_per_year_3y,
        payback_years,
        costs_year1: terms
            .costs
            .breakdown(chip.watts, chip.capex_usd, chip.capex_usd),
        revenue_year1_usd: u * HOURS_PER_YEAR * rent_bought,
        rent_by_year_usd_per_hour: (0..VALUE_YEARS).map(|y| rent(y as f64)).collect(),
        levelised_usd_per_worked_hour,
        monthly_value_usd: v,
    }
}

/// The market price of `chip` (its capex is not used) at each date of `dates` (decimal years,
/// not before `chip.purchase_year`), under the coefficients `beta`.
pub fn market_price_at(
    fit: &MarketFit,
    beta: &[f64],
    chip: &ChipCase,
    terms: &Terms,
    dates: &[f64],
) -> Vec<f64> {
    let steps = (LIFE_CAP_YEARS / STEP_YEARS).round() as usize;
    let rent = by_age(chip, fit.resale_rent(beta, &chip.attrs, terms.segment));
    let v = market_price_by_month(chip, terms, &rent, steps, terms.discount_rate.ln_1p());
    dates
        .iter()
        .map(|d| monthly_at_age(&v, d - chip.purchase_year))
        .collect()
}

/// A value kept at the start of every month of age, at any age: linear between months, the
/// last month's past the end.
fn monthly_at_age(monthly: &[f64], age: f64) -> f64 {
    let last = monthly.len().saturating_sub(1);
    let pos = (age.max(0.0) / STEP_YEARS).min(last as f64);
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(last);
    let w = pos - lo as f64;
    monthly.get(lo).map_or(0.0, |v| v * (1.0 - w)) + monthly.get(hi).map_or(0.0, |v| v * w)
}

/// The share of its hours a buyer of the used chip is taken to sell: the default utilisation,
/// whatever this owner's. The market price is the market's, one on a given day: on the owner's
/// `--utilization` an H100 SXM sold new for $8,727 at 0.3 and $71,080 at 1.0 (a helper's sweep,
/// 7 December 2026).
pub fn market_utilization() -> f64 {
    crate::economics::pricing::PriceItem::Utilization
        .default()
        .map_or(0.7, |d| d.value)
}

/// The market's overhead on a card's price (server, network and facility share): the default,
/// whatever this owner's. A buyer's failure loses the card, the market price over it; on the
/// owner's `--overhead` an H100 SXM sold new for $43,913 at 1 and $55,373 at 5 (a helper's
/// sweep, 7 December 2026).
pub fn market_overhead() -> f64 {
    crate::economics::pricing::PriceItem::Overhead
        .default()
        .map_or(1.4, |d| d.value)
}

/// The market price `V` at the start of every month of age, to the life cap (see the module
/// doc): a buyer's net flow `u·8760·R − F` discounted at `ρ + μ + λ/o`, never below 0, with `u`
/// the market's ([`market_utilization`]) and `R` the resale rent. Before the chip's release
/// ([`ChipCase::wait_years`]) it has no flow and no maintenance or failures: its price is the
/// price at the release, discounted at `ρ`.
fn market_price_by_month(
    chip: &ChipCase,
    terms: &Terms,
    rent: &dyn Fn(f64) -> f64,
    steps: usize,
    rho: f64,
) -> Vec<f64> {
    let c = &terms.costs;
    let rate = rho + c.maintenance_share_per_year + c.failure_rate_per_year / market_overhead();
    let step_discount = (-rate * STEP_YEARS).exp();
    let mid_discount = (-rate * STEP_YEARS / 2.0).exp();
    let u = market_utilization();
    // The buyer's electricity is on its hours too.
    let price_independent = RunningCosts {
        utilization: u,
        ..*c
    }
    .price_independent_usd_per_year(chip.watts);
    let wait = chip.wait_months().min(steps);
    let mut v = vec![0.0; steps + 1];
    for i in (0..steps).rev() {
        if i < wait {
            v[i] = (-rho * STEP_YEARS).exp() * v[i + 1];
            continue;
        }
        let age = (i as f64 + 0.5) * STEP_YEARS;
        let flow = u * HOURS_PER_YEAR * rent(age) - price_independent;
        v[i] = (flow * STEP_YEARS * mid_discount + step_discount * v[i + 1]).max(0.0);
    }
    v
}

impl Valuation {
    /// Value at any age (linear between months; 0 past the life cap).
    pub fn value_at_age(&self, age: f64) -> f64 {
        monthly_at_age(&self.monthly_value_usd, age)
    }

    /// Value at a whole age in years (0–10), or at the nearest reported age.
    pub fn value_at_year(&self, age: usize) -> f64 {
        self.value_by_year_usd
            .get(age)
            .or(self.value_by_year_usd.last())
            .copied()
            .unwrap_or(0.0)
    }
}

/// The H100 SXM at 700 W bought in 2024 for `capex_usd` (tests of the valuation).
#[cfg(test)]
pub(crate) fn h100_case(capex_usd: f64) -> ChipCase {
    let chip = crate::economics::catalog::find("H100 SXM").unwrap();
    ChipCase {
        name: chip.name.clone(),
        attrs: Attributes::of(chip).unwrap(),
        watts: 700.0,
        capex_usd,
        purchase_year: 2024.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economics::market::data::{self, Basis, ProviderClass};

    fn h100(capex_usd: f64) -> (MarketFit, ChipCase, Terms) {
        let fit = super::super::fit::fit(&data::shipped().unwrap()).unwrap();
        let case = h100_case(capex_usd);
        let terms = Terms {
            costs: RunningCosts {
                utilization: 0.9,
                ..super::super::costs::example()
            },
            discount_rate: 0.08,
            segment: Segment {
                class: ProviderClass::Neocloud,
                basis: Basis::Reserved1y,
            },
        };
        (fit, case, terms)
    }

    /// The levelised cost of a worked hour is below the discounted average rent over the life
    /// exactly when the chip's margins repay more than its price (`V(0) > capex`), and it
    /// rises with the price paid.
    #[test]
    fn levelised_cost_against_the_rent_it_earns() {
        let (fit, cheap_case, terms) = h100(10_000.0);
        let beta = &fit.beta;
        let mean_rent = |v: &Valuation| {
            let end = (v.life_years / STEP_YEARS).round() as usize;
            let rho = terms.discount_rate.ln_1p();
            let w = |i: usize| (-rho * (i as f64 + 0.5) * STEP_YEARS).exp();
            let rent = |i: usize| {
                let age = (i as f64 + 0.5) * STEP_YEARS;
                fit.rent_with(beta, &cheap_case.attrs, terms.segment, 2024.0 + age)
            };
            (0..end).map(|i| rent(i) * w(i)).sum::<f64>() / (0..end).map(w).sum::<f64>()
        };
        let cheap = value(&fit, beta, &cheap_case, &terms);
        let (_, dear_case, _) = h100(60_000.0);
        let dear = value(&fit, beta, &dear_case, &terms);
        assert!(cheap.owner_value0_usd > cheap_case.capex_usd);
        assert!(cheap.levelised_usd_per_worked_hour.unwrap() < mean_rent(&cheap));
        assert!(dear.owner_value0_usd < dear_case.capex_usd);
        assert!(dear.levelised_usd_per_worked_hour.unwrap() > mean_rent(&dear));
        assert_eq!(cheap.rent_by_year_usd_per_hour.len(), VALUE_YEARS);
        assert!(cheap.rent_by_year_usd_per_hour[5] < cheap.rent_by_year_usd_per_hour[0]);
    }

    /// No cost of a worked hour over a life under a year (a month's hours share the capex
    /// less the sale), nor where the sale repays the capex and the running costs (it had been
    /// negative: a helper's sweep).
    #[test]
    fn a_levelised_cost_needs_a_year_and_a_cost() {
        assert_eq!(
            levelised(40_000.0, 10_000.0, 20_000.0, 5_000.0, 2.0),
            Some(6.0)
        );
        assert_eq!(levelised(40_000.0, 10_000.0, 20_000.0, 5_000.0, 0.5), None);
        assert_eq!(levelised(16_800.0, 1_000.0, 50_000.0, 500.0, 2.0), None);
        assert_eq!(levelised(40_000.0, 0.0, 0.0, 0.0, 2.0), None);
    }

    /// Constant rent and costs: the market price is the flow over the rate, `ρ + μ + λ/o`,
    /// over the 30-year horizon: 500 W × 2 = 1 kW, F = 2400 + 547.5 × u/0.5 + 1000 $/yr (the
    /// example's electricity is at u = 0.5; the buyer works the market's u, 0.7, whatever the
    /// owner's); revenue u × 8760 × $2; rate ln 1.08 + 0.03 + 0.1 / 1.4 (a failure loses the
    /// card, not the server share, at the market's overhead whatever the owner's).
    #[test]
    fn market_price_worked_by_hand() {
        let (_, mut case, mut terms) = h100(40_000.0);
        case.watts = 500.0;
        terms.costs = super::super::costs::example();
        let steps = (LIFE_CAP_YEARS / STEP_YEARS).round() as usize;
        let rho = 0.08f64.ln_1p();
        let v = market_price_by_month(&case, &terms, &|_| 2.0, steps, rho);
        let rate = rho + 0.03 + 0.1 / 1.4;
        let u = market_utilization();
        assert_eq!(u, 0.7);
        let flow = u * 8760.0 * 2.0 - (2400.0 + 547.5 * u / 0.5 + 1000.0);
        let expected = flow / rate * (1.0 - (-rate * LIFE_CAP_YEARS).exp());
        assert!(
            (v[0] / expected - 1.0).abs() < 1e-3,
            "{} vs {expected}",
            v[0]
        );
        // A rent below the price-independent costs: a buyer pays nothing (free disposal).
        let idle = market_price_by_month(&case, &terms, &|_| 0.5, steps, rho);
        assert!(idle.iter().all(|x| *x == 0.0));
        // The owner's utilisation and overhead do not move what a buyer pays.
        terms.costs.utilization = 0.2;
        terms.costs.overhead = 3.0;
        assert_eq!(
            market_price_by_month(&case, &terms, &|_| 2.0, steps, rho),
            v
        );
    }

    /// The market price is what a buyer pays: the first owner's price and capex-based costs do
    /// not move it, while they do move the owner's own value and life.
    #[test]
    fn market_price_does_not_depend_on_what_the_owner_paid() {
        let (fit, cheap_case, terms) = h100(10_000.0);
        let (_, dear_case, _) = h100(60_000.0);
        let beta = &fit.beta;
        let cheap = value(&fit, beta, &cheap_case, &terms);
        let dear = value(&fit, beta, &dear_case, &terms);
        assert_eq!(cheap.value_by_year_usd, dear.value_by_year_usd);
        assert!(cheap.owner_value0_usd > dear.owner_value0_usd);
        assert!(cheap.life_years > dear.life_years);
        // The chip is still worth something to a buyer when its first owner's life ends.
        assert!(dear.value_at_age(dear.life_years) > 0.0);
        assert!(dear.value_by_year_usd.windows(2).all(|w| w[1] <= w[0]));
    }

    /// A chip ordered six months before its release works from the release: its market
    /// price then is the one bought at the release, discounted half a year at `ρ`, its life
    /// half a year longer (counted from the order) and its first rent the release's.
    #[test]
    fn a_chip_ordered_before_its_release_earns_from_the_release() {
        let (fit, mut at_release, terms) = h100(47_040.0);
        let release = crate::economics::catalog::find("H100 SXM")
            .unwrap()
            .release_year();
        at_release.purchase_year = release;
        let ordered = ChipCase {
            purchase_year: release - 0.5,
            ..at_release.clone()
        };
        assert_eq!(at_release.wait_years(), 0.0);
        assert!((ordered.wait_years() - 0.5).abs() < 1e-9);
        let beta = &fit.beta;
        let (a, b) = (
            value(&fit, beta, &at_release, &terms),
            value(&fit, beta, &ordered, &terms),
        );
        let half_year = (-0.5 * terms.discount_rate.ln_1p()).exp();
        assert!((b.value0_usd / (a.value0_usd * half_year) - 1.0).abs() < 1e-9);
        assert!((b.value_at_age(0.5) / a.value0_usd - 1.0).abs() < 1e-9);
        assert!((b.life_years - a.life_years - 0.5).abs() < 1e-9);
        assert!((b.rent0_usd_per_hour / a.rent0_usd_per_hour - 1.0).abs() < 1e-9);
        assert!(b.owner_value0_usd < a.owner_value0_usd);
    }

    #[test]
    fn a_life_at_the_cap_reads_as_at_least_the_cap() {
        assert_eq!(life_text(8.24), "8.2");
        assert_eq!(life_text(29.9), "29.9");
        assert_eq!(life_text(LIFE_CAP_YEARS), "30+");
    }

    /// A rent higher on the purchase day alone (a frontier step the day after) leaves the life
    /// as it was: the replacements follow the rent the capex bought over its first year, not
    /// the rent of one day (which moved the H100's life by a year between purchases on
    /// 2023-12-14 and 12-15).
    #[test]
    fn a_step_a_day_after_purchase_does_not_move_the_life() {
        let (_, case, terms) = h100(47_040.0);
        let base = |age: f64| 2.2 * (-0.1 * age).exp();
        let stepped = |age: f64| {
            if age < 1.0 / 365.0 {
                1.15 * base(age)
            } else {
                base(age)
            }
        };
        let smooth = value_on(&base, &case, &terms);
        let step = value_on(&stepped, &case, &terms);
        assert!(smooth.life_years > 1.0 && !smooth.life_capped);
        assert!(
            (smooth.life_years - step.life_years).abs() <= STEP_YEARS + 1e-9,
            "{} against {}",
            step.life_years,
            smooth.life_years
        );
        assert!(step.rent0_usd_per_hour > smooth.rent0_usd_per_hour);
    }
}
