//! The fleet report's valuation: each chip model of the fleet that the catalog knows is priced
//! and valued today by the market model, exactly as `depreciate --chips` values one chip
//! (`depreciate::market::price_chip`); the market is fitted once, and only when some chip model
//! is in the catalog.

use super::depreciate::market::{parse_purchase_date, price_chip, window_refusal, DEFAULT_SEGMENT};
use crate::cli::FleetValueArgs;
use crate::config::PricingInputs;
use crate::economics::catalog::Chip;
use crate::economics::market::assess::{straight_line, value_at_age};
use crate::economics::market::Market;
use crate::economics::pricing::check_inputs;
use crate::error::FlError;
use crate::fleet::analysis::FleetAnalysis;
use crate::fleet::money::{GpuValue, Pricing};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Days per year for the GPUs' age.
const DAYS_PER_YEAR: f64 = 365.25;

/// The flags as pricing inputs (checked: bad values and price files fail before any work).
fn inputs(a: &FleetValueArgs) -> Result<PricingInputs, FlError> {
    check_inputs(PricingInputs {
        price_file: a.price_file.clone(),
        price_usd: a.price_usd,
        life_years: a.life_years,
        overhead: a.overhead,
        discount_rate: a.discount_rate,
        ..PricingInputs::default()
    })
}

/// The value flags given, by name.
fn given_flags(a: &FleetValueArgs) -> Vec<&'static str> {
    [
        ("--price-usd", a.price_usd.is_some()),
        ("--price-file", a.price_file.is_some()),
        ("--purchase-date", a.purchase_date.is_some()),
        ("--life-years", a.life_years.is_some()),
        ("--overhead", a.overhead.is_some()),
        ("--discount-rate", a.discount_rate.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, set)| set.then_some(name))
    .collect()
}

/// Checks the flags before the ledger is read.
pub fn check(a: &FleetValueArgs) -> Result<(), FlError> {
    inputs(a)?;
    if let Some(d) = &a.purchase_date {
        let bought = parse_purchase_date(d)?;
        let today = chrono::Utc::now().date_naive();
        if bought > today {
            // The fleet's GPUs ran the reports: they were bought already (a negative age would
            // book them at their full price).
            return Err(FlError::usage(format!(
                "--purchase-date {bought} is after today ({today}): the fleet's GPUs are in \
                 service already; give the date they were bought"
            )));
        }
    }
    Ok(())
}

/// One valuation per chip model of `analysis`, on `today`. Chips the catalog lacks are left out
/// (`money::compute` shows them as not in the catalog).
pub fn pricing(
    analysis: &FleetAnalysis,
    a: &FleetValueArgs,
    today: NaiveDate,
) -> anyhow::Result<BTreeMap<String, Pricing>> {
    let inputs = inputs(a)?;
    let mut names: Vec<&str> = analysis.gpus.iter().map(|g| g.chip.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let known: Vec<(&str, &'static Chip)> = names
        .iter()
        .copied()
        .filter_map(|n| crate::fleet::spec::chip(n).map(|c| (n, c)))
        .collect();
    if known.is_empty() {
        let given = given_flags(a);
        if !given.is_empty() && !names.is_empty() {
            // The flags would value nothing: say so instead of a report without their effect.
            return Err(FlError::usage(format!(
                "{} would value no GPU: no chip model of the selection is in the catalog ({}); record \
                 the chip when measuring (`flopledger run --chip NAME`, names from \
                 `flopledger chips`), or drop the flags (a run on a software adapter is filed \
                 under the adapter's name whatever --chip said, and has no value to give)",
                given.join(", "),
                names.join(", ")
            ))
            .into());
        }
        return Ok(BTreeMap::new());
    }
    crate::economics::pricing::refuse_shared_chip_price(&inputs, known.len())?;
    // An entry for a chip the fleet does not hold changes nothing: said, as `cost` says it.
    let chips_here: Vec<&Chip> = known.iter().map(|(_, c)| *c).collect();
    for note in crate::economics::pricing::entries_for_other_chips(&inputs, &chips_here)? {
        crate::term::note(&note);
    }
    let bought_flag = a
        .purchase_date
        .as_deref()
        .map(parse_purchase_date)
        .transpose()?;
    let market = Market::shipped()?;
    let chips = known.len();
    let mut outside_window = Vec::new();
    let mut out = BTreeMap::new();
    for (name, chip) in known {
        let bought = bought_flag.unwrap_or(chip.release);
        // The window's refusal in this command's own flags.
        if let Some(reason) = window_refusal(&market, chip, bought, false) {
            outside_window.push(format!("{name}: {reason}"));
            out.insert(name.to_string(), Pricing::Unvalued { reason });
            continue;
        }
        let p = match price_chip(&market, chip, None, bought, &inputs, DEFAULT_SEGMENT, None) {
            Ok(p) => p,
            Err(e) => {
                out.insert(
                    name.to_string(),
                    Pricing::Unvalued {
                        reason: format!("{e:#}"),
                    },
                );
                continue;
            }
        };
        let mut notes = p.notes;
        // A typed price far under the launch price is likely a unit slip, as `depreciate`,
        // `run` and `cost` say (a helper's sweep: `--price-usd 1` valued a $1.40 capex without a
        // word).
        notes.extend(crate::economics::pricing::cheap_price_note(&inputs, chip));
        let days = (today - bought).num_days() as f64;
        if days < 0.0 {
            notes.push(format!(
                "bought {bought}, after today ({today}): valued as new"
            ));
        }
        let age_years = days.max(0.0) / DAYS_PER_YEAR;
        let life = p.pricing.life_years.value;
        let now = value_at_age(&market, &p.case, &p.terms, age_years);
        let Some(price) = p.pricing.price_usd else {
            continue; // price_chip refuses a chip without a price
        };
        out.insert(
            name.to_string(),
            Pricing::Valued(GpuValue {
                catalog_name: chip.name.clone(),
                price_usd: price.value,
                price_source: price.source,
                price_as_of: price.as_of,
                overhead: p.pricing.overhead.value,
                capex_usd: p.case.capex_usd,
                purchase_date: bought,
                valued_on: today,
                age_years,
                book_life_years: life,
                book_usd: straight_line(p.case.capex_usd, life, age_years),
                economic_usd: now.usd,
                economic_draws_usd: now.draws_usd,
                notes,
            }),
        );
    }
    // A --purchase-date at which no chip of the selection can be valued is a wrong flag, not a
    // fleet of unvalued chips: refused with each chip's window.
    if let Some(bought) = bought_flag.filter(|_| outside_window.len() == chips) {
        return Err(FlError::usage(format!(
            "--purchase-date {bought} values no chip of the selection:\n  {}",
            outside_window.join("\n  ")
        ))
        .into());
    }
    Ok(out)
}
