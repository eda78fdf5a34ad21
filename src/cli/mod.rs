//! Command-line definitions (clap derive) only; behaviour lives in `commands`.

mod chips;
mod cost;
mod depreciate;
mod fleet;
mod output;
mod power;
mod pricing;
mod report;
mod run;
pub mod values;

pub use chips::ChipsArgs;
pub use cost::CostArgs;
pub use depreciate::{DepreciateArgs, ScenarioArgs};
pub use fleet::{
    DbArg, FilterArgs, FleetArgs, FleetCommand, FleetFormat, FleetPrometheusArgs, FleetReportArgs,
    FleetValueArgs, K8sArgs, LedgerAddArgs, LedgerArgs, LedgerCommand, LedgerListArgs, SlurmArgs,
    ThresholdsArg, DEFAULT_FLEET_SUITE,
};
pub use output::OutputFormat;
pub use power::PowerArgs;
pub use pricing::PricingArgs;
pub use report::{CompareArgs, ReportArgs};
pub use run::RunArgs;

use crate::term::ColorChoice;
use clap::{Parser, Subcommand};

/// Measures what compute really costs: GPU-timed inference kernels, FLOP/s per watt and per
/// dollar, and how fast the chip loses its value.
#[derive(Debug, Parser)]
#[command(name = "flopledger", version, about, long_about = None)]
pub struct Cli {
    /// Colour the output: auto (only on a terminal, and not when NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every adapter on every backend with the features and limits that matter for compute.
    Devices(DevicesArgs),
    /// Measure the suite on one adapter and write a report.
    Run(Box<RunArgs>),
    /// List power and energy sources, the one chosen per adapter, and why others were rejected.
    Power(PowerArgs),
    /// The chip catalog across generations, and price-performance trend fits.
    Chips(ChipsArgs),
    /// Cost of compute at spec, without a GPU: owned and cloud $/hour, $/PFLOP-hour, FLOP/$
    /// and $/M tokens of the model presets for catalog chips.
    Cost(Box<CostArgs>),
    /// Value curves, economic life and book-vs-economic gap of one or more chips.
    Depreciate(Box<DepreciateArgs>),
    /// Book value against economic value of a capex schedule, year by year.
    Scenario(Box<ScenarioArgs>),
    /// Render a report file as Markdown, HTML, CSV or JSON.
    Report(ReportArgs),
    /// Compare reports side by side, with significance tests on the raw samples.
    Compare(CompareArgs),
    /// The ledger of every result (SQLite): add reports, list them.
    Ledger(LedgerArgs),
    /// Profile every GPU of a cluster (Slurm, Kubernetes) and compare them from the ledger.
    Fleet(Box<FleetArgs>),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) to stdout.
    #[command(hide = true)]
    Completions(CompletionsArgs),
    /// Print the man page (roff) to stdout, or write every command's page into a folder.
    #[command(hide = true)]
    Man(ManArgs),
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write one page per command into this folder (flopledger.1, flopledger-run.1, …, the
    /// pages the main page names) instead of the main page to stdout.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct DevicesArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}
