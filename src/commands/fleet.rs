//! `flopledger fleet slurm|k8s|report|prometheus`.

use super::ledger::{damaged, db_path, filter};
use crate::cli::{FleetArgs, FleetCommand, FleetFormat, FleetReportArgs, SlurmArgs, ThresholdsArg};
use crate::error::FlError;
use crate::fleet::analyser::Analyser;
use crate::fleet::grade::CaseSource;
use crate::fleet::ledger_cases::LedgerCases;
use crate::fleet::stream::{self, Selection};
use crate::fleet::thresholds::Thresholds;
use crate::fleet::{analysis, db, money, prometheus, query, render, render_html, slurm};
use crate::report::io::{write_atomic, write_atomic_with};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

pub fn run(args: &FleetArgs) -> anyhow::Result<i32> {
    match &args.command {
        FleetCommand::Slurm(a) => slurm_cmd(a),
        FleetCommand::K8s(a) => super::fleet_k8s::run(a),
        FleetCommand::Report(a) => report(a).map_err(|e| damaged(&a.db, e)),
        FleetCommand::Prometheus(a) => {
            let f = filter(&a.filter);
            let th = thresholds(&a.thresholds)?;
            let db = db_path(&a.db)?;
            let l = analyse(&db, &f, th).map_err(|e| db::explain_damage(&db, e))?;
            let cases = l.cases();
            if let Some(out) = &a.out {
                crate::files::refuse_replacing_report(out, "--out")?;
                if let Some(th) = &a.thresholds.thresholds {
                    refuse_replacing_input(out, &[(th, "the --thresholds file")])?;
                }
            }
            emit_with(a.out.as_deref(), &mut |w| {
                prometheus::write(&l.analysis, cases.source(&l.analysis), w)
            })
            .map_err(|e| db::explain_damage(&db, e))?;
            Ok(0)
        }
    }
}

/// Whether `a` and `b` name one file, through `./`, `..` and links, whether or not it exists
/// yet (its folder must).
fn same_file(a: &Path, b: &Path) -> bool {
    let resolve = |p: &Path| -> Option<PathBuf> {
        if let Ok(c) = std::fs::canonicalize(p) {
            return Some(c);
        }
        let parent = p.parent().filter(|d| !d.as_os_str().is_empty());
        let dir = std::fs::canonicalize(parent.unwrap_or(Path::new("."))).ok()?;
        Some(dir.join(p.file_name()?))
    };
    matches!((resolve(a), resolve(b)), (Some(x), Some(y)) if x == y)
}

/// Refuses `out` (named `--out`) where it is one of the files this command reads (`inputs`:
/// the file and what it is), which writing the output would replace (a helper's sweep, 7
/// December 2026: `fleet slurm --out` replaced its own `--suite` file and the flopledger binary
/// the job runs, `fleet prometheus --out` its `--thresholds` file, each with exit 0).
fn refuse_replacing_input(out: &Path, inputs: &[(&Path, &str)]) -> Result<(), FlError> {
    match inputs.iter().find(|(p, _)| same_file(out, p)) {
        Some((_, what)) => Err(FlError::usage(format!(
            "--out {} names {what}: writing the output there would replace it; pass another \
             --out",
            out.display()
        ))),
        None => Ok(()),
    }
}

fn absolute(p: &Path) -> anyhow::Result<PathBuf> {
    Ok(if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()?.join(p)
    })
}

/// Opens the ledger that `--wait` will add the job's reports to, as `ledger add` would, so that
/// a file that is not a ledger, a newer or damaged one, or one this user may not write is
/// refused before the job takes hours of GPU time (a helper's sweep: a garbage `--db` was found
/// only after the job had run). A ledger that did not exist is not left behind.
fn check_ledger(db_arg: &crate::cli::DbArg) -> anyhow::Result<()> {
    let path = super::ledger::db_path(db_arg)?;
    let existed = path.exists();
    drop(crate::fleet::db::open(&path).map_err(|e| super::ledger::damaged(db_arg, e))?);
    if !existed {
        crate::fleet::db::remove_unless_filled(&path);
    }
    Ok(())
}

