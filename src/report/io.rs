//! Reading and writing report files. Writes are atomic (temporary file in the same directory,
//! then rename), so an interrupted or failing run never leaves a truncated report and never
//! overwrites an earlier one with a partial file.

use super::model::{Report, OLDEST_READABLE_SCHEMA_VERSION, SCHEMA_VERSION};
use crate::error::{FlError, IoAction};
use anyhow::{Context, Result};
use std::io::Write;

use crate::files::tmp_name;
pub use crate::files::{write_atomic, write_atomic_with};
use std::path::{Path, PathBuf};

/// How many numbered alternatives (`stem-2.json`, …) [`create_new_json`] tries.
const MAX_NAME_ATTEMPTS: u32 = 10_000;

/// Writes `report` as `dir/stem.json`, or `dir/stem-N.json` when that name is taken, and
/// returns the path. The name is claimed exclusively: the complete file is written under a
/// temporary name and hard-linked to the final name, which fails if the name exists, so two
/// runs starting in the same second in one folder (or on two hosts sharing it) never write to
/// one file, and no reader ever sees a partial report. Where the file system has no hard links
/// the name is claimed with `create_new` and the content renamed over it.
pub fn create_new_json(report: &Report, dir: &Path, stem: &str) -> Result<PathBuf> {
    let json = serde_json::to_vec_pretty(report).context("serialising the report")?;
    let unwritable = |e: std::io::Error| -> anyhow::Error {
        FlError::io(
            IoAction::Write,
            dir,
            e,
            "pass a writable directory with --out",
        )
        .into()
    };
    crate::files::create_folder(dir, "pass a writable directory with --out")?;
    let tmp = dir.join(tmp_name(&format!("{stem}.json")));
    let write_tmp = || -> std::io::Result<()> {
        let mut f = std::fs::File::create_new(&tmp)?;
        f.write_all(&json)?;
        f.sync_all()
    };
    if let Err(e) = write_tmp() {
        let _ = std::fs::remove_file(&tmp);
        return Err(unwritable(e));
    }
    let mut outcome = Err(std::io::Error::other("no name tried"));
    for n in 1..=MAX_NAME_ATTEMPTS {
        let path = match n {
            1 => dir.join(format!("{stem}.json")),
            _ => dir.join(format!("{stem}-{n}.json")),
        };
        match claim(&tmp, &path) {
            Ok(()) => {
                outcome = Ok(path);
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                outcome = Err(e);
                break;
            }
        }
    }
    let _ = std::fs::remove_file(&tmp);
    outcome.map_err(unwritable)
}

/// Gives the finished temporary file `tmp` the name `path` if nobody holds it.
fn claim(tmp: &Path, path: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(tmp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
        Err(_) => {
            // No hard links here: reserve the name, then move the content onto it.
            std::fs::File::create_new(path)?;
            let copy = path.with_extension("json.claim");
            std::fs::copy(tmp, &copy)?;
            std::fs::rename(&copy, path)
        }
    }
}

/// Serialises `report` as pretty JSON and writes it atomically.
pub fn save_json(report: &Report, path: &Path) -> Result<()> {
    let json = serde_json::to_vec_pretty(report).context("serialising the report")?;
    write_atomic(path, &json)
}

/// Reads a report, with a message that names the problem for files that are not reports,
/// are malformed, or come from another schema version.
pub fn load(path: &Path) -> Result<Report> {
    let text = crate::files::read_input(path, "a report written by `flopledger run`")?;
    parse(&text, &path.display().to_string())
}

/// The fields that say whose report a JSON document is and which schema it has; the rest of the
/// document is skipped without being built.
#[derive(serde::Deserialize)]
struct Probe {
    #[serde(default)]
    schema_version: Option<serde_json::Value>,
    #[serde(default)]
    tool: Option<serde_json::Value>,
}

/// What stands where JSON parsing failed, when it is a number JSON lacks (`NaN`, `Infinity`,
/// which other tools write): said, since "expected value" alone does not name it.
fn non_json_number(text: &str, e: &serde_json::Error) -> &'static str {
    let at = text
        .lines()
        .nth(e.line().saturating_sub(1))
        .and_then(|l| l.get(e.column().saturating_sub(1)..))
        .unwrap_or("");
    let at = at.trim_start_matches('-');
    if at.starts_with("NaN") || at.starts_with("Infinity") {
        ": NaN and Infinity are not JSON numbers"
    } else {
        ""
    }
}

