//! Multiple least squares with sign constraints, for the hedonic rent fit.
//!
//! `β̂ = (XᵀX)⁻¹Xᵀy`, solved by Gaussian elimination with partial pivoting on the normal
//! equations (a dozen columns, a few hundred rows: the conditioning is checked, a singular
//! system is an error). Standard errors from `σ̂²(XᵀX)⁻¹`, `σ̂² = SSR/(n − k)`.
//!
//! Sign constraints (e.g. "more bandwidth never lowers the rent") are kept by an active set:
//! fit, fix at zero the free column whose estimate violates its sign by the most standard
//! errors, refit without it, until no estimate violates its sign. The columns fixed at zero are
//! reported, so a reader sees which effects the data pushed the wrong way.

/// Why the observations cannot be fitted; the message says what data would help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OlsError {
    /// The intercept (or every column) is explained by the others.
    #[error(
        "the observations cannot separate the model's effects (singular design); add \
         observations of other chips, dates or price bases"
    )]
    Singular,
    /// Fewer observations than parameters plus one.
    #[error("{observations} observations cannot fit {parameters} parameters; add observations")]
    TooFewObservations {
        observations: usize,
        parameters: usize,
    },
}

/// The sign an estimate must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    Free,
    NonNegative,
    NonPositive,
}

/// A fitted linear model.
#[derive(Debug, Clone, PartialEq)]
pub struct OlsFit {
    /// One per column; 0 for columns fixed at zero by a constraint.
    pub beta: Vec<f64>,
    /// Standard errors; 0 for columns fixed at zero.
    pub std_err: Vec<f64>,
    /// Columns fixed at zero because the unconstrained estimate had the wrong sign.
    pub fixed_at_zero: Vec<usize>,
    pub ssr: f64,
    pub n: usize,
}

impl OlsFit {
    /// Residual standard deviation `σ̂`.
    pub fn sigma(&self) -> f64 {
        let k = self.beta.len() - self.fixed_at_zero.len();
        (self.ssr / (self.n.saturating_sub(k)).max(1) as f64).sqrt()
    }
}

/// Least squares of `y` on the rows of `x` under `signs` (one per column).
pub fn fit(x: &[Vec<f64>], y: &[f64], signs: &[Sign]) -> Result<OlsFit, OlsError> {
    let k = signs.len();
    let mut active: Vec<bool> = vec![true; k];
    loop {
        let cols: Vec<usize> = (0..k).filter(|&j| active[j]).collect();
        let (b, se, ssr) = match unconstrained(x, y, &cols) {
            Ok(v) => v,
            // A column the others explain: fix it at zero (reported) and refit.
            Err(Fault::Collinear(i)) if cols[i] != 0 => {
                active[cols[i]] = false;
                continue;
            }
            Err(Fault::Collinear(_)) => return Err(OlsError::Singular),
            Err(Fault::Fit(e)) => return Err(e),
        };
        let worst = cols
            .iter()
            .enumerate()
            .filter_map(|(i, &j)| {
                let z = if se[i] > 0.0 { b[i] / se[i] } else { b[i] };
                match signs[j] {
                    Sign::NonNegative if b[i] < 0.0 => Some((j, -z)),
                    Sign::NonPositive if b[i] > 0.0 => Some((j, z)),
                    _ => None,
                }
            })
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((j, _)) = worst {
            active[j] = false;
            continue;
        }
        let mut beta = vec![0.0; k];
        let mut std_err = vec![0.0; k];
        for (i, &j) in cols.iter().enumerate() {
            beta[j] = b[i];
            std_err[j] = se[i];
        }
        return Ok(OlsFit {
            beta,
            std_err,
            fixed_at_zero: (0..k).filter(|&j| !active[j]).collect(),
            ssr,
            n: y.len(),
        });
    }
}

enum Fault {
    /// The column at this position (in the fitted columns) is explained by earlier ones.
    Collinear(usize),
    Fit(OlsError),
}

/// Plain least squares on the columns `cols`: estimates, standard errors and SSR.
fn unconstrained(
    x: &[Vec<f64>],
    y: &[f64],
    cols: &[usize],
) -> Result<(Vec<f64>, Vec<f64>, f64), Fault> {
    let k = cols.len();
    if y.len() <= k {
        return Err(Fault::Fit(OlsError::TooFewObservations {
            observations: y.len(),
            parameters: k,
        }));
    }
    let mut xtx = vec![vec![0.0; k]; k];
    let mut xty = vec![0.0; k];
    for (row, &yi) in x.iter().zip(y) {
        for (a, &ca) in cols.iter().enumerate() {
            xty[a] += row[ca] * yi;
            for (b, &cb) in cols.iter().enumerate().skip(a) {
                xtx[a][b] += row[ca] * row[cb];
            }
        }
    }
    for a in 1..k {
        let (upper, lower) = xtx.split_at_mut(a);
        for (b, row) in upper.iter().enumerate() {
            lower[0][b] = row[a];
        }
    }
    let inv = invert(&xtx).map_err(Fault::Collinear)?;
    let beta: Vec<f64> = (0..k)
        .map(|a| (0..k).map(|b| inv[a][b] * xty[b]).sum())
        .collect();
    let ssr: f64 = x
        .iter()
        .zip(y)
        .map(|(row, &yi)| {
            let fitted: f64 = cols.iter().zip(&beta).map(|(&c, b)| row[c] * b).sum();
            (yi - fitted).powi(2)
        })
        .sum();
    let s2 = ssr / (y.len() - k) as f64;
    let se = (0..k).map(|a| (s2 * inv[a][a]).max(0.0).sqrt()).collect();
    Ok((beta, se, ssr))
}

