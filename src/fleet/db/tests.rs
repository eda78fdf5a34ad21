//! Tests of the ledger file: creation, migration, read-only opening, locks and damage.

use super::*;

#[test]
fn new_ledger_gets_the_current_schema_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sub/ledger.sqlite");
    drop(open(&p).unwrap());
    let conn = open(&p).unwrap();
    assert_eq!(version(&conn, &p).unwrap(), LEDGER_SCHEMA_VERSION);
}

#[test]
fn reading_a_missing_ledger_names_the_fix_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("typo.sqlite");
    let e = format!("{:#}", open_existing(&p).unwrap_err());
    assert!(
        e.contains("no ledger at") && e.contains("ledger add"),
        "{e}"
    );
    assert!(!p.exists());
    // An empty file is refused and left empty (SQLite would make it a ledger).
    std::fs::write(&p, b"").unwrap();
    let e = format!("{:#}", open_existing(&p).unwrap_err());
    assert!(e.contains("is empty, not a ledger"), "{e}");
    assert_eq!(std::fs::metadata(&p).unwrap().len(), 0);
    // So is an SQLite file without a table, left as it was (a reader had made it a ledger).
    std::fs::remove_file(&p).unwrap();
    let c = Connection::open(&p).unwrap();
    c.pragma_update(None, "user_version", 7).unwrap();
    drop(c);
    let before = std::fs::read(&p).unwrap();
    let e = format!("{:#}", open_existing(&p).unwrap_err());
    assert!(e.contains("with no tables, not a ledger"), "{e}");
    assert_eq!(std::fs::read(&p).unwrap(), before);
    std::fs::remove_file(&p).unwrap();
    drop(open(&p).unwrap());
    assert!(open_existing(&p).is_ok());
}

/// A ledger another process holds locked past the wait is an error with the fix and exit
/// 3, not read as immutable half-way through that process's write.
#[test]
fn a_locked_ledger_is_not_read_behind_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("ledger.sqlite");
    drop(open(&p).unwrap());
    let holder = Connection::open(&p).unwrap();
    holder
        .execute_batch(
            "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; \
             DELETE FROM ledger_schema;",
        )
        .unwrap();
    let e = open_read_only_within(&p, Duration::from_millis(200)).unwrap_err();
    let text = format!("{e:#}");
    assert!(text.contains("stayed locked by another process"), "{text}");
    assert!(text.contains("run this again"), "{text}");
    assert_eq!(crate::error::exit_code(&e), 3, "{text}");
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    let conn = open_read_only_within(&p, Duration::from_millis(200))
        .unwrap()
        .expect("current schema once the lock is gone");
    assert_eq!(version(&conn, &p).unwrap(), LEDGER_SCHEMA_VERSION);
}

/// The commands that only read a ledger open it read-only: they work on a ledger they
/// cannot write, never change it, and still migrate an older schema (with write access).
#[test]
fn reading_opens_read_only_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("odd?name#1%.sqlite");
    drop(open(&p).unwrap());
    let before = std::fs::read(&p).unwrap();
    let conn = open_read_only(&p).unwrap().expect("current schema");
    assert_eq!(version(&conn, &p).unwrap(), LEDGER_SCHEMA_VERSION);
    let e = conn
        .execute("DELETE FROM ledger_schema", [])
        .unwrap_err()
        .to_string();
    assert!(e.contains("readonly"), "{e}");
    drop(conn);
    assert_eq!(std::fs::read(&p).unwrap(), before);
    // A WAL-mode file whose log cannot be opened beside it (as in a folder this user cannot
    // write; here its name is taken by a folder, which `mode=ro` fails on) is read as
    // immutable.
    for side in ["-shm", "-wal"] {
        let _ = std::fs::remove_file(dir.path().join(format!("odd?name#1%.sqlite{side}")));
    }
    let wal = dir.path().join("odd?name#1%.sqlite-wal");
    std::fs::create_dir(&wal).unwrap();
    let ro = format!("file:{}?mode=ro", uri_path(&p));
    assert!(
        Connection::open_with_flags(
            &ro,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI
        )
        .and_then(
            |c| c.query_row("SELECT count(*) FROM sqlite_master", [], |r| r
                .get::<_, i64>(0))
        )
        .is_err(),
        "mode=ro should fail here, or this test does not reach the immutable path"
    );
    let conn = open_read_only(&p).unwrap().expect("read as immutable");
    assert_eq!(version(&conn, &p).unwrap(), LEDGER_SCHEMA_VERSION);
    drop(conn);
    std::fs::remove_dir(&wal).unwrap();
    // An older schema: not opened read-only; open_existing migrates it.
    let old = dir.path().join("old.sqlite");
    let c = Connection::open(&old).unwrap();
    c.execute_batch(MIGRATIONS[0]).unwrap();
    c.execute(
        "INSERT INTO ledger_schema (version, applied_at) VALUES (1, 'then')",
        [],
    )
    .unwrap();
    drop(c);
    assert!(open_read_only(&old).unwrap().is_none());
    let conn = open_existing(&old).unwrap();
    assert_eq!(version(&conn, &old).unwrap(), LEDGER_SCHEMA_VERSION);
}

