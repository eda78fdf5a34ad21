//! `flopledger scenario` under the market model (the default): each tranche of the capex
//! schedule valued from its purchase year against one market price of compute, with a band.

use crate::cli::{OutputFormat, ScenarioArgs};
use crate::commands::depreciate::market::{check_segment, thin_basis, unpriced_segment};
use crate::config::PricingInputs;
use crate::economics::catalog::{self, Chip};
use crate::economics::market::costs::RunningCosts;
use crate::economics::market::data::ProviderClass;
use crate::economics::market::features::Attributes;
use crate::economics::market::fit::Segment;
use crate::economics::market::portfolio::{portfolio, PortfolioRow};
use crate::economics::market::value::{ChipCase, Terms};
use crate::economics::pricing;
use crate::economics::scenario::CapexPlan;
use crate::error::FlError;
use crate::units::usd;
use serde::Serialize;

pub fn run(args: &ScenarioArgs, inputs: &PricingInputs) -> anyhow::Result<i32> {
    for (given, flag) in [
        (args.precision.is_some(), "--precision"),
        (args.growth.is_some(), "--growth"),
    ] {
        if given {
            return Err(FlError::usage(format!(
                "{flag} applies to the launch-price trend reference; add --launch-trend, or drop \
                 {flag} for the market model"
            ))
            .into());
        }
    }
    let (plan, source) = super::load_plan(args)?;
    let market = crate::commands::depreciate::market::market_of(args.market_file.as_deref())?;
    let general = pricing::resolve(inputs, None)?;
    // The economic value is the market price: on the neocloud rent of the basis whoever owns
    // the chips (`MarketFit::resale_rent`), or on the only class a rent file holds.
    let segment = Segment {
        class: if market.fit.neocloud_priced {
            ProviderClass::Neocloud
        } else {
            ProviderClass::Hyperscaler
        },
        basis: market
            .fit
            .market_basis
            .unwrap_or(super::super::depreciate::market::DEFAULT_SEGMENT.basis),
    };
    check_segment(&market, segment)?;
    let terms = Terms {
        costs: RunningCosts::from_pricing(&general),
        discount_rate: general.discount_rate.value,
        segment,
    };
    let book_life = general.life_years.value;
    let case = |name: &str, year: f64| -> Result<ChipCase, FlError> {
        if let Some(spec) = plan.chips.get(name) {
            let attrs = match (spec.bandwidth_gbs, spec.memory_gb) {
                (Some(bw), Some(mem)) => Attributes::from_values(spec.flop_per_s / 1e12, bw, mem)
                    .map(|a| Attributes {
                        consumer: spec.consumer,
                        ..a
                    }),
                _ => None,
            }
            .ok_or_else(|| {
                FlError::usage(format!(
                    "chip {name} of the capex file needs bandwidth_gbs and memory_gb (> 0) for \
                     the market model; add them, or pass --launch-trend"
                ))
            })?;
            // A chip of the file has no catalog release, but the market data speak only for
            // their own dates (a helper's sweep: one bought in 1975 was worth 5 × its capex,
            // one bought in 2090 nothing, both without a word).
            let bought = crate::economics::market::data::date_of(year);
            if let Some(why) =
                super::super::depreciate::market::outside_data_window(&market, bought)
            {
                let (earliest, latest) = super::super::depreciate::market::data_window(&market);
                return Err(FlError::usage(format!(
                    "the capex plan buys {name}: {why}; the market model values purchases from \
                     {earliest} to {latest}: change that year's mix, or pass --launch-trend"
                )));
            }
            return Ok(ChipCase {
                name: name.to_string(),
                attrs,
                watts: spec.watts,
                capex_usd: spec.price_usd * general.overhead.value,
                purchase_year: year,
            });
        }
        let chip = catalog::find(name)?;
        let bought = crate::economics::market::data::date_of(year);
        if let Some(why) = super::super::depreciate::market::outside_window(&market, chip, bought) {
            let (earliest, latest) =
                super::super::depreciate::market::purchase_window(&market, chip);
            // (A purchase before the chip's release was refused as the plan was read.)
            return Err(FlError::usage(format!(
                "the capex plan buys {}: {why}; the market model values it from {earliest} to \
                 {latest}: change that year's mix, or pass --launch-trend",
                chip.name
            )));
        }
        let resolved = pricing::resolve(inputs, Some(chip))?;
        let price = resolved
            .price_usd
            .as_ref()
            .ok_or_else(|| super::no_launch_price(chip))?;
        let attrs = Attributes::of(chip).ok_or_else(|| {
            FlError::usage(format!(
                "{} lacks bandwidth, memory or a peak in the catalog; define it under [chips]",
                chip.name
            ))
        })?;
        let watts = chip.tdp_w.ok_or_else(|| {
            FlError::usage(format!(
                "{} has no TDP in the catalog; define it under [chips]",
                chip.name
            ))
        })?;
        Ok(ChipCase {
            name: chip.name.clone(),
            attrs,
            watts,
            capex_usd: price.value * resolved.overhead.value,
            purchase_year: year,
        })
    };
    let rows = portfolio(&plan, &market, &terms, book_life, &case)?;
    let mut notes: Vec<String> = stale_launch_prices(&plan, inputs).into_iter().collect();
    notes.extend(bought_before_release(&plan));
    notes.extend(chip_running_costs(inputs)?);
    notes.extend(super::unused_price_entries(&plan, inputs, true)?);
    notes.extend(unpriced_segment(&market, segment));
    notes.extend(thin_basis(&market, segment));
    // A chip priced far from what the market prices it at new (a price typed in thousands, a
    // node's price as one chip's), at the first year that buys it, as `depreciate` says: the
    // file's chips and the catalog chips a price file prices, and, at their catalog price, the
    // ones the market prices far above it (a price-file price of a catalog chip had gone
    // without a word, a helper's sweep).
    let mut named: Vec<&String> = Vec::new();
    for y in &plan.years {
        for name in plan.mix_of(y).keys() {
            if !named.contains(&name) {
                named.push(name);
            }
        }
    }
    for name in named {
        let first = plan
            .years
            .iter()
            .find(|y| plan.mix_of(y).contains_key(name));
        if let Some(y) = first {
            let typed = plan.chips.contains_key(name)
                || catalog::find(name)
                    .ok()
                    .and_then(|chip| pricing::resolve(inputs, Some(chip)).ok())
                    .and_then(|r| r.price_usd)
                    .is_some_and(|p| p.origin != pricing::Origin::Catalog);
            let c = case(name, f64::from(y.year) + 0.5)?;
            let new = crate::economics::market::assess::price_new(&market, None, &c, &terms);
            notes.extend(super::super::depreciate::market::cheap_capex(
                &c, new, typed,
            ));
        }
    }
    // A catalog consumer card of the mix, as `depreciate` says of it: priced apart, or priced
    // as a data-centre chip (a helper's sweep: a mix of RTX 4090s valued at $0 without a word).
    notes.extend(consumer_cards(&plan, &market, &terms));
    // Why a file chip with a catalog chip's figures is valued apart from it (a helper's sweep:
    // one with the H100 SXM's was worth 22 % less, without a word).
    if plan
        .chips
        .keys()
        .any(|name| plan.years.iter().any(|y| plan.mix_of(y).contains_key(name)))
    {
        notes.push(
            "the chips defined in the file rent at the market's price of their attributes \
             alone; a catalog chip the market data rent also keeps its own rent level, so a \
             file chip with its figures is valued apart from it: name the catalog chip in the \
             mix to value it with its level"
                .to_string(),
        );
    }
    if args.output() == OutputFormat::Csv {
        // A CSV holds figures only: the notes (a price typed in thousands, a stale launch price)
        // go to stderr, so a script still hears them.
        for n in &notes {
            crate::term::note(n);
        }
        super::super::tabular::print_csv(&csv_rows(&rows, book_life))?;
        return Ok(0);
    }
    if args.output() == OutputFormat::Json {
        #[derive(Serialize)]
        struct Out<'a> {
            plan: &'a CapexPlan,
            source: &'a str,
            /// The rent panel the market was fitted on.
            market_file: &'a str,
            book_life_years: f64,
            segment: Segment,
            assumptions: Vec<crate::economics::types::Assumption>,
            rows: &'a [PortfolioRow],
            notes: &'a [String],
            credit: String,
        }
        let out = Out {
            plan: &plan,
            source: &source,
            market_file: &market.fit.panel_name,
            book_life_years: book_life,
            segment: terms.segment,
            assumptions: general.assumptions(),
            rows: &rows,
            notes: &notes,
            credit: catalog::EPOCH_CREDIT.to_string(),
        };
        crate::outln!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(0);
    }
    crate::wrapln!(
        "Capex scenario: {} ({source})\nmarket model: rents from the fit of {}, hours sold \
         {} at {} utilisation (the market's: what a buyer pays); book: straight-line {} \
         years (--life-years); economic band 5–95 % over {} bootstrap refits",
        plan.name.as_deref().unwrap_or("unnamed"),
        market.fit.panel_name,
        segment.basis.sold(),
        crate::units::pct_with(crate::economics::market::value::market_utilization(), 0),
        book_life,
        market.draws.len()
    );
    crate::outln!("{}", table(&rows, book_life));
    crate::wrapln!("{}", exposure_summary(&rows));
    for n in &notes {
        crate::wrapln!("{n}");
    }
    crate::wrapln!(
        "Spend is placed in service mid-year; values at year-end. {}",
        catalog::EPOCH_CREDIT
    );
    Ok(0)
}

