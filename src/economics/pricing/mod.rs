//! Price inputs: flags, the dated price file, catalog launch prices and documented defaults.
//!
//! Precedence for every input: flag > price file (an entry for the run's chip before a general
//! one) > catalog (launch price only) > documented default ([`PriceItem::default`]). Where no
//! default is defensible (purchase price of an unknown chip, any rental price) the input stays
//! missing and the report says which flag supplies it.

pub mod file;
pub mod item;

pub use file::PriceEntry;
pub use item::PriceItem;

use crate::config::PricingInputs;
use crate::economics::catalog::{self, Chip};
use crate::economics::types::Assumption;
use crate::error::FlError;

/// Where a resolved input came from, in the order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Flag,
    PriceFile,
    /// The catalog's launch price (purchase price only), dated at the chip's release.
    Catalog,
    /// A documented default.
    Default,
}

/// One resolved input with where it came from and the date it holds for.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub item: PriceItem,
    pub value: f64,
    pub unit: String,
    pub source: String,
    pub as_of: String,
    pub origin: Origin,
}

impl Resolved {
    pub fn assumption(&self) -> Assumption {
        Assumption {
            item: self.item.id().to_string(),
            value: self.value,
            unit: self.unit.clone(),
            source: self.source.clone(),
            as_of: self.as_of.clone(),
        }
    }

    /// The years from `chip`'s release to `on` where this is the catalog's launch price and they
    /// exceed [`STALE_LAUNCH_PRICE_YEARS`]; `None` for any other price, or a recent one.
    pub fn stale_launch_price_years(&self, chip: &Chip, on: chrono::NaiveDate) -> Option<f64> {
        let years = (on - chip.release).num_days() as f64 / 365.25;
        (self.origin == Origin::Catalog && years > STALE_LAUNCH_PRICE_YEARS).then_some(years)
    }

    /// The years from `on` to this price's date (negative when the price is older) where it
    /// comes from a price file and they exceed [`STALE_LAUNCH_PRICE_YEARS`] either way: a quote
    /// of today's price taken as what a chip bought years ago paid. `None` for any other price.
    pub fn price_file_years_from(&self, on: chrono::NaiveDate) -> Option<f64> {
        let dated = file::as_of_date(&self.as_of)?;
        let years = (dated - on).num_days() as f64 / 365.25;
        (self.origin == Origin::PriceFile && years.abs() > STALE_LAUNCH_PRICE_YEARS)
            .then_some(years)
    }
}

/// How long after its release a chip may be bought (or costed) before its catalog launch price is
/// flagged as stale: chips' prices move within a year (in `data/observed_prices.csv` a used H100
/// SXM sold for $43,000 in April 2023 and $23,500 in February 2026, and the H100 PCIe's new
/// asking price fell from $34,750 to $25,250 between March 2024 and June 2025).
pub const STALE_LAUNCH_PRICE_YEARS: f64 = 1.0;

/// Every price input, resolved. `None` only where no default is defensible.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedPricing {
    pub price_usd: Option<Resolved>,
    pub cloud_usd_per_hour: Option<Resolved>,
    pub usd_per_kwh: Resolved,
    pub pue: Resolved,
    pub utilization: Resolved,
    pub life_years: Resolved,
    pub discount_rate: Resolved,
    pub overhead: Resolved,
    pub facility_usd_per_kw_month: Resolved,
    pub server_power_factor: Resolved,
    pub maintenance_share_per_year: Resolved,
    pub failure_rate_per_year: Resolved,
    /// A flat network and staff cost per accelerator (0 by default).
    pub network_staff_usd_per_year: Resolved,
    /// Network and staff per all-in kW (0 where only a per-accelerator amount is given).
    pub network_staff_usd_per_kw_year: Resolved,
}

impl ResolvedPricing {
    /// Every resolved input as a report assumption, the running costs (facility, server power,
    /// maintenance, failures, network and staff) included: the same list for a run's report,
    /// `depreciate` and `scenario` (a run's report had left the running costs out, though its
    /// owned hour charges them).
    pub fn assumptions(&self) -> Vec<Assumption> {
        [&self.price_usd, &self.cloud_usd_per_hour]
            .into_iter()
            .flatten()
            .chain(self.cost_inputs())
            .map(Resolved::assumption)
            .collect()
    }

