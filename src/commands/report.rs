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
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(named_format))
        .unwrap_or(Format::Md);
    let text = match format {
        Format::Json => source,
        format => report::render(&loaded, format)?,
    };
    match &args.output {
        Some(out) => {
            let target = std::fs::canonicalize(out).ok();
            if target.is_some() && target == std::fs::canonicalize(&args.file).ok() {
                let suggest = match format.extension() {
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
            refuse_replacing_another_run(out, &loaded, format)?;
            let replaced = replaced_file(out, format)?;
            io::write_atomic(out, text.as_bytes())?;
            crate::errln!("wrote {}", crate::term::visible(&out.display().to_string()));
            if let Some(note) = extension_mismatch(out, format).or(replaced) {
                crate::term::note(&note);
            }
        }
        None => crate::out!("{text}"),
    }
    Ok(0)
}

/// Extensions a rendered report is written under (`-o`), lower-case.
const REPORT_EXTENSIONS: [&str; 7] = ["json", "md", "markdown", "html", "htm", "csv", "txt"];

/// Refuses `-o OUT` where OUT holds the report of another run than the one rendered: its raw
/// samples exist nowhere else (a helper's sweep: `report a.json -o b.json` replaced run b with
/// exit 0, and not a word with `--format json`). A copy of the same run may be replaced, so a
/// rendering can be run again.
fn refuse_replacing_another_run(
    out: &std::path::Path,
    rendered: &report::Report,
    format: Format,
) -> Result<(), FlError> {
    if crate::files::holds(out) != Some(crate::files::Held::Report) {
        return Ok(());
    }
    let held = io::load(out).ok();
    if held.as_ref() == Some(rendered) {
        return Ok(());
    }
    let started = held
        .map(|r| format!(", started {}", r.started_at))
        .unwrap_or_default();
    let stem = out.file_stem().and_then(|s| s.to_str()).unwrap_or("report");
    let suggest = out.with_file_name(format!("{stem}-rendered.{}", format.extension()));
    Err(FlError::usage(format!(
        "-o {} holds the report of another run{started}: writing would replace its raw samples, \
         which no other file has; pass another file, e.g. -o {}",
        crate::term::visible(&out.display().to_string()),
        crate::term::visible(&suggest.display().to_string())
    )))
}

/// What `-o OUT` would replace when OUT is a file already there that no report format names:
/// a SQLite database (a ledger) is refused, exit 2, as `-o` over the report being rendered is;
/// another such file (`notes.db`, `run.log`) is replaced with a note saying so, as a `.json`
/// name holding Markdown is noted. Files with a report's extension are replaced quietly (a
/// report of another run is refused before: [`refuse_replacing_another_run`]).
fn replaced_file(out: &std::path::Path, format: Format) -> Result<Option<String>, FlError> {
    let Ok(meta) = std::fs::metadata(out) else {
        return Ok(None);
    };
    if !meta.is_file() {
        return Ok(None);
    }
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let shown = crate::term::visible(&out.display().to_string()).into_owned();
    let suggest =
        crate::term::visible(&out.with_extension(format.extension()).display().to_string())
            .into_owned();
    let mut head = [0u8; 16];
    let is_sqlite = std::fs::File::open(out)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok()
        && head == *b"SQLite format 3\0";
    if is_sqlite {
        return Err(FlError::usage(format!(
            "-o {shown} is a SQLite database (a flopledger ledger?): writing the report would \
             replace it; pass another file, e.g. -o {suggest}"
        )));
    }
    match ext {
        Some(e) if REPORT_EXTENSIONS.contains(&e.as_str()) => Ok(None),
        _ => Ok(Some(format!(
            "{shown} was there and is replaced by the {} report, though its name is not a \
             report's (.md, .html, .csv, .json); if it held something else, it is gone: name \
             the report {suggest} next time",
            format.extension()
        ))),
    }
}

/// The format `out`'s extension names, in any case (`.markdown` and `.htm` too): the format
/// written without `--format` (`-o out.html` had written Markdown into it, with a note, exit 0:
/// a helper's sweep).
fn named_format(out: &std::path::Path) -> Option<Format> {
    let ext = out.extension()?.to_str()?.to_ascii_lowercase();
    [Format::Json, Format::Md, Format::Html, Format::Csv]
        .into_iter()
        .find(|f| {
            f.extension() == ext
                || (ext == "markdown" && *f == Format::Md)
                || (ext == "htm" && *f == Format::Html)
        })
}

/// A note when `out` ends in another format's extension than the one written (`--format md
/// -o x.html`): Markdown that a browser shows as text, and the name says otherwise.
fn extension_mismatch(out: &std::path::Path, format: Format) -> Option<String> {
    let ext = out.extension()?.to_str()?.to_ascii_lowercase();
    let named = named_format(out)?;
    (named != format).then(|| {
        format!(
            "{} ends in .{ext} but holds {}; pass --format {} to write that, or name the file \
             {}",
            out.display(),
            format.extension(),
            named.extension(),
            out.with_extension(format.extension()).display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn a_name_of_another_format_is_noted() {
        let n = extension_mismatch(Path::new("x.html"), Format::Md).unwrap();
        assert!(
            n.contains("x.html ends in .html but holds md")
                && n.contains("--format html")
                && n.contains("x.md"),
            "{n}"
        );
        assert!(extension_mismatch(Path::new("x.md"), Format::Md).is_none());
        assert!(extension_mismatch(Path::new("x.MD"), Format::Md).is_none());
        assert!(extension_mismatch(Path::new("x.txt"), Format::Csv).is_none());
        assert!(extension_mismatch(Path::new("x"), Format::Html).is_none());
        assert!(extension_mismatch(Path::new("x.csv"), Format::Json).is_some());
    }

    #[test]
    fn an_extension_names_the_format() {
        for (name, format) in [
            ("x.html", Some(Format::Html)),
            ("x.HTM", Some(Format::Html)),
            ("x.Markdown", Some(Format::Md)),
            ("x.csv", Some(Format::Csv)),
            ("x.json", Some(Format::Json)),
            ("x.txt", None),
            ("x", None),
        ] {
            assert_eq!(named_format(Path::new(name)), format, "{name}");
        }
    }
}
