//! The ledger: idempotent ingest, partial → complete reports of one run, bad files skipped,
//! many writers at once, an interrupted batch leaving the ledger as it was, filters.

use flopledger::fleet::{db, ingest, query};
use flopledger::report::fixture::sample_report;
use flopledger::report::Report;
use std::path::{Path, PathBuf};

/// A report of task `task` of job `job` on GPU `uuid`, `gemm` time scaled by `slow`.
fn report(job: &str, task: u32, uuid: &str, slow: f64) -> Report {
    let mut r = sample_report();
    let s = r.identity.scheduler.as_mut().unwrap();
    s.job_id = Some(job.into());
    s.task_id = Some(task.to_string());
    s.node_name = Some(format!("node{}", task / 4));
    r.identity.gpu.uuid = Some(uuid.into());
    r.started_at = format!("2026-12-01T01:{:02}:00Z", task);
    r.finished_at = Some(format!("2026-12-01T01:{:02}:30Z", task));
    for c in &mut r.cases {
        flopledger::report::fixture::scale_speed(c, 1.0 / slow);
    }
    r
}

fn write(dir: &Path, name: &str, r: &Report) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_vec_pretty(r).unwrap()).unwrap();
    p
}

fn count(conn: &rusqlite::Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM reports", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn ingest_is_idempotent_and_skips_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    let res = dir.path().join("results");
    std::fs::create_dir_all(res.join("task-1")).unwrap();
    write(&res, "a.json", &report("7", 0, "GPU-a", 1.0));
    write(&res.join("task-1"), "b.json", &report("7", 1, "GPU-b", 1.0));
    std::fs::write(
        res.join("malformed.json"),
        "{\"schema_version\": 2, \"tool\"",
    )
    .unwrap();
    std::fs::write(res.join("foreign.json"), "{\"name\": \"other\"}").unwrap();
    let mut future = serde_json::to_value(sample_report()).unwrap();
    future["schema_version"] = 99.into();
    std::fs::write(res.join("future.json"), future.to_string()).unwrap();
    std::fs::write(res.join(".partial.json.tmp"), "half").unwrap();
    // A report a Windows editor saved with a byte-order mark is a report.
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend(serde_json::to_vec(&report("7", 2, "GPU-c", 1.0)).unwrap());
    std::fs::write(res.join("bom.json"), bom).unwrap();

    let mut conn = db::open(&dir.path().join("l.sqlite")).unwrap();
    let files = ingest::report_files(std::slice::from_ref(&res)).unwrap();
    assert_eq!(
        files.len(),
        6,
        "hidden temp files are not reports: {files:?}"
    );
    let s = ingest::ingest(&mut conn, &files).unwrap();
    assert_eq!((s.added, s.unchanged, s.skipped.len()), (3, 0, 3), "{s:?}");
    let why: Vec<&str> = s.skipped.iter().map(|(_, w)| w.as_str()).collect();
    assert!(why.iter().any(|w| w.contains("not valid JSON")), "{why:?}");
    assert!(
        why.iter().any(|w| w.contains("not a flopledger report")),
        "{why:?}"
    );
    assert!(
        why.iter().any(|w| w.contains("schema version 99")),
        "{why:?}"
    );
    let again = ingest::ingest(&mut conn, &files).unwrap();
    assert_eq!((again.added, again.unchanged, again.moved), (0, 3, 0));
    assert_eq!(count(&conn), 3);
    // A report moved since is listed where it is now; one still at its first path keeps it.
    let moved = dir.path().join("archive.json");
    std::fs::rename(res.join("a.json"), &moved).unwrap();
    let copy = dir.path().join("copy.json");
    std::fs::copy(res.join("task-1").join("b.json"), &copy).unwrap();
    let s = ingest::ingest(&mut conn, &[moved.clone(), copy]).unwrap();
    assert_eq!((s.added, s.unchanged, s.moved), (0, 2, 1), "{s:?}");
    let paths: Vec<String> = conn
        .prepare("SELECT path FROM reports ORDER BY path")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let archived = std::fs::canonicalize(&moved).unwrap().display().to_string();
    assert!(paths.contains(&archived), "{paths:?}");
    assert!(
        paths.iter().any(|p| p.ends_with("task-1/b.json")),
        "{paths:?}"
    );
    assert!(!paths.iter().any(|p| p.ends_with("copy.json")), "{paths:?}");
}

