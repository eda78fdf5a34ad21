//! `flopledger chips`: the catalog, the trend fits and the frontier: at each chip's AI peak by
//! class (the default reference trend) and at the `--precision` asked for.

use crate::cli::{ChipsArgs, OutputFormat};
use crate::economics::catalog::{self, Chip, Precision, EPOCH_CREDIT};
use crate::economics::trend::{self, FrontierPoint, TrendBasis, TrendFit, TrendMetric};
use crate::error::FlError;
use crate::term;
use crate::units::{num, si, usd_opt, MISSING};
use crate::wrapln;
use comfy_table::Table;
use serde::Serialize;

/// A trend fit, or why there is none.
#[derive(Serialize)]
struct TrendOutcome {
    metric: TrendMetric,
    fit: Option<TrendFit>,
    error: Option<String>,
    frontier: Vec<FrontierPoint>,
}

#[derive(Serialize)]
struct ChipsOutput<'a> {
    precision: Precision,
    vendor: Option<&'a str>,
    chips: Vec<&'a Chip>,
    /// Fitted over every vendor's chips, each at its AI peak by class (the default trend).
    ai_trends: Vec<TrendOutcome>,
    /// Fitted over every vendor's chips at `precision`.
    trends: Vec<TrendOutcome>,
    /// g = 1 − 2^(−1 / doubling of FLOP/s per $) of the AI-peak-per-class trend, when it exists.
    compute_cost_decline_per_year: Option<f64>,
    credit: &'static str,
}

/// Chips of `vendor` (case-insensitive; the first word of a vendor name also matches, so
/// `amazon` finds "Amazon AWS").
fn select(vendor: Option<&str>) -> Result<Vec<&'static Chip>, FlError> {
    let all = catalog::catalog();
    let Some(v) = vendor else {
        return Ok(all.iter().collect());
    };
    let wanted = v.trim().to_lowercase();
    let matches = |c: &Chip| {
        let name = c.vendor.to_lowercase();
        name == wanted || name.split_whitespace().next() == Some(wanted.as_str())
    };
    let chips: Vec<&Chip> = all.iter().filter(|c| matches(c)).collect();
    if chips.is_empty() {
        return Err(FlError::usage(format!(
            "no chips from vendor {v:?} in the catalog\n  fix: use one of: {}",
            catalog::vendors().join(", ")
        )));
    }
    Ok(chips)
}

/// `v / scale` as a plain number for a column whose unit is in the header.
fn scaled(v: Option<f64>, scale: f64) -> String {
    v.map_or_else(|| MISSING.into(), |x| num(x / scale))
}

/// One row per chip; units in the header so the numbers stay short (fits 100 columns; per-watt
/// figures are in the trends below, the CSV and the JSON).
/// A chip whose source marks a figure UNCERTAIN carries ` *`.
fn table(chips: &[&Chip], p: Precision) -> Table {
    let rate = p.rate_unit();
    let mut t = term::table(vec![
        "chip".to_string(),
        "release".into(),
        "launch".into(),
        format!("{p}\nT{rate}"),
        "memory\nGB".into(),
        "mem BW\nTB/s".into(),
        "TDP\nW".into(),
        format!("G{rate}\nper $"),
    ]);
    for c in chips {
        t.add_row(vec![
            format!("{}{}", c.name, if c.uncertain { " *" } else { "" }),
            c.release.format("%Y-%m").to_string(),
            usd_opt(c.launch_price_usd),
            scaled(c.peak_flop_per_s.get(&p).copied(), 1e12),
            scaled(c.memory_bytes, 1e9),
            scaled(c.memory_bytes_per_s, 1e12),
            scaled(c.tdp_w, 1.0),
            scaled(c.flop_per_s_per_usd(p), 1e9),
        ]);
    }
    term::numbers_from(&mut t, 1);
    t
}

/// One CSV row per chip: plain numbers in base units, empty when unknown.
#[derive(Serialize)]
struct CsvRow<'a> {
    chip: &'a str,
    vendor: &'a str,
    release: String,
    launch_price_usd: Option<f64>,
    precision: Precision,
    peak_per_s: Option<f64>,
    memory_bytes: Option<f64>,
    memory_bytes_per_s: Option<f64>,
    tdp_w: Option<f64>,
    peak_per_s_per_usd: Option<f64>,
    peak_per_s_per_w: Option<f64>,
    uncertain: bool,
    source: &'a str,
}

fn csv_rows<'a>(chips: &[&'a Chip], p: Precision) -> Vec<CsvRow<'a>> {
    chips
        .iter()
        .map(|c| CsvRow {
            chip: &c.name,
            vendor: &c.vendor,
            release: c.release.format("%Y-%m-%d").to_string(),
            launch_price_usd: c.launch_price_usd,
            precision: p,
            peak_per_s: c.peak_flop_per_s.get(&p).copied(),
            memory_bytes: c.memory_bytes,
            memory_bytes_per_s: c.memory_bytes_per_s,
            tdp_w: c.tdp_w,
            peak_per_s_per_usd: c.flop_per_s_per_usd(p),
            peak_per_s_per_w: c.flop_per_s_per_watt(p),
            uncertain: c.uncertain,
            source: &c.source,
        })
        .collect()
}

fn outcomes(basis: TrendBasis) -> Vec<TrendOutcome> {
    TrendMetric::ALL
        .into_iter()
        .map(|metric| {
            let (fit, error) = match trend::fit(basis, metric) {
                Ok(f) => (Some(f), None),
                Err(e) => (None, Some(e.to_string())),
            };
            TrendOutcome {
                metric,
                fit,
                error,
                frontier: trend::frontier(basis, metric),
            }
        })
        .collect()
}

