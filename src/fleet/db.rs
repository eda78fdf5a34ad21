//! The ledger's SQLite file: opening it, refusing a corrupt file or a newer schema with the
//! fix, and migrating an older schema forward. WAL journaling and a busy handler let many
//! processes (one per finished Slurm task) write at once: writers queue instead of failing,
//! and a wait past two seconds is said ([`busy`]).

use crate::error::{FlError, IoAction};
use anyhow::Result;
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a writer waits for another writer's transaction before giving up. A batch ingest
/// of 10,000 reports takes seconds; a minute leaves room for many of them queued.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// Migrations in order: `MIGRATIONS[i]` takes the schema from version `i` to `i + 1`. Append
/// only; never edit one that has shipped.
const MIGRATIONS: &[&str] = &[include_str!("schema_v1.sql"), include_str!("schema_v2.sql")];

/// The schema version this build writes.
pub const LEDGER_SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// The default ledger file: `flopledger/ledger.sqlite` in the user's data directory.
pub fn default_path() -> Result<PathBuf> {
    dirs::data_dir()
        .map(|d| d.join("flopledger").join("ledger.sqlite"))
        .ok_or_else(|| {
            FlError::usage("no user data directory is known here (HOME unset?); pass --db PATH")
                .into()
        })
}

fn corrupt(path: &Path, e: impl std::fmt::Display) -> anyhow::Error {
    FlError::usage(format!(
        "{} is not a usable flopledger ledger ({e}); nothing was changed. Move it aside and rebuild \
         the ledger from the report files (`flopledger ledger add RESULTS_DIR --db {}`), or pass \
         another file with --db",
        path.display(),
        path.display()
    ))
    .into()
}

/// A ledger that could not be opened: where the system refused (no permission to create or
/// write the file, a read-only file system) an I/O failure naming the file (exit 3), not a
/// damaged ledger to move aside.
fn open_failure(path: &Path, e: rusqlite::Error) -> anyhow::Error {
    sqlite_failure(path, &e).unwrap_or_else(|| corrupt(path, e))
}

/// The file SQLite keeps beside the ledger at `path`: its journal (`-wal`) or index (`-shm`).
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

/// Removes the ledger at `path` and its journal and index, as far as they exist: for a ledger
/// this command created and then had nothing to keep in.
pub fn remove(path: &Path) {
    for side in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(sidecar(path, side));
    }
}

/// Removes the ledger at `path` ([`remove`]) that this command created, unless it holds a
/// report by now: another `ledger add` may have filled it meanwhile (many tasks add at once),
/// and what cannot be read is kept (an empty file, or one without the reports table, is
/// removed).
pub fn remove_unless_filled(path: &Path) {
    let empty = std::fs::metadata(path).is_ok_and(|m| m.len() == 0)
        || Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .and_then(|c| {
            let tables: i64 = c.query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'reports'",
                [],
                |r| r.get(0),
            )?;
            if tables == 0 {
                return Ok(0);
            }
            c.query_row("SELECT count(*) FROM reports", [], |r| r.get::<_, i64>(0))
        })
        .is_ok_and(|n| n == 0);
    if empty {
        remove(path);
    }
}