    /// Every input besides the price and the cloud rent: what the owned cost is computed with.
    pub fn cost_inputs(&self) -> [&Resolved; 12] {
        [
            &self.usd_per_kwh,
            &self.pue,
            &self.utilization,
            &self.life_years,
            &self.discount_rate,
            &self.overhead,
            &self.facility_usd_per_kw_month,
            &self.server_power_factor,
            &self.maintenance_share_per_year,
            &self.failure_rate_per_year,
            &self.network_staff_usd_per_year,
            &self.network_staff_usd_per_kw_year,
        ]
    }
}

/// Whether `item`'s flag is given.
pub fn flag_given(inputs: &PricingInputs, item: PriceItem) -> bool {
    flag_value(inputs, item).is_some()
}

fn flag_value(inputs: &PricingInputs, item: PriceItem) -> Option<f64> {
    match item {
        PriceItem::PriceUsd => inputs.price_usd,
        PriceItem::CloudUsdPerHour => inputs.cloud_usd_per_hour,
        PriceItem::UsdPerKwh => inputs.usd_per_kwh,
        PriceItem::Pue => inputs.pue,
        PriceItem::Utilization => inputs.utilization,
        PriceItem::LifeYears => inputs.life_years,
        PriceItem::DiscountRate => inputs.discount_rate,
        PriceItem::Overhead => inputs.overhead,
        PriceItem::FacilityUsdPerKwMonth => inputs.facility_usd_per_kw_month,
        PriceItem::ServerPowerFactor => inputs.server_power_factor,
        PriceItem::MaintenanceSharePerYear => inputs.maintenance_share_per_year,
        PriceItem::FailureRatePerYear => inputs.failure_rate_per_year,
        PriceItem::NetworkStaffUsdPerYear => inputs.network_staff_usd_per_year,
        PriceItem::NetworkStaffUsdPerKwYear => inputs.network_staff_usd_per_kw_year,
    }
}

/// Checks pricing inputs given on the command line (and the price file and `--chip`, so a run
/// fails before it measures); returns them unchanged when they are usable.
pub fn check_inputs(inputs: PricingInputs) -> Result<PricingInputs, FlError> {
    for item in PriceItem::ALL {
        if let Some(v) = flag_value(&inputs, item) {
            item.validate(v)
                .map_err(|e| FlError::usage(format!("{} {v:?}: {e}", item.flag())))?;
        }
    }
    if let Some(name) = &inputs.chip {
        catalog::find(name).map_err(|e| FlError::usage(format!("--chip {name}: {e}")))?;
    }
    if let Some(path) = &inputs.price_file {
        // A price dated ahead of today is a quote or a contract, not a price paid: taken, and
        // said (as `--rents` says of its rents; prices more than five years ahead are refused).
        let today = chrono::Utc::now().date_naive();
        let ahead: Vec<String> = file::load(path)?
            .iter()
            .filter(|e| file::as_of_date(&e.as_of).is_some_and(|d| d > today))
            .map(|e| match e.chip {
                Some(c) => format!("{} of the {} ({})", e.item.id(), c.name, e.as_of),
                None => format!("{} ({})", e.item.id(), e.as_of),
            })
            .collect();
        if !ahead.is_empty() {
            crate::term::note(&format!(
                "{}: {} dated after today ({today}): taken as quoted or contracted prices; if \
                 they were paid, check the year",
                path.display(),
                ahead.join(", ")
            ));
        }
    }
    Ok(inputs)
}

/// Today's date (UTC), the date a value given on the command line holds for.
fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

/// The price-file entry for `item`: one limited to `chip` first, then a general one.
fn from_file<'a>(
    entries: &'a [PriceEntry],
    item: PriceItem,
    chip: Option<&Chip>,
) -> Option<&'a PriceEntry> {
    let for_chip = entries.iter().find(|e| {
        e.item == item
            && e.chip
                .is_some_and(|c| chip.is_some_and(|k| k.name == c.name))
    });
    for_chip.or_else(|| entries.iter().find(|e| e.item == item && e.chip.is_none()))
}

