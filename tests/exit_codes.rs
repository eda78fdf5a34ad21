//! The exit codes of `docs/exit-codes.md`, one test each, on the fake device.

mod common;

use common::{fake_run, flopledger};
use flopledger::error::{EXIT_INVALID_RESULTS, EXIT_IO, EXIT_OK, EXIT_USAGE};

#[test]
fn success_is_0() {
    let dir = tempfile::tempdir().unwrap();
    fake_run(dir.path(), &["--shapes", "8x8x8"])
        .assert()
        .code(EXIT_OK);
}

#[test]
fn a_case_failing_verification_is_1() {
    let dir = tempfile::tempdir().unwrap();
    fake_run(dir.path(), &["--shapes", "8x8x8"])
        .env("FLOPLEDGER_FAKE_FAIL", "gemm-f32-8x8x8")
        .assert()
        .code(EXIT_INVALID_RESULTS);
}

#[test]
fn usage_errors_are_2() {
    let dir = tempfile::tempdir().unwrap();
    flopledger()
        .args(["run", "--no-such-flag"])
        .assert()
        .code(EXIT_USAGE);
    fake_run(dir.path(), &["--shapes", "0x8x8"])
        .assert()
        .code(EXIT_USAGE);
    flopledger()
        .args(["report", "/nonexistent/report.json", "--format", "md"])
        .assert()
        .code(EXIT_USAGE);
    // A --since that is not a time used to select nothing, silently.
    flopledger()
        .args(["ledger", "list", "--since", "yesterday"])
        .assert()
        .code(EXIT_USAGE);
    // Energy settings with --no-energy (fake_run passes it) would change nothing: refused.
    for energy in [
        &["--energy-window", "2s"][..],
        &["--energy-trials", "5"],
        &["--subtract-idle"],
    ] {
        let out = fake_run(dir.path(), energy).output().unwrap();
        assert_eq!(out.status.code(), Some(EXIT_USAGE), "{energy:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--no-energy"));
    }
}

/// A plan of which no case can run on the adapter (a stream too large to address): the report
/// keeps the skipped cases and their reasons, and the status is 2, not success.
#[test]
fn a_run_in_which_every_case_is_skipped_is_2() {
    let dir = tempfile::tempdir().unwrap();
    let suite = dir.path().join("huge.toml");
    std::fs::write(
        &suite,
        "[[case]]\nkind = \"stream-copy\"\nelements = 8589934592\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    // A dry run of that plan says so with the run's status.
    fake_run(&out, &["--suite", suite.to_str().unwrap(), "--dry-run"])
        .assert()
        .code(EXIT_USAGE)
        .stderr(predicates::str::contains(
            "no case would run on this adapter",
        ));
    fake_run(&out, &["--suite", suite.to_str().unwrap()])
        .assert()
        .code(EXIT_USAGE)
        .stderr(predicates::str::contains(
            "no case could run on this adapter",
        ));
    let reports = common::json_reports(&out);
    let r = flopledger::report::io::load(&reports[0]).unwrap();
    assert!(
        r.cases.is_empty() && r.skipped.len() == 1,
        "{:?}",
        r.skipped
    );
    assert!(
        r.skipped[0].reason.contains("binds at most") && r.skipped[0].reason.contains("smaller"),
        "{:?}",
        r.skipped
    );
}

/// A temporary folder holding the sample report as `good.json`, and that file's path.
fn saved_sample() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    flopledger::report::io::save_json(&flopledger::report::fixture::sample_report(), &good)
        .unwrap();
    (dir, good)
}

/// [`saved_sample`] added to a new ledger `name` beside it: the folder, the report, the ledger.
fn sample_in_ledger(name: &str) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let (dir, good) = saved_sample();
    let db = dir.path().join(name);
    flopledger()
        .args(["ledger", "add", "--db"])
        .arg(&db)
        .arg(&good)
        .assert()
        .code(EXIT_OK);
    (dir, good, db)
}

