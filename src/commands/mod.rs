//! One module per subcommand: each turns parsed arguments into work and an exit status.

mod chips;
mod compare;
mod completions;
mod convert;
mod cost;
mod depreciate;
mod devices;
mod fleet;
mod fleet_args;
mod fleet_k8s;
mod fleet_value;
mod ledger;
mod power;
mod report;
mod run;
mod run_list;
mod run_plan;
mod scenario;
mod tabular;

use crate::cli::{Cli, Command};

/// Runs the parsed command; returns the process exit status.
pub fn dispatch(cli: Cli) -> anyhow::Result<i32> {
    crate::term::init_color(cli.color);
    match cli.command {
        Command::Devices(args) => devices::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Power(args) => power::run(&args),
        Command::Chips(args) => chips::run(&args),
        Command::Cost(args) => cost::run(&args),
        Command::Depreciate(args) => depreciate::run(&args),
        Command::Scenario(args) => scenario::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Ledger(args) => ledger::run(&args),
        Command::Fleet(args) => fleet::run(&args),
        Command::Completions(args) => completions::completions(args.shell),
        Command::Man(args) => completions::man(args.dir.as_deref()),
    }
}

/// Keeps the first of each equal item, in order: a value a list flag names twice
/// (`--format md,md`) is one file, listed and recorded once.
fn keep_first_of_each<T: PartialEq>(items: &mut Vec<T>) {
    let mut i = 0;
    while i < items.len() {
        if items[..i].contains(&items[i]) {
            items.remove(i);
        } else {
            i += 1;
        }
    }
}
