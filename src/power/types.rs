//! Report-facing power and energy types (DESIGN §5). Every energy number carries a [`Grade`].

use serde::{Deserialize, Serialize};
use std::fmt;

/// How good an energy figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Grade {
    /// Measured energy counter, long window, consistent trials.
    A,
    /// Measured with reduced confidence (short window, duty-cycled sensor).
    B,
    /// Indirect: averaged sensor, or a scope wider than the adapter.
    C,
    /// Nominal estimate (power limit, TDP, `--watts`): an upper bound, not a measurement.
    D,
    /// No energy figure.
    #[serde(rename = "none")]
    None,
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::A => "A",
            Self::B => "B",
            Self::C => "C",
            Self::D => "D",
            Self::None => "none",
        })
    }
}

/// What a sensor covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// The whole board (GPU, memory, VRMs).
    Board,
    /// The GPU die or its power rail only.
    Die,
    /// A CPU package that includes the GPU (and the CPU cores).
    PackageWithCpu,
    /// Not a sensor: a nominal figure.
    Nominal,
}

/// Kind of power source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    NvmlEnergy,
    NvmlPower,
    AmdHwmon,
    IntelRapl,
    IntelHwmon,
    Nominal,
}

/// A power source as chosen for an adapter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// Stable id, e.g. `nvml:0:energy`, `hwmon:/sys/class/hwmon/hwmon3`, `nominal:--watts`.
    pub id: String,
    pub kind: SourceKind,
    /// How energy is obtained: "energy counter difference", "power sampled and integrated
    /// (trapezoid)", "nominal watts × time".
    pub method: String,
    pub scope: Scope,
    /// Measured update period of the sensor, when probed.
    pub update_period_ms: Option<f64>,
    /// Smallest step seen or documented, in the source's unit (e.g. "1 mJ", "1 µW").
    pub resolution: Option<String>,
    pub caveats: Vec<String>,
}

/// One candidate considered for the adapter, and why it was or was not chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: String,
    pub kind: SourceKind,
    pub chosen: bool,
    /// Why it was rejected (absent, permission with the fix, implausible, lower priority).
    pub reason: String,
}

/// The power source selection recorded in a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PowerSelection {
    pub chosen: Option<SourceInfo>,
    pub candidates: Vec<Candidate>,
    /// Average power before any load, when the source measures.
    pub idle_watts: Option<f64>,
    /// What to do to get a (better) energy figure, when there is none or only a nominal one.
    pub advice: Option<String>,
}

/// One energy trial: sustained load over a window whose edges lie inside the busy period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnergyTrial {
    pub seconds: f64,
    pub joules: f64,
    pub avg_watts: f64,
    pub dispatches: u64,
}

/// Energy of one case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseEnergy {
    pub source_id: String,
    pub grade: Grade,
    pub method: String,
    pub scope: Scope,
    pub trials: Vec<EnergyTrial>,
    pub avg_watts: f64,
    pub joules_per_dispatch: f64,
    /// FLOP per joule (GFLOPS/W × 1e9).
    pub flop_per_joule: f64,
    /// Estimated relative error (0.05 = ±5 %).
    pub rel_error: f64,
    pub idle_watts: Option<f64>,
    /// Whether idle power was subtracted from `avg_watts` (off by default).
    pub idle_subtracted: bool,
    pub caveats: Vec<String>,
}