fn resolve_item(
    inputs: &PricingInputs,
    entries: &[PriceEntry],
    file_name: &str,
    item: PriceItem,
    chip: Option<&Chip>,
) -> Option<Resolved> {
    let resolved = |value: f64, source: String, as_of: String, origin: Origin| Resolved {
        item,
        value,
        unit: item.unit().to_string(),
        source,
        as_of,
        origin,
    };
    if let Some(v) = flag_value(inputs, item) {
        return Some(resolved(
            v,
            format!("flag {}", item.flag()),
            today(),
            Origin::Flag,
        ));
    }
    if let Some(e) = from_file(entries, item, chip) {
        let scope = e
            .chip
            .map(|c| format!(" for {}", c.name))
            .unwrap_or_default();
        return Some(resolved(
            e.value,
            format!("price file {file_name}{scope}: {}", e.source),
            e.as_of.clone(),
            Origin::PriceFile,
        ));
    }
    if item == PriceItem::PriceUsd {
        if let Some(c) = chip {
            if let Some(price) = c.launch_price_usd {
                let caveat = if c.uncertain {
                    " (row marked UNCERTAIN)"
                } else {
                    ""
                };
                return Some(resolved(
                    price,
                    format!("catalog launch price of {}{caveat}: {}", c.name, c.source),
                    c.release.format("%Y-%m").to_string(),
                    Origin::Catalog,
                ));
            }
        }
    }
    item.default().map(|d| {
        resolved(
            d.value,
            d.source.to_string(),
            d.as_of.to_string(),
            Origin::Default,
        )
    })
}

/// The price given for whichever chip is valued (`--price-usd`, `--cloud-usd-per-hour`, or a
/// price-file `price_usd` / `cloud_usd_per_hour` entry without `chip`), named as the user gave
/// it; `None` when every chip price names its chip. Commands that value several chips refuse
/// it: one purchase price for an H100 and a B200 is a mistake, not a scenario.
pub fn shared_chip_price(inputs: &PricingInputs) -> Result<Option<String>, FlError> {
    for item in [PriceItem::PriceUsd, PriceItem::CloudUsdPerHour] {
        if flag_value(inputs, item).is_some() {
            return Ok(Some(item.flag().to_string()));
        }
    }
    let Some(path) = &inputs.price_file else {
        return Ok(None);
    };
    Ok(file::load(path)?
        .iter()
        .find(|e| {
            e.chip.is_none() && matches!(e.item, PriceItem::PriceUsd | PriceItem::CloudUsdPerHour)
        })
        .map(|e| {
            format!(
                "the `{}` entry of {} (it names no `chip`)",
                e.item.id(),
                path.display()
            )
        }))
}

/// Below this share of the chip's market price new (`depreciate`, `scenario`) or of its catalog
/// launch price (`run`, `cost`), a price paid is said to be a likely unit slip: `--price-usd 30`
/// for $30,000 valued an H100 at a 14-year life and a payback of a month, without a word.
pub const CHEAP_CAPEX_SHARE: f64 = 0.1;

/// Above this multiple of the same yardsticks, a price paid is said to be a likely slip the
/// other way: a node's or a server's price (4 or 8 chips) typed as one chip's, or a price with
/// extra zeros. `--price-usd 33600000` for an H100 printed an owned hour of $2,595 beside a
/// cloud hour of $3.99, and `--price-usd 1e9` a book ×17,318 above the economic value, without
/// a word (a helper's sweep). Scarce chips have sold at up to about twice their launch price.
pub const DEAR_CAPEX_FACTOR: f64 = 4.0;

