use crate::cli::RunArgs;
use crate::config::{Format, Plan};
use crate::economics::catalog::{self, Chip};
use crate::gpu::info::{AdapterInfo, LastLevelCache};
use crate::pipeline::{self, Event, RunInputs};
use crate::report::{compare, io, write_formats};
use indicatif::{ProgressBar, ProgressStyle};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// Refuses `--from` of a run that measured a suite file where that file is gone or no longer
/// gives the cases the report measured: the run would measure another plan and compare
/// nothing, with exit 0 (a helper's sweep: the file edited from 64³ to 128³ gave a comparison of
/// notes only).
fn same_suite_file(
    from: &str,
    earlier: &crate::report::Report,
    plan: &Plan,
) -> Result<(), crate::error::FlError> {
    use crate::error::FlError;
    if matches!(plan.suite.as_str(), "quick" | "standard" | "full") || plan.shapes.is_some() {
        return Ok(());
    }
    let file = std::path::Path::new(&plan.suite);
    let why = |e: String| {
        FlError::usage(format!(
            "--from {from}: the run measured the suite file {}, which {e}; copy it to that path, \
             or pass --suite FILE with the same cases",
            plan.suite
        ))
    };
    if !file.exists() {
        return Err(why("is not here".into()));
    }
    let cases = crate::workloads::suite_file::load(file)
        .map_err(|e| why(format!("cannot be read here ({e})")))?;
    let now: std::collections::BTreeSet<String> = cases
        .iter()
        .map(|c| c.id())
        .filter(|id| plan.cases.as_ref().is_none_or(|ids| ids.contains(id)))
        .collect();
    let then: std::collections::BTreeSet<String> = earlier
        .cases
        .iter()
        .map(|c| c.id.clone())
        .chain(earlier.skipped.iter().map(|s| s.id.clone()))
        .collect();
    // An interrupted run measured part of its plan: its cases need only still be there.
    if now == then || (!earlier.status.complete && then.is_subset(&now)) {
        return Ok(());
    }
    let list = |v: Vec<&String>| {
        let n = v.len();
        let shown: Vec<&str> = v.iter().take(4).map(|s| s.as_str()).collect();
        format!("{}{}", shown.join(", "), if n > 4 { ", …" } else { "" })
    };
    let gone: Vec<&String> = then.difference(&now).collect();
    let new: Vec<&String> = now.difference(&then).collect();
    let mut what = Vec::new();
    if !gone.is_empty() {
        what.push(format!("{} of its cases gone: {}", gone.len(), list(gone)));
    }
    if !new.is_empty() {
        what.push(format!("{} new: {}", new.len(), list(new)));
    }
    Err(FlError::usage(format!(
        "--from {from}: the suite file {} no longer gives the cases the report measured ({}); \
         restore the file as it was, or run it without --from",
        plan.suite,
        what.join("; ")
    )))
}

