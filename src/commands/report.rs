use crate::cli::ReportArgs;
use crate::report::{self, io};

/// `flopledger report FILE --format F [-o OUT]`: renders a report file; standard output by
/// default, OUT written atomically.
pub fn run(args: &ReportArgs) -> anyhow::Result<i32> {
    let loaded = io::load(&args.file)?;
    let text = report::render(&loaded, args.format)?;
    match &args.output {
        Some(out) => {
            io::write_atomic(out, text.as_bytes())?;
            eprintln!("wrote {}", out.display());
        }
        None => print!("{text}"),
    }
    Ok(0)
}
