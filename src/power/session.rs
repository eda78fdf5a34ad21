//! [`PowerSession`]: the run pipeline's handle on energy. It owns the chosen source, measures
//! idle power once, and for each case runs the energy trials and grades the result.

use super::grading::summarise;
use super::implausible::Implausible;
use super::integrate::Bounds;
use super::nominal::NOMINAL_REL_ERROR;
use super::select::{select, Chosen, Env};
use super::source::PowerSource;
use super::types::{CaseEnergy, EnergyTrial, Grade, PowerSelection, Scope};
use super::window::{average_power_w, judge, run_trial, sample_until, LoadDriver, TrialTiming};
use crate::config::PowerOptions;
use crate::gpu::info::AdapterInfo;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// Extra attempts allowed when trials are implausible.
const EXTRA_ATTEMPTS: u32 = 2;

/// Short timings of a session, overridable in tests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SessionTiming {
    /// Bound on probing the chosen source (s).
    pub probe_max_s: f64,
    /// Length of the idle measurement (s, ≤ 1).
    pub idle_s: f64,
}

impl Default for SessionTiming {
    fn default() -> Self {
        Self {
            probe_max_s: 0.5,
            idle_s: 0.5,
        }
    }
}

/// The chosen source and options for one adapter's run.
pub struct PowerSession {
    chosen: Chosen,
    opts: PowerOptions,
    timing: SessionTiming,
    idle_w: Option<f64>,
    last_problem: Option<String>,
}

impl PowerSession {
    /// Chooses a source for `adapter` on this machine. Never fails: without a sensor it falls
    /// back to a nominal figure (`--watts`, NVML power limit, `catalog_tdp_w`) or none, and the
    /// selection says what would give a measurement.
    pub fn open(
        adapter: &AdapterInfo,
        opts: &PowerOptions,
        catalog_tdp_w: Option<f64>,
    ) -> (Self, PowerSelection) {
        Self::open_with(
            &Env::system(),
            adapter,
            opts,
            catalog_tdp_w,
            SessionTiming::default(),
        )
    }

    /// [`Self::open`] with an explicit sysfs root / NVML and timings (tests use fakes).
    pub fn open_with(
        env: &Env,
        adapter: &AdapterInfo,
        opts: &PowerOptions,
        catalog_tdp_w: Option<f64>,
        timing: SessionTiming,
    ) -> (Self, PowerSelection) {
        let (mut chosen, mut selection) = if opts.disabled {
            (
                Chosen::None,
                PowerSelection {
                    chosen: None,
                    candidates: Vec::new(),
                    idle_watts: None,
                    advice: Some("energy measurement disabled (--no-energy)".into()),
                },
            )
        } else {
            select(env, adapter, opts.watts, catalog_tdp_w)
        };
        if let Chosen::Measured(source) = &mut chosen {
            if super::probe::probe(source.as_mut(), timing.probe_max_s).is_ok() {
                selection.chosen = Some(source.meta().info.clone());
            }
        }
        (
            Self {
                chosen,
                opts: opts.clone(),
                timing,
                idle_w: None,
                last_problem: None,
            },
            selection,
        )
    }

    /// A session on a given source (no selection or probe): for callers that pick the source
    /// themselves, and for tests with fake sources.
    pub fn from_source(
        source: Box<dyn PowerSource>,
        opts: &PowerOptions,
        timing: SessionTiming,
    ) -> Self {
        Self {
            chosen: Chosen::Measured(source),
            opts: opts.clone(),
            timing,
            idle_w: None,
            last_problem: None,
        }
    }

    /// Whether a sensor measures (energy trials take time), rather than a nominal power or none.
    pub fn measures(&self) -> bool {
        matches!(self.chosen, Chosen::Measured(_))
    }

    /// Why the last [`Self::measure_case`] gave no energy although a sensor was chosen.
    pub fn last_problem(&self) -> Option<&str> {
        self.last_problem.as_deref()
    }

    /// Average power (W) with no load, over [`SessionTiming::idle_s`]; `None` for nominal or
    /// no source, or when the sensor did not update in that time.
    pub fn measure_idle(&mut self) -> Option<f64> {
        let Chosen::Measured(source) = &mut self.chosen else {
            return None;
        };
        let poll = Duration::from_secs_f64(source.meta().poll_period_ms.max(0.5) * 1e-3);
        let stop = AtomicBool::new(false);
        let origin = Instant::now();
        let idle_s = self.timing.idle_s.min(1.0);
        let (samples, _) = std::thread::scope(|scope| {
            let h = scope.spawn(|| sample_until(source.as_mut(), origin, poll, &stop));
            std::thread::sleep(Duration::from_secs_f64(idle_s));
            stop.store(true, std::sync::atomic::Ordering::Release);
            h.join().unwrap_or_default()
        });
        self.idle_w = average_power_w(&samples, Bounds::of(source.meta())).ok();
        self.idle_w
    }

