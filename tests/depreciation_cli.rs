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

/// The launch-price trend's g comes with its R², from every chip at its AI peak per class,
/// whatever `--precision`: fitted at the precision, the H100 lived 24.4 years at fp32 (a weak
/// trend, R² 0.18), 7.0 at fp16 and 13.1 at bf16; now one life at every precision.
#[test]
fn the_launch_trend_prices_compute_at_one_rate_whatever_the_precision() {
    let out = |precision: &str| {
        let out = flopledger()
            .args([
                "depreciate",
                "--chips",
                "H100 SXM",
                "--launch-trend",
                "--precision",
                precision,
            ])
            .env("COLUMNS", "400")
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let life = |text: &str| {
        text.lines()
            .find(|l| l.contains("economic life, A obsolescence"))
            .map(|l| l.split_whitespace().rev().nth(1).unwrap().to_string())
            .unwrap()
    };
    let fp32 = out("fp32");
    assert!(
        fp32.contains("FLOP/s-per-$ trend at each chip's AI peak per class")
            && fp32.contains(", R² 0."),
        "{fp32}"
    );
    assert!(!fp32.contains("weakly supported"), "{fp32}");
    for p in ["fp16", "bf16", "int8"] {
        assert_eq!(life(&out(p)), life(&fp32), "{p}");
    }
}

#[test]
fn depreciate_h100_shows_life_half_life_gaps_and_sensitivity() {
    flopledger()
        .args([
            "depreciate",
            "--chips",
            "H100 SXM",
            "--launch-trend",
            "--growth",
            "0.3",
        ])
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
        .args([
            "depreciate",
            "--chips",
            "V100 SXM2 16GB,A100 SXM4 40GB,H100 SXM",
            "--launch-trend",
            "--json",
        ])
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
        .args([
            "depreciate",
            "--launch-trend",
            "--chips",
            "H100 SXM",
            "--rents",
            path,
        ])
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
        .args(["scenario", "--launch-trend", "--growth", "0.35"])
        .assert()
        .success()
        .stdout(predicate::str::contains("SL 5y"))
        .stdout(predicate::str::contains("SL 6y"))
        .stdout(predicate::str::contains("economic"))
        .stdout(predicate::str::contains("vs 6y"))
        .stdout(predicate::str::contains("2025"))
        .stdout(predicate::str::contains("2030"))
        .stdout(predicate::str::contains("$5.00 T"));
}

#[test]
fn bad_input_exits_2_with_the_fix() {
    flopledger()
        .args([
            "depreciate",
            "--chips",
            "H100 SXM",
            "--launch-trend",
            "--growth",
            "1.2",
        ])
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
    // Rows newest first are read in date order, and the note says so.
    let newest_first = temp_file(
        "date,usd_per_hour\n2025-06-01,2.1\n2024-06-01,2.4\n2023-06-01,2.9\n",
        ".csv",
    );
    flopledger()
        .args(["depreciate", "--chips", "H100 SXM", "--rents"])
        .arg(newest_first.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "newest first and were read in date order",
        ));
    // A date no rent can carry, and a short row, are named with the fix.
    for (text, says) in [
        (
            "date,usd_per_hour\n1900-01-01,3\n2023-01-01,2\n",
            "1900-01-01 is outside 2000–2100",
        ),
        (
            "date,usd_per_hour\n2023-01-01\n",
            "every row is date,usd_per_hour",
        ),
    ] {
        let f = temp_file(text, ".csv");
        flopledger()
            .args(["depreciate", "--chips", "H100 SXM", "--rents"])
            .arg(f.path())
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
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

/// A plan chip without a catalog price: both models name the capex file and the price file,
/// never `--price-usd`, which scenario refuses (a helper's sweep found the launch-trend
/// path named it); a price-file entry for the chip is then taken.
#[test]
fn scenario_without_a_chip_price_names_the_files_that_give_one() {
    let capex = temp_file(
        "[[year]]\nyear = 2025\nspend_usd = 1e9\nmix = { \"Shensuan-1\" = 1.0 }\n",
        ".toml",
    );
    for err in refusals_of_both_models(capex.path()) {
        assert!(err.contains("under [chips] in the capex file"), "{err}");
        assert!(err.contains("chip = \"Shensuan-1\""), "{err}");
        assert!(!err.contains("--price-usd"), "{err}");
    }
    let prices = temp_file(
        "[[price]]\nchip = \"Shensuan-1\"\nitem = \"price_usd\"\nvalue = 9000\nunit = \"USD\"\n\
         source = \"test quote\"\nas_of = \"2024-01\"\n",
        ".toml",
    );
    flopledger()
        .args(["scenario", "--launch-trend", "--capex"])
        .arg(capex.path())
        .arg("--price-file")
        .arg(prices.path())
        .assert()
        .success();
}

/// A launch-trend plan of catalog chips no one precision covers: one refusal names what each
/// chip has (a refusal per chip sent the user from one chip's precision to the other's).
#[test]
fn scenario_names_every_chips_precisions_when_none_covers_the_mix() {
    let capex = temp_file(
        "[[year]]\nyear = 2025\nspend_usd = 1e9\n\
         mix = { \"V100 SXM2 16GB\" = 0.5, \"TPU v1\" = 0.5 }\n",
        ".toml",
    );
    let prices = temp_file(
        "[[price]]\nchip = \"TPU v1\"\nitem = \"price_usd\"\nvalue = 10000\nunit = \"USD\"\n\
         source = \"test quote\"\nas_of = \"2020-01\"\n",
        ".toml",
    );
    for precision in [None, Some("fp16"), Some("int8")] {
        let mut cmd = flopledger();
        cmd.args(["scenario", "--launch-trend", "--capex"])
            .arg(capex.path())
            .arg("--price-file")
            .arg(prices.path());
        if let Some(p) = precision {
            cmd.args(["--precision", p]);
        }
        let out = cmd.output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("does not cover every chip")
                && err.contains("Google TPU v1 (int8)")
                && err.contains("NVIDIA Tesla V100 SXM2 16GB (fp32, fp16)")
                && err.contains("no precision is common to them"),
            "{err}"
        );
    }
}

mod report_inputs {
    use super::*;
    use flopledger::config::PricingInputs;
    use flopledger::pipeline::analyse::outlook_for_report;
    use flopledger::report::*;

    /// A valid f32 gemm case at `flop_per_s`, with measured power when `watts` is given.
    fn gemm(flop_per_s: f64, watts: Option<f64>) -> CaseResult {
        // An id that names a shape, one per rate (a report's ids name their work).
        let n = (flop_per_s / 1e12) as u32;
        flopledger::report::fixture::simple_gemm_case(
            &format!("gemm-f32-{n}x{n}x{n}"),
            flop_per_s,
            watts,
        )
    }

    fn report(adapter: &str, chip: Option<&str>) -> Report {
        let pricing = PricingInputs {
            chip: chip.map(String::from),
            ..PricingInputs::default()
        };
        // The best valid gemm case (40 TFLOP/s at 500 W) must be the one used.
        let cases = vec![gemm(4.0e13, Some(500.0)), gemm(1.0e13, None)];
        flopledger::report::fixture::minimal_report(adapter, pricing, cases)
    }

    /// A run on the host CPU with `--chip "H100 SXM"` values the H100 at its spec: the CPU's
    /// throughput and power are not the H100's (it embedded a life of 0 years and $0 as
    /// "measured inputs").
    #[test]
    fn a_software_adapter_values_the_chip_at_its_spec() {
        let mut r = report("llvmpipe (LLVM 15.0.6, 256 bits)", Some("H100 SXM"));
        r.adapter.device_kind = flopledger::gpu::info::DeviceKind::Cpu;
        let outlook = outlook_for_report(&r)
            .unwrap()
            .expect("chip and price are known");
        assert!(!outlook.measured_inputs);
        assert_eq!(outlook.curves[0].model, "M market");
        assert!(
            outlook.curves.iter().all(|c| c.model != "A obsolescence"),
            "no launch-trend curve on the CPU's throughput"
        );
        assert!(outlook.curves[0].points[0].value_usd > 10_000.0);
        // `depreciate --report` on it refuses the CPU's figures for the chip its run named, as
        // for a chip named with --chips (it had valued the H100 on the CPU's power).
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cpu.json");
        io::save_json(&r, &path).unwrap();
        flopledger()
            .args(["depreciate", "--report"])
            .arg(&path)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("software adapter"))
            .stderr(predicate::str::contains("drop --report"));
    }

    #[test]
    fn measured_throughput_and_power_replace_the_spec() {
        let r = report("NVIDIA H100 80GB HBM3", Some("H100 SXM"));
        let outlook = outlook_for_report(&r)
            .unwrap()
            .expect("chip and price are known");
        assert!(outlook.measured_inputs);
        assert!(outlook.chip.contains("H100"));
        // 40 of the 66.9 fp32 spec TFLOP/s: the chip is worth less than its capex when new.
        assert_eq!(outlook.curves[0].model, "M market");
        let a = outlook
            .curves
            .iter()
            .find(|c| c.model == "A obsolescence")
            .expect("the launch-trend reference on the measured throughput");
        assert!(a.points[0].value_usd < 33_600.0 * 1.4);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.json");
        io::save_json(&r, &path).unwrap();
        // The launch-trend reference takes the measured throughput and power.
        flopledger()
            .args(["depreciate", "--launch-trend", "--report"])
            .arg(&path)
            .assert()
            .success()
            .stdout(predicate::str::contains("measured inputs from"))
            .stdout(predicate::str::contains("40.00 TFLOP/s (measured)"))
            .stdout(predicate::str::contains("500 W (the report's)"));
        // --precision picks the measured case of that precision, and names the one there is.
        flopledger()
            .args([
                "depreciate",
                "--launch-trend",
                "--precision",
                "fp32",
                "--report",
            ])
            .arg(&path)
            .assert()
            .success()
            .stdout(predicate::str::contains("40.00 TFLOP/s (measured)"));
        flopledger()
            .args([
                "depreciate",
                "--launch-trend",
                "--precision",
                "fp16",
                "--report",
            ])
            .arg(&path)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("no valid fp16 gemm case"))
            .stderr(predicate::str::contains("pass --precision fp32"));
        // The market model (the default) takes the measured power into the running cost and
        // sets the measured GEMM beside the FP32 spec; a lower power lowers the running cost.
        let market = |args: &[&str]| {
            let out = flopledger()
                .args(["depreciate", "--json", "--report"])
                .arg(&path)
                .args(args)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
        };
        let measured = market(&[]);
        let chip = &measured["chips"][0];
        assert_eq!(chip["watts"].as_f64(), Some(500.0));
        // The chip's power says where it comes from, with its grade.
        assert!(
            chip["watts_source"]
                .as_str()
                .is_some_and(|s| s.starts_with("the report's, measured, grade ")),
            "{}",
            chip["watts_source"]
        );
        let notes = chip["notes"].to_string();
        assert!(
            notes.contains("500 W, measured in the report (grade")
                && notes.contains("of the fp32 vector peak"),
            "{notes}"
        );
        let at_tdp = market(&["--watts", "700"]);
        let cost = |v: &serde_json::Value| {
            v["chips"][0]["point"]["costs_year1"]["total_usd"]
                .as_f64()
                .unwrap()
        };
        assert!(cost(&measured) < cost(&at_tdp));
        assert_eq!(at_tdp["chips"][0]["watts_source"], "--watts");
        // --watts wins, and the note says so (it said the measured power was used).
        let notes = at_tdp["chips"][0]["notes"].to_string();
        assert!(
            notes.contains("700 W from --watts")
                && notes.contains("in place of the 500 W measured in the report"),
            "{notes}"
        );
        flopledger()
            .args(["depreciate", "--report"])
            .arg(&path)
            .args(["--chips", "H100 SXM,B200"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("one chip"));
    }

    #[test]
    fn unknown_chip_gives_no_outlook() {
        let r = report("llvmpipe (LLVM 17.0.6, 256 bits)", None);
        assert!(outlook_for_report(&r).unwrap().is_none());
    }
}

