//! Observed market prices against the market model (`depreciate --observed`, and the second
//! half of `--validate`): each observed series' annual decline beside the decline the model
//! predicts for the same chip between the same dates, with the 5–95 % band of the bootstrap
//! refits.
//!
//! - resale and purchase prices (`usd`): the model's **market price** of the chip (what a buyer
//!   pays, [`crate::economics::market::value`]) at each observed date;
//! - rental prices (`usd_per_hour`): the model's **rent** of the chip in the owner's segment
//!   (`--rent-class`, `--rent-basis`) at each date.
//!
//! Both are fitted like the observations (least squares on `ln p` over the dates, two points
//! give the two-point rate), so the two rates describe the same window.

use super::market as valuation;
use crate::cli::DepreciateArgs;
use crate::config::PricingInputs;
use crate::economics::catalog;
use crate::economics::depreciation::decline;
use crate::economics::depreciation::observed::{self, ObservedPrice, PriceUnit};
use crate::economics::market::band::Band;
use crate::economics::market::costs::RunningCosts;
use crate::economics::market::data::year_of;
use crate::economics::market::features::Attributes;
use crate::economics::market::value::{market_price_at, ChipCase, Terms};
use crate::economics::market::Market;
use crate::economics::pricing;
use chrono::NaiveDate;
use serde::Serialize;

/// One observed series against the model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesCheck {
    pub chip: String,
    pub series: String,
    pub kind: String,
    /// `usd` (resale or purchase) or `usd_per_hour` (rental).
    pub unit: &'static str,
    pub n: usize,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Share of the price lost per year, fitted to the observations (`None` for a series of
    /// one price, whose level alone is compared).
    pub observed_decline_per_year: Option<f64>,
    /// The same fit over the model's prices at the same dates (`None`: the model's price is 0
    /// at some date, or the chip cannot be priced; `reason` says which).
    pub predicted_decline_per_year: Option<f64>,
    pub predicted_band: Option<Band>,
    /// `observed − predicted`, in shares per year (`None` also where the dates span under
    /// [`MIN_COMPARED_MONTHS`]: `reason` says so).
    pub error: Option<f64>,
    /// Sale series: the observed price over the model's market price of the card at the same
    /// dates (the model's price of the chip with its server share, divided by the overhead),
    /// geometric mean over the dates. `None` for rents, or where the model's price is 0.
    pub level_ratio: Option<f64>,
    /// Why a figure is missing or not compared.
    pub reason: Option<String>,
}

/// The comparison of every series: declines where a series has two prices or more, a sale
/// series' price level from one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObservedCheck {
    pub file: String,
    pub series: Vec<SeriesCheck>,
    /// Mean of |observed − predicted| over the compared resale series, shares per year.
    pub resale_mean_abs_error: Option<f64>,
    /// Mean of observed − predicted over the compared resale series (> 0: prices fell faster
    /// than the model says).
    pub resale_bias: Option<f64>,
    pub rental_mean_abs_error: Option<f64>,
    pub rental_bias: Option<f64>,
    /// Price levels of the sale series ([`SeriesCheck::level_ratio`]).
    pub resale_levels: Option<LevelSummary>,
    /// Chips asked for (`--chips`) that the file has no prices of.
    pub not_observed: Vec<String>,
    /// Chip names of the file the catalog does not know (or cannot tell apart), each with its
    /// first line: left out, the other chips compared.
    pub not_in_catalog: Vec<NotInCatalog>,
    /// The model's lives against the ages at which the rent panel shows each chip rented.
    pub lives: super::market_lives::LivesCheck,
}

/// A chip name of the observed file that no catalog chip answers to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotInCatalog {
    pub chip: String,
    pub why: String,
}

/// How far the model's market prices sit from the observed sale prices, over the sale series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LevelSummary {
    /// Sale series compared (at least two prices).
    pub series: usize,
    /// Of them, those the model prices at 0 at some date (no ratio).
    pub priced_at_zero: usize,
    /// Median of observed ÷ model over the others.
    pub median_ratio: f64,
    /// Of the others, those whose ratio lies within a factor of 2 (0.5–2).
    pub within_factor_2: usize,
}

