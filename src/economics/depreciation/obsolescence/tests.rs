use super::super::outlook::analyse;
use super::super::power::{model_c, power_cost_growth};
use super::*;

fn market(g: f64, r: f64) -> Market {
    Market {
        decline_g: g,
        efficiency_growth_h: 0.5,
        discount_rate: r,
        utilization: 1.0,
        usd_per_kwh: 0.10,
        pue: 1.0,
    }
}

#[test]
fn golden_calibration_without_running_cost() {
    // No power, no discounting, g = 0.5: earnings R₀·2^(−t) forever, life capped at 30 years.
    // V(0) = R₀·(1 − 2^(−30))/ln 2 = capex → R₀ = 10 000·ln 2/(1 − 2^(−30)) = 6931.47 $/yr.
    // P_F(0) = R₀/(u·q·S) = 6931.47/(1e15 · 31 536 000) = 2.1980e-19 $/FLOP.
    // V(t)/V(0) = (2^(−t) − 2^(−30))/(1 − 2^(−30)) ≈ 2^(−t): half-life 1 year, d = 50 %/yr.
    let chip = ChipInputs::at_spec("test", 10_000.0, 1e15, 0.0);
    let cal = calibrated_flow(&chip, &market(0.5, 0.0), 0.0).unwrap();
    assert!((cal.flow.revenue0_usd_per_year - 6931.47).abs() < 0.01);
    assert!((cal.frontier_usd_per_flop - 2.1980e-19).abs() < 1e-23);
    let a = model_a(&chip, &market(0.5, 0.0)).unwrap();
    assert!(a.life.unwrap().capped);
    assert!(a.notes.iter().any(|n| n.contains("capped at 30 years")));
    assert!((a.initial_value_usd - 10_000.0).abs() < 1e-6);
    assert!((a.value_at(2.0) - 2_500.0).abs() < 0.01);
    assert!((a.half_life_years.unwrap() - 1.0).abs() < 1e-6);
    assert!((a.annual_rate.unwrap() - 0.5).abs() < 1e-6);
}

#[test]
fn golden_life_with_running_cost() {
    // 1000 W at 0.10 $/kWh, u = 1, PUE 1: OPEX = 8760·1·0.10 = 876 $/yr. With r = 0, g = 0.5
    // the calibration solves R₀(1 − C₀/R₀)/ln 2 − C₀·ln(R₀/C₀)/ln 2 = 10 000; the life is
    // T = ln(R₀/C₀)/ln 2. Check the defining identities rather than a rounded R₀.
    let chip = ChipInputs::at_spec("test", 10_000.0, 1e15, 1000.0);
    let cal = calibrated_flow(&chip, &market(0.5, 0.0), 0.0).unwrap();
    let (r0, c0) = (cal.flow.revenue0_usd_per_year, cal.flow.cost0_usd_per_year);
    assert!((c0 - 876.0).abs() < 1e-9);
    let life = cal.flow.life().years;
    assert!((life - (r0 / c0).ln() / std::f64::consts::LN_2).abs() < 1e-9);
    let v0 = (r0 - c0) / std::f64::consts::LN_2 - c0 * life;
    assert!((v0 - 10_000.0).abs() < 1e-6);
    assert!(cal.flow.earnings(life).abs() < 1e-6);
}

#[test]
fn measured_throughput_earns_less_at_the_same_frontier_price() {
    let spec = ChipInputs::at_spec("test", 30_000.0, 1e15, 700.0);
    let measured = ChipInputs {
        flop_per_s: 0.5e15,
        watts: 500.0,
        ..spec.clone()
    };
    let m = market(0.3, 0.08);
    let a_spec = calibrated_flow(&spec, &m, 0.0).unwrap();
    let a_meas = calibrated_flow(&measured, &m, 0.0).unwrap();
    assert_eq!(a_spec.frontier_usd_per_flop, a_meas.frontier_usd_per_flop);
    assert!(
        (a_meas.flow.revenue0_usd_per_year - 0.5 * a_spec.flow.revenue0_usd_per_year).abs() < 1e-6
    );
    assert!(a_meas.flow.value_at(0.0) < 30_000.0);
    assert!(measured.measured() && !spec.measured());
}

