//! Scale check (ignored by default; run it on purpose):
//!
//! ```sh
//! cargo test --release --test fleet_scale -- --ignored --nocapture
//! ```
//!
//! Synthesizes 10,000 reports from the real reference report (`reports/
//! reference-lavapipe-2core.json`, 32 cases): 1,250 nodes × 8 GPUs of one job, each GPU with
//! its own UUID, node and a deterministic ±3 % throughput jitter, one GPU in 500 slowed 20 %,
//! all labelled as the catalog's H100 SXM5 so the report also values the fleet with the market
//! model. Then times `ledger add` over the folder and `fleet report` (Markdown, HTML and JSON)
//! over the ledger, both through the real binary, with each one's CPU time (user + system) and
//! peak resident memory from `/usr/bin/time` where it exists, and the load average beside each
//! step, and prints the figures. No timed assertion: the figures go in docs/fleets.md.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Instant;

/// What `/usr/bin/time` measured of one run.
struct Usage {
    peak_rss_mb: f64,
    user_s: f64,
    sys_s: f64,
}

/// Runs the binary with `args`, under `/usr/bin/time` when it exists; returns the output, the
/// wall time in seconds and the CPU time and peak resident set.
fn timed(args: &[&std::ffi::OsStr]) -> (Output, f64, Option<Usage>) {
    let bin = env!("CARGO_BIN_EXE_flopledger");
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.args(["-f", "usage: %M %U %S", bin]);
        c
    } else {
        Command::new(bin)
    };
    let t = Instant::now();
    let out = cmd.args(args).output().unwrap();
    let secs = t.elapsed().as_secs_f64();
    let usage = String::from_utf8_lossy(&out.stderr)
        .lines()
        .find_map(|l| l.strip_prefix("usage: ").map(str::to_string))
        .and_then(|u| {
            let v: Vec<f64> = u.split(' ').filter_map(|x| x.parse().ok()).collect();
            (v.len() == 3).then(|| Usage {
                peak_rss_mb: v[0] / 1024.0,
                user_s: v[1],
                sys_s: v[2],
            })
        });
    (out, secs, usage)
}

/// CPU time and peak memory, for the printed figures.
fn usage(u: &Option<Usage>) -> String {
    u.as_ref()
        .map_or("CPU and memory n/a (no /usr/bin/time)".into(), |u| {
            format!(
                "CPU {:.2} + {:.2} = {:.2} s, peak memory {:.0} MB",
                u.user_s,
                u.sys_s,
                u.user_s + u.sys_s,
                u.peak_rss_mb
            )
        })
}

/// The 1-minute load average (other work on the machine), for the printed figures.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split(' ').next().map(|x| format!("load {x}")))
        .unwrap_or_else(|| "load n/a".into())
}

const REPORTS: usize = 10_000;
const GPUS_PER_NODE: usize = 8;

