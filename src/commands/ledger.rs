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
            .map(|p| shown_path(p))
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
    // A ledger this command was creating is not left behind half-made where opening or the
    // ingest fails (a full disk left a 4 KiB stub that `ledger list` then misdescribed: a
    // helper's sweep of 7 December 2026); the failure is said by what SQLite met.
    let fail = |e: anyhow::Error| {
        if new_ledger {
            db::remove_unless_filled(&path);
        }
        db::explain_damage(&path, e)
    };
    let mut conn = db::open(&path).map_err(fail)?;
    let s = match ingest::ingest(&mut conn, &files) {
        Ok(s) => s,
        Err(e) => {
            drop(conn);
            return Err(fail(e));
        }
    };
    for (file, why) in &s.skipped {
        crate::errln!(
            "skipped {}: {}",
            shown_path(file),
            crate::term::visible(why)
        );
    }
    if s.added + s.updated + s.unchanged == 0 {
        drop(conn);
        if new_ledger {
            // Leave no empty ledger behind for input that held nothing to add.
            db::remove_unless_filled(&path);
        }
        return Err(FlError::usage(format!(
            "no report in {} could be added (each file's reason is above); nothing was \
             written. Pass reports written by `flopledger run`, or the folders that hold them",
            shown()
        ))
        .into());
    }
    let moved = if s.moved > 0 {
        format!(
            " ({} of them listed at the path given now: the one recorded holds no file)",
            s.moved
        )
    } else {
        String::new()
    };
    crate::outln!(
        "ledger {}: {} added, {} updated (a run's more complete report), {} already there{moved}, {} skipped",
        shown_path(&path),
        s.added,
        s.updated,
        s.unchanged,
        s.skipped.len()
    );
    let named: Vec<String> = s
        .skipped
        .iter()
        .filter(|(file, _)| inputs.contains(file))
        .map(|(file, _)| shown_path(file))
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
                let cells = [
                    r.started_at.as_str(),
                    &r.node,
                    &r.gpu_key,
                    &r.chip,
                    r.job_id.as_deref().unwrap_or_default(),
                    r.task_id.as_deref().unwrap_or_default(),
                    &r.complete.to_string(),
                    &r.cases.to_string(),
                    &r.path,
                ];
                w.write_record(cells.map(super::tabular::spreadsheet_safe))?;
            }
            crate::out!("{}", String::from_utf8(w.into_inner()?)?);
            return Ok(0);
        }
        OutputFormat::Table => {}
    }
    let headers = [
        "started (UTC)",
        "node",
        "gpu",
        "chip",
        "job",
        "task",
        "cases",
        "report",
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let cases = if r.complete {
                r.cases.to_string()
            } else {
                format!("{} (partial)", r.cases)
            };
            vec![
                utc_start(&r.started_at),
                r.node.clone(),
                r.gpu_key.clone(),
                r.chip.clone(),
                r.job_id.clone().unwrap_or_default(),
                r.task_id.clone().unwrap_or_default(),
                cases,
            ]
        })
        .collect();
    // The report path is one long word: broken after its slashes and hyphens to the room the other
    // columns leave (at least 24 characters), it wraps with the table instead of widening it
    // past the terminal (a helper's sweep: 151 columns at COLUMNS=80). A control character in
    // a file name is shown, not sent.
    let path_chars = crate::term::first_column_chars(&headers[..7], &cells, 24);
    let mut table = crate::term::table(headers);
    for (r, mut row) in rows.iter().zip(cells) {
        let path = crate::term::visible(&r.path);
        row.push(crate::term::break_after_any(&path, &['/', '-'], path_chars));
        table.add_row(row);
    }
    // Times, ids and counts stay on one line, and the report path as broken above (left to
    // the table, it was cut again inside its words: "/work/main/rep|orts/", a helper's sweep);
    // names wrap.
    crate::term::keep_width(&mut table, &[0, 4, 5, 6, 7]);
    let text = table.to_string();
    if crate::term::line_width(&text) > crate::term::width() + NARROW_SLACK {
        // Eight columns of unbreakable words (a time, a GPU's UUID) do not fit: one block per
        // report, its words on a line and its GPU and path under it.
        print_blocks(&rows);
    } else {
        crate::outln!("{text}");
    }
    crate::outln!("{} report(s) in {}", rows.len(), shown_path(&path));
    Ok(0)
}

/// How many characters a table may run past the terminal before the list is set out in blocks
/// (docs/cli.md: "a few characters wider" at most).
const NARROW_SLACK: usize = 4;

/// `ledger list` on a terminal too narrow for its table: per report a line of its start, node,
/// chip, job, task and cases, then its GPU and its path, indented, the path broken after its
/// slashes and hyphens to the width.
fn print_blocks(rows: &[query::ListedReport]) {
    let width = crate::term::width();
    for r in rows {
        let mut head = vec![utc_start(&r.started_at), r.node.clone(), r.chip.clone()];
        if let Some(job) = &r.job_id {
            head.push(match &r.task_id {
                Some(task) => format!("job {job} task {task}"),
                None => format!("job {job}"),
            });
        }
        head.push(if r.complete {
            format!("{} cases", r.cases)
        } else {
            format!("{} cases (partial)", r.cases)
        });
        crate::outln!("{}", crate::term::wrap(&head.join("  "), "    "));
        crate::outln!("  gpu     {}", r.gpu_key);
        let path = crate::term::visible(&r.path);
        let broken = crate::term::break_after_any(&path, &['/', '-'], width.saturating_sub(10));
        for (i, line) in broken.lines().enumerate() {
            let lead = if i == 0 { "  report  " } else { "          " };
            crate::outln!("{lead}{line}");
        }
    }
}

/// A path as messages and tables show it: control characters in a file name written out
/// (`\u{1b}`, `\n`), never sent to the terminal ([`crate::term::visible`]). CSV and JSON
/// output keep the name as it is: their readers get the file's real name, quoted.
fn shown_path(path: &std::path::Path) -> String {
    crate::term::visible(&path.display().to_string()).into_owned()
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
