//! The run pipeline: plan → adapter → cases (verify, time, energy) → report after every case →
//! roofline → economics → exporters.

pub mod case;
pub mod cases;
pub mod energy;
pub mod headline;
pub mod roofline;
pub mod summary;

use crate::config::Plan;
use crate::error::{FlError, EXIT_INVALID_RESULTS};
use crate::gpu::{self, Gpu};
use crate::measure::SamplingPolicy;
use crate::power::PowerSession;
use crate::report::{io, Report, RunStatus, SkippedCase, ToolInfo, SCHEMA_VERSION};
use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::time::Duration;

/// What a finished run produced.
pub struct RunOutcome {
    pub report: Report,
    pub json_path: PathBuf,
    pub exit_code: i32,
}

/// Opens the plan's adapter.
pub fn open_gpu(plan: &Plan) -> Result<Gpu> {
    let mut found = gpu::enumerate();
    let infos: Vec<_> = found.iter().map(|f| f.info.clone()).collect();
    let idx = gpu::choose(&infos, plan.adapter.as_deref(), plan.backend.as_deref())?;
    Gpu::open(found.swap_remove(idx))
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
        adapter.backend.clone(),
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
    if let Some(c) = case {
        cmd.extend(["--cases".into(), c.to_string()]);
    }
    cmd.extend([
        "--seed".into(),
        plan.seed.to_string(),
        "--min-time".into(),
        format!("{}s", plan.min_time_s),
        "--max-time".into(),
        format!("{}s", plan.max_time_s),
    ]);
    if let Some(w) = plan.power.watts {
        cmd.extend(["--watts".into(), w.to_string()]);
    }
    cmd.join(" ")
}

fn report_path(
    plan: &Plan,
    adapter: &crate::gpu::info::AdapterInfo,
    started: &chrono::DateTime<chrono::Utc>,
) -> PathBuf {
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
    let stem = format!("flopledger-{slug}-{}", started.format("%Y%m%d-%H%M%S"));
    let mut path = plan.out_dir.join(format!("{stem}.json"));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = plan.out_dir.join(format!("{stem}-{n}.json"));
    }
    path
}

