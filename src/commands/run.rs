use crate::cli::RunArgs;
use crate::config::{plan_from_args, Plan};
use crate::economics::pricing::inputs_from_args;
use crate::pipeline;

/// `flopledger run`: measure, write the report, print the summary.
pub fn run(args: &RunArgs) -> anyhow::Result<i32> {
    // Prices and flags are validated before anything is measured.
    let pricing = inputs_from_args(&args.pricing)?;
    let plan = plan_from_args(args, Plan::default(), pricing)?;
    let outcome = pipeline::run(plan, std::env::args().collect())?;
    println!("{}", pipeline::summary::table(&outcome.report));
    println!("report: {}", outcome.json_path.display());
    Ok(outcome.exit_code)
}
