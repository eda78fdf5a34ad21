//! `flopledger cost --chips …`: what compute costs on catalog chips at their spec, without a
//! GPU. Owned $/hour from the cost model (capital recovery, the fixed yearly running costs and
//! electricity at the all-in power, `economics::cost`), cloud $/hour
//! from a flag or price file, else the median of the providers' latest on-demand rents of the
//! chip in the rent panel, one provider class for every chip (dated and sourced); $ per
//! PFLOP-hour and FLOP per $ at the spec peak; $ per million tokens of the model presets at
//! the roofline of the spec peak and bandwidth.

mod compute;
mod render;

use crate::cli::{CostArgs, OutputFormat};
use crate::economics::catalog;
use crate::economics::depreciation::sources;
use crate::economics::depreciation::sources::parse_precision;
use crate::error::FlError;
use crate::units::{usd, MISSING};
use crate::workloads::presets;
use crate::wrapln;
use compute::{chip_cost, ChipCost};
use render::{print_table, CsvRow};
use serde::Serialize;

/// What `cost --format json` prints; pinned by `tests/contracts/cost.shape`.
#[derive(Serialize)]
struct CostJson<'a> {
    chips: &'a [ChipCost],
    credit: &'static str,
}

pub fn run(args: &CostArgs) -> anyhow::Result<i32> {
    if args.pricing.chip.is_some() {
        return Err(FlError::usage("cost takes its chips from --chips; drop --chip").into());
    }
    let requested = args.precision.as_deref().map(parse_precision).transpose()?;
    let models = presets::all()?;
    // Each chip once, however often it is named (`H100 SXM,h100 sxm5` is one chip); a name
    // several variants match equally (`A100`) stands for all of them, as in `depreciate`.
    let (mut chips, name_notes) = catalog::find_list(&args.chips)?;
    for n in &name_notes {
        crate::term::note(n);
    }
    // A chip with no peak at any precision has no cost at spec: beside chips that have one it
    // is left out with a note, as `depreciate` leaves it (`--chips Gaudi` had been refused
    // whole for the Gaudi HL-205's missing peak: a helper's sweep).
    if chips.iter().any(|c| !sources::precisions_of(c).is_empty()) {
        chips.retain(|c| {
            let peakless = sources::precisions_of(c).is_empty();
            if peakless {
                crate::term::note(&format!(
                    "{}: the catalog has no peak of it at any precision, so it has no cost at \
                     spec; left out",
                    c.name
                ));
            }
            !peakless
        });
    }
    let inputs = super::convert::pricing_inputs(&args.pricing)?;
    crate::economics::pricing::refuse_shared_chip_price(&inputs, chips.len())?;
    // (A flag's price is one chip's: refused above for several.)
    for chip in &chips {
        if let Some(n) = crate::economics::pricing::cheap_price_note(&inputs, chip) {
            crate::term::note(&n);
        }
    }
    for n in crate::economics::pricing::entries_for_other_chips(&inputs, &chips)? {
        crate::term::note(&n);
    }
    sources::refuse_uncovered_precision(&chips, requested, "cost the chips in separate runs")?;
    let mut costs = Vec::new();
    for chip in chips {
        costs.push(chip_cost(chip, requested, &inputs, &models)?);
    }
    if costs.is_empty() {
        return Err(FlError::usage("--chips is empty; e.g. --chips \"H100 SXM,B200\"").into());
    }
    match args.output() {
        OutputFormat::Json => {
            let out = CostJson {
                chips: &costs,
                credit: catalog::EPOCH_CREDIT,
            };
            crate::outln!("{}", serde_json::to_string_pretty(&out)?);
        }
        OutputFormat::Csv => {
            let rows: Vec<CsvRow> = costs
                .iter()
                .flat_map(|c| {
                    c.tokens.iter().map(move |t| CsvRow {
                        chip: &c.chip,
                        precision: c.precision,
                        peak_per_s: c.peak_per_s,
                        price_usd: c.price.as_ref().map(|p| p.value),
                        owned_usd_per_hour: c.owned_usd_per_hour,
                        cloud_usd_per_hour: c.cloud.as_ref().map(|p| p.value),
                        owned_usd_per_pflop_hour: c.owned_usd_per_pflop_hour,
                        owned_flop_per_usd: c.owned_flop_per_usd,
                        model: &t.model,
                        scenario: &t.scenario,
                        tokens_per_s: t.tokens_per_s,
                        fits_in_memory: t.fits_in_memory,
                        owned_usd_per_million_tokens: t.owned_usd_per_million_tokens,
                        cloud_usd_per_million_tokens: t.cloud_usd_per_million_tokens,
                        cloud_usd_per_pflop_hour: c.cloud_usd_per_pflop_hour,
                        cloud_flop_per_usd: c.cloud_flop_per_usd,
                        price_as_of: c.price.as_ref().map(|p| p.as_of.as_str()),
                        price_source: c.price.as_ref().map(|p| p.source.as_str()),
                        cloud_as_of: c.cloud.as_ref().map(|p| p.as_of.as_str()),
                        cloud_source: c.cloud.as_ref().map(|p| p.source.as_str()),
                        running_cost_prices: c.running_cost_prices(),
                    })
                })
                .collect();
            // A CSV holds figures only: the notes (a launch price years old, a rent far from
            // the market's) go to stderr, as `depreciate` and `scenario` do (a helper's sweep:
            // `cost --format csv` had dropped them all).
            for c in &costs {
                for n in &c.notes {
                    crate::term::note(&format!("{} {n}", c.chip));
                }
            }
            super::tabular::print_csv(&rows)?;
        }
        OutputFormat::Table => {
            wrapln!(
                "Cost at spec (dense peak, TDP, no measurement): owned = capital recovery of the \
                 price × overhead over the life at the discount rate (nothing recovered at its end: \
                 `depreciate` nets the chip's market resale price instead) and the yearly \
                 facility, maintenance, failure, network and staff costs, per worked hour, plus \
                 electricity at TDP × server power factor × PUE; cloud = the median of the \
                 providers' latest on-demand rents of one class (neocloud where recent); $/M \
                 tokens at the roofline of \
                 the spec peak and bandwidth (16-bit weights and KV cache; an upper bound on \
                 throughput)."
            );
            print_table(&costs);
            for c in &costs {
                if let Some(p) = &c.price {
                    wrapln!(
                        "{} price: {} ({}, as of {})",
                        c.chip,
                        usd(p.value),
                        p.source,
                        p.as_of
                    );
                }
                for n in &c.notes {
                    wrapln!("{} {n}", c.chip);
                }
                match &c.cloud {
                    Some(p) => wrapln!(
                        "{} cloud: {}/h ({}, as of {})",
                        c.chip,
                        usd(p.value),
                        p.source,
                        p.as_of
                    ),
                    None => wrapln!(
                        "{} cloud: {MISSING} (no observed or panel rent; set --cloud-usd-per-hour)",
                        c.chip
                    ),
                }
            }
            // The running costs' prices, with source and date (they had been in the JSON only,
            // a helper's sweep); once where every chip shares them.
            let prices: Vec<String> = costs.iter().map(ChipCost::running_cost_prices).collect();
            if prices.iter().all(|p| *p == prices[0]) {
                if !prices[0].is_empty() {
                    wrapln!("running-cost prices: {}", prices[0]);
                }
            } else {
                for (c, p) in costs.iter().zip(&prices) {
                    wrapln!("{} running-cost prices: {p}", c.chip);
                }
            }
            wrapln!("{}", catalog::EPOCH_CREDIT);
        }
    }
    Ok(0)
}
