//! End-to-end `run` tests on the fake device (`--adapter fake` with `FLOPLEDGER_FAKE_DEVICE`):
//! the whole pipeline — planning, tuning, verification, sampling, reports, exit codes,
//! interruption — without a GPU driver, deterministic and fast. Real kernels on a real adapter
//! are tested in `cli.rs`, `gemm_gpu.rs` and `workloads_gpu.rs`.

mod common;

use common::{case_column, fake_run, files_with_extension, flopledger, json_reports};
use flopledger::report::{io, TimingMethod};
use predicates::prelude::*;
use std::time::{Duration, Instant};

#[test]
fn the_quick_suite_runs_end_to_end_and_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        fake_run(dir.path(), &["--suite", "quick", "--format", "md,html,csv"])
            .assert()
            .success()
            .stderr(predicate::str::contains("software adapter"));
    }
    let files = json_reports(dir.path());
    assert_eq!(files.len(), 2, "{files:?}");
    for ext in ["md", "html", "csv"] {
        assert_eq!(files_with_extension(dir.path(), ext).len(), 2, "{ext}");
    }
    let a = io::load(&files[0]).unwrap();
    let b = io::load(&files[1]).unwrap();
    assert!(a.status.complete && a.status.invalid_cases.is_empty());
    assert_eq!(a.cases.len() + a.skipped.len(), a.status.cases_planned);
    assert!(a.cases.len() >= 5, "{:?}", a.skipped);
    for c in &a.cases {
        assert!(c.verification.pass, "{}", c.id);
        assert_eq!(c.timing_method, TimingMethod::Device);
        if c.flops_per_dispatch > 0.0 {
            let expect = c.flops_per_dispatch / (c.stats.median_ns * 1e-9);
            assert!(
                (c.throughput.flop_per_s / expect - 1.0).abs() < 1e-9,
                "{}",
                c.id
            );
        }
    }
    let roof = a
        .roofline
        .as_ref()
        .expect("peak and stream cases give a roofline");
    // Every ceiling case was measured again at the end of the run, with the same kernel; the
    // fake device does not drift, so the two medians agree within its noise.
    let ceilings: Vec<&str> = roof
        .compute
        .iter()
        .map(|c| c.case_id.as_str())
        .chain(roof.bandwidth_case_id.as_deref())
        .collect();
    let rechecked: Vec<&str> = roof.rechecks.iter().map(|r| r.case_id.as_str()).collect();
    assert_eq!(rechecked, ceilings);
    for r in &roof.rechecks {
        assert!(r.speed_change().abs() < 0.05, "{r:?}");
    }
    assert!(!a.warnings.iter().any(|w| w.contains("speed changed")));
    // The fixed cost of a dispatch was timed after them, and it is below every case's time.
    let floor = roof
        .dispatch_floor
        .as_ref()
        .expect("the quick suite times the floor");
    assert_eq!(floor.case_id, "stream-copy-f32-n1024");
    assert!(floor.median_ns > 0.0, "{floor:?}");
    assert!(a.cases.iter().all(|c| c.stats.median_ns >= floor.median_ns));
    // Same seed, same fake device: the same kernels and the same samples.
    for (x, y) in a.cases.iter().zip(&b.cases) {
        assert_eq!(x.id, y.id);
        assert_eq!(x.kernel, y.kernel);
        assert_eq!(x.samples_ns, y.samples_ns, "{}", x.id);
    }
}

#[test]
fn a_case_that_fails_verification_is_kept_invalid_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    fake_run(dir.path(), &["--shapes", "8x8x8,16x16x16", "--no-tune"])
        .env("FLOPLEDGER_FAKE_FAIL", "gemm-f32-16x16x16")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "gemm-f32-16x16x16 failed verification",
        ));
    let files = json_reports(dir.path());
    let r = io::load(&files[0]).unwrap();
    assert!(r.status.complete);
    assert_eq!(
        r.status.invalid_cases,
        vec!["gemm-f32-16x16x16".to_string()]
    );
    assert_eq!(r.cases.len(), 2);
}

