use crate::cli::CompareArgs;
use crate::error::FlError;
use crate::report::compare::{self, text};
use crate::report::io;
use crate::units::parse_percent;

/// `flopledger compare A.json B.json … [--baseline FILE --max-regression 5%] [--json]`.
/// Exits 1 when a baseline is given and a case regressed significantly beyond the threshold.
pub fn run(args: &CompareArgs) -> anyhow::Result<i32> {
    let max_regression = parse_percent(&args.max_regression)?;
    // The same file twice compares a report with itself and always passes.
    let same = |a: &std::path::PathBuf, b: &std::path::PathBuf| {
        a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
    };
    // The baseline among the reports compared with it, beside others or alone (`--baseline A
    // A B` had been accepted, A's cases passing against themselves).
    if let Some(b) = args.baseline.as_ref() {
        if args.files.iter().any(|f| same(f, b)) {
            return Err(FlError::usage(format!(
                "{} is both the baseline and a report to compare with it; pass only the newer \
                 reports, e.g. `flopledger compare NEW.json --baseline {}`",
                b.display(),
                b.display()
            ))
            .into());
        }
    }
    let paths: Vec<std::path::PathBuf> = args.baseline.iter().chain(&args.files).cloned().collect();
    let twice = (0..paths.len()).find(|&i| paths[..i].iter().any(|q| same(&paths[i], q)));
    if let Some(twice) = twice.map(|i| &paths[i]) {
        return Err(FlError::usage(format!(
            "{} is given twice; a report compared with itself shows no change. Pass different \
             reports",
            twice.display()
        ))
        .into());
    }
    if paths.len() < 2 {
        return Err(FlError::usage(
            "compare needs at least two reports: `flopledger compare A.json B.json`, or \
             `flopledger compare NEW.json --baseline OLD.json`",
        )
        .into());
    }
    let mut reports = Vec::with_capacity(paths.len());
    for p in &paths {
        reports.push((p.display().to_string(), io::load(p)?));
    }
    // A copy of a report (the same bytes, or the same content written again) is the same run:
    // every case compares equal by construction, and a baseline gate passes. Said, not refused
    // (a pipeline may compare a run with its own baseline on purpose).
    for (i, (name, r)) in reports.iter().enumerate() {
        if let Some((first, _)) = reports[..i].iter().find(|(_, q)| q == r) {
            crate::term::warning(&format!(
                "{name} holds the same run as {first} (a copy: started {}, the same samples): \
                 every case compares equal by construction; pass reports of different runs to \
                 measure a change",
                r.started_at
            ));
        }
    }
    let comparison = compare::compare(&reports, args.baseline.is_some(), max_regression);
    if args.json {
        crate::outln!("{}", serde_json::to_string_pretty(&comparison)?);
    } else {
        crate::out!("{}", text::render(&comparison));
    }
    Ok(comparison.exit_code())
}
