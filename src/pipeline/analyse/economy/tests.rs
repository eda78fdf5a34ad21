//! Tests of [`super::annotate`] on hand-built reports.

use super::annotate;
use crate::config::PricingInputs;
use crate::economics::types::CostBasis;
use crate::report::*;
use std::collections::BTreeMap;

fn case(id: &str, flop_per_s: f64, watts: Option<f64>) -> CaseResult {
    crate::report::fixture::simple_gemm_case(id, flop_per_s, watts)
}

fn report(adapter: &str, pricing: PricingInputs) -> Report {
    let cases = vec![
        case("gemm-a", 1e15, Some(500.0)),
        case("gemm-b", 2e14, None),
    ];
    let mut r = crate::report::fixture::minimal_report(adapter, pricing, cases);
    r.presets = vec![PresetEstimate {
        model: "llama-3.1-8b".into(),
        phase: Phase::Decode,
        tokens_context: 1024,
        batch: 1,
        tokens_per_s: 1000.0,
        seconds_per_step: 0.001,
        ops: vec![],
        ignores: vec![],
        skipped_ops: vec![],
        usd_per_million_tokens: BTreeMap::new(),
    }];
    r
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs()
}

#[test]
fn owned_h100_by_hand() {
    let inputs = PricingInputs {
        price_usd: Some(30_000.0),
        overhead: Some(1.4),
        discount_rate: Some(0.0),
        life_years: Some(5.0),
        utilization: Some(0.7),
        pue: Some(1.2),
        usd_per_kwh: Some(0.08),
        facility_usd_per_kw_month: Some(100.0),
        server_power_factor: Some(2.0),
        maintenance_share_per_year: Some(0.03),
        failure_rate_per_year: Some(0.05),
        network_staff_usd_per_year: Some(1000.0),
        ..Default::default()
    };
    let mut r = report("NVIDIA H100 80GB", inputs);
    annotate(&mut r).unwrap();
    let e = r.economics.as_ref().unwrap();
    assert_eq!(e.chip.as_ref().unwrap().name, "NVIDIA H100 SXM5 80GB");
    assert_eq!(e.chip.as_ref().unwrap().matched_by, "adapter name");
    // "H100 80GB" fits the SXM5 and the PCIe rows: the SXM5 is taken and the report says so
    // (the driver's own "NVIDIA H100 80GB HBM3" is the SXM5's alias, with no warning).
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("NVIDIA H100 PCIe 80GB")),
        "{:?}",
        r.warnings
    );
    // Catalog TDP 700 W, 1.4 kW all-in: owned = (42,000 × 0.2 + 1.4 × 100 × 12 + 0.03 ×
    // 42,000 + 0.05 × 30,000 (failures replace the card) + 1,000) / 6,132 + 1.4 × 1.2 × 0.08 =
    // 13,840 / 6,132 + 0.1344 = 2.391412 $/h (the golden test of `economics::cost`).
    let owned = e
        .hourly
        .iter()
        .find(|h| h.basis == CostBasis::Owned)
        .unwrap();
    assert!(
        near(owned.usd_per_hour, 2.391_412_39),
        "{}",
        owned.usd_per_hour
    );
    assert!(owned.formula.contains("30000 USD") && owned.formula.contains("TDP"));
    assert!(
        owned.formula.contains("server power factor 2"),
        "{}",
        owned.formula
    );
    // Marginal at TDP: 0.0672 $/h. No rental price: cloud is missing with its flag.
    let marginal = e
        .hourly
        .iter()
        .find(|h| h.basis == CostBasis::Marginal)
        .unwrap();
    assert!(near(marginal.usd_per_hour, 0.0672));
    assert!(e.missing.iter().any(|m| m.contains("--cloud-usd-per-hour")));
    assert!(e
        .assumptions
        .iter()
        .all(|a| !a.as_of.is_empty() && !a.source.is_empty()));
    assert!(e
        .assumptions
        .iter()
        .any(|a| a.item == "nominal_watts" && a.value == 700.0));
    // Every running cost the owned hour charges is recorded (the flat network and staff cost
    // given alone replaces the one by the kW, which is recorded at 0).
    let value = |item: &str| {
        e.assumptions
            .iter()
            .find(|a| a.item == item)
            .map(|a| a.value)
    };
    assert_eq!(value("facility_usd_per_kw_month"), Some(100.0));
    assert_eq!(value("failure_rate_per_year"), Some(0.05));
    assert_eq!(value("network_staff_usd_per_year"), Some(1000.0));
    assert_eq!(value("network_staff_usd_per_kw_year"), Some(0.0));

    // Case a: 1e15 FLOP/s owned → 3.6e18 / 2.391412 FLOP/$; marginal at its
    // measured 500 W: 0.5 × 1.2 × 0.08 = 0.048 $/h → 7.5e19 FLOP/$.
    let a = r.cases[0].cost.as_ref().unwrap();
    let basis = |c: &crate::economics::types::CaseCost, b| {
        c.bases.iter().find(|x| x.basis == b).cloned().unwrap()
    };
    assert!(near(
        basis(a, CostBasis::Owned).flop_per_usd,
        3.6e18 / 2.391_412_39
    ));
    assert!(near(
        basis(a, CostBasis::Owned).usd_per_pflop_hour,
        2.391_412_39
    ));
    let m = basis(a, CostBasis::Marginal);
    assert!(near(m.flop_per_usd, 7.5e19), "{}", m.flop_per_usd);
    assert!(m.note.unwrap().contains("500.0 W"));
    // Case b has no energy: marginal uses the nominal 700 W and says so.
    let b = r.cases[1].cost.as_ref().unwrap();
    assert!(basis(b, CostBasis::Marginal)
        .note
        .unwrap()
        .contains("nominal 700 W"));
    // Preset: 1000 tokens/s → 3.6e6 tokens per hour; owned 2.391412/3.6 per M.
    let usd = &r.presets[0].usd_per_million_tokens;
    assert!(near(usd["owned"], 2.391_412_39 / 3.6), "{usd:?}");
    assert!(!usd.contains_key("cloud"));
}

