//! `flopledger depreciate`: value curves, economic life and the book-vs-economic gap of one or
//! more chips (catalog or a run report), the back-test of a rental-price series, and (with
//! `--observed`) the comparison with observed market prices of older chips.

use crate::cli::{DepreciateArgs, OutputFormat};
use crate::economics::backtest::{self, Backtest};
use crate::economics::catalog::{self, Precision};
use crate::economics::depreciation::outlook::{analyse, ChipAnalysis};
use crate::economics::depreciation::rent::{self, RentFit};
use crate::economics::depreciation::sources::{self, parse_precision, precision_for};
use crate::economics::depreciation::{render, ChipInputs, Market};
use crate::economics::pricing;
use crate::error::FlError;

mod legacy_json;
pub(crate) mod market;
mod market_csv;
mod market_lives;
mod market_observed;
mod market_report;
mod market_text;
mod observed;
mod tokens;
mod unused;
mod validate;

pub(crate) use unused::refuse_market_only_flags;

/// One chip ready for the models, with what the user should know about its inputs.
struct Prepared {
    inputs: ChipInputs,
    market: Market,
    notes: Vec<String>,
}

pub fn run(args: &DepreciateArgs) -> anyhow::Result<i32> {
    let pricing_inputs = crate::commands::convert::pricing_inputs(&args.pricing)?;
    let requested = args.precision.as_deref().map(parse_precision).transpose()?;
    // A back-test checks a series on its own; with --chips it shows the launch-price trend
    // reference beside it. --rents alone values the chip on its series under the market model.
    let legacy = args.launch_trend || args.backtest.is_some();
    if args.output() == OutputFormat::Csv
        && (legacy || args.validate || args.observed || args.observed_file.is_some())
    {
        return Err(FlError::usage(
            "--format csv gives the market model's figures per chip; drop --launch-trend, \
             --backtest, --validate and --observed for it, or use --format json",
        )
        .into());
    }
    unused::refuse_for_path(args)?;
    if (args.observed || args.observed_file.is_some()) && !args.validate {
        if args.launch_trend {
            return observed::run(args, &pricing_inputs, requested);
        }
        return market_observed::run(args, &pricing_inputs);
    }
    if !args.chips.is_empty() && args.pricing.chip.is_some() {
        return Err(FlError::usage(
            "--chip and --chips name the same thing here; pass the chips once, as --chips \
             NAME[,NAME…]",
        )
        .into());
    }
    if args.validate {
        return validate::run(args, &pricing_inputs);
    }
    if !legacy {
        return run_market(args, &pricing_inputs);
    }
    let backtest = run_backtest(args)?;
    let rents = match &args.rents {
        Some(path) => {
            let series = read_series_noting(path)?;
            Some(rent::fit(&series, &path.display().to_string())?)
        }
        None => None,
    };
    let prepared = prepare(args, &pricing_inputs, requested)?;
    if prepared.is_empty() && backtest.is_none() {
        return Err(FlError::usage(
            "nothing to value: pass --chips NAME[,NAME…] (e.g. --chips \"H100 SXM\"), --report \
             FILE, or --backtest SERIES.csv --fit-until YYYY-MM-DD",
        )
        .into());
    }
    let analyses = prepared
        .iter()
        .map(|p| analyse(&p.inputs, &p.market, rents.as_ref()))
        .collect::<Result<Vec<_>, _>>()?;
    if args.output() == OutputFormat::Json {
        print_json(&prepared, &analyses, backtest.as_ref(), rents.as_ref())?;
    } else {
        print_text(&prepared, &analyses, backtest.as_ref());
    }
    Ok(0)
}

/// The chips asked for: `--chips` (trimmed, empty entries dropped), else `--chip` (the two
/// together are refused before this).
fn chip_names(args: &DepreciateArgs) -> Vec<String> {
    let mut names: Vec<String> = args
        .chips
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if names.is_empty() {
        names.extend(args.pricing.chip.clone());
    }
    names
}

fn refuse_launch_trend_flags(args: &DepreciateArgs) -> Result<(), FlError> {
    for (given, flag) in [
        (args.precision.is_some(), "--precision"),
        (args.growth.is_some(), "--growth"),
    ] {
        if given {
            return Err(FlError::usage(format!(
                "{flag} applies to the launch-price trend reference, not to the market model \
                 (which prices each chip by its dense AI throughput, bandwidth and memory); add \
                 --launch-trend to see that reference"
            )));
        }
    }
    Ok(())
}

