use super::*;
use crate::workloads::kernel_config::StreamKernel;
use std::collections::HashMap;

/// The candidates of these tests by name: stream kernels told apart by their WG.
const NAMES: [&str; 9] = ["d", "x", "y", "bad", "nan", "noise", "tie", "z", "w"];

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

/// Timings from a table: each candidate's successive timings (the last one repeats). Records
/// the order of first timings, re-timings and releases.
struct Fake {
    table: HashMap<String, Vec<Result<f64, Rejection>>>,
    calls: HashMap<String, usize>,
    measured: Vec<String>,
    rescored: Vec<String>,
    released: Vec<String>,
}

impl Fake {
    fn new(entries: &[(&str, Result<f64, Rejection>)]) -> Self {
        let seq: Vec<(&str, Vec<Result<f64, Rejection>>)> =
            entries.iter().map(|(k, v)| (*k, vec![v.clone()])).collect();
        Self::timed(&seq)
    }

    fn timed(entries: &[(&str, Vec<Result<f64, Rejection>>)]) -> Self {
        Self {
            table: entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            calls: HashMap::new(),
            measured: Vec::new(),
            rescored: Vec::new(),
            released: Vec::new(),
        }
    }

    fn next(&mut self, config: &KernelConfig) -> Result<f64, Rejection> {
        let n = name(config);
        let call = self.calls.entry(n.clone()).or_insert(0);
        let seq = &self.table[&n];
        let r = seq[(*call).min(seq.len() - 1)].clone();
        *call += 1;
        r
    }
}

impl Scorer for Fake {
    fn score(&mut self, config: &KernelConfig) -> Result<f64, Rejection> {
        self.measured.push(name(config));
        self.next(config)
    }

    fn rescore(&mut self, config: &KernelConfig) -> Result<f64, Rejection> {
        assert!(
            !self.released.contains(&name(config)),
            "{} re-timed after its release",
            name(config)
        );
        self.rescored.push(name(config));
        self.next(config)
    }

    fn release(&mut self, config: &KernelConfig) {
        self.released.push(name(config));
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
    assert_eq!(out.candidates[1].timings, 1 + CONFIRM_ROUNDS as u32);
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
    assert_eq!(out.candidates[2].timings, 0);
    assert!(
        s.rescored.is_empty(),
        "only the default verified: nothing to confirm"
    );
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

#[test]
fn a_lucky_first_timing_does_not_win_the_confirmation() {
    // "x" was timed once while the machine was quiet: 3.0, then 1.0 ever after; "y" is 2.0
    // every time. The median of the interleaved rounds ranks them as they are.
    let mut s = Fake::timed(&[
        ("d", vec![Ok(1.0)]),
        ("x", vec![Ok(3.0), Ok(1.0)]),
        ("y", vec![Ok(2.0)]),
    ]);
    let out = search(&cfg("d"), &[cfg("x"), cfg("y")], &mut s, LONG);
    assert_eq!(out.chosen, cfg("y"));
    assert_eq!(out.candidates[1].flop_per_s, Some(1.0));
    assert_eq!(out.candidates[2].flop_per_s, Some(2.0));
}

#[test]
fn only_the_fastest_few_and_the_default_are_confirmed_and_each_is_released() {
    let mut s = Fake::new(&[
        ("d", Ok(1.0)),
        ("x", Ok(2.0)),
        ("y", Ok(5.0)),
        ("z", Ok(4.0)),
        ("w", Ok(3.0)),
    ]);
    let all = [cfg("x"), cfg("y"), cfg("z"), cfg("w")];
    let out = search(&cfg("d"), &all, &mut s, LONG);
    assert_eq!(out.chosen, cfg("y"));
    // x left the finalists when w came in: released, never re-timed.
    assert!(!s.rescored.contains(&"x".to_string()));
    assert_eq!(out.candidates[1].timings, 1);
    // The screening times the default again after each candidate, then the rounds.
    let (screening, rounds) = s.rescored.split_at(all.len());
    assert!(screening.iter().all(|n| n == "d"), "{screening:?}");
    assert_eq!(rounds.len(), (FINALISTS + 1) * CONFIRM_ROUNDS);
    let mut released = s.released.clone();
    released.sort();
    assert_eq!(released, ["d", "w", "x", "y", "z"]);
    // Interleaved: every round times every finalist once before the next round starts.
    for round in rounds.chunks(FINALISTS + 1) {
        let mut r = round.to_vec();
        r.sort();
        assert_eq!(r, ["d", "w", "y", "z"]);
    }
}

#[test]
fn a_machine_that_slows_during_the_screening_does_not_drop_the_best_candidate() {
    // The machine runs at full speed while d, x, y and z are screened, then at half speed
    // for w (d, timed right after w, reads 0.5 too), then at full speed again. w is the
    // fastest kernel (2× the default), but its plain timing (1.0) is the screening's lowest:
    // ranked by plain timings it would be dropped before the confirmation and x would win.
    let mut s = Fake::timed(&[
        (
            "d",
            vec![Ok(1.0), Ok(1.0), Ok(1.0), Ok(1.0), Ok(0.5), Ok(1.0)],
        ),
        ("x", vec![Ok(1.5)]),
        ("y", vec![Ok(1.4)]),
        ("z", vec![Ok(1.3)]),
        ("w", vec![Ok(1.0), Ok(2.0)]),
    ]);
    let all = [cfg("x"), cfg("y"), cfg("z"), cfg("w")];
    let out = search(&cfg("d"), &all, &mut s, LONG);
    assert_eq!(out.chosen, cfg("w"));
    // z, the slowest relative to its neighbouring default, left the finalists untimed again.
    assert!(!s.rescored.contains(&"z".to_string()));
    assert_eq!(out.candidates[3].timings, 1);
    // The default's neighbouring timings are not part of its score: the rounds' are.
    assert_eq!(out.candidates[0].timings, 1 + CONFIRM_ROUNDS as u32);
}

#[test]
fn a_default_that_fails_when_timed_again_leaves_the_screening_to_plain_timings() {
    let mut s = Fake::timed(&[
        ("d", vec![Ok(1.0), Err(Rejection::Sampling("lost".into()))]),
        ("x", vec![Ok(1.5)]),
        ("y", vec![Ok(3.0)]),
    ]);
    let out = search(&cfg("d"), &[cfg("x"), cfg("y")], &mut s, LONG);
    assert_eq!(out.chosen, cfg("y"));
    assert_eq!(out.candidates[0].rejected.as_deref(), Some("lost"));
    assert_eq!(s.rescored.iter().filter(|n| *n == "d").count(), 1);
}

#[test]
fn a_finalist_that_fails_when_timed_again_is_rejected() {
    let mut s = Fake::timed(&[
        ("d", vec![Ok(1.0)]),
        ("x", vec![Ok(3.0), Err(Rejection::Sampling("lost".into()))]),
    ]);
    let out = search(&cfg("d"), &[cfg("x")], &mut s, LONG);
    assert_eq!(out.chosen, cfg("d"));
    assert_eq!(out.candidates[1].rejected.as_deref(), Some("lost"));
    assert_eq!(out.candidates[1].flop_per_s, None);
}

#[test]
fn median_of_odd_and_even_counts() {
    assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
    assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
}
