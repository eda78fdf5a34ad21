//! `flopledger depreciate --chips …` under the market model: each chip valued from its purchase
//! date and price against one market price of compute (economics::market), with its full
//! running cost, bands and the procurement figures.

use crate::cli::DepreciateArgs;
use crate::config::PricingInputs;
use crate::economics::catalog::Chip;
use crate::economics::market::assess::{assess_on, price_new};
use crate::economics::market::costs::RunningCosts;
use crate::economics::market::data::{self, year_of, Basis, ProviderClass};
use crate::economics::market::features::Attributes;
use crate::economics::market::fit::Segment;
use crate::economics::market::own_rents::OwnRents;
use crate::economics::market::procurement::RentAlternative;
use crate::economics::market::value::{ChipCase, Terms};
use crate::economics::market::{Assessment, Market};
use crate::economics::pricing::{self, Origin, ResolvedPricing};
use crate::error::FlError;
use chrono::NaiveDate;

/// One chip's inputs and their sources.
pub struct Valued {
    pub assessment: Assessment,
    /// Where the power the running cost draws comes from, in a few words: "--watts", "catalog
    /// TDP", or the run report's with its energy grade.
    pub watts_source: String,
    pub notes: Vec<String>,
    pub pricing: ResolvedPricing,
    /// $ per million tokens of the model presets over the chip's life.
    pub tokens: Vec<crate::economics::market::tokens::TokenLife>,
}

/// The owner's segment from `--rent-class` and `--rent-basis`.
pub fn segment(args: &DepreciateArgs) -> Result<Segment, FlError> {
    segment_of(args.rent_class.as_deref(), args.rent_basis.as_deref())
}

/// The owner's segment from the texts of `--rent-class` (checked by clap) and `--rent-basis`.
pub fn segment_of(class: Option<&str>, basis: Option<&str>) -> Result<Segment, FlError> {
    let basis = match basis {
        None => DEFAULT_SEGMENT.basis,
        Some(b) => Basis::parse(b).ok_or_else(|| {
            FlError::usage(format!(
                "--rent-basis {b:?} is not a basis; pass one of {}",
                Basis::ALL.map(Basis::id).join(", ")
            ))
        })?,
    };
    let class = match class {
        Some("hyperscaler") => ProviderClass::Hyperscaler,
        _ => DEFAULT_SEGMENT.class,
    };
    Ok(Segment { class, basis })
}

/// Refuses an owner's segment whose provider class or basis the market's panel holds no price
/// of: the fit fixes such an effect at zero, which would price the segment as the base one
/// (neocloud on-demand) without saying so.
///
/// A panel of hyperscaler lists alone is refused whatever the owner's class: a chip's market
/// price is what its hours earn a buyer at the neocloud rent ([`MarketFit::resale_rent`]), and
/// without a neocloud price the fit has no such rent and no decline of it (a helper's sweep of
/// 7 December 2026: with `--rent-class hyperscaler` every chip lived to the 30-year cap, bands
/// 30–30, and an H100 was worth $155,524 new against a capex of $47,040).
///
/// [`MarketFit::resale_rent`]: crate::economics::market::fit::MarketFit::resale_rent
pub fn check_segment(market: &Market, segment: Segment) -> Result<(), FlError> {
    let rows = &market.panel.rows;
    let file = &market.panel.name;
    if !rows.iter().any(|o| o.class == ProviderClass::Neocloud) {
        return Err(FlError::input(
            file,
            "it holds no neocloud prices: a chip's market price, what a buyer pays for it, is \
             what its hours earn at the neocloud rent (a buyer gets no hyperscaler's lists, and \
             lists hardly fall), so hyperscaler lists alone cannot value it; add neocloud, \
             marketplace or index prices (providers other than AWS, GCP, Azure, Oracle, \
             Alibaba, Baidu and IBM Cloud are neoclouds)",
        ));
    }
    if !rows.iter().any(|o| o.class == segment.class) {
        let other = match segment.class {
            ProviderClass::Neocloud => ProviderClass::Hyperscaler,
            ProviderClass::Hyperscaler => ProviderClass::Neocloud,
        };
        return Err(FlError::input(
            file,
            format!(
                "it holds no {} prices, so the fit cannot tell their rents from {} ones: pass \
                 --rent-class {}, or add {} prices (providers other than AWS, GCP, Azure, \
                 Oracle, Alibaba, Baidu and IBM Cloud are neoclouds)",
                segment.class.id(),
                other.id(),
                other.id(),
                segment.class.id()
            ),
        ));
    }
    if !rows.iter().any(|o| o.basis == segment.basis) {
        let held: Vec<&str> = Basis::ALL
            .into_iter()
            .filter(|b| rows.iter().any(|o| o.basis == *b))
            .map(Basis::id)
            .collect();
        return Err(FlError::input(
            file,
            format!(
                "it holds no {} prices, so the fit cannot price that basis against the others: \
                 pass --rent-basis with one it holds ({}), or add {} prices",
                segment.basis.id(),
                held.join(", "),
                segment.basis.id()
            ),
        ));
    }
    Ok(())
}