#[test]
#[ignore = "writes 10,000 reports (~1.6 GB) and takes a minute; run on purpose"]
fn ingest_and_report_10000_reports() {
    let reference = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/reports/reference-lavapipe-2core.json"
    );
    let base: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(reference).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("results");
    std::fs::create_dir_all(&results).unwrap();
    let t = Instant::now();
    for i in 0..REPORTS {
        let mut r = base.clone();
        let node = format!("gpu{:04}", i / GPUS_PER_NODE);
        let local = i % GPUS_PER_NODE;
        r["schema_version"] = 2.into();
        r["host"]["hostname"] = node.clone().into();
        r["economics"]["chip"] = serde_json::json!({
            "name": "NVIDIA H100 SXM5 80GB", "matched_by": "--chip",
            "source": "synthetic fleet of the scale benchmark", "uncertain": false});
        r["started_at"] = format!("2026-12-01T02:{:02}:{:02}Z", (i / 60) % 60, i % 60).into();
        r["finished_at"] = r["started_at"].clone();
        r["identity"] = serde_json::json!({
            "gpu": {"uuid": format!("GPU-{i:08x}-0000-0000-0000-000000000000"),
                    "serial": null, "pci_bus_id": format!("0000:{:02x}:00.0", 0x19 + local),
                    "driver_version": "565.57.01", "power_limit_w": 700.0,
                    "max_sm_clock_mhz": 1980, "max_memory_clock_mhz": 2619,
                    "sources": ["wgpu", "nvml"]},
            "scheduler": {"kind": "slurm", "job_id": "900001", "array_job_id": null,
                          "array_task_id": null, "task_id": i.to_string(),
                          "local_id": local.to_string(), "node_id": (i / GPUS_PER_NODE).to_string(),
                          "node_name": node, "pod_name": null, "namespace": null}
        });
        // Deterministic jitter in [−3 %, +3 %]; every 500th GPU 20 % slower.
        let jitter = 1.0 + ((i * 7919) % 601) as f64 / 10_000.0 - 0.03;
        let factor = if i % 500 == 499 { 0.8 * jitter } else { jitter };
        for c in r["cases"].as_array_mut().unwrap() {
            for key in ["flop_per_s", "bytes_per_s"] {
                let v = c["throughput"][key].as_f64().unwrap();
                c["throughput"][key] = (v * factor).into();
            }
        }
        std::fs::write(
            results.join(format!("r{i:05}.json")),
            serde_json::to_vec(&r).unwrap(),
        )
        .unwrap();
    }
    println!(
        "synthesized {REPORTS} reports in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let bytes: u64 = std::fs::read_dir(&results)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    println!("total size {:.2} GB", bytes as f64 / 1e9);

    let db = dir.path().join("ledger.sqlite");
    let before = load();
    let (out, ingest_s, ingest_use) = timed(&[
        "ledger".as_ref(),
        "add".as_ref(),
        results.as_os_str(),
        "--db".as_ref(),
        db.as_os_str(),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains(&format!("{REPORTS} added")), "{text}");
    println!(
        "ledger add: {ingest_s:.2} s wall for {REPORTS} reports, {} ({before}, then {}; {})",
        usage(&ingest_use),
        load(),
        text.trim()
    );

    let report_dir = dir.path().join("report");
    let before = load();
    let (out, report_s, report_use) = timed(&[
        "fleet".as_ref(),
        "report".as_ref(),
        "--job".as_ref(),
        "900001".as_ref(),
        "--format".as_ref(),
        "md,html,json".as_ref(),
        "--out".as_ref(),
        report_dir.as_os_str(),
        "--db".as_ref(),
        db.as_os_str(),
    ]);
    // Exit 1: the slowed GPUs are CRITICAL.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(report_dir.join("fleet-report.md")).unwrap();
    assert!(
        md.contains("10000 GPUs on 1250 nodes"),
        "{}",
        &md[..md.len().min(2000)]
    );
    assert!(
        md.contains("| NVIDIA H100 SXM5 80GB | 10000 | 2022-09-15 |"),
        "{md}"
    );
    let sizes: Vec<String> = ["md", "html", "json"]
        .iter()
        .map(|e| {
            let len = std::fs::metadata(report_dir.join(format!("fleet-report.{e}")))
                .unwrap()
                .len();
            format!("{e} {:.1} MB", len as f64 / 1e6)
        })
        .collect();
    println!(
        "fleet report (md, html, json): {report_s:.2} s wall over {REPORTS} GPUs, {} ({before}; {})",
        usage(&report_use),
        sizes.join(", ")
    );
    println!("{}", md.lines().take(4).collect::<Vec<_>>().join("\n"));

    // The Markdown report alone (no per-case listing at this size: no second read).
    let md_dir = dir.path().join("report-md");
    let before = load();
    let (out, md_s, md_use) = timed(&[
        "fleet".as_ref(),
        "report".as_ref(),
        "--job".as_ref(),
        "900001".as_ref(),
        "--format".as_ref(),
        "md".as_ref(),
        "--out".as_ref(),
        md_dir.as_os_str(),
        "--db".as_ref(),
        db.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(md_dir.join("fleet-report.md"))
            .unwrap()
            .lines()
            .skip(3)
            .collect::<Vec<_>>(),
        md.lines().skip(3).collect::<Vec<_>>(),
        "the same report without the generation time"
    );
    println!(
        "fleet report (md): {md_s:.2} s wall, {} ({before})",
        usage(&md_use)
    );
}
