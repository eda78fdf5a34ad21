//! Price-performance and energy-efficiency trends across chip generations (DESIGN §7).
//!
//! Ordinary least squares of `ln(metric)` against release date in fractional years, where the
//! metric is peak FLOP/s per launch-price dollar or per TDP watt at one precision, over every
//! catalog chip that gives both figures. Doubling time = ln 2 / slope. The 95 % interval of
//! the slope is `slope ± t(0.975, n−2) × se`, `se = sqrt(SSR / (n−2) / Σ(x−x̄)²)`; the doubling
//! interval maps its ends through ln 2 / slope (an end at or below zero slope → infinite).

use super::catalog::{catalog, Chip, Precision};
use super::regression::LineFit;
use crate::error::FlError;
use serde::{Deserialize, Serialize};

/// Fewest chips a fit accepts (two points leave no residual degree of freedom).
pub const MIN_CHIPS: usize = 3;

/// What a trend is fitted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrendMetric {
    /// Peak FLOP/s per launch-price USD.
    FlopPerSPerUsd,
    /// Peak FLOP/s per TDP watt (FLOP per joule at full load).
    FlopPerSPerWatt,
}

impl TrendMetric {
    pub const ALL: [TrendMetric; 2] = [Self::FlopPerSPerUsd, Self::FlopPerSPerWatt];

    pub fn label(self) -> &'static str {
        match self {
            Self::FlopPerSPerUsd => "FLOP/s per $",
            Self::FlopPerSPerWatt => "FLOP/s per W",
        }
    }

    /// The metric of one chip, when it has the figures.
    pub fn of(self, chip: &Chip, precision: Precision) -> Option<f64> {
        match self {
            Self::FlopPerSPerUsd => chip.flop_per_s_per_usd(precision),
            Self::FlopPerSPerWatt => chip.flop_per_s_per_watt(precision),
        }
    }
}

/// A log-linear fit of a metric against release date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendFit {
    pub precision: Precision,
    pub metric: TrendMetric,
    /// d ln(metric) / d year.
    pub slope_ln_per_year: f64,
    /// ln(metric) at year 0 of the fit's x axis (x = calendar year).
    pub intercept_ln: f64,
    /// ln 2 / slope (negative when the metric falls).
    pub doubling_years: f64,
    /// 95 % interval of the doubling time; an infinite end means the slope's interval reaches
    /// zero (serialised as null, read back as infinity).
    #[serde(with = "infinite_as_null")]
    pub doubling_ci95_years: (f64, f64),
    /// Share of the variance of ln(metric) the line explains.
    pub r_squared: f64,
    pub n: usize,
    /// Chips used, oldest first.
    pub chips: Vec<String>,
    /// Release years of the oldest and newest chip used.
    pub first_year: f64,
    pub last_year: f64,
}

/// JSON has no infinity: an infinite end of an interval is written as `null`.
mod infinite_as_null {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    fn finite(v: f64) -> Option<f64> {
        v.is_finite().then_some(v)
    }

    pub fn serialize<S: Serializer>(v: &(f64, f64), s: S) -> Result<S::Ok, S::Error> {
        (finite(v.0), finite(v.1)).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<(f64, f64), D::Error> {
        let (a, b) = <(Option<f64>, Option<f64>)>::deserialize(d)?;
        Ok((a.unwrap_or(f64::INFINITY), b.unwrap_or(f64::INFINITY)))
    }
}

/// One point of the frontier: a chip better than every chip released before it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrontierPoint {
    pub release: chrono::NaiveDate,
    pub chip: String,
    pub value: f64,
}

pub use super::regression::t_975;

