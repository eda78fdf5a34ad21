//! The run pipeline as plain stages:
//!
//! 1. **open** — the command opens the device ([`crate::device::open`]) and looks up what the
//!    measurement needs from elsewhere (the chip's TDP, as a number);
//! 2. **plan** — [`cases::plan_cases`]: the workloads of the plan on this device;
//! 3. **measure** — [`measure::measure_cases`]: per case tune → prepare → verify → sample → energy, the
//!    JSON report rewritten as cases finish (after each where a case takes longer than the
//!    write; an interrupted run keeps what it measured);
//! 4. **recheck** — [`recheck::recheck_ceilings`]: the ceiling cases measured again, the
//!    faster of their two medians counting (a machine whose speed drifts gets a warning), then
//!    the adapter's fixed cost of one dispatch ([`floor::measure_floor`]);
//! 5. **analyse** — [`analyse::analyse`]: roofline shares, model presets, cost, depreciation;
//! 6. **write** — the command writes the other formats and prints the summary.
//!
//! Progress and warnings leave the pipeline as [`Event`]s; the command decides how to show them.

pub mod analyse;
pub mod case;
pub mod cases;
pub mod energy_budget;
pub mod events;
pub mod floor;
pub mod headline;
pub mod measure;
pub mod recheck;
pub mod roofline;
pub mod start;
pub mod summary;

pub use events::Event;

use crate::config::Plan;
use crate::device::Device;
use crate::error::{EXIT_INTERRUPTED, EXIT_INVALID_RESULTS, EXIT_USAGE};
use crate::report::{io, Report};
use anyhow::Result;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

/// What a finished (or interrupted) run produced.
pub struct RunOutcome {
    pub report: Report,
    pub json_path: PathBuf,
    pub exit_code: i32,
    /// Where a signal stopped the run (before every case and check was done), what it kept,
    /// as recorded in the report's warnings: how many cases finished, and the one left out.
    pub interrupted: Option<String>,
    /// Why the finished report could not be written where asked, and where it is instead
    /// ([`save_finished`]): the caller shows the results, then ends with this error.
    pub unsaved: Option<Unsaved>,
}

/// A finished report not written where asked ([`save_finished`]).
pub struct Unsaved {
    /// What failed, and where the report is.
    pub error: anyhow::Error,
    /// Whether `json_path` holds the whole report (in the temporary folder), or only the last
    /// checkpoint's cases where it was asked.
    pub saved_whole: bool,
}

/// What the run needs besides the plan and the device.
pub struct RunInputs<'a> {
    /// Recorded in the report as given.
    pub command_line: Vec<String>,
    /// The chip's board power from the catalog (the nominal power source's fallback), W.
    pub chip_tdp_w: Option<f64>,
    /// Set by the command's signal handler: the case being sampled ends after its batch in
    /// flight and is left out; no further case starts.
    pub stop: &'a AtomicBool,
}