/// The catalog chips of the plan bought, mid-year, more than a year after their release at their
/// catalog launch price (no `[chips]` entry, flag or price-file price): a note naming each with
/// its years, since that price is what the plan's spend is divided by.
/// Catalog chips a year buys (mid-year) before their release: they earn and run from the
/// release ([`crate::economics::market::value::ChipCase::wait_years`]), said (a helper's
/// sweep: GB200s of 2024, released 2025-02, placed in service mid-2024 without a word).
fn bought_before_release(plan: &CapexPlan) -> Option<String> {
    let early: Vec<String> = plan
        .years
        .iter()
        .flat_map(|y| plan.mix_of(y).keys().map(move |name| (y.year, name)))
        .filter(|(_, name)| !plan.chips.contains_key(*name))
        .filter_map(|(year, name)| {
            let chip = catalog::find(name).ok()?;
            let mid_year = chrono::NaiveDate::from_ymd_opt(year, 7, 1)?;
            (mid_year < chip.release)
                .then(|| format!("{} in {year} (released {})", chip.name, chip.release))
        })
        .collect();
    (!early.is_empty()).then(|| {
        format!(
            "bought before their release (mid-year): {}; they earn and run from the release",
            early.join(", ")
        )
    })
}

/// The notes `depreciate` gives a consumer card ([`crate::economics::market::support`]), once
/// for each catalog consumer card of the plan's mix (a `[chips]` one says what it is itself).
fn consumer_cards(
    plan: &CapexPlan,
    market: &crate::economics::market::assess::Market,
    terms: &Terms,
) -> Vec<String> {
    use crate::economics::market::support;
    let mut cards: Vec<&'static Chip> = Vec::new();
    for y in &plan.years {
        for name in plan.mix_of(y).keys() {
            if plan.chips.contains_key(name) {
                continue;
            }
            if let Ok(chip) = catalog::find(name) {
                if chip.class == crate::economics::catalog::ChipClass::Consumer
                    && !cards.iter().any(|c| c.name == chip.name)
                {
                    cards.push(chip);
                }
            }
        }
    }
    let rented = crate::economics::market::fit::distinct_chips(&market.panel);
    let data_centre = terms.costs.charges_data_centre();
    cards
        .into_iter()
        .filter_map(|chip| {
            let note = match market.fit.consumer_factor(chip) {
                Some(f) => support::consumer_note(&market.panel.rows, f, data_centre),
                None => support::class_note(&rented, chip, market.fit.priced_consumer)?.0,
            };
            Some(format!("{}: {note}", chip.name))
        })
        .collect()
}