/// What SQLite's refusal `e` means for the ledger at `path`, with the fix, where its code says
/// more than the statement that met it: no permission to write the file or its folder, another
/// process holding the file, a damaged file. `None` for other errors.
pub fn sqlite_failure(path: &Path, e: &rusqlite::Error) -> Option<anyhow::Error> {
    let folder = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => dir.display().to_string(),
        None => ".".to_string(),
    };
    match e.sqlite_error_code()? {
        ErrorCode::CannotOpen | ErrorCode::ReadOnly | ErrorCode::PermissionDenied => Some(
            FlError::io(
                IoAction::Write,
                path,
                std::io::Error::other(e.to_string()),
                format!(
                    "SQLite writes the ledger and, beside it in {folder}, its journal {} and \
                     index {}: make all three (and the folder) writable to this user (a reader \
                     of another user may have left the last two: remove them while no \
                     flopledger uses the ledger), or pass a --db path in a folder you can write \
                     to",
                    sidecar(path, "-wal").display(),
                    sidecar(path, "-shm").display()
                ),
            )
            .into(),
        ),
        // Not a usage error (the command was right; the file was busy): the I/O status, 3.
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
            Some(locked(path, IoAction::Write, BUSY_TIMEOUT, e))
        }
        // The disk, not the file: a full device made a sound ledger read as "not a usable
        // flopledger ledger … move it aside and rebuild" (exit 2), or failed the commit with
        // SQLite's raw words (exit 1): a helper's sweep of 7 December 2026.
        ErrorCode::DiskFull | ErrorCode::SystemIoFailure => Some(
            FlError::io(
                IoAction::Write,
                path,
                std::io::Error::other(e.to_string()),
                format!(
                    "the device that holds {folder} is full or failing (SQLite writes the ledger \
                     and its journal there); what was not committed was rolled back, so the \
                     ledger is as it was: free space (`df {folder}`) and run this again, or pass \
                     a --db path on another device"
                ),
            )
            .into(),
        ),
        ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => Some(corrupt(path, e)),
        // A damaged page that claims a huge record makes SQLite ask for more memory than
        // there is; a ledger's own records are small.
        ErrorCode::OutOfMemory => Some(corrupt(
            path,
            format_args!("{e}, which a damaged page causes"),
        )),
        _ => None,
    }
}

/// The ledger stayed locked by another process for the whole `wait`: an I/O failure (exit 3,
/// not a usage error: the command was right) with the fix.
fn locked(path: &Path, action: IoAction, wait: Duration, e: &rusqlite::Error) -> anyhow::Error {
    FlError::io(
        action,
        path,
        std::io::Error::other(format!(
            "it stayed locked by another process for {} s ({e})",
            wait.as_secs_f64()
        )),
        "wait until the other `flopledger ledger add` (or the program that holds the file) is \
         done, then run this again",
    )
    .into()
}

/// A `--db` path that names a folder or a device (`/dev/null`), never a ledger: the refusal
/// says what to pass (SQLite's own answer, "disk I/O error", sent users to move it aside).
fn not_a_ledger_file(path: &Path) -> Option<anyhow::Error> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.is_dir() {
        Some(
            FlError::usage(format!(
                "--db {} is a folder; pass the path of the ledger file, e.g. --db {}",
                path.display(),
                path.join("ledger.sqlite").display()
            ))
            .into(),
        )
    } else if !meta.is_file() {
        Some(
            FlError::usage(format!(
                "--db {} is not a regular file (a device or a pipe); pass the path of the \
                 ledger file, e.g. --db ledger.sqlite",
                path.display()
            ))
            .into(),
        )
    } else if crate::files::holds(path) == Some(crate::files::Held::Report) {
        // Not a damaged ledger to move aside and rebuild (a helper's sweep, 7 December 2026).
        Some(
            FlError::usage(format!(
                "--db {} is a report of `flopledger run`, not a ledger; nothing was changed. \
                 Pass the ledger file with --db (a report is added with `flopledger ledger add \
                 REPORT.json --db LEDGER.sqlite`)",
                path.display()
            ))
            .into(),
        )
    } else {
        None
    }
}

