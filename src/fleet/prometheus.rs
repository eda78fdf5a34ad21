//! The latest result per GPU and case in the Prometheus text exposition format, for the node
//! exporter's textfile collector: throughput, ratio to the peers' median, robust z, FLOP/J
//! (with its grade as a label), verification, and each GPU's verdict.

use super::analysis::FleetAnalysis;
use super::thresholds::Status;
use std::fmt::Write;

/// A label value with `\`, `"` and newlines escaped as the format requires.
fn esc(v: &str) -> String {
    v.replace('\\', r"\\")
        .replace('"', "\\\"")
        .replace('\n', r"\n")
}

fn header(s: &mut String, name: &str, help: &str) {
    let _ = writeln!(s, "# HELP {name} {help}\n# TYPE {name} gauge");
}

/// The metrics text.
pub fn render(a: &FleetAnalysis) -> String {
    let mut s = String::new();
    let labels = |c: &super::analysis::GpuCase| {
        format!(
            "gpu=\"{}\",node=\"{}\",chip=\"{}\",case=\"{}\"",
            esc(&c.gpu_key),
            esc(&c.node),
            esc(&c.chip),
            esc(&c.case_id)
        )
    };
    header(
        &mut s,
        "flopledger_throughput",
        "Latest measured throughput of the case on the GPU (FLOP/s; bytes/s where unit=\"B/s\").",
    );
    for c in &a.cases {
        let _ = writeln!(
            s,
            "flopledger_throughput{{{},unit=\"{}\"}} {:e}",
            labels(c),
            esc(&c.unit),
            c.throughput
        );
    }
    header(
        &mut s,
        "flopledger_ratio_to_peer_median",
        "Throughput divided by the median of the GPUs of the same chip in the same case.",
    );
    for c in &a.cases {
        if let Some(r) = c.ratio_to_median {
            let _ = writeln!(s, "flopledger_ratio_to_peer_median{{{}}} {r}", labels(c));
        }
    }
    header(
        &mut s,
        "flopledger_robust_z",
        "Robust z-score of the throughput against the GPU's peers (MAD-based).",
    );
    for c in &a.cases {
        if let Some(z) = c.z {
            let _ = writeln!(s, "flopledger_robust_z{{{}}} {z}", labels(c));
        }
    }
    header(&mut s, "flopledger_flop_per_joule", "FLOP per joule of the case; the grade label says how it was measured (A counter … D nominal).");
    for c in &a.cases {
        if let (Some(e), Some(g)) = (c.flop_per_j, &c.energy_grade) {
            let _ = writeln!(
                s,
                "flopledger_flop_per_joule{{{},grade=\"{}\"}} {e:e}",
                labels(c),
                esc(g)
            );
        }
    }
    header(
        &mut s,
        "flopledger_verification_ok",
        "1 if the case's output matched the CPU reference, 0 if not (wrong results).",
    );
    for c in &a.cases {
        let _ = writeln!(
            s,
            "flopledger_verification_ok{{{}}} {}",
            labels(c),
            u8::from(c.verified)
        );
    }
    header(
        &mut s,
        "flopledger_result_timestamp_seconds",
        "Start of the run that produced the result, Unix seconds.",
    );
    for c in &a.cases {
        if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&c.started_at) {
            let _ = writeln!(
                s,
                "flopledger_result_timestamp_seconds{{{}}} {}",
                labels(c),
                t.timestamp()
            );
        }
    }
    header(
        &mut s,
        "flopledger_gpu_status",
        "Fleet verdict of the GPU: 0 OK, 1 WARN, 2 CRITICAL.",
    );
    for g in &a.gpus {
        let v = match g.status {
            Status::Ok => 0,
            Status::Warn => 1,
            Status::Critical => 2,
        };
        let _ = writeln!(
            s,
            "flopledger_gpu_status{{gpu=\"{}\",node=\"{}\",chip=\"{}\"}} {v}",
            esc(&g.gpu_key),
            esc(&g.node),
            esc(&g.chip)
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(esc("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