/// A note when the price given for `chip` (`--price-usd`, else its price-file entry) is under
/// [`CHEAP_CAPEX_SHARE`] of its catalog launch price, or over [`DEAR_CAPEX_FACTOR`] times it: the check `depreciate` makes against the
/// market's price new, for the commands that fit no market (`run --price-usd 5 --chip "H100
/// SXM"` costed a $5 H100 without a word, a helper's sweep). A chip without a launch price has
/// no yardstick.
pub fn cheap_price_note(inputs: &PricingInputs, chip: &Chip) -> Option<String> {
    // The flag's price, else the chip's price-file entry (which the note had missed: a
    // `price_usd = 336000` for an H100 went without a word in `cost`, a helper's sweep).
    let (price, given) = match inputs.price_usd {
        Some(p) => (p, "--price-usd".to_string()),
        None => {
            let r = resolve(inputs, Some(chip))
                .ok()?
                .price_usd
                .filter(|r| r.origin == Origin::PriceFile)?;
            (r.value, format!("its entry in {}", r.source))
        }
    };
    let launch = chip.launch_price_usd.filter(|p| *p > 0.0)?;
    let fix = if price < CHEAP_CAPEX_SHARE * launch {
        format!("if it was given in thousands of dollars, give it in dollars ({given})")
    } else if price > DEAR_CAPEX_FACTOR * launch {
        format!(
            "if it is a node's or a server's price (several chips), or has zeros too many, give \
             one chip's price in dollars ({given})"
        )
    } else {
        return None;
    };
    Some(format!(
        "the price of the {}, {}, is {} its catalog launch price ({}): {fix}; the costs below \
         take it as paid",
        chip.name,
        crate::units::usd(price),
        share_of(price, launch),
        crate::units::usd(launch)
    ))
}

/// `part` against `whole` as a reader takes it: a percentage under the whole ("8.93 % of"), a
/// multiple over it ("8.10 ×", "1,000 ×").
pub fn share_of(part: f64, whole: f64) -> String {
    let r = part / whole;
    if r < 1.0 {
        format!("{:.2} % of", 100.0 * r)
    } else {
        format!("{} ×", crate::units::num(r))
    }
}

/// The refusal of [`shared_chip_price`] when `chips` (more than one) are valued together.
pub fn refuse_shared_chip_price(inputs: &PricingInputs, chips: usize) -> Result<(), FlError> {
    if chips < 2 {
        return Ok(());
    }
    match shared_chip_price(inputs)? {
        None => Ok(()),
        Some(what) => Err(FlError::usage(format!(
            "{what} prices one chip, and {chips} chips are valued; give each chip its price as \
             a price-file entry with `chip = \"NAME\"`, or value the chips one at a time"
        ))),
    }
}

/// Notes for the price-file entries limited to a chip that is none of `chips`: they change
/// nothing here, and a misspelt or mismatched chip would otherwise go unnoticed (a helper's
/// sweep: a `price_usd` for the B200 given to `cost --chips "H100 SXM"` was dropped without a
/// word, while a file with no entries is refused).
pub fn entries_for_other_chips(
    inputs: &PricingInputs,
    chips: &[&Chip],
) -> Result<Vec<String>, FlError> {
    let Some(path) = &inputs.price_file else {
        return Ok(Vec::new());
    };
    let here: Vec<&str> = chips.iter().map(|c| c.name.as_str()).collect();
    // No chip matched (a run on an adapter the catalog lacks, without --chip): every chip's
    // entry changes nothing, and the fix is the chip.
    let here_text = if here.is_empty() {
        "no catalog chip is matched here: pass --chip NAME".to_string()
    } else {
        here.join(", ")
    };
    Ok(file::load(path)?
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let chip = e.chip?;
            (!here.contains(&chip.name.as_str())).then(|| {
                format!(
                    "{} [[price]] entry {} (`{}` for {}) applies to none of the chips here ({}); \
                     it changes nothing",
                    path.display(),
                    i + 1,
                    e.item.id(),
                    chip.name,
                    here_text
                )
            })
        })
        .collect())
}

