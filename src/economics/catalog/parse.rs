//! Parsing of the two embedded CSV files into [`Chip`] rows with normalised units.
//!
//! - `chips.csv`: TFLOPS (TOPS for int8) → ×1e12 FLOP/s; GB → ×1e9 bytes (decimal, as
//!   vendors and Epoch AI count); GB/s → ×1e9 bytes/s; release `YYYY-MM` → the 15th;
//!   `class` one of `data-centre`, `consumer`, `soc`; `aliases` separated by `;`; `llc_mib`
//!   (last-level cache) → ×2²⁰ bytes; `fp16_tflops_vector` (fp16 without the tensor cores) is
//!   kept apart from the peaks by precision.
//! - Epoch AI: already FLOP/s, bytes and bytes/s; release `YYYY-MM-DD`. Its "Tensor-FP16/BF16"
//!   column does not separate the two formats, so it is recorded as fp16 only (with the plain
//!   FP16 column when that is larger); rows without a release date are skipped.

use super::class::UnknownClass;
use super::{Chip, ChipClass, Precision};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use thiserror::Error;

const TERA: f64 = 1e12;
const GIGA: f64 = 1e9;
const MIB: f64 = (1u64 << 20) as f64;

/// Rows that parsed, and a description of every row that did not.
pub(crate) struct Parsed {
    pub chips: Vec<Chip>,
    pub problems: Vec<String>,
}

/// Why a row of a catalog CSV cannot be read (the row is then skipped and listed).
#[derive(Debug, Clone, PartialEq, Error)]
pub(crate) enum RowError {
    #[error("'{0}' is not a number")]
    NotANumber(String),
    #[error("release date '{0}' is not YYYY-MM or YYYY-MM-DD")]
    ReleaseDate(String),
    #[error("cloud_gpus '{0}' is not a whole number from 1 to 16 (GPUs a cloud counts on one device; empty for 1)")]
    CloudGpus(String),
    #[error("missing column '{0}'")]
    MissingColumn(String),
    #[error(transparent)]
    Class(#[from] UnknownClass),
    /// The CSV reader's own error (wrong number of fields, bad UTF-8).
    #[error("{0}")]
    Csv(String),
}

fn number(field: &str) -> Result<Option<f64>, RowError> {
    let t = field.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let v: f64 = t.parse().map_err(|_| RowError::NotANumber(t.into()))?;
    // Epoch's derived columns hold `inf` where a divisor is missing: treat as absent.
    Ok((v.is_finite() && v > 0.0).then_some(v))
}

/// The `cloud_gpus` cell: empty is 1; otherwise a whole number from 1 to 16.
fn cloud_gpus(field: &str) -> Result<u32, RowError> {
    let t = field.trim();
    if t.is_empty() {
        return Ok(1);
    }
    t.parse::<u32>()
        .ok()
        .filter(|n| (1..=16).contains(n))
        .ok_or_else(|| RowError::CloudGpus(t.into()))
}

fn release_date(field: &str) -> Result<NaiveDate, RowError> {
    let t = field.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(&format!("{t}-15"), "%Y-%m-%d"))
        .map_err(|_| RowError::ReleaseDate(t.into()))
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes())
}

/// Column index by header name.
fn column(headers: &csv::StringRecord, name: &str) -> Result<usize, RowError> {
    headers
        .iter()
        .position(|h| h.trim() == name)
        .ok_or_else(|| RowError::MissingColumn(name.into()))
}

const CURATED_PEAKS: [(&str, Precision); 5] = [
    ("fp32_tflops", Precision::Fp32),
    ("fp16_tflops_dense", Precision::Fp16),
    ("bf16_tflops_dense", Precision::Bf16),
    ("fp8_tflops_dense", Precision::Fp8),
    ("int8_tops_dense", Precision::Int8),
];

/// Parses `chips.csv`.
pub(crate) fn curated_rows(text: &str) -> Parsed {
    parse_rows(text, "chips.csv", "row", 2, |h, r| {
        curated_row(h, r).map(Some)
    })
}

