//! Tests of the trend fits ([`super`]).

use super::*;

#[test]
fn recovers_a_known_doubling_time() {
    // value = 1e9 × 2^((year − 2010) / 2.5): doubling every 2.5 years exactly, with a
    // ±3 % wobble alternating in sign so the fit has residuals but no bias.
    let pts: Vec<(String, f64, f64)> = (0..12)
        .map(|i| {
            let year = 2010.0 + f64::from(i) * 1.25;
            let wobble = if i % 2 == 0 { 1.03 } else { 0.97 };
            (
                format!("chip{i}"),
                year,
                1e9 * 2f64.powf((year - 2010.0) / 2.5) * wobble,
            )
        })
        .collect();
    let f = fit_points(Precision::Fp32, TrendMetric::FlopPerSPerUsd, &pts).unwrap();
    assert!(
        (f.doubling_years - 2.5).abs() < 0.05,
        "{}",
        f.doubling_years
    );
    assert!(f.doubling_ci95_years.0 < 2.5 && 2.5 < f.doubling_ci95_years.1);
    assert!(f.r_squared > 0.99);
    assert_eq!(f.n, 12);
    assert_eq!(f.chips[0], "chip0");
}

#[test]
fn exact_line_has_a_zero_width_interval() {
    // ln(value) = ln 2 × year / 2 exactly: slope ln2/2, doubling 2 years, SSR 0.
    let pts: Vec<_> = (0..4)
        .map(|i| (i.to_string(), f64::from(i), 2f64.powf(f64::from(i) / 2.0)))
        .collect();
    let f = fit_points(Precision::Fp16, TrendMetric::FlopPerSPerWatt, &pts).unwrap();
    assert!((f.doubling_years - 2.0).abs() < 1e-12);
    assert!((f.doubling_ci95_years.0 - 2.0).abs() < 1e-9);
    assert!((f.doubling_ci95_years.1 - 2.0).abs() < 1e-9);
}

#[test]
fn too_few_chips_is_a_clear_error() {
    let pts = vec![
        ("a".to_string(), 2020.0, 1.0),
        ("b".to_string(), 2021.0, 2.0),
    ];
    let e = fit_points(Precision::Fp8, TrendMetric::FlopPerSPerUsd, &pts).unwrap_err();
    assert!(e.to_string().contains("at least 3"), "{e}");
}

#[test]
fn open_interval_round_trips_through_json() {
    // A flat series: the slope interval straddles zero, so the doubling interval is open.
    let pts: Vec<_> = [1.0, 1.2, 0.9, 1.1]
        .iter()
        .enumerate()
        .map(|(i, v)| (i.to_string(), i as f64, *v))
        .collect();
    let f = fit_points(Precision::Fp32, TrendMetric::FlopPerSPerUsd, &pts).unwrap();
    assert!(f.doubling_ci95_years.1.is_infinite());
    let json = serde_json::to_string(&f).unwrap();
    assert!(json.contains("null"));
    let back: TrendFit = serde_json::from_str(&json).unwrap();
    assert_eq!(back.doubling_ci95_years.1, f64::INFINITY);
}

#[test]
fn t_quantiles() {
    assert_eq!(t_975(1), 12.706);
    assert_eq!(t_975(30), 2.042);
    // Tables give 2.021 at 40 and 2.000 at 60.
    assert!((t_975(40) - 2.021).abs() < 1e-3);
    assert!((t_975(60) - 2.000).abs() < 1e-3);
}

#[test]
fn ai_trend_uses_each_class_at_its_own_rate() {
    let pts = points(TrendBasis::AiPerClass, TrendMetric::FlopPerSPerUsd);
    let value = |name: &str| pts.iter().find(|p| p.0 == name).map(|p| p.2);
    // H100 SXM at its bf16 tensor rate, the 4090 at its FP32-accumulate rate (not the
    // FP16-accumulate 330 TFLOPS), a GTX 1080 at FP32 (its FP16 is 1/64 rate).
    assert_eq!(value("NVIDIA H100 SXM5 80GB"), Some(989.4e12 / 33600.0));
    assert_eq!(value("NVIDIA GeForce RTX 4090"), Some(165.2e12 / 1599.0));
    let gtx = catalog()
        .iter()
        .find(|c| c.name == "NVIDIA GeForce GTX 1080")
        .unwrap();
    assert_eq!(
        value("NVIDIA GeForce GTX 1080"),
        gtx.flop_per_s_per_usd(Precision::Fp32)
    );
    let (g, f) = ai_frontier_decline().unwrap();
    assert_eq!(f.basis, TrendBasis::AiPerClass);
    assert!(f.n > fit(Precision::Bf16, TrendMetric::FlopPerSPerUsd).unwrap().n);
    assert!(g > 0.0 && g < 0.5, "{g}");
    let json = serde_json::to_string(&f).unwrap();
    assert!(json.contains("\"basis\":\"ai-per-class\""), "{json}");
}

#[test]
fn catalog_fp32_trend_improves_and_frontier_rises() {
    let (g, f) = frontier_decline(Precision::Fp32).unwrap();
    assert!(f.n >= 20, "{}", f.n);
    // Epoch AI finds ~2–3 years per doubling of GPU FLOP/s per $; accept a wide band.
    assert!(
        f.doubling_years > 1.0 && f.doubling_years < 6.0,
        "{}",
        f.doubling_years
    );
    assert!(g > 0.0 && g < 0.5);
    // Over one doubling time the cost of a unit of compute halves: (1 − g)^d = 1/2.
    assert!(((1.0 - g).powf(f.doubling_years) - 0.5).abs() < 1e-9);
    let fr = frontier(Precision::Fp32, TrendMetric::FlopPerSPerUsd);
    assert!(fr
        .windows(2)
        .all(|w| w[1].value > w[0].value && w[1].release >= w[0].release));
}