/// A note where the panel prices the owner's class and basis, each, but no row both (a
/// hyperscaler on a marketplace or a contract index, in the shipped panel): the fit adds the
/// two effects as if they were independent, which no price checks (a helper's sweep found the
/// combination valued without a word).
pub fn unpriced_segment(market: &Market, segment: Segment) -> Option<String> {
    let rows = &market.panel.rows;
    (!rows
        .iter()
        .any(|o| o.class == segment.class && o.basis == segment.basis))
    .then(|| {
        let held: Vec<&str> = Basis::ALL
            .into_iter()
            .filter(|b| {
                rows.iter()
                    .any(|o| o.class == segment.class && o.basis == *b)
            })
            .map(Basis::id)
            .collect();
        format!(
            "the market data hold no {} {} price: its rent adds the class's effect and the \
             basis's as if they were independent, which no price checks ({} prices are {})",
            segment.class.id(),
            segment.basis.id(),
            segment.class.id(),
            held.join(", ")
        )
    })
}

/// A note where the owner's basis rests on one provider's prices (the shipped panel's
/// marketplace median: Vast.ai; its contract index: CCIR's list-asks of 2026): the basis's
/// effect is that provider's level, which the fit then applies to every chip and date (a
/// helper's sweep: `scenario --rent-basis contract-index` doubled the built-in plan's value
/// without a word). On-demand is the base and needs no effect.
pub fn thin_basis(market: &Market, segment: Segment) -> Option<String> {
    if segment.basis == Basis::OnDemand {
        return None;
    }
    let rows: Vec<_> = market
        .panel
        .rows
        .iter()
        .filter(|o| o.basis == segment.basis)
        .collect();
    let first = rows.first()?;
    let key = |p: &str| p.trim().to_lowercase();
    if rows
        .iter()
        .any(|o| key(&o.provider) != key(&first.provider))
    {
        return None;
    }
    let chips: std::collections::BTreeSet<&str> =
        rows.iter().map(|o| o.chip.name.as_str()).collect();
    let (from, to) = rows.iter().fold((first.date, first.date), |(a, b), o| {
        (a.min(o.date), b.max(o.date))
    });
    Some(format!(
        "every {} price of the market data is {}'s ({} prices of {} chips, {from} to {to}): the \
         basis's level is that one provider's, applied to every chip and date; its band holds \
         the point fit's level where a bootstrap draw lacks the provider",
        segment.basis.id(),
        crate::term::visible(first.provider.trim()),
        rows.len(),
        chips.len()
    ))
}

/// The market: fitted on `--market-file` or the shipped panel.
pub fn market(args: &DepreciateArgs) -> Result<Market, FlError> {
    market_of(args.market_file.as_deref())
}

/// The market fitted on the rent file at `path` (a warning where its rents sit far from the
/// shipped panel's fit: node prices), or on the shipped panel.
pub fn market_of(path: Option<&std::path::Path>) -> Result<Market, FlError> {
    let panel = match path {
        Some(path) => {
            let panel = data::read(path)?;
            let reference = data::shipped().and_then(|s| crate::economics::market::fit::fit(&s));
            if let Some(w) = reference
                .ok()
                .and_then(|r| crate::economics::market::score::level_warning(&r, &panel))
            {
                crate::term::warning(&w);
            }
            panel
        }
        None => data::shipped()?,
    };
    Market::from_panel(panel)
}

fn purchase_date(args: &DepreciateArgs, chip: &Chip) -> Result<NaiveDate, FlError> {
    match &args.purchase_date {
        None => Ok(chip.release),
        Some(text) => parse_purchase_date(text),
    }
}

/// `--purchase-date` as a date.
pub fn parse_purchase_date(text: &str) -> Result<NaiveDate, FlError> {
    crate::units::calendar_day(text).ok_or_else(|| {
        FlError::usage(format!(
            "--purchase-date {text:?} is not a date; write it as YYYY-MM-DD"
        ))
    })
}

/// How far before its catalog release a chip can be bought (orders ahead of volume shipments).
const BOUGHT_BEFORE_RELEASE_MAX_DAYS: i64 = 365;
/// How far before the market data's first price a purchase can be valued: earlier, the rent at
/// purchase and in the first years would be the later market's prices run backwards into years
/// with no rental market in the data.
const BOUGHT_BEFORE_DATA_MAX_YEARS: f64 = 2.0;
/// How far past the market data's last price a purchase can be valued: beyond that the rent at
/// purchase would itself be a long extrapolation of the frontier, not a market price.
const BOUGHT_AFTER_DATA_MAX_YEARS: f64 = 5.0;