#[test]
fn bad_flags_and_shapes_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["--shapes", "0x4x4"], "at least 1"),
        (&["--shapes=-1x4x4"], "negative"),
        (&["--shapes", "axbxc"], "not a whole number"),
        (&["--shapes", "4x4"], "three dimensions"),
        (&["--shapes", "65536x65536x65536"], "use a smaller shape"),
        (&["--min-time", "fast"], "invalid duration"),
        (&["--min-time", "2s", "--max-time", "1s"], "--max-time"),
        (&["--watts=-5"], "--watts"),
        (&["--watts", "0"], "--watts 300"),
        (&["--suite", "bogus"], "suite"),
        (&["--cases", "no-such-case"], "no such case"),
    ];
    for (args, needle) in cases {
        let out = fake_run(dir.path(), args)
            .assert()
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
fn list_and_dry_run_plan_on_the_fake_device_with_the_energy_budget() {
    // --list and --dry-run plan against the fake device as a run would (they enumerated the
    // real adapters only, and refused `--adapter fake`).
    let listed = flopledger()
        .env("FLOPLEDGER_FAKE_DEVICE", "1")
        .args(["run", "--adapter", "fake", "--list", "--suite", "quick"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8_lossy(&listed).contains("flopledger fake device"));
    let plan = |budget: &str| {
        flopledger()
            .env("FLOPLEDGER_FAKE_DEVICE", "1")
            .args([
                "run",
                "--adapter",
                "fake",
                "--dry-run",
                "--energy-budget",
                budget,
            ])
            .assert()
    };
    let out = plan("2m").success().get_output().stdout.clone();
    let text = String::from_utf8_lossy(&out);
    assert!(
        text.contains("at most 120s a run (--energy-budget)"),
        "{text}"
    );
    let out = plan("none").success().get_output().stdout.clone();
    assert!(String::from_utf8_lossy(&out).contains("every case (--energy-budget none)"));
    for (budget, needle) in [
        ("0", "`none` to measure every case"),
        ("soon", "--energy-budget soon"),
    ] {
        let out = plan(budget).failure().code(2).get_output().stderr.clone();
        let err = String::from_utf8_lossy(&out);
        assert!(err.contains(needle), "{budget}: {err}");
    }
}

/// `run --list -c ID` without `--suite` lists the case in every built-in suite that has it (the
/// quick suite, which lacks it, refused it); an id no suite has, and one given twice, are
/// refused.
#[test]
fn list_finds_a_case_in_the_suites_that_have_it() {
    let list = |cases: &str| {
        flopledger()
            .env("FLOPLEDGER_FAKE_DEVICE", "1")
            .args(["run", "--adapter", "fake", "--list", "-c", cases])
            .output()
            .unwrap()
    };
    let out = list("gemm-f32-128x1024x512");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("suite quick"), "{text}");
    assert!(text.contains("suite standard"), "{text}");
    assert_eq!(text.matches("gemm-f32-128x1024x512").count(), 2, "{text}");
    for (cases, says) in [
        (
            "no-such-case",
            "no built-in suite (quick, standard, full) has this case",
        ),
        (
            "gemm-f32-128x1024x512,gemm-f32-128x1024x512",
            "given twice; give each case once",
        ),
    ] {
        let out = list(cases);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(says), "{err}");
    }
}

#[test]
fn watts_zero_is_refused_by_every_command_that_takes_it() {
    for args in [
        &["run", "--watts", "0"][..],
        &["depreciate", "--chip", "H100 SXM", "--watts", "0"][..],
    ] {
        flopledger()
            .args(args)
            .assert()
            .failure()
            .code(2)
            .stderr(predicate::str::contains("--watts 300"));
    }
}

#[test]
fn the_fake_device_needs_its_environment_switch() {
    let dir = tempfile::tempdir().unwrap();
    fake_run(dir.path(), &["--shapes", "8x8x8"])
        .env_remove("FLOPLEDGER_FAKE_DEVICE")
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("fake").and(predicate::str::contains("flopledger devices")),
        );
}

#[test]
fn failing_runs_leave_earlier_reports_intact() {
    let dir = tempfile::tempdir().unwrap();
    fake_run(dir.path(), &["--shapes", "8x8x8"])
        .assert()
        .success();
    let first = json_reports(dir.path());
    assert_eq!(first.len(), 1);
    let before = std::fs::read(&first[0]).unwrap();
    fake_run(dir.path(), &["--shapes", "0x1x1"])
        .assert()
        .failure()
        .code(2);
    fake_run(dir.path(), &["--cases", "nope"])
        .assert()
        .failure()
        .code(2);
    // A second good run writes a new file next to the first, never over it.
    fake_run(dir.path(), &["--shapes", "8x8x8"])
        .assert()
        .success();
    let after = json_reports(dir.path());
    assert_eq!(after.len(), 2, "{after:?}");
    assert_eq!(std::fs::read(&first[0]).unwrap(), before);
}