/// Parses report JSON; `name` is used in error messages. The text is read twice (a probe of
/// its schema version, then the report itself straight into its types): cheaper than building
/// a `serde_json::Value` of the whole report first, which for reports with raw samples was most
/// of the time `ledger add` spent.
pub fn parse(text: &str, name: &str) -> Result<Report> {
    let foreign = || {
        FlError::input(
            name,
            "not a flopledger report (no schema_version or tool.name); pass a report written by `flopledger run`",
        )
    };
    let probe: Probe = match serde_json::from_str(text) {
        Ok(p) => p,
        // A key twice (a hand edit): said, not taken for someone else's file (a helper's sweep
        // read "no schema_version" for a doubled `schema_version`).
        Err(e) if e.is_data() && e.to_string().starts_with("duplicate field") => {
            return Err(FlError::input(
                name,
                format!(
                    "malformed flopledger report ({e}): a key appears twice, which flopledger \
                     never writes; was it edited by hand? re-run `flopledger run` to get a fresh one"
                ),
            )
            .into())
        }
        // Valid JSON of another shape (an array, a number): someone else's file.
        Err(e) if e.is_data() => return Err(foreign().into()),
        Err(e) => {
            // A rendering of a report (`report run.md`): the JSON beside it is the report.
            let rendering = Path::new(name)
                .extension()
                .and_then(|x| x.to_str())
                .map(str::to_ascii_lowercase)
                .filter(|x| ["md", "html", "htm", "csv"].contains(&x.as_str()));
            let fix = match rendering {
                Some(x) => format!(
                    "this looks like a .{x} rendering of a report; pass the report itself, the \
                     .json beside it ({})",
                    Path::new(name).with_extension("json").display()
                ),
                None => "pass a report written by `flopledger run`".to_string(),
            };
            return Err(FlError::input(
                name,
                format!("not valid JSON ({e}{}); {fix}", non_json_number(text, &e)),
            )
            .into());
        }
    };
    // serde also reads a struct from an array: only an object can be a report.
    if !text.trim_start().starts_with('{') {
        return Err(foreign().into());
    }
    let version = probe.schema_version.as_ref().and_then(|v| v.as_u64());
    let is_ours = probe
        .tool
        .as_ref()
        .and_then(|t| t.get("name"))
        .and_then(|n| n.as_str())
        == Some("flopledger");
    match version {
        None if !is_ours => return Err(foreign().into()),
        Some(v)
            if !(u64::from(OLDEST_READABLE_SCHEMA_VERSION)..=u64::from(SCHEMA_VERSION))
                .contains(&v) =>
        {
            return Err(FlError::input(
                name,
                format!(
                    "report schema version {v}, but this flopledger reads versions \
                     {OLDEST_READABLE_SCHEMA_VERSION} to {SCHEMA_VERSION}; \
                     re-run `flopledger run` with this version, or use the flopledger release that wrote it"
                ),
            )
            .into())
        }
        _ => {}
    }
    if let Some(what) = control_character(text) {
        return Err(FlError::input(
            name,
            format!(
                "the report's text holds {what}, which flopledger never writes (names and ids \
                 are plain text, and these would reach a terminal or break a table); was it \
                 edited by hand? re-run `flopledger run` to get a fresh one"
            ),
        )
        .into());
    }
    let report: Report = serde_json::from_str(text).map_err(|e| {
        FlError::input(
            name,
            format!("malformed flopledger report ({e}); was it edited by hand or truncated? re-run `flopledger run` to get a fresh one"),
        )
    })?;
    if let Some(p) = super::integrity::problem(&report) {
        return Err(FlError::input(
            name,
            format!(
                "the report disagrees with itself: {p}; was it edited by hand? re-run \
                 `flopledger run` to get a fresh one"
            ),
        )
        .into());
    }
    Ok(report)
}