#[test]
fn a_damaged_index_is_refused_before_a_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.sqlite");
    let page = {
        let conn = open(&path).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
        let size: i64 = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        let root: i64 = conn
            .query_row(
                "SELECT rootpage FROM sqlite_master WHERE type = 'index' ORDER BY rootpage LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        ((root - 1) * size) as u64
    };
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        f.seek(SeekFrom::Start(page)).unwrap();
        f.write_all(&[0xff; 64]).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let e = format!("{:#}", open(&path).unwrap_err());
    assert!(e.contains("quick_check finds it damaged"), "{e}");
    assert!(e.contains("Move it aside"), "{e}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "nothing was written");
    // A reader opens it, after a warning, and finds the damage too.
    let conn = open_existing(&path).unwrap();
    assert!(damage(&conn, &path).unwrap().is_some());
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "a reader writes nothing"
    );
}

#[test]
fn corrupt_and_newer_ledgers_are_refused_with_the_fix_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    // A folder is not a damaged ledger to move aside: the message asks for a file.
    let e = format!("{:#}", open(dir.path()).unwrap_err());
    assert!(
        e.contains("is a folder") && e.contains("ledger.sqlite"),
        "{e}"
    );
    // Nor for the commands that only read it (SQLite said "disk I/O error"), nor a device.
    let e = format!("{:#}", open_existing(dir.path()).unwrap_err());
    assert!(e.contains("is a folder"), "{e}");
    #[cfg(unix)]
    for p in [
        open(Path::new("/dev/null")),
        open_existing(Path::new("/dev/null")),
    ] {
        let e = format!("{:#}", p.unwrap_err());
        assert!(e.contains("is not a regular file"), "{e}");
    }
    let junk = dir.path().join("junk.sqlite");
    std::fs::write(&junk, vec![7u8; 4096]).unwrap();
    let e = format!("{:#}", open(&junk).unwrap_err());
    assert!(
        e.contains("not a usable flopledger ledger") && e.contains("ledger add"),
        "{e}"
    );
    assert_eq!(std::fs::read(&junk).unwrap(), vec![7u8; 4096]);

    let newer = dir.path().join("newer.sqlite");
    let conn = open(&newer).unwrap();
    conn.execute(
        "INSERT INTO ledger_schema (version, applied_at) VALUES (?1, 'later')",
        [LEDGER_SCHEMA_VERSION + 1],
    )
    .unwrap();
    drop(conn);
    let e = format!("{:#}", open(&newer).unwrap_err());
    assert!(e.contains("knows versions up to"), "{e}");
    // A current ledger that lost a table names it instead of failing on the first query.
    let lost = dir.path().join("lost.sqlite");
    let conn = open(&lost).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = OFF; DROP TABLE cases;")
        .unwrap();
    drop(conn);
    let e = format!("{:#}", open(&lost).unwrap_err());
    assert!(e.contains("its table `cases` is missing"), "{e}");

    // Another program's database (rollback journal) is refused without a byte changed: it
    // used to be switched to WAL first.
    let foreign = dir.path().join("foreign.sqlite");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE x (a); INSERT INTO x VALUES (1);")
        .unwrap();
    let before = std::fs::read(&foreign).unwrap();
    let e = format!("{:#}", open(&foreign).unwrap_err());
    assert!(e.contains("not a flopledger ledger"), "{e}");
    // Someone else's database is not a damaged ledger to move aside and rebuild.
    assert!(!e.contains("Move it aside"), "{e}");
    assert_eq!(std::fs::read(&foreign).unwrap(), before);
    assert!(!dir.path().join("foreign.sqlite-wal").exists());
    // Nor is a run's report named as the ledger.
    let report = dir.path().join("r.json");
    let r = crate::report::fixture::sample_report();
    std::fs::write(&report, serde_json::to_vec(&r).unwrap()).unwrap();
    for e in [open(&report), open_existing(&report)] {
        let e = format!("{:#}", e.unwrap_err());
        assert!(
            e.contains("is a report of `flopledger run`, not a ledger") && !e.contains("Move it"),
            "{e}"
        );
    }
}

