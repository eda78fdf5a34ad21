//! JSON contract of the report: the set of field paths is pinned in
//! `tests/report_schema_paths.txt`. Renaming, removing or adding a field fails this test until
//! the list is updated — and a rename or removal also needs `SCHEMA_VERSION` bumped.
//! Also: a report survives a JSON round trip unchanged.

use flopledger::report::{fixture::sample_report, io, SCHEMA_VERSION};
use serde_json::Value;
use std::collections::BTreeSet;

fn paths(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.insert(p.clone());
                // Maps keyed by data (kernel parameters, cost bases) are values, not fields.
                if !matches!(k.as_str(), "params" | "usd_per_million_tokens") {
                    paths(child, &p, out);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                paths(item, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn report_fields_match_the_pinned_contract() {
    let json = serde_json::to_value(sample_report()).unwrap();
    let mut found = BTreeSet::new();
    paths(&json, "", &mut found);
    let pinned: BTreeSet<String> = include_str!("report_schema_paths.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let added: Vec<_> = found.difference(&pinned).collect();
    let removed: Vec<_> = pinned.difference(&found).collect();
    assert!(
        added.is_empty() && removed.is_empty(),
        "report JSON fields changed (schema_version {SCHEMA_VERSION}).\n added: {added:?}\n removed: {removed:?}\n\
         Update tests/report_schema_paths.txt; bump SCHEMA_VERSION if a field was renamed or removed."
    );
    assert_eq!(json["schema_version"], SCHEMA_VERSION);
}

#[test]
fn report_round_trips_through_json() {
    let r = sample_report();
    let text = serde_json::to_string_pretty(&r).unwrap();
    let back = io::parse(&text, "round-trip").unwrap();
    assert_eq!(back, r);
}

#[test]
fn foreign_and_old_json_are_refused_with_the_fix() {
    let e = io::parse("{\"hello\": 1}", "x.json")
        .unwrap_err()
        .to_string();
    assert!(e.contains("not a flopledger report"), "{e}");
    let mut old = serde_json::to_value(sample_report()).unwrap();
    old["schema_version"] = Value::from(0);
    let e = io::parse(&old.to_string(), "old.json")
        .unwrap_err()
        .to_string();
    assert!(e.contains("schema version 0"), "{e}");
    let e = io::parse("{not json", "bad.json").unwrap_err().to_string();
    assert!(e.contains("not valid JSON"), "{e}");
}

/// Every report shipped under `reports/` (the H200 reference, the software-adapter runs the
/// docs quote) reads back: the integrity check once refused the H200 reference, whose memory
/// streams do 0 FLOP per joule.
#[test]
fn every_shipped_report_reads_back() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("reports");
    let mut read = 0;
    for entry in std::fs::read_dir(&dir).expect("reports/") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            if let Err(e) = io::load(&path) {
                panic!("{}: {e:#}", path.display());
            }
            read += 1;
        }
    }
    assert!(read >= 2, "only {read} reports under reports/");
}
