//! `flopledger scenario`: book value (straight-line 5 and 6 years) against modelled economic
//! value (model A) of a capex schedule, year by year, and the write-down exposure.

mod market;

use crate::cli::{OutputFormat, ScenarioArgs};
use crate::economics::catalog::{self, Chip};
use crate::economics::depreciation::sources::{self, parse_precision, precision_for};
use crate::economics::depreciation::ChipInputs;
use crate::economics::pricing;
use crate::economics::scenario::{self, CapexPlan, ScenarioRow};
use crate::error::FlError;
use crate::units::{pct, usd, MISSING};
use serde::Serialize;

/// What `scenario --launch-trend --json` prints; pinned by
/// `tests/contracts/scenario-launch-trend.shape`.
#[derive(Serialize)]
struct LaunchTrendJson<'a> {
    plan: &'a CapexPlan,
    /// Where the plan came from (the `--capex` file, or the built-in preset).
    source: &'a str,
    market: MarketJson,
    notes: &'a [String],
    rows: &'a [ScenarioRow],
    credit: &'static str,
}

/// The market assumptions model A values the capex with (its frontier decline `g`, not the
/// FLOP/W growth of model C).
#[derive(Serialize)]
struct MarketJson {
    decline_g: f64,
    discount_rate: f64,
    utilization: f64,
    usd_per_kwh: f64,
    pue: f64,
}