/// `ledger add` of a named file that is not a report: the good report is still added, the
/// status is 2 and the bad file is named; the same file found by scanning a folder is only
/// listed (a folder may hold other files).
#[test]
fn a_named_file_the_ledger_cannot_add_is_2() {
    let (dir, good) = saved_sample();
    let bad = dir.path().join("notes.json");
    std::fs::write(&bad, "{\"schema_version\": 2, \"tool\"").unwrap();
    let db = dir.path().join("ledger.db");
    let add = |inputs: &[&std::path::Path]| {
        let mut cmd = flopledger();
        cmd.args(["ledger", "add", "--db"]).arg(&db).args(inputs);
        cmd.assert()
    };
    add(&[good.as_path(), bad.as_path()])
        .code(EXIT_USAGE)
        .stdout(predicates::str::contains("1 added"))
        .stderr(predicates::str::contains("notes.json could not be added"));
    add(&[dir.path()])
        .code(EXIT_OK)
        .stdout(predicates::str::contains("1 already there"));
}

/// A ledger that another process holds locked is waited for, and the wait is said once it
/// passes two seconds (it had been silent for up to a minute); the report is added once the
/// lock is gone.
#[test]
fn a_wait_for_a_locked_ledger_is_said() {
    let (dir, good, db) = sample_in_ledger("l.sqlite");
    let again = dir.path().join("again.json");
    let mut r: serde_json::Value = serde_json::from_slice(&std::fs::read(&good).unwrap()).unwrap();
    r["started_at"] = "2026-12-02T00:00:00Z".into();
    r["finished_at"] = "2026-12-02T00:01:00Z".into();
    std::fs::write(&again, serde_json::to_vec(&r).unwrap()).unwrap();
    let holder = rusqlite::Connection::open(&db).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let add = std::process::Command::new(env!("CARGO_BIN_EXE_flopledger"))
        .env("XDG_RUNTIME_DIR", std::env::temp_dir())
        .args(["ledger", "add", "--db"])
        .arg(&db)
        .arg(&again)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(4));
    holder.execute_batch("COMMIT").unwrap();
    drop(holder);
    let out = add.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(EXIT_OK), "{stderr}");
    assert!(
        stderr.contains("another process holds its lock"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("holds its lock").count(), 1, "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 added"));
}

/// A report added by a relative path is listed by its absolute one, which resolves from any
/// folder.
#[test]
fn the_ledger_keeps_absolute_report_paths() {
    let (dir, good) = saved_sample();
    flopledger()
        .current_dir(dir.path())
        .args(["ledger", "add", "good.json", "--db", "l.sqlite"])
        .assert()
        .code(EXIT_OK);
    let absolute = std::fs::canonicalize(&good).unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("l.sqlite")).unwrap();
    let stored: String = conn
        .query_row("SELECT path FROM reports", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, absolute.display().to_string());
}

/// A ledger another program edited (a number column holding text): `fleet report` and `fleet
/// prometheus` exit 2 naming the column and how to rebuild the ledger, where
/// the driver's bare "Invalid column type" had exited 1 as an internal failure.
#[test]
fn a_ledger_edited_to_hold_the_wrong_types_is_2_with_the_rebuild() {
    let (_dir, _good, db) = sample_in_ledger("ledger.db");
    // A number column holding text; a negative rate, which the report would grade as a
    // bandwidth under the wrong unit.
    for (value, says) in [
        (
            "'fast'",
            "cannot be read: column flop_per_s holds a Text value",
        ),
        ("-1e9", "the ledger holds flop_per_s -1000000000.0"),
    ] {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute(&format!("UPDATE cases SET flop_per_s = {value}"), [])
            .unwrap();
        drop(conn);
        for args in [&["fleet", "report"][..], &["fleet", "prometheus"]] {
            flopledger()
                .args(args)
                .arg("--db")
                .arg(&db)
                .assert()
                .code(EXIT_USAGE)
                .stdout("")
                .stderr(predicates::str::contains(says))
                .stderr(predicates::str::contains(
                    "flopledger ledger add RESULTS_DIR",
                ));
        }
    }
}

