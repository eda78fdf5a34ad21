//! Flags the path `depreciate` takes has no use for: each is refused with its name and the
//! path that ignores it, never dropped in silence (every flag changes the output or is
//! refused). The paths: the market model (the default, also with `--rents` and `--report`),
//! `--validate`, `--observed` (against the market model, or with `--launch-trend` against the
//! launch-price trend), the launch-price trend reference (`--launch-trend`, or `--backtest`
//! with chips), and `--backtest` of a series alone.

use crate::cli::{DepreciateArgs, PricingArgs};
use crate::error::FlError;

/// Refuses the flags the launch-price trend reference (`--launch-trend`) has no use for: it
/// charges a chip electricity only and compares it with fixed book schedules, so the running
/// costs, a rent and a book life belong to the market model (the default).
pub(crate) fn refuse_market_only_flags(p: &PricingArgs) -> Result<(), FlError> {
    refuse_market_only_flags_for(
        p,
        "the launch-price trend reference charges electricity only against fixed book schedules",
        "--launch-trend",
    )
}

/// Refuses the market model's flags where `mode` (the flag that chose another path, `why` it
/// has no use for them) is given.
fn refuse_market_only_flags_for(p: &PricingArgs, why: &str, mode: &str) -> Result<(), FlError> {
    use crate::economics::pricing::{flag_given, item::MARKET_ONLY};
    let inputs = crate::commands::convert::unchecked(p);
    if let Some(flag) = MARKET_ONLY
        .iter()
        .find(|i| flag_given(&inputs, **i))
        .map(|i| i.flag())
    {
        return Err(FlError::usage(format!(
            "{flag} applies to the market model, and {why}; drop {flag}, or drop {mode} to use it"
        )));
    }
    // The same items in a price file (which other commands share) are named, not refused: they
    // had been ignored without a word (a helper's sweep).
    if let Some(path) = &p.price_file {
        let mut items: Vec<&str> = crate::economics::pricing::file::load(path)?
            .iter()
            .filter(|e| MARKET_ONLY.contains(&e.item))
            .map(|e| e.item.id())
            .collect();
        items.sort_unstable();
        items.dedup();
        if !items.is_empty() {
            let (apply, change) = if items.len() == 1 {
                ("applies", "changes")
            } else {
                ("apply", "change")
            };
            crate::term::note(&format!(
                "{}: {} {apply} to the market model and {change} nothing with {mode} ({why})",
                path.display(),
                items.join(", ")
            ));
        }
    }
    Ok(())
}

/// The first of `flags` given, refused: `{flag}` changes nothing with `path` (`why`).
fn refuse(flags: &[(bool, &str)], path: &str, why: &str) -> Result<(), FlError> {
    match flags.iter().find(|(given, _)| *given) {
        Some((_, flag)) => Err(FlError::usage(format!(
            "{flag} changes nothing with {path} ({why}); drop {flag}"
        ))),
        None => Ok(()),
    }
}

/// Refuses what the path `args` chose has no use for.
pub(super) fn refuse_for_path(args: &DepreciateArgs) -> Result<(), FlError> {
    let p = &args.pricing;
    let observed = args.observed || args.observed_file.is_some();
    let has_chip = !args.chips.is_empty() || p.chip.is_some() || args.report.is_some();
    // The launch-price trend's models take no purchase date, rent segment or rent panel.
    let launch_trend_unused = [
        (args.purchase_date.is_some(), "--purchase-date"),
        (args.rent_basis.is_some(), "--rent-basis"),
        (args.rent_class.is_some(), "--rent-class"),
        (args.market_file.is_some(), "--market-file"),
    ];
    if args.validate {
        return refuse(
            &[
                (args.launch_trend, "--launch-trend"),
                (p.price_usd.is_some(), "--price-usd"),
                (p.overhead.is_some(), "--overhead"),
                (p.cloud_usd_per_hour.is_some(), "--cloud-usd-per-hour"),
                (p.life_years.is_some(), "--life-years"),
                (args.purchase_date.is_some(), "--purchase-date"),
                (args.growth.is_some(), "--growth"),
                (args.precision.is_some(), "--precision"),
                (args.fit_until.is_some(), "--fit-until"),
                (args.report.is_some(), "--report"),
                (args.rents.is_some(), "--rents"),
                (args.backtest.is_some(), "--backtest"),
            ],
            "--validate",
            "it checks the market model's rents and prices against observed ones, whatever a \
             chip cost its owner or when it was bought",
        );
    }
    if args.backtest.is_some() && !has_chip && !observed {
        return refuse(
            &[
                (args.launch_trend, "--launch-trend"),
                (args.rents.is_some(), "--rents"),
                (p.price_file.is_some(), "--price-file"),
                (p.price_usd.is_some(), "--price-usd"),
                (p.usd_per_kwh.is_some(), "--usd-per-kwh"),
                (p.pue.is_some(), "--pue"),
                (p.utilization.is_some(), "--utilization"),
                (p.discount_rate.is_some(), "--discount-rate"),
                (p.overhead.is_some(), "--overhead"),
                (args.watts.is_some(), "--watts"),
                (args.growth.is_some(), "--growth"),
                (args.precision.is_some(), "--precision"),
                (args.purchase_date.is_some(), "--purchase-date"),
                (args.rent_basis.is_some(), "--rent-basis"),
                (args.rent_class.is_some(), "--rent-class"),
                (args.market_file.is_some(), "--market-file"),
            ],
            "--backtest and no chip",
            "it fits the series and checks its predictions, valuing no chip; add --chips NAME to \
             value one beside it",
        )
        .and_then(|()| {
            refuse_market_only_flags_for(p, "--backtest fits a rent series alone", "--backtest")
        });
    }
    if observed && !args.launch_trend {
        return refuse(
            &[
                (p.cloud_usd_per_hour.is_some(), "--cloud-usd-per-hour"),
                (p.life_years.is_some(), "--life-years"),
                (args.purchase_date.is_some(), "--purchase-date"),
            ],
            "--observed",
            "it sets each observed series beside the market model's price of that chip at the \
             series' own dates; no rent alternative or book schedule enters",
        );
    }
    if args.launch_trend || args.backtest.is_some() {
        let path = if args.launch_trend {
            "--launch-trend"
        } else {
            "--backtest"
        };
        refuse(
            &launch_trend_unused,
            path,
            "the launch-price trend reference values a chip from its release, without the rent \
             panel",
        )?;
        return if args.launch_trend {
            refuse_market_only_flags(p)
        } else {
            refuse_market_only_flags_for(
                p,
                "--backtest with chips shows the launch-price trend reference beside the \
                 back-test, which charges electricity only",
                "--backtest",
            )
        };
    }
    Ok(())
}
