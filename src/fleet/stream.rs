//! The ledger's latest results, one (chip, case) group at a time, for the fleet report.
//!
//! Two reads, neither of which sorts in SQL or holds more than one group of cases:
//! 1. [`Selection::read`]: the selected reports' identity columns (one small row per report),
//!    ranked in memory by chip, GPU and recency, each GPU given a dense index;
//! 2. [`for_each_group`]: the `cases` rows straight from the covering index `cases_by_case`
//!    (schema v2), which holds them in (case, report) order, so each case's results arrive
//!    together; per chip, the rows of one case are ranked, each GPU's latest kept, and the group
//!    handed on before the next case is read.
//!
//! Memory: the selected reports' identities plus one case's results, whatever the number of
//! cases. Time: one pass over the index per chip model in the selection.

use super::query::{Filter, ResultRef};
use anyhow::Result;
use rusqlite::{types::Value, Connection};
use std::collections::HashMap;

/// One selected report's identity columns.
#[derive(Debug)]
struct ReportInfo {
    id: i64,
    /// Index into [`Selection::chips`].
    chip: usize,
    gpu_key: String,
    node: String,
    started_at: String,
    /// `started_at` as an instant (UTC nanoseconds), which orders reports whatever offset
    /// their times carry; `None` where it does not parse (then the text orders them).
    started: Option<i64>,
    job_id: Option<String>,
    task_id: Option<String>,
    path: String,
    /// Whether its run finished (`status.complete`), and the cases it holds.
    complete: bool,
    cases: i64,
}

/// The reports a filter selects, sorted by chip, GPU key, then newest first (latest start, then
/// latest ingested): a report's position is its rank, and the first report of a GPU that has a
/// case holds that GPU's latest result in it.
#[derive(Debug)]
pub struct Selection {
    chips: Vec<String>,
    reports: Vec<ReportInfo>,
    /// Per report (same order): the dense index of its GPU (chip and GPU key).
    gpu: Vec<usize>,
    /// Ledger report id → position in `reports`.
    position: HashMap<i64, usize>,
    gpus: usize,
}

/// A report's start as UTC nanoseconds: reports ordered by their `started_at` text put one
/// started at 01:00+14:00 (11:00 UTC the day before) after one started at 12:00Z that day, and
/// an older failing run became a GPU's latest result (a helper's sweep, 7 December 2026).
fn instant(started_at: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(started_at)
        .ok()?
        .timestamp_nanos_opt()
}

impl Selection {
    /// Reads the identity columns of the reports matching `filter`.
    pub fn read(conn: &Connection, filter: &Filter) -> Result<Self> {
        let (cond, vals) = filter.clause(false);
        let sql = format!(
            "SELECT r.id, r.chip, r.gpu_key, r.node, r.started_at, r.job_id, r.task_id, r.path,
                    r.complete, r.cases_measured
             FROM reports r WHERE {cond}"
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(vals))?;
        let mut chip_names: Vec<String> = Vec::new();
        let mut reports = Vec::new();
        while let Some(r) = rows.next()? {
            let chip = r.get_ref(1)?.as_str()?;
            let chip = match chip_names.iter().position(|c| c == chip) {
                Some(i) => i,
                None => {
                    chip_names.push(chip.to_string());
                    chip_names.len() - 1
                }
            };
            let info = ReportInfo {
                id: r.get(0)?,
                chip,
                gpu_key: r.get(2)?,
                node: r.get(3)?,
                started_at: r.get(4)?,
                started: None,
                job_id: r.get(5)?,
                task_id: r.get(6)?,
                path: r.get(7)?,
                complete: r.get(8)?,
                cases: r.get(9)?,
            };
            super::db::check_report_row(
                &[
                    ("chip", Some(&chip_names[chip])),
                    ("gpu_key", Some(&info.gpu_key)),
                    ("node", Some(&info.node)),
                    ("job_id", info.job_id.as_deref()),
                    ("task_id", info.task_id.as_deref()),
                ],
                &info.started_at,
                info.cases,
            )?;
            reports.push(ReportInfo {
                started: instant(&info.started_at),
                ..info
            });
        }
        // Chips in name order; reports by chip, GPU, newest first.
        let mut order: Vec<usize> = (0..chip_names.len()).collect();
        order.sort_by(|a, b| chip_names[*a].cmp(&chip_names[*b]));
        let mut rank = vec![0; order.len()];
        for (new, old) in order.iter().enumerate() {
            rank[*old] = new;
        }
        let chips: Vec<String> = order.iter().map(|i| chip_names[*i].clone()).collect();
        for r in &mut reports {
            r.chip = rank[r.chip];
        }
        reports.sort_unstable_by(|a, b| {
            (a.chip, &a.gpu_key)
                .cmp(&(b.chip, &b.gpu_key))
                .then_with(|| b.started.cmp(&a.started))
                .then_with(|| b.started_at.cmp(&a.started_at))
                .then_with(|| b.id.cmp(&a.id))
        });
        let mut gpu = Vec::with_capacity(reports.len());
        let mut gpus = 0;
        for (i, r) in reports.iter().enumerate() {
            if i > 0 && (r.chip, &r.gpu_key) != (reports[i - 1].chip, &reports[i - 1].gpu_key) {
                gpus += 1;
            }
            gpu.push(gpus);
        }
        let position = reports.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
        Ok(Self {
            chips,
            gpus: if reports.is_empty() { 0 } else { gpus + 1 },
            reports,
            gpu,
            position,
        })
    }

