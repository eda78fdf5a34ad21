//! `flopledger fleet slurm|k8s|report|prometheus`.

use super::ledger::{db_path, filter};
use crate::cli::{FleetArgs, FleetCommand, FleetFormat, FleetReportArgs, SlurmArgs};
use crate::error::FlError;
use crate::fleet::{analysis, db, money, prometheus, query, render, render_html, slurm};
use crate::report::io::write_atomic;
use std::path::{Path, PathBuf};

pub fn run(args: &FleetArgs) -> anyhow::Result<i32> {
    match &args.command {
        FleetCommand::Slurm(a) => slurm_cmd(a),
        FleetCommand::K8s(a) => super::fleet_k8s::run(a),
        FleetCommand::Report(a) => report(a),
        FleetCommand::Prometheus(a) => {
            let f = filter(&a.filter);
            let (an, _) = analyse(&db_path(&a.db)?, &f)?;
            emit(&prometheus::render(&an), a.out.as_deref())?;
            Ok(0)
        }
    }
}

fn absolute(p: &Path) -> anyhow::Result<PathBuf> {
    Ok(if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()?.join(p)
    })
}

fn slurm_cmd(a: &SlurmArgs) -> anyhow::Result<i32> {
    let flopledger = match &a.flopledger {
        Some(p) => absolute(p)?,
        None => std::env::current_exe()?,
    };
    let job = slurm::SlurmJob {
        nodes: a.nodes,
        gpus_per_node: a.gpus_per_node,
        partition: a.partition.clone(),
        time: a.time.clone(),
        suite: a.suite.clone(),
        results: absolute(&a.results)?,
        flopledger,
        gres: !a.no_gres,
        overcommit: a.overcommit,
        run_args: a.run_args.split_whitespace().map(str::to_string).collect(),
    };
    job.validate()?;
    // Slurm does not create the folder of --output; the script's comments say so too.
    std::fs::create_dir_all(&job.results).map_err(|e| {
        FlError::usage(format!(
            "cannot create the results folder {}: {e}; pass a writable shared folder with --results",
            job.results.display()
        ))
    })?;
    write_atomic(&a.out, job.script().as_bytes())?;
    println!(
        "wrote {} ({} task(s): {} node(s) x {} GPU(s)); results go to {}/JOBID/",
        a.out.display(),
        job.tasks(),
        job.nodes,
        job.gpus_per_node,
        job.results.display()
    );
    if !a.submit {
        println!("submit it with: sbatch {}", a.out.display());
        return Ok(0);
    }
    let mut cmd = std::process::Command::new("sbatch");
    cmd.arg("--parsable");
    if a.wait {
        cmd.arg("--wait");
    }
    let out = cmd.arg(&a.out).output().map_err(|e| {
        FlError::usage(format!(
            "cannot run sbatch ({e}); run this on a Slurm login node, or submit {} by hand",
            a.out.display()
        ))
    })?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let Some(job_id) = slurm::parse_job_id(&stdout) else {
        return Err(FlError::usage(format!(
            "sbatch did not submit the job: {}{}",
            stdout.trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
        .into());
    };
    println!("submitted job {job_id}");
    if !a.wait {
        println!(
            "when it ends: flopledger ledger add {}/{job_id} && flopledger fleet report --job {job_id}",
            job.results.display()
        );
        return Ok(0);
    }
    let job_dir = job.results.join(&job_id);
    match std::fs::read_to_string(job_dir.join("summary.txt")) {
        Ok(s) => print!("{s}"),
        Err(_) => eprintln!(
            "warning: job {job_id} left no summary.txt (killed or out of time?); ingesting what it wrote"
        ),
    }
    super::ledger::add(&[job_dir], &a.db)?;
    Ok(0)
}

/// Reads the latest results matching `f` and analyses them; also returns a description of the
/// selection.
fn analyse(db: &Path, f: &query::Filter) -> anyhow::Result<(analysis::FleetAnalysis, String)> {
    let conn = db::open(db)?;
    let results = query::latest_results(&conn, f)?;
    if results.is_empty() {
        return Err(FlError::usage(format!(
            "no results in {} match the selection; add reports with `flopledger ledger add RESULTS_DIR` \
             or check the filters (`flopledger ledger list`)",
            db.display()
        ))
        .into());
    }
    let selection = match &f.job {
        Some(j) => format!("job {j}"),
        None => "all results in the ledger".into(),
    };
    Ok((
        analysis::analyse(results, &crate::fleet::thresholds::Thresholds::default()),
        selection,
    ))
}

/// Prints `text`, or writes it atomically to `out`.
fn emit(text: &str, out: Option<&Path>) -> anyhow::Result<()> {
    match out {
        Some(p) => {
            write_atomic(p, text.as_bytes())?;
            println!("wrote {}", p.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}

fn report(a: &FleetReportArgs) -> anyhow::Result<i32> {
    let mut f = filter(&a.filter);
    if a.job.is_some() {
        f.job = a.job.clone();
    }
    super::fleet_value::check(&a.value)?;
    let (an, selection) = analyse(&db_path(&a.db)?, &f)?;
    let today = chrono::Utc::now().date_naive();
    let money = money::compute(&an, &super::fleet_value::pricing(&an, &a.value, today)?);
    let fr = render::FleetReport::new(&an, &money, selection);
    let md = render::markdown(&fr);
    for format in &a.format {
        let (text, ext) = match format {
            FleetFormat::Md => (md.clone(), "md"),
            FleetFormat::Html => (render_html::from_markdown(&md), "html"),
            FleetFormat::Json => (render::json(&fr)?, "json"),
            FleetFormat::Prom => (prometheus::render(&an), "prom"),
        };
        let path = a
            .out
            .as_ref()
            .map(|d| d.join(format!("fleet-report.{ext}")));
        emit(&text, path.as_deref())?;
    }
    // Non-zero when any GPU is CRITICAL, so a burn-in script can stop on it.
    Ok(if fr.counts.critical > 0 {
        crate::error::EXIT_INVALID_RESULTS
    } else {
        0
    })
}
