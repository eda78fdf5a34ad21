use super::PricingArgs;
use crate::config::Format;
use clap::Args;
use std::path::PathBuf;

/// `flopledger run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Adapter to use: its index in `flopledger devices`, or a case-insensitive part of its name.
    /// Default: the fastest kind present (discrete > integrated > other > CPU).
    #[arg(long, value_name = "INDEX|NAME")]
    pub adapter: Option<String>,

    /// Restrict adapters to one backend.
    #[arg(long, value_parser = ["vulkan", "metal", "dx12", "gl"])]
    pub backend: Option<String>,

    /// Suite: quick, standard (default), full, or the path of a suite TOML file.
    #[arg(long, value_name = "NAME|FILE")]
    pub suite: Option<String>,

    /// GEMM f32 shapes to run instead of the suite, e.g. `512x512x512,4096x4096x4096`.
    #[arg(long, value_name = "MxNxK,...")]
    pub shapes: Option<String>,

    /// Only these case ids (as reports list them), e.g. `gemm-f32-512x512x512`.
    #[arg(long, value_name = "ID,...")]
    pub cases: Option<String>,

    /// Minimum sampling time per case (e.g. 500ms, 2s).
    #[arg(long, value_name = "DURATION")]
    pub min_time: Option<String>,

    /// Maximum sampling time per case.
    #[arg(long, value_name = "DURATION")]
    pub max_time: Option<String>,

    /// Seed of every input buffer.
    #[arg(long)]
    pub seed: Option<u64>,

    /// Directory for the report files.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Report formats to write (json is always written).
    #[arg(long, value_delimiter = ',', value_name = "FORMAT,...")]
    pub format: Vec<Format>,

    /// Re-run the plan recorded in this report on this machine and compare with it.
    #[arg(long, value_name = "REPORT.json")]
    pub from: Option<PathBuf>,

    /// Tune kernel configurations again and refresh the cache.
    #[arg(long, conflicts_with = "no_tune")]
    pub retune: bool,

    /// Use fixed default kernel configurations (no autotuning).
    #[arg(long)]
    pub no_tune: bool,

    /// Nominal board power in watts, used when no sensor measures (energy graded D).
    #[arg(long, value_name = "W", value_parser = super::values::positive_watts)]
    pub watts: Option<f64>,

    /// Length of one energy trial (default 5s).
    #[arg(long, value_name = "DURATION")]
    pub energy_window: Option<String>,

    /// Energy trials per case (default 3).
    #[arg(long, value_name = "N")]
    pub energy_trials: Option<u32>,

    /// Subtract idle power from load power (labelled in the report).
    #[arg(long)]
    pub subtract_idle: bool,

    /// Skip energy measurement.
    #[arg(long)]
    pub no_energy: bool,

    #[command(flatten)]
    pub pricing: PricingArgs,
}
