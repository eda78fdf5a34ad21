//! Fleet end to end on a real Slurm cluster (one node, started by `ci/slurm-up.sh`): a job of
//! five tasks on the software adapter (taking turns to measure: they share the CPU), task 2
//! slowed on purpose (every timed dispatch recorded
//! 8 times, counted once: the kernel really runs longer), task 4 aborted after its first case.
//! The results are ingested; the fleet report must flag exactly task 2's GPU, with the reason,
//! and every other task's result must be in the ledger.
//!
//! The report grades by a thresholds file ([`SHARED_CPU_THRESHOLDS`]): five processes measuring
//! one shared CPU in turn differ by more than the default rules allow GPUs of one model to differ
//! (separate processes on this 2-core VM, one after another: gemm 64³ 6.2–8.9 GFLOP/s, 128³
//! 29.2–31.4; one CI job had an unslowed task 30 % below the median at 64³), and that spread is
//! the scheduler's, not a fault. The slowed task runs at about 1/8 of its peers.
//!
//! Skipped (with the reason printed) where `sinfo` does not answer; `.ci/run` starts Slurm so
//! CI always runs it.

use std::path::Path;
use std::process::Command;

fn slurm_up() -> Result<(), String> {
    match Command::new("sinfo").args(["-h", "-o", "%T"]).output() {
        Ok(o) if o.status.success() => {
            let states = String::from_utf8_lossy(&o.stdout).to_string();
            if states.contains("idle") || states.contains("mixed") {
                Ok(())
            } else {
                Err(format!("sinfo shows no usable node ({})", states.trim()))
            }
        }
        Ok(o) => Err(format!(
            "sinfo failed: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Err(e) => Err(format!("sinfo is not available ({e})")),
    }
}

/// Flag only a GPU at least 50 % below its peers' median (WARN) or 60 % below it (CRITICAL);
/// the z-score limits stay near the defaults.
const SHARED_CPU_THRESHOLDS: &str = "warn_z = -2.0\nwarn_deficit = 0.5\n\
                                     critical_z = -3.0\ncritical_deficit = 0.6\n";

fn flopledger() -> Command {
    Command::new(env!("CARGO_BIN_EXE_flopledger"))
}

fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().expect("flopledger runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "exit {:?}:\n{text}",
        out.status.code()
    );
    text
}

/// One fleet job; returns the job id (after checking the summary and the ledger) and the
/// GPUs the fleet report flagged as (task id, reasons).
fn one_job(dir: &Path, attempt: u32) -> (String, Vec<(String, String)>) {
    let results = dir.join(format!("results-{attempt}"));
    let db = dir.join(format!("ledger-{attempt}.sqlite"));
    let script = dir.join(format!("fleet-{attempt}.sbatch"));
    let out = run_ok(
        flopledger()
            .args(["fleet", "slurm", "--nodes", "1", "--gpus-per-node", "5"])
            .args(["--no-gres", "--overcommit", "--time", "10:00"])
            .args(["--suite", "quick"])
            // One value: the extra `run` flags the script passes on, as one string.
            .arg(
                "--run-args=--shapes 128x128x128,160x160x160 --no-tune --no-energy \
                 --min-time 400ms --max-time 1s",
            )
            .arg("--results")
            .arg(&results)
            .arg("--out")
            .arg(&script)
            .args(["--submit", "--wait", "--db"])
            .arg(&db)
            // Every task on the software adapter; the tasks take turns measuring, since they
            // share this machine's cores (see gpu::test_hooks).
            .env("FLOPLEDGER_ADAPTER", "llvmpipe")
            .env("FLOPLEDGER_TEST_SERIALIZE", dir)
            .env("FLOPLEDGER_TEST_SLOWDOWN", "2:8")
            .env("FLOPLEDGER_TEST_ABORT", "4"),
    );
    println!("{out}");
    // A task failed: the results are ingested and the command says so, exit 1.
    assert!(
        out.contains("error: job") && out.contains("1 of its tasks failed"),
        "{out}"
    );
    let job_id = out
        .lines()
        .find_map(|l| l.strip_prefix("submitted job "))
        .expect("a job id")
        .trim()
        .to_string();

    // The summary names the killed task and only it.
    let summary =
        std::fs::read_to_string(results.join(&job_id).join("summary.txt")).expect("summary.txt");
    assert!(summary.contains("failed tasks: 1 of 5"), "{summary}");
    let failed: Vec<&str> = summary.lines().filter(|l| l.contains("FAILED")).collect();
    assert!(
        failed.len() == 1 && failed[0].starts_with("task 4:"),
        "{summary}"
    );

    // Every task's report is in the ledger: four complete, the aborted one partial.
    let list = run_ok(
        flopledger()
            .args(["ledger", "list", "--job", &job_id, "--db"])
            .arg(&db),
    );
    assert!(list.contains("5 report(s)"), "{list}");
    assert_eq!(list.matches("(partial)").count(), 1, "{list}");

    let json = fleet_report(&db, &job_id, "json");
    let v: serde_json::Value = serde_json::from_str(&json).expect("fleet report JSON");
    let flagged = v["gpus"]
        .as_array()
        .expect("gpus")
        .iter()
        .filter(|g| g["status"] != "OK")
        .map(|g| {
            (
                g["task_id"].as_str().unwrap_or("").to_string(),
                g["reasons"].to_string(),
            )
        })
        .collect();
    println!("{}", fleet_report(&db, &job_id, "md"));
    (job_id, flagged)
}

#[test]
fn slurm_fleet_flags_exactly_the_slowed_gpu_and_keeps_every_other_result() {
    if let Err(why) = slurm_up() {
        println!("skipped: no Slurm cluster here: {why}; run ci/slurm-up.sh as root to start one");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    // The peers share this machine's CPU with whatever else runs on it; a second job is
    // allowed when the first one's peers spread too widely to single anyone out. Each job's
    // summary and ledger are checked in full.
    let mut last = Vec::new();
    for attempt in 1..=2 {
        let (job, flagged) = one_job(dir.path(), attempt);
        // The aborted task 4 is flagged for its unfinished run whatever its speed (its
        // finished case alone had graded it OK); the slowed task 2 for its speed.
        let (aborted, others): (Vec<_>, Vec<_>) = flagged.iter().partition(|(t, _)| t == "4");
        assert!(
            matches!(aborted.as_slice(), [(_, r)] if r.contains("its latest run did not finish")),
            "job {job}: the aborted task 4 is not flagged as unfinished: {flagged:?}"
        );
        if let [(task, reasons)] = others.as_slice() {
            assert_eq!(task, "2", "job {job} flagged the wrong task: {reasons}");
            assert!(reasons.contains("below the median"), "{reasons}");
            return;
        }
        println!("job {job}: expected exactly task 2 flagged besides task 4, got {flagged:?}");
        last = flagged;
    }
    panic!("two jobs without exactly the slowed task flagged; last: {last:?}");
}

fn fleet_report(db: &Path, job: &str, format: &str) -> String {
    let thresholds = db.with_extension("thresholds.toml");
    std::fs::write(&thresholds, SHARED_CPU_THRESHOLDS).expect("thresholds file written");
    let out = flopledger()
        .args(["fleet", "report", "--job", job, "--format", format, "--db"])
        .arg(db)
        .arg("--thresholds")
        .arg(&thresholds)
        .output()
        .expect("fleet report runs");
    // 0, or 1 when a GPU is CRITICAL; anything else is a refusal (stderr says why).
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "fleet report exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Writing a script ingests nothing, so a ledger named without `--submit --wait` is refused
/// (it used to be accepted and ignored); no cluster needed.
#[test]
fn a_ledger_without_wait_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = flopledger()
        .args(["fleet", "slurm", "--out"])
        .arg(dir.path().join("f.sbatch"))
        .arg("--db")
        .arg(dir.path().join("l.sqlite"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--submit --wait"));
    assert!(!dir.path().join("f.sbatch").exists(), "no script written");
}

/// The job script never replaces the ledger `--wait` ingests into (it did, then the ingest said
/// the ledger was not a database and "nothing was changed") nor a run's report; refused before
/// anything is written or submitted, no cluster needed.
#[test]
fn the_script_never_replaces_the_ledger_or_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results");
    // `fleet slurm --out OUT ARGS` is refused with `needle`, nothing created.
    let refused_with = |out: &Path, args: &[&std::ffi::OsStr], needle: &str| {
        let got = flopledger()
            .args(["fleet", "slurm", "--out"])
            .arg(out)
            .args(args)
            .arg("--results")
            .arg(&results)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&got.stderr);
        assert_eq!(got.status.code(), Some(2), "{err}");
        assert!(err.contains(needle), "{needle}: {err}");
        assert!(!results.exists(), "nothing created");
    };
    let refused = |out: &Path, db: &Path, needle: &str| {
        let args = ["--submit", "--wait", "--db"].map(std::ffi::OsStr::new);
        refused_with(out, &[args[0], args[1], args[2], db.as_os_str()], needle);
    };
    // A ledger that does not exist yet, and one that does.
    let db = dir.path().join("l.sqlite");
    refused(&db, &db, "is the ledger that --wait ingests");
    assert!(!db.exists());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("CREATE TABLE t(x);").unwrap();
    drop(conn);
    let before = std::fs::read(&db).unwrap();
    refused(&db, &db, "is the ledger that --wait ingests");
    assert_eq!(std::fs::read(&db).unwrap(), before);
    let report = dir.path().join("base.json");
    let r = flopledger::report::fixture::sample_report();
    std::fs::write(&report, serde_json::to_vec_pretty(&r).unwrap()).unwrap();
    refused(&report, &dir.path().join("other.sqlite"), "holds a report");
    // Nor the --suite file it names, nor the binary the job runs (both had been replaced by the
    // script with exit 0: a helper's sweep of 7 December 2026).
    let suite = dir.path().join("s.toml");
    std::fs::write(
        &suite,
        "[[case]]\nkind = \"stream-copy\"\nelements = 1024\n",
    )
    .unwrap();
    let binary = dir.path().join("fl");
    std::fs::write(&binary, "not really a binary").unwrap();
    for (args, kept, needle) in [
        (
            ["--suite", suite.to_str().unwrap()],
            &suite,
            "names the --suite file",
        ),
        (
            ["--flopledger", binary.to_str().unwrap()],
            &binary,
            "names the flopledger binary the job runs",
        ),
    ] {
        let before = std::fs::read(kept).unwrap();
        refused_with(kept, &args.map(std::ffi::OsStr::new), needle);
        assert_eq!(std::fs::read(kept).unwrap(), before, "{needle}");
    }
    // Nor a script of the user's own (replaced with exit 0: a helper's sweep of 8 December
    // 2026); one flopledger wrote is replaced.
    let own = dir.path().join("train.sbatch");
    std::fs::write(&own, "#!/bin/bash\nsrun train.py\n").unwrap();
    refused_with(&own, &[], "was not written by flopledger");
    assert_eq!(
        std::fs::read_to_string(&own).unwrap(),
        "#!/bin/bash\nsrun train.py\n"
    );
    let ours = dir.path().join("ours.sbatch");
    for _ in 0..2 {
        let got = flopledger()
            .current_dir(dir.path())
            .args(["fleet", "slurm", "--out"])
            .arg(&ours)
            .arg("--results")
            .arg(dir.path().join("ours-results"))
            .output()
            .unwrap();
        assert_eq!(got.status.code(), Some(0), "{got:?}");
    }
    // A relative --suite file that is not here names nothing the tasks can read (every task
    // had failed on it, with exit 0 here).
    refused_with(
        &dir.path().join("job.sbatch"),
        &["--suite", "no-such-suite.toml"].map(std::ffi::OsStr::new),
        "--suite no-such-suite.toml: no such file here",
    );
}

/// On a cluster without GPU gres (this one), sbatch's refusal of `--gres` comes back with the
/// flag that fixes it.
#[test]
fn a_cluster_without_gpu_gres_is_told_about_no_gres() {
    if let Err(why) = slurm_up() {
        println!("skipped: no Slurm cluster here: {why}; run ci/slurm-up.sh as root to start one");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let out = flopledger()
        .args(["fleet", "slurm", "--submit", "--out"])
        .arg(dir.path().join("f.sbatch"))
        .arg("--results")
        .arg(dir.path().join("results"))
        .output()
        .expect("flopledger runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("gres") && err.contains("add --no-gres"),
        "{err}"
    );
}
