//! `flopledger depreciate` under the market model (issue 12): realistic lives, each chip its
//! own decline, flags that change the output or are refused, bands, validation.

mod common;

use common::{
    command_ok, depreciate_json as json, depreciate_refused, depreciate_text, flopledger,
    price_file, temp_file, words,
};
use predicates::prelude::*;
use std::ffi::OsStr;

fn life(v: &serde_json::Value, i: usize) -> f64 {
    v["chips"][i]["point"]["life_years"].as_f64().unwrap()
}

/// 9.5 years at the defaults with the decline anchor (9.9 since its rents' own level entered its
/// rent, 7.9 before, all measured 6 December 2026; docs/market-model.md section 1).
#[test]
fn the_h100_lives_five_to_eleven_years_with_its_running_cost_and_bands() {
    let v = json(&["--chips", "H100 SXM"]);
    let c = &v["chips"][0];
    let years = life(&v, 0);
    assert!((5.0..=11.0).contains(&years), "economic life {years}");
    let costs = &c["point"]["costs_year1"];
    for item in [
        "facility_usd",
        "electricity_usd",
        "maintenance_usd",
        "failures_usd",
    ] {
        assert!(costs[item].as_f64().unwrap() > 0.0, "{item}");
    }
    let band = &c["bands"]["life_years"];
    assert!(band["p5"].as_f64().unwrap() < years && years < band["p95"].as_f64().unwrap());
    // A buyer, whose maintenance and failures fall on the market price, keeps the chip in
    // service longer; what the first owner paid moves its own life, never the buyer's.
    let service = c["point"]["service_life_years"].as_f64().unwrap();
    assert!(
        service > years,
        "service life {service}, economic life {years}"
    );
    let dear = json(&["--chips", "H100 SXM", "--price-usd", "100000"]);
    assert_eq!(dear["chips"][0]["point"]["service_life_years"], service);
    assert!(life(&dear, 0) < years);
    assert_eq!(
        c["bands"]["value_by_year_usd"].as_array().unwrap().len(),
        11
    );
    assert!(v["market"]["coefficients"].as_array().unwrap().len() >= 13);
    flopledger()
        .args(["depreciate", "--chips", "H100 SXM"])
        .assert()
        .success()
        .stdout(predicate::str::contains("running cost, year 1"))
        .stdout(predicate::str::contains("5–95 %"))
        .stdout(predicate::str::contains("Verdict: economic life"))
        .stdout(predicate::str::contains("keeps the chip in service to"))
        .stdout(predicate::str::contains("Epoch AI"));
}

#[test]
fn each_chip_has_its_own_decline() {
    // The issue's own command: `V100` and `A100` stand for all their variants, side by side.
    let v = json(&["--chips", "V100,A100,H100 SXM,H200,B200"]);
    let n = v["chips"].as_array().unwrap().len();
    assert!(n >= 7, "{n} chips");
    let declines: Vec<f64> = (0..n)
        .map(|i| {
            v["chips"][i]["point"]["decline_per_year_3y"]
                .as_f64()
                .unwrap()
        })
        .collect();
    let mut sorted = declines.clone();
    sorted.sort_by(f64::total_cmp);
    sorted.dedup_by(|a, b| (*a - *b).abs() < 0.005);
    assert!(sorted.len() >= 5, "{declines:?}");
}

#[test]
fn utilisation_and_fixed_costs_move_the_life_the_right_way() {
    let base = life(&json(&["--chips", "H100 SXM"]), 0);
    let idle = life(&json(&["--chips", "H100 SXM", "--utilization", "0.4"]), 0);
    assert!(
        idle < base,
        "lower utilisation must shorten the life: {idle} vs {base}"
    );
    let dear = life(
        &json(&["--chips", "H100 SXM", "--facility-usd-per-kw-month", "400"]),
        0,
    );
    assert!(dear < base, "dearer facility power must shorten the life");
}

#[test]
fn book_life_and_rent_flags_change_the_output() {
    let v5 = json(&["--chips", "H100 SXM"]);
    let v3 = json(&["--chips", "H100 SXM", "--life-years", "3"]);
    assert_eq!(v3["chips"][0]["book"]["schedule_years"], 3.0);
    assert_ne!(
        v5["chips"][0]["book"]["book_usd"],
        v3["chips"][0]["book"]["book_usd"]
    );
    let cheap = json(&["--chips", "H100 SXM", "--cloud-usd-per-hour", "1.5"]);
    let dear = json(&["--chips", "H100 SXM", "--cloud-usd-per-hour", "6"]);
    let be = |v: &serde_json::Value| v["chips"][0]["procurement"]["break_even_utilization"].clone();
    assert_ne!(be(&cheap), be(&dear));
    let spot = json(&["--chips", "H100 SXM", "--rent-basis", "on-demand"]);
    assert!(
        spot["chips"][0]["point"]["rent0_usd_per_hour"]
            .as_f64()
            .unwrap()
            > v5["chips"][0]["point"]["rent0_usd_per_hour"]
                .as_f64()
                .unwrap()
    );
}

/// A chip bought far under its market price: its residual value covers the ownership cost, so
/// owning is cheaper at any utilisation (0 in the JSON), never "above -5 %". Over 3 years: at 5
/// the residual of an H200 no longer covers its fixed costs (since the decline anchor).
#[test]
fn a_chip_bought_for_almost_nothing_is_cheaper_to_own_at_any_utilisation() {
    let cheap = [
        "--chips",
        "H200 SXM",
        "--price-usd",
        "100",
        "--life-years",
        "3",
    ];
    let v = json(&cheap);
    let p = &v["chips"][0]["procurement"];
    assert!(p["ownership_usd_per_year"].as_f64().unwrap() < 0.0, "{p}");
    assert_eq!(p["break_even_utilization"].as_f64(), Some(0.0), "{p}");
    let text = depreciate_text(&cheap);
    assert!(
        text.contains("owning is cheaper at any utilisation"),
        "{text}"
    );
    // At the catalog price the break-even is a positive share.
    let v = json(&["--chips", "H200 SXM"]);
    let u = v["chips"][0]["procurement"]["break_even_utilization"].as_f64();
    assert!(u.is_some_and(|u| u > 0.0 && u <= 1.0), "{u:?}");
    // A chip bought dear repays only on a rising rent; its band reads as one bracket, and the
    // horizon of the procurement line is printed as given.
    let dear = depreciate_text(&[
        "--chips",
        "H100 SXM",
        "--price-usd",
        "68000",
        "--life-years",
        "2.5",
    ]);
    assert!(
        dear.contains("rises at least") && dear.contains("(as a decline, 5–95 %: -"),
        "{dear}"
    );
    assert!(!dear.contains("%: ("), "{dear}");
    assert!(dear.contains("over 2.5 years:"), "{dear}");
}

#[test]
fn flags_that_make_no_sense_here_are_refused() {
    for args in [
        vec!["--chips", "H100 SXM", "--precision", "fp16"],
        vec!["--chips", "H100 SXM", "--growth", "0.3"],
        vec!["--chips", "H100 SXM", "--chip", "B200"],
        vec!["--chips", "H100 SXM", "--watts", "0"],
        vec!["--chips", "H100 SXM", "--purchase-date", "2024-02-30"],
        vec!["--chips", "H100 SXM", "--rent-basis", "hourly"],
        vec!["--chips", "H100 SXM,B200", "--purchase-date", "2024-01-01"],
    ] {
        flopledger()
            .arg("depreciate")
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("panicked").not())
            .stderr(predicate::str::is_empty().not());
    }
}

#[test]
fn a_later_purchase_is_valued_in_that_later_market() {
    let launch = json(&["--chips", "H100 SXM"]);
    let later = json(&["--chips", "H100 SXM", "--purchase-date", "2026-06-01"]);
    let rent = |v: &serde_json::Value| {
        v["chips"][0]["point"]["rent0_usd_per_hour"]
            .as_f64()
            .unwrap()
    };
    assert!(rent(&later) < rent(&launch));
}

/// A chip ordered before its release is valued from the release, its capex carried to then
/// at the discount rate: the same rent, market price, verdict's dates and on-demand rent as one
/// bought then, a dearer capex, and a note that says so.
#[test]
fn a_chip_ordered_before_its_release_is_valued_from_the_release() {
    let at_release = json(&["--chips", "B200"]);
    let ordered = json(&["--chips", "B200", "--purchase-date", "2024-05-15"]);
    let chip = |v: &serde_json::Value| v["chips"][0].clone();
    let point = |v: &serde_json::Value, k: &str| chip(v)["point"][k].as_f64().unwrap();
    for k in ["rent0_usd_per_hour", "value0_usd"] {
        assert!(
            (point(&ordered, k) / point(&at_release, k) - 1.0).abs() < 1e-9,
            "{k}"
        );
    }
    assert_eq!(
        chip(&ordered)["purchase_date"],
        chip(&at_release)["purchase_date"]
    );
    assert_eq!(chip(&ordered)["ordered_date"], "2024-05-15");
    assert!(chip(&at_release)["ordered_date"].is_null());
    let capex = |v: &serde_json::Value| chip(v)["capex_usd"].as_f64().unwrap();
    assert!(capex(&ordered) > capex(&at_release));
    assert!(point(&ordered, "life_years") <= point(&at_release, "life_years"));
    let text =
        words(depreciate_text(&["--chips", "B200", "--purchase-date", "2024-05-15"]).as_bytes());
    assert!(
        text.contains("ordered 2024-05-15, 6.0 months before its release on 2024-11-15: valued from the release"),
        "{text}"
    );
}

