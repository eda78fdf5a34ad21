//! `flopledger fleet report` in dollars, through the binary: a catalog chip valued by the market
//! model with the price and date flags, a software adapter shown as not in the catalog, bad
//! flags refused; and the grading rules read from `--thresholds`.

mod common;

use flopledger::report::fixture::sample_report;
use flopledger::report::Report;
use std::path::Path;

/// GPU `n` of job 7 (the sample report: H200-SXM, every case verified), its throughput divided
/// by `slow`.
fn h200(n: u32, slow: f64) -> Report {
    let mut r = sample_report();
    let s = r.identity.scheduler.as_mut().unwrap();
    s.job_id = Some("7".into());
    s.task_id = Some(n.to_string());
    s.local_id = Some(n.to_string());
    s.node_name = Some(format!("node{}", n / 4));
    r.identity.gpu.uuid = Some(format!("GPU-{n}"));
    r.started_at = format!("2026-12-01T01:{n:02}:00Z");
    r.finished_at = Some(format!("2026-12-01T01:{n:02}:30Z"));
    for c in &mut r.cases {
        flopledger::report::fixture::scale_speed(c, 1.0 / slow);
        // The sample has one failing case; here only speed differs, so it is made to pass (its
        // largest error within its bound, as a report that agrees with itself has it).
        let v = &mut c.verification;
        if !v.pass {
            v.pass = true;
            v.max_abs_err = v.tolerance / 2.0;
            v.max_rel_err = 1e-3;
        }
    }
    r.status.invalid_cases.clear();
    r
}

/// The same report from a software adapter the catalog does not know.
fn software(n: u32) -> Report {
    let mut r = h200(n, 1.0);
    r.adapter.name = "llvmpipe (LLVM 15.0.6, 256 bits)".into();
    r.identity.gpu.uuid = None;
    r.identity.gpu.pci_bus_id = None;
    r.adapter.pci_bus_id = None;
    if let Some(e) = r.economics.as_mut() {
        e.chip = None;
    }
    r
}

fn ledger(dir: &Path) -> std::path::PathBuf {
    let res = dir.join("results");
    std::fs::create_dir_all(&res).unwrap();
    for n in 0..4 {
        let r = h200(n, if n == 2 { 2.0 } else { 1.0 });
        std::fs::write(
            res.join(format!("h{n}.json")),
            serde_json::to_vec(&r).unwrap(),
        )
        .unwrap();
    }
    for n in 4..7 {
        let r = software(n);
        std::fs::write(
            res.join(format!("s{n}.json")),
            serde_json::to_vec(&r).unwrap(),
        )
        .unwrap();
    }
    add_to_ledger(&res, &dir.join("l.sqlite"))
}

/// Indexes the reports of `res` into the ledger `db`; returns `db`.
fn add_to_ledger(res: &Path, db: &Path) -> std::path::PathBuf {
    common::flopledger()
        .args(["ledger", "add"])
        .arg(res)
        .arg("--db")
        .arg(db)
        .assert()
        .success();
    db.to_path_buf()
}

fn report_json(db: &Path, out: &Path, extra: &[&str]) -> serde_json::Value {
    common::flopledger()
        .args(["fleet", "report", "--format", "json,md,html", "--out"])
        .arg(out)
        .arg("--db")
        .arg(db)
        .args(extra)
        .assert()
        .code(1); // GPU-2 is CRITICAL
    serde_json::from_str(&std::fs::read_to_string(out.join("fleet-report.json")).unwrap()).unwrap()
}

