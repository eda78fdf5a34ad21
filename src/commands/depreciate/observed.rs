//! `flopledger depreciate --observed [--observed-file CSV] [--chips …]`: the models' predicted
//! annual decline of each chip beside the decline fitted to observed market prices.

use super::{catalog_chip, Prepared};
use crate::cli::DepreciateArgs;
use crate::economics::catalog::{self, Precision};
use crate::economics::depreciation::observed::{self, group, ObservedPrice};
use crate::economics::depreciation::observed_compare::{compare_chip, render_chip, ChipComparison};
use crate::economics::depreciation::outlook::analyse;
use crate::economics::depreciation::Market;
use crate::error::FlError;
use serde::Serialize;

const CAVEATS: &str =
    "Caveats: rental prices are compared with g (the decline of rent for the same \
FLOP/s), resale prices with model A's value decline; list prices move in steps (AWS cut P4d \
on-demand 33 % and P5 44 % from 1 June 2025) and are not market-clearing prices; index and \
resale figures come from secondary write-ups, resale ranges enter as midpoints; two-point rates \
carry no error estimate; rental markets move in cycles (the H100 1-year contract index rose from \
October 2025 to March 2026), which a constant g does not describe.";

pub(super) fn run(
    args: &DepreciateArgs,
    pricing_inputs: &crate::config::PricingInputs,
    requested: Option<Precision>,
) -> anyhow::Result<i32> {
    if args.report.is_some() || args.backtest.is_some() || args.rents.is_some() {
        return Err(FlError::usage(
            "--observed compares catalog chips with observed prices; run it without --report, \
             --rents and --backtest",
        )
        .into());
    }
    let (rows, file) = match &args.observed_file {
        Some(path) => (observed::read_observed(path)?, path.display().to_string()),
        None => (observed::shipped()?, observed::SHIPPED_NAME.to_string()),
    };
    let (rows, unknown) = resolve_chips(rows, &file)?;
    let wanted = wanted_chips(args, &rows, &file)?;
    let chosen = args
        .chips
        .iter()
        .chain(&args.pricing.chip)
        .any(|s| !s.trim().is_empty());
    let mut comparisons = Vec::new();
    let mut prepared: Vec<Prepared> = Vec::new();
    // Chips the catalog does not know are listed, not compared; the others still are.
    let mut skipped: Vec<(String, String)> = unknown;
    for chip in &wanted {
        let p = match catalog_chip(chip, args, pricing_inputs, requested) {
            Ok(p) => p,
            // Without --chips every chip in the file is compared; one the catalog cannot value
            // (no launch price) is listed as skipped instead of failing the whole comparison.
            Err(e) if !chosen => {
                skipped.push((chip.clone(), format!("{e:#}")));
                continue;
            }
            Err(e) => return Err(e),
        };
        let analysis = analyse(&p.inputs, &p.market, None)?;
        let own: Vec<ObservedPrice> = rows.iter().filter(|r| &r.chip == chip).cloned().collect();
        comparisons.push(compare_chip(chip, &analysis, &group(&own)));
        prepared.push(p);
    }
    if prepared.is_empty() && !skipped.is_empty() {
        // Every reason, one per chip: the first alone hid what another chip needed.
        let why: Vec<String> = skipped
            .iter()
            .map(|(chip, why)| format!("{chip}: {why}"))
            .collect();
        return Err(FlError::usage(format!(
            "{file}: no chip can be compared ({})",
            why.join("; ")
        ))
        .into());
    }
    if args.output() == crate::cli::OutputFormat::Json {
        print_json(&file, &prepared, &comparisons, &skipped)?;
    } else {
        print_text(&file, &prepared, &comparisons, &skipped);
    }
    Ok(0)
}

/// A chip name of the observed file that no catalog chip answers to, and why (with its line).
pub(super) type Unknown = (String, String);

/// Replaces each row's chip by its catalog name; rows of names the catalog does not know are
/// left out and each name returned once with its first line (an error when no row is left).
pub(super) fn resolve_chips(
    rows: Vec<ObservedPrice>,
    file: &str,
) -> Result<(Vec<ObservedPrice>, Vec<Unknown>), FlError> {
    let mut resolved = Vec::new();
    // Each name the catalog does not know or cannot tell apart, once: (name, why, with its
    // first line in the file).
    let mut unknown: Vec<Unknown> = Vec::new();
    for mut r in rows {
        match catalog::find(&r.chip) {
            Ok(chip) => {
                r.chip = chip.name.clone();
                resolved.push(r);
            }
            Err(e) => {
                if !unknown.iter().any(|(name, _)| *name == r.chip) {
                    let why = e.to_string();
                    let why = why.lines().next().unwrap_or_default();
                    unknown.push((r.chip.clone(), format!("line {}: {why}", r.line)));
                }
            }
        }
    }
    if resolved.is_empty() {
        if let Some((name, why)) = unknown.first() {
            return Err(FlError::input(
                file,
                format!(
                    "no row names a catalog chip, so nothing can be compared: {name:?} is not a \
                     catalog chip ({why}); give catalog names in full (`flopledger chips` lists \
                     them)"
                ),
            ));
        }
    }
    Ok((resolved, unknown))
}

/// Catalog names to compare: `--chips` (each must have observations), else every chip in the
/// file in order of first appearance.
pub(super) fn wanted_chips(
    args: &DepreciateArgs,
    rows: &[ObservedPrice],
    file: &str,
) -> Result<Vec<String>, FlError> {
    let w = split_wanted(args, rows)?;
    w.require_all(file)?;
    Ok(w.with)
}

