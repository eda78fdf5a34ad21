//! Cost figures of one catalog chip at its spec: prices with their source and date, owned and
//! cloud $/hour, $ per PFLOP-hour, FLOP per $ and $ per million tokens of the model presets.

use crate::economics::catalog::{Chip, Precision};
use crate::economics::cost::{self, OwnedInputs};
use crate::economics::depreciation::sources::precision_for;
use crate::economics::market::data::{Basis, ProviderClass, RentObservation};
use crate::economics::market::procurement::given_rent_note;
use crate::economics::pricing::{self, Origin, Resolved};
use crate::workloads::presets::{self, tokens_per_s_at_spec, SCENARIOS};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

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
    /// Every input of the owned cost besides the price, with its source and date (a helper's
    /// sweep: an electricity price from a price file moved the owned $/h and no output said
    /// so).
    pub(super) assumptions: Vec<crate::economics::types::Assumption>,
}

impl ChipCost {
    /// The prices among the owned cost's inputs (electricity, facility, network and staff), each
    /// with its source and date: `usd_per_kwh 0.08 USD/kWh (US EIA …, as of 2024); …`.
    pub(super) fn running_cost_prices(&self) -> String {
        self.assumptions
            .iter()
            // A zero amount (the flat network and staff cost, unused by default) adds nothing.
            .filter(|a| a.unit.contains("USD") && a.value != 0.0)
            .map(crate::economics::types::Assumption::sourced)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn sourced(r: &Resolved) -> Sourced {
    Sourced {
        value: r.value,
        source: r.source.clone(),
        as_of: r.as_of.clone(),
    }
}

/// How far before a chip's newest on-demand rent of a class a provider's latest one may lie and
/// still count as today's price.
const RENT_WINDOW_DAYS: i64 = 365;

/// One market rent of `chip` that is comparable across chips: the median of each provider's
/// latest on-demand rent in the shipped rent panel (`data/market_rents.csv`), from neocloud
/// providers, else (or where their rents are over a year older) from hyperscalers, keeping the
/// providers whose latest rent lies within a year of the newest. A provider with several offers
/// on its latest date (RunPod's 4090 in its Community Cloud at $0.34 and its Secure Cloud at
/// $0.74) counts once, at the median of them: the first row alone had set the card's rent.
/// The providers and their prices, the class and the months go into the source.
/// (The newest single row, of whatever provider and basis, made an H200 at a hyperscaler's
/// $10.44 look dearer to rent than a B200 at a neocloud's $6.69.)
fn market_rent(chip: &Chip) -> Option<Sourced> {
    let panel = crate::economics::market::data::shipped().ok()?;
    rent_of(&panel.rows, chip)
}

/// [`market_rent`] over `rows`.
fn rent_of(rows: &[RentObservation], chip: &Chip) -> Option<Sourced> {
    let neocloud = median_rent(rows, chip, ProviderClass::Neocloud);
    let hyperscaler = median_rent(rows, chip, ProviderClass::Hyperscaler);
    match (neocloud, hyperscaler) {
        (Some((n, n_date)), Some((h, h_date))) => {
            Some(if (h_date - n_date).num_days() > RENT_WINDOW_DAYS {
                h
            } else {
                n
            })
        }
        (n, h) => n.or(h).map(|(s, _)| s),
    }
}

/// One provider's latest on-demand rents of a chip in a class: its offers on its newest date.
struct Latest<'a> {
    provider: &'a str,
    date: NaiveDate,
    offers: Vec<&'a RentObservation>,
}

impl Latest<'_> {
    /// The median of the offers, USD per GPU-hour.
    fn rent(&self) -> f64 {
        let mut rents: Vec<f64> = self.offers.iter().map(|o| o.usd_per_hour).collect();
        rents.sort_by(f64::total_cmp);
        crate::measure::stats::quantile(&rents, 0.5)
    }

    /// "RunPod $0.34", or "RunPod $0.34/$0.74" for several offers that day.
    fn text(&self) -> String {
        let prices: Vec<String> = self
            .offers
            .iter()
            .map(|o| format!("${}", o.quoted_usd_per_hour()))
            .collect();
        format!("{} {}", self.provider, prices.join("/"))
    }
}

