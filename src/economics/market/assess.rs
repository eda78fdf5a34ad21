//! One chip under the market model: the point valuation, its bands, the book-vs-economic
//! comparison and the procurement figures.

use super::band::{self, Band};
use super::break_even::{break_even, BreakEven};
use super::data::{self, Basis, Panel, ProviderClass};
use super::features::Attributes;
use super::fit::{self, MarketFit, Segment};
use super::holdout::{rent_evidence, RentEvidence};
use super::own_rents::{OwnRents, OwnRentsJson};
use super::procurement::{procurement, Procurement, RentAlternative};
use super::value::{value, value_on, value_with, ChipCase, Terms, Valuation, VALUE_YEARS};
use crate::economics::depreciation::rent::RentFit;
use crate::error::FlError;
use serde::Serialize;

/// Age at which book and economic value are compared.
pub const VERDICT_AGE_YEARS: usize = 3;

/// The fitted market and its bootstrap draws.
#[derive(Debug, Clone)]
pub struct Market {
    pub panel: Panel,
    pub fit: MarketFit,
    pub draws: Vec<Vec<f64>>,
}

impl Market {
    /// Fits `panel` and draws the bootstrap.
    pub fn from_panel(panel: Panel) -> Result<Self, FlError> {
        let fit = fit::fit(&panel)?;
        let draws = band::draws(&fit, &panel, band::DRAWS);
        Ok(Self { panel, fit, draws })
    }

    /// The market of the shipped rental prices.
    pub fn shipped() -> Result<Self, FlError> {
        Self::from_panel(data::shipped()?)
    }
}

/// Bands of the main outputs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bands {
    pub life_years: Option<Band>,
    pub half_life_years: Option<Band>,
    pub decline_per_year_3y: Option<Band>,
    pub value_by_year_usd: Vec<Option<Band>>,
    pub book_overstatement: Option<Band>,
    /// The owner's levelised cost of a worked hour over the economic life (see
    /// [`Valuation::levelised_usd_per_worked_hour`]).
    pub levelised_usd_per_worked_hour: Option<Band>,
    /// The owner's cost of a worked hour over the book schedule, the procurement line's
    /// ([`super::procurement::cost_per_worked_hour`]), from each draw's market price path.
    pub owner_usd_per_worked_hour: Option<Band>,
    /// The break-even rent decline ([`BreakEven`]) from each draw's rent at purchase (draws
    /// where it lies outside the searched range left out).
    pub break_even_rent_decline: Option<Band>,
    pub draws: usize,
}

/// Book value against economic value at [`VERDICT_AGE_YEARS`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BookComparison {
    /// Straight-line schedule length (`--life-years`).
    pub schedule_years: f64,
    pub age_years: usize,
    pub book_usd: f64,
    pub economic_usd: f64,
    /// `(book − economic)/economic`; `None` when the economic value is 0.
    pub overstatement: Option<f64>,
    /// Which way the schedule errs as far as the bands tell: `unclear` where the 5–95 % band
    /// of the gap holds zero (the point's sign would flip with a draw).
    pub direction: BookDirection,
}

/// Which way a book schedule errs against the economic value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BookDirection {
    Overstates,
    Understates,
    /// The band of the gap holds zero.
    Unclear,
}

impl BookDirection {
    /// From the point's gap and the gap in each bootstrap draw (`None`: no economic value, which
    /// any book value overstates without bound): a direction where the 5–95 % band of the
    /// draws' gaps lies on the point's side of zero, else unclear; without draws, the point's
    /// sign.
    ///
    /// A draw that values the chip at $0 counts as the largest gap, not as missing: until 7
    /// December 2026 the direction came from the band of the draws that had a gap, which is
    /// dropped where more than 5 % have none, and the point's sign then decided alone, so it
    /// was named exactly where the model was least sure (a helper's sweep: a V100 SXM2 32GB
    /// at a hyperscaler bought 2025-03-14 "overstates by 95 %" with its value band at $0–$23,217
    /// around a book value of $6,416; bought a day earlier, unclear).
    pub fn of(gap: Option<f64>, draws: &[Option<f64>]) -> Self {
        if draws.is_empty() {
            return match gap {
                Some(g) if g < 0.0 => Self::Understates,
                _ => Self::Overstates,
            };
        }
        let Some(band) = gap_draws_band(draws) else {
            return Self::Unclear;
        };
        // The point names the direction only where the band agrees with it, so the verdict's
        // words and its figure never disagree.
        let point_over = gap.is_none_or(|g| g >= 0.0);
        if band.p5 > 0.0 && point_over {
            Self::Overstates
        } else if band.p95 < 0.0 && !point_over {
            Self::Understates
        } else {
            Self::Unclear
        }
    }
}

