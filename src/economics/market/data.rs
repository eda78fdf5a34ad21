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

/// One observed price of one GPU-hour.
#[derive(Debug, Clone, PartialEq)]
pub struct RentObservation {
    pub chip: &'static Chip,
    pub date: NaiveDate,
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
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut row_lines = Vec::new();
    let mut skipped = Vec::new();
    let today = chrono::Utc::now().date_naive();
    // A row repeated whole (a file appended to itself, a line pasted twice) is one observation:
    // counted twice it would narrow every band it enters.
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
                let why = match catalog::find_all(catalog_name(&row.chip)) {
                    Ok(several) if several.len() > 1 => format!(
                        "{} could be any of {}: name one in full",
                        row.chip,
                        several
                            .iter()
                            .map(|c| c.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    _ => format!("{} is not in the catalog", row.chip),
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
            row.provider.trim().to_string(),
            row.basis.trim().to_string(),
            row.offer.trim().to_string(),
            row.source.trim().to_string(),
        );
        match seen.entry(key) {
            std::collections::hash_map::Entry::Occupied(first) => {
                skipped.push(format!(
                    "row {line} repeats row {} whole: counted once",
                    first.get()
                ));
                continue;
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(line);
            }
        }
        row_lines.push(line);
        rows.push(RentObservation {
            chip,
            date,
            usd_per_hour: usd_per_gpu_hour,
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
                "row {line}: {} at ${}/h is {} the median of its rents in the file (${median}/h); \
                 check the decimal point (one GPU's rent per hour) or the chip",
                o.chip.name,
                o.usd_per_hour,
                if ratio > 1.0 {
                    format!("{ratio:.0} ×")
                } else {
                    format!("1/{:.0} of", 1.0 / ratio)
                }
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
mod tests {
    use super::*;

    #[test]
    fn the_shipped_panel_resolves_almost_every_row() {
        let p = shipped().unwrap();
        assert!(
            p.rows.len() >= 300,
            "{} rows, skipped {:?}",
            p.rows.len(),
            p.skipped
        );
        assert!(p.rows.iter().any(|r| r.class == ProviderClass::Hyperscaler));
        assert!(p.rows.iter().any(|r| r.basis == Basis::ContractIndex));
    }

    #[test]
    fn bad_rows_name_the_line_and_the_fix() {
        let head = "chip,date,usd_per_gpu_hour,provider,offer,basis,source,url_or_reference,note\n";
        let bad_date = format!("{head}NVIDIA B200,2025-13-01,3.0,Lambda,x,on-demand,s,u,n\n");
        assert!(parse(&bad_date, "f.csv")
            .unwrap_err()
            .to_string()
            .contains("row 2"));
        let bad_basis = format!("{head}NVIDIA B200,2025-01-01,3.0,Lambda,x,hourly,s,u,n\n");
        assert!(parse(&bad_basis, "f.csv")
            .unwrap_err()
            .to_string()
            .contains("on-demand"));
        let unknown = format!("{head}Acme Z9,2025-01-01,3.0,Lambda,x,on-demand,s,u,n\n");
        let p = parse(&unknown, "f.csv").unwrap();
        assert!(p.rows.is_empty() && p.skipped[0].contains("Acme Z9"));
        // A name that several rows share is skipped with them, not called unknown.
        let several = format!("{head}H100,2025-01-01,3.0,Lambda,x,on-demand,s,u,n\n");
        let p = parse(&several, "f.csv").unwrap();
        assert!(
            p.skipped[0].contains("H100 could be any of NVIDIA H100 SXM5 80GB, NVIDIA H100 PCIe"),
            "{:?}",
            p.skipped
        );
        // The number is the file's line: comment and blank lines count.
        let row = "NVIDIA B200,2025-01-01,3.0,Lambda,x,on-demand,s,u,n\n";
        let commented =
            format!("# rents\n{head}# more\n\n{row}NVIDIA B200,2025-13-01,3,L,x,on-demand,s,u,n\n");
        let e = parse(&commented, "f.csv").unwrap_err().to_string();
        assert!(e.contains("row 6:"), "{e}");
        let tiny = format!("{head}NVIDIA B200,2025-01-01,0.0000001,Lambda,x,on-demand,s,u,n\n");
        let e = parse(&tiny, "f.csv").unwrap_err().to_string();
        assert!(e.contains("row 2") && e.contains("decimal point"), "{e}");
        // A huge price is named as short as it was typed, not as 301 digits.
        let huge = format!("{head}NVIDIA B200,2025-01-01,1e300,Lambda,x,on-demand,s,u,n\n");
        let e = parse(&huge, "f.csv").unwrap_err().to_string();
        assert!(e.contains("usd_per_gpu_hour 1e300 must"), "{e}");
        let short = format!("{head}\n{row}NVIDIA B200,2025-01-01\n");
        let e = parse(&short, "f.csv").unwrap_err().to_string();
        assert!(e.contains("row 4:"), "{e}");
    }

    /// A header is read whatever its case and spaces; one that lacks a column is refused with
    /// the columns it has (the rows were blamed before: "row 2: missing field `chip`"), and a
    /// `;`-separated file is told so. A price may carry a `$`; other units and impossible days
    /// are named with their value.
    #[test]
    fn headers_prices_and_days_are_read_as_users_write_them() {
        let row = "NVIDIA B200,2025-01-01,3.0,Lambda,x,on-demand\n";
        let p = parse(
            &format!(" Chip ,Date,USD_per_GPU_hour ,Provider,Offer,Basis\n{row}"),
            "f",
        )
        .unwrap();
        assert_eq!(p.rows.len(), 1);
        let e = parse(&format!("chip,date,price,provider,offer,basis\n{row}"), "f")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("lacks usd_per_gpu_hour") && e.contains("\"price\""),
            "{e}"
        );
        let e = parse(
            "chip;date;usd_per_gpu_hour;provider;basis\nA;b;c;d;e\n",
            "f",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("separated by ';'"), "{e}");
        let dollars =
            "chip,date,usd_per_gpu_hour,provider,basis\nNVIDIA B200,2025-01-01, $3.5 ,L,spot\n";
        assert_eq!(parse(dollars, "f").unwrap().rows[0].usd_per_hour, 3.5);
        let euros = dollars.replace('$', "€");
        let e = parse(&euros, "f").unwrap_err().to_string();
        assert!(
            e.contains("row 2: usd_per_gpu_hour \"€3.5\" is not a number"),
            "{e}"
        );
        let feb = dollars.replace("2025-01-01", "2025-02-30");
        let e = parse(&feb, "f").unwrap_err().to_string();
        assert!(
            e.contains("\"2025-02-30\" is not a day of the calendar"),
            "{e}"
        );
    }

    /// Dates no rent can have are refused with the row: outside 2000–2100, or years in the
    /// future (one K80 row typed 2999 stretched the H100's life past 30 years).
    #[test]
    fn impossible_dates_are_refused_with_the_row() {
        let head = "chip,date,usd_per_gpu_hour,provider,offer,basis,source\n";
        for (date, says) in [
            ("2999-01-01", "outside 2000–2100"),
            ("1900-01-01", "outside 2000–2100"),
            ("2099-01-01", "more than five years after today"),
        ] {
            let text = format!("{head}NVIDIA B200,{date},3.0,Lambda,x,on-demand,s\n");
            let e = parse(&text, "f.csv").unwrap_err().to_string();
            assert!(e.contains("row 2") && e.contains(says), "{date}: {e}");
        }
    }

    /// A rent far from its chip's others (a slipped decimal point) and a rent dated after today
    /// are refused with the row (a helper's sweep moved the H100's value by 24 % with one K80
    /// typed $900, and by 38 % with one dated 2030).
    #[test]
    fn slipped_decimal_points_and_future_dates_are_refused() {
        let shipped = SHIPPED_CSV.trim_end();
        let lines = shipped.lines().count();
        let slip = format!("{shipped}\nNVIDIA Tesla K80,2019-01-01,900,AWS,x,on-demand,s,,\n");
        let e = parse(&slip, "f.csv").unwrap_err().to_string();
        assert!(
            e.contains(&format!("row {}", lines + 1)) && e.contains("1000 × the median"),
            "{e}"
        );
        let low = format!("{shipped}\nNVIDIA Tesla K80,2019-01-01,0.01,AWS,x,on-demand,s,,\n");
        let e = parse(&low, "f.csv").unwrap_err().to_string();
        assert!(e.contains("1/90 of the median"), "{e}");
        let later = chrono::Utc::now().date_naive() + chrono::Duration::days(400);
        let future = format!("{shipped}\nNVIDIA Tesla K80,{later},0.9,AWS,x,on-demand,s,,\n");
        let e = parse(&future, "f.csv").unwrap_err().to_string();
        assert!(
            e.contains("after today") && e.contains("check the year"),
            "{e}"
        );
    }

    /// A row without a provider is refused with the row (a helper's sweep found it was taken as
    /// a neocloud's price).
    #[test]
    fn a_row_without_a_provider_is_refused() {
        let head = "chip,date,usd_per_gpu_hour,provider,offer,basis,source\n";
        let text = format!("{head}NVIDIA B200,2025-06-01,3.0,  ,x,on-demand,s\n");
        let e = parse(&text, "f.csv").unwrap_err().to_string();
        assert!(e.contains("row 2: provider is empty"), "{e}");
    }

    /// A rent dated well before the chip existed is refused with the row; early access (up to
    /// half a year before the catalog's release) is taken.
    #[test]
    fn a_rent_before_the_chip_existed_is_refused() {
        let head = "chip,date,usd_per_gpu_hour,provider,offer,basis,source\n";
        let h100 = catalog::find("H100-SXM").unwrap();
        let row = |date: chrono::NaiveDate| {
            format!("{head}{},{date},3.0,Lambda,x,on-demand,s\n", h100.name)
        };
        let typo = h100.release - chrono::Duration::days(3650);
        let e = parse(&row(typo), "f.csv").unwrap_err().to_string();
        assert!(
            e.contains("row 2") && e.contains("before its release"),
            "{e}"
        );
        let early = h100.release - chrono::Duration::days(90);
        assert_eq!(parse(&row(early), "f.csv").unwrap().rows.len(), 1);
    }

    /// A row repeated whole is counted once and named; the same price from another offer or
    /// source is another observation.
    #[test]
    fn a_row_repeated_whole_is_counted_once() {
        let head = "chip,date,usd_per_gpu_hour,provider,offer,basis,source\n";
        let row = "NVIDIA B200,2025-06-01,3.0,Lambda,1x,on-demand,s\n";
        let other = "NVIDIA B200,2025-06-01,3.0,Lambda,8x,on-demand,s\n";
        let p = parse(&format!("{head}{row}{other}{row}{row}"), "f.csv").unwrap();
        assert_eq!(p.rows.len(), 2);
        assert_eq!(
            p.skipped,
            [
                "row 4 repeats row 2 whole: counted once",
                "row 5 repeats row 2 whole: counted once"
            ]
        );
        let shipped = shipped().unwrap();
        assert!(
            !shipped.skipped.iter().any(|s| s.contains("repeats")),
            "{:?}",
            shipped.skipped
        );
    }

    #[test]
    fn decimal_years_round_trip() {
        let d = NaiveDate::from_ymd_opt(2024, 7, 2).unwrap();
        assert!((year_of(d) - 2024.5).abs() < 0.01);
        assert_eq!(date_of(year_of(d)), d);
    }
}
