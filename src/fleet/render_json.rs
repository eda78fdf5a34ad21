//! The fleet report as JSON: the report's fields with the analysis flattened in, its graded
//! cases written one at a time as the case source hands them over (from the ledger for a large
//! fleet), so a 200 MB report is never held in memory.

use super::analysis::{CapacityLoss, CaseGroup, GpuVerdict};
use super::grade::CaseSource;
use super::money::FleetMoney;
use super::render::{Counts, FleetReport};
use super::thresholds::Thresholds;
use serde::{Serialize, Serializer};

/// The JSON root: the report's fields with the analysis's flattened in, its graded cases
/// written one at a time as they come from the case source.
#[derive(Serialize)]
struct JsonRoot<'a> {
    generated_at: &'a str,
    selection: &'a str,
    counts: Counts,
    // The fields of `FleetAnalysis`, in its order (a test holds the two together).
    thresholds: &'a Thresholds,
    rules: &'a str,
    groups: &'a [CaseGroup],
    cases: Streamed<'a>,
    gpus: &'a [GpuVerdict],
    weakest_per_node: &'a [GpuVerdict],
    capacity: &'a [CapacityLoss],
    money: &'a FleetMoney,
}

/// A JSON array filled from a case source during serialisation.
struct Streamed<'a>(&'a dyn CaseSource);

impl Serialize for Streamed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut seq = s.serialize_seq(None)?;
        let mut failed = None;
        let read = self.0.each_case(&mut |c| {
            seq.serialize_element(c).map_err(|e| {
                let msg = e.to_string();
                failed = Some(e);
                anyhow::anyhow!(msg)
            })
        });
        if let Some(e) = failed {
            return Err(e);
        }
        read.map_err(|e| S::Error::custom(format!("{e:#}")))?;
        seq.end()
    }
}

/// How much JSON [`Chunked`] gathers before handing it on.
const JSON_CHUNK_BYTES: usize = 256 << 10;

/// Gathers serde_json's many small writes (punctuation, indentation, each field) in a buffer
/// whose appends inline, and hands them on in large pieces: through `dyn Write` one call per
/// small write took a fifth of the time of a 200 MB report.
struct Chunked<'a> {
    buf: Vec<u8>,
    out: &'a mut dyn std::io::Write,
}

impl std::io::Write for Chunked<'_> {
    #[inline]
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.write_all(b)?;
        Ok(b.len())
    }

    #[inline]
    fn write_all(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.buf.extend_from_slice(b);
        if self.buf.len() >= JSON_CHUNK_BYTES {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.out.flush()
    }
}

/// Writes the report as pretty JSON to `w`, the graded cases streamed (never all in memory).
pub fn write_json(report: &FleetReport, w: &mut dyn std::io::Write) -> anyhow::Result<()> {
    let a = report.analysis;
    let root = JsonRoot {
        generated_at: &report.generated_at,
        selection: &report.selection,
        counts: report.counts,
        thresholds: &a.thresholds,
        rules: &a.rules,
        groups: &a.groups,
        cases: Streamed(report.cases),
        gpus: &a.gpus,
        weakest_per_node: &a.weakest_per_node,
        capacity: &a.capacity,
        money: report.money,
    };
    let mut out = Chunked {
        buf: Vec::with_capacity(JSON_CHUNK_BYTES + 4096),
        out: w,
    };
    serde_json::to_writer_pretty(&mut out, &root)?;
    std::io::Write::flush(&mut out)?;
    Ok(())
}

pub fn json(report: &FleetReport) -> anyhow::Result<String> {
    let mut out = Vec::new();
    write_json(report, &mut out)?;
    Ok(String::from_utf8(out)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::analysis::{analyse, FleetAnalysis};
    use crate::fleet::query::GpuResult;

    /// The root as a derived struct with the analysis flattened in (how it was written before
    /// the cases were streamed): the streamed JSON must be byte for byte the same.
    #[derive(Serialize)]
    struct Flat<'a> {
        generated_at: &'a str,
        selection: &'a str,
        counts: Counts,
        #[serde(flatten)]
        analysis: &'a FleetAnalysis,
        money: &'a FleetMoney,
    }

    #[test]
    fn streamed_json_is_the_flattened_analysis_byte_for_byte() {
        let results: Vec<GpuResult> = (0..5)
            .map(|g| GpuResult {
                chip: "H100".into(),
                case_id: "gemm-f32".into(),
                workload: "gemm".into(),
                dtype: "f32".into(),
                gpu_key: format!("GPU-{g}"),
                node: "n0".into(),
                started_at: "2026-12-01T00:00:00Z".into(),
                job_id: Some("1".into()),
                task_id: Some(g.to_string()),
                verified: g != 3,
                flop_per_s: 1e12 * (1.0 - 0.3 * f64::from(u8::from(g == 1))),
                bytes_per_s: 1e11,
                flop_per_j: Some(1e9),
                energy_grade: Some("B".into()),
                path: format!("/r/{g}.json"),
            })
            .collect();
        let a = analyse(results, &Thresholds::default());
        let m = crate::fleet::money::compute(&a, &Default::default());
        let r = FleetReport::new(&a, &m, "job 1".into());
        let flat = Flat {
            generated_at: &r.generated_at,
            selection: &r.selection,
            counts: r.counts,
            analysis: &a,
            money: &m,
        };
        assert_eq!(
            json(&r).unwrap(),
            serde_json::to_string_pretty(&flat).unwrap()
        );
        assert!(json(&r).unwrap().contains("\"gpu_key\": \"GPU-4\""));
    }
}
