use super::PricingArgs;
use crate::backend::Backend;
use crate::config::Format;
use clap::Args;
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  flopledger run                          the standard suite on the default adapter
  flopledger run --list                   every case of every suite, with ids and estimated time
  flopledger run -s quick --dry-run       the plan, without measuring
  flopledger run -c gemm-f32-512x512x512  one case (ids as --list and reports show them)
  flopledger run --shapes 4096x4096x4096  GEMM f32 shapes instead of a suite
  flopledger run --chip \"H100 SXM\" --cloud-usd-per-hour 2.99 -f md,html
  flopledger run --from old.json          the plan of an earlier report, compared with it";

/// `flopledger run`.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct RunArgs {
    /// Adapter to use: its index in `flopledger devices`, or a case-insensitive part of its name.
    /// Default: the fastest kind present (discrete > integrated > other > CPU).
    #[arg(
        allow_hyphen_values = true,
        short,
        long,
        value_name = "INDEX|NAME",
        help_heading = "Adapter"
    )]
    pub adapter: Option<String>,
    /// Restrict adapters to one backend.
    #[arg(long, value_enum, help_heading = "Adapter")]
    pub backend: Option<Backend>,
    /// Suite: quick, standard (default), full, or the path of a suite TOML file.
    #[arg(short, long, value_name = "NAME|FILE", help_heading = "Cases")]
    pub suite: Option<String>,
    /// GEMM f32 shapes to run instead of a suite, e.g. `512x512x512,4096x4096x4096`.
    #[arg(
        long,
        value_name = "MxNxK,...",
        conflicts_with = "suite",
        help_heading = "Cases"
    )]
    pub shapes: Option<String>,
    /// Only these case ids (as `--list` and reports show them), e.g. `gemm-f32-512x512x512`.
    #[arg(short, long, value_name = "ID,...", help_heading = "Cases")]
    pub cases: Option<String>,
    /// Print the cases of the suite (every built-in suite without --suite) with their ids and
    /// an estimated time, then exit without measuring.
    #[arg(short, long, help_heading = "Cases")]
    pub list: bool,
    /// Print the plan (adapter, cases, sampling, energy, cost inputs, output) without measuring.
    #[arg(short = 'n', long, help_heading = "Cases")]
    pub dry_run: bool,
    /// Minimum sampling time per case (e.g. 500ms, 2s).
    #[arg(
        allow_hyphen_values = true,
        long,
        value_name = "DURATION",
        help_heading = "Sampling"
    )]
    pub min_time: Option<String>,
    /// Maximum sampling time per case.
    #[arg(
        allow_hyphen_values = true,
        long,
        value_name = "DURATION",
        help_heading = "Sampling"
    )]
    pub max_time: Option<String>,
    /// Seed of every input buffer.
    #[arg(allow_negative_numbers = true, long, value_parser = super::values::whole::<u64>, help_heading = "Sampling")]
    pub seed: Option<u64>,
    /// Tune kernel configurations again and refresh the cache.
    #[arg(long, conflicts_with = "no_tune", help_heading = "Sampling")]
    pub retune: bool,
    /// Use fixed default kernel configurations (no autotuning).
    #[arg(long, help_heading = "Sampling")]
    pub no_tune: bool,
    /// Compile the kernels with wgpu's runtime checks (every array index clamped, every loop
    /// bounded by a counter, every division guarded), as wgpu does for untrusted shaders. Off
    /// by default: the kernels are the tool's own and verified on every run, and the checks are
    /// work the hardware would not do in an inference engine. For diagnosing a kernel that
    /// fails verification or hangs.
    #[arg(long, help_heading = "Sampling")]
    pub shader_checks: bool,
    /// Nominal board power in watts, used when no sensor measures (energy graded D).
    #[arg(
        long,
        value_name = "W",
        value_parser = super::values::positive_watts,
        allow_negative_numbers = true,
        help_heading = "Energy",
        conflicts_with = "no_energy"
    )]
    pub watts: Option<f64>,
    /// Length of one energy trial (default 5s).
    #[arg(
        allow_hyphen_values = true,
        long,
        value_name = "DURATION",
        help_heading = "Energy",
        conflicts_with = "no_energy"
    )]
    pub energy_window: Option<String>,
    /// Energy trials per case (default 3).
    #[arg(
        allow_negative_numbers = true,
        long,
        value_parser = super::values::whole::<u32>,
        value_name = "N",
        help_heading = "Energy",
        conflicts_with = "no_energy"
    )]
    pub energy_trials: Option<u32>,
    /// Most time one run spends on energy trials where a sensor measures (default 3m): the
    /// largest case of each workload kind first, then the others in order; `none` measures
    /// every case.
    #[arg(
        allow_hyphen_values = true,
        long,
        value_name = "DURATION|none",
        help_heading = "Energy",
        conflicts_with = "no_energy"
    )]
    pub energy_budget: Option<String>,
    /// Subtract idle power from load power (labelled in the report).
    #[arg(long, help_heading = "Energy", conflicts_with = "no_energy")]
    pub subtract_idle: bool,
    /// Skip energy measurement.
    #[arg(long, help_heading = "Energy")]
    pub no_energy: bool,
    #[command(flatten, next_help_heading = "Cost")]
    pub pricing: PricingArgs,
    /// Directory for the report files.
    #[arg(short, long, value_name = "DIR", help_heading = "Output")]
    pub out: Option<PathBuf>,
    /// Report formats to write (json is always written).
    #[arg(
        short,
        long,
        value_delimiter = ',',
        value_name = "FORMAT,...",
        help_heading = "Output"
    )]
    pub format: Vec<Format>,
    /// Re-run the plan recorded in this report on this machine and compare with it. Its cases,
    /// shapes, sampling and energy settings are reused; its adapter, output folder and prices
    /// were the earlier machine's and are not (pass --adapter, --out and the price flags).
    #[arg(long, value_name = "REPORT.json", help_heading = "Output")]
    pub from: Option<PathBuf>,
}
