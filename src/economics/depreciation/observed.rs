//! Observed market prices of older chips: the shipped `data/observed_prices.csv` (compiled in)
//! or a user file of the same form, read, checked and grouped into series.
//!
//! CSV columns (header required, `#` lines are comments): `chip,date,usd,unit,kind,series,
//! consistency,source` and an optional `note`. `unit` is `usd_per_hour` (rental) or `usd`
//! (purchase or resale price of one unit). Rows with the same chip and `series` form one series,
//! fitted to one decline rate; their dates must increase down the file.

use crate::economics::pricing::item::{
    MAX_CLOUD_USD_PER_HOUR, MAX_PRICE_USD, MIN_RENT_USD_PER_HOUR,
};
use crate::error::FlError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The shipped observations (`data/observed_prices.csv`).
pub const SHIPPED: &str = include_str!("../../../data/observed_prices.csv");
/// How the shipped file is named in output.
pub const SHIPPED_NAME: &str = "data/observed_prices.csv (shipped)";

/// The `consistency` values a series may have: one provider, region and instance type; one
/// publisher's index; several publishers.
const CONSISTENCY: [&str; 3] = ["same-list", "same-index", "mixed-publishers"];

const COLUMNS: [&str; 8] = [
    "chip",
    "date",
    "usd",
    "unit",
    "kind",
    "series",
    "consistency",
    "source",
];

/// What a price is per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceUnit {
    /// Rental price of one GPU for one hour.
    UsdPerHour,
    /// Purchase or resale price of one unit.
    Usd,
}

impl PriceUnit {
    pub fn id(self) -> &'static str {
        match self {
            Self::UsdPerHour => "usd_per_hour",
            Self::Usd => "usd",
        }
    }
}

/// One observed price.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObservedPrice {
    /// Chip name as written in the file.
    pub chip: String,
    pub date: NaiveDate,
    pub usd: f64,
    pub unit: PriceUnit,
    pub kind: String,
    pub series: String,
    pub consistency: String,
    pub source: String,
    pub note: String,
    /// Data line in the file (1-based, counting comments), for references in output.
    pub line: usize,
}

/// One CSV row as written (columns by header name; `note` may be absent).
#[derive(Deserialize)]
struct RawRow {
    chip: String,
    date: String,
    usd: String,
    unit: String,
    kind: String,
    series: String,
    consistency: String,
    source: String,
    #[serde(default)]
    note: String,
}

/// The first field of `raw` that holds a line break, a control character or a direction
/// override ([`crate::term::unprintable`]), as a sentence: a chip name holding an escape
/// sequence reached the terminal in "Not compared: …" (a helper's sweep), and names and series
/// are printed in tables and notes.
fn unprintable_field(raw: &RawRow) -> Option<String> {
    [
        ("chip", &raw.chip),
        ("date", &raw.date),
        ("usd", &raw.usd),
        ("unit", &raw.unit),
        ("kind", &raw.kind),
        ("series", &raw.series),
        ("consistency", &raw.consistency),
        ("source", &raw.source),
        ("note", &raw.note),
    ]
    .into_iter()
    .find_map(|(field, text)| {
        crate::term::unprintable(text)
            .map(|what| format!("{field} holds {what}; write it as plain text on one line"))
    })
}

/// Reads a user file given with `--observed-file`.
pub fn read_observed(path: &Path) -> Result<Vec<ObservedPrice>, FlError> {
    let what = format!(
        "a CSV with columns {} (see data/observed_prices.csv)",
        COLUMNS.join(",")
    );
    let text = crate::files::read_input(path, &what)?;
    parse_observed(&text, &path.display().to_string())
}

/// The shipped observations; a test keeps this from failing.
pub fn shipped() -> Result<Vec<ObservedPrice>, FlError> {
    parse_observed(SHIPPED, SHIPPED_NAME)
}

