//! Each path of `depreciate` refuses, by name, the flags it has no use for: a flag either
//! changes the output or exits 2 saying which path ignores it.

use assert_cmd::Command;
use predicates::prelude::*;
use std::io::Write;

fn flopledger() -> Command {
    Command::cargo_bin("flopledger").unwrap()
}

#[test]
fn a_flag_the_path_ignores_is_refused_by_name() {
    let mut series = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    series
        .write_all(
            b"date,usd_per_hour\n2023-01-01,8\n2023-07-01,6\n2024-01-01,4.5\n2024-07-01,3.4\n",
        )
        .unwrap();
    let s = series.path().to_str().unwrap();
    let backtest = ["--backtest", s, "--fit-until", "2023-09-01"];
    let h100 = ["--chips", "H100 SXM"];
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--validate", "--price-usd", "20000"], "--price-usd"),
        (vec!["--validate", "--launch-trend"], "--launch-trend"),
        // A report the validation never reads (it had been ignored unread, a missing file too).
        (
            vec!["--validate", "--report", "/nonexistent/r.json"],
            "--report",
        ),
        (
            vec!["--validate", "--purchase-date", "2024-01-01"],
            "--purchase-date",
        ),
        ([&backtest[..], &["--watts", "300"]].concat(), "--watts"),
        ([&backtest[..], &["--rents", s]].concat(), "--rents"),
        ([&backtest[..], &["--growth", "0.3"]].concat(), "--growth"),
        (vec!["--observed", "--life-years", "3"], "--life-years"),
        (
            vec![
                "--observed",
                "--launch-trend",
                "--purchase-date",
                "2024-01-01",
            ],
            "--purchase-date",
        ),
        (
            [&h100[..], &["--launch-trend", "--market-file", s]].concat(),
            "--market-file",
        ),
        (
            [
                &h100[..],
                &["--launch-trend", "--rent-class", "hyperscaler"],
            ]
            .concat(),
            "--rent-class",
        ),
        (
            [&h100[..], &backtest[..], &["--purchase-date", "2024-01-01"]].concat(),
            "--purchase-date",
        ),
    ];
    for (args, flag) in cases {
        let out = flopledger().arg("depreciate").args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(flag) && err.contains("changes nothing"),
            "{args:?}: {err}"
        );
        assert!(out.stdout.is_empty(), "{args:?} printed a result");
    }
    // Where they apply, the same flags are taken.
    flopledger()
        .args([
            "depreciate",
            "--chips",
            "H100 SXM",
            "--purchase-date",
            "2024-01-01",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("2024-01-01"));
}

/// Dates ahead of today, input by input: a price file's entry is taken as a quote with a note
/// (it was taken silently), and a back-test refuses a rent it would score as observed (it was
/// scored). `--rents` notes such rows, and the market and observed files refuse them.
#[test]
fn dates_after_today_are_noted_as_quotes_or_refused_where_scored() {
    let ahead = (chrono::Utc::now().date_naive() + chrono::Duration::days(200)).to_string();
    let mut prices = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    write!(
        prices,
        "[[price]]\nitem = \"usd_per_kwh\"\nvalue = 0.1\nunit = \"USD/kWh\"\n\
         source = \"contract\"\nas_of = \"{ahead}\"\n"
    )
    .unwrap();
    let out = flopledger()
        .args(["cost", "--chips", "H100 SXM", "--price-file"])
        .arg(prices.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(&format!("usd_per_kwh ({ahead}) dated after today")),
        "{err}"
    );
    let mut series = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    write!(
        series,
        "date,usd_per_hour\n2023-01-01,8\n2023-07-01,6\n2024-01-01,4.5\n{ahead},3.4\n"
    )
    .unwrap();
    flopledger()
        .args(["depreciate", "--chips", "H100 SXM", "--backtest"])
        .arg(series.path())
        .args(["--fit-until", "2023-09-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "a rent dated {ahead}, after today"
        )));
}
