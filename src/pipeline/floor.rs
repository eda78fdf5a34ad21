//! The adapter's fixed cost of one dispatch, measured at the end of a run.
//!
//! Every dispatch pays a cost that does not grow with its work: the launch, the barrier between
//! dispatches and, on CPU adapters (lavapipe), the hand-off to the worker threads. A case that
//! takes a few times that cost per dispatch (a batch-1 GEMV of a few MiB on lavapipe, a small
//! decode matmul on a GPU) cannot reach its roofline ceiling however good its kernel is, and a
//! reader of its share should know. So after the last case the run times a dispatch that does
//! almost nothing, [`FLOOR_ELEMENTS`] f32 copied (8 KiB moved), with the same sampling policy
//! and timing method as every case (device timestamps around the pass, divided by the
//! dispatches per sample), records it in the roofline ([`DispatchFloor`]) and names the cases
//! whose median is less than [`FLOOR_FACTOR`] times it.

use super::{case, roofline, Event};
use crate::device::Device;
use crate::measure::SamplingPolicy;
use crate::report::{CaseResult, DispatchFloor};
use crate::workloads::stream::Stream;
use crate::workloads::Workload;
use anyhow::{bail, Result};
use std::sync::atomic::AtomicBool;

/// f32 elements the floor's copy moves (one workgroup of the copy kernel).
pub const FLOOR_ELEMENTS: u64 = 1024;
/// Cases faster than this many floors per dispatch earn [`floor_warning`]: the fixed cost is
/// then more than 10 % of their time.
pub const FLOOR_FACTOR: f64 = 10.0;
/// Cases named in the warning at most (the rest are counted).
const NAMED: usize = 6;

/// Times the floor's copy on `dev` (see the module notes).
pub fn measure_floor(
    dev: &dyn Device,
    seed: u64,
    (policy, stop): (&SamplingPolicy, &AtomicBool),
    on_event: &mut dyn FnMut(Event),
) -> Result<DispatchFloor> {
    let w = Stream::copy(FLOOR_ELEMENTS);
    if let Some(why) = w.unsupported(dev.info()) {
        bail!("{why}");
    }
    on_event(Event::Floor { id: w.id() });
    let kernel = w.default_kernel(dev.info());
    let m = case::measure(dev, &w, &kernel, seed, (policy, stop), String::new())?;
    if !m.result.valid() {
        bail!("the copy failed verification");
    }
    Ok(DispatchFloor {
        case_id: w.id(),
        median_ns: m.result.stats.median_ns,
    })
}

/// Whether a run that measured `cases` should time the floor: where it has a roofline to keep
/// it in and some case besides the ceilings (as the recheck, [`roofline::beyond_ceilings`]).
pub fn wanted(cases: &[CaseResult]) -> bool {
    roofline::beyond_ceilings(cases).is_some()
}

/// "2 cases take less than 10 × the adapter's fixed cost of one dispatch (…): a (25.0 % of its
/// time), b (12.5 % of its time). …": the cases, most affected first, with the part of their
/// time that cost is.
pub fn floor_warning(cases: &[CaseResult], floor: &DispatchFloor) -> Option<String> {
    let mut near: Vec<(&str, f64)> = cases
        .iter()
        .filter(|c| c.valid() && c.id != floor.case_id)
        .filter(|c| c.stats.median_ns < FLOOR_FACTOR * floor.median_ns)
        .map(|c| (c.id.as_str(), floor.median_ns / c.stats.median_ns))
        .collect();
    if near.is_empty() {
        return None;
    }
    near.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut named: Vec<String> = near
        .iter()
        .take(NAMED)
        .map(|(id, share)| {
            if *share >= 1.0 {
                // Faster than the fixed cost itself: that cost was timed high, or this case's
                // dispatches overlap; "100 % of its time" (capped) said neither.
                format!("{id} (faster than that cost: it cannot be all of its time)")
            } else {
                format!("{id} ({} of its time)", crate::units::pct(*share))
            }
        })
        .collect();
    if near.len() > NAMED {
        named.push(format!("and {} more", near.len() - NAMED));
    }
    Some(format!(
        "{} case{} less than {FLOOR_FACTOR:.0} × the adapter's fixed cost of one dispatch ({} \
         per dispatch, timed as {}): {}. No kernel removes that cost, so such a case's share \
         of the roofline stays below 100 % by at least as much",
        near.len(),
        if near.len() == 1 { " takes" } else { "s take" },
        crate::units::duration_ns(floor.median_ns),
        floor.case_id,
        named.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::roofline::tests::case;
    use crate::workloads::gemv::Gemv;
    use crate::workloads::kind::Dtype;
    use crate::workloads::peak::Peak;

    fn floor(ns: f64) -> DispatchFloor {
        DispatchFloor {
            case_id: "stream-copy-f32-n1024".into(),
            median_ns: ns,
        }
    }

    /// With a 50 µs floor, a 200 µs GEMV (25 %) and a 400 µs one (12.5 %) are named, most
    /// affected first; a 600 µs one (8.3 %) is not; nothing is said when no case is that fast.
    #[test]
    fn cases_within_ten_floors_are_named_with_the_share_of_fixed_cost() {
        let g = |k| Gemv::new(Dtype::F32, 1, k, 1024);
        let (a, b, c) = (g(1024), g(2048), g(4096));
        let cases = vec![case(&b, 400e3), case(&a, 200e3), case(&c, 600e3)];
        let w = floor_warning(&cases, &floor(50e3)).unwrap();
        assert!(w.starts_with("2 cases take less than 10 ×"), "{w}");
        assert!(
            w.contains("(50.000 µs per dispatch, timed as stream-copy-f32-n1024)"),
            "{w}"
        );
        let (ia, ib) = (w.find(&a.id()).unwrap(), w.find(&b.id()).unwrap());
        assert!(ia < ib, "most affected first: {w}");
        assert!(
            w.contains(&format!("{} (25.0 % of its time)", a.id())),
            "{w}"
        );
        assert!(!w.contains(&c.id()), "{w}");
        assert_eq!(floor_warning(&cases[2..], &floor(50e3)), None);
        // A case faster than the timed fixed cost is said to be, not "100 % of its time".
        let w = floor_warning(&[case(&a, 20e3)], &floor(40e3)).unwrap();
        assert!(
            w.contains(&format!("{} (faster than that cost", a.id())) && !w.contains("100.0 %"),
            "{w}"
        );
    }

    /// The floor is wanted only where a case besides the ceilings was measured.
    #[test]
    fn the_floor_is_timed_only_for_runs_with_cases_beyond_the_ceilings() {
        let p = Peak::new(Dtype::F32, 64, 10);
        let s = Stream::copy(1 << 20);
        let g = Gemv::new(Dtype::F32, 1, 1024, 1024);
        assert!(!wanted(&[case(&p, 1e6), case(&s, 1e6)]));
        assert!(wanted(&[case(&p, 1e6), case(&g, 1e6)]));
    }
}
