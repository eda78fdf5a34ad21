//! The fleet in dollars on a synthetic ledger: measured FLOP/s per $, book against economic
//! value, and the capacity and dollars lost to flagged GPUs, checked by hand.

use flopledger::fleet::analysis::analyse;
use flopledger::fleet::money::{compute, GpuValue, Pricing};
use flopledger::fleet::query::GpuResult;
use flopledger::fleet::thresholds::{Status, Thresholds};
use flopledger::fleet::{render, render_html};
use std::collections::BTreeMap;

fn result(chip: &str, gpu: u32, case: &str, workload: &str, flop_per_s: f64) -> GpuResult {
    GpuResult {
        chip: chip.into(),
        case_id: case.into(),
        workload: workload.into(),
        dtype: "f32".into(),
        gpu_key: format!("{chip}-{gpu}"),
        node: format!("node{}", gpu / 4),
        started_at: "2026-12-01T01:00:00+00:00".into(),
        job_id: Some("42".into()),
        task_id: Some(gpu.to_string()),
        verified: true,
        flop_per_s,
        bytes_per_s: flop_per_s / 10.0,
        flop_per_j: Some(100e9),
        energy_grade: Some("B".into()),
        path: format!("/r/{chip}-{gpu}.json"),
    }
}

/// Ten "H100" GPUs: gemm-a (median 20 TFLOP/s, the best GEMM case), gemm-b (10 TFLOP/s), gemv
/// (50 TFLOP/s, not a GEMM: never the capacity). GPU 2 is 30 % slow everywhere; GPU 5 returns
/// wrong results in gemv only; GPU 6 draws 25 % more energy at full speed; GPU 9 has no gemm-a
/// result and is 10 % slow in gemm-b and gemv. Three "llvmpipe" GPUs, not in the catalog.
fn ledger() -> Vec<GpuResult> {
    let mut v = Vec::new();
    for g in 0..10u32 {
        let s = match g {
            2 => 0.7,
            9 => 0.9,
            _ => 1.0,
        };
        if g != 9 {
            v.push(result("H100", g, "gemm-a", "gemm", 20e12 * s));
        }
        v.push(result("H100", g, "gemm-b", "gemm", 10e12 * s));
        let mut gemv = result("H100", g, "gemv-c", "gemv", 50e12 * s);
        gemv.verified = g != 5;
        if g == 6 {
            for r in v.iter_mut().filter(|r| r.gpu_key == "H100-6") {
                r.flop_per_j = Some(80e9);
            }
            gemv.flop_per_j = Some(80e9);
        }
        v.push(gemv);
    }
    for g in 0..3 {
        v.push(result("llvmpipe", g, "gemm-x", "gemm", 1e9));
    }
    v.sort_by(|a, b| (&a.chip, &a.case_id, &a.gpu_key).cmp(&(&b.chip, &b.case_id, &b.gpu_key)));
    v
}

