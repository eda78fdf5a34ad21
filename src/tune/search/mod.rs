//! The bounded search over kernel configurations, independent of the device: a [`Scorer`]
//! measures one candidate, [`search`] decides which one wins.
//!
//! Two phases:
//! 1. **Screening**: the default first, then every other candidate in order until the time
//!    budget is spent, each built, verified and timed once, and the default timed again right
//!    after it: the screening ranks candidates by their ratio to that neighbouring timing of the
//!    default, so a machine that slows down or speeds up during the search (a noisy host, a
//!    clock change) does not decide which candidates reach the confirmation. A candidate that
//!    fails to build or verify can never win.
//! 2. **Confirmation**: the [`FINALISTS`] best verified candidates of the screening, and the
//!    default, are timed again in [`CONFIRM_ROUNDS`] interleaved rounds (each finalist once per
//!    round, the order rotated every round), so a change of load during the search (another
//!    process, a clock change) slows them all alike instead of whichever was being timed. A
//!    finalist's score is the median of its timings. Confirmation runs after the budget too: it
//!    reuses the finalists' built pipelines, so it costs only their timing.
//!
//! A candidate replaces the default only when its score beats the default's by more than
//! [`MIN_GAIN`] (the default is kept on ties and within noise), so the tuned choice is never
//! slower than the default measured in the same search.

use crate::tune::CandidateScore;
use crate::workloads::KernelConfig;
use std::time::{Duration, Instant};

/// Relative speed-up a candidate needs over the default to replace it (2 %: more than the
/// run-to-run spread of a short measurement on an idle device).
pub const MIN_GAIN: f64 = 0.02;
/// Candidates besides the default that go on to the confirmation rounds.
pub const FINALISTS: usize = 3;
/// Interleaved rounds of the confirmation, each timing every finalist once.
pub const CONFIRM_ROUNDS: usize = 4;

/// Why a candidate cannot win (the report records the message).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Rejection {
    /// The kernel did not build, exceeded a device limit or failed to run (the driver's words).
    #[error("could not build, run or verify: {0}")]
    Build(String),
    /// Its output differed from the CPU reference by more than the tolerance.
    #[error("failed verification (max abs error {max_abs_err:.3e} > {tolerance:.3e})")]
    FailedVerification { max_abs_err: f64, tolerance: f64 },
    /// Sampling failed after the candidate verified (the sampler's words).
    #[error("{0}")]
    Sampling(String),
    /// The measured rate was zero, negative or not finite.
    #[error("measured an unusable rate ({0})")]
    UnusableRate(f64),
}

/// Measures candidate configurations.
pub trait Scorer {
    /// Builds, verifies and times `config`: achieved FLOP/s when it verified, or why it was
    /// rejected (build error, limit, failed verification). What was built is kept until
    /// [`Scorer::release`], for [`Scorer::rescore`].
    fn score(&mut self, config: &KernelConfig) -> Result<f64, Rejection>;
    /// Times again a configuration that [`Scorer::score`] accepted and that was not released.
    fn rescore(&mut self, config: &KernelConfig) -> Result<f64, Rejection>;
    /// `config` will not be timed again: drop what was built for it.
    fn release(&mut self, config: &KernelConfig);
}

/// What a search found.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchOutcome {
    pub chosen: KernelConfig,
    /// Every candidate measured (the default first), with its score or rejection.
    pub candidates: Vec<CandidateScore>,
    /// Candidates left out because the budget was spent.
    pub skipped_for_time: usize,
}

/// A usable rate, or why not.
fn usable(r: Result<f64, Rejection>) -> Result<f64, String> {
    match r {
        Ok(f) if f.is_finite() && f > 0.0 => Ok(f),
        Ok(f) => Err(Rejection::UnusableRate(f).to_string()),
        Err(why) => Err(why.to_string()),
    }
}

/// The median of non-empty `v` (the mean of the middle two for an even count).
fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

/// One candidate during the search: its timings so far, or why it was rejected.
struct Entry<'c> {
    config: &'c KernelConfig,
    timings: Vec<f64>,
    rejected: Option<String>,
    /// Its first timing over the default's timing taken right after it.
    vs_default: Option<f64>,
}