/// `--chips` as catalog names, split by whether `rows` observe them.
pub(super) struct Wanted {
    /// The chips to compare: those asked for with observations, or every chip in the file
    /// (in order of first appearance) when none was asked for.
    pub with: Vec<String>,
    /// Chips asked for that the file does not observe.
    pub without: Vec<String>,
    /// Every chip the file observes.
    pub in_file: Vec<String>,
}

impl Wanted {
    /// An error naming the first chip asked for that `file` does not observe.
    pub fn require_all(&self, file: &str) -> Result<(), FlError> {
        match self.without.first() {
            Some(missing) => Err(FlError::usage(format!(
                "{file} has no observed prices for {missing}; chips with observations: {}",
                self.in_file.join(", ")
            ))),
            None => Ok(()),
        }
    }
}

/// [`Wanted`] for `--chips` (and `--chip`); an error only for a name no catalog chip matches.
pub(super) fn split_wanted(
    args: &DepreciateArgs,
    rows: &[ObservedPrice],
) -> Result<Wanted, FlError> {
    let mut in_file: Vec<String> = Vec::new();
    for r in rows {
        if !in_file.contains(&r.chip) {
            in_file.push(r.chip.clone());
        }
    }
    // `--chips ""` names no chip; comparing every chip then would answer another question.
    if !args.chips.is_empty() && args.chips.iter().all(|s| s.trim().is_empty()) {
        return Err(FlError::usage(
            "--chips is empty: name the chips to compare (e.g. --chips \"H100 SXM\"), or drop \
             --chips to compare every chip of the observed prices",
        ));
    }
    let asked: Vec<&String> = args
        .chips
        .iter()
        .chain(&args.pricing.chip)
        .filter(|s| !s.trim().is_empty())
        .collect();
    let (mut with, mut without) = (Vec::new(), Vec::new());
    if asked.is_empty() {
        with.clone_from(&in_file);
    }
    // A name several variants match stands for all of them, as `--chips` does elsewhere.
    for chip in asked
        .iter()
        .map(|name| catalog::find_all(name.trim()))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
    {
        let list = if in_file.contains(&chip.name) {
            &mut with
        } else {
            &mut without
        };
        if !list.contains(&chip.name) {
            list.push(chip.name.clone());
        }
    }
    // One chip's price, power or purchase date set on every chip compared would value them all
    // as that chip (a helper's sweep: `--price-usd 1` gave every chip a 100 %/yr decline).
    if with.len() > 1
        && (args.pricing.price_usd.is_some()
            || args.watts.is_some()
            || args.purchase_date.is_some())
    {
        return Err(FlError::usage(format!(
            "--price-usd, --watts and --purchase-date apply to one chip, and this comparison \
             covers {} ({}); name one with --chips NAME, or put per-chip prices in a --price-file",
            with.len(),
            with.join(", ")
        )));
    }
    Ok(Wanted {
        with,
        without,
        in_file,
    })
}

fn print_text(
    file: &str,
    prepared: &[Prepared],
    comparisons: &[ChipComparison],
    skipped: &[(String, String)],
) {
    let n: usize = comparisons.iter().map(|c| c.prices.len()).sum();
    crate::wrapln!(
        "Observed market prices against the predicted annual decline ({file}, {n} prices)\n\
         decline/yr = share of the price lost per year (negative: the price rose); series with \
         n ≥ 3 are fitted by least squares on ln p with a 95 % CI, n = 2 gives the two-point rate\n\
         predicted: rental prices fall at g (model A's revenue u·q·P_F(t), P_F ∝ (1 − g)^t); \
         resale prices at model A's d = 1 − (1/2)^(1/half-life)\n"
    );
    for (p, c) in prepared.iter().zip(comparisons) {
        crate::out!("{}", render_chip(c));
        for note in &p.notes {
            crate::wrapln!("  {note}");
        }
        crate::outln!();
    }
    for (chip, why) in skipped {
        crate::wrapln!("Not compared: {chip} ({why})");
    }
    if !skipped.is_empty() {
        crate::outln!();
    }
    crate::wrapln!("{CAVEATS}\n");
    crate::wrapln!("{}", catalog::EPOCH_CREDIT);
}

/// What `depreciate --observed --json` prints; pinned by
/// `tests/contracts/depreciate-observed.shape`.
#[derive(Serialize)]
struct ObservedJson<'a> {
    observed: ObservedChips<'a>,
    credit: &'static str,
}

#[derive(Serialize)]
struct ObservedChips<'a> {
    /// The observed-prices file read (or the shipped one).
    file: &'a str,
    chips: Vec<ObservedChip<'a>>,
    /// Chips of the file that could not be compared, and why.
    skipped: Vec<Skipped<'a>>,
    caveats: &'static str,
}

#[derive(Serialize)]
struct Skipped<'a> {
    chip: &'a str,
    reason: &'a str,
}

/// One chip: the market used, the models' predicted decline and the observed prices.
#[derive(Serialize)]
struct ObservedChip<'a> {
    #[serde(flatten)]
    comparison: &'a ChipComparison,
    market: &'a Market,
    notes: &'a [String],
}

fn print_json(
    file: &str,
    prepared: &[Prepared],
    comparisons: &[ChipComparison],
    skipped: &[(String, String)],
) -> anyhow::Result<()> {
    let chips = prepared
        .iter()
        .zip(comparisons)
        .map(|(p, c)| ObservedChip {
            comparison: c,
            market: &p.market,
            notes: &p.notes,
        })
        .collect();
    let out = ObservedJson {
        observed: ObservedChips {
            file,
            chips,
            skipped: skipped
                .iter()
                .map(|(chip, reason)| Skipped { chip, reason })
                .collect(),
            caveats: CAVEATS,
        },
        credit: catalog::EPOCH_CREDIT,
    };
    crate::outln!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
