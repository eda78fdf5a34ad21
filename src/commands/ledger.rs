//! `flopledger ledger add|list`.

use crate::cli::{DbArg, FilterArgs, LedgerArgs, LedgerCommand};
use crate::error::FlError;
use crate::fleet::{db, ingest, query};
use std::path::PathBuf;

pub fn run(args: &LedgerArgs) -> anyhow::Result<i32> {
    match &args.command {
        LedgerCommand::Add(a) => add(&a.inputs, &a.db).map_err(|e| damaged(&a.db, e)),
        LedgerCommand::List(a) => list(a).map_err(|e| damaged(&a.db, e)),
    }
}

/// The ledger path from `--db` or the default.
/// `err` explained where the ledger of `db` holds values of the wrong type
/// ([`db::explain_damage`]).
pub fn damaged(db: &DbArg, err: anyhow::Error) -> anyhow::Error {
    match db_path(db) {
        Ok(path) => db::explain_damage(&path, err),
        Err(_) => err,
    }
}

pub fn db_path(db: &DbArg) -> anyhow::Result<PathBuf> {
    match &db.db {
        Some(p) => Ok(p.clone()),
        None => db::default_path(),
    }
}

/// Converts the filter flags once.
pub fn filter(f: &FilterArgs) -> query::Filter {
    query::Filter {
        node: f.node.clone(),
        gpu: f.gpu.clone(),
        chip: f.chip.clone(),
        case: f.case.clone(),
        since: f.since.clone(),
        job: f.job.clone(),
    }
}

/// Ingests `inputs` and prints what happened; skipped files are listed on stderr. Files found in
/// a folder that are not reports are only listed; a file named on the command line that could
/// not be added makes the exit status 2 (usage: bad input), after the others were added.
pub fn add(inputs: &[PathBuf], db_arg: &DbArg) -> anyhow::Result<i32> {
    let path = db_path(db_arg)?;
    let files = ingest::report_files(inputs)?;
    let shown = || {
        inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if files.is_empty() {
        return Err(FlError::usage(format!(
            "{} holds no report files (.json); pass reports written by `flopledger run`, or \
             the folders that hold them",
            shown()
        ))
        .into());
    }
    let new_ledger = !path.exists();
    let mut conn = db::open(&path)?;
    let s = ingest::ingest(&mut conn, &files)?;
    for (file, why) in &s.skipped {
        crate::errln!("skipped {}: {why}", file.display());
    }
    if s.added + s.updated + s.unchanged == 0 {
        drop(conn);
        if new_ledger {
            // Leave no empty ledger behind for input that held nothing to add.
            db::remove(&path);
        }
        return Err(FlError::usage(format!(
            "no report in {} could be added (each file's reason is above); nothing was \
             written. Pass reports written by `flopledger run`, or the folders that hold them",
            shown()
        ))
        .into());
    }
    crate::outln!(
        "ledger {}: {} added, {} updated (a run's more complete report), {} already there, {} skipped",
        path.display(),
        s.added,
        s.updated,
        s.unchanged,
        s.skipped.len()
    );
    let named: Vec<String> = s
        .skipped
        .iter()
        .filter(|(file, _)| inputs.contains(file))
        .map(|(file, _)| file.display().to_string())
        .collect();
    if named.is_empty() {
        return Ok(crate::error::EXIT_OK);
    }
    crate::errln!(
        "error: {} could not be added (the reason is above); pass reports written by \
         `flopledger run`, or the folders that hold them",
        named.join(", ")
    );
    Ok(crate::error::EXIT_USAGE)
}

fn list(a: &crate::cli::LedgerListArgs) -> anyhow::Result<i32> {
    use crate::cli::OutputFormat;
    let path = db_path(&a.db)?;
    let conn = db::open_existing(&path)?;
    let rows = query::list(&conn, &filter(&a.filter))?;
    match OutputFormat::resolve(a.format, a.json) {
        OutputFormat::Json => {
            crate::outln!("{}", serde_json::to_string_pretty(&rows)?);
            return Ok(0);
        }
        OutputFormat::Csv => {
            let mut w = ::csv::Writer::from_writer(Vec::new());
            w.write_record([
                "started_at",
                "node",
                "gpu_key",
                "chip",
                "job_id",
                "task_id",
                "complete",
                "cases",
                "path",
            ])?;
            for r in &rows {
                w.write_record([
                    r.started_at.as_str(),
                    &r.node,
                    &r.gpu_key,
                    &r.chip,
                    r.job_id.as_deref().unwrap_or_default(),
                    r.task_id.as_deref().unwrap_or_default(),
                    &r.complete.to_string(),
                    &r.cases.to_string(),
                    &r.path,
                ])?;
            }
            crate::out!("{}", String::from_utf8(w.into_inner()?)?);
            return Ok(0);
        }
        OutputFormat::Table => {}
    }
    let mut table = crate::term::table([
        "started (UTC)",
        "node",
        "gpu",
        "chip",
        "job",
        "task",
        "cases",
        "report",
    ]);
    for r in &rows {
        let cases = if r.complete {
            r.cases.to_string()
        } else {
            format!("{} (partial)", r.cases)
        };
        table.add_row([
            utc_start(&r.started_at),
            r.node.clone(),
            r.gpu_key.clone(),
            r.chip.clone(),
            r.job_id.clone().unwrap_or_default(),
            r.task_id.clone().unwrap_or_default(),
            cases,
            r.path.clone(),
        ]);
    }
    // Times, ids and counts stay on one line; names and the report path wrap.
    crate::term::keep_width(&mut table, &[0, 4, 5, 6]);
    crate::outln!("{table}");
    crate::outln!("{} report(s) in {}", rows.len(), path.display());
    Ok(0)
}

/// A report's start as UTC `YYYY-MM-DDTHH:MM:SS` (a start given with an offset, `…+05:00`, is
/// moved to UTC, as `--since` reads it); as written, to the second, where it is not RFC 3339.
fn utc_start(started_at: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(started_at) {
        Ok(t) => t
            .with_timezone(&chrono::Utc)
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string(),
        Err(_) => started_at.chars().take(19).collect(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn starts_are_listed_in_utc() {
        assert_eq!(
            super::utc_start("2026-11-30T16:50:51+05:00"),
            "2026-11-30T11:50:51"
        );
        assert_eq!(
            super::utc_start("2026-12-01T01:04:00.123Z"),
            "2026-12-01T01:04:00"
        );
    }
}