/// `flopledger run`: open the device, measure, write the report (JSON plus the other formats
/// asked for, also when interrupted by SIGINT/SIGTERM), print the summary; with `--from`, re-run
/// that report's plan here and compare with it.
pub fn run(args: &RunArgs) -> anyhow::Result<i32> {
    // The report records its paths as text: one that is not UTF-8 failed as the report was
    // serialised, after measuring, with exit 1 (a helper's sweep).
    for (flag, path) in [
        ("--out", &args.out),
        ("--from", &args.from),
        ("--price-file", &args.pricing.price_file),
    ] {
        if let Some(p) = path.as_ref().filter(|p| p.to_str().is_none()) {
            return Err(crate::error::FlError::usage(format!(
                "{flag} {} is not valid UTF-8, which the report cannot record; pass a path of \
                 UTF-8 characters",
                p.display()
            ))
            .into());
        }
    }
    // A folder named by white space alone is a slip (an unquoted variable that was empty): its
    // reports printed as ` /flopledger-….json`, as if at the root (a helper's sweep).
    if let Some(out) = args.out.as_ref().and_then(|p| p.to_str()) {
        if out.trim().is_empty() {
            return Err(crate::error::FlError::usage(format!(
                "--out {out:?} names no folder; pass a folder for the reports, e.g. --out reports"
            ))
            .into());
        }
    }
    // Prices, flags and the --from report are all validated before anything is measured.
    let pricing = super::convert::pricing_inputs(&args.pricing)?;
    if let Some(chip) = pricing.chip.as_deref().and_then(|c| catalog::find(c).ok()) {
        if let Some(n) = crate::economics::pricing::cheap_price_note(&pricing, chip) {
            crate::term::note(&n);
        }
    }
    let earlier = match &args.from {
        Some(path) => Some((path.display().to_string(), io::load(path)?)),
        None => None,
    };
    let base = match &earlier {
        Some((path, r)) => {
            if let Some(problem) = super::run_plan::recorded_plan_problem(&r.plan) {
                return Err(crate::error::FlError::input(
                    path.clone(),
                    format!(
                        "{problem}: the report's plan cannot be run again (was it edited by \
                         hand?); run without --from, or from the report as `flopledger run` wrote it"
                    ),
                )
                .into());
            }
            let mut plan = r.plan.clone();
            // Run on this machine: the earlier adapter choice, output directory and prices are
            // the earlier machine's; flags given now still override.
            plan.adapter = None;
            plan.backend = None;
            plan.out_dir = Plan::default().out_dir;
            plan
        }
        None => Plan::default(),
    };
    let plan = super::run_plan::plan_from_args(args, base, pricing)?;
    if let (Some((path, r)), None) = (&earlier, &args.suite) {
        same_suite_file(path, r, &plan)?;
    }
    if args.dry_run {
        crate::pipeline::start::probe_out_dir(&plan)?;
    }
    if args.list || args.dry_run {
        let info = match crate::device::fake_info_for(&plan) {
            Some(fake) => fake,
            None => {
                let infos: Vec<_> = crate::gpu::enumerate()
                    .into_iter()
                    .map(|f| f.info)
                    .collect();
                let idx = crate::gpu::choose(&infos, plan.adapter.as_deref(), plan.backend)?;
                let note =
                    crate::gpu::same_chip_note(&infos, idx, plan.adapter.as_deref(), plan.backend);
                if let Some(note) = note {
                    crate::term::note(&note);
                }
                let mut info = infos[idx].clone();
                if !info.is_software() {
                    info.last_level_cache = chip_cache(&plan, &info);
                }
                info
            }
        };
        return if args.list {
            super::run_list::list(&plan, &info, args.suite.is_some())
        } else {
            super::run_list::dry_run(&plan, &info)
        };
    }

    // Open: the device, and the chip's board power and last-level cache from the catalog
    // (measurement takes them as numbers and never reads the catalog itself).
    let device = crate::device::open(&plan, &|info| chip_cache(&plan, info))?;
    let chip_tdp_w = chip_tdp_w(&plan, device.info());
    let stop = interrupt_flag()?;
    let bar = progress_bar();
    let mut on_event = |e: Event| show(&bar, e);
    let outcome = pipeline::run(
        device.as_ref(),
        plan,
        RunInputs {
            // `args()` panics on an argument that is not UTF-8 (an `-o` path): recorded lossily.
            command_line: std::env::args_os()
                .map(|a| a.to_string_lossy().into_owned())
                .collect(),
            chip_tdp_w,
            stop: &stop,
        },
        &mut on_event,
    )?;
    bar.finish_and_clear();
    let report = &outcome.report;

    let dir = outcome
        .json_path
        .parent()
        .unwrap_or_else(|| std::path::Path::new("."));
    let stem = outcome
        .json_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let others: Vec<Format> = report
        .plan
        .formats
        .iter()
        .copied()
        .filter(|f| *f != Format::Json)
        .collect();
    // The finished report could not be written where asked: the results are shown, and the
    // error says where the report is.
    if let Some(u) = outcome.unsaved {
        if u.saved_whole {
            crate::term::record_written(std::slice::from_ref(&outcome.json_path));
        }
        crate::outln!("{}\n", pipeline::summary::table(report));
        return Err(u.error);
    }
    let mut written = vec![outcome.json_path.clone()];
    // Each other format on its own: one that cannot be written (a full disk) still lets the
    // rest be tried, and the results be shown, before the failure is the exit status (the
    // summary was lost, and the message did not say the JSON was kept; helper's sweep).
    let mut failed: Option<anyhow::Error> = None;
    for format in others {
        match write_formats(report, dir, &stem, &[format]) {
            Ok(paths) => written.extend(paths),
            Err(e) => {
                failed.get_or_insert(e);
            }
        }
    }
    crate::term::record_written(&written);
    if !(outcome.interrupted.is_some() && report.cases.is_empty()) {
        crate::outln!("{}\n", pipeline::summary::table(report));
    }
    if let Some(e) = failed {
        for p in &written {
            crate::outln!("report: {}", p.display());
        }
        if let Some(why) = &outcome.interrupted {
            crate::errln!("{}", crate::term::wrap(why, "  "));
        }
        crate::term::note(&format!(
            "the reports above are written; render a missing format from the JSON with \
             `flopledger report {} --format FORMAT -o FILE` once there is room",
            outcome.json_path.display()
        ));
        return Err(e);
    }
    // The pipeline's own account: how many cases finished, and the one left out.
    if let Some(why) = &outcome.interrupted {
        for p in &written {
            crate::outln!("report: {}", p.display());
        }
        let rest = if report.status.cases_planned > report.cases.len() + report.skipped.len() {
            "; re-run to measure the rest"
        } else {
            ""
        };
        crate::errln!("{}", crate::term::wrap(&format!("{why}{rest}"), "  "));
        return Ok(outcome.exit_code);
    }

    let mut code = outcome.exit_code;
    if report.cases.is_empty() && !report.skipped.is_empty() {
        for p in &written {
            crate::outln!("report: {}", p.display());
        }
        crate::errln!(
            "error: no case could run on this adapter (every case was skipped, the reasons are \
             above); use smaller shapes, or an adapter with the features they need"
        );
        return Ok(code);
    }
    if let Some((name, earlier)) = earlier {
        let pair = vec![
            (name, earlier),
            (outcome.json_path.display().to_string(), report.clone()),
        ];
        let cmp = compare::compare(&pair, false, 0.05);
        crate::outln!("\n{}", compare::text::render(&cmp));
        code = code.max(cmp.exit_code());
    }
    crate::out!("{}", pipeline::headline::headline(report, &written));
    Ok(code)
}