/// A purchase before the panel's first price is valued on rents run backwards from later
/// years: the note and the verdict say so (the K80, released 2014-11, rented in the panel from
/// 2016-10); a purchase inside the panel's years says nothing of it.
#[test]
fn a_purchase_before_the_first_observed_price_is_called_an_extrapolation() {
    let k80 = words(depreciate_text(&["--chips", "K80"]).as_bytes());
    assert!(
        k80.contains("bought 1.9 years before the first observed price (2016-10-11)")
            && k80.contains("but its first years' rents are extrapolated back before the first observed price (2016-10-11), and the verdict with it"),
        "{k80}"
    );
    let h100 = depreciate_text(&["--chips", "H100 SXM"]);
    assert!(!h100.contains("before the first observed price"), "{h100}");
}

#[test]
fn validate_prints_the_backtest_per_chip_and_resale_checks() {
    flopledger()
        .args(["depreciate", "--validate"])
        .assert()
        .success()
        .stdout(predicate::str::contains("MAPE"))
        .stdout(predicate::str::contains("Leave one chip out"))
        .stdout(predicate::str::contains("all prices"))
        .stdout(predicate::str::contains("NVIDIA H100 SXM5 80GB"))
        .stdout(predicate::str::contains("all chips"))
        .stdout(predicate::str::contains("against the market model"))
        .stdout(predicate::str::contains("resale: mean |observed − model|"));
}

/// On a small panel the checks that need more prices say why they were left out and the
/// others still run: no origin for the back-test, and a chip without which fewer than 20
/// prices remain is not held out.
#[test]
fn validate_on_a_small_panel_leaves_out_what_it_cannot_check_and_says_why() {
    let shipped = include_str!("../data/market_rents.csv");
    let first: Vec<&str> = shipped.lines().take(31).collect();
    let (_dir, path) = temp_file("rents.csv", first.join("\n"));
    let v = json(&["--validate", "--market-file", path.to_str().unwrap()]);
    assert!(v["backtest"].is_null(), "{v}");
    let skipped = v["skipped"].as_array().unwrap();
    assert!(
        skipped[0].as_str().unwrap().contains("no origin date"),
        "{skipped:?}"
    );
    let held = &v["holdout"];
    assert!(!held["per_chip"].as_array().unwrap().is_empty(), "{held}");
    let not_held = held["skipped"].as_array().unwrap();
    assert!(
        not_held
            .iter()
            .any(|s| s.as_str().unwrap().contains("K80") && s.as_str().unwrap().contains("20")),
        "{not_held:?}"
    );
    flopledger()
        .args(["depreciate", "--validate", "--market-file"])
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Left out: rolling-origin back-test",
        ))
        .stdout(predicate::str::contains("not held out: NVIDIA Tesla K80"));
}

#[test]
fn scenario_values_the_capex_plan_with_the_market_model_and_a_band() {
    let out = flopledger().args(["scenario", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert!(rows.len() >= 6);
    // The preset buys the H100 SXM in 2025 at its 2022 launch price, and says so.
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("NVIDIA H100 SXM5 80GB in 2025 (launch price of 2022-09)"),
        "{notes}"
    );
    for r in rows {
        let e = r["economic_usd"].as_f64().unwrap();
        let b = &r["economic_band_usd"];
        assert!(b["p5"].as_f64().unwrap() <= e && e <= b["p95"].as_f64().unwrap());
    }
    // The book life follows --life-years.
    let six = flopledger()
        .args(["scenario", "--life-years", "6"])
        .assert()
        .success();
    // The table's header is on two lines: "book" over "SL 6y".
    six.stdout(predicate::str::contains("SL 6y"))
        .stdout(predicate::str::contains("straight-line 6 years"));
    flopledger()
        .args(["scenario", "--growth", "0.3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--launch-trend"));
}

/// $ per million tokens over the chip's life for every preset: a model that does not fit in
/// the chip's memory gets no price; a bigger model costs more per token; bands hold the point.
#[test]
fn token_prices_over_the_life_for_the_presets() {
    let v = json(&["--chips", "B200"]);
    let tokens = v["chips"][0]["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 12, "4 presets × 3 scenarios");
    let find = |model: &str, scenario: &str| {
        tokens
            .iter()
            .find(|t| t["model"] == model && t["scenario"] == scenario)
            .unwrap()
    };
    let small = find("Llama-3.1-8B", "decode b1 @2048");
    let big = find("Llama-3.1-70B", "decode b1 @2048");
    let price = |t: &serde_json::Value| t["levelised_usd_per_million"].as_f64().unwrap();
    assert!(price(big) > 5.0 * price(small), "{big} vs {small}");
    let band = &small["levelised_band"];
    assert!(band["p5"].as_f64().unwrap() <= price(small));
    assert!(price(small) <= band["p95"].as_f64().unwrap());
    let years = small["market_usd_per_million_by_year"].as_array().unwrap();
    assert!(years[3].as_f64().unwrap() < years[0].as_f64().unwrap());
    let deepseek = find("DeepSeek-V3", "decode b1 @2048");
    assert_eq!(deepseek["fits"], false);
    assert!(deepseek["levelised_usd_per_million"].is_null());
    flopledger()
        .args(["depreciate", "--chips", "B200"])
        .assert()
        .success()
        .stdout(predicate::str::contains("$ per million tokens"))
        .stdout(predicate::str::contains("does not fit"));
}

/// A purchase long before the chip existed, or years past the last observed price, is refused
/// with the window it accepts; a date a year before release (orders ahead of shipments) and
/// one a few years past the data are valued.
#[test]
fn purchase_dates_outside_what_the_market_speaks_for_are_refused() {
    for (date, says) in [
        (
            "1900-01-01",
            "more than a year before NVIDIA H100 SXM5 80GB's catalog release",
        ),
        ("2099-01-01", "years after the market data's last price"),
    ] {
        flopledger()
            .args(["depreciate", "--chips", "H100 SXM", "--purchase-date", date])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says))
            .stderr(predicate::str::contains("pass a --purchase-date from"))
            .stderr(predicate::str::contains("later prices").count(usize::from(date > "2026")));
    }
    // A capex plan that puts the chip in service in 1990 is refused the same way.
    let (_dir, plan) = temp_file(
        "capex.toml",
        "name = \"x\"\n[[year]]\nyear = 1990\nspend_usd = 1e9\nmix = { \"H100 SXM\" = 1.0 }\n",
    );
    flopledger()
        .args(["scenario", "--capex"])
        .arg(&plan)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "more than a year before NVIDIA H100 SXM5 80GB's catalog release",
        ))
        // The launch-price trend refuses it too, so it is not suggested.
        .stderr(predicate::str::contains("--launch-trend").not());
    for date in ["2021-10-01", "2029-06-01"] {
        let v = json(&["--chips", "H100 SXM", "--purchase-date", date]);
        assert!(life(&v, 0).is_finite(), "{date}");
    }
}

/// Years without spend are written 0.0, not "-0.0" (the sum of no spend).
/// `scenario --market-file` fits the market on the user's panel, names it, and changes the
/// values; with the launch-price trend it is refused (exit 2), and a missing file names itself.
#[test]
fn scenario_fits_the_market_on_a_given_rent_file() {
    let shipped = include_str!("../data/market_rents.csv");
    // The shipped panel with every neocloud rent 30 % higher.
    let mut text = String::new();
    for (i, line) in shipped.lines().enumerate() {
        let fields: Vec<&str> = line.split(',').collect();
        let neocloud = !HYPERSCALERS.contains(&fields.get(3).copied().unwrap_or(""));
        match fields.get(2).and_then(|p| p.parse::<f64>().ok()) {
            Some(p) if i > 0 && neocloud && !line.starts_with('#') => {
                let mut f = fields.clone();
                let dear = format!("{:.4}", p * 1.3);
                f[2] = &dear;
                text += &f.join(",");
            }
            _ => text += line,
        }
        text += "\n";
    }
    let (_dir, file) = temp_file("rents.csv", &text);
    let path = file.to_str().unwrap();
    let scenario = |args: &[&str]| -> serde_json::Value {
        serde_json::from_slice(&command_ok("scenario", args)).unwrap()
    };
    let base = scenario(&["--json"]);
    let dear = scenario(&["--json", "--market-file", path]);
    assert_eq!(base["market_file"], "data/market_rents.csv");
    assert_eq!(dear["market_file"], path);
    let at = |v: &serde_json::Value| v["rows"][5]["economic_usd"].as_f64().unwrap();
    assert!(at(&dear) > 1.1 * at(&base), "{} {}", at(&dear), at(&base));
    flopledger()
        .args(["scenario", "--market-file", path])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "rents from the fit of {path}"
        )));
    flopledger()
        .args(["scenario", "--market-file", path, "--launch-trend"])
        .assert()
        .code(2);
    flopledger()
        .args(["scenario", "--market-file", "/nonexistent/rents.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/rents.csv"));
}

/// A scenario values its chips at their market price, what a buyer pays: on the market's basis
/// (1-year contracts) and utilisation, whatever an owner's, so `--utilization` is refused and
/// there is no `--rent-basis` (spot hours had cut the portfolio's value to a seventh, a
/// helper's sweep); a rent file of on-demand prices alone values on those.
#[test]
fn scenario_values_the_chips_at_one_market_price() {
    let scenario = |args: &[&str]| -> serde_json::Value {
        serde_json::from_slice(&command_ok("scenario", args)).unwrap()
    };
    let contract = scenario(&["--json"]);
    assert_eq!(contract["segment"]["basis"], "reserved-1y");
    assert_eq!(contract["segment"]["class"], "neocloud");
    flopledger()
        .args(["scenario"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "hours sold on 1-year contracts at 70 %",
        ));
    flopledger()
        .args(["scenario", "--utilization", "0.3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--utilization changes nothing in a scenario",
        ));
    flopledger()
        .args(["scenario", "--rent-basis", "spot"])
        .assert()
        .code(2);
    let (_dir, file) = temp_file(
        "rents.csv",
        include_str!("../data/market_rents.csv")
            .lines()
            .enumerate()
            .filter(|(i, l)| *i == 0 || l.contains(",on-demand,"))
            .map(|(_, l)| format!("{l}\n"))
            .collect::<String>(),
    );
    let v: serde_json::Value = serde_json::from_slice(&command_ok(
        "scenario",
        &[
            OsStr::new("--json"),
            OsStr::new("--market-file"),
            file.as_os_str(),
        ],
    ))
    .unwrap();
    assert_eq!(v["segment"]["basis"], "on-demand");
}