/// A ledger whose `ledger_schema` table was emptied is refused in a line, by readers and
/// writers alike, and left as it was.
#[test]
fn a_ledger_whose_schema_record_was_emptied_is_refused_in_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("emptied.sqlite");
    open(&path)
        .unwrap()
        .execute("DELETE FROM ledger_schema", [])
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    for e in [open(&path).unwrap_err(), open_existing(&path).unwrap_err()] {
        let e = format!("{e:#}");
        assert!(
            e.contains("records no version") && e.contains("ledger add") && e.lines().count() == 1,
            "{e}"
        );
        assert!(!e.contains("CREATE TABLE"), "{e}");
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_version_1_ledger_is_migrated_with_its_rows_and_gets_the_case_index() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("v1.sqlite");
    {
        // A ledger as version 1 wrote it, with one report and one case.
        let conn = Connection::open(&p).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.execute_batch(
            "INSERT INTO ledger_schema VALUES (1, 'then');
             INSERT INTO reports (id, content_sha256, run_key, path, ingested_at,
                report_schema_version, tool_version, started_at, complete, cases_measured,
                node, adapter_name, adapter_index, backend, gpu_key, chip)
             VALUES (1, 'sha', 'run', '/r.json', 'then', 2, '0.1', '2026-12-01T00:00:00Z', 1,
                1, 'n0', 'llvmpipe', 0, 'vulkan', 'n0/adapter0', 'llvmpipe');
             INSERT INTO cases VALUES (1, 'gemm-f32', 'gemm', 'f32', 1, 5.0, 4.0, 1e9, 1e8,
                NULL, NULL);",
        )
        .unwrap();
    }
    let conn = open(&p).unwrap();
    assert_eq!(version(&conn, &p).unwrap(), 2);
    let flop: f64 = conn
        .query_row(
            "SELECT flop_per_s FROM cases WHERE case_id = 'gemm-f32'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(flop, 1e9);
    let indexes: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(
        indexes.contains(&"cases_by_case".to_string()),
        "{indexes:?}"
    );
    assert!(!indexes.contains(&"cases_case".to_string()), "{indexes:?}");
    drop(conn);
    // Reopening applies nothing more.
    let conn = open(&p).unwrap();
    let applied: i64 = conn
        .query_row("SELECT count(*) FROM ledger_schema", [], |r| r.get(0))
        .unwrap();
    assert_eq!(applied, 2);
}

/// A full or failing device is an I/O failure (exit 3) that says so and that the ledger is as it
/// was, not a damaged ledger to move aside (exit 2), nor SQLite's raw words (exit 1).
#[test]
fn a_full_disk_is_an_io_failure_not_a_damaged_ledger() {
    let path = Path::new("some/folder/ledger.sqlite");
    for code in [rusqlite::ffi::SQLITE_FULL, rusqlite::ffi::SQLITE_IOERR] {
        let e = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None);
        let explained = sqlite_failure(path, &e).expect("explained");
        assert_eq!(crate::error::exit_code(&explained), crate::error::EXIT_IO);
        let text = format!("{explained:#}");
        assert!(
            text.contains("some/folder is full or failing") && text.contains("ledger is as it was"),
            "{text}"
        );
        assert!(!text.contains("Move it aside"), "{text}");
    }
}

/// A ledger this command created is removed on failure only while it holds no report: another
/// process may have filled it meanwhile, and its reports are kept.
#[test]
fn a_created_ledger_is_removed_only_while_it_holds_no_report() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.sqlite");
    drop(open(&empty).unwrap());
    remove_unless_filled(&empty);
    assert!(!empty.exists());
    let filled = dir.path().join("filled.sqlite");
    let report = dir.path().join("r.json");
    let r = crate::report::fixture::sample_report();
    std::fs::write(&report, serde_json::to_vec(&r).unwrap()).unwrap();
    let mut conn = open(&filled).unwrap();
    crate::fleet::ingest::ingest(&mut conn, &[report]).unwrap();
    drop(conn);
    remove_unless_filled(&filled);
    assert!(filled.exists());
}
