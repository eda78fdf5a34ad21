use crate::config::Format;
use clap::Args;
use std::path::PathBuf;

/// `flopledger report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Report file written by `flopledger run`.
    pub file: PathBuf,

    /// Output format [default: the one `-o`'s extension names (.md, .html, .csv, .json), else
    /// md].
    #[arg(long)]
    pub format: Option<Format>,

    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

/// `flopledger compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Report files to put side by side.
    pub files: Vec<PathBuf>,

    /// Baseline report: exit 1 when a case regresses significantly beyond --max-regression.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Largest tolerated slowdown of a case's median against the baseline (e.g. 5%); with
    /// --baseline (without one, nothing is gated).
    #[arg(
        allow_hyphen_values = true,
        long,
        default_value = "5%",
        value_name = "PERCENT",
        requires = "baseline"
    )]
    pub max_regression: String,

    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}