/// The one chip's rent series (`--rents`), fitted.
fn own_rents(
    path: &std::path::Path,
    chips: &[&crate::economics::catalog::Chip],
) -> Result<crate::economics::market::own_rents::OwnRents, FlError> {
    if chips.len() != 1 {
        return Err(FlError::usage(format!(
            "--rents is one chip's rent series, and {} chips are named ({}); value the chip \
             whose rents these are, by full name (`flopledger chips` lists them)",
            chips.len(),
            market::joined_names(chips)
        )));
    }
    let mut series = read_series_noting(path)?;
    let chip = chips[0];
    // A series quotes cloud GPUs; the chip is valued per device (a K80 board is two of them).
    if chip.cloud_gpus > 1 {
        for o in &mut series {
            o.usd_per_hour = chip.device_rent(o.usd_per_hour);
        }
        crate::term::note(&format!(
            "{}: its rents are taken as one cloud GPU's, and the {} is {} of them: the chip \
             earns {} × each",
            path.display(),
            chip.name,
            chip.cloud_gpus,
            chip.cloud_gpus
        ));
    }
    let earliest =
        chip.release - chrono::Duration::days(crate::economics::market::data::EARLY_RENT_DAYS);
    if let Some(early) = series.iter().find(|o| o.date < earliest) {
        return Err(FlError::input(
            path.display().to_string(),
            format!(
                "a rent dated {}, before the {} could be rented (its release: {}; rents from \
                 half a year before it are taken): check the year, or value the chip these \
                 rents are of",
                early.date,
                chip.name,
                chip.release.format("%Y-%m")
            ),
        ));
    }
    // Rents ahead of today are a quote or a contract's schedule, not prices paid: taken, and
    // said (stderr, so a CSV or JSON run hears it too).
    let today = chrono::Utc::now().date_naive();
    let ahead: Vec<_> = series.iter().filter(|o| o.date > today).collect();
    if let Some(last) = ahead.last() {
        crate::term::note(&format!(
            "{}: {} of its rents are dated after today ({today}), up to {}: they are taken as \
             quoted or contracted rents; if they were observed, check the year",
            path.display(),
            ahead.len(),
            last.date
        ));
    }
    crate::economics::market::own_rents::OwnRents::fit(&series, &path.display().to_string())
}

