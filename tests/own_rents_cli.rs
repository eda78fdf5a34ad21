//! `flopledger depreciate --rents FILE`: a chip valued on its own rent series under the market
//! model (full running costs, bands), and the refusals around it.

mod common;

use common::{depreciate_json, flopledger};
use predicates::prelude::*;
use std::io::Write;

/// Quarterly rents from 2023-01-01 for three years, starting at 4 $/h and falling `decline` a
/// year (rising when negative).
fn series(decline: f64) -> tempfile::NamedTempFile {
    series_from(4.0, decline)
}

/// [`series`] starting at `start` $/h.
fn series_from(start: f64, decline: f64) -> tempfile::NamedTempFile {
    let mut text = String::from("date,usd_per_hour\n");
    for q in 0..13u32 {
        let years = f64::from(q) / 4.0;
        let p = start * (1.0 - decline).powf(years);
        text.push_str(&format!(
            "{}-{:02}-01,{p:.4}\n",
            2023 + q / 4,
            1 + 3 * (q % 4)
        ));
    }
    let mut f = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

/// The H100 bought on 2023-01-01, valued on `rents`.
fn valued(rents: &tempfile::NamedTempFile, extra: &[&str]) -> serde_json::Value {
    let path = rents.path().to_str().unwrap();
    let args = [
        &[
            "--chips",
            "H100 SXM",
            "--purchase-date",
            "2023-01-01",
            "--rents",
            path,
        ][..],
        extra,
    ]
    .concat();
    depreciate_json(&args)["chips"][0].clone()
}

fn life(c: &serde_json::Value) -> f64 {
    c["point"]["life_years"].as_f64().unwrap()
}

#[test]
fn a_chips_own_rents_set_its_value_and_a_faster_decline_shortens_its_life() {
    let (slow_file, fast_file) = (series(0.05), series(0.35));
    let slow = valued(&slow_file, &[]);
    let fast = valued(&fast_file, &[]);
    let series_json = &slow["rent_series"];
    assert_eq!(series_json["fit"]["points"], 13);
    assert_eq!(series_json["first"], "2023-01-01");
    assert_eq!(series_json["last"], "2026-01-01");
    assert_eq!(series_json["draws"], 200);
    let rent0 = slow["point"]["rent0_usd_per_hour"].as_f64().unwrap();
    assert!((rent0 / 4.0 - 1.0).abs() < 0.02, "rent at purchase {rent0}");
    assert!(
        life(&fast) < life(&slow),
        "{} vs {}",
        life(&fast),
        life(&slow)
    );
    let at3 = |c: &serde_json::Value| c["book"]["economic_usd"].as_f64().unwrap();
    assert!(at3(&fast) < at3(&slow));
    // The series, not the market's rent, is what the chip earns over its dates.
    let market = depreciate_json(&["--chips", "H100 SXM", "--purchase-date", "2023-01-01"])
        ["chips"][0]
        .clone();
    assert!(market.get("rent_series").is_none());
    assert_ne!(
        market["point"]["rent0_usd_per_hour"],
        slow["point"]["rent0_usd_per_hour"]
    );
    // Bands come with it.
    let band = &slow["bands"]["life_years"];
    assert!(band["p5"].as_f64().unwrap() <= life(&slow));
    assert!(band["p95"].as_f64().unwrap() >= life(&slow));
}

#[test]
fn running_cost_flags_move_a_chip_valued_on_its_rents() {
    let file = series(0.15);
    let base = valued(&file, &[]);
    let failing = valued(&file, &["--failure-rate", "0.25"]);
    let dear_power = valued(&file, &["--facility-usd-per-kw-month", "600"]);
    assert!(life(&failing) < life(&base));
    assert!(life(&dear_power) < life(&base));
}

/// A series that rises is followed over its dates (the market moves it beyond them): its path
/// rises 20 %/yr as the prices do, and the chip is worth more than on flat rents of the same start.
#[test]
fn rents_that_rise_are_followed_and_said() {
    let file = series(-0.2);
    let c = valued(&file, &[]);
    let fit = &c["rent_series"]["fit"];
    assert_eq!(fit["decline_held_at_zero"], false);
    let rise = (-fit["decay_per_year"].as_f64().unwrap()).exp() - 1.0;
    assert!((rise - 0.2).abs() < 0.005, "{fit}");
    let flat = valued(&series(0.0), &[]);
    let value = |c: &serde_json::Value| c["point"]["value_by_year_usd"][3].as_f64().unwrap();
    assert!(
        value(&c) > value(&flat),
        "{} against {}",
        value(&c),
        value(&flat)
    );
    flopledger()
        .args(["depreciate", "--chips", "H100 SXM", "--rents"])
        .arg(file.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("rising 20.0 %/yr over its dates"));
}

#[test]
fn rents_are_refused_where_they_cannot_apply() {
    let file = series(0.1);
    for (extra, says) in [
        (&["--chips", "H100 SXM,B200"][..], "one chip's rent series"),
        (
            &["--chips", "H100 SXM", "--rent-basis", "spot"][..],
            "--rent-basis",
        ),
        (&["--validate"][..], "--validate"),
    ] {
        flopledger()
            .args(["depreciate", "--rents"])
            .arg(file.path())
            .args(extra)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
    // Rents far from any GPU-hour of this chip (a node's price, cents typed as dollars) are
    // another unit: one such series valued an H100 at $1.6 M and printed a negative cost.
    for (start, says) in [(100.0, "above the market model's rent"), (0.08, "below")] {
        flopledger()
            .args(["depreciate", "--chips", "H100 SXM", "--rents"])
            .arg(series_from(start, 0.1).path())
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says).and(predicate::str::contains("GPU-hour")));
    }
    // A back-test checks a series alone: the market model's running costs change nothing there.
    flopledger()
        .args(["depreciate", "--backtest"])
        .arg(file.path())
        .args(["--fit-until", "2024-06-01", "--failure-rate", "0.2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--failure-rate"));
}

/// A chip without a launch price is refused, with its market price new on the series' rents.
#[test]
fn an_unpriced_chip_is_offered_its_price_on_the_series() {
    let (slow, fast) = (series(0.05), series(0.35));
    let offered = |file: &tempfile::NamedTempFile| {
        let out = flopledger()
            .args(["depreciate", "--chips", "H100 PCIe 80GB", "--rents"])
            .arg(file.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(err.contains("the rents of --rents"), "{err}");
        assert!(err.contains("--price-usd"), "{err}");
        err
    };
    assert_ne!(
        offered(&slow),
        offered(&fast),
        "the price follows the series"
    );
}