/// Reads every record of a CSV with `row`, which returns `None` for rows to leave out. Rows
/// that fail are reported as problems named `{file} {unit} {index + first}`, never a panic.
fn parse_rows(
    text: &str,
    file: &str,
    unit: &str,
    first: usize,
    row: impl Fn(&csv::StringRecord, &csv::StringRecord) -> Result<Option<Chip>, RowError>,
) -> Parsed {
    let mut out = Parsed {
        chips: Vec::new(),
        problems: Vec::new(),
    };
    let mut rdr = reader(text);
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            out.problems.push(format!("{file}: {e}"));
            return out;
        }
    };
    for (i, rec) in rdr.records().enumerate() {
        match rec
            .map_err(|e| RowError::Csv(e.to_string()))
            .and_then(|r| row(&headers, &r))
        {
            Ok(Some(chip)) => out.chips.push(chip),
            Ok(None) => {}
            Err(e) => out
                .problems
                .push(format!("{file} {unit} {}: {e}", i + first)),
        }
    }
    out
}

fn curated_row(h: &csv::StringRecord, r: &csv::StringRecord) -> Result<Chip, RowError> {
    let get =
        |name: &str| -> Result<&str, RowError> { Ok(r.get(column(h, name)?).unwrap_or_default()) };
    let mut peaks = BTreeMap::new();
    for (col, precision) in CURATED_PEAKS {
        if let Some(tflops) = number(get(col)?)? {
            peaks.insert(precision, tflops * TERA);
        }
    }
    let notes = get("notes")?.trim().to_string();
    let aliases = get("aliases")?
        .split(';')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(String::from)
        .collect();
    Ok(Chip {
        name: get("name")?.trim().to_string(),
        aliases,
        vendor: get("vendor")?.trim().to_string(),
        class: get("class")?.parse()?,
        release: release_date(get("release")?)?,
        launch_price_usd: number(get("launch_price_usd")?)?,
        peak_flop_per_s: peaks,
        vector_fp16_flop_per_s: number(get("fp16_tflops_vector")?)?.map(|t| t * TERA),
        memory_bytes: number(get("mem_gb")?)?.map(|gb| gb * GIGA),
        memory_bytes_per_s: number(get("mem_bw_gbs")?)?.map(|gbs| gbs * GIGA),
        tdp_w: number(get("tdp_w")?)?,
        cloud_gpus: cloud_gpus(get("cloud_gpus")?)?,
        last_level_cache_bytes: number(get("llc_mib")?)?.map(|mib| (mib * MIB) as u64),
        source: format!("chips.csv: {}", citation(get("source")?)),
        uncertain: notes.contains("UNCERTAIN"),
        notes,
    })
}

