use clap::Args;

/// `flopledger power`.
#[derive(Debug, Args)]
pub struct PowerArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,

    /// Skip probing update period and resolution (faster).
    #[arg(long)]
    pub no_probe: bool,
}