fn f(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn a_catalog_chip_is_valued_and_a_software_adapter_is_measured_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path());
    let out = dir.path().join("out");
    let flags = [
        "--price-usd",
        "30000",
        "--purchase-date",
        "2025-01-01",
        "--life-years",
        "4",
    ];
    let j = report_json(&db, &out, &flags);
    let chips = j["money"]["chips"].as_array().unwrap();
    let h = chips
        .iter()
        .find(|c| c["pricing"]["status"] == "valued")
        .unwrap();
    let v = &h["pricing"];
    assert_eq!(h["gpus"], 4);
    assert_eq!(f(&v["price_usd"]), 30_000.0);
    assert_eq!(f(&v["capex_usd"]), 42_000.0, "price × default overhead 1.4");
    assert_eq!(v["purchase_date"], "2025-01-01");
    let age = f(&v["age_years"]);
    assert!(age > 1.9 && age < 30.0, "{age}");
    let book = (42_000.0 * (1.0 - age / 4.0)).max(0.0);
    assert!((f(&v["book_usd"]) - book).abs() < 1e-6, "{v}");
    let economic = f(&v["economic_usd"]);
    assert!(economic.is_finite() && economic >= 0.0, "{economic}");
    let d = &h["dollars"];
    assert!(d["economic_band_usd"]["p95"].is_number(), "{d}");
    let flops = f(&h["fleet_flop_per_s"]);
    assert!((f(&d["flop_per_s_per_usd"]) - flops / 168_000.0).abs() < 1e-9 * flops);
    // GPU-2 runs at half speed: flagged, about half a GPU lost, priced at one GPU's value.
    assert_eq!(h["flagged_gpus"], 1);
    let lost = f(&h["lost_gpu_equivalents"]);
    assert!((lost - 0.5).abs() < 0.01, "{lost}");
    assert!((f(&d["lost_usd"]) - lost * economic).abs() < 1e-6);
    // The software adapter: measured capacity, no dollars.
    let s = chips
        .iter()
        .find(|c| c["pricing"]["status"] == "not-in-catalog")
        .unwrap();
    assert_eq!(s["gpus"], 3);
    assert!(s["dollars"].is_null() && f(&s["fleet_flop_per_s"]) > 0.0);
    let md = std::fs::read_to_string(out.join("fleet-report.md")).unwrap();
    assert!(
        md.contains("## Value: book against the market model"),
        "{md}"
    );
    assert!(
        md.contains("| llvmpipe (LLVM 15.0.6, 256 bits) | 3 | not in the catalog |"),
        "{md}"
    );
    assert!(md.contains("(straight line over 4 y)"), "{md}");
    let html = std::fs::read_to_string(out.join("fleet-report.html")).unwrap();
    assert!(html.contains("<h2>Capacity lost</h2>"));
}

#[test]
fn without_flags_the_catalog_price_and_release_date_are_used() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path());
    let j = report_json(&db, &dir.path().join("out"), &[]);
    let v = j["money"]["chips"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["pricing"]["status"] == "valued")
        .map(|c| c["pricing"].clone())
        .unwrap();
    let catalog =
        flopledger::economics::catalog::find(v["catalog_name"].as_str().unwrap()).unwrap();
    assert_eq!(f(&v["price_usd"]), catalog.launch_price_usd.unwrap());
    assert_eq!(v["purchase_date"], catalog.release.to_string());
    assert_eq!(f(&v["book_life_years"]), 5.0);
    assert!(v["price_source"].as_str().unwrap().contains("catalog"));
}

#[test]
fn bad_value_flags_exit_2_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path());
    for (flag, value, says) in [
        ("--purchase-date", "last year", "YYYY-MM-DD"),
        // A date no chip of the fleet can be valued at: refused with each chip's window, not
        // a report of unvalued chips that exits 0.
        (
            "--purchase-date",
            "1900-01-01",
            "values no chip of the selection",
        ),
        ("--purchase-date", "1900-01-01", "H200"),
        // GPUs that ran the reports were bought already.
        ("--purchase-date", "2100-01-01", "is after today"),
        // Several formats on stdout would run into one another; --out must be a folder.
        ("--format", "md,json", "pass --out DIR"),
        ("--out", "Cargo.toml", "is a file"),
        ("--life-years", "0", "--life-years"),
        ("--price-usd", "-3", "--price-usd"),
    ] {
        let out = common::flopledger()
            .args(["fleet", "report", "--db"])
            .arg(&db)
            .arg(format!("{flag}={value}"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{flag}: {err}");
    }
}

/// A folder where one of the report files goes is refused before any file is written: the
/// Markdown from an earlier report is still there (it had been replaced, and then the JSON
/// failed).
#[test]
fn a_folder_in_a_report_files_place_is_refused_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("fleet-report.json")).unwrap();
    std::fs::write(out.join("fleet-report.md"), "OLD").unwrap();
    common::flopledger()
        .args(["fleet", "report", "--format", "md,json", "--out"])
        .arg(&out)
        .arg("--db")
        .arg(&db)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("fleet-report.json is a folder"));
    assert_eq!(
        std::fs::read_to_string(out.join("fleet-report.md")).unwrap(),
        "OLD"
    );
}

/// A value flag on a selection without a catalog chip would change nothing: refused, naming the
/// chips and the fix, where it had been ignored without a word.
#[test]
fn value_flags_without_a_catalog_chip_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let res = dir.path().join("results");
    std::fs::create_dir_all(&res).unwrap();
    for n in 4..7 {
        let r = serde_json::to_vec(&software(n)).unwrap();
        std::fs::write(res.join(format!("s{n}.json")), r).unwrap();
    }
    let db = add_to_ledger(&res, &dir.path().join("l.sqlite"));
    let out = common::flopledger()
        .args(["fleet", "report", "--db"])
        .arg(&db)
        .args(["--price-usd", "30000", "--overhead", "1.5"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--price-usd, --overhead would value no GPU")
            && err.contains("llvmpipe")
            && err.contains("--chip NAME"),
        "{err}"
    );
    // Without the flags the same selection is reported (measured, not valued).
    common::flopledger()
        .args(["fleet", "report", "--db"])
        .arg(&db)
        .assert()
        .success();
}