/// The purchase dates the market model can value `chip` at: from a year before its catalog
/// release, and no more than two years before the panel's first price, to five years past the
/// panel's last price.
pub fn purchase_window(market: &Market, chip: &Chip) -> (NaiveDate, NaiveDate) {
    let (floor, latest) = data_window(market);
    (earliest_for_release(chip).max(floor), latest)
}

/// The purchases the market data can speak for, whatever the chip: from
/// [`BOUGHT_BEFORE_DATA_MAX_YEARS`] before its first price to [`BOUGHT_AFTER_DATA_MAX_YEARS`]
/// after its last (a chip defined in a capex file, which has no catalog release, is held to
/// this alone).
pub fn data_window(market: &Market) -> (NaiveDate, NaiveDate) {
    (
        data_floor(market),
        data::date_of(market.fit.data_until_year + BOUGHT_AFTER_DATA_MAX_YEARS),
    )
}

/// The earliest purchase of `chip` its release allows (orders ahead of shipments).
pub(crate) fn earliest_for_release(chip: &Chip) -> NaiveDate {
    chip.release - chrono::Duration::days(BOUGHT_BEFORE_RELEASE_MAX_DAYS)
}

/// The earliest purchase the market data can speak for, whatever the chip.
fn data_floor(market: &Market) -> NaiveDate {
    data::date_of(market.fit.data_from_year - BOUGHT_BEFORE_DATA_MAX_YEARS)
}

/// Why `bought` lies outside [`purchase_window`], if it does (a clause to which the caller
/// adds how to fix it).
pub fn outside_window(market: &Market, chip: &Chip, bought: NaiveDate) -> Option<String> {
    if bought < earliest_for_release(chip) {
        Some(format!(
            "{bought} is more than a year before {}'s catalog release ({})",
            chip.name, chip.release
        ))
    } else {
        outside_data_window(market, bought)
    }
}

/// Why `bought` lies outside [`data_window`], if it does.
pub fn outside_data_window(market: &Market, bought: NaiveDate) -> Option<String> {
    let (floor, latest) = data_window(market);
    if bought < floor {
        Some(format!(
            "{bought} is more than {BOUGHT_BEFORE_DATA_MAX_YEARS} years before the market \
             data's first price ({}): the rents of its first years would be a later market's \
             run backwards",
            data::date_of(market.fit.data_from_year)
        ))
    } else if bought > latest {
        Some(format!(
            "{bought} is more than {BOUGHT_AFTER_DATA_MAX_YEARS} years after the market data's \
             last price ({}): the rent at purchase would be a guess",
            data::date_of(market.fit.data_until_year)
        ))
    } else {
        None
    }
}

/// What to tell a user whose `bought` lies outside [`purchase_window`]: why, and the dates that
/// work; with `depreciate_fixes`, also `depreciate`'s other ways out (a `--market-file` with
/// later or earlier prices, `--launch-trend`), which other commands lack.
pub fn window_refusal(
    market: &Market,
    chip: &Chip,
    bought: NaiveDate,
    depreciate_fixes: bool,
) -> Option<String> {
    let why = outside_window(market, chip, bought)?;
    let (earliest, mut latest) = purchase_window(market, chip);
    if !depreciate_fixes {
        // A fleet's GPUs were bought already: a later date would be refused as after today
        // (a helper's sweep: "from 2021-09-15 to 2031-11-09", then 2027-06-01 refused).
        latest = latest.min(chrono::Utc::now().date_naive());
    }
    let more = if !depreciate_fixes {
        ""
    } else if bought > latest {
        ", or a --market-file with later prices"
    } else if bought >= earliest_for_release(chip) {
        // Outside the window, after the release allows: before the data's first price.
        ", a --market-file with earlier prices, or --launch-trend for the launch-price \
         trend reference (which needs no rents)"
    } else {
        ""
    };
    Some(format!(
        "purchase date {why}; pass a --purchase-date from {earliest} to {latest}{more}"
    ))
}

/// Refuses purchase dates the market model cannot speak for: long before the chip existed, or
/// years past the last observed price.
fn check_purchase_window(market: &Market, chip: &Chip, bought: NaiveDate) -> Result<(), FlError> {
    window_refusal(market, chip, bought, true).map_or(Ok(()), |m| Err(FlError::usage(m)))
}

/// The owner's segment when no flag sets it: a neocloud selling one-year contracts.
pub const DEFAULT_SEGMENT: Segment = Segment {
    class: ProviderClass::Neocloud,
    basis: Basis::Reserved1y,
};

/// One catalog chip as the market model takes it: bought at `bought` for its resolved price
/// (× overhead), drawing `watts` (default: catalog TDP), under the owner's terms.
pub struct Priced {
    pub case: ChipCase,
    pub terms: Terms,
    pub pricing: ResolvedPricing,
    /// Where the price comes from, and what the model extrapolates.
    pub notes: Vec<String>,
    /// Why the value likely errs, and which way, where the chip lies outside what the panel
    /// rents (its compute for its bandwidth, its class), for the verdict to say too: "its
    /// compute for its bandwidth lies outside every rented chip's (see the notes), so its
    /// economic value is likely too high".
    pub caveat: Option<String>,
}