/// Resolves every price input for `chip` (the matched catalog row, if any).
pub fn resolve(inputs: &PricingInputs, chip: Option<&Chip>) -> Result<ResolvedPricing, FlError> {
    let (entries, file_name) = match &inputs.price_file {
        Some(path) => (file::load(path)?, path.display().to_string()),
        None => (Vec::new(), String::new()),
    };
    let get = |item| resolve_item(inputs, &entries, &file_name, item, chip);
    let always = |item: PriceItem| {
        get(item).ok_or_else(|| {
            FlError::usage(format!("no value for {}; set {}", item.id(), item.flag()))
        })
    };
    let per_accelerator = always(PriceItem::NetworkStaffUsdPerYear)?;
    let per_kw = network_staff_per_kw(
        &per_accelerator,
        always(PriceItem::NetworkStaffUsdPerKwYear)?,
    );
    Ok(ResolvedPricing {
        price_usd: get(PriceItem::PriceUsd),
        cloud_usd_per_hour: get(PriceItem::CloudUsdPerHour),
        usd_per_kwh: always(PriceItem::UsdPerKwh)?,
        pue: always(PriceItem::Pue)?,
        utilization: always(PriceItem::Utilization)?,
        life_years: always(PriceItem::LifeYears)?,
        discount_rate: always(PriceItem::DiscountRate)?,
        overhead: always(PriceItem::Overhead)?,
        facility_usd_per_kw_month: always(PriceItem::FacilityUsdPerKwMonth)?,
        server_power_factor: always(PriceItem::ServerPowerFactor)?,
        maintenance_share_per_year: always(PriceItem::MaintenanceSharePerYear)?,
        failure_rate_per_year: always(PriceItem::FailureRatePerYear)?,
        network_staff_usd_per_year: per_accelerator,
        network_staff_usd_per_kw_year: per_kw,
    })
}

