//! Grading of measured energy (DESIGN §5): combines a case's trials into its [`CaseEnergy`]
//! with a grade (A/B/C from the source's best, lowered for short windows, few or inconsistent
//! trials) and a relative error estimate.

use super::implausible::Implausible;
use super::source::PowerSource;
use super::types::{CaseEnergy, EnergyTrial, Grade};
use crate::config::PowerOptions;

/// Windows at least this long (s) can be graded A; shorter ones at best B.
pub const LONG_WINDOW_S: f64 = 5.0;
/// Trials agreeing within this relative spread (std dev / mean of average power) are consistent.
pub const CONSISTENT_SPREAD: f64 = 0.05;
/// Fewest consistent trials for grade A.
pub const MIN_TRIALS_FOR_A: usize = 3;
/// The grade a measured result earns: the source's best, lowered to B for a short window,
/// too few trials or inconsistent trials.
pub fn grade(best: Grade, window_s: f64, trials: usize, spread_rel: f64) -> Grade {
    if window_s < LONG_WINDOW_S || trials < MIN_TRIALS_FOR_A || spread_rel > CONSISTENT_SPREAD {
        best.max(Grade::B)
    } else {
        best
    }
}

/// Sample standard deviation over mean of the trials' average power (0 for one trial).
pub fn spread_rel(trials: &[EnergyTrial]) -> f64 {
    let n = trials.len() as f64;
    let mean = trials.iter().map(|t| t.avg_watts).sum::<f64>() / n;
    if trials.len() < 2 || mean <= 0.0 {
        return 0.0;
    }
    let var = trials
        .iter()
        .map(|t| (t.avg_watts - mean).powi(2))
        .sum::<f64>()
        / (n - 1.0);
    var.sqrt() / mean
}

/// No positive energy per dispatch remains: the idle power subtracted is at or above the load.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error(
    "no energy per dispatch left (load {load_w:.1} W, idle {idle_w:?} W, subtracted: {subtracted})"
)]
pub struct NoEnergyLeft {
    pub load_w: f64,
    pub idle_w: Option<f64>,
    pub subtracted: bool,
}

/// Combines the trials into the case's energy (`problems`: the trials discarded); `Err` when
/// no positive energy per dispatch remains (idle subtraction at or above the load power).
pub fn summarise(
    source: &dyn PowerSource,
    trials: Vec<EnergyTrial>,
    problems: Vec<Implausible>,
    opts: &PowerOptions,
    idle_w: Option<f64>,
    flops_per_dispatch: f64,
    median_dispatch_ns: f64,
) -> Result<CaseEnergy, NoEnergyLeft> {
    let meta = source.meta();
    let spread = spread_rel(&trials);
    let window_s = trials
        .iter()
        .map(|t| t.seconds)
        .fold(f64::INFINITY, f64::min);
    let period_s = meta.info.update_period_ms.unwrap_or(meta.poll_period_ms) * 1e-3;
    // Each window edge is known to within about half a sensor update.
    let edge_rel = period_s / window_s;
    let rel_error = (meta.sensor_rel_error.powi(2) + spread.powi(2) + edge_rel.powi(2)).sqrt();
    let mut caveats = meta.info.caveats.clone();
    caveats.extend(
        problems
            .iter()
            .map(|p| format!("discarded an implausible trial: {p}")),
    );
    let load_w = trials.iter().map(|t| t.avg_watts).sum::<f64>() / trials.len() as f64;
    let subtract = opts.subtract_idle && idle_w.is_some();
    if opts.subtract_idle && idle_w.is_none() {
        caveats.push("idle power was not measured, so it was not subtracted".into());
    }
    let avg_watts = if subtract {
        (load_w - idle_w.unwrap_or(0.0)).max(0.0)
    } else {
        load_w
    };
    if subtract {
        caveats.push(format!(
            "idle power ({:.1} W) subtracted: figures are load above idle",
            idle_w.unwrap_or(0.0)
        ));
    }
    let seconds: f64 = trials.iter().map(|t| t.seconds).sum();
    let dispatches: u64 = trials.iter().map(|t| t.dispatches).sum();
    let joules_per_dispatch = if dispatches > 0 {
        avg_watts * seconds / dispatches as f64
    } else {
        avg_watts * median_dispatch_ns * 1e-9
    };
    if joules_per_dispatch <= 0.0 || !joules_per_dispatch.is_finite() {
        return Err(NoEnergyLeft {
            load_w,
            idle_w,
            subtracted: subtract,
        });
    }
    Ok(CaseEnergy {
        source_id: meta.info.id.clone(),
        grade: grade(meta.best_grade, window_s, trials.len(), spread),
        method: meta.info.method.clone(),
        scope: meta.info.scope,
        trials,
        avg_watts,
        joules_per_dispatch,
        flop_per_joule: flops_per_dispatch / joules_per_dispatch,
        rel_error,
        idle_watts: idle_w,
        idle_subtracted: subtract,
        caveats,
    })
}
