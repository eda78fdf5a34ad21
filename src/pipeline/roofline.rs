//! Roofline ceilings from the run's own peak and stream cases, and each case's share of them.
//!
//! Bound of a case = min(compute ceiling of its dtype, arithmetic intensity × bandwidth
//! ceiling). The compute ceiling is the best valid peak-fma (or peak-dot4) case of that dtype;
//! without one, f32's is used for any dtype; the bandwidth ceiling is the best valid stream case.

use crate::report::{CaseResult, Ceiling, Roofline};
use crate::workloads::WorkloadKind;

/// Ceilings measured in this run, if any.
pub fn ceilings(cases: &[CaseResult]) -> Option<Roofline> {
    let mut compute: Vec<Ceiling> = Vec::new();
    for c in cases.iter().filter(|c| {
        c.valid() && matches!(c.workload, WorkloadKind::PeakFma | WorkloadKind::PeakDot4I8)
    }) {
        match compute.iter_mut().find(|x| x.dtype == c.dtype) {
            Some(x) if x.flop_per_s >= c.throughput.flop_per_s => {}
            Some(x) => {
                x.flop_per_s = c.throughput.flop_per_s;
                x.case_id = c.id.clone();
            }
            None => compute.push(Ceiling {
                dtype: c.dtype,
                flop_per_s: c.throughput.flop_per_s,
                case_id: c.id.clone(),
            }),
        }
    }
    let bw = cases
        .iter()
        .filter(|c| {
            c.valid()
                && matches!(
                    c.workload,
                    WorkloadKind::StreamCopy | WorkloadKind::StreamTriad
                )
        })
        .max_by(|a, b| {
            a.throughput
                .bytes_per_s
                .total_cmp(&b.throughput.bytes_per_s)
        });
    if compute.is_empty() && bw.is_none() {
        return None;
    }
    Some(Roofline {
        compute,
        bandwidth_bytes_per_s: bw.map(|c| c.throughput.bytes_per_s),
        bandwidth_case_id: bw.map(|c| c.id.clone()),
    })
}

/// Fills each case's shares of the measured ceilings.
pub fn annotate(cases: &mut [CaseResult], roof: &Roofline) {
    let f32_peak = roof
        .compute
        .iter()
        .find(|c| c.dtype == crate::workloads::Dtype::F32)
        .map(|c| c.flop_per_s);
    for c in cases.iter_mut() {
        let peak = roof
            .compute
            .iter()
            .find(|x| x.dtype == c.dtype)
            .map(|x| x.flop_per_s)
            .or(f32_peak);
        let t = &mut c.throughput;
        t.pct_of_measured_peak = peak.map(|p| 100.0 * t.flop_per_s / p);
        t.pct_of_measured_bandwidth = roof
            .bandwidth_bytes_per_s
            .map(|b| 100.0 * t.bytes_per_s / b);
        if let (Some(p), Some(b)) = (peak, roof.bandwidth_bytes_per_s) {
            let bound = p.min(t.arithmetic_intensity * b);
            if bound > 0.0 {
                t.pct_of_roofline = Some(100.0 * t.flop_per_s / bound);
            }
        }
    }
}