pub fn run(args: &ScenarioArgs) -> anyhow::Result<i32> {
    if args.pricing.chip.is_some()
        || args.pricing.price_usd.is_some()
        || args.pricing.cloud_usd_per_hour.is_some()
    {
        return Err(FlError::usage(
            "scenario takes its chips and spend from the capex file; drop --chip, --price-usd \
             and --cloud-usd-per-hour, and put chips in the file's `mix` (or `[chips.NAME]` \
             with price_usd, flop_per_s, watts)",
        )
        .into());
    }
    // Before the flag's own range check, which would otherwise advise a value that is then
    // refused (a helper's sweep: `--utilization 0` was told "e.g. 0.7").
    // The economic value of a scenario's chips is their market price, what a buyer pays: one
    // on a given day, on the market's basis and utilisation, whatever the owner's (the spot
    // basis had cut the portfolio's value at 2030 from $8.29 T to $1.12 T, a helper's sweep).
    // (The launch-price trend reference, model A, does use it.)
    if args.pricing.utilization.is_some() && !args.launch_trend {
        return Err(FlError::usage(
            "--utilization changes nothing in a scenario: its economic value is the chips' \
             market price, which rests on the market's utilisation, not an owner's; drop \
             --utilization (`flopledger depreciate --utilization` values one owner's own \
             margins)",
        )
        .into());
    }
    let inputs = crate::commands::convert::pricing_inputs(&args.pricing)?;
    // The capex file's chips take their prices from it or the catalog; a chip-less price in
    // the price file would price every chip of the mix alike.
    if let Some(what) = crate::economics::pricing::shared_chip_price(&inputs)? {
        return Err(FlError::usage(format!(
            "{what} would price every chip of the capex mix alike; give each chip's price in \
             the price file with `chip = \"NAME\"`, or in the capex file's [chips.NAME]"
        ))
        .into());
    }
    if !args.launch_trend {
        return market::run(args, &inputs);
    }
    super::depreciate::refuse_market_only_flags(&args.pricing)?;
    let requested = args.precision.as_deref().map(parse_precision).transpose()?;
    let (plan, source) = load_plan(args)?;
    // The catalog chips of the mixes (a chip the capex file defines brings its own peak).
    let mut catalog_chips: Vec<&Chip> = Vec::new();
    for y in &plan.years {
        for name in plan.mix_of(y).keys() {
            if plan.chips.contains_key(name) {
                continue;
            }
            let chip = catalog::find(name)?;
            if !catalog_chips.iter().any(|c| c.name == chip.name) {
                catalog_chips.push(chip);
            }
        }
    }
    sources::refuse_uncovered_precision(
        &catalog_chips,
        requested,
        "split the plan, or define the chip in the capex file's [chips.NAME] with its flop_per_s",
    )?;
    let general = pricing::resolve(&inputs, None)?;
    let (market, mut notes) = sources::market(&general, args.growth)?;
    notes.extend(unused_price_entries(&plan, &inputs, false)?);
    let resolve = |name: &str| -> Result<ChipInputs, FlError> {
        let chip = catalog::find(name)?;
        let resolved = pricing::resolve(&inputs, Some(chip))?;
        if resolved.price_usd.is_none() {
            return Err(no_launch_price(chip));
        }
        sources::catalog_inputs(chip, precision_for(chip, requested)?, &resolved, None)
    };
    let rows = scenario::run(&plan, &market, &resolve)?;
    if args.output() == OutputFormat::Csv {
        super::tabular::print_csv(&rows)?;
        return Ok(0);
    }
    if args.output() == OutputFormat::Json {
        let out = LaunchTrendJson {
            plan: &plan,
            source: &source,
            market: MarketJson {
                decline_g: market.decline_g,
                discount_rate: market.discount_rate,
                utilization: market.utilization,
                usd_per_kwh: market.usd_per_kwh,
                pue: market.pue,
            },
            notes: &notes,
            rows: &rows,
            credit: catalog::EPOCH_CREDIT,
        };
        crate::outln!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(0);
    }
    crate::wrapln!(
        "Capex scenario: {} ({source})\nmarket: g = {}/yr, discount rate {:.3}, utilization \
         {:.2}, {:.3} $/kWh, PUE {:.2}",
        plan.name.as_deref().unwrap_or("unnamed"),
        crate::units::rate(market.decline_g),
        market.discount_rate,
        market.utilization,
        market.usd_per_kwh,
        market.pue
    );
    for n in &notes {
        crate::wrapln!("  {n}");
    }
    crate::outln!("{}", table(&rows));
    let peak = rows
        .iter()
        .max_by(|a, b| a.exposure_sl6_usd.total_cmp(&b.exposure_sl6_usd));
    // A negative exposure at every year-end is none: the economic value stays above the book.
    if peak.is_some_and(|p| p.exposure_sl6_usd <= 0.0) {
        crate::wrapln!(
            "No write-down exposure against 6-year straight-line: the economic value stays \
             above the book value at every year-end."
        );
    }
    if let Some(peak) = peak.filter(|p| p.exposure_sl6_usd > 0.0) {
        crate::wrapln!(
            "Largest write-down exposure against 6-year straight-line: {} at the end of {} \
             ({} of the book value then).",
            usd(peak.exposure_sl6_usd),
            peak.year,
            crate::units::pct_with(
                if peak.book_sl6_usd > 0.0 {
                    peak.exposure_sl6_usd / peak.book_sl6_usd
                } else {
                    0.0
                },
                0
            )
        );
    }
    crate::wrapln!(
        "Spend is placed in service mid-year; values at year-end. {}",
        catalog::EPOCH_CREDIT
    );
    Ok(0)
}

/// The capex plan of `--capex`, or the built-in preset, with where it came from.
/// The price file's entries a scenario has no use for, each named: a rent (a scenario values
/// chips it owns; it charges no rent), and a chip's entries for a chip in none of the mixes (a
/// helper's sweep: an MI300X price left the scenario as it was, without a word; `cost` and
/// `depreciate` say so). `rents`: name the rents too (the launch-trend path names them among
/// the market model's items already).
fn unused_price_entries(
    plan: &crate::economics::scenario::plan::CapexPlan,
    inputs: &crate::config::PricingInputs,
    rents: bool,
) -> Result<Vec<String>, FlError> {
    let Some(path) = &inputs.price_file else {
        return Ok(Vec::new());
    };
    let mut in_mix: Vec<&Chip> = Vec::new();
    for y in &plan.years {
        for name in plan.mix_of(y).keys() {
            if let Ok(chip) = catalog::find(name) {
                if !in_mix.iter().any(|c| c.name == chip.name) {
                    in_mix.push(chip);
                }
            }
        }
    }
    let mut notes = crate::economics::pricing::entries_for_other_chips(inputs, &in_mix)?;
    let count = crate::economics::pricing::file::load(path)?
        .iter()
        .filter(|e| {
            e.item == crate::economics::pricing::PriceItem::CloudUsdPerHour
                && e.chip
                    .is_some_and(|c| in_mix.iter().any(|m| m.name == c.name))
        })
        .count();
    if rents && count > 0 {
        notes.push(format!(
            "{}: its {count} `cloud_usd_per_hour` entr{} change{} nothing in a scenario, which \
             values the chips it owns and charges no rent",
            path.display(),
            if count == 1 { "y" } else { "ies" },
            if count == 1 { "s" } else { "" }
        ));
    }
    Ok(notes)
}

