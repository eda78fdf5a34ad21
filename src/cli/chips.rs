use clap::Args;

/// `flopledger chips`.
#[derive(Debug, Args)]
pub struct ChipsArgs {
    /// Only chips of this vendor (case-insensitive).
    #[arg(long)]
    pub vendor: Option<String>,

    /// Precision for peaks and trend fits.
    #[arg(long, value_parser = ["fp32", "fp16", "bf16", "fp8", "int8"], default_value = "fp32")]
    pub precision: String,

    /// Output: table (default), csv (one row per chip, plain numbers in SI base units) or json.
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "json")]
    pub format: Option<super::OutputFormat>,
    /// Print JSON instead of tables (same as --format json).
    #[arg(long)]
    pub json: bool,
}