/// The catalog chip of the plan's `--chip`, or the one the adapter's name matches.
fn chip_of(plan: &Plan, adapter_name: &str) -> Option<&'static Chip> {
    plan.pricing
        .chip
        .as_deref()
        .and_then(|c| catalog::find(c).ok())
        .or_else(|| catalog::match_adapter(adapter_name))
}

/// The catalog TDP of the run's chip ([`chip_of`]), for a nominal energy figure: only where the
/// adapter can be that chip. On the host CPU, or on another catalog chip, the `--chip`'s TDP
/// bounds nothing about the work measured (a helper's sweep: a CPU adapter's GEMM read
/// "1.41 GFLOPS/W (grade D)" on an H100's 700 W); said, with the fix.
fn chip_tdp_w(plan: &Plan, info: &AdapterInfo) -> Option<f64> {
    let chip = chip_of(plan, &info.name)?;
    let tdp = chip.tdp_w?;
    match crate::report::chip_check::report_fits_chip(info, chip, "--chip") {
        Err(_) => {
            if !plan.power.disabled && plan.power.watts.is_none() {
                crate::term::note(&format!(
                    "the catalog TDP of {} ({tdp:.0} W) is not the power of this adapter ({}), \
                     so no energy figure is taken from it; pass --watts W for a nominal one",
                    chip.name, info.name
                ));
            }
            None
        }
        Ok(_) => Some(tdp),
    }
}

/// The catalog last-level cache of the run's chip ([`chip_of`]), with where it comes from.
fn chip_cache(plan: &Plan, info: &AdapterInfo) -> Option<LastLevelCache> {
    let chip = chip_of(plan, &info.name)?;
    Some(LastLevelCache {
        bytes: chip.last_level_cache_bytes?,
        source: format!("catalog: {} (data/chips.csv)", chip.name),
    })
}

