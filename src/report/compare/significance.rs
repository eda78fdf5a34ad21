//! Significance of a difference between two sets of raw samples: a seeded percentile bootstrap
//! of the ratio of medians, and the Mann-Whitney U test (normal approximation with tie
//! correction). Deterministic: the same samples always give the same interval.

use crate::measure::stats::quantile;
use crate::rng::SplitMix64;

/// Level of the tests: a change is significant at a two-sided p below 0.05, the level of the
/// 95 % interval.
pub const ALPHA: f64 = 0.05;

/// Whether `n1` samples against `n2` can show a significant change at all: the smallest
/// two-sided Mann-Whitney p-value, that of two sets that do not overlap, is 2 / C(n1 + n2, n1)
/// (the exact distribution of U), and it must be below [`ALPHA`]. 3 against 3 (what a run
/// stopped by `--max-time` keeps) gives 0.1 and 4 against 4 gives 0.029; 1 sample against fewer
/// than 40 never does. Below this a percentile bootstrap still draws an interval that excludes
/// 1 for any difference, so the verdict would be the noise's.
pub fn can_be_significant(n1: usize, n2: usize) -> bool {
    let (k, n) = (n1.min(n2), n1 + n2);
    if k == 0 {
        return false;
    }
    // C(n, k) built up factor by factor, stopped once it is large enough.
    let needed = 2.0 / ALPHA;
    let mut arrangements = 1.0;
    for i in 1..=k {
        arrangements = arrangements * (n - k + i) as f64 / i as f64;
        if arrangements > needed {
            return true;
        }
    }
    false
}

/// Bootstrap resamples drawn for each interval.
pub const BOOTSTRAP_RESAMPLES: usize = 2000;
/// Seed of the bootstrap generator (mixed with the case id).
pub const BOOTSTRAP_SEED: u64 = 0xb007_57a9;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    quantile(v, 0.5)
}

/// Ratio of medians `candidate / reference` with its 95 % percentile-bootstrap interval.
/// Returns `(ratio, ci_low, ci_high)`; `None` when either side has no samples or a
/// non-positive median.
pub fn bootstrap_ratio(
    reference: &[f64],
    candidate: &[f64],
    stream: &str,
) -> Option<(f64, f64, f64)> {
    if reference.is_empty() || candidate.is_empty() {
        return None;
    }
    let m_ref = median(&mut reference.to_vec());
    let m_cand = median(&mut candidate.to_vec());
    if m_ref <= 0.0 || !m_ref.is_finite() || !m_cand.is_finite() {
        return None;
    }
    let mut rng = SplitMix64::for_stream(BOOTSTRAP_SEED, stream);
    let mut a = vec![0.0; reference.len()];
    let mut b = vec![0.0; candidate.len()];
    let mut ratios = Vec::with_capacity(BOOTSTRAP_RESAMPLES);
    for _ in 0..BOOTSTRAP_RESAMPLES {
        for x in a.iter_mut() {
            *x = reference[rng.below(reference.len() as u64) as usize];
        }
        for x in b.iter_mut() {
            *x = candidate[rng.below(candidate.len() as u64) as usize];
        }
        let ma = median(&mut a);
        if ma > 0.0 {
            ratios.push(median(&mut b) / ma);
        }
    }
    ratios.sort_by(f64::total_cmp);
    Some((
        m_cand / m_ref,
        quantile(&ratios, 0.025),
        quantile(&ratios, 0.975),
    ))
}

/// Complementary error function (W. J. Cody's rational Chebyshev fit as given in Numerical
/// Recipes `erfcc`, fractional error below 1.2e-7).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

