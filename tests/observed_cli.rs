//! CLI tests of `depreciate --observed`: the comparison table, its JSON, and exit status 2 with
//! the fix for a bad observed-prices file.

use std::io::Write;
use std::process::{Command, Output};

fn flopledger(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flopledger"))
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn temp_csv(contents: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    f.write_all(contents.as_bytes()).unwrap();
    f
}

#[test]
fn shipped_observations_are_compared_for_v100_a100_and_h100() {
    let out = flopledger(&["depreciate", "--observed"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for chip in ["V100", "A100", "H100"] {
        assert!(stdout.contains(&format!("{chip} ")), "{chip}: {stdout}");
    }
    for needle in [
        "predicted annual decline: rent g =",
        "value (model A) d =",
        "observed decline/yr",
        "two-point",
        "obs − pred",
        "aws-p4d-on-demand",
        "AWS Price List API",
        "Caveats:",
        "Epoch AI",
    ] {
        assert!(stdout.contains(needle), "{needle}: {stdout}");
    }
}

#[test]
fn observed_json_carries_fits_predictions_and_sources() {
    let out = flopledger(&[
        "depreciate",
        "--observed",
        "--chips",
        "A100 SXM4 40GB",
        "--json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let chips = v["observed"]["chips"].as_array().unwrap();
    assert_eq!(chips.len(), 1);
    let c = &chips[0];
    assert!(c["chip"].as_str().unwrap().contains("A100"));
    let g = c["prediction"]["rent_decline"].as_f64().unwrap();
    let s = &c["series"][0];
    assert_eq!(s["fit"]["method"], "two-point");
    assert_eq!(s["predicted_decline"].as_f64().unwrap(), g);
    let d = s["fit"]["annual_decline"].as_f64().unwrap();
    assert!((s["difference"].as_f64().unwrap() - (d - g)).abs() < 1e-12);
    for p in c["prices"].as_array().unwrap() {
        assert!(!p["source"].as_str().unwrap().is_empty());
        assert_eq!(p["date"].as_str().unwrap().len(), 10);
    }
}

#[test]
fn a_user_file_is_fitted_by_least_squares() {
    // 8, 4, 2 $/h at 4-year steps (1461 days): halves every 4 years → 15.9 %/yr, zero-width CI.
    let csv = temp_csv(
        "chip,date,usd,unit,kind,series,consistency,source\n\
         H100 SXM,2020-01-01,8,usd_per_hour,on-demand,s,same-list,test a\n\
         H100 SXM,2024-01-01,4,usd_per_hour,on-demand,s,same-list,test b\n\
         H100 SXM,2028-01-01,2,usd_per_hour,on-demand,s,same-list,test c\n",
    );
    let path = csv.path().to_str().unwrap();
    let out = flopledger(&["depreciate", "--observed-file", path, "--growth", "0.3"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The rate, with its interval on the line under it in the table.
    assert!(
        stdout.contains(" +15.9 % ") && stdout.contains("(95 % CI +15.9 … +15.9 %)"),
        "{stdout}"
    );
    assert!(stdout.contains("+30.0 % rent (g)"), "{stdout}");
    assert!(stdout.contains("-14.1 pp"), "{stdout}");
}

#[test]
fn bad_observed_files_exit_2_with_the_fix() {
    let cases = [
        ("chip,date,usd\nA100,2024-01-01,3\n", "no `unit` column"),
        (
            "chip,date,usd,unit,kind,series,consistency,source\n\
             H100 SXM,2024-01-01,3,usd_per_hour,od,s,same-list,\n",
            "source is empty",
        ),
        (
            "chip,date,usd,unit,kind,series,consistency,source\n\
             H100 SXM,2025-01-01,3,usd_per_hour,od,s,same-list,a\n\
             H100 SXM,2024-01-01,4,usd_per_hour,od,s,same-list,b\n",
            "sort each series' rows by date",
        ),
        (
            "chip,date,usd,unit,kind,series,consistency,source\n\
             nosuchchip9000,2024-01-01,3,usd_per_hour,od,s,same-list,a\n",
            "not a catalog chip",
        ),
    ];
    for (contents, needle) in cases {
        let csv = temp_csv(contents);
        let out = flopledger(&[
            "depreciate",
            "--observed-file",
            csv.path().to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2), "{needle}");
        assert!(
            text(&out.stderr).contains(needle),
            "{needle}: {}",
            text(&out.stderr)
        );
    }
    let missing = flopledger(&["depreciate", "--observed-file", "/nonexistent/prices.csv"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("cannot read it"));
    let no_data = flopledger(&["depreciate", "--observed", "--chips", "B200"]);
    assert_eq!(no_data.status.code(), Some(2));
    assert!(text(&no_data.stderr).contains("chips with observations"));
}

#[test]
fn a_chip_without_a_launch_price_is_skipped_unless_asked_for() {
    // The H100 PCIe has no catalog launch price: listed as not compared beside the H100 SXM.
    let csv = temp_csv(
        "chip,date,usd,unit,kind,series,consistency,source\n\
         H100 SXM,2024-01-01,30000,usd,resale,s,same-list,test a\n\
         H100 SXM,2025-01-01,24000,usd,resale,s,same-list,test b\n\
         H100 PCIe,2024-01-01,30000,usd,resale,s,same-list,test c\n\
         H100 PCIe,2025-01-01,24000,usd,resale,s,same-list,test d\n",
    );
    let path = csv.path().to_str().unwrap();
    let out = flopledger(&["depreciate", "--observed-file", path]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(stdout.contains("== NVIDIA H100 SXM5 80GB =="), "{stdout}");
    assert!(
        stdout.contains("Not compared: NVIDIA H100 PCIe 80GB") && stdout.contains("launch price"),
        "{stdout}"
    );
    let json = flopledger(&["depreciate", "--observed-file", path, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["observed"]["chips"].as_array().unwrap().len(), 1);
    assert_eq!(v["observed"]["skipped"][0]["chip"], "NVIDIA H100 PCIe 80GB");
    // Asked for by name, the missing price is an error that names the fix.
    let asked = flopledger(&[
        "depreciate",
        "--observed-file",
        path,
        "--chips",
        "H100 PCIe",
    ]);
    assert_eq!(asked.status.code(), Some(2));
    assert!(text(&asked.stderr).contains("--price-usd"));
}