#[test]
fn out_path_that_is_a_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "keep me").unwrap();
    fake_run(&file, &["--shapes", "4x4x4"])
        .assert()
        .failure()
        .code(2)
        .stderr(predicate::str::contains("pass a directory"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
}

/// Starts `flopledger run` on the real-time fake device (no energy, no tuning) with `args`,
/// writing to `out`; stderr is kept for the checks.
fn spawn_realtime_run(out: &std::path::Path, args: &[&str]) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_flopledger"))
        .env("XDG_RUNTIME_DIR", std::env::temp_dir())
        .env("FLOPLEDGER_FAKE_DEVICE", "realtime")
        .args(["run", "--adapter", "fake", "--no-energy", "--no-tune"])
        .args(args)
        .arg("--out")
        .arg(out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until `ready` holds of the run's folder, the run still going (a guard against a hung
/// test, not a timing assertion).
fn wait_while_running(child: &mut std::process::Child, what: &str, ready: impl Fn() -> bool) {
    let give_up = Instant::now() + Duration::from_secs(120);
    while !ready() {
        assert!(Instant::now() < give_up, "the run never {what}");
        assert!(child.try_wait().unwrap().is_none(), "the run ended early");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn send_signal(child: &std::process::Child, signal: &str) {
    let status = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Starts a slow fake run of twelve cases, waits until its report holds a finished case, sends
/// `signal` (`times` times, 100 ms apart), and checks what it left: the finished cases, an
/// incomplete status and Markdown.
fn interrupted_run_keeps_its_cases(signal: &str, times: usize) {
    let dir = tempfile::tempdir().unwrap();
    let shapes: Vec<String> = (0..12).map(|i| format!("256x256x{}", 256 + i)).collect();
    let shapes = shapes.join(",");
    let mut child = spawn_realtime_run(
        dir.path(),
        &[
            "--min-time",
            "300ms",
            "--max-time",
            "400ms",
            "--format",
            "md",
            "--shapes",
            &shapes,
        ],
    );
    wait_while_running(&mut child, "finished a case", || {
        json_reports(dir.path())
            .first()
            .and_then(|p| io::load(p).ok())
            .is_some_and(|r| !r.cases.is_empty())
    });
    for i in 0..times {
        if i > 0 {
            std::thread::sleep(Duration::from_millis(100));
        }
        send_signal(&child, signal);
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    let files = json_reports(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let r = io::load(&files[0]).unwrap();
    assert!(!r.status.complete);
    assert!(
        !r.cases.is_empty() && r.cases.len() < 12,
        "{}",
        r.cases.len()
    );
    assert!(r.warnings.iter().any(|w| w.contains("interrupted")));
    let md = files_with_extension(dir.path(), "md");
    assert_eq!(md.len(), 1, "the Markdown report is written too");
    let text = std::fs::read_to_string(&md[0]).unwrap();
    assert!(text.contains(&r.cases[0].id), "{text}");
}

/// A helper's sweep: a signal while the last (here the only) case ran was lost: exit 0 and
/// `complete = true`, the rechecks silently skipped. Then the case ran on to its own stop rule
/// (a case of long dispatches took minutes after Ctrl-C). Now its sampling ends after the batch
/// in flight: the case is left out and named, and the run says it was interrupted.
#[test]
fn a_signal_while_a_case_is_sampled_ends_it_and_leaves_it_out() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = spawn_realtime_run(
        dir.path(),
        &[
            "--min-time",
            "20s",
            "--max-time",
            "30s",
            "--shapes",
            "64x64x64",
        ],
    );
    // The report's skeleton is saved just before the case starts; its sampling takes at least
    // 5 s (a quarter of --min-time, where a tight confidence interval may end it).
    wait_while_running(&mut child, "saved its report", || {
        !json_reports(dir.path()).is_empty()
    });
    std::thread::sleep(Duration::from_millis(500));
    send_signal(&child, "-INT");
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let r = io::load(&json_reports(dir.path())[0]).unwrap();
    assert!(!r.status.complete);
    assert!(r.cases.is_empty(), "the case being sampled is left out");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("interrupted after 0 of 1 cases")
                && w.contains("gemm-f32-64x64x64, in progress when the signal came, is left out")),
        "{:?}",
        r.warnings
    );
}

#[test]
fn sigint_keeps_the_finished_cases_and_writes_markdown() {
    interrupted_run_keeps_its_cases("-INT", 1);
}

#[test]
fn sigterm_keeps_the_finished_cases_and_writes_markdown() {
    interrupted_run_keeps_its_cases("-TERM", 1);
}

/// `timeout(1)` signals the command and then its process group: two SIGTERMs a moment apart
/// are one request, and the run still finishes its case and writes every format.
#[test]
fn sigterm_twice_in_a_moment_is_one_request() {
    interrupted_run_keeps_its_cases("-TERM", 2);
}

#[test]
fn the_summary_fits_an_80_column_terminal_with_every_case_id_readable() {
    let dir = tempfile::tempdir().unwrap();
    let out = fake_run(dir.path(), &["--suite", "quick"])
        .env("COLUMNS", "80")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let wide: Vec<&str> = text.lines().filter(|l| l.chars().count() > 80).collect();
    assert!(wide.is_empty(), "lines wider than 80: {wide:?}\n{text}");
    // The rows lie between the rule under the header and the closing rule.
    let lines: Vec<&str> = text.lines().collect();
    let rules: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with('─'))
        .collect();
    let body = lines[rules[1] + 1..rules[2]].join("\n");
    let report = io::load(&json_reports(dir.path())[0]).unwrap();
    let want: Vec<String> = report.cases.iter().map(|c| c.id.clone()).collect();
    assert_eq!(case_column(&body), want, "{text}");
}

/// A `--shapes` run's report names its shapes in the plan row, not the suite it replaced (the
/// row said "suite standard").
#[test]
fn a_shapes_run_reports_its_shapes_as_its_plan() {
    let dir = tempfile::tempdir().unwrap();
    fake_run(
        dir.path(),
        &[
            "--shapes",
            "8x8x8,16x8x4",
            "--min-time",
            "10ms",
            "--max-time",
            "30ms",
            "--format",
            "json,md",
        ],
    )
    .assert()
    .success();
    let md = files_with_extension(dir.path(), "md");
    let text = std::fs::read_to_string(&md[0]).unwrap();
    assert!(
        text.contains("GEMM f32 shapes 8x8x8, 16x8x4 (--shapes), seed"),
        "{text}"
    );
    assert!(!text.contains("suite standard"), "{text}");
}

/// `run --dry-run` shows the price, rent and utilisation the run will use, each with where it
/// comes from (a price file's were shown as "default"), and says when no catalog chip matches
/// the adapter (it said "matched from the adapter name").
#[test]
fn dry_run_shows_the_prices_it_will_use_and_their_origin() {
    let mut prices = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
    std::io::Write::write_all(
        &mut prices,
        b"[[price]]\nitem = \"utilization\"\nvalue = 0.3\nunit = \"fraction\"\n\
          source = \"ops\"\nas_of = \"2026-01\"\n",
    )
    .unwrap();
    let dry = |extra: &[&str]| {
        let out = flopledger()
            .env("FLOPLEDGER_FAKE_DEVICE", "1")
            .args(["run", "--adapter", "fake", "--dry-run", "--price-file"])
            .arg(prices.path())
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).replace("\n          ", " ")
    };
    let text = dry(&[]);
    assert!(
        text.contains("chip none: the adapter's name matches no catalog chip (set --chip NAME)"),
        "{text}"
    );
    assert!(text.contains("utilization 30.0 % (price file)"), "{text}");
    let text = dry(&["--chip", "H100 SXM", "--cloud-usd-per-hour", "2.5"]);
    assert!(
        text.contains(
            "chip NVIDIA H100 SXM5 80GB; price $33,600 (catalog, as of 2022-09); cloud $2.50/h \
             (flag, as of "
        ),
        "{text}"
    );
}

/// `--suite` with a path that exists but is no suite file (a folder) is refused as what it is,
/// not as an "unknown suite".
#[test]
fn a_suite_path_that_is_a_folder_is_refused_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = flopledger()
        .env("FLOPLEDGER_FAKE_DEVICE", "1")
        .args(["run", "--adapter", "fake", "--dry-run", "--suite"])
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cannot read it") && !err.contains("unknown suite"),
        "{err}"
    );
}

