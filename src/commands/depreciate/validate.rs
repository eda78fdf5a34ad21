//! `flopledger depreciate --validate`: the market model against data it was not fitted on.
//!
//! 1. Rolling-origin back-test of the rent fit (MAPE and bias per chip).
//! 2. Leave one chip out: each chip's prices predicted by a fit on the other chips.
//! 3. Observed prices (data/observed_prices.csv or `--observed-file`): each series' annual
//!    decline beside the model's between the same dates ([`super::market_observed`]).
//! 4. With `--score-rents FILE`: rents the fit has not seen, predicted
//!    ([`crate::economics::market::score`]).

use super::market as valuation;
use crate::cli::DepreciateArgs;
use crate::config::PricingInputs;
use crate::economics::market::backtest::{self, Backtest};
use crate::economics::market::data::ProviderClass;
use crate::economics::market::holdout::{self, Holdout};
use crate::economics::market::score::{self, Scored};
use crate::units::{pct_signed, pct_with};
use serde::Serialize;

#[derive(Serialize)]
struct Validation {
    /// `None` where the panel has no origin with enough prices on each side (`skipped` says).
    backtest: Option<Backtest>,
    /// Checks that could not run on this panel, with why.
    skipped: Vec<String>,
    holdout: Holdout,
    observed: super::market_observed::ObservedCheck,
    /// `--score-rents`: the file's rents predicted by the fit.
    #[serde(skip_serializing_if = "Option::is_none")]
    outside: Option<Scored>,
}

pub fn run(args: &DepreciateArgs, inputs: &PricingInputs) -> anyhow::Result<i32> {
    // A bad --score-rents file stops the command before the refits.
    let outside = match &args.score_rents {
        Some(path) => Some(outside_rents(path)?),
        None => None,
    };
    let market = valuation::market(args)?;
    let origins = backtest::default_origins(&market.panel);
    let mut skipped = Vec::new();
    let mut bt = match backtest::backtest(&market.panel, &origins) {
        Ok(b) => Some(b),
        Err(e) => {
            skipped.push(format!("rolling-origin back-test: {e}"));
            None
        }
    };
    let mut held = holdout::holdout(&market.panel, &market.fit);
    // `--chips` keeps those chips' rows of the per-chip tables; the overall rows stay the
    // whole panel's.
    let wanted = wanted(args)?;
    if let Some(wanted) = &wanted {
        if let Some(b) = bt.as_mut() {
            b.per_chip.retain(|chip, _| wanted.contains(chip));
        }
        held.per_chip.retain(|c| wanted.contains(&c.chip));
        held.skipped
            .retain(|s| wanted.iter().any(|w| s.starts_with(w.as_str())));
        for chip in wanted {
            if !market.panel.rows.iter().any(|o| &o.chip.name == chip) {
                skipped.push(format!(
                    "per-chip rows of {chip}: {} has no rental price of it",
                    market.panel.name
                ));
            }
        }
    }
    let observed = super::market_observed::check(&market, args, inputs, false)?;
    // Node prices among the rents scored are warned of as `--market-file`'s are (a helper's
    // sweep: an H100 at $500 a GPU-hour was scored without a word).
    if let Some(w) = outside
        .as_ref()
        .and_then(|o| score::level_warning(&market.fit, o))
    {
        crate::term::warning(&w);
    }
    let mut outside = outside.map(|o| score::score(&market.fit, &market.panel, &o));
    if let (Some(o), Some(wanted)) = (outside.as_mut(), &wanted) {
        o.per_chip.retain(|c| wanted.contains(&c.chip));
    }
    if args.output() == crate::cli::OutputFormat::Json {
        let v = Validation {
            backtest: bt,
            skipped,
            holdout: held,
            observed,
            outside,
        };
        crate::outln!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(0);
    }
    for s in &skipped {
        crate::wrapln!("Left out: {s}\n");
    }
    if let Some(bt) = &bt {
        print_backtest(&market, bt);
    }
    print_holdout(&held, wanted.is_some());
    super::market_observed::print(&observed);
    super::market_lives::print(&observed.lives);
    if let Some(s) = &outside {
        print_outside(s);
    }
    Ok(0)
}