/// A capex mix naming a chip neither the catalog nor the file knows is refused naming the file
/// and the year (the catalog's error alone named neither), with the close names.
#[test]
fn a_capex_mix_with_an_unknown_chip_names_the_file_and_year() {
    let (_dir, file) = temp_file(
        "capex.toml",
        "[[year]]\nyear = 2026\nspend_usd = 1e9\nmix = { \"H100X\" = 1.0 }\n",
    );
    let path = file.to_str().unwrap();
    flopledger()
        .args(["scenario", "--capex", path])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(path)
                .and(predicate::str::contains("the mix of 2026 names \"H100X\""))
                .and(predicate::str::contains("NVIDIA H100 SXM5 80GB")),
        );
}

/// A default mix that no year uses names its chips as a used one does: a typo there is refused,
/// where it had passed without a word (a helper's sweep).
#[test]
fn an_unused_default_mix_with_an_unknown_chip_is_refused() {
    let (_dir, file) = temp_file(
        "capex.toml",
        "default_mix = { \"Z9000\" = 1.0 }\n[[year]]\nyear = 2026\nspend_usd = 1e9\nmix = { \"H100 SXM\" = 1.0 }\n",
    );
    flopledger()
        .args(["scenario", "--capex"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("default_mix names \"Z9000\""));
}

#[test]
fn scenario_csv_has_no_negative_zero() {
    let out = flopledger()
        .args(["scenario", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(csv.lines().count() > 8, "{csv}");
    assert!(!csv.contains(",-0.0,"), "{csv}");
}

/// A chip of the capex file named like a catalog chip replaces it, and the run says so.
#[test]
fn a_capex_chip_with_a_catalog_name_is_said_to_replace_it() {
    // (the file's chip, the mix, the note expected): a catalog name the mix uses; a name the
    // catalog would match only by a word of it; a file chip the mixes do not use.
    for (chip, mix, note) in [
        (
            "B200",
            "B200",
            Some("is the file's [chips.\"B200\"], not the catalog's NVIDIA B200"),
        ),
        ("x", "x", None),
        ("\"my-asic-4090\"", "\"RTX 4090\"", None),
    ] {
        let (_dir, plan) = temp_file(
            "capex.toml",
            format!(
                "[chips.{chip}]\nprice_usd = 30000\nflop_per_s = 2.2e15\nwatts = 1000\n\
                 bandwidth_gbs = 8000\nmemory_gb = 180\n[[year]]\nyear = 2025\nspend_usd = 1e9\n\
                 mix = {{ {mix} = 1.0 }}\n"
            ),
        );
        let run = flopledger()
            .args(["scenario", "--capex"])
            .arg(&plan)
            .assert()
            .success();
        // A file chip bought in a mix rents at its attributes' price alone, and the run says so.
        let run = if mix == "\"RTX 4090\"" {
            run.stdout(predicate::str::contains("attributes alone").not())
        } else {
            run.stdout(predicate::str::contains(
                "rent at the market's price of their attributes alone",
            ))
        };
        match note {
            Some(says) => run
                .stderr(predicate::str::contains("\"B200\" in the mixes of "))
                .stderr(predicate::str::contains(says)),
            None => run.stderr(predicate::str::contains("not the catalog's").not()),
        };
    }
}

/// The standard error of `scenario --capex PLAN`, which must be refused as bad input: exit 2
/// and nothing on standard output.
fn scenario_refused(plan: &std::path::Path) -> String {
    let got = flopledger()
        .args(["scenario", "--capex"])
        .arg(plan)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&got.stderr).into_owned();
    assert_eq!(got.status.code(), Some(2), "{}: {err}", plan.display());
    assert!(got.stdout.is_empty(), "{err}");
    err
}

/// A mix key that lists several chips is refused with the mix written one key per chip: "H100
/// SXM, B200" had bought H100s alone, and "H100 SXM; B200" was told `--chips`' spelling.
#[test]
fn a_mix_key_naming_several_chips_is_refused_with_one_key_each() {
    for key in ["H100 SXM, B200", "H100 SXM; B200"] {
        let (_dir, plan) = temp_file(
            "capex.toml",
            format!(
                "horizon = 2030\n[[year]]\nyear = 2025\nspend_usd = 1e9\nmix = {{ \"{key}\" = 1.0 }}\n"
            ),
        );
        let err = scenario_refused(&plan);
        assert!(
            err.contains("a mix key names one chip")
                && err.contains("mix = { \"H100 SXM\" = …, \"B200\" = … }")
                && !err.contains("--chips"),
            "{key}: {err}"
        );
    }
}

/// A chip the capex file defines is held to the dates the market data speak for, as a catalog
/// chip is: bought in 1975 it was worth 5 × its capex, in 2090 nothing, both with exit 0.
#[test]
fn a_capex_chip_bought_outside_the_market_data_is_refused() {
    for (year, says) in [
        (1975, "before the market data's first price"),
        (2090, "after the market data's last price"),
    ] {
        let (_dir, plan) = temp_file(
            "capex.toml",
            format!(
                "horizon = {}\n[chips.x]\nprice_usd = 20000\nflop_per_s = 1e15\nwatts = 600\n\
                 bandwidth_gbs = 3350\nmemory_gb = 80\n[[year]]\nyear = {year}\n\
                 spend_usd = 1e9\nmix = {{ x = 1.0 }}\n",
                year + 5
            ),
        );
        let err = scenario_refused(&plan);
        assert!(
            err.contains("the capex plan buys x") && err.contains(says),
            "{year}: {err}"
        );
        assert!(err.contains("values purchases from"), "{err}");
    }
}

/// A mistyped exponent (`--pue 1e308`) or a vanishing utilisation or life is refused with the
/// range the flag takes, before anything is computed: no overflowing figure reaches the output.
#[test]
fn values_that_would_overflow_every_figure_are_refused() {
    for (command, flag, value, says) in [
        ("depreciate", "--pue", "1e308", "between 1 and 5"),
        ("depreciate", "--overhead", "1e308", "between 1 and 10"),
        ("depreciate", "--utilization", "1e-308", "[0.001, 1]"),
        ("depreciate", "--life-years", "1e-308", "1/12"),
        ("depreciate", "--watts", "1e308", "from 0.1 to 10000 W"),
        (
            "cost",
            "--facility-usd-per-kw-month",
            "1e308",
            "$10,000 per kW-month",
        ),
        ("cost", "--usd-per-kwh", "1e308", "$10/kWh"),
    ] {
        let out = flopledger()
            .args([command, "--chips", "H100 SXM", flag, value])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{command} {flag} {value}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{command} {flag} {value}: {err}");
        assert!(
            out.stdout.is_empty(),
            "{command} {flag} {value} printed a result"
        );
    }
}

/// Renters pay for the ecosystem too: the MI300X (5.3 TB/s) rents for less than the H100
/// (3.35 TB/s) through its vendor effect, which the JSON and the text both state; a vendor
/// without rows in the panel (Intel), or outside those the fit prices apart (Huawei), rents
/// at the mean of AMD's and Google's effects, and says so.
#[test]
fn an_amd_chip_rents_below_an_nvidia_chip_of_less_bandwidth() {
    let v = json(&["--chips", "MI300X,H100 SXM"]);
    let rent = |i: usize| {
        v["chips"][i]["point"]["rent0_usd_per_hour"]
            .as_f64()
            .unwrap()
    };
    let effect = &v["chips"][0]["vendor_effect"];
    assert_eq!(effect["vendor"], "AMD");
    assert_eq!(effect["fixed_at_zero"], false);
    assert_eq!(effect["priced_as"], "own");
    assert!(effect["rent_factor"].as_f64().unwrap() < 0.8, "{effect}");
    assert!(v["chips"][1]["vendor_effect"].is_null());
    assert!(
        rent(0) < rent(1),
        "MI300X {} against H100 {}",
        rent(0),
        rent(1)
    );
    flopledger()
        .args(["depreciate", "--chips", "Gaudi 3"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "vendor Intel: the panel does not price it apart",
        ));
    // The JSON's notes carry it too, not only `vendor_effect.fixed_at_zero`.
    let gaudi = json(&["--chips", "Gaudi 3"]);
    assert_eq!(gaudi["chips"][0]["vendor_effect"]["fixed_at_zero"], true);
    let both = json(&["--chips", "Gaudi 3,Ascend 910B"]);
    let amd = effect["rent_factor"].as_f64().unwrap();
    for (i, vendor) in [(0, "Intel"), (1, "Huawei")] {
        let e = &both["chips"][i]["vendor_effect"];
        assert_eq!(e["vendor"], vendor);
        assert_eq!(e["fixed_at_zero"], true);
        assert_eq!(e["pooled_from"], serde_json::json!(["AMD", "Google"]));
        assert_eq!(e["priced_as"], "pooled");
        let factor = e["rent_factor"].as_f64().unwrap();
        assert!(
            factor > amd && factor < 1.0,
            "{vendor} {factor} against AMD {amd}"
        );
        assert!(
            both["chips"][i]["notes"].to_string().contains(
                "so it rents at the mean effect of the vendors the panel prices apart (AMD, Google)"
            ),
            "{}",
            both["chips"][i]["notes"]
        );
    }
    assert!(
        gaudi["chips"][0]["notes"]
            .to_string()
            .contains("vendor Intel: the panel does not price it apart"),
        "{}",
        gaudi["chips"][0]["notes"]
    );
}

/// Each valuation says where the chip's rent comes from: its own prices in the panel, how far
/// the fit sits from them with and without having seen them, or that it has none.
#[test]
fn each_chip_states_the_evidence_for_its_rent() {
    let v = json(&["--chips", "H100 SXM,Gaudi 3"]);
    let h100 = &v["chips"][0]["rent_evidence"];
    assert!(h100["observed_prices"].as_u64().unwrap() > 10, "{h100}");
    let inn = h100["in_fit"]["mape"].as_f64().unwrap();
    let out = h100["held_out"]["mape"].as_f64().unwrap();
    assert!(inn > 0.0 && out >= inn && out < 1.0, "{h100}");
    let gaudi = &v["chips"][1]["rent_evidence"];
    assert_eq!(gaudi["observed_prices"], 0);
    assert!(gaudi["in_fit"].is_null() && gaudi["held_out"].is_null());
    // The line wraps to the terminal: read it with its words joined.
    let text = depreciate_text(&["--chips", "H100 SXM,Gaudi 3"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for said in [
        "observed prices of this chip, from",
        "pairs of provider and basis, sit",
        "its neocloud rent is priced",
        "fitted without them",
        "no price of this chip in the panel",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
    // The level it is priced with is the JSON's, in the owner's class.
    let level = h100["level"]["neocloud"]["ln_level"].as_f64().unwrap();
    let said = format!("priced {:.0} % above", (level.exp() - 1.0) * 100.0);
    assert!(level > 0.0 && text.contains(&said), "{said}: {text}");
}

/// A chip without a launch price is refused with the fix, and the message offers the market
/// model's own price of it new (which does not depend on what an owner pays): valued at that
/// price, the chip's market price new is the same figure.
#[test]
fn a_chip_without_a_price_is_refused_with_the_markets_price_of_it() {
    let err = depreciate_refused(&["--chips", "MI355X"]);
    assert!(
        err.contains("has no launch price") && err.contains("--price-usd"),
        "{err}"
    );
    let dollars = |after: &str, before: &str| -> f64 {
        err.split(after)
            .nth(1)
            .and_then(|t| t.split(before).next())
            .map(|t| t.replace(',', ""))
            .and_then(|t| t.parse().ok())
            .unwrap_or_else(|| panic!("no price offered: {err}"))
    };
    let offered = dollars(" at $", " with its server share");
    let card = dollars("server share, $", " for the card");
    let v = json(&["--chips", "MI355X", "--price-usd", &card.to_string()]);
    let new = v["chips"][0]["point"]["value0_usd"].as_f64().unwrap();
    assert!((new - offered).abs() <= 1.0, "{new} against {offered}");
    // The card's price, as --price-usd takes it, makes a capex of the market price: the
    // overhead is counted once (the market price passed as the price paid counted it twice).
    let capex = v["chips"][0]["capex_usd"].as_f64().unwrap();
    assert!((capex - offered).abs() <= 1.0, "{capex} against {offered}");
}

/// Several chips: one without a catalog price joins the table through a price-file entry of its
/// own, is left out (named, with the fix) without one, and when none can be valued the command
/// stops with each chip and what it lacks, not with an empty table.
#[test]
fn chips_without_a_price_join_through_the_price_file_or_are_named() {
    let (_dir, prices) = temp_file(
        "prices.toml",
        "[[price]]\nitem = \"price_usd\"\nchip = \"L40S\"\nvalue = 8000\nunit = \"USD\"\n\
         source = \"test quote\"\nas_of = \"2024-05-02\"\n",
    );
    let prices = prices.to_str().unwrap();
    let v = json(&["--chips", "L40S,H100 SXM,T4", "--price-file", prices]);
    let names: Vec<&str> = v["chips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["chip"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["NVIDIA L40S", "NVIDIA H100 SXM5 80GB"], "{v}");
    let out = flopledger()
        .args([
            "depreciate",
            "--chips",
            "L40S,H100 SXM,T4",
            "--price-file",
            prices,
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).replace("\n  ", " ");
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("left out: NVIDIA Tesla T4 (no launch price)") && err.contains("--price-file"),
        "{err}"
    );
    let err = depreciate_refused(&["--chips", "L40S,T4"]);
    assert!(
        err.contains(
            "none of the chips can be valued: NVIDIA L40S (no launch price); NVIDIA Tesla T4"
        ) && err.contains("--price-file"),
        "{err}"
    );
}

/// Where the running costs take most of the rent, the value rests on a thin margin: the output
/// says so with the value at 10 % more rent, which moves it by more than 10 %; a chip with a wide
/// margin gets no such line, and its value moves by less than twice the rent.
#[test]
fn a_thin_margin_is_said_with_what_10_percent_more_rent_is_worth() {
    let sens = |v: &serde_json::Value| {
        let c = &v["chips"][0];
        let r = &c["rent_sensitivity"];
        (
            r["cost_share_year1"].as_f64().unwrap(),
            r["thin"].as_bool().unwrap(),
            c["point"]["value0_usd"].as_f64().unwrap(),
            r["value0_usd_rent_plus_10pct"].as_f64().unwrap(),
        )
    };
    let (share, thin, v0, higher) = sens(&json(&["--chips", "L40S", "--price-usd", "13000"]));
    assert!(thin && share >= 0.75, "{share}");
    assert!(v0 > 0.0 && higher > 1.2 * v0, "{v0} → {higher}");
    let (share, thin, v0, higher) = sens(&json(&["--chips", "H100 SXM"]));
    assert!(!thin && share < 0.75, "{share}");
    assert!(higher > 1.1 * v0 && higher < 1.2 * v0, "{v0} → {higher}");
    let l40s = depreciate_text(&["--chips", "L40S", "--price-usd", "13000"]);
    assert!(
        l40s.contains("margin: year 1's running costs (this owner's) take")
            && l40s.contains("with every rent 10 % higher it is worth"),
        "{l40s}"
    );
    assert!(!depreciate_text(&["--chips", "H100 SXM"]).contains("running costs (this owner's)"));
}

/// A consumer card is priced apart from data-centre chips where the panel rents consumer cards
/// enough (the shipped panel: 37 rents of the RTX 3090, 4090 and 5090, 2021–2026); a panel
/// without them prices it
/// from data-centre rents, and the notes and the verdict say its value is likely too high
/// (outside rents had put the three cards at +99 to +297 % then, helpers' sweeps); a
/// data-centre chip gets neither.
#[test]
fn a_consumer_card_is_priced_apart_where_the_panel_rents_them() {
    let v = json(&["--chips", "RTX 4090,H100 SXM"]);
    let notes = |v: &serde_json::Value, i: usize| v["chips"][i]["notes"].to_string();
    let verdict =
        |v: &serde_json::Value, i: usize| v["chips"][i]["verdict"].as_str().unwrap().to_string();
    assert!(
        notes(&v, 0).contains(
            "the fit prices consumer cards apart from data-centre chips, from 37 rents of 3 cards"
        ),
        "{}",
        notes(&v, 0)
    );
    assert!(
        !verdict(&v, 0).contains("likely too high"),
        "{}",
        verdict(&v, 0)
    );
    let effect = v["market"]["coefficients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "consumer card")
        .and_then(|c| c["estimate"].as_f64())
        .unwrap();
    assert!(effect < -0.3, "{effect}");
    // The rent of the 4090 at its release lies near its panel prices ($0.34–0.74), far
    // under the $0.94 a data-centre chip of its bandwidth rented for.
    let rent = v["chips"][0]["point"]["rent0_usd_per_hour"]
        .as_f64()
        .unwrap();
    assert!(rent > 0.2 && rent < 0.7, "{rent}");
    // A data centre's running costs take more than that rent: the note says how a card run in
    // a workstation is valued.
    assert!(
        notes(&v, 0).contains("--facility-usd-per-kw-month 0 --network-staff-usd-per-kw-year 0"),
        "{}",
        notes(&v, 0)
    );
    assert!(!notes(&v, 1).contains("consumer card") && !verdict(&v, 1).contains("consumer card"));

    // The shipped panel without its consumer rents.
    let all = std::fs::read_to_string("data/market_rents.csv").unwrap();
    let dc: String = all
        .lines()
        .filter(|l| !l.starts_with("NVIDIA GeForce"))
        .map(|l| format!("{l}\n"))
        .collect();
    // Consumer rents alone have no data-centre base to be priced apart from (the column had
    // read "1.00 ×"): the card is priced on its own rents, and nothing says "apart".
    let gf: String = all
        .lines()
        .filter(|l| l.starts_with("chip,") || l.starts_with("NVIDIA GeForce"))
        .map(|l| format!("{l}\n"))
        .collect();
    let (_gdir, gpanel) = temp_file("gf-rents.csv", &gf);
    let g = json(&[
        "--chips",
        "RTX 3090",
        "--market-file",
        gpanel.to_str().unwrap(),
        "--rent-basis",
        "on-demand",
    ]);
    assert!(!notes(&g, 0).contains("apart"), "{}", notes(&g, 0));
    let (_dir, panel) = temp_file("dc-rents.csv", &dc);
    let w = json(&[
        "--chips",
        "RTX 4090,H100 SXM",
        "--market-file",
        panel.to_str().unwrap(),
    ]);
    assert!(
        notes(&w, 0).contains("it is a consumer card: the panel does not price"),
        "{}",
        notes(&w, 0)
    );
    assert!(
        verdict(&w, 0).ends_with(
            "but the panel does not price consumer cards (see the notes), so its economic value \
             is likely too high, and the verdict with it"
        ),
        "{}",
        verdict(&w, 0)
    );
}

/// The life is also valued with every rent 10 % lower and higher. Where the margin stays near
/// zero for years those lives lie far apart (an H100 at 45 % utilisation: a helper's sweep found
/// 2.5 years there and 4.25 at 46 %), and the output says the life is steep; at the defaults
/// the H100's lives lie closer and nothing is said.
#[test]
fn a_steep_life_is_said_with_the_lives_at_10_percent_less_and_more_rent() {
    let lives = |args: &[&str]| {
        let v = json(args);
        let c = &v["chips"][0];
        let r = &c["rent_sensitivity"];
        (
            r["life_years_rent_minus_10pct"].as_f64().unwrap(),
            c["point"]["life_years"].as_f64().unwrap(),
            r["life_years_rent_plus_10pct"].as_f64().unwrap(),
            r["steep_life"].as_bool().unwrap(),
        )
    };
    let (lower, life, higher, steep) = lives(&["--chips", "H100 SXM", "--utilization", "0.45"]);
    assert!(
        lower < life && life < higher && steep,
        "{lower} {life} {higher}"
    );
    assert!(higher - lower >= 3.0, "{lower} {higher}");
    let (lower, life, higher, steep) = lives(&["--chips", "H100 SXM"]);
    assert!(
        lower < life && life < higher && !steep,
        "{lower} {life} {higher}"
    );
    let text = depreciate_text(&["--chips", "H100 SXM", "--utilization", "0.45"]);
    assert!(
        text.contains("steep life: with every rent 10 % lower its economic life is"),
        "{text}"
    );
    assert!(!depreciate_text(&["--chips", "H100 SXM"]).contains("steep life"));
}

/// The shipped panel's hyperscaler providers, as its `provider` column names them.
const HYPERSCALERS: [&str; 6] = [
    "AWS",
    "GCP",
    "Azure",
    "Oracle Cloud",
    "Baidu Cloud",
    "Alibaba Cloud",
];

/// The shipped rent panel with each row's fields as `rewrite` returns them (`None` leaves the
/// row out), as a file of its own.
fn panel_rewritten(
    rewrite: impl Fn(Vec<String>) -> Option<Vec<String>>,
) -> (tempfile::TempDir, std::path::PathBuf) {
    let shipped = include_str!("../data/market_rents.csv");
    let mut reader = csv::Reader::from_reader(shipped.as_bytes());
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(reader.headers().unwrap()).unwrap();
    for r in reader.records() {
        let fields: Vec<String> = r.unwrap().iter().map(str::to_string).collect();
        if let Some(out) = rewrite(fields) {
            writer.write_record(&out).unwrap();
        }
    }
    temp_file("rents.csv", writer.into_inner().unwrap())
}

/// The shipped rent panel's rows that `keep` accepts (by chip, date, provider, basis), as a file
/// of its own.
fn panel_where(keep: impl Fn(&[&str]) -> bool) -> (tempfile::TempDir, std::path::PathBuf) {
    panel_rewritten(|f| keep(&[&f[0], &f[1], &f[3], &f[5]]).then_some(f))
}

/// A market file that cannot price what is asked stops with the fix: no prices of the owner's
/// provider class or basis (their effects would be fixed at zero, pricing the segment as another
/// one), or prices of one chip only; a panel whose frontier effect is 0 is valued, with a note
/// that lives then run long.
#[test]
fn a_market_file_that_cannot_price_the_question_says_what_would() {
    let refused = |path: &std::path::Path, extra: &[&str], needles: &[&str]| {
        let out = flopledger()
            .args(["depreciate", "--chips", "H100 SXM", "--market-file"])
            .arg(path)
            .args(extra)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(out.stdout.is_empty());
        for n in needles {
            assert!(err.contains(n), "{n}: {err}");
        }
    };
    // Hyperscaler lists alone: no neocloud rent to set a buyer's price on, whatever the
    // owner's class (valued on the lists, every chip lived to the 30-year cap).
    let (_h, hyperscalers) = panel_where(|r| ["AWS", "GCP", "Azure"].contains(&r[2]));
    for class in [&[][..], &["--rent-class", "hyperscaler"][..]] {
        refused(
            &hyperscalers,
            class,
            &["holds no neocloud prices", "market price", "add neocloud"],
        );
    }
    // Neocloud prices alone: a hyperscaler owner's class is refused, naming the other class.
    let (_n, neoclouds) = panel_where(|r| !HYPERSCALERS.contains(&r[2]));
    refused(
        &neoclouds,
        &["--rent-class", "hyperscaler"],
        &["holds no hyperscaler prices", "--rent-class neocloud"],
    );
    let (_o, on_demand) = panel_where(|r| r[3] == "on-demand");
    refused(
        &on_demand,
        &[],
        &["holds no reserved-1y prices", "--rent-basis", "(on-demand)"],
    );
    refused(
        &on_demand,
        &["--observed"],
        &["holds no reserved-1y prices"],
    );
    json(&[
        "--chips",
        "H100 SXM",
        "--market-file",
        on_demand.to_str().unwrap(),
        "--rent-basis",
        "on-demand",
    ]);
    let (_c, one) = panel_where(|r| r[0] == "NVIDIA H100 SXM5 80GB");
    refused(
        &one,
        &[],
        &["1 chip (NVIDIA H100 SXM5 80GB)", "at least 3", "--rents"],
    );
    let (_e, early) = panel_where(|r| r[1] < "2020-01-01");
    let flat = "no fall of a fixed chip's";
    let args = ["--chips", "V100 SXM2 16GB", "--market-file"];
    let stdout = depreciate_text(&[&args[..], &[early.to_str().unwrap()]].concat());
    assert!(stdout.contains(flat), "{stdout}");
    assert!(!depreciate_text(&["--chips", "V100 SXM2 16GB"]).contains(flat));
}

/// Rents the fit has not seen, scored: the shipped outside file (Prime Intellect's aggregated
/// marketplace, October–November 2025) is out of sample; the fitted panel scored as if it were
/// outside says every row is in the fit and reproduces the in-fit errors of the leave-one-chip-out
/// table; the flag needs --validate.
#[test]
fn rents_the_fit_has_not_seen_are_scored_per_chip() {
    let v = json(&["--validate", "--score-rents", "data/outside_rents.csv"]);
    let o = &v["outside"];
    assert_eq!(o["also_in_fit"], 0, "{o}");
    assert_eq!(o["overall"]["n"], 24);
    assert_eq!(o["per_chip"].as_array().unwrap().len(), 6);
    let mape = o["overall"]["mape"].as_f64().unwrap();
    let bias = o["overall"]["bias"].as_f64().unwrap();
    assert!(mape >= bias.abs() && mape > 0.0, "{o}");
    let v = json(&["--validate", "--score-rents", "data/market_rents.csv"]);
    let o = &v["outside"];
    assert_eq!(o["also_in_fit"], 368, "{}", o["also_in_fit"]);
    let in_fit = &v["holdout"]["in_fit"];
    assert_eq!(o["overall"]["n"], in_fit["n"]);
    assert!(
        (o["overall"]["mape"].as_f64().unwrap() - in_fit["mape"].as_f64().unwrap()).abs() < 1e-12
    );
    // --chips keeps those chips' rows; the overall row stays the file's.
    let v = json(&[
        "--validate",
        "--chips",
        "H200",
        "--score-rents",
        "data/outside_rents.csv",
    ]);
    let rows = v["outside"]["per_chip"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["chip"], "NVIDIA H200 SXM 141GB");
    assert_eq!(v["outside"]["overall"]["n"], 24);
    let text = depreciate_text(&["--validate", "--score-rents", "data/outside_rents.csv"]);
    assert!(text.contains("Rents the fit has not seen"), "{text}");
    // A file with no row the fit can price is refused, not scored as "0 prices, 0 %".
    let (_dir, unknown) = temp_file(
        "unknown.csv",
        "chip,date,usd_per_gpu_hour,provider,basis\nFoo 9000,2025-01-01,2.0,RunPod,on-demand\n",
    );
    let flags = [OsStr::new("--validate"), OsStr::new("--score-rents")];
    let err = depreciate_refused(&[&flags[..], &[unknown.as_os_str()]].concat());
    assert!(
        err.contains("no row names a chip") && err.contains("Foo 9000"),
        "{err}"
    );
    let err = depreciate_refused(&[
        "--chips",
        "H100 SXM",
        "--score-rents",
        "data/outside_rents.csv",
    ]);
    assert!(err.contains("--validate"), "{err}");
}

/// `--chips` narrows the validation's per-chip rows to those chips; the overall rows stay the
/// whole panel's.
#[test]
fn validate_with_chips_keeps_those_chips_rows() {
    let v = json(&["--validate", "--chips", "H100 SXM"]);
    let per_chip = v["backtest"]["per_chip"].as_object().unwrap();
    assert_eq!(
        per_chip.keys().collect::<Vec<_>>(),
        ["NVIDIA H100 SXM5 80GB"]
    );
    let held = v["holdout"]["per_chip"].as_array().unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0]["chip"], "NVIDIA H100 SXM5 80GB");
    assert!(
        v["holdout"]["held_out"]["n"].as_u64().unwrap()
            > held[0]["held_out"]["n"].as_u64().unwrap()
    );
    flopledger()
        .args(["depreciate", "--validate", "--chips", "H100 SXM"])
        .assert()
        .success()
        .stdout(predicate::str::contains("NVIDIA Tesla K80").not());
}

/// A chip the data has no price of narrows nothing away: `--validate --chips` names it and the
/// checks still run (`--observed`, which asks for nothing else, refuses it).
#[test]
fn validate_names_a_chip_the_data_has_no_price_of_and_runs_the_rest() {
    let v = json(&["--validate", "--chips", "MI355X,H100 SXM"]);
    let skipped = v["skipped"].as_array().unwrap();
    assert!(
        skipped
            .iter()
            .any(|s| s.as_str().unwrap().contains("AMD Instinct MI355X")),
        "{skipped:?}"
    );
    assert_eq!(v["observed"]["not_observed"][0], "AMD Instinct MI355X");
    assert!(!v["observed"]["series"].as_array().unwrap().is_empty());
    assert_eq!(v["holdout"]["per_chip"].as_array().unwrap().len(), 1);
    flopledger()
        .args(["depreciate", "--validate", "--chips", "MI355X"])
        .assert()
        .success()
        .stdout(predicate::str::contains("all prices"))
        .stdout(predicate::str::contains(
            "it has no price of AMD Instinct MI355X",
        ));
    flopledger()
        .args(["depreciate", "--observed", "--chips", "MI355X"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no observed prices for AMD Instinct MI355X",
        ));
}

#[test]
fn the_verdict_names_the_gaps_direction_and_gives_its_band_signed() {
    for chip in ["H100 SXM", "V100 32GB", "B200", "MI300X"] {
        let v = json(&["--chips", chip]);
        let c = &v["chips"][0];
        let gap = c["book"]["overstatement"].as_f64().unwrap();
        let verdict = c["verdict"].as_str().unwrap();
        let pct = |x: f64| format!("{:+.0}", x * 100.0 + 0.0);
        let band = &c["bands"]["book_overstatement"];
        let (p5, p95) = (band["p5"].as_f64().unwrap(), band["p95"].as_f64().unwrap());
        // A band that holds zero cannot tell the direction, and the verdict says so; else it
        // names the point's.
        let (word, direction) = if p5 < 0.0 && p95 > 0.0 {
            ("the bands cannot tell whether", "unclear")
        } else if gap >= 0.0 {
            ("overstates economic value", "overstates")
        } else {
            ("understates economic value", "understates")
        };
        assert!(verdict.contains(word), "{verdict}");
        assert_eq!(c["book"]["direction"], direction, "{verdict}");
        let expected = format!("5–95 %: {}–{} %)", pct(p5), pct(p95));
        assert!(verdict.contains(&expected), "{verdict} lacks {expected}");
    }
}

#[test]
fn a_chip_older_than_the_rental_market_is_refused_with_the_dates_it_can_have() {
    // The GTX 280 (2008) by default is bought at its release, eight years before the panel's
    // first price (2016-10-11): its rents would be the later market's run backwards.
    flopledger()
        .args(["depreciate", "--chips", "NVIDIA GeForce GTX 280"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "more than 2 years before the market data's first price (2016-10-11)",
        ))
        .stderr(predicate::str::contains("--purchase-date from 2014-10-11"))
        .stderr(predicate::str::contains("--launch-trend"));
    // The first date the message offers is accepted.
    let v = json(&[
        "--chips",
        "NVIDIA GeForce GTX 280",
        "--purchase-date",
        "2014-10-11",
    ]);
    assert!(life(&v, 0).is_finite());
    // A chip released within the window keeps its release date as the default.
    let v = json(&["--chips", "Tesla K80"]);
    assert_eq!(v["chips"][0]["purchase_date"], "2014-11-15");
}

/// One purchase or rent price for several chips (a flag, or a price-file entry without `chip`)
/// is refused by every command that values chips together; per-chip entries are taken, and the
/// chip-less entry still prices one chip.
#[test]
fn one_price_for_several_chips_is_refused() {
    let (_dir, shared) = temp_file(
        "p.toml",
        "[[price]]\nitem = \"price_usd\"\nvalue = 27000\nunit = \"USD\"\nsource = \"quote\"\n\
         as_of = \"2025-05-02\"\n",
    );
    let two = "H100 SXM,B200";
    flopledger()
        .args(["cost", "--chips", two, "--price-usd", "1000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--price-usd prices one chip, and 2 chips",
        ));
    for cmd in [["cost", "--chips"], ["depreciate", "--chips"]] {
        flopledger()
            .args(cmd)
            .arg(two)
            .arg("--price-file")
            .arg(&shared)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("it names no `chip`"));
    }
    flopledger()
        .args(["scenario", "--price-file"])
        .arg(&shared)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("every chip of the capex mix"));
    flopledger()
        .args(["cost", "--chips", "H100 SXM", "--price-file"])
        .arg(&shared)
        .assert()
        .success();
    let (_d2, per_chip) = temp_file(
        "q.toml",
        "[[price]]\nitem = \"price_usd\"\nchip = \"B200\"\nvalue = 40000\nunit = \"USD\"\n\
         source = \"quote\"\nas_of = \"2025-05-02\"\n",
    );
    flopledger()
        .args(["cost", "--chips", two, "--price-file"])
        .arg(&per_chip)
        .assert()
        .success();
    // A scenario names the entries it has no use for: a chip in none of its mixes, and a rent.
    let (_d3, unused) = temp_file(
        "u.toml",
        "[[price]]\nitem = \"price_usd\"\nchip = \"MI300X\"\nvalue = 30000\nunit = \"USD\"\n\
         source = \"quote\"\nas_of = \"2025\"\n\n[[price]]\nitem = \"cloud_usd_per_hour\"\n\
         chip = \"B200\"\nvalue = 3\nunit = \"USD/hour\"\nsource = \"quote\"\nas_of = \"2025\"\n",
    );
    let text = common::words(&command_ok(
        "scenario",
        &[OsStr::new("--price-file"), unused.as_os_str()],
    ));
    assert!(
        text.contains("(`price_usd` for AMD Instinct MI300X) applies to none of the chips here")
            && text.contains("`cloud_usd_per_hour` entry changes nothing in a scenario"),
        "{text}"
    );
}

/// A market file's skipped rows are named in the text, not only counted: a chip the catalog
/// lacks, and a row repeated whole.
#[test]
fn skipped_market_rows_are_named() {
    let shipped = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/market_rents.csv"),
    )
    .unwrap();
    let last = shipped.lines().last().unwrap().to_string();
    let text = format!(
        "{shipped}Acme Z9,2025-01-01,3.0,Lambda,x,on-demand,s,u,n\n{last}\n",
        shipped = if shipped.ends_with('\n') {
            shipped.clone()
        } else {
            format!("{shipped}\n")
        }
    );
    let (_dir, path) = temp_file("m.csv", text);
    let out = depreciate_text(&[
        "--chips",
        "H100 SXM",
        "--market-file",
        path.to_str().unwrap(),
    ]);
    assert!(
        out.contains("skipped: row") && out.contains("Acme Z9 is not in the catalog"),
        "{out}"
    );
    assert!(
        out.contains("repeats row") && out.contains("counted once"),
        "{out}"
    );
}

/// A skipped row's chip cell is quoted with its escape sequence shown, not sent to the
/// terminal, and an empty cell is said to be empty (a helper's sweep: "skipped: row 7:
/// \x1b[2JNVIDIA H100 could be any of …" cleared the screen, and "skipped: row 8:  is not in
/// the catalog" named nothing).
#[test]
fn skipped_market_rows_show_escapes_and_empty_chip_cells() {
    let shipped = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/market_rents.csv"),
    )
    .unwrap();
    let text = format!(
        "{}\n\u{1b}[2JNVIDIA H100,2025-01-01,3.0,Lambda,x,on-demand,s,u,n\n\
         ,2025-01-01,3.0,Lambda,x,on-demand,s,u,n\n",
        shipped.trim_end()
    );
    let (_dir, path) = temp_file("m.csv", text);
    for args in [
        &["depreciate", "--chips", "H100 SXM", "--market-file"][..],
        &["depreciate", "--validate", "--score-rents"],
    ] {
        let out = flopledger().args(args).arg(&path).output().expect("runs");
        assert!(out.status.success(), "{args:?}");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !all.contains('\u{1b}'),
            "{args:?}: an escape reached the output"
        );
        // The escape's leftover `2J` joins the next word, which no H100 row has: the skip says
        // so (it had read "could be any of" the H100s).
        assert!(
            all.contains("chip name '\\u{1b}[2JNVIDIA H100': '2JNVIDIA' matches nothing")
                && all.contains("the chip cell is empty"),
            "{args:?}: {all}"
        );
    }
}