/// A shell-quoted argument.
fn quote(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./=,:".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// The command that reproduces the plan on this adapter (optionally only `case`).
pub fn reproduce_command(
    plan: &Plan,
    adapter: &crate::gpu::info::AdapterInfo,
    case: Option<&str>,
) -> String {
    let mut cmd = vec![
        "flopledger".to_string(),
        "run".into(),
        "--adapter".into(),
        quote(&adapter.name),
        "--backend".into(),
        adapter.backend.to_string(),
    ];
    match &plan.shapes {
        Some(shapes) => {
            let s: Vec<String> = shapes
                .iter()
                .map(|g| format!("{}x{}x{}", g.m, g.n, g.k))
                .collect();
            cmd.extend(["--shapes".into(), s.join(",")]);
        }
        None => cmd.extend(["--suite".into(), quote(&plan.suite)]),
    }
    match (case, &plan.cases) {
        (Some(c), _) => cmd.extend(["--cases".into(), c.to_string()]),
        (None, Some(ids)) => cmd.extend(["--cases".into(), quote(&ids.join(","))]),
        (None, None) => {}
    }
    cmd.extend([
        "--seed".into(),
        plan.seed.to_string(),
        "--min-time".into(),
        format!("{}s", plan.min_time_s),
        "--max-time".into(),
        format!("{}s", plan.max_time_s),
    ]);
    if plan.tune == crate::config::TuneMode::Off {
        cmd.push("--no-tune".into());
    }
    if plan.shader_checks {
        cmd.push("--shader-checks".into());
    }
    cmd.extend(power_flags(&plan.power));
    cmd.extend(pricing_flags(&plan.pricing));
    cmd.join(" ")
}

/// The energy flags whose values differ from the defaults (`--watts` whenever given).
fn power_flags(p: &crate::config::PowerOptions) -> Vec<String> {
    let d = crate::config::PowerOptions::default();
    let mut out = Vec::new();
    if let Some(w) = p.watts {
        out.extend(["--watts".into(), w.to_string()]);
    }
    if p.disabled {
        out.push("--no-energy".into());
        return out;
    }
    if p.energy_window_s != d.energy_window_s {
        out.extend(["--energy-window".into(), format!("{}s", p.energy_window_s)]);
    }
    if p.energy_trials != d.energy_trials {
        out.extend(["--energy-trials".into(), p.energy_trials.to_string()]);
    }
    if p.energy_budget_s != d.energy_budget_s {
        out.extend([
            "--energy-budget".into(),
            p.energy_budget_s.map_or("none".into(), |b| format!("{b}s")),
        ]);
    }
    if p.subtract_idle {
        out.push("--subtract-idle".into());
    }
    out
}

/// Every pricing input the run was given: they set its FLOP/$ and $ per million tokens.
fn pricing_flags(p: &crate::config::PricingInputs) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(c) = &p.chip {
        out.extend(["--chip".into(), quote(c)]);
    }
    if let Some(f) = &p.price_file {
        out.extend(["--price-file".into(), quote(&f.to_string_lossy())]);
    }
    for (flag, value) in [
        ("--price-usd", p.price_usd),
        ("--cloud-usd-per-hour", p.cloud_usd_per_hour),
        ("--usd-per-kwh", p.usd_per_kwh),
        ("--pue", p.pue),
        ("--utilization", p.utilization),
        ("--life-years", p.life_years),
        ("--discount-rate", p.discount_rate),
        ("--overhead", p.overhead),
        ("--facility-usd-per-kw-month", p.facility_usd_per_kw_month),
        ("--server-power-factor", p.server_power_factor),
        ("--maintenance-share", p.maintenance_share_per_year),
        ("--failure-rate", p.failure_rate_per_year),
        ("--network-staff-usd-per-year", p.network_staff_usd_per_year),
        (
            "--network-staff-usd-per-kw-year",
            p.network_staff_usd_per_kw_year,
        ),
    ] {
        if let Some(v) = value {
            out.extend([flag.to_string(), v.to_string()]);
        }
    }
    out
}

/// The report's file name without extension: adapter slug and start time to the second. Two
/// runs with the same stem get distinct files from [`io::create_new_json`].
fn report_stem(
    adapter: &crate::gpu::info::AdapterInfo,
    started: &chrono::DateTime<chrono::Utc>,
) -> String {
    let slug: String = adapter
        .name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .take(4)
        .collect::<Vec<_>>()
        .join("-");
    format!("flopledger-{slug}-{}", started.format("%Y%m%d-%H%M%S"))
}

