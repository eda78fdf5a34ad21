//! The command line a person reads, on the built binary and without a GPU: honest gates
//! (`compare --baseline` that compared nothing fails), output that fits a 100-column terminal,
//! CSV for spreadsheets, and the `cost` view at spec.

use assert_cmd::Command;
use flopledger::report::fixture::sample_report;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use std::path::{Path, PathBuf};

mod common;
use common::case_column;

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
/// The H100 SXM's economic value at 3 years as the text prints it (from the JSON, so the test
/// follows the model's figures instead of pinning one).
fn h100_value_at_3y() -> String {
    let out = bin()
        .args(["depreciate", "--chips", "H100 SXM", "--format", "json"])
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    flopledger::units::usd(
        v["chips"][0]["book"]["economic_usd"]
            .as_f64()
            .expect("value"),
    )
}

fn too_wide(text: &str, columns: usize) -> Vec<String> {
    text.lines()
        .filter(|l| l.chars().count() > columns)
        .map(str::to_string)
        .collect()
}

/// A case the baseline verified and the candidate fails fails the gate (exit 1) and is named
/// (a helper's sweep: a candidate whose GEMM now returned wrong results passed with exit 0).
#[test]
fn compare_baseline_fails_a_case_that_now_fails_verification() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = write(dir.path(), "base.json", &sample_report());
    let mut wrong = sample_report();
    wrong.started_at = "2026-11-20T09:14:04Z".into();
    let case = wrong
        .cases
        .iter_mut()
        .find(|c| c.valid())
        .expect("a valid case");
    case.verification.pass = false;
    let id = case.id.clone();
    wrong.status.invalid_cases.push(id.clone());
    let wrong = write(dir.path(), "wrong.json", &wrong);
    let out = bin()
        .env("COLUMNS", "80")
        .args(["compare"])
        .arg(&wrong)
        .arg("--baseline")
        .arg(&base)
        .assert()
        .code(1)
        .stdout(contains("No case is significantly slower").not())
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let regressions = text
        .split("Regressions against the baseline")
        .nth(1)
        .unwrap();
    let joined = regressions.replace("\n  ", " ");
    assert!(
        joined.contains(&format!("- {id}: "))
            && joined.contains("wrong.json fails verification, where")
            && joined.contains("base.json passed it"),
        "{text}"
    );
    assert!(too_wide(&text, 80).is_empty(), "{text}");
    // Failing in the baseline and passing now is no regression.
    bin()
        .args(["compare"])
        .arg(&base)
        .arg("--baseline")
        .arg(&wrong)
        .assert()
        .code(0);
}

/// A crashed candidate that never reached a case of its baseline fails the gate (exit 1) with
/// the case named; the same cases from a complete run that did not plan it pass (a helper's
/// sweep: a crashed run holding 5 of its baseline's 21 cases passed with exit 0).
#[test]
fn compare_baseline_fails_a_case_a_crashed_run_never_reached() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = write(dir.path(), "base.json", &sample_report());
    let mut partial = sample_report();
    partial.started_at = "2026-11-20T09:14:04Z".into();
    let dropped = partial.cases.pop().expect("a case").id;
    partial.status.invalid_cases.retain(|id| *id != dropped);
    partial.status.cases_planned -= 1;
    let planned_apart = write(dir.path(), "subset.json", &partial);
    partial.status.complete = false;
    let crashed = write(dir.path(), "crashed.json", &partial);
    let gate = |cand: &std::path::Path| {
        let out = bin()
            .env("COLUMNS", "200")
            .arg("compare")
            .arg(cand)
            .arg("--baseline")
            .arg(&base)
            .output()
            .expect("compare runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, text) = gate(&crashed);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains(&format!("- {dropped}: "))
            && text.contains(
                "crashed.json is an incomplete run (interrupted or killed) that never reached it",
            ),
        "{text}"
    );
    let (code, text) = gate(&planned_apart);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains(&format!("case {dropped} of")), "{text}");
}