#[test]
fn a_launch_price_years_before_the_purchase_is_flagged_with_the_markets_price() {
    let later = depreciate_text(&["--chips", "H100 SXM", "--purchase-date", "2026-06-01"]);
    assert!(
        later.contains("the launch price dates from 2022-09, 3.7 years before this purchase")
            && later.contains("the market model prices the chip at $")
            && later.contains("pass --price-usd"),
        "{later}"
    );
    // Bought at release, or at a price the user gives (dated at the purchase), no such note.
    let at_release = depreciate_text(&["--chips", "H100 SXM"]);
    assert!(!at_release.contains("the launch price dates from"));
    let paid = depreciate_text(&[
        "--chips",
        "H100 SXM",
        "--purchase-date",
        "2026-06-01",
        "--price-usd",
        "22000",
    ]);
    assert!(!paid.contains("the launch price dates from"), "{paid}");
    assert!(
        paid.contains("(flag --price-usd, as of 2026-06-01)"),
        "{paid}"
    );
    // A price file's quote dated years after the purchase is taken as paid, with a note; a
    // price dated by month gets a whole date to pass, as `--purchase-date` takes only those.
    let (_dir, prices) = price_file("H100 SXM", 18000.0, "broker quote", "2026-10");
    let prices = prices.to_str().unwrap();
    let quoted = depreciate_text(&["--chips", "H100 SXM", "--price-file", prices]);
    assert!(
        quoted.contains("the price file's price is dated 2026-10, 4.0 years after this purchase")
            && quoted.contains("pass --purchase-date 2026-10-01"),
        "{quoted}"
    );
    let then = depreciate_text(&[
        "--chips",
        "H100 SXM",
        "--price-file",
        prices,
        "--purchase-date",
        "2026-10-01",
    ]);
    assert!(!then.contains("the price file's price is dated"), "{then}");
}

