//! The measure stage: per case tune → prepare → verify → sample → energy, the JSON report
//! rewritten after every case.

use super::{case, energy_budget, floor, recheck, reproduce_command, Event};
use crate::config::Plan;
use crate::device::Device;
use crate::measure::SamplingPolicy;
use crate::power::PowerSession;
use crate::report::{io, CeilingRecheck, DispatchFloor, Report, SkippedCase};
use crate::workloads::Workload;
use anyhow::Result;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// What the measure stage needs besides the device and the plan.
pub struct MeasureInputs<'a> {
    /// The chip's board power from the catalog (the nominal power source's fallback), W.
    pub chip_tdp_w: Option<f64>,
    /// Set by the command's signal handler: stop after the current case.
    pub stop: &'a AtomicBool,
    /// Where the report is saved after every case.
    pub json_path: &'a std::path::Path,
}

/// What the measure stage did.
pub struct MeasureOutcome {
    /// Cases handled (measured, skipped or invalid); fewer than planned when stopped.
    pub handled: usize,
    /// The ceiling cases measured again after the last case (none when stopped).
    pub rechecks: Vec<CeilingRecheck>,
    /// The adapter's fixed cost of a dispatch, timed after the rechecks (none when stopped, when
    /// only ceilings were measured, or when it could not be timed: a warning says why).
    pub floor: Option<DispatchFloor>,
}

/// Measures the cases in order, saving the report after each; stops early when `stop` is set.
/// When every case was handled, measures the ceiling cases again ([`recheck`]).
pub fn measure_cases(
    dev: &dyn Device,
    plan: &Plan,
    workloads: &[Box<dyn Workload>],
    inputs: MeasureInputs<'_>,
    report: &mut Report,
    on_event: &mut dyn FnMut(Event),
) -> Result<MeasureOutcome> {
    let MeasureInputs {
        chip_tdp_w,
        stop,
        json_path,
    } = inputs;
    let info = dev.info().clone();
    // Power: choose the sensor once, measure idle before any load.
    let (mut power, mut selection) = PowerSession::open(&info, &plan.power, chip_tdp_w);
    selection.idle_watts = power.measure_idle();
    // The advice (how to get a sensor) is kept once, in `power.advice`: the report's header
    // and the terminal summary show it from there.
    report.power = Some(selection);
    let policy = SamplingPolicy::new(
        Duration::from_secs_f64(plan.min_time_s),
        Duration::from_secs_f64(plan.max_time_s),
    );
    // Where a sensor measures, energy trials take time: the budget says which cases get them.
    let energy_for = if power.measures() {
        let per_case =
            energy_budget::seconds_per_case(plan.power.energy_window_s, plan.power.energy_trials);
        let eligible: Vec<bool> = workloads
            .iter()
            .map(|w| w.unsupported(&info).is_none())
            .collect();
        let chosen =
            energy_budget::select(workloads, &eligible, per_case, plan.power.energy_budget_s);
        let measured = chosen.iter().filter(|c| **c).count();
        let runnable = eligible.iter().filter(|e| **e).count();
        if measured < runnable {
            let w = format!(
                "energy trials for {measured} of {runnable} cases (the largest of each workload \
                 kind first): about {per_case:.0} s each against the run's --energy-budget of \
                 {:.0} s; the others carry no energy figure (--energy-budget none measures every \
                 case)",
                plan.power.energy_budget_s.unwrap_or_default()
            );
            on_event(Event::Warning(w.clone()));
            report.warnings.push(w);
        }
        chosen
    } else {
        vec![true; workloads.len()]
    };
    let mut tuner = crate::tune::Tuner::new(plan.tune).with_budget(crate::tune::budget_for(&info));
    let mut handled = 0;
    for (index, w) in workloads.iter().enumerate() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let id = w.id();
        on_event(Event::CaseStarted {
            index,
            total: workloads.len(),
            id: id.clone(),
        });
        if let Some(reason) = w.unsupported(&info) {
            report.skipped.push(SkippedCase {
                id,
                workload: w.kind(),
                dtype: w.dtype(),
                reason,
            });
            handled += 1;
            continue;
        }
        let (kernel, tuned) = tuner.kernel_for(dev, w.as_ref(), plan.seed);
        report.tuning.extend(tuned);
        let repro = reproduce_command(plan, &info, Some(&id));
        match case::measure(dev, w.as_ref(), &kernel, plan.seed, &policy, repro) {
            Ok(mut m) => {
                if m.result.valid() && energy_for[index] {
                    on_event(Event::Energy { id: id.clone() });
                    let mut load = m.bench.load(m.result.dispatches_per_sample);
                    m.result.energy = power.measure_case(
                        load.as_mut(),
                        m.result.flops_per_dispatch,
                        m.result.stats.median_ns,
                    )?;
                    if let (None, Some(why)) = (&m.result.energy, power.last_problem()) {
                        on_event(Event::Warning(format!("{id}: no energy figure: {why}")));
                    }
                } else {
                    report.status.invalid_cases.push(m.result.id.clone());
                    on_event(Event::Invalid {
                        id: id.clone(),
                        max_abs_err: m.result.verification.max_abs_err,
                        tolerance: m.result.verification.tolerance,
                    });
                }
                report.cases.push(m.result);
            }
            Err(e) => {
                on_event(Event::Warning(format!("{id} skipped: {e:#}")));
                report.skipped.push(SkippedCase {
                    id,
                    workload: w.kind(),
                    dtype: w.dtype(),
                    reason: format!("could not run: {e:#}"),
                });
            }
        }
        io::save_json(report, json_path)?;
        if crate::gpu::test_hooks::abort_requested() {
            // Fleet test hook: end like a task killed mid-run (partial report on disk).
            crate::gpu::test_hooks::abort_run();
        }
        handled += 1;
    }
    let mut rechecked = recheck::Rechecked::default();
    let mut dispatch_floor = None;
    if handled == workloads.len() && !stop.load(Ordering::SeqCst) {
        rechecked =
            recheck::recheck_ceilings(dev, workloads, &report.cases, plan.seed, &policy, on_event);
        if floor::wanted(&report.cases) {
            match floor::measure_floor(dev, plan.seed, &policy, on_event) {
                Ok(f) => dispatch_floor = Some(f),
                Err(e) => rechecked.warnings.push(format!(
                    "the fixed cost of a dispatch could not be timed ({e:#}); the report \
                     does not say which cases it limits"
                )),
            }
        }
    }
    on_event(Event::Measured);
    for w in tuner.warnings.iter().chain(&rechecked.warnings) {
        on_event(Event::Warning(w.clone()));
    }
    report.warnings.append(&mut tuner.warnings);
    report.warnings.append(&mut rechecked.warnings);
    Ok(MeasureOutcome {
        handled,
        rechecks: rechecked.rechecks,
        floor: dispatch_floor,
    })
}
