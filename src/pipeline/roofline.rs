//! Roofline ceilings from the run's own peak and stream cases, and each case's share of them.
//!
//! Bound of a case = min(compute ceiling of its dtype, arithmetic intensity × bandwidth
//! ceiling). The compute ceiling is the best valid peak-fma (or peak-dot4) case of that dtype;
//! without one, f32's is used for any dtype. An f16 case's ceiling is never below f32's: its
//! kernels may widen f16 data to f32 and accumulate there (ours do), so where f16 arithmetic is
//! slower than f32 (software adapters emulate it) the f32 peak is the one they can reach, and a
//! share of the slower ceiling would overstate them (above 100 %). The bandwidth ceiling is the DRAM plateau: the best
//! valid stream case among the largest working sets (at least half the largest measured one,
//! which the suites place at ≥ 4× the last-level cache), not a cache-resident peak;
//! `bandwidth_case_id` records which case set it. A ceiling case measured again at the end of
//! the run ([`CeilingRecheck`], `pipeline/recheck.rs`) counts at the faster of its two medians.

use crate::gpu::info::LastLevelCache;
use crate::report::{CaseResult, Ceiling, CeilingRecheck, Roofline};
use crate::workloads::{Dtype, Shape, WorkloadKind};

/// The run's roofline where some measured case is not one of its ceiling cases (a share depends
/// on it): what the end-of-run recheck and the fixed cost of a dispatch are measured for.
pub fn beyond_ceilings(cases: &[CaseResult]) -> Option<Roofline> {
    let roof = ceilings(cases, &[])?;
    let ids: Vec<&str> = roof.ceiling_case_ids().collect();
    cases
        .iter()
        .any(|c| !ids.contains(&c.id.as_str()))
        .then_some(roof)
}

/// The case's median time per dispatch, or its recheck's where that was faster, ns.
fn best_median_ns(c: &CaseResult, rechecks: &[CeilingRecheck]) -> f64 {
    rechecks
        .iter()
        .find(|r| r.case_id == c.id)
        .map_or(c.stats.median_ns, |r| {
            r.last_median_ns.min(c.stats.median_ns)
        })
}

/// Ceilings measured in this run, if any, each from the faster of its case's measurement and
/// that case's recheck in `rechecks` (kept in the result).
pub fn ceilings(cases: &[CaseResult], rechecks: &[CeilingRecheck]) -> Option<Roofline> {
    let mut compute: Vec<Ceiling> = Vec::new();
    for c in cases.iter().filter(|c| c.valid() && c.workload.is_peak()) {
        let rate = c.flops_per_dispatch / (best_median_ns(c, rechecks) * 1e-9);
        match compute.iter_mut().find(|x| x.dtype == c.dtype) {
            Some(x) if x.flop_per_s >= rate => {}
            Some(x) => {
                x.flop_per_s = rate;
                x.case_id = c.id.clone();
            }
            None => compute.push(Ceiling {
                dtype: c.dtype,
                flop_per_s: rate,
                case_id: c.id.clone(),
            }),
        }
    }
    let bw = dram_plateau(cases, rechecks);
    if compute.is_empty() && bw.is_none() {
        return None;
    }
    Some(Roofline {
        compute,
        bandwidth_bytes_per_s: bw.map(|(_, rate)| rate),
        bandwidth_case_id: bw.map(|(c, _)| c.id.clone()),
        rechecks: rechecks.to_vec(),
        dispatch_floor: None,
    })
}

/// Bytes of all arrays of a stream case (copy: 2, triad: 3 arrays of f32; read: the array read
/// and the folds written), times the copies it rotates over (the read stream's, `cold`).
fn working_set_bytes(c: &CaseResult) -> Option<f64> {
    let one = match (c.workload, c.shape) {
        (WorkloadKind::StreamCopy, Shape::Stream { elements }) => elements as f64 * 8.0,
        (WorkloadKind::StreamTriad, Shape::Stream { elements }) => elements as f64 * 12.0,
        (WorkloadKind::StreamRead, Shape::Stream { .. }) => c.min_bytes_per_dispatch,
        _ => return None,
    };
    Some(one * f64::from(c.input_copies.max(1)))
}