impl LevelSummary {
    fn of(series: &[SeriesCheck]) -> Option<Self> {
        let sale: Vec<&SeriesCheck> = series
            .iter()
            .filter(|s| s.unit == PriceUnit::Usd.id())
            .collect();
        let ratios: Vec<f64> = sale.iter().filter_map(|s| s.level_ratio).collect();
        if ratios.is_empty() {
            return None;
        }
        // The median of the logs: for an even count, the geometric mean of the middle two.
        let mut logs: Vec<f64> = ratios.iter().map(|r| r.ln()).collect();
        logs.sort_by(f64::total_cmp);
        let median = crate::measure::stats::quantile(&logs, 0.5).exp();
        let n = ratios.len();
        Some(Self {
            series: sale.len(),
            priced_at_zero: sale.len() - n,
            median_ratio: median,
            within_factor_2: ratios.iter().filter(|r| (0.5..=2.0).contains(*r)).count(),
        })
    }
}

/// Compares the observed file (`--observed-file`, else the shipped one) with the model. A chip
/// of `--chips` the file has no prices of is an error when `strict` (`--observed`, which asks
/// for nothing else), else listed in `not_observed` (`--validate`, whose other checks stand).
pub fn check(
    market: &Market,
    args: &DepreciateArgs,
    inputs: &PricingInputs,
    strict: bool,
) -> anyhow::Result<ObservedCheck> {
    let (prices, file) = match &args.observed_file {
        Some(p) => (observed::read_observed(p)?, p.display().to_string()),
        None => (observed::shipped()?, observed::SHIPPED_NAME.to_string()),
    };
    let segment = valuation::segment(args)?;
    valuation::check_segment(market, segment)?;
    let (prices, unknown) = super::observed::resolve_chips(prices, &file)?;
    let not_in_catalog = unknown
        .into_iter()
        .map(|(chip, why)| NotInCatalog { chip, why })
        .collect();
    let wanted = super::observed::split_wanted(args, &prices)?;
    if strict {
        wanted.require_all(&file)?;
    }
    let not_observed = wanted.without;
    let wanted = wanted.with;
    let mut series = Vec::new();
    for s in observed::group(&prices) {
        // A single rent has nothing to compare (rents are compared by their decline alone).
        let single_rent = s.prices.len() < 2 && s.prices[0].unit == PriceUnit::UsdPerHour;
        if single_rent || !wanted.iter().any(|w| w == s.chip) {
            continue;
        }
        let chip = catalog::find(s.chip)?;
        series.push(check_series(
            market, chip, &s.prices, s.name, args, inputs, segment,
        )?);
    }
    let summary = |unit: &str| {
        let errs: Vec<f64> = series
            .iter()
            .filter(|c| c.unit == unit)
            .filter_map(|c| c.error)
            .collect();
        let n = errs.len() as f64;
        (!errs.is_empty()).then(|| {
            (
                errs.iter().map(|e| e.abs()).sum::<f64>() / n,
                errs.iter().sum::<f64>() / n,
            )
        })
    };
    let resale = summary(PriceUnit::Usd.id());
    let rental = summary(PriceUnit::UsdPerHour.id());
    let resale_levels = LevelSummary::of(&series);
    // The lives check covers the rent panel's chips, or those `--chips` names.
    let asked = args
        .chips
        .iter()
        .filter(|c| !c.trim().is_empty())
        .map(|c| catalog::find_all(c.trim()))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .map(|c| c.name.clone())
        .collect::<Vec<_>>();
    let lives = super::market_lives::check(market, args, inputs, &asked)?;
    Ok(ObservedCheck {
        file,
        series,
        resale_mean_abs_error: resale.map(|r| r.0),
        resale_bias: resale.map(|r| r.1),
        rental_mean_abs_error: rental.map(|r| r.0),
        rental_bias: rental.map(|r| r.1),
        resale_levels,
        not_observed,
        not_in_catalog,
        lives,
    })
}

