//! The measure stage: per case tune → prepare → verify → sample → energy, the JSON report
//! rewritten after a case whenever the writes so far have taken under a twentieth of the run
//! ([`Checkpoint`]): after every case where cases take longer than writing the report.

use super::{case, energy_budget, floor, recheck, reproduce_command, Event};
use crate::config::Plan;
use crate::device::Device;
use crate::measure::{SamplingPolicy, Stopped};
use crate::power::types::PowerSelection;
use crate::power::PowerSession;
use crate::report::{io, CeilingRecheck, DispatchFloor, Report, SkippedCase};
use crate::workloads::Workload;
use anyhow::{Context, Result};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// What the measure stage needs besides the device and the plan.
pub struct MeasureInputs<'a> {
    /// The chip's board power from the catalog (the nominal power source's fallback), W.
    pub chip_tdp_w: Option<f64>,
    /// Set by the command's signal handler: the case being sampled ends after its batch in
    /// flight and is left out; no further case starts.
    pub stop: &'a AtomicBool,
    /// Where the report is saved as the cases finish ([`Checkpoint`]).
    pub json_path: &'a std::path::Path,
}

/// What the measure stage did.
pub struct MeasureOutcome {
    /// Cases handled (measured, skipped or invalid); fewer than planned when stopped.
    pub handled: usize,
    /// A stop was asked for: before the last case ended, or after it (every case handled, but
    /// the rechecks and the dispatch floor skipped or cut short).
    pub stopped: bool,
    /// The case whose sampling a stop request ended: it has no measurement and is left out.
    pub stopped_case: Option<String>,
    /// The ceiling cases measured again after the last case (none when stopped).
    pub rechecks: Vec<CeilingRecheck>,
    /// The adapter's fixed cost of a dispatch, timed after the rechecks (none when stopped, when
    /// only ceilings were measured, or when it could not be timed: a warning says why).
    pub floor: Option<DispatchFloor>,
    /// Cases the report on disk holds (its last checkpoint), for a final write that fails.
    pub saved_cases: usize,
}

/// Rewrites the report while cases run, so that a run killed or failed mid-way leaves its
/// finished cases on disk, at no more than a twentieth of the run's time: each rewrite holds
/// every case so far, so rewriting after every case grew as the square of the cases (3,000
/// `--shapes` on the fake device took 6 min 48 s, a helper's sweep, 7 December 2026). Cases
/// of real kernels take longer than a rewrite: each is saved as it ends.
struct Checkpoint {
    /// When the last rewrite ended.
    last: Instant,
    /// How long the last rewrite took.
    cost: Duration,
    /// Cases the report on disk holds.
    saved_cases: usize,
}

impl Checkpoint {
    /// The share of the run the rewrites may take, as its inverse.
    const TIME_PER_WRITE: u32 = 20;

    fn new() -> Self {
        Self {
            last: Instant::now(),
            cost: Duration::ZERO,
            saved_cases: 0,
        }
    }

    /// Whether the time since the last rewrite has paid for another.
    fn due(&self) -> bool {
        self.last.elapsed() >= self.cost * Self::TIME_PER_WRITE
    }

    fn save(&mut self, report: &Report, path: &std::path::Path) -> Result<()> {
        let start = Instant::now();
        io::save_json(report, path)?;
        self.last = Instant::now();
        self.cost = self.last - start;
        self.saved_cases = report.cases.len();
        Ok(())
    }
}

/// Measures the cases in order, saving the report as they finish ([`Checkpoint`]); stops early
/// when `stop` is set. When every case was handled, measures the ceiling cases again
/// ([`recheck`]). On an error the report is saved as it stands (best effort) before the error
/// is returned.
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
    // Power: choose the sensor once, measure idle before any load.
    let (power, selection) = PowerSession::open(dev.info(), &plan.power, chip_tdp_w);
    let outcome = measure_with_power(
        dev,
        plan,
        workloads,
        (stop, json_path),
        (power, selection),
        report,
        on_event,
    );
    if outcome.is_err() {
        // The cases finished since the last checkpoint are kept, where the disk allows.
        let _ = io::save_json(report, json_path);
    }
    outcome
}

