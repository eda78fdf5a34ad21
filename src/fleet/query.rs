//! Reading the ledger: `ledger list` with filters, and the per-GPU results the fleet report
//! analyses. Filters are bound parameters, never pasted into SQL.

use anyhow::Result;
use rusqlite::{types::Value, Connection};

/// Which reports to select. Empty fields select everything.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Filter {
    /// Scheduler node name or host name.
    pub node: Option<String>,
    /// GPU UUID, PCI bus id, or the ledger's GPU key.
    pub gpu: Option<String>,
    /// Chip (catalog name or adapter name), case-insensitive substring.
    pub chip: Option<String>,
    /// Reports that measured this case id.
    pub case: Option<String>,
    /// RFC 3339 time (or a date, `2026-12-01`): reports started at or after it.
    pub since: Option<String>,
    /// Scheduler job id.
    pub job: Option<String>,
}

impl Filter {
    /// The `WHERE` clause over `reports r` (and `cases c` when `with_cases`) and its parameters.
    fn clause(&self, with_cases: bool) -> (String, Vec<Value>) {
        let mut conds = vec!["1 = 1".to_string()];
        let mut vals: Vec<Value> = Vec::new();
        // Each condition takes one parameter, written `{p}` in its template.
        let mut add = |template: &str, v: &str| {
            vals.push(Value::Text(v.to_string()));
            conds.push(template.replace("{p}", &format!("?{}", vals.len())));
        };
        if let Some(n) = &self.node {
            add("r.node = {p}", n);
        }
        if let Some(g) = &self.gpu {
            add(
                "(r.gpu_uuid = {p} OR r.pci_bus_id = {p} OR r.gpu_key = {p})",
                g,
            );
        }
        if let Some(c) = &self.chip {
            add("lower(r.chip) LIKE '%' || lower({p}) || '%'", c);
        }
        if let Some(c) = &self.case {
            if with_cases {
                add("c.case_id = {p}", c);
            } else {
                add(
                    "EXISTS (SELECT 1 FROM cases x WHERE x.report_id = r.id AND x.case_id = {p})",
                    c,
                );
            }
        }
        if let Some(s) = &self.since {
            add("r.started_at >= {p}", s);
        }
        if let Some(j) = &self.job {
            add("r.job_id = {p}", j);
        }
        (conds.join(" AND "), vals)
    }
}

/// One report as `ledger list` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedReport {
    pub started_at: String,
    pub node: String,
    pub gpu_key: String,
    pub chip: String,
    pub job_id: Option<String>,
    pub task_id: Option<String>,
    pub complete: bool,
    pub cases: i64,
    pub path: String,
}

/// Reports matching `filter`, newest first.
pub fn list(conn: &Connection, filter: &Filter) -> Result<Vec<ListedReport>> {
    let (cond, vals) = filter.clause(false);
    let sql = format!(
        "SELECT r.started_at, r.node, r.gpu_key, r.chip, r.job_id, r.task_id, r.complete,
                r.cases_measured, r.path
         FROM reports r WHERE {cond} ORDER BY r.started_at DESC, r.id DESC"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(vals), |r| {
        Ok(ListedReport {
            started_at: r.get(0)?,
            node: r.get(1)?,
            gpu_key: r.get(2)?,
            chip: r.get(3)?,
            job_id: r.get(4)?,
            task_id: r.get(5)?,
            complete: r.get(6)?,
            cases: r.get(7)?,
            path: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// One GPU's latest result for one case (the input of the fleet analysis).
#[derive(Debug, Clone, PartialEq)]
pub struct GpuResult {
    pub chip: String,
    pub case_id: String,
    pub workload: String,
    pub dtype: String,
    pub gpu_key: String,
    pub node: String,
    pub started_at: String,
    pub job_id: Option<String>,
    pub task_id: Option<String>,
    pub verified: bool,
    pub flop_per_s: f64,
    pub bytes_per_s: f64,
    pub flop_per_j: Option<f64>,
    pub energy_grade: Option<String>,
    pub path: String,
}

/// For each (chip, case, GPU) matching `filter`, the most recent result (latest start, then
/// latest ingested), sorted by chip, case and GPU.
///
/// The latest row is picked here rather than by an SQL window function: the window sorts every
/// wide row twice in temporary B-trees (9 s for 320,000 rows of one job on this VM), while one
/// plain join and one sort of the rows in memory take a fraction of that.
pub fn latest_results(conn: &Connection, filter: &Filter) -> Result<Vec<GpuResult>> {
    let (cond, vals) = filter.clause(true);
    let sql = format!(
        "SELECT r.chip, c.case_id, c.workload, c.dtype, r.gpu_key, r.node, r.started_at, r.job_id,
                r.task_id, c.verified, c.flop_per_s, c.bytes_per_s, c.flop_per_j, c.energy_grade,
                r.path, r.id
         FROM reports r JOIN cases c ON c.report_id = r.id
         WHERE {cond}"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(vals), |r| {
        Ok((
            GpuResult {
                chip: r.get(0)?,
                case_id: r.get(1)?,
                workload: r.get(2)?,
                dtype: r.get(3)?,
                gpu_key: r.get(4)?,
                node: r.get(5)?,
                started_at: r.get(6)?,
                job_id: r.get(7)?,
                task_id: r.get(8)?,
                verified: r.get(9)?,
                flop_per_s: r.get(10)?,
                bytes_per_s: r.get(11)?,
                flop_per_j: r.get(12)?,
                energy_grade: r.get(13)?,
                path: r.get(14)?,
            },
            r.get::<_, i64>(15)?,
        ))
    })?;
    let mut all = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    // Newest first within each (chip, case, GPU); then keep the first of each.
    all.sort_unstable_by(|(a, ai), (b, bi)| {
        (&a.chip, &a.case_id, &a.gpu_key)
            .cmp(&(&b.chip, &b.case_id, &b.gpu_key))
            .then_with(|| b.started_at.cmp(&a.started_at))
            .then_with(|| bi.cmp(ai))
    });
    all.dedup_by(|(a, _), (b, _)| {
        a.chip == b.chip && a.case_id == b.case_id && a.gpu_key == b.gpu_key
    });
    Ok(all.into_iter().map(|(r, _)| r).collect())
}