    /// Energy of one case. Measured sources: `opts.energy_trials` trials of load, graded.
    /// Nominal: watts × `median_dispatch_ns`, grade D, no load. No source: `Ok(None)`.
    /// `Err` only when the load fails; a sensor giving only implausible trials gives `Ok(None)`
    /// and [`Self::last_problem`] says why. Once `stop` is set no further trial starts (an
    /// interrupted run stops within one trial, not all of them): the trials done so far make
    /// the figure, with their grade; none gives no figure, and the last problem says why.
    pub fn measure_case(
        &mut self,
        load: &mut dyn LoadDriver,
        flops_per_dispatch: f64,
        median_dispatch_ns: f64,
        stop: &AtomicBool,
    ) -> anyhow::Result<Option<CaseEnergy>> {
        self.last_problem = None;
        match &mut self.chosen {
            Chosen::None => Ok(None),
            Chosen::Nominal(n) => {
                let joules_per_dispatch = n.power_w * median_dispatch_ns * 1e-9;
                let mut caveats = n.info.caveats.clone();
                if self.opts.subtract_idle {
                    caveats.push(
                        "--subtract-idle: a nominal power has no idle reading, so nothing was \
                         subtracted"
                            .into(),
                    );
                }
                Ok((joules_per_dispatch > 0.0).then(|| CaseEnergy {
                    source_id: n.info.id.clone(),
                    grade: Grade::D,
                    method: n.info.method.clone(),
                    scope: Scope::Nominal,
                    trials: Vec::new(),
                    avg_watts: n.power_w,
                    joules_per_dispatch,
                    flop_per_joule: flops_per_dispatch / joules_per_dispatch,
                    rel_error: NOMINAL_REL_ERROR,
                    idle_watts: None,
                    idle_subtracted: false,
                    caveats,
                }))
            }
            Chosen::Measured(source) => {
                let (trials, problems) = run_trials(source.as_mut(), load, &self.opts, stop)?;
                if trials.is_empty() && stop.load(std::sync::atomic::Ordering::SeqCst) {
                    self.last_problem = Some(format!(
                        "{}: the run was interrupted before a plausible energy trial",
                        source.meta().info.id
                    ));
                    return Ok(None);
                }
                if trials.is_empty() {
                    self.last_problem = Some(format!(
                        "{}: every energy trial was implausible ({})",
                        source.meta().info.id,
                        problems
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("; ")
                    ));
                    return Ok(None);
                }
                let summary = summarise(
                    source.as_ref(),
                    trials,
                    problems,
                    &self.opts,
                    self.idle_w,
                    flops_per_dispatch,
                    median_dispatch_ns,
                );
                if let Err(e) = &summary {
                    self.last_problem = Some(e.to_string());
                }
                Ok(summary.ok())
            }
        }
    }
}

/// Runs trials until `energy_trials` are plausible or the attempts run out.
fn run_trials(
    source: &mut dyn PowerSource,
    load: &mut dyn LoadDriver,
    opts: &PowerOptions,
    stop: &AtomicBool,
) -> anyhow::Result<(Vec<EnergyTrial>, Vec<Implausible>)> {
    if !(opts.energy_window_s.is_finite() && opts.energy_window_s > 0.0) {
        return Err(crate::error::FlError::usage(format!(
            "energy window must be a positive duration, got {} s; fix: `run --energy-window 5s`",
            opts.energy_window_s
        ))
        .into());
    }
    let wanted = opts.energy_trials.max(1);
    let meta = source.meta();
    let period_s = meta.info.update_period_ms.unwrap_or(meta.poll_period_ms) * 1e-3;
    let timing =
        TrialTiming::for_window(opts.energy_window_s, period_s, meta.poll_period_ms * 1e-3);
    let (mut trials, mut problems) = (Vec::new(), Vec::new());
    for _ in 0..wanted + EXTRA_ATTEMPTS {
        if trials.len() as u32 == wanted || stop.load(std::sync::atomic::Ordering::SeqCst) {
            break;
        }
        let record = run_trial(source, load, timing)?;
        match judge(&record, Bounds::of(source.meta())) {
            Ok(t) => trials.push(t),
            Err(e) => problems.push(e),
        }
    }
    Ok((trials, problems))
}