impl Entry<'_> {
    fn score(&self) -> Option<f64> {
        (self.rejected.is_none() && !self.timings.is_empty()).then(|| median(&self.timings))
    }

    /// What the screening ranks it by: its ratio to the neighbouring default, or its first
    /// timing where the default could not be timed again (then no candidate has a ratio).
    fn screen(&self) -> f64 {
        self.vs_default
            .or(self.timings.first().copied())
            .unwrap_or(0.0)
    }
}

/// Searches `candidates` (the default is measured first whether or not it is in the list, and
/// duplicates are measured once); the screening stops trying new candidates after `budget` of
/// wall time.
pub fn search(
    default: &KernelConfig,
    candidates: &[KernelConfig],
    scorer: &mut dyn Scorer,
    budget: Duration,
) -> SearchOutcome {
    let start = Instant::now();
    let mut order: Vec<&KernelConfig> = vec![default];
    for c in candidates {
        if !order.contains(&c) {
            order.push(c);
        }
    }
    let mut entries: Vec<Entry> = Vec::with_capacity(order.len());
    // Indexes (into `entries`) of the verified non-default candidates still kept, best first.
    let mut kept: Vec<usize> = Vec::new();
    let mut skipped_for_time = 0;
    for (i, config) in order.iter().enumerate() {
        if i > 0 && start.elapsed() >= budget {
            skipped_for_time = order.len() - i;
            break;
        }
        let (timings, rejected) = match usable(scorer.score(config)) {
            Ok(f) => (vec![f], None),
            Err(why) => (Vec::new(), Some(why)),
        };
        entries.push(Entry {
            config,
            timings,
            rejected,
            vs_default: None,
        });
        if i == 0 || entries[i].score().is_none() {
            continue;
        }
        // The default's neighbouring timing (not one of its scored timings: those come from
        // the confirmation, interleaved with the finalists').
        if entries[0].score().is_some() {
            match usable(scorer.rescore(default)) {
                Ok(d) => entries[i].vs_default = Some(entries[i].timings[0] / d),
                Err(why) => {
                    // A default that fails when timed again is rejected, as in the
                    // confirmation; the screening falls back to plain timings for all.
                    entries[0].rejected = Some(why);
                    scorer.release(default);
                    for e in &mut entries {
                        e.vs_default = None;
                    }
                }
            }
        }
        kept.push(i);
        kept.sort_by(|a, b| entries[*b].screen().total_cmp(&entries[*a].screen()));
        if kept.len() > FINALISTS {
            if let Some(out) = kept.pop() {
                scorer.release(entries[out].config);
            }
        }
    }
    let mut finalists = kept;
    if entries.first().is_some_and(|e| e.score().is_some()) {
        finalists.insert(0, 0);
    }
    if finalists.len() > 1 {
        for round in 0..CONFIRM_ROUNDS {
            for n in 0..finalists.len() {
                let i = finalists[(n + round) % finalists.len()];
                if entries[i].rejected.is_some() {
                    continue;
                }
                match usable(scorer.rescore(entries[i].config)) {
                    Ok(f) => entries[i].timings.push(f),
                    Err(why) => {
                        entries[i].rejected = Some(why);
                        scorer.release(entries[i].config);
                    }
                }
            }
        }
    }
    for &i in &finalists {
        scorer.release(entries[i].config);
    }
    // Only finalists can win: every other verified candidate was slower in the screening.
    let best = finalists
        .iter()
        .filter_map(|&i| entries[i].score().map(|s| (i, s)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let chosen = match (best, entries.first().and_then(Entry::score)) {
        (Some((i, s)), Some(d)) if i != 0 && s > d * (1.0 + MIN_GAIN) => order[i],
        (Some((i, _)), None) => order[i],
        _ => default,
    }
    .clone();
    let scores = entries
        .iter()
        .map(|e| CandidateScore {
            config: e.config.clone(),
            flop_per_s: e.score(),
            rejected: e.rejected.clone(),
            vs_default: e.vs_default.filter(|_| e.rejected.is_none()),
            timings: if e.rejected.is_none() {
                e.timings.len() as u32
            } else {
                0
            },
        })
        .collect();
    SearchOutcome {
        chosen,
        candidates: scores,
        skipped_for_time,
    }
}

#[cfg(test)]
mod tests;
