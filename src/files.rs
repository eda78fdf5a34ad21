//! Atomic file writes shared by every writer (reports, the tuning cache, fleet outputs): the
//! content goes to a temporary file beside the target, is synced, then renamed over it, so an
//! interrupted or failing write never leaves a truncated file.

use crate::error::{FlError, IoAction};
use anyhow::Result;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// The largest input file read: four times a report of 64 cases at the sampler's 100 000
/// samples each. A device that never ends (`/dev/zero`) is refused at this size instead of
/// filling the memory.
pub const MAX_INPUT_BYTES: u64 = 512 << 20;

/// Reads a user's input file whole (at most [`MAX_INPUT_BYTES`]; a pipe such as `<(cmd)` is
/// read as it comes); the error names the file, the reason and `what` to pass instead (e.g. "a
/// capex TOML file"). A leading UTF-8 byte-order mark, which Windows editors write, is dropped:
/// JSON and TOML parsers refuse it and it would glue itself to a CSV file's first column name.
pub fn read_input(path: &Path, what: &str) -> Result<String, FlError> {
    use std::io::Read;
    let fail = |why: String| {
        FlError::input(
            path.display().to_string(),
            format!("cannot read it ({why}); pass {what}"),
        )
    };
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(fail(format!(
            "it holds more than {} MiB, more than any input of flopledger",
            MAX_INPUT_BYTES >> 20
        )));
    }
    // A SQLite file (a ledger) is no text to re-save: said so (a helper's sweep: `ledger add
    // x.db` said to save the ledger as UTF-8).
    if bytes.starts_with(b"SQLite format 3\0") {
        return Err(FlError::input(
            path.display().to_string(),
            format!("it is a SQLite database (a flopledger ledger?), not text; pass {what}"),
        ));
    }
    // UTF-16 (a spreadsheet's "Unicode text") starts with its byte-order mark.
    let utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
    let text = String::from_utf8(bytes).map_err(|_| {
        FlError::input(
            path.display().to_string(),
            format!(
                "it is not UTF-8 text{}: save it as UTF-8 (in a spreadsheet: CSV UTF-8), then \
                 pass {what}",
                if utf16 { " (it is UTF-16)" } else { "" }
            ),
        )
    })?;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    // Lines that end in CR alone (classic Mac OS, some spreadsheets' export): CSV readers skip a
    // `#` comment to the next LF, so a file that opened with one was read as one comment, "it
    // is empty" (a helper's sweep). JSON and TOML have no bare CR but between lines either.
    Ok(if text.contains('\r') && !text.contains('\n') {
        text.replace('\r', "\n")
    } else {
        text
    })
}

/// Counter that makes temporary names unique between threads of one process.
static TMP_SEQ: AtomicU64 = AtomicU64::new(0);

/// Longest line of an input file's error text that is shown whole.
const MAX_ERROR_LINE_CHARS: usize = 160;

/// Longest line of a TOML parser's own message shown whole (a list of the values a field takes).
const MAX_ERROR_MESSAGE_CHARS: usize = 1_000;