fn value(capex: f64, book: f64, economic: f64, draws: Vec<f64>) -> Pricing {
    Pricing::Valued(GpuValue {
        catalog_name: "NVIDIA H100 SXM5 80GB".into(),
        price_usd: capex / 1.25,
        price_source: "test".into(),
        price_as_of: "2026-01".into(),
        overhead: 1.25,
        capex_usd: capex,
        purchase_date: chrono::NaiveDate::from_ymd_opt(2024, 12, 1).unwrap(),
        valued_on: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        age_years: 2.0,
        book_life_years: 5.0,
        book_usd: book,
        economic_usd: economic,
        economic_draws_usd: draws,
        notes: vec!["price from the test".into()],
    })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn capacity_per_dollar_book_economic_and_losses_by_hand() {
    let a = analyse(ledger(), &Thresholds::default());
    let st = |k: &str| a.gpus.iter().find(|g| g.gpu_key == k).unwrap().status;
    assert_eq!(
        [st("H100-2"), st("H100-5"), st("H100-6"), st("H100-9")],
        [
            Status::Critical,
            Status::Critical,
            Status::Warn,
            Status::Warn
        ]
    );
    let pricing = BTreeMap::from([(
        "H100".to_string(),
        value(10_000.0, 6_000.0, 4_000.0, vec![3_000.0, 4_000.0, 5_000.0]),
    )]);
    let m = compute(&a, &pricing);
    let h = m.chips.iter().find(|c| c.chip == "H100").unwrap();
    assert_eq!(h.gpus, 10);
    assert_eq!(h.best_gemm_case.as_deref(), Some("gemm-a"));
    assert_eq!(h.median_flop_per_s, Some(20e12));
    assert_eq!(h.fleet_flop_per_s, Some(200e12));
    // Shortfalls: GPU 2 0.3 (gemm-a), GPU 5 1.0 (wrong results), GPU 6 0 (energy only), GPU 9
    // 0.1 (no gemm-a result: its mean ratio over gemm-b and gemv, 0.9).
    assert_eq!(h.flagged_gpus, 4);
    assert!(
        close(h.lost_gpu_equivalents, 1.4),
        "{}",
        h.lost_gpu_equivalents
    );
    assert!(close(h.lost_flop_per_s.unwrap(), 1.4 * 20e12));
    let d = h.dollars.unwrap();
    assert_eq!(
        (d.gpus, d.capex_usd, d.book_usd, d.economic_usd),
        (10, 100_000.0, 60_000.0, 40_000.0)
    );
    assert!(close(d.flop_per_s_per_usd.unwrap(), 200e12 / 100_000.0));
    assert!(close(d.book_over_economic.unwrap(), 0.5));
    assert!(close(d.lost_usd, 1.4 * 4_000.0));
    assert!(close(d.lost_book_usd, 1.4 * 6_000.0));
    // Band over three draws: 5th percentile 3,100, 95th 4,900 per GPU.
    let band = d.economic_band_usd.unwrap();
    assert!(
        close(band.p5, 31_000.0) && close(band.p95, 49_000.0),
        "{band:?}"
    );
    let lost = d.lost_band_usd.unwrap();
    assert!(close(lost.p5, 1.4 * 3_100.0) && close(lost.p95, 1.4 * 4_900.0));
    // Not in the catalog: measured figures only.
    let l = m.chips.iter().find(|c| c.chip == "llvmpipe").unwrap();
    assert_eq!(l.pricing, Pricing::NotInCatalog);
    assert_eq!((l.fleet_flop_per_s, l.dollars), (Some(3e9), None));
    assert_eq!((l.flagged_gpus, l.lost_gpu_equivalents), (0, 0.0));
    // The total holds only the valued chip.
    assert_eq!(m.total.unwrap().capex_usd, 100_000.0);
}

#[test]
fn fleet_totals_sum_chip_models_draw_by_draw() {
    let mut rows = ledger();
    for g in 0..4 {
        rows.push(result("B200", g, "gemm-z", "gemm", 40e12));
    }
    rows.sort_by(|a, b| (&a.chip, &a.case_id, &a.gpu_key).cmp(&(&b.chip, &b.case_id, &b.gpu_key)));
    let a = analyse(rows, &Thresholds::default());
    let pricing = BTreeMap::from([
        (
            "H100".to_string(),
            value(10_000.0, 6_000.0, 4_000.0, vec![3_000.0, 4_000.0, 5_000.0]),
        ),
        (
            "B200".to_string(),
            // Opposite draws: the fleet's band is narrower than the sum of the chips' bands.
            value(
                40_000.0,
                30_000.0,
                20_000.0,
                vec![25_000.0, 20_000.0, 15_000.0],
            ),
        ),
    ]);
    let m = compute(&a, &pricing);
    let t = m.total.unwrap();
    assert_eq!(t.gpus, 14);
    assert_eq!(t.capex_usd, 100_000.0 + 160_000.0);
    assert_eq!(t.economic_usd, 40_000.0 + 80_000.0);
    // Draws: 10·3000 + 4·25000 = 130,000; 120,000; 110,000.
    let b = t.economic_band_usd.unwrap();
    assert!(close(b.p5, 111_000.0) && close(b.p95, 129_000.0), "{b:?}");
    assert!(close(
        t.flop_per_s_per_usd.unwrap(),
        (200e12 + 160e12) / 260_000.0
    ));
    assert!(close(t.lost_usd, 1.4 * 4_000.0));
}

#[test]
fn the_report_shows_value_and_losses_in_every_format() {
    let a = analyse(ledger(), &Thresholds::default());
    let pricing = BTreeMap::from([(
        "H100".to_string(),
        value(10_000.0, 6_000.0, 4_000.0, vec![3_000.0, 4_000.0, 5_000.0]),
    )]);
    let m = compute(&a, &pricing);
    let r = render::FleetReport::new(&a, &m, "job 42".into());
    let md = render::markdown(&r);
    assert!(
        md.contains("## Value: book against the market model"),
        "{md}"
    );
    assert!(
        md.contains("| H100 | 10 | 2024-12-01 | $100,000 | gemm-a | 200.00 TFLOP/s | 2.00 GFLOP/s per $ | $60,000 | $40,000 ($31,000–$49,000) | book +50 % |"),
        "{md}"
    );
    assert!(md.contains("| llvmpipe | 3 | not in the catalog |"), "{md}");
    assert!(
        md.contains("| H100 | 10 | 4 | 28.00 TFLOP/s | 1.40 | $5,600 ($4,340–$6,860) | $8,400 |"),
        "{md}"
    );
    let html = render_html::from_markdown(&md);
    assert!(
        html.contains("<td>$40,000 ($31,000–$49,000)</td>"),
        "{html}"
    );
    let json: serde_json::Value = serde_json::from_str(&render::json(&r).unwrap()).unwrap();
    let chip = &json["money"]["chips"][0];
    assert_eq!(chip["chip"], "H100");
    assert_eq!(chip["pricing"]["status"], "valued");
    assert_eq!(chip["dollars"]["economic_usd"], 40_000.0);
    assert_eq!(
        json["money"]["chips"][1]["pricing"]["status"],
        "not-in-catalog"
    );
}