/// Fits `ln(value)` against `year` for named points (values must be > 0).
pub fn fit_points(
    precision: Precision,
    metric: TrendMetric,
    points: &[(String, f64, f64)],
) -> Result<TrendFit, FlError> {
    let n = points.len();
    if n < MIN_CHIPS {
        return Err(FlError::usage(format!(
            "too few chips for a {} trend at {precision}: {n} have both figures, a fit needs \
             at least {MIN_CHIPS}; try another --precision (fp32 has the most)",
            metric.label()
        )));
    }
    let xs: Vec<f64> = points.iter().map(|p| p.1).collect();
    let ys: Vec<f64> = points.iter().map(|p| p.2.ln()).collect();
    let line = LineFit::fit(&xs, &ys);
    if line.sxx <= 0.0 {
        return Err(FlError::usage(format!(
            "the {n} chips with a {} at {precision} share one release date; no trend can be fitted",
            metric.label()
        )));
    }
    let (slope, half) = (line.slope, line.slope_half_width_95());
    let doubling = |s: f64| {
        if s > 0.0 {
            std::f64::consts::LN_2 / s
        } else {
            f64::INFINITY
        }
    };
    let mut order: Vec<&(String, f64, f64)> = points.iter().collect();
    order.sort_by(|a, b| a.1.total_cmp(&b.1));
    Ok(TrendFit {
        precision,
        metric,
        slope_ln_per_year: slope,
        intercept_ln: line.intercept,
        doubling_years: std::f64::consts::LN_2 / slope,
        doubling_ci95_years: (doubling(slope + half), doubling(slope - half)),
        r_squared: line.r_squared(),
        n,
        chips: order.iter().map(|p| p.0.clone()).collect(),
        first_year: xs.iter().copied().fold(f64::INFINITY, f64::min),
        last_year: xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    })
}

/// The catalog chips that give `metric` at `precision`, as (name, release year, value).
pub fn points(precision: Precision, metric: TrendMetric) -> Vec<(String, f64, f64)> {
    catalog()
        .iter()
        .filter_map(|c| Some((c.name.clone(), c.release_year(), metric.of(c, precision)?)))
        .filter(|p| p.2.is_finite() && p.2 > 0.0)
        .collect()
}

/// Fits the catalog trend of `metric` at `precision`.
pub fn fit(precision: Precision, metric: TrendMetric) -> Result<TrendFit, FlError> {
    fit_points(precision, metric, &points(precision, metric))
}

/// The best chip available at each date: the chips, by release, that beat every earlier one.
pub fn frontier(precision: Precision, metric: TrendMetric) -> Vec<FrontierPoint> {
    let mut best = 0.0;
    let mut out = Vec::new();
    for c in catalog() {
        if let Some(v) = metric.of(c, precision).filter(|v| *v > best) {
            best = v;
            out.push(FrontierPoint {
                release: c.release,
                chip: c.name.clone(),
                value: v,
            });
        }
    }
    out
}