fn slurm_cmd(a: &SlurmArgs) -> anyhow::Result<i32> {
    if a.db.db.is_some() && !a.wait {
        return Err(crate::error::FlError::usage(
            "--db names the ledger that --wait ingests the job's results into, and without \
             --submit --wait nothing is ingested; add --submit --wait, or drop --db (later: \
             flopledger ledger add RESULTS/JOBID --db PATH)",
        )
        .into());
    }
    // The ledger --wait ingests into is checked now, not after the whole job has run.
    if let Some(db) = a.db.db.as_ref().filter(|p| p.is_dir()) {
        return Err(crate::error::FlError::usage(format!(
            "--db {} is a folder; pass the ledger file (e.g. --db {}/ledger.sqlite)",
            db.display(),
            db.display()
        ))
        .into());
    }
    if a.submit && a.wait {
        let db = super::ledger::db_path(&a.db)?;
        if same_file(&a.out, &db) {
            return Err(FlError::usage(format!(
                "--out {} is the ledger that --wait ingests the job's results into: the job \
                 script would replace it; pass another --out (default flopledger-fleet.sbatch) \
                 or --db",
                a.out.display()
            ))
            .into());
        }
        check_ledger(&a.db)?;
    }
    crate::files::refuse_replacing_report(&a.out, "--out")?;
    let flopledger = match &a.flopledger {
        Some(p) => absolute(p)?,
        None => std::env::current_exe()?,
    };
    let this = std::env::current_exe()?;
    let mut inputs = vec![
        (flopledger.as_path(), "the flopledger binary the job runs"),
        (this.as_path(), "the flopledger binary"),
    ];
    // A suite named by a file (not a built-in suite's name).
    if Path::new(&a.suite).is_file() {
        inputs.push((Path::new(&a.suite), "the --suite file"));
    } else if !matches!(a.suite.as_str(), "quick" | "standard" | "full") {
        // A file not here: relative, it names nothing the tasks can find (every task had
        // failed "cannot read it", a helper's sweep); absolute, it may be on the nodes only.
        let what = format!(
            "--suite {}: no such file here, and not a built-in suite (quick, standard, full)",
            a.suite
        );
        if Path::new(&a.suite).is_relative() {
            return Err(FlError::usage(format!(
                "{what}; pass the path of a suite .toml file the nodes can read"
            ))
            .into());
        }
        crate::term::note(&format!(
            "{what}: the job's nodes must have it at that path"
        ));
    }
    refuse_replacing_input(&a.out, &inputs)?;
    crate::files::refuse_replacing_foreign(&a.out, "pass another --out")?;
    let job = slurm::SlurmJob {
        nodes: a.nodes,
        gpus_per_node: a.gpus_per_node,
        partition: a.partition.clone(),
        time: a.time.clone(),
        // A suite file found here is named by its absolute path: the tasks start wherever
        // sbatch was run (a helper's sweep: `sbatch /abs/job.sbatch` from another folder
        // failed every task on a relative --suite).
        suite: if Path::new(&a.suite).is_file() {
            absolute(Path::new(&a.suite))?.display().to_string()
        } else {
            a.suite.clone()
        },
        results: absolute(&a.results)?,
        flopledger,
        gres: !a.no_gres,
        overcommit: a.overcommit,
        run_args: super::fleet_args::absolute_files(super::fleet_args::run_args(
            &a.run_args,
            &a.suite,
        )?)?,
    };
    super::fleet_args::slurm_time(&a.time)?;
    job.validate()?;
    // Slurm does not create the folder of --output; the script's comments say so too. One
    // that cannot be made is an I/O error (exit 3), as an unwritable --out is.
    crate::files::create_folder(&job.results, "pass a writable shared folder with --results")?;
    write_atomic(&a.out, job.script().as_bytes())?;
    crate::outln!(
        "wrote {} ({} task(s): {} node(s) x {} GPU(s)); results go to {}/JOBID/",
        a.out.display(),
        job.tasks(),
        job.nodes,
        job.gpus_per_node,
        job.results.display()
    );
    if !a.submit {
        crate::outln!(
            "submit it with: sbatch {}",
            slurm::sh_quote(&a.out.display().to_string())
        );
        return Ok(0);
    }
    // Without sbatch's own --wait, which prints the job id only when the job has ended (and
    // waits for ever on a job that can never start): the id first, then the queue is followed.
    let mut cmd = std::process::Command::new("sbatch");
    cmd.arg("--parsable");
    let out = cmd.arg(&a.out).output().map_err(|e| {
        FlError::usage(format!(
            "cannot run sbatch ({e}); run this on a Slurm login node, or submit {} by hand",
            a.out.display()
        ))
    })?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let Some(job_id) = slurm::parse_job_id(&stdout) else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        // The one refusal with a flag of ours as its fix: a cluster without GPU gres.
        let fix = if stderr.to_lowercase().contains("gres") {
            "; if the cluster has no GPU gres configured, add --no-gres (or ask its admins for \
             the gres name)"
        } else {
            ""
        };
        return Err(FlError::usage(format!(
            "sbatch did not submit the job: {}{}{fix}",
            stdout.trim(),
            stderr.trim()
        ))
        .into());
    };
    crate::outln!("submitted job {job_id}");
    if !a.wait {
        crate::outln!(
            "when it ends: flopledger ledger add {}/{job_id} && flopledger fleet report --job {job_id}",
            job.results.display()
        );
        return Ok(0);
    }
    crate::outln!("waiting for job {job_id} to end (cancel it with: scancel {job_id})");
    // Said before the wait: a Ctrl-C here ends this wait, not the job.
    crate::outln!(
        "(interrupting this wait leaves the job running; when it ends: flopledger ledger add {}/{job_id}{})",
        job.results.display(),
        a.db
            .db
            .as_ref()
            .map_or(String::new(), |d| format!(" --db {}", slurm::sh_quote(&d.display().to_string())))
    );
    let partition = match &job.partition {
        Some(p) => format!("partition {p}"),
        None => "the default partition".to_string(),
    };
    crate::fleet::slurm_queue::wait_for(
        &job_id,
        &format!(
            "Ask for at most the nodes and the time {partition} allows with --nodes and --time, \
             and at most a node's CPUs in tasks per node, or add --overcommit, which lets the \
             tasks share CPUs (`sinfo -o '%P %D %l %c'` lists nodes, time limit and CPUs per \
             node)"
        ),
    )?;
    let job_dir = job.results.join(&job_id);
    let summary = job_dir.join("summary.txt");
    let summary_text = match std::fs::read_to_string(&summary) {
        Ok(s) => {
            crate::out!("{s}");
            Some(s)
        }
        Err(_) => {
            crate::errln!(
                "warning: job {job_id} left no summary.txt (killed or out of time?); waiting for \
                 its tasks' reports to settle, then ingesting what they wrote"
            );
            use crate::fleet::slurm_queue::{REPORTS_LIMIT, REPORTS_QUIET};
            if !crate::fleet::slurm_queue::wait_for_reports_to_settle(
                &job_dir,
                REPORTS_QUIET,
                REPORTS_LIMIT,
            ) {
                crate::errln!(
                    "warning: job {job_id}'s reports were still changing after {} s; ingesting \
                     them as they are (`flopledger ledger add {}` later takes the more complete \
                     ones)",
                    REPORTS_LIMIT.as_secs(),
                    job_dir.display()
                );
            }
            None
        }
    };
    if crate::fleet::ingest::report_files(std::slice::from_ref(&job_dir))
        .is_ok_and(|f| f.is_empty())
    {
        // Every task failed before writing a report: the reasons are in the tasks' logs.
        let see = if summary_text.is_some() {
            format!(
                "{} lists each task's exit status and its run.log",
                summary.display()
            )
        } else {
            format!("its tasks' run.log files under {}", job_dir.display())
        };
        return Err(FlError::usage(format!(
            "job {job_id} wrote no report: every task failed; {see} (a wrong --flopledger path \
             or --run-args show there)"
        ))
        .into());
    }
    let code = super::ledger::add(&[job_dir], &a.db)?;
    // The results are in the ledger either way; the exit status says whether every task ran to
    // its end (a helper's sweep: a cancelled job, and one whose task had crashed, exited 0).
    let failed = summary_text.as_deref().and_then(summary_failures);
    if code == 0 && failed != Some(0) {
        let what = match failed {
            Some(n) => format!("{n} of its tasks failed ({} says how)", summary.display()),
            None => "it ended without its summary (cancelled, or out of time)".to_string(),
        };
        crate::errln!(
            "{}",
            crate::term::wrap(
                &format!(
                    "error: job {job_id}: {what}; what its tasks wrote is in the ledger, and the \
                     fleet report marks each GPU whose report says its run did not finish (a \
                     task that wrote no report is in the summary only)"
                ),
                "  "
            )
        );
        return Ok(crate::error::EXIT_FLEET_TASKS_FAILED);
    }
    Ok(code)
}