/// `--thresholds FILE.toml` grades by the file's rules (stated in the report), for `fleet report`
/// and `fleet prometheus`; a bad file exits 2 naming the key and writes nothing.
#[test]
fn a_thresholds_file_sets_the_rules_and_a_bad_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path());
    // GPU-2 runs at half speed: CRITICAL by default (report_json expects exit 1)…
    let j = report_json(&db, &dir.path().join("default"), &[]);
    assert_eq!(j["counts"]["critical"], 1, "{}", j["counts"]);
    // …and OK when only a GPU 60 % below its peers counts.
    let loose = dir.path().join("loose.toml");
    std::fs::write(&loose, "warn_deficit = 0.6\ncritical_deficit = 0.7\n").unwrap();
    let out = dir.path().join("loose");
    common::flopledger()
        .args(["fleet", "report", "--format", "json,md", "--out"])
        .arg(&out)
        .arg("--db")
        .arg(&db)
        .arg("--thresholds")
        .arg(&loose)
        .assert()
        .code(0);
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("fleet-report.json")).unwrap())
            .unwrap();
    assert_eq!(j["counts"]["critical"], 0, "{}", j["counts"]);
    assert_eq!(j["counts"]["warn"], 0, "{}", j["counts"]);
    assert_eq!(j["thresholds"]["warn_deficit"], 0.6);
    assert_eq!(
        j["thresholds"]["critical_z"], -5.0,
        "a key left out keeps its default"
    );
    let md = std::fs::read_to_string(out.join("fleet-report.md")).unwrap();
    assert!(
        md.contains("≥ 70 % below the peers' median"),
        "the report states the rules"
    );
    // Prometheus grades by the file too: GPU-2's status 2 (CRITICAL) by default, 0 with it.
    let gpu2_status = |extra: &[&std::ffi::OsStr]| {
        let out = common::flopledger()
            .args(["fleet", "prometheus", "--db"])
            .arg(&db)
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find(|l| l.starts_with("flopledger_gpu_status{gpu=\"GPU-2\""))
            .map(|l| l.rsplit(' ').next().unwrap_or("").to_string())
            .expect("GPU-2's status line")
    };
    assert_eq!(gpu2_status(&[]), "2");
    // `--gpu` picks the GPU shown, not its peers: still CRITICAL against the other H200s (picked
    // before grading, it had no peers, was not graded and read 0).
    assert_eq!(gpu2_status(&["--gpu".as_ref(), "GPU-2".as_ref()]), "2");
    let one = report_json(&db, &dir.path().join("one"), &["--gpu", "GPU-2"]);
    assert_eq!(one["counts"]["critical"], 1, "{}", one["counts"]);
    assert_eq!(
        one["gpus"].as_array().map(Vec::len),
        Some(1),
        "{}",
        one["gpus"]
    );
    assert!(
        one["selection"]
            .as_str()
            .is_some_and(|s| s.starts_with("GPU GPU-2, graded against their peers")),
        "{}",
        one["selection"]
    );
    assert_eq!(
        gpu2_status(&["--thresholds".as_ref(), loose.as_os_str()]),
        "0"
    );

    for (text, says) in [
        ("warn_z = 3.0\n", "warn_z = 3"),
        ("critical_deficit = 0.01\n", "looser than WARN"),
        ("min_peers = 1\n", "min_peers = 1"),
        ("warn_below = 0.1\n", "unknown field"),
    ] {
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, text).unwrap();
        let out = dir.path().join("refused");
        let run = common::flopledger()
            .args(["fleet", "report", "--format", "json", "--out"])
            .arg(&out)
            .arg("--db")
            .arg(&db)
            .arg("--thresholds")
            .arg(&bad)
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(2), "{text}");
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(
            err.contains(says) && err.contains("bad.toml"),
            "{text}: {err}"
        );
        assert!(
            !out.join("fleet-report.json").exists(),
            "{text}: nothing written"
        );
    }
    let missing = common::flopledger()
        .args(["fleet", "report", "--db"])
        .arg(&db)
        .arg("--thresholds")
        .arg(dir.path().join("absent.toml"))
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read it"));
}

/// Every money flag of `fleet report` moves the valued chip's figures (none is taken and
/// ignored).
#[test]
fn every_money_flag_moves_the_valued_chip() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path());
    let valued = |extra: &[&str], out: &str| {
        let j = report_json(&db, &dir.path().join(out), extra);
        j["money"]["chips"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["pricing"]["status"] == "valued")
            .cloned()
            .unwrap()
    };
    let base = valued(&[], "base");
    for (i, (flag, value)) in [
        ("--price-usd", "20000"),
        ("--purchase-date", "2025-06-01"),
        ("--life-years", "3"),
        ("--overhead", "2"),
        ("--discount-rate", "0.2"),
    ]
    .into_iter()
    .enumerate()
    {
        let moved = valued(&[flag, value], &format!("o{i}"));
        assert_ne!(moved, base, "{flag} {value} changed nothing");
    }
}

