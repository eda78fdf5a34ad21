//! The cases against the matched chip's spec sheet (`report::spec`).

use super::Table;
use crate::report::model::Report;
use crate::report::spec::{figure, NOT_COMPARED};
use crate::units::{pct, si};
use std::collections::BTreeMap;

/// One row per case compared with a spec figure: the case, its kernel, its rate, the figure
/// and the share; `None` when no case has one (no chip matched, or no figure).
pub fn spec(r: &Report) -> Option<Table> {
    let mut t = Table::new(&[
        "case",
        "kernel",
        "measured",
        "spec figure",
        "spec",
        "% of spec",
    ]);
    for c in &r.cases {
        let Some(s) = c.throughput.of_spec else {
            continue;
        };
        let (measured, unit) = if s.figure.is_bandwidth() {
            (c.throughput.bytes_per_s, "B/s")
        } else {
            (c.throughput.flop_per_s, "FLOP/s")
        };
        t.rows.push(vec![
            c.id.clone(),
            super::f::kernel(&c.kernel),
            si(measured, unit),
            s.figure.label().to_string(),
            si(s.spec, unit),
            pct(s.pct / 100.0),
        ]);
    }
    (!t.rows.is_empty()).then_some(t)
}

/// Which valid cases the spec table leaves out and why, when the table has rows: WGSL int8
/// compute (no comparable figure), and cases whose figure the matched chip's catalog row lacks
/// (e.g. a vector fp16 peak no source gave).
pub fn spec_note(r: &Report) -> Option<String> {
    if !r.cases.iter().any(|c| c.throughput.of_spec.is_some()) {
        return None;
    }
    let left = r
        .cases
        .iter()
        .filter(|c| c.valid() && c.throughput.of_spec.is_none());
    let mut lacking: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut int8 = Vec::new();
    for c in left {
        match figure(c.workload, c.dtype) {
            Some(f) => lacking.entry(f.label()).or_default().push(&c.id),
            None => int8.push(c.id.as_str()),
        }
    }
    let chip = chip_name(r);
    let mut out: Vec<String> = lacking
        .into_iter()
        .map(|(label, ids)| {
            format!(
                "The catalog has no {label} for {chip} (data/chips.csv), so these cases are \
                 not compared: {}.",
                ids.join(", ")
            )
        })
        .collect();
    if !int8.is_empty() {
        out.push(format!("{NOT_COMPARED} ({}).", int8.join(", ")));
    }
    (!out.is_empty()).then(|| out.join(" "))
}

fn chip_name(r: &Report) -> String {
    r.economics
        .as_ref()
        .and_then(|e| e.chip.as_ref())
        .map_or("the matched catalog chip".to_string(), |c| c.name.clone())
}

/// The sentence above the spec table: which chip and which figure each kind of case meets.
pub fn spec_intro(r: &Report) -> String {
    let chip = chip_name(r);
    format!(
        "Each case against the figure of {chip}'s spec sheet for the units it runs on: WGSL f32 \
         and f16 kernels against the fp32 and fp16 vector peaks (without the tensor cores), the \
         cooperative-matrix GEMM against the dense fp16 tensor peak, streams, GEMV and decode \
         attention against the memory bandwidth. Cases that failed verification are left out."
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::economics::catalog;
    use crate::report::spec::annotate;
    use crate::workloads::{Dtype, WorkloadKind};

    #[test]
    fn the_note_names_the_cases_a_chip_has_no_figure_for_and_why() {
        let mut r = crate::report::fixture::sample_report();
        // The H200 has every figure its valid f32/f16 cases need: no note.
        assert_eq!(spec_note(&r), None);
        // The T4's fp16 figure is a tensor rate and no source gave its vector one; one case
        // made int8.
        let int8 = r
            .cases
            .iter_mut()
            .find(|c| c.id.starts_with("peak-fma-f16"))
            .unwrap();
        (int8.workload, int8.dtype) = (WorkloadKind::PeakDot4I8, Dtype::I8);
        let int8 = int8.id.clone();
        r.economics.as_mut().unwrap().chip.as_mut().unwrap().name = "NVIDIA Tesla T4".into();
        annotate(&mut r.cases, catalog::find("Tesla T4").ok());
        let note = spec_note(&r).unwrap();
        assert!(
            note.starts_with(
                "The catalog has no fp16 vector peak for NVIDIA Tesla T4 (data/chips.csv), so \
                 these cases are not compared: gemm-f16-4096x4096x4096."
            ),
            "{note}"
        );
        assert!(note.ends_with(&format!("({int8}).")), "{note}");
        // The failed q8_0 GEMV is left out of the table, not listed as lacking a figure.
        assert!(!note.contains("q8_0"), "{note}");
    }
}
