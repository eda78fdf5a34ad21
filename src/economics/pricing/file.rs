//! The dated price file (TOML), e.g.
//!
//! ```toml
//! [[price]]
//! item = "usd_per_kwh"
//! value = 0.12
//! unit = "USD/kWh"
//! source = "utility contract 2025"
//! as_of = "2025-06"
//!
//! [[price]]
//! item = "price_usd"
//! chip = "H100 SXM"          # optional: applies only when the run's chip is this one
//! value = 27000
//! unit = "USD"
//! source = "vendor quote"
//! as_of = "2025-05-02"
//! ```

use super::item::{InvalidValue, PriceItem};
use crate::economics::catalog::{self, Chip};
use crate::error::FlError;
use chrono::NaiveDate;
use serde::Deserialize;
use std::path::Path;
use thiserror::Error;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    price: Vec<RawEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    item: String,
    value: f64,
    unit: String,
    source: String,
    as_of: AsOf,
    #[serde(default)]
    chip: Option<String>,
}

/// `as_of` as TOML lets it be written: a string (`"2025-06"`), a bare date (`2025-06-01`, a TOML
/// date that serde would otherwise call "a map") or a bare year (`2025`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum AsOf {
    Text(String),
    Date(toml::value::Datetime),
    Year(i64),
}

impl AsOf {
    fn text(self) -> String {
        match self {
            Self::Text(t) => t,
            Self::Date(d) => d.to_string(),
            Self::Year(y) => y.to_string(),
        }
    }
}

/// One checked entry of a price file.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceEntry {
    pub item: PriceItem,
    pub value: f64,
    pub unit: String,
    pub source: String,
    pub as_of: String,
    /// The catalog chip the entry is limited to, if any.
    pub chip: Option<&'static Chip>,
}

/// `as_of` as a date when it is `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (four-digit year, no sign).
pub fn as_of_date(as_of: &str) -> Option<NaiveDate> {
    let t = as_of.trim();
    let full = match t.len() {
        4 => format!("{t}-01-01"),
        7 => format!("{t}-01"),
        _ => t.to_string(),
    };
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(&full, "%Y-%m-%d").ok()
}

/// What is wrong with one `[[price]]` entry of a price file (numbered from 1).
#[derive(Debug, Error)]
#[error("[[price]] entry {index}: {problem}")]
pub struct EntryError {
    pub index: usize,
    pub problem: EntryProblem,
}

/// The field of a `[[price]]` entry that is wrong, and how.
#[derive(Debug, Error)]
pub enum EntryProblem {
    #[error(
        "field `item` = '{}' is not a known item; use one of {}",
        crate::term::visible(.given),
        item_ids()
    )]
    UnknownItem { given: String },
    #[error("field `value`: {0}")]
    Value(InvalidValue),
    #[error("field `unit` = '{unit}' does not fit {}; write \"{}\"", item.id(), item.unit())]
    Unit { unit: String, item: PriceItem },
    #[error("field `source` is empty; say where the value comes from")]
    EmptySource,
    /// Text the report would record and its reader refuses.
    #[error("field `{field}` holds {what}; write it as plain text on one line")]
    Unprintable {
        field: &'static str,
        what: &'static str,
    },
    #[error(
        "field `as_of` = '{}' is not a date; write YYYY-MM-DD, YYYY-MM or YYYY",
        crate::term::visible(.0)
    )]
    Date(String),
    /// A date no price can have (a typed year).
    #[error("field `as_of`: {0}")]
    DateRange(String),
    /// The chip is not in the catalog (the catalog's message, with its suggestions).
    #[error("field `chip`: {0}")]
    Chip(Box<FlError>),
    #[error("item {} is given twice for the same chip; keep one", item.id())]
    Twice { item: PriceItem },
}

fn item_ids() -> String {
    let ids: Vec<&str> = PriceItem::ALL.iter().map(|i| i.id()).collect();
    ids.join(", ")
}

