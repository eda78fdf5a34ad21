//! CLI tests of `depreciate` and `scenario`: the tables a user sees, and clear errors with
//! exit status 2 for bad input.

use assert_cmd::Command;
use predicates::prelude::*;
use std::io::Write;

fn flopledger() -> Command {
    Command::cargo_bin("flopledger").unwrap()
}

fn temp_file(contents: &str, suffix: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(suffix).tempfile().unwrap();
    f.write_all(contents.as_bytes()).unwrap();
    f
}

#[test]
fn depreciate_h100_shows_life_half_life_gaps_and_sensitivity() {
    flopledger()
        .args(["depreciate", "--chips", "H100 SXM", "--growth", "0.3"])
        .assert()
        .success()
        .stdout(predicate::str::contains("economic life, A obsolescence"))
        .stdout(predicate::str::contains("half-life, A obsolescence"))
        .stdout(predicate::str::contains("gap vs D straight-line 5y"))
        .stdout(predicate::str::contains("gap vs D straight-line 6y"))
        .stdout(predicate::str::contains("Sensitivity to g"))
        .stdout(predicate::str::contains("0.300 (used)"))
        .stdout(predicate::str::contains("0.50"))
        .stdout(predicate::str::contains("Verdict: economic life"))
        .stdout(predicate::str::contains("against a 6-year schedule"))
        .stdout(predicate::str::contains("Epoch AI"));
}

#[test]
fn depreciate_several_chips_side_by_side_as_json() {
    let out = flopledger()
        .args(["depreciate", "--chips", "V100,A100,H100 SXM", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let chips = v["chips"].as_array().unwrap();
    assert_eq!(chips.len(), 3);
    for c in chips {
        let curves = c["outlook"]["curves"].as_array().unwrap();
        assert_eq!(curves.len(), 6, "A, C and four accounting schedules");
        assert_eq!(curves[0]["points"].as_array().unwrap().len(), 21);
        assert!(c["outlook"]["verdict"]
            .as_str()
            .unwrap()
            .starts_with("economic life"));
    }
}

#[test]
fn rent_series_adds_model_b_and_backtest_reports_errors() {
    let csv = "date,usd_per_hour\n2023-01-01,8\n2023-07-01,6\n2024-01-01,4.5\n2024-07-01,3.4\n2025-01-01,2.6\n";
    let series = temp_file(csv, ".csv");
    let path = series.path().to_str().unwrap();
    flopledger()
        .args(["depreciate", "--chips", "H100 SXM", "--rents", path])
        .assert()
        .success()
        .stdout(predicate::str::contains("B rent-based"));
    flopledger()
        .args([
            "depreciate",
            "--backtest",
            path,
            "--fit-until",
            "2024-01-01",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("MAPE"))
        .stdout(predicate::str::contains("2 held-out points"));
}

#[test]
fn scenario_prints_the_yearly_table() {
    flopledger()
        .args(["scenario", "--growth", "0.35"])
        .assert()
        .success()
        .stdout(predicate::str::contains("book SL 5y"))
        .stdout(predicate::str::contains("book SL 6y"))
        .stdout(predicate::str::contains("economic (A)"))
        .stdout(predicate::str::contains("exposure vs 6y"))
        .stdout(predicate::str::contains("2025"))
        .stdout(predicate::str::contains("2030"))
        .stdout(predicate::str::contains("$5000 B"));
}

#[test]
fn bad_input_exits_2_with_the_fix() {
    flopledger()
        .args(["depreciate", "--chips", "H100 SXM", "--growth", "1.2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--growth"));
    flopledger()
        .args(["depreciate", "--chips", "H100 SXM", "--price-usd=-5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--price-usd"));
    flopledger()
        .args(["depreciate"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--chips"));
    flopledger()
        .args(["depreciate", "--chips", "nosuchchip9000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("flopledger chips"));
    let unsorted = temp_file("date,usd_per_hour\n2024-01-01,3\n2023-01-01,4\n", ".csv");
    flopledger()
        .args(["depreciate", "--chips", "H100 SXM", "--rents"])
        .arg(unsorted.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("sort the rows"));
    let empty = temp_file("date,usd_per_hour\n", ".csv");
    flopledger()
        .args(["depreciate", "--backtest"])
        .arg(empty.path())
        .args(["--fit-until", "2024-01-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at least 2"));
    let capex = temp_file("[[year]]\nyear = 2025\nspend = 1e9\n", ".toml");
    flopledger()
        .args(["scenario", "--capex"])
        .arg(capex.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("spend"));
}