/// Two-sided p-value of the Mann-Whitney U test that both samples come from the same
/// distribution. Normal approximation with tie correction and continuity correction; `None`
/// when a side is empty.
pub fn mann_whitney_p(a: &[f64], b: &[f64]) -> Option<f64> {
    let (n1, n2) = (a.len(), b.len());
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let mut all: Vec<(f64, bool)> = a
        .iter()
        .map(|&x| (x, true))
        .chain(b.iter().map(|&x| (x, false)))
        .collect();
    all.sort_by(|x, y| x.0.total_cmp(&y.0));
    let n = all.len();
    let mut rank_sum_a = 0.0;
    let mut tie_term = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && all[j + 1].0 == all[i].0 {
            j += 1;
        }
        let avg_rank = (i + j) as f64 / 2.0 + 1.0;
        let t = (j - i + 1) as f64;
        tie_term += t * t * t - t;
        rank_sum_a += all[i..=j].iter().filter(|x| x.1).count() as f64 * avg_rank;
        i = j + 1;
    }
    let (n1f, n2f, nf) = (n1 as f64, n2 as f64, n as f64);
    let u1 = rank_sum_a - n1f * (n1f + 1.0) / 2.0;
    let mean = n1f * n2f / 2.0;
    let var = n1f * n2f / 12.0 * ((nf + 1.0) - tie_term / (nf * (nf - 1.0)).max(1.0));
    if var <= 0.0 {
        return Some(1.0);
    }
    let z = ((u1 - mean).abs() - 0.5).max(0.0) / var.sqrt();
    Some(erfc(z / std::f64::consts::SQRT_2).clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noisy(seed: &str, center: f64, rel: f64, n: usize) -> Vec<f64> {
        let mut rng = SplitMix64::for_stream(1, seed);
        (0..n)
            .map(|_| center * (1.0 + rel * f64::from(rng.next_f32_signed())))
            .collect()
    }

    #[test]
    fn erfc_matches_known_values() {
        assert!((erfc(0.0) - 1.0).abs() < 1e-7);
        assert!((erfc(1.0) - 0.157_299_207).abs() < 1e-6);
        assert!((erfc(-1.0) - 1.842_700_793).abs() < 1e-6);
        // Two-sided p of z = 1.96 is 0.05.
        assert!((erfc(1.96 / std::f64::consts::SQRT_2) - 0.05).abs() < 1e-3);
    }

    #[test]
    fn mann_whitney_of_separated_and_identical_samples() {
        let a: Vec<f64> = (0..20).map(f64::from).collect();
        let b: Vec<f64> = (100..120).map(f64::from).collect();
        assert!(mann_whitney_p(&a, &b).unwrap() < 1e-6);
        assert!(mann_whitney_p(&a, &a).unwrap() > 0.9);
        assert_eq!(mann_whitney_p(&[], &a), None);
    }

    /// The smallest p of n1 against n2 samples is 2 / C(n1 + n2, n1); below 0.05 only from 4
    /// against 4 (3 against 5, 2 against 8, 1 against 40) on.
    #[test]
    fn too_few_samples_can_never_be_significant() {
        for (n1, n2, can) in [
            (0, 40, false),
            (1, 1, false),
            (1, 38, false),
            (1, 39, false),
            (1, 40, true),
            (2, 7, false),
            (2, 8, true),
            (3, 3, false),
            (3, 4, false),
            (4, 3, false),
            (3, 5, true),
            (4, 4, true),
            (100_000, 100_000, true),
        ] {
            assert_eq!(can_be_significant(n1, n2), can, "{n1} vs {n2}");
        }
        // The normal approximation agrees where it matters: 3 against 3 that do not overlap
        // is p 0.081, 4 against 4 is below 0.05.
        let p = |n: usize| {
            let a: Vec<f64> = (0..n).map(|i| i as f64).collect();
            let b: Vec<f64> = (0..n).map(|i| (i + 100) as f64).collect();
            mann_whitney_p(&a, &b).unwrap()
        };
        assert!(p(3) > ALPHA && p(4) < ALPHA, "{} {}", p(3), p(4));
    }

    #[test]
    fn bootstrap_is_deterministic_and_covers_the_truth() {
        let a = noisy("a", 100.0, 0.02, 40);
        let b = noisy("b", 120.0, 0.02, 40);
        let r1 = bootstrap_ratio(&a, &b, "case").unwrap();
        assert_eq!(r1, bootstrap_ratio(&a, &b, "case").unwrap());
        assert!(
            r1.1 > 1.1 && r1.2 < 1.3 && r1.1 <= r1.0 && r1.0 <= r1.2,
            "{r1:?}"
        );
        let same = bootstrap_ratio(&a, &noisy("c", 100.0, 0.02, 40), "case").unwrap();
        assert!(same.1 < 1.0 && same.2 > 1.0, "{same:?}");
    }
}