/// Opens (creating if needed) the ledger at `path` and brings its schema to
/// [`LEDGER_SCHEMA_VERSION`].
pub fn open(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            FlError::usage(format!(
                "cannot create {} for the ledger: {e}; pass a writable --db PATH",
                dir.display()
            ))
        })?;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if let Some(e) = not_a_ledger_file(path) {
        return Err(e);
    }
    // A writer that may not write the ledger file is refused before SQLite opens it: SQLite
    // would first create its journal and index beside it, owned by this user, and those lock
    // out the file's owner (a helper's sweep: another user's failed `ledger add` in a shared
    // folder left `-wal` and `-shm` that made the owner's next add fail too).
    if let Err(e) = std::fs::OpenOptions::new().write(true).open(path) {
        if e.kind() == std::io::ErrorKind::PermissionDenied {
            let e = rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY),
                Some(format!("this user may not write it ({e})")),
            );
            return Err(open_failure(path, e));
        }
    }
    let conn = Connection::open_with_flags(path, flags).map_err(|e| open_failure(path, e))?;
    busy::wait_for_locks(&conn, path, BUSY_TIMEOUT).map_err(|e| open_failure(path, e))?;
    // The first statement that reads the file finds a file that is not a database; a foreign
    // database or a newer ledger is refused before anything is written to it (switching to WAL
    // rewrites the file's header).
    let found = version(&conn, path)?;
    if found > LEDGER_SCHEMA_VERSION {
        return Err(newer_schema(path, found));
    }
    // A damaged file is refused before anything is written into it: SQLite finds the damage
    // only where a statement happens to touch it, and a helper's sweep added a report into a
    // ledger whose index was malformed ("1 added", exit 0). Checks every page's structure, not
    // the indexes' agreement with their tables. Measured on 6 December 2026 (2 cores): a
    // `ledger add` of one report into a ledger of 10,000 reports and 900,000 cases (80 MB) took
    // 0.09–0.10 s with the check and 0.04–0.06 s without.
    if let Some(damage) = damage(&conn, path)? {
        return Err(corrupt(path, damage));
    }
    retry_busy(|| conn.pragma_update(None, "journal_mode", "WAL"))
        .map_err(|e| open_failure(path, e))?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(|e| open_failure(path, e))?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(|e| open_failure(path, e))?;
    // Reads map the file instead of copying every page through read(2): the fleet report of
    // 10,000 GPUs reads the whole 50 MB ledger.
    conn.pragma_update(None, "mmap_size", MMAP_BYTES)
        .map_err(|e| open_failure(path, e))?;
    migrate(&conn, path)?;
    check_tables(&conn, path)?;
    Ok(conn)
}

