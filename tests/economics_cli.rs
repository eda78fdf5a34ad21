//! CLI tests of `flopledger chips` (catalog, trend fits, frontier) on the built binary.

use assert_cmd::Command;
use predicates::str::contains;

fn flopledger() -> Command {
    Command::cargo_bin("flopledger").expect("binary built by cargo test")
}

#[test]
fn chips_fp32_prints_doubling_time_interval_and_chips_used() {
    flopledger()
        .args(["chips", "--precision", "fp32"])
        .assert()
        .success()
        .stdout(contains("FLOP/s per $: doubling time"))
        .stdout(contains("95 % CI"))
        .stdout(contains("chips used: NVIDIA GeForce GTX 280"))
        .stdout(contains("NVIDIA H100 SXM5 80GB"))
        .stdout(contains("Frontier"))
        .stdout(contains(
            "Data: Epoch AI, Data on Machine Learning Hardware (CC-BY 4.0)",
        ))
        // Not every row is Epoch AI's: the other sources are pointed to.
        .stdout(contains("chips take their figures from other sources"));
}

#[test]
fn unknown_vendor_exits_2_with_the_vendors_to_use() {
    flopledger()
        .args(["chips", "--vendor", "nosuch"])
        .assert()
        .code(2)
        .stderr(contains("no chips from vendor \"nosuch\""))
        .stderr(contains("NVIDIA"));
}

#[test]
fn json_output_carries_chips_fits_and_credit() {
    let out = flopledger()
        .args([
            "chips",
            "--json",
            "--vendor",
            "nvidia",
            "--precision",
            "bf16",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v["precision"], "bf16");
    let chips = v["chips"].as_array().expect("chips array");
    assert!(chips.iter().all(|c| c["vendor"] == "NVIDIA"));
    assert!(chips.iter().any(|c| c["name"] == "NVIDIA B200"));
    let fit = &v["trends"][0]["fit"];
    assert_eq!(fit["metric"], "flop-per-s-per-usd");
    assert!(fit["n"].as_u64().unwrap() >= 3);
    assert!(fit["doubling_years"].as_f64().unwrap() > 0.0);
    assert!(v["credit"].as_str().unwrap().contains("Epoch AI"));
}

#[test]
fn vendor_filter_is_case_insensitive() {
    flopledger()
        .args(["chips", "--vendor", "apple"])
        .assert()
        .success()
        .stdout(contains("Apple M4 Max (40-core GPU)"))
        .stdout(contains("4 chips from vendor 'apple'"));
}