/// What [`lacks`] says of a chip with no price.
pub const NO_PRICE: &str = "no launch price";
/// What [`lacks`] says of a chip with no power figure.
pub const NO_TDP: &str = "no TDP";

/// What the market model lacks to value `chip` with these inputs (empty: nothing): a price
/// (flag, price-file entry or catalog launch price), a power (`--watts` or the catalog TDP), and
/// the bandwidth, memory and peak that price its rent.
pub fn lacks(
    chip: &'static Chip,
    args: &DepreciateArgs,
    inputs: &PricingInputs,
) -> Vec<&'static str> {
    let per_chip = PricingInputs {
        chip: Some(chip.name.clone()),
        ..inputs.clone()
    };
    let priced = pricing::resolve(&per_chip, Some(chip)).is_ok_and(|r| r.price_usd.is_some());
    [
        (!priced, NO_PRICE),
        (args.watts.or(chip.tdp_w).is_none(), NO_TDP),
        (
            Attributes::of(chip).is_none(),
            "no bandwidth, memory or peak in the catalog",
        ),
    ]
    .into_iter()
    .filter_map(|(missing, what)| missing.then_some(what))
    .collect()
}

/// Resolves one catalog chip's price, power and terms for the market model.
pub fn price_chip(
    market: &Market,
    chip: &'static Chip,
    watts: Option<f64>,
    bought: NaiveDate,
    inputs: &PricingInputs,
    segment: Segment,
    own: Option<&OwnRents>,
) -> anyhow::Result<Priced> {
    let per_chip = PricingInputs {
        chip: Some(chip.name.clone()),
        ..inputs.clone()
    };
    let mut resolved = pricing::resolve(&per_chip, Some(chip))?;
    // A price the user gives is what this purchase paid: it holds on the purchase date.
    if let Some(p) = resolved
        .price_usd
        .as_mut()
        .filter(|p| p.origin == Origin::Flag)
    {
        p.as_of = bought.to_string();
    }
    let watts = match watts.or(chip.tdp_w) {
        Some(w) if w.is_finite() && w > 0.0 => w,
        Some(w) => {
            return Err(FlError::usage(format!(
                "--watts {w} is invalid: a working accelerator draws power; pass its board \
                 power in W (> 0)"
            ))
            .into())
        }
        None => {
            return Err(FlError::usage(format!(
                "{} has no TDP in the catalog; pass --watts",
                chip.name
            ))
            .into())
        }
    };
    let attrs = Attributes::of(chip).ok_or_else(|| {
        FlError::usage(format!(
            "{} lacks bandwidth, memory or a peak throughput in the catalog, which the market \
             model prices; value it with --launch-trend or pick another chip",
            chip.name
        ))
    })?;
    let terms = Terms {
        costs: RunningCosts::from_pricing(&resolved),
        discount_rate: resolved.discount_rate.value,
        segment,
    };
    // A chip ordered before its release is valued from the release, when it can work and
    // depreciation starts (US GAAP ASC 360, IAS 16: when the asset is available for use), its
    // capex carried to then at the discount rate. Valued from the order date, the order's
    // months ran the book schedule and counted as worked hours: a B200 ordered a year early
    // lived 13.6 years against 12.6 and cost $2.56 a worked hour over 5 years against $2.76,
    // and the H100's verdict flipped with the order date (a helper's sweep, 7 December 2026).
    let start = bought.max(chip.release);
    let wait_years = year_of(start) - year_of(bought);
    let mut case = ChipCase {
        name: chip.name.clone(),
        attrs,
        watts,
        capex_usd: 0.0,
        purchase_year: year_of(start),
    };
    let Some(price) = resolved.price_usd.as_ref() else {
        check_purchase_window(market, chip, bought)?;
        // The market price does not depend on what the owner paid, so it can be offered.
        let new = price_new(market, own, &case, &terms);
        let rents = if own.is_some() {
            "the rents of --rents"
        } else {
            "its rents"
        };
        let market_says = if new > 0.0 {
            format!(
                "the market model prices it new on {bought} at {} with its server share, {} \
                 for the card at the overhead of {}: what {rents} net a buyer",
                crate::economics::depreciation::render::usd(new),
                crate::economics::depreciation::render::usd(new / resolved.overhead.value),
                resolved.overhead.value
            )
        } else {
            format!(
                "the market model gives it no value new on {bought}: its rents would not cover \
                 the running costs a buyer cannot avoid"
            )
        };
        return Err(FlError::usage(format!(
            "{} has no launch price in the catalog; give it one in a --price-file entry with \
             chip = \"{}\", or value it alone (--chips \"{}\") with --price-usd \
             ({market_says})",
            chip.name, chip.name, chip.name
        ))
        .into());
    };
    let carried = (1.0 + terms.discount_rate).powf(wait_years);
    case.capex_usd = price.value * resolved.overhead.value * carried;
    let mut notes = vec![format!(
        "price {} ({}, as of {}) × overhead {} ({})",
        crate::economics::depreciation::render::usd(price.value),
        price.source,
        price.as_of,
        resolved.overhead.value,
        resolved.overhead.source
    )];
    check_purchase_window(market, chip, bought)?;
    if let Some(years) = price.stale_launch_price_years(chip, bought) {
        notes.push(stale_launch_price(
            price_new(market, own, &case, &terms),
            resolved.overhead.value,
            chip.release,
            bought,
            years,
        ));
    }
    if let Some(years) = price.price_file_years_from(bought) {
        notes.push(price_file_date_far(price, bought, years));
    }
    if start > bought {
        notes.push(format!(
            "ordered {bought}, {:.1} months before its release on {start}: valued from the \
             release, when it can work and its depreciation starts (US GAAP ASC 360, IAS 16: \
             when the asset is available for use); the capex carried to then at the discount \
             rate, ×{carried:.3}",
            wait_years * 12.0
        ));
    }
    let mut caveats = Vec::new();
    if own.is_none() && year_of(bought) < market.fit.data_from_year {
        let first = data::date_of(market.fit.data_from_year);
        notes.push(format!(
            "bought {:.1} years before the first observed price ({first}): its first years' \
             rents are the later market's run backwards, an extrapolation",
            market.fit.data_from_year - year_of(bought)
        ));
        caveats.push(format!(
            "its first years' rents are extrapolated back before the first observed price \
             ({first})"
        ));
    }
    if year_of(bought) > market.fit.data_until_year {
        notes.push(format!(
            "bought after the last observed price ({}): rents from then on are projected",
            data::date_of(market.fit.data_until_year)
        ));
    }
    notes.extend(unpriced_segment(market, segment));
    notes.extend(thin_basis(market, segment));
    if chip.cloud_gpus > 1 {
        notes.push(format!(
            "rents per device: a cloud rents the {} as {} GPUs, so every rent here is {} × a \
             cloud GPU's, the unit of its price, peaks, memory and TDP",
            chip.name, chip.cloud_gpus, chip.cloud_gpus
        ));
    }
    if own.is_none() {
        use crate::economics::market::support;
        let rented = crate::economics::market::fit::distinct_chips(&market.panel);
        if let Some((note, caveat)) = support::class_note(&rented, chip, market.fit.priced_consumer)
        {
            notes.push(note);
            caveats.extend(caveat.map(String::from));
        }
        if let Some(factor) = market.fit.consumer_factor(chip) {
            notes.push(support::consumer_note(
                &market.panel.rows,
                factor,
                terms.costs.charges_data_centre(),
            ));
        }
        let balance = support::ComputeBalance::of(&rented, chip);
        notes.extend(balance.as_ref().and_then(|b| b.note()));
        caveats.extend(balance.and_then(|b| b.effect()).map(|e| {
            format!(
                "its compute for its bandwidth lies outside every rented chip's (see the notes), \
                 so its economic value is {e}"
            )
        }));
        notes.extend(support::bandwidth_for_memory_note(&rented, chip));
    }
    Ok(Priced {
        case,
        terms,
        pricing: resolved,
        notes,
        caveat: (!caveats.is_empty()).then(|| caveats.join("; and ")),
    })
}

