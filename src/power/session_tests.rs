//! Tests of [`super::session`]: energy windows with a fake load and a fake sensor whose energy
//! follows the load on the real clock, grading, nominal and no-source sessions.

use super::grading::{grade, spread_rel};
use super::select::Env;
use super::session::{PowerSession, SessionTiming};
use super::source::{PowerSource, Reading, SourceError, SourceMeta};
use super::testutil::{adapter, counter_meta};
use super::types::{EnergyTrial, Grade};
use super::window::LoadDriver;
use crate::config::PowerOptions;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const IDLE_W: f64 = 20.0;
const LOAD_W: f64 = 120.0;
/// One dispatch of the fake load takes 1 ms.
const DISPATCH_S: f64 = 1e-3;

/// Busy intervals of the fake load, in seconds since `origin`.
struct Sim {
    origin: Instant,
    busy: Vec<(f64, f64)>,
}

impl Sim {
    /// Energy (J) from origin to now: idle power all the time, plus the extra load power while busy.
    fn energy_j(&self, now: f64) -> f64 {
        let busy_s: f64 = self
            .busy
            .iter()
            .map(|&(a, b)| (b.min(now) - a).max(0.0))
            .sum();
        IDLE_W * now + (LOAD_W - IDLE_W) * busy_s
    }
}

struct FakeLoad(Arc<Mutex<Sim>>);

impl LoadDriver for FakeLoad {
    /// Busy from the call until it returns (the real elapsed time, so a host that oversleeps
    /// does not open an idle gap inside the window); one dispatch per millisecond busy.
    fn run_for(&mut self, seconds: f64) -> anyhow::Result<u64> {
        let poisoned = || anyhow::anyhow!("poisoned");
        let start = {
            let mut sim = self.0.lock().map_err(|_| poisoned())?;
            let start = sim.origin.elapsed().as_secs_f64();
            sim.busy.push((start, f64::INFINITY));
            start
        };
        std::thread::sleep(Duration::from_secs_f64(seconds));
        let mut sim = self.0.lock().map_err(|_| poisoned())?;
        let end = sim.origin.elapsed().as_secs_f64();
        if let Some(last) = sim.busy.last_mut() {
            last.1 = end;
        }
        Ok(((end - start) / DISPATCH_S).round() as u64)
    }
}

/// An energy counter updating every 1 ms (µJ), or, with `jump_uj`, one that leaps by that much
/// on its tenth read (and, with `repeat`, on every tenth read after it).
struct FakeCounter {
    meta: SourceMeta,
    sim: Arc<Mutex<Sim>>,
    reads: u64,
    jump_uj: u64,
    repeat: bool,
}

impl PowerSource for FakeCounter {
    fn meta(&self) -> &SourceMeta {
        &self.meta
    }
    fn meta_mut(&mut self) -> &mut SourceMeta {
        &mut self.meta
    }
    fn read(&mut self) -> Result<Reading, SourceError> {
        let sim = self
            .sim
            .lock()
            .map_err(|_| SourceError::Failed("poisoned".into()))?;
        let now = (sim.origin.elapsed().as_secs_f64() * 1e3).floor() * 1e-3;
        self.reads += 1;
        let jumps = if self.repeat {
            self.reads / 10
        } else {
            u64::from(self.reads >= 10)
        };
        let jump = self.jump_uj * jumps;
        Ok(Reading {
            energy_uj: Some((sim.energy_j(now) * 1e6) as u64 + jump),
            power_w: None,
        })
    }
}

fn fake(jump_uj: u64, repeat: bool) -> (Box<dyn PowerSource>, FakeLoad) {
    let sim = Arc::new(Mutex::new(Sim {
        origin: Instant::now(),
        busy: Vec::new(),
    }));
    let mut meta = counter_meta("fake:counter");
    meta.max_plausible_w = 500.0;
    (
        Box::new(FakeCounter {
            meta,
            sim: Arc::clone(&sim),
            reads: 0,
            jump_uj,
            repeat,
        }),
        FakeLoad(sim),
    )
}

fn short_opts() -> PowerOptions {
    PowerOptions {
        energy_window_s: 0.05,
        energy_trials: 3,
        ..PowerOptions::default()
    }
}

/// A stop flag nobody sets.
static NO_STOP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

const TIMING: SessionTiming = SessionTiming {
    probe_max_s: 0.02,
    idle_s: 0.05,
};

