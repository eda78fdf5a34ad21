//! The cases against the matched chip's spec sheet (`report::spec`).

use super::Table;
use crate::report::model::Report;
use crate::report::spec::{figure, NOT_COMPARED};
use crate::units::{pct, si};

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

/// Which cases the spec table leaves out for having no comparable figure (WGSL f16 and int8
/// compute) and why, when the table has rows.
pub fn spec_note(r: &Report) -> Option<String> {
    let left: Vec<&str> = r
        .cases
        .iter()
        .filter(|c| figure(c.workload, c.dtype).is_none())
        .map(|c| c.id.as_str())
        .collect();
    (!left.is_empty() && r.cases.iter().any(|c| c.throughput.of_spec.is_some()))
        .then(|| format!("{NOT_COMPARED} ({}).", left.join(", ")))
}

/// The sentence above the spec table: which chip and which figure each kind of case meets.
pub fn spec_intro(r: &Report) -> String {
    let chip = r
        .economics
        .as_ref()
        .and_then(|e| e.chip.as_ref())
        .map_or("the matched catalog chip".to_string(), |c| c.name.clone());
    format!(
        "Each case against the figure of {chip}'s spec sheet for the units it runs on: WGSL f32 \
         kernels against the fp32 vector peak, the cooperative-matrix GEMM against the dense \
         fp16 tensor peak, streams, GEMV and decode attention against the memory bandwidth. \
         Cases that failed verification are left out."
    )
}
