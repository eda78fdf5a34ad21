//! One energy trial: a sampler thread reads the sensor while the caller's thread runs the load
//! through lead-in, window and lead-out, so both window edges lie inside the busy period.
//! Energy in the window comes from the counter difference (wrap-corrected) or the trapezoid
//! integral of sampled power, interpolated at the window edges.

use super::implausible::Implausible;
use super::integrate::{cumulative_j, energy_at, Bounds, Sample};
use super::source::PowerSource;
use super::types::EnergyTrial;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Runs the case's kernel back to back; returns dispatches completed. Implemented by the run
/// pipeline.
pub trait LoadDriver {
    fn run_for(&mut self, seconds: f64) -> anyhow::Result<u64>;
}

/// Lengths of the three load phases of one trial, in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrialTiming {
    pub lead_in_s: f64,
    pub window_s: f64,
    pub lead_out_s: f64,
}

impl TrialTiming {
    /// Lead-in of a fifth of the window (clocks and power settle) but at least two sensor
    /// updates; lead-out of one update plus one poll, so the sensor reports the window's end.
    pub fn for_window(window_s: f64, update_period_s: f64, poll_period_s: f64) -> Self {
        Self {
            lead_in_s: (0.2 * window_s).max(2.0 * update_period_s + poll_period_s),
            window_s,
            lead_out_s: (update_period_s + 2.0 * poll_period_s).max(0.01),
        }
    }
}

/// Samples and window edges of one trial, on a clock starting when sampling began.
#[derive(Debug, Clone, PartialEq)]
pub struct TrialRecord {
    pub samples: Vec<Sample>,
    pub window_start_s: f64,
    pub window_end_s: f64,
    pub dispatches: u64,
    /// Sensor read errors seen while sampling (the trial is judged on the reads that worked).
    pub read_errors: usize,
}

/// Reads `source` every `poll` on its own thread until `stop`, stamping times from `origin`.
pub fn sample_until(
    source: &mut dyn PowerSource,
    origin: Instant,
    poll: Duration,
    stop: &AtomicBool,
) -> (Vec<Sample>, usize) {
    let mut samples = Vec::new();
    let mut errors = 0;
    loop {
        let done = stop.load(Ordering::Acquire);
        match source.read() {
            Ok(r) => samples.push(Sample {
                t_s: origin.elapsed().as_secs_f64(),
                energy_uj: r.energy_uj,
                power_w: r.power_w,
            }),
            Err(_) => errors += 1,
        }
        if done {
            return (samples, errors);
        }
        std::thread::sleep(poll);
    }
}

/// Runs one trial: sampler thread on `source`, load on this thread.
pub fn run_trial(
    source: &mut dyn PowerSource,
    load: &mut dyn LoadDriver,
    timing: TrialTiming,
) -> anyhow::Result<TrialRecord> {
    let poll = Duration::from_secs_f64(source.meta().poll_period_ms.max(0.5) * 1e-3);
    let stop = AtomicBool::new(false);
    let origin = Instant::now();
    std::thread::scope(|scope| {
        let sampler = scope.spawn(|| sample_until(source, origin, poll, &stop));
        // First sample before the load starts.
        std::thread::sleep(poll);
        let load_result = (|| -> anyhow::Result<(f64, f64, u64)> {
            load.run_for(timing.lead_in_s)?;
            let start = origin.elapsed().as_secs_f64();
            let dispatches = load.run_for(timing.window_s)?;
            let end = origin.elapsed().as_secs_f64();
            load.run_for(timing.lead_out_s)?;
            Ok((start, end, dispatches))
        })();
        stop.store(true, Ordering::Release);
        let (samples, read_errors) = sampler
            .join()
            .map_err(|_| anyhow::anyhow!("power sampler thread panicked"))?;
        let (window_start_s, window_end_s, dispatches) = load_result?;
        Ok(TrialRecord {
            samples,
            window_start_s,
            window_end_s,
            dispatches,
            read_errors,
        })
    })
}

/// Keeps the first sample of each counter value: a counter read between updates repeats its
/// last value, and interpolating between the moments it changed follows the energy smoothly.
fn counter_changes(samples: &[Sample]) -> Vec<Sample> {
    let mut out: Vec<Sample> = Vec::new();
    for s in samples {
        if out
            .last()
            .is_none_or(|l| l.energy_uj != s.energy_uj || s.energy_uj.is_none())
        {
            out.push(*s);
        }
    }
    out
}

/// Energy over `[start_s, end_s]` of recorded samples (J). Errors say why it is implausible.
pub fn energy_between(
    samples: &[Sample],
    start_s: f64,
    end_s: f64,
    bounds: Bounds,
) -> Result<f64, Implausible> {
    let is_counter = samples.first().is_some_and(|s| s.energy_uj.is_some());
    let points = if is_counter {
        counter_changes(samples)
    } else {
        samples.to_vec()
    };
    let cumulative = cumulative_j(&points, bounds)?;
    let at = |t: f64| energy_at(&cumulative, t).ok_or(Implausible::SensorStopped(t));
    let joules = at(end_s)? - at(start_s)?;
    if joules <= 0.0 {
        return Err(Implausible::NoEnergyCounted);
    }
    Ok(joules)
}