/// The capex file of docs/depreciation.md runs as written; its chip priced in thousands (20 for
/// $20,000) is valued with a note that says so, as `--price-usd 30` for an H100 is.
#[test]
fn the_documented_capex_file_runs_and_a_price_in_thousands_is_said() {
    let doc = include_str!("../docs/depreciation.md");
    let start = doc.find("```toml\n").unwrap() + "```toml\n".len();
    let toml = &doc[start..start + doc[start..].find("```").unwrap()];
    assert!(toml.contains("[chips.\"my-asic\"]"), "{toml}");
    let scenario = |plan: &str| {
        let (_dir, path) = temp_file("plan.toml", plan);
        let out = command_ok("scenario", &[OsStr::new("--capex"), path.as_os_str()]);
        String::from_utf8_lossy(&out).into_owned()
    };
    let text = scenario(toml);
    assert!(!text.contains("capex of the my-asic"), "{text}");
    let text = scenario(&toml.replace("price_usd = 20000", "price_usd = 20"));
    assert!(
        text.contains("the capex of the my-asic, $28.00,") && text.contains("in thousands"),
        "{text}"
    );
    let h100 = depreciate_text(&["--chips", "H100 SXM", "--price-usd", "30"]);
    assert!(
        h100.contains("if its price was given in thousands"),
        "{h100}"
    );
}

