use crate::cli::RunArgs;
use crate::config::{plan_from_args, Format, Plan};
use crate::economics::pricing::inputs_from_args;
use crate::pipeline;
use crate::report::{compare, io, write_formats};

/// `flopledger run`: measure, write the report (JSON plus the other formats asked for), print
/// the summary; with `--from`, re-run that report's plan here and compare with it.
pub fn run(args: &RunArgs) -> anyhow::Result<i32> {
    // Prices, flags and the --from report are all validated before anything is measured.
    let pricing = inputs_from_args(&args.pricing)?;
    let earlier = match &args.from {
        Some(path) => Some((path.display().to_string(), io::load(path)?)),
        None => None,
    };
    let base = match &earlier {
        Some((_, r)) => {
            let mut plan = r.plan.clone();
            // Run on this machine: the earlier adapter choice, output directory and prices are
            // the earlier machine's; flags given now still override.
            plan.adapter = None;
            plan.backend = None;
            plan.out_dir = Plan::default().out_dir;
            plan
        }
        None => Plan::default(),
    };
    let plan = plan_from_args(args, base, pricing)?;
    if args.list || args.dry_run {
        let infos: Vec<_> = crate::gpu::enumerate()
            .into_iter()
            .map(|f| f.info)
            .collect();
        let idx = crate::gpu::choose(&infos, plan.adapter.as_deref(), plan.backend.as_deref())?;
        return if args.list {
            super::run_plan::list(&plan, &infos[idx], args.suite.is_some())
        } else {
            super::run_plan::dry_run(&plan, &infos[idx])
        };
    }
    let outcome = pipeline::run(plan, std::env::args().collect())?;
    let report = &outcome.report;

    let dir = outcome
        .json_path
        .parent()
        .unwrap_or_else(|| std::path::Path::new("."));
    let stem = outcome
        .json_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let others: Vec<Format> = report
        .plan
        .formats
        .iter()
        .copied()
        .filter(|f| *f != Format::Json)
        .collect();
    let mut written = vec![outcome.json_path.clone()];
    written.extend(write_formats(report, dir, &stem, &others)?);
    println!("{}\n", pipeline::summary::table(report));

    let mut code = outcome.exit_code;
    if let Some((name, earlier)) = earlier {
        let pair = vec![
            (name, earlier),
            (outcome.json_path.display().to_string(), report.clone()),
        ];
        let cmp = compare::compare(&pair, false, 0.05);
        println!("\n{}", compare::text::render(&cmp));
        code = code.max(cmp.exit_code());
    }
    print!("{}", pipeline::headline::headline(report, &written));
    Ok(code)
}
