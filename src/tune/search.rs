//! The bounded search over kernel configurations, independent of the device: a [`Scorer`]
//! measures one candidate, [`search`] decides which one wins.
//!
//! Rules: the default is always measured first; every other candidate is measured in order
//! until the time budget is spent; a candidate that fails to build or verify can never win; a
//! candidate replaces the default only when it is faster by more than [`MIN_GAIN`] (the default
//! is kept on ties and within noise), so the tuned choice is never slower than the default
//! measured in the same search.

use crate::tune::CandidateScore;
use crate::workloads::KernelConfig;
use std::time::{Duration, Instant};

/// Relative speed-up a candidate needs over the best so far to replace it (2 %: more than the
/// run-to-run spread of a short measurement on an idle device).
pub const MIN_GAIN: f64 = 0.02;

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

/// Measures one candidate configuration.
pub trait Scorer {
    /// Builds, verifies and times `config`: achieved FLOP/s when it verified, or why it was
    /// rejected (build error, limit, failed verification).
    fn score(&mut self, config: &KernelConfig) -> Result<f64, Rejection>;
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

/// Searches `candidates` (the default is measured first whether or not it is in the list, and
/// duplicates are measured once) within `budget` of wall time.
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
    let mut scores = Vec::with_capacity(order.len());
    let mut best: Option<(usize, f64)> = None;
    let mut skipped_for_time = 0;
    for (i, config) in order.iter().enumerate() {
        if i > 0 && start.elapsed() >= budget {
            skipped_for_time = order.len() - i;
            break;
        }
        let (flop_per_s, rejected) = match scorer.score(config) {
            Ok(f) if f.is_finite() && f > 0.0 => (Some(f), None),
            Ok(f) => (None, Some(Rejection::UnusableRate(f).to_string())),
            Err(why) => (None, Some(why.to_string())),
        };
        if let Some(f) = flop_per_s {
            let better = match best {
                None => true,
                Some((_, b)) => f > b * (1.0 + MIN_GAIN),
            };
            if better {
                best = Some((i, f));
            }
        }
        scores.push(CandidateScore {
            config: (*config).clone(),
            flop_per_s,
            rejected,
        });
    }
    let chosen = best.map_or(default, |(i, _)| order[i]).clone();
    SearchOutcome {
        chosen,
        candidates: scores,
        skipped_for_time,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workloads::kernel_config::StreamKernel;
    use std::collections::HashMap;

    /// The candidates of these tests by name: stream kernels told apart by their WG.
    const NAMES: [&str; 8] = ["d", "x", "y", "bad", "nan", "noise", "tie", "z"];

    fn cfg(name: &str) -> KernelConfig {
        let i = NAMES.iter().position(|n| *n == name).unwrap_or(NAMES.len());
        KernelConfig::Stream(StreamKernel::Copy { wg: 1 + i as u32 })
    }

    fn name(config: &KernelConfig) -> String {
        let wg = match config {
            KernelConfig::Stream(s) => s.wg(),
            _ => 0,
        };
        NAMES.get(wg as usize - 1).unwrap_or(&"?").to_string()
    }

    /// Scores from a table; records the order in which candidates were measured.
    struct Fake {
        table: HashMap<String, Result<f64, Rejection>>,
        measured: Vec<String>,
    }

    impl Fake {
        fn new(entries: &[(&str, Result<f64, Rejection>)]) -> Self {
            Self {
                table: entries
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect(),
                measured: Vec::new(),
            }
        }
    }

    impl Scorer for Fake {
        fn score(&mut self, config: &KernelConfig) -> Result<f64, Rejection> {
            self.measured.push(name(config));
            self.table[&name(config)].clone()
        }
    }

    const LONG: Duration = Duration::from_secs(3600);

    #[test]
    fn picks_the_fastest_verified_candidate() {
        let mut s = Fake::new(&[("d", Ok(1.0)), ("x", Ok(3.0)), ("y", Ok(2.0))]);
        let out = search(&cfg("d"), &[cfg("x"), cfg("y")], &mut s, LONG);
        assert_eq!(out.chosen, cfg("x"));
        assert_eq!(s.measured, ["d", "x", "y"]);
        assert_eq!(out.candidates.len(), 3);
        assert_eq!(out.candidates[0].config, cfg("d"));
    }

    #[test]
    fn never_picks_a_failing_candidate() {
        let mut s = Fake::new(&[
            ("d", Ok(1.0)),
            (
                "bad",
                Err(Rejection::FailedVerification {
                    max_abs_err: 0.5,
                    tolerance: 1e-3,
                }),
            ),
            ("nan", Ok(f64::NAN)),
        ]);
        let out = search(&cfg("d"), &[cfg("bad"), cfg("nan")], &mut s, LONG);
        assert_eq!(out.chosen, cfg("d"));
        assert_eq!(
            out.candidates[1].rejected.as_deref(),
            Some("failed verification (max abs error 5.000e-1 > 1.000e-3)")
        );
        assert!(out.candidates[2].rejected.is_some());
    }

    #[test]
    fn keeps_the_default_on_ties_and_within_noise() {
        let mut s = Fake::new(&[("d", Ok(1.0)), ("tie", Ok(1.0)), ("noise", Ok(1.01))]);
        let out = search(&cfg("d"), &[cfg("tie"), cfg("noise")], &mut s, LONG);
        assert_eq!(out.chosen, cfg("d"));
    }

    #[test]
    fn a_failing_default_gives_way_to_a_verified_candidate() {
        let mut s = Fake::new(&[("d", Err(Rejection::Build("limit".into()))), ("x", Ok(0.5))]);
        let out = search(&cfg("d"), &[cfg("x")], &mut s, LONG);
        assert_eq!(out.chosen, cfg("x"));
    }

    #[test]
    fn default_is_measured_once_and_first_even_when_listed() {
        let mut s = Fake::new(&[("d", Ok(1.0)), ("x", Ok(0.5))]);
        search(&cfg("d"), &[cfg("x"), cfg("d")], &mut s, LONG);
        assert_eq!(s.measured, ["d", "x"]);
    }

    #[test]
    fn a_spent_budget_still_measures_the_default() {
        let mut s = Fake::new(&[("d", Ok(1.0)), ("x", Ok(9.0))]);
        let out = search(&cfg("d"), &[cfg("x")], &mut s, Duration::ZERO);
        assert_eq!(s.measured, ["d"]);
        assert_eq!(out.chosen, cfg("d"));
        assert_eq!(out.skipped_for_time, 1);
    }
}
