use clap::Args;
use std::path::PathBuf;

/// Cost inputs shared by `run`, `depreciate` and `scenario`. Defaults are documented in the
/// README ("What compute costs").
#[derive(Debug, Clone, Default, Args)]
pub struct PricingArgs {
    /// Catalog chip to price and compare against (overrides the adapter-name match).
    #[arg(long, value_name = "NAME")]
    pub chip: Option<String>,

    /// Dated price file (TOML entries: item, value, unit, source, as_of).
    #[arg(long, value_name = "FILE")]
    pub price_file: Option<PathBuf>,

    /// Purchase price of one device in USD (owned basis).
    #[arg(long, value_name = "USD")]
    pub price_usd: Option<f64>,

    /// Rental price per device-hour in USD (cloud basis, energy included).
    #[arg(long, value_name = "USD")]
    pub cloud_usd_per_hour: Option<f64>,

    /// Electricity price in USD per kWh.
    #[arg(long, value_name = "USD")]
    pub usd_per_kwh: Option<f64>,

    /// Power usage effectiveness of the facility (≥ 1).
    #[arg(long)]
    pub pue: Option<f64>,

    /// Share of hours the device does useful work (0–1].
    #[arg(long)]
    pub utilization: Option<f64>,

    /// Years over which the purchase is recovered.
    #[arg(long, value_name = "YEARS")]
    pub life_years: Option<f64>,

    /// Annual discount rate (e.g. 0.08).
    #[arg(long, value_name = "RATE")]
    pub discount_rate: Option<f64>,

    /// Multiplier on the device price for server, network and facility share (≥ 1).
    #[arg(long)]
    pub overhead: Option<f64>,
}
