use crate::cli::RunArgs;
use crate::config::{plan_from_args, Plan, PricingInputs};
use crate::pipeline;

/// `flopledger run`: measure, write the report, print the summary.
pub fn run(args: &RunArgs) -> anyhow::Result<i32> {
    let pricing = PricingInputs {
        chip: args.pricing.chip.clone(),
        price_file: args.pricing.price_file.clone(),
        price_usd: args.pricing.price_usd,
        cloud_usd_per_hour: args.pricing.cloud_usd_per_hour,
        usd_per_kwh: args.pricing.usd_per_kwh,
        pue: args.pricing.pue,
        utilization: args.pricing.utilization,
        life_years: args.pricing.life_years,
        discount_rate: args.pricing.discount_rate,
        overhead: args.pricing.overhead,
    };
    let plan = plan_from_args(args, Plan::default(), pricing)?;
    let outcome = pipeline::run(plan, std::env::args().collect())?;
    println!("{}", pipeline::summary::table(&outcome.report));
    println!("report: {}", outcome.json_path.display());
    Ok(outcome.exit_code)
}