/// A note when the catalog's launch price is taken for a purchase more than
/// [`pricing::STALE_LAUNCH_PRICE_YEARS`] after the chip's release: it names the market model's
/// price of the chip on the purchase date (`new`, with its server share, as the capex is) and
/// the card's price it stands for at `overhead`, which `--price-usd` takes: the market price
/// given alone, passed as the price paid, counted the overhead twice (a helper's sweep: an H100
/// bought at its $25,036 market price showed a 29 % loss on the day of purchase).
fn stale_launch_price(
    new: f64,
    overhead: f64,
    release: NaiveDate,
    bought: NaiveDate,
    years: f64,
) -> String {
    let usd = crate::economics::depreciation::render::usd;
    let market_says = if new > 0.0 {
        format!(
            "the market model prices the chip at {} on {bought} with its server share, {} for \
             the card at the overhead of {overhead}; pass --price-usd (or a price-file entry) \
             with the card's price paid",
            usd(new),
            usd(new / overhead)
        )
    } else {
        format!(
            "the market model gives the chip no value on {bought}; pass --price-usd (or a \
             price-file entry) with the price paid"
        )
    };
    format!(
        "the launch price dates from {}, {years:.1} years before this purchase, and is taken as \
         what was paid: {market_says}",
        release.format("%Y-%m")
    )
}