/// SQLite's refusals are explained with the ledger and the fix: a lock held past the busy
/// timeout, a damaged file, no permission to write the ledger or its journal; not blamed on
/// the report being added.
#[test]
fn ledger_failures_name_the_ledger_and_the_fix() {
    let path = Path::new("shared/ledger.sqlite");
    let failure = |code: i32| {
        let e = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None);
        let wrapped = anyhow::Error::new(e).context("ledger write failed at a.json");
        let explained = db::explain_damage(path, wrapped);
        (
            format!("{explained:#}"),
            flopledger::error::exit_code(&explained),
        )
    };
    let (busy, code) = failure(rusqlite::ffi::SQLITE_BUSY);
    assert!(busy.contains("stayed locked by another process"), "{busy}");
    assert!(busy.contains("run this again"), "{busy}");
    assert_eq!(code, 3, "a busy file is an I/O failure, not a usage error");
    let (corrupt, _) = failure(rusqlite::ffi::SQLITE_CORRUPT);
    assert!(corrupt.contains("Move it aside and rebuild"), "{corrupt}");
    let (read_only, code) = failure(rusqlite::ffi::SQLITE_READONLY);
    assert!(
        read_only.contains("shared/ledger.sqlite-wal") && read_only.contains("writable"),
        "{read_only}"
    );
    assert_eq!(code, 3);
    for explained in [busy, corrupt, read_only] {
        assert!(!explained.contains("a.json"), "{explained}");
    }
}

/// A link back up the tree, a second link to a folder and a file given twice: each report is
/// listed once (the loop had listed the same report at every level: "1 added, 40 already
/// there").
#[cfg(unix)]
#[test]
fn each_report_is_listed_once_however_it_is_reached() {
    let dir = tempfile::tempdir().unwrap();
    let res = dir.path().join("results");
    std::fs::create_dir_all(res.join("task-1")).unwrap();
    let a = write(&res, "a.json", &report("7", 0, "GPU-a", 1.0));
    write(&res.join("task-1"), "b.json", &report("7", 1, "GPU-b", 1.0));
    std::os::unix::fs::symlink(&res, res.join("task-1").join("loop")).unwrap();
    std::os::unix::fs::symlink(res.join("task-1"), res.join("again")).unwrap();
    let files = ingest::report_files(&[res.clone(), a.clone(), res.join("again")]).unwrap();
    assert_eq!(files.len(), 2, "{files:?}");
    let mut conn = db::open(&dir.path().join("l.sqlite")).unwrap();
    let s = ingest::ingest(&mut conn, &files).unwrap();
    assert_eq!((s.added, s.unchanged, s.skipped.len()), (2, 0, 0), "{s:?}");
}

#[test]
fn a_runs_complete_report_replaces_its_partial_one_never_the_reverse() {
    let dir = tempfile::tempdir().unwrap();
    let full = report("8", 0, "GPU-a", 1.0);
    let mut partial = full.clone();
    partial.status.complete = false;
    partial.cases.truncate(1);
    // Stopped after its first case: no ceiling or preset of the cases it never measured.
    partial.roofline = None;
    partial.presets.clear();
    let kept = &partial.cases;
    partial
        .status
        .invalid_cases
        .retain(|id| kept.iter().any(|c| c.id == *id));
    let p = write(dir.path(), "partial.json", &partial);
    let f = write(dir.path(), "full.json", &full);
    let mut conn = db::open(&dir.path().join("l.sqlite")).unwrap();
    assert_eq!(
        ingest::ingest(&mut conn, std::slice::from_ref(&p))
            .unwrap()
            .added,
        1
    );
    assert_eq!(ingest::ingest(&mut conn, &[f]).unwrap().updated, 1);
    assert_eq!(ingest::ingest(&mut conn, &[p]).unwrap().unchanged, 1);
    let rows = query::list(&conn, &query::Filter::default()).unwrap();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].complete);
    assert_eq!(rows[0].cases as usize, full.cases.len());
}

