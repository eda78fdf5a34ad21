//! `flopledger ledger …` and `flopledger fleet …`.

use clap::{Args, Subcommand};
use std::path::PathBuf;

/// The suite a fleet's tasks run when `--suite` is not given.
pub const DEFAULT_FLEET_SUITE: &str = "quick";

#[derive(Debug, Args)]
pub struct LedgerArgs {
    #[command(subcommand)]
    pub command: LedgerCommand,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Index report files (or folders of them, searched recursively) in the ledger.
    Add(LedgerAddArgs),
    /// List the reports in the ledger, newest first.
    List(LedgerListArgs),
}

/// The ledger file.
#[derive(Debug, Clone, Args)]
pub struct DbArg {
    /// Ledger file (SQLite). Default: flopledger/ledger.sqlite in the user's data directory.
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LedgerAddArgs {
    /// Report files or folders.
    #[arg(required = true, value_name = "REPORT|DIR")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub db: DbArg,
}

/// Which results to select.
#[derive(Debug, Clone, Default, Args)]
pub struct FilterArgs {
    /// Node (scheduler node name, else host name).
    #[arg(long, value_parser = super::values::named)]
    pub node: Option<String>,
    /// GPU: UUID, PCI bus id, or the ledger's GPU key.
    #[arg(long, value_parser = super::values::named)]
    pub gpu: Option<String>,
    /// Chip name (substring, any case).
    #[arg(long, value_parser = super::values::named)]
    pub chip: Option<String>,
    /// Case id, e.g. gemm-f32-512x512x512.
    #[arg(long, value_parser = super::values::named)]
    pub case: Option<String>,
    /// Reports started at or after this time (YYYY-MM-DD, UTC midnight; or RFC 3339).
    #[arg(long, value_name = "TIME", value_parser = super::values::since_time)]
    pub since: Option<String>,
    /// Scheduler job id.
    #[arg(long, value_parser = super::values::named)]
    pub job: Option<String>,
}

#[derive(Debug, Args)]
pub struct LedgerListArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub db: DbArg,
    /// Output: table (default), csv (one row per report) or json (an array of reports), for
    /// scripts: report paths whole, never wrapped.
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "json")]
    pub format: Option<super::OutputFormat>,
    /// Print JSON instead of a table (same as --format json).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct FleetArgs {
    #[command(subcommand)]
    pub command: FleetCommand,
}

#[derive(Debug, Subcommand)]
pub enum FleetCommand {
    /// Write a Slurm batch script that runs one `flopledger run` per GPU; optionally submit it.
    Slurm(SlurmArgs),
    /// Write a Kubernetes Indexed Job manifest and a Dockerfile for the image.
    K8s(K8sArgs),
    /// Fleet report from the ledger: each GPU against its peers and its spec.
    Report(FleetReportArgs),
    /// Prometheus text-format metrics of the latest result per GPU (node exporter textfile).
    Prometheus(FleetPrometheusArgs),
}

#[derive(Debug, Args)]
pub struct SlurmArgs {
    /// Nodes to run on.
    #[arg(long, value_parser = super::values::whole::<u32>, default_value_t = 1)]
    pub nodes: u32,
    /// GPUs per node (one task each).
    #[arg(long, value_parser = super::values::whole::<u32>, default_value_t = 1)]
    pub gpus_per_node: u32,
    /// Slurm partition.
    #[arg(long)]
    pub partition: Option<String>,
    /// Time limit (Slurm syntax, e.g. 30:00 or 1:00:00).
    #[arg(long, default_value = "30:00")]
    pub time: String,
    /// Suite each task runs.
    #[arg(long, default_value = DEFAULT_FLEET_SUITE)]
    pub suite: String,
    /// Shared folder for results; each job writes RESULTS/JOBID/.
    #[arg(long, default_value = "flopledger-results")]
    pub results: PathBuf,
    /// The flopledger binary on the nodes (default: this one's absolute path).
    #[arg(long)]
    pub flopledger: Option<PathBuf>,
    /// Do not request GPUs from Slurm (`--gres`); for clusters without GPU gres or the
    /// software adapter.
    #[arg(long)]
    pub no_gres: bool,
    /// Let Slurm run more tasks than the node has cores (`--overcommit`).
    #[arg(long)]
    pub overcommit: bool,
    /// Extra `flopledger run` flags, one string (e.g. "--min-time 1s --cases gemm").
    #[arg(long, default_value = "", allow_hyphen_values = true)]
    pub run_args: String,
    /// Where to write the script.
    #[arg(long, default_value = "flopledger-fleet.sbatch")]
    pub out: PathBuf,
    /// Submit the script with sbatch.
    #[arg(long)]
    pub submit: bool,
    /// With --submit: wait for the job to end, then ingest its results into the ledger.
    #[arg(long, requires = "submit")]
    pub wait: bool,
    #[command(flatten)]
    pub db: DbArg,
}