/// A note when a price file's price is dated `years` (more than
/// [`pricing::STALE_LAUNCH_PRICE_YEARS`]) after or before the purchase it is taken for: a
/// broker's quote of today's price for a chip bought at its release.
fn price_file_date_far(price: &pricing::Resolved, bought: NaiveDate, years: f64) -> String {
    let (side, fix) = if years > 0.0 {
        (
            "after",
            // `--purchase-date` takes a whole date; the price file may date its price by year
            // or month (a helper's sweep: "pass --purchase-date 2025", then refused).
            format!(
                "to value a chip bought at that price, pass --purchase-date {}",
                pricing::file::as_of_date(&price.as_of)
                    .map_or_else(|| price.as_of.clone(), |d| d.to_string())
            ),
        )
    } else {
        ("before", "give the price paid at the purchase".to_string())
    };
    format!(
        "the price file's price is dated {}, {:.1} years {side} this purchase ({bought}), and \
         is taken as what was paid: {fix}",
        price.as_of,
        years.abs()
    )
}

/// Values one catalog chip drawing `--watts`, else `measured_watts` (a run report's, with what
/// it is in a few words), else its TDP; on its own rent series `own` (`--rents`) when given, else on the market's rent.
pub fn value_chip(
    market: &Market,
    chip: &'static Chip,
    args: &DepreciateArgs,
    inputs: &PricingInputs,
    segment: Segment,
    measured_watts: Option<(f64, &str)>,
    own: Option<&OwnRents>,
) -> anyhow::Result<Valued> {
    let bought = purchase_date(args, chip)?;
    let (watts, watts_source) = match (args.watts, measured_watts) {
        (Some(w), _) => (Some(w), "--watts".to_string()),
        (None, Some((w, what))) => (Some(w), what.to_string()),
        (None, None) => (None, "catalog TDP".to_string()),
    };
    let mut p = price_chip(market, chip, watts, bought, inputs, segment, own)?;
    let alternative = p
        .pricing
        .cloud_usd_per_hour
        .as_ref()
        .map(|r| RentAlternative {
            usd_per_hour: r.value,
            source: r.source.clone(),
        });
    if let Some(given) = &alternative {
        p.notes
            .extend(crate::economics::market::procurement::given_rent_note(
                &p.case.name,
                given.usd_per_hour,
                crate::economics::market::assess::on_demand_rent(&market.fit, &p.case),
                &format!("the fit's at purchase, {bought}"),
            ));
    }
    if let Some(own) = own {
        p.notes
            .extend(check_own_level(market, own, &p.case, &p.terms)?);
        p.notes.extend(own.notes(p.case.purchase_year));
    }
    let mut assessment = assess_on(
        market,
        own,
        &p.case,
        &p.terms,
        p.pricing.life_years.value,
        alternative,
    );
    assessment.ordered_date = (bought < chip.release).then_some(bought);
    // The verdict rests on the economic value: where that is an extrapolation the note names,
    // the verdict says so too (a helper's sweep: the H20 "understates by 82 %" under a note
    // that its value is likely too high).
    if let Some(caveat) = &p.caveat {
        assessment.verdict += &format!("; but {caveat}, and the verdict with it");
    }
    p.notes
        .extend(cheap_capex(&p.case, assessment.point.value0_usd, {
            let catalog = p.pricing.price_usd.as_ref().map(|r| r.origin);
            catalog != Some(pricing::Origin::Catalog)
        }));
    if own.is_none() {
        p.notes.extend(list_premium_note(
            market,
            &p.case,
            p.terms.segment,
            assessment.point.rent0_usd_per_hour,
        ));
        p.notes.extend(vendor_note(&assessment));
    }
    // An owner who keeps the chip longer than the market would (its rent above the market's
    // for good: a hyperscaler's list premium, or a dearer basis) is said to, with what the life
    // rests on (a helper's sweep: a B200 on hyperscaler on-demand lists at 27.6 years, past its
    // 21.2-year service life on the market, without a word).
    let point = &assessment.point;
    if own.is_none() && !point.life_capped && point.life_years > point.service_life_years + 0.5 {
        p.notes.push(format!(
            "this owner's economic life, {:.1} years, runs past the chip's service life on the \
             market, {:.1}: it rests on this owner's rent ({} {}) staying above the market's \
             for the chip's whole life; read it as an upper bound",
            point.life_years,
            point.service_life_years,
            p.terms.segment.class.id(),
            p.terms.segment.basis.id()
        ));
    }
    if assessment.point.life_capped && own.is_none() {
        let fit = &market.fit;
        p.notes.push(format!(
            "the economic life of the {} reaches the {:.0}-year cap: in the owner's segment \
             ({} {}) this panel's rent of a fixed chip falls {} a year in the long run, too \
             slowly for the running costs to catch it; hardware seldom runs that long, so \
             read it as longer than the model can tell and judge the chip by its value by age",
            p.case.name,
            crate::economics::market::value::LIFE_CAP_YEARS,
            p.terms.segment.class.id(),
            p.terms.segment.basis.id(),
            crate::units::pct_with(
                fit.owner_long_run_decline(&fit.beta, p.terms.segment.class),
                1
            )
        ));
    }
    Ok(Valued {
        tokens: super::tokens::lives(chip, &assessment)?,
        assessment,
        watts_source,
        notes: p.notes,
        pricing: p.pricing,
    })
}

