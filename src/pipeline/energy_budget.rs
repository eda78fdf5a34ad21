//! Which cases get energy trials within the run's budget (`--energy-budget`, docs/power.md).
//!
//! Where a sensor measures, each case's trials take `trials × (window + lead-in)`: 18 s at the
//! defaults, so a GPU's 45-case standard suite would spend 13.5 minutes on energy alone. The
//! budget measures the cases that fit: first the largest case (most FLOPs, else most bytes) of
//! each workload kind, kinds in the suite's order, then the others in the suite's order. The
//! rest are measured for time as always and carry no energy figure; the run says how many.

use crate::config::PowerOptions;
use crate::gpu::info::AdapterInfo;
use crate::workloads::{Workload, WorkloadKind};
use std::cmp::Ordering;

/// For each case, whether it gets energy trials under `power`'s budget where a sensor measures
/// (cases the adapter cannot run are not counted), and the warning that says how many do when
/// not all of them.
pub fn plan(
    workloads: &[Box<dyn Workload>],
    info: &AdapterInfo,
    power: &PowerOptions,
) -> (Vec<bool>, Option<String>) {
    let per_case = seconds_per_case(power.energy_window_s, power.energy_trials);
    let eligible: Vec<bool> = workloads
        .iter()
        .map(|w| w.unsupported(info).is_none())
        .collect();
    let chosen = select(workloads, &eligible, per_case, power.energy_budget_s);
    let measured = chosen.iter().filter(|c| **c).count();
    let runnable = eligible.iter().filter(|e| **e).count();
    let warning = (measured < runnable).then(|| {
        format!(
            "energy trials for {measured} of {runnable} cases (the largest of each workload \
             kind first): about {per_case:.0} s each against the run's --energy-budget of \
             {:.0} s; the others carry no energy figure (--energy-budget none measures every \
             case)",
            power.energy_budget_s.unwrap_or_default()
        )
    });
    (chosen, warning)
}

/// Seconds of one case's energy trials: each runs a lead-in of a fifth of the window (the
/// sensor's updates permitting) before the window; the short lead-out is left out.
pub fn seconds_per_case(window_s: f64, trials: u32) -> f64 {
    f64::from(trials.max(1)) * window_s * 1.2
}

/// For each case, whether it gets energy trials, among the `eligible` ones (those the adapter
/// can run), when each costs `per_case_s` and the run may spend `budget_s` (`None`: no limit).
pub fn select(
    workloads: &[Box<dyn Workload>],
    eligible: &[bool],
    per_case_s: f64,
    budget_s: Option<f64>,
) -> Vec<bool> {
    let cases: Vec<usize> = (0..workloads.len()).filter(|i| eligible[*i]).collect();
    let fits = match budget_s {
        Some(b) if per_case_s > 0.0 => ((b / per_case_s) + 1e-9).floor() as usize,
        _ => cases.len(),
    };
    let size = |i: usize| (workloads[i].flops(), workloads[i].min_bytes());
    let mut kinds: Vec<WorkloadKind> = Vec::new();
    for i in &cases {
        if !kinds.contains(&workloads[*i].kind()) {
            kinds.push(workloads[*i].kind());
        }
    }
    let mut order: Vec<usize> = kinds
        .iter()
        .filter_map(|k| {
            cases
                .iter()
                .copied()
                .filter(|i| workloads[*i].kind() == *k)
                .max_by(|a, b| size(*a).partial_cmp(&size(*b)).unwrap_or(Ordering::Equal))
        })
        .collect();
    let rest: Vec<usize> = cases
        .iter()
        .copied()
        .filter(|i| !order.contains(i))
        .collect();
    order.extend(rest);
    let mut chosen = vec![false; workloads.len()];
    for i in order.into_iter().take(fits) {
        chosen[i] = true;
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workloads::gemm::Gemm;
    use crate::workloads::gemv::Gemv;
    use crate::workloads::stream::Stream;
    use crate::workloads::Dtype;

    fn suite() -> Vec<Box<dyn Workload>> {
        vec![
            Box::new(Stream::copy(1 << 20)),
            Box::new(Stream::copy(1 << 24)),
            Box::new(Gemm::new(256, 256, 256)),
            Box::new(Gemm::new(1024, 1024, 1024)),
            Box::new(Gemv::new(Dtype::F16, 1, 1024, 1024)),
            Box::new(Gemv::new(Dtype::F16, 32, 1024, 1024)),
        ]
    }

    const ALL: [bool; 6] = [true; 6];

    #[test]
    fn without_a_limit_or_where_all_fit_every_case_is_measured() {
        let s = suite();
        assert_eq!(select(&s, &ALL, 18.0, None), vec![true; 6]);
        assert_eq!(select(&s, &ALL, 18.0, Some(108.0)), vec![true; 6]);
        // A case the adapter cannot run takes no share.
        let eligible = [true, true, true, true, false, true];
        assert_eq!(
            select(&s, &eligible, 18.0, Some(90.0)),
            vec![true, true, true, true, false, true]
        );
    }

    #[test]
    fn the_largest_case_of_each_kind_comes_first_then_the_suite_order() {
        let s = suite();
        // Three fit: the largest copy, GEMM and GEMV.
        assert_eq!(
            select(&s, &ALL, 18.0, Some(60.0)),
            vec![false, true, false, true, false, true]
        );
        // Four: then the first case left in the suite's order.
        assert_eq!(
            select(&s, &ALL, 18.0, Some(72.0)),
            vec![true, true, false, true, false, true]
        );
        // Less than one case's trials: none.
        assert_eq!(select(&s, &ALL, 18.0, Some(10.0)), vec![false; 6]);
    }

    #[test]
    fn one_case_costs_its_trials_and_their_lead_ins() {
        assert!((seconds_per_case(5.0, 3) - 18.0).abs() < 1e-9);
        assert!((seconds_per_case(2.0, 0) - 2.4).abs() < 1e-9);
    }
}