/// Inverse of a symmetric positive-definite matrix by Gauss–Jordan with partial pivoting; on a
/// singular system, the index of the column found dependent on the others.
fn invert(m: &[Vec<f64>]) -> Result<Vec<Vec<f64>>, usize> {
    let n = m.len();
    let scale = (0..n)
        .map(|i| m[i][i].abs())
        .fold(0.0, f64::max)
        .max(1e-300);
    let mut a: Vec<Vec<f64>> = m
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut r = row.clone();
            r.extend((0..n).map(|j| if i == j { 1.0 } else { 0.0 }));
            r
        })
        .collect();
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&p, &q| a[p][col].abs().total_cmp(&a[q][col].abs()))
            .unwrap_or(col);
        if a[pivot][col].abs() < 1e-10 * scale {
            return Err(col);
        }
        a.swap(col, pivot);
        let p = a[col][col];
        for v in a[col].iter_mut() {
            *v /= p;
        }
        let pivot_row = a[col].clone();
        for (r, row) in a.iter_mut().enumerate() {
            let factor = row[col];
            if r != col && factor != 0.0 {
                for (v, p) in row.iter_mut().zip(&pivot_row) {
                    *v -= factor * p;
                }
            }
        }
    }
    Ok(a.into_iter().map(|r| r[n..].to_vec()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// y = 1 + 2·x1 − 0.5·x2 exactly: the fit recovers it with zero residual.
    #[test]
    fn recovers_an_exact_plane() {
        let pts = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (2.0, 3.0), (1.0, 5.0)];
        let x: Vec<Vec<f64>> = pts.iter().map(|&(a, b)| vec![1.0, a, b]).collect();
        let y: Vec<f64> = pts.iter().map(|&(a, b)| 1.0 + 2.0 * a - 0.5 * b).collect();
        let f = fit(&x, &y, &[Sign::Free; 3]).unwrap();
        for (got, want) in f.beta.iter().zip([1.0, 2.0, -0.5]) {
            assert!((got - want).abs() < 1e-9, "{got} vs {want}");
        }
        assert!(f.ssr < 1e-18);
    }

    /// The x2 effect is negative in the data; constrained ≥ 0 it is fixed at zero and the
    /// remaining fit is the simple regression on x1.
    #[test]
    fn wrong_signed_effects_are_fixed_at_zero() {
        let pts = [(0.0, 0.0), (1.0, 1.0), (2.0, 0.0), (3.0, 2.0), (4.0, 1.0)];
        let x: Vec<Vec<f64>> = pts.iter().map(|&(a, b)| vec![1.0, a, b]).collect();
        let y: Vec<f64> = pts.iter().map(|&(a, b)| 1.0 + a - 0.7 * b).collect();
        let signs = [Sign::Free, Sign::Free, Sign::NonNegative];
        let f = fit(&x, &y, &signs).unwrap();
        assert_eq!(f.fixed_at_zero, vec![2]);
        assert_eq!(f.beta[2], 0.0);
        let line = crate::economics::regression::LineFit::fit(
            &pts.iter().map(|p| p.0).collect::<Vec<_>>(),
            &y,
        );
        assert!((f.beta[1] - line.slope).abs() < 1e-9);
    }

    #[test]
    fn a_column_the_others_explain_is_fixed_at_zero() {
        let x: Vec<Vec<f64>> = (0..5)
            .map(|i| vec![1.0, i as f64, 2.0 * i as f64])
            .collect();
        let y: Vec<f64> = (0..5).map(|i| 1.0 + i as f64).collect();
        let f = fit(&x, &y, &[Sign::Free; 3]).unwrap();
        assert_eq!(f.fixed_at_zero, vec![2]);
        assert!((f.beta[1] - 1.0).abs() < 1e-9);
        // Without an intercept that can stand, the design is an error, not a panic.
        let zero = vec![vec![0.0, 1.0]; 4];
        let e = fit(&zero, &y[..4], &[Sign::Free; 2]).unwrap_err();
        assert_eq!(e, OlsError::Singular);
        assert!(e.to_string().contains("singular"));
    }
}