/// A thresholds file that sets nothing grades by the defaults, and says so: it may be the
/// wrong file (a helper's sweep: an empty file passed without a word).
#[test]
fn a_thresholds_file_that_sets_nothing_is_noted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let report = write(dir.path(), "r.json", &sample_report());
    let db = dir.path().join("l.sqlite");
    bin()
        .args(["ledger", "add", "--db"])
        .arg(&db)
        .arg(&report)
        .assert()
        .code(0);
    for (text, noted) in [
        ("# all commented out\n\n", true),
        ("min_peers = 4\n", false),
    ] {
        let th = dir.path().join("th.toml");
        std::fs::write(&th, text).expect("write");
        let out = bin()
            .args(["fleet", "report", "--db"])
            .arg(&db)
            .arg("--thresholds")
            .arg(&th)
            .output()
            .expect("fleet report runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        // The sample holds a case that fails verification: CRITICAL, exit 1, by any rules.
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert_eq!(
            stderr.contains("sets no threshold"),
            noted,
            "{text:?}: {stderr}"
        );
    }
}

#[test]
fn compare_baseline_with_no_case_in_common_fails_and_says_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = write(dir.path(), "base.json", &sample_report());
    let dotted_base = dir.path().join(".").join("base.json");
    // A run of one case the baseline lacks (renaming the ids is refused: an id names its work).
    let mut other = sample_report();
    other.cases = vec![flopledger::report::fixture::simple_gemm_case(
        "gemm-f32-8x8x8",
        1e9,
        None,
    )];
    other.skipped.clear();
    other.status.cases_planned = 1;
    other.status.invalid_cases.clear();
    other.roofline = None;
    other.presets.clear();
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
    // The same report against itself compares every valid case and passes, and says that the
    // two files are one run.
    let same = write(dir.path(), "same.json", &sample_report());
    bin()
        .args(["compare"])
        .arg(&same)
        .arg("--baseline")
        .arg(&base)
        .assert()
        .code(0)
        .stderr(contains("same.json holds the same run as"))
        .stderr(contains("base.json"));
    // Two runs are not warned about.
    let mut later = sample_report();
    later.started_at = "2026-11-20T09:14:04Z".into();
    let later = write(dir.path(), "later.json", &later);
    bin()
        .args(["compare"])
        .arg(&later)
        .arg("--baseline")
        .arg(&base)
        .assert()
        .code(0)
        .stderr(contains("same run").not());
    // The baseline given again among the reports, beside another or alone, spelled the same
    // or another way: refused as the baseline compared with itself (`--baseline A A B` had
    // been accepted).
    for files in [vec![&base, &later], vec![&base], vec![&later, &dotted_base]] {
        bin()
            .arg("compare")
            .args(files)
            .arg("--baseline")
            .arg(&base)
            .assert()
            .code(2)
            .stderr(contains(
                "is both the baseline and a report to compare with it",
            ));
    }
    // One file twice (no baseline, or spelled two ways) compares nothing: refused.
    let dotted = dir.path().join(".").join("same.json");
    for pair in [[&same, &same], [&same, &dotted]] {
        bin()
            .arg("compare")
            .args(pair)
            .assert()
            .code(2)
            .stderr(contains("is given twice"));
    }
}

#[test]
fn an_80_column_terminal_wraps_between_words_and_squeezes_no_column() {
    // At 80 columns the numbers of these tables no longer fit beside the text column; it was
    // drawn one character wide ("N", "V", "I", …) under tables 5–20 characters too wide.
    let value = h100_value_at_3y();
    for (args, words) in [
        (
            &["depreciate", "--chips", "H100 SXM"][..],
            &["NVIDIA", "2022-09-15", value.as_str()][..],
        ),
        (
            &["cost", "--chips", "H100 SXM,B200,MI300X"],
            &["NVIDIA", "Instinct", "MI300X"],
        ),
        (&["scenario"], &["2025", "2030"]),
    ] {
        let out = bin()
            .args(args)
            .env("COLUMNS", "80")
            .output()
            .expect("runs");
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8(out.stdout).expect("utf-8");
        for w in words {
            assert!(
                text.split_whitespace().any(|t| t == *w),
                "{args:?}: {w:?} is not whole\n{text}"
            );
        }
        // The widest words of these tables need at most a few columns more than 80.
        let wide = too_wide(&text, 90);
        assert!(wide.is_empty(), "{args:?}: lines wider than 90: {wide:?}");
    }
}