/// A chip's own rents at a node's level are valued with a note that says so; rents dated
/// before the chip could be rented are refused; the market summary names the providers it took
/// as hyperscalers.
#[test]
fn own_rents_at_a_nodes_level_or_before_the_release_are_said_or_refused() {
    let (_dir, node) = temp_file(
        "node.csv",
        "date,usd_per_hour\n2023-06-01,22.80\n2024-06-01,19.0\n2025-12-01,15.92\n",
    );
    let h100_on = |rents: &std::path::Path| {
        [
            OsStr::new("--chips").to_os_string(),
            "H100 SXM".into(),
            "--rents".into(),
            rents.into(),
        ]
    };
    let out = depreciate_text(&h100_on(&node));
    assert!(
        out.contains("× the market model's rent") && out.contains("divide them by its GPUs"),
        "{out}"
    );
    let (_dir, early) = temp_file(
        "early.csv",
        "date,usd_per_hour\n2019-01-01,2.85\n2020-01-01,2.60\n2021-01-01,2.40\n",
    );
    let err = depreciate_refused(&h100_on(&early));
    assert!(
        err.contains("a rent dated 2019-01-01, before the NVIDIA H100 SXM5 80GB could be rented"),
        "{err}"
    );
    let plain = depreciate_text(&["--chips", "H100 SXM"]);
    assert!(
        plain.contains("providers: hyperscaler lists from AWS (")
            && plain.contains("other providers as neocloud"),
        "{plain}"
    );
}

