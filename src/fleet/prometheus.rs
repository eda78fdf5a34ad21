//! The latest result per GPU and case in the Prometheus text exposition format, for the node
//! exporter's textfile collector: throughput, ratio to the peers' median, robust z, work per
//! joule (FLOP/J or OP/J, with its grade as a label), verification, and each GPU's verdict.

use super::analysis::FleetAnalysis;
use super::grade::{CaseSource, GpuCaseView};
use super::thresholds::Status;
use std::io::Write;

/// A label value with `\`, `"` and newlines escaped as the format requires.
fn esc(v: &str) -> String {
    v.replace('\\', r"\\")
        .replace('"', "\\\"")
        .replace('\n', r"\n")
}

fn labels(c: &GpuCaseView) -> String {
    format!(
        "gpu=\"{}\",node=\"{}\",chip=\"{}\",case=\"{}\"",
        esc(c.gpu_key),
        esc(c.node),
        esc(c.chip),
        esc(c.case_id)
    )
}

/// One metric family over the graded cases: its extra labels and value for a case, if any.
type Sample = fn(&GpuCaseView) -> Option<(String, String)>;

/// The per-case families: name, help, sample.
const FAMILIES: [(&str, &str, Sample); 6] = [
    (
        "flopledger_throughput",
        "Latest measured throughput of the case on the GPU in its unit label (FLOP/s; OP/s for integer dot products; B/s for copies and reads).",
        |c| Some((format!(",unit=\"{}\"", esc(c.unit)), format!("{:e}", c.throughput))),
    ),
    (
        "flopledger_ratio_to_peer_median",
        "Throughput divided by the median of the GPUs of the same chip in the same case.",
        |c| c.ratio_to_median.map(|r| (String::new(), r.to_string())),
    ),
    (
        "flopledger_robust_z",
        "Robust z-score of the throughput against the GPU's peers (MAD-based).",
        |c| c.z.map(|z| (String::new(), z.to_string())),
    ),
    (
        "flopledger_work_per_joule",
        "Work per joule of the case in its unit label (FLOP/J; OP/J for integer dot products); the grade label says how the energy was measured (A counter … D nominal).",
        |c| match (c.flop_per_j, c.energy_grade) {
            (Some(e), Some(g)) => Some((
                format!(
                    ",unit=\"{}\",grade=\"{}\"",
                    super::grade::per_joule(c.unit),
                    esc(g)
                ),
                format!("{e:e}"),
            )),
            _ => None,
        },
    ),
    (
        "flopledger_verification_ok",
        "1 if the case's output matched the CPU reference, 0 if not (wrong results).",
        |c| Some((String::new(), u8::from(c.verified).to_string())),
    ),
    (
        "flopledger_result_timestamp_seconds",
        "Start of the run that produced the result, Unix seconds.",
        |c| {
            chrono::DateTime::parse_from_rfc3339(c.started_at)
                .ok()
                .map(|t| (String::new(), t.timestamp().to_string()))
        },
    ),
];

fn header(w: &mut dyn Write, name: &str, help: &str) -> std::io::Result<()> {
    writeln!(w, "# HELP {name} {help}\n# TYPE {name} gauge")
}

/// Writes the metrics text to `w`: one pass over `cases` per metric family (the format wants
/// each family's samples together), then each GPU's verdict.
pub fn write(a: &FleetAnalysis, cases: &dyn CaseSource, w: &mut dyn Write) -> anyhow::Result<()> {
    // Each line is several small writes: gathered here rather than one `dyn` call each.
    let w = &mut std::io::BufWriter::with_capacity(1 << 18, w);
    for (name, help, sample) in FAMILIES {
        header(w, name, help)?;
        cases.each_case(&mut |c| {
            if let Some((extra, value)) = sample(c) {
                writeln!(w, "{name}{{{}{extra}}} {value}", labels(c))?;
            }
            Ok(())
        })?;
    }
    header(
        w,
        "flopledger_gpu_status",
        "Fleet verdict of the GPU: 0 OK, 1 WARN, 2 CRITICAL.",
    )?;
    for g in &a.gpus {
        let v = match g.status {
            Status::Ok => 0,
            Status::Warn => 1,
            Status::Critical => 2,
        };
        writeln!(
            w,
            "flopledger_gpu_status{{gpu=\"{}\",node=\"{}\",chip=\"{}\"}} {v}",
            esc(&g.gpu_key),
            esc(&g.node),
            esc(&g.chip)
        )?;
    }
    w.flush()?;
    Ok(())
}

/// The metrics text of an analysis that kept its cases.
pub fn render(a: &FleetAnalysis) -> String {
    let mut out = Vec::new();
    // Writing into memory from memory cannot fail; an error would leave its message visible.
    if let Err(e) = write(a, &a.cases, &mut out) {
        out.extend_from_slice(format!("# error: {e:#}\n").as_bytes());
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(esc("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