fn check(raw: RawEntry, index: usize) -> Result<PriceEntry, EntryError> {
    let fail = |problem| EntryError { index, problem };
    let item = PriceItem::from_id(&raw.item)
        .ok_or_else(|| fail(EntryProblem::UnknownItem { given: raw.item }))?;
    for (field, text) in [("source", &raw.source), ("unit", &raw.unit)] {
        if let Some(what) = crate::term::unprintable(text) {
            return Err(fail(EntryProblem::Unprintable { field, what }));
        }
    }
    // The unit before the value: 120 USD/MWh is a unit to convert, not a price out of range.
    if !item.accepts_unit(&raw.unit) {
        return Err(fail(EntryProblem::Unit {
            unit: raw.unit,
            item,
        }));
    }
    item.validate(raw.value)
        .map_err(|e| fail(EntryProblem::Value(e)))?;
    if raw.source.trim().is_empty() {
        return Err(fail(EntryProblem::EmptySource));
    }
    let as_of = raw.as_of.text();
    let Some(date) = as_of_date(&as_of) else {
        return Err(fail(EntryProblem::Date(as_of)));
    };
    if let Some(why) = crate::economics::depreciation::series::price_date_problem(date) {
        return Err(fail(EntryProblem::DateRange(why)));
    }
    let chip = match &raw.chip {
        Some(name) => Some(catalog::find(name).map_err(|e| fail(EntryProblem::Chip(Box::new(e))))?),
        None => None,
    };
    // A price of the chip dated years before it was sold is a typed year (rents and observed
    // prices refuse theirs too); a quote ahead of the release is taken up to two years before
    // it (`as_of = "2023"` is read as 2023-01-01, for a chip released early in 2024).
    if let Some(c) = chip.filter(|c| date < c.release - chrono::Duration::days(731)) {
        return Err(fail(EntryProblem::DateRange(format!(
            "{date} is more than two years before the {} was released ({}); check the year",
            c.name,
            c.release.format("%Y-%m")
        ))));
    }
    Ok(PriceEntry {
        item,
        value: raw.value + 0.0, // −0 is 0
        unit: raw.unit,
        source: raw.source,
        as_of,
        chip,
    })
}

/// Parses and checks the text of a price file; `name` is used in error messages.
pub fn parse(text: &str, name: &str) -> Result<Vec<PriceEntry>, FlError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        FlError::input(
            name,
            format!(
                "{}\n  fix: a price file is TOML, one [[price]] table per price with item, value, \
                 unit, source and as_of, e.g.\n  [[price]]\n  item = \"usd_per_kwh\"\n  \
                 value = 0.12\n  unit = \"USD/kWh\"\n  source = \"utility contract 2025\"\n  \
                 as_of = \"2025-06\"",
                crate::files::toml_error(&e)
            ),
        )
    })?;
    if raw.price.is_empty() {
        return Err(FlError::input(
            name,
            "holds no [[price]] entry, so it would change nothing; give each price as a \
             [[price]] table with item, value, unit, source and as_of, or drop --price-file",
        ));
    }
    let mut entries: Vec<PriceEntry> = Vec::new();
    for (i, r) in raw.price.into_iter().enumerate() {
        let entry = check(r, i + 1).map_err(|e| FlError::input(name, e.to_string()))?;
        let same_scope = |e: &PriceEntry| {
            e.item == entry.item && e.chip.map(|c| &c.name) == entry.chip.map(|c| &c.name)
        };
        if entries.iter().any(same_scope) {
            let twice = EntryError {
                index: i + 1,
                problem: EntryProblem::Twice { item: entry.item },
            };
            return Err(FlError::input(name, twice.to_string()));
        }
        entries.push(entry);
    }
    Ok(entries)
}