/// Band::of's percentiles of the gaps over every draw, one worth nothing (`None`) standing above
/// any gap: the band the verdict's direction reads.
fn gap_draws_band(draws: &[Option<f64>]) -> Option<Band> {
    Band::of(draws.iter().map(|d| d.unwrap_or(f64::MAX)))
}

/// The gap's band as printed: [`gap_draws_band`], `None` where a draw worth nothing reaches its
/// 95th percentile (the band has no upper end; the verdict gives the value's band instead).
/// Until 7 December 2026 the printed band dropped such draws while the direction kept them, so
/// a band wholly below zero stood beside "the bands cannot tell" (a helper's sweep: a TITAN Xp
/// at -95–-12 %).
fn printed_gap_band(draws: &[Option<f64>]) -> Option<Band> {
    gap_draws_band(draws).filter(|b| b.p95 < f64::MAX / 1e6)
}

/// Share of the first year's revenue above which [`RentSensitivity`] is called a thin margin.
pub const THIN_MARGIN_COST_SHARE: f64 = 0.75;

/// How much the value rests on the margin between rent and running costs: where the costs take
/// most of the revenue, a small error in either moves the value by much more (the inference
/// cards of the observed prices, docs/market-model.md section 6).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RentSensitivity {
    /// Running cost over revenue in the first year.
    pub cost_share_year1: f64,
    /// True when `cost_share_year1` is at least [`THIN_MARGIN_COST_SHARE`].
    pub thin: bool,
    /// `V(0)` and `V(3)` under the point fit with every rent 10 % higher, USD.
    pub value0_usd_rent_plus_10pct: f64,
    pub value3_usd_rent_plus_10pct: f64,
    /// The economic life under the point fit with every rent 10 % lower and 10 % higher, years.
    pub life_years_rent_minus_10pct: f64,
    pub life_years_rent_plus_10pct: f64,
    /// True when those two lives lie [`STEEP_LIFE_SPAN_YEARS`] or more apart: the margin stays
    /// near zero for years, so a small error in the rent or a cost moves the life by years (a
    /// helper's sweep of 7 December 2026: an H100 at 45 % utilisation lived 2.5 years, at 46 %
    /// 4.25).
    pub steep_life: bool,
}

/// How far apart the lives at every rent 10 % lower and higher must lie for the life to be
/// called steep. A chip whose rent falls about 9 %/yr crosses its costs ln 1.1 / 0.09 ≈ 1.1
/// years earlier or later with a tenth less or more rent: at the defaults the H100's, A100's,
/// H200's and B200's two lives lie 2.3–2.7 years apart (docs/market-model.md, "A steep life").
pub const STEEP_LIFE_SPAN_YEARS: f64 = 3.0;

/// How the chip's vendor moves its rent ([`fit::MarketFit::vendor_factor`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VendorEffect {
    pub vendor: &'static str,
    /// The factor on the rent of an NVIDIA chip of the same attributes.
    pub rent_factor: f64,
    /// True when the panel could not estimate this vendor's own effect (too few of its rents,
    /// or a vendor outside those the fit prices apart).
    pub fixed_at_zero: bool,
    /// For such a vendor, the vendors whose mean effect it takes (empty: priced as NVIDIA,
    /// the panel pricing no vendor apart).
    pub pooled_from: Vec<&'static str>,
    /// How its rent is priced: `own` (its vendor's fitted effect), `pooled` (the mean of
    /// `pooled_from`'s) or `nvidia` (as an NVIDIA chip of its attributes).
    pub priced_as: &'static str,
}