/// The median rent of one class ([`market_rent`]) and the date of its newest price.
fn median_rent(
    rows: &[RentObservation],
    chip: &Chip,
    class: ProviderClass,
) -> Option<(Sourced, NaiveDate)> {
    let mut latest: BTreeMap<&str, Latest> = BTreeMap::new();
    for o in rows
        .iter()
        .filter(|o| o.chip.name == chip.name && o.basis == Basis::OnDemand && o.class == class)
    {
        let provider = o.provider.trim();
        let slot = latest.entry(provider).or_insert(Latest {
            provider,
            date: o.date,
            offers: Vec::new(),
        });
        if o.date > slot.date {
            slot.date = o.date;
            slot.offers.clear();
        }
        if o.date == slot.date {
            slot.offers.push(o);
        }
    }
    let newest = latest.values().map(|l| l.date).max()?;
    // In provider order (the map's), for the source text.
    let kept: Vec<Latest> = latest
        .into_values()
        .filter(|l| (newest - l.date).num_days() <= RENT_WINDOW_DAYS)
        .collect();
    let list: Vec<String> = kept.iter().map(Latest::text).collect();
    let oldest = kept.iter().map(|l| l.date).min().unwrap_or(newest);
    let n = kept.len();
    let mut rents: Vec<f64> = kept.iter().map(Latest::rent).collect();
    rents.sort_by(f64::total_cmp);
    let median = crate::measure::stats::quantile(&rents, 0.5);
    let months = if oldest.format("%Y-%m").to_string() == newest.format("%Y-%m").to_string() {
        newest.format("%Y-%m").to_string()
    } else {
        format!("{} to {}", oldest.format("%Y-%m"), newest.format("%Y-%m"))
    };
    let class = class.id();
    let what = if n == 1 && kept[0].offers.len() > 1 {
        format!(
            "median of one provider's {} latest {class} on-demand offers",
            kept[0].offers.len()
        )
    } else if n == 1 {
        format!("the latest {class} on-demand rent")
    } else {
        format!("median of {n} providers' latest {class} on-demand rents")
    };
    // A device of several cloud GPUs (the K80 board) rents as that many of them.
    let per_device = match chip.cloud_gpus {
        1 => String::new(),
        n => format!(" per cloud GPU, × {n} for the device (a cloud counts {n} on one)"),
    };
    let rent = Sourced {
        value: median,
        source: format!(
            "{what} ({}{per_device}; data/market_rents.csv), {months}",
            list.join(", ")
        ),
        as_of: newest.format("%Y-%m").to_string(),
    };
    Some((rent, newest))
}

