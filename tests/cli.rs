//! End-to-end CLI tests that need the real adapter (lavapipe, installed by `.ci/run`): devices,
//! a tiny run of the real kernels, adapter and backend choice. Everything else about `run` is
//! tested on the fake device (`run_fake.rs`).

mod common;

use common::{flopledger, json_reports};
use predicates::prelude::*;
use std::path::Path;

fn tiny_run(out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    let mut cmd = flopledger();
    cmd.args(["run", "--no-energy", "--out"])
        .arg(out)
        .args(extra);
    if !extra
        .iter()
        .any(|a| a.starts_with("--min-time") || a.starts_with("--max-time"))
    {
        cmd.args(["--min-time", "50ms", "--max-time", "300ms"]);
    }
    cmd.assert()
}

#[test]
fn devices_lists_the_software_adapter() {
    flopledger().arg("devices").assert().success().stdout(
        predicate::str::contains("llvmpipe")
            .and(predicate::str::contains("timestamps"))
            // lavapipe has no cooperative matrices: the column says none, a line says why.
            .and(predicate::str::contains("coop #0 (vulkan): none: "))
            .and(predicate::str::contains(
                "* the adapter `flopledger run` uses",
            )),
    );
    let out = flopledger()
        .args(["devices", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("devices --json is JSON");
    let first = &v[0];
    assert!(first["name"].as_str().is_some());
    assert!(
        first["limits"]["max_storage_buffer_binding_size"]
            .as_u64()
            .unwrap()
            > 0
    );
    // Typed cooperative-matrix support is always present; lavapipe has none, with a reason.
    let coop = &first["cooperative_matrix_support"];
    assert_eq!(coop["feature"], false, "{coop}");
    assert_eq!(coop["configurations"], serde_json::json!([]), "{coop}");
    assert!(!coop["reason"].as_str().unwrap().is_empty(), "{coop}");
}

#[test]
fn tiny_run_writes_a_verified_device_timed_report() {
    let dir = tempfile::tempdir().unwrap();
    tiny_run(
        dir.path(),
        &["--shapes", "1x1x1,17x33x65,64x1x300,129x127x131"],
    )
    .success()
    .stdout(predicate::str::contains("gemm-f32-129x127x131"))
    .stderr(predicate::str::contains("software adapter"));
    let files = json_reports(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let report = flopledger::report::io::load(&files[0]).expect("report loads");
    assert!(report.status.complete);
    assert_eq!(report.cases.len(), 4);
    for c in &report.cases {
        assert!(c.verification.pass, "{} failed verification", c.id);
        assert_eq!(
            c.timing_method,
            flopledger::report::TimingMethod::Device,
            "{}",
            c.id
        );
        assert!(!c.samples_ns.is_empty());
        // Throughput is the counted work over the median time.
        let expect = c.flops_per_dispatch / (c.stats.median_ns * 1e-9);
        assert!((c.throughput.flop_per_s / expect - 1.0).abs() < 1e-9);
    }
    assert!(report.reproduce.contains("--seed"));
}

/// `--shader-checks` compiles the kernels with wgpu's runtime checks: the run verifies as
/// without them, and the report's plan and reproduce command say so; without the flag neither
/// mentions them (reports stay as they were before the flag).
#[test]
fn shader_checks_are_recorded_and_reproduced() {
    for (extra, on) in [(&["--shader-checks"][..], true), (&[][..], false)] {
        let dir = tempfile::tempdir().unwrap();
        let mut args = vec!["--shapes", "17x33x65", "--no-tune"];
        args.extend_from_slice(extra);
        tiny_run(dir.path(), &args).success();
        let files = json_reports(dir.path());
        let report = flopledger::report::io::load(&files[0]).expect("report loads");
        assert!(report.cases.iter().all(|c| c.verification.pass));
        assert_eq!(report.plan.shader_checks, on);
        assert_eq!(report.reproduce.contains("--shader-checks"), on);
        let text = std::fs::read_to_string(&files[0]).unwrap();
        assert_eq!(text.contains("shader_checks"), on);
    }
}

#[test]
fn unknown_adapters_and_backends_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["--adapter", "99"], "flopledger devices"),
        (&["--adapter", "no-such-gpu"], "no adapter name contains"),
        (&["--backend", "metal"], "mesa-vulkan-drivers"),
    ];
    for (args, needle) in cases {
        let out = tiny_run(dir.path(), args)
            .failure()
            .code(2)
            .get_output()
            .clone();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(needle),
            "{args:?}: expected '{needle}' in: {err}"
        );
        assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
    }
    assert!(
        json_reports(dir.path()).is_empty(),
        "a failed run left a report"
    );
}

#[test]
fn unknown_subcommand_and_flags_are_usage_errors() {
    flopledger().arg("frobnicate").assert().failure().code(2);
    flopledger()
        .args(["run", "--no-such-flag"])
        .assert()
        .failure()
        .code(2);
}

#[test]
fn run_list_dry_run_and_a_tiny_run_fit_100_columns_and_end_with_the_headline() {
    let wide = |text: &str| {
        text.lines()
            .filter(|l| l.chars().count() > 100)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let list = flopledger()
        .env("COLUMNS", "100")
        .args(["run", "--list"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let list = String::from_utf8(list).expect("utf-8");
    for suite in ["suite quick", "suite standard", "suite full"] {
        assert!(list.contains(suite), "{suite}");
    }
    assert!(list.contains("gemm-f32-256x256x256") && list.contains("attention-f32-"));
    // Every case id of every built-in suite is listed whole (ids never wrap), on the adapter
    // `run` would pick.
    let infos: Vec<_> = flopledger::gpu::enumerate()
        .into_iter()
        .map(|f| f.info)
        .collect();
    let info = &infos[flopledger::gpu::choose(&infos, None, None).expect("an adapter")];
    for suite in ["quick", "standard", "full"] {
        let cases = flopledger::workloads::suite::cases(suite, info).expect("built-in suite");
        assert!(!cases.is_empty(), "{suite}");
        for w in cases.iter() {
            let id = w.id();
            assert!(
                list.lines()
                    .any(|l| l.split_whitespace().any(|word| word == id)),
                "suite {suite}: {id} not listed whole"
            );
        }
    }
    assert!(wide(&list).is_empty(), "{:?}", wide(&list));
    let dir = tempfile::tempdir().expect("temp dir");
    flopledger()
        .env("COLUMNS", "100")
        .args(["run", "--dry-run", "--shapes", "64x64x64", "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("gemm-f32-64x64x64"));
    assert!(
        json_reports(dir.path()).is_empty(),
        "a dry run wrote a report"
    );
    // An --out the run would refuse (a file) is refused by the dry run too.
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    flopledger()
        .args(["run", "--dry-run", "--shapes", "64x64x64", "--out"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a directory"));
    let out = flopledger()
        .env("COLUMNS", "100")
        .args([
            "run",
            "--no-energy",
            "--shapes",
            "64x64x64",
            "--min-time",
            "50ms",
        ])
        .args(["--max-time", "200ms", "--out"])
        .arg(dir.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).expect("utf-8");
    assert!(wide(&out).is_empty(), "{:?}", wide(&out));
    let tail: Vec<&str> = out.lines().rev().take(6).collect();
    assert!(tail.iter().any(|l| l.starts_with("report ")), "{out}");
    assert!(
        tail.iter().any(|l| l.starts_with("GEMM gemm-f32-64x64x64")),
        "{out}"
    );
    assert!(tail.iter().any(|l| l.starts_with("adapter ")), "{out}");
}