/// Annual fall of the cost of a unit of compute at `precision`, from the FLOP/s-per-$ trend:
/// `g = 1 − 2^(−1 / doubling_years)` (the frontier price of compute is `P(t) = P(0)(1 − g)^t`).
pub fn frontier_decline(precision: Precision) -> Result<(f64, TrendFit), FlError> {
    let fit = fit(precision, TrendMetric::FlopPerSPerUsd)?;
    if fit.slope_ln_per_year <= 0.0 {
        return Err(FlError::usage(format!(
            "the catalog's FLOP/s per $ at {precision} does not improve with release date \
             (slope {:.3}/year over {} chips); set the decline rate explicitly",
            fit.slope_ln_per_year, fit.n
        )));
    }
    let g = 1.0 - 2f64.powf(-1.0 / fit.doubling_years);
    Ok((g, fit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_known_doubling_time() {
        // value = 1e9 × 2^((year − 2010) / 2.5): doubling every 2.5 years exactly, with a
        // ±3 % wobble alternating in sign so the fit has residuals but no bias.
        let pts: Vec<(String, f64, f64)> = (0..12)
            .map(|i| {
                let year = 2010.0 + f64::from(i) * 1.25;
                let wobble = if i % 2 == 0 { 1.03 } else { 0.97 };
                (
                    format!("chip{i}"),
                    year,
                    1e9 * 2f64.powf((year - 2010.0) / 2.5) * wobble,
                )
            })
            .collect();
        let f = fit_points(Precision::Fp32, TrendMetric::FlopPerSPerUsd, &pts).unwrap();
        assert!(
            (f.doubling_years - 2.5).abs() < 0.05,
            "{}",
            f.doubling_years
        );
        assert!(f.doubling_ci95_years.0 < 2.5 && 2.5 < f.doubling_ci95_years.1);
        assert!(f.r_squared > 0.99);
        assert_eq!(f.n, 12);
        assert_eq!(f.chips[0], "chip0");
    }

    #[test]
    fn exact_line_has_a_zero_width_interval() {
        // ln(value) = ln 2 × year / 2 exactly: slope ln2/2, doubling 2 years, SSR 0.
        let pts: Vec<_> = (0..4)
            .map(|i| (i.to_string(), f64::from(i), 2f64.powf(f64::from(i) / 2.0)))
            .collect();
        let f = fit_points(Precision::Fp16, TrendMetric::FlopPerSPerWatt, &pts).unwrap();
        assert!((f.doubling_years - 2.0).abs() < 1e-12);
        assert!((f.doubling_ci95_years.0 - 2.0).abs() < 1e-9);
        assert!((f.doubling_ci95_years.1 - 2.0).abs() < 1e-9);
    }

    #[test]
    fn too_few_chips_is_a_clear_error() {
        let pts = vec![
            ("a".to_string(), 2020.0, 1.0),
            ("b".to_string(), 2021.0, 2.0),
        ];
        let e = fit_points(Precision::Fp8, TrendMetric::FlopPerSPerUsd, &pts).unwrap_err();
        assert!(e.to_string().contains("at least 3"), "{e}");
    }

    #[test]
    fn open_interval_round_trips_through_json() {
        // A flat series: the slope interval straddles zero, so the doubling interval is open.
        let pts: Vec<_> = [1.0, 1.2, 0.9, 1.1]
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), i as f64, *v))
            .collect();
        let f = fit_points(Precision::Fp32, TrendMetric::FlopPerSPerUsd, &pts).unwrap();
        assert!(f.doubling_ci95_years.1.is_infinite());
        let json = serde_json::to_string(&f).unwrap();
        assert!(json.contains("null"));
        let back: TrendFit = serde_json::from_str(&json).unwrap();
        assert_eq!(back.doubling_ci95_years.1, f64::INFINITY);
    }

    #[test]
    fn t_quantiles() {
        assert_eq!(t_975(1), 12.706);
        assert_eq!(t_975(30), 2.042);
        // Tables give 2.021 at 40 and 2.000 at 60.
        assert!((t_975(40) - 2.021).abs() < 1e-3);
        assert!((t_975(60) - 2.000).abs() < 1e-3);
    }

    #[test]
    fn catalog_fp32_trend_improves_and_frontier_rises() {
        let (g, f) = frontier_decline(Precision::Fp32).unwrap();
        assert!(f.n >= 20, "{}", f.n);
        // Epoch AI finds ~2–3 years per doubling of GPU FLOP/s per $; accept a wide band.
        assert!(
            f.doubling_years > 1.0 && f.doubling_years < 6.0,
            "{}",
            f.doubling_years
        );
        assert!(g > 0.0 && g < 0.5);
        // Over one doubling time the cost of a unit of compute halves: (1 − g)^d = 1/2.
        assert!(((1.0 - g).powf(f.doubling_years) - 0.5).abs() < 1e-9);
        let fr = frontier(Precision::Fp32, TrendMetric::FlopPerSPerUsd);
        assert!(fr
            .windows(2)
            .all(|w| w[1].value > w[0].value && w[1].release >= w[0].release));
    }
}