/// [`measure_cases`] with the power session chosen (tests give it a fake sensor).
fn measure_with_power(
    dev: &dyn Device,
    plan: &Plan,
    workloads: &[Box<dyn Workload>],
    (stop, json_path): (&AtomicBool, &std::path::Path),
    (mut power, mut selection): (PowerSession, PowerSelection),
    report: &mut Report,
    on_event: &mut dyn FnMut(Event),
) -> Result<MeasureOutcome> {
    let info = dev.info().clone();
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
        let (chosen, warning) = energy_budget::plan(workloads, &info, &plan.power);
        if let Some(w) = warning {
            on_event(Event::Warning(w.clone()));
            report.warnings.push(w);
        }
        chosen
    } else {
        vec![true; workloads.len()]
    };
    let mut tuner = crate::tune::Tuner::new(plan.tune)
        .with_budget(crate::tune::budget_for(&info))
        .with_shader_checks(plan.shader_checks);
    let mut handled = 0;
    let mut stopped_case = None;
    let mut checkpoint = Checkpoint::new();
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
        match case::measure(dev, w.as_ref(), &kernel, plan.seed, (&policy, stop), repro) {
            Ok(mut m) => {
                if !m.result.valid() {
                    report.status.invalid_cases.push(m.result.id.clone());
                    on_event(Event::Invalid {
                        id: id.clone(),
                        max_abs_err: m.result.verification.max_abs_err,
                        tolerance: m.result.verification.tolerance,
                    });
                } else if energy_for[index] {
                    on_event(Event::Energy { id: id.clone() });
                    let mut load = m.bench.load(m.result.dispatches_per_sample);
                    m.result.energy = power.measure_case(
                        load.as_mut(),
                        m.result.flops_per_dispatch,
                        m.result.stats.median_ns,
                        stop,
                    )?;
                    if let (None, Some(why)) = (&m.result.energy, power.last_problem()) {
                        on_event(Event::Warning(format!("{id}: no energy figure: {why}")));
                    }
                }
                report.cases.push(m.result);
            }
            // A stop request while the case was measured: it has no measurement, and the
            // report keeps the cases before it.
            Err(e) if e.downcast_ref::<Stopped>().is_some() => {
                stopped_case = Some(id);
                break;
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
        let abort = crate::gpu::test_hooks::abort_requested();
        if abort || checkpoint.due() {
            checkpoint.save(report, json_path).with_context(|| {
                format!(
                    "the run stopped at case {} of {}: {} keeps the report as it was last \
                     saved (complete = false); make room or pass another --out, then run \
                     again (`flopledger run --from {}` repeats the plan)",
                    index + 1,
                    workloads.len(),
                    json_path.display(),
                    json_path.display()
                )
            })?;
        }
        if abort {
            // Fleet test hook: end like a task killed mid-run (partial report on disk).
            crate::gpu::test_hooks::abort_run();
        }
        handled += 1;
    }
    let mut rechecked = recheck::Rechecked::default();
    let mut dispatch_floor = None;
    if handled == workloads.len() && !stop.load(Ordering::SeqCst) {
        rechecked = recheck::recheck_ceilings(
            dev,
            workloads,
            &report.cases,
            plan.seed,
            (&policy, stop),
            on_event,
        );
        if floor::wanted(&report.cases) && !stop.load(Ordering::SeqCst) {
            match floor::measure_floor(dev, plan.seed, (&policy, stop), on_event) {
                Ok(f) => dispatch_floor = Some(f),
                Err(e) if e.downcast_ref::<Stopped>().is_some() => {}
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
    // Read after the checks that follow the cases: a request during them cut them short.
    let stopped = stop.load(Ordering::SeqCst);
    Ok(MeasureOutcome {
        handled,
        stopped,
        stopped_case,
        rechecks: rechecked.rechecks,
        floor: dispatch_floor,
        saved_cases: checkpoint.saved_cases,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::fake::{FakeDevice, FakeMode};
    use crate::power::session::SessionTiming;
    use crate::power::source::{PowerSource, Reading, SourceError, SourceMeta};
    use crate::power::testutil::counter_meta;
    use crate::workloads::{gemm::Gemm, stream::Stream};
    use std::time::Instant;

    /// An energy counter of a board drawing 100 W, on the real clock (µJ).
    struct HundredWatts {
        meta: SourceMeta,
        origin: Instant,
    }

    impl PowerSource for HundredWatts {
        fn meta(&self) -> &SourceMeta {
            &self.meta
        }
        fn meta_mut(&mut self) -> &mut SourceMeta {
            &mut self.meta
        }
        fn read(&mut self) -> Result<Reading, SourceError> {
            Ok(Reading {
                energy_uj: Some((self.origin.elapsed().as_secs_f64() * 100e6) as u64),
                power_w: None,
            })
        }
    }

    fn sensor() -> Box<dyn PowerSource> {
        Box::new(HundredWatts {
            meta: counter_meta("test:counter"),
            origin: Instant::now(),
        })
    }

    /// A session on [`sensor`] with short probes, and a selection that chose nothing.
    fn power(plan: &Plan) -> (PowerSession, PowerSelection) {
        let timing = SessionTiming {
            probe_max_s: 0.02,
            idle_s: 0.02,
        };
        let selection = PowerSelection {
            chosen: None,
            candidates: Vec::new(),
            idle_watts: None,
            advice: None,
        };
        (
            PowerSession::from_source(sensor(), &plan.power, timing),
            selection,
        )
    }

    /// Cases the energy budget leaves out are measured for time and stay valid: only a failed
    /// verification marks a case invalid (the H200's first standard run, 4 Dec 2026, had all 34
    /// cases outside the budget listed as failing verification with errors below tolerance).
    /// The first case is always saved; later ones once the time since the last rewrite is
    /// twenty times what it took.
    #[test]
    fn a_checkpoint_is_due_once_the_run_has_paid_for_it() {
        let mut c = Checkpoint::new();
        assert!(c.due());
        c.cost = Duration::from_secs(3600);
        assert!(!c.due());
        c.cost = Duration::from_nanos(1);
        c.last = Instant::now() - Duration::from_micros(20);
        assert!(c.due());
    }

    #[test]
    fn cases_outside_the_energy_budget_are_valid_and_carry_no_energy() {
        let dev = FakeDevice::new(FakeMode::Instant);
        let mut plan = Plan {
            min_time_s: 0.001,
            max_time_s: 0.005,
            ..Plan::default()
        };
        plan.power.energy_window_s = 0.05;
        plan.power.energy_trials = 1;
        // Room for two cases' trials (0.06 s each): the largest of each kind.
        plan.power.energy_budget_s = Some(0.13);
        let workloads: Vec<Box<dyn Workload>> = vec![
            Box::new(Stream::copy(1 << 16)),
            Box::new(Stream::copy(1 << 20)),
            Box::new(Gemm::new(64, 64, 64)),
            Box::new(Gemm::new(128, 128, 128)),
        ];
        let dir = tempfile::tempdir().unwrap();
        let json = dir.path().join("r.json");
        let (mut report, _) = super::super::start::begin(
            &Plan {
                out_dir: dir.path().to_path_buf(),
                ..plan.clone()
            },
            dev.info(),
            vec![],
            workloads.len(),
        )
        .unwrap();
        let mut invalid_events = 0;
        let stop = AtomicBool::new(false);
        measure_with_power(
            &dev,
            &plan,
            &workloads,
            (&stop, &json),
            power(&plan),
            &mut report,
            &mut |e| invalid_events += usize::from(matches!(e, Event::Invalid { .. })),
        )
        .unwrap();
        assert_eq!(report.cases.len(), 4);
        assert!(report.cases.iter().all(|c| c.valid()));
        assert_eq!(report.status.invalid_cases, Vec::<String>::new());
        assert_eq!(invalid_events, 0);
        let with_energy: Vec<&str> = report
            .cases
            .iter()
            .filter(|c| c.energy.is_some())
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(with_energy, [workloads[1].id(), workloads[3].id()]);
    }

    /// A report that cannot be rewritten after a case (a full disk) stops the run with the
    /// case, the file that keeps the earlier cases and the fix, not the write error alone.
    #[test]
    fn a_report_that_cannot_be_saved_stops_the_run_and_names_what_is_kept() {
        let dev = FakeDevice::new(FakeMode::Instant);
        let dir = tempfile::tempdir().unwrap();
        let plan = Plan {
            min_time_s: 0.001,
            max_time_s: 0.005,
            out_dir: dir.path().to_path_buf(),
            ..Plan::default()
        };
        let workloads: Vec<Box<dyn Workload>> = vec![
            Box::new(Stream::copy(1 << 16)),
            Box::new(Gemm::new(64, 64, 64)),
        ];
        let (mut report, json) =
            super::super::start::begin(&plan, dev.info(), vec![], workloads.len()).unwrap();
        let stop = AtomicBool::new(false);
        // Before the second case the report's name becomes a folder: its rewrite fails.
        let blocked = json.clone();
        let e = measure_with_power(
            &dev,
            &plan,
            &workloads,
            (&stop, &json),
            power(&plan),
            &mut report,
            &mut |e| {
                if matches!(e, Event::CaseStarted { index: 1, .. }) {
                    std::fs::remove_file(&blocked).unwrap();
                    std::fs::create_dir_all(blocked.join("x")).unwrap();
                }
            },
        )
        .err()
        .expect("the second save fails");
        let msg = format!("{e:#}");
        assert!(
            msg.contains("the run stopped at case 2 of 2")
                && msg.contains(&json.display().to_string())
                && msg.contains("complete = false")
                && msg.contains("--out"),
            "{msg}"
        );
        assert_ne!(crate::error::exit_code(&e), 0);
    }
}