    /// Distinct GPUs (chip and GPU key) among the selected reports.
    pub fn gpus(&self) -> usize {
        self.gpus
    }

    /// The GPU keys of the selected reports.
    pub fn gpu_keys(&self) -> std::collections::BTreeSet<&str> {
        self.reports.iter().map(|r| r.gpu_key.as_str()).collect()
    }

    /// The GPUs whose latest selected run did not finish (its report says `complete = false`:
    /// interrupted, killed or crashed), each with that report's identity, cases and path.
    pub fn unfinished(&self) -> impl Iterator<Item = Unfinished<'_>> + '_ {
        self.reports
            .iter()
            .zip(&self.gpu)
            .enumerate()
            .filter(move |(i, (_, g))| *i == 0 || self.gpu[i - 1] != **g)
            .filter(|(_, (r, _))| !r.complete)
            .map(|(_, (r, g))| Unfinished {
                gpu: *g,
                chip: &self.chips[r.chip],
                gpu_key: &r.gpu_key,
                node: &r.node,
                job_id: r.job_id.as_deref(),
                task_id: r.task_id.as_deref(),
                cases: r.cases,
                path: &r.path,
            })
    }
}

/// A GPU whose latest selected run did not finish ([`Selection::unfinished`]).
#[derive(Debug, Clone, Copy)]
pub struct Unfinished<'a> {
    /// The GPU's dense index.
    pub gpu: usize,
    pub chip: &'a str,
    pub gpu_key: &'a str,
    pub node: &'a str,
    pub job_id: Option<&'a str>,
    pub task_id: Option<&'a str>,
    /// Cases its report holds.
    pub cases: i64,
    pub path: &'a str,
}

/// One case row of a selected report, waiting for its group to be complete.
#[derive(Debug, Clone, Copy)]
struct Pending {
    /// Position of its report in the selection (its rank).
    report: usize,
    verified: bool,
    flop_per_s: f64,
    bytes_per_s: f64,
    flop_per_j: Option<f64>,
    /// Indices into the scan's interned strings.
    workload: usize,
    dtype: usize,
    energy_grade: Option<usize>,
}

/// The few distinct workload, dtype and grade strings of a scan, each stored once.
#[derive(Debug, Default)]
struct Interned(Vec<String>);

impl Interned {
    fn index(&mut self, s: &str) -> usize {
        match self.0.iter().position(|x| x == s) {
            Some(i) => i,
            None => {
                self.0.push(s.to_string());
                self.0.len() - 1
            }
        }
    }
}

/// The case scan: every `cases` row (of one case when the filter names one) in (case, report)
/// order, read from the covering index alone.
pub(super) fn case_scan_sql(filter: &Filter) -> (String, Vec<Value>) {
    let (cond, vals) = match &filter.case {
        Some(c) => ("WHERE c.case_id = ?1", vec![Value::Text(c.clone())]),
        None => ("", Vec::new()),
    };
    (
        format!(
            "SELECT c.report_id, c.case_id, c.workload, c.dtype, c.verified, c.flop_per_s,
                    c.bytes_per_s, c.flop_per_j, c.energy_grade
             FROM cases c INDEXED BY cases_by_case {cond} ORDER BY c.case_id, c.report_id"
        ),
        vals,
    )
}

