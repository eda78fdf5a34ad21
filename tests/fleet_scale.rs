//! Scale check (ignored by default; run it on purpose):
//!
//! ```sh
//! cargo test --release --test fleet_scale -- --ignored --nocapture
//! ```
//!
//! Synthesizes 10,000 reports from the real reference report (`reports/
//! reference-lavapipe-2core.json`, 32 cases): 1,250 nodes × 8 GPUs of one job, each GPU with
//! its own UUID, node and a deterministic ±3 % throughput jitter, one GPU in 500 slowed 20 %.
//! Then times `ledger add` over the folder and `fleet report` over the ledger, both through the
//! real binary, and prints the figures. No timed assertion: the figures go in docs/fleets.md.

use std::process::Command;
use std::time::Instant;

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
        r["started_at"] = format!("2026-12-01T02:{:02}:{:02}Z", (i / 60) % 60, i % 60).into();
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
    let bin = env!("CARGO_BIN_EXE_flopledger");
    let t = Instant::now();
    let out = Command::new(bin)
        .args(["ledger", "add"])
        .arg(&results)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    let ingest_s = t.elapsed().as_secs_f64();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains(&format!("{REPORTS} added")), "{text}");
    println!("ledger add: {ingest_s:.2} s for {REPORTS} reports ({text})");

    let t = Instant::now();
    let out = Command::new(bin)
        .args([
            "fleet", "report", "--job", "900001", "--format", "md", "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    let report_s = t.elapsed().as_secs_f64();
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("10000 GPUs on 1250 nodes"),
        "{}",
        &md[..md.len().min(2000)]
    );
    println!("fleet report: {report_s:.2} s over {REPORTS} GPUs");
    println!("{}", md.lines().take(4).collect::<Vec<_>>().join("\n"));
}