/// Parses the CSV text; `name` names the source in errors.
pub fn parse_observed(text: &str, name: &str) -> Result<Vec<ObservedPrice>, FlError> {
    let text = &*super::series::without_empty_rows(text);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    // Column names in any case, as the rent files take them (a helper's sweep: `CHIP,DATE,…`
    // read there and refused here).
    let headers: csv::StringRecord = reader
        .headers()
        .map_err(|e| FlError::input(name, format!("unreadable CSV header ({e})")))?
        .iter()
        .map(str::to_lowercase)
        .collect();
    if let Some(c) = COLUMNS.iter().find(|c| !headers.iter().any(|h| h == **c)) {
        return Err(FlError::input(
            name,
            format!(
                "the header has no `{c}` column; the first non-comment line must name the \
                 columns {} (and optionally note)",
                COLUMNS.join(",")
            ),
        ));
    }
    let mut out: Vec<ObservedPrice> = Vec::new();
    // The line of each (chip, series, date) seen.
    let mut dated: std::collections::HashMap<(String, String, NaiveDate), usize> =
        std::collections::HashMap::new();
    let mut lines = super::series::Lines::new(text);
    let today = chrono::Utc::now().date_naive();
    for record in reader.records() {
        let record = record.map_err(|e| {
            FlError::input(
                name,
                format!(
                    "{e}; every row has the header's columns ({})",
                    COLUMNS.join(",")
                ),
            )
        })?;
        let line = lines.of(record.position());
        if super::series::repeats_header(&record, &headers) {
            return Err(FlError::input(name, super::series::repeated_header(line)));
        }
        let bad = |what: String| FlError::input(name, format!("line {line}: {what}"));
        let raw: RawRow = record
            .deserialize(Some(&headers))
            .map_err(|e| bad(format!("{e}")))?;
        if let Some(p) = unprintable_field(&raw) {
            return Err(bad(p));
        }
        let date = super::series::parse_day(&raw.date).map_err(bad)?;
        if let Some(why) = crate::economics::depreciation::series::price_date_problem(date) {
            return Err(bad(why));
        }
        // The shipped file is curated: a machine whose clock runs behind must still read it.
        if name != SHIPPED_NAME
            && (date - today).num_days() > crate::economics::market::data::FUTURE_RENT_DAYS
        {
            return Err(bad(format!(
                "a price dated {date}, after today ({today}), was not observed yet; check the \
                 year"
            )));
        }
        if !CONSISTENCY.contains(&raw.consistency.as_str()) {
            return Err(bad(format!(
                "consistency {:?} is not known; write {} (one provider, region and instance \
                 type; one publisher's index; several publishers)",
                raw.consistency,
                CONSISTENCY.join(", ")
            )));
        }
        let catalog_chip = crate::economics::catalog::find(&raw.chip).ok();
        if let Some(chip) = catalog_chip {
            let earliest = chip.release
                - chrono::Duration::days(crate::economics::market::data::EARLY_RENT_DAYS);
            if date < earliest {
                return Err(bad(format!(
                    "a price of the {} dated {date}, before it was sold or rented (its \
                     release: {}); check the year or the chip",
                    chip.name,
                    chip.release.format("%Y-%m")
                )));
            }
        }
        let usd: f64 = super::series::parse_usd(&raw.usd)
            .ok()
            .filter(|v: &f64| v.is_finite() && *v > 0.0)
            .ok_or_else(|| bad(format!("usd {:?} must be a number > 0", raw.usd)))?;
        // In any case, with spaces or hyphens for the underscores (`USD`, `usd per hour`).
        let unit_id = raw.unit.trim().to_lowercase().replace([' ', '-'], "_");
        let unit = match unit_id.as_str() {
            "usd_per_hour" => PriceUnit::UsdPerHour,
            "usd" => PriceUnit::Usd,
            other => {
                return Err(bad(format!(
                    "unit {other:?} is not known; write usd_per_hour (rental) or usd (resale)"
                )))
            }
        };
        let most = match unit {
            PriceUnit::UsdPerHour => MAX_CLOUD_USD_PER_HOUR,
            PriceUnit::Usd => MAX_PRICE_USD,
        };
        if unit == PriceUnit::UsdPerHour && usd < MIN_RENT_USD_PER_HOUR {
            return Err(bad(format!(
                "usd {usd:?} is less than {MIN_RENT_USD_PER_HOUR} USD per GPU-hour; under a \
                 cent, check the decimal point"
            )));
        }
        if usd > most {
            return Err(bad(format!(
                "usd {usd:?} is more than {most} {}; give one GPU's price",
                match unit {
                    PriceUnit::UsdPerHour => "USD per GPU-hour",
                    PriceUnit::Usd => "USD",
                }
            )));
        }
        // A card's price a thousand times below its launch price, or a hundred times above it,
        // is a unit or a decimal point (a helper's sweep: an H100 at $1 and $2 was scored at a
        // decline of −1467 %/yr and swung the summary); old cards sell for a few percent of it.
        if let Some(launch) = catalog_chip
            .filter(|_| unit == PriceUnit::Usd)
            .and_then(|c| c.launch_price_usd)
        {
            if !(launch / 1000.0..=launch * 100.0).contains(&usd) {
                return Err(bad(format!(
                    "usd {usd:?} for one {} is not within a thousandth and a hundred times its \
                     launch price (${launch:.0}); give one card's price in USD (check the unit \
                     and the decimal point)",
                    raw.chip
                )));
            }
        }
        let row = ObservedPrice {
            chip: raw.chip,
            date,
            usd,
            unit,
            kind: raw.kind,
            series: raw.series,
            consistency: raw.consistency,
            source: raw.source,
            note: raw.note,
            line,
        };
        for (field, value) in [
            ("chip", &row.chip),
            ("kind", &row.kind),
            ("series", &row.series),
            ("source", &row.source),
        ] {
            if value.is_empty() {
                return Err(bad(format!(
                    "{field} is empty; every observation needs its {field} (source: the \
                     publication and its date)"
                )));
            }
        }
        if let Some(prev) = out
            .iter()
            .rev()
            .find(|o| o.chip == row.chip && o.series == row.series)
        {
            if prev.unit != row.unit {
                return Err(bad(format!(
                    "series {:?} of {} mixes units {} and {}; give rental and resale prices \
                     different series names",
                    row.series,
                    row.chip,
                    prev.unit.id(),
                    row.unit.id()
                )));
            }
        }
        if let Some(first) =
            dated.insert((row.chip.clone(), row.series.clone(), row.date), row.line)
        {
            return Err(bad(format!(
                "series {:?} of {} has a second price dated {} (the first is on line {first}); \
                 give one price per date in a series (their mean), or name the second series \
                 apart",
                row.series, row.chip, row.date
            )));
        }
        out.push(row);
    }
    if out.is_empty() {
        return Err(FlError::input(
            name,
            "no observations; add rows below the header (see data/observed_prices.csv)",
        ));
    }
    refuse_slipped_prices(&out, name)?;
    Ok(out)
}