#[test]
fn window_measures_load_power_and_idle_separately() {
    let (source, mut load) = fake(0, false);
    let mut session = PowerSession::from_source(source, &short_opts(), TIMING);
    assert!(
        session.measures(),
        "a sensor's trials take time: the energy budget applies"
    );
    let idle = session.measure_idle().expect("idle measured");
    assert!((idle - IDLE_W).abs() < 1.0, "idle {idle}");
    // 1e9 FLOP per 1 ms dispatch at 120 W: 0.12 J per dispatch, 1e9 / 0.12 = 8.33e9 FLOP/J.
    let e = session
        .measure_case(&mut load, 1e9, 1e6, &NO_STOP)
        .expect("load ok")
        .expect("energy");
    assert_eq!(e.trials.len(), 3);
    assert!(
        (e.avg_watts - LOAD_W).abs() < 0.03 * LOAD_W,
        "avg {}",
        e.avg_watts
    );
    assert!(
        (e.flop_per_joule / 8.333e9 - 1.0).abs() < 0.1,
        "FLOP/J {}",
        e.flop_per_joule
    );
    // A 50 ms window is short: grade B at best, and idle is recorded, not subtracted.
    assert_eq!(e.grade, Grade::B);
    assert_eq!((e.idle_watts, e.idle_subtracted), (Some(idle), false));

    let opts = PowerOptions {
        subtract_idle: true,
        ..short_opts()
    };
    let (source, mut load) = fake(0, false);
    let mut session = PowerSession::from_source(source, &opts, TIMING);
    session.measure_idle();
    let e = session
        .measure_case(&mut load, 1e9, 1e6, &NO_STOP)
        .expect("load ok")
        .expect("energy");
    assert!(
        e.idle_subtracted && (e.avg_watts - (LOAD_W - IDLE_W)).abs() < 4.0,
        "{}",
        e.avg_watts
    );
    assert!(e.caveats.iter().any(|c| c.contains("subtracted")));
}

#[test]
fn implausible_jump_gives_no_energy_and_says_why() {
    // One leap of +1 kJ in ~1 ms (far above 500 W): that trial is discarded and retried.
    let (source, mut load) = fake(1_000_000_000, false);
    let mut session = PowerSession::from_source(source, &short_opts(), TIMING);
    let e = session
        .measure_case(&mut load, 1e9, 1e6, &NO_STOP)
        .expect("load ok")
        .expect("retried");
    assert_eq!(e.trials.len(), 3);
    assert!(e
        .caveats
        .iter()
        .any(|c| c.contains("discarded an implausible trial")));
    // A leap every tenth read: every attempt is implausible.
    let (source, mut load) = fake(1_000_000_000, true);
    let mut session = PowerSession::from_source(
        source,
        &PowerOptions {
            energy_trials: 1,
            ..short_opts()
        },
        TIMING,
    );
    assert_eq!(
        session
            .measure_case(&mut load, 1e9, 1e6, &NO_STOP)
            .expect("load ok"),
        None
    );
    assert!(
        session
            .last_problem()
            .is_some_and(|p| p.contains("implausible")),
        "{:?}",
        session.last_problem()
    );
}

fn no_sensor_env() -> (tempfile::TempDir, Env) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let env = Env {
        root: tmp.path().to_path_buf(),
        nvml: Err(crate::power::nvml::NvmlUnavailable(
            "libnvidia-ml.so.1 not found".into(),
        )),
    };
    (tmp, env)
}

