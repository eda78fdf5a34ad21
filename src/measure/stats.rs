//! Statistics of per-dispatch times: median (headline), spread, confidence interval of the median.

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

/// Summary statistics of one case's samples (all times are per dispatch, in nanoseconds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub samples: usize,
    pub median_ns: f64,
    pub mean_ns: f64,
    pub min_ns: f64,
    pub max_ns: f64,
    pub p5_ns: f64,
    pub p95_ns: f64,
    pub p99_ns: f64,
    pub stddev_ns: f64,
    /// Coefficient of variation (stddev / mean).
    pub cv: f64,
    /// 95 % distribution-free confidence interval of the median (order statistics).
    pub median_ci_low_ns: f64,
    pub median_ci_high_ns: f64,
    /// Samples outside the Tukey fences (1.5 IQR), reported, never dropped.
    pub outliers: usize,
    /// Percentiles from the hdrhistogram (3 significant digits): p50, p90, p99, p99.9.
    pub hdr_p50_ns: u64,
    pub hdr_p90_ns: u64,
    pub hdr_p99_ns: u64,
    pub hdr_p999_ns: u64,
    pub warnings: Vec<String>,
}

/// Largest per-dispatch time the histogram tracks: one hour, in nanoseconds.
const HDR_MAX_NS: u64 = 3_600_000_000_000;

/// Linear-interpolated quantile of sorted data, q in [0, 1].
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// For B ~ Binomial(n, ½): r, the number of k = 0, 1, … with P(B ≤ k) ≤ 2.5 %, and
/// P(B ≤ r − 1), the mass below the interval [`median_ci_ranks`] gives (0 when r = 0). Each term
/// from the last (ln C(n, k+1) = ln C(n, k) + ln((n − k)/(k + 1))), in logs so that large n
/// neither overflows nor loses the tail; one pass, nothing allocated (the sampler asks after
/// every sample).
fn lower_tail(n: usize) -> (usize, f64) {
    let ln_half_n = n as f64 * 0.5f64.ln();
    let (mut ln_choose, mut cdf, mut r, mut below) = (0.0f64, 0.0f64, 0, 0.0);
    for k in 0..=n {
        cdf += (ln_choose + ln_half_n).exp();
        if cdf > 0.025 {
            break;
        }
        (r, below) = (k + 1, cdf);
        ln_choose += ((n - k) as f64 / (k + 1) as f64).ln();
    }
    (r, below)
}

/// Ranks (0-based, inclusive) of the order statistics bounding a distribution-free 95 %
/// confidence interval of the median of n samples: [X₍ᵣ₎, X₍ₙ₋ᵣ₊₁₎] (1-based) with r the
/// largest rank for which P(B ≤ r − 1) ≤ 2.5 %, B ~ Binomial(n, ½), so the interval holds the
/// median with probability 1 − 2·P(B ≤ r − 1) ≥ 95 % (exact, where a normal approximation
/// falls short at some n: 94.75 % at 21). Under 6 samples no interval reaches 95 %; their
/// min–max is given and [`median_ci_coverage`] says what it holds.
pub fn median_ci_ranks(n: usize) -> (usize, usize) {
    if n == 0 {
        return (0, 0);
    }
    let r = lower_tail(n).0.max(1);
    (r - 1, n - r)
}

/// The probability that the interval of [`median_ci_ranks`] holds the true median of n
/// independent samples of a continuous distribution: at least 0.95 from 6 samples on; fewer
/// cannot reach it (3 samples: their min–max holds the median 75 % of the time).
pub fn median_ci_coverage(n: usize) -> f64 {
    if n == 0 {
        return 0.0;
    }
    // Outside the interval: B below its low rank, and the same mass above its high one. Under
    // 6 samples r is 0 and the interval is the min–max, outside which lies B = 0 (or n).
    let below = match lower_tail(n) {
        (0, _) => 0.5f64.powi(n as i32),
        (_, below) => below,
    };
    (1.0 - 2.0 * below).max(0.0)
}

/// Relative half-width of the median's confidence interval: (hi − lo) / 2 / median.
pub fn median_ci_rel_halfwidth(samples: &[f64]) -> f64 {
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    let (lo, hi) = median_ci_ranks(s.len());
    let med = quantile(&s, 0.5);
    if med <= 0.0 {
        return f64::INFINITY;
    }
    (s[hi] - s[lo]) / 2.0 / med
}

impl Stats {
    /// How often its median interval holds the true median, where that is under 95 % (fewer
    /// than 6 samples: the interval is their min–max); `None` where it is a 95 % interval.
    pub fn ci_coverage_below_95(&self) -> Option<f64> {
        let cover = median_ci_coverage(self.samples);
        (cover < 0.95).then_some(cover)
    }

