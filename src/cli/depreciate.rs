use super::{OutputFormat, PricingArgs};
use clap::Args;
use std::path::PathBuf;

/// `flopledger depreciate`.
#[derive(Debug, Args)]
pub struct DepreciateArgs {
    /// Catalog chip(s), comma-separated for a side-by-side table (e.g. "V100,A100,H100 SXM").
    #[arg(long = "chips", value_delimiter = ',', value_name = "NAME,...")]
    pub chips: Vec<String>,

    /// A run report of the chip: the measured power of its heaviest GEMM load replaces the TDP in
    /// the running cost and its best GEMM is set beside the peak it measures (with
    /// --launch-trend: its throughput replaces the spec peak).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Annual decline of the frontier cost of compute, g in [0, 1) (default: fitted trend).
    #[arg(long, value_parser = super::values::number, allow_negative_numbers = true, value_name = "G")]
    pub growth: Option<f64>,

    /// With --launch-trend: the precision whose peak is used (default: bf16, else fp16, else
    /// fp32 per chip; with --report, the measured gemm case of this precision, fp32 or fp16, by
    /// default the fastest); the price of compute falls at the one rate of the AI-peak trend,
    /// whatever the precision. Without --launch-trend it is refused: the market model prices
    /// chips and tokens at each chip's AI peak.
    #[arg(long, value_parser = ["fp32", "fp16", "bf16", "fp8", "int8"], value_name = "P")]
    pub precision: Option<String>,

    /// Board power in watts, replacing the catalog TDP (one chip only).
    #[arg(long, value_name = "W", value_parser = super::values::positive_watts, allow_negative_numbers = true)]
    pub watts: Option<f64>,

    /// The chip's own rental prices (CSV date,usd_per_hour, dated): it is valued on the rent
    /// path fitted to them (a trend and a fading premium) over their dates, moved as the market
    /// moves beyond them, with the same running costs; one chip. With --launch-trend: model B
    /// beside the reference (its decline held ≥ 0).
    #[arg(long, value_name = "CSV", conflicts_with_all = ["rent_basis", "rent_class"])]
    pub rents: Option<PathBuf>,

    /// Back-test: fit on this series up to --fit-until and report the error after it.
    #[arg(long, value_name = "CSV")]
    pub backtest: Option<PathBuf>,

    /// Last date (YYYY-MM-DD) used for the back-test fit.
    #[arg(long, value_name = "DATE", requires = "backtest")]
    pub fit_until: Option<String>,

    /// Compare the models' predicted annual decline with observed market prices of older chips
    /// (the shipped data/observed_prices.csv; --chips limits it to those chips).
    #[arg(long)]
    pub observed: bool,

    /// Observed prices to compare with instead of the shipped file (CSV chip,date,usd,unit,
    /// kind,series,consistency,source[,note]); implies --observed.
    #[arg(long, value_name = "CSV")]
    pub observed_file: Option<PathBuf>,

    /// Date the chip was bought (YYYY-MM-DD). Default: its catalog release (availability) date.
    #[arg(long, value_name = "DATE")]
    pub purchase_date: Option<String>,

    /// Where the owner sells the chip's hours: on-demand, reserved-1y, reserved-3y, spot,
    /// marketplace-median or contract-index. Default reserved-1y (a one-year contract).
    #[arg(long, value_name = "BASIS")]
    pub rent_basis: Option<String>,

    /// Provider class of the owner: neocloud (default) or hyperscaler. A hyperscaler earns
    /// its list only at the premium over the neocloud rent it had when new; the premium stays
    /// with it, so the chip's market price (sale, residual) is the neocloud's.
    #[arg(long, value_name = "CLASS", value_parser = ["neocloud", "hyperscaler"])]
    pub rent_class: Option<String>,

    /// Rental prices to fit the market on instead of the shipped data/market_rents.csv (same
    /// columns).
    #[arg(long, value_name = "CSV")]
    pub market_file: Option<PathBuf>,

    /// Validate the market model: rolling-origin back-test of the rent fit (MAPE and bias per
    /// chip), each chip's rents predicted by a fit on the other chips (leave one chip out), and
    /// the model's value decline beside observed resale prices. With --chips, the per-chip
    /// rows are those chips'.
    #[arg(long, conflicts_with_all = ["rents", "backtest"])]
    pub validate: bool,

    /// With --validate: rental prices the fit has not seen (the columns of
    /// data/market_rents.csv), each predicted at its own chip, date, provider class and basis;
    /// MAPE and bias per chip and overall
    #[arg(long, value_name = "CSV", requires = "validate")]
    pub score_rents: Option<PathBuf>,

    /// Show the launch-price trend reference (models A, C, D; `--growth`, `--precision` and
    /// `--report` apply to it) instead of the market model, which it does not print.
    #[arg(long)]
    pub launch_trend: bool,

    /// Output: table (default), csv (the market model's figures, one row per chip, plain
    /// numbers in base units) or json.
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "json")]
    pub format: Option<OutputFormat>,

    /// Print JSON instead of tables (same as --format json).
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub pricing: PricingArgs,
}

impl DepreciateArgs {
    /// `--format`, with `--json` as its short spelling.
    pub fn output(&self) -> OutputFormat {
        OutputFormat::resolve(self.format, self.json)
    }
}

/// `flopledger scenario`.
#[derive(Debug, Args)]
// The capex file names the chips, their prices and spend: the shared pricing flags that name
// one chip's price are hidden here, and refused with that fix if given.
#[command(mut_arg("chip", |a| a.hide(true)))]
#[command(mut_arg("price_usd", |a| a.hide(true)))]
#[command(mut_arg("cloud_usd_per_hour", |a| a.hide(true)))]
pub struct ScenarioArgs {
    /// Capex schedule (TOML: spend by year and chip mix). Default: the built-in 2025–2030 preset.
    #[arg(long, value_name = "FILE.toml")]
    pub capex: Option<PathBuf>,

    /// Annual decline of the frontier cost of compute, g in [0, 1) (default: fitted trend).
    #[arg(long, value_parser = super::values::number, allow_negative_numbers = true, value_name = "G")]
    pub growth: Option<f64>,

    /// Precision of the chips' peaks (default bf16, else fp16, else fp32); the price of compute
    /// falls at the one rate of the AI-peak trend, whatever the precision.
    #[arg(long, value_parser = ["fp32", "fp16", "bf16", "fp8", "int8"], value_name = "P")]
    pub precision: Option<String>,

    /// Value with the launch-price trend reference (model A; `--growth` and `--precision`
    /// apply to it) instead of the market model.
    #[arg(long)]
    pub launch_trend: bool,

    /// Rental prices to fit the market on instead of the shipped data/market_rents.csv (same
    /// columns as for `depreciate --market-file`).
    #[arg(long, value_name = "CSV", conflicts_with = "launch_trend")]
    pub market_file: Option<PathBuf>,

    /// Output: table (default), csv (one row per year-end, plain numbers in USD) or json.
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "json")]
    pub format: Option<OutputFormat>,

    /// Print JSON instead of tables (same as --format json).
    #[arg(long)]
    pub json: bool,

    /// Discount rate, utilization, electricity, PUE and overhead (chips come from the capex mix).
    #[command(flatten)]
    pub pricing: PricingArgs,
}

impl ScenarioArgs {
    /// `--format`, with `--json` as its short spelling.
    pub fn output(&self) -> OutputFormat {
        OutputFormat::resolve(self.format, self.json)
    }
}
