//! The fleet report's streamed read of the ledger: groups arrive one (chip, case) at a time in
//! order, each GPU once with its latest result, and the streamed analysis (cases re-read and
//! re-graded from the ledger) is the analysis of all results held in memory.

use flopledger::fleet::analyser::Analyser;
use flopledger::fleet::analysis::analyse;
use flopledger::fleet::grade::CaseSource;
use flopledger::fleet::ledger_cases::LedgerCases;
use flopledger::fleet::stream::{for_each_group, Selection};
use flopledger::fleet::thresholds::Thresholds;
use flopledger::fleet::{db, ingest, query};
use flopledger::report::fixture::sample_report;
use flopledger::report::Report;

/// GPU `gpu` of chip `chip` (a software adapter: no catalog row), throughput scaled by `speed`,
/// started `minute` minutes after 01:00.
fn report(chip: &str, gpu: u32, minute: u32, speed: f64) -> Report {
    let mut r = sample_report();
    r.economics = None;
    r.adapter.name = chip.into();
    let s = r.identity.scheduler.as_mut().unwrap();
    s.job_id = Some("5".into());
    s.task_id = Some(format!("{chip}-{gpu}-{minute}"));
    s.node_name = Some(format!("node{}", gpu / 4));
    r.identity.gpu.uuid = Some(format!("GPU-{chip}-{gpu:02}"));
    r.started_at = format!("2026-12-01T01:{minute:02}:00Z");
    r.finished_at = Some(format!("2026-12-01T01:{minute:02}:30Z"));
    for c in &mut r.cases {
        flopledger::report::fixture::scale_speed(c, speed);
    }
    r
}

/// Two chips: 12 GPUs of `chip-b` (GPU 3 30 % slow; GPU 0 measured twice, the later run slow)
/// and 5 of `chip-a`; ingested out of order.
fn ledger(dir: &std::path::Path) -> rusqlite::Connection {
    let mut reports = Vec::new();
    for g in 0..12 {
        let speed = if g == 3 {
            0.7
        } else {
            1.0 + 0.002 * f64::from(g)
        };
        reports.push(report("chip-b", g, 1, speed));
    }
    reports.push(report("chip-b", 0, 30, 0.5));
    for g in 0..5 {
        reports.push(report("chip-a", g, 2, 1.0 - 0.001 * f64::from(g)));
    }
    reports.reverse();
    let files: Vec<_> = reports
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let p = dir.join(format!("r{i}.json"));
            std::fs::write(&p, serde_json::to_vec(r).unwrap()).unwrap();
            p
        })
        .collect();
    let mut conn = db::open(&dir.join("l.sqlite")).unwrap();
    ingest::ingest(&mut conn, &files).unwrap();
    conn
}

#[test]
fn groups_stream_in_chip_and_case_order_each_gpu_once_with_its_latest_result() {
    let dir = tempfile::tempdir().unwrap();
    let conn = ledger(dir.path());
    let f = query::Filter::default();
    let sel = Selection::read(&conn, &f).unwrap();
    assert_eq!(sel.gpus(), 17);
    let cases = sample_report().cases;
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut largest = 0;
    let read = for_each_group(&conn, &sel, &f, &mut |rows| {
        let first = rows[0];
        seen.push((first.chip.to_string(), first.case_id.to_string()));
        largest = largest.max(rows.len());
        let keys: Vec<&str> = rows.iter().map(|r| r.gpu_key).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        assert!(rows
            .iter()
            .all(|r| r.chip == first.chip && r.case_id == first.case_id));
        let again = rows.iter().find(|r| r.gpu_key == "GPU-chip-b-00");
        if let Some(r) = again {
            assert_eq!(r.started_at, "2026-12-01T01:30:00Z", "the later run wins");
        }
        Ok(())
    })
    .unwrap();
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted, "each group once, in chip then case order");
    assert_eq!(seen.len(), 2 * cases.len());
    assert_eq!(largest, 12, "a group holds one result per GPU of its chip");
    // One pass over the 18 reports' case rows per chip.
    assert_eq!(read, 2 * 18 * cases.len());
}

#[test]
fn the_streamed_analysis_and_its_regraded_cases_equal_the_in_memory_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let conn = ledger(dir.path());
    let f = query::Filter::default();
    let th = Thresholds::default();
    let expected = analyse(query::latest_results(&conn, &f).unwrap(), &th);
    assert!(
        expected.gpus.iter().any(|g| g.gpu_key == "GPU-chip-b-03"
            && g.status > flopledger::fleet::thresholds::Status::Ok),
        "{:?}",
        expected.gpus
    );

    let sel = Selection::read(&conn, &f).unwrap();
    let mut an = Analyser::new(th.clone(), sel.gpus(), false);
    for_each_group(&conn, &sel, &f, &mut |rows| {
        an.add_group(rows);
        Ok(())
    })
    .unwrap();
    let streamed = an.finish();
    assert!(streamed.cases.is_empty(), "nothing kept");
    let mut regraded = Vec::new();
    LedgerCases {
        conn: &conn,
        selection: &sel,
        filter: &f,
        analysis: &streamed,
        shown: None,
    }
    .each_case(&mut |c| {
        regraded.push(c.to_owned());
        Ok(())
    })
    .unwrap();
    assert_eq!(regraded, expected.cases);
    let streamed = flopledger::fleet::analysis::FleetAnalysis {
        cases: regraded,
        ..streamed
    };
    assert_eq!(streamed, expected);
}
