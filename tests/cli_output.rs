//! The command line a person reads, on the built binary and without a GPU: honest gates
//! (`compare --baseline` that compared nothing fails), output that fits a 100-column terminal,
//! CSV for spreadsheets, and the `cost` view at spec.

use assert_cmd::Command;
use flopledger::report::fixture::sample_report;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    let mut c = Command::cargo_bin("flopledger").expect("binary built by cargo test");
    c.env("XDG_RUNTIME_DIR", std::env::temp_dir())
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR");
    c
}

fn write(dir: &Path, name: &str, r: &flopledger::report::Report) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string_pretty(r).expect("serialize")).expect("write");
    p
}

/// Lines of `text` wider than `columns` characters.
fn too_wide(text: &str, columns: usize) -> Vec<String> {
    text.lines()
        .filter(|l| l.chars().count() > columns)
        .map(str::to_string)
        .collect()
}

#[test]
fn compare_baseline_with_no_case_in_common_fails_and_says_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = write(dir.path(), "base.json", &sample_report());
    let mut other = sample_report();
    for c in &mut other.cases {
        c.id = format!("renamed-{}", c.id);
    }
    let other = write(dir.path(), "other.json", &other);
    bin()
        .args(["compare"])
        .arg(&other)
        .arg("--baseline")
        .arg(&base)
        .assert()
        .code(2)
        .stdout(contains("Nothing compared"))
        .stdout(contains("shares no valid case with the baseline"))
        .stdout(contains("No case is significantly slower").not());
    // The same report against itself compares every valid case and passes.
    let same = write(dir.path(), "same.json", &sample_report());
    bin()
        .args(["compare"])
        .arg(&same)
        .arg("--baseline")
        .arg(&base)
        .assert()
        .code(0);
}
