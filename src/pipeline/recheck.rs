//! The ceilings measured again at the end of a run.
//!
//! Every case's roofline share divides by ceilings (peak-fma, stream) measured at one moment of
//! the run, usually its start. Where the machine's speed drifts during the run (other load on
//! a shared machine or VM, clocks that settle or throttle), a ceiling measured in a slow moment
//! makes every share look better than it is. So after the last case the run measures each
//! ceiling case once more, with the same kernel and sampling policy (no tuning, no energy
//! window), the roofline takes the faster of the two medians, and a change of
//! [`DRIFT_WARNING`] or more is a warning in the report.

use super::{case, roofline, Event};
use crate::device::Device;
use crate::measure::{SamplingPolicy, Stopped};
use crate::report::{CaseResult, CeilingRecheck};
use crate::units::pct;
use crate::workloads::Workload;
use std::sync::atomic::AtomicBool;

/// Change of a ceiling between the start and the end of a run that earns a warning (10 %).
pub const DRIFT_WARNING: f64 = 0.10;

/// What the recheck found: the new measurements and what the user should know.
#[derive(Debug, Default)]
pub struct Rechecked {
    pub rechecks: Vec<CeilingRecheck>,
    pub warnings: Vec<String>,
}

/// Measures each ceiling case of `cases` again (the cases that set the run's compute and
/// bandwidth ceilings). Nothing is measured where every measured case is a ceiling case (no
/// share depends on them) or where the run measured no ceiling.
pub fn recheck_ceilings(
    dev: &dyn Device,
    workloads: &[Box<dyn Workload>],
    cases: &[CaseResult],
    seed: u64,
    (policy, stop): (&SamplingPolicy, &AtomicBool),
    on_event: &mut dyn FnMut(Event),
) -> Rechecked {
    let mut out = Rechecked::default();
    let Some(roof) = roofline::beyond_ceilings(cases) else {
        return out;
    };
    for id in roof.ceiling_case_ids() {
        let (Some(w), Some(first)) = (
            workloads.iter().find(|w| w.id() == id),
            cases.iter().find(|c| c.id == id),
        ) else {
            continue;
        };
        on_event(Event::Recheck { id: id.to_string() });
        let measured = case::measure(
            dev,
            w.as_ref(),
            &first.kernel,
            seed,
            (policy, stop),
            "".into(),
        );
        match measured {
            Ok(m) if m.result.valid() => {
                let r = CeilingRecheck {
                    case_id: id.to_string(),
                    first_median_ns: first.stats.median_ns,
                    last_median_ns: m.result.stats.median_ns,
                };
                if r.speed_change().abs() >= DRIFT_WARNING {
                    out.warnings.push(drift_warning(&r, first));
                }
                out.rechecks.push(r);
            }
            Ok(_) => out.warnings.push(format!(
                "ceiling {id} failed verification when measured again at the end of the run; \
                 the roofline keeps its first measurement"
            )),
            // A stop request: the run says it was interrupted; the rest are not measured.
            Err(e) if e.downcast_ref::<Stopped>().is_some() => break,
            Err(e) => out.warnings.push(format!(
                "ceiling {id} could not be measured again at the end of the run ({e:#}); the \
                 roofline keeps its first measurement"
            )),
        }
    }
    out
}