/// Everything the market model says of one chip.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub chip: String,
    /// The date it is valued from: the purchase, or the release of a chip ordered before it.
    pub purchase_date: chrono::NaiveDate,
    /// The order date of a chip ordered before its release (`purchase_date` is then the
    /// release, the capex carried to it); `None` otherwise.
    pub ordered_date: Option<chrono::NaiveDate>,
    pub capex_usd: f64,
    pub watts: f64,
    pub segment: Segment,
    /// `None` for NVIDIA chips (the base) and chips outside the catalog.
    pub vendor_effect: Option<VendorEffect>,
    /// The chip's own prices in the panel, and how the fit (with and without them) prices them.
    pub rent_evidence: RentEvidence,
    pub point: Valuation,
    pub bands: Bands,
    pub rent_sensitivity: RentSensitivity,
    /// How fast the rent may fall from its rent at purchase and the chip still repay its capex.
    pub break_even: BreakEven,
    pub book: BookComparison,
    pub procurement: Procurement,
    pub verdict: String,
    /// The chip's own rent series it was valued on (`--rents`) instead of the market fit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rent_series: Option<OwnRentsJson>,
}

/// Straight-line book value of `capex` over `years` at `age` (0 past the schedule).
pub fn straight_line(capex: f64, years: f64, age: f64) -> f64 {
    (capex * (1.0 - age / years)).max(0.0)
}

fn overstatement(book: f64, economic: f64) -> Option<f64> {
    match (book > 0.0, economic > 0.0) {
        (_, true) => Some((book - economic) / economic),
        // Both at nothing agree (a schedule over by the verdict's age, a draw worth nothing).
        (false, false) => Some(0.0),
        (true, false) => None,
    }
}

/// Values `chip` under `market`; `rent_alternative` is what renting the same chip would cost
/// (default: the market's neocloud on-demand rent at purchase: the cheaper of the on-demand
/// rents a buyer could take instead; hyperscaler lists, about twice it, made owning look cheap).
pub fn assess(
    market: &Market,
    chip: &ChipCase,
    terms: &Terms,
    book_life_years: f64,
    rent_alternative: Option<RentAlternative>,
) -> Assessment {
    assess_on(market, None, chip, terms, book_life_years, rent_alternative)
}

/// [`assess`], on the chip's own rent series when `own` is given: the series over its dates
/// and the market's movement of the chip's rent outside them ([`OwnRents::rent_at`]); draw `i`
/// pairs the series' refit `i` with the market's draw `i`. The market also prices the rent
/// alternative (unless given).
pub fn assess_on(
    market: &Market,
    own: Option<&OwnRents>,
    chip: &ChipCase,
    terms: &Terms,
    book_life_years: f64,
    rent_alternative: Option<RentAlternative>,
) -> Assessment {
    let fit = &market.fit;
    let point = valuation(market, own, None, &fit.beta, chip, terms, 1.0);
    let runs: Vec<Valuation> = market
        .draws
        .iter()
        .enumerate()
        .map(|(i, beta)| valuation(market, own, Some(i), beta, chip, terms, 1.0))
        .collect();
    let higher = valuation(market, own, None, &fit.beta, chip, terms, 1.1);
    let lower = valuation(market, own, None, &fit.beta, chip, terms, 0.9);
    let cost_share_year1 = point.costs_year1.total_usd / point.revenue_year1_usd;
    let rent_sensitivity = RentSensitivity {
        cost_share_year1,
        thin: cost_share_year1 >= THIN_MARGIN_COST_SHARE,
        value0_usd_rent_plus_10pct: higher.value0_usd,
        value3_usd_rent_plus_10pct: higher.value_at_year(VERDICT_AGE_YEARS),
        life_years_rent_minus_10pct: lower.life_years,
        life_years_rent_plus_10pct: higher.life_years,
        steep_life: higher.life_years - lower.life_years >= STEEP_LIFE_SPAN_YEARS,
    };
    let age = VERDICT_AGE_YEARS;
    let book_usd = straight_line(chip.capex_usd, book_life_years, age as f64);
    let gaps: Vec<Option<f64>> = runs
        .iter()
        .map(|v| overstatement(book_usd, v.value_at_year(age)))
        .collect();
    let bands = Bands {
        life_years: Band::of(runs.iter().map(|v| v.life_years)),
        half_life_years: Band::of_defined(runs.iter().map(|v| v.half_life_years)),
        decline_per_year_3y: Band::of_defined(runs.iter().map(|v| v.decline_per_year_3y)),
        value_by_year_usd: (0..VALUE_YEARS)
            .map(|y| Band::of(runs.iter().map(|v| v.value_at_year(y))))
            .collect(),
        book_overstatement: printed_gap_band(&gaps),
        levelised_usd_per_worked_hour: Band::of_defined(
            runs.iter().map(|v| v.levelised_usd_per_worked_hour),
        ),
        owner_usd_per_worked_hour: Band::of(runs.iter().map(|v| {
            super::procurement::cost_per_worked_hour(
                chip,
                v,
                &terms.costs,
                terms.discount_rate,
                book_life_years,
            )
        })),
        break_even_rent_decline: Band::of_defined(
            runs.iter()
                .map(|v| break_even(v.rent0_usd_per_hour, chip, terms).rent_decline_per_year),
        ),
        draws: runs.len(),
    };
    let book = BookComparison {
        schedule_years: book_life_years,
        age_years: age,
        book_usd,
        economic_usd: point.value_at_year(age),
        overstatement: overstatement(book_usd, point.value_at_year(age)),
        direction: BookDirection::of(overstatement(book_usd, point.value_at_year(age)), &gaps),
    };
    let alternative = rent_alternative.unwrap_or_else(|| RentAlternative {
        usd_per_hour: on_demand_rent(fit, chip),
        source: "market fit: neocloud on-demand rent at purchase (set --cloud-usd-per-hour)".into(),
    });
    let procurement = procurement(
        chip,
        &point,
        &terms.costs,
        terms.discount_rate,
        book_life_years,
        alternative,
    );
    let verdict = verdict(&point, &bands, &book);
    let repaid = break_even(point.rent0_usd_per_hour, chip, terms);
    Assessment {
        chip: chip.name.clone(),
        purchase_date: data::date_of(chip.purchase_year),
        ordered_date: None,
        capex_usd: chip.capex_usd,
        watts: chip.watts,
        segment: terms.segment,
        vendor_effect: vendor_effect(fit, &chip.attrs),
        rent_evidence: rent_evidence(&market.panel, fit, &chip.name),
        point,
        bands,
        rent_sensitivity,
        break_even: repaid,
        book,
        procurement,
        verdict,
        rent_series: own.map(OwnRents::json),
    }
}