/// A flag set by the first SIGINT or SIGTERM: the case being sampled ends after its batch in
/// flight (a kernel tuning search runs on to its budget first) and is left out, and the run
/// writes what it has. A signal at least [`SECOND_SIGNAL_AFTER`] after the first ends the process at
/// once (Ctrl-C pressed again); one sooner is the same request delivered twice: `timeout(1)`
/// signals the command and then its process group, and on a 16-core H200 host both arrived (4
/// December 2026), so the run ended at once and wrote only the JSON it had saved.
#[cfg(unix)]
fn interrupt_flag() -> anyhow::Result<Arc<AtomicBool>> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let stop = Arc::new(AtomicBool::new(false));
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
    let flag = Arc::clone(&stop);
    std::thread::spawn(move || {
        let mut first: Option<std::time::Instant> = None;
        for _ in signals.forever() {
            match first {
                None => {
                    first = Some(std::time::Instant::now());
                    flag.store(true, std::sync::atomic::Ordering::SeqCst);
                    // Said at once: a kernel search runs on for seconds, and a run that shows
                    // nothing invites a second Ctrl-C (a helper's sweep).
                    crate::errln!(
                        "\n{}",
                        crate::term::wrap(
                            "stopping: the case in progress ends after its batch in flight (a \
                             kernel search after its budget), then the reports are written; \
                             press Ctrl-C again to quit at once",
                            "  "
                        )
                    );
                }
                Some(t) if t.elapsed() >= SECOND_SIGNAL_AFTER => {
                    crate::errln!(
                        "{}",
                        crate::term::wrap(
                            "quit at once: the JSON report as saved after the last finished case \
                             is kept (complete = false); the other formats were not written \
                             (`flopledger report FILE.json --format md` writes them)",
                            "  "
                        )
                    );
                    std::process::exit(crate::error::EXIT_INTERRUPTED)
                }
                Some(_) => {}
            }
        }
    });
    Ok(stop)
}

/// Elsewhere (no signal iterator): the first signal sets the flag, the next ends the process.
#[cfg(not(unix))]
fn interrupt_flag() -> anyhow::Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // Order matters: the conditional shutdown sees the flag set by an earlier signal.
        signal_hook::flag::register_conditional_shutdown(
            sig,
            crate::error::EXIT_INTERRUPTED,
            Arc::clone(&stop),
        )?;
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    Ok(stop)
}

/// How long after the first interrupt a second one counts as a new request (end at once).
#[cfg(unix)]
const SECOND_SIGNAL_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Shows one pipeline event: progress on the bar, warnings and errors on stderr.
fn show(bar: &ProgressBar, e: Event) {
    match e {
        Event::CaseStarted { index, total, id } => {
            bar.set_length(total as u64);
            bar.set_position(index as u64);
            bar.set_message(id);
        }
        Event::Energy { id } => bar.set_message(format!("{id} (energy)")),
        Event::Recheck { id } => bar.set_message(format!("{id} (ceiling, again)")),
        Event::Floor { id } => bar.set_message(format!("{id} (fixed cost of a dispatch)")),
        Event::Invalid {
            id,
            max_abs_err,
            tolerance,
        } => bar.suspend(|| {
            crate::errln!(
                "error: {id} failed verification (max abs error {max_abs_err:.3e} > \
                 {tolerance:.3e}); it is marked invalid"
            )
        }),
        Event::Warning(w) => {
            bar.suspend(|| crate::errln!("{}", crate::term::wrap(&format!("warning: {w}"), "  ")))
        }
        Event::Measured => bar.finish_and_clear(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runs_chip_names_its_cache_or_leaves_the_assumption() {
        let mut info = crate::device::fake::fake_info();
        let mut plan = Plan::default();
        info.name = "NVIDIA H200".into();
        let c = chip_cache(&plan, &info).expect("the H200 has a catalog cache figure");
        assert_eq!(c.bytes, 50 << 20);
        assert!(c.source.contains("NVIDIA H200 SXM 141GB"), "{}", c.source);
        // --chip overrides the adapter-name match.
        plan.pricing.chip = Some("MI300X".into());
        assert_eq!(chip_cache(&plan, &info).map(|c| c.bytes), Some(256 << 20));
        // A chip without a figure (and an unknown adapter) leave the 64 MiB assumption.
        plan.pricing.chip = Some("Tesla T4".into());
        assert_eq!(chip_cache(&plan, &info), None);
        plan.pricing.chip = None;
        info.name = "Some Unknown GPU".into();
        assert_eq!(chip_cache(&plan, &info), None);
    }
}