/// A TOML error as text, each line cut to [`MAX_ERROR_LINE_CHARS`]: the parser quotes the line
/// it failed on, and a one-line file of 50 MB had put 100 MB on stderr (a helper's sweep). A
/// control character on the quoted line is shown, not sent ([`crate::term::visible_lines`]): a
/// comment holding an escape sequence had cleared the terminal (a helper's sweep).
///
/// The parser's own message lines (`unknown variant …, expected one of …`) are cut only at
/// [`MAX_ERROR_MESSAGE_CHARS`]: cut at the quoted line's length, the list of a suite file's
/// kinds had lost its last ones (`gemm-coop`; a helper's sweep).
pub fn toml_error(e: &toml::de::Error) -> String {
    // `2 | kind = "x"` and the caret line under it quote the file; the rest is the parser's.
    let quotes_the_file = |line: &str| {
        line.trim_start()
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_start()
            .starts_with('|')
    };
    e.to_string()
        .trim_end()
        .lines()
        .map(|line| {
            let cap = if quotes_the_file(line) {
                MAX_ERROR_LINE_CHARS
            } else {
                MAX_ERROR_MESSAGE_CHARS
            };
            match line.char_indices().nth(cap) {
                Some((cut, _)) => format!("{} …", &line[..cut]),
                None => line.to_string(),
            }
        })
        .map(|line| crate::term::visible_lines(&line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A temporary file name beside `name` that no other writer can pick: runs on different hosts
/// of a shared file system can have the same pid, so the host name and a per-process counter
/// go into it too.
pub fn tmp_name(name: &str) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default();
    let seq = TMP_SEQ.fetch_add(1, Ordering::Relaxed);
    format!(".{name}.{host}.{}.{seq}.tmp", std::process::id())
}

/// Where a write to `path` goes: `path` itself when it is a regular file or absent, the file a
/// symbolic link points to (the link stays a link), and an error that names the fix for
/// anything else (a directory, a device such as /dev/null, a pipe), which the rename of an
/// atomic write would otherwise replace.
fn writable_target(path: &Path) -> Result<std::path::PathBuf> {
    let not_a_file = |what: &str| -> anyhow::Error {
        FlError::usage(format!(
            "{} is {what}, not a file: pass the path of a file to write (it is replaced whole, \
             never written into)",
            path.display()
        ))
        .into()
    };
    if path
        .as_os_str()
        .to_string_lossy()
        .ends_with(std::path::MAIN_SEPARATOR)
    {
        return Err(not_a_file("a folder's path (it ends with a separator)"));
    }
    no_detour(path)?;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        // Absent, or a dangling link whose target is then written as a new file.
        Err(_) => {
            return Ok(match std::fs::read_link(path) {
                Ok(target) => path.parent().unwrap_or(Path::new(".")).join(target),
                Err(_) => path.to_path_buf(),
            })
        }
    };
    if meta.is_dir() {
        return Err(not_a_file("a directory"));
    }
    if !meta.is_file() {
        return Err(FlError::usage(format!(
            "{} is a device, pipe or socket, not a file: pass the path of a file to write, or \
             leave the output flag out to print to standard output",
            path.display()
        ))
        .into());
    }
    // No output of this tool is a database, and the ledger is written by SQLite alone: a
    // path that holds one was given by mistake (a helper's sweep: `fleet prometheus --db L
    // --out L` replaced the ledger with metrics text and exited 0).
    if holds(path) == Some(Held::Ledger) {
        return Err(FlError::usage(format!(
            "{} is a SQLite database (a flopledger ledger?): writing there would replace it \
             with text; pass another file",
            path.display()
        ))
        .into());
    }
    Ok(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// Refuses a path that goes into a folder that does not exist and back out of it with `..`
/// (`x/../a.json`): every check of what the path holds reads it as missing, and once the write
/// has made the folder it names an existing file (a helper's sweep: `report A.json -o
/// nosuch/../A.json` replaced the report being rendered, `fleet prometheus --out x/../L.sqlite`
/// the ledger, both with exit 0). The message gives the path without the detour.
fn no_detour(path: &Path) -> Result<(), FlError> {
    use std::path::Component;
    let mut seen = std::path::PathBuf::new();
    let mut missing: Option<std::path::PathBuf> = None;
    for c in path.components() {
        if c == Component::ParentDir {
            if let Some(m) = &missing {
                let mut plain = std::path::PathBuf::new();
                for c in path.components() {
                    match c {
                        Component::ParentDir if plain.file_name().is_some() => {
                            plain.pop();
                        }
                        c => plain.push(c),
                    }
                }
                return Err(FlError::usage(format!(
                    "{} goes through {}, which does not exist, and back out with `..`: pass \
                     the path without the detour ({})",
                    path.display(),
                    m.display(),
                    plain.display()
                )));
            }
        }
        seen.push(c);
        if missing.is_none() && std::fs::symlink_metadata(&seen).is_err() {
            missing = Some(seen.clone());
        }
    }
    Ok(())
}

/// Checks that an atomic write to `path` could replace it (what [`write_atomic_with`] checks
/// first: no folder, device, ledger or detour), so that a command writing several files refuses
/// before the first is written (a helper's sweep: `fleet report --format md,json` wrote the
/// Markdown, then refused a JSON path that was a link to the ledger, exit 2).
pub fn check_target(path: &Path) -> Result<()> {
    writable_target(path).map(|_| ())
}

/// What an existing file holds that an output must not silently replace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    /// A SQLite database: a ledger.
    Ledger,
    /// A report written by `flopledger run` (JSON with its `schema_version` and tool name).
    Report,
}

/// What the file at `path` holds, read from its first 4 KiB; `None` for anything else, or no
/// readable regular file. Only a regular file is opened: reading a pipe, a FIFO or a terminal
/// (`-o /dev/stdout` under `| head`) waited for ever (a helper's sweep, 7 December 2026).
pub fn holds(path: &Path) -> Option<Held> {
    let head = head_of(path)?;
    if head.starts_with(b"SQLite format 3\0") {
        return Some(Held::Ledger);
    }
    let text = String::from_utf8_lossy(&head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    (text.starts_with('{')
        && text.contains("\"schema_version\"")
        && text.contains("\"flopledger\""))
    .then_some(Held::Report)
}

/// The first 4 KiB of the regular file at `path`; `None` where there is none or it cannot be
/// read.
fn head_of(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    if !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path)
        .ok()?
        .take(4096)
        .read_to_end(&mut head)
        .ok()?;
    Some(head)
}

/// Refuses `out` where it is a file that flopledger did not write: a
/// generated job script, manifest or Dockerfile says "written by" flopledger in its first
/// lines, and one of those is replaced, but a user's own `Dockerfile` or batch script is not
/// (`fleet k8s --out .` in a project's root had replaced its Dockerfile, and `fleet slurm
/// --out train.sbatch` a training script, both with exit 0: a helper's sweep). An empty file
/// is replaced. `fix` says what to pass instead.
pub fn refuse_replacing_foreign(out: &Path, fix: &str) -> Result<(), FlError> {
    let Some(head) = head_of(out) else {
        return Ok(());
    };
    let text = String::from_utf8_lossy(&head[..head.len().min(512)]).to_lowercase();
    if head.is_empty() || (text.contains("written by") && text.contains("flopledger")) {
        return Ok(());
    }
    Err(FlError::usage(format!(
        "{} exists and was not written by flopledger, so this output would replace someone's \
         file; {fix}, or move the file away first",
        out.display()
    )))
}

/// Refuses `out` (named by `flag`) where it holds a report of `flopledger run`, which an
/// output that is not a report (a job script, metrics) would replace without a word.
pub fn refuse_replacing_report(out: &Path, flag: &str) -> Result<(), FlError> {
    if holds(out) == Some(Held::Report) {
        return Err(FlError::usage(format!(
            "{flag} {} holds a report of `flopledger run`, which this output would replace; \
             pass another file",
            out.display()
        )));
    }
    Ok(())
}

/// Creates `dir` and its parents (exit 3 where it cannot), naming the file that stands in a
/// folder's place where one does (a helper's sweep: `-o report.json/x.md` said only "cannot
/// create the directory report.json: File exists"). `fix` says what to pass instead.
pub fn create_folder(dir: &Path, fix: &str) -> Result<(), FlError> {
    if let Some(file) = dir
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .find(|a| a.exists())
        .filter(|a| !a.is_dir())
    {
        let e = std::io::Error::other("it is a file, not a folder, so nothing can go under it");
        return Err(FlError::io(IoAction::CreateDirectory, file, e, fix));
    }
    std::fs::create_dir_all(dir).map_err(|e| FlError::io(IoAction::CreateDirectory, dir, e, fix))
}

/// The error of creating the temporary file beside the target in `dir`, said as that: the OS's
/// own words for it ("No such file or directory" under `/proc`, whose files exist) read as if
/// the target were missing (a helper's sweep: `report -o /proc/version`).
fn no_new_file(e: std::io::Error, dir: &Path) -> std::io::Error {
    let why = if e.kind() == std::io::ErrorKind::NotFound && dir.is_dir() {
        "; the folder exists, so it is on a file system that takes no new files, as /proc and \
         /sys are"
    } else {
        ""
    };
    std::io::Error::new(
        e.kind(),
        format!(
            "no new file can be made in {} to write it there first and move it into place \
             ({e}{why})",
            dir.display()
        ),
    )
}

/// Writes `contents` to `path` atomically: temp file beside it, fsync, rename.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    write_atomic_with(path, &mut |w| Ok(w.write_all(contents)?))
}

/// Writes what `write` produces to `path` atomically, streamed through a buffer (for outputs
/// too large to hold): temp file beside it, fsync, rename; on any error the temp file is
/// removed and `path` is untouched.
pub fn write_atomic_with(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let resolved = writable_target(path)?;
    let path = resolved.as_path();
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    create_folder(dir, "write to a path in a folder you can write to")?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let tmp = dir.join(tmp_name(&name));
    let mut produced = Ok(());
    let result = (|| -> std::io::Result<()> {
        let file = std::fs::File::create(&tmp).map_err(|e| no_new_file(e, dir))?;
        let mut f = std::io::BufWriter::new(file);
        produced = write(&mut f);
        if produced.is_err() {
            return Ok(());
        }
        let f = f.into_inner().map_err(|e| e.into_error())?;
        // A file replaced keeps its permissions (a report kept private stays private).
        if let Ok(existing) = std::fs::metadata(path) {
            f.set_permissions(existing.permissions())?;
        }
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    let failed = |e: std::io::Error| -> anyhow::Error {
        let _ = std::fs::remove_file(&tmp);
        let fix = "check that the directory is writable and has free space";
        FlError::io(IoAction::Write, path, e, fix).into()
    };
    match (produced, result) {
        (Err(e), _) => Err(match e.downcast::<std::io::Error>() {
            Ok(io) => failed(io),
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                e
            }
        }),
        (Ok(()), Err(e)) => Err(failed(e)),
        (Ok(()), Ok(())) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ledger and a run's report are told apart from other files by their first bytes, and
    /// an atomic write refuses to replace a ledger.
    #[test]
    fn a_ledger_and_a_report_are_recognised_and_a_ledger_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("l.sqlite");
        std::fs::write(&db, b"SQLite format 3\0rest").unwrap();
        assert_eq!(holds(&db), Some(Held::Ledger));
        assert!(write_atomic(&db, b"text").is_err());
        assert_eq!(std::fs::read(&db).unwrap(), b"SQLite format 3\0rest");
        let report = dir.path().join("r.json");
        std::fs::write(
            &report,
            "\u{feff}{\n  \"schema_version\": 2,\n  \"tool\": {\"name\": \"flopledger\"}}",
        )
        .unwrap();
        assert_eq!(holds(&report), Some(Held::Report));
        assert!(refuse_replacing_report(&report, "--out").is_err());
        let other = dir.path().join("o.json");
        std::fs::write(&other, "{\"schema_version\": 2}").unwrap();
        assert_eq!(holds(&other), None);
        assert!(refuse_replacing_report(&other, "--out").is_ok());
        assert_eq!(holds(&dir.path().join("absent")), None);
        write_atomic(&other, b"x").unwrap();
    }

    /// A detour through a missing folder (`x/../a.json`) is refused before anything is made:
    /// the file it names is left as it was, and no folder is created.
    #[test]
    fn a_detour_through_a_missing_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("a.json");
        std::fs::write(&kept, "kept").unwrap();
        let detour = dir.path().join("nosuch").join("..").join("a.json");
        let e = write_atomic(&detour, b"over").unwrap_err().to_string();
        assert!(
            e.contains("does not exist, and back out with `..`") && e.ends_with("a.json)"),
            "{e}"
        );
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "kept");
        assert!(!dir.path().join("nosuch").exists());
        // Through a folder that exists, `..` is an ordinary path.
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        write_atomic(&dir.path().join("sub").join("..").join("b.json"), b"b").unwrap();
        assert_eq!(std::fs::read(dir.path().join("b.json")).unwrap(), b"b");
    }

    #[test]
    fn a_toml_error_on_a_long_line_is_cut() {
        let line = format!("x = {}", "1".repeat(100_000));
        let text = format!("{line} y\n");
        let e = toml::from_str::<toml::Table>(&text).unwrap_err();
        let shown = toml_error(&e);
        assert!(shown.len() < 2_000, "{} bytes", shown.len());
        assert!(shown.contains("line 1") && shown.contains(" …"), "{shown}");
        // The parser's message is not cut at the quoted line's length: every allowed value shows.
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Case {
            kind: crate::workloads::kind::WorkloadKind,
        }
        let e = toml::from_str::<Case>("kind = \"conv\"").unwrap_err();
        let shown = toml_error(&e);
        assert!(
            shown.contains("`gemm-coop`") && !shown.contains('…'),
            "{shown}"
        );
        // A short line is shown whole.
        let e = toml::from_str::<toml::Table>("x = = 1").unwrap_err();
        assert_eq!(toml_error(&e), e.to_string().trim_end());
    }

    #[test]
    fn a_toml_error_shows_the_escape_sequences_of_its_line() {
        let e = toml::from_str::<toml::Table>("# \u{1b}]0;pwned\u{7}\u{1b}[2J\n").unwrap_err();
        let shown = toml_error(&e);
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "{shown:?}"
        );
        // The parser's own lines (it refuses the comment) and the caret under the error stay.
        assert!(shown.lines().count() > 2 && shown.contains('^'), "{shown}");
    }

    /// A device that never ends is refused at the cap instead of filling the memory; a small
    /// file and a directory are read and refused as before.
    #[cfg(unix)]
    #[test]
    fn an_endless_input_is_refused_at_the_cap() {
        let e = read_input(Path::new("/dev/zero"), "a capex TOML file").unwrap_err();
        assert!(e.to_string().contains("more than 512 MiB"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.toml");
        std::fs::write(&f, "x = 1").unwrap();
        assert_eq!(read_input(&f, "a file").unwrap(), "x = 1");
        let e = read_input(dir.path(), "a file").unwrap_err();
        assert!(e.to_string().contains("cannot read it"), "{e}");
    }

    /// A byte-order mark at the start is dropped (a helper's sweep found a report saved by a
    /// Windows editor refused as "not valid JSON"); one inside the text stays.
    #[test]
    fn a_leading_byte_order_mark_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.csv");
        std::fs::write(&f, "\u{feff}chip,date\nx,\u{feff}y").unwrap();
        assert_eq!(read_input(&f, "a file").unwrap(), "chip,date\nx,\u{feff}y");
    }

    /// Lines ending in CR alone become lines; CRLF and LF files are read as they are.
    #[test]
    fn lines_ending_in_cr_alone_are_lines() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.csv");
        std::fs::write(&f, "# note\rchip,date\rx,y\r").unwrap();
        assert_eq!(
            read_input(&f, "a file").unwrap(),
            "# note\nchip,date\nx,y\n"
        );
        std::fs::write(&f, "chip,date\r\nx,y\r\n").unwrap();
        assert_eq!(read_input(&f, "a file").unwrap(), "chip,date\r\nx,y\r\n");
    }

    /// A spreadsheet's "Unicode text" (UTF-16) is named, with the fix.
    #[test]
    fn utf16_is_named_with_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("u.csv");
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend("chip,date\n".encode_utf16().flat_map(u16::to_le_bytes));
        std::fs::write(&f, bytes).unwrap();
        let e = read_input(&f, "a CSV").unwrap_err().to_string();
        assert!(e.contains("(it is UTF-16): save it as UTF-8"), "{e}");
        // A SQLite file (a ledger) is named as one, not as text to re-save.
        let db = dir.path().join("l.db");
        let mut bytes = b"SQLite format 3\0".to_vec();
        bytes.extend([0xffu8; 64]);
        std::fs::write(&db, bytes).unwrap();
        let e = read_input(&db, "a report").unwrap_err().to_string();
        assert!(
            e.contains("it is a SQLite database") && !e.contains("UTF-8"),
            "{e}"
        );
    }

    /// A write replaces a regular file, writes through a link to the file it points to (a
    /// dangling one creates its target), and refuses directories and devices with the fix,
    /// leaving them as they were.
    #[test]
    fn writes_go_to_files_and_through_links_never_over_devices_or_directories() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("out.md");
        write_atomic(&file, b"one").unwrap();
        write_atomic(&file, b"two").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"two");

        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink("out.md", &link).unwrap();
        write_atomic(&link, b"three").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&file).unwrap(), b"three");

        let dangling = dir.path().join("dangling.md");
        std::os::unix::fs::symlink("new.md", &dangling).unwrap();
        write_atomic(&dangling, b"four").unwrap();
        assert!(std::fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(dir.path().join("new.md")).unwrap(), b"four");

        let e = write_atomic(dir.path(), b"x").unwrap_err().to_string();
        assert!(e.contains("is a directory, not a file"), "{e}");
        let e = write_atomic(Path::new("/dev/null"), b"x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("/dev/null is a device, pipe or socket"), "{e}");
        let null = std::fs::metadata("/dev/null").unwrap();
        assert!(!null.is_file(), "/dev/null must stay a device");
        // A folder's path that does not exist yet is not taken for a file's.
        let missing = dir.path().join("missing/");
        let e = write_atomic(&missing, b"x").unwrap_err().to_string();
        assert!(e.contains("ends with a separator"), "{e}");
        assert!(!dir.path().join("missing").exists());
    }

    /// A file replaced keeps its permissions: a private report stays private.
    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("private.md");
        write_atomic(&file, b"one").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&file, b"two").unwrap();
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