/// The `--score-rents` file; one with no row the fit can price (every chip unknown to the
/// catalog, or no rows) is refused rather than scored as "0 prices, 0 %".
fn outside_rents(
    path: &std::path::Path,
) -> Result<crate::economics::market::data::Panel, crate::error::FlError> {
    let panel = crate::economics::market::data::read(path)?;
    if panel.rows.is_empty() {
        let why = panel
            .skipped
            .first()
            .map_or("it has no rows".to_string(), |s| s.clone());
        return Err(crate::error::FlError::input(
            &panel.name,
            format!(
                "no row names a chip the market fit can price ({why}); --score-rents needs rents \
                 of catalog chips with bandwidth, memory and a peak (`flopledger chips` lists \
                 them)"
            ),
        ));
    }
    Ok(panel)
}

/// The `--score-rents` table: each chip's outside rents against the fit.
fn print_outside(s: &Scored) {
    let pct = |v: f64| pct_signed(Some(v), 0);
    crate::wrapln!(
        "\nRents the fit has not seen ({}): each predicted at its own chip, date, provider class \
         and basis (bias > 0: predicted too high){}.",
        s.file,
        if s.also_in_fit > 0 {
            format!(
                "; {} of them are also in the fitted panel, so not out of sample",
                s.also_in_fit
            )
        } else {
            String::new()
        }
    );
    let mut t = crate::term::table(vec!["chip", "prices", "dates", "MAPE", "bias"]);
    for c in &s.per_chip {
        t.add_row(vec![
            c.chip.clone(),
            c.errors.n.to_string(),
            if c.first == c.last {
                c.first.to_string()
            } else {
                format!("{} →\n{}", c.first, c.last)
            },
            pct_with(c.errors.mape, 0),
            pct(c.errors.bias),
        ]);
    }
    t.add_row(vec![
        "all prices".to_string(),
        s.overall.n.to_string(),
        String::new(),
        pct_with(s.overall.mape, 0),
        pct(s.overall.bias),
    ]);
    crate::term::numbers_from(&mut t, 1);
    crate::outln!("{t}");
    for why in &s.skipped {
        crate::wrapln!("Not scored: {why}");
    }
}

/// The catalog names `--chips` stands for (a name several variants match stands for all).
fn wanted(args: &DepreciateArgs) -> Result<Option<Vec<String>>, crate::error::FlError> {
    let asked: Vec<&String> = args.chips.iter().filter(|s| !s.trim().is_empty()).collect();
    if asked.is_empty() {
        return Ok(None);
    }
    let mut names = Vec::new();
    for name in asked {
        names.extend(
            crate::economics::catalog::find_all(name.trim())?
                .into_iter()
                .map(|c| c.name.clone()),
        );
    }
    Ok(Some(names))
}