#[test]
fn zero_frontier_decline_gives_a_capped_life_with_a_message() {
    let chip = ChipInputs::at_spec("test", 30_000.0, 1e15, 700.0);
    let a = model_a(&chip, &market(0.0, 0.08)).unwrap();
    assert!(a.life.unwrap().capped);
    assert!(a.notes.iter().any(|n| n.contains("unbounded")));
    assert!((a.initial_value_usd - 30_000.0).abs() < 1e-6);
}

#[test]
fn invalid_inputs_name_the_fix() {
    let chip = ChipInputs::at_spec("test", -5.0, 1e15, 700.0);
    let err = model_a(&chip, &market(0.3, 0.08)).unwrap_err().to_string();
    assert!(err.contains("--price-usd"), "{err}");
    let chip = ChipInputs::at_spec("test", 30_000.0, 1e15, 700.0);
    for g in [1.0, 1.5, -0.1, f64::NAN] {
        let err = model_a(&chip, &market(g, 0.08)).unwrap_err().to_string();
        assert!(err.contains("--growth"), "{err}");
    }
    let err = model_a(&chip, &market(0.3, -0.1)).unwrap_err().to_string();
    assert!(err.contains("--discount-rate"), "{err}");
}

#[test]
fn power_constrained_life_is_shorter_and_follows_flop_per_watt() {
    let chip = ChipInputs::at_spec("test", 30_000.0, 1e15, 700.0);
    let m = market(0.3, 0.08);
    // k = (1 − 0.3)(1 + 0.5) = 1.05 > 1: the watt's shadow price grows 5 %/yr.
    assert!((power_cost_growth(&m) - 1.05f64.ln()).abs() < 1e-12);
    let a = model_a(&chip, &m).unwrap();
    let c = model_c(&chip, &m).unwrap();
    assert!(c.life.unwrap().years < a.life.unwrap().years);
    let cal = calibrated_flow(&chip, &m, power_cost_growth(&m)).unwrap();
    // (1 + h)^T = R₀/C₀ at the end of life.
    let t = cal.flow.life().years;
    let ratio = cal.flow.revenue0_usd_per_year / cal.flow.cost0_usd_per_year;
    assert!((1.5f64.powf(t) - ratio).abs() < 1e-6 * ratio);
    // No efficiency growth: power is not getting scarcer, C equals A.
    let flat = Market {
        efficiency_growth_h: 0.0,
        ..m
    };
    let c_flat = model_c(&chip, &flat).unwrap();
    assert_eq!(
        c_flat.curve.points,
        model_a(&chip, &flat).unwrap().curve.points
    );
}

#[test]
fn analysis_verdict_and_sensitivity() {
    let chip = ChipInputs::at_spec("test", 30_000.0, 1e15, 700.0);
    let analysis = analyse(&chip, &market(0.35, 0.08), None).unwrap();
    assert_eq!(analysis.sensitivity.len(), 5);
    assert_eq!(analysis.sensitivity.iter().filter(|r| r.chosen).count(), 1);
    let lives: Vec<f64> = analysis
        .sensitivity
        .iter()
        .map(|r| r.economic_life_years)
        .collect();
    assert!(lives.windows(2).all(|w| w[1] < w[0]), "{lives:?}");
    assert!(analysis.verdict.starts_with("economic life "));
    assert!(analysis.verdict.contains("against a 6-year schedule"));
    assert!(analysis.verdict.contains("% at year 3"));
    assert_eq!(analysis.books.len(), 4);
    assert_eq!(analysis.gaps.len(), 4);
    let four = analyse(&chip, &market(0.3, 0.08), None).unwrap();
    assert_eq!(four.sensitivity.len(), 4);
}
