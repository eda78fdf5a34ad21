//! Fixes from a second helper's sweep of bad input (7 December 2026): outputs that replaced a
//! run's report, an exit code, and names that reached a CSV as spreadsheet formulas.

mod common;

use common::{flopledger, json_reports};
use flopledger::report::fixture::sample_report;
use std::path::{Path, PathBuf};

fn write_report(dir: &Path, name: &str, r: &flopledger::report::Report) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(r).unwrap()).unwrap();
    path
}

/// `report A -o B` refuses B where it holds another run's report, in every format, and leaves
/// B as it was; B holding the same run (a rendering run again) is replaced.
#[test]
fn report_o_never_replaces_another_runs_report() {
    let dir = tempfile::tempdir().unwrap();
    let a = write_report(dir.path(), "a.json", &sample_report());
    let mut other = sample_report();
    other.started_at = "2026-11-20T09:14:04Z".into();
    let b = write_report(dir.path(), "b.json", &other);
    let before = std::fs::read(&b).unwrap();
    for format in ["json", "md", "csv"] {
        let out = flopledger()
            .arg("report")
            .arg(&a)
            .args(["--format", format, "-o"])
            .arg(&b)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{format}: {err}");
        assert!(
            err.contains("holds the report of another run, started 2026-11-20")
                && err.contains("b-rendered."),
            "{err}"
        );
        assert_eq!(std::fs::read(&b).unwrap(), before, "{format}");
    }
    // A copy of the same run is replaced (the rendering can be run again).
    let copy = write_report(dir.path(), "copy.json", &sample_report());
    for _ in 0..2 {
        let out = flopledger()
            .arg("report")
            .arg(&a)
            .args(["--format", "json", "-o"])
            .arg(&copy)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    }
}

/// `fleet report --out DIR` and `fleet k8s --out DIR` refuse where their file name holds a
/// run's report (both had replaced it with exit 0).
#[test]
fn fleet_outputs_never_replace_a_runs_report() {
    let dir = tempfile::tempdir().unwrap();
    let run = tempfile::tempdir().unwrap();
    common::fake_run(run.path(), &["--shapes", "8x8x8"])
        .assert()
        .success();
    let report = &json_reports(run.path())[0];
    let db = dir.path().join("l.sqlite");
    flopledger()
        .args(["ledger", "add", "--db"])
        .arg(&db)
        .arg(report)
        .assert()
        .success();
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let victim = out_dir.join("fleet-report.json");
    std::fs::copy(report, &victim).unwrap();
    let before = std::fs::read(&victim).unwrap();
    let out = flopledger()
        .args(["fleet", "report", "--db"])
        .arg(&db)
        .args(["--format", "json", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("holds a report of `flopledger run`"), "{err}");
    assert_eq!(std::fs::read(&victim).unwrap(), before);

    let k8s = dir.path().join("k8s");
    std::fs::create_dir(&k8s).unwrap();
    std::fs::copy(report, k8s.join("job.yaml")).unwrap();
    let out = flopledger()
        .args(["fleet", "k8s", "--image"])
        .arg("ghcr.io/team/flopledger:v0.1@sha256:".to_string() + &"0f".repeat(32))
        .arg("--out")
        .arg(&k8s)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(std::fs::read(k8s.join("job.yaml")).unwrap(), before);
    assert!(!k8s.join("Dockerfile").exists());
}

/// A results folder that cannot be made is an I/O error (exit 3, as an unwritable --out is),
/// and no script is written.
#[test]
fn fleet_slurm_results_that_cannot_be_made_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain");
    std::fs::write(&file, "x").unwrap();
    let script = dir.path().join("job.sbatch");
    let out = flopledger()
        .args(["fleet", "slurm", "--results"])
        .arg(file.join("results"))
        .arg("--out")
        .arg(&script)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("--results"), "{err}");
    assert!(!script.exists());
}

/// Names from the environment that a spreadsheet would run as formulas reach `ledger list
/// --format csv` as text (a leading `'`); numbers keep their sign.
#[test]
fn ledger_csv_quotes_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    common::fake_run(&run, &["--shapes", "8x8x8"])
        .env("SLURM_JOB_ID", "=1+1")
        .env("SLURMD_NODENAME", "=HYPERLINK(\"http://x\")")
        .env("SLURM_PROCID", "0")
        .assert()
        .success();
    let db = dir.path().join("l.sqlite");
    flopledger()
        .args(["ledger", "add", "--db"])
        .arg(&db)
        .arg(&run)
        .assert()
        .success();
    let out = flopledger()
        .args(["ledger", "list", "--format", "csv", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut rows = ::csv::Reader::from_reader(text.as_bytes());
    let row = rows.records().next().unwrap().unwrap();
    assert_eq!(&row[1], "'=HYPERLINK(\"http://x\")", "{text}");
    assert_eq!(&row[4], "'=1+1", "{text}");
    assert!(row.iter().all(|c| !c.starts_with('=')), "{text}");
}

/// `--validate` and `--observed` take a name of several variants as all of them, as `--chips`
/// does elsewhere (both had refused `H100` as ambiguous).
#[test]
fn validate_and_observed_take_every_variant_of_a_name() {
    for flag in ["--validate", "--observed"] {
        let out = flopledger()
            .args(["depreciate", flag, "--chips", "H100"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{flag}: {out:?}");
        assert!(
            text.contains("NVIDIA H100 SXM5 80GB") && text.contains("NVIDIA H100 PCIe 80GB"),
            "{flag}: {text}"
        );
    }
}

/// A chip without a launch price among several is told how to price it: a price-file entry
/// for it, or valued alone; `--price-usd` with several chips is refused, so "pass --price-usd"
/// alone led to a second error.
#[test]
fn an_unpriced_chip_among_several_is_told_how_to_price_it() {
    let out = flopledger()
        .args(["depreciate", "--chips", "H100", "--launch-trend"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).replace("\n  ", " ");
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("chip = \"NVIDIA H100 PCIe 80GB\"")
            && err.contains("--chips \"NVIDIA H100 PCIe 80GB\") with --price-usd"),
        "{err}"
    );
}