/// Refuses a price more than [`MAX_RENT_SPREAD`](crate::economics::market::data::MAX_RENT_SPREAD)
/// times above or below the median of its series, as `--market-file` refuses such a rent: a
/// slipped decimal point or unit (an H100's $43,000 resale typed as 0.5 had been read as a
/// decline of 4322 %/yr).
fn refuse_slipped_prices(observations: &[ObservedPrice], name: &str) -> Result<(), FlError> {
    let spread = crate::economics::market::data::MAX_RENT_SPREAD;
    for s in group(observations) {
        let unit = match s.prices[0].unit {
            PriceUnit::UsdPerHour => "one GPU's rent per hour",
            PriceUnit::Usd => "one card's price in dollars",
        };
        if let [a, b] = s.prices[..] {
            // Two prices: no median tells which one slipped; both are named.
            if a.usd.max(b.usd) > spread * a.usd.min(b.usd) {
                return Err(FlError::input(
                    name,
                    format!(
                        "the two prices of series {:?} of {} differ more than {spread:.0}-fold \
                         (line {}: {}, line {}: {}); check the decimal point and the unit ({unit})",
                        s.name, s.chip, a.line, a.usd, b.line, b.usd
                    ),
                ));
            }
            continue;
        }
        let mut prices: Vec<f64> = s.prices.iter().map(|o| o.usd).collect();
        prices.sort_by(f64::total_cmp);
        let median = prices[prices.len() / 2];
        if let Some(o) = s
            .prices
            .iter()
            .find(|o| o.usd > median * spread || o.usd * spread < median)
        {
            return Err(FlError::input(
                name,
                format!(
                    "line {}: usd {} is more than {spread:.0} × {} the median of series {:?} of \
                     {} ({median}); check the decimal point and the unit ({unit})",
                    o.line,
                    o.usd,
                    if o.usd > median { "above" } else { "below" },
                    s.name,
                    s.chip,
                ),
            ));
        }
    }
    Ok(())
}

/// One chip's series: its observations in date order.
#[derive(Debug, Clone, PartialEq)]
pub struct Series<'a> {
    pub chip: &'a str,
    pub name: &'a str,
    pub prices: Vec<&'a ObservedPrice>,
}