/// The best valid stream case whose working set is at least half the largest one measured, and
/// its bandwidth (the faster of its measurement and its recheck), bytes/s.
pub fn dram_plateau<'c>(
    cases: &'c [CaseResult],
    rechecks: &[CeilingRecheck],
) -> Option<(&'c CaseResult, f64)> {
    let streams: Vec<(&CaseResult, f64)> = cases
        .iter()
        .filter(|c| c.valid())
        .filter_map(|c| working_set_bytes(c).map(|w| (c, w)))
        .collect();
    let largest = streams.iter().map(|(_, w)| *w).fold(0.0, f64::max);
    streams
        .into_iter()
        .filter(|(_, w)| *w >= largest / 2.0)
        .map(|(c, _)| {
            (
                c,
                c.min_bytes_per_dispatch / (best_median_ns(c, rechecks) * 1e-9),
            )
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

/// A warning when the bandwidth ceiling's working set is smaller than twice the adapter's
/// last-level cache (`llc_bytes`): the adapter's binding and texture limits cap the stream
/// sizes, so on a host with a large cache the "DRAM plateau" may be partly cache bandwidth.
pub fn cached_bandwidth_warning(
    cases: &[CaseResult],
    roof: &Roofline,
    llc: &LastLevelCache,
) -> Option<String> {
    let id = roof.bandwidth_case_id.as_deref()?;
    let case = cases.iter().find(|c| c.id == id)?;
    let ws = working_set_bytes(case)?;
    (ws < 2.0 * llc.bytes as f64).then(|| {
        format!(
            "the bandwidth ceiling ({id}) works on {}, less than twice the last-level cache ({}, \
             {}): the adapter's buffer and texture limits cap the stream sizes, so the ceiling \
             may be partly cache bandwidth and shares of it read low for cases that stream from \
             memory",
            crate::units::bytes(ws as u64),
            crate::units::bytes(llc.bytes),
            llc.source
        )
    })
}

/// Share of its compute ceiling above which a case earns [`above_peak_warning`]: 2 % of slack
/// for the medians' own uncertainty.
pub const ABOVE_PEAK: f64 = 102.0;

/// A warning when cases ran faster than the compute ceiling of their dtype (more than
/// [`ABOVE_PEAK`] % of it): no vector kernel can outrun the peak-fma kernel's rate honestly, so
/// the ceiling did not find this adapter's peak and every share of it reads high. The
/// cooperative-matrix GEMM (tensor cores, which the vector ceiling does not bound) and the
/// ceiling cases themselves are left out. `untuned` (`--no-tune`): the ceilings ran their
/// default kernels, and the fix named is to let them be tuned.
pub fn above_peak_warning(cases: &[CaseResult], untuned: bool) -> Option<String> {
    let over: Vec<(&str, f64)> = cases
        .iter()
        .filter(|c| c.valid() && !c.workload.is_peak() && c.workload != WorkloadKind::GemmCoop)
        .filter_map(|c| {
            let p = c.throughput.pct_of_measured_peak?;
            (p > ABOVE_PEAK).then_some((c.id.as_str(), p))
        })
        .collect();
    let (id, worst) = over.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1))?;
    let fix = if untuned {
        "the ceilings ran their default kernels (--no-tune): run without --no-tune so the \
         peak kernels are tuned on this adapter"
    } else {
        "rerun with --retune, and on a quiet machine, so the peak kernels are timed again"
    };
    // The count is of cases beyond the margin, said as such: the table may show more rows a
    // little over 100 % (two counted against six rows over 100 %: a helper's sweep).
    Some(format!(
        "{} case{} ran more than {:.0} % above the compute ceiling of {} dtype (up to {:.1} % \
         of it: {id}), so the peak kernel did not reach this adapter's peak and every share of \
         the roofline reads high; {fix}",
        over.len(),
        if over.len() == 1 { "" } else { "s" },
        ABOVE_PEAK - 100.0,
        if over.len() == 1 { "its" } else { "their" },
        worst,
    ))
}

/// A warning when memory-bound cases ran above their bandwidth bound (more than
/// [`ABOVE_PEAK`] % of their roofline, the bound being arithmetic intensity × the bandwidth
/// ceiling): their data came from a cache, or the ceiling's stream case ran slow, so the
/// ceiling is below what these cases got and their shares read high (a helper's sweep: a GEMV of
/// 4 MiB at 163 % of a 256 MiB copy's bandwidth on a CPU adapter, with only a warning that
/// shares "read low"). The ceiling cases are left out.
pub fn above_bandwidth_warning(cases: &[CaseResult], roof: &Roofline) -> Option<String> {
    let b = roof.bandwidth_bytes_per_s?;
    let ceiling_id = roof.bandwidth_case_id.as_deref().unwrap_or("?");
    let f32_peak = roof
        .compute
        .iter()
        .find(|c| c.dtype == Dtype::F32)
        .map(|c| c.flop_per_s);
    let over: Vec<(&str, f64)> = cases
        .iter()
        .filter(|c| c.valid() && !c.workload.is_peak() && c.workload != WorkloadKind::GemmCoop)
        .filter(|c| c.id != ceiling_id)
        .filter(|c| {
            // Bound by bandwidth: its intensity × bandwidth is below its compute ceiling.
            let memory = c.throughput.arithmetic_intensity * b;
            compute_ceiling(roof, c.dtype, f32_peak).is_none_or(|p| memory < p)
        })
        .filter_map(|c| {
            let p = c.throughput.pct_of_roofline?;
            (p > ABOVE_PEAK).then_some((c.id.as_str(), p))
        })
        .collect();
    let (id, worst) = over.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1))?;
    Some(format!(
        "{} memory-bound case{} ran above {} bandwidth bound (up to {:.1} % of it: {id}): {} \
         data came from a cache, or the bandwidth ceiling ({ceiling_id}) ran slow, so {} \
         shares of the roofline read high; a stream case larger than the last-level cache \
         (the standard suite's stream-read), run on a quiet machine, sets the ceiling",
        over.len(),
        if over.len() == 1 { "" } else { "s" },
        if over.len() == 1 { "its" } else { "their" },
        worst,
        if over.len() == 1 { "its" } else { "their" },
        if over.len() == 1 { "its" } else { "their" },
    ))
}