/// The launch-price trend reference charges electricity only against fixed book schedules: the
/// market model's running-cost, rent and life flags are refused there, naming the flag, where
/// they used to be accepted and change nothing.
#[test]
fn launch_trend_refuses_the_market_models_flags() {
    for flag in [
        ["--facility-usd-per-kw-month", "400"],
        ["--failure-rate", "0.2"],
        ["--life-years", "3"],
        ["--cloud-usd-per-hour", "5"],
    ] {
        flopledger()
            .args(["depreciate", "--chips", "H100 SXM", "--launch-trend"])
            .args(flag)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "{} applies to the market model",
                flag[0]
            )));
    }
    flopledger()
        .args(["scenario", "--launch-trend", "--maintenance-share", "0.1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("drop --launch-trend"));
    // Without --launch-trend the same flag is taken.
    flopledger()
        .args(["depreciate", "--chips", "H100 SXM", "--failure-rate", "0.2"])
        .assert()
        .success();
}

/// The launch-price trend refuses a catalog chip bought years before its release, as the
/// market model does (a helper's sweep found an H100 valued from 1970).
#[test]
fn scenario_refuses_a_chip_bought_before_its_release() {
    let capex = temp_file(
        "[[year]]\nyear = 1970\nspend_usd = 1e9\nmix = { \"H100 SXM\" = 1.0 }\n",
        ".toml",
    );
    for err in refusals_of_both_models(capex.path()) {
        assert!(err.contains("before") && err.contains("release"), "{err}");
        assert!(!err.contains("pass --launch-trend"), "{err}");
    }
}

/// A year that buys a chip mid-year, months before its release, is valued (it earns from the
/// release) and says so.
#[test]
fn scenario_says_when_a_year_buys_a_chip_before_its_release() {
    let capex = temp_file(
        "[[year]]\nyear = 2024\nspend_usd = 1e9\nmix = { \"GB200\" = 1.0 }\n",
        ".toml",
    );
    let out = flopledger()
        .args(["scenario", "--capex"])
        .arg(capex.path())
        .env("COLUMNS", "400")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("bought before their release (mid-year): NVIDIA GB200 (per GPU) in 2024 (released 2025-02-15)"),
        "{text}"
    );
}