    /// Statistics of per-dispatch times in nanoseconds. `samples` must be non-empty.
    pub fn from_samples(samples: &[f64]) -> Self {
        let mut s = samples.to_vec();
        s.sort_by(f64::total_cmp);
        let n = s.len();
        let mean = s.iter().sum::<f64>() / n as f64;
        let var = if n > 1 {
            s.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64
        } else {
            0.0
        };
        let stddev = var.sqrt();
        let (lo, hi) = median_ci_ranks(n);
        let q1 = quantile(&s, 0.25);
        let q3 = quantile(&s, 0.75);
        let iqr = q3 - q1;
        let outliers = s
            .iter()
            .filter(|&&x| x < q1 - 1.5 * iqr || x > q3 + 1.5 * iqr)
            .count();
        // 1 ns to 1 hour at 3 significant digits; longer samples clamp to the top bucket.
        let mut hist = Histogram::<u64>::new_with_bounds(1, HDR_MAX_NS, 3)
            .expect("bounds 1..1 h at 3 significant digits are valid");
        for &x in &s {
            hist.saturating_record((x.round().max(1.0) as u64).min(HDR_MAX_NS));
        }
        let cv = if mean > 0.0 { stddev / mean } else { 0.0 };
        let mut warnings = Vec::new();
        if n < 10 {
            warnings.push(format!(
                "only {n} samples: raise --max-time for a tighter interval"
            ));
        }
        if cv > 0.10 {
            warnings.push(format!(
                "high variation (CV {}): other load on the device, clock changes or thermal throttling",
                crate::units::pct_with(cv, 1)
            ));
        }
        if outliers * 10 > n {
            warnings.push(format!(
                "{outliers} of {n} samples are outliers (beyond 1.5 IQR)"
            ));
        }
        Self {
            samples: n,
            median_ns: quantile(&s, 0.5),
            mean_ns: mean,
            min_ns: s[0],
            max_ns: s[n - 1],
            p5_ns: quantile(&s, 0.05),
            p95_ns: quantile(&s, 0.95),
            p99_ns: quantile(&s, 0.99),
            stddev_ns: stddev,
            cv,
            median_ci_low_ns: s[lo],
            median_ci_high_ns: s[hi],
            outliers,
            hdr_p50_ns: hist.value_at_quantile(0.5),
            hdr_p90_ns: hist.value_at_quantile(0.9),
            hdr_p99_ns: hist.value_at_quantile(0.99),
            hdr_p999_ns: hist.value_at_quantile(0.999),
            warnings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_of_known_samples() {
        let samples: Vec<f64> = (1..=100).map(f64::from).collect();
        let st = Stats::from_samples(&samples);
        assert_eq!(st.samples, 100);
        assert!((st.median_ns - 50.5).abs() < 1e-9);
        assert!((st.mean_ns - 50.5).abs() < 1e-9);
        assert_eq!(st.min_ns, 1.0);
        assert_eq!(st.max_ns, 100.0);
        assert!((st.p5_ns - 5.95).abs() < 1e-9);
        assert!(st.median_ci_low_ns < 50.5 && st.median_ci_high_ns > 50.5);
        // n = 100: P(B ≤ 39) = 1.76 % ≤ 2.5 % < P(B ≤ 40) = 2.84 %, so r = 40: ranks [39, 60]
        // (0-based) → values 40 and 61.
        assert_eq!((st.median_ci_low_ns, st.median_ci_high_ns), (40.0, 61.0));
        assert_eq!(st.outliers, 0);
        // hdrhistogram percentiles agree with the exact ones (3 significant digits).
        assert_eq!(st.hdr_p50_ns, 50);
        assert_eq!(st.hdr_p90_ns, 90);
        assert_eq!(st.hdr_p99_ns, 99);
    }

    #[test]
    fn outlier_is_counted_not_dropped() {
        let mut samples = vec![10.0; 30];
        samples.push(1000.0);
        let st = Stats::from_samples(&samples);
        assert_eq!(st.outliers, 1);
        assert_eq!(st.max_ns, 1000.0);
        assert_eq!(st.median_ns, 10.0);
    }

    /// The interval holds the median at least 95 % of the time from 6 samples on (against the
    /// binomial sums computed here term by term), and says what it holds below that.
    #[test]
    fn the_median_interval_covers_95_percent_where_it_can() {
        fn choose(n: usize, k: usize) -> f64 {
            (0..k).fold(1.0, |c, i| c * (n - i) as f64 / (i + 1) as f64)
        }
        for n in 1..=400usize {
            let (lo, hi) = median_ci_ranks(n);
            assert!(lo <= hi && hi < n, "n {n}: {lo}..{hi}");
            assert_eq!(lo, n - 1 - hi, "n {n}: symmetric");
            let direct: f64 =
                ((lo + 1)..=hi).map(|i| choose(n, i)).sum::<f64>() / 2f64.powi(n as i32);
            let cover = median_ci_coverage(n);
            assert!((cover - direct).abs() < 1e-9, "n {n}: {cover} vs {direct}");
            assert_eq!(cover >= 0.95, n >= 6, "n {n}: {cover}");
            if n >= 6 {
                // The narrowest such interval: one rank inward falls below 95 %.
                let inner: f64 =
                    ((lo + 2)..hi).map(|i| choose(n, i)).sum::<f64>() / 2f64.powi(n as i32);
                assert!(inner < 0.95, "n {n}: {inner}");
            }
        }
        assert_eq!(median_ci_coverage(3), 0.75);
        assert_eq!(median_ci_coverage(5), 0.9375);
        // Large n stays finite and near 95 %.
        let big = median_ci_coverage(200_000);
        assert!((0.95..0.951).contains(&big), "{big}");
    }
}