#[derive(Debug, Args)]
pub struct K8sArgs {
    /// Pods (one GPU each unless --gpus-per-pod).
    #[arg(long, value_parser = super::values::whole::<u32>, default_value_t = 1)]
    pub pods: u32,
    /// GPUs per pod (`nvidia.com/gpu` limit); each pod runs one task per GPU.
    #[arg(long, value_parser = super::values::whole::<u32>, default_value_t = 1)]
    pub gpus_per_pod: u32,
    /// Container image built from the written Dockerfile.
    #[arg(long, default_value = "flopledger:latest")]
    pub image: String,
    /// Job name.
    #[arg(long, default_value = "flopledger-fleet")]
    pub name: String,
    /// Namespace.
    #[arg(long)]
    pub namespace: Option<String>,
    /// PersistentVolumeClaim that receives the reports.
    #[arg(long, default_value = "flopledger-results")]
    pub results_claim: String,
    /// Suite each task runs.
    #[arg(long, default_value = DEFAULT_FLEET_SUITE)]
    pub suite: String,
    /// Extra `flopledger run` flags, one string.
    #[arg(long, default_value = "", allow_hyphen_values = true)]
    pub run_args: String,
    /// Folder to write `job.yaml` and `Dockerfile` into.
    #[arg(long, default_value = "flopledger-k8s")]
    pub out: PathBuf,
}

/// Output formats of the fleet report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FleetFormat {
    Md,
    Html,
    Json,
    Prom,
}

#[derive(Debug, Args)]
pub struct FleetReportArgs {
    /// Formats, comma-separated (several need --out).
    #[arg(long, value_delimiter = ',', default_value = "md")]
    pub format: Vec<FleetFormat>,
    /// Write `fleet-report.EXT` files into this folder instead of printing.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub value: FleetValueArgs,
    #[command(flatten)]
    pub thresholds: ThresholdsArg,
    #[command(flatten)]
    pub db: DbArg,
}

/// The grading rules, when the defaults do not fit the fleet.
#[derive(Debug, Clone, Default, Args)]
pub struct ThresholdsArg {
    /// Grading thresholds (TOML; keys warn_z, warn_deficit, critical_z, critical_deficit,
    /// energy_z, energy_deficit, min_peers, mad_floor_rel; any left out keep their default,
    /// see docs/fleets.md).
    #[arg(long, value_name = "FILE.toml")]
    pub thresholds: Option<PathBuf>,
}

/// What the fleet cost and how it is valued (the market model, as `depreciate` values a chip).
#[derive(Debug, Clone, Default, Args)]
pub struct FleetValueArgs {
    /// Purchase price of one GPU in USD, when the selection holds one catalog chip model.
    /// Default: the catalog launch price; per chip model: a --price-file entry with `chip`.
    #[arg(long, value_parser = super::values::number, allow_negative_numbers = true, value_name = "USD")]
    pub price_usd: Option<f64>,
    /// Dated price file (TOML entries: item, value, unit, source, as_of, optional chip): prices
    /// per chip model and every running-cost input of the market model.
    #[arg(long, value_name = "FILE")]
    pub price_file: Option<PathBuf>,
    /// Date the GPUs were bought (YYYY-MM-DD), for every chip model. Default: each chip's
    /// catalog release date.
    #[arg(long, value_name = "DATE")]
    pub purchase_date: Option<String>,
    /// Straight-line schedule of the book value, years. Default 5.
    #[arg(long, value_parser = super::values::number, allow_negative_numbers = true, value_name = "YEARS")]
    pub life_years: Option<f64>,
    /// Multiplier on the price for server, network and facility share (≥ 1). Default 1.4.
    #[arg(long, value_parser = super::values::number, allow_negative_numbers = true)]
    pub overhead: Option<f64>,
    /// Annual discount rate in [0, 1). Default 0.07.
    #[arg(long, value_parser = super::values::number, allow_negative_numbers = true, value_name = "RATE")]
    pub discount_rate: Option<f64>,
}

#[derive(Debug, Args)]
pub struct FleetPrometheusArgs {
    /// Write here atomically (e.g. /var/lib/node_exporter/textfile/flopledger.prom) instead of
    /// printing.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub thresholds: ThresholdsArg,
    #[command(flatten)]
    pub db: DbArg,
}
