//! What the ledger keeps of one report: the identity columns of `reports` and one `cases` row
//! per measured case, taken from the parsed report.

use crate::gpu::Backend;
use crate::report::Report;
use rusqlite::{params, Connection};
use sha2::{Digest, Sha256};
use std::path::Path;

/// One measured case as the ledger stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRow {
    pub case_id: String,
    pub workload: String,
    pub dtype: String,
    pub verified: bool,
    pub median_ns: f64,
    pub min_ns: f64,
    pub flop_per_s: f64,
    pub bytes_per_s: f64,
    pub flop_per_j: Option<f64>,
    pub energy_grade: Option<String>,
}

/// One report as the ledger stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    pub content_sha256: String,
    pub run_key: String,
    pub path: String,
    pub report_schema_version: u32,
    pub tool_version: String,
    pub started_at: String,
    pub complete: bool,
    pub hostname: Option<String>,
    pub node: String,
    pub adapter_name: String,
    pub adapter_index: usize,
    pub backend: Backend,
    pub driver: Option<String>,
    pub gpu_uuid: Option<String>,
    pub pci_bus_id: Option<String>,
    pub gpu_key: String,
    pub chip: String,
    pub power_limit_w: Option<f64>,
    pub scheduler: Option<String>,
    pub job_id: Option<String>,
    pub task_id: Option<String>,
    pub local_id: Option<String>,
    pub cases: Vec<CaseRow>,
}

impl ReportRow {
    /// The row for `report`, whose file had SHA-256 `sha` and lies at `path`.
    pub fn from_report(report: &Report, sha: String, path: &Path) -> Self {
        let id = &report.identity;
        let sched = id.scheduler.as_ref();
        let node = sched
            .and_then(|s| s.node_name.clone())
            .or_else(|| report.host.hostname.clone())
            .unwrap_or_else(|| "unknown-host".into());
        let pci_bus_id = id
            .gpu
            .pci_bus_id
            .clone()
            .or_else(|| report.adapter.pci_bus_id.clone());
        // The GPU: its UUID; else its PCI slot on the node; else (no hardware identity, e.g. a
        // software adapter) the adapter index and the scheduler's local task id, which the
        // generated batch scripts map one to one onto GPUs.
        let gpu_key = match (&id.gpu.uuid, &pci_bus_id) {
            (Some(uuid), _) => uuid.clone(),
            (None, Some(bus)) => format!("{node}/{bus}"),
            (None, None) => match sched.and_then(|s| s.local_id.as_deref()) {
                Some(local) => format!("{node}/adapter{}/local{local}", report.adapter.index),
                None => format!("{node}/adapter{}", report.adapter.index),
            },
        };
        // The chip the run was priced as (`--chip`), except on a software adapter: its figures
        // describe the host CPU, and under a catalog name they were graded among that chip's
        // GPUs and valued as one (a helper's sweep: three llvmpipe runs with `--chip H100-SXM5`
        // appeared as H100s worth $55,879, "llvmpipe" nowhere in the fleet report).
        let chip = report
            .economics
            .as_ref()
            .and_then(|e| e.chip.as_ref())
            .filter(|_| !report.adapter.is_software())
            .map(|c| c.name.clone())
            .unwrap_or_else(|| report.adapter.name.clone());
        // A run is its host, start time, GPU and command line: each rewrite of its report
        // (one per finished case) has the same key.
        let run_key = {
            let mut h = Sha256::new();
            for part in [&node, &report.started_at, &gpu_key] {
                h.update(part.as_bytes());
                h.update([0]);
            }
            for arg in &report.command_line {
                h.update(arg.as_bytes());
                h.update([0]);
            }
            h.finalize().iter().map(|b| format!("{b:02x}")).collect()
        };
        let cases = report
            .cases
            .iter()
            .map(|c| CaseRow {
                case_id: c.id.clone(),
                workload: c.workload.id().to_string(),
                dtype: c.dtype.id().to_string(),
                verified: c.verification.pass,
                median_ns: c.stats.median_ns,
                min_ns: c.stats.min_ns,
                flop_per_s: c.throughput.flop_per_s,
                bytes_per_s: c.throughput.bytes_per_s,
                flop_per_j: c.energy.as_ref().map(|e| e.flop_per_joule),
                energy_grade: c.energy.as_ref().map(|e| e.grade.to_string()),
            })
            .collect();
        Self {
            content_sha256: sha,
            run_key,
            path: path.display().to_string(),
            report_schema_version: report.schema_version,
            tool_version: report.tool.version.clone(),
            started_at: report.started_at.clone(),
            complete: report.status.complete,
            hostname: report.host.hostname.clone(),
            node,
            adapter_name: report.adapter.name.clone(),
            adapter_index: report.adapter.index,
            backend: report.adapter.backend,
            driver: id.gpu.driver_version.clone(),
            gpu_uuid: id.gpu.uuid.clone(),
            pci_bus_id,
            gpu_key,
            chip,
            power_limit_w: id.gpu.power_limit_w,
            scheduler: sched.map(|s| s.kind.id().to_string()),
            job_id: sched.and_then(|s| s.job_id.clone()),
            task_id: sched.and_then(|s| s.task_id.clone()),
            local_id: sched.and_then(|s| s.local_id.clone()),
            cases,
        }
    }

