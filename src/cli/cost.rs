use super::{OutputFormat, PricingArgs};
use clap::Args;

/// `flopledger cost`.
#[derive(Debug, Args)]
// `--chip` (from the shared pricing flags) names the one chip of a run; cost names its chips with
// --chips, so the flag is hidden here and refused with that fix if given.
#[command(mut_arg("chip", |a| a.hide(true)))]
#[command(after_help = "Examples:
  flopledger cost --chips \"H100 SXM,B200,MI300X\"
  flopledger cost --chips A100,H100 --utilization 0.5 --format csv > cost.csv")]
pub struct CostArgs {
    /// Catalog chips, comma-separated (names as `flopledger chips` lists them, or a part); a
    /// name several variants match (A100) stands for all of them.
    #[arg(
        long = "chips",
        value_delimiter = ',',
        value_name = "NAME,...",
        required = true
    )]
    pub chips: Vec<String>,
    /// Precision of the spec peak (default per chip: its AI peak, the one precision rule of
    /// `flopledger chips`: the dense 16-bit tensor rate with FP32 accumulation, never below the
    /// FP32 rate).
    #[arg(long, value_parser = ["fp32", "fp16", "bf16", "fp8", "int8"], value_name = "P")]
    pub precision: Option<String>,
    /// Output: table (default), csv or json.
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "json")]
    pub format: Option<OutputFormat>,
    /// Print JSON instead of tables (same as --format json).
    #[arg(long)]
    pub json: bool,
    /// Purchase price, electricity, PUE, utilization, life, discount rate and overhead; a
    /// price file's entries may name a chip.
    #[command(flatten)]
    pub pricing: PricingArgs,
}

impl CostArgs {
    /// `--format`, with `--json` as its short spelling.
    pub fn output(&self) -> OutputFormat {
        OutputFormat::resolve(self.format, self.json)
    }
}