#[test]
fn many_writers_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("l.sqlite");
    let writers = 6;
    let per = 5;
    std::thread::scope(|s| {
        for w in 0..writers {
            let dir = dir.path();
            let db_path = &db_path;
            s.spawn(move || {
                let files: Vec<PathBuf> = (0..per)
                    .map(|i| {
                        let t = w * per + i;
                        write(
                            dir,
                            &format!("r{t}.json"),
                            &report("9", t, &format!("GPU-{t}"), 1.0),
                        )
                    })
                    .collect();
                let mut conn = db::open(db_path).unwrap();
                let s = ingest::ingest(&mut conn, &files).unwrap();
                assert_eq!(s.added, per as usize);
            });
        }
    });
    let conn = db::open(&db_path).unwrap();
    assert_eq!(count(&conn), i64::from(writers * per));
}

#[test]
fn a_failing_batch_leaves_the_ledger_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("l.sqlite");
    let first = write(dir.path(), "first.json", &report("10", 0, "GPU-0", 1.0));
    let mut conn = db::open(&db_path).unwrap();
    ingest::ingest(&mut conn, &[first]).unwrap();
    // The third insert of the next batch fails, as a full disk would make it.
    conn.execute_batch(
        "CREATE TEMP TRIGGER boom BEFORE INSERT ON reports
         WHEN (SELECT count(*) FROM reports) >= 3
         BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END;",
    )
    .unwrap();
    let batch: Vec<PathBuf> = (1..5)
        .map(|t| {
            write(
                dir.path(),
                &format!("b{t}.json"),
                &report("10", t, &format!("GPU-{t}"), 1.0),
            )
        })
        .collect();
    let err = format!("{:#}", ingest::ingest(&mut conn, &batch).unwrap_err());
    assert!(err.contains("nothing of this batch was kept"), "{err}");
    assert_eq!(
        count(&conn),
        1,
        "the batch's first two reports were rolled back"
    );
}