/// The market model (the default): every chip valued against one market price of compute, or
/// one chip on its own rents (`--rents`). `--precision` and `--growth` belong to the launch-price
/// trend reference and are refused here.
fn run_market(
    args: &DepreciateArgs,
    pricing_inputs: &crate::config::PricingInputs,
) -> anyhow::Result<i32> {
    refuse_launch_trend_flags(args)?;
    let names = chip_names(args);
    let from_report = match &args.report {
        Some(path) => Some(market_report::read(path, &names, args.watts)?),
        None => None,
    };
    if names.is_empty() && from_report.is_none() {
        return Err(FlError::usage(
            "nothing to value: pass --chips NAME[,NAME…] (e.g. --chips \"H100 SXM\"), --report \
             FILE, or --backtest SERIES.csv --fit-until YYYY-MM-DD",
        )
        .into());
    }
    let (mut chips, mut name_notes) = match &from_report {
        Some(r) => (vec![r.chip], Vec::new()),
        None => catalog::find_list(&names)?,
    };
    if chips.len() > 1 {
        // Chips the model cannot value (variants an ambiguous name brought in, or chips the
        // catalog lacks a figure of) are left out, each with what it lacks; if none is left, the
        // one chip goes on to its own refusal (which offers its market price), several stop here.
        let lacking: Vec<_> = chips
            .iter()
            .map(|c| (*c, market::lacks(c, args, pricing_inputs)))
            .collect();
        let left: Vec<String> = lacking
            .iter()
            .filter(|(_, l)| !l.is_empty())
            .map(|(c, l)| format!("{} ({})", c.name, l.join(", ")))
            .collect();
        let ok: Vec<_> = lacking
            .iter()
            .filter(|(_, l)| l.is_empty())
            .map(|(c, _)| *c)
            .collect();
        let lacks_any = |what: &str| lacking.iter().any(|(_, l)| l.contains(&what));
        let fixes = [
            (
                lacks_any(market::NO_PRICE),
                "a --price-file entry per chip (chip = \"NAME\") gives a chip a price",
            ),
            (
                lacks_any(market::NO_TDP),
                "--watts gives one chip valued alone a power",
            ),
        ]
        .into_iter()
        .filter_map(|(lacked, fix)| lacked.then_some(fix))
        .collect::<Vec<_>>()
        .join(", ");
        let fixes = if fixes.is_empty() {
            "the market model prices a chip by its bandwidth, memory and peak".to_string()
        } else {
            fixes
        };
        if ok.is_empty() && left.len() > 1 {
            return Err(FlError::usage(format!(
                "none of the chips can be valued: {}; {fixes}, or name chips the catalog has \
                 these figures of (`flopledger chips` lists them)",
                left.join("; ")
            ))
            .into());
        }
        if !ok.is_empty() {
            if !left.is_empty() {
                name_notes.push(format!("left out: {}; {fixes}", left.join("; ")));
            }
            chips = ok;
        }
    }
    if chips.len() > 1
        && (args.pricing.price_usd.is_some()
            || args.watts.is_some()
            || args.purchase_date.is_some())
    {
        return Err(FlError::usage(
            "--price-usd, --watts and --purchase-date apply to one chip; value chips one at a \
             time by full name (`flopledger chips` lists them), or put per-chip prices in a \
             --price-file",
        )
        .into());
    }
    crate::economics::pricing::refuse_shared_chip_price(pricing_inputs, chips.len())?;
    name_notes.extend(crate::economics::pricing::entries_for_other_chips(
        pricing_inputs,
        &chips,
    )?);
    for n in &name_notes {
        crate::term::note(n);
    }
    let own = match &args.rents {
        Some(path) => Some(own_rents(path, &chips)?),
        None => None,
    };
    let segment = market::segment(args)?;
    let fitted = market::market(args)?;
    market::check_segment(&fitted, segment)?;
    let valued = chips
        .into_iter()
        .map(|c| {
            let measured_watts = from_report
                .as_ref()
                .and_then(|r| r.watts.as_ref())
                .map(|(w, what)| (*w, what.as_str()));
            let mut v = market::value_chip(
                &fitted,
                c,
                args,
                pricing_inputs,
                segment,
                measured_watts,
                own.as_ref(),
            )?;
            if let Some(r) = &from_report {
                v.notes.extend(r.notes.iter().cloned());
            }
            Ok(v)
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    if args.output() == OutputFormat::Csv {
        // A CSV holds figures only: what the table says beside them (rows of the market file
        // skipped, a capex far from the market's price, rents far from the market's) goes to
        // stderr, so a script still hears it.
        if let Some(n) = market_text::skipped_note(&fitted) {
            crate::term::note(&n);
        }
        for v in &valued {
            for n in &v.notes {
                crate::term::note(&format!("{}: {n}", v.assessment.chip));
            }
        }
        super::tabular::print_csv(&market_csv::rows(&valued, &fitted.fit))?;
        return Ok(0);
    }
    if args.output() == OutputFormat::Json {
        #[derive(serde::Serialize)]
        struct ChipJson<'a> {
            #[serde(flatten)]
            assessment: &'a crate::economics::market::Assessment,
            /// Where `watts` comes from: `--watts`, the catalog TDP or the report's power.
            watts_source: &'a str,
            notes: &'a [String],
            assumptions: Vec<crate::economics::types::Assumption>,
            tokens: &'a [crate::economics::market::tokens::TokenLife],
        }
        #[derive(serde::Serialize)]
        struct Out<'a> {
            market: market_text::FitJson,
            chips: Vec<ChipJson<'a>>,
            credit: String,
        }
        let out = Out {
            market: market_text::fit_json(&fitted),
            chips: valued
                .iter()
                .map(|v| ChipJson {
                    assessment: &v.assessment,
                    watts_source: &v.watts_source,
                    notes: &v.notes,
                    assumptions: v.pricing.assumptions(),
                    tokens: &v.tokens,
                })
                .collect(),
            credit: market_text::credits(),
        };
        crate::outln!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(0);
    }
    crate::outln!("{}", market_text::fit_summary(&fitted));
    crate::outln!("{}\n", market_text::summary(&valued));
    let prices: Vec<Option<String>> = valued
        .iter()
        .map(market_text::running_cost_prices)
        .collect();
    let shared = prices.len() > 1 && prices.iter().all(|p| *p == prices[0]);
    for v in &valued {
        crate::outln!("{}", market_text::details(v, !shared));
        crate::outln!("{}", tokens::table(v));
    }
    if let Some(p) = prices.first().cloned().flatten().filter(|_| shared) {
        crate::wrapln!("Running-cost prices of every chip: {p}\n");
    }
    crate::wrapln!("{}", market_text::credits());
    Ok(0)
}

