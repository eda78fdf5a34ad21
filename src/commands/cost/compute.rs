//! Cost figures of one catalog chip at its spec: prices with their source and date, owned and
//! cloud $/hour, $ per PFLOP-hour, FLOP per $ and $ per million tokens of the model presets.

use crate::cli::CostArgs;
use crate::economics::catalog::{self, Chip, Precision};
use crate::economics::cost::{self, OwnedInputs};
use crate::economics::depreciation::observed::{shipped, PriceUnit};
use crate::economics::depreciation::sources::precision_for;
use crate::economics::market::data::Basis;
use crate::economics::pricing::{self, Resolved};
use crate::workloads::presets::{self, tokens_per_s_at_spec, SCENARIOS};
use serde::Serialize;

/// $ per million tokens of one preset and scenario at spec.
#[derive(Serialize)]
pub(super) struct TokenCost {
    pub(super) model: String,
    pub(super) scenario: String,
    pub(super) tokens_per_s: Option<f64>,
    /// Whether the weights and KV cache fit in the chip's memory (no price when they do not:
    /// one chip cannot serve the model).
    pub(super) fits_in_memory: bool,
    pub(super) owned_usd_per_million_tokens: Option<f64>,
    pub(super) cloud_usd_per_million_tokens: Option<f64>,
}

/// A price with where it came from and when.
#[derive(Serialize, Clone)]
pub(super) struct Sourced {
    pub(super) value: f64,
    pub(super) source: String,
    pub(super) as_of: String,
}

#[derive(Serialize)]
pub(super) struct ChipCost {
    pub(super) chip: String,
    pub(super) precision: Precision,
    pub(super) peak_per_s: f64,
    pub(super) memory_bytes_per_s: Option<f64>,
    pub(super) tdp_w: Option<f64>,
    pub(super) price: Option<Sourced>,
    pub(super) owned_usd_per_hour: Option<f64>,
    pub(super) cloud: Option<Sourced>,
    pub(super) owned_usd_per_pflop_hour: Option<f64>,
    pub(super) owned_flop_per_usd: Option<f64>,
    pub(super) cloud_usd_per_pflop_hour: Option<f64>,
    pub(super) cloud_flop_per_usd: Option<f64>,
    pub(super) tokens: Vec<TokenCost>,
    /// What the figures rest on that the user may want to replace (a launch price years old).
    pub(super) notes: Vec<String>,
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

/// The latest on-demand rent of `chip` in the shipped rent panel (`data/market_rents.csv`), for
/// chips without an observed rent: the provider, date and source of the row.
fn panel_rent(chip: &Chip) -> Option<Sourced> {
    let panel = crate::economics::market::data::shipped().ok()?;
    panel
        .rows
        .into_iter()
        .filter(|o| o.chip.name == chip.name && o.basis == Basis::OnDemand)
        .max_by_key(|o| o.date)
        .map(|o| Sourced {
            value: o.usd_per_hour,
            source: format!(
                "on-demand rent, {} (data/market_rents.csv: {})",
                o.provider, o.source
            ),
            as_of: o.date.format("%Y-%m").to_string(),
        })
}

pub(super) fn chip_cost(
    chip: &Chip,
    requested: Option<Precision>,
    args: &CostArgs,
    models: &[presets::ModelPreset],
) -> anyhow::Result<ChipCost> {
    let precision = precision_for(chip, requested)?;
    let peak = chip.peak_flop_per_s.get(&precision).copied().unwrap_or(0.0);
    let inputs = crate::commands::convert::pricing_inputs(&args.pricing)?;
    let r = pricing::resolve(&inputs, Some(chip))?;
    let owned = match (&r.price_usd, chip.tdp_w) {
        (Some(price), Some(w)) => Some(cost::owned_usd_per_hour(&OwnedInputs {
            price_usd: price.value,
            overhead: r.overhead.value,
            discount_rate: r.discount_rate.value,
            life_years: r.life_years.value,
            watts: w,
            running: cost::RunningCosts::from_pricing(&r),
        })),
        _ => None,
    };
    let cloud = r
        .cloud_usd_per_hour
        .as_ref()
        .map(sourced)
        .or_else(|| observed_rent(chip))
        .or_else(|| panel_rent(chip));
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
    let notes = r
        .price_usd
        .as_ref()
        .and_then(|p| stale_launch_price(p, chip))
        .into_iter()
        .collect();
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
        notes,
    })
}

/// A note when the owned figures rest on the catalog's launch price of a chip released more
/// than [`pricing::STALE_LAUNCH_PRICE_YEARS`] ago.
fn stale_launch_price(price: &Resolved, chip: &Chip) -> Option<String> {
    let years = price.stale_launch_price_years(chip, chrono::Utc::now().date_naive())?;
    Some(format!(
        "the owned figures use the launch price of {}, {years:.1} years old; pass --price-usd (or \
         a price-file entry) with today's price (`depreciate --purchase-date` gives the market \
         model's)",
        chip.release.format("%Y-%m")
    ))
}
