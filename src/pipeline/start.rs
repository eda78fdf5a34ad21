//! The start of a run: the report skeleton, saved once before any measuring so an unwritable
//! output directory fails the run early.

use super::{report_stem, reproduce_command};
use crate::config::Plan;
use crate::error::{FlError, IoAction};
use crate::gpu::info::AdapterInfo;
use crate::report::{io, Report, RunStatus, ToolInfo, SCHEMA_VERSION};
use anyhow::Result;
use std::path::PathBuf;

/// `--out` must be a directory or not exist yet (it is created); a dry run checks it too.
pub fn check_out_dir(plan: &Plan) -> Result<(), FlError> {
    // A link to nothing: `exists` follows it and says no, and creating the folder then fails
    // with "File exists" (helper's sweep).
    if let Ok(target) = std::fs::read_link(&plan.out_dir) {
        if !plan.out_dir.exists() {
            return Err(FlError::usage(format!(
                "--out {} is a symbolic link to {}, which does not exist; create that folder, \
                 or pass another directory",
                plan.out_dir.display(),
                target.display()
            )));
        }
    }
    if plan.out_dir.exists() && !plan.out_dir.is_dir() {
        return Err(FlError::usage(format!(
            "--out {} is not a directory; pass a directory (it is created if missing)",
            plan.out_dir.display()
        )));
    }
    Ok(())
}

/// What a dry run checks of `--out` without creating it: [`check_out_dir`], no file on the way
/// to it (`-o a-file/reports`), and a file that can be created in the nearest folder that
/// exists (made and removed at once), so `-n` refuses what the run itself would refuse.
pub fn probe_out_dir(plan: &Plan) -> Result<(), FlError> {
    check_out_dir(plan)?;
    let fix = "pass a writable directory with --out";
    let mut existing = plan.out_dir.as_path();
    while !existing.as_os_str().is_empty() && !existing.exists() {
        existing = existing.parent().unwrap_or(std::path::Path::new(""));
    }
    if existing.as_os_str().is_empty() {
        existing = std::path::Path::new(".");
    }
    if !existing.is_dir() {
        return Err(FlError::usage(format!(
            "--out {}: {} is a file, not a directory; {fix}",
            plan.out_dir.display(),
            existing.display()
        )));
    }
    let probe = existing.join(crate::files::tmp_name("out-probe"));
    let created = std::fs::File::create_new(&probe);
    let _ = std::fs::remove_file(&probe);
    created
        .map(|_| ())
        .map_err(|e| FlError::io(IoAction::Write, existing, e, fix))
}

/// Creates the report of a run of `cases_planned` cases and saves it; returns it with its path.
pub fn begin(
    plan: &Plan,
    info: &AdapterInfo,
    command_line: Vec<String>,
    cases_planned: usize,
) -> Result<(Report, PathBuf)> {
    check_out_dir(plan)?;
    let started = chrono::Utc::now();
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
        reproduce: reproduce_command(plan, info, None),
        plan: plan.clone(),
        host: crate::host::host_info(),
        adapter: info.clone(),
        identity: crate::host::run_identity(info),
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
            cases_planned,
            invalid_cases: Vec::new(),
        },
        warnings: Vec::new(),
    };
    if info.is_software() {
        report.warnings.push(format!(
            "software adapter ({}): results describe the host CPU, not a GPU; pick another with \
             --adapter (see `flopledger devices`)",
            info.name
        ));
    }
    let slowdown = crate::gpu::test_hooks::slowdown_factor();
    if slowdown > 1 {
        report.warnings.push(format!(
            "test hook FLOPLEDGER_TEST_SLOWDOWN active: every timed dispatch ran {slowdown} times \
             and counted once, so this run measures slower on purpose"
        ));
    }
    // Claim the report's file name now (fails early on an unwritable output directory, before
    // any measuring); later saves replace this file atomically.
    let json_path = io::create_new_json(&report, &plan.out_dir, &report_stem(info, &started))?;
    Ok((report, json_path))
}