/// Runs the plan: measures every case, writes the JSON report after each one, and returns the
/// finished report. `command_line` is recorded as given.
pub fn run(plan: Plan, command_line: Vec<String>) -> Result<RunOutcome> {
    let gpu = open_gpu(&plan)?;
    let info = gpu.info.clone();
    if info.is_software() {
        eprintln!(
            "warning: running on a CPU/software adapter ({}): numbers describe the CPU, not a GPU. \
             Pick another with --adapter (see `flopledger devices`).",
            info.name
        );
    }
    let workloads = cases::plan_cases(&plan, &info)?;
    if plan.out_dir.exists() && !plan.out_dir.is_dir() {
        return Err(FlError::usage(format!(
            "--out {} is a file; pass a directory",
            plan.out_dir.display()
        ))
        .into());
    }
    let started = chrono::Utc::now();
    let json_path = report_path(&plan, &info, &started);
    let mut report = Report {
        schema_version: SCHEMA_VERSION,
        tool: ToolInfo {
            name: "flopledger".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            git_commit: option_env!("FLOPLEDGER_GIT_COMMIT").map(str::to_string),
        },
        started_at: started.to_rfc3339(),
        finished_at: None,
        command_line,
        reproduce: reproduce_command(&plan, &info, None),
        plan: plan.clone(),
        host: crate::host::host_info(),
        adapter: info.clone(),
        power: None,
        roofline: None,
        cases: Vec::new(),
        skipped: Vec::new(),
        presets: Vec::new(),
        tuning: Vec::new(),
        economics: None,
        depreciation: None,
        status: RunStatus {
            complete: false,
            cases_planned: workloads.len(),
            invalid_cases: Vec::new(),
        },
        warnings: Vec::new(),
    };
    if info.is_software() {
        report.warnings.push(format!(
            "software adapter ({}): results describe the host CPU",
            info.name
        ));
    }
    // Fail early on an unwritable output directory, before any measuring.
    io::save_json(&report, &json_path)?;

    // Power: choose the sensor once, measure idle before any load.
    let chip_tdp_w = plan
        .pricing
        .chip
        .as_deref()
        .and_then(|c| crate::economics::catalog::find(c).ok())
        .or_else(|| crate::economics::catalog::match_adapter(&info.name))
        .and_then(|c| c.tdp_w);
    let (mut power, mut selection) = PowerSession::open(&info, &plan.power, chip_tdp_w);
    selection.idle_watts = power.measure_idle();
    // The advice (how to get a sensor) is kept once, in `power.advice`: the report's header
    // and the terminal summary show it from there.
    report.power = Some(selection);

    let policy = SamplingPolicy::new(
        Duration::from_secs_f64(plan.min_time_s),
        Duration::from_secs_f64(plan.max_time_s),
    );
    let bar = ProgressBar::new(workloads.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut tuner = crate::tune::Tuner::new(plan.tune).with_budget(crate::tune::budget_for(&info));
    for w in &workloads {
        let id = w.id();
        bar.set_message(id.clone());
        if let Some(reason) = w.unsupported(&info) {
            report.skipped.push(SkippedCase {
                id,
                workload: w.kind(),
                dtype: w.dtype(),
                reason,
            });
            bar.inc(1);
            continue;
        }
        let (kernel, tuned) = tuner.kernel_for(&gpu, w.as_ref(), plan.seed);
        report.tuning.extend(tuned);
        let repro = reproduce_command(&plan, &info, Some(&id));
        match case::measure(&gpu, w.as_ref(), &kernel, plan.seed, &policy, repro) {
            Ok(mut m) => {
                if m.result.valid() {
                    let mut load = energy::ProgramLoad {
                        gpu: &gpu,
                        program: m.prepared.program(),
                        repeats: m.result.dispatches_per_sample,
                    };
                    bar.set_message(format!("{id} (energy)"));
                    m.result.energy = power.measure_case(
                        &mut load,
                        m.result.flops_per_dispatch,
                        m.result.stats.median_ns,
                    )?;
                    if let (None, Some(why)) = (&m.result.energy, power.last_problem()) {
                        bar.suspend(|| eprintln!("warning: {id}: no energy figure: {why}"));
                    }
                } else {
                    report.status.invalid_cases.push(m.result.id.clone());
                    bar.suspend(|| eprintln!("error: {} failed verification (max abs error {:.3e} > {:.3e}); it is marked invalid", m.result.id, m.result.verification.max_abs_err, m.result.verification.tolerance));
                }
                report.cases.push(m.result);
            }
            Err(e) => {
                bar.suspend(|| eprintln!("warning: {id} skipped: {e:#}"));
                report.skipped.push(SkippedCase {
                    id,
                    workload: w.kind(),
                    dtype: w.dtype(),
                    reason: format!("could not run: {e:#}"),
                });
            }
        }
        io::save_json(&report, &json_path)?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    report.warnings.append(&mut tuner.warnings);

    if let Some(roof) = roofline::ceilings(&report.cases) {
        roofline::annotate(&mut report.cases, &roof);
        report.roofline = Some(roof);
    }
    report.presets = crate::workloads::presets::estimate(&report);
    // Economics reads the finished measurements; it never fails a run for missing prices.
    crate::economics::annotate(&mut report)?;
    report.depreciation = match crate::economics::depreciation::outlook_for_report(&report) {
        Ok(outlook) => outlook,
        Err(e) => {
            report
                .warnings
                .push(format!("no depreciation outlook: {e:#}"));
            None
        }
    };
    report.finished_at = Some(chrono::Utc::now().to_rfc3339());
    report.status.complete = true;
    io::save_json(&report, &json_path)?;
    let exit_code = if report.status.invalid_cases.is_empty() {
        0
    } else {
        EXIT_INVALID_RESULTS
    };
    Ok(RunOutcome {
        report,
        json_path,
        exit_code,
    })
}
