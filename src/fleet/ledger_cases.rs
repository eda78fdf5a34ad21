//! The graded cases of a fleet analysis, re-read from the ledger and re-graded group by group
//! against the analysis's distributions, for the formats that list every case (JSON,
//! Prometheus): the cases of 10,000 GPUs never sit in memory together. The caller holds one
//! read transaction across the analysis and these passes, so every pass sees the same rows.

use super::analyser::Analyser;
use super::analysis::FleetAnalysis;
use super::grade::{grade, CaseSource, GpuCaseView};
use super::query::Filter;
use super::stream::{for_each_group, Selection};
use anyhow::Result;
use rusqlite::Connection;

/// The cases of `analysis`, which was built from `selection` and `filter` over `conn`.
pub struct LedgerCases<'a> {
    pub conn: &'a Connection,
    pub selection: &'a Selection,
    pub filter: &'a Filter,
    pub analysis: &'a FleetAnalysis,
    /// The GPUs to list where the report shows some of the graded ones (`--node`, `--gpu`):
    /// the groups are re-read whole, to match the analysis, and the others left out.
    pub shown: Option<&'a std::collections::BTreeSet<String>>,
}

impl CaseSource for LedgerCases<'_> {
    fn each_case(&self, f: &mut dyn FnMut(&GpuCaseView<'_>) -> Result<()>) -> Result<()> {
        let groups = &self.analysis.groups;
        let th = &self.analysis.thresholds;
        let mut next = 0;
        let mut catalog_row = None;
        for_each_group(self.conn, self.selection, self.filter, &mut |rows| {
            let Some(first) = rows.first() else {
                return Ok(());
            };
            let group = groups
                .get(next)
                .filter(|g| {
                    g.chip == first.chip && g.case_id == first.case_id && g.gpus == rows.len()
                })
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "the ledger's results changed between two reads of one report \
                         ({} / {}); run the report again",
                        first.chip,
                        first.case_id
                    )
                })?;
            next += 1;
            let chip = Analyser::chip_row(&mut catalog_row, first.chip);
            for r in rows {
                if self.shown.is_some_and(|s| !s.contains(r.gpu_key)) {
                    continue;
                }
                let g = grade(r, group, chip, th);
                f(&GpuCaseView::new(r, &g))?;
            }
            Ok(())
        })?;
        Ok(())
    }
}
