//! `ledger add`: reads report files one at a time (a results folder of thousands is never held
//! in memory at once) and indexes them in one transaction per batch, so an interrupted ingest
//! leaves the ledger as it was. The same file twice is one entry (SHA-256 of its bytes); a run's
//! later, more complete report replaces its earlier partial one. Files that are not readable
//! flopledger reports are listed and skipped; they never abort the batch.

use super::row::ReportRow;
use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What one ingest did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct IngestSummary {
    pub added: usize,
    /// A partial report of a run replaced by a more complete one of the same run.
    pub updated: usize,
    /// Already in the ledger (same bytes, or an older partial report of a run it has).
    pub unchanged: usize,
    /// Of `unchanged`, the reports whose recorded path no longer held a file: the ledger now
    /// names where they were found.
    pub moved: usize,
    /// Files that were skipped, with the reason.
    pub skipped: Vec<(PathBuf, String)>,
}

/// The `.json` files named by `inputs`: files as given, folders searched recursively (hidden
/// files, such as reports being written, are left out), in sorted order. Each file and folder
/// counts once however it is reached (given twice, or through a symbolic link: a link back up
/// the tree is a loop, which would otherwise list the same reports again at every level).
pub fn report_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut seen = Seen::default();
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            walk(input, &mut seen, &mut out)?;
        } else if input.is_file() {
            seen.push_file(input, &mut out);
        } else if input.exists() {
            // A pipe (`<(cat r.json)`, a FIFO) or a device: reading one may wait for a writer
            // for ever, and the ledger would record a path (`/dev/fd/63`) that names nothing
            // afterwards, while it keeps where each report lies.
            return Err(crate::error::FlError::usage(format!(
                "{} is not a regular file (a pipe or a device); the ledger records where each \
                 report lies, so save the report to a file and pass that",
                input.display()
            ))
            .into());
        } else {
            return Err(crate::error::FlError::usage(format!(
                "{} does not exist; pass report files or folders that hold them",
                input.display()
            ))
            .into());
        }
    }
    Ok(out)
}

/// Canonical paths already listed or searched.
#[derive(Default)]
struct Seen {
    dirs: HashSet<PathBuf>,
    files: HashSet<PathBuf>,
}

impl Seen {
    /// True the first time a folder is reached.
    fn first_dir(&mut self, dir: &Path) -> bool {
        self.dirs
            .insert(std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()))
    }

    /// Lists a file the first time it is reached.
    fn push_file(&mut self, file: &Path, out: &mut Vec<PathBuf>) {
        let key = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
        if self.files.insert(key) {
            out.push(file.to_path_buf());
        }
    }
}

fn walk(dir: &Path, seen: &mut Seen, out: &mut Vec<PathBuf>) -> Result<()> {
    if !seen.first_dir(dir) {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading folder {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| !n.to_string_lossy().starts_with('.'))
        })
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, seen, out)?;
        } else if p.extension().is_some_and(|e| e == "json") && p.is_file() {
            // Only regular files (or links to them): a FIFO named `*.json` would block the
            // read for ever, and a device holds no report.
            seen.push_file(&p, out);
        }
    }
    Ok(())
}

/// Ingests `files` into the ledger in one transaction.
pub fn ingest(conn: &mut Connection, files: &[PathBuf]) -> Result<IngestSummary> {
    // IMMEDIATE: take the write lock before reading, so concurrent writers queue (busy timeout)
    // instead of failing to upgrade a read lock.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut summary = IngestSummary::default();
    for path in files {
        // A database error aborts the whole batch (the transaction rolls back when dropped):
        // the ledger stays as it was. A bad file is only skipped.
        let outcome = ingest_one(&tx, path).with_context(|| {
            format!(
                "ledger write failed at {}; nothing of this batch was kept",
                path.display()
            )
        })?;
        match outcome {
            Ok(Outcome::Added) => summary.added += 1,
            Ok(Outcome::Updated) => summary.updated += 1,
            Ok(Outcome::Unchanged) => summary.unchanged += 1,
            Ok(Outcome::Moved) => {
                summary.unchanged += 1;
                summary.moved += 1;
            }
            Err(Skip(why)) => summary.skipped.push((path.clone(), why)),
        }
    }
    tx.commit().context("committing the ingest")?;
    Ok(summary)
}

enum Outcome {
    Added,
    Updated,
    Unchanged,
    /// The same bytes, whose recorded path no longer holds a file: the path is updated.
    Moved,
}

/// Why a file was skipped.
struct Skip(String);

/// `Err` for a database failure (aborts the batch); `Ok(Err(Skip))` for a file that is skipped.
fn ingest_one(
    conn: &Connection,
    path: &Path,
) -> rusqlite::Result<std::result::Result<Outcome, Skip>> {
    // At most `files::MAX_INPUT_BYTES` (a stray disk image or `/dev/zero` in a results folder
    // is skipped, not read into memory), without a leading byte-order mark, as UTF-8.
    let text = match crate::files::read_input(path, "a report written by `flopledger run`") {
        Ok(text) => text,
        Err(crate::error::FlError::Input { message, .. }) => return Ok(Err(Skip(message))),
        Err(e) => return Ok(Err(Skip(e.to_string()))),
    };
    let sha = hex(&Sha256::digest(text.as_bytes()));
    let known: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, path FROM reports WHERE content_sha256 = ?1",
            [&sha],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((id, recorded)) = known {
        // A report moved (a results folder archived or renamed) is listed where it is now: the
        // ledger had kept the first path, which named no file (a helper's sweep). A report
        // at both paths keeps the first.
        let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let now = absolute.display().to_string();
        // (A path that is not UTF-8 is recorded lossily and names no file: it is the same.)
        if Path::new(&recorded).is_file() || recorded == now {
            return Ok(Ok(Outcome::Unchanged));
        }
        conn.execute(
            "UPDATE reports SET path = ?1 WHERE id = ?2",
            rusqlite::params![now, id],
        )?;
        return Ok(Ok(Outcome::Moved));
    }
    let report = match crate::report::io::parse(&text, &path.display().to_string()) {
        Ok(r) => r,
        Err(e) => return Ok(Err(Skip(format!("{e:#}")))),
    };
    drop(text);
    // The path as an absolute one, so the ledger's listing resolves from any folder.
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let row = ReportRow::from_report(&report, sha, &absolute);
    let earlier: Option<(i64, i64, i64)> = conn
        .query_row(
            "SELECT id, complete, cases_measured FROM reports WHERE run_key = ?1",
            [&row.run_key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let outcome = match earlier {
        Some((_, complete, cases))
            if (complete, cases) >= (i64::from(row.complete), row.cases.len() as i64) =>
        {
            return Ok(Ok(Outcome::Unchanged))
        }
        Some((id, _, _)) => {
            conn.execute("DELETE FROM reports WHERE id = ?1", [id])?;
            Outcome::Updated
        }
        None => Outcome::Added,
    };
    row.insert(conn)?;
    Ok(Ok(outcome))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
