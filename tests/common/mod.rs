//! Helpers shared by the CLI tests: the binary with a private runtime directory and tuning
//! cache, the fake device, and the report files a run left.

#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The flopledger binary with a private XDG runtime directory and tuning cache.
pub fn flopledger() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_flopledger"));
    let xdg = std::env::temp_dir().join("flopledger-test-xdg");
    std::fs::create_dir_all(&xdg).expect("temp dir");
    cmd.env("XDG_RUNTIME_DIR", &xdg);
    cmd.env("FLOPLEDGER_CACHE_DIR", xdg.join("cache"));
    cmd
}

/// `flopledger run --adapter fake` with the fake device enabled: no GPU driver needed.
pub fn fake_run(out: &Path, extra: &[&str]) -> Command {
    let mut cmd = flopledger();
    cmd.env("FLOPLEDGER_FAKE_DEVICE", "1")
        .args(["run", "--adapter", "fake", "--no-energy", "--out"])
        .arg(out)
        .args(extra);
    cmd
}

/// The JSON reports in `dir`, sorted by name.
pub fn json_reports(dir: &Path) -> Vec<PathBuf> {
    files_with_extension(dir, "json")
}

/// The files in `dir` with extension `ext`, sorted by name.
pub fn files_with_extension(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == ext));
    v.sort();
    v
}

/// The case ids of a per-case table, read back from its rows: an id broken over lines (after
/// a hyphen) is joined again.
pub fn case_column(table_text: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let mut open = false;
    for line in table_text.lines() {
        let Some(first) = line.split_whitespace().next() else {
            continue;
        };
        if open {
            ids.last_mut().expect("an id before").push_str(first);
        } else {
            ids.push(first.to_string());
        }
        open = first.ends_with('-');
    }
    ids
}

/// `flopledger COMMAND ARGS`, which must succeed; its stdout.
#[allow(dead_code)]
pub fn command_ok<S: AsRef<std::ffi::OsStr>>(command: &str, args: &[S]) -> Vec<u8> {
    let out = flopledger()
        .arg(command)
        .args(args)
        .output()
        .expect("flopledger runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `flopledger depreciate ARGS`, which must succeed; its stdout.
fn depreciate_ok<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Vec<u8> {
    command_ok("depreciate", args)
}

/// `flopledger depreciate --json ARGS`, which must succeed; its JSON.
pub fn depreciate_json<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> serde_json::Value {
    let mut all: Vec<std::ffi::OsString> = vec!["--json".into()];
    all.extend(args.iter().map(|a| a.as_ref().to_os_string()));
    serde_json::from_slice(&depreciate_ok(&all)).expect("JSON on stdout")
}

/// Output text with its lines joined and runs of spaces made one, so a phrase can be found
/// wherever the terminal width wrapped it.
#[allow(dead_code)]
pub fn words(out: &[u8]) -> String {
    String::from_utf8_lossy(out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `flopledger depreciate ARGS`, which must succeed; its text with wrapped lines joined (a
/// continuation line's indent of four spaces becomes one space), so a phrase can be found
/// whatever the terminal width.
pub fn depreciate_text<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> String {
    String::from_utf8_lossy(&depreciate_ok(args)).replace("\n    ", " ")
}

/// The standard error of `flopledger depreciate ARGS`, which must be refused as bad input: exit
/// status 2 and nothing on standard output.
#[allow(dead_code)]
pub fn depreciate_refused<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> String {
    let out = flopledger()
        .arg("depreciate")
        .args(args)
        .output()
        .expect("flopledger runs");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(out.stdout.is_empty(), "{err}");
    err
}

/// A price file of one `price_usd` entry for `chip`, in a new temporary directory (see
/// [`temp_file`]).
pub fn price_file(chip: &str, usd: f64, source: &str, as_of: &str) -> (tempfile::TempDir, PathBuf) {
    temp_file(
        "prices.toml",
        format!(
            "[[price]]\nitem = \"price_usd\"\nchip = \"{chip}\"\nvalue = {usd}\nunit = \"USD\"\n\
             source = \"{source}\"\nas_of = \"{as_of}\"\n"
        ),
    )
}

/// `contents` written to a file `name` in a new temporary directory, which lives as long as the
/// returned guard.
pub fn temp_file(name: &str, contents: impl AsRef<[u8]>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join(name);
    std::fs::write(&path, contents).expect("write the temporary file");
    (dir, path)
}
