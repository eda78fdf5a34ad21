//! The fit's search over the scarcity premium's grid, for one series of `ln p` or many on the
//! same dates (the bootstrap's refits of [`crate::economics::market::own_rents`]).
//!
//! For a grid point `(m, τ)` the regression is `y = ln p − c` on `t`, `c(t) = ln(1 + m·e^(−t/τ))`.
//! Its squared error needs only sums: with `t̃`, `l̃`, `c̃` the deviations from their means,
//! `Sxy = Σt̃l̃ − Σt̃c̃`, `Syy = Σl̃² − 2Σl̃c̃ + Σc̃²`, slope `Sxy/Stt` and
//! `SSE = Syy − slope·Sxy` (`Syy` when the slope is held at 0). Everything but `Σl̃c̃` is computed
//! once per series or once per grid point, so each grid point costs its `n` logarithms once and
//! one dot product per series: a daily series of 30 years (11 000 prices) and its 200 refits
//! search the grid in about a second, where fitting every refit from scratch took 20 s.
//!
//! The winner is then fitted exactly ([`super::fit_at`]), so the chosen path does not carry the
//! sums' rounding.

/// Largest scarcity premium on the grid (300 % of the base rent).
const MAX_PREMIUM: f64 = 3.0;
/// Steps of the premium (`m` = 0…3 step 0.05) and of its fade (`τ` = 0.25…3 years step 0.25).
const PREMIUM_STEPS: u32 = 60;
const FADE_STEPS: u32 = 12;

/// One grid point: premium `m`, fade `τ` (years) and whether either sits on its grid's edge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct GridPoint {
    pub m: f64,
    pub tau: f64,
    pub on_edge: bool,
}

/// The points tried, in search order (`m` outer, `τ` inner; ties keep the earlier): `m = 0`
/// once, since `τ` does not matter without a premium; only `m = 0` when `with_premium` is false.
pub(super) fn points(with_premium: bool) -> Vec<GridPoint> {
    let mut out = vec![GridPoint {
        m: 0.0,
        tau: 0.25,
        on_edge: false,
    }];
    if !with_premium {
        return out;
    }
    for i in 1..=PREMIUM_STEPS {
        let m = f64::from(i) * 0.05;
        for j in 1..=FADE_STEPS {
            out.push(GridPoint {
                m,
                tau: f64::from(j) * 0.25,
                on_edge: m >= MAX_PREMIUM - 1e-9 || j == 1 || j == FADE_STEPS,
            });
        }
    }
    out
}

/// A series' own sums: `Σt̃l̃`, `Σl̃²` and its deviations `l̃`.
struct Centred {
    stl: f64,
    sll: f64,
    dev: Vec<f64>,
}

/// For each series in `logs` (each `ln p` at the times `ts`, at least 2 distinct), the grid point
/// of `grid` with the least squared error, as the exact search would pick it up to rounding;
/// `hold`: a rising line is held flat.
pub(super) fn best(
    ts: &[f64],
    logs: &[Vec<f64>],
    grid: &[GridPoint],
    hold: bool,
) -> Vec<GridPoint> {
    let n = ts.len() as f64;
    let t_mean = ts.iter().sum::<f64>() / n;
    let t_dev: Vec<f64> = ts.iter().map(|t| t - t_mean).collect();
    let stt = dot(&t_dev, &t_dev);
    let series: Vec<Centred> = logs
        .iter()
        .map(|l| {
            let mean = l.iter().sum::<f64>() / n;
            let dev: Vec<f64> = l.iter().map(|v| v - mean).collect();
            Centred {
                stl: dot(&t_dev, &dev),
                sll: dot(&dev, &dev),
                dev,
            }
        })
        .collect();
    let mut best: Vec<Option<(f64, GridPoint)>> = vec![None; series.len()];
    let mut c = vec![0.0; ts.len()];
    for &g in grid {
        for (ci, t) in c.iter_mut().zip(ts) {
            *ci = (g.m * (-t / g.tau).exp()).ln_1p();
        }
        let c_mean = c.iter().sum::<f64>() / n;
        c.iter_mut().for_each(|ci| *ci -= c_mean);
        let (stc, scc) = (dot(&t_dev, &c), dot(&c, &c));
        for (s, slot) in series.iter().zip(best.iter_mut()) {
            let slc = dot(&s.dev, &c);
            let sxy = s.stl - stc;
            let syy = s.sll - 2.0 * slc + scc;
            let slope = sxy / stt;
            // δ ≥ 0 (`hold`): a rising line is held flat at the mean, leaving all of Syy.
            let sse = if hold && slope > 0.0 {
                syy
            } else {
                syy - slope * sxy
            }
            .max(0.0);
            if slot.as_ref().is_none_or(|(b, _)| sse < *b - 1e-15) {
                *slot = Some((sse, g));
            }
        }
    }
    best.into_iter()
        .map(|b| b.map_or(grid[0], |(_, g)| g))
        .collect()
}

/// `Σ aᵢbᵢ` over eight running sums, which the compiler keeps in vector registers.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f64 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    acc.iter().sum::<f64>() + tail
}
