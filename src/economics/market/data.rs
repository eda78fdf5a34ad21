//! Observed rental prices: the panel the market fit reads (`data/market_rents.csv`, or a file
//! of the same columns), each row resolved to a catalog chip, a provider class and a basis.

use crate::economics::catalog::{self, Chip};
use crate::economics::pricing::item::{MAX_CLOUD_USD_PER_HOUR, MIN_RENT_USD_PER_HOUR};
use crate::error::FlError;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

const SHIPPED_CSV: &str = include_str!("../../../data/market_rents.csv");
/// Where the shipped panel comes from, for notes and reports.
pub const SHIPPED_NAME: &str = "data/market_rents.csv";

pub use super::segments::{Basis, ProviderClass};

/// One observed price of one device-hour of a catalog chip.
#[derive(Debug, Clone, PartialEq)]
pub struct RentObservation {
    pub chip: &'static Chip,
    pub date: NaiveDate,
    /// USD per hour of one device of the catalog row: the file's price per cloud GPU times the
    /// GPUs a cloud counts on the device ([`Chip::device_rent`]; 2 for a K80 board, the unit
    /// its catalog figures are given in; 1 for every other chip). [`Self::quoted_usd_per_hour`]
    /// is the file's own figure.
    pub usd_per_hour: f64,
    pub class: ProviderClass,
    pub basis: Basis,
    pub provider: String,
    /// Where the price was read (the file's `source` column; empty when the file has none).
    pub source: String,
}

/// The rows that resolved, and what was left out and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    pub name: String,
    pub rows: Vec<RentObservation>,
    pub skipped: Vec<String>,
}

impl RentObservation {
    /// The price as the file quotes it, USD per cloud GPU-hour.
    pub fn quoted_usd_per_hour(&self) -> f64 {
        self.usd_per_hour / f64::from(self.chip.cloud_gpus)
    }
}

impl Panel {
    /// The rows as they were read (chip, date, price, provider, class, basis; one line each, in
    /// the file's order): what seeds the bootstrap, so equal prices draw equal bands.
    pub fn content_key(&self) -> String {
        let mut key = String::with_capacity(self.rows.len() * 64);
        for r in &self.rows {
            key += &format!(
                "{}|{}|{:e}|{}|{:?}|{:?}\n",
                r.chip.name, r.date, r.usd_per_hour, r.provider, r.class, r.basis
            );
        }
        key
    }
}

#[derive(Deserialize)]
struct Row {
    chip: String,
    date: String,
    usd_per_gpu_hour: String,
    provider: String,
    basis: String,
    #[serde(default)]
    offer: String,
    #[serde(default)]
    source: String,
}

/// Names in the rent file that the catalog spells otherwise (data/README.md).
fn catalog_name(chip: &str) -> &str {
    match chip.trim() {
        "NVIDIA GB200" => "NVIDIA GB200 (per GPU)",
        "Google TPU v6e" => "Google TPU v6e (Trillium)",
        "NVIDIA Tesla V100 16GB (form factor unspecified)" => "NVIDIA Tesla V100 SXM2 16GB",
        other => other,
    }
}

/// The shipped panel.
pub fn shipped() -> Result<Panel, FlError> {
    parse(SHIPPED_CSV, SHIPPED_NAME)
}

/// A panel from a file with the columns of `data/market_rents.csv`.
pub fn read(path: &std::path::Path) -> Result<Panel, FlError> {
    let text = crate::files::read_input(path, "a CSV with the columns of data/market_rents.csv")?;
    parse(&text, &path.display().to_string())
}

/// How long before a chip's catalog release a rent may be dated (early access, previews); a
/// row dated earlier is a typo (2014 for 2024) and would put the chip ahead of the frontier of
/// its date.
pub const EARLY_RENT_DAYS: i64 = 183;