pub(super) fn load_plan(args: &ScenarioArgs) -> Result<(CapexPlan, String), FlError> {
    Ok(match &args.capex {
        Some(path) => {
            let name = path.display().to_string();
            let text = crate::files::read_input(path, "a capex TOML file")?;
            let plan = CapexPlan::from_toml(&text, &name)?;
            refuse_purchases_before_release(&plan, &name)?;
            // A mix name that a [chips.NAME] defines means the file's chip, where the catalog
            // would have read it as one of its own: said, since that chip's price and specs are
            // then the file's. Only names the mixes use, and only catalog matches by name or
            // alias or by a model number (a helper's check: a chip named `x` had been said to
            // replace the GTX TITAN X, and `my-asic-4090` the RTX 4090 that the same mix still
            // valued from the catalog under its own name).
            let used: std::collections::BTreeSet<&String> = plan
                .years
                .iter()
                .flat_map(|y| plan.mix_of(y).keys())
                .collect();
            for chip in plan.chips.keys().filter(|c| used.contains(c)) {
                let same = catalog::named_exactly(chip).or_else(|| {
                    chip.chars()
                        .any(|c| c.is_ascii_digit())
                        .then(|| catalog::find(chip).ok())
                        .flatten()
                });
                if let Some(c) = same {
                    crate::errln!(
                        "note: \"{chip}\" in the mixes of {name} is the file's [chips.\"{chip}\"], \
                         not the catalog's {}, whose name it matches (its price and specs come \
                         from the file); rename it to keep the two apart",
                        c.name
                    );
                }
            }
            (plan, name)
        }
        None => (
            CapexPlan::preset(),
            "built-in preset (an assumption, see README)".into(),
        ),
    })
}

/// The schedule's table. Where all nine columns do not fit the terminal (87 columns at
/// COLUMNS=80, amounts split from their units), the 5-year book and exposure give way, then
/// the cumulative spend, as `depreciate`'s summary drops its dollar columns: a line under the
/// table says where they are. No amount is split from its unit.
fn table(rows: &[ScenarioRow]) -> String {
    // Width on one line: the widest cell of each column and the frame.
    let needs = |t: &comfy_table::Table| {
        t.column_max_content_widths()
            .iter()
            .map(|w| usize::from(*w))
            .sum::<usize>()
            + crate::term::table_frame_chars(t.column_iter().count())
    };
    let full = table_of(rows, Columns::All);
    let natural = needs(&full);
    if natural <= crate::term::width() {
        return full.to_string();
    }
    let mut t = table_of(rows, Columns::No5y);
    let mut left_out = "the 5-year book and exposure";
    if needs(&t) > crate::term::width() {
        t = table_of(rows, Columns::No5yNoCumulative);
        left_out = "the cumulative spend and the 5-year book and exposure";
    }
    let said = format!(
        "({left_out}: in --format csv or json; the table shows them from {natural} columns)"
    );
    format!("{t}\n{}", crate::term::wrap(&said, "  "))
}

/// Which of the schedule's columns a table shows.
#[derive(Clone, Copy, PartialEq)]
enum Columns {
    All,
    No5y,
    No5yNoCumulative,
}