/// Reads and checks a price file.
pub fn load(path: &Path) -> Result<Vec<PriceEntry>, FlError> {
    let text = crate::files::read_input(path, "a price file (TOML) to --price-file")?;
    parse(&text, &path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[price]]
item = "usd_per_kwh"
value = 0.12
unit = "USD/kWh"
source = "utility contract"
as_of = "2025-06"

[[price]]
item = "price_usd"
chip = "H100 SXM"
value = 27000
unit = "USD"
source = "quote"
as_of = "2025-05-02"
"#;

    #[test]
    fn good_file_parses() {
        let e = parse(GOOD, "p.toml").unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].item, PriceItem::UsdPerKwh);
        assert_eq!(e[1].chip.unwrap().name, "NVIDIA H100 SXM5 80GB");
    }

    fn err(text: &str) -> String {
        parse(text, "p.toml").unwrap_err().to_string()
    }

    /// `as_of` unquoted is a TOML date or integer: read as the same date (it was refused as
    /// "invalid type: map, expected a string").
    #[test]
    fn an_unquoted_date_or_year_is_read() {
        for as_of in ["2025-06-01", "2025"] {
            let text = format!(
                "[[price]]\nitem = \"pue\"\nvalue = 1.1\nunit = \"ratio\"\nsource = \"s\"\n\
                 as_of = {as_of}\n"
            );
            assert_eq!(parse(&text, "p.toml").unwrap()[0].as_of, as_of);
        }
    }

    #[test]
    fn errors_name_the_field() {
        let entry = |item: &str, value: &str, unit: &str, as_of: &str| {
            format!(
                "[[price]]\nitem = \"{item}\"\nvalue = {value}\nunit = \"{unit}\"\n\
                 source = \"s\"\nas_of = \"{as_of}\"\n"
            )
        };
        let e = err(&entry("usd_per_kwh", "-0.1", "USD/kWh", "2025"));
        assert!(e.contains("`value`") && e.contains("from $0.001"), "{e}");
        let e = err(&entry("usd_per_kwh", "0.1", "EUR/kWh", "2025"));
        assert!(e.contains("`unit`") && e.contains("USD/kWh"), "{e}");
        // A price in another unit is said to be in the wrong unit, not out of range.
        let e = err(&entry("usd_per_kwh", "120", "USD/MWh", "2025"));
        assert!(e.contains("`unit`") && e.contains("USD/kWh"), "{e}");
        let e = err(&entry("watts", "1", "W", "2025"));
        assert!(e.contains("`item`") && e.contains("usd_per_kwh"), "{e}");
        let e = err(&entry("pue", "1.1", "ratio", "last year"));
        assert!(e.contains("`as_of`"), "{e}");
        // A typed year, or a sign chrono would take.
        for (as_of, says) in [
            ("2999-01-01", "outside 2000–2100"),
            ("0000", "outside 2000–2100"),
            ("2099-06", "five years after today"),
            ("+2025-01-01", "not a date"),
        ] {
            let e = err(&entry("pue", "1.1", "ratio", as_of));
            assert!(e.contains("`as_of`") && e.contains(says), "{as_of}: {e}");
        }
        let e = err("[[price]]\nitem = \"pue\"\nvalue = 1.1\nunit = \"ratio\"\nsource = \"s\"\n");
        assert!(e.contains("as_of"), "{e}");
        // A price of a chip dated years before its release (the H100 SXM: 2022-09).
        let e = err(
            "[[price]]\nitem = \"price_usd\"\nchip = \"H100 SXM\"\nvalue = 30000\n\
                     unit = \"USD\"\nsource = \"s\"\nas_of = \"2015-05\"\n",
        );
        assert!(
            e.contains("`as_of`") && e.contains("before the NVIDIA H100"),
            "{e}"
        );
        // Text the report reader would refuse (it holds the source) is refused here, first.
        let e = err("[[price]]\nitem = \"pue\"\nvalue = 1.1\nunit = \"ratio\"\n\
             source = \"evil\\u001b[31m\"\nas_of = \"2025\"\n");
        assert!(
            e.contains("`source`") && e.contains("control character"),
            "{e}"
        );
        // An unknown item or date is quoted with its escape sequence shown, not sent (a
        // helper's sweep: `item = "usd\u001b[2J"` cleared the terminal).
        for (item, as_of) in [("usd\\u001b[2J", "2025"), ("pue", "2025\\u001b[2J")] {
            let e = err(&entry(item, "1.1", "ratio", as_of));
            assert!(e.contains("\\u{1b}[2J'") && !e.contains('\u{1b}'), "{e:?}");
        }
        let twice = entry("pue", "1.1", "ratio", "2025").repeat(2);
        assert!(err(&twice).contains("twice"));
        assert!(err("[[price]]\nitem = 3").contains("p.toml"));
        // An empty file (or one of comments) would silently price nothing.
        for empty in ["", "# prices to come\n"] {
            let e = err(empty);
            assert!(
                e.contains("no [[price]] entry") && e.contains("p.toml"),
                "{e}"
            );
        }
        // A CSV given for the TOML file: the error shows the form a price file takes.
        let e = err("item,value,unit,source,as_of\nusd_per_kwh,0.1,USD/kWh,me,2025\n");
        assert!(
            e.contains("a price file is TOML") && e.contains("[[price]]"),
            "{e}"
        );
    }

    #[test]
    fn missing_file_names_the_flag() {
        let e = load(Path::new("/nonexistent/prices.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("--price-file"), "{e}");
    }
}
