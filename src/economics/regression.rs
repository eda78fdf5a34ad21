//! Ordinary least squares `y = a + b·x`, shared by the trend fits ([`super::trend`]), the
//! rental-price path (model B) and the observed decline of market prices.
//!
//! `b = Sxy/Sxx`, `a = ȳ − b·x̄`; the 95 % interval of `b` is `b ± t₀.₉₇₅(n − 2)·s/√Sxx` with
//! `s² = SSR/(n − 2)` and `SSR = Σ(y − a − b·x)²`.

/// A fitted line and the sums its interval and R² need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineFit {
    pub intercept: f64,
    /// 0 when every x is the same (`Sxx = 0`): callers that need a slope check [`Self::sxx`].
    pub slope: f64,
    pub n: usize,
    /// `Σ(x − x̄)²`.
    pub sxx: f64,
    /// `Σ(y − ȳ)²`.
    pub syy: f64,
    /// Residual sum of squares `Σ(y − a − b·x)²`.
    pub ssr: f64,
}

impl LineFit {
    /// Fits `ys` against `xs` (same length, at least one point).
    pub fn fit(xs: &[f64], ys: &[f64]) -> Self {
        let n = xs.len();
        let nf = n as f64;
        let mx = xs.iter().sum::<f64>() / nf;
        let my = ys.iter().sum::<f64>() / nf;
        let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
        let sxy: f64 = xs.iter().zip(ys).map(|(x, y)| (x - mx) * (y - my)).sum();
        let syy: f64 = ys.iter().map(|y| (y - my).powi(2)).sum();
        let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
        let intercept = my - slope * mx;
        let ssr = xs
            .iter()
            .zip(ys)
            .map(|(x, y)| (y - intercept - slope * x).powi(2))
            .sum();
        Self {
            intercept,
            slope,
            n,
            sxx,
            syy,
            ssr,
        }
    }

    /// Half-width of the 95 % interval of the slope (needs n ≥ 3 and `Sxx > 0`).
    pub fn slope_half_width_95(&self) -> f64 {
        let se = (self.ssr / (self.n as f64 - 2.0) / self.sxx).sqrt();
        t_975(self.n - 2) * se
    }

    /// Share of the variance of y the line explains (1 when y is constant).
    pub fn r_squared(&self) -> f64 {
        if self.syy > 0.0 {
            1.0 - self.ssr / self.syy
        } else {
            1.0
        }
    }
}

/// Two-sided 95 % quantile of Student's t with `df` degrees of freedom: a table to 30, then
/// the Cornish–Fisher expansion around the normal quantile 1.959964 (error < 1e-4 there).
pub fn t_975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    if (1..=30).contains(&df) {
        return TABLE[df - 1];
    }
    let z: f64 = 1.959_964;
    let v = df.max(1) as f64;
    z + (z.powi(3) + z) / (4.0 * v)
        + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * v * v)
        + (3.0 * z.powi(7) + 19.0 * z.powi(5) + 17.0 * z.powi(3) - 15.0 * z) / (384.0 * v.powi(3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_line_and_a_hand_worked_interval() {
        let f = LineFit::fit(&[0.0, 1.0, 2.0], &[1.0, 3.0, 5.0]);
        assert_eq!((f.intercept, f.slope, f.ssr), (1.0, 2.0, 0.0));
        assert_eq!(f.r_squared(), 1.0);
        // y = 0, −0.5, −1.5: b = −0.75, SSR = 1/24, se = √(1/48), t₀.₉₇₅(1) = 12.706.
        let g = LineFit::fit(&[0.0, 1.0, 2.0], &[0.0, -0.5, -1.5]);
        assert!((g.slope + 0.75).abs() < 1e-12);
        assert!((g.slope_half_width_95() - 12.706 * (1.0f64 / 48.0).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn one_x_value_gives_a_flat_line() {
        let f = LineFit::fit(&[2.0, 2.0], &[1.0, 3.0]);
        assert_eq!((f.slope, f.intercept, f.sxx), (0.0, 2.0, 0.0));
    }
}