/// `depreciate --chips CHIPS` on a terminal of `columns`; its stdout.
fn depreciate_at(chips: &str, columns: &str) -> String {
    let out = bin()
        .args(["depreciate", "--chips", chips])
        .env("COLUMNS", columns)
        .output()
        .expect("runs");
    assert!(out.status.success());
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn depreciate_fits_80_columns_by_leaving_its_dollar_columns_to_the_verdicts() {
    let at = |columns: &str| depreciate_at("H100 SXM,B200,MI300X", columns);
    let narrow = at("80");
    let wide = too_wide(&narrow, 80);
    assert!(wide.is_empty(), "lines wider than 80: {wide:?}");
    assert!(narrow.contains("value and book at 3 y: in each verdict below"));
    assert!(!narrow.contains("at 3 y    at 3 y"), "{narrow}");
    // Both dollar figures are in the verdict, whatever the width.
    assert!(
        narrow.contains("$18,816") && narrow.contains(&h100_value_at_3y()),
        "{narrow}"
    );
    let full = at("120");
    assert!(!full.contains("value and book at 3 y:"), "{full}");
    assert!(
        full.contains("$18,816   "),
        "the book column is back at 120:\n{full}"
    );
}

/// On a 60-column terminal the token table leaves the market's two columns to the JSON, with a
/// line saying so, and every line but the summary table's (64 columns at its narrowest) fits;
/// at 100 columns they are back. The token table had needed 77 columns, and the summary's
/// closing line ran to 76 unwrapped.
#[test]
fn depreciate_at_60_columns_leaves_the_market_token_columns_to_the_json() {
    let at = |columns: &str| depreciate_at("H100 SXM", columns);
    let narrow = at("60");
    assert!(
        narrow.contains("(the market's $ per million tokens at 0 and 3 y"),
        "{narrow}"
    );
    assert!(!narrow.contains("market at 0 y"), "{narrow}");
    let wide = too_wide(&narrow, 64);
    assert!(wide.is_empty(), "lines wider than 64: {wide:?}");
    let full = at("100");
    assert!(full.contains("market at 0 y"), "{full}");
    assert!(
        !full.contains("(the market's $ per million tokens"),
        "{full}"
    );
}

/// The validation's tables and the observed-prices table fit 80 columns, numbers whole on their
/// chip's line (the leave-one-chip-out table was wrapped as prose, which squeezed its chips).
#[test]
fn depreciate_validate_fits_80_columns_with_each_chip_on_its_numbers_line() {
    let out = bin()
        .args(["depreciate", "--validate"])
        .env("COLUMNS", "80")
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let wide = too_wide(&text, 80);
    assert!(wide.is_empty(), "lines wider than 80: {wide:?}");
    // The per-chip back-test row and the leave-one-chip-out row: the name and its figures on one
    // line; the first origin's row likewise.
    let with_figures = |name: &str| {
        text.lines()
            .filter(|l| l.starts_with(&format!(" {name} ")) && l.matches(" %").count() >= 2)
            .count()
    };
    assert_eq!(with_figures("NVIDIA H100 SXM5 80GB"), 2, "{text}");
    assert_eq!(with_figures("NVIDIA A100 SXM4 80GB"), 2, "{text}");
    assert_eq!(with_figures("2022-01-01"), 1, "{text}");
}

#[test]
fn compare_shows_every_case_id_whole_in_a_100_column_terminal() {
    // Two shipped standard runs: 36 cases, ids up to 35 characters, long file names.
    let a = "reports/kernels-lavapipe-xeon-2core-23.json";
    let b = "reports/kernels-lavapipe-xeon-2core-24.json";
    let text = stdout_of(&["compare", a, b]);
    let wide = too_wide(&text, 100);
    assert!(wide.is_empty(), "lines wider than 100: {wide:?}");
    let report: flopledger::report::Report =
        serde_json::from_str(&std::fs::read_to_string(b).expect("shipped report")).expect("report");
    let want: Vec<String> = report.cases.iter().map(|c| c.id.clone()).collect();
    // The rows lie between the rule under the header and the closing rule.
    let table = text
        .split_once(" case ")
        .and_then(|(_, rest)| rest.split_once('─'))
        .map(|(_, rest)| rest.trim_start_matches('─'))
        .and_then(|rest| rest.split_once('─'))
        .map(|(rows, _)| rows)
        .expect("a per-case table");
    assert_eq!(case_column(table), want, "{text}");
    assert!(text.contains("36 cases: "), "{text}");
}

/// stdout of a successful command.
fn stdout_of(args: &[&str]) -> String {
    let out = bin().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn catalog_commands_fit_a_100_column_terminal() {
    for args in [
        &["chips"][..],
        &["chips", "--precision", "int8"],
        &["depreciate", "--chips", "H100 SXM"],
        &["depreciate", "--chips", "H100 SXM,B200,MI300X"],
        &["depreciate", "--validate"],
        &["depreciate", "--observed"],
        &["cost", "--chips", "H100 SXM,B200,MI300X"],
        &["scenario"],
    ] {
        let text = stdout_of(args);
        let wide = too_wide(&text, 100);
        assert!(
            wide.is_empty(),
            "{args:?}: {} lines wider than 100: {:?}",
            wide.len(),
            wide.first()
        );
    }
    // A wider terminal gives the chip names room: the table follows COLUMNS.
    let wide = bin()
        .args(["chips"])
        .env("COLUMNS", "200")
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&wide.stdout);
    assert!(text.contains("NVIDIA H100 SXM5 80GB"), "{text}");
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let plain = stdout_of(&["cost", "--chips", "H100 SXM"]);
    assert!(!plain.contains('\x1b'), "colour on a pipe");
    let forced = stdout_of(&["--color", "always", "cost", "--chips", "H100 SXM"]);
    assert!(forced.contains('\x1b'), "--color always gives no colour");
    let out = bin()
        .args(["cost", "--chips", "H100 SXM"])
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert!(!out.stdout.contains(&0x1b));
}

#[test]
fn cost_at_spec_without_a_gpu() {
    let text = stdout_of(&["cost", "--chips", "H100 SXM,B200,MI300X"]);
    for want in [
        "owned $/hour",
        "$/PFLOP-hour",
        "FLOP/$",
        "Llama-3.1-8B",
        "NVIDIA B200",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    // H100: catalog launch price $33,600, and a dated observed rent for the cloud basis.
    assert!(
        text.contains("$33,600") && text.contains("cloud: $"),
        "{text}"
    );
    assert!(!text.contains("owned: no launch price"), "{text}");
    // Integer rates count operations: the int8 labels say OP, not FLOP.
    let int8 = stdout_of(&["cost", "--chips", "H100 SXM", "--precision", "int8"]);
    for want in [
        "owned $/POP-hour",
        "owned OP/$",
        "EOP/$",
        "cloud $/POP-hour",
    ] {
        assert!(int8.contains(want), "{want}: {int8}");
    }
    assert!(
        !int8.contains("FLOP-hour") && !int8.contains("FLOP/$"),
        "{int8}"
    );
    // Several chips no one precision covers: what each has, and the common one where any.
    for (chips, flag, says) in [
        (
            "V100 SXM2 16GB,TPU v1",
            None,
            "no precision is common to them",
        ),
        (
            "V100 SXM2 16GB,H100 SXM",
            Some("bf16"),
            "pass --precision fp32 or fp16",
        ),
    ] {
        let mut args = vec!["cost", "--chips", chips];
        if let Some(p) = flag {
            args.extend(["--precision", p]);
        }
        let out = assert_cmd::Command::cargo_bin("flopledger")
            .unwrap()
            .args(&args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("does not cover every chip")
                && err.contains("NVIDIA Tesla V100 SXM2 16GB (fp32, fp16)")
                && err.contains(says),
            "{err}"
        );
    }
    // A chip with no launch price: no owned cost, and the flag that gives one.
    let unpriced = stdout_of(&["cost", "--chips", "L40S"]);
    assert!(
        unpriced.contains("owned: no launch price in the catalog; pass --price-usd"),
        "{unpriced}"
    );
    assert!(!stdout_of(&["cost", "--chips", "L40S", "--price-usd", "8000"]).contains("owned: no"));
    // A chip named twice (two spellings) is costed once, and a price for it is one chip's.
    let twice = stdout_of(&[
        "cost",
        "--chips",
        "H100 SXM,h100 sxm5",
        "--price-usd",
        "30000",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&twice).expect("JSON");
    assert_eq!(v["chips"].as_array().map(Vec::len), Some(1), "{twice}");
    // A launch price from 2022 is said to be old; a price the user gives is not.
    assert_eq!(v["chips"][0]["notes"], serde_json::json!([]), "{twice}");
    assert!(
        text.contains("the owned figures use the launch price of 2022-09"),
        "{text}"
    );
    // A cloud rent at a node's level (an 8-GPU instance) is taken as given, and said.
    let node = stdout_of(&[
        "cost",
        "--chips",
        "H100 SXM",
        "--cloud-usd-per-hour",
        "98.32",
    ]);
    assert!(
        node.contains("the cloud rent given, $98.32/h, is")
            && node.contains("divide it by its GPUs"),
        "{node}"
    );
    let one = stdout_of(&[
        "cost",
        "--chips",
        "H100 SXM",
        "--cloud-usd-per-hour",
        "6.88",
    ]);
    assert!(!one.contains("the cloud rent given"), "{one}");
    let json = stdout_of(&["cost", "--chips", "H100 SXM", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let h100 = &v["chips"][0];
    let owned = h100["owned_usd_per_hour"].as_f64().expect("owned $/h");
    let peak = h100["peak_per_s"].as_f64().expect("peak");
    let per_pflop = h100["owned_usd_per_pflop_hour"]
        .as_f64()
        .expect("$/PFLOP-h");
    assert!((per_pflop - owned * 1e15 / peak).abs() < 1e-9 * per_pflop);
    // Batch-1 decode of an 8B model at 3.35 TB/s: about 16 GB of weights per token.
    let decode = h100["tokens"]
        .as_array()
        .expect("tokens")
        .iter()
        .find(|t| t["model"] == "Llama-3.1-8B" && t["scenario"] == "decode b1 @2048")
        .expect("8B decode");
    let tps = decode["tokens_per_s"].as_f64().expect("tokens/s");
    assert!((150.0..260.0).contains(&tps), "{tps}");
    // DeepSeek-V3's 671 B parameters do not fit in 80 GB: no tokens/s and no price.
    let deepseek = h100["tokens"]
        .as_array()
        .expect("tokens")
        .iter()
        .find(|t| t["model"] == "DeepSeek-V3")
        .expect("DeepSeek-V3");
    assert_eq!(deepseek["fits_in_memory"], false);
    assert!(deepseek["owned_usd_per_million_tokens"].is_null());
    assert!(text.contains("does not fit"), "{text}");
    bin()
        .args(["cost", "--chips", "H100 SXM", "--chip", "B200"])
        .assert()
        .code(2);
    // The cloud basis is one market rent for every chip: the median of the neocloud providers'
    // latest on-demand rents, with the providers, their prices and the months. (The newest
    // single price of any kind put the H200 at a hyperscaler's list, above the B200.)
    let json = stdout_of(&["cost", "--chips", "H100 SXM,H200,B200", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let rents: Vec<f64> = (0..3)
        .map(|i| {
            let cloud = &v["chips"][i]["cloud"];
            let source = cloud["source"].as_str().expect("source");
            assert!(
                source.contains("neocloud on-demand rent") && source.contains("CoreWeave $"),
                "{cloud}"
            );
            assert!(source.contains("data/market_rents.csv"), "{cloud}");
            assert!(
                cloud["as_of"].as_str().is_some_and(|d| d.len() == 7),
                "{cloud}"
            );
            cloud["value"].as_f64().expect("rent")
        })
        .collect();
    assert!(rents[0] < rents[1] && rents[1] < rents[2], "{rents:?}");
}

#[test]
fn csv_for_spreadsheets() {
    let csv = stdout_of(&["chips", "--format", "csv", "--vendor", "nvidia"]);
    let mut lines = csv.lines();
    let header = lines.next().expect("header");
    assert!(
        header.starts_with("chip,vendor,release,launch_price_usd"),
        "{header}"
    );
    let n_cols = header.split(',').count();
    let h100 = csv
        .lines()
        .find(|l| l.starts_with("NVIDIA H100 SXM5 80GB,"))
        .expect("H100 row");
    assert!(h100.contains(",33600"), "{h100}");
    assert!(lines.count() > 10);
    let cost = stdout_of(&["cost", "--chips", "H100 SXM,B200", "--format", "csv"]);
    let mut rdr = cost.lines();
    let head = rdr.next().expect("header");
    assert!(head.contains("owned_usd_per_million_tokens"), "{head}");
    // The cloud basis per PFLOP-hour and per dollar, as the table and the JSON have them.
    let first = cost.lines().nth(1).unwrap();
    let json = stdout_of(&["cost", "--chips", "H100 SXM,B200", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        csv_num(head, first, "cloud_usd_per_pflop_hour"),
        v["chips"][0]["cloud_usd_per_pflop_hour"].as_f64().unwrap()
    );
    assert!(csv_num(head, first, "cloud_flop_per_usd") > 0.0);
    assert!(rdr.all(|l| l.starts_with("NVIDIA H100") || l.starts_with("NVIDIA B200")));
    assert!(n_cols >= 10);
}

/// The field `name` of CSV `row` under `header`, as a number.
fn csv_num(header: &str, row: &str, name: &str) -> f64 {
    let i = header
        .split(',')
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("{name} not in {header}"));
    row.split(',')
        .nth(i)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{name} in {row}"))
}

#[test]
fn depreciate_and_scenario_as_csv() {
    let csv = stdout_of(&["depreciate", "--chips", "H100 SXM,B200", "--format", "csv"]);
    let mut lines = csv.lines();
    let header = lines.next().expect("header");
    assert!(
        header.starts_with("chip,purchase_date,capex_usd,"),
        "{header}"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2, "{csv}");
    let h100 = rows[0];
    assert!(
        h100.starts_with("NVIDIA H100 SXM5 80GB,2022-09-15,"),
        "{h100}"
    );
    // Launch price $33,600 × the default overhead 1.4.
    assert!(
        (csv_num(header, h100, "capex_usd") - 47_040.0).abs() < 0.5,
        "{h100}"
    );
    // The price's source and date, and the rent panel's, travel with the figures.
    assert!(
        header.ends_with(",price_usd,price_source,price_as_of,rent_panel,rent_panel_data_until"),
        "{header}"
    );
    assert!(
        h100.starts_with("NVIDIA H100 SXM5 80GB,")
            && h100.contains(",33600.0,catalog launch price of NVIDIA H100 SXM5 80GB")
            && h100.contains(",2022-09,data/market_rents.csv,20"),
        "{h100}"
    );
    // 10 % more rent raises the value at the book age by more than 10 % (the running costs do
    // not rise with it).
    assert!(
        csv_num(header, h100, "economic_usd_rent_plus_10pct")
            > 1.1 * csv_num(header, h100, "economic_usd"),
        "{h100}"
    );
    let life = csv_num(header, h100, "economic_life_years");
    let (lo, hi) = (
        csv_num(header, h100, "economic_life_years_p5"),
        csv_num(header, h100, "economic_life_years_p95"),
    );
    // 9.9 years at the defaults since its neocloud rents' own level (16 % above its
    // attributes' price) entered its rent, 7.9 before (measured 6 December 2026).
    assert!(
        lo < life && life < hi && (5.0..=11.0).contains(&life),
        "{h100}"
    );
    // Only the market model has per-chip rows.
    bin()
        .args(["depreciate", "--validate", "--format", "csv"])
        .assert()
        .code(2)
        .stderr(contains("--format csv"));

    let csv = stdout_of(&["scenario", "--format", "csv"]);
    let mut lines = csv.lines();
    let header = lines.next().expect("header");
    assert!(
        header.starts_with("year_end,spend_usd,cumulative_spend_usd"),
        "{header}"
    );
    let rows: Vec<&str> = lines.collect();
    assert!(rows.len() >= 5, "{csv}");
    let cumulative: Vec<f64> = rows
        .iter()
        .map(|r| csv_num(header, r, "cumulative_spend_usd"))
        .collect();
    assert!(
        cumulative.windows(2).all(|w| w[0] <= w[1]),
        "{cumulative:?}"
    );
    for r in &rows {
        let (book, economic) = (
            csv_num(header, r, "book_usd"),
            csv_num(header, r, "economic_usd"),
        );
        assert!(
            (csv_num(header, r, "exposure_usd") - (book - economic)).abs() < 1.0,
            "{r}"
        );
    }
    let launch = stdout_of(&["scenario", "--launch-trend", "--format", "csv"]);
    assert!(launch.starts_with("year,spend_usd,"), "{launch}");
}

#[test]
fn a_report_from_another_adapter_cannot_value_a_chip() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut r = sample_report();
    r.adapter.device_kind = flopledger::gpu::info::DeviceKind::Cpu;
    r.adapter.name = "llvmpipe (LLVM 15.0.6, 256 bits)".into();
    let path = write(dir.path(), "cpu.json", &r);
    bin()
        .args(["depreciate", "--chips", "H100 SXM", "--report"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(contains("software adapter"));
}

#[test]
fn run_help_has_headings_and_examples() {
    let help = stdout_of(&["run", "--help"]);
    for h in [
        "Adapter:",
        "Cases:",
        "Sampling:",
        "Energy:",
        "Cost:",
        "Output:",
        "Examples:",
    ] {
        assert!(help.contains(h), "{h}");
    }
    // Help is wrapped to the terminal too (clap's wrap_help: the terminal, else COLUMNS).
    let wide = too_wide(&help, 100);
    assert!(wide.is_empty(), "run --help: {wide:?}");
    bin()
        .args(["run", "--suite", "quick", "--shapes", "64x64x64"])
        .assert()
        .code(2)
        .stderr(contains("cannot be used with"));
}

/// `cost`'s owned $/hour carries the running costs `depreciate` charges: every running-cost
/// flag moves it, and with the shipped defaults it equals capital recovery plus the year-1
/// running cost `depreciate` prints, over the same worked hours.
#[test]
fn every_running_cost_flag_moves_the_owned_cost() {
    let owned = |extra: &[&str]| -> f64 {
        let mut args = vec!["cost", "--chips", "H100 SXM", "--format", "json"];
        args.extend_from_slice(extra);
        let v: serde_json::Value = serde_json::from_str(&stdout_of(&args)).expect("JSON");
        v["chips"][0]["owned_usd_per_hour"].as_f64().expect("owned")
    };
    let base = owned(&[]);
    for flag in [
        ["--facility-usd-per-kw-month", "500"],
        ["--server-power-factor", "3"],
        ["--maintenance-share", "0.2"],
        ["--failure-rate", "0.3"],
        ["--network-staff-usd-per-year", "20000"],
    ] {
        let moved = owned(&flag);
        assert!(moved > base * 1.05, "{flag:?}: {moved} against {base}");
    }
    // depreciate's year-1 running cost (its JSON) plus the capital recovery of the same capex.
    let dep: serde_json::Value =
        serde_json::from_str(&stdout_of(&["depreciate", "--chips", "H100 SXM", "--json"]))
            .expect("JSON");
    let chip = &dep["chips"][0];
    let capex = chip["capex_usd"].as_f64().expect("capex");
    let running = chip["point"]["costs_year1"]["total_usd"]
        .as_f64()
        .expect("running cost");
    // Defaults: 7 %, 5 years, 70 % utilisation.
    let crf = 0.07 / (1.0 - 1.07f64.powf(-5.0));
    let want = (capex * crf + running) / (8760.0 * 0.7);
    assert!((base - want).abs() < 1e-6 * want, "{base} against {want}");
}

/// A full disk under stdout (or stderr) ends the command with a message and status 1 (2 for a
/// usage error), never `println!`'s panic (status 101): a helper's sweep found every table,
/// Markdown and JSON printer panicking on `> /dev/full`.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_under_stdout_is_an_error_not_a_panic() {
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("Linux has /dev/full")
    };
    for args in [
        &["chips"][..],
        &["depreciate", "--chips", "H100 SXM", "--format", "json"],
        &["scenario"],
        &["completions", "bash"],
        &["man"],
        // Help and version too (clap's own exit said nothing and exited 0).
        &["--help"],
        &["--version"],
        &["run", "-h"],
    ] {
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("flopledger"))
            .args(args)
            .env("XDG_RUNTIME_DIR", std::env::temp_dir())
            .stdout(full())
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("cannot write the output"), "{args:?}: {err}");
    }
    // A run whose table cannot be printed names the reports it wrote whole (the error had not
    // said they were kept: a helper's sweep).
    let dir = tempfile::tempdir().expect("temp dir");
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("flopledger"))
        .args([
            "run",
            "--adapter",
            "fake",
            "--no-energy",
            "--shapes",
            "64x64x64",
            "-f",
        ])
        .args(["md", "-o"])
        .arg(dir.path())
        .env("FLOPLEDGER_FAKE_DEVICE", "1")
        .env("XDG_RUNTIME_DIR", std::env::temp_dir())
        .stdout(full())
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let md = std::fs::read_dir(dir.path())
        .expect("the report folder")
        .map(|e| e.expect("entry").path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .expect("the Markdown report");
    assert!(
        err.contains(&format!(
            "the files written before it are whole: {}",
            md.with_extension("json").display()
        )) && err.contains(&md.display().to_string()),
        "{err}"
    );
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("flopledger"))
        .args(["cost", "--chips", "nope"])
        .stderr(full())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

/// Text quoted from a file or an argument into a message shows its control characters instead
/// of sending them to the terminal (a helper's sweep: a TOML comment holding a title-set and a
/// clear-screen, a price file's item, a chip name, `--cases` and `--image` each reached the
/// terminal raw). Exit 2 as before, the message's own lines kept.
#[test]
fn escape_sequences_in_files_and_arguments_are_shown_not_sent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let toml = dir.path().join("e.toml");
    std::fs::write(&toml, "# \u{1b}]0;pwned\u{7}\u{1b}[2J\n").expect("write");
    let toml = toml.to_str().expect("utf-8 path");
    let item = dir.path().join("item.toml");
    std::fs::write(
        &item,
        "[[price]]\nitem = \"usd\\u001b[2J\"\nvalue = 1\nunit = \"USD\"\nsource = \"s\"\n\
         as_of = \"2025\"\n",
    )
    .expect("write");
    let item = item.to_str().expect("utf-8 path");
    let observed = dir.path().join("o.csv");
    std::fs::write(
        &observed,
        "chip,date,usd,unit,kind,series,consistency,source,note\n\
         NVIDIA H1000\u{1b}[2J,2024-01-01,3,usd_per_hour,od,s,same-list,x,\n",
    )
    .expect("write");
    let observed = observed.to_str().expect("utf-8 path");
    let cases: [(&[&str], &str); 9] = [
        (
            &["scenario", "--capex", toml],
            "1 | # \\u{1b}]0;pwned\\u{7}\\u{1b}[2J",
        ),
        (
            &["run", "--adapter", "fake", "-n", "-s", toml],
            "\\u{1b}]0;pwned",
        ),
        (
            &["cost", "--chips", "H100 SXM", "--price-file", toml],
            "\\u{1b}]0;pwned",
        ),
        (
            &["fleet", "report", "--thresholds", toml],
            "\\u{1b}]0;pwned",
        ),
        (
            &["cost", "--chips", "H100 SXM", "--price-file", item],
            "'usd\\u{1b}[2J'",
        ),
        (
            &["cost", "--chips", "H100\u{1b}[2J"],
            // Its escape's leftovers are a word no H100 has (it had been "ambiguous").
            "chip name 'H100\\u{1b}[2J': '2J' matches nothing",
        ),
        (
            &["run", "--adapter", "fake", "-n", "--cases", "gemm\u{1b}[2J"],
            "--cases gemm\\u{1b}[2J:",
        ),
        (
            &["fleet", "k8s", "--image", "img\u{1b}[2J"],
            "'img\\u{1b}[2J' is not a path",
        ),
        (
            &["depreciate", "--observed-file", observed],
            "chip holds a control character",
        ),
    ];
    for (args, says) in cases {
        let out = bin()
            .args(args)
            .env("FLOPLEDGER_FAKE_DEVICE", "1")
            .output()
            .expect("runs");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(2), "{args:?}: {all}");
        assert!(
            !all.contains(['\u{1b}', '\u{7}']),
            "{args:?}: a control character reached the output: {all:?}"
        );
        assert!(all.contains(says), "{args:?}: {all}");
    }
}

/// A cloud rent taken from hyperscaler lists (no neocloud rent within a year of them) says so in
/// its cell: AWS's $3.06 for a V100 beside neocloud medians read as one market (a helper's
/// sweep); a neocloud median says nothing more.
#[test]
fn a_hyperscaler_list_is_said_in_the_cloud_cell() {
    let out = bin()
        .args(["cost", "--chips", "V100 SXM2 16GB,H100 SXM"])
        .env("COLUMNS", "200")
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("cloud $/hour"))
        .expect("a cloud row");
    assert_eq!(row.matches("(hyperscaler list)").count(), 1, "{row}");
    let cells: Vec<&str> = row.split("  ").filter(|c| !c.trim().is_empty()).collect();
    assert!(cells[1].contains("(hyperscaler list)"), "{row}");
    assert!(!cells[2].contains("hyperscaler"), "{row}");
}
