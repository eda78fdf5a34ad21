//! `flopledger cost --chips …`: what compute costs on catalog chips at their spec, without a
//! GPU. Owned $/hour from the cost model (capital recovery plus energy at TDP), cloud $/hour
//! from a flag or price file, else the latest shipped observed rent (dated, sourced); $ per
//! PFLOP-hour and FLOP per $ at the spec peak; $ per million tokens of the model presets at
//! the roofline of the spec peak and bandwidth.

use crate::cli::{CostArgs, OutputFormat};
use crate::economics::catalog::{self, Chip, Precision};
use crate::economics::cost::{self, OwnedInputs};
use crate::economics::depreciation::observed::{shipped, PriceUnit};
use crate::economics::depreciation::sources::{parse_precision, precision_for};
use crate::economics::pricing::{self, Resolved};
use crate::error::FlError;
use crate::term;
use crate::units::{si, si_opt, usd, usd_opt, MISSING};
use crate::workloads::presets::{self, tokens_per_s_at_spec, SCENARIOS};
use crate::wrapln;
use serde::Serialize;

/// $ per million tokens of one preset and scenario at spec.
#[derive(Serialize)]
struct TokenCost {
    model: String,
    scenario: String,
    tokens_per_s: Option<f64>,
    /// Whether the weights and KV cache fit in the chip's memory (no price when they do not:
    /// one chip cannot serve the model).
    fits_in_memory: bool,
    owned_usd_per_million_tokens: Option<f64>,
    cloud_usd_per_million_tokens: Option<f64>,
}

/// A price with where it came from and when.
#[derive(Serialize, Clone)]
struct Sourced {
    value: f64,
    source: String,
    as_of: String,
}

#[derive(Serialize)]
struct ChipCost {
    chip: String,
    precision: Precision,
    peak_per_s: f64,
    memory_bytes_per_s: Option<f64>,
    tdp_w: Option<f64>,
    price: Option<Sourced>,
    owned_usd_per_hour: Option<f64>,
    cloud: Option<Sourced>,
    owned_usd_per_pflop_hour: Option<f64>,
    owned_flop_per_usd: Option<f64>,
    cloud_usd_per_pflop_hour: Option<f64>,
    cloud_flop_per_usd: Option<f64>,
    tokens: Vec<TokenCost>,
}

/// What `cost --format json` prints; pinned by `tests/contracts/cost.shape`.
#[derive(Serialize)]
struct CostJson<'a> {
    chips: &'a [ChipCost],
    credit: &'static str,
}

fn sourced(r: &Resolved) -> Sourced {
    Sourced {
        value: r.value,
        source: r.source.clone(),
        as_of: r.as_of.clone(),
    }
}

/// The latest shipped observed rent ($ per GPU-hour) of `chip`, with its source and date.
fn observed_rent(chip: &Chip) -> Option<Sourced> {
    let all = shipped().ok()?;
    all.into_iter()
        .filter(|o| o.unit == PriceUnit::UsdPerHour)
        .filter(|o| catalog::find(&o.chip).is_ok_and(|c| c.name == chip.name))
        .max_by_key(|o| o.date)
        .map(|o| Sourced {
            value: o.usd,
            source: format!("observed rent, {} ({})", o.kind, o.source),
            as_of: o.date.format("%Y-%m").to_string(),
        })
}

fn chip_cost(
    chip: &Chip,
    requested: Option<Precision>,
    args: &CostArgs,
    models: &[presets::ModelPreset],
) -> anyhow::Result<ChipCost> {
    let precision = precision_for(chip, requested)?;
    let peak = chip.peak_flop_per_s.get(&precision).copied().unwrap_or(0.0);
    let inputs = super::convert::pricing_inputs(&args.pricing)?;
    let r = pricing::resolve(&inputs, Some(chip))?;
    let owned = match (&r.price_usd, chip.tdp_w) {
        (Some(price), Some(w)) => Some(cost::owned_usd_per_hour(&OwnedInputs {
            price_usd: price.value,
            overhead: r.overhead.value,
            discount_rate: r.discount_rate.value,
            life_years: r.life_years.value,
            utilization: r.utilization.value,
            kw: w / 1000.0,
            pue: r.pue.value,
            usd_per_kwh: r.usd_per_kwh.value,
        })),
        _ => None,
    };
    let cloud = r
        .cloud_usd_per_hour
        .as_ref()
        .map(sourced)
        .or_else(|| observed_rent(chip));
    let cloud_h = cloud.as_ref().map(|c| c.value);
    let per_pflop = |h: Option<f64>| {
        h.filter(|_| peak > 0.0)
            .map(|h| cost::usd_per_pflop_hour(peak, h))
    };
    let per_usd = |h: Option<f64>| {
        h.filter(|_| peak > 0.0)
            .map(|h| cost::flop_per_usd(peak, h))
    };
    let mut tokens = Vec::new();
    for m in models {
        for s in &SCENARIOS {
            let fits = chip
                .memory_bytes
                .is_none_or(|mem| presets::bytes_needed(m, s) <= mem);
            let tps = chip
                .memory_bytes_per_s
                .filter(|_| fits)
                .and_then(|bw| tokens_per_s_at_spec(m, s, peak, bw));
            let per_m = |h: Option<f64>| Some(cost::usd_per_million_tokens(tps?, h?));
            tokens.push(TokenCost {
                model: m.name.clone(),
                scenario: s.label(),
                tokens_per_s: tps,
                fits_in_memory: fits,
                owned_usd_per_million_tokens: per_m(owned),
                cloud_usd_per_million_tokens: per_m(cloud_h),
            });
        }
    }
    Ok(ChipCost {
        chip: chip.name.clone(),
        precision,
        peak_per_s: peak,
        memory_bytes_per_s: chip.memory_bytes_per_s,
        tdp_w: chip.tdp_w,
        price: r.price_usd.as_ref().map(sourced),
        owned_usd_per_hour: owned,
        owned_usd_per_pflop_hour: per_pflop(owned),
        owned_flop_per_usd: per_usd(owned),
        cloud_usd_per_pflop_hour: per_pflop(cloud_h),
        cloud_flop_per_usd: per_usd(cloud_h),
        cloud,
        tokens,
    })
}