/// "the ceiling case X ran 54 % faster at the end of the run than at its start (…)".
fn drift_warning(r: &CeilingRecheck, first: &CaseResult) -> String {
    let change = r.speed_change();
    let (rate_of, unit) = match first.workload.rate_unit() {
        Some(unit) if !first.workload.is_stream() => (first.flops_per_dispatch, unit),
        _ => (first.min_bytes_per_dispatch, "B/s"),
    };
    let at = |ns: f64| crate::units::si(rate_of / (ns * 1e-9), unit);
    format!(
        "the machine's speed changed during the run: ceiling {} measured {} at its place in the \
         run and {} at the end ({}{}); shares of the roofline use the faster, so cases measured \
         in a slow moment read low. Rerun on a quiet machine for shares you can compare",
        r.case_id,
        at(r.first_median_ns),
        at(r.last_median_ns),
        if change >= 0.0 { "+" } else { "−" },
        pct(change.abs()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::fake::{FakeDevice, FakeMode};
    use crate::measure::NEVER_STOP;
    use crate::workloads::{gemm::Gemm, peak::Peak, stream::Stream, Dtype};
    use std::time::Duration;

    fn measure_all(dev: &FakeDevice, ws: &[Box<dyn Workload>]) -> Vec<CaseResult> {
        let policy = policy();
        ws.iter()
            .map(|w| {
                let k = w.default_kernel(dev.info());
                case::measure(
                    dev,
                    w.as_ref(),
                    &k,
                    1,
                    (&policy, &NEVER_STOP),
                    String::new(),
                )
                .unwrap()
                .result
            })
            .collect()
    }

    fn policy() -> SamplingPolicy {
        SamplingPolicy::new(Duration::from_millis(1), Duration::from_millis(5))
    }

    /// On a machine that was 1.5× slower while the ceilings were first measured, the recheck
    /// measures both ceiling cases again (not the GEMM), finds them ≈ 50 % faster, and warns.
    #[test]
    fn a_machine_that_sped_up_is_rechecked_and_warned_about() {
        let dev = FakeDevice::new(FakeMode::Instant);
        let ws: Vec<Box<dyn Workload>> = vec![
            Box::new(Peak::new(Dtype::F32, 64, 10)),
            Box::new(Stream::copy(1 << 20)),
            Box::new(Gemm::new(64, 64, 64)),
        ];
        dev.set_slowdown(1.5);
        let cases = measure_all(&dev, &ws);
        dev.set_slowdown(1.0);
        let mut events = Vec::new();
        let out = recheck_ceilings(&dev, &ws, &cases, 1, (&policy(), &NEVER_STOP), &mut |e| {
            events.push(e)
        });
        let ids: Vec<&str> = out.rechecks.iter().map(|r| r.case_id.as_str()).collect();
        assert_eq!(ids, [ws[0].id(), ws[1].id()]);
        for r in &out.rechecks {
            assert!((r.speed_change() - 0.5).abs() < 0.05, "{r:?}");
        }
        assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
        assert!(
            out.warnings[0].contains("speed changed"),
            "{}",
            out.warnings[0]
        );
        assert!(out.warnings[1].contains("B/s"), "{}", out.warnings[1]);
        assert_eq!(events.len(), 2);
        // The roofline then counts the faster measurement.
        let roof = roofline::ceilings(&cases, &out.rechecks).unwrap();
        let first = cases[0].throughput.flop_per_s;
        assert!((roof.compute[0].flop_per_s / first - 1.5).abs() < 0.05);
    }

    /// A steady machine gets its rechecks without a warning; a run of nothing but ceilings is
    /// not rechecked (no share depends on them).
    #[test]
    fn steady_machines_and_ceiling_only_runs() {
        let dev = FakeDevice::new(FakeMode::Instant);
        let ws: Vec<Box<dyn Workload>> = vec![
            Box::new(Peak::new(Dtype::F32, 64, 10)),
            Box::new(Gemm::new(64, 64, 64)),
        ];
        let cases = measure_all(&dev, &ws);
        let out = recheck_ceilings(&dev, &ws, &cases, 1, (&policy(), &NEVER_STOP), &mut |_| {});
        assert_eq!(out.rechecks.len(), 1);
        assert!(out.warnings.is_empty(), "{:?}", out.warnings);
        let out = recheck_ceilings(
            &dev,
            &ws[..1],
            &cases[..1],
            1,
            (&policy(), &NEVER_STOP),
            &mut |_| {},
        );
        assert!(out.rechecks.is_empty() && out.warnings.is_empty());
    }
}