fn run_backtest(args: &DepreciateArgs) -> Result<Option<Backtest>, FlError> {
    let Some(path) = &args.backtest else {
        return Ok(None);
    };
    let until = args.fit_until.as_deref().ok_or_else(|| {
        FlError::usage("--backtest needs --fit-until YYYY-MM-DD (last date used for the fit)")
    })?;
    let series = read_series_noting(path)?;
    // A back-test scores predictions against rents paid: one dated ahead of today was not
    // (`--rents` takes such rows as quotes; here they would be scored as observations).
    let today = chrono::Utc::now().date_naive();
    if let Some(ahead) = series.iter().find(|o| o.date > today) {
        return Err(FlError::input(
            path.display().to_string(),
            format!(
                "a rent dated {}, after today ({today}): a back-test scores the model against \
                 rents paid, so check the year, or drop the quoted or contracted rows",
                ahead.date
            ),
        ));
    }
    let until = backtest::parse_date(until)?;
    backtest::backtest(&series, until, &path.display().to_string()).map(Some)
}

fn prepare(
    args: &DepreciateArgs,
    pricing_inputs: &crate::config::PricingInputs,
    requested: Option<Precision>,
) -> anyhow::Result<Vec<Prepared>> {
    let names = chip_names(args);
    // A name several variants match (`A100`) stands for all of them, as in the market model's
    // table; the one-chip flags count the chips it stands for.
    let (chips, notes) = match &args.report {
        Some(_) => (Vec::new(), Vec::new()),
        None => catalog::find_list(&names)?,
    };
    let count = names.len().max(chips.len());
    if count > 1 && (args.pricing.price_usd.is_some() || args.watts.is_some()) {
        return Err(FlError::usage(
            "--price-usd and --watts apply to one chip; value chips one at a time, or put \
             per-chip prices in a --price-file",
        )
        .into());
    }
    crate::economics::pricing::refuse_shared_chip_price(pricing_inputs, count)?;
    if let Some(path) = &args.report {
        return prepare_report(path, &names, pricing_inputs, args, requested).map(|p| vec![p]);
    }
    for n in &notes {
        crate::term::note(n);
    }
    chips
        .iter()
        .map(|chip| catalog_chip(&chip.name, args, pricing_inputs, requested))
        .collect()
}

/// One catalog chip at its spec figures, with the market and notes for `depreciate`.
fn catalog_chip(
    name: &str,
    args: &DepreciateArgs,
    pricing_inputs: &crate::config::PricingInputs,
    requested: Option<Precision>,
) -> anyhow::Result<Prepared> {
    let chip = catalog::find(name)?;
    let per_chip = crate::config::PricingInputs {
        chip: Some(chip.name.clone()),
        ..pricing_inputs.clone()
    };
    let resolved = pricing::resolve(&per_chip, Some(chip))?;
    let precision = precision_for(chip, requested)?;
    let inputs = sources::catalog_inputs(chip, precision, &resolved, args.watts)?;
    let (market, mut notes) = sources::market(&resolved, args.growth)?;
    notes.insert(
        0,
        format!(
            "{}: spec {} peak {}, {:.0} W, price {} ({}), overhead ×{}",
            chip.name,
            precision.id(),
            crate::units::si(inputs.spec_flop_per_s, "FLOP/s"),
            inputs.watts,
            render::usd(resolved.price_usd.as_ref().map_or(f64::NAN, |p| p.value)),
            resolved
                .price_usd
                .as_ref()
                .map_or("", |p| p.source.as_str()),
            resolved.overhead.value
        ),
    );
    Ok(Prepared {
        inputs,
        market,
        notes,
    })
}

