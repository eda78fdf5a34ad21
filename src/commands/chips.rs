//! `flopledger chips`: the catalog, the trend fits and the frontier: at each chip's AI peak by
//! class (the default reference trend) and at the `--precision` asked for.

use crate::cli::ChipsArgs;
use crate::economics::catalog::{self, Chip, Precision, EPOCH_CREDIT};
use crate::economics::trend::{self, FrontierPoint, TrendBasis, TrendFit, TrendMetric};
use crate::error::FlError;
use crate::units::si;
use comfy_table::{presets, Table};
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
            "no chips from vendor '{v}' in the catalog\n  fix: use one of: {}",
            catalog::vendors().join(", ")
        )));
    }
    Ok(chips)
}

fn opt(v: Option<f64>, unit: &str) -> String {
    v.map(|x| si(x, unit)).unwrap_or_else(|| "—".into())
}

fn table(chips: &[&Chip], p: Precision) -> Table {
    let rate = p.rate_unit();
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "chip".to_string(),
        "vendor".into(),
        "release".into(),
        "launch price".into(),
        format!("peak {p}"),
        "memory".into(),
        "bandwidth".into(),
        "TDP".into(),
        format!("{rate} per $"),
        format!("{rate} per W"),
        "uncertain".into(),
    ]);
    for c in chips {
        t.add_row(vec![
            c.name.clone(),
            c.vendor.clone(),
            c.release.format("%Y-%m").to_string(),
            c.launch_price_usd
                .map(|x| format!("${x:.0}"))
                .unwrap_or_else(|| "n/a".into()),
            opt(c.peak_flop_per_s.get(&p).copied(), rate),
            opt(c.memory_bytes, "B"),
            opt(c.memory_bytes_per_s, "B/s"),
            opt(c.tdp_w, "W"),
            opt(c.flop_per_s_per_usd(p), &format!("{rate}/$")),
            opt(c.flop_per_s_per_watt(p), &format!("{rate}/W")),
            if c.uncertain { "yes" } else { "" }.into(),
        ]);
    }
    t
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
    println!(
        "\n{heading}, all vendors: least squares of ln(metric) against release date \
         (peak {rate} at launch price / TDP)"
    );
    for t in trends {
        let label = t.metric.label().replace("FLOP/s", rate);
        match (&t.fit, &t.error) {
            (Some(f), _) if f.slope_ln_per_year <= 0.0 => println!(
                "  {label}: no doubling time: the metric does not rise with release date \
                 (slope {:.3} ln/year; 95 % CI of the doubling time {}–{} years), n = {} chips",
                f.slope_ln_per_year,
                years(f.doubling_ci95_years.0),
                years(f.doubling_ci95_years.1),
                f.n
            ),
            (Some(f), _) => {
                println!(
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
                println!("    chips used: {}", f.chips.join(", "));
            }
            (None, Some(e)) => println!("  {label}: no fit: {e}"),
            (None, None) => {}
        }
    }
}

fn print_frontier(trends: &[TrendOutcome], basis: TrendBasis) {
    let rate = basis.rate_unit();
    println!("\nFrontier at {basis}: the best chip available at each date");
    for t in trends {
        let label = t.metric.label().replace("FLOP/s", rate);
        let unit = if t.metric == TrendMetric::FlopPerSPerUsd {
            format!("{rate}/$")
        } else {
            format!("{rate}/W")
        };
        println!("  {label}:");
        for f in &t.frontier {
            println!(
                "    {}  {:<36} {}",
                f.release.format("%Y-%m"),
                f.chip,
                si(f.value, &unit)
            );
        }
    }
}

pub fn run(args: &ChipsArgs) -> anyhow::Result<i32> {
    let precision: Precision = args.precision.parse().map_err(FlError::usage)?;
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
    if args.json {
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(0);
    }
    let uncertain = out.chips.iter().filter(|c| c.uncertain).count();
    println!(
        "{} chips{}; peaks dense, at {precision}; prices are launch prices in USD of the day",
        out.chips.len(),
        args.vendor
            .as_deref()
            .map(|v| format!(" from vendor '{v}'"))
            .unwrap_or_default()
    );
    println!("{}", table(&out.chips, precision));
    if uncertain > 0 {
        println!(
            "{uncertain} rows have a figure their source marks UNCERTAIN (see `--json` notes)."
        );
    }
    for problem in catalog::load_problems() {
        eprintln!("warning: catalog row skipped: {problem}");
    }
    print_trends(
        &out.ai_trends,
        TrendBasis::AiPerClass,
        "Trends at each chip's AI peak by class (data-centre: dense bf16/fp16 tensor; consumer \
         and SoC: FP32-accumulate rate; FP32 as a floor)",
    );
    if let Some(g) = out.compute_cost_decline_per_year {
        println!(
            "  cost of a unit of AI compute falls {:.1} % per year (g = 1 − 2^(−1/doubling of \
             FLOP/s per $))",
            g * 100.0
        );
    }
    print_trends(
        &out.trends,
        precision.into(),
        &format!("Trends at {precision}"),
    );
    print_frontier(&out.ai_trends, TrendBasis::AiPerClass);
    print_frontier(&out.trends, precision.into());
    println!("\n{EPOCH_CREDIT}");
    Ok(0)
}