/// `ledger add` of a folder with nothing a ledger can hold (no files, or none a report) exits 2
/// and leaves no ledger behind; the same folder added to an existing ledger leaves it as it was.
#[test]
fn a_folder_with_no_report_to_add_is_2_and_writes_no_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let junk = dir.path().join("junk");
    std::fs::create_dir(&junk).unwrap();
    std::fs::write(junk.join("a.json"), "garbage").unwrap();
    std::fs::write(junk.join("b.json"), "{\"a\": 1}").unwrap();
    // A FIFO named like a report is passed over: reading it blocked `ledger add` for ever.
    let fifo = std::process::Command::new("mkfifo")
        .arg(junk.join("fifo.json"))
        .status()
        .expect("mkfifo runs");
    assert!(fifo.success());
    let db = dir.path().join("ledger.db");
    let add = |input: &std::path::Path| {
        let mut cmd = flopledger();
        cmd.args(["ledger", "add", "--db"]).arg(&db).arg(input);
        cmd.assert()
    };
    add(&empty)
        .code(EXIT_USAGE)
        .stderr(predicates::str::contains("holds no report files (.json)"));
    add(&junk)
        .code(EXIT_USAGE)
        .stderr(predicates::str::contains("no report in"))
        .stderr(predicates::str::contains("nothing was written"));
    assert!(!db.exists(), "an empty ledger was left behind");
}

#[test]
fn an_output_directory_that_cannot_be_created_is_an_io_error_3() {
    let dir = tempfile::tempdir().unwrap();
    // A directory below a regular file cannot be created, whoever runs the test (even root).
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let out = fake_run(&file.join("reports"), &["--shapes", "8x8x8"])
        .assert()
        .code(EXIT_IO)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot create the directory"), "{err}");
    assert!(err.contains("a-file"), "the message names the path: {err}");
    assert_eq!(EXIT_IO, 3);
    assert_ne!(EXIT_IO, EXIT_USAGE);
}

#[test]
fn the_documented_codes_match_the_code() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/exit-codes.md"))
        .unwrap();
    for code in [
        EXIT_OK,
        EXIT_INVALID_RESULTS,
        EXIT_USAGE,
        EXIT_IO,
        flopledger::error::EXIT_INTERRUPTED,
    ] {
        assert!(
            doc.contains(&format!("| {code} |")),
            "docs/exit-codes.md lacks {code}"
        );
    }
}

/// `fleet slurm --submit --wait --db FOLDER` is refused before anything is submitted (the
/// ingest into a folder would fail only after the whole job ran); no script is written.
#[test]
fn a_fleet_ledger_that_is_a_folder_is_refused_before_submitting() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("job.sbatch");
    flopledger()
        .args(["fleet", "slurm", "--submit", "--wait", "--db"])
        .arg(dir.path())
        .arg("--out")
        .arg(&script)
        .assert()
        .code(EXIT_USAGE)
        .stderr(predicates::str::contains(
            "is a folder; pass the ledger file",
        ));
    assert!(!script.exists());
}

/// `fleet slurm --submit --wait --db FILE` where the file is not a ledger is refused before
/// anything is submitted or written (a helper's sweep found it only after the job had run); a
/// new ledger's path is checked without leaving a file behind.
#[test]
fn a_fleet_ledger_that_is_not_a_ledger_is_refused_before_submitting() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("job.sbatch");
    let bad = dir.path().join("bad.sqlite");
    std::fs::write(&bad, "garbage, not SQLite\n").unwrap();
    flopledger()
        .args(["fleet", "slurm", "--submit", "--wait", "--db"])
        .arg(&bad)
        .arg("--results")
        .arg(dir.path().join("results"))
        .arg("--out")
        .arg(&script)
        .assert()
        .code(EXIT_USAGE)
        .stderr(predicates::str::contains("not a usable flopledger ledger"));
    assert!(!script.exists());
    assert_eq!(
        std::fs::read_to_string(&bad).unwrap(),
        "garbage, not SQLite\n"
    );
}