pub(super) fn chip_cost(
    chip: &Chip,
    requested: Option<Precision>,
    inputs: &crate::config::PricingInputs,
    models: &[presets::ModelPreset],
) -> anyhow::Result<ChipCost> {
    // Without --precision, the AI peak of the one precision rule, as `depreciate` prices the
    // chip's tokens (a helper's sweep: the P40's 1/64-rate fp16 figure had priced Llama-8B at
    // $17.38 per million tokens here against $0.20 there).
    let (precision, peak) = match (
        requested,
        crate::economics::catalog::ai_peak_flop_per_s(chip),
    ) {
        (None, Some(ai)) => ai,
        _ => {
            let p = precision_for(chip, requested)?;
            (p, chip.peak_flop_per_s.get(&p).copied().unwrap_or(0.0))
        }
    };
    let r = pricing::resolve(inputs, Some(chip))?;
    let owned = match (&r.price_usd, chip.tdp_w) {
        (Some(price), Some(w)) => Some(cost::owned_usd_per_hour(&OwnedInputs {
            price_usd: price.value,
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
        .or_else(|| market_rent(chip));
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
    let mut notes: Vec<String> = r
        .price_usd
        .as_ref()
        .and_then(|p| stale_launch_price(p, chip))
        .into_iter()
        .collect();
    // The presets move 16-bit weights and KV cache whatever the peak: say so where the peak is
    // of another width (a helper's sweep: fp8 doubled prefill tokens/s under a "16-bit" title).
    if !matches!(precision, Precision::Bf16 | Precision::Fp16) && requested.is_some() {
        notes.push(format!(
            "tokens/s use the {} peak with 16-bit weights and KV cache: compute-bound rates \
             (prefill) scale with that peak, bandwidth-bound ones (decode) do not",
            precision.id()
        ));
    }
    if let (Some(given), Some(market)) = (&r.cloud_usd_per_hour, market_rent(chip)) {
        notes.extend(given_rent_note(
            &chip.name,
            given.value,
            market.value,
            &format!("the median of the latest, {}", market.as_of),
        ));
    }
    // The owned cost's inputs that the user set (flag or price file), said beside its figures.
    let given: Vec<String> = r
        .cost_inputs()
        .into_iter()
        .filter(|v| matches!(v.origin, Origin::Flag | Origin::PriceFile))
        .map(|v| {
            format!(
                "{} {} {} ({}, as of {})",
                v.item.id(),
                v.value,
                v.unit,
                v.source,
                v.as_of
            )
        })
        .collect();
    if owned.is_some() && !given.is_empty() {
        notes.push(format!("owned: with {}", given.join("; ")));
    }
    // The owned cost needs a price and a power; say which is missing and how to give it (a
    // helper's sweep: `cost --chips L40S` showed "—" with no word of why).
    if owned.is_none() {
        const PRICE: &str = "pass --price-usd, or a price_usd entry in a --price-file";
        notes.push(match (&r.price_usd, chip.tdp_w) {
            (None, Some(_)) => format!("owned: no launch price in the catalog; {PRICE}"),
            (None, None) => format!(
                "owned: the catalog has neither a launch price nor a TDP of it, and `cost` takes \
                 no power, so the owned cost is not computed; {PRICE} for the price"
            ),
            _ => "owned: no TDP in the catalog, and `cost` takes no power, so the owned cost is \
                  not computed"
                .to_string(),
        });
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
        notes,
        assumptions: r.cost_inputs().map(Resolved::assumption).to_vec(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economics::catalog;
    use crate::economics::market::data::ProviderClass::{Hyperscaler, Neocloud};

    fn row(
        provider: &str,
        date: &str,
        usd: f64,
        class: ProviderClass,
        basis: Basis,
    ) -> RentObservation {
        RentObservation {
            chip: catalog::find("H100 SXM").unwrap(),
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            usd_per_hour: usd,
            class,
            basis,
            provider: provider.into(),
            source: "test".into(),
        }
    }

    /// Each provider's latest on-demand rent counts once; providers over a year behind the
    /// newest, other bases and hyperscaler lists do not; an even count takes the middle pair.
    #[test]
    fn the_cloud_rent_is_the_median_of_the_providers_latest_on_demand_rents() {
        let on = Basis::OnDemand;
        let mut rows = vec![
            row("A", "2026-01-01", 9.0, Neocloud, on),
            row("A", "2026-06-01", 4.0, Neocloud, on),
            row("B", "2026-05-01", 2.0, Neocloud, on),
            row("C", "2026-04-01", 3.0, Neocloud, on),
            row("D", "2026-03-01", 5.0, Neocloud, on),
            row("Old", "2024-01-01", 1.0, Neocloud, on),
            row(
                "A",
                "2026-07-01",
                0.5,
                Neocloud,
                Basis::parse("spot").unwrap(),
            ),
            row("AWS", "2026-08-01", 12.0, Hyperscaler, on),
        ];
        let h100 = rows[0].chip;
        let r = rent_of(&rows, h100).unwrap();
        assert_eq!(r.value, 3.5);
        assert_eq!(r.as_of, "2026-06");
        assert!(
            r.source
                .starts_with("median of 4 providers' latest neocloud on-demand rents (A $4")
                && r.source.ends_with("2026-03 to 2026-06"),
            "{}",
            r.source
        );
        // Neocloud rents over a year older than the hyperscalers' give way to them.
        rows.push(row("AWS", "2027-09-01", 11.0, Hyperscaler, on));
        let r = rent_of(&rows, h100).unwrap();
        assert_eq!(r.value, 11.0);
        assert!(
            r.source.starts_with("the latest hyperscaler"),
            "{}",
            r.source
        );
        assert!(rent_of(&rows, catalog::find("B200").unwrap()).is_none());
    }

    /// A provider's offers on its latest date count once, at their median, whichever comes
    /// first in the file; its older offers do not count.
    #[test]
    fn a_providers_same_day_offers_count_once_at_their_median() {
        let on = Basis::OnDemand;
        let mut rows = vec![
            row("R", "2026-08-23", 0.30, Neocloud, on),
            row("R", "2026-09-25", 0.34, Neocloud, on),
            row("R", "2026-09-25", 0.74, Neocloud, on),
        ];
        let chip = rows[0].chip;
        let r = rent_of(&rows, chip).unwrap();
        assert!((r.value - 0.54).abs() < 1e-12, "{}", r.value);
        assert!(
            r.source.starts_with(
                "median of one provider's 2 latest neocloud on-demand offers (R $0.34/$0.74"
            ),
            "{}",
            r.source
        );
        rows.push(row("S", "2026-09-01", 1.0, Neocloud, on));
        rows.push(row("T", "2026-09-01", 0.2, Neocloud, on));
        let r = rent_of(&rows, chip).unwrap();
        assert!((r.value - 0.54).abs() < 1e-12, "{}", r.value);
        assert!(
            r.source
                .starts_with("median of 3 providers' latest neocloud on-demand rents (R $0.34/$0.74, S $1, T $0.2"),
            "{}",
            r.source
        );
    }
}