fn stale_launch_prices(plan: &CapexPlan, inputs: &PricingInputs) -> Option<String> {
    // Each catalog chip of the plan resolved once (name matching and the price file are the
    // slow part), then checked for every year that buys it.
    let mut priced: std::collections::BTreeMap<&str, Option<(&Chip, pricing::Resolved)>> =
        Default::default();
    let mut stale: std::collections::BTreeMap<String, (String, Vec<i32>)> = Default::default();
    for y in &plan.years {
        for name in plan.mix_of(y).keys() {
            if plan.chips.contains_key(name) {
                continue;
            }
            let resolved = priced.entry(name.as_str()).or_insert_with(|| {
                let chip = catalog::find(name).ok()?;
                let price = pricing::resolve(inputs, Some(chip)).ok()?.price_usd?;
                Some((chip, price))
            });
            let Some((chip, price)) = resolved else {
                continue;
            };
            let mid_year = chrono::NaiveDate::from_ymd_opt(y.year, 7, 1);
            if mid_year.is_some_and(|on| price.stale_launch_price_years(chip, on).is_some()) {
                stale
                    .entry(chip.name.clone())
                    .or_insert_with(|| (chip.release.format("%Y-%m").to_string(), Vec::new()))
                    .1
                    .push(y.year);
            }
        }
    }
    if stale.is_empty() {
        return None;
    }
    let list: Vec<String> = stale
        .into_iter()
        .map(|(name, (release, years))| {
            let span = match (years.first(), years.last()) {
                (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
                (Some(a), _) => a.to_string(),
                _ => String::new(),
            };
            format!("{name} in {span} (launch price of {release})")
        })
        .collect();
    Some(format!(
        "Bought at catalog launch prices more than a year after release: {}; the spend buys as \
         many units as that price allows. Define the chip at that year's price under [chips] in \
         the capex file, or give a price-file entry.",
        list.join(", ")
    ))
}

fn table(rows: &[PortfolioRow], book_life: f64) -> String {
    let mut t = crate::term::table(vec![
        "year\nend".to_string(),
        "spend".into(),
        "cumulative".into(),
        format!("book\nSL {book_life}y"),
        "economic (5–95 %)".into(),
        // A write-down where the book stands above the economic value; "none" where it stands
        // below (the signed column had read "-$891 B" above "No write-down exposure": a
        // helper's sweep).
        "write-down\nexposure".into(),
        "economic /\nbook".into(),
    ]);
    for r in rows {
        t.add_row(vec![
            r.year.to_string(),
            usd(r.spend_usd),
            usd(r.cumulative_spend_usd),
            usd(r.book_usd),
            format!(
                "{}{}",
                usd(r.economic_usd),
                r.economic_band_usd.map_or(String::new(), |b| format!(
                    " ({}–{})",
                    usd(b.p5),
                    usd(b.p95)
                ))
            ),
            if r.exposure_usd > 0.0 {
                usd(r.exposure_usd)
            } else {
                "none".into()
            },
            // A multiple (×7.42 read 741.6 %), and why there is none past the book life.
            if r.book_usd > 0.0 {
                format!("×{:.2}", r.economic_usd / r.book_usd)
            } else {
                "(book $0)".into()
            },
        ]);
    }
    crate::term::numbers_from(&mut t, 1);
    t.to_string()
}

/// One year-end of the schedule for `--format csv`: plain USD, the band's ends flat.
#[derive(Serialize)]
struct CsvRow {
    year_end: i32,
    spend_usd: f64,
    cumulative_spend_usd: f64,
    book_life_years: f64,
    book_usd: f64,
    economic_usd: f64,
    economic_usd_p5: Option<f64>,
    economic_usd_p95: Option<f64>,
    exposure_usd: f64,
}

fn csv_rows(rows: &[PortfolioRow], book_life: f64) -> Vec<CsvRow> {
    rows.iter()
        .map(|r| CsvRow {
            year_end: r.year,
            spend_usd: r.spend_usd,
            cumulative_spend_usd: r.cumulative_spend_usd,
            book_life_years: book_life,
            book_usd: r.book_usd,
            economic_usd: r.economic_usd,
            economic_usd_p5: r.economic_band_usd.map(|b| b.p5),
            economic_usd_p95: r.economic_band_usd.map(|b| b.p95),
            exposure_usd: r.exposure_usd,
        })
        .collect()
}

/// The largest write-down exposure (book above economic value), or, when economic value stays
/// above book at every year-end, that there is none; with the exposure at the 5 % end of the
/// economic band where the band goes below book.
fn exposure_summary(rows: &[PortfolioRow]) -> String {
    let share = |exposure: f64, book: f64| {
        crate::units::pct_with(if book > 0.0 { exposure / book } else { 0.0 }, 0)
    };
    let Some(peak) = rows
        .iter()
        .max_by(|a, b| a.exposure_usd.total_cmp(&b.exposure_usd))
    else {
        return "No year-end to value.".into();
    };
    let mut out = if peak.exposure_usd > 0.0 {
        format!(
            "Largest write-down exposure: {} at the end of {} ({} of the book value then).",
            usd(peak.exposure_usd),
            peak.year,
            share(peak.exposure_usd, peak.book_usd)
        )
    } else {
        "No write-down exposure at the point estimate: the economic value stays above the \
         book value at every year-end."
            .to_string()
    };
    let low_end = rows
        .iter()
        .filter_map(|r| r.economic_band_usd.map(|b| (r, r.book_usd - b.p5)))
        .filter(|(_, e)| *e > 0.0)
        .max_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((r, e)) = low_end {
        out += &format!(
            " At the 5 % end of the economic band, the exposure (book value above it) is {} at \
             the end of {} ({} of the book value).",
            usd(e),
            r.year,
            share(e, r.book_usd)
        );
    }
    out
}

/// A note for the price file's running-cost entries limited to one chip: the portfolio runs
/// every chip on the plan's running costs (the general entries and flags), so these change
/// nothing here (a helper's sweep: a GB200-only network cost left the scenario as it was,
/// without a word). The chip's own price and overhead are applied.
fn chip_running_costs(inputs: &PricingInputs) -> Result<Option<String>, FlError> {
    use pricing::PriceItem;
    let Some(path) = &inputs.price_file else {
        return Ok(None);
    };
    let mut items: Vec<String> = pricing::file::load(path)?
        .iter()
        .filter(|e| {
            e.chip.is_some()
                && !matches!(
                    e.item,
                    PriceItem::PriceUsd | PriceItem::CloudUsdPerHour | PriceItem::Overhead
                )
        })
        .map(|e| {
            format!(
                "`{}` for {}",
                e.item.id(),
                e.chip.map_or("", |c| c.name.as_str())
            )
        })
        .collect();
    items.dedup();
    Ok((!items.is_empty()).then(|| {
        let (verb, them) = if items.len() == 1 {
            ("changes", "it")
        } else {
            ("change", "them")
        };
        format!(
            "{}: {} {verb} nothing in a scenario, whose chips share the running costs of the \
             general entries and flags; give {them} without `chip`, or value the chip alone with \
             `flopledger depreciate`",
            path.display(),
            items.join(", ")
        )
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economics::market::band::Band;

    fn row(year: i32, book: f64, economic: f64, p5: f64) -> PortfolioRow {
        PortfolioRow {
            year,
            spend_usd: 0.0,
            cumulative_spend_usd: 0.0,
            book_usd: book,
            economic_usd: economic,
            economic_band_usd: Some(Band {
                p5,
                p95: economic * 2.0,
            }),
            exposure_usd: book - economic,
        }
    }

    /// The table shows a write-down only where the book stands above the economic value,
    /// the value as a multiple of the book, and why there is none once the book is $0.
    #[test]
    fn the_table_shows_write_downs_and_multiples() {
        let t = table(
            &[
                row(2025, 100e9, 90e9, 80e9),
                row(2026, 80e9, 593.6e9, 40e9),
                row(2027, 0.0, 50e9, 0.0),
            ],
            5.0,
        );
        let cells = |year: &str| -> Vec<String> {
            let line = t
                .lines()
                .find(|l| l.trim_start().starts_with(year))
                .unwrap();
            line.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(String::from)
                .collect()
        };
        assert_eq!(cells("2025")[5..], ["$10.0 B", "×0.90"], "{t}");
        assert_eq!(cells("2026")[5..], ["none", "×7.42"], "{t}");
        assert_eq!(cells("2027")[5..], ["none", "(book $0)"], "{t}");
    }

    #[test]
    fn exposure_summary_names_the_worst_year_or_says_there_is_none() {
        let exposed =
            exposure_summary(&[row(2025, 100.0, 90.0, 80.0), row(2026, 80.0, 50.0, 40.0)]);
        assert!(
            exposed.starts_with("Largest write-down exposure: $30.00 at the end of 2026 (38 %"),
            "{exposed}"
        );
        let none = exposure_summary(&[row(2025, 100.0, 120.0, 90.0), row(2026, 80.0, 130.0, 85.0)]);
        assert!(none.starts_with("No write-down exposure"), "{none}");
        assert!(
            none.contains("5 % end of the economic band, the exposure (book value above it) is $10.00 at the end of 2025"),
            "{none}"
        );
        let safe = exposure_summary(&[row(2025, 100.0, 120.0, 110.0)]);
        assert!(!safe.contains("5 % end"), "{safe}");
    }
}