/// `--out` a symbolic link to nothing is refused as one before anything runs (creating the
/// folder failed with "File exists").
#[cfg(unix)]
#[test]
fn an_out_link_to_nothing_is_refused_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("dangling");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &link).unwrap();
    let out = fake_run(&link, &["--shapes", "8x8x8"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("is a symbolic link to"), "{err}");
}

/// A price-file entry for another chip than the run's is said, in the output and among the
/// report's warnings, as `cost` and `depreciate` say it (the run took the catalog's price
/// without a word: a helper's sweep of 7 December 2026).
#[test]
fn a_price_file_entry_for_another_chip_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let prices = dir.path().join("p.toml");
    std::fs::write(
        &prices,
        "[[price]]\nitem = \"price_usd\"\nvalue = 30000\nunit = \"USD\"\nchip = \"B200\"\n\
         source = \"quote\"\nas_of = \"2026-01-01\"\n",
    )
    .unwrap();
    let out = dir.path().join("r");
    let got = fake_run(
        &out,
        &[
            "--shapes",
            "8x8x8",
            "--min-time",
            "1ms",
            "--max-time",
            "2ms",
            "--chip",
            "H100 SXM",
            "--price-file",
            prices.to_str().unwrap(),
        ],
    )
    .output()
    .unwrap();
    let err = String::from_utf8_lossy(&got.stderr).replace("\n  ", " ");
    assert!(got.status.success(), "{err}");
    assert!(
        err.contains("(`price_usd` for NVIDIA B200) applies to none"),
        "{err}"
    );
    let report = std::fs::read_to_string(&json_reports(&out)[0]).unwrap();
    assert!(
        report.contains("applies to none of the chips here"),
        "{report}"
    );
}