/// What the market model needs of a catalog chip (its attributes, power and the prices
/// resolved for it), or why it cannot value the chip.
pub(super) fn valuable(
    chip: &'static catalog::Chip,
    args: &DepreciateArgs,
    inputs: &PricingInputs,
) -> anyhow::Result<Result<(Attributes, f64, pricing::ResolvedPricing), String>> {
    let Some(attrs) = Attributes::of(chip) else {
        return Ok(Err("the catalog lacks its bandwidth, memory or peak".into()));
    };
    let Some(watts) = args.watts.or(chip.tdp_w) else {
        return Ok(Err("no TDP in the catalog (pass --watts)".into()));
    };
    let per_chip = PricingInputs {
        chip: Some(chip.name.clone()),
        ..inputs.clone()
    };
    Ok(Ok((attrs, watts, pricing::resolve(&per_chip, Some(chip))?)))
}

#[allow(clippy::too_many_arguments)]
fn check_series(
    market: &Market,
    chip: &'static catalog::Chip,
    prices: &[&ObservedPrice],
    name: &str,
    args: &DepreciateArgs,
    inputs: &PricingInputs,
    segment: crate::economics::market::fit::Segment,
) -> anyhow::Result<SeriesCheck> {
    let first = prices[0];
    let points: Vec<(NaiveDate, f64)> = prices.iter().map(|p| (p.date, p.usd)).collect();
    // One price has a level but no decline: until 7 December 2026 such series were left out
    // without a word (the shipped file's H200 and H100 PCIe points; a helper's sweep).
    let observed_fit = match points.len() {
        1 => None,
        _ => Some(decline::fit_dated(&points, name)?),
    };
    let mut out = SeriesCheck {
        chip: chip.name.clone(),
        series: name.to_string(),
        kind: first.kind.clone(),
        unit: first.unit.id(),
        n: points.len(),
        first: points[0].0,
        last: points[points.len() - 1].0,
        observed_decline_per_year: observed_fit.as_ref().map(|f| f.annual_decline),
        predicted_decline_per_year: None,
        predicted_band: None,
        error: None,
        level_ratio: None,
        reason: None,
    };
    let (attrs, watts, resolved) = match valuable(chip, args, inputs)? {
        Ok(v) => v,
        Err(why) => {
            out.reason = Some(why);
            return Ok(out);
        }
    };
    let dates: Vec<f64> = points.iter().map(|(d, _)| year_of(*d)).collect();
    let case = ChipCase {
        name: chip.name.clone(),
        attrs,
        watts,
        capex_usd: 0.0,
        purchase_year: dates[0].min(year_of(chip.release)),
    };
    let terms = Terms {
        costs: RunningCosts::from_pricing(&resolved),
        discount_rate: resolved.discount_rate.value,
        segment,
    };
    // The model's price (sale) or rent at the observed dates, under coefficients `beta`.
    let model_at = |beta: &[f64]| -> Vec<f64> {
        match first.unit {
            PriceUnit::Usd => market_price_at(&market.fit, beta, &case, &terms, &dates),
            PriceUnit::UsdPerHour => dates
                .iter()
                .map(|y| market.fit.rent_with(beta, &case.attrs, segment, *y))
                .collect(),
        }
    };
    // `None` where the model's price is 0 (or undefined) at some date.
    let priced = |model: Vec<f64>| model.iter().all(|v| *v > 0.0).then_some(model);
    let decline_of = |model: Vec<f64>| -> Option<f64> {
        let pts: Vec<(NaiveDate, f64)> = points.iter().map(|(d, _)| *d).zip(model).collect();
        decline::fit_dated(&pts, name)
            .ok()
            .map(|f| f.annual_decline)
    };
    if let Some(model) = priced(model_at(&market.fit.beta)) {
        if first.unit == PriceUnit::Usd {
            let overhead = resolved.overhead.value;
            let mean_ln = points
                .iter()
                .zip(&model)
                .map(|((_, p), m)| (p / (m / overhead)).ln())
                .sum::<f64>()
                / points.len() as f64;
            out.level_ratio = Some(mean_ln.exp());
        }
        if observed_fit.is_none() {
            out.reason = Some("one price: its level is compared, not a decline".into());
            return Ok(out);
        }
        out.predicted_decline_per_year = decline_of(model);
    } else if observed_fit.is_none() {
        out.reason = Some("the model's price is 0 at its date".into());
        return Ok(out);
    }
    let predicted_decline = |beta: &[f64]| priced(model_at(beta)).and_then(decline_of);
    out.predicted_band = Band::of_defined(market.draws.iter().map(|b| predicted_decline(b)));
    out.error = out
        .predicted_decline_per_year
        .zip(out.observed_decline_per_year)
        .map(|(p, o)| o - p);
    if out.predicted_decline_per_year.is_none() {
        out.reason = Some("the model's price is 0 at some of the dates".into());
    }
    let months = ((dates[dates.len() - 1] - dates[0]) * 12.0).round();
    if out.error.is_some() && months < MIN_COMPARED_MONTHS {
        // Two contract prices 5 months apart, +38 %, read as "−119 %/yr" and made most of the
        // rental series' mean error (a helper's sweep, 6 December 2026).
        out.error = None;
        out.reason = Some(format!(
            "its dates span {months} months: a rate over less than {MIN_COMPARED_MONTHS} months \
             is shown, not set against the model's or counted in the mean"
        ));
    }
    Ok(out)
}