/// `scenario --capex FILE` under the market model and under `--launch-trend`: each must exit
/// 2; their messages.
fn refusals_of_both_models(capex: &std::path::Path) -> Vec<String> {
    [None, Some("--launch-trend")]
        .into_iter()
        .map(|extra| {
            let out = flopledger()
                .args(["scenario", "--capex"])
                .arg(capex)
                .args(extra)
                .assert()
                .code(2)
                .get_output()
                .clone();
            String::from_utf8_lossy(&out.stderr).into_owned()
        })
        .collect()
}

/// A negative number after a numeric flag is its value, refused for its range (clap read it as
/// another flag: "unexpected argument '-0.05' found"); `-0` is zero and taken.
#[test]
fn a_negative_number_after_a_numeric_flag_is_its_value() {
    flopledger()
        .args([
            "depreciate",
            "--chips",
            "H100 SXM",
            "--discount-rate",
            "-0.05",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("discount_rate = -0.05 is invalid"));
    flopledger()
        .args(["depreciate", "--chips", "H100 SXM", "--watts", "-5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--watts must be from 0.1"));
    flopledger()
        .args(["depreciate", "--chips", "H100 SXM", "--failure-rate", "-0"])
        .assert()
        .success();
}

/// A back-test of a rising series prints its path as fitted: the decline held at 0 without a
/// double minus, no premium term of 0, and the fit's end named as `--fit-until`.
#[test]
fn a_backtest_path_held_flat_reads_plainly() {
    let rising = temp_file(
        "date,usd_per_hour\n2023-01-15,1.0\n2024-01-15,2.0\n2025-01-15,4.0\n2026-01-15,8.0\n",
        ".csv",
    );
    let out = flopledger()
        .args(["depreciate", "--backtest"])
        .arg(rising.path())
        .args(["--fit-until", "2025-01-15"])
        .output()
        .unwrap();
    // The header is prose, wrapped to the terminal: read it unwrapped.
    let text = String::from_utf8_lossy(&out.stdout).replace("\n  ", " ");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("up to --fit-until 2025-01-15 — p(t) = ")
            && text.contains("·e^(−0.000t) $/h"),
        "{text}"
    );
    assert!(
        !text.contains("−-") && !text.contains("(1 + 0.00"),
        "{text}"
    );
}

/// The market model's running costs in a price file change nothing with `--launch-trend`: named
/// in a note (the flags are refused), where they had been ignored without a word.
#[test]
fn the_launch_trend_names_the_price_file_items_it_does_not_use() {
    let prices = temp_file(
        "[[price]]\nitem = \"facility_usd_per_kw_month\"\nvalue = 150\nunit = \"USD/kW-month\"\n\
         source = \"test\"\nas_of = \"2026-01\"\n",
        ".toml",
    );
    flopledger()
        .args([
            "depreciate",
            "--chips",
            "H100 SXM",
            "--launch-trend",
            "--price-file",
        ])
        .arg(prices.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "facility_usd_per_kw_month applies to the market model",
        ))
        .stderr(predicate::str::contains("--launch-trend"));
}