/// Groups observations by (chip, series), in order of first appearance; each series' prices
/// in date order, whatever their order in the file (one date per series, as
/// [`parse_observed`] checks).
pub fn group(observations: &[ObservedPrice]) -> Vec<Series<'_>> {
    let mut out: Vec<Series> = Vec::new();
    for o in observations {
        match out
            .iter_mut()
            .find(|s| s.chip == o.chip && s.name == o.series)
        {
            Some(s) => s.prices.push(o),
            None => out.push(Series {
                chip: &o.chip,
                name: &o.series,
                prices: vec![o],
            }),
        }
    }
    for s in &mut out {
        s.prices.sort_by_key(|o| o.date);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "chip,date,usd,unit,kind,series,consistency,source,note\n";

    #[test]
    fn shipped_file_parses_and_every_row_is_sourced_and_dated() {
        let rows = shipped().unwrap();
        assert!(rows.len() >= 10, "{}", rows.len());
        for r in &rows {
            assert!(!r.source.trim().is_empty(), "line {}", r.line);
            assert!(r.date.to_string().len() == 10, "line {}", r.line);
            assert!(r.usd > 0.0);
            crate::economics::catalog::find(&r.chip).unwrap();
        }
        for chip in ["V100", "A100", "H100"] {
            assert!(rows.iter().any(|r| r.chip.contains(chip)), "{chip}");
        }
        // At least one series per chip with 2+ prices, so a rate can be fitted.
        let series = group(&rows);
        for chip in ["V100", "A100", "H100"] {
            assert!(series
                .iter()
                .any(|s| s.chip.contains(chip) && s.prices.len() >= 2));
        }
    }

    #[test]
    fn rows_group_by_chip_and_series() {
        let text = format!(
            "{HEADER}A100,2024-01-01,4,usd_per_hour,od,s1,same-list,src a,\n\
             H100,2024-01-01,9,usd_per_hour,od,s1,same-list,src b,\n\
             A100,2025-01-01,3,usd_per_hour,od,s1,same-list,src c,n\n\
             A100,2024-06-01,9000,usd,resale,s2,mixed-publishers,src d,\n"
        );
        let rows = parse_observed(&text, "t").unwrap();
        let g = group(&rows);
        assert_eq!(g.len(), 3);
        let spelled = format!(
            "{HEADER}A100,2024-01-01,9000,USD,resale,s,mixed-publishers,x,\nA100,2024-02-01,4,USD per hour,od,r,mixed-publishers,y,\n"
        );
        let units: Vec<_> = parse_observed(&spelled, "t")
            .unwrap()
            .iter()
            .map(|r| r.unit)
            .collect();
        assert_eq!(units, [PriceUnit::Usd, PriceUnit::UsdPerHour]);
        // Column names in upper case, as the rent files take them.
        let shouted = format!(
            "{}A100,2024-01-01,9000,usd,resale,s,mixed-publishers,x,\n",
            HEADER.to_uppercase()
        );
        assert_eq!(parse_observed(&shouted, "t").unwrap().len(), 1);
        assert_eq!((g[0].chip, g[0].name, g[0].prices.len()), ("A100", "s1", 2));
        assert_eq!(g[0].prices[1].note, "n");
        assert_eq!(g[2].prices[0].unit, PriceUnit::Usd);
    }

    #[test]
    fn bad_files_name_the_fix() {
        let err = |text: &str| parse_observed(text, "f.csv").unwrap_err().to_string();
        assert!(err("chip,date,usd\nA100,2024-01-01,3\n").contains("no `unit` column"));
        assert!(err(HEADER).contains("no observations"));
        let row = |date: &str, usd: &str, unit: &str, source: &str| {
            format!("{HEADER}A100,{date},{usd},{unit},od,s,same-list,{source},\n")
        };
        assert!(err(&row("2024-13-01", "3", "usd", "x")).contains("not a day of the calendar"));
        assert!(err(&row("01/02/2024", "3", "usd", "x")).contains("YYYY-MM-DD"));
        let huge = err(&row("2024-01-01", "1e300", "usd", "x"));
        assert!(huge.contains("usd 1e300 is more than"), "{huge}");
        // A resale of $43,000 typed as 0.5 in a series of three: refused on its line.
        let slipped = err(&format!(
            "{HEADER}H100,2023-04-15,0.5,usd,resale,r,mixed-publishers,x,
H100,2024-04-15,38000,usd,resale,r,mixed-publishers,x,
             H100,2025-04-15,31000,usd,resale,r,mixed-publishers,x,
"
        ));
        assert!(
            slipped.contains("line 2: usd 0.5 is more than 30 × below the median"),
            "{slipped}"
        );
        let two = err(&format!(
            "{HEADER}H100,2023-04-15,0.5,usd,resale,r,mixed-publishers,x,\nH100,2024-04-15,38000,usd,resale,r,mixed-publishers,x,\n"
        ));
        assert!(
            two.contains("differ more than 30-fold (line 2: 0.5, line 3: 38000)"),
            "{two}"
        );
        // The line is the file's own: comment and blank lines count.
        let commented = format!("{HEADER}# a\n\nA100,2024-13-01,3,usd,od,s,same-list,x,\n");
        assert!(err(&commented).contains("line 4:"), "{}", err(&commented));
        assert!(err(&row("2024-01-01", "-3", "usd", "x")).contains("> 0"));
        assert!(err(&row("2024-01-01", "3", "eur", "x")).contains("usd_per_hour"));
        assert!(err(&row("2024-01-01", "3", "usd", "")).contains("source is empty"));
        // An escape sequence in a name is refused before anything prints it (a helper's sweep:
        // "Not compared: NVIDIA H1000" cleared the terminal), and so is a line break in a note.
        let esc = format!("{HEADER}NVIDIA H1000\u{1b}[2J,2024-01-01,3,usd,od,s,same-list,x,\n");
        let e = err(&esc);
        assert!(
            e.contains("line 2: chip holds a control character") && !e.contains('\u{1b}'),
            "{e:?}"
        );
        let broken = format!("{HEADER}A100,2024-01-01,3,usd,od,s,same-list,x,\"a\nb\"\n");
        assert!(
            err(&broken).contains("note holds a line break"),
            "{}",
            err(&broken)
        );
        // A card's price a thousandth of its launch price is a unit or a decimal point.
        let cheap = format!("{HEADER}H100 SXM,2024-01-01,3,usd,od,s,same-list,x,\n");
        assert!(err(&cheap).contains("launch price"), "{}", err(&cheap));
        // One GPU's price: a rent above $10,000/h or a resale above $1e9 is a typing error, as
        // are dates outside 2000–2100.
        assert!(err(&row("2024-01-01", "1e9", "usd_per_hour", "x")).contains("USD per GPU-hour"));
        assert!(err(&row("2024-01-01", "1e-7", "usd_per_hour", "x")).contains("decimal point"));
        assert!(err(&row("2024-01-01", "2e9", "usd", "x")).contains("one GPU's price"));
        assert!(err(&row("2999-01-01", "3", "usd", "x")).contains("outside 2000–2100"));
        // A price not yet observed, or of a chip before it was sold, is a typed year.
        assert!(err(&row("2090-01-01", "3", "usd", "x")).contains("check the year"));
        let early = format!("{HEADER}H100 SXM,2010-06-15,20000,usd,resale,s,mixed-publishers,x,\n");
        assert!(
            err(&early).contains("before it was sold or rented"),
            "{}",
            err(&early)
        );
        assert!(err(&row("2024-02-30", "3", "usd", "x")).contains("not a day of the calendar"));
        let same_day =
            format!("{HEADER}A100,2025-01-01,3,usd,r,s,mixed-publishers,x,\nA100,2025-01-01,4,usd,r,s,mixed-publishers,y,\n");
        let e = err(&same_day);
        assert!(
            e.contains("line 3: series \"s\" of A100 has a second price dated 2025-01-01")
                && e.contains("line 2"),
            "{e}"
        );
        // Rows of a series in any order are grouped in date order.
        let newest_first = format!(
            "{HEADER}A100,2025-01-01,3,usd,r,s,mixed-publishers,x,\nA100,2024-01-01,4,usd,r,s,mixed-publishers,y,\n\
             A100,2024-06-01,3.5,usd,r,s,mixed-publishers,z,\n"
        );
        let rows = parse_observed(&newest_first, "t").unwrap();
        let dates: Vec<String> = group(&rows)[0]
            .prices
            .iter()
            .map(|o| o.date.to_string())
            .collect();
        assert_eq!(dates, ["2024-01-01", "2024-06-01", "2025-01-01"]);
        let mixed = format!(
            "{HEADER}A100,2024-01-01,3,usd,r,s,mixed-publishers,x,\nA100,2025-01-01,4,usd_per_hour,r,s,mixed-publishers,y,\n"
        );
        assert!(err(&mixed).contains("mixes units"));
    }
}
