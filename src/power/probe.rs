//! Probe: how often a source updates and the smallest step it shows, measured by reading it
//! as fast as is reasonable for a short, bounded time.

use super::source::{PowerSource, SourceError};
use std::time::{Duration, Instant};

/// Interval between reads while probing.
const PROBE_READ_INTERVAL: Duration = Duration::from_millis(1);
/// Value changes to collect before stopping early.
const PROBE_CHANGES: usize = 8;

/// What the probe saw.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeResult {
    /// Median time between value changes (ms); `None` if the value changed fewer than twice.
    pub update_period_ms: Option<f64>,
    /// Smallest non-zero change seen, with its unit.
    pub smallest_step: Option<String>,
}

/// Reads `source` every millisecond for at most `max_s` seconds (or until it has changed
/// [`PROBE_CHANGES`] times), then records the update period and smallest step in its metadata
/// and sets its poll period to half the update period (1–50 ms). Fails with the first read
/// that fails.
pub fn probe(source: &mut dyn PowerSource, max_s: f64) -> Result<ProbeResult, SourceError> {
    let start = Instant::now();
    let mut last: Option<(f64, f64)> = None; // (value, time of change)
    let mut change_times = Vec::new();
    let mut smallest: Option<f64> = None;
    let is_energy = source.read()?.energy_uj.is_some();
    while start.elapsed().as_secs_f64() < max_s && change_times.len() < PROBE_CHANGES {
        let r = source.read()?;
        let t = start.elapsed().as_secs_f64();
        let value = r.energy_uj.map(|e| e as f64).or(r.power_w).unwrap_or(0.0);
        match last {
            Some((v, _)) if v == value => {}
            Some((v, _)) => {
                let step = (value - v).abs();
                smallest = Some(smallest.map_or(step, |s: f64| s.min(step)));
                change_times.push(t);
                last = Some((value, t));
            }
            None => last = Some((value, t)),
        }
        std::thread::sleep(PROBE_READ_INTERVAL);
    }
    let mut intervals: Vec<f64> = change_times
        .windows(2)
        .map(|w| (w[1] - w[0]) * 1e3)
        .collect();
    intervals.sort_by(f64::total_cmp);
    let update_period_ms = (!intervals.is_empty()).then(|| intervals[intervals.len() / 2]);
    let smallest_step = smallest.map(|s| {
        if is_energy {
            format!("{s:.0} µJ")
        } else {
            format!("{s:.3} W")
        }
    });
    let meta = source.meta_mut();
    meta.info.update_period_ms = update_period_ms;
    if let Some(step) = &smallest_step {
        let doc = meta.info.resolution.take().unwrap_or_default();
        meta.info.resolution = Some(
            format!("{doc}; smallest step seen {step}")
                .trim_start_matches("; ")
                .to_string(),
        );
    }
    if let Some(p) = update_period_ms {
        meta.poll_period_ms = (p / 2.0).clamp(1.0, 50.0);
    }
    Ok(ProbeResult {
        update_period_ms,
        smallest_step,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::power::source::{Reading, SourceError, SourceMeta};
    use crate::power::types::{Grade, Scope, SourceInfo, SourceKind};

    /// A counter that gains 500 µJ every 5 ms of real time.
    struct Stepper {
        meta: SourceMeta,
        start: Instant,
    }
    impl PowerSource for Stepper {
        fn meta(&self) -> &SourceMeta {
            &self.meta
        }
        fn meta_mut(&mut self) -> &mut SourceMeta {
            &mut self.meta
        }
        fn read(&mut self) -> Result<Reading, SourceError> {
            let steps = (self.start.elapsed().as_secs_f64() / 0.005).floor() as u64;
            Ok(Reading {
                energy_uj: Some(steps * 500),
                power_w: None,
            })
        }
    }

    #[test]
    fn finds_update_period_and_step() {
        let info = SourceInfo {
            id: "fake".into(),
            kind: SourceKind::IntelRapl,
            method: String::new(),
            scope: Scope::Die,
            update_period_ms: None,
            resolution: None,
            caveats: Vec::new(),
        };
        let mut s = Stepper {
            meta: SourceMeta::new(info, Grade::A, 0.0),
            start: Instant::now(),
        };
        let r = probe(&mut s, 0.1).expect("probe");
        let period = r.update_period_ms.expect("changes seen");
        // Each change is seen up to one read interval (≥ 1 ms, more on a busy host) late, so
        // gaps between detections are 5 ms ± ~1.5 ms, or 10 ms when a busy host skips a step.
        assert!((3.0..=11.0).contains(&period), "{period}");
        assert!(r
            .smallest_step
            .as_deref()
            .is_some_and(|s| s.ends_with("µJ")));
        assert!(s.meta().poll_period_ms >= 1.0);
    }
}