/// How the chip's vendor moves its rent; `None` for NVIDIA's chips and attributes given as
/// values.
fn vendor_effect(fit: &fit::MarketFit, attrs: &Attributes) -> Option<VendorEffect> {
    let vendor = match (attrs.vendor, attrs.other_vendor) {
        (Some(v), _) => super::features::VENDORS[v],
        (None, Some(name)) => name,
        (None, None) => return None,
    };
    let own_priced = fit::own_vendor_priced(attrs, &fit.priced_vendors);
    let pooled_from = if own_priced {
        Vec::new()
    } else {
        fit.priced_vendor_names()
    };
    Some(VendorEffect {
        vendor,
        rent_factor: fit.vendor_factor(&fit.beta, attrs),
        fixed_at_zero: !own_priced,
        priced_as: match (own_priced, pooled_from.is_empty()) {
            (true, _) => "own",
            (false, false) => "pooled",
            (false, true) => "nvidia",
        },
        pooled_from,
    })
}

/// The market's neocloud on-demand rent of `chip` at its purchase: what renting it instead
/// costs by default, and the yardstick of a rent the user gives for that.
pub fn on_demand_rent(fit: &MarketFit, chip: &ChipCase) -> f64 {
    let seg = Segment {
        class: ProviderClass::Neocloud,
        basis: Basis::OnDemand,
    };
    fit.rent(&chip.attrs, seg, chip.purchase_year)
}

/// One valuation of `chip` under the market coefficients `beta`: on the market's rent, or on
/// its own series (draw `draw`'s refit, the point path when `None`) moved outside the series'
/// dates by `beta`'s rent of the chip; every rent times `scale` (1: as fitted).
fn valuation(
    market: &Market,
    own: Option<&OwnRents>,
    draw: Option<usize>,
    beta: &[f64],
    chip: &ChipCase,
    terms: &Terms,
    scale: f64,
) -> Valuation {
    let fit = &market.fit;
    let m = fit.owner_rent(beta, &chip.attrs, terms.segment, chip.purchase_year);
    let Some(own) = own else {
        let resale = fit.resale_rent(beta, &chip.attrs, terms.segment);
        return value_with(
            &|age: f64| scale * m(chip.purchase_year + age),
            &|age: f64| scale * resale(chip.purchase_year + age),
            chip,
            terms,
        );
    };
    let path: &RentFit = draw.map_or(&own.fit, |i| own.path(i));
    value_on(
        &|age: f64| scale * own.rent_at(path, &m, chip.purchase_year + age),
        chip,
        terms,
    )
}