/// How far one rent may lie from the median of its chip's rents in the file (either way)
/// before it is taken for a typing slip: the shipped panel's widest is 8.5 × (a K80 at
/// $0.11 on a marketplace against its $0.90 list), and one K80 typed $900 moved the H100's
/// value at 3 years from $22,189 to $16,913 without a word.
pub const MAX_RENT_SPREAD: f64 = 30.0;

/// Fewest rents of a chip before its median is a yardstick for [`MAX_RENT_SPREAD`].
const SPREAD_MIN_ROWS: usize = 3;

/// Days past today a rent may be dated (time zones, a file written tonight): a rent observed
/// in the future is a mistyped year.
pub const FUTURE_RENT_DAYS: i64 = 2;

/// The columns a rent file must have (data/market_rents.csv has more, which are kept as notes).
const REQUIRED_COLUMNS: [&str; 5] = ["chip", "date", "usd_per_gpu_hour", "provider", "basis"];

/// The header of a rent file with its names trimmed and in lower case (`Chip`, `basis `), or
/// what is missing from it: the columns it has against the ones it needs, and a file whose
/// fields are separated by `;` or tabs is told so.
fn header_of(raw: &csv::StringRecord, name: &str) -> Result<csv::StringRecord, FlError> {
    let header: csv::StringRecord = raw.iter().map(|h| h.trim().to_lowercase()).collect();
    let missing: Vec<&str> = REQUIRED_COLUMNS
        .into_iter()
        .filter(|c| !header.iter().any(|h| h == *c))
        .collect();
    if missing.is_empty() {
        return Ok(header);
    }
    if raw.iter().all(|h| h.trim().is_empty()) {
        return Err(FlError::input(
            name,
            format!(
                "it is empty (no header, no rows); a rent file is a CSV with the columns {} \
                 (see data/market_rents.csv)",
                REQUIRED_COLUMNS.join(", ")
            ),
        ));
    }
    let separated = match raw.get(0) {
        Some(first) if raw.len() == 1 && first.contains(';') => {
            "; its fields are separated by ';': flopledger reads commas"
        }
        Some(first) if raw.len() == 1 && first.contains('\t') => {
            "; its fields are separated by tabs: flopledger reads commas"
        }
        _ => "",
    };
    Err(FlError::input(
        name,
        format!(
            "the header (line 1 after any # comments) lacks {}: it has {}{separated}; a rent \
             file needs the columns {} (the others of data/market_rents.csv are optional)",
            missing.join(", "),
            raw.iter()
                .map(|h| format!("{h:?}"))
                .collect::<Vec<_>>()
                .join(", "),
            REQUIRED_COLUMNS.join(", ")
        ),
    ))
}