/// What kind of control character a report's JSON text holds in its strings, if any: a line
/// break, tab or other C0 control (JSON escapes them, `\n`, `\u001b`), DEL, or a Unicode
/// direction override (raw or escaped), which turns the text after it around on a terminal.
fn control_character(text: &str) -> Option<&'static str> {
    const LINE: &str = "a line break or tab";
    const ESCAPE: &str = "a control character (an escape sequence or bell)";
    const BIDI: &str = "a direction override";
    let bidi = |c: u32| (0x202a..=0x202e).contains(&c) || (0x2066..=0x2069).contains(&c);
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n' | 'r' | 't') => return Some(LINE),
                Some('b' | 'f') => return Some(ESCAPE),
                Some('u') => {
                    let hex: String = chars.by_ref().take(4).collect();
                    let code = u32::from_str_radix(&hex, 16).ok()?;
                    if code < 0x20 || code == 0x7f {
                        return Some(ESCAPE);
                    }
                    if bidi(code) {
                        return Some(BIDI);
                    }
                }
                _ => {}
            },
            '\u{7f}' => return Some(ESCAPE),
            c if bidi(u32::from(c)) => return Some(BIDI),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Control characters in a report's strings are refused (a helper's sweep sent ESC and BEL
    /// from a hand-edited adapter name to the terminal, and a newline split the fleet tables);
    /// an escaped backslash before an `n` is text, not a line break.
    #[test]
    fn control_characters_in_a_report_are_refused() {
        let good = serde_json::to_string(&crate::report::fixture::sample_report()).unwrap();
        assert!(parse(&good, "r.json").is_ok());
        let name = crate::report::fixture::sample_report().adapter.name;
        for (edit, says) in [
            ("x\\u001b[31m", "a control character"),
            ("x\\u0007", "a control character"),
            ("x\\ny", "a line break"),
            ("x\u{202e}y", "a direction override"),
            ("x\\u202Ey", "a direction override"),
        ] {
            let text = good.replacen(&name, edit, 1);
            let e = parse(&text, "r.json").unwrap_err().to_string();
            assert!(
                e.contains(says) && e.contains("edited by hand"),
                "{edit}: {e}"
            );
        }
        assert_eq!(control_character(r#"{"a": "C:\\new"}"#), None);
    }

    /// A doubled key and a NaN are named for what they are (a helper's sweep read "no
    /// schema_version" and a bare "expected value").
    #[test]
    fn a_doubled_key_and_a_nan_are_named() {
        let good = serde_json::to_string_pretty(&sample_report()).unwrap();
        let doubled = good.replacen("{", "{\n  \"schema_version\": 1,", 1);
        let e = parse(&doubled, "r.json").unwrap_err().to_string();
        assert!(
            e.contains("duplicate field") && e.contains("appears twice"),
            "{e}"
        );
        let median = format!(
            "\"median_ns\": {}",
            sample_report().cases[0].stats.median_ns
        );
        assert!(
            good.contains(&median),
            "the fixture's median is printed as written"
        );
        for bad in ["NaN", "-Infinity"] {
            let text = good.replacen(&median, &format!("\"median_ns\": {bad}"), 1);
            let e = parse(&text, "r.json").unwrap_err().to_string();
            assert!(
                e.contains("NaN and Infinity are not JSON numbers"),
                "{bad}: {e}"
            );
        }
        let e = parse("{\"a\": }", "r.json").unwrap_err().to_string();
        assert!(e.contains("not valid JSON") && !e.contains("NaN"), "{e}");
        // A rendering is pointed to the JSON beside it.
        let e = parse("# flopledger report", "runs/r.md")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("a .md rendering of a report; pass the report itself, the .json beside it (runs/r.json)"),
            "{e}"
        );
    }
    use crate::report::fixture::sample_report;

    #[test]
    fn concurrent_runs_with_one_stem_get_one_file_each() {
        let dir = tempfile::tempdir().unwrap();
        let runs = 8;
        let paths: Vec<PathBuf> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..runs)
                .map(|i| {
                    let dir = dir.path();
                    s.spawn(move || {
                        let mut r = sample_report();
                        r.command_line = vec![format!("run-{i}")];
                        create_new_json(&r, dir, "flopledger-gpu-20261201-010203").unwrap()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut distinct = paths.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), runs, "two runs got one file: {paths:?}");
        // Every file holds the report of the run that claimed it; no temporary files remain.
        for (i, p) in paths.iter().enumerate() {
            assert_eq!(load(p).unwrap().command_line, vec![format!("run-{i}")]);
        }
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), runs, "leftover files: {names:?}");
        assert!(names
            .iter()
            .any(|n| n == "flopledger-gpu-20261201-010203.json"));
    }

    #[test]
    fn an_existing_report_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("run.json");
        std::fs::write(&first, "earlier").unwrap();
        let p = create_new_json(&sample_report(), dir.path(), "run").unwrap();
        assert_eq!(p, dir.path().join("run-2.json"));
        assert_eq!(std::fs::read_to_string(&first).unwrap(), "earlier");
    }

    #[test]
    fn schema_version_1_reports_read_with_empty_identity() {
        let mut v = serde_json::to_value(sample_report()).unwrap();
        v["schema_version"] = 1.into();
        v.as_object_mut().unwrap().remove("identity");
        let r = parse(&v.to_string(), "v1").unwrap();
        assert_eq!(r.identity, crate::report::RunIdentity::default());
    }
}