/// Calls `f` with each (chip, case) group of `sel`, in chip then case order: each GPU's latest
/// result in that case (latest start, then latest ingested), in GPU-key order. Returns the
/// number of case rows read.
pub fn for_each_group(
    conn: &Connection,
    sel: &Selection,
    filter: &Filter,
    f: &mut dyn FnMut(&[ResultRef<'_>]) -> Result<()>,
) -> Result<usize> {
    let (sql, vals) = case_scan_sql(filter);
    let mut stmt = conn.prepare(&sql)?;
    let mut read = 0;
    for chip in 0..sel.chips.len() {
        let mut rows = stmt.query(rusqlite::params_from_iter(vals.iter()))?;
        let mut strings = Interned::default();
        let mut case_id = String::new();
        let mut batch: Vec<Pending> = Vec::new();
        while let Some(r) = rows.next()? {
            read += 1;
            let Some(&report) = sel.position.get(&r.get::<_, i64>(0)?) else {
                continue;
            };
            if sel.reports[report].chip != chip {
                continue;
            }
            let case = r.get_ref(1)?.as_str()?;
            if case != case_id {
                if let Some(what) = crate::term::unprintable(case) {
                    return Err(crate::error::FlError::usage(format!(
                        "the ledger holds a case {case:?} with {what}, which flopledger never \
                         writes (was the file edited by another program?); rebuild it from the \
                         reports: `flopledger ledger add RESULTS_DIR --db NEW.sqlite`"
                    ))
                    .into());
                }
                flush(sel, chip, &case_id, &strings, &mut batch, f)?;
                case_id = case.to_string();
            }
            let workload = strings.index(r.get_ref(2)?.as_str()?);
            let dtype = strings.index(r.get_ref(3)?.as_str()?);
            let energy_grade = r.get_ref(8)?.as_str_or_null()?.map(|g| strings.index(g));
            let (flop_per_s, bytes_per_s): (f64, f64) = (r.get(5)?, r.get(6)?);
            // Rates flopledger writes are finite and not negative; another program's edit
            // (a negative FLOP/s) would be graded as a bandwidth under the wrong unit.
            if let Some((name, v)) = [("flop_per_s", flop_per_s), ("bytes_per_s", bytes_per_s)]
                .into_iter()
                .find(|(_, v)| !(v.is_finite() && *v >= 0.0))
            {
                return Err(crate::error::FlError::usage(format!(
                    "the ledger holds {name} {v:?} for case {case} of {}, which flopledger never \
                     writes (was the file edited by another program?); rebuild it from the \
                     reports: `flopledger ledger add RESULTS_DIR --db NEW.sqlite`",
                    sel.reports[report].path
                ))
                .into());
            }
            batch.push(Pending {
                report,
                verified: r.get(4)?,
                flop_per_s,
                bytes_per_s,
                flop_per_j: r.get(7)?,
                workload,
                dtype,
                energy_grade,
            });
        }
        flush(sel, chip, &case_id, &strings, &mut batch, f)?;
    }
    Ok(read)
}

/// Hands on one group: the batch ranked, each GPU's first (latest) row kept.
fn flush(
    sel: &Selection,
    chip: usize,
    case_id: &str,
    strings: &Interned,
    batch: &mut Vec<Pending>,
    f: &mut dyn FnMut(&[ResultRef<'_>]) -> Result<()>,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    batch.sort_unstable_by_key(|p| p.report);
    batch.dedup_by_key(|p| sel.gpu[p.report]);
    let s = |i: usize| strings.0[i].as_str();
    let rows: Vec<ResultRef<'_>> = batch
        .iter()
        .map(|p| {
            let r = &sel.reports[p.report];
            ResultRef {
                gpu: sel.gpu[p.report],
                chip: &sel.chips[chip],
                case_id,
                workload: s(p.workload),
                dtype: s(p.dtype),
                gpu_key: &r.gpu_key,
                node: &r.node,
                started_at: &r.started_at,
                job_id: r.job_id.as_deref(),
                task_id: r.task_id.as_deref(),
                verified: p.verified,
                flop_per_s: p.flop_per_s,
                bytes_per_s: p.bytes_per_s,
                flop_per_j: p.flop_per_j,
                energy_grade: p.energy_grade.map(s),
                path: &r.path,
            }
        })
        .collect();
    f(&rows)?;
    batch.clear();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The query plan of the case scan, one line per step.
    fn plan(conn: &Connection, filter: &Filter) -> Vec<String> {
        let (sql, vals) = case_scan_sql(filter);
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        stmt.query_map(rusqlite::params_from_iter(vals), |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn the_case_scan_reads_the_covering_index_in_order_and_sorts_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::fleet::db::open(&dir.path().join("l.sqlite")).unwrap();
        for filter in [
            Filter::default(),
            Filter {
                case: Some("gemm-f32".into()),
                ..Filter::default()
            },
        ] {
            let steps = plan(&conn, &filter);
            assert!(
                steps
                    .iter()
                    .any(|s| s.contains("USING COVERING INDEX cases_by_case")),
                "{steps:?}"
            );
            assert!(
                !steps.iter().any(|s| s.contains("TEMP B-TREE")),
                "{steps:?}"
            );
        }
    }
}
