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

    /// Purchase price of one device in USD (owned basis). Default: the catalog launch price of
    /// the matched chip; none for an unknown chip (owned cost then n/a).
    #[arg(long, value_name = "USD")]
    pub price_usd: Option<f64>,

    /// Rental price per device-hour in USD (cloud basis, energy included). No default.
    #[arg(long, value_name = "USD")]
    pub cloud_usd_per_hour: Option<f64>,

    /// Electricity price in USD per kWh. Default 0.08 (US industrial average, EIA, 2024).
    #[arg(long, value_name = "USD")]
    pub usd_per_kwh: Option<f64>,

    /// Power usage effectiveness of the facility (≥ 1). Default 1.2.
    #[arg(long)]
    pub pue: Option<f64>,

    /// Share of hours the device does useful work (0–1]. Default 0.7.
    #[arg(long)]
    pub utilization: Option<f64>,

    /// Years over which the purchase is recovered. Default 5.
    #[arg(long, value_name = "YEARS")]
    pub life_years: Option<f64>,

    /// Annual discount rate in [0, 1). Default 0.07.
    #[arg(long, value_name = "RATE")]
    pub discount_rate: Option<f64>,

    /// Multiplier on the device price for server, network and facility share (≥ 1). Default 1.4.
    #[arg(long)]
    pub overhead: Option<f64>,
}