/// Average power (W) over the span of `samples` where the sensor showed change: for a counter
/// from its first to its last update (reads after the last update repeat it and hold no
/// time information), for sampled power from the first to the last read.
pub fn average_power_w(samples: &[Sample], bounds: Bounds) -> Result<f64, Implausible> {
    let is_counter = samples.first().is_some_and(|s| s.energy_uj.is_some());
    let points = if is_counter {
        counter_changes(samples)
    } else {
        samples.to_vec()
    };
    match (points.first(), points.last()) {
        (Some(a), Some(b)) if b.t_s > a.t_s => {
            Ok(energy_between(&points, a.t_s, b.t_s, bounds)? / (b.t_s - a.t_s))
        }
        _ => Err(Implausible::NoUpdates),
    }
}

/// The energy trial of a record, or why it is implausible.
pub fn judge(record: &TrialRecord, bounds: Bounds) -> Result<EnergyTrial, Implausible> {
    let max_w = bounds.max_w;
    let reads = record.samples.len() + record.read_errors;
    if record.read_errors * 2 > reads {
        return Err(Implausible::ReadFailures {
            failed: record.read_errors,
            reads,
        });
    }
    let seconds = record.window_end_s - record.window_start_s;
    let joules = energy_between(
        &record.samples,
        record.window_start_s,
        record.window_end_s,
        bounds,
    )?;
    let avg_watts = joules / seconds;
    if avg_watts > max_w {
        return Err(Implausible::AboveMaxPower {
            avg_w: avg_watts,
            max_w,
        });
    }
    Ok(EnergyTrial {
        seconds,
        joules,
        avg_watts,
        dispatches: record.dispatches,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counter(t_s: f64, uj: u64) -> Sample {
        Sample {
            t_s,
            energy_uj: Some(uj),
            power_w: None,
        }
    }

    #[test]
    fn rapl_wrap_inside_the_window_gives_the_right_energy() {
        // 50 W on a counter that wraps at 262 143 328 850 µJ, updating every 10 ms (0.5 J per
        // update), starting 1 J below the wrap. Window [0.1 s, 0.9 s] holds 0.8 s × 50 W = 40 J.
        let wrap = 262_143_328_850u64;
        let start = wrap - 1_000_000;
        let samples: Vec<Sample> = (0..=100)
            .map(|i| counter(i as f64 * 0.01, (start + i as u64 * 500_000) % (wrap + 1)))
            .collect();
        assert!(
            samples.iter().any(|s| s.energy_uj < Some(start)),
            "the fake counter wraps"
        );
        let rec = TrialRecord {
            samples,
            window_start_s: 0.1,
            window_end_s: 0.9,
            dispatches: 80,
            read_errors: 0,
        };
        let trial = judge(&rec, Bounds::new(Some(wrap), 500.0)).expect("plausible");
        // (wrap + 1) % ... makes the wrap step land on 0: wrap − prev + next counts one µJ less
        // per wrap than a counter that resets at wrap + 1, a 1 µJ error in 40 J.
        assert!((trial.joules - 40.0).abs() < 1e-5, "{}", trial.joules);
        assert!((trial.avg_watts - 50.0).abs() < 1e-4);
        // Without the wrap range the decrease cannot be explained.
        assert!(matches!(
            judge(&rec, Bounds::new(None, 500.0)),
            Err(Implausible::CounterWentBack { .. })
        ));
    }

    #[test]
    fn average_power_ignores_repeated_reads_after_the_last_update() {
        // 10 W counter updating every 100 ms, read every 10 ms for 0.35 s: changes at 0.1, 0.2
        // and 0.3 s; the reads after 0.3 s repeat 3 J. Average = (3 J − 0 J) / 0.3 s = 10 W.
        let samples: Vec<Sample> = (0..=35)
            .map(|i| {
                let t = i as f64 * 0.01;
                counter(t, ((t + 1e-9) * 10.0).floor() as u64 * 1_000_000)
            })
            .collect();
        let w = average_power_w(&samples, Bounds::new(None, 500.0)).expect("updates seen");
        assert!((w - 10.0).abs() < 1e-9, "{w}");
        assert_eq!(
            average_power_w(&samples[..5], Bounds::new(None, 500.0)),
            Err(Implausible::NoUpdates)
        );
    }

    #[test]
    fn frozen_counter_and_missing_edge_are_implausible() {
        let frozen: Vec<Sample> = (0..10).map(|i| counter(i as f64 * 0.1, 7)).collect();
        let rec = TrialRecord {
            samples: frozen,
            window_start_s: 0.2,
            window_end_s: 0.8,
            dispatches: 1,
            read_errors: 0,
        };
        assert!(
            judge(&rec, Bounds::new(None, 500.0)).is_err_and(|e| matches!(
                e,
                Implausible::NoEnergyCounted | Implausible::SensorStopped(_)
            ))
        );
    }
}