#[test]
fn list_filters_by_job_node_gpu_chip_case_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = (0..6)
        .map(|t| {
            let job = if t < 4 { "11" } else { "12" };
            write(
                dir.path(),
                &format!("r{t}.json"),
                &report(job, t, &format!("GPU-{t}"), 1.0),
            )
        })
        .collect();
    let mut conn = db::open(&dir.path().join("l.sqlite")).unwrap();
    ingest::ingest(&mut conn, &files).unwrap();
    let n = |f: query::Filter| query::list(&conn, &f).unwrap().len();
    let case = sample_report().cases[0].id.clone();
    assert_eq!(
        n(query::Filter {
            job: Some("11".into()),
            ..Default::default()
        }),
        4
    );
    assert_eq!(
        n(query::Filter {
            node: Some("node1".into()),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        n(query::Filter {
            gpu: Some("GPU-3".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        n(query::Filter {
            chip: Some("h200".into()),
            ..Default::default()
        }),
        6
    );
    // `%` and `_` are characters of the name, not wildcards.
    for wild in ["%", "_", "h2_0"] {
        assert_eq!(
            n(query::Filter {
                chip: Some(wild.into()),
                ..Default::default()
            }),
            0,
            "{wild}"
        );
    }
    assert_eq!(
        n(query::Filter {
            case: Some(case),
            ..Default::default()
        }),
        6
    );
    assert_eq!(
        n(query::Filter {
            case: Some("no-such-case".into()),
            ..Default::default()
        }),
        0
    );
    assert_eq!(
        n(query::Filter {
            since: Some("2026-12-01T01:04".into()),
            ..Default::default()
        }),
        2
    );
}

/// `--since` compares instants: a report that gives its start with an offset is placed in UTC
/// (16:50:51+05:00 is 11:50:51 UTC), not compared as text.
#[test]
fn since_compares_instants_whatever_the_offset() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = report("11", 0, "GPU-tz", 1.0);
    r.started_at = "2026-11-30T16:50:51+05:00".into();
    r.finished_at = Some("2026-11-30T16:51:30+05:00".into());
    let file = write(dir.path(), "tz.json", &r);
    let mut conn = db::open(&dir.path().join("l.sqlite")).unwrap();
    ingest::ingest(&mut conn, &[file]).unwrap();
    let n = |since: &str| {
        query::list(
            &conn,
            &query::Filter {
                since: Some(since.into()),
                ..Default::default()
            },
        )
        .unwrap()
        .len()
    };
    assert_eq!(n("2026-11-30T11:50:00"), 1);
    assert_eq!(n("2026-11-30T16:50:50"), 0);
}

/// A GPU's latest result is that of its latest start as an instant: a run started at
/// 01:00+14:00 (11:00 UTC the day before) is older than one started at 12:00Z that day, though
/// its text sorts after it (it was taken as the latest: a helper's sweep of 7 December 2026).
/// `ledger list` orders them so too.
#[test]
fn the_latest_result_is_the_latest_instant_whatever_the_offset() {
    let dir = tempfile::tempdir().unwrap();
    let mut early = report("31", 0, "GPU-tz", 2.0);
    early.started_at = "2026-12-01T01:00:00+14:00".into();
    early.finished_at = Some("2026-12-01T01:00:30+14:00".into());
    let mut later = report("32", 0, "GPU-tz", 1.0);
    later.started_at = "2026-11-30T12:00:00Z".into();
    later.finished_at = Some("2026-11-30T12:00:30Z".into());
    let files = vec![
        write(dir.path(), "early.json", &early),
        write(dir.path(), "later.json", &later),
    ];
    let mut conn = db::open(&dir.path().join("l.sqlite")).unwrap();
    ingest::ingest(&mut conn, &files).unwrap();
    let first = &sample_report().cases[0];
    let latest = query::latest_results(&conn, &query::Filter::default()).unwrap();
    let row = latest.iter().find(|r| r.case_id == first.id).unwrap();
    assert_eq!(row.job_id.as_deref(), Some("32"));
    let listed = query::list(&conn, &query::Filter::default()).unwrap();
    assert_eq!(listed[0].started_at, "2026-11-30T12:00:00Z", "newest first");
}

#[test]
fn latest_results_keep_each_gpus_newest_result_per_case() {
    let dir = tempfile::tempdir().unwrap();
    let files = vec![
        write(dir.path(), "old.json", &report("21", 0, "GPU-a", 1.0)),
        write(dir.path(), "b.json", &report("21", 1, "GPU-b", 1.0)),
        // The same GPU measured again, later (task 5 starts 5 minutes later), twice as slow.
        write(dir.path(), "new.json", &report("22", 5, "GPU-a", 2.0)),
    ];
    let mut conn = db::open(&dir.path().join("l.sqlite")).unwrap();
    ingest::ingest(&mut conn, &files).unwrap();
    let cases = sample_report().cases.len();
    let all = query::latest_results(&conn, &query::Filter::default()).unwrap();
    assert_eq!(all.len(), 2 * cases, "one row per (case, GPU)");
    let mut keys: Vec<_> = all
        .iter()
        .map(|r| (r.chip.clone(), r.case_id.clone(), r.gpu_key.clone()))
        .collect();
    let sorted = keys.clone();
    keys.sort();
    assert_eq!(keys, sorted, "sorted by chip, case and GPU");
    let first = &sample_report().cases[0];
    let a = |rows: &[query::GpuResult]| {
        rows.iter()
            .find(|r| r.gpu_key == "GPU-a" && r.case_id == first.id)
            .map(|r| (r.job_id.clone(), r.flop_per_s))
    };
    assert_eq!(
        a(&all),
        Some((Some("22".into()), first.throughput.flop_per_s / 2.0))
    );
    let job21 = query::latest_results(
        &conn,
        &query::Filter {
            job: Some("21".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        a(&job21),
        Some((Some("21".into()), first.throughput.flop_per_s))
    );
}

/// `ledger list` for scripts: JSON and CSV hold every report with its whole path (the table
/// wraps long paths), newest first.
#[test]
fn ledger_list_prints_json_and_csv_with_whole_paths() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir
        .path()
        .join("a-results-folder-with-a-long-name/job-7/task-1");
    std::fs::create_dir_all(&deep).unwrap();
    let a = write(
        &deep,
        "flopledger-first-report.json",
        &report("7", 0, "GPU-a", 1.0),
    );
    let b = write(
        &deep,
        "flopledger-second-report.json",
        &report("7", 1, "GPU-b", 1.0),
    );
    let db = dir.path().join("l.sqlite");
    let bin = || assert_cmd::Command::cargo_bin("flopledger").unwrap();
    bin()
        .args(["ledger", "add"])
        .arg(&deep)
        .arg("--db")
        .arg(&db)
        .assert()
        .success();
    let out = bin()
        .args(["ledger", "list", "--json", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap().display().to_string();
    assert_eq!(paths, [canon(&b), canon(&a)], "newest first");
    assert_eq!(v[0]["task_id"], "1");
    assert_eq!(v[0]["complete"], true);
    let csv = bin()
        .args(["ledger", "list", "--format", "csv", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let text = String::from_utf8(csv.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("started_at,node,gpu_key,chip,job_id,task_id,complete,cases,path")
    );
    assert!(lines.next().unwrap().ends_with(&canon(&b)), "{text}");
}

/// A pipe or a device given to `ledger add` is refused at once, before the ledger is touched:
/// reading a FIFO with no writer waited for ever, and `/dev/fd/N` names nothing afterwards.
#[test]
fn a_pipe_or_device_is_not_a_report_file() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("r.json");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let db = dir.path().join("l.sqlite");
    for input in [fifo.as_path(), Path::new("/dev/null")] {
        let out = assert_cmd::Command::cargo_bin("flopledger")
            .unwrap()
            .args(["ledger", "add"])
            .arg(input)
            .arg("--db")
            .arg(&db)
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{}: {err}", input.display());
        assert!(err.contains("is not a regular file"), "{err}");
    }
    assert!(!db.exists(), "nothing was written");
}

/// Text, times and counts flopledger never writes into a report's row (another program's edit)
/// are refused when the ledger is listed or analysed, with the fix: an escape sequence in `node`
/// would otherwise reach the terminal.
#[test]
fn a_row_edited_by_another_program_is_refused_when_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "r.json", &report("7", 0, "GPU-a", 1.0));
    let path = dir.path().join("l.sqlite");
    let mut conn = db::open(&path).unwrap();
    ingest::ingest(&mut conn, &[file]).unwrap();
    assert_eq!(
        query::list(&conn, &query::Filter::default()).unwrap().len(),
        1
    );
    for edit in [
        "UPDATE reports SET node = char(27) || ']0;title' || char(7)",
        "UPDATE reports SET chip = 'H100' || char(10) || 'x'",
        "UPDATE reports SET started_at = 'garbage'",
        "UPDATE reports SET cases_measured = -5",
    ] {
        conn.execute_batch("SAVEPOINT e").unwrap();
        conn.execute_batch(edit).unwrap();
        let e = query::list(&conn, &query::Filter::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("never writes") && e.contains("ledger add"),
            "{edit}: {e}"
        );
        let e = flopledger::fleet::stream::Selection::read(&conn, &query::Filter::default())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("never writes"), "{edit}: {e}");
        conn.execute_batch("ROLLBACK TO e; RELEASE e").unwrap();
    }
}

/// A report's path is the file system's, not the report's: a folder with a tab in its name is
/// added and listed (the row checks read only what the report itself holds).
#[test]
fn a_report_in_a_folder_with_a_tab_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("tab\there");
    std::fs::create_dir_all(&odd).unwrap();
    let file = write(&odd, "r.json", &report("7", 0, "GPU-a", 1.0));
    let mut conn = db::open(&dir.path().join("l.sqlite")).unwrap();
    ingest::ingest(&mut conn, &[file]).unwrap();
    let rows = query::list(&conn, &query::Filter::default()).unwrap();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].path.contains("tab\there"));
    assert!(flopledger::fleet::stream::Selection::read(&conn, &query::Filter::default()).is_ok());
}