/// The failed tasks the job's summary counts ("failed tasks: N of M"); `None` without that line.
fn summary_failures(text: &str) -> Option<usize> {
    text.lines()
        .rev()
        .find_map(|l| l.strip_prefix("failed tasks: "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// The ledger as one report reads it: a read transaction held open (every pass over the
/// results sees the same rows), the selected reports, and the analysis.
struct Ledgered {
    conn: Connection,
    sel: Selection,
    /// The filter the analysis graded: the given one without `--node` and `--gpu`.
    peers: query::Filter,
    /// The GPUs `--node` or `--gpu` pick for the report, if given.
    shown: Option<std::collections::BTreeSet<String>>,
    analysis: analysis::FleetAnalysis,
    /// A description of the selection, e.g. `job 1234`.
    selection: String,
}

/// Where the graded cases come from: the analysis (it kept them) or the ledger (re-read).
enum Cases<'a> {
    Kept,
    Ledger(LedgerCases<'a>),
}

impl<'a> Cases<'a> {
    fn source(&'a self, a: &'a analysis::FleetAnalysis) -> &'a dyn CaseSource {
        match self {
            Self::Kept => &a.cases,
            Self::Ledger(l) => l,
        }
    }
}

impl Ledgered {
    fn cases(&self) -> Cases<'_> {
        if !self.analysis.cases.is_empty() {
            return Cases::Kept;
        }
        Cases::Ledger(LedgerCases {
            conn: &self.conn,
            selection: &self.sel,
            filter: &self.peers,
            analysis: &self.analysis,
            shown: self.shown.as_ref(),
        })
    }
}

/// The formats asked for, each once, after checking where they go: several formats need
/// `--out` (on stdout they would run into one another), and `--out` names a folder.
fn check_outputs(a: &FleetReportArgs) -> Result<Vec<FleetFormat>, FlError> {
    let mut formats = a.format.clone();
    super::keep_first_of_each(&mut formats);
    match &a.out {
        None if formats.len() > 1 => Err(FlError::usage(
            "several --format values print one after another on stdout; pass --out DIR (one \
             fleet-report.EXT file each) or a single format",
        )),
        Some(dir) if dir.exists() && !dir.is_dir() => Err(FlError::usage(format!(
            "--out {} is a file; pass a folder for the fleet-report.EXT files",
            dir.display()
        ))),
        // Every destination is checked before any is written: a folder where the JSON goes
        // had failed the command after the Markdown had replaced the old one (a helper's sweep).
        Some(dir) => match formats
            .iter()
            .map(|f| report_path(dir, *f))
            .find(|p| p.is_dir())
        {
            Some(p) => Err(FlError::usage(format!(
                "{} is a folder, where the report file goes; move it away, or pass another --out",
                p.display()
            ))),
            // Nor a run's report someone put there (`fleet-report.json`; the atomic write
            // refuses a ledger).
            None => {
                for f in &formats {
                    crate::files::refuse_replacing_report(&report_path(dir, *f), "--out")?;
                }
                Ok(formats)
            }
        },
        None => Ok(formats),
    }
}

/// Where `--out DIR` puts the report in `format`.
fn report_path(dir: &Path, format: FleetFormat) -> PathBuf {
    let ext = match format {
        FleetFormat::Md => "md",
        FleetFormat::Html => "html",
        FleetFormat::Json => "json",
        FleetFormat::Prom => "prom",
    };
    dir.join(format!("fleet-report.{ext}"))
}

/// The grading rules: `--thresholds FILE.toml`, else the defaults.
fn thresholds(a: &ThresholdsArg) -> Result<Thresholds, FlError> {
    let Some(path) = &a.thresholds else {
        return Ok(Thresholds::default());
    };
    let text = crate::files::read_input(path, "a thresholds TOML file (docs/fleets.md)")?;
    Thresholds::from_toml(&text, &path.display().to_string())
}

/// Reads the latest results matching `f` one (chip, case) group at a time and grades them by
/// `th`. The graded cases are kept only for a fleet small enough for Markdown to list them all.
///
/// `--node` and `--gpu` pick the GPUs shown, not their peers: each is graded against every GPU
/// the other filters select (picked before grading, a GPU 33 % slow on node n3 had no peers
/// left, was not graded, and read OK with exit 0 in the report and in Prometheus, a helper's
/// sweep).
fn analyse(db: &Path, f: &query::Filter, th: Thresholds) -> anyhow::Result<Ledgered> {
    let conn = db::open_existing(db)?;
    conn.execute_batch("BEGIN")?;
    let peers = query::Filter {
        node: None,
        gpu: None,
        ..f.clone()
    };
    let shown: Option<std::collections::BTreeSet<String>> = (f.node.is_some() || f.gpu.is_some())
        .then(|| Selection::read(&conn, f))
        .transpose()?
        .map(|s| s.gpu_keys().into_iter().map(str::to_string).collect());
    let sel = Selection::read(&conn, &peers)?;
    let keep = sel.gpus() <= render::MAX_GPUS_LISTED;
    let mut an = Analyser::new(th, sel.gpus(), keep);
    stream::for_each_group(&conn, &sel, &peers, &mut |rows| {
        an.add_group(rows);
        Ok(())
    })?;
    for u in sel.unfinished() {
        an.unfinished_run(&u);
    }
    let mut analysis = an.finish();
    if let Some(shown) = &shown {
        analysis.gpus.retain(|g| shown.contains(&g.gpu_key));
        analysis
            .weakest_per_node
            .retain(|g| shown.contains(&g.gpu_key));
        analysis.cases.retain(|c| shown.contains(&c.gpu_key));
    }
    if (analysis.groups.is_empty() || shown.is_some()) && analysis.gpus.is_empty() {
        return Err(FlError::usage(format!(
            "no results in {} match the selection; add reports with `flopledger ledger add RESULTS_DIR` \
             or check the filters (`flopledger ledger list`)",
            db.display()
        ))
        .into());
    }
    if !keep && analysis.gpus.len() <= render::MAX_GPUS_LISTED {
        // Fewer GPUs have results than reports were selected: few enough to list every case.
        let mut cases = Vec::new();
        LedgerCases {
            conn: &conn,
            selection: &sel,
            filter: &peers,
            analysis: &analysis,
            shown: shown.as_ref(),
        }
        .each_case(&mut |c| {
            cases.push(c.to_owned());
            Ok(())
        })?;
        analysis.cases = cases;
    }
    let selection = selection_label(f);
    Ok(Ledgered {
        conn,
        sel,
        peers,
        shown,
        analysis,
        selection,
    })
}

/// What the filters select, for the report's header and JSON (every filter named: "all
/// results in the ledger" had stood for a selection by node, a helper's sweep).
fn selection_label(f: &query::Filter) -> String {
    let mut parts = Vec::new();
    if let Some(j) = &f.job {
        parts.push(format!("job {j}"));
    }
    for (name, v) in [
        ("node", &f.node),
        ("GPU", &f.gpu),
        ("chip", &f.chip),
        ("case", &f.case),
        ("since", &f.since),
    ] {
        if let Some(v) = v {
            parts.push(format!("{name} {v}"));
        }
    }
    if f.node.is_some() || f.gpu.is_some() {
        parts.push("graded against their peers in the rest of the selection".into());
    }
    if parts.is_empty() {
        "all results in the ledger".into()
    } else {
        parts.join(", ")
    }
}

/// Writes what `write` produces atomically to `out`, streamed; or, without `out`, prints it
/// once it is complete (never half a report on stdout).
fn emit_with(
    out: Option<&Path>,
    write: &mut dyn FnMut(&mut dyn std::io::Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    match out {
        Some(p) => {
            write_atomic_with(p, write)?;
            crate::outln!("wrote {}", p.display());
        }
        None => {
            let mut buf = Vec::new();
            write(&mut buf)?;
            crate::term::write_stdout(&buf);
        }
    }
    Ok(())
}

fn report(a: &FleetReportArgs) -> anyhow::Result<i32> {
    let f = filter(&a.filter);
    let formats = check_outputs(a)?;
    super::fleet_value::check(&a.value)?;
    let th = thresholds(&a.thresholds)?;
    let l = analyse(&db_path(&a.db)?, &f, th)?;
    let an = &l.analysis;
    let today = chrono::Utc::now().date_naive();
    let money = money::compute(an, &super::fleet_value::pricing(an, &a.value, today)?);
    let cases = l.cases();
    let fr = render::FleetReport::new(an, &money, l.selection.clone()).with_cases(cases.source(an));
    let md = render::markdown(&fr);
    // Every file checked before the first is written.
    for format in &formats {
        if let Some(p) = a.out.as_ref().map(|d| report_path(d, *format)) {
            crate::files::check_target(&p)?;
        }
    }
    for format in formats {
        let path = a.out.as_ref().map(|d| report_path(d, format));
        emit_with(path.as_deref(), &mut |w| {
            match format {
                FleetFormat::Md => w.write_all(md.as_bytes())?,
                FleetFormat::Html => w.write_all(render_html::from_markdown(&md).as_bytes())?,
                FleetFormat::Json => render::write_json(&fr, w)?,
                FleetFormat::Prom => prometheus::write(an, fr.cases, w)?,
            }
            Ok(())
        })?;
    }
    // Non-zero when any GPU is CRITICAL, so a burn-in script can stop on it.
    Ok(if fr.counts.critical > 0 {
        crate::error::EXIT_INVALID_RESULTS
    } else {
        0
    })
}
