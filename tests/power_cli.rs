//! `flopledger power` on a machine without power sensors (CI: lavapipe, no NVIDIA driver, no
//! hwmon or RAPL): it explains that none exists, names `--watts`, and `--json` parses.

use assert_cmd::Command;

fn flopledger() -> Command {
    let mut cmd = Command::cargo_bin("flopledger").expect("binary built");
    cmd.env("XDG_RUNTIME_DIR", std::env::temp_dir());
    cmd
}

fn has_sensors() -> bool {
    std::path::Path::new("/sys/class/powercap").exists()
        || std::path::Path::new("/proc/driver/nvidia").exists()
        || std::fs::read_dir("/sys/class/hwmon").is_ok_and(|mut d| d.next().is_some())
}

#[test]
fn power_without_sensors_explains_and_names_watts() {
    if has_sensors() {
        eprintln!("skipped: this machine has power sensors");
        return;
    }
    let out = flopledger()
        .args(["power", "--no-probe"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("No power sensor"), "{stdout}");
    assert!(stdout.contains("--watts"), "{stdout}");
    assert!(stdout.contains("NVML"), "{stdout}");
}

#[test]
fn power_json_parses_and_lists_candidates() {
    let out = flopledger()
        .args(["power", "--json"])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let adapters = v["adapters"].as_array().expect("adapters array");
    assert!(!adapters.is_empty());
    for a in adapters {
        let candidates = a["selection"]["candidates"].as_array().expect("candidates");
        // Every kind is listed, chosen or with its reason.
        for kind in [
            "nvml-energy",
            "amd-hwmon",
            "intel-hwmon",
            "intel-rapl",
            "nominal",
        ] {
            assert!(
                candidates.iter().any(|c| c["kind"] == kind),
                "{kind} missing in {a}"
            );
        }
        assert!(candidates
            .iter()
            .all(|c| c["chosen"] == true || c["reason"].as_str().is_some_and(|r| !r.is_empty())));
        if a["selection"]["chosen"].is_null() {
            assert!(a["selection"]["advice"]
                .as_str()
                .is_some_and(|s| s.contains("--watts")));
        }
    }
}
