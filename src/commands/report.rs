use crate::cli::ReportArgs;
use crate::config::Format;
use crate::error::FlError;
use crate::report::{self, io};

/// `flopledger report FILE --format F [-o OUT]`: renders a report file; standard output by
/// default, OUT written atomically. `--format json` gives the file's own text once it has
/// been checked to be a valid report (re-serialising could change the last digit of a float).
pub fn run(args: &ReportArgs) -> anyhow::Result<i32> {
    let name = args.file.display().to_string();
    let source = crate::files::read_input(&args.file, "a report written by `flopledger run`")?;
    let loaded = io::parse(&source, &name)?;
    let text = match args.format {
        Format::Json => source,
        format => report::render(&loaded, format)?,
    };
    match &args.output {
        Some(out) => {
            let target = std::fs::canonicalize(out).ok();
            if target.is_some() && target == std::fs::canonicalize(&args.file).ok() {
                let suggest = match args.format.extension() {
                    "json" => args.file.with_extension("copy.json"),
                    ext => args.file.with_extension(ext),
                };
                return Err(FlError::usage(format!(
                    "-o {} is the report being rendered: writing it would replace the report; \
                     pass another file, e.g. -o {}",
                    out.display(),
                    suggest.display()
                ))
                .into());
            }
            io::write_atomic(out, text.as_bytes())?;
            crate::errln!("wrote {}", out.display());
        }
        None => crate::out!("{text}"),
    }
    Ok(0)
}
