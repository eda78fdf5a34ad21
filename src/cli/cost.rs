use super::{OutputFormat, PricingArgs};
use clap::Args;

/// `flopledger cost`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  flopledger cost --chips \"H100 SXM,B200,MI300X\"
  flopledger cost --chips A100,H100 --utilization 0.5 --format csv > cost.csv")]
pub struct CostArgs {
    /// Catalog chips, comma-separated (names as `flopledger chips` lists them, or a part).
    #[arg(
        long = "chips",
        value_delimiter = ',',
        value_name = "NAME,...",
        required = true
    )]
    pub chips: Vec<String>,
    /// Precision of the spec peak (default per chip: bf16, else fp16, else fp32).
    #[arg(long, value_parser = ["fp32", "fp16", "bf16", "fp8", "int8"], value_name = "P")]
    pub precision: Option<String>,
    /// Output: table (default), csv or json.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<OutputFormat>,
    /// Purchase price, electricity, PUE, utilization, life, discount rate and overhead; a
    /// price file's entries may name a chip. (--chip is not used here: pass --chips.)
    #[command(flatten)]
    pub pricing: PricingArgs,
}
