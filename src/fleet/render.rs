//! The fleet report as Markdown and JSON (HTML in `render_html`, Prometheus in `prometheus`).
//! Formatting only: every figure comes from [`FleetAnalysis`].

use super::analysis::{CapacityLoss, CaseGroup, FleetAnalysis, GpuVerdict};
use super::grade::CaseSource;
use super::money::FleetMoney;
use super::thresholds::{Status, Thresholds};
use crate::units::si;
use serde::{Serialize, Serializer};
use std::fmt::Write;

/// A percentage given in percent (the fleet analysis keeps percents), one way formatted.
fn pct(percent: Option<f64>) -> String {
    crate::units::pct_opt(percent.map(|v| v / 100.0))
}

/// Fleets up to this size get a row per GPU; larger ones list only the flagged GPUs.
pub const MAX_GPUS_LISTED: usize = 64;

/// The fleet report: what every format shows.
pub struct FleetReport<'a> {
    pub generated_at: String,
    /// Which results: e.g. `job 1234` or `all results in the ledger`.
    pub selection: String,
    pub counts: Counts,
    pub analysis: &'a FleetAnalysis,
    /// The fleet in dollars (market model) and the capacity lost to flagged GPUs.
    pub money: &'a FleetMoney,
    /// Every graded case for the JSON: the analysis's own, or streamed from the ledger.
    pub cases: &'a dyn CaseSource,
}

/// GPUs and nodes by verdict.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Counts {
    pub gpus: usize,
    pub nodes: usize,
    pub ok: usize,
    pub warn: usize,
    pub critical: usize,
}

impl<'a> FleetReport<'a> {
    pub fn new(analysis: &'a FleetAnalysis, money: &'a FleetMoney, selection: String) -> Self {
        let count = |s: Status| analysis.gpus.iter().filter(|g| g.status == s).count();
        Self {
            generated_at: chrono::Utc::now().to_rfc3339(),
            selection,
            counts: Counts {
                gpus: analysis.gpus.len(),
                nodes: analysis.weakest_per_node.len(),
                ok: count(Status::Ok),
                warn: count(Status::Warn),
                critical: count(Status::Critical),
            },
            analysis,
            money,
            cases: &analysis.cases,
        }
    }

    /// The same report with its graded cases taken from `cases`.
    pub fn with_cases(self, cases: &'a dyn CaseSource) -> Self {
        Self { cases, ..self }
    }
}

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

fn opt_si(v: Option<f64>, unit: &str) -> String {
    v.map_or_else(|| "n/a".into(), |x| si(x, unit))
}

fn job_task(job: &Option<String>, task: &Option<String>) -> String {
    match (job, task) {
        (Some(j), Some(t)) => format!("{j}.{t}"),
        (Some(j), None) => j.clone(),
        _ => String::new(),
    }
}

pub fn markdown(r: &FleetReport) -> String {
    let a = r.analysis;
    let c = r.counts;
    let mut s = String::new();
    let _ = writeln!(s, "# Fleet report\n");
    let _ = writeln!(
        s,
        "{} · {} GPUs on {} nodes · **{} OK, {} WARN, {} CRITICAL** · generated {}\n",
        r.selection, c.gpus, c.nodes, c.ok, c.warn, c.critical, r.generated_at
    );
    let _ = writeln!(s, "## Flagged GPUs\n");
    let flagged: Vec<_> = a.gpus.iter().filter(|g| g.status > Status::Ok).collect();
    if flagged.is_empty() {
        let _ = writeln!(s, "None: every GPU is within the thresholds below.\n");
    } else {
        let _ = writeln!(
            s,
            "| status | GPU | node | chip | job.task | reasons |\n|---|---|---|---|---|---|"
        );
        for g in flagged {
            let _ = writeln!(
                s,
                "| {} | `{}` | {} | {} | {} | {} |",
                g.status.label(),
                g.gpu_key,
                g.node,
                g.chip,
                job_task(&g.job_id, &g.task_id),
                g.reasons.join("; ")
            );
        }
        s.push('\n');
    }
    let _ = writeln!(s, "## Per chip and case\n");
    let _ = writeln!(
        s,
        "| chip | case | GPUs | median | MAD | p5 | p95 | min | median % of spec | median FLOP/J | failed verification |\n|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for g in &a.groups {
        let d = g.throughput;
        let f = |x: fn(&super::thresholds::Distribution) -> f64| opt_si(d.as_ref().map(x), &g.unit);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            g.chip,
            g.case_id,
            g.gpus,
            f(|d| d.median),
            f(|d| d.mad),
            f(|d| d.p5),
            f(|d| d.p95),
            f(|d| d.min),
            pct(g.median_pct_of_spec),
            opt_si(g.flop_per_j.map(|d| d.median), "FLOP/J"),
            g.failed_verification
        );
    }
    let _ = writeln!(s, "\n## Weakest GPU of each node\n");
    let _ = writeln!(
        s,
        "| node | GPU | status | mean throughput / peers' median |\n|---|---|---|---|"
    );
    for g in &a.weakest_per_node {
        let ratio = g.mean_ratio.map_or("n/a".into(), |r| format!("{:.3}", r));
        let _ = writeln!(
            s,
            "| {} | `{}` | {} | {ratio} |",
            g.node,
            g.gpu_key,
            g.status.label()
        );
    }
    s.push_str(&super::render_money::markdown(r.money, &a.capacity));
    if a.gpus.len() <= MAX_GPUS_LISTED {
        let _ = writeln!(s, "\n## Every GPU and case\n");
        let _ = writeln!(
            s,
            "| GPU | node | case | throughput | vs median | robust z | % of spec | FLOP/J | status |\n|---|---|---|---|---|---|---|---|---|"
        );
        for g in &a.cases {
            let _ = writeln!(
                s,
                "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} |",
                g.gpu_key,
                g.node,
                g.case_id,
                si(g.throughput, &g.unit),
                g.ratio_to_median
                    .map_or("n/a".into(), |r| format!("{r:.3}")),
                g.z.map_or("n/a".into(), |z| format!("{z:.1}")),
                pct(g.pct_of_spec),
                match (&g.flop_per_j, &g.energy_grade) {
                    (Some(e), Some(gr)) => format!("{} (grade {gr})", si(*e, "FLOP/J")),
                    _ => "n/a (grade none)".into(),
                },
                g.status.label()
            );
        }
    }
    let _ = writeln!(s, "\n## Rules\n\n{}", a.rules);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::analysis::analyse;
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