fn years(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.2}")
    } else {
        "∞".into()
    }
}

fn print_trends(trends: &[TrendOutcome], basis: TrendBasis, heading: &str) {
    let rate = basis.rate_unit();
    wrapln!(
        "\n{heading}, all vendors: least squares of ln(metric) against release date \
         (peak {rate} at launch price / TDP)"
    );
    for t in trends {
        let label = t.metric.label().replace("FLOP/s", rate);
        match (&t.fit, &t.error) {
            (Some(f), _) if f.slope_ln_per_year <= 0.0 => wrapln!(
                "  {label}: no doubling time: the metric does not rise with release date \
                 (slope {:.3} ln/year; 95 % CI of the doubling time {}–{} years), n = {} chips",
                f.slope_ln_per_year,
                years(f.doubling_ci95_years.0),
                years(f.doubling_ci95_years.1),
                f.n
            ),
            (Some(f), _) => {
                wrapln!(
                    "  {label}: doubling time {} years (95 % CI {}–{} years), n = {} chips, \
                     R² = {:.2}, released {:.0}–{:.0}",
                    years(f.doubling_years),
                    years(f.doubling_ci95_years.0),
                    years(f.doubling_ci95_years.1),
                    f.n,
                    f.r_squared,
                    f.first_year.floor(),
                    f.last_year.floor()
                );
                wrapln!("    chips used: {}", f.chips.join(", "));
            }
            (None, Some(e)) => wrapln!("  {label}: no fit: {e}"),
            (None, None) => {}
        }
    }
}

fn print_frontier(trends: &[TrendOutcome], basis: TrendBasis) {
    let rate = basis.rate_unit();
    wrapln!("\nFrontier at {basis}: the best chip available at each date");
    for t in trends {
        let label = t.metric.label().replace("FLOP/s", rate);
        let unit = if t.metric == TrendMetric::FlopPerSPerUsd {
            format!("{rate}/$")
        } else {
            format!("{rate}/W")
        };
        wrapln!("  {label}:");
        for f in &t.frontier {
            crate::outln!(
                "    {}  {:<36} {}",
                f.release.format("%Y-%m"),
                f.chip,
                si(f.value, &unit)
            );
        }
    }
}

pub fn run(args: &ChipsArgs) -> anyhow::Result<i32> {
    let precision: Precision = args
        .precision
        .parse()
        .map_err(|e: catalog::UnknownPrecision| FlError::usage(e.to_string()))?;
    let chips = select(args.vendor.as_deref())?;
    let ai_trends = outcomes(TrendBasis::AiPerClass);
    let trends = outcomes(precision.into());
    let compute_cost_decline_per_year = trend::ai_frontier_decline().ok().map(|(g, _)| g);
    let out = ChipsOutput {
        precision,
        vendor: args.vendor.as_deref(),
        chips,
        ai_trends,
        trends,
        compute_cost_decline_per_year,
        credit: EPOCH_CREDIT,
    };
    match OutputFormat::resolve(args.format, args.json) {
        OutputFormat::Json => {
            crate::outln!("{}", serde_json::to_string_pretty(&out)?);
            return Ok(0);
        }
        OutputFormat::Csv => {
            super::tabular::print_csv(&csv_rows(&out.chips, precision))?;
            return Ok(0);
        }
        OutputFormat::Table => {}
    }
    let uncertain = out.chips.iter().filter(|c| c.uncertain).count();
    wrapln!(
        "{} chips{}; peaks dense, at {precision}; prices are launch prices in USD of the day",
        out.chips.len(),
        args.vendor
            .as_deref()
            .map(|v| format!(" from vendor '{v}'"))
            .unwrap_or_default()
    );
    crate::outln!("{}", table(&out.chips, precision));
    if uncertain > 0 {
        wrapln!(
            "* {uncertain} chips have a figure their source marks UNCERTAIN (notes and sources: \
             `flopledger chips --json` or `--format csv`)."
        );
    }
    for problem in catalog::load_problems() {
        crate::errln!("warning: catalog row skipped: {problem}");
    }
    print_trends(
        &out.ai_trends,
        TrendBasis::AiPerClass,
        "Trends at each chip's AI peak by class (data-centre: dense bf16/fp16 tensor; consumer \
         and SoC: FP32-accumulate rate; FP32 as a floor)",
    );
    if let Some(g) = out.compute_cost_decline_per_year {
        wrapln!(
            "  cost of a unit of AI compute falls {} per year (g = 1 − 2^(−1/doubling of \
             FLOP/s per $))",
            crate::units::pct_with(g, 1)
        );
    }
    print_trends(
        &out.trends,
        precision.into(),
        &format!("Trends at {precision}"),
    );
    print_frontier(&out.ai_trends, TrendBasis::AiPerClass);
    print_frontier(&out.trends, precision.into());
    wrapln!("\n{EPOCH_CREDIT}");
    // Not every row is Epoch AI's alone: say how many cite other sources, and where each is
    // named (a helper's sweep: the B200's, GB200's and H200's prices come from elsewhere).
    let elsewhere = out
        .chips
        .iter()
        .filter(|c| !c.source.contains("Epoch AI"))
        .count();
    if elsewhere > 0 {
        wrapln!(
            "  {elsewhere} of these {} chips take their figures from other sources, and some \
             others their price or a figure: each row's sources are in `flopledger chips \
             --json` or `--format csv`.",
            out.chips.len()
        );
    }
    Ok(0)
}
