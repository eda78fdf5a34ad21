//! Price-performance and energy-efficiency trends across chip generations (DESIGN §7).
//!
//! Ordinary least squares of `ln(metric)` against release date in fractional years, where the
//! metric is peak FLOP/s per launch-price dollar or per TDP watt, over every catalog chip that
//! gives both figures. The peak is each chip's AI peak by class by default
//! ([`TrendBasis::AiPerClass`]: dense tensor bf16/fp16 for data-centre chips, FP32-accumulate
//! rates for consumer ones, [`catalog::ai_peak_flop_per_s`]), or one precision for every chip.
//!
//! Doubling time = ln 2 / slope. The 95 % interval of
//! the slope is `slope ± t(0.975, n−2) × se`, `se = sqrt(SSR / (n−2) / Σ(x−x̄)²)`; the doubling
//! interval maps its ends through ln 2 / slope (an end at or below zero slope → infinite).

use super::catalog::{self, catalog, Chip, Precision};
use super::regression::LineFit;
use crate::error::FlError;
use serde::{Deserialize, Serialize};

/// Fewest chips a fit accepts (two points leave no residual degree of freedom).
pub const MIN_CHIPS: usize = 3;

/// Which peak of each chip a trend uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrendBasis {
    /// Each chip at its AI peak under the one precision rule ([`catalog::ai_peak_flop_per_s`]):
    /// chips of different classes are compared at the rates they run models at.
    #[default]
    AiPerClass,
    /// Every chip at one precision, whatever its class (1/64-rate consumer FP16 included).
    Precision(Precision),
}

impl TrendBasis {
    /// The peak of `chip` this basis compares, FLOP/s (OP/s for int8).
    pub fn peak(self, chip: &Chip) -> Option<f64> {
        match self {
            Self::AiPerClass => catalog::ai_peak_flop_per_s(chip).map(|(_, v)| v),
            Self::Precision(p) => chip.peak_flop_per_s.get(&p).copied(),
        }
    }

    /// Unit of the peak (`OP/s` for int8).
    pub fn rate_unit(self) -> &'static str {
        match self {
            Self::AiPerClass => "FLOP/s",
            Self::Precision(p) => p.rate_unit(),
        }
    }
}

impl From<Precision> for TrendBasis {
    fn from(p: Precision) -> Self {
        Self::Precision(p)
    }
}

impl std::fmt::Display for TrendBasis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::AiPerClass => f.write_str("AI peak per class"),
            Self::Precision(p) => write!(f, "{p}"),
        }
    }
}

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

    /// The metric of one chip at `basis`, when it has the figures.
    pub fn of(self, chip: &Chip, basis: impl Into<TrendBasis>) -> Option<f64> {
        let peak = basis.into().peak(chip)?;
        let per = match self {
            Self::FlopPerSPerUsd => chip.launch_price_usd?,
            Self::FlopPerSPerWatt => chip.tdp_w?,
        };
        (per > 0.0).then(|| peak / per)
    }
}

/// A log-linear fit of a metric against release date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendFit {
    /// Which peak of each chip was used.
    pub basis: TrendBasis,
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
    basis: impl Into<TrendBasis>,
    metric: TrendMetric,
    points: &[(String, f64, f64)],
) -> Result<TrendFit, FlError> {
    let basis = basis.into();
    let n = points.len();
    if n < MIN_CHIPS {
        return Err(FlError::usage(format!(
            "too few chips for a {} trend at {basis}: {n} have both figures, a fit needs \
             at least {MIN_CHIPS}; try another --precision (fp32 has the most)",
            metric.label()
        )));
    }
    let xs: Vec<f64> = points.iter().map(|p| p.1).collect();
    let ys: Vec<f64> = points.iter().map(|p| p.2.ln()).collect();
    let line = LineFit::fit(&xs, &ys);
    if line.sxx <= 0.0 {
        return Err(FlError::usage(format!(
            "the {n} chips with a {} at {basis} share one release date; no trend can be fitted",
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
        basis,
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

/// The catalog chips that give `metric` at `basis`, as (name, release year, value).
pub fn points(basis: impl Into<TrendBasis>, metric: TrendMetric) -> Vec<(String, f64, f64)> {
    let basis = basis.into();
    catalog()
        .iter()
        .filter_map(|c| Some((c.name.clone(), c.release_year(), metric.of(c, basis)?)))
        .filter(|p| p.2.is_finite() && p.2 > 0.0)
        .collect()
}

/// Fits the catalog trend of `metric` at `basis` (a precision, or [`TrendBasis::AiPerClass`]).
pub fn fit(basis: impl Into<TrendBasis>, metric: TrendMetric) -> Result<TrendFit, FlError> {
    let basis = basis.into();
    fit_points(basis, metric, &points(basis, metric))
}

/// The best chip available at each date: the chips, by release, that beat every earlier one.
pub fn frontier(basis: impl Into<TrendBasis>, metric: TrendMetric) -> Vec<FrontierPoint> {
    let basis = basis.into();
    let mut best = 0.0;
    let mut out = Vec::new();
    for c in catalog() {
        if let Some(v) = metric.of(c, basis).filter(|v| *v > best) {
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

/// Annual fall of the cost of a unit of compute at `basis`, from the FLOP/s-per-$ trend:
/// `g = 1 − 2^(−1 / doubling_years)` (the frontier price of compute is `P(t) = P(0)(1 − g)^t`).
/// The default basis, [`TrendBasis::AiPerClass`], is [`ai_frontier_decline`]; a precision gives
/// the explicit per-precision trend.
pub fn frontier_decline(basis: impl Into<TrendBasis>) -> Result<(f64, TrendFit), FlError> {
    let basis = basis.into();
    let fit = fit(basis, TrendMetric::FlopPerSPerUsd)?;
    if fit.slope_ln_per_year <= 0.0 {
        return Err(FlError::usage(format!(
            "the catalog's FLOP/s per $ at {basis} does not improve with release date \
             (slope {:.3}/year over {} chips); set the decline rate explicitly",
            fit.slope_ln_per_year, fit.n
        )));
    }
    let g = 1.0 - 2f64.powf(-1.0 / fit.doubling_years);
    Ok((g, fit))
}

/// [`frontier_decline`] at the default basis: every chip at its AI peak by class.
pub fn ai_frontier_decline() -> Result<(f64, TrendFit), FlError> {
    frontier_decline(TrendBasis::AiPerClass)
}

#[cfg(test)]
mod tests;
