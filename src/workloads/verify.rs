//! Comparing device output with a CPU reference under a tolerance that scales with precision and
//! the reduction length.

use crate::rng::SplitMix64;
use serde::{Deserialize, Serialize};

/// Result of checking a case's output against the CPU reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verification {
    pub pass: bool,
    pub max_abs_err: f64,
    pub max_rel_err: f64,
    /// The error bound each checked element had to meet (abs, scaled by K and precision).
    pub tolerance: f64,
    pub checked_elements: u64,
    /// "all elements" or "random sample of N elements in f64".
    pub method: String,
}

/// Unit roundoff of the accumulation precision: f32 2⁻²⁴, f16 2⁻¹¹.
pub const UNIT_ROUNDOFF_F32: f64 = 5.960_464_477_539_063e-8;
pub const UNIT_ROUNDOFF_F16: f64 = 4.882_812_5e-4;

/// Which output elements to check: all of them when there are at most `full_limit`, else a
/// seeded random sample of `sample` elements (always including the first and last).
pub fn pick_indices(total: usize, full_limit: usize, sample: usize, seed: u64) -> Vec<usize> {
    if total <= full_limit {
        return (0..total).collect();
    }
    let mut rng = SplitMix64::for_stream(seed, "verify-sample");
    let mut idx: Vec<usize> = (0..sample)
        .map(|_| rng.below(total as u64) as usize)
        .collect();
    idx.push(0);
    idx.push(total - 1);
    idx.sort_unstable();
    idx.dedup();
    idx
}

/// One checked element: device value, reference value (f64) and the error bound it must meet.
pub struct Check {
    pub got: f64,
    pub want: f64,
    pub bound: f64,
}

/// Folds element checks into a [`Verification`]. `tolerance` is recorded as the largest bound.
pub fn summarize(checks: impl IntoIterator<Item = Check>, method: String) -> Verification {
    let mut max_abs: f64 = 0.0;
    let mut max_rel: f64 = 0.0;
    let mut max_bound: f64 = 0.0;
    let mut pass = true;
    let mut n = 0u64;
    for c in checks {
        n += 1;
        let err = (c.got - c.want).abs();
        if !c.got.is_finite() || err > c.bound {
            pass = false;
        }
        // Non-finite output is recorded as f64::MAX so the report stays valid JSON.
        let err = if err.is_finite() { err } else { f64::MAX };
        max_abs = max_abs.max(err);
        max_rel = max_rel.max((err / c.want.abs().max(1e-30)).min(f64::MAX));
        max_bound = max_bound.max(c.bound);
    }
    Verification {
        pass: pass && n > 0,
        max_abs_err: max_abs,
        max_rel_err: max_rel,
        tolerance: max_bound,
        checked_elements: n,
        method,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_is_seeded_and_bounded() {
        assert_eq!(pick_indices(5, 10, 3, 1), vec![0, 1, 2, 3, 4]);
        let a = pick_indices(1_000_000, 10, 100, 1);
        assert_eq!(a, pick_indices(1_000_000, 10, 100, 1));
        assert!(a.len() <= 102 && a[0] == 0 && *a.last().unwrap() == 999_999);
    }

    #[test]
    fn a_wrong_element_fails() {
        let ok = Check {
            got: 1.0,
            want: 1.0,
            bound: 1e-6,
        };
        let bad = Check {
            got: 1.1,
            want: 1.0,
            bound: 1e-6,
        };
        assert!(summarize([ok], "all".into()).pass);
        let v = summarize(
            [
                Check {
                    got: 1.0,
                    want: 1.0,
                    bound: 1e-6,
                },
                bad,
            ],
            "all".into(),
        );
        assert!(!v.pass);
        assert!((v.max_abs_err - 0.1).abs() < 1e-12);
        let nan = Check {
            got: f64::NAN,
            want: 1.0,
            bound: 1.0,
        };
        assert!(!summarize([nan], "all".into()).pass);
    }
}