/// A file at the current version must hold every table the commands read (one query).
fn check_tables(conn: &Connection, path: &Path) -> Result<()> {
    let missing: Option<String> = conn
        .query_row(
            "SELECT t FROM (SELECT 'reports' AS t UNION ALL SELECT 'cases') \
             WHERE t NOT IN (SELECT name FROM sqlite_master WHERE type = 'table') LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| open_failure(path, e))?;
    match missing {
        Some(table) => Err(corrupt(
            path,
            format_args!("its table `{table}` is missing"),
        )),
        None => Ok(()),
    }
}

/// Runs `step` again, for up to [`BUSY_TIMEOUT`], while SQLite answers that the file is busy
/// or locked without having waited in its busy handler: switching a new file to WAL while
/// another process does the same is answered SQLITE_BUSY at once (1 run in 150 of
/// `many_writers_at_once_lose_nothing` failed so, "database is locked").
fn retry_busy<T>(mut step: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let start = Instant::now();
    loop {
        match step() {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(e.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                    && start.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

/// Opens a ledger that must already exist (for the commands that only read it), so that a
/// mistyped --db names the fix instead of leaving an empty ledger behind.
pub fn open_existing(path: &Path) -> Result<Connection> {
    if let Some(e) = not_a_ledger_file(path) {
        return Err(e);
    }
    if !path.exists() {
        return Err(FlError::usage(format!(
            "no ledger at {}; add reports to it first (`flopledger ledger add RESULTS_DIR --db {}`), \
             or pass the ledger you added them to with --db",
            path.display(),
            path.display()
        ))
        .into());
    }
    if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
        // SQLite would take an empty file as a new database and write a ledger into it.
        return Err(FlError::usage(format!(
            "{} is empty, not a ledger; nothing was changed. Add reports to a ledger first \
             (`flopledger ledger add RESULTS_DIR --db {}`), or pass the ledger you added them \
             to with --db",
            path.display(),
            path.display()
        ))
        .into());
    }
    match open_read_only(path)? {
        // A reader warns of a damaged file and reads on (what it can read may be all the user
        // has left); `ledger list` and `fleet report` had read one without a word.
        Some(conn) => {
            if let Some(damage) = damage(&conn, path)? {
                let text = format!(
                    "warning: ledger {}: {damage}; what follows may miss results. Move it aside \
                     and rebuild it from the report files (`flopledger ledger add RESULTS_DIR \
                     --db NEW`)",
                    path.display()
                );
                crate::errln!("{}", crate::term::warn(&crate::term::wrap(&text, "  ")));
            }
            Ok(conn)
        }
        // An older schema is migrated first, which needs write access.
        None => open(path).map_err(|e| {
            e.context(format!(
                "{} has an older schema that is brought up to date on first use, which needs \
                 write access to it and its folder; run `flopledger ledger add` on it once as a \
                 user who can write it",
                path.display()
            ))
        }),
    }
}

/// SQLite's `quick_check` of every page's structure (not the indexes' agreement with their
/// tables): `None` when the file is sound, else what it found.
fn damage(conn: &Connection, path: &Path) -> Result<Option<String>> {
    let check: String = conn
        .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
        .map_err(|e| open_failure(path, e))?;
    Ok((check != "ok").then(|| {
        format!(
            "SQLite's quick_check finds it damaged: {}",
            check.replace('\n', " ")
        )
    }))
}

/// Whether SQLite refused because another process holds the file.
fn is_locked(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// Opens an existing ledger for reading only, so the commands that read it work on a file or
/// folder they cannot write (a shared read-only copy, a read-only mount). `None` when its
/// schema is older than this build's and must be migrated first. A WAL-mode file whose `-shm`
/// index cannot be created beside it is opened as immutable: no other process writes there.
fn open_read_only(path: &Path) -> Result<Option<Connection>> {
    open_read_only_within(path, BUSY_TIMEOUT)
}

/// [`open_read_only`], waiting up to `wait` for another process's lock. A file that stays
/// locked is an error (exit 3): read as immutable instead, as a file `mode=ro` cannot open is,
/// it could be caught half-way through the other process's write (a helper's check found a
/// reader that waited the minute out and then read it so, without a word).
fn open_read_only_within(path: &Path, wait: Duration) -> Result<Option<Connection>> {
    let uri = |param: &str| format!("file:{}?{param}", uri_path(path));
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    // Opens the file and reads its list of tables, SQLite's own error kept to tell a lock apart.
    let open_as = |param: &str| -> rusqlite::Result<Connection> {
        let conn = Connection::open_with_flags(uri(param), flags)?;
        busy::wait_for_locks(&conn, path, wait)?;
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })?;
        Ok(conn)
    };
    // A reader that cannot write the ledger never writes to it, so it must not create the
    // WAL index beside it either: `mode=ro` would, owned by this user, and the ledger's owner
    // could then no longer write ("attempt to write a readonly database"). While no index
    // exists no process has the file open for writing, so reading it as immutable sees all
    // that was committed.
    let index_exists = sidecar(path, "-shm").exists();
    let writable = std::fs::OpenOptions::new().write(true).open(path).is_ok();
    let opened = if index_exists || writable {
        match open_as("mode=ro") {
            Err(e) if is_locked(&e) => Err(e),
            Err(_) => open_as("immutable=1"),
            ok => ok,
        }
    } else {
        open_as("immutable=1")
    };
    let conn = match opened {
        Ok(conn) => conn,
        Err(e) if is_locked(&e) => return Err(locked(path, IoAction::Read, wait, &e)),
        Err(e) => return Err(open_failure(path, e)),
    };
    let v = version(&conn, path)?;
    if v > LEDGER_SCHEMA_VERSION {
        return Err(newer_schema(path, v));
    }
    let no_tables = || {
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .is_ok_and(|n| n == 0)
    };
    if v == 0 && no_tables() {
        // An SQLite file without a table is no ledger of an older schema: a reader would have
        // made it one, migrating it (a helper's sweep: `ledger list` wrote eleven tables into
        // such a file and listed 0 reports).
        return Err(FlError::usage(format!(
            "{} is a SQLite database with no tables, not a ledger; nothing was changed. Add \
             reports to it first (`flopledger ledger add RESULTS_DIR --db {}`), or pass the \
             ledger you added them to with --db",
            path.display(),
            path.display()
        ))
        .into());
    }
    if v < LEDGER_SCHEMA_VERSION {
        return Ok(None);
    }
    conn.pragma_update(None, "mmap_size", MMAP_BYTES)
        .map_err(|e| open_failure(path, e))?;
    check_tables(&conn, path)?;
    Ok(Some(conn))
}

/// `path` as the path part of an SQLite `file:` URI: `%`, `?` and `#` percent-encoded.
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

/// Most of a ledger file SQLite maps into memory for reading (256 MiB: 50,000 reports of 32 cases).
const MMAP_BYTES: i64 = 256 << 20;

/// The schema version recorded in the file (0 for a new, empty file).
fn version(conn: &Connection, path: &Path) -> Result<u32> {
    // One statement, so one read snapshot: read apart, another process's migration could commit
    // between the two counts and make a new ledger look like a foreign database.
    let (has_table, tables): (bool, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'table' \
                     AND name = 'ledger_schema'), (SELECT count(*) FROM sqlite_master)",
            [],
            |r| Ok((r.get::<_, i64>(0)? > 0, r.get::<_, i64>(1)?)),
        )
        .map_err(|e| open_failure(path, e))?;
    if !has_table {
        if tables > 0 {
            // Another program's database: not to be moved aside and rebuilt as a ledger.
            return Err(FlError::usage(format!(
                "{} is a SQLite database, but not a flopledger ledger (no ledger_schema table); \
                 nothing was changed. Pass the ledger file with --db, or a new path to start one",
                path.display()
            ))
            .into());
        }
        return Ok(0);
    }
    let recorded = conn
        .query_row("SELECT max(version) FROM ledger_schema", [], |r| {
            r.get::<_, Option<u32>>(0)
        })
        .map_err(|e| open_failure(path, e))?;
    // The table is created and its first row written in one transaction: a table without a
    // row was emptied by hand, and taken for a new ledger its migration failed with SQLite's
    // "table ledger_schema already exists" and the schema's whole SQL script (a helper's sweep).
    recorded.ok_or_else(|| {
        FlError::usage(format!(
            "{}: its ledger_schema table records no version (was it edited?), so its schema \
             is unknown; nothing was changed. Move it aside and rebuild it from the report \
             files (`flopledger ledger add RESULTS_DIR --db NEW`)",
            path.display()
        ))
        .into()
    })
}

/// `err`, or where SQLite's code says more ([`sqlite_failure`]: permissions, a lock held too
/// long, a damaged file) or a read met a value of a type flopledger never writes there (the
/// ledger was edited by another program), a refusal that says so and how to fix it: instead
/// of the driver's bare "Invalid column type" or "database is locked" as an internal failure,
/// or a database failure blamed on the report being added.
pub fn explain_damage(path: &Path, err: anyhow::Error) -> anyhow::Error {
    let sqlite = err
        .chain()
        .find_map(|c| c.downcast_ref::<rusqlite::Error>());
    if let Some(explained) = sqlite.and_then(|e| sqlite_failure(path, e)) {
        return explained;
    }
    let what = sqlite.and_then(|e| match e {
        rusqlite::Error::InvalidColumnType(_, name, ty) => {
            Some(format!("column {name} holds a {ty} value"))
        }
        rusqlite::Error::FromSqlConversionFailure(i, ty, _) => {
            Some(format!("column {i} holds a {ty} value it cannot convert"))
        }
        rusqlite::Error::IntegralValueOutOfRange(i, v) => {
            Some(format!("column {i} holds {v}, out of its range"))
        }
        _ => None,
    });
    match what {
        Some(what) => FlError::usage(format!(
            "ledger {} cannot be read: {what}, which flopledger never writes (was the file edited \
             by another program?); rebuild it from the reports: `flopledger ledger add \
             RESULTS_DIR --db NEW.sqlite`",
            path.display()
        ))
        .into(),
        None => err,
    }
}

/// Refuses what flopledger never writes into a report's row of the ledger: text copied from a
/// report (its names, ids and start time; not the file's path, which is the file system's) with
/// a line break, control character or direction override (reports holding one are refused at
/// `ledger add`, and an escape sequence would reach the terminal and the fleet report), a start
/// time that is not RFC 3339, a negative count. Another program's edit is named with the fix (a
/// helper's sweep: an escape sequence in `node` set the terminal's title in `ledger list`).
pub fn check_report_row(
    texts: &[(&str, Option<&str>)],
    started_at: &str,
    cases: i64,
) -> Result<()> {
    let never = |what: String| -> anyhow::Error {
        FlError::usage(format!(
            "the ledger's reports hold {what}, which flopledger never writes (was the file edited \
             by another program?); rebuild it from the reports: `flopledger ledger add \
             RESULTS_DIR --db NEW.sqlite`"
        ))
        .into()
    };
    for (column, text) in texts.iter().chain([&("started_at", Some(started_at))]) {
        if let Some(what) = text.and_then(crate::term::unprintable) {
            return Err(never(format!(
                "a {column} {:?} with {what}",
                text.unwrap_or("")
            )));
        }
    }
    if chrono::DateTime::parse_from_rfc3339(started_at).is_err() {
        return Err(never(format!(
            "a started_at {started_at:?} that is no RFC 3339 time"
        )));
    }
    if cases < 0 {
        return Err(never(format!("a cases_measured of {cases}")));
    }
    Ok(())
}

/// The refusal of a ledger written by a newer flopledger.
fn newer_schema(path: &Path, version: u32) -> anyhow::Error {
    FlError::usage(format!(
        "ledger {} has schema version {version}, but this flopledger knows versions up to \
         {LEDGER_SCHEMA_VERSION}; use the newer flopledger that wrote it, or pass another file \
         with --db",
        path.display()
    ))
    .into()
}

/// Applies the missing migrations in one transaction, or refuses a newer schema.
fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    let current = version(conn, path)?;
    if current > LEDGER_SCHEMA_VERSION {
        return Err(newer_schema(path, current));
    }
    if current == LEDGER_SCHEMA_VERSION {
        return Ok(());
    }
    // IMMEDIATE takes the write lock first, so two processes migrating a new file queue.
    conn.execute_batch("BEGIN IMMEDIATE")
        .map_err(|e| open_failure(path, e))?;
    let result = (|| -> rusqlite::Result<()> {
        // Another process may have migrated while this one waited for the lock.
        let now: u32 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'ledger_schema'",
                [],
                |r| r.get::<_, u32>(0),
            )
            .and_then(|n| {
                if n == 0 {
                    Ok(0)
                } else {
                    conn.query_row(
                        "SELECT coalesce(max(version), 0) FROM ledger_schema",
                        [],
                        |r| r.get(0),
                    )
                }
            })?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(now as usize) {
            conn.execute_batch(sql)?;
            conn.execute(
                "INSERT INTO ledger_schema (version, applied_at) VALUES (?1, ?2)",
                rusqlite::params![i as u32 + 1, chrono::Utc::now().to_rfc3339()],
            )?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => conn
            .execute_batch("COMMIT")
            .map_err(|e| open_failure(path, e)),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(corrupt(path, e))
        }
    }
}

mod busy;
#[cfg(test)]
mod tests;