/// `run --from` of a run that measured a suite file measures that file's cases again: where the
/// file is gone or gives other cases, it exits 2 naming them, before measuring (it had measured
/// the edited file and compared nothing, with exit 0).
#[test]
fn run_from_refuses_a_suite_file_that_changed() {
    let dir = tempfile::tempdir().unwrap();
    let suite = dir.path().join("s.toml");
    std::fs::write(
        &suite,
        "[[case]]\nkind = \"gemm\"\nm = 64\nn = 64\nk = 64\n",
    )
    .unwrap();
    let first = dir.path().join("first");
    let quick = ["--min-time", "1ms", "--max-time", "10ms"];
    fake_run(&first, &["--suite", suite.to_str().unwrap()])
        .args(quick)
        .assert()
        .success();
    let report = common::json_reports(&first)[0].clone();
    let again = dir.path().join("again");
    fake_run(&again, &["--from", report.to_str().unwrap()])
        .args(quick)
        .assert()
        .success();
    std::fs::write(
        &suite,
        "[[case]]\nkind = \"gemm\"\nm = 128\nn = 128\nk = 128\n",
    )
    .unwrap();
    let refused = dir.path().join("refused");
    fake_run(&refused, &["--from", report.to_str().unwrap()])
        .assert()
        .code(EXIT_USAGE)
        .stderr(predicates::str::contains(
            "1 of its cases gone: gemm-f32-64x64x64; 1 new: gemm-f32-128x128x128",
        ));
    std::fs::remove_file(&suite).unwrap();
    fake_run(&refused, &["--from", report.to_str().unwrap()])
        .assert()
        .code(EXIT_USAGE)
        .stderr(predicates::str::contains("which is not here"));
    assert!(!refused.exists(), "nothing is measured or written");
}

/// Shapes past what one run takes, and a recorded plan whose shapes an edit emptied, are
/// refused before measuring (the empty one had run nothing with exit 0); so is an `--out` path
/// that is not UTF-8, which the report cannot record (it panicked where the command line was
/// recorded), and an `--out` of white space alone.
#[test]
fn shapes_a_run_cannot_hold_are_refused_and_any_out_path_is_taken() {
    let dir = tempfile::tempdir().unwrap();
    let many: Vec<String> = (1..=2001).map(|m| format!("{m}x8x8")).collect();
    fake_run(&dir.path().join("many"), &["--shapes", &many.join(",")])
        .assert()
        .code(EXIT_USAGE)
        .stderr(predicates::str::contains("split them over several runs"));
    let first = dir.path().join("first");
    let quick = ["--min-time", "1ms", "--max-time", "10ms"];
    fake_run(&first, &["--shapes", "8x8x8"])
        .args(quick)
        .assert()
        .success();
    let report = common::json_reports(&first)[0].clone();
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    v["plan"]["shapes"] = serde_json::json!([]);
    let edited = dir.path().join("edited.json");
    std::fs::write(&edited, v.to_string()).unwrap();
    let refused = dir.path().join("refused");
    fake_run(&refused, &["--from", edited.to_str().unwrap()])
        .assert()
        .code(EXIT_USAGE)
        .stderr(predicates::str::contains("plan.shapes is an empty list"));
    for blank in [" ", "\t"] {
        fake_run(std::path::Path::new(blank), &["--shapes", "8x8x8"])
            .current_dir(dir.path())
            .assert()
            .code(EXIT_USAGE)
            .stderr(predicates::str::contains("names no folder"));
    }
    #[cfg(unix)]
    {
        use predicates::prelude::PredicateBooleanExt;
        use std::os::unix::ffi::OsStrExt;
        let odd = dir.path().join(std::ffi::OsStr::from_bytes(b"out\xff"));
        fake_run(&odd, &["--shapes", "8x8x8"])
            .args(quick)
            .assert()
            .code(EXIT_USAGE)
            .stderr(predicates::str::contains("is not valid UTF-8"))
            .stderr(predicates::str::contains("panicked").not());
        assert!(!odd.exists());
    }
}