fn print_backtest(market: &crate::economics::market::Market, bt: &Backtest) {
    let pct = |v: f64| pct_signed(Some(v), 0);
    crate::wrapln!(
        "Rolling-origin back-test of the market fit ({}): fit on the prices before each origin \
         (the frontier knowing only the chips released by then), predict every later price; \
         the last column is the long-run decline of a fixed chip's rent that origin's fit \
         projects, for hyperscaler lists and for other providers.\n",
        market.panel.name
    );
    let mut t = crate::term::table(vec![
        "fit until",
        "fit rows",
        "predicted",
        "MAPE",
        "bias",
        "mean\nhorizon",
        "decline/yr\nhyp. / neo.",
    ]);
    for o in &bt.origins {
        t.add_row(vec![
            o.fit_until.to_string(),
            o.fit_rows.to_string(),
            o.score.n.to_string(),
            pct_with(o.score.mape, 0),
            pct(o.score.bias),
            format!("{:.1} y", o.score.mean_horizon_years),
            format!(
                "{} / {}",
                pct_with(o.long_run_decline_hyperscaler, 0),
                pct_with(o.long_run_decline_neocloud, 0)
            ),
        ]);
    }
    crate::term::numbers_from(&mut t, 1);
    crate::outln!("{t}\n");
    let mut t = crate::term::table(vec!["chip", "predicted", "MAPE", "bias", "mean\nhorizon"]);
    for (chip, s) in &bt.per_chip {
        t.add_row(vec![
            chip.clone(),
            s.n.to_string(),
            pct_with(s.mape, 0),
            pct(s.bias),
            format!("{:.1} y", s.mean_horizon_years),
        ]);
    }
    t.add_row(vec![
        "all chips".to_string(),
        bt.overall.n.to_string(),
        pct_with(bt.overall.mape, 0),
        pct(bt.overall.bias),
        format!("{:.1} y", bt.overall.mean_horizon_years),
    ]);
    crate::term::numbers_from(&mut t, 1);
    crate::outln!("Per chip, over every origin (bias > 0: predicted too high):\n{t}\n");
    let mut t = crate::term::table(vec!["class", "horizon", "predicted", "MAPE", "bias"]);
    for c in &bt.per_class_horizon {
        let h = c.horizon_years_from;
        t.add_row(vec![
            c.class.to_string(),
            if h >= 2 {
                format!("{h} y and more")
            } else {
                format!("{h}–{} y", h + 1)
            },
            c.score.n.to_string(),
            pct_with(c.score.mape, 0),
            pct(c.score.bias),
        ]);
    }
    crate::term::numbers_from(&mut t, 2);
    crate::outln!("Per provider class and horizon, over every origin:\n{t}\n");
    let drift: Vec<String> = bt
        .offer_drift
        .iter()
        .map(|d| {
            format!(
                "{} {}/yr ({} series, {} prices)",
                d.class,
                pct_signed(Some(d.change_per_year), 1),
                d.series,
                d.prices
            )
        })
        .collect();
    let projected: Vec<String> = [ProviderClass::Hyperscaler, ProviderClass::Neocloud]
        .into_iter()
        .map(|c| {
            format!(
                "{} {}/yr",
                c.id(),
                pct_signed(Some(-market.fit.long_run_decline(&market.fit.beta, c)), 1)
            )
        })
        .collect();
    crate::wrapln!(
        "A fixed offer's rent (the same chip, basis and provider; least squares on ln price \
         within each series) moved {} over the panel; the fit projects {} for a fixed chip.\n",
        drift.join(", "),
        projected.join(", ")
    );
}

/// The leave-one-chip-out table; with `--chips` (`narrowed`) its overall row even where none of
/// those chips has a row.
fn print_holdout(h: &Holdout, narrowed: bool) {
    let pct = |v: f64| pct_signed(Some(v), 0);
    let mut t = crate::term::table(vec![
        "chip",
        "prices",
        "held out\nMAPE",
        "held out\nbias",
        "in the fit\nMAPE",
        "in the fit\nbias",
    ]);
    let row = |name: &str, out: &holdout::Errors, inn: &holdout::Errors| {
        vec![
            name.to_string(),
            out.n.to_string(),
            pct_with(out.mape, 0),
            pct(out.bias),
            pct_with(inn.mape, 0),
            pct(inn.bias),
        ]
    };
    for c in &h.per_chip {
        t.add_row(row(&c.chip, &c.held_out, &c.in_fit));
    }
    t.add_row(row("all prices", &h.held_out, &h.in_fit));
    crate::term::numbers_from(&mut t, 1);
    if !h.per_chip.is_empty() || narrowed {
        crate::wrapln!(
            "Leave one chip out: each chip's prices predicted by the market fitted on every \
             other chip's (the frontier still knowing its release), beside the fit on the whole \
             panel; the difference is what not having seen the chip's rents costs (bias > 0: \
             predicted too high)."
        );
        crate::outln!("{t}");
    }
    for s in &h.skipped {
        crate::wrapln!("Leave one chip out: not held out: {s}");
    }
    crate::outln!();
}
