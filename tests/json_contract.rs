//! Contract of every `--json` output: the field paths and their JSON types are pinned in
//! `tests/contracts/NAME.shape`, one `path: type|type…` per line (`[]` marks array elements;
//! types: object, array, string, integer, number, bool, null, and `absent` for a field that may
//! be left out). Keys that are data, not field names (chip names, case ids: anything but
//! `snake_case`), are written `*`. Numbers are never compared.
//!
//! A test fails when the output has a field the contract lacks, lacks a field the contract
//! requires (a field is required wherever its parent object or array elements are present), or
//! gives a field a type the contract does not allow. After an intended change, regenerate with
//! `UPDATE_CONTRACTS=1 cargo test --test json_contract` and review the diff; allow `null` by hand
//! where a value is optional.
//!
//! The economics commands run on the shipped data (no GPU); `devices` and `power` need an
//! adapter (Mesa's lavapipe in CI), as the other CLI tests of those commands do.

mod common;

use common::flopledger;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

type Shape = BTreeMap<String, BTreeSet<&'static str>>;

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Every path in `v` with the types seen there (array elements merged under `[]`).
fn shape_of(v: &Value, path: &str, out: &mut Shape) {
    out.entry(path.to_string())
        .or_default()
        .insert(type_name(v));
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let is_field = k.starts_with(|c: char| c.is_ascii_lowercase())
                    && k.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                let k = if is_field { k.as_str() } else { "*" };
                let p = if path.is_empty() {
                    k.to_string()
                } else {
                    format!("{path}.{k}")
                };
                shape_of(child, &p, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                shape_of(item, &format!("{path}[]"), out);
            }
        }
        _ => {}
    }
}

/// The path of the object or array holding `path` (`""`: the root; `None` for the root).
fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    if let Some(p) = path.strip_suffix("[]") {
        return Some(p);
    }
    Some(path.rfind('.').map_or("", |i| &path[..i]))
}

fn contract_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/contracts")
        .join(format!("{name}.shape"))
}

fn render(shape: &Shape) -> String {
    let mut s = String::new();
    for (path, types) in shape {
        let path = if path.is_empty() { "." } else { path };
        let types: Vec<&str> = types.iter().copied().collect();
        s.push_str(&format!("{path}: {}\n", types.join("|")));
    }
    s
}

fn parse_contract(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(": "))
        .map(|(p, t)| {
            let p = if p == "." { "" } else { p };
            (p.to_string(), t.split('|').map(str::to_string).collect())
        })
        .collect()
}

/// Checks the JSON `stdout` of a command against `tests/contracts/{name}.shape`.
fn check(name: &str, stdout: &[u8]) {
    let v: Value = serde_json::from_slice(stdout)
        .unwrap_or_else(|e| panic!("{name}: output is not JSON ({e})"));
    let mut found = Shape::new();
    shape_of(&v, "", &mut found);
    let file = contract_path(name);
    if std::env::var_os("UPDATE_CONTRACTS").is_some() {
        std::fs::write(&file, render(&found)).expect("write contract");
        return;
    }
    let pinned = parse_contract(
        &std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())),
    );
    let mut problems = Vec::new();
    for (path, types) in &found {
        match pinned.get(path) {
            None => problems.push(format!("new field {path:?} ({types:?})")),
            Some(allowed) => {
                let bad: Vec<_> = types.iter().filter(|t| !allowed.contains(**t)).collect();
                if !bad.is_empty() {
                    problems.push(format!("{path:?} is {bad:?}, contract allows {allowed:?}"));
                }
            }
        }
    }
    // A field is required wherever an object holding it is present; array elements are not
    // (an array may be empty), but the fields of present elements are.
    for path in pinned.keys() {
        let required = !path.ends_with("[]")
            && !pinned[path].contains("absent")
            && parent(path).is_none_or(|p| found.get(p).is_some_and(|t| t.contains("object")));
        if required && !found.contains_key(path) {
            problems.push(format!("missing field {path:?}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{name} --json no longer matches {}:\n  {}\nIf the change is intended, regenerate with \
         UPDATE_CONTRACTS=1 and review the diff.",
        file.display(),
        problems.join("\n  ")
    );
}

/// Runs flopledger with `args`, expects success, checks its JSON against contract `name`.
fn contract(name: &str, args: &[&str]) {
    let out = flopledger().args(args).output().expect("run flopledger");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    check(name, &out.stdout);
}

#[test]
fn chips_json() {
    contract("chips", &["chips", "--json"]);
}

#[test]
fn cost_json() {
    contract(
        "cost",
        &["cost", "--chips", "H100 SXM,RTX 4090", "--format", "json"],
    );
}

#[test]
fn depreciate_market_json() {
    contract(
        "depreciate",
        &[
            "depreciate",
            "--chips",
            "H100 SXM,A100 SXM,MI300X",
            "--json",
        ],
    );
}

/// A five-point rent series written in `dir`; its path.
fn rent_series(dir: &std::path::Path) -> String {
    let csv = "date,usd_per_hour\n2023-01-01,8\n2023-07-01,6\n2024-01-01,4.5\n2024-07-01,3.4\n\
               2025-01-01,2.6\n";
    let series = dir.join("rents.csv");
    std::fs::write(&series, csv).expect("write series");
    series.to_str().expect("utf-8 path").to_string()
}

/// One chip valued on its own rent series (`--rents`): the market model's shape plus
/// `rent_series`.
#[test]
fn depreciate_own_rents_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let series = rent_series(dir.path());
    let series = series.as_str();
    contract(
        "depreciate-own-rents",
        &[
            "depreciate",
            "--chips",
            "H100 SXM",
            "--rents",
            series,
            "--json",
        ],
    );
}

#[test]
fn depreciate_launch_trend_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let series = rent_series(dir.path());
    let series = series.as_str();
    contract(
        "depreciate-launch-trend",
        &[
            "depreciate",
            "--launch-trend",
            "--chips",
            "H100 SXM",
            "--rents",
            series,
            "--backtest",
            series,
            "--fit-until",
            "2024-01-01",
            "--json",
        ],
    );
}