/// Parses Epoch AI's ML hardware CSV (rows without a release date are left out).
/// A source cell as one line: runs of whitespace (the dataset's cells hold line breaks between
/// links) become one space, and a link's text fragment (`#:~:text=…`, a browser's highlight
/// directive, not part of the address) is dropped, so a citation wraps like the text around it.
fn citation(cell: &str) -> String {
    cell.split_whitespace()
        .map(|word| word.split_once("#:~:").map_or(word, |(address, _)| address))
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn epoch_rows(text: &str) -> Parsed {
    parse_rows(text, "epoch_ml_hardware.csv", "record", 1, epoch_row)
}

fn epoch_row(h: &csv::StringRecord, r: &csv::StringRecord) -> Result<Option<Chip>, RowError> {
    let get =
        |name: &str| -> Result<&str, RowError> { Ok(r.get(column(h, name)?).unwrap_or_default()) };
    if get("Release date")?.trim().is_empty() {
        return Ok(None);
    }
    let name = get("Hardware name")?.trim().to_string();
    let mut vendor = get("Manufacturer")?.trim().to_string();
    if vendor.is_empty() {
        vendor = name
            .split_whitespace()
            .next()
            .unwrap_or("unknown")
            .to_string();
    }
    let mut peaks = BTreeMap::new();
    if let Some(v) = number(get("FP32 (single precision) performance (FLOP/s)")?)? {
        peaks.insert(Precision::Fp32, v);
    }
    let half = number(get("FP16 (half precision) performance (FLOP/s)")?)?;
    let tensor = number(get("Tensor-FP16/BF16 performance (FLOP/s)")?)?;
    if let Some(v) = half.into_iter().chain(tensor).reduce(f64::max) {
        peaks.insert(Precision::Fp16, v);
    }
    if let Some(v) = number(get("FP8 performance (FLOP/s)")?)? {
        peaks.insert(Precision::Fp8, v);
    }
    if let Some(v) = number(get("INT8 performance (OP/s)")?)? {
        peaks.insert(Precision::Int8, v);
    }
    let notes = get("Notes")?.trim().to_string();
    let price_source = citation(get("Source for the price")?);
    let mut source = "Epoch AI, Data on Machine Learning Hardware".to_string();
    if !price_source.is_empty() {
        source.push_str(&format!("; price: {price_source}"));
    }
    Ok(Some(Chip {
        release: release_date(get("Release date")?)?,
        launch_price_usd: number(get("Release price (USD)")?)?,
        peak_flop_per_s: peaks,
        vector_fp16_flop_per_s: None,
        memory_bytes: number(get("Memory size per board (Byte)")?)?,
        memory_bytes_per_s: number(get("Memory bandwidth (byte/s)")?)?,
        tdp_w: number(get("TDP (W)")?)?,
        cloud_gpus: 1,
        last_level_cache_bytes: None,
        uncertain: notes.to_ascii_uppercase().contains("UNCERTAIN"),
        class: ChipClass::of_epoch_name(&name),
        aliases: Vec::new(),
        name,
        vendor,
        source,
        notes,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_files_parse_without_problems() {
        let c = curated_rows(super::super::CHIPS_CSV);
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(c.chips.len(), 42);
        let e = epoch_rows(super::super::EPOCH_CSV);
        assert!(e.problems.is_empty(), "{:?}", e.problems);
        // 169 rows, of which 11 have no release date.
        assert_eq!(e.chips.len(), 158);
        // Every source is one line, as the text output wraps it.
        for chip in c.chips.iter().chain(&e.chips) {
            assert!(
                !chip.source.contains('\n'),
                "{}: {:?}",
                chip.name,
                chip.source
            );
            assert!(!chip.source.contains("#:~:"), "{}", chip.name);
        }
    }

    #[test]
    fn a_citation_is_one_line_without_text_fragments() {
        assert_eq!(
            citation("https://a.example/x#:~:text=The%20product\n\nhttps://b.example/y  "),
            "https://a.example/x https://b.example/y"
        );
        assert_eq!(citation("  plain source "), "plain source");
    }

    #[test]
    fn bad_number_is_reported_with_its_row() {
        let head = "name,aliases,vendor,class,release,launch_price_usd,fp32_tflops,\
fp16_tflops_vector,fp16_tflops_dense,bf16_tflops_dense,fp8_tflops_dense,int8_tops_dense,mem_gb,mem_bw_gbs,tdp_w,\
cloud_gpus,llc_mib,source,notes\n";
        let p = curated_rows(&format!(
            "{head}X,,V,consumer,2020-01,abc,1,,,,,,,,,,,s,n\n"
        ));
        assert!(p.chips.is_empty());
        assert!(p.problems[0].contains("row 2") && p.problems[0].contains("abc"));
        let p = curated_rows(&format!(
            "{head}X,A; B ,V,gaming,2020-01,,1,,,,,,,,,,,s,n\n"
        ));
        assert!(p.problems[0].contains("'gaming'"), "{:?}", p.problems);
        for bad in ["0", "1.5", "-2", "99"] {
            let p = curated_rows(&format!("{head}X,,V,soc,2020-01,,1,,,,,,,,,{bad},,s,n\n"));
            assert!(p.chips.is_empty(), "{bad}");
            assert!(p.problems[0].contains("cloud_gpus"), "{:?}", p.problems);
        }
        let p = curated_rows(&format!("{head}X,,V,soc,2020-01,,1,,,,,,,,,2,,s,n\n"));
        assert_eq!(p.chips[0].cloud_gpus, 2);
        assert_eq!(p.chips[0].device_rent(0.9), 1.8);
        let p = curated_rows(&format!(
            "{head}X,A; B ,V,soc,2020-01,,1,2,,,,,,,,,48,s,n\n"
        ));
        assert_eq!(p.chips[0].cloud_gpus, 1);
        assert_eq!(p.chips[0].aliases, ["A", "B"]);
        assert_eq!(p.chips[0].last_level_cache_bytes, Some(48 << 20));
        assert_eq!(p.chips[0].vector_fp16_flop_per_s, Some(2e12));
        assert_eq!(p.chips[0].class, ChipClass::Soc);
    }

    #[test]
    fn month_dates_land_mid_month() {
        assert_eq!(
            release_date("2014-11"),
            Ok(NaiveDate::from_ymd_opt(2014, 11, 15).unwrap())
        );
        assert_eq!(
            release_date("soon"),
            Err(RowError::ReleaseDate("soon".into()))
        );
    }
}
