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
    #[arg(long, value_parser = super::values::number, allow_negative_numbers = true, value_name = "USD")]
    pub price_usd: Option<f64>,

    /// Rental price per device-hour in USD (cloud basis, energy included). Default: `cost` takes
    /// the median of the providers' latest on-demand rents of the chip (data/market_rents.csv),
    /// `depreciate` the market fit's neocloud on-demand rent at purchase; elsewhere none.
    #[arg(long, value_parser = super::values::number, allow_negative_numbers = true, value_name = "USD")]
    pub cloud_usd_per_hour: Option<f64>,

    /// Electricity price in USD per kWh. Default 0.08 (US industrial average, EIA, 2024).
    #[arg(long, value_parser = super::values::number, allow_negative_numbers = true, value_name = "USD")]
    pub usd_per_kwh: Option<f64>,

    /// Power usage effectiveness of the facility (≥ 1). Default 1.2.
    #[arg(long, value_parser = super::values::number, allow_negative_numbers = true)]
    pub pue: Option<f64>,

    /// Share of hours the device does useful work (0–1]; where its hours are sold, the paid
    /// ones: on a reserved basis the hours under contract, paid whether worked or not (gaps
    /// between contracts unpaid). Default 0.7.
    #[arg(long, value_parser = super::values::number, allow_negative_numbers = true)]
    pub utilization: Option<f64>,

    /// Years over which the purchase is recovered. Default 5.
    #[arg(long, value_parser = super::values::number, allow_negative_numbers = true, value_name = "YEARS")]
    pub life_years: Option<f64>,

    /// Annual discount rate in [0, 1). Default 0.07.
    #[arg(long, value_parser = super::values::number, allow_negative_numbers = true, value_name = "RATE")]
    pub discount_rate: Option<f64>,

    /// Multiplier on the device price for server, network and facility share (≥ 1). Default 1.4.
    #[arg(long, value_parser = super::values::number, allow_negative_numbers = true)]
    pub overhead: Option<f64>,

    /// Facility space and power in USD per kW-month of all-in power (paid whether the chip works
    /// or idles). Default 184.06 (CBRE, North America Data Center Trends H2 2024).
    #[arg(long, value_parser = super::values::number, allow_negative_numbers = true, value_name = "USD")]
    pub facility_usd_per_kw_month: Option<f64>,

    /// All-in power per accelerator (server share: CPUs, NICs, fans) over its TDP (≥ 1).
    /// Default 1.82 (NVIDIA DGX H100: 10.2 kW for 8 × 700 W GPUs).
    #[arg(long, value_parser = super::values::number, allow_negative_numbers = true, value_name = "RATIO")]
    pub server_power_factor: Option<f64>,

    /// Maintenance and support per year as a share of capex. Default 0.03.
    #[arg(long, value_parser = super::values::number, allow_negative_numbers = true, value_name = "SHARE")]
    pub maintenance_share: Option<f64>,

    /// Share of accelerators that fail each year, the card (price, not capex: the server
    /// around it stays) replaced at market value. Default 0.09 (Meta, Llama 3 training: GPU
    /// and HBM failures on 16,384 H100s).
    #[arg(long, value_parser = super::values::number, allow_negative_numbers = true, value_name = "SHARE")]
    pub failure_rate: Option<f64>,

    /// Networking and staff per accelerator per year, USD, replacing the cost by the kW unless
    /// that is also given. Default: none per accelerator.
    #[arg(long, value_parser = super::values::number, allow_negative_numbers = true, value_name = "USD")]
    pub network_staff_usd_per_year: Option<f64>,

    /// Networking and staff per kW of all-in power (TDP × server power factor) per year, USD.
    /// Default 784.93 ($1,000 a year for a 700 W accelerator at the default power factor 1.82).
    #[arg(long, value_parser = super::values::number, allow_negative_numbers = true, value_name = "USD")]
    pub network_staff_usd_per_kw_year: Option<f64>,
}