/// A market file priced per node (every price × 8) is fitted as given, with a warning on stderr
/// that names the median ratio to the shipped fit; the shipped panel given as a file gets none.
#[test]
fn a_market_file_at_a_nodes_level_is_warned_of() {
    let (_dir, nodes) = panel_rewritten(|mut f| {
        f[2] = format!("{:.4}", f[2].parse::<f64>().unwrap() * 8.0);
        Some(f)
    });
    let (_dir2, same) = temp_file("same.csv", include_str!("../data/market_rents.csv"));
    for (path, warned) in [(&nodes, true), (&same, false)] {
        let out = flopledger()
            .args([
                OsStr::new("depreciate"),
                OsStr::new("--chips"),
                OsStr::new("H100 SXM"),
                OsStr::new("--market-file"),
                path.as_os_str(),
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            err.contains("warning: the rents of") && err.contains("divide each by its GPUs"),
            warned,
            "{err}"
        );
    }
}

/// Network and staff are charged by the all-in kW: a 70 W T4 pays a tenth of a 700 W H100's
/// $1,000 a year, and `--network-staff-usd-per-year` charges a flat amount per accelerator
/// instead, said under `assumptions`.
#[test]
fn network_and_staff_scale_with_the_chips_power() {
    let net = |v: &serde_json::Value| {
        v["chips"][0]["point"]["costs_year1"]["network_staff_usd"]
            .as_f64()
            .unwrap()
    };
    let h100 = net(&json(&["--chips", "H100 SXM"]));
    let t4 = net(&json(&["--chips", "T4", "--price-usd", "2000"]));
    assert!((h100 - 1000.0).abs() < 1.0, "{h100}");
    assert!((t4 / h100 - 0.1).abs() < 1e-9, "{t4} {h100}");
    let flat = json(&[
        "--chips",
        "T4",
        "--price-usd",
        "2000",
        "--network-staff-usd-per-year",
        "1000",
    ]);
    assert_eq!(net(&flat), 1000.0);
    let per_kw = flat["chips"][0]["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["item"] == "network_staff_usd_per_kw_year")
        .unwrap();
    assert_eq!(per_kw["value"], 0.0);
    assert!(per_kw["source"]
        .as_str()
        .unwrap()
        .contains("replaced by the cost per accelerator"));
}

/// A scenario runs every chip on the same running costs: a price-file running-cost entry
/// limited to one chip changes nothing, and the output says so instead of ignoring it.
#[test]
fn a_scenario_names_the_chip_running_costs_it_does_not_apply() {
    let (_dir, prices) = temp_file(
        "p.toml",
        "[[price]]\nitem = \"network_staff_usd_per_kw_year\"\nchip = \"GB200\"\nvalue = 0\n\
         unit = \"USD/kW-year\"\nsource = \"test\"\nas_of = \"2026-01\"\n",
    );
    let args = [
        OsStr::new("--json"),
        OsStr::new("--price-file"),
        prices.as_os_str(),
    ];
    let v: serde_json::Value = serde_json::from_slice(&command_ok("scenario", &args)).unwrap();
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("`network_staff_usd_per_kw_year` for NVIDIA GB200")
            && notes.contains("changes nothing in a scenario"),
        "{notes}"
    );
}

/// A hyperscaler owner's life no longer reaches the 30-year cap on lists that hardly fall: its
/// list earns at most its premium over the neocloud rent when new, said in its notes; the
/// neocloud owner of the same chip is valued as before, on the market's rent.
#[test]
fn a_hyperscaler_owner_is_valued_at_its_premium_when_new() {
    let v = json(&["--chips", "H100 SXM", "--rent-class", "hyperscaler"]);
    let chip = &v["chips"][0];
    assert_eq!(chip["point"]["life_capped"], false, "{chip}");
    let years = life(&v, 0);
    assert!(years > 5.0 && years < 30.0, "{years}");
    let notes = chip["notes"].to_string();
    assert!(
        notes.contains("earns at most the premium it had when the chip was new"),
        "{notes}"
    );
    // The premium is the chip's when new: bought later, it earns no more over the market, so
    // it is worth less (held from the purchase, lists drifting up against the market raised
    // the value of an H100 bought in 2026).
    let later = json(&[
        "--chips",
        "H100 SXM",
        "--rent-class",
        "hyperscaler",
        "--purchase-date",
        "2026-09-15",
        "--price-usd",
        "30000",
    ]);
    let point = |v: &serde_json::Value, k: &str| v["chips"][0]["point"][k].as_f64().unwrap();
    assert!(
        point(&later, "owner_value0_usd") < 0.8 * point(&v, "owner_value0_usd"),
        "{}",
        point(&later, "owner_value0_usd")
    );
    // Bought later, the fitted list it is not valued on is said beside the rent it is: the
    // rent at purchase had read far below the list its owner charges, without a word.
    let later_notes = later["chips"][0]["notes"].to_string();
    let list = later_notes
        .split("at purchase the fitted list is $")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|x| x.parse::<f64>().ok())
        .unwrap_or_else(|| panic!("{later_notes}"));
    let rent0 = point(&later, "rent0_usd_per_hour");
    assert!(
        later_notes.contains(&format!("this owner is valued on ${rent0:.2}")) && list > rent0,
        "{list} {rent0}: {later_notes}"
    );
    assert!(!notes.contains("fitted list is"), "{notes}");
    let neocloud = json(&["--chips", "H100 SXM"]);
    assert!(!neocloud["chips"][0]["notes"]
        .to_string()
        .contains("premium it had"));
    // The list is dearer than the neocloud rent, so the hyperscaler lives longer.
    assert!(years > life(&neocloud, 0), "{years}");
    // The premium is the owner's, not the chip's: the market price (what a buyer pays, the
    // residual) is the neocloud's, and the hyperscaler's own value is above it.
    assert_eq!(point(&v, "value0_usd"), point(&neocloud, "value0_usd"));
    assert!(notes.contains("a buyer of the used chip earns the neocloud rent"));
    assert!(point(&v, "owner_value0_usd") > 1.5 * point(&v, "value0_usd"));
    // So owning costs something: on a hyperscaler's on-demand premium the residual at 5 years
    // had been $129,866 against a capex of $47,040, and a worked hour cost -$0.15 (a helper's
    // sweep).
    let on_demand = json(&[
        "--chips",
        "H100 SXM",
        "--rent-class",
        "hyperscaler",
        "--rent-basis",
        "on-demand",
    ]);
    let p = &on_demand["chips"][0]["procurement"];
    assert!(p["cost_usd_per_worked_hour"].as_f64().unwrap() > 0.5, "{p}");
}