/// Parses a rent CSV. Malformed rows are errors that name the line; rows of chips the catalog
/// lacks (or lacks bandwidth, memory or a peak for) are skipped and listed.
pub fn parse(text: &str, name: &str) -> Result<Panel, FlError> {
    let text = &*crate::economics::depreciation::series::without_empty_rows(text);
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut row_lines = Vec::new();
    let mut skipped = Vec::new();
    let today = chrono::Utc::now().date_naive();
    // A row repeated whole (a file appended to itself, a line pasted twice) is one observation:
    // counted twice it would narrow every band it enters. So is one provider's price of a chip
    // on a basis and date read from two sources or under two offer names (two aggregators
    // copying one price list): until 6 December 2026 such copies counted apart, and a panel
    // doubled under a second source name kept two premium episodes the original does not.
    let mut seen = std::collections::HashMap::new();
    let headers = header_of(
        reader
            .headers()
            .map_err(|e| FlError::input(name, format!("unreadable CSV header ({e})")))?,
        name,
    )?;
    let mut lines = crate::economics::depreciation::series::Lines::new(text);
    let bad_row = |line: usize, e: csv::Error| {
        // The reader's own text counts records and lines from elsewhere ("record 115 (line:
        // 115 …)" for row 116): only what is wrong is said, at the file's line.
        let why = match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("it has {len} fields where the header has {expected_len}"),
            _ => e.to_string(),
        };
        FlError::input(
            name,
            format!(
                "row {line}: {why}; each row needs chip, date (YYYY-MM-DD), usd_per_gpu_hour, \
                 provider and basis (a field holding a comma is quoted: \"Lambda, Inc.\")"
            ),
        )
    };
    for record in reader.records() {
        let record = record.map_err(|e| bad_row(lines.of(e.position()), e))?;
        let line = lines.of(record.position());
        if crate::economics::depreciation::series::repeats_header(&record, &headers) {
            return Err(FlError::input(
                name,
                crate::economics::depreciation::series::repeated_header(line),
            ));
        }
        let row: Row = record
            .deserialize(Some(&headers))
            .map_err(|e| bad_row(line, e))?;
        let date = crate::economics::depreciation::series::parse_day(&row.date)
            .map_err(|why| FlError::input(name, format!("row {line}: {why}")))?;
        let usd_per_gpu_hour = crate::economics::depreciation::series::parse_usd(
            &row.usd_per_gpu_hour,
        )
        .map_err(|why| FlError::input(name, format!("row {line}: usd_per_gpu_hour {why}")))?;
        if let Some(why) = crate::economics::depreciation::series::price_date_problem(date) {
            return Err(FlError::input(name, format!("row {line}: {why}")));
        }
        // The shipped panel is curated: a machine whose clock runs behind must still read it.
        if name != SHIPPED_NAME && (date - today).num_days() > FUTURE_RENT_DAYS {
            return Err(FlError::input(
                name,
                format!(
                    "row {line}: a rent dated {date}, after today ({today}), was not observed \
                     yet; check the year"
                ),
            ));
        }
        if !(usd_per_gpu_hour.is_finite()
            && (MIN_RENT_USD_PER_HOUR..=MAX_CLOUD_USD_PER_HOUR).contains(&usd_per_gpu_hour))
        {
            return Err(FlError::input(
                name,
                format!(
                    "row {line}: usd_per_gpu_hour {:?} must be a price from \
                     ${MIN_RENT_USD_PER_HOUR} to ${MAX_CLOUD_USD_PER_HOUR} per GPU-hour (one \
                     GPU's rent, not a node's; under a cent, check the decimal point)",
                    usd_per_gpu_hour
                ),
            ));
        }
        if row.provider.trim().is_empty() {
            return Err(FlError::input(
                name,
                format!(
                    "row {line}: provider is empty: name who rents the GPU (e.g. AWS, Lambda); \
                     the fit tells hyperscalers from other providers by it"
                ),
            ));
        }
        let basis = Basis::parse(&row.basis).ok_or_else(|| {
            FlError::input(
                name,
                format!(
                    "row {line}: basis {:?} is not one of {}",
                    row.basis,
                    Basis::ALL.map(Basis::id).join(", ")
                ),
            )
        })?;
        let chip = match catalog::find(catalog_name(&row.chip)) {
            Ok(c) if super::features::Attributes::of(c).is_some() => c,
            Ok(c) => {
                skipped.push(format!(
                    "row {line}: {} lacks bandwidth, memory or a peak in the catalog",
                    c.name
                ));
                continue;
            }
            Err(_) => {
                let chip = crate::term::visible(&row.chip);
                let why = match catalog::find_all(catalog_name(&row.chip)) {
                    _ if row.chip.trim().is_empty() => "the chip cell is empty".to_string(),
                    Ok(several) if several.len() > 1 => format!(
                        "{chip} could be any of {}: name one in full",
                        several
                            .iter()
                            .map(|c| c.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    // A word of the name that no row it names has: the refusal says which.
                    Err(e) if e.to_string().contains("matches nothing in") => {
                        e.to_string().lines().next().unwrap_or_default().to_string()
                    }
                    _ => format!("{chip} is not in the catalog"),
                };
                skipped.push(format!("row {line}: {why}"));
                continue;
            }
        };
        if date < chip.release - chrono::Duration::days(EARLY_RENT_DAYS) {
            return Err(FlError::input(
                name,
                format!(
                    "row {line}: {} is rented on {date}, more than {EARLY_RENT_DAYS} days before \
                     its release ({}): no one rented it then; check the year or the chip",
                    chip.name,
                    chip.release.format("%Y-%m")
                ),
            ));
        }
        let key = (
            chip.name.as_str(),
            date,
            usd_per_gpu_hour.to_bits(),
            row.provider.trim().to_lowercase(),
            basis,
        );
        let whole = (row.offer.trim().to_string(), row.source.trim().to_string());
        match seen.entry(key) {
            std::collections::hash_map::Entry::Occupied(first) => {
                let (first_line, first_whole) = first.get();
                skipped.push(if *first_whole == whole {
                    format!("row {line} repeats row {first_line} whole: counted once")
                } else {
                    format!(
                        "row {line} repeats row {first_line}'s price (the same chip, date, \
                         provider and basis, from another source or offer name): counted once"
                    )
                });
                continue;
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert((line, whole));
            }
        }
        row_lines.push(line);
        rows.push(RentObservation {
            chip,
            date,
            usd_per_hour: chip.device_rent(usd_per_gpu_hour),
            class: ProviderClass::of_provider(&row.provider),
            basis,
            provider: row.provider,
            source: row.source,
        });
    }
    if let Some(why) = outlying_rent(&rows, &row_lines) {
        return Err(FlError::input(name, why));
    }
    Ok(Panel {
        name: name.to_string(),
        rows,
        skipped,
    })
}

/// The first rent more than [`MAX_RENT_SPREAD`] times above or below the median of its chip's
/// rents (chips with at least [`SPREAD_MIN_ROWS`]), as a refusal naming the row.
fn outlying_rent(rows: &[RentObservation], lines: &[usize]) -> Option<String> {
    let mut by_chip: std::collections::BTreeMap<&str, Vec<f64>> = Default::default();
    for o in rows {
        by_chip
            .entry(o.chip.name.as_str())
            .or_default()
            .push(o.usd_per_hour);
    }
    let medians: std::collections::HashMap<&str, f64> = by_chip
        .into_iter()
        .filter(|(_, v)| v.len() >= SPREAD_MIN_ROWS)
        .map(|(chip, mut v)| {
            v.sort_by(f64::total_cmp);
            (chip, crate::measure::stats::quantile(&v, 0.5))
        })
        .collect();
    rows.iter().zip(lines).find_map(|(o, line)| {
        let median = *medians.get(o.chip.name.as_str())?;
        let ratio = o.usd_per_hour / median;
        (!(1.0 / MAX_RENT_SPREAD..=MAX_RENT_SPREAD).contains(&ratio)).then(|| {
            format!(
                "row {line}: {} at ${}/h is {} the median of its rents in the file (${}/h); \
                 check the decimal point (one GPU's rent per hour) or the chip",
                o.chip.name,
                o.quoted_usd_per_hour(),
                if ratio > 1.0 {
                    format!("{ratio:.0} ×")
                } else {
                    format!("1/{:.0} of", 1.0 / ratio)
                },
                median / f64::from(o.chip.cloud_gpus)
            )
        })
    })
}

/// A date as a decimal year (2024-07-02 → 2024.5).
pub fn year_of(date: NaiveDate) -> f64 {
    let leap = NaiveDate::from_ymd_opt(date.year(), 2, 29).is_some();
    let days = if leap { 366.0 } else { 365.0 };
    date.year() as f64 + f64::from(date.ordinal0()) / days
}

/// The date of a decimal year (inverse of [`year_of`], to the day).
pub fn date_of(year: f64) -> NaiveDate {
    let y = year.floor() as i32;
    let start = NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(NaiveDate::MIN);
    let leap = NaiveDate::from_ymd_opt(y, 2, 29).is_some();
    let days = ((year - year.floor()) * if leap { 366.0 } else { 365.0 }).round() as u64;
    start
        .checked_add_days(chrono::Days::new(days))
        .unwrap_or(start)
}

#[cfg(test)]
mod tests;
