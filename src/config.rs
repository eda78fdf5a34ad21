//! The validated run configuration ([`Plan`]): what `run` measures and how. It is recorded in
//! every report so a run can be reproduced (`run --from REPORT.json`).

use crate::backend::Backend;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The largest board power the tool takes or reads (`--watts`, a report's energy record): ten
/// times the largest accelerator's, so a mistyped exponent is refused instead of overflowing
/// every energy figure.
pub const MAX_WATTS: f64 = 10_000.0;
/// The least board power `--watts` takes (W): below any chip that computes, and far enough from
/// zero that FLOP per joule stays finite (5e-324 W made it infinite and the report unreadable).
pub const MIN_WATTS: f64 = 0.1;

/// The most energy trials per case (`--energy-trials`): 3–10 grade an energy figure; a hundred
/// of the default 5 s window is over eight minutes a case.
pub const MAX_ENERGY_TRIALS: u32 = 100;
/// The shortest energy window (`--energy-window`), seconds: a window spans several updates of
/// the power sensor (NVML's come every few tens of ms), and a shorter one is a unit slip
/// (`1us` was taken and planned 3 trials of 1e-6 s: a helper's sweep).
pub const MIN_ENERGY_WINDOW_S: f64 = 0.1;

/// Output formats a run or `report` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Json,
    Md,
    Html,
    Csv,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Md => "md",
            Self::Html => "html",
            Self::Csv => "csv",
        }
    }
}

/// How kernel configurations are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum TuneMode {
    /// Use the cached choice for this adapter and driver; tune when there is none.
    #[default]
    Auto,
    /// Tune again and refresh the cache (`--retune`).
    Retune,
    /// Fixed defaults, no search (`--no-tune`).
    Off,
}

impl std::fmt::Display for TuneMode {
    /// As a reader of the plan needs it: `auto (cached choices, else searched)`, `retune
    /// (--retune)`, `off (--no-tune)` (the plan had shown Rust's `Auto`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Auto => "auto (cached choices, else searched)",
            Self::Retune => "retune (--retune)",
            Self::Off => "off (--no-tune)",
        })
    }
}

/// Default seconds of energy trials per run: ten cases at 3 trials of 5 s and their lead-ins,
/// so that a GPU's standard suite (45 cases; 18 s of trials each where every case is measured)
/// finishes in about six minutes with graded energy for one case of each workload kind.
pub const DEFAULT_ENERGY_BUDGET_S: f64 = 180.0;

/// Power and energy options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PowerOptions {
    /// Nominal board power from `--watts` (grade D), used when no sensor measures.
    pub watts: Option<f64>,
    /// Length of one energy trial in seconds (default 5).
    pub energy_window_s: f64,
    /// Number of energy trials per case (default 3).
    pub energy_trials: u32,
    /// Most seconds of energy trials one run spends where a sensor measures
    /// (`--energy-budget`, default [`DEFAULT_ENERGY_BUDGET_S`]): the cases that fit get their
    /// trials, the largest case of each workload kind first, then the others in the suite's
    /// order. `None`: every case (`--energy-budget none`; reports written before the budget
    /// existed read as `None`, as they ran).
    #[serde(default)]
    pub energy_budget_s: Option<f64>,
    /// Subtract idle power from the load power (labelled in the report).
    pub subtract_idle: bool,
    /// Skip energy measurement entirely.
    pub disabled: bool,
}

impl Default for PowerOptions {
    fn default() -> Self {
        Self {
            watts: None,
            energy_window_s: 5.0,
            energy_trials: 3,
            energy_budget_s: Some(DEFAULT_ENERGY_BUDGET_S),
            subtract_idle: false,
            disabled: false,
        }
    }
}

/// Cost inputs given on the command line or in a price file. `None` means "not given":
/// the economics layer fills documented defaults where one exists and reports "n/a" otherwise.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PricingInputs {
    /// Catalog chip name (`--chip`), overriding the adapter-name match.
    pub chip: Option<String>,
    /// Dated price file (TOML).
    pub price_file: Option<PathBuf>,
    pub price_usd: Option<f64>,
    pub cloud_usd_per_hour: Option<f64>,
    pub usd_per_kwh: Option<f64>,
    pub pue: Option<f64>,
    pub utilization: Option<f64>,
    pub life_years: Option<f64>,
    pub discount_rate: Option<f64>,
    pub overhead: Option<f64>,
    /// Full running cost of an owned accelerator (issue 12); absent from reports when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility_usd_per_kw_month: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_power_factor: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance_share_per_year: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_rate_per_year: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_staff_usd_per_year: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_staff_usd_per_kw_year: Option<f64>,
}

/// One GEMM problem size from `--shapes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GemmShape {
    pub m: u32,
    pub n: u32,
    pub k: u32,
}

/// The validated configuration of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// `--adapter INDEX|NAME`; `None` picks the fastest kind present.
    pub adapter: Option<String>,
    /// `--backend vulkan|metal|dx12|gl`.
    pub backend: Option<Backend>,
    /// Suite name (`quick`, `standard`, `full`) or the path of a suite TOML file.
    pub suite: String,
    /// `--shapes`: GEMM f32 shapes replacing the suite's cases.
    pub shapes: Option<Vec<GemmShape>>,
    /// `--cases`: only the cases with these ids.
    pub cases: Option<Vec<String>>,
    /// Minimum sampling time per case, seconds.
    pub min_time_s: f64,
    /// Maximum sampling time per case, seconds.
    pub max_time_s: f64,
    pub seed: u64,
    pub out_dir: PathBuf,
    pub formats: Vec<Format>,
    pub tune: TuneMode,
    /// `--shader-checks`: kernels compiled with wgpu's runtime checks (index clamps, loop
    /// bounds, division guards), as for untrusted shaders; absent (false) in reports made
    /// before it, when every kernel was compiled with them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub shader_checks: bool,
    pub power: PowerOptions,
    pub pricing: PricingInputs,
}

impl Default for Plan {
    fn default() -> Self {
        Self {
            adapter: None,
            backend: None,
            suite: "standard".into(),
            shapes: None,
            cases: None,
            min_time_s: 1.0,
            max_time_s: 3.0,
            seed: 0x5eed,
            out_dir: PathBuf::from("reports"),
            formats: vec![Format::Json, Format::Md],
            tune: TuneMode::Auto,
            shader_checks: false,
            power: PowerOptions::default(),
            pricing: PricingInputs::default(),
        }
    }
}