/// A chip whose vendor the panel does not price apart rents at the mean effect of the vendors
/// it does, or as an NVIDIA chip of its attributes where it prices none: a note, so that the
/// JSON's notes carry it as the text does (a helper's sweep of 7 December 2026: fitted on the
/// prices to mid-2024, an MI300X rented above an H200, which the JSON said only by
/// `vendor_effect.fixed_at_zero`).
fn vendor_note(assessment: &crate::economics::market::Assessment) -> Option<String> {
    use crate::economics::market::fit::{MIN_VENDOR_CHIPS, MIN_VENDOR_PRICES};
    let e = assessment.vendor_effect.as_ref()?;
    if !e.fixed_at_zero {
        return None;
    }
    let why = if crate::economics::market::features::VENDORS.contains(&e.vendor) {
        format!(
            "the panel does not price it apart (that takes {MIN_VENDOR_PRICES} rents of \
             {MIN_VENDOR_CHIPS} of its chips or more)"
        )
    } else {
        // The vendors the fit can estimate an effect of, whether or not this panel prices them
        // (a helper's sweep read "the fit prices AMD, Google, Intel apart" beside a note that
        // it does not price Intel).
        format!(
            "the fit estimates a vendor's own effect only for {}",
            crate::economics::market::features::VENDORS.join(", ")
        )
    };
    Some(if e.pooled_from.is_empty() {
        format!(
            "vendor {}: {why}, and no vendor but NVIDIA has rents enough, so it is priced as an \
             NVIDIA chip of the same attributes",
            e.vendor
        )
    } else {
        format!(
            "vendor {}: {why}, so it rents at the mean effect of the vendors the panel prices apart \
             ({}): {:.2} × an NVIDIA chip of the same attributes",
            e.vendor,
            e.pooled_from.join(", "),
            e.rent_factor
        )
    })
}

/// For a hyperscaler owner, what its list earns: its premium over the neocloud rent at
/// purchase, held ([`crate::economics::market::fit::MarketFit::owner_rent`]), and where the
/// list the fit gives on the purchase date lies above the `rent0` this owner is valued on (an
/// old chip bought late), both: a helper's sweep read a V100 bought in 2024 at $1.43 an hour
/// against the $2.95 list its owner charged, with nothing to say that the list was known.
fn list_premium_note(
    market: &Market,
    case: &ChipCase,
    segment: Segment,
    rent0: f64,
) -> Option<String> {
    let fit = &market.fit;
    if segment.class != ProviderClass::Hyperscaler || !fit.neocloud_priced {
        return None;
    }
    let premium = fit.list_premium(&fit.beta, &case.attrs, segment.basis, case.purchase_year);
    let decline = |class| crate::units::pct_with(fit.long_run_decline(&fit.beta, class), 1);
    let list0 = fit.rent_with(&fit.beta, &case.attrs, segment, case.purchase_year);
    let below_list = if list0 > rent0 * 1.005 {
        format!(
            "; at purchase the fitted list is ${list0:.2}/GPU-h and this owner is valued on \
             ${rent0:.2}, that premium over the neocloud rent then: a list above it sells fewer \
             hours, not dearer ones"
        )
    } else {
        String::new()
    };
    Some(format!(
        "a hyperscaler's list earns at most the premium it had when the chip was new, \
         {premium:.1} × the neocloud rent of the {} ({} basis): lists of old chips stay put \
         while their hours go to newer ones, so this owner's rent falls with the neocloud rent \
         where the list falls more slowly (in the long run {} a year against {} for the \
         lists); the premium is this owner's, not the chip's: a buyer of the used chip earns \
         the neocloud rent, so its market price (sale, residual, service life) is the \
         neocloud's{below_list}",
        case.name,
        segment.basis.id(),
        decline(ProviderClass::Neocloud),
        decline(ProviderClass::Hyperscaler),
    ))
}

use crate::economics::pricing::{CHEAP_CAPEX_SHARE, DEAR_CAPEX_FACTOR};

/// Above this multiple of its catalog capex, a chip's market price new is said to rest on rents
/// that likely stand too high: a panel whose rents climbed 30 % a month priced an H100 new at
/// $161,159 against its $47,040 capex, with only "on the edge of its search grid" beside its
/// premium (a helper's sweep). In the shipped panel the H20 (3.2 ×: priced from bandwidth, with
/// a sixth of an H100's compute) says it; of the rented chips the GB200 stands highest, at
/// about 2 ×.
const RICH_VALUE_FACTOR: f64 = 3.0;