/// The network and staff cost by the kW, unless only a flat amount per accelerator is given
/// (by flag or price file): that amount then replaces it (a user who sets the cost per
/// accelerator, as before December 2026, gets that and no more); given both ways, both count.
fn network_staff_per_kw(per_accelerator: &Resolved, per_kw: Resolved) -> Resolved {
    if per_accelerator.origin == Origin::Default || per_kw.origin != Origin::Default {
        return per_kw;
    }
    Resolved {
        value: 0.0,
        source: format!(
            "replaced by the cost per accelerator, {} ({})",
            per_accelerator.item.id(),
            per_accelerator.source
        ),
        ..per_kw
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_errors_name_the_flag() {
        let bad = |f: fn(&mut PricingInputs)| {
            let mut a = PricingInputs::default();
            f(&mut a);
            check_inputs(a).unwrap_err().to_string()
        };
        assert!(bad(|a| a.price_usd = Some(-5.0)).contains("--price-usd"));
        assert!(bad(|a| a.cloud_usd_per_hour = Some(0.0)).contains("--cloud-usd-per-hour"));
        assert!(bad(|a| a.pue = Some(0.8)).contains("--pue"));
        assert!(bad(|a| a.utilization = Some(1.5)).contains("--utilization"));
        assert!(bad(|a| a.discount_rate = Some(1.0)).contains("--discount-rate"));
        assert!(bad(|a| a.life_years = Some(0.0)).contains("--life-years"));
        assert!(bad(|a| a.overhead = Some(0.5)).contains("--overhead"));
        // Tiny positive prices made FLOP per dollar infinite, written to reports as null.
        assert!(bad(|a| a.cloud_usd_per_hour = Some(5e-324)).contains("--cloud-usd-per-hour"));
        assert!(bad(|a| a.usd_per_kwh = Some(1e-300)).contains("--usd-per-kwh"));
        assert!(bad(|a| a.chip = Some("nosuchchip".into())).contains("--chip"));
        assert!(bad(|a| a.price_file = Some("/nonexistent.toml".into())).contains("--price-file"));
        assert!(check_inputs(PricingInputs::default()).is_ok());
    }

    #[test]
    fn precedence_flag_then_catalog_then_default() {
        let h100 = catalog::find("H100 SXM").unwrap();
        let none = resolve(&PricingInputs::default(), Some(h100)).unwrap();
        let price = none.price_usd.unwrap();
        assert_eq!(price.value, 33600.0);
        assert!(price.source.contains("catalog") && price.source.contains("UNCERTAIN"));
        assert_eq!(none.pue.value, 1.2);
        assert!(none.pue.source.starts_with("default"));
        assert!(none.cloud_usd_per_hour.is_none());
        let flags = PricingInputs {
            price_usd: Some(30_000.0),
            ..Default::default()
        };
        let r = resolve(&flags, Some(h100)).unwrap();
        let given = r.price_usd.unwrap();
        assert_eq!(given.source, "flag --price-usd");
        // Only the catalog's launch price goes stale, and only a year after the release.
        let on = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(price.stale_launch_price_years(h100, on(2023, 6, 1)), None);
        let later = price.stale_launch_price_years(h100, on(2026, 6, 1));
        assert!(later.is_some_and(|y| (y - 3.71).abs() < 0.01), "{later:?}");
        assert_eq!(given.stale_launch_price_years(h100, on(2026, 6, 1)), None);
        // A price file's price is far from a purchase more than a year either way from its date.
        let quoted = Resolved {
            origin: Origin::PriceFile,
            as_of: "2026-10".to_string(),
            ..given.clone()
        };
        assert_eq!(quoted.price_file_years_from(on(2026, 1, 1)), None);
        let years = quoted.price_file_years_from(on(2022, 9, 15));
        assert!(years.is_some_and(|y| (y - 4.04).abs() < 0.01), "{years:?}");
        let older = quoted.price_file_years_from(on(2028, 1, 1));
        assert!(older.is_some_and(|y| y < -1.0), "{older:?}");
        assert_eq!(given.price_file_years_from(on(2020, 1, 1)), None);
        // An unknown chip has no price to fall back on.
        assert!(resolve(&PricingInputs::default(), None)
            .unwrap()
            .price_usd
            .is_none());
    }

    /// Network and staff are charged by the kW; a flat amount per accelerator, given alone,
    /// replaces that (as before December 2026), and given both ways both count.
    #[test]
    fn network_and_staff_by_the_kw_unless_given_per_accelerator() {
        let get = |inputs: PricingInputs| {
            let r = resolve(&inputs, None).unwrap();
            (
                r.network_staff_usd_per_year.value,
                r.network_staff_usd_per_kw_year.value,
                r.network_staff_usd_per_kw_year.source,
            )
        };
        let (flat, per_kw, _) = get(PricingInputs::default());
        assert_eq!((flat, per_kw), (0.0, item::NETWORK_STAFF_USD_PER_KW_YEAR));
        let (flat, per_kw, source) = get(PricingInputs {
            network_staff_usd_per_year: Some(2000.0),
            ..Default::default()
        });
        assert_eq!((flat, per_kw), (2000.0, 0.0));
        assert!(source.contains("network_staff_usd_per_year"), "{source}");
        let both = get(PricingInputs {
            network_staff_usd_per_year: Some(2000.0),
            network_staff_usd_per_kw_year: Some(100.0),
            ..Default::default()
        });
        assert_eq!((both.0, both.1), (2000.0, 100.0));
    }

    #[test]
    fn price_file_sits_between_flags_and_catalog() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("prices.toml");
        std::fs::write(
            &path,
            "[[price]]\nitem = \"price_usd\"\nchip = \"h100 sxm\"\nvalue = 25000\n\
             unit = \"USD\"\nsource = \"quote\"\nas_of = \"2025-03\"\n",
        )
        .unwrap();
        let h100 = catalog::find("H100 SXM").unwrap();
        let inputs = PricingInputs {
            price_file: Some(path),
            ..Default::default()
        };
        let r = resolve(&inputs, Some(h100)).unwrap();
        let p = r.price_usd.unwrap();
        assert_eq!((p.value, p.as_of.as_str()), (25000.0, "2025-03"));
        // The entry is limited to the H100: another chip falls back to its catalog price.
        let b200 = catalog::find("B200").unwrap();
        let other = resolve(&inputs, Some(b200)).unwrap().price_usd.unwrap();
        assert!(other.source.contains("catalog"));
        // …and valuing only the B200, the entry is named as changing nothing.
        assert!(entries_for_other_chips(&inputs, &[h100])
            .unwrap()
            .is_empty());
        let unused = entries_for_other_chips(&inputs, &[b200]).unwrap();
        assert_eq!(unused.len(), 1);
        assert!(
            unused[0].contains("entry 1 (`price_usd` for NVIDIA H100")
                && unused[0].contains("changes nothing"),
            "{unused:?}"
        );
    }
}