fn table_of(rows: &[ScenarioRow], columns: Columns) -> comfy_table::Table {
    let cumulative = columns != Columns::No5yNoCumulative;
    let five = columns == Columns::All;
    let mut header = vec!["year\nend", "spend"];
    if cumulative {
        header.push("cumulative\nspend");
    }
    if five {
        header.push("book\nSL 5y");
    }
    header.extend(["book\nSL 6y", "economic\n(A)"]);
    if five {
        header.push("exposure\nvs 5y");
    }
    header.extend(["exposure\nvs 6y", "economic /\nbook 6y"]);
    let mut t = crate::term::table(header);
    for r in rows {
        let mut row = vec![r.year.to_string(), usd(r.spend_usd)];
        if cumulative {
            row.push(usd(r.cumulative_spend_usd));
        }
        if five {
            row.push(usd(r.book_sl5_usd));
        }
        row.extend([usd(r.book_sl6_usd), usd(r.economic_usd)]);
        if five {
            row.push(usd(r.exposure_sl5_usd));
        }
        row.extend([
            usd(r.exposure_sl6_usd),
            if r.book_sl6_usd > 0.0 {
                pct(r.economic_usd / r.book_sl6_usd)
            } else {
                MISSING.into()
            },
        ]);
        t.add_row(row);
    }
    crate::term::numbers_from(&mut t, 1);
    t
}

/// The refusal of a plan chip without a price: scenario takes no `--price-usd` (it would price
/// every chip alike), so it names the capex file and the price file.
fn no_launch_price(chip: &catalog::Chip) -> FlError {
    FlError::usage(format!(
        "{} has no launch price in the catalog; define it under [chips] in the capex file, or \
         give its price in a --price-file entry with `chip = \"{}\"`",
        chip.name, chip.name
    ))
}

/// A catalog chip bought more than a year before its release (an H100 in 1970) is refused for
/// both models, once, as the file is read (the launch-price trend valued whatever year it was
/// given). A chip defined in the capex file has no release date and is taken as given; a mix
/// name neither the catalog nor the file's `[chips]` knows is refused naming the file and the
/// year (the catalog's error alone named neither).
fn refuse_purchases_before_release(plan: &CapexPlan, file: &str) -> Result<(), FlError> {
    // A default mix no year uses is checked too (a helper's sweep: one naming "Z9000" passed).
    for name in plan.default_mix.keys() {
        if !plan.chips.contains_key(name) {
            mix_chip(name, "default_mix", file)?;
        }
    }
    for y in &plan.years {
        for name in plan.mix_of(y).keys() {
            if plan.chips.contains_key(name) {
                continue;
            }
            let chip = mix_chip(name, &format!("the mix of {}", y.year), file)?;
            // Spend is placed in service mid-year.
            let bought = crate::economics::market::data::date_of(f64::from(y.year) + 0.5);
            let earliest = super::depreciate::market::earliest_for_release(chip);
            if bought < earliest {
                return Err(FlError::usage(format!(
                    "the capex plan buys {} in {}, more than a year before {}'s catalog release \
                     ({}); change that year's mix, or define the chip under [chips] in the capex \
                     file",
                    chip.name, y.year, chip.name, chip.release
                )));
            }
        }
    }
    Ok(())
}

/// The catalog chip a mix key (of `mix`: "the mix of 2026", "default_mix") names: one chip; a
/// key that lists several (told to separate them with commas, as `--chips` takes them, or
/// refused for a word of the second) takes a share of its own each.
fn mix_chip(name: &str, mix: &str, file: &str) -> Result<&'static Chip, FlError> {
    if let Some(sep) = [',', ';'].into_iter().find(|c| name.contains(*c)) {
        let names: Vec<String> = name
            .split([',', ';'])
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| format!("\"{}\" = …", crate::term::visible(n)))
            .collect();
        return Err(FlError::input(
            file,
            format!(
                "{mix} names \"{}\", which joins chips with '{sep}': a mix key names one chip, \
                 each with its share, e.g. mix = {{ {} }}",
                crate::term::visible(name),
                names.join(", ")
            ),
        ));
    }
    catalog::find(name).map_err(|e| {
        FlError::input(
            file,
            format!(
                "{mix} names \"{}\", which is neither a catalog chip nor one the file defines \
                 under [chips]: {e}",
                crate::term::visible(name)
            ),
        )
    })
}