/// The chip's market price new (`V(0)`; what its owner paid does not enter) on the market's
/// rent, or on its own series when given.
pub fn price_new(market: &Market, own: Option<&OwnRents>, chip: &ChipCase, terms: &Terms) -> f64 {
    valuation(market, own, None, &market.fit.beta, chip, terms, 1.0).value0_usd
}

/// A chip's economic value at one age, under the point fit and under every bootstrap draw.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueAtAge {
    pub age_years: f64,
    /// `V(age)` under the point fit, USD.
    pub usd: f64,
    /// `V(age)` under each of the market's bootstrap draws, in the order of `Market::draws`
    /// (so the draws of several chips can be summed draw by draw).
    pub draws_usd: Vec<f64>,
}

impl ValueAtAge {
    /// The 5–95 % band over the draws.
    pub fn band(&self) -> Option<Band> {
        Band::of(self.draws_usd.iter().copied())
    }
}

/// What `chip` is worth at `age_years` after its purchase (e.g. today, for a chip in service).
pub fn value_at_age(market: &Market, chip: &ChipCase, terms: &Terms, age_years: f64) -> ValueAtAge {
    let fit = &market.fit;
    ValueAtAge {
        age_years,
        usd: value(fit, &fit.beta, chip, terms).value_at_age(age_years),
        draws_usd: market
            .draws
            .iter()
            .map(|beta| value(fit, beta, chip, terms).value_at_age(age_years))
            .collect(),
    }
}

/// What the draws say of the gap, for the verdict: ", 5–95 %: -62–+22 %" from the band of the
/// gap; where more than 5 % of the draws value the chip at $0 (no gap, no band), the band of
/// the economic value at the verdict's age instead, after `lead` ("" where nothing is).
fn gap_band(bands: &Bands, book: &BookComparison, lead: &str) -> String {
    let pct = |v: f64| crate::units::gap_signed(Some(v));
    if let Some(b) = bands.book_overstatement {
        return format!(", 5–95 %: {}", crate::units::range(&pct(b.p5), &pct(b.p95)));
    }
    match bands
        .value_by_year_usd
        .get(book.age_years)
        .copied()
        .flatten()
    {
        Some(v) => format!(
            "{lead}economic value at year {}, 5–95 %: {}, some draws worth nothing",
            book.age_years,
            crate::units::range(&crate::units::usd(v.p5), &crate::units::usd(v.p95))
        ),
        None => String::new(),
    }
}

fn band_text(b: Option<Band>, f: impl Fn(f64) -> String) -> String {
    b.map(|b| format!(" (5–95 %: {})", crate::units::range(&f(b.p5), &f(b.p95))))
        .unwrap_or_default()
}

