//! `flopledger depreciate --validate`: the market model against data it was not fitted on.
//!
//! 1. Rolling-origin back-test of the rent fit (MAPE and bias per chip).
//! 2. Resale prices (data/observed_prices.csv, unit `usd`): the observed annual decline of each
//!    series beside the decline of the model's value of the same chip between the same dates
//!    (the chip bought at its catalog release and launch price).

use super::market::{self as valuation, Valued};
use crate::cli::DepreciateArgs;
use crate::config::PricingInputs;
use crate::economics::catalog;
use crate::economics::depreciation::decline;
use crate::economics::depreciation::observed::{self, PriceUnit};
use crate::economics::market::backtest::{self, Backtest};
use crate::economics::market::data::year_of;
use crate::economics::market::Market;
use serde::Serialize;

/// One resale series against the model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResaleCheck {
    pub chip: String,
    pub series: String,
    pub n: usize,
    pub observed_decline_per_year: f64,
    pub predicted_decline_per_year: Option<f64>,
}

fn resale_checks(
    market: &Market,
    args: &DepreciateArgs,
    inputs: &PricingInputs,
) -> anyhow::Result<Vec<ResaleCheck>> {
    let prices = match &args.observed_file {
        Some(p) => observed::read_observed(p)?,
        None => observed::shipped()?,
    };
    let segment = valuation::segment(args)?;
    let mut out = Vec::new();
    for s in observed::group(&prices) {
        if s.prices.len() < 2 || s.prices[0].unit != PriceUnit::Usd {
            continue;
        }
        let Ok(chip) = catalog::find(s.chip) else {
            continue;
        };
        let points: Vec<(chrono::NaiveDate, f64)> =
            s.prices.iter().map(|p| (p.date, p.usd)).collect();
        let observed_fit = decline::fit_dated(&points, s.name)?;
        let valued: Valued = match valuation::value_chip(market, chip, args, inputs, segment, None)
        {
            Ok(v) => v,
            Err(_) => continue,
        };
        let a = &valued.assessment;
        let bought = year_of(a.purchase_date);
        let predicted: Vec<(chrono::NaiveDate, f64)> = points
            .iter()
            .map(|(d, _)| {
                let age = (year_of(*d) - bought).max(0.0);
                let lo = age.floor() as usize;
                let frac = age - age.floor();
                let v =
                    a.point.value_at_year(lo) * (1.0 - frac) + a.point.value_at_year(lo + 1) * frac;
                (*d, v)
            })
            .collect();
        let predicted_decline = if predicted.iter().all(|(_, v)| *v > 0.0) {
            decline::fit_dated(&predicted, s.name)
                .ok()
                .map(|f| f.annual_decline)
        } else {
            None
        };
        out.push(ResaleCheck {
            chip: chip.name.clone(),
            series: s.name.to_string(),
            n: points.len(),
            observed_decline_per_year: observed_fit.annual_decline,
            predicted_decline_per_year: predicted_decline,
        });
    }
    Ok(out)
}

#[derive(Serialize)]
struct Validation {
    backtest: Backtest,
    resale: Vec<ResaleCheck>,
}

pub fn run(args: &DepreciateArgs, inputs: &PricingInputs) -> anyhow::Result<i32> {
    let market = valuation::market(args)?;
    let origins = backtest::default_origins(&market.panel);
    let bt = backtest::backtest(&market.panel, &origins)?;
    let resale = resale_checks(&market, args, inputs)?;
    if args.output() == crate::cli::OutputFormat::Json {
        let v = Validation {
            backtest: bt,
            resale,
        };
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(0);
    }
    let pct = |v: f64| format!("{:+.0} %", v * 100.0);
    crate::wrapln!(
        "Rolling-origin back-test of the market fit ({}): fit on the prices before each origin \
         (the frontier knowing only the chips released by then), predict every later price.\n",
        market.panel.name
    );
    let mut t = crate::term::table(vec![
        "fit until",
        "fit rows",
        "predicted",
        "MAPE",
        "bias",
        "mean horizon",
    ]);
    for o in &bt.origins {
        t.add_row(vec![
            o.fit_until.to_string(),
            o.fit_rows.to_string(),
            o.score.n.to_string(),
            format!("{:.0} %", o.score.mape * 100.0),
            pct(o.score.bias),
            format!("{:.1} y", o.score.mean_horizon_years),
        ]);
    }
    println!("{t}\n");
    let mut t = crate::term::table(vec!["chip", "predicted", "MAPE", "bias", "mean horizon"]);
    for (chip, s) in &bt.per_chip {
        t.add_row(vec![
            chip.clone(),
            s.n.to_string(),
            format!("{:.0} %", s.mape * 100.0),
            pct(s.bias),
            format!("{:.1} y", s.mean_horizon_years),
        ]);
    }
    t.add_row(vec![
        "all chips".to_string(),
        bt.overall.n.to_string(),
        format!("{:.0} %", bt.overall.mape * 100.0),
        pct(bt.overall.bias),
        format!("{:.1} y", bt.overall.mean_horizon_years),
    ]);
    println!("Per chip, over every origin (bias > 0: predicted too high):\n{t}\n");
    let mut t = crate::term::table(vec![
        "chip",
        "resale series",
        "prices",
        "observed decline/yr",
        "model value decline/yr",
    ]);
    for r in &resale {
        t.add_row(vec![
            r.chip.clone(),
            r.series.clone(),
            r.n.to_string(),
            pct(r.observed_decline_per_year),
            r.predicted_decline_per_year
                .map_or(crate::units::MISSING.into(), pct),
        ]);
    }
    println!(
        "Resale prices against the model's value of the same chip between the same dates:\n{t}"
    );
    Ok(0)
}