/// One CSV row per chip, preset and scenario; chip-level figures repeat on each row.
#[derive(Serialize)]
struct CsvRow<'a> {
    chip: &'a str,
    precision: Precision,
    peak_per_s: f64,
    price_usd: Option<f64>,
    owned_usd_per_hour: Option<f64>,
    cloud_usd_per_hour: Option<f64>,
    owned_usd_per_pflop_hour: Option<f64>,
    owned_flop_per_usd: Option<f64>,
    model: &'a str,
    scenario: &'a str,
    tokens_per_s: Option<f64>,
    fits_in_memory: bool,
    owned_usd_per_million_tokens: Option<f64>,
    cloud_usd_per_million_tokens: Option<f64>,
}

fn print_table(costs: &[ChipCost]) {
    let mut header = vec![String::new()];
    header.extend(costs.iter().map(|c| c.chip.clone()));
    let mut t = term::table(header);
    let row = |label: &str, f: &dyn Fn(&ChipCost) -> String| {
        let mut r = vec![label.to_string()];
        r.extend(costs.iter().map(f));
        r
    };
    t.add_row(row("spec peak", &|c| {
        format!(
            "{} ({})",
            si(c.peak_per_s, c.precision.rate_unit()),
            c.precision
        )
    }));
    t.add_row(row("price", &|c| {
        usd_opt(c.price.as_ref().map(|p| p.value))
    }));
    t.add_row(row("owned $/hour", &|c| usd_opt(c.owned_usd_per_hour)));
    t.add_row(row("cloud $/hour", &|c| {
        usd_opt(c.cloud.as_ref().map(|p| p.value))
    }));
    t.add_row(row("owned $/PFLOP-hour", &|c| {
        usd_opt(c.owned_usd_per_pflop_hour)
    }));
    t.add_row(row("owned FLOP/$", &|c| {
        si_opt(c.owned_flop_per_usd, "FLOP/$")
    }));
    t.add_row(row("cloud $/PFLOP-hour", &|c| {
        usd_opt(c.cloud_usd_per_pflop_hour)
    }));
    if let Some(first) = costs.first() {
        for (i, tc) in first.tokens.iter().enumerate() {
            t.add_row(row(
                &format!("$/M tok {} {}", tc.model, tc.scenario),
                &|c| {
                    let x = &c.tokens[i];
                    match (
                        x.owned_usd_per_million_tokens,
                        x.cloud_usd_per_million_tokens,
                    ) {
                        (Some(o), Some(cl)) => format!("{} (cloud {})", usd(o), usd(cl)),
                        (Some(o), None) => usd(o),
                        (None, Some(cl)) => format!("cloud {}", usd(cl)),
                        _ if !x.fits_in_memory => "does not fit".into(),
                        (None, None) => MISSING.into(),
                    }
                },
            ));
        }
    }
    term::numbers_from(&mut t, 1);
    println!("{t}");
}

pub fn run(args: &CostArgs) -> anyhow::Result<i32> {
    if args.pricing.chip.is_some() {
        return Err(FlError::usage("cost takes its chips from --chips; drop --chip").into());
    }
    let requested = args.precision.as_deref().map(parse_precision).transpose()?;
    let models = presets::all()?;
    let mut costs = Vec::new();
    for name in args
        .chips
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        let chip = catalog::find(name)?;
        costs.push(chip_cost(chip, requested, args, &models)?);
    }
    if costs.is_empty() {
        return Err(FlError::usage("--chips is empty; e.g. --chips \"H100 SXM,B200\"").into());
    }
    match args.format.unwrap_or_default() {
        OutputFormat::Json => {
            let out = CostJson {
                chips: &costs,
                credit: catalog::EPOCH_CREDIT,
            };
            println!("{}", serde_json::to_string_pretty(&out)?);
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
                    })
                })
                .collect();
            super::tabular::print_csv(&rows)?;
        }
        OutputFormat::Table => {
            wrapln!(
                "Cost at spec (dense peak, TDP, no measurement): owned = capital recovery of the \
                 price × overhead over the life at the discount rate, per useful hour, plus \
                 energy at TDP × PUE; $/M tokens at the roofline of the spec peak and bandwidth \
                 (16-bit weights and KV cache; an upper bound on throughput)."
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
                match &c.cloud {
                    Some(p) => wrapln!(
                        "{} cloud: {}/h ({}, as of {})",
                        c.chip,
                        usd(p.value),
                        p.source,
                        p.as_of
                    ),
                    None => wrapln!(
                        "{} cloud: {MISSING} (no observed rent; set --cloud-usd-per-hour)",
                        c.chip
                    ),
                }
            }
            wrapln!("{}", catalog::EPOCH_CREDIT);
        }
    }
    Ok(0)
}