    /// Inserts the report and its cases (inside the caller's transaction).
    pub fn insert(&self, conn: &Connection) -> rusqlite::Result<()> {
        conn.prepare_cached(
            "INSERT INTO reports (content_sha256, run_key, path, ingested_at, report_schema_version,
                tool_version, started_at, complete, cases_measured, hostname, node, adapter_name,
                adapter_index, backend, driver, gpu_uuid, pci_bus_id, gpu_key, chip, power_limit_w,
                scheduler, job_id, task_id, local_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                ?18, ?19, ?20, ?21, ?22, ?23, ?24)",
        )?
        .execute(params![
            self.content_sha256,
            self.run_key,
            self.path,
            chrono::Utc::now().to_rfc3339(),
            self.report_schema_version,
            self.tool_version,
            self.started_at,
            self.complete,
            self.cases.len() as i64,
            self.hostname,
            self.node,
            self.adapter_name,
            self.adapter_index as i64,
            self.backend.as_str(),
            self.driver,
            self.gpu_uuid,
            self.pci_bus_id,
            self.gpu_key,
            self.chip,
            self.power_limit_w,
            self.scheduler,
            self.job_id,
            self.task_id,
            self.local_id,
        ])?;
        let report_id = conn.last_insert_rowid();
        let mut stmt = conn.prepare_cached(
            "INSERT OR REPLACE INTO cases (report_id, case_id, workload, dtype, verified, median_ns, min_ns,
                flop_per_s, bytes_per_s, flop_per_j, energy_grade)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        for c in &self.cases {
            stmt.execute(params![
                report_id,
                c.case_id,
                c.workload,
                c.dtype,
                c.verified,
                c.median_ns,
                c.min_ns,
                c.flop_per_s,
                c.bytes_per_s,
                c.flop_per_j,
                c.energy_grade,
            ])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gpu::info::DeviceKind;

    /// A report is filed under the chip it was priced as, except one measured on a software
    /// adapter: under the adapter's name, whatever `--chip` said.
    #[test]
    fn a_software_adapter_is_filed_under_its_own_name() {
        let mut r = crate::report::fixture::sample_report();
        let priced_as = r
            .economics
            .as_ref()
            .and_then(|e| e.chip.as_ref())
            .unwrap()
            .name
            .clone();
        let path = Path::new("r.json");
        r.adapter.device_kind = DeviceKind::DiscreteGpu;
        assert_eq!(ReportRow::from_report(&r, "a".into(), path).chip, priced_as);
        r.adapter.device_kind = DeviceKind::Cpu;
        let row = ReportRow::from_report(&r, "a".into(), path);
        assert_eq!(row.chip, r.adapter.name);
        assert_ne!(row.chip, priced_as);
    }
}