/// Fewest months a series' dates must span for its annual rate to be set against the model's.
const MIN_COMPARED_MONTHS: f64 = 6.0;

/// The comparison as a table and a summary line.
pub fn print(c: &ObservedCheck) {
    if c.series.is_empty() && !c.not_observed.is_empty() {
        crate::wrapln!(
            "Observed prices ({}): it has no price of {}; `--observed-file` takes another file",
            c.file,
            c.not_observed.join(", ")
        );
        return;
    }
    if c.series.is_empty() {
        crate::wrapln!("Observed prices ({}): {NO_SERIES}", c.file);
        for n in &c.not_in_catalog {
            crate::wrapln!("Not compared: {} ({})", n.chip, n.why);
        }
        return;
    }
    let pct = |v: f64| crate::units::pct_signed(Some(v), 0);
    const HEADER: [&str; 7] = [
        "chip\n  series",
        "n",
        "from\nto",
        "decline/yr\nobserved",
        "model\n(5–95 %)",
        "obs −\nmodel",
        "price\nobs ÷\nmodel",
    ];
    let month = |d: NaiveDate| d.format("%Y-%m").to_string();
    let rows: Vec<Vec<String>> = c
        .series
        .iter()
        .map(|s| {
            let model = match (s.predicted_decline_per_year, s.predicted_band) {
                (Some(p), Some(b)) => format!(
                    "{}\n({})",
                    pct(p),
                    crate::units::range(&pct(b.p5), &pct(b.p95))
                ),
                // Over 5 % of the draws price the chip at zero on some date ([`Band::of_defined`]).
                (Some(p), None) => format!("{}\n(no band)", pct(p)),
                (None, _) => crate::units::MISSING.into(),
            };
            let sale = s.unit == PriceUnit::Usd.id();
            let level = match (sale, s.level_ratio) {
                (true, Some(r)) => format!("×{}", ratio(r)),
                (true, None) => crate::units::MISSING.into(),
                (false, _) => "(rent)".into(),
            };
            vec![
                s.n.to_string(),
                format!("{}\n{}", month(s.first), month(s.last)),
                s.observed_decline_per_year
                    .map_or(crate::units::MISSING.into(), pct),
                model,
                s.error.map_or(crate::units::MISSING.into(), |e| {
                    format!("{:+.0} pp", e * 100.0)
                }),
                level,
            ]
        })
        .collect();
    let first_chars = crate::term::first_column_chars(&HEADER[1..], &rows, 16);
    let mut t = crate::term::table(HEADER);
    for (s, row) in c.series.iter().zip(rows) {
        let series = crate::term::break_after(&s.series, '-', first_chars.saturating_sub(2))
            .replace('\n', "\n  ");
        let mut cells = vec![format!("{}\n  {series}", s.chip)];
        cells.extend(row);
        t.add_row(cells);
    }
    crate::term::numbers_from(&mut t, 1);
    crate::wrapln!(
        "Observed prices ({}) against the market model between the same dates: resale and \
         purchase prices (sale) against the model's market price of the chip, rents against \
         its rent in the owner's segment; decline/yr = share of the \
         price lost per year, least squares on ln p (two points: the two-point rate); price = \
         a sale series' observed price over the model's price of the card (its market price over the \
         overhead), geometric mean over the dates; — where the model gives no figure (why: under \
         the table)",
        c.file
    );
    crate::outln!("{t}");
    for s in &c.series {
        match (&s.reason, s.predicted_decline_per_year) {
            (Some(why), None)
                if s.observed_decline_per_year.is_none() && s.level_ratio.is_some() =>
            {
                crate::wrapln!("level only: {} {}: {why}", s.chip, s.series)
            }
            (Some(why), None) => {
                crate::wrapln!("no model figure for {} {}: {why}", s.chip, s.series)
            }
            (Some(why), Some(_)) => crate::wrapln!("not compared: {} {}: {why}", s.chip, s.series),
            (None, _) => {}
        }
    }
    let line = |what: &str, mae: Option<f64>, bias: Option<f64>| {
        if let (Some(m), Some(b)) = (mae, bias) {
            crate::wrapln!(
                "{what}: mean |observed − model| {:.0} pp/yr, bias {:+.0} pp/yr (> 0: prices fell \
                 faster than the model says)",
                m * 100.0,
                b * 100.0
            );
        }
    };
    line("resale", c.resale_mean_abs_error, c.resale_bias);
    line("rental", c.rental_mean_abs_error, c.rental_bias);
    if let Some(l) = c.resale_levels {
        crate::wrapln!(
            "sale price levels: observed ÷ model median ×{} over {} series, {} within a factor \
             of 2{}",
            ratio(l.median_ratio),
            l.series - l.priced_at_zero,
            l.within_factor_2,
            if l.priced_at_zero > 0 {
                format!(
                    "; {} more the model prices at 0 at some date (rent below the running costs)",
                    l.priced_at_zero
                )
            } else {
                String::new()
            }
        );
    }
    for n in &c.not_in_catalog {
        crate::wrapln!("Not compared: {} ({})", n.chip, n.why);
    }
    if !c.not_observed.is_empty() {
        crate::wrapln!(
            "No observed price in {} of: {}",
            c.file,
            c.not_observed.join(", ")
        );
    }
}