/// "economic life 6.8 y (5–95 %: 5.0–8.9) against a 5-year schedule: at year 3 book value
/// $20,000 overstates economic value $16,000 by 25 % (book vs economic, 5–95 %: +8–+41 %)": the
/// band is of the signed gap (book over economic value, less one), as the table's column shows
/// it, so it can straddle zero while the sentence names the point's direction.
pub fn verdict(point: &Valuation, bands: &Bands, book: &BookComparison) -> String {
    let life = if point.life_capped {
        format!("economic life over {:.0} years (capped)", point.life_years)
    } else {
        format!(
            "economic life {:.1} years{}",
            point.life_years,
            band_text(bands.life_years, super::value::life_text)
        )
    };
    let pct = |v: f64| crate::units::gap_signed(Some(v));
    // A schedule of the verdict's age or shorter has written the chip off by then: say so, or
    // every chip "understates by 100 %" with nothing to say why (a helper's sweep).
    let at = if book.age_years as f64 >= book.schedule_years {
        format!(
            "at year {}, when the schedule has written the chip off,",
            book.age_years
        )
    } else {
        format!("at year {}", book.age_years)
    };
    let comparison = match book.overstatement {
        None => format!(
            "book value {} against no economic value at year {}",
            crate::units::usd(book.book_usd),
            book.age_years
        ),
        Some(g) if book.direction == BookDirection::Unclear => format!(
            "{at} book value {} and economic value {} lie within the model's uncertainty of \
             each other (book vs economic {}{}): the bands cannot tell whether the schedule \
             over- or understates",
            crate::units::usd(book.book_usd),
            crate::units::usd(book.economic_usd),
            pct(g),
            gap_band(bands, book, "; ")
        ),
        Some(g) => format!(
            "{at} book value {} {} economic value {} {}{}",
            crate::units::usd(book.book_usd),
            if g >= 0.0 {
                "overstates"
            } else {
                "understates"
            },
            crate::units::usd(book.economic_usd),
            if g >= crate::units::GAP_AS_RATIO {
                format!("{:.0}-fold", 1.0 + g)
            } else {
                format!("by {}", crate::units::pct_with(g.abs(), 0))
            },
            match gap_band(bands, book, "") {
                b if b.is_empty() => b,
                b if bands.book_overstatement.is_some() => format!(" (book vs economic{b})"),
                b => format!(" ({b})"),
            }
        ),
    };
    format!(
        "{life} against a {}-year straight-line schedule: {comparison}",
        book.schedule_years
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Draws of the gap: `n_under` below zero, `n_over` above, `n_zero_value` worth nothing.
    fn draws(n_under: usize, n_over: usize, n_zero_value: usize) -> Vec<Option<f64>> {
        let mut d = vec![Some(-0.3); n_under];
        d.extend(vec![Some(0.4); n_over]);
        d.extend(vec![None; n_zero_value]);
        d
    }

    /// Draws on both sides of zero leave the direction unclear, whatever the point says; a
    /// direction needs all but 5 % of the draws on its side, and a draw worth nothing overstates;
    /// without draws the point's sign decides, and no economic value is overstated by any book.
    #[test]
    fn a_band_that_holds_zero_leaves_the_direction_unclear() {
        use BookDirection::*;
        assert_eq!(BookDirection::of(Some(-0.35), &draws(150, 50, 0)), Unclear);
        assert_eq!(
            BookDirection::of(Some(-0.56), &draws(195, 5, 0)),
            Understates
        );
        assert_eq!(BookDirection::of(Some(-0.56), &draws(189, 11, 0)), Unclear);
        assert_eq!(
            BookDirection::of(Some(0.25), &draws(10, 190, 0)),
            Overstates
        );
        assert_eq!(BookDirection::of(Some(0.1), &[]), Overstates);
        assert_eq!(BookDirection::of(Some(-0.1), &[]), Understates);
        assert_eq!(BookDirection::of(None, &[]), Overstates);
        assert_eq!(BookDirection::of(None, &draws(100, 60, 40)), Unclear);
        // Draws worth nothing side with the ones above zero: the sweep's V100 (a point of
        // +95 %, 12 % of the draws at $0 and many below) is unclear, not "overstates".
        assert_eq!(BookDirection::of(Some(0.95), &draws(60, 116, 24)), Unclear);
        assert_eq!(
            BookDirection::of(Some(0.95), &draws(5, 150, 45)),
            Overstates
        );
        // A point on the other side of zero from the whole band (a skewed bootstrap) leaves
        // the direction unclear rather than a verdict whose words and figure disagree.
        assert_eq!(BookDirection::of(Some(-0.1), &draws(0, 200, 0)), Unclear);
        assert_eq!(BookDirection::of(Some(0.1), &draws(200, 0, 0)), Unclear);
        // One underlying draw of 200 that values the chip at $0 takes no direction away.
        assert_eq!(
            BookDirection::of(Some(-0.5), &draws(199, 0, 1)),
            Understates
        );
    }

    /// The printed band is the one the direction reads: where draws worth nothing reach its
    /// 95th percentile it is not printed (the verdict gives the value's band) and the direction
    /// is unclear; below that, a band wholly under zero goes with "understates". Until 7
    /// December 2026 the printed band dropped those draws: -30 % to -30 % beside "unclear".
    #[test]
    fn the_printed_gap_band_is_the_one_the_direction_reads() {
        for (zero_value, printed, direction) in [
            (5, true, BookDirection::Understates),
            (10, false, BookDirection::Unclear),
            (40, false, BookDirection::Unclear),
        ] {
            let d = draws(200 - zero_value, 0, zero_value);
            let band = printed_gap_band(&d);
            assert_eq!(band.is_some(), printed, "{zero_value}: {band:?}");
            assert!(band.is_none_or(|b| b.p95 < 0.0));
            assert_eq!(BookDirection::of(Some(-0.3), &d), direction, "{zero_value}");
        }
        // A book and an economic value both at nothing agree.
        assert_eq!(overstatement(0.0, 0.0), Some(0.0));
        assert_eq!(overstatement(1.0, 0.0), None);
    }
}
