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
    /// UTC time `YYYY-MM-DDTHH:MM:SS[.f]` (`--since`, normalised by `cli::values::since_time`):
    /// reports started at or after it.
    pub since: Option<String>,
    /// Scheduler job id.
    pub job: Option<String>,
}

impl Filter {
    /// The `WHERE` clause over `reports r` (and `cases c` when `with_cases`) and its parameters.
    pub(super) fn clause(&self, with_cases: bool) -> (String, Vec<Value>) {
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
            // A plain substring test: with LIKE, `%` and `_` in the name would match anything.
            add("instr(lower(r.chip), lower({p})) > 0", c);
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
            // As instants, not text: a report may give its start with an offset
            // (`…T16:50:51+05:00` is 11:50:51 UTC). Text compares where SQLite cannot read it.
            add(
                "COALESCE(julianday(r.started_at) >= julianday({p}), r.started_at >= {p})",
                s,
            );
        }
        if let Some(j) = &self.job {
            add("r.job_id = {p}", j);
        }
        (conds.join(" AND "), vals)
    }
}

/// One report as `ledger list` shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
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
         FROM reports r WHERE {cond} ORDER BY julianday(r.started_at) DESC, r.started_at DESC, r.id DESC"
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
    let rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    for r in &rows {
        super::db::check_report_row(
            &[
                ("node", Some(&r.node)),
                ("gpu_key", Some(&r.gpu_key)),
                ("chip", Some(&r.chip)),
                ("job_id", r.job_id.as_deref()),
                ("task_id", r.task_id.as_deref()),
            ],
            &r.started_at,
            r.cases,
        )?;
    }
    Ok(rows)
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

/// A [`GpuResult`] borrowed from where it was read, with the dense index of its GPU (chip and
/// GPU key) in the selection, so the analysis keys its per-GPU figures by number rather than by
/// comparing strings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResultRef<'a> {
    pub gpu: usize,
    pub chip: &'a str,
    pub case_id: &'a str,
    pub workload: &'a str,
    pub dtype: &'a str,
    pub gpu_key: &'a str,
    pub node: &'a str,
    pub started_at: &'a str,
    pub job_id: Option<&'a str>,
    pub task_id: Option<&'a str>,
    pub verified: bool,
    pub flop_per_s: f64,
    pub bytes_per_s: f64,
    pub flop_per_j: Option<f64>,
    pub energy_grade: Option<&'a str>,
    pub path: &'a str,
}

impl GpuResult {
    /// This result, borrowed, as the `gpu`-th GPU of its selection.
    pub fn as_ref(&self, gpu: usize) -> ResultRef<'_> {
        ResultRef {
            gpu,
            chip: &self.chip,
            case_id: &self.case_id,
            workload: &self.workload,
            dtype: &self.dtype,
            gpu_key: &self.gpu_key,
            node: &self.node,
            started_at: &self.started_at,
            job_id: self.job_id.as_deref(),
            task_id: self.task_id.as_deref(),
            verified: self.verified,
            flop_per_s: self.flop_per_s,
            bytes_per_s: self.bytes_per_s,
            flop_per_j: self.flop_per_j,
            energy_grade: self.energy_grade.as_deref(),
            path: &self.path,
        }
    }
}

impl ResultRef<'_> {
    pub fn to_owned(&self) -> GpuResult {
        GpuResult {
            chip: self.chip.into(),
            case_id: self.case_id.into(),
            workload: self.workload.into(),
            dtype: self.dtype.into(),
            gpu_key: self.gpu_key.into(),
            node: self.node.into(),
            started_at: self.started_at.into(),
            job_id: self.job_id.map(str::to_string),
            task_id: self.task_id.map(str::to_string),
            verified: self.verified,
            flop_per_s: self.flop_per_s,
            bytes_per_s: self.bytes_per_s,
            flop_per_j: self.flop_per_j,
            energy_grade: self.energy_grade.map(str::to_string),
            path: self.path.into(),
        }
    }
}

/// For each (chip, case, GPU) matching `filter`, the most recent result (latest start, then
/// latest ingested), sorted by chip, case and GPU: every group of [`super::stream`] collected.
/// The fleet report streams the groups instead; this is for callers that want them all.
pub fn latest_results(conn: &Connection, filter: &Filter) -> Result<Vec<GpuResult>> {
    let sel = super::stream::Selection::read(conn, filter)?;
    let mut all = Vec::new();
    super::stream::for_each_group(conn, &sel, filter, &mut |rows| {
        all.extend(rows.iter().map(ResultRef::to_owned));
        Ok(())
    })?;
    Ok(all)
}