/// Why an observed file (or the chips asked for) gives nothing to compare.
const NO_SERIES: &str = "no series has two or more prices, and a decline needs two dates (a \
                         single sale price is compared by its level, a single rent not at all), \
                         so nothing is compared";

/// A ratio to two significant figures (`1.7`, `0.61`, `19`).
fn ratio(r: f64) -> String {
    if r >= 10.0 {
        format!("{r:.0}")
    } else if r >= 1.0 {
        format!("{r:.1}")
    } else {
        format!("{r:.2}")
    }
}

/// `depreciate --observed [--observed-file CSV] [--chips …]` under the market model.
pub(super) fn run(args: &DepreciateArgs, inputs: &PricingInputs) -> anyhow::Result<i32> {
    super::refuse_launch_trend_flags(args)?;
    if args.report.is_some() || args.backtest.is_some() || args.rents.is_some() {
        return Err(crate::error::FlError::usage(
            "--observed compares catalog chips with observed prices; run it without --report, \
             --rents and --backtest",
        )
        .into());
    }
    if args.pricing.price_usd.is_some() || args.pricing.overhead.is_some() {
        return Err(crate::error::FlError::usage(
            "--price-usd and --overhead set what the first owner paid, which the market price \
             of a chip does not depend on; drop them, or add --launch-trend to compare with the \
             launch-price trend, which uses them",
        )
        .into());
    }
    let market = valuation::market(args)?;
    let c = check(&market, args, inputs, true)?;
    if c.series.is_empty() {
        return Err(crate::error::FlError::input(
            &c.file,
            format!(
                "{NO_SERIES}; give a series (rows of one chip and one `series` name) a second \
                 dated price"
            ),
        )
        .into());
    }
    if args.output() == crate::cli::OutputFormat::Json {
        crate::outln!("{}", serde_json::to_string_pretty(&c)?);
    } else {
        print(&c);
        super::market_lives::print(&c.lives);
        crate::wrapln!(
            "\nThe launch-price trend's prediction (model A): add --launch-trend. {}",
            catalog::EPOCH_CREDIT
        );
    }
    Ok(0)
}