/// Runs the plan on `dev`: plans the cases, measures each (the JSON report rewritten as they
/// finish), analyses the results and returns the report. `on_event` receives progress and warnings.
pub fn run(
    dev: &dyn Device,
    plan: Plan,
    inputs: RunInputs<'_>,
    on_event: &mut dyn FnMut(Event),
) -> Result<RunOutcome> {
    // Fleet test hook: runs of one job may take turns measuring (held to the end of the run).
    let _serial = crate::gpu::test_hooks::serialize();
    let info = dev.info().clone();
    let workloads = cases::plan_cases(&plan, &info)?;
    let (mut report, json_path) = start::begin(&plan, &info, inputs.command_line, workloads.len())?;
    for w in &report.warnings {
        on_event(Event::Warning(w.clone()));
    }
    let measure::MeasureOutcome {
        handled,
        stopped,
        stopped_case,
        rechecks,
        floor,
        saved_cases,
    } = measure::measure_cases(
        dev,
        &plan,
        &workloads,
        measure::MeasureInputs {
            chip_tdp_w: inputs.chip_tdp_w,
            stop: inputs.stop,
            json_path: &json_path,
        },
        &mut report,
        on_event,
    )?;
    // A signal after the last case's sampling (its energy trials, the checks that follow the
    // cases) still interrupts the run: the ceilings were not all measured again, nor the fixed
    // cost of a dispatch timed.
    let interrupted = if handled < workloads.len() {
        let left_out = stopped_case.map_or(String::new(), |id| {
            format!(" ({id}, in progress when the signal came, is left out)")
        });
        Some(format!(
            "interrupted after {handled} of {} cases; the report holds the finished ones{left_out}",
            workloads.len()
        ))
    } else if stopped {
        Some(format!(
            "interrupted after the last case was measured: every case finished ({handled}), but \
             the ceilings were not all measured again and the fixed cost of a dispatch was not \
             timed"
        ))
    } else {
        None
    };
    report.warnings.extend(interrupted.clone());
    let before = report.warnings.len();
    analyse::analyse(&mut report, &rechecks, floor)?;
    // What the analysis found (a ceiling below a case, cases held by the fixed cost of a
    // dispatch, a missing price) is shown as it is recorded.
    for w in &report.warnings[before..] {
        on_event(Event::Warning(w.clone()));
    }
    report.finished_at = Some(chrono::Utc::now().to_rfc3339());
    report.status.complete = interrupted.is_none();
    let (json_path, unsaved) = save_finished(&report, json_path, saved_cases);
    let nothing_ran =
        interrupted.is_none() && report.cases.is_empty() && !report.skipped.is_empty();
    if nothing_ran {
        report.warnings.push(format!(
            "no case of the plan could run on this adapter (all {} skipped, the reasons are \
             listed); use smaller shapes, or an adapter with the features they need",
            report.skipped.len()
        ));
    }
    let exit_code = if interrupted.is_some() {
        EXIT_INTERRUPTED
    } else if nothing_ran {
        EXIT_USAGE
    } else if report.status.invalid_cases.is_empty() {
        0
    } else {
        EXIT_INVALID_RESULTS
    };
    Ok(RunOutcome {
        report,
        json_path,
        exit_code,
        interrupted,
        unsaved,
    })
}

/// Writes the finished report to `path`; where that fails (a full disk), to the same file name
/// in the system's temporary folder, so that no measured case is lost. Returns where the report
/// is, and the error to end the run with, if the first write failed. (A run whose last write
/// failed had kept only the cases of its last checkpoint, 1 of 21 in a helper's sweep, and shown
/// none of them.)
fn save_finished(report: &Report, path: PathBuf, saved_cases: usize) -> (PathBuf, Option<Unsaved>) {
    let Err(first) = io::save_json(report, &path) else {
        return (path, None);
    };
    let measured = report.cases.len();
    let fallback = path
        .file_name()
        .map(|name| std::env::temp_dir().join(name))
        .filter(|f| *f != path);
    if let Some(fallback) = fallback {
        if io::save_json(report, &fallback).is_ok() {
            let e = first.context(format!(
                "the finished report could not be written to {}; it is saved whole at {} \
                 instead ({measured} cases, the results shown above): move it where it belongs, \
                 or make room and run again",
                path.display(),
                fallback.display()
            ));
            return (
                fallback,
                Some(Unsaved {
                    error: e,
                    saved_whole: true,
                }),
            );
        }
    }
    let e = first.context(format!(
        "the finished report could not be written: {} keeps the report as last saved, holding \
         {saved_cases} of the {measured} measured cases (complete = false, without the \
         analysis; the results of all are shown above), and the temporary folder had no room \
         either; make room or pass another --out, then run again",
        path.display()
    ));
    (
        path,
        Some(Unsaved {
            error: e,
            saved_whole: false,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A finished report that cannot be written where asked (here under a file, not a folder)
    /// is written whole to the temporary folder, and the error says where; one that can is
    /// written where asked.
    #[test]
    fn a_report_that_cannot_be_written_where_asked_goes_to_the_temporary_folder() {
        let report = crate::report::fixture::sample_report();
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("a-file");
        std::fs::write(&blocker, "").unwrap();
        let name = format!("flopledger-unsaved-test-{}.json", std::process::id());
        let (at, e) = save_finished(&report, blocker.join(&name), 1);
        assert_eq!(at, std::env::temp_dir().join(&name));
        let e = e.unwrap();
        assert!(e.saved_whole);
        let e = format!("{:#}", e.error);
        assert!(
            e.contains(&format!(
                "it is saved whole at {} instead (7 cases",
                at.display()
            )),
            "{e}"
        );
        assert_eq!(io::load(&at).unwrap().cases.len(), report.cases.len());
        std::fs::remove_file(&at).unwrap();
        let (at, e) = save_finished(&report, dir.path().join(&name), 0);
        assert!(e.is_none() && at == dir.path().join(&name) && at.exists());
    }
}