/// A K80 board rents as two cloud GPUs: the market values it on the board's rent (it had no
/// margin on one GK210's, worth less than half its price new and an economic life of 0), `cost`
/// quotes the providers' own prices and says the factor, and an owner's `--rents` series is
/// taken per cloud GPU and said so.
#[test]
fn a_k80_board_earns_two_cloud_gpus_rent() {
    let v = json(&["--chips", "Tesla K80"]);
    let c = &v["chips"][0];
    let notes = c["notes"].to_string();
    assert!(notes.contains("rents per device"), "{notes}");
    // The board's own prices: AWS $0.90 a cloud GPU for years, so the board's rent at release
    // is above one cloud GPU's and it keeps a margin past its first years.
    assert!(c["point"]["rent0_usd_per_hour"].as_f64().unwrap() > 0.9 * 0.6);
    assert!(life(&v, 0) > 3.0, "{c}");
    let cost = String::from_utf8(command_ok("cost", &["--chips", "Tesla K80"])).unwrap();
    let cost = cost.replace("\n  ", " ");
    assert!(
        cost.contains("$0.9 per cloud GPU") && cost.contains("$1.80/h"),
        "{cost}"
    );
    let (_dir, rents) = temp_file(
        "k80.csv",
        "date,usd_per_hour\n2018-01-01,0.9\n2019-01-01,0.9\n2020-01-01,0.85\n",
    );
    let out = flopledger()
        .args(["depreciate", "--chips", "Tesla K80", "--json", "--rents"])
        .arg(&rents)
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).replace("\n  ", " ");
    assert!(err.contains("taken as one cloud GPU's"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rent0 = v["chips"][0]["point"]["rent0_usd_per_hour"]
        .as_f64()
        .unwrap();
    assert!((rent0 - 1.8).abs() < 0.2, "{rent0}");
}

/// An owner's class and basis that no price of the panel has together (a hyperscaler on a
/// marketplace) is valued with a note naming the bases its class has; the default segment,
/// which the panel prices, is not.
#[test]
fn a_segment_no_price_has_is_said() {
    let v = json(&[
        "--chips",
        "H100 SXM",
        "--rent-class",
        "hyperscaler",
        "--rent-basis",
        "marketplace-median",
    ]);
    let notes = v["chips"][0]["notes"].to_string();
    assert!(
        notes.contains("hold no hyperscaler marketplace-median price")
            && notes.contains("hyperscaler prices are on-demand"),
        "{notes}"
    );
    let v = json(&["--chips", "H100 SXM"]);
    assert!(!v["chips"][0]["notes"].to_string().contains("hold no"));
}

/// A chip bought far under its market price costs nothing to own over the book schedule: the
/// text says "no cost of owning", the JSON says so in a flag (it had only the sign of its costs,
/// a helper's sweep), and the owner's token column is empty with the reason in its title.
#[test]
fn owning_that_costs_nothing_is_flagged_in_the_json_and_prices_no_token() {
    let args = [
        "--chips",
        "H100 SXM",
        "--price-usd",
        "100",
        "--life-years",
        "1",
    ];
    let v = json(&args);
    let pr = &v["chips"][0]["procurement"];
    assert_eq!(pr["owning_gains_value"], true, "{pr}");
    assert!(pr["cost_usd_per_worked_hour"].as_f64().unwrap() < 0.0);
    assert!(v["chips"][0]["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["levelised_usd_per_million"].is_null()));
    let text = words(depreciate_text(&args).as_bytes());
    assert!(text.contains("no cost of owning"), "{text}");
    assert!(
        text.contains("the owner's column is empty: its market price at the end of the 1-year"),
        "{text}"
    );
    let normal = json(&["--chips", "H100 SXM"]);
    assert_eq!(
        normal["chips"][0]["procurement"]["owning_gains_value"],
        false
    );
}

/// Prices under 30 days apart are refused: a day apart, $4 then $1, had been valued as
/// "declining 100 %/yr" (a helper's sweep); a back-test fitted on them printed `e^(−506t)`.
#[test]
fn rents_a_day_apart_are_refused() {
    let (_dir, rents) = temp_file(
        "rents.csv",
        "date,usd_per_hour\n2023-06-01,4\n2023-06-02,1\n",
    );
    let err = depreciate_refused(&[
        OsStr::new("--chips"),
        OsStr::new("H100 SXM"),
        OsStr::new("--rents"),
        rents.as_os_str(),
    ]);
    assert!(
        err.contains("its fitted prices span 1 day (2023-06-01 to 2023-06-02)")
            && err.contains("add rows of earlier or later dates"),
        "{err}"
    );
    let (_dir, series) = temp_file(
        "series.csv",
        "date,usd_per_hour\n2023-06-01,4\n2023-06-02,1\n2025-06-01,2.2\n",
    );
    let err = depreciate_refused(&[
        OsStr::new("--backtest"),
        series.as_os_str(),
        OsStr::new("--fit-until"),
        OsStr::new("2023-06-02"),
    ]);
    assert!(err.contains("at least 30 days apart"), "{err}");
}

/// A panel whose rents climb every month prices a chip new at several times its catalog
/// capex (an H100 at $161,159 against $47,040, with only "on the edge of its search grid"
/// beside the premium: a helper's sweep): the valuation says its values are likely too high.
/// The shipped panel says it of no chip (the GB200 stands highest, at about 2 ×).
#[test]
fn a_chip_priced_new_far_above_its_capex_is_said() {
    let header = std::fs::read_to_string("data/market_rents.csv").unwrap();
    let mut text = header.lines().next().unwrap().to_string() + "\n";
    for (chip, p) in [
        ("NVIDIA H100 SXM5 80GB", 2.5),
        ("NVIDIA A100 SXM4 80GB", 1.5),
        ("NVIDIA Tesla V100 SXM2 16GB", 0.6),
    ] {
        for i in 0..8 {
            let rent = p * 1.3f64.powi(i);
            text += &format!(
                "{chip},2023-0{}-01,{rent},Prov,x,on-demand,src,url,\n",
                i + 1
            );
        }
    }
    let (_dir, panel) = temp_file("rising.csv", &text);
    let v = json(&[
        OsStr::new("--chips"),
        OsStr::new("H100 SXM"),
        OsStr::new("--market-file"),
        panel.as_os_str(),
        OsStr::new("--rent-basis"),
        OsStr::new("on-demand"),
    ]);
    let notes = v["chips"][0]["notes"].to_string();
    assert!(
        notes.contains("would repay that price several times over")
            && notes.contains("likely too high"),
        "{notes}"
    );
    let shipped = json(&["--chips", "H100 SXM,B200,GB200,K80,P100 PCIe"]);
    for c in shipped["chips"].as_array().unwrap() {
        assert!(
            !c["notes"].to_string().contains("several times over"),
            "{c}"
        );
    }
}

/// A capex plan's chips get the notes `depreciate` gives them: a file chip marked `consumer =
/// true` rents at the panel's consumer-card effect, as the catalog card does (a GeForce copy
/// defined there had been priced as a data-centre chip: $277,703 a card against the catalog
/// card's $0, a helper's sweep), a catalog card of the mix is said to be one, and a catalog
/// chip's price-file price is checked for a slip.
#[test]
fn a_capex_plans_chips_get_depreciates_notes() {
    let plan = |consumer: &str| {
        format!(
            "name = \"x\"\n[chips.my-4090]\nprice_usd = 1599\nflop_per_s = 1.652e14\n\
             watts = 450\nbandwidth_gbs = 1008\nmemory_gb = 24\n{consumer}\n[[year]]\n\
             year = 2025\nspend_usd = 1e9\nmix = {{ my-4090 = 1.0 }}\n"
        )
    };
    // `scenario --capex FILE --json ARGS` of a capex file holding `text`.
    let scenario = |text: &str, args: &[&OsStr]| -> serde_json::Value {
        let (_dir, file) = temp_file("capex.toml", text);
        let mut all = vec![
            OsStr::new("--capex"),
            file.as_os_str(),
            OsStr::new("--json"),
        ];
        all.extend_from_slice(args);
        serde_json::from_slice(&command_ok("scenario", &all)).unwrap()
    };
    let economic = |text: &str| {
        scenario(text, &[])["rows"][0]["economic_usd"]
            .as_f64()
            .unwrap()
    };
    let card = economic(&plan("consumer = true"));
    let data_centre = economic(&plan(""));
    assert!(card < 0.5 * data_centre, "{card} {data_centre}");
    // A catalog card of the mix gets `depreciate`'s consumer note.
    let mix = "name = \"x\"\n[[year]]\nyear = 2025\nspend_usd = 1e9\n\
               mix = { \"RTX 4090\" = 0.5, \"H100 SXM\" = 0.5 }\n";
    let v = scenario(mix, &[]);
    let notes = v["notes"].to_string();
    assert_eq!(notes.matches("it is a consumer card").count(), 1, "{notes}");
    assert!(
        notes.contains("NVIDIA GeForce RTX 4090: it is a consumer card: the fit prices"),
        "{notes}"
    );
    // A price-file price of a catalog chip of the mix is checked as a file chip's is: ten H100s'
    // price given as one's.
    let (_pdir, prices) = price_file("H100 SXM", 336000.0, "quote", "2025-05-02");
    let v = scenario(mix, &[OsStr::new("--price-file"), prices.as_os_str()]);
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("the capex of the NVIDIA H100 SXM5 80GB, $470,400, is")
            && notes.contains("a node's or a server's"),
        "{notes}"
    );
}