fn prepare_report(
    path: &std::path::Path,
    names: &[String],
    pricing_inputs: &crate::config::PricingInputs,
    args: &DepreciateArgs,
    requested: Option<Precision>,
) -> anyhow::Result<Prepared> {
    let (report, chip) = market_report::load_with_chip(path, names)?;
    // A vector-unit f16 GEMM measures no peak of a chip whose fp16 peak is a tensor rate: said
    // where it is all the report has of a precision.
    let vector_f16 = report.cases.iter().any(|c| {
        c.valid()
            && c.workload == crate::workloads::WorkloadKind::Gemm
            && c.dtype == crate::workloads::Dtype::F16
    });
    let tensor_note = if vector_f16 {
        format!(
            " (its f16 GEMM runs on the vector units, and the {} fp16 peak is a tensor-core \
             rate: the cooperative-matrix GEMM, gemm-coop-f16, measures that on an adapter with \
             the feature)",
            chip.name
        )
    } else {
        String::new()
    };
    let m = crate::pipeline::analyse::measured(&report, chip).ok_or_else(|| {
        FlError::input(
            path.display().to_string(),
            format!(
                "no valid gemm case measures one of the {} peaks{tensor_note}; run a suite with \
                 f32 gemm cases",
                chip.name
            ),
        )
    })?;
    // `--precision` picks the measured GEMM case of that precision (it had been ignored: every
    // precision gave the fastest case's output, a helper's sweep found).
    let m = match requested {
        None => m,
        Some(p) => {
            crate::pipeline::analyse::measured_at(&report, Some(p), chip).ok_or_else(|| {
                let why = if p == Precision::Fp16 {
                    tensor_note.as_str()
                } else {
                    ""
                };
                FlError::usage(format!(
                    "--precision {}: {} has no valid {} gemm case{why}; with --report the \
                     precision is a measured case's: pass --precision {} (its fastest gemm \
                     case) or drop --precision",
                    p.id(),
                    path.display(),
                    p.id(),
                    m.precision.id()
                ))
            })?
        }
    };
    let resolved = pricing::resolve(pricing_inputs, Some(chip))?;
    let mut inputs = sources::report_inputs(chip, &m, &resolved)?;
    if let Some(w) = args.watts {
        inputs.watts = w;
    }
    let (market, mut notes) = sources::market(&resolved, args.growth)?;
    notes.insert(
        0,
        format!(
            "measured inputs from {}: sustained {} (case {}{}) replaces the spec {} {} ({} of \
             it: the value is this kernel's throughput's, not the chip's at its spec); power {}",
            path.display(),
            crate::units::si(m.flop_per_s, "FLOP/s"),
            m.case_id,
            if m.tensor { ", tensor cores" } else { "" },
            m.precision.id(),
            crate::units::si(inputs.spec_flop_per_s, "FLOP/s"),
            crate::units::pct(m.flop_per_s / inputs.spec_flop_per_s),
            match &m.watts {
                Some((w, how, crate::power::types::Grade::D)) => format!(
                    "{w:.0} W, the report's nominal power ({how}: an upper bound, not a \
                     measurement), replaces TDP"
                ),
                Some((w, how, _)) => format!("{w:.0} W measured ({how}) replaces TDP"),
                None => format!(
                    "{:.0} W from the catalog TDP (no energy measured)",
                    inputs.watts
                ),
            }
        ),
    );
    Ok(Prepared {
        inputs,
        market,
        notes,
    })
}

fn print_text(prepared: &[Prepared], analyses: &[ChipAnalysis], bt: Option<&Backtest>) {
    if let Some(b) = bt {
        crate::outln!("{}", render::backtest(b));
    }
    if analyses.is_empty() {
        return;
    }
    let m = &prepared[0].market;
    crate::wrapln!(
        "Depreciation outlook: A obsolescence (headline), C power-constrained{}, D accounting\n\
         market: g = {}/yr, h = {}/yr, discount rate {:.3}, utilization {:.2}, {:.3} $/kWh, PUE {:.2}\n",
        if analyses[0].economic.len() > 2 { ", B rent-based" } else { "" },
        crate::units::rate(m.decline_g),
        crate::units::rate(m.efficiency_growth_h),
        m.discount_rate,
        m.utilization,
        m.usd_per_kwh,
        m.pue
    );
    crate::outln!("{}\n", render::summary(analyses));
    for (p, a) in prepared.iter().zip(analyses) {
        crate::outln!("== {} ==", a.chip.name);
        for n in &p.notes {
            crate::wrapln!("  {n}");
        }
        crate::outln!("Value curve (USD):\n{}", render::curves(a));
        crate::outln!("Sensitivity to g (model A):\n{}", render::sensitivity(a));
        for o in &a.economic {
            for n in &o.notes {
                crate::wrapln!("  {}: {n}", o.model);
            }
        }
        crate::wrapln!("Verdict: {}\n", a.verdict);
    }
    crate::wrapln!("{}", catalog::EPOCH_CREDIT);
}

fn print_json(
    prepared: &[Prepared],
    analyses: &[ChipAnalysis],
    bt: Option<&Backtest>,
    rents: Option<&RentFit>,
) -> anyhow::Result<()> {
    let out = legacy_json::LegacyJson::new(prepared, analyses, bt, rents);
    crate::outln!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

/// The rent series in `path`, in date order; what was done to order it is said in a note.
fn read_series_noting(path: &std::path::Path) -> Result<Vec<rent::RentObservation>, FlError> {
    let (series, note) = rent::read_series(path)?;
    if let Some(note) = note {
        crate::term::note(&format!("{}: {note}", path.display()));
    }
    Ok(series)
}