/// The compute ceiling of a case of `dtype` (see the module notes): its own peak, the f32 peak
/// when it has none, and the faster of the two for f16.
fn compute_ceiling(roof: &Roofline, dtype: Dtype, f32_peak: Option<f64>) -> Option<f64> {
    let own = roof
        .compute
        .iter()
        .find(|x| x.dtype == dtype)
        .map(|x| x.flop_per_s);
    match (own, f32_peak) {
        (Some(o), Some(f)) if dtype == Dtype::F16 => Some(o.max(f)),
        (own, f) => own.or(f),
    }
}

/// Fills each case's shares of the measured ceilings.
pub fn annotate(cases: &mut [CaseResult], roof: &Roofline) {
    let f32_peak = roof
        .compute
        .iter()
        .find(|c| c.dtype == Dtype::F32)
        .map(|c| c.flop_per_s);
    for c in cases.iter_mut() {
        // The cooperative-matrix GEMM runs on the tensor cores, which no vector ceiling bounds
        // (it read 117 % of its roofline on the H200): it is set beside the chip's dense tensor
        // peak (`of_spec`) instead, and has no share of the measured compute ceilings.
        let peak = compute_ceiling(roof, c.dtype, f32_peak)
            .filter(|_| c.workload != WorkloadKind::GemmCoop);
        let t = &mut c.throughput;
        t.pct_of_measured_peak = peak.map(|p| 100.0 * t.flop_per_s / p);
        t.pct_of_measured_bandwidth = roof
            .bandwidth_bytes_per_s
            .map(|b| 100.0 * t.bytes_per_s / b);
        t.pct_of_roofline = None;
        if let (Some(p), Some(b)) = (peak, roof.bandwidth_bytes_per_s) {
            let bound = p.min(t.arithmetic_intensity * b);
            if bound > 0.0 {
                t.pct_of_roofline = Some(100.0 * t.flop_per_s / bound);
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::report::{TimingMethod, Verification};
    use crate::workloads::{Dtype, Workload};

    /// A valid case of `w` whose median dispatch takes `ns`.
    pub(crate) fn case(w: &dyn Workload, ns: f64) -> CaseResult {
        CaseResult {
            id: w.id(),
            workload: w.kind(),
            dtype: w.dtype(),
            shape: w.shape(),
            kernel: crate::workloads::gemm::regblock_config(Dtype::F32, 8, 8, 1, 1),
            flops_per_dispatch: w.flops(),
            min_bytes_per_dispatch: w.min_bytes(),
            timing_method: TimingMethod::Device,
            dispatches_per_sample: 1,
            warmup_samples: 0,
            input_copies: 1,
            samples_ns: vec![ns],
            stats: crate::measure::Stats::from_samples(&[ns]),
            throughput: crate::pipeline::case::throughput(w.flops(), w.min_bytes(), ns),
            verification: Verification {
                pass: true,
                max_abs_err: 0.0,
                max_rel_err: 0.0,
                tolerance: 0.0,
                checked_elements: 1,
                method: "test".into(),
            },
            energy: None,
            cost: None,
            reproduce: String::new(),
        }
    }

    #[test]
    fn bandwidth_ceiling_is_the_dram_plateau() {
        use crate::workloads::stream::Stream;
        // Cache-resident copy: 8 KiB in 1 µs = 8.2 GB/s (faster, but not DRAM); large copy
        // 8 MiB in 2 ms = 4.19 GB/s; large triad 12 MiB in 2.4 ms = 5.24 GB/s (the plateau:
        // working sets ≥ half the largest, 12 MiB).
        let cases = vec![
            case(&Stream::copy(1024), 1e3),
            case(&Stream::copy(1 << 20), 2e6),
            case(&Stream::triad(1 << 20), 2.4e6),
            case(&crate::workloads::peak::Peak::new(Dtype::F32, 64, 10), 1e6),
        ];
        let roof = ceilings(&cases, &[]).unwrap();
        assert_eq!(
            roof.bandwidth_case_id.as_deref(),
            Some("stream-triad-f32-n1048576")
        );
        assert!((roof.bandwidth_bytes_per_s.unwrap() - 12_582_912.0 / 2.4e-3).abs() < 1.0);
        // Peak: 2·32·10·64 FLOPs in 1 ms = 40.96 MFLOP/s.
        assert!((roof.compute[0].flop_per_s - 40.96e6).abs() < 1e-3);
    }

    #[test]
    fn a_faster_read_stream_sets_the_bandwidth_ceiling() {
        use crate::workloads::stream::Stream;
        use crate::workloads::stream_read::StreamRead;
        // Copy 8 MiB in 2 ms = 4.19 GB/s; read 1 MiB + 64 KiB in 0.1 ms = 11.1 GB/s, but its
        // working set is below half the largest: not the plateau.
        let small = StreamRead::new(1);
        let mut cases = vec![case(&Stream::copy(1 << 20), 2e6), case(&small, 1e5)];
        let roof = ceilings(&cases, &[]).unwrap();
        assert_eq!(
            roof.bandwidth_case_id.as_deref(),
            Some("stream-copy-f32-n1048576")
        );
        // Read 4 MiB + 256 KiB (≥ half of 8 MiB) in 0.5 ms = 8.9 GB/s: the ceiling.
        let large = StreamRead::new(1 << 20);
        cases.push(case(&large, 5e5));
        let roof = ceilings(&cases, &[]).unwrap();
        assert_eq!(roof.bandwidth_case_id, Some(large.id()));
        let want = large.min_bytes() / 5e-4;
        assert!((roof.bandwidth_bytes_per_s.unwrap() - want).abs() < 1.0);
        // Its 4.25 MiB against a 2 MiB cache: beyond twice it, no warning; a 4 MiB cache: warned.
        let llc = |mib: u64| LastLevelCache {
            bytes: mib << 20,
            source: "test".into(),
        };
        assert_eq!(cached_bandwidth_warning(&cases, &roof, &llc(2)), None);
        let w = cached_bandwidth_warning(&cases, &roof, &llc(4)).unwrap();
        assert!(
            w.contains(&large.id()) && w.contains("4.00 MiB, test"),
            "{w}"
        );
        // Rotating over two copies, it works on 8.5 MiB: beyond twice the 4 MiB cache.
        cases.last_mut().unwrap().input_copies = 2;
        assert_eq!(cached_bandwidth_warning(&cases, &roof, &llc(4)), None);
        assert!(cached_bandwidth_warning(&cases, &roof, &llc(5)).is_some());
    }

    #[test]
    fn an_f16_case_is_measured_against_the_faster_of_the_f16_and_f32_peaks() {
        use crate::workloads::gemm::Gemm;
        use crate::workloads::peak::Peak;
        let (p32, p16) = (Peak::new(Dtype::F32, 64, 10), Peak::new(Dtype::F16, 64, 10));
        // f32 peak 40 MFLOP/s; f16 peak 10 MFLOP/s (emulated f16, as on a software adapter).
        let at = |p: &Peak, rate: f64| case(p, p.flops() / rate * 1e9);
        let roof = ceilings(&[at(&p32, 40e6), at(&p16, 10e6)], &[]).unwrap();
        // A GEMM f16 at 20 MFLOP/s: 50 % of the f32 peak, not 200 % of the f16 one.
        let g = Gemm::with_dtype(64, 64, 64, Dtype::F16);
        let mut cases = vec![case(&g, g.flops() / 20e6 * 1e9)];
        annotate(&mut cases, &roof);
        let pct = cases[0].throughput.pct_of_measured_peak.unwrap();
        assert!((pct - 50.0).abs() < 1e-6, "{pct}");
        // Where f16 is the faster one (a GPU), it stays the ceiling: 25 % of 80 MFLOP/s.
        let roof = ceilings(&[at(&p32, 40e6), at(&p16, 80e6)], &[]).unwrap();
        annotate(&mut cases, &roof);
        let pct = cases[0].throughput.pct_of_measured_peak.unwrap();
        assert!((pct - 25.0).abs() < 1e-6, "{pct}");
        // An f32 case keeps the f32 peak.
        let g32 = Gemm::new(64, 64, 64);
        let mut cases = vec![case(&g32, g32.flops() / 20e6 * 1e9)];
        annotate(&mut cases, &roof);
        let pct = cases[0].throughput.pct_of_measured_peak.unwrap();
        assert!((pct - 50.0).abs() < 1e-6, "{pct}");
    }

    /// A ceiling counts at the faster of its two measurements, and the rechecks stay in the
    /// roofline: a peak slower at the start (2 ms, then 1 ms) and a stream slower at the end.
    #[test]
    fn a_rechecked_ceiling_counts_at_its_faster_measurement() {
        use crate::workloads::peak::Peak;
        use crate::workloads::stream::Stream;
        let (p, s) = (Peak::new(Dtype::F32, 64, 10), Stream::copy(1 << 20));
        let cases = vec![case(&p, 2e6), case(&s, 2e6)];
        let rechecks = vec![
            CeilingRecheck {
                case_id: p.id(),
                first_median_ns: 2e6,
                last_median_ns: 1e6,
            },
            CeilingRecheck {
                case_id: s.id(),
                first_median_ns: 2e6,
                last_median_ns: 4e6,
            },
        ];
        let roof = ceilings(&cases, &rechecks).unwrap();
        // 40 960 FLOPs in 1 ms (the recheck), not 2 ms.
        assert!((roof.compute[0].flop_per_s - 40.96e6).abs() < 1e-3);
        // 8 MiB in 2 ms (the first measurement), not 4 ms.
        assert!((roof.bandwidth_bytes_per_s.unwrap() - 8_388_608.0 / 2e-3).abs() < 1.0);
        assert_eq!(roof.rechecks, rechecks);
        let r = roof.recheck(&p.id()).unwrap();
        assert!((r.speed_change() - 1.0).abs() < 1e-12);
        let (first, last) = r.rates(roof.compute[0].flop_per_s);
        assert!((first - 20.48e6).abs() < 1e-3 && (last - 40.96e6).abs() < 1e-3);
        // The peak case's own share now reads 50 %: it ran at half the speed the run showed.
        let mut cases = cases;
        annotate(&mut cases, &roof);
        let pct = cases[0].throughput.pct_of_measured_peak.unwrap();
        assert!((pct - 50.0).abs() < 1e-9, "{pct}");
    }

    /// A GEMV (memory-bound) at 160 % of its bandwidth bound is warned about, naming it and the
    /// ceiling; one within the slack, a compute-bound GEMM and the ceiling case are not.
    #[test]
    fn memory_bound_cases_above_their_bandwidth_bound_are_warned_about() {
        use crate::workloads::gemm::Gemm;
        use crate::workloads::gemv::Gemv;
        use crate::workloads::peak::Peak;
        use crate::workloads::stream::Stream;
        let p = Peak::new(Dtype::F32, 64, 10);
        let s = Stream::copy(1 << 20);
        let gv = Gemv::new(Dtype::F32, 1, 1024, 1024);
        let g = Gemm::new(256, 256, 256);
        // The copy moves 8 MiB in 1 ms: 8.39 GB/s.
        let bw = 8_388_608.0 / 1e-3;
        let bytes_at = |w: &dyn Workload, rate: f64| case(w, w.min_bytes() / rate * 1e9);
        let mut cases = vec![
            case(&p, 1e3),
            case(&s, 1e6),
            bytes_at(&gv, bw * 1.01),
            case(&g, g.flops() / 1e12 * 1e9),
        ];
        let roof = ceilings(&cases, &[]).unwrap();
        annotate(&mut cases, &roof);
        assert_eq!(above_bandwidth_warning(&cases, &roof), None);
        cases[2] = bytes_at(&gv, bw * 1.6);
        annotate(&mut cases, &roof);
        let w = above_bandwidth_warning(&cases, &roof).unwrap();
        assert!(
            w.starts_with("1 memory-bound case ran above its bandwidth bound (up to 160.0 %"),
            "{w}"
        );
        assert!(w.contains(&gv.id()) && w.contains(&s.id()), "{w}");
        assert!(w.contains("read high"), "{w}");
    }

    /// A GEMM at 114 % of the f32 peak is warned about (once, naming the worst case and, with
    /// `--no-tune`, the fix); one at 101 % (within the slack), the peak itself and a
    /// cooperative-matrix GEMM (tensor cores, beyond the vector peak by design) are not.
    #[test]
    fn cases_above_the_compute_ceiling_are_warned_about() {
        use crate::workloads::gemm::{coop::GemmCoop, Gemm};
        use crate::workloads::peak::Peak;
        let p = Peak::new(Dtype::F32, 64, 10);
        let at = |w: &dyn Workload, rate: f64| case(w, w.flops() / rate * 1e9);
        let (g1, g2) = (Gemm::new(64, 64, 64), Gemm::new(128, 128, 128));
        let coop = GemmCoop::new(64, 64, 64, Dtype::F32);
        let mut cases = vec![at(&p, 40e6), at(&g1, 40.4e6), at(&coop, 400e6)];
        let roof = ceilings(&cases, &[]).unwrap();
        annotate(&mut cases, &roof);
        assert_eq!(above_peak_warning(&cases, true), None);
        cases.push(at(&g2, 45.6e6));
        annotate(&mut cases, &roof);
        let w = above_peak_warning(&cases, true).unwrap();
        assert!(
            w.starts_with("1 case ran more than 2 % above the compute ceiling of its dtype"),
            "{w}"
        );
        assert!(w.contains("114.0 % of it: gemm-f32-128x128x128"), "{w}");
        assert!(w.contains("run without --no-tune"), "{w}");
        assert!(above_peak_warning(&cases, false)
            .unwrap()
            .contains("--retune"));
    }
}