/// A chip older than the rent panel is left unvalued with the window in this command's own
/// flags (`depreciate` also offers --market-file and --launch-trend, which `fleet report` lacks).
#[test]
fn a_chip_older_than_the_rental_market_is_unvalued_with_the_dates_it_can_have() {
    let dir = tempfile::tempdir().unwrap();
    let res = dir.path().join("results");
    std::fs::create_dir_all(&res).unwrap();
    for n in 0..2 {
        let mut r = software(n);
        r.adapter.name = "NVIDIA GeForce GTX 980".into();
        std::fs::write(
            res.join(format!("g{n}.json")),
            serde_json::to_vec(&r).unwrap(),
        )
        .unwrap();
    }
    let db = add_to_ledger(&res, &dir.path().join("l.sqlite"));
    let out = dir.path().join("out");
    common::flopledger()
        .args(["fleet", "report", "--format", "json", "--out"])
        .arg(&out)
        .arg("--db")
        .arg(&db)
        .assert()
        .success();
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("fleet-report.json")).unwrap())
            .unwrap();
    let chip = &j["money"]["chips"][0];
    assert_eq!(chip["pricing"]["status"], "unvalued", "{chip}");
    let reason = chip["pricing"]["reason"].as_str().unwrap();
    assert!(
        reason.contains("before the market data's first price"),
        "{reason}"
    );
    assert!(
        reason.contains("--purchase-date from 2014-10-11"),
        "{reason}"
    );
    assert!(
        !reason.contains("--launch-trend") && !reason.contains("--market-file"),
        "{reason}"
    );
}

/// `fleet prometheus --out` never replaces the ledger it reads (the same path, `./` or a link
/// to it: it wrote the metrics over the ledger and exited 0) nor a run's report: exit 2, both
/// left as they were.
#[test]
fn prometheus_out_never_replaces_the_ledger_or_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path());
    let before = std::fs::read(&db).unwrap();
    let link = dir.path().join("metrics.prom");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    let dotted = std::path::Path::new(".").join(db.file_name().unwrap());
    for (out, cwd) in [
        (db.clone(), None),
        (dotted, Some(db.parent().unwrap())),
        (link, None),
    ] {
        let mut cmd = common::flopledger();
        if let Some(cwd) = cwd {
            cmd.current_dir(cwd);
        }
        let got = cmd
            .args(["fleet", "prometheus", "--db"])
            .arg(&db)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&got.stderr);
        assert_eq!(got.status.code(), Some(2), "{}: {err}", out.display());
        assert!(err.contains("SQLite database"), "{err}");
        assert_eq!(std::fs::read(&db).unwrap(), before, "{}", out.display());
    }
    let report = dir.path().join("results").join("h0.json");
    let kept = std::fs::read(&report).unwrap();
    let got = common::flopledger()
        .args(["fleet", "prometheus", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(got.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&got.stderr).contains("holds a report"));
    assert_eq!(std::fs::read(&report).unwrap(), kept);
    // Nor the --thresholds file it reads (replaced with exit 0: a helper's sweep).
    let thresholds = dir.path().join("t.toml");
    std::fs::write(&thresholds, "warn_z = -2.0\n").unwrap();
    let got = common::flopledger()
        .args(["fleet", "prometheus", "--db"])
        .arg(&db)
        .arg("--thresholds")
        .arg(&thresholds)
        .arg("--out")
        .arg(&thresholds)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&got.stderr);
    assert_eq!(got.status.code(), Some(2), "{err}");
    assert!(err.contains("names the --thresholds file"), "{err}");
    assert_eq!(std::fs::read(&thresholds).unwrap(), b"warn_z = -2.0\n");
}

/// A price far under the chip's launch price is noted as a likely unit slip, as `depreciate`,
/// `run` and `cost` note it (a helper's sweep: `--price-usd 1` was valued without a word).
#[test]
fn a_price_far_under_the_launch_price_is_noted() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(dir.path());
    let out = dir.path().join("out");
    let j = report_json(&db, &out, &["--price-usd", "1"]);
    let chips = j["money"]["chips"].as_array().unwrap();
    let v = &chips
        .iter()
        .find(|c| c["pricing"]["status"] == "valued")
        .unwrap()["pricing"];
    let notes = v["notes"].to_string();
    assert!(notes.contains("of its catalog launch price"), "{notes}");
}