#[test]
fn nominal_watts_give_grade_d_without_load() {
    let (_tmp, env) = no_sensor_env();
    let opts = PowerOptions {
        watts: Some(65.0),
        ..PowerOptions::default()
    };
    let (mut session, sel) =
        PowerSession::open_with(&env, &adapter(0x10005, 0, None), &opts, None, TIMING);
    assert_eq!(
        sel.chosen.as_ref().map(|c| c.id.as_str()),
        Some("nominal:--watts")
    );
    assert_eq!(session.measure_idle(), None);
    assert!(
        !session.measures(),
        "a nominal power costs no time: no budget"
    );
    struct NoLoad;
    impl LoadDriver for NoLoad {
        fn run_for(&mut self, _: f64) -> anyhow::Result<u64> {
            anyhow::bail!("nominal energy must not run the load")
        }
    }
    // 65 W × 1 ms = 0.065 J per dispatch; 1e9 FLOP / 0.065 J = 1.538e10 FLOP/J.
    let e = session
        .measure_case(&mut NoLoad, 1e9, 1e6, &NO_STOP)
        .expect("no load needed")
        .expect("nominal");
    assert_eq!((e.grade, e.avg_watts), (Grade::D, 65.0));
    assert!((e.joules_per_dispatch - 0.065).abs() < 1e-12);
    assert!((e.flop_per_joule - 1.0e9 / 0.065).abs() < 1.0);
    assert!(e.caveats.iter().any(|c| c.contains("upper-bound")));
    assert!(!e.caveats.iter().any(|c| c.contains("--subtract-idle")));

    // Asked to subtract idle power, a nominal power says it had none to subtract.
    let opts = PowerOptions {
        subtract_idle: true,
        ..opts
    };
    let (mut session, _) =
        PowerSession::open_with(&env, &adapter(0x10005, 0, None), &opts, None, TIMING);
    let e = session
        .measure_case(&mut NoLoad, 1e9, 1e6, &NO_STOP)
        .expect("no load needed")
        .expect("nominal");
    assert_eq!((e.avg_watts, e.idle_subtracted), (65.0, false));
    assert!(
        e.caveats
            .iter()
            .any(|c| c.contains("--subtract-idle") && c.contains("nothing was subtracted")),
        "{:?}",
        e.caveats
    );
}

/// A stop request (Ctrl-C, `timeout`) ends a case's trials after the one running: the figure
/// stands on the trials done, and with none there is no figure and the reason says why.
#[test]
fn a_stop_request_ends_the_trials_after_the_current_one() {
    use std::sync::atomic::{AtomicBool, Ordering};
    /// The fake load that asks the run to stop while its first trial runs.
    struct StopDuring<'a>(FakeLoad, &'a AtomicBool);
    impl LoadDriver for StopDuring<'_> {
        fn run_for(&mut self, seconds: f64) -> anyhow::Result<u64> {
            self.1.store(true, Ordering::SeqCst);
            self.0.run_for(seconds)
        }
    }
    let (source, load) = fake(0, false);
    let mut session = PowerSession::from_source(source, &short_opts(), TIMING);
    let stop = AtomicBool::new(false);
    let mut load = StopDuring(load, &stop);
    let e = session
        .measure_case(&mut load, 1e9, 1e6, &stop)
        .expect("load ok")
        .expect("the first trial counts");
    assert_eq!(e.trials.len(), 1, "three were asked for");
    // Stopped before the case's trials: no figure, and why.
    let e = session
        .measure_case(&mut load, 1e9, 1e6, &stop)
        .expect("load ok");
    assert_eq!(e, None);
    assert!(session
        .last_problem()
        .is_some_and(|p| p.contains("interrupted")));
}

#[test]
fn no_sensor_and_no_watts_gives_none_with_advice() {
    let (_tmp, env) = no_sensor_env();
    let (mut session, sel) = PowerSession::open_with(
        &env,
        &adapter(0x10005, 0, None),
        &PowerOptions::default(),
        None,
        TIMING,
    );
    assert!(sel.chosen.is_none());
    assert!(sel
        .advice
        .as_deref()
        .is_some_and(|a| a.contains("--watts") && a.contains("NVML")));
    assert!(sel
        .candidates
        .iter()
        .all(|c| !c.chosen && c.reason.starts_with("absent")));
    let (_, mut load) = fake(0, false);
    assert_eq!(
        session
            .measure_case(&mut load, 1e9, 1e6, &NO_STOP)
            .expect("ok"),
        None
    );
}

#[test]
fn grades_follow_window_trials_and_spread() {
    assert_eq!(grade(Grade::A, 5.0, 3, 0.01), Grade::A);
    assert_eq!(grade(Grade::A, 1.0, 3, 0.01), Grade::B);
    assert_eq!(grade(Grade::A, 5.0, 2, 0.01), Grade::B);
    assert_eq!(grade(Grade::A, 5.0, 3, 0.2), Grade::B);
    assert_eq!(grade(Grade::C, 1.0, 1, 0.2), Grade::C);
    let t = |w| EnergyTrial {
        seconds: 1.0,
        joules: w,
        avg_watts: w,
        dispatches: 1,
    };
    // 90, 100, 110 W: mean 100, sample std dev sqrt((100 + 0 + 100) / 2) = 10 → 0.10.
    assert!((spread_rel(&[t(90.0), t(100.0), t(110.0)]) - 0.10).abs() < 1e-12);
}