/// The observed series against the market model.
#[test]
fn depreciate_observed_json() {
    contract(
        "depreciate-observed",
        &["depreciate", "--observed", "--json"],
    );
}

/// The observed series against the launch-trend models (A and C).
#[test]
fn depreciate_observed_launch_trend_json() {
    contract(
        "depreciate-observed-launch-trend",
        &["depreciate", "--observed", "--launch-trend", "--json"],
    );
}

#[test]
fn depreciate_validate_json() {
    contract(
        "depreciate-validate",
        &["depreciate", "--validate", "--json"],
    );
}

#[test]
fn scenario_market_json() {
    contract("scenario", &["scenario", "--json"]);
}

#[test]
fn scenario_launch_trend_json() {
    contract(
        "scenario-launch-trend",
        &["scenario", "--launch-trend", "--json"],
    );
}

#[test]
fn compare_json() {
    use flopledger::report::fixture::sample_report;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut paths = Vec::new();
    for (name, scale) in [("a.json", 1.0), ("b.json", 1.5)] {
        let mut r = sample_report();
        for c in &mut r.cases {
            flopledger::report::fixture::scale_speed(c, 1.0 / scale);
        }
        let p = dir.path().join(name);
        std::fs::write(&p, serde_json::to_string(&r).expect("serialize")).expect("write");
        paths.push(p);
    }
    let out = flopledger()
        .arg("compare")
        .args(&paths)
        .arg("--json")
        .output()
        .expect("run flopledger");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check("compare", &out.stdout);
}

/// `ledger list --json`: one object per report, with and without a scheduler's ids.
#[test]
fn ledger_list_json() {
    use flopledger::report::fixture::sample_report;
    let dir = tempfile::tempdir().expect("temp dir");
    let res = dir.path().join("results");
    std::fs::create_dir_all(&res).expect("mkdir");
    let fleet_task = sample_report();
    let mut plain = sample_report();
    plain.identity.scheduler = None;
    plain.started_at = "2026-12-02T00:00:00Z".into();
    plain.finished_at = Some("2026-12-02T00:10:00Z".into());
    for (name, r) in [("a.json", &fleet_task), ("b.json", &plain)] {
        std::fs::write(res.join(name), serde_json::to_string(r).expect("serialize"))
            .expect("write");
    }
    let db = dir.path().join("l.sqlite");
    let add = flopledger()
        .args(["ledger", "add"])
        .arg(&res)
        .arg("--db")
        .arg(&db)
        .output()
        .expect("run flopledger");
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let out = flopledger()
        .args(["ledger", "list", "--json", "--db"])
        .arg(&db)
        .output()
        .expect("run flopledger");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v.as_array().map(Vec::len), Some(2), "{v}");
    check("ledger-list", &out.stdout);
}

/// `devices --json` lists the adapters wgpu sees (lavapipe in CI).
#[test]
fn devices_json() {
    contract("devices", &["devices", "--json"]);
}

/// `power --json`: every adapter's power-source selection and probes.
#[test]
fn power_json() {
    contract("power", &["power", "--json"]);
}