#[test]
fn cloud_price_alone_prices_an_unknown_adapter() {
    let inputs = PricingInputs {
        cloud_usd_per_hour: Some(2.0),
        ..Default::default()
    };
    let mut r = report("llvmpipe (LLVM 15.0.6, 256 bits)", inputs);
    annotate(&mut r).unwrap();
    let e = r.economics.as_ref().unwrap();
    assert!(e.chip.is_none());
    assert_eq!(e.hourly.len(), 1);
    assert_eq!(e.hourly[0].basis, CostBasis::Cloud);
    for flag in ["--chip", "--price-usd", "--watts"] {
        assert!(
            e.missing.iter().any(|m| m.contains(flag)),
            "{flag}: {:?}",
            e.missing
        );
    }
    let owned = e.missing.iter().find(|m| m.starts_with("owned")).unwrap();
    assert!(
        !owned.contains("change"),
        "no owned flag was given: {owned}"
    );
    // 1e15 FLOP/s at $2/h: 1.8e18 FLOP per dollar.
    let a = r.cases[0].cost.as_ref().unwrap();
    assert_eq!(a.bases.len(), 1);
    assert!(near(a.bases[0].flop_per_usd, 1.8e18));
    assert!(near(
        r.presets[0].usd_per_million_tokens["cloud"],
        2.0 / 3.6
    ));
}

#[test]
fn chip_flag_overrides_and_no_prices_never_fail() {
    let inputs = PricingInputs {
        chip: Some("a100 sxm4 40gb".into()),
        ..Default::default()
    };
    let mut r = report("llvmpipe", inputs);
    annotate(&mut r).unwrap();
    let e = r.economics.as_ref().unwrap();
    assert_eq!(e.chip.as_ref().unwrap().matched_by, "--chip");
    assert_eq!(e.chip.as_ref().unwrap().name, "NVIDIA A100 SXM4 40GB");
    // The catalog gives the A100 40GB launch price ($15,000) and TDP: owned is priced.
    assert!(e.hourly.iter().any(|h| h.basis == CostBasis::Owned));
    let mut unpriced = report(
        "Intel(R) Arc(tm) A770 Graphics (DG2)",
        PricingInputs::default(),
    );
    annotate(&mut unpriced).unwrap();
    assert!(unpriced.economics.unwrap().hourly.is_empty());
    assert!(unpriced.cases.iter().all(|c| c.cost.is_none()));
    assert!(unpriced.presets[0].usd_per_million_tokens.is_empty());
}

/// Without a purchase price the owned basis is missing, and the owned basis's flags that were
/// given are named as changing nothing until a price is set.
#[test]
fn owned_flags_without_a_price_are_said_to_change_nothing() {
    let inputs = PricingInputs {
        failure_rate_per_year: Some(0.2),
        life_years: Some(3.0),
        ..Default::default()
    };
    let mut r = report("llvmpipe (LLVM 15.0.6, 256 bits)", inputs);
    annotate(&mut r).unwrap();
    let e = r.economics.as_ref().unwrap();
    let owned = e.missing.iter().find(|m| m.starts_with("owned")).unwrap();
    assert!(
        owned.contains("until then --life-years, --failure-rate change nothing"),
        "{owned}"
    );
}
