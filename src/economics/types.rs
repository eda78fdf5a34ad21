//! Report-facing cost types (DESIGN §6). Every price carries its date and source.

use serde::{Deserialize, Serialize};

/// One input of the cost model, with where it came from and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assumption {
    /// e.g. `price_usd`, `usd_per_kwh`, `pue`.
    pub item: String,
    pub value: f64,
    pub unit: String,
    /// "flag --price-usd", "price file prices.toml", "catalog: <source>", "default".
    pub source: String,
    /// Date the value holds for (YYYY-MM-DD or YYYY-MM).
    pub as_of: String,
}

impl Assumption {
    /// The input as the text outputs give it: `usd_per_kwh 0.08 USD/kWh (SOURCE, as of 2024)`.
    /// A value derived by the tool (a per-kW rate scaled from a per-accelerator default) is
    /// shown to the cent: `784.93`, not `784.9293563579278` (the JSON keeps every digit).
    pub fn sourced(&self) -> String {
        // A value typed with a few decimals (1.005, 100.125) is shown as given.
        let cents = (self.value * 100.0).round() / 100.0;
        let value = if self.value.abs() >= 1.0 && self.value.to_string().len() > 10 {
            cents
        } else {
            self.value
        };
        format!(
            "{} {value} {} ({}, as of {})",
            self.item, self.unit, self.source, self.as_of
        )
    }
}

/// The catalog row a run was matched to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChipRef {
    pub name: String,
    /// "adapter name" or "--chip".
    pub matched_by: String,
    pub source: String,
    pub uncertain: bool,
}

/// Cost of one device-hour on one basis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CostBasis {
    /// Bought: capital recovery plus energy.
    Owned,
    /// Rented per hour, energy included.
    Cloud,
    /// Energy only (measured or nominal kW × PUE × $/kWh).
    Marginal,
}

impl CostBasis {
    /// Stable id, as in JSON and as the key of `usd_per_million_tokens`.
    pub fn id(self) -> &'static str {
        match self {
            Self::Owned => "owned",
            Self::Cloud => "cloud",
            Self::Marginal => "marginal",
        }
    }
}

/// Cost per device-hour on every basis that has inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HourlyCost {
    pub basis: CostBasis,
    pub usd_per_hour: f64,
    /// How it was computed, with the numbers filled in.
    pub formula: String,
}

/// Economic inputs and results of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunEconomics {
    pub chip: Option<ChipRef>,
    pub assumptions: Vec<Assumption>,
    pub hourly: Vec<HourlyCost>,
    /// For each basis without inputs: what is missing and the flag that supplies it.
    pub missing: Vec<String>,
}

/// Cost efficiency of one case on one basis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseCostBasis {
    pub basis: CostBasis,
    pub flop_per_usd: f64,
    pub usd_per_pflop_hour: f64,
    /// Which inputs this case used where they differ between cases, e.g. the power behind a
    /// marginal cost ("measured 312.4 W, grade B" or "nominal 700 W (TDP, catalog)").
    #[serde(default)]
    pub note: Option<String>,
}

/// Cost efficiency of one case on every basis that has inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseCost {
    pub bases: Vec<CaseCostBasis>,
}

/// One point of a value curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    pub year: f64,
    pub value_usd: f64,
}

/// The value path of one chip under one depreciation model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueCurve {
    /// e.g. "A obsolescence", "D straight-line 6y".
    pub model: String,
    pub points: Vec<CurvePoint>,
    pub economic_life_years: Option<f64>,
    pub half_life_years: Option<f64>,
}

/// Depreciation outlook of the run's chip, when a report carries one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepreciationOutlook {
    pub chip: String,
    /// Whether measured throughput and power replaced the spec values.
    pub measured_inputs: bool,
    pub curves: Vec<ValueCurve>,
    /// One-line conclusion, e.g. "economic life 3.4 years against a 6-year schedule: …".
    pub verdict: String,
    /// What the values rest on: the purchase (its date, the price with its source and date)
    /// and the rents (the panel the market was fitted on, to the date of its last price).
    /// Empty in reports written before 7 December 2026, which said neither (a helper's sweep).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub basis: String,
}