/// A note when the capex (price × overhead) is under [`CHEAP_CAPEX_SHARE`] of what the market
/// model prices the chip at new (`value0_usd`, which includes the server's share, as the capex
/// does), or, for a price the user gave, over [`DEAR_CAPEX_FACTOR`] times it; a chip the market
/// prices at nothing has no yardstick.
/// `typed`: the price came from the user (a flag, a price file, a capex file), who is told how
/// to fix a slip; the catalog's own launch price is no slip of theirs, and the note says
/// instead that the model's rent of this chip is what stands far from its price: above it
/// from [`RICH_VALUE_FACTOR`] on (a chip the model prices far under its launch price is what
/// its verdict is about).
pub fn cheap_capex(case: &ChipCase, value0_usd: f64, typed: bool) -> Option<String> {
    if value0_usd <= 0.0 {
        return None;
    }
    let fix = if case.capex_usd < CHEAP_CAPEX_SHARE * value0_usd {
        if typed {
            "if its price was given in thousands of dollars, give it in dollars; the value \
             below takes it as paid"
        } else {
            "that is the catalog's launch price, so the model's rent of this chip (its segment, \
             its attributes) is what stands far from its market: read the values as far too \
             high, and value it in the segment it is rented in (--rent-class, --rent-basis) or \
             on its own rents (--rents)"
        }
    } else if !typed && case.capex_usd < value0_usd / RICH_VALUE_FACTOR {
        "renting it out would repay that price several times over, which a market in balance \
         does not offer for long, so the rent the model priced it on likely stands too high (a \
         panel's level or a scarcity premium carried forward, or attributes unlike the rented \
         chips': see the notes): read its values as likely too high, or value it on its own \
         rents (--rents)"
    } else if typed && case.capex_usd > DEAR_CAPEX_FACTOR * value0_usd {
        "if its price is a node's or a server's (several chips), or has zeros too many, give \
         one chip's price in dollars; the value below takes it as paid"
    } else {
        return None;
    };
    Some(format!(
        "the capex of the {}, {}, is {} what the market model prices it at new ({}): {fix}",
        case.name,
        crate::units::usd(case.capex_usd),
        crate::economics::pricing::share_of(case.capex_usd, value0_usd),
        crate::units::usd(value0_usd)
    ))
}

/// How far a `--rents` series may sit from the market model's rent of the chip at its own
/// dates: a hyperscaler's list price runs up to ≈ 4× a neocloud's for one GPU, while a node's
/// price typed as one GPU's is 8× (one such series valued an H100 at $1.6 M at 3 years and
/// printed a negative cost of owning it).
const OWN_RENT_MAX_RATIO: f64 = 10.0;

/// How far above the market's rent a `--rents` series is valued with a note that says so: a
/// node's price of 4 or 8 GPUs lands between this and [`OWN_RENT_MAX_RATIO`], and so may a
/// scarce chip's list price, so it is said, not refused.
const OWN_RENT_NOTE_RATIO: f64 = 3.0;

/// Refuses a rent series whose level, at its first or last date, is more than
/// [`OWN_RENT_MAX_RATIO`] times above or below the market's rent of the chip then (another
/// unit: a node's price, cents for dollars, another chip's rents); one more than
/// [`OWN_RENT_NOTE_RATIO`] times above it is valued with a note.
fn check_own_level(
    market: &Market,
    own: &OwnRents,
    case: &ChipCase,
    terms: &Terms,
) -> Result<Option<String>, FlError> {
    let mut note = None;
    let m = |year: f64| {
        market
            .fit
            .rent_with(&market.fit.beta, &case.attrs, terms.segment, year)
    };
    for date in [own.first, own.last] {
        let year = year_of(date);
        let (theirs, model) = (own.rent_at(&own.fit, &m, year), m(year));
        let ratio = theirs / model;
        if !(1.0 / OWN_RENT_MAX_RATIO..=OWN_RENT_MAX_RATIO).contains(&ratio) {
            let times = if ratio > 1.0 {
                format!("{ratio:.1}× above")
            } else {
                format!("{:.1}× below", 1.0 / ratio)
            };
            return Err(FlError::input(
                &own.source,
                format!(
                    "its rent on {date} fits ${theirs:.2} per hour, {times} the market model's \
                     rent of the {} then (${model:.2}); give one GPU-hour of this chip (divide a \
                     node's price by its GPUs), or value the chip these rents are of",
                    case.name
                ),
            ));
        }
        if ratio > OWN_RENT_NOTE_RATIO && note.is_none() {
            note = Some(format!(
                "the rents of {} fit ${theirs:.2} per hour on {date}, {ratio:.1}× the market \
                 model's rent of the {} then (${model:.2}, {} {}): if they are a node's prices, \
                 divide them by its GPUs; the value below takes them as one GPU's",
                own.source,
                case.name,
                terms.segment.class.id(),
                terms.segment.basis.id()
            ));
        }
    }
    Ok(note)
}

/// The chips' catalog names, comma-separated (for notes and errors).
pub fn joined_names(chips: &[&Chip]) -> String {
    chips
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
